"""Login forms: password first (throttled by django-axes), then a TOTP token."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class TokenForm(forms.Form):
    token = forms.CharField(
        label=_("Code from your authenticator app"),
        min_length=6,
        max_length=6,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "pattern": "[0-9]{6}",
                "class": "utrecht-textbox utrecht-textbox--html-input",
            }
        ),
    )

    def clean_token(self) -> str:
        token: str = self.cleaned_data["token"].strip()
        if not token.isdigit():
            raise forms.ValidationError(_("Enter the six digits shown in your app."))
        return token


class BackupCodeForm(forms.Form):
    """One of the ten backup codes, instead of the authenticator's code."""

    code = forms.CharField(
        label=_("Backup code"),
        max_length=20,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "off",
                "autocapitalize": "none",
                "spellcheck": "false",
                "class": "utrecht-textbox utrecht-textbox--html-input",
            }
        ),
    )


class RevocationForm(forms.Form):
    """Why an account manager revokes someone's second factor (kept in the audit record)."""

    reason = forms.CharField(
        label=_("Reason (how the user's identity was checked, what was lost)"),
        min_length=10,
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

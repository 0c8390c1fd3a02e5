"""Forms of the care pages. The BSN is checked with the elfproef here and never stored."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from kansrijk.web.accounts.models import Organisation, User, municipality_code_validator
from kansrijk.web.accounts.roles import Role
from kansrijk.web.care import emergency
from kansrijk.web.care.bsn import is_valid_bsn, normalise_bsn
from kansrijk.web.care.models import ConsentMethod, NoteKind
from kansrijk.web.care.models.records import EmergencyReason
from kansrijk.web.care.services import MemberInput
from kansrijk.web.care.vocabulary import DataCategory, category_choices

TEXT = {"class": "utrecht-textbox utrecht-textbox--html-input"}
DATE = {"class": "utrecht-textbox utrecht-textbox--html-input", "type": "date"}
#: A date input's value must be ISO (the browser shows it in the user's format); the Dutch
#: locale would render 23-11-2026, which a date input rejects as empty.
ISO_DATE = "%Y-%m-%d"


def date_input() -> forms.DateInput:
    """A date field's widget: the browser's date picker, fed an ISO value."""
    return forms.DateInput(DATE, format=ISO_DATE)


AREA = {"class": "utrecht-textarea utrecht-textarea--html-textarea", "rows": 4}
SELECT = {"class": "utrecht-select utrecht-select--html-select"}
BSN_HELP = _("Nine digits. Checked with the elfproef; only a keyed hash is kept, never the number.")


class AccessibleForm(forms.Form):
    """Widgets point at their help text and, after validation, at their error message."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if field.help_text:
                field.widget.attrs["aria-describedby"] = f"{self[name].auto_id}_help"

    def full_clean(self) -> None:
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                attrs = self.fields[name].widget.attrs
                attrs["aria-invalid"] = "true"
                described = f"{attrs.get('aria-describedby', '')} {self[name].auto_id}_error"
                attrs["aria-describedby"] = described.strip()


def _bsn_field(required: bool) -> forms.CharField:
    return forms.CharField(
        label=_("BSN"),
        required=required,
        max_length=11,
        help_text=BSN_HELP,
        widget=forms.TextInput(attrs={**TEXT, "inputmode": "numeric", "autocomplete": "off"}),
    )


def _clean_bsn(value: str) -> str:
    value = (value or "").strip()
    if value and not is_valid_bsn(value):
        raise forms.ValidationError(_("This is not a valid BSN (it fails the elfproef)."))
    return normalise_bsn(value) if value else ""


class RegisterForm(AccessibleForm):
    """A new family: the pregnant woman, optionally her partner, the family situation."""

    woman_given_name = forms.CharField(
        label=_("Given name"), max_length=100, widget=forms.TextInput(attrs=TEXT)
    )
    woman_family_name = forms.CharField(
        label=_("Family name"), max_length=100, widget=forms.TextInput(attrs=TEXT)
    )
    woman_date_of_birth = forms.DateField(label=_("Date of birth"), widget=date_input())
    woman_due_date = forms.DateField(
        label=_("Expected due date"), required=False, widget=date_input()
    )
    woman_bsn = _bsn_field(required=True)
    partner_given_name = forms.CharField(
        label=_("Given name"), max_length=100, required=False, widget=forms.TextInput(attrs=TEXT)
    )
    partner_family_name = forms.CharField(
        label=_("Family name"), max_length=100, required=False, widget=forms.TextInput(attrs=TEXT)
    )
    partner_date_of_birth = forms.DateField(
        label=_("Date of birth"), required=False, widget=date_input()
    )
    partner_bsn = _bsn_field(required=False)
    municipality_code = forms.CharField(
        label=_("Municipality of residence (CBS code)"),
        max_length=6,
        validators=[municipality_code_validator],
        widget=forms.TextInput(attrs={**TEXT, "autocomplete": "off"}),
    )
    family_situation = forms.CharField(
        label=_("Family situation"), required=False, widget=forms.Textarea(attrs=AREA)
    )

    def clean_woman_bsn(self) -> str:
        return _clean_bsn(self.cleaned_data.get("woman_bsn", ""))

    def clean_partner_bsn(self) -> str:
        return _clean_bsn(self.cleaned_data.get("partner_bsn", ""))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        partner = [data.get("partner_given_name"), data.get("partner_family_name")]
        if any(partner) and not all(partner):
            self.add_error("partner_family_name", _("Give the partner's given and family name."))
        if data.get("partner_bsn") and not all(partner):
            self.add_error("partner_given_name", _("Give the partner's name with the BSN."))
        if data.get("woman_bsn") and data.get("woman_bsn") == data.get("partner_bsn"):
            self.add_error("partner_bsn", _("The partner's BSN equals the woman's."))
        return data

    def members(self) -> list[MemberInput]:
        d = self.cleaned_data
        out = [
            MemberInput(
                role="pregnant",
                given_name=d["woman_given_name"],
                family_name=d["woman_family_name"],
                date_of_birth=d["woman_date_of_birth"],
                due_date=d.get("woman_due_date"),
                bsn=d["woman_bsn"],
            )
        ]
        if d.get("partner_given_name"):
            out.append(
                MemberInput(
                    role="partner",
                    given_name=d["partner_given_name"],
                    family_name=d["partner_family_name"],
                    date_of_birth=d.get("partner_date_of_birth"),
                    bsn=d.get("partner_bsn", ""),
                )
            )
        return out


class ChildForm(AccessibleForm):
    """The child after birth."""

    given_name = forms.CharField(
        label=_("Given name"), max_length=100, widget=forms.TextInput(attrs=TEXT)
    )
    family_name = forms.CharField(
        label=_("Family name"), max_length=100, widget=forms.TextInput(attrs=TEXT)
    )
    date_of_birth = forms.DateField(label=_("Date of birth"), widget=date_input())
    bsn = _bsn_field(required=False)

    def clean_bsn(self) -> str:
        return _clean_bsn(self.cleaned_data.get("bsn", ""))

    def member(self) -> MemberInput:
        d = self.cleaned_data
        return MemberInput(
            "child", d["given_name"], d["family_name"], d["date_of_birth"], None, d["bsn"]
        )


class SearchForm(AccessibleForm):
    q = forms.CharField(
        label=_("Name"), required=False, max_length=100, widget=forms.TextInput(attrs=TEXT)
    )
    born = forms.DateField(label=_("Date of birth"), required=False, widget=date_input())


class CategoriesField(forms.MultipleChoiceField):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(
            choices=category_choices,
            widget=forms.CheckboxSelectMultiple(attrs={"class": "utrecht-checkbox"}),
            **kwargs,
        )


class ConsentForm(AccessibleForm):
    recipient_organisation = forms.ModelChoiceField(
        label=_("Recipient organisation"),
        queryset=Organisation.objects.none(),
        required=False,
        widget=forms.Select(attrs=SELECT),
        help_text=_("Leave empty to give consent to a role in every organisation."),
    )
    recipient_role = forms.ChoiceField(
        label=_("Recipient role"),
        choices=[
            ("", _("Any role")),
            (Role.PROFESSIONAL.value, Role.PROFESSIONAL.label),
            (Role.COORDINATOR.value, Role.COORDINATOR.label),
        ],
        required=False,
        widget=forms.Select(attrs=SELECT),
    )
    categories = CategoriesField(label=_("Data categories"))
    purpose = forms.CharField(label=_("Purpose"), max_length=200, widget=forms.TextInput(TEXT))
    valid_from = forms.DateField(label=_("Valid from"), widget=date_input())
    valid_until = forms.DateField(label=_("Valid until"), required=False, widget=date_input())
    method = forms.ChoiceField(
        label=_("How the consent was given"),
        choices=ConsentMethod.choices,
        widget=forms.RadioSelect(attrs={"class": "utrecht-radio-button"}),
    )

    def __init__(self, *args: Any, organisations: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if organisations is not None:
            self.fields["recipient_organisation"].queryset = organisations  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("recipient_organisation") and not data.get("recipient_role"):
            self.add_error(
                "recipient_organisation", _("Name a recipient organisation, a role or both.")
            )
        start, end = data.get("valid_from"), data.get("valid_until")
        if isinstance(start, date) and isinstance(end, date) and end < start:
            self.add_error("valid_until", _("The end lies before the start."))
        return data


class HandOverForm(AccessibleForm):
    to = forms.ModelChoiceField(
        label=_("New contact person"), queryset=User.objects.none(), widget=forms.Select(SELECT)
    )
    note = forms.CharField(
        label=_("Hand-over note"), required=False, max_length=500, widget=forms.TextInput(TEXT)
    )

    def __init__(self, *args: Any, candidates: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if candidates is not None:
            self.fields["to"].queryset = candidates  # type: ignore[attr-defined]
        self.fields["to"].label_from_instance = (  # type: ignore[attr-defined]
            lambda u: f"{u.get_full_name() or u.username} ({u.organisation})"
        )


class CategoryForm(AccessibleForm):
    """A form about one client that files its content under one of the viewer's categories."""

    category = forms.ChoiceField(label=_("Data category"), widget=forms.Select(SELECT))

    def __init__(self, *args: Any, categories: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = [  # type: ignore[attr-defined]
            (value, label) for value, label in category_choices() if value in categories
        ]


class NoteForm(CategoryForm):
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=NoteKind.choices,
        initial=NoteKind.NOTE,
        required=False,
        widget=forms.Select(SELECT),
    )
    text = forms.CharField(label=_("Note"), widget=forms.Textarea(AREA))

    def clean_kind(self) -> str:
        return str(self.cleaned_data.get("kind") or NoteKind.NOTE)


class GoalForm(CategoryForm):
    text = forms.CharField(label=_("Goal"), widget=forms.Textarea({**AREA, "rows": 2}))
    target_date = forms.DateField(label=_("Target date"), required=False, widget=date_input())


class TaskForm(CategoryForm):
    title = forms.CharField(label=_("Task"), max_length=300, widget=forms.TextInput(TEXT))
    organisation = forms.ModelChoiceField(
        label=_("Responsible organisation"),
        queryset=Organisation.objects.none(),
        widget=forms.Select(SELECT),
    )
    due = forms.DateField(label=_("Due"), required=False, widget=date_input())

    def __init__(self, *args: Any, organisations: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if organisations is not None:
            self.fields["organisation"].queryset = organisations  # type: ignore[attr-defined]


class CareTeamForm(AccessibleForm):
    """An organisation joins the care team; without a valid consent of the family for it, the
    consent the family gives now is recorded in the same step (the consent fields)."""

    organisation = forms.ModelChoiceField(
        label=_("Organisation"), queryset=Organisation.objects.none(), widget=forms.Select(SELECT)
    )
    since = forms.DateField(label=_("Since"), widget=date_input())
    consent_categories = CategoriesField(
        label=_("Data categories the family consents to share with it"),
        required=False,
        help_text=_(
            "Needed when the family has no valid consent for this organisation yet; include"
            " identity. The organisation sees only these categories."
        ),
    )
    consent_purpose = forms.CharField(
        label=_("Purpose"), required=False, max_length=200, widget=forms.TextInput(TEXT)
    )
    consent_until = forms.DateField(
        label=_("Consent valid until"), required=False, widget=date_input()
    )
    consent_method = forms.ChoiceField(
        label=_("How the consent was given"),
        choices=ConsentMethod.choices,
        required=False,
        widget=forms.RadioSelect(attrs={"class": "utrecht-radio-button"}),
    )

    def __init__(self, *args: Any, organisations: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if organisations is not None:
            self.fields["organisation"].queryset = organisations  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("consent_categories"):
            return data
        if DataCategory.IDENTITY.value not in data["consent_categories"]:
            self.add_error(
                "consent_categories",
                _("Include identity: without it the organisation cannot open the record."),
            )
        if not str(data.get("consent_purpose") or "").strip():
            self.add_error("consent_purpose", _("Give the purpose of the consent."))
        if not data.get("consent_method"):
            self.add_error("consent_method", _("Say how the family gave the consent."))
        start, end = data.get("since"), data.get("consent_until")
        if isinstance(start, date) and isinstance(end, date) and end < start:
            self.add_error("consent_until", _("The end lies before the start."))
        return data


class EmergencyForm(AccessibleForm):
    """Break the glass: a BSN, a reason category with a free text of real length, a short
    duration (``care.emergency`` has the rules)."""

    bsn = _bsn_field(required=True)
    category = forms.ChoiceField(
        label=_("Reason category"),
        choices=[("", "---------"), *EmergencyReason.choices],
        widget=forms.Select(SELECT),
    )
    reason = forms.CharField(
        label=_("Reason"),
        max_length=2000,
        widget=forms.Textarea(AREA),
        help_text=_(
            "Why you need this client's data now, without consent: at least 30 characters, "
            "in your own words. It will be reviewed."
        ),
    )
    hours = forms.TypedChoiceField(
        label=_("Duration"),
        coerce=int,
        choices=[],
        widget=forms.Select(SELECT),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["hours"].choices = [  # type: ignore[attr-defined]
            (h, ngettext("%(hours)s hour", "%(hours)s hours", h) % {"hours": h})
            for h in emergency.hour_choices()
        ]
        self.fields["hours"].initial = emergency.default_hours()

    def clean_bsn(self) -> str:
        return _clean_bsn(self.cleaned_data.get("bsn", ""))

    def clean_reason(self) -> str:
        reason: str = self.cleaned_data.get("reason", "")
        problem = emergency.reason_problem(reason)
        if problem == "short":
            raise forms.ValidationError(
                gettext("Write at least %(count)s characters.")
                % {"count": emergency.MIN_REASON_LENGTH}
            )
        if problem:
            raise forms.ValidationError(
                gettext("Describe the situation in words: what is urgent and why you need it.")
            )
        return reason.strip()


class ReviewForm(AccessibleForm):
    note = forms.CharField(
        label=_("Review"), widget=forms.Textarea({**AREA, "rows": 2}), max_length=2000
    )

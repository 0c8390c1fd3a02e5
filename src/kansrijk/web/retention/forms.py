"""The retention hold form."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from kansrijk.web.care.forms import SELECT, AccessibleForm
from kansrijk.web.retention.models import HoldReason


class HoldForm(AccessibleForm):
    reason = forms.ChoiceField(
        label=_("Reason"),
        choices=HoldReason.choices,
        widget=forms.Select(SELECT),
        help_text=_(
            "While the hold is on, none of the family's records is deleted or anonymised, "
            "however old. Lift it when the matter is settled."
        ),
    )

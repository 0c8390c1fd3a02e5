"""Forms of the case conference pages (the rules are in ``care.conferences``)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any, ClassVar

from django import forms
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from kansrijk.coordination.identifying import DetailKind, detail_kinds, identifying_details
from kansrijk.web.accounts.models import Organisation, User, municipality_code_validator
from kansrijk.web.care.forms import AREA, SELECT, TEXT, AccessibleForm, date_input
from kansrijk.web.care.models import Client
from kansrijk.web.care.vocabulary import category_choices
from kansrijk.web.conferences.models import DecisionKind

DATETIME = {**TEXT, "type": "datetime-local"}
NO_NAMES = _(
    "Write it without names, addresses, dates of birth or other details that identify the "
    "family: every participant reads it, also when the case is discussed anonymously."
)


DETAIL_LABELS: dict[DetailKind, Promise] = {
    DetailKind.NAME: _("a name of the family"),
    DetailKind.DATE: _("a date of birth or due date of the family"),
    DetailKind.BSN: _("a BSN"),
    DetailKind.EMAIL: _("an e-mail address"),
    DetailKind.PHONE: _("a telephone number"),
    DetailKind.POSTCODE: _("a postcode"),
    DetailKind.ADDRESS: _("a street address"),
}


@dataclass(frozen=True)
class Family:
    """What a conference text is checked against besides the patterns every text is checked
    for: the names and dates of the families the writer may see (never of others, so the check
    cannot tell anyone who a family is)."""

    names: tuple[str, ...] = ()
    dates: tuple[date, ...] = ()


NO_FAMILY = Family()


def family_of(clients: Iterable[Client | None]) -> Family:
    """The names, dates of birth and due dates of the members of these families."""
    members = [m for c in clients if c is not None for m in c.members.all()]
    return Family(
        names=tuple(n for m in members for n in (m.given_name, m.family_name) if n),
        dates=tuple(d for m in members for d in (m.date_of_birth, m.due_date) if d),
    )


class ScreenedForm(AccessibleForm):
    """A form whose ``screened`` text fields must not identify a person
    (``kansrijk.coordination.identifying``); the error names the kinds of detail, never the
    detail itself."""

    screened: ClassVar[tuple[str, ...]] = ()

    def __init__(self, *args: Any, family: Family = NO_FAMILY, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.family = family

    def family_for(self, data: dict[str, Any]) -> Family:
        return self.family

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        family = self.family_for(data)
        for name in self.screened:
            found = identifying_details(data.get(name) or "", family.names, family.dates)
            if found:
                details = ", ".join(str(DETAIL_LABELS[kind]) for kind in detail_kinds(found))
                self.add_error(
                    name,
                    _(
                        "Remove what identifies a person (%(details)s): every participant "
                        "reads this, also when the case is discussed anonymously."
                    )
                    % {"details": details},
                )
        return data


class ConferenceForm(AccessibleForm):
    title = forms.CharField(label=_("Title"), max_length=200, widget=forms.TextInput(TEXT))
    starts_at = forms.DateTimeField(
        label=_("Date and time"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        widget=forms.DateTimeInput(DATETIME, format="%Y-%m-%dT%H:%M"),
    )
    location = forms.CharField(
        label=_("Location"), max_length=200, required=False, widget=forms.TextInput(TEXT)
    )
    municipality_code = forms.CharField(
        label=_("Municipality (CBS code)"),
        max_length=6,
        validators=[municipality_code_validator],
        widget=forms.TextInput({**TEXT, "autocomplete": "off"}),
        help_text=_("The municipality whose coalition holds the conference."),
    )


class ParticipantForm(AccessibleForm):
    user = forms.ModelChoiceField(
        label=_("Participant"), queryset=User.objects.none(), widget=forms.Select(SELECT)
    )

    def __init__(self, *args: Any, candidates: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if candidates is not None:
            self.fields["user"].queryset = candidates  # type: ignore[attr-defined]
        self.fields["user"].label_from_instance = (  # type: ignore[attr-defined]
            lambda u: f"{u.get_full_name() or u.username} ({u.organisation})"
        )


class AgendaItemForm(ScreenedForm):
    screened = ("summary", "question")

    client = forms.ModelChoiceField(
        label=_("Family"),
        queryset=Client.objects.none(),
        required=False,
        empty_label=_("No family from the caseload (anonymous case)"),
        widget=forms.Select(SELECT),
        help_text=_(
            "A family of your own organisation or care team. It is named only when every "
            "participant may see it; otherwise it is discussed anonymously."
        ),
    )
    anonymous = forms.BooleanField(
        label=_("Discuss anonymously even if every participant may see the family"),
        required=False,
        widget=forms.CheckboxInput({"class": "utrecht-checkbox utrecht-checkbox--html-input"}),
    )
    summary = forms.CharField(
        label=_("Case description"), widget=forms.Textarea(AREA), help_text=NO_NAMES
    )
    question = forms.CharField(
        label=_("Question to the conference"), required=False, widget=forms.Textarea(AREA)
    )

    def __init__(
        self,
        *args: Any,
        clients: Any = None,
        label: Callable[[Client], str] = str,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        if clients is not None:
            self.fields["client"].queryset = clients  # type: ignore[attr-defined]
        self.fields["client"].label_from_instance = label  # type: ignore[attr-defined]

    def family_for(self, data: dict[str, Any]) -> Family:
        """The family chosen: the presenter's own, so its names may be checked."""
        return family_of([data.get("client")])


class MinutesForm(ScreenedForm):
    screened = ("minutes",)
    minutes = forms.CharField(
        label=_("Minutes"), required=False, widget=forms.Textarea({**AREA, "rows": 6})
    )


class GeneralMinutesForm(ScreenedForm):
    screened = ("minutes",)
    minutes = forms.CharField(
        label=_("General minutes (no client data)"),
        required=False,
        widget=forms.Textarea({**AREA, "rows": 6}),
        help_text=_(
            "Agreements about the meeting itself; what concerns a case goes with its item."
        ),
    )


class DecisionForm(ScreenedForm):
    screened = ("text",)
    kind = forms.ChoiceField(label=_("Kind"), widget=forms.Select(SELECT))
    text = forms.CharField(label=_("Decision"), widget=forms.Textarea({**AREA, "rows": 3}))
    category = forms.ChoiceField(
        label=_("Data category"),
        initial="care_coordination",
        widget=forms.Select(SELECT),
        help_text=_("For a referral, task or goal: the data category it belongs to."),
    )
    responsible_organisation = forms.ModelChoiceField(
        label=_("Responsible organisation"),
        queryset=Organisation.objects.none(),
        required=False,
        widget=forms.Select(SELECT),
        help_text=_("A referral goes to this organisation; a task or goal is its responsibility."),
    )
    due = forms.DateField(label=_("Due"), required=False, widget=date_input())

    def __init__(
        self,
        *args: Any,
        kinds: Iterable[str] = (DecisionKind.ADVICE,),
        categories: Iterable[str] = ("care_coordination",),
        organisations: Any = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        allowed = set(kinds)
        self.fields["kind"].choices = [  # type: ignore[attr-defined]
            (value, label) for value, label in DecisionKind.choices if value in allowed
        ]
        shown = set(categories)
        self.fields["category"].choices = [  # type: ignore[attr-defined]
            (value, label) for value, label in category_choices() if value in shown
        ]
        if organisations is not None:
            self.fields["responsible_organisation"].queryset = organisations  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("kind") == DecisionKind.REFERRAL and not data.get("responsible_organisation"):
            self.add_error("responsible_organisation", _("A referral names the organisation."))
        return data

"""Forms of the care pages. The BSN is checked with the elfproef here and never stored."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from django import forms
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from kansrijk.coordination import routes as core_routes
from kansrijk.coordination.instruments import Answer, AnswerKind, Instrument
from kansrijk.coordination.partners import PartnerType
from kansrijk.coordination.routes import Route
from kansrijk.web.accounts.models import Organisation, User, municipality_code_validator
from kansrijk.web.accounts.roles import OrganisationType, Role
from kansrijk.web.care import emergency
from kansrijk.web.care.bsn import is_valid_bsn, normalise_bsn
from kansrijk.web.care.models import ConsentMethod, HoldReason, NoteKind
from kansrijk.web.care.models.records import EmergencyReason
from kansrijk.web.care.services import MemberInput
from kansrijk.web.care.vocabulary import DataCategory, category_choices, english
from kansrijk.web.care.workflow import find_step, step_choices, step_of

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


class ReferralForm(AccessibleForm):
    step = forms.ChoiceField(
        label=_("Client route and step"),
        choices=step_choices,
        widget=forms.Select(SELECT),
        help_text=_(
            "The route (klantroute) sets the kind of organisation, the data category the referral"
            " shares and the deadline for first contact."
        ),
    )
    to_organisation = forms.ModelChoiceField(
        label=_("Refer to"), queryset=Organisation.objects.none(), widget=forms.Select(SELECT)
    )
    reason = forms.CharField(label=_("Reason for referral"), widget=forms.Textarea(AREA))

    def __init__(
        self,
        *args: Any,
        organisations: Any = None,
        routes: tuple[Route, ...] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        if organisations is not None:
            self.fields["to_organisation"].queryset = organisations  # type: ignore[attr-defined]
        self.routes = routes
        if routes is not None:
            self.fields["step"].choices = step_choices(routes)  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        code, _sep, order = str(data.get("step", "")).partition(":")
        step = step_of(code, order) if self.routes is None else find_step(self.routes, code, order)
        data["route_code"], data["route_step"] = code, order
        organisation = data.get("to_organisation")
        if step is not None and organisation is not None and organisation.type != step.partner_type:
            self.add_error(
                "to_organisation",
                _("This step of the route goes to a %(kind)s.")
                % {"kind": OrganisationType(step.partner_type.value).label},
            )
        return data


class ReferralActionForm(AccessibleForm):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    reason = forms.CharField(
        label=_("Reason"), required=False, widget=forms.Textarea({**AREA, "rows": 2})
    )


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


class ReassignForm(AccessibleForm):
    """Hand a referral to a colleague on the same side, at the version shown."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    to = forms.ModelChoiceField(
        label=_("New owner"), queryset=User.objects.none(), widget=forms.Select(SELECT)
    )
    reason = forms.CharField(
        label=_("Hand-over note"), required=False, max_length=500, widget=forms.TextInput(TEXT)
    )

    def __init__(self, *args: Any, colleagues: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if colleagues is not None:
            self.fields["to"].queryset = colleagues  # type: ignore[attr-defined]
        self.fields["to"].label_from_instance = (  # type: ignore[attr-defined]
            lambda u: u.get_full_name() or u.username
        )


class RouteVariantForm(AccessibleForm):
    """A coalition's variant of a route: its titles; the steps come from `RouteStepForm`s."""

    title_nl = forms.CharField(
        label=_("Title (Dutch)"), max_length=200, widget=forms.TextInput(TEXT)
    )
    title_en = forms.CharField(
        label=_("Title (English)"), max_length=200, widget=forms.TextInput(TEXT)
    )


class RouteStepForm(AccessibleForm):
    """One step of a local route variant; leave the title empty to drop the step."""

    title_nl = forms.CharField(
        label=_("Step (Dutch)"), max_length=200, required=False, widget=forms.TextInput(TEXT)
    )
    title_en = forms.CharField(
        label=_("Step (English)"), max_length=200, required=False, widget=forms.TextInput(TEXT)
    )
    partner_type = forms.ChoiceField(
        label=_("Responsible partner type"), widget=forms.Select(SELECT)
    )
    response_days = forms.IntegerField(
        label=_("Response time (working days)"),
        min_value=1,
        max_value=60,
        required=False,  # an empty row (no title) is dropped; a kept step needs it (clean)
        widget=forms.NumberInput(TEXT),
    )
    shares = forms.ChoiceField(
        label=_("Data category shared"), choices=category_choices, widget=forms.Select(SELECT)
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("title_nl") and data.get("response_days") is None:
            self.add_error("response_days", _("A step needs its response time."))
        return data

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        en = english()
        self.fields["partner_type"].choices = [  # type: ignore[attr-defined]
            (p.value, p.label_en if en else p.label_nl)
            for p in PartnerType
            if p not in (PartnerType.NATIONAL, PartnerType.OTHER)
        ]


RouteStepFormSet = forms.formset_factory(RouteStepForm, extra=1, max_num=12)

#: The kinds of entry criterion are the keys of a criterion in ``routes.toml``.
FLAG, YOUNGER, STATUS_HOLDER, KRAAMZORG = core_routes.CRITERION_KEYS
#: The bounds (inclusive) of the number each counted kind takes.
CRITERION_BOUNDS = {
    YOUNGER: core_routes.MOTHER_YOUNGER_THAN_YEARS,
    KRAAMZORG: core_routes.KRAAMZORG_WEEKS,
}


class EntryCriterionForm(AccessibleForm):
    """One entry criterion of a local route variant (any one criterion suffices); leave the
    kind empty to drop it. ``flags`` are the (code, label) choices of screening flags."""

    kind = forms.ChoiceField(
        label=_("Criterion"),
        required=False,
        choices=[
            ("", "---"),
            (FLAG, _("The screening raised a flag")),
            (YOUNGER, _("The mother is younger than (years on the due date)")),
            (STATUS_HOLDER, _("The mother is a status holder")),
            (KRAAMZORG, _("Kraamzorg is not arranged by week of pregnancy")),
        ],
        widget=forms.Select(SELECT),
    )
    flag = forms.ChoiceField(label=_("Screening flag"), required=False, widget=forms.Select(SELECT))
    number = forms.IntegerField(
        label=_("Age in years or week of pregnancy"),
        required=False,
        widget=forms.NumberInput(TEXT),
    )

    def __init__(
        self, *args: Any, flags: list[tuple[str, str]] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        if flags is None:
            flags = [(f, f) for f in sorted(core_routes.screening_flags())]
        self.fields["flag"].choices = [("", "---"), *flags]  # type: ignore[attr-defined]
        (young_low, young_high), (week_low, week_high) = CRITERION_BOUNDS.values()
        self.fields["number"].help_text = gettext(
            "For a young mother: her age on the due date, %(young_low)s to %(young_high)s."
            " For kraamzorg: the week of pregnancy, %(week_low)s to %(week_high)s."
        ) % {
            "young_low": young_low,
            "young_high": young_high,
            "week_low": week_low,
            "week_high": week_high,
        }
        self.fields["number"].widget.attrs["aria-describedby"] = f"{self['number'].auto_id}_help"

    def clean(self) -> dict[str, Any]:
        """The criterion in its stored form as ``criterion`` (None when the row is empty)."""
        data = super().clean() or {}
        kind = data.get("kind") or ""
        criterion: core_routes.CriterionDict | None = None
        if kind == FLAG:
            if data.get("flag"):
                criterion = {FLAG: data["flag"]}
            elif "flag" not in self.errors:
                self.add_error("flag", gettext("Choose the screening flag."))
        elif kind == STATUS_HOLDER:
            criterion = {STATUS_HOLDER: True}
        elif kind in CRITERION_BOUNDS:
            low, high = CRITERION_BOUNDS[kind]
            number = data.get("number")
            if number is not None and low <= number <= high:
                criterion = {kind: number}
            elif "number" not in self.errors:
                self.add_error(
                    "number",
                    gettext("Enter a whole number from %(low)s to %(high)s.")
                    % {"low": low, "high": high},
                )
        data["criterion"] = criterion
        return data


def entry_criteria(
    formset: forms.BaseFormSet[EntryCriterionForm],
) -> list[core_routes.CriterionDict]:
    """The criteria of a validated entry formset in their stored form, empty rows left out."""
    return [
        f.cleaned_data["criterion"]
        for f in formset.forms
        if getattr(f, "cleaned_data", None) and f.cleaned_data.get("criterion")
    ]


if TYPE_CHECKING:
    _EntryFormSet = forms.BaseFormSet[EntryCriterionForm]
else:  # BaseFormSet is generic only in the type stubs
    _EntryFormSet = forms.BaseFormSet


class BaseEntryCriterionFormSet(_EntryFormSet):
    """The entry criteria of a local variant: at least one, none twice."""

    def clean(self) -> None:
        super().clean()
        if any(self.errors):
            return
        found = entry_criteria(self)
        if not found:
            raise forms.ValidationError(gettext("Keep at least one entry criterion."))
        if len({tuple(c.items()) for c in found}) != len(found):
            raise forms.ValidationError(gettext("Give each entry criterion only once."))


EntryCriterionFormSet = forms.formset_factory(
    EntryCriterionForm, formset=BaseEntryCriterionFormSet, extra=1, max_num=12
)


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


class ReviewForm(AccessibleForm):
    note = forms.CharField(
        label=_("Review"), widget=forms.Textarea({**AREA, "rows": 2}), max_length=2000
    )


# --- Signals ----------------------------------------------------------------------------------

YES, NO = "yes", "no"


class SignalForm(AccessibleForm):
    """The instrument's items as radio buttons, one field per item (named by its code)."""

    def __init__(self, *args: Any, instrument: Instrument, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instrument = instrument
        en = english()
        for item in instrument.items:
            choices: list[tuple[str, str]]
            if item.kind is AnswerKind.YES_NO:
                choices = [(YES, str(_("Yes"))), (NO, str(_("No")))]
            else:
                choices = [(o.code, o.text_en if en else o.text_nl) for o in item.options]
            self.fields[item.code] = forms.ChoiceField(
                label=item.text_en if en else item.text_nl,
                choices=choices,
                required=item.required,
                widget=forms.RadioSelect,
                error_messages={
                    "required": _("Answer this question."),
                    "invalid_choice": _("Choose one of the answers."),
                },
            )

    def domains(self) -> list[tuple[str, list[forms.BoundField]]]:
        """The bound fields grouped by domain, with the domain's title."""
        en = english()
        return [
            (d.title_en if en else d.title_nl, [self[i.code] for i in d.items])
            for d in self.instrument.domains
        ]

    def answers(self) -> dict[str, Answer | None]:
        """The cleaned answers in the core's types (bool, int, option code)."""
        out: dict[str, Answer | None] = {}
        for item in self.instrument.items:
            value = self.cleaned_data.get(item.code) or None
            if value is None:
                out[item.code] = None
            elif item.kind is AnswerKind.YES_NO:
                out[item.code] = value == YES
            elif item.kind is AnswerKind.SCALE:
                out[item.code] = int(value)
            else:
                out[item.code] = str(value)
        return out


class SignalReferralForm(AccessibleForm):
    """Refer along one step of a proposed route: the organisation (of the step's partner type)
    and the reason."""

    to_organisation = forms.ModelChoiceField(
        label=_("Refer to"), queryset=Organisation.objects.none(), widget=forms.Select(SELECT)
    )
    reason = forms.CharField(label=_("Reason for referral"), widget=forms.Textarea(AREA))

    def __init__(self, *args: Any, organisations: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if organisations is not None:
            self.fields["to_organisation"].queryset = organisations  # type: ignore[attr-defined]

"""The referrals context's forms: a referral and its actions, a reassignment, a coalition's
local route variant (steps and entry criteria) and a signal (screening)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from kansrijk.coordination import routes as core_routes
from kansrijk.coordination.instruments import Answer, AnswerKind, Instrument
from kansrijk.coordination.partners import PartnerType
from kansrijk.coordination.routes import Route
from kansrijk.web.accounts.models import Organisation, User
from kansrijk.web.accounts.roles import OrganisationType
from kansrijk.web.care.forms import AREA, SELECT, TEXT, AccessibleForm
from kansrijk.web.care.vocabulary import category_choices, english
from kansrijk.web.referrals.workflow import find_step, step_choices, step_of


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

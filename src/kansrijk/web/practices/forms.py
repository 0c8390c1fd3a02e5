"""Forms of the practice library (the rules are in ``practices.services``)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from kansrijk.coordination import routes
from kansrijk.coordination.identifying import identifying_details
from kansrijk.geo.classes import CLASSES
from kansrijk.indicators.catalogue import CATALOGUE
from kansrijk.report import labels
from kansrijk.web.accounts.models import Organisation, User
from kansrijk.web.care.forms import AREA, SELECT, TEXT, AccessibleForm
from kansrijk.web.coalitions.models import Coalition, Intervention
from kansrijk.web.practices import services
from kansrijk.web.practices.models import Phase, Theme

CHECKBOXES = {"class": "utrecht-checkbox utrecht-checkbox--html-input"}
#: The free texts a practice has, checked for identifying details.
TEXTS = ("title", "problem", "activity", "results")


def english() -> bool:
    return (get_language() or "nl").startswith("en")


def route_choices() -> list[tuple[str, str]]:
    """The shipped client routes (latest versions), by title in the active language."""
    en = english()
    return [(r.code, r.title_en if en else r.title_nl) for r in routes.latest(routes.BASE_ROUTES)]


def route_title(code: str) -> str:
    return dict(route_choices()).get(code, code)


def indicator_choices() -> list[tuple[str, str]]:
    """Every indicator of the local monitor's catalogue (its latest version), newest set
    first: "2024-06 Preconceptieconsult"."""
    en = english()
    latest: dict[str, str] = {}
    for d in sorted(CATALOGUE, key=lambda d: max(d.editions)):
        latest[d.id] = f"{d.id} {d.title_en if en else d.title_nl}"
    return sorted(latest.items(), key=lambda item: (-int(item[0][:4]), item[0]))


def size_choices() -> list[tuple[str, str]]:
    """The size classes of the local monitor's comparison groups, in the report's words."""
    lang: labels.Lang = "en" if english() else "nl"
    return [(str(c), labels.text(f"size_{c}", lang)) for c in CLASSES]


class PracticeForm(AccessibleForm):
    """A practice as its coalition's member describes it."""

    coalition = forms.ModelChoiceField(
        label=_("Coalition"), queryset=Coalition.objects.none(), widget=forms.Select(SELECT)
    )
    title = forms.CharField(label=_("Title"), max_length=200, widget=forms.TextInput(TEXT))
    problem = forms.CharField(
        label=_("Problem"),
        help_text=_("What the coalition wanted to change, and for whom."),
        widget=forms.Textarea(AREA),
    )
    activity = forms.CharField(
        label=_("Activity"),
        help_text=_("What was done, how and by whom."),
        widget=forms.Textarea(AREA),
    )
    results = forms.CharField(
        label=_("Results"),
        help_text=_("What came of it so far, and what you learnt."),
        required=False,
        widget=forms.Textarea(AREA),
    )
    phase = forms.ChoiceField(
        label=_("Phase of the first 1000 days"), choices=Phase.choices, widget=forms.Select(SELECT)
    )
    theme = forms.ChoiceField(label=_("Theme"), choices=Theme.choices, widget=forms.Select(SELECT))
    partners = forms.ModelMultipleChoiceField(
        label=_("Partners involved"),
        queryset=Organisation.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple(CHECKBOXES),
    )
    intervention = forms.ModelChoiceField(
        label=_("Intervention from the menu"),
        queryset=Intervention.objects.order_by("name"),
        required=False,
        widget=forms.Select(SELECT),
    )
    client_route = forms.ChoiceField(
        label=_("Client route"), required=False, widget=forms.Select(SELECT)
    )
    indicators = forms.MultipleChoiceField(
        label=_("Indicators of the local monitor it aims to move"),
        required=False,
        widget=forms.CheckboxSelectMultiple(CHECKBOXES),
    )
    contact_user = forms.ModelChoiceField(
        label=_("Contact (platform user)"),
        queryset=User.objects.none(),
        required=False,
        widget=forms.Select(SELECT),
    )
    contact_address = forms.EmailField(
        label=_("Contact address"),
        help_text=_("A role address (such as kansrijkestart@gemeente.nl), not a personal one."),
        required=False,
        widget=forms.EmailInput(TEXT),
    )

    def __init__(self, *args: Any, coalitions: QuerySet[Coalition], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["coalition"].queryset = coalitions  # type: ignore[attr-defined]
        self.fields["partners"].queryset = services.coalition_organisations(coalitions)  # type: ignore[attr-defined]
        self.fields["contact_user"].queryset = services.contact_candidates(coalitions)  # type: ignore[attr-defined]
        self.fields["client_route"].choices = [("", "---------"), *route_choices()]  # type: ignore[attr-defined]
        self.fields["indicators"].choices = indicator_choices()  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for name in TEXTS:
            if identifying_details(data.get(name) or ""):
                self.add_error(
                    name,
                    _(
                        "This text holds an identifying detail (an e-mail address, telephone "
                        "number, postcode, address or BSN). A practice holds no client data."
                    ),
                )
        if not data.get("contact_user") and not data.get("contact_address"):
            self.add_error(None, _("Give a contact person, a contact address or both."))
        coalition = data.get("coalition")
        partners = data.get("partners") or []
        if coalition is not None and partners:
            allowed = set(
                services.coalition_organisations(
                    Coalition.objects.filter(pk=coalition.pk)
                ).values_list("pk", flat=True)
            )
            if any(p.pk not in allowed for p in partners):
                self.add_error("partners", _("Choose partners of the coalition itself."))
        return data

    def fields_data(self) -> services.Fields:
        d = self.cleaned_data
        return services.Fields(
            coalition=d["coalition"],
            title=d["title"],
            problem=d["problem"],
            activity=d["activity"],
            results=d.get("results") or "",
            phase=d["phase"],
            theme=d["theme"],
            partners=list(d.get("partners") or []),
            intervention=d.get("intervention"),
            client_route=d.get("client_route") or "",
            indicators=list(d.get("indicators") or []),
            contact_user=d.get("contact_user"),
            contact_address=d.get("contact_address") or "",
        )


class FilterForm(forms.Form):
    """Search and filters of the library (GET; every field optional)."""

    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=200,
        widget=forms.TextInput({**TEXT, "type": "search"}),
    )
    phase = forms.ChoiceField(
        label=_("Phase"),
        required=False,
        choices=[("", _("All phases")), *Phase.choices],
        widget=forms.Select(SELECT),
    )
    theme = forms.ChoiceField(
        label=_("Theme"),
        required=False,
        choices=[("", _("All themes")), *Theme.choices],
        widget=forms.Select(SELECT),
    )
    size = forms.ChoiceField(
        label=_("Municipality size"), required=False, widget=forms.Select(SELECT)
    )
    intervention = forms.ModelChoiceField(
        label=_("Intervention"),
        required=False,
        queryset=Intervention.objects.order_by("name"),
        empty_label=_("All interventions"),
        widget=forms.Select(SELECT),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["size"].choices = [("", _("All sizes")), *size_choices()]  # type: ignore[attr-defined]

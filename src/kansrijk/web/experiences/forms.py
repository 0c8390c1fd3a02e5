"""Forms of the experiences pages (the rules are in ``experiences.services``)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from kansrijk.coordination.identifying import identifying_details
from kansrijk.web.accounts.models import Organisation, User
from kansrijk.web.care.forms import AREA, SELECT, TEXT, AccessibleForm, date_input
from kansrijk.web.coalitions.models import Coalition
from kansrijk.web.experiences.models import (
    Code,
    Respondent,
    SessionKind,
    SessionMode,
    SourceFormat,
    StakeholderType,
)

LABEL_MAX = 60
CHECKBOX = {"class": "utrecht-checkbox utrecht-checkbox--html-input"}


class RoundForm(AccessibleForm):
    name = forms.CharField(label=_("Name"), max_length=200, widget=forms.TextInput(attrs=TEXT))
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs=AREA)
    )
    retention_until = forms.DateField(
        label=_("Keep transcripts until"),
        help_text=_("After this day the transcripts and their coding are deleted."),
        widget=date_input(),
    )


class ResearcherForm(AccessibleForm):
    user = forms.ModelChoiceField(
        label=_("Researcher"), queryset=User.objects.none(), widget=forms.Select(attrs=SELECT)
    )

    def __init__(self, *args: Any, candidates: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = candidates  # type: ignore[attr-defined]


class GuideForm(AccessibleForm):
    """One text area per stakeholder type: one question a line."""

    note = forms.CharField(
        label=_("What changed"), max_length=300, required=False, widget=forms.TextInput(TEXT)
    )

    def __init__(self, *args: Any, initial_questions: dict[str, list[str]], **kwargs: Any):
        super().__init__(*args, **kwargs)
        for kind in StakeholderType:
            self.fields[f"q_{kind.value}"] = forms.CharField(
                label=_("Questions for: %(type)s") % {"type": kind.label},
                required=False,
                help_text=_("One question a line."),
                initial="\n".join(initial_questions.get(kind.value, [])),
                widget=forms.Textarea(attrs={**AREA, "rows": 6}),
            )
        for name, field in self.fields.items():  # AccessibleForm ran before these existed
            if field.help_text:
                field.widget.attrs["aria-describedby"] = f"{self[name].auto_id}_help"

    def questions(self) -> dict[str, list[str]]:
        return {
            kind.value: self.cleaned_data[f"q_{kind.value}"].splitlines()
            for kind in StakeholderType
        }


class SessionForm(AccessibleForm):
    label = forms.CharField(
        label=_("Label"),
        max_length=100,
        help_text=_("For example: Group session 1. No names of participants."),
        widget=forms.TextInput(attrs=TEXT),
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=SessionKind.choices, widget=forms.RadioSelect)
    held_on = forms.DateField(label=_("Date"), widget=date_input())
    mode = forms.ChoiceField(label=_("Mode"), choices=SessionMode.choices, widget=forms.RadioSelect)


class RespondentForm(AccessibleForm):
    stakeholder_type = forms.ChoiceField(
        label=_("Stakeholder type"),
        choices=StakeholderType.choices,
        widget=forms.Select(attrs=SELECT),
    )
    organisation = forms.ModelChoiceField(
        label=_("Organisation"),
        queryset=Organisation.objects.order_by("name"),
        required=False,
        widget=forms.Select(attrs=SELECT),
    )
    coalition = forms.ModelChoiceField(
        label=_("Coalition"),
        queryset=Coalition.objects.order_by("name"),
        required=False,
        widget=forms.Select(attrs=SELECT),
    )
    consent_recording = forms.BooleanField(
        label=_("Consents to the conversation being recorded"),
        required=False,
        widget=forms.CheckboxInput(
            attrs={"class": "utrecht-checkbox utrecht-checkbox--html-input"}
        ),
    )
    consent_anonymous_use = forms.BooleanField(
        label=_("Consents to anonymous use of what they say"),
        required=True,
        widget=forms.CheckboxInput(
            attrs={"class": "utrecht-checkbox utrecht-checkbox--html-input"}
        ),
    )
    consent_quoting = forms.BooleanField(
        label=_("Consents to being quoted (attributed by role only)"),
        required=False,
        widget=forms.CheckboxInput(
            attrs={"class": "utrecht-checkbox utrecht-checkbox--html-input"}
        ),
    )


class ImportForm(AccessibleForm):
    title = forms.CharField(
        label=_("Title"),
        max_length=200,
        help_text=_("No names of participants."),
        widget=forms.TextInput(attrs=TEXT),
    )
    source_format = forms.ChoiceField(
        label=_("Format"), choices=SourceFormat.choices, widget=forms.RadioSelect
    )
    file = forms.FileField(label=_("File"))
    names = forms.CharField(
        label=_("Names to look for"),
        required=False,
        help_text=_(
            "The participants' and other people's names you know occur in the text, one a "
            "line. Used only to find them; never stored."
        ),
        widget=forms.Textarea(attrs={**AREA, "autocomplete": "off"}),
    )


class ReviewForm(forms.Form):
    """The review: the raw text travels in the form (never stored on the server); one
    decision per proposal (``decision_N``, ``label_N``, ``text_N``) and added replacements
    (``added``: one ``text => label`` a line)."""

    title = forms.CharField(max_length=200, widget=forms.HiddenInput)
    source_format = forms.ChoiceField(choices=SourceFormat.choices, widget=forms.HiddenInput)
    #: A hidden text area rather than a hidden input: it keeps the line breaks as they are.
    raw = forms.CharField(widget=forms.Textarea(attrs={"hidden": True}), strip=False)
    #: The names typed at import and the WebVTT speakers, to look for again after an error.
    names = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"hidden": True}), strip=False
    )
    count = forms.IntegerField(min_value=0, max_value=2000, widget=forms.HiddenInput)
    added = forms.CharField(
        label=_("Missed replacements"),
        required=False,
        help_text=_(
            "One a line: the text as it appears, then =>, then its label. For example: "
            "Kwakman => [Naam]"
        ),
        widget=forms.Textarea(attrs={**AREA, "autocomplete": "off"}),
    )

    def replacements(self) -> dict[str, str]:
        """The accepted and edited proposals and the added ones: text -> label."""
        data = self.data
        out: dict[str, str] = {}
        for i in range(self.cleaned_data["count"]):
            text = data.get(f"text_{i}", "")
            decision = data.get(f"decision_{i}", "accept")
            label = data.get(f"label_{i}", "").strip()
            if not text or decision == "reject":
                continue
            if not label or len(label) > LABEL_MAX:
                raise forms.ValidationError(_("Every accepted replacement needs a label."))
            out[text] = label
        for line in self.cleaned_data["added"].splitlines():
            if not line.strip():
                continue
            text, arrow, label = line.partition("=>")
            text, label = text.strip(), label.strip()
            if not arrow or not text or not label or len(label) > LABEL_MAX:
                raise forms.ValidationError(_("Write each missed replacement as: text => label."))
            out[text] = label
        return out


class CodeForm(AccessibleForm):
    name = forms.CharField(label=_("Name"), max_length=120, widget=forms.TextInput(attrs=TEXT))
    parent = forms.ModelChoiceField(
        label=_("Theme"),
        queryset=Code.objects.none(),
        required=False,
        help_text=_("Empty for a new theme; a theme for a sub-code."),
        widget=forms.Select(attrs=SELECT),
    )
    definition = forms.CharField(label=_("Definition"), widget=forms.Textarea(attrs=AREA))
    example = forms.CharField(label=_("Example"), required=False, widget=forms.Textarea(attrs=AREA))

    def __init__(self, *args: Any, themes: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = themes  # type: ignore[attr-defined]


class FragmentForm(forms.Form):
    quote = forms.CharField(
        label=_("Text of the fragment"),
        help_text=_("Copy it exactly from the transcript."),
        widget=forms.Textarea(attrs=AREA),
    )
    occurrence = forms.IntegerField(
        label=_("Occurrence"),
        min_value=1,
        initial=1,
        help_text=_("Which occurrence of this text, when it appears more than once."),
        widget=forms.NumberInput(attrs=TEXT),
    )
    respondent = forms.ModelChoiceField(
        label=_("Speaker"),
        queryset=Respondent.objects.none(),
        required=False,
        widget=forms.Select(attrs=SELECT),
    )

    def __init__(self, *args: Any, respondents: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["respondent"].queryset = respondents  # type: ignore[attr-defined]


class MemoForm(forms.Form):
    text = forms.CharField(
        label=_("Memo"),
        help_text=_("No names, addresses or other details that identify a participant."),
        widget=forms.Textarea(attrs=AREA),
    )

    def clean_text(self) -> str:
        text: str = self.cleaned_data["text"]
        if identifying_details(text):
            raise forms.ValidationError(
                _(
                    "The memo holds an identifying detail (an e-mail address, telephone number, "
                    "postcode, address or BSN). Leave it out."
                )
            )
        return text


class QuoteForm(AccessibleForm):
    """A quote proposed from a fragment: an excerpt of its words and one of its consensus
    codes (the rules are checked in ``services.propose_quote``)."""

    code = forms.ModelChoiceField(
        label=_("Theme or code"), queryset=Code.objects.none(), widget=forms.Select(attrs=SELECT)
    )
    text = forms.CharField(
        label=_("Quote"),
        help_text=_(
            "Leave words out with an ellipsis (…); do not change or add any. The quote is "
            "attributed by role only."
        ),
        widget=forms.Textarea(attrs=AREA),
    )

    def __init__(self, *args: Any, codes: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["code"].queryset = codes  # type: ignore[attr-defined]


class QdpxImportForm(AccessibleForm):
    """A REFI-QDA project (.qdpx) imported into a new round."""

    name = forms.CharField(label=_("Name"), max_length=200, widget=forms.TextInput(attrs=TEXT))
    retention_until = forms.DateField(
        label=_("Keep transcripts until"),
        help_text=_("After this day the transcripts and their coding are deleted."),
        widget=date_input(),
    )
    file = forms.FileField(label=_("REFI-QDA project (.qdpx)"))
    pseudonymised = forms.BooleanField(
        label=_("The texts in this project are pseudonymised"),
        help_text=_(
            "The texts are stored as they are (replacing words would move the coded "
            "selections). Import only projects whose texts hold no names or other "
            "identifying details."
        ),
        widget=forms.CheckboxInput(attrs=CHECKBOX),
    )

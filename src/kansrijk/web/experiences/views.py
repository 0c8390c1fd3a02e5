"""The experiences pages: study rounds, the interview guide, sessions, participants and their
consent, the transcript import with its pseudonymisation review, coding, agreement, the
consensus and memos.

The role policy (``web/policy.py``: ``experiences.research``) admits researchers only; a round
exists only for its own researchers (404 for everyone else, ``services.round_for``), and every
object in a URL is looked up inside that round. Every page that shows a transcript's text logs
the read in the audit log. The raw text of an upload is kept in memory only
(``_memory_uploads``) and never stored.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, cast

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.files.uploadhandler import MemoryFileUploadHandler
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kansrijk.web.accounts.models import User
from kansrijk.web.experiences import exchange, qdpx, services
from kansrijk.web.experiences.forms import (
    CodeForm,
    FragmentForm,
    GuideForm,
    ImportForm,
    MemoForm,
    QdpxImportForm,
    QuoteForm,
    ResearcherForm,
    RespondentForm,
    ReviewForm,
    RoundForm,
    SessionForm,
)
from kansrijk.web.experiences.models import (
    ROLE_LABELS,
    Code,
    Coding,
    ConsensusCoding,
    Fragment,
    Quote,
    Session,
    StakeholderType,
    StudyRound,
    Transcript,
)
from kansrijk.web.experiences.pseudonymise import LABELS
from kansrijk.web.experiences.transcripts import TranscriptFormatError, read

GET_POST = require_http_methods(["GET", "POST"])


def _user(request: HttpRequest) -> User:
    return cast(User, request.user)


def _round(request: HttpRequest, round_pk: int) -> StudyRound:
    return services.round_for(_user(request), round_pk)


def _session(round_: StudyRound, session_pk: int) -> Session:
    found = round_.sessions.filter(pk=session_pk).first()
    if found is None:
        raise Http404
    return found


def _transcript(round_: StudyRound, transcript_pk: int) -> Transcript:
    found = (
        Transcript.objects.select_related("session")
        .filter(session__round=round_, pk=transcript_pk)
        .first()
    )
    if found is None:
        raise Http404
    return found


def _form_page(
    request: HttpRequest,
    round_: StudyRound | None,
    form: Any,
    title: str,
    submit: str,
    **extra: Any,
) -> HttpResponse:
    context = {"round": round_, "form": form, "title": title, "submit": submit, **extra}
    return render(request, "experiences/form.html", context)


# --- Rounds ---------------------------------------------------------------------------------


@require_GET
def rounds(request: HttpRequest) -> HttpResponse:
    """The rounds the user is a researcher of."""
    mine = services.rounds_of(_user(request)).prefetch_related("researchers")
    return render(request, "experiences/rounds.html", {"rounds": mine})


@GET_POST
def round_new(request: HttpRequest) -> HttpResponse:
    form = RoundForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        round_ = services.create_round(
            _user(request),
            form.cleaned_data["name"],
            form.cleaned_data["retention_until"],
            form.cleaned_data["description"],
        )
        messages.success(request, _("The study round was created with the default codebook."))
        return redirect("experiences:round", round_pk=round_.pk)
    return _form_page(request, None, form, _("New study round"), _("Create"))


@require_GET
def round_detail(request: HttpRequest, round_pk: int) -> HttpResponse:
    """The round: researchers, guide, sessions with participants and transcripts, codebook,
    agreement and memos (no transcript text: that is on the transcript page)."""
    round_ = _round(request, round_pk)
    guide = services.latest_guide(round_)
    questions: dict[str, list[str]] = {}
    if guide is not None:
        for q in guide.questions.all():
            questions.setdefault(q.stakeholder_type, []).append(q.text)
    context = {
        "round": round_,
        "researchers": round_.researchers.order_by("username"),
        "researcher_form": ResearcherForm(candidates=services.candidate_researchers(round_)),
        "guide": guide,
        "guide_questions": [
            (StakeholderType(kind).label, texts) for kind, texts in questions.items()
        ],
        "guides": round_.guides.all(),
        "sessions": services.sessions_of(round_),
        "codes": services.codes_of(round_),
        "codebook": round_.codebook,
        "agreement": services.agreement(round_),
        "memos": round_.memos.filter(transcript__isnull=True).select_related("author", "code"),
        "memo_form": MemoForm(),
    }
    return render(request, "experiences/round.html", context)


@require_POST
def researcher_add(request: HttpRequest, round_pk: int) -> HttpResponse:
    round_ = _round(request, round_pk)
    form = ResearcherForm(request.POST, candidates=services.candidate_researchers(round_))
    if form.is_valid():
        services.add_researcher(round_, form.cleaned_data["user"], _user(request))
        messages.success(request, _("The researcher was added to the round."))
    else:
        messages.error(request, _("Choose a researcher."))
    return redirect("experiences:round", round_pk=round_.pk)


@GET_POST
def guide_new(request: HttpRequest, round_pk: int) -> HttpResponse:
    """A new version of the interview guide, starting from the latest."""
    round_ = _round(request, round_pk)
    latest = services.latest_guide(round_)
    initial: dict[str, list[str]] = {}
    if latest is not None:
        for q in latest.questions.all():
            initial.setdefault(q.stakeholder_type, []).append(q.text)
    form = GuideForm(request.POST or None, initial_questions=initial)
    if request.method == "POST" and form.is_valid():
        guide = services.new_guide_version(
            round_, _user(request), form.questions(), form.cleaned_data["note"]
        )
        messages.success(
            request,
            _("Version %(version)s of the interview guide was saved.") % {"version": guide.version},
        )
        return redirect("experiences:round", round_pk=round_.pk)
    return _form_page(request, round_, form, _("New version of the interview guide"), _("Save"))


@GET_POST
def session_new(request: HttpRequest, round_pk: int) -> HttpResponse:
    round_ = _round(request, round_pk)
    form = SessionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        Session.objects.create(
            round=round_, guide=services.latest_guide(round_), **form.cleaned_data
        )
        messages.success(request, _("The session was added."))
        return redirect("experiences:round", round_pk=round_.pk)
    return _form_page(request, round_, form, _("New session"), _("Add"))


@GET_POST
def respondent_new(request: HttpRequest, round_pk: int, session_pk: int) -> HttpResponse:
    """A participant of a session with their consent (no name: a code is given)."""
    round_ = _round(request, round_pk)
    session = _session(round_, session_pk)
    form = RespondentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        respondent = services.add_respondent(
            session,
            _user(request),
            stakeholder_type=data["stakeholder_type"],
            organisation=data["organisation"],
            coalition=data["coalition"],
            recording=data["consent_recording"],
            anonymous_use=data["consent_anonymous_use"],
            quoting=data["consent_quoting"],
        )
        messages.success(
            request,
            _("Participant %(code)s was added with their consent.") % {"code": respondent.code},
        )
        return redirect("experiences:round", round_pk=round_.pk)
    intro = _(
        "Record the consent the participant gave on the signed form. Their name stays on "
        "that form: the platform knows them by a code and their role."
    )
    return _form_page(
        request,
        round_,
        form,
        _("New participant of %(session)s") % {"session": session.label},
        _("Add"),
        intro=intro,
    )


@GET_POST
def respondent_withdraw(request: HttpRequest, round_pk: int, respondent_pk: int) -> HttpResponse:
    """Withdraw a participant's consent: GET says what will be removed, POST removes it."""
    round_ = _round(request, round_pk)
    respondent = round_.respondents.select_related("session").filter(pk=respondent_pk).first()
    if respondent is None:
        raise Http404
    if request.method == "POST":
        if respondent.withdrawn:
            messages.error(request, _("This participant's consent was withdrawn already."))
        else:
            result = services.withdraw(respondent, _user(request))
            messages.success(
                request,
                _(
                    "Consent withdrawn. Removed: %(transcripts)s transcripts, %(turns)s turns "
                    "overwritten, %(fragments)s fragments with %(codings)s codings, "
                    "%(quotes)s quotes."
                )
                % {
                    "transcripts": result.transcripts_deleted,
                    "turns": result.turns_overwritten,
                    "fragments": result.fragments_deleted,
                    "codings": result.codings_deleted,
                    "quotes": result.quotes_deleted,
                },
            )
        return redirect("experiences:round", round_pk=round_.pk)
    return render(request, "experiences/withdraw.html", {"round": round_, "respondent": respondent})


# --- Import with review ---------------------------------------------------------------------


def _memory_uploads(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Keep uploaded files in memory only (never a temporary file on disk): the handlers are
    set before the body is read, so the CSRF check runs inside (``csrf_protect``)."""
    protected = csrf_protect(view)

    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        request.upload_handlers = [MemoryFileUploadHandler(request)]
        return protected(request, *args, **kwargs)

    wrapper.__name__ = view.__name__
    wrapper.__doc__ = view.__doc__
    return csrf_exempt(wrapper)


FORMAT_ERROR = {
    "text": _("The file is not a text file."),
    "docx": _("The file is not a Word document (.docx) that can be read."),
    "vtt": _("The file is not a WebVTT file (it must start with WEBVTT)."),
}


@_memory_uploads
@GET_POST
def transcript_import(request: HttpRequest, round_pk: int, session_pk: int) -> HttpResponse:
    """Upload a transcript; a valid upload answers with the review of the proposed
    replacements (nothing is stored yet)."""
    round_ = _round(request, round_pk)
    session = _session(round_, session_pk)
    form = ImportForm(request.POST or None, request.FILES or None)
    too_large = int(request.META.get("CONTENT_LENGTH") or 0) > services.MAX_UPLOAD
    if request.method == "POST" and too_large:
        form.add_error(None, _("The file is too large (at most 2 MB)."))
    elif request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            parsed = read(data["source_format"], data["file"].read())
            names = [*data["names"].splitlines(), *parsed.speakers]
            proposals = services.prepare(parsed.text, names)
        except TranscriptFormatError:
            form.add_error("file", FORMAT_ERROR[data["source_format"]])
        except services.ExperiencesError:
            form.add_error("file", _("The text is too long."))
        else:
            review = ReviewForm(
                initial={
                    "title": data["title"],
                    "source_format": data["source_format"],
                    "raw": parsed.text,
                    "names": "\n".join(names),
                    "count": len(proposals),
                }
            )
            return _review(request, round_, session, review, proposals, parsed.text)
    return _form_page(
        request,
        round_,
        form,
        _("Import a transcript of %(session)s") % {"session": session.label},
        _("Find details to replace"),
        multipart=True,
        intro=_(
            "Names, places, organisations and other identifying details are looked for and "
            "proposed for replacement. You review every proposal before the text is stored; "
            "the original text is never stored."
        ),
    )


def _label_options(round_: StudyRound) -> list[str]:
    options = list(dict.fromkeys(LABELS.values()))
    options += [f"[{label}]" for label in ROLE_LABELS.values()]
    options += [r.speaker_label for r in round_.respondents.filter(withdrawn_at__isnull=True)]
    return options


def _review(
    request: HttpRequest,
    round_: StudyRound,
    session: Session,
    form: ReviewForm,
    proposals: list[Any],
    raw: str,
) -> HttpResponse:
    context = {
        "round": round_,
        "session": session,
        "form": form,
        "proposals": list(enumerate(proposals)),
        "label_options": _label_options(round_),
        "lines": raw.count("\n") + 1,
        "characters": len(raw),
    }
    return render(request, "experiences/review.html", context)


@require_POST
def transcript_store(request: HttpRequest, round_pk: int, session_pk: int) -> HttpResponse:
    """Store the reviewed text: the accepted replacements applied, nothing else kept."""
    round_ = _round(request, round_pk)
    session = _session(round_, session_pk)
    form = ReviewForm(request.POST)
    replacements: dict[str, str] | None = None
    if form.is_valid():
        try:
            replacements = form.replacements()
        except ValidationError as error:
            form.add_error(None, error)
    if replacements is None:
        raw = form.data.get("raw", "")[: services.MAX_TEXT]
        names = form.data.get("names", "").splitlines()
        proposals = services.prepare(raw, names) if raw else []
        return _review(request, round_, session, form, proposals, raw)
    transcript = services.store(
        session,
        _user(request),
        title=form.cleaned_data["title"],
        source_format=form.cleaned_data["source_format"],
        raw=form.cleaned_data["raw"],
        replacements=replacements,
    )
    messages.success(
        request,
        _("The pseudonymised transcript was stored (%(count)s replacements).")
        % {"count": transcript.replacements},
    )
    return redirect("experiences:transcript", round_pk=round_.pk, transcript_pk=transcript.pk)


# --- Transcript, fragments, coding ----------------------------------------------------------


def _respondents(round_: StudyRound) -> Any:
    return round_.respondents.filter(withdrawn_at__isnull=True)


@require_GET
def transcript_detail(request: HttpRequest, round_pk: int, transcript_pk: int) -> HttpResponse:
    """The pseudonymised text, its fragments with the codings the viewer may see, and the
    forms to mark fragments and code them. Reading it is logged."""
    round_ = _round(request, round_pk)
    transcript = _transcript(round_, transcript_pk)
    user = _user(request)
    codes = services.codes_of(round_)
    labels = {c.pk: services.code_label(c) for c in codes}
    visible = services.visible_codings(transcript, user)
    done = services.coders_done(transcript)
    coders = {u.pk: u for u in round_.researchers.all()}
    fragments = []
    for fragment in transcript.fragments.select_related("respondent"):
        by_coder = visible.get(fragment.pk, {})
        mine = by_coder.get(user.pk, set())
        others = [
            (coders[c].username if c in coders else str(c), sorted(labels[i] for i in ids))
            for c, ids in by_coder.items()
            if c != user.pk
        ]
        fragments.append(
            {
                "fragment": fragment,
                "text": transcript.text[fragment.start : fragment.end],
                "mine": mine,
                "others": others,
            }
        )
    services.log_transcript_read(user, transcript, "transcript page")
    context = {
        "round": round_,
        "transcript": transcript,
        "paragraphs": transcript.text.split("\n"),
        "fragments": fragments,
        "codes": [(c, labels[c.pk]) for c in codes],
        "done": user.pk in done,
        "done_count": len(done),
        "fragment_form": FragmentForm(respondents=_respondents(round_)),
        "memo_form": MemoForm(),
        "memos": transcript.memos.select_related("author"),
        "agreement": services.agreement(round_, [transcript]) if len(done) >= 2 else [],
    }
    return render(request, "experiences/transcript.html", context)


@require_POST
def fragment_new(request: HttpRequest, round_pk: int, transcript_pk: int) -> HttpResponse:
    round_ = _round(request, round_pk)
    transcript = _transcript(round_, transcript_pk)
    form = FragmentForm(request.POST, respondents=_respondents(round_))
    if form.is_valid():
        try:
            services.add_fragment(
                transcript,
                _user(request),
                form.cleaned_data["quote"],
                occurrence=form.cleaned_data["occurrence"],
                respondent=form.cleaned_data["respondent"],
            )
        except services.ExperiencesError:
            messages.error(request, _("That text does not appear in the transcript."))
        else:
            messages.success(request, _("The fragment was marked."))
    else:
        messages.error(request, _("Copy the text of the fragment from the transcript."))
    return redirect("experiences:transcript", round_pk=round_.pk, transcript_pk=transcript.pk)


@require_POST
def fragment_codes(
    request: HttpRequest, round_pk: int, transcript_pk: int, fragment_pk: int
) -> HttpResponse:
    """The viewer's own codes on one fragment."""
    round_ = _round(request, round_pk)
    transcript = _transcript(round_, transcript_pk)
    fragment = Fragment.objects.filter(transcript=transcript, pk=fragment_pk).first()
    if fragment is None:
        raise Http404
    wanted = [v for v in request.POST.getlist("codes") if v.isdigit()]
    codes = Code.objects.filter(codebook=round_.codebook, pk__in=wanted)
    try:
        services.set_codes(fragment, _user(request), codes)
    except services.ExperiencesError:
        messages.error(request, _("You finished coding this transcript; your codes are fixed."))
    else:
        messages.success(request, _("Your codes were saved."))
    return redirect("experiences:transcript", round_pk=round_.pk, transcript_pk=transcript.pk)


@require_POST
def coding_done(request: HttpRequest, round_pk: int, transcript_pk: int) -> HttpResponse:
    round_ = _round(request, round_pk)
    transcript = _transcript(round_, transcript_pk)
    services.mark_done(transcript, _user(request))
    messages.success(request, _("You finished coding this transcript."))
    return redirect("experiences:transcript", round_pk=round_.pk, transcript_pk=transcript.pk)


@GET_POST
def consensus(request: HttpRequest, round_pk: int, transcript_pk: int) -> HttpResponse:
    """Both coders' codes side by side and the final coding (after two finished)."""
    round_ = _round(request, round_pk)
    transcript = _transcript(round_, transcript_pk)
    user = _user(request)
    done = services.coders_done(transcript)
    if len(done) < 2:
        messages.error(request, _("Two researchers must finish coding first."))
        return redirect("experiences:transcript", round_pk=round_.pk, transcript_pk=transcript.pk)
    codes = services.codes_of(round_)
    by_pk = {c.pk: c for c in codes}
    fragments = list(transcript.fragments.select_related("respondent"))
    if request.method == "POST":
        chosen = {
            f.pk: [
                by_pk[int(v)]
                for v in request.POST.getlist(f"codes_{f.pk}")
                if v.isdigit() and int(v) in by_pk
            ]
            for f in fragments
        }
        services.record_consensus(transcript, user, chosen)
        messages.success(request, _("The consensus coding was saved."))
        return redirect("experiences:transcript", round_pk=round_.pk, transcript_pk=transcript.pk)
    pair = done[:2]
    coders = {u.pk: u.username for u in round_.researchers.all()}
    codings: dict[int, dict[int, set[int]]] = {}
    for fragment_id, coder_id, code_id in Coding.objects.filter(
        fragment__transcript=transcript, coder__in=pair
    ).values_list("fragment", "coder", "code"):
        codings.setdefault(fragment_id, {}).setdefault(coder_id, set()).add(code_id)
    final: dict[int, set[int]] = {}
    for fragment_id, code_id in ConsensusCoding.objects.filter(
        fragment__transcript=transcript
    ).values_list("fragment", "code"):
        final.setdefault(fragment_id, set()).add(code_id)
    rows = []
    for fragment in fragments:
        per = codings.get(fragment.pk, {})
        first, second = per.get(pair[0], set()), per.get(pair[1], set())
        # Before a consensus is recorded, the codes both applied are proposed.
        chosen_ids = final.get(fragment.pk, set()) if transcript.consensus_at else first & second
        rows.append(
            {
                "fragment": fragment,
                "text": transcript.text[fragment.start : fragment.end],
                "codes": [
                    (c, services.code_label(c), c.pk in first, c.pk in second, c.pk in chosen_ids)
                    for c in codes
                ],
            }
        )
    services.log_transcript_read(user, transcript, "consensus page")
    context = {
        "round": round_,
        "transcript": transcript,
        "rows": rows,
        "first": coders.get(pair[0], str(pair[0])),
        "second": coders.get(pair[1], str(pair[1])),
    }
    return render(request, "experiences/consensus.html", context)


# --- Codebook and memos ---------------------------------------------------------------------


@GET_POST
def code_new(request: HttpRequest, round_pk: int) -> HttpResponse:
    round_ = _round(request, round_pk)
    themes = round_.codebook.codes.filter(parent__isnull=True)
    form = CodeForm(request.POST or None, themes=themes)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_code(round_, _user(request), **form.cleaned_data)
        except services.ExperiencesError:
            form.add_error("name", _("The codebook has a code of this name already."))
        else:
            messages.success(request, _("The code was added; the codebook has a new version."))
            return redirect("experiences:round", round_pk=round_.pk)
    return _form_page(request, round_, form, _("New code"), _("Add"))


@require_POST
def memo_new(request: HttpRequest, round_pk: int) -> HttpResponse:
    round_ = _round(request, round_pk)
    form = MemoForm(request.POST)
    transcript_pk = request.POST.get("transcript", "")
    transcript = _transcript(round_, int(transcript_pk)) if transcript_pk.isdigit() else None
    if form.is_valid():
        services.add_memo(round_, _user(request), form.cleaned_data["text"], transcript=transcript)
        messages.success(request, _("The memo was saved."))
    else:
        for error in form.errors.get("text", []):
            messages.error(request, str(error))
    if transcript is not None:
        return redirect("experiences:transcript", round_pk=round_.pk, transcript_pk=transcript.pk)
    return redirect("experiences:round", round_pk=round_.pk)


# --- Quotes for publication -----------------------------------------------------------------

#: The service's reasons for refusing a quote, as the researcher reads them.
QUOTE_ERRORS = {
    "quote a fragment with this code in its consensus coding": _(
        "Quote a fragment after the consensus, with one of its consensus codes."
    ),
    "the quote is not an excerpt of the fragment": _(
        "The quote must be the fragment's own words: leave words out with an ellipsis (…), "
        "change or add none."
    ),
    "whose words these are is not known: set the speaker": _(
        "It is not known whose words these are: mark the fragment with its speaker, or "
        "label the speaker's turns."
    ),
    "the fragment holds the words of more than one participant": _(
        "The fragment holds the words of more than one participant: quote one."
    ),
    "the participant did not consent to being quoted": _(
        "The participant did not consent to being quoted (or withdrew their consent)."
    ),
    "the quote holds an identifying detail": _(
        "The quote holds a name, place, organisation or other identifying detail. Leave it "
        "out or replace it by a label such as [Plaats]."
    ),
    "a second researcher approves a quote": _(
        "A second researcher approves a quote: not the one who proposed it."
    ),
    "the quote was approved already": _("The quote was approved already."),
}


def _quote_error(error: services.ExperiencesError) -> str:
    return str(QUOTE_ERRORS.get(str(error), _("The quote cannot be used.")))


def _quote(round_: StudyRound, quote_pk: int) -> Quote:
    found = round_.quotes.select_related("fragment__transcript", "code").filter(pk=quote_pk).first()
    if found is None:
        raise Http404
    return found


@GET_POST
def quote_new(
    request: HttpRequest, round_pk: int, transcript_pk: int, fragment_pk: int
) -> HttpResponse:
    """Propose an excerpt of a fragment (after consensus) as a quote. The page shows the
    fragment's words: reading it is logged."""
    round_ = _round(request, round_pk)
    transcript = _transcript(round_, transcript_pk)
    fragment = (
        Fragment.objects.select_related("respondent", "transcript__session")
        .filter(transcript=transcript, pk=fragment_pk)
        .first()
    )
    if fragment is None:
        raise Http404
    user = _user(request)
    codes = Code.objects.filter(consensus__fragment=fragment).select_related("parent")
    text = transcript.text[fragment.start : fragment.end]
    form = QuoteForm(request.POST or None, initial={"text": text}, codes=codes)
    if request.method == "POST" and form.is_valid():
        try:
            services.propose_quote(
                fragment, user, form.cleaned_data["code"], form.cleaned_data["text"]
            )
        except services.ExperiencesError as error:
            form.add_error(None, _quote_error(error))
        else:
            messages.success(request, _("The quote was proposed; a second researcher approves it."))
            return redirect("experiences:quotes", round_pk=round_.pk)
    services.log_transcript_read(user, transcript, "quote page")
    speakers = services.quoted_respondents(fragment)
    return render(
        request,
        "experiences/quote_new.html",
        {
            "round": round_,
            "transcript": transcript,
            "fragment": fragment,
            "text": text,
            "speakers": speakers,
            "form": form,
        },
    )


@require_GET
def quotes(request: HttpRequest, round_pk: int) -> HttpResponse:
    """The round's quotes: proposed ones to approve, approved ones by theme and role."""
    round_ = _round(request, round_pk)
    found = round_.quotes.select_related(
        "code__parent", "proposed_by", "approved_by", "fragment__transcript"
    )
    context = {
        "round": round_,
        "proposed": [(q, services.code_label(q.code)) for q in found if q.approved_at is None],
        "published": services.published_quotes(round_),
    }
    return render(request, "experiences/quotes.html", context)


@require_POST
def quote_approve(request: HttpRequest, round_pk: int, quote_pk: int) -> HttpResponse:
    round_ = _round(request, round_pk)
    quote = _quote(round_, quote_pk)
    try:
        services.approve_quote(quote, _user(request))
    except services.ExperiencesError as error:
        messages.error(request, _quote_error(error))
    else:
        messages.success(request, _("The quote was approved for publication."))
    return redirect("experiences:quotes", round_pk=round_.pk)


@require_POST
def quote_remove(request: HttpRequest, round_pk: int, quote_pk: int) -> HttpResponse:
    round_ = _round(request, round_pk)
    services.remove_quote(_quote(round_, quote_pk), _user(request))
    messages.success(request, _("The quote was removed."))
    return redirect("experiences:quotes", round_pk=round_.pk)


# --- REFI-QDA export and import -------------------------------------------------------------


@require_GET
def qdpx_export(request: HttpRequest, round_pk: int) -> HttpResponse:
    """The round as a REFI-QDA project (.qdpx): every transcript in it is logged as read."""
    round_ = _round(request, round_pk)
    data = exchange.export_round(round_, _user(request))
    response = HttpResponse(data, content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="ronde-{round_.pk}.qdpx"'
    response["Cache-Control"] = "no-store"
    return response


@_memory_uploads
@GET_POST
def qdpx_import(request: HttpRequest) -> HttpResponse:
    """A REFI-QDA project (.qdpx) imported into a new round of which the importer is the
    researcher."""
    form = QdpxImportForm(request.POST or None, request.FILES or None)
    too_large = int(request.META.get("CONTENT_LENGTH") or 0) > exchange.MAX_QDPX
    if request.method == "POST" and too_large:
        form.add_error(None, _("The file is too large (at most 10 MB)."))
    elif request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            result = exchange.import_round(
                data["file"].read(),
                _user(request),
                name=data["name"],
                retention_until=data["retention_until"],
            )
        except qdpx.QdpxError:
            form.add_error(
                "file", _("The file is not a REFI-QDA project (.qdpx) that can be read.")
            )
        except services.ExperiencesError:
            form.add_error("file", _("A text in the project is too long."))
        else:
            messages.success(
                request,
                _(
                    "The project was imported: %(transcripts)s transcripts, %(fragments)s "
                    "fragments, %(codings)s codings."
                )
                % {
                    "transcripts": result.transcripts,
                    "fragments": result.fragments,
                    "codings": result.codings,
                },
            )
            if result.unmatched_users:
                messages.warning(
                    request,
                    _(
                        "These users of the project are no researchers here; their codings "
                        "are yours: %(users)s."
                    )
                    % {"users": ", ".join(result.unmatched_users)},
                )
            flagged = [title for title, count in result.findings if count]
            if flagged:
                messages.warning(
                    request,
                    _(
                        "The check for identifying details finds names, places or other "
                        "details in: %(titles)s. Check these transcripts."
                    )
                    % {"titles": ", ".join(flagged)},
                )
            return redirect("experiences:round", round_pk=result.round.pk)
    return _form_page(
        request,
        None,
        form,
        _("Import a REFI-QDA project (.qdpx)"),
        _("Import"),
        multipart=True,
        intro=_(
            "The project's codebook, texts, coded selections, codings and notes become a new "
            "study round of which you are the researcher. Projects from ATLAS.ti, MAXQDA, "
            "NVivo and QualCoder are read when they follow the REFI-QDA standard."
        ),
    )

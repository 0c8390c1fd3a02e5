"""Experiences and learning: the qualitative half of the monitor (issue 19).

A ``StudyRound`` ("Monitor 2021") has researchers (the only users who see anything of it), a
versioned interview guide (``Guide`` with ``GuideQuestion``s per stakeholder type), sessions
(group or individual, online or in person), participants (``Respondent``: a code, a stakeholder
type, an organisation and/or a coalition; no names) with their recorded consent, and
pseudonymised ``Transcript``s. The raw text of a transcript is never stored: it exists only
between the upload and the researcher's review (``services.import_transcript``).

Coding: the round's ``Codebook`` (themes and sub-codes, ``Code``; a version number that moves
with every change, each code's changes kept by django-simple-history), ``Fragment``s (character
ranges of a transcript's stored text), each researcher's own ``Coding``s, who has finished
coding a transcript (``CodingDone``), the ``ConsensusCoding`` (the final coding) and ``Memo``s.

Reporting: a ``Quote`` for publication, an excerpt of a fragment after consensus, attributed by
role only, proposed by one researcher and approved by another (``services.propose_quote``).

What withdrawal of consent removes is stated in ``services.withdraw`` and docs/experiences.md.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from kansrijk.web.accounts.models import Organisation
from kansrijk.web.coalitions.models import Coalition


class StakeholderType(models.TextChoices):
    CARE_PROVIDER = "care_provider", _("Care provider")
    NATIONAL_ORGANISATION = "national_organisation", _("National organisation")
    PROJECT_LEADER = "project_leader", _("Coalition project leader")
    EXPERT_BY_EXPERIENCE = "expert_by_experience", _("Expert by experience")
    CLIENT = "client", _("Client")


#: How a participant is named in a pseudonymised text and in quotes: by role, in Dutch (the
#: texts are Dutch whatever the interface language), as RIVM's report attributes quotes.
ROLE_LABELS: dict[str, str] = {
    StakeholderType.CARE_PROVIDER: "Zorgverlener",
    StakeholderType.NATIONAL_ORGANISATION: "Landelijke organisatie",
    StakeholderType.PROJECT_LEADER: "Projectleider Lokale Coalitie",
    StakeholderType.EXPERT_BY_EXPERIENCE: "Ervaringsdeskundige",
    StakeholderType.CLIENT: "Cliënt",
}


class StudyRound(models.Model):
    """One round of the experiences study, e.g. "Monitor 2021"."""

    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    retention_until = models.DateField(
        _("keep transcripts until"),
        help_text=_("After this day the transcripts and their coding are deleted."),
    )
    researchers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("researchers"), related_name="study_rounds"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("study round")
        verbose_name_plural = _("study rounds")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.name


class Guide(models.Model):
    """One version of a round's interview guide. A version is never changed: a change is a
    new version, and a session names the version it used."""

    round = models.ForeignKey(
        StudyRound, verbose_name=_("study round"), on_delete=models.CASCADE, related_name="guides"
    )
    version = models.PositiveIntegerField(_("version"))
    note = models.CharField(_("what changed"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("interview guide")
        verbose_name_plural = _("interview guides")
        ordering = ["round", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["round", "version"], name="unique_guide_version")
        ]

    def __str__(self) -> str:
        return f"guide {self.version} of round {self.round_id}"


class GuideQuestion(models.Model):
    guide = models.ForeignKey(
        Guide, verbose_name=_("interview guide"), on_delete=models.CASCADE, related_name="questions"
    )
    stakeholder_type = models.CharField(
        _("stakeholder type"), max_length=24, choices=StakeholderType.choices
    )
    position = models.PositiveIntegerField(_("position"))
    text = models.TextField(_("question"))

    class Meta:
        verbose_name = _("guide question")
        verbose_name_plural = _("guide questions")
        ordering = ["guide", "stakeholder_type", "position"]

    def __str__(self) -> str:
        return f"question {self.position} ({self.stakeholder_type})"


class SessionKind(models.TextChoices):
    GROUP = "group", _("Group session")
    INDIVIDUAL = "individual", _("Individual interview")


class SessionMode(models.TextChoices):
    ONLINE = "online", _("Online")
    IN_PERSON = "in_person", _("In person")


class Session(models.Model):
    round = models.ForeignKey(
        StudyRound, verbose_name=_("study round"), on_delete=models.CASCADE, related_name="sessions"
    )
    label = models.CharField(_("label"), max_length=100)
    kind = models.CharField(_("kind"), max_length=10, choices=SessionKind.choices)
    held_on = models.DateField(_("date"))
    mode = models.CharField(_("mode"), max_length=10, choices=SessionMode.choices)
    guide = models.ForeignKey(
        Guide,
        verbose_name=_("interview guide used"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="sessions",
    )

    class Meta:
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        ordering = ["round", "held_on", "pk"]

    def __str__(self) -> str:
        return self.label


class Respondent(models.Model):
    """A participant of a session, known by a code and role only (their name stays on the
    signed consent form, outside the platform), with the consent they gave."""

    round = models.ForeignKey(
        StudyRound,
        verbose_name=_("study round"),
        on_delete=models.CASCADE,
        related_name="respondents",
    )
    session = models.ForeignKey(
        Session, verbose_name=_("session"), on_delete=models.CASCADE, related_name="respondents"
    )
    code = models.CharField(_("code"), max_length=10)
    stakeholder_type = models.CharField(
        _("stakeholder type"), max_length=24, choices=StakeholderType.choices
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    coalition = models.ForeignKey(
        Coalition,
        verbose_name=_("coalition"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    consent_recording = models.BooleanField(_("consents to recording"))
    consent_anonymous_use = models.BooleanField(_("consents to anonymous use"))
    consent_quoting = models.BooleanField(_("consents to being quoted"))
    consent_recorded_at = models.DateTimeField(_("consent recorded at"), default=timezone.now)
    consent_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("consent recorded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    withdrawn_at = models.DateTimeField(_("consent withdrawn at"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("withdrawal recorded by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        ordering = ["round", "code"]
        constraints = [
            models.UniqueConstraint(fields=["round", "code"], name="unique_respondent_code"),
            models.CheckConstraint(
                condition=Q(withdrawn_at__isnull=True, withdrawn_by__isnull=True)
                | Q(withdrawn_at__isnull=False, withdrawn_by__isnull=False),
                name="respondent_withdrawn_with_who",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} ({self.role_label})"

    @property
    def role_label(self) -> str:
        return ROLE_LABELS[self.stakeholder_type]

    @property
    def speaker_label(self) -> str:
        """How the participant's turns are labelled in a pseudonymised transcript."""
        return f"[{self.code} {self.role_label}]"

    @property
    def withdrawn(self) -> bool:
        return self.withdrawn_at is not None


class SourceFormat(models.TextChoices):
    TEXT = "text", _("Plain text")
    DOCX = "docx", _("Word document (.docx)")
    VTT = "vtt", _("WebVTT subtitles (.vtt)")


class Transcript(models.Model):
    """The pseudonymised text of a session (transcript or report). ``text`` is what the
    researcher reviewed and accepted; the raw text was never stored."""

    session = models.ForeignKey(
        Session, verbose_name=_("session"), on_delete=models.CASCADE, related_name="transcripts"
    )
    title = models.CharField(_("title"), max_length=200)
    source_format = models.CharField(_("imported from"), max_length=8, choices=SourceFormat.choices)
    text = models.TextField(_("pseudonymised text"))
    replacements = models.PositiveIntegerField(_("replacements made"), default=0)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("imported by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    imported_at = models.DateTimeField(_("imported at"), default=timezone.now)
    consensus_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("consensus recorded by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    consensus_at = models.DateTimeField(_("consensus recorded at"), null=True, blank=True)

    class Meta:
        verbose_name = _("transcript")
        verbose_name_plural = _("transcripts")
        ordering = ["session", "pk"]

    def __str__(self) -> str:
        return f"transcript {self.pk}"


class Codebook(models.Model):
    """A round's codebook. ``version`` moves with every change of a code (each code keeps its
    history), and a coding records the version it was made under."""

    round = models.OneToOneField(
        StudyRound, verbose_name=_("study round"), on_delete=models.CASCADE, related_name="codebook"
    )
    version = models.PositiveIntegerField(_("version"), default=1)

    class Meta:
        verbose_name = _("codebook")
        verbose_name_plural = _("codebooks")

    def __str__(self) -> str:
        return f"codebook {self.version} of round {self.round_id}"


class Code(models.Model):
    """A theme (no parent) or a sub-code of a theme."""

    codebook = models.ForeignKey(
        Codebook, verbose_name=_("codebook"), on_delete=models.CASCADE, related_name="codes"
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("theme"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="children",
    )
    name = models.CharField(_("name"), max_length=120)
    definition = models.TextField(_("definition"))
    example = models.TextField(_("example"), blank=True)
    position = models.PositiveIntegerField(_("position"), default=0)
    since_version = models.PositiveIntegerField(_("since codebook version"), default=1)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("code")
        verbose_name_plural = _("codes")
        ordering = ["codebook", "position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["codebook", "name"], name="unique_code_name"),
        ]

    def __str__(self) -> str:
        return self.name


class Fragment(models.Model):
    """A character range ``[start, end)`` of a transcript's stored text, optionally said by
    one participant (the speaker)."""

    transcript = models.ForeignKey(
        Transcript,
        verbose_name=_("transcript"),
        on_delete=models.CASCADE,
        related_name="fragments",
    )
    start = models.PositiveIntegerField(_("start"))
    end = models.PositiveIntegerField(_("end"))
    respondent = models.ForeignKey(
        Respondent,
        verbose_name=_("speaker"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="fragments",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("marked by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("marked at"), default=timezone.now)

    class Meta:
        verbose_name = _("fragment")
        verbose_name_plural = _("fragments")
        ordering = ["transcript", "start", "end", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(end__gt=F("start")), name="fragment_not_empty"),
            models.UniqueConstraint(
                fields=["transcript", "start", "end"], name="unique_fragment_range"
            ),
        ]

    def __str__(self) -> str:
        return f"fragment {self.start}-{self.end} of transcript {self.transcript_id}"

    @property
    def text(self) -> str:
        return self.transcript.text[self.start : self.end]


class Coding(models.Model):
    """One researcher's code on one fragment (independent: see ``services.visible_codings``)."""

    fragment = models.ForeignKey(
        Fragment, verbose_name=_("fragment"), on_delete=models.CASCADE, related_name="codings"
    )
    code = models.ForeignKey(
        Code, verbose_name=_("code"), on_delete=models.CASCADE, related_name="codings"
    )
    coder = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("coder"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    codebook_version = models.PositiveIntegerField(_("codebook version"))
    created_at = models.DateTimeField(_("coded at"), default=timezone.now)

    class Meta:
        verbose_name = _("coding")
        verbose_name_plural = _("codings")
        ordering = ["fragment", "code", "coder"]
        constraints = [
            models.UniqueConstraint(
                fields=["fragment", "code", "coder"], name="unique_coding_per_coder"
            )
        ]

    def __str__(self) -> str:
        return f"code {self.code_id} on fragment {self.fragment_id} by {self.coder_id}"


class CodingDone(models.Model):
    """A researcher has finished coding a transcript (their codings are then fixed)."""

    transcript = models.ForeignKey(
        Transcript,
        verbose_name=_("transcript"),
        on_delete=models.CASCADE,
        related_name="coding_done",
    )
    coder = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("coder"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    done_at = models.DateTimeField(_("done at"), default=timezone.now)

    class Meta:
        verbose_name = _("finished coding")
        verbose_name_plural = _("finished codings")
        ordering = ["transcript", "done_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["transcript", "coder"], name="unique_coding_done")
        ]

    def __str__(self) -> str:
        return f"transcript {self.transcript_id} coded by {self.coder_id}"


class ConsensusCoding(models.Model):
    """The final coding of a fragment, agreed by the researchers after both coded it."""

    fragment = models.ForeignKey(
        Fragment, verbose_name=_("fragment"), on_delete=models.CASCADE, related_name="consensus"
    )
    code = models.ForeignKey(
        Code, verbose_name=_("code"), on_delete=models.CASCADE, related_name="consensus"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    class Meta:
        verbose_name = _("consensus coding")
        verbose_name_plural = _("consensus codings")
        ordering = ["fragment", "code"]
        constraints = [
            models.UniqueConstraint(fields=["fragment", "code"], name="unique_consensus_code")
        ]

    def __str__(self) -> str:
        return f"consensus code {self.code_id} on fragment {self.fragment_id}"


class Memo(models.Model):
    """A researcher's analytic note on the round, a transcript or a code."""

    round = models.ForeignKey(
        StudyRound, verbose_name=_("study round"), on_delete=models.CASCADE, related_name="memos"
    )
    transcript = models.ForeignKey(
        Transcript,
        verbose_name=_("transcript"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="memos",
    )
    code = models.ForeignKey(
        Code,
        verbose_name=_("code"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="memos",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("author"), on_delete=models.PROTECT
    )
    text = models.TextField(_("memo"))
    created_at = models.DateTimeField(_("written at"), default=timezone.now)

    class Meta:
        verbose_name = _("memo")
        verbose_name_plural = _("memos")
        ordering = ["round", "-created_at", "-pk"]

    def __str__(self) -> str:
        return f"memo {self.pk}"


class Quote(models.Model):
    """An excerpt of a coded fragment proposed for publication, attributed by role only (the
    participant's stakeholder type), approved by a second researcher. The rules (consent to
    quoting, the identifying check, four eyes) are in ``services.propose_quote`` and
    ``services.approve_quote``; withdrawal of the participant's consent deletes it."""

    round = models.ForeignKey(
        StudyRound, verbose_name=_("study round"), on_delete=models.CASCADE, related_name="quotes"
    )
    fragment = models.ForeignKey(
        Fragment, verbose_name=_("fragment"), on_delete=models.CASCADE, related_name="quotes"
    )
    code = models.ForeignKey(
        Code, verbose_name=_("code"), on_delete=models.CASCADE, related_name="quotes"
    )
    respondent = models.ForeignKey(
        Respondent,
        verbose_name=_("participant quoted"),
        on_delete=models.CASCADE,
        related_name="quotes",
    )
    stakeholder_type = models.CharField(
        _("attributed to"), max_length=24, choices=StakeholderType.choices
    )
    text = models.TextField(_("quote"))
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("proposed by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    proposed_at = models.DateTimeField(_("proposed at"), default=timezone.now)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approved by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)

    class Meta:
        verbose_name = _("quote")
        verbose_name_plural = _("quotes")
        ordering = ["round", "proposed_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(approved_at__isnull=True, approved_by__isnull=True)
                | Q(approved_at__isnull=False, approved_by__isnull=False),
                name="quote_approved_with_who",
            ),
            # Four eyes: the researcher who proposed a quote cannot approve it.
            models.CheckConstraint(
                condition=Q(approved_by__isnull=True) | ~Q(approved_by=F("proposed_by")),
                name="quote_four_eyes",
            ),
        ]

    def __str__(self) -> str:
        return f"quote {self.pk}"

    @property
    def role_label(self) -> str:
        return ROLE_LABELS[self.stakeholder_type]

    @property
    def approved(self) -> bool:
        return self.approved_at is not None

"""The coalition registry: municipalities per year, Impuls, coalitions with their municipalities,
partners, agreements and plans of action, and the intervention menu with who offers what.

Every table is master data kept by programme staff in the admin; ``HistoricalRecords`` keeps who
changed what, when, before and after. Periods are never deleted: a coalition that loses a
municipality or a partner gets a ``valid_to``. ``valid_to`` is the last day a period holds
(inclusive); an intervention offer's ``end`` is the first day it is no longer offered, so an
offer is active on ``start <= day < end``.
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from kansrijk.web.accounts.models import Organisation, municipality_code_validator
from kansrijk.web.accounts.roles import OrganisationType
from kansrijk.web.periods import in_period, valid_on
from kansrijk.web.periods import period_constraint as _period

# --- Municipalities ---------------------------------------------------------------------------


class MunicipalityQuerySet(models.QuerySet["Municipality"]):
    def existing_on(self, day: date) -> MunicipalityQuerySet:
        """Municipalities in force on ``day``."""
        return self.filter(valid_on(day))

    def in_year(self, year: int) -> MunicipalityQuerySet:
        """Municipalities of a classification year: in force on 1 January."""
        return self.existing_on(date(year, 1, 1))


class Municipality(models.Model):
    """One CBS municipality code, in force from ``valid_from`` to ``valid_to`` (inclusive)."""

    code = models.CharField(
        _("code"), max_length=6, primary_key=True, validators=[municipality_code_validator]
    )
    name = models.CharField(_("name"), max_length=100)
    province_code = models.CharField(_("province code"), max_length=4)
    province_name = models.CharField(_("province"), max_length=50)
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    history = HistoricalRecords()

    objects = MunicipalityQuerySet.as_manager()

    class Meta:
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")
        ordering = ["name", "code"]
        constraints = [_period("municipality")]
        indexes = [models.Index(fields=["valid_from", "valid_to"]), models.Index(fields=["name"])]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"

    @classmethod
    def in_year(cls, year: int) -> MunicipalityQuerySet:
        """Municipalities in force on 1 January of ``year``."""
        return cls.objects.in_year(year)

    def exists_on(self, day: date) -> bool:
        return in_period(day, self.valid_from, self.valid_to)


class MergerShare(models.TextChoices):
    WHOLE = "whole", _("Whole municipality")
    PARTIAL = "partial", _("Part of the municipality")


class MunicipalityMerger(models.Model):
    """On ``effective_date`` all or part of ``old`` became part of ``new`` (CBS herindeling)."""

    effective_date = models.DateField(_("effective date"))
    old = models.ForeignKey(
        Municipality,
        verbose_name=_("old municipality"),
        on_delete=models.PROTECT,
        related_name="mergers_out",
    )
    new = models.ForeignKey(
        Municipality,
        verbose_name=_("new municipality"),
        on_delete=models.PROTECT,
        related_name="mergers_in",
    )
    share = models.CharField(_("share"), max_length=8, choices=MergerShare.choices)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("municipal merger")
        verbose_name_plural = _("municipal mergers")
        ordering = ["effective_date", "old", "new"]
        constraints = [
            models.UniqueConstraint(
                fields=["effective_date", "old", "new"], name="unique_municipality_merger"
            ),
            models.CheckConstraint(condition=~Q(old=F("new")), name="merger_old_is_not_new"),
        ]

    def __str__(self) -> str:
        return f"{self.effective_date}: {self.old_id} → {self.new_id} ({self.share})"


class Tranche(models.IntegerChoices):
    FIRST = 1, _("Tranche 1 (2019)")
    SECOND = 2, _("Tranche 2 (2019)")
    THIRD = 3, _("Tranche 3 (2020)")


class ImpulsApplication(models.Model):
    """A municipality's Impuls Kansrijke Start (grant to form a coalition), per tranche."""

    municipality = models.ForeignKey(
        Municipality,
        verbose_name=_("municipality"),
        on_delete=models.PROTECT,
        related_name="impuls_applications",
    )
    tranche = models.PositiveSmallIntegerField(_("tranche"), choices=Tranche.choices)
    granted_on = models.DateField(_("granted on"))
    note = models.TextField(_("note"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("Impuls application")
        verbose_name_plural = _("Impuls applications")
        ordering = ["granted_on", "municipality"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "tranche"], name="unique_impuls"),
            models.CheckConstraint(condition=Q(tranche__in=[1, 2, 3]), name="impuls_tranche"),
        ]
        indexes = [models.Index(fields=["granted_on"])]

    def __str__(self) -> str:
        return f"{self.municipality_id} tranche {self.tranche} ({self.granted_on})"


class CentreMunicipality(models.Model):
    """A centre municipality for shelter and protected housing (centrumgemeente), the base
    from which Nu Niet Zwanger is rolled out."""

    municipality = models.ForeignKey(
        Municipality,
        verbose_name=_("municipality"),
        on_delete=models.PROTECT,
        related_name="centre_periods",
    )
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("centre municipality")
        verbose_name_plural = _("centre municipalities")
        ordering = ["municipality", "valid_from"]
        constraints = [
            _period("centre_municipality"),
            models.UniqueConstraint(
                fields=["municipality", "valid_from"], name="unique_centre_municipality"
            ),
        ]

    def __str__(self) -> str:
        return str(self.municipality_id)


# --- Coalitions -------------------------------------------------------------------------------


class Scope(models.TextChoices):
    LOCAL = "local", _("Local")
    REGIONAL = "regional", _("Regional")


class CoalitionStatus(models.TextChoices):
    NONE = "none", _("No coalition")
    PREPARING = "preparing", _("In preparation or in talks")
    FORMED = "formed", _("Formed")


class Coalition(models.Model):
    """A local or regional coalition Kansrijke Start."""

    name = models.CharField(_("name"), max_length=200)
    scope = models.CharField(_("scope"), max_length=8, choices=Scope.choices, default=Scope.LOCAL)
    status = models.CharField(
        _("status"), max_length=10, choices=CoalitionStatus.choices, default=CoalitionStatus.NONE
    )
    preparing_since = models.DateField(_("in preparation since"), null=True, blank=True)
    formed_on = models.DateField(_("formed on"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    municipalities = models.ManyToManyField(
        Municipality,
        through="CoalitionMunicipality",
        related_name="coalitions",
        verbose_name=_("municipalities"),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("coalition")
        verbose_name_plural = _("coalitions")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(formed_on__isnull=True)
                | Q(preparing_since__isnull=True)
                | Q(formed_on__gte=F("preparing_since")),
                name="coalition_formed_after_preparing",
            ),
        ]
        indexes = [models.Index(fields=["status"])]

    def __str__(self) -> str:
        return self.name

    def status_on(self, day: date) -> str:
        """The status value on ``day``, from the dates where known (else from ``status``)."""
        if self.formed_on is not None and self.formed_on <= day:
            return CoalitionStatus.FORMED.value
        if self.formed_on is None and self.status == CoalitionStatus.FORMED:
            return CoalitionStatus.FORMED.value  # formed on an unknown date
        if self.preparing_since is not None:
            started = self.preparing_since <= day
            return (CoalitionStatus.PREPARING if started else CoalitionStatus.NONE).value
        if self.status != CoalitionStatus.NONE:
            return CoalitionStatus.PREPARING.value  # since an unknown date
        return CoalitionStatus.NONE.value


class CoalitionMunicipality(models.Model):
    """A municipality's membership of a coalition for a period."""

    coalition = models.ForeignKey(
        Coalition,
        verbose_name=_("coalition"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    municipality = models.ForeignKey(
        Municipality,
        verbose_name=_("municipality"),
        on_delete=models.PROTECT,
        related_name="coalition_memberships",
    )
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("coalition municipality")
        verbose_name_plural = _("coalition municipalities")
        ordering = ["coalition", "municipality__name", "valid_from"]
        constraints = [
            _period("coalition_municipality"),
            models.UniqueConstraint(
                fields=["coalition", "municipality", "valid_from"],
                name="unique_coalition_municipality",
            ),
        ]
        indexes = [models.Index(fields=["municipality", "valid_from"])]

    def __str__(self) -> str:
        return f"{self.municipality_id} in {self.coalition_id}"

    def active_on(self, day: date) -> bool:
        return in_period(day, self.valid_from, self.valid_to)


class PartnerDomain(models.TextChoices):
    MEDICAL = "medical", _("Medical domain")
    SOCIAL = "social", _("Social domain")
    COMMUNITY = "community", _("Community")
    MUNICIPAL_DEPARTMENT = "municipal_department", _("Municipal department")


class CoalitionPartner(models.Model):
    """An organisation taking part in a coalition, by domain, for a period."""

    coalition = models.ForeignKey(
        Coalition, verbose_name=_("coalition"), on_delete=models.CASCADE, related_name="partners"
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="coalition_partnerships",
    )
    domain = models.CharField(_("domain"), max_length=24, choices=PartnerDomain.choices)
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("coalition partner")
        verbose_name_plural = _("coalition partners")
        ordering = ["coalition", "domain", "organisation__name", "valid_from"]
        constraints = [
            _period("coalition_partner"),
            models.UniqueConstraint(
                fields=["coalition", "organisation", "valid_from"], name="unique_coalition_partner"
            ),
        ]
        indexes = [models.Index(fields=["coalition", "domain"])]

    def __str__(self) -> str:
        return f"{self.organisation} ({self.get_domain_display()})"

    def active_on(self, day: date) -> bool:
        return in_period(day, self.valid_from, self.valid_to)


class AgreementKind(models.TextChoices):
    SIGNALLING = "signalling", _("Signalling")
    REFERRAL = "referral", _("Referral")
    DATA_SHARING = "data_sharing", _("Data sharing")


class AgreementLevel(models.TextChoices):
    GOVERNANCE = "governance", _("Governance")
    POLICY = "policy", _("Policy")
    PRACTICE = "practice", _("Practice")


class Agreement(models.Model):
    """An agreement between coalition partners on signalling, referral or data sharing."""

    coalition = models.ForeignKey(
        Coalition, verbose_name=_("coalition"), on_delete=models.CASCADE, related_name="agreements"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=AgreementKind.choices)
    level = models.CharField(_("level"), max_length=12, choices=AgreementLevel.choices)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    agreed_on = models.DateField(_("agreed on"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    parties = models.ManyToManyField(
        Organisation, verbose_name=_("parties"), related_name="agreements", blank=True
    )
    history = HistoricalRecords(m2m_fields=[parties])

    class Meta:
        verbose_name = _("agreement")
        verbose_name_plural = _("agreements")
        ordering = ["coalition", "agreed_on", "title"]
        constraints = [_period("agreement", start="agreed_on")]

    def __str__(self) -> str:
        return self.title


class PlanStatus(models.TextChoices):
    NONE = "none", _("No plan")
    IN_DEVELOPMENT = "in_development", _("In development")
    FINISHED = "finished", _("Finished")


class TargetStart(models.TextChoices):
    PRECONCEPTION = "preconception", _("Before pregnancy")
    PREGNANCY = "pregnancy", _("Pregnancy")
    BIRTH = "birth", _("Birth")


class TargetEnd(models.TextChoices):
    BIRTH = "birth", _("Birth")
    ONE_YEAR = "1_year", _("1 year")
    TWO_YEARS = "2_years", _("2 years")
    FOUR_YEARS = "4_years", _("4 years")
    EIGHTEEN_YEARS = "18_years", _("18 years")


class PlanOfAction(models.Model):
    """A coalition's plan of action (plan van aanpak): its status and target ages."""

    coalition = models.OneToOneField(
        Coalition, verbose_name=_("coalition"), on_delete=models.CASCADE, related_name="plan"
    )
    status = models.CharField(
        _("status"), max_length=16, choices=PlanStatus.choices, default=PlanStatus.NONE
    )
    adopted_on = models.DateField(_("adopted on"), null=True, blank=True)
    target_age_from = models.CharField(
        _("target group from"),
        max_length=16,
        choices=TargetStart.choices,
        default=TargetStart.PRECONCEPTION,
    )
    target_age_to = models.CharField(
        _("target group to"), max_length=16, choices=TargetEnd.choices, default=TargetEnd.TWO_YEARS
    )
    document_url = models.URLField(_("document"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("plan of action")
        verbose_name_plural = _("plans of action")
        ordering = ["coalition"]

    def __str__(self) -> str:
        return f"{self.coalition}: {self.get_status_display()}"


class ItemKind(models.TextChoices):
    GOAL = "goal", _("Goal")
    AMBITION = "ambition", _("Ambition")
    ACTIVITY = "activity", _("Activity")


class Phase(models.TextChoices):
    BEFORE = "before", _("Before pregnancy")
    DURING = "during", _("During pregnancy")
    AFTER = "after", _("After birth")


class Intervention(models.Model):
    """An intervention of the programme's menu (menukaart Kansrijke Start)."""

    class Domain(models.TextChoices):
        MEDICAL = "medical", _("Medical")
        SOCIAL = "social", _("Social")
        BOTH = "both", _("Medical and social")

    code = models.SlugField(_("code"), max_length=50, unique=True)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    phase_before = models.BooleanField(_("before pregnancy"), default=False)
    phase_during = models.BooleanField(_("during pregnancy"), default=False)
    phase_after = models.BooleanField(_("after birth"), default=False)
    domain = models.CharField(_("domain"), max_length=8, choices=Domain.choices)
    provider_type = models.CharField(
        _("provider type"), max_length=32, choices=OrganisationType.choices, blank=True
    )
    url = models.URLField(_("website"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("intervention")
        verbose_name_plural = _("interventions")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(phase_before=True) | Q(phase_during=True) | Q(phase_after=True),
                name="intervention_has_phase",
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def phases(self) -> list[str]:
        flags = (self.phase_before, self.phase_during, self.phase_after)
        return [p for p, on in zip(Phase.values, flags, strict=True) if on]


class PlanItem(models.Model):
    """A goal, ambition or activity of a plan of action, optionally using an intervention."""

    plan = models.ForeignKey(
        PlanOfAction,
        verbose_name=_("plan of action"),
        on_delete=models.CASCADE,
        related_name="items",
    )
    kind = models.CharField(_("kind"), max_length=10, choices=ItemKind.choices)
    text = models.TextField(_("text"))
    phase = models.CharField(_("phase"), max_length=8, choices=Phase.choices, blank=True)
    intervention = models.ForeignKey(
        Intervention,
        verbose_name=_("intervention"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="plan_items",
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("plan item")
        verbose_name_plural = _("plan items")
        ordering = ["plan", "kind", "order", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.text[:60]}"


class OfferRole(models.TextChoices):
    OFFERED = "", _("Offered")
    CENTRE = "centre", _("Centre municipality")
    JOINED = "joined", _("Joined from the surrounding region")


class InterventionOffer(models.Model):
    """Who offers an intervention from when: a municipality, an organisation or both.

    ``end`` is the first day the offer no longer runs. ``role`` says, for Nu Niet Zwanger,
    whether the municipality runs it as a centre municipality or joined a centre's programme.
    """

    intervention = models.ForeignKey(
        Intervention,
        verbose_name=_("intervention"),
        on_delete=models.PROTECT,
        related_name="offers",
    )
    municipality = models.ForeignKey(
        Municipality,
        verbose_name=_("municipality"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="intervention_offers",
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="intervention_offers",
    )
    role = models.CharField(
        _("role"), max_length=8, choices=OfferRole.choices, blank=True, default=OfferRole.OFFERED
    )
    start = models.DateField(_("start"))
    end = models.DateField(
        _("end"), null=True, blank=True, help_text=_("The first day it is no longer offered.")
    )
    source = models.CharField(_("source"), max_length=200, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("intervention offer")
        verbose_name_plural = _("intervention offers")
        ordering = ["intervention", "municipality", "organisation", "start"]
        constraints = [
            models.CheckConstraint(
                condition=Q(municipality__isnull=False) | Q(organisation__isnull=False),
                name="offer_has_municipality_or_organisation",
            ),
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(end__gt=F("start")), name="offer_valid_period"
            ),
            models.CheckConstraint(
                condition=Q(role__in=["", "centre", "joined"]), name="offer_role"
            ),
        ]
        indexes = [
            models.Index(fields=["intervention", "role", "start"]),
            models.Index(fields=["municipality", "start"]),
        ]

    def __str__(self) -> str:
        who = self.municipality_id or str(self.organisation)
        return f"{self.intervention} · {who} ({self.start})"

    def active_on(self, day: date) -> bool:
        return self.start <= day and (self.end is None or day < self.end)

    def clean(self) -> None:
        if self.municipality_id is None and self.organisation_id is None:
            raise ValidationError(_("Give a municipality, an organisation or both."))


class CenteringTraining(models.Model):
    """A midwifery practice's training in CenteringZwangerschap (Stichting Centering)."""

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("midwifery practice"),
        on_delete=models.PROTECT,
        related_name="centering_trainings",
        limit_choices_to={"type": OrganisationType.MIDWIFERY},
    )
    trained_on = models.DateField(_("trained on"))
    midwives = models.PositiveSmallIntegerField(_("midwives trained"), default=1)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("Centering training")
        verbose_name_plural = _("Centering trainings")
        ordering = ["trained_on", "organisation"]
        constraints = [
            models.CheckConstraint(condition=Q(midwives__gte=1), name="centering_midwives")
        ]
        indexes = [models.Index(fields=["organisation", "trained_on"])]

    def __str__(self) -> str:
        return f"{self.organisation} ({self.trained_on})"

"""Admin for the coalition registry: programme staff keep the master data here, and every
change is kept with who, when, before and after (``SimpleHistoryAdmin``)."""

from __future__ import annotations

from django.contrib import admin

from kansrijk.web.accounts.history import HistoryAdmin
from kansrijk.web.coalitions.models import (
    Agreement,
    CenteringTraining,
    CentreMunicipality,
    Coalition,
    CoalitionMunicipality,
    CoalitionPartner,
    ImpulsApplication,
    Intervention,
    InterventionOffer,
    Municipality,
    MunicipalityMerger,
    PlanItem,
    PlanOfAction,
)


@admin.register(Municipality)
class MunicipalityAdmin(HistoryAdmin):
    list_display = ("code", "name", "province_name", "valid_from", "valid_to")
    list_filter = ("province_name",)
    search_fields = ("code", "name")


@admin.register(MunicipalityMerger)
class MunicipalityMergerAdmin(HistoryAdmin):
    list_display = ("effective_date", "old", "new", "share")
    list_filter = ("share", "effective_date")
    search_fields = ("old__code", "old__name", "new__code", "new__name")
    list_select_related = ("old", "new")
    autocomplete_fields = ("old", "new")


@admin.register(ImpulsApplication)
class ImpulsApplicationAdmin(HistoryAdmin):
    list_display = ("municipality", "tranche", "granted_on")
    list_filter = ("tranche",)
    search_fields = ("municipality__code", "municipality__name")
    list_select_related = ("municipality",)
    autocomplete_fields = ("municipality",)
    date_hierarchy = "granted_on"


@admin.register(CentreMunicipality)
class CentreMunicipalityAdmin(HistoryAdmin):
    list_display = ("municipality", "valid_from", "valid_to")
    search_fields = ("municipality__code", "municipality__name")
    list_select_related = ("municipality",)
    autocomplete_fields = ("municipality",)


class CoalitionMunicipalityInline(admin.TabularInline):  # type: ignore[type-arg]
    model = CoalitionMunicipality
    extra = 0
    autocomplete_fields = ("municipality",)


class CoalitionPartnerInline(admin.TabularInline):  # type: ignore[type-arg]
    model = CoalitionPartner
    extra = 0
    autocomplete_fields = ("organisation",)
    fields = ("organisation", "domain", "valid_from", "valid_to", "note")


class AgreementInline(admin.StackedInline):  # type: ignore[type-arg]
    model = Agreement
    extra = 0
    autocomplete_fields = ("parties",)


@admin.register(Coalition)
class CoalitionAdmin(HistoryAdmin):
    list_display = ("name", "scope", "status", "preparing_since", "formed_on")
    list_filter = ("status", "scope", "memberships__municipality__province_name")
    search_fields = ("name", "memberships__municipality__name", "memberships__municipality__code")
    inlines = (CoalitionMunicipalityInline, CoalitionPartnerInline, AgreementInline)


@admin.register(CoalitionMunicipality)
class CoalitionMunicipalityAdmin(HistoryAdmin):
    list_display = ("coalition", "municipality", "valid_from", "valid_to")
    search_fields = ("coalition__name", "municipality__name", "municipality__code")
    list_select_related = ("coalition", "municipality")
    autocomplete_fields = ("coalition", "municipality")


@admin.register(CoalitionPartner)
class CoalitionPartnerAdmin(HistoryAdmin):
    list_display = ("organisation", "coalition", "domain", "valid_from", "valid_to")
    list_filter = ("domain", "organisation__type")
    search_fields = ("organisation__name", "coalition__name")
    list_select_related = ("organisation", "coalition")
    autocomplete_fields = ("coalition", "organisation")


@admin.register(Agreement)
class AgreementAdmin(HistoryAdmin):
    list_display = ("title", "coalition", "kind", "level", "agreed_on", "valid_to")
    list_filter = ("kind", "level")
    search_fields = ("title", "coalition__name")
    list_select_related = ("coalition",)
    autocomplete_fields = ("coalition", "parties")


class PlanItemInline(admin.TabularInline):  # type: ignore[type-arg]
    model = PlanItem
    extra = 0
    autocomplete_fields = ("intervention",)
    fields = ("kind", "order", "text", "phase", "intervention")


@admin.register(PlanOfAction)
class PlanOfActionAdmin(HistoryAdmin):
    list_display = ("coalition", "status", "adopted_on", "target_age_from", "target_age_to")
    list_filter = ("status", "target_age_from", "target_age_to")
    search_fields = ("coalition__name",)
    list_select_related = ("coalition",)
    autocomplete_fields = ("coalition",)
    inlines = (PlanItemInline,)


@admin.register(PlanItem)
class PlanItemAdmin(HistoryAdmin):
    list_display = ("__str__", "plan", "kind", "phase", "intervention", "order")
    list_filter = ("kind", "phase", "intervention")
    search_fields = ("text", "plan__coalition__name")
    list_select_related = ("plan__coalition", "intervention")
    autocomplete_fields = ("plan", "intervention")


@admin.register(Intervention)
class InterventionAdmin(HistoryAdmin):
    list_display = (
        "name",
        "code",
        "domain",
        "provider_type",
        "phase_before",
        "phase_during",
        "phase_after",
    )
    list_filter = ("domain", "provider_type", "phase_before", "phase_during", "phase_after")
    search_fields = ("name", "code", "description")
    prepopulated_fields = {"code": ("name",)}


@admin.register(InterventionOffer)
class InterventionOfferAdmin(HistoryAdmin):
    list_display = ("intervention", "municipality", "organisation", "role", "start", "end")
    list_filter = ("intervention", "role")
    search_fields = ("municipality__name", "municipality__code", "organisation__name")
    list_select_related = ("intervention", "municipality", "organisation")
    autocomplete_fields = ("intervention", "municipality", "organisation")
    date_hierarchy = "start"


@admin.register(CenteringTraining)
class CenteringTrainingAdmin(HistoryAdmin):
    list_display = ("organisation", "trained_on", "midwives")
    search_fields = ("organisation__name", "organisation__agb_code")
    list_select_related = ("organisation",)
    autocomplete_fields = ("organisation",)
    date_hierarchy = "trained_on"

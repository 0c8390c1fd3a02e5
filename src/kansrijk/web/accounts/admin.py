"""Admin for organisations and users; every change is kept with who, when, before and after."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from kansrijk.web.accounts.models import Organisation, User


@admin.register(Organisation)
class OrganisationAdmin(SimpleHistoryAdmin):
    list_display = (
        "name",
        "type",
        "agb_code",
        "kvk_number",
        "municipality_code",
        "valid_from",
        "valid_to",
    )
    list_filter = ("type",)
    search_fields = ("name", "agb_code", "kvk_number", "municipality_code")


@admin.register(User)
class UserAdmin(DjangoUserAdmin, SimpleHistoryAdmin):  # type: ignore[type-arg]
    list_display = ("username", "get_full_name", "organisation", "role", "is_active")
    list_filter = ("role", "is_active", "organisation__type")
    search_fields = ("username", "first_name", "last_name", "email", "organisation__name")
    fieldsets = (
        *(DjangoUserAdmin.fieldsets or ()),
        (_("Organisation and role"), {"fields": ("organisation", "role")}),
    )
    add_fieldsets = (
        *DjangoUserAdmin.add_fieldsets,
        (_("Organisation and role"), {"fields": ("organisation", "role")}),
    )

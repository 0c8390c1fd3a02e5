"""Admin for organisations and accounts; every change is kept with who, when, before and after.

Accounts are managed only with ``accounts.manage_accounts`` (the administrator role). Nobody
changes their own role, organisation, e-mail or active flag; the superuser and staff flags,
groups and per-user permissions are never edited here (they follow the role, or the command
line). A change that gives client-data access is a pending request until a second account
manager approves it (``accounts.changes``). No admin page sets a password or shows a
second-factor secret: devices can only be listed and revoked, with a recorded reason.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from axes.admin import AccessAttemptAdmin, AccessFailureLogAdmin, AccessLogAdmin
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.db.models import Model, QuerySet
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from kansrijk.web.accounts import changes
from kansrijk.web.accounts.forms import RevocationForm
from kansrijk.web.accounts.history import HistoryAdmin
from kansrijk.web.accounts.models import (
    AccountChangeRequest,
    ChangeStatus,
    Organisation,
    SecondFactorRevocation,
    User,
)
from kansrijk.web.accounts.passwords import send_set_password_link


@admin.register(Organisation)
class OrganisationAdmin(HistoryAdmin):
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


class AccountManagerOnly:
    """Every view and action needs the account-management permission (not just the model's
    own view/change permission)."""

    def _manager(self, request: HttpRequest) -> bool:
        return changes.can_manage_accounts(request.user)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self._manager(request) and super().has_module_permission(request)  # type: ignore[misc]

    def has_view_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return self._manager(request) and super().has_view_permission(request, obj)  # type: ignore[misc]

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False


def _reason_step(
    admin_obj: admin.ModelAdmin,  # type: ignore[type-arg]
    request: HttpRequest,
    queryset: QuerySet[Any],
    users: Callable[[QuerySet[Any]], list[User]],
) -> HttpResponse | None:
    """The revoke action: first a page asking for the reason, then revoke every second factor
    of the selected users (``changes.revoke_second_factor``, audited)."""
    form = RevocationForm(request.POST if "reason" in request.POST else None)
    if form.is_bound and form.is_valid():
        done = 0
        for user in users(queryset):
            try:
                if changes.revoke_second_factor(request.user, user, form.cleaned_data["reason"]):  # type: ignore[arg-type]
                    done += 1
            except PermissionDenied as refused:
                admin_obj.message_user(request, f"{user}: {refused}", messages.ERROR)
        admin_obj.message_user(
            request,
            ngettext(
                "Second factor revoked for %(n)d account; they enrol again at their next login.",
                "Second factor revoked for %(n)d accounts; they enrol again at their next login.",
                done,
            )
            % {"n": done},
            messages.SUCCESS if done else messages.WARNING,
        )
        return None
    context = {
        **admin_obj.admin_site.each_context(request),
        "title": _("Revoke second factor"),
        "opts": admin_obj.model._meta,
        "form": form,
        "users": users(queryset),
        "selected": request.POST.getlist(ACTION_CHECKBOX_NAME),
        "action": request.POST.get("action", ""),
    }
    return TemplateResponse(request, "accounts/admin/revoke.html", context)


class DeviceAdmin(AccountManagerOnly, admin.ModelAdmin):  # type: ignore[type-arg]
    """Lists second-factor devices without their secrets; the only action is revoking."""

    list_display = ("user", "name", "confirmed", "created_at", "last_used_at")
    list_filter = ("confirmed",)
    search_fields = ("user__username", "user__email")
    fields = ("user", "name", "confirmed", "created_at", "last_used_at")
    readonly_fields = fields
    actions = ["revoke"]

    def has_revoke_permission(self, request: HttpRequest) -> bool:
        return self._manager(request)

    @admin.action(description=_("Revoke the second factor (with a reason)"), permissions=["revoke"])
    def revoke(self, request: HttpRequest, queryset: QuerySet[Any]) -> HttpResponse | None:
        return _reason_step(
            self, request, queryset, lambda qs: list(User.objects.filter(pk__in=qs.values("user")))
        )


admin.site.unregister(TOTPDevice)
admin.site.unregister(StaticDevice)
admin.site.register(TOTPDevice, DeviceAdmin)
admin.site.register(StaticDevice, DeviceAdmin)


admin.site.unregister(Group)


class LoginAttemptAdmin(AccessAttemptAdmin):
    """Login lockouts: read-only; deleting an attempt lifts a lockout."""

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    @admin.action(description=_("Clean up expired attempts"), permissions=["delete"])
    def cleanup_expired_attempts(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        """axes' action, for those who may delete attempts (it expects the moment axes'
        middleware sets on login requests only)."""
        request.axes_attempt_time = timezone.now()  # type: ignore[attr-defined]
        super().cleanup_expired_attempts(request, queryset)


class LoginLogAdmin(AccessLogAdmin):
    """The login log is evidence: read-only, never deleted here."""

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False


class LoginFailureLogAdmin(AccessFailureLogAdmin):
    """The failed-login log is evidence: read-only, never deleted here."""

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False


for _model, _admin in (
    (AccessAttempt, LoginAttemptAdmin),
    (AccessLog, LoginLogAdmin),
    (AccessFailureLog, LoginFailureLogAdmin),
):
    if admin.site.is_registered(_model):
        admin.site.unregister(_model)
    admin.site.register(_model, _admin)


@admin.register(Group)
class GroupAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Groups follow the role (accounts.access): shown, never edited."""

    list_display = ("name",)
    fields = ("name", "permissions")
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False


class UserChangeForm(forms.ModelForm):  # type: ignore[type-arg]
    """The account's own data; no password, flags, groups or permissions."""

    class Meta:
        model = User
        fields = (
            "username",
            "first_name",
            "last_name",
            "email",
            "organisation",
            "role",
            "is_active",
        )


class UserAddForm(forms.ModelForm):  # type: ignore[type-arg]
    """A new account: no password (the user sets one through the e-mailed link)."""

    class Meta:
        model = User
        fields = ("username", "first_name", "last_name", "email", "organisation", "role")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["email"].required = True
        self.fields["role"].required = True


ACCESS_FIELDS = ("role", "organisation", "email")
#: Fields whose change ``changes.check_allowed`` judges (organisation by its id).
CHECKED_FIELDS = (*changes.OWN_LOCKED_FIELDS, *changes.NEVER_EDITABLE, "username")


def _changed(stored: User, edited: User) -> set[str]:
    """The CHECKED_FIELDS whose value differs between the stored and the edited account."""
    attname = {"organisation": "organisation_id"}
    return {
        name
        for name in CHECKED_FIELDS
        if getattr(stored, attname.get(name, name)) != getattr(edited, attname.get(name, name))
    }


@admin.register(User)
class UserAdmin(HistoryAdmin):
    list_display = ("username", "get_full_name", "organisation", "role", "is_active")
    list_filter = ("role", "is_active", "organisation__type")
    search_fields = ("username", "first_name", "last_name", "email", "organisation__name")
    actions = ["send_password_link", "revoke_second_factor"]
    fieldsets = (
        (None, {"fields": ("username",)}),
        (_("Personal info"), {"fields": ("first_name", "last_name", "email")}),
        (_("Organisation and role"), {"fields": ("organisation", "role", "pending_change")}),
        (
            _("Status"),
            {
                "fields": (
                    "is_active",
                    "is_staff",
                    "is_superuser",
                    "group_names",
                    "last_login",
                    "date_joined",
                )
            },
        ),
    )
    add_fieldsets = (
        (None, {"fields": ("username",)}),
        (_("Personal info"), {"fields": ("first_name", "last_name", "email")}),
        (_("Organisation and role"), {"fields": ("organisation", "role")}),
    )

    # -- permissions: everything needs the account-management permission ----------------
    def _manager(self, request: HttpRequest) -> bool:
        return changes.can_manage_accounts(request.user)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self._manager(request)

    def has_view_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return self._manager(request) and super().has_view_permission(request, obj)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return self._manager(request) and super().has_add_permission(request)

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return self._manager(request) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False  # accounts are deactivated, never deleted (their history stays)

    def has_revoke_permission(self, request: HttpRequest) -> bool:
        return self._manager(request)

    # -- the form ------------------------------------------------------------------------
    def get_fieldsets(self, request: HttpRequest, obj: Model | None = None) -> Any:
        return self.add_fieldsets if obj is None else self.fieldsets

    def get_form(
        self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any
    ) -> Any:
        kwargs["form"] = UserAddForm if obj is None else UserChangeForm
        return super().get_form(request, obj, change, **kwargs)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Sequence[str]:
        fixed = ["is_staff", "is_superuser", "group_names", "last_login", "date_joined"]
        if obj is None:
            return []
        locked: list[str] = ["pending_change"]
        superior = obj.is_superuser and not request.user.is_superuser
        if obj.pk == request.user.pk or superior:
            locked += list(changes.OWN_LOCKED_FIELDS)
        elif changes.pending_request(obj) is not None:
            locked += list(ACCESS_FIELDS)
        return [*fixed, *locked]

    @admin.display(description=_("groups (follow the role)"))
    def group_names(self, obj: User) -> str:
        return ", ".join(g.name for g in obj.groups.all()) or "-"

    @admin.display(description=_("change awaiting approval"))
    def pending_change(self, obj: User) -> str:
        pending = changes.pending_request(obj)
        return str(pending) if pending is not None else "-"

    # -- saving: refused server-side, four eyes where client data is concerned ----------
    def save_model(self, request: HttpRequest, obj: User, form: Any, change: bool) -> None:
        actor: User = request.user  # type: ignore[assignment]
        if not change:
            changes.check_allowed(actor, None, set())
            after = changes.Access.of(obj)
            if changes.needs_approval(None, after):
                obj.role, obj.organisation, obj.email, obj.is_active = "", None, "", False
            obj.set_unusable_password()
            super().save_model(request, obj, form, change)
            if changes.needs_approval(None, after):
                changes.request_change(actor, obj, None, after)
                self.message_user(
                    request,
                    _("The account is inactive until a second account manager approves it."),
                    messages.WARNING,
                )
            elif send_set_password_link(request, obj):
                self.message_user(request, _("A link to set a password was e-mailed."))
            return
        stored = User.objects.get(pk=obj.pk)
        changes.check_allowed(actor, stored, _changed(stored, obj))
        before, after = changes.Access.of(stored), changes.Access.of(obj)
        if before != after and changes.needs_approval(before, after):
            obj.role, obj.organisation_id, obj.email = (
                before.role,
                before.organisation_id,
                before.email,
            )
            super().save_model(request, obj, form, change)
            changes.request_change(actor, obj, before, after)
            self.message_user(
                request,
                _("The change of role, organisation or e-mail awaits a second account manager."),
                messages.WARNING,
            )
            return
        super().save_model(request, obj, form, change)

    # -- actions -------------------------------------------------------------------------
    @admin.action(description=_("E-mail a link to set a password"), permissions=["change"])
    def send_password_link(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        sent = sum(send_set_password_link(request, user) for user in queryset)
        self.message_user(
            request,
            ngettext("%(n)d link sent.", "%(n)d links sent.", sent) % {"n": sent},
        )

    @admin.action(description=_("Revoke the second factor (with a reason)"), permissions=["revoke"])
    def revoke_second_factor(
        self, request: HttpRequest, queryset: QuerySet[User]
    ) -> HttpResponse | None:
        return _reason_step(self, request, queryset, list)


@admin.register(AccountChangeRequest)
class AccountChangeRequestAdmin(AccountManagerOnly, admin.ModelAdmin):  # type: ignore[type-arg]
    """Four-eyes requests: read-only, decided by a second account manager with an action."""

    list_display = (
        "user",
        "role_before",
        "role_after",
        "organisation_before",
        "organisation_after",
        "status",
        "requested_by",
        "requested_at",
        "decided_by",
        "decided_at",
    )
    list_filter = ("status", "role_after")
    search_fields = ("user__username", "requested_by__username", "decided_by__username")
    readonly_fields = [f.name for f in AccountChangeRequest._meta.fields if f.name != "id"]
    actions = ["approve", "reject"]

    def has_decide_permission(self, request: HttpRequest) -> bool:
        return self._manager(request)

    def _decide(
        self,
        request: HttpRequest,
        queryset: QuerySet[AccountChangeRequest],
        decide: Callable[[User, AccountChangeRequest], None],
    ) -> list[AccountChangeRequest]:
        done = []
        for change in queryset.filter(status=ChangeStatus.PENDING):
            try:
                decide(request.user, change)  # type: ignore[arg-type]
            except PermissionDenied as refused:
                self.message_user(request, f"{change}: {refused}", messages.ERROR)
            else:
                done.append(change)
        return done

    @admin.action(description=_("Approve and apply (four eyes)"), permissions=["decide"])
    def approve(self, request: HttpRequest, queryset: QuerySet[AccountChangeRequest]) -> None:
        done = self._decide(request, queryset, changes.approve)
        for change in done:
            if change.activates:
                send_set_password_link(request, User.objects.get(pk=change.user_id))
        n = len(done)
        self.message_user(request, ngettext("%(n)d approved.", "%(n)d approved.", n) % {"n": n})

    @admin.action(description=_("Reject"), permissions=["decide"])
    def reject(self, request: HttpRequest, queryset: QuerySet[AccountChangeRequest]) -> None:
        n = len(self._decide(request, queryset, changes.reject))
        self.message_user(request, ngettext("%(n)d rejected.", "%(n)d rejected.", n) % {"n": n})


@admin.register(SecondFactorRevocation)
class SecondFactorRevocationAdmin(AccountManagerOnly, admin.ModelAdmin):  # type: ignore[type-arg]
    """The audit trail of revoked second factors (lost phones): read-only."""

    list_display = ("user", "revoked_by", "revoked_at", "reason", "devices")
    search_fields = ("user__username", "revoked_by__username", "reason")
    readonly_fields = ("user", "revoked_by", "revoked_at", "reason", "devices")

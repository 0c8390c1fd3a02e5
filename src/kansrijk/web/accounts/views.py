"""Login (password, then TOTP or a backup code), enrolment of an authenticator app, backup
codes, password reset and change, and logout."""

from __future__ import annotations

from base64 import b32encode
from io import BytesIO
from typing import Any

import qrcode
import qrcode.image.svg
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from kansrijk.web.accounts import backup
from kansrijk.web.accounts.forms import BackupCodeForm, TokenForm
from kansrijk.web.accounts.passwords import (
    EMAIL_TEMPLATE,
    SUBJECT_TEMPLATE,
    AccountPasswordResetForm,
)


class LoginView(auth_views.LoginView):
    """Step 1: username and password. django-axes counts failures and locks out."""

    template_name = "accounts/login.html"
    redirect_authenticated_user = True


def _next_url(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or "/"
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return "/"


def _check(device: TOTPDevice, token: str, form: TokenForm) -> bool:
    """Verify a token with django-otp's throttling (each failure doubles the wait)."""
    allowed, _detail = device.verify_is_allowed()
    if not allowed:
        form.add_error("token", _("Too many wrong codes. Wait a moment and try again."))
        return False
    if not device.verify_token(token):
        form.add_error("token", _("That code is not valid. Try the current code."))
        return False
    return True


def _check_backup(device: StaticDevice | None, code: str, form: BackupCodeForm) -> bool:
    """Verify (and use up) a backup code, throttled like the authenticator's codes."""
    if device is None:
        form.add_error("code", _("That backup code is not valid."))
        return False
    allowed, _detail = device.verify_is_allowed()
    if not allowed:
        form.add_error("code", _("Too many wrong codes. Wait a moment and try again."))
        return False
    if not device.verify_token(backup.digest(code)):
        form.add_error("code", _("That backup code is not valid."))
        return False
    return True


@login_required
@require_http_methods(["GET", "POST"])
def verify(request: HttpRequest) -> HttpResponse:
    """Step 2: the six-digit code of the user's confirmed authenticator, or a backup code
    (each works once)."""
    device = TOTPDevice.objects.filter(user=request.user, confirmed=True).first()
    if device is None:
        return redirect("accounts:setup")
    using_backup = request.method == "POST" and "code" in request.POST
    form = TokenForm(request.POST if request.method == "POST" and not using_backup else None)
    backup_form = BackupCodeForm(request.POST if using_backup else None)
    if using_backup:
        static = backup.device_for(request.user)  # type: ignore[arg-type]
        if backup_form.is_valid() and _check_backup(
            static, backup_form.cleaned_data["code"], backup_form
        ):
            assert static is not None
            otp_login(request, static)
            left = backup.remaining(request.user)  # type: ignore[arg-type]
            messages.warning(
                request,
                _("You signed in with a backup code; %(left)d left. Generate new ones in time.")
                % {"left": left},
            )
            return redirect(_next_url(request))
    elif (
        request.method == "POST"
        and form.is_valid()
        and _check(device, form.cleaned_data["token"], form)
    ):
        otp_login(request, device)
        return redirect(_next_url(request))
    context = {
        "form": form,
        "backup_form": backup_form,
        "has_backup": backup.device_for(request.user) is not None,  # type: ignore[arg-type]
        "next": _next_url(request),
    }
    return render(request, "accounts/verify.html", context)


def _qr_svg(url: str) -> str:
    image = qrcode.make(url, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    buffer = BytesIO()
    image.save(buffer)
    svg = buffer.getvalue().decode()
    return svg[svg.index("<svg") :]  # drop the XML declaration for inline use


@login_required
@require_http_methods(["GET", "POST"])
def setup(request: HttpRequest) -> HttpResponse:
    """Enrol an authenticator app: scan the QR code (or type the key), confirm with a code."""
    if TOTPDevice.objects.filter(user=request.user, confirmed=True).exists():
        return redirect("accounts:verify")
    device, _created = TOTPDevice.objects.get_or_create(
        user=request.user, confirmed=False, defaults={"name": "authenticator"}
    )
    form = TokenForm(request.POST or None)
    if (
        request.method == "POST"
        and form.is_valid()
        and _check(device, form.cleaned_data["token"], form)
    ):
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        otp_login(request, device)
        messages.success(request, _("Two-factor authentication is on."))
        # The backup codes are shown once, here, right after enrolment.
        codes = backup.generate(request.user)  # type: ignore[arg-type]
        return render(
            request, "accounts/backup_codes.html", {"codes": codes, "next": _next_url(request)}
        )
    context: dict[str, Any] = {
        "form": form,
        "qr_svg": _qr_svg(device.config_url),
        "secret": _base32(device),
        "next": _next_url(request),
    }
    return render(request, "accounts/setup.html", context)


def _base32(device: TOTPDevice) -> str:
    key = b32encode(device.bin_key).decode()
    return " ".join(key[i : i + 4] for i in range(0, len(key), 4))


class LogoutView(auth_views.LogoutView):
    pass


def _verified(request: HttpRequest) -> bool:
    """Whether the second factor was verified (or the role needs none and has none)."""
    user = request.user
    return bool(user.is_verified() or not getattr(user, "needs_two_factor", True))  # type: ignore[union-attr]


@login_required
@require_http_methods(["GET", "POST"])
def backup_codes(request: HttpRequest) -> HttpResponse:
    """How many backup codes are left; a POST replaces them with ten new ones, shown once."""
    if (
        not _verified(request)
        or not TOTPDevice.objects.filter(user=request.user, confirmed=True).exists()
    ):
        return redirect("accounts:verify")
    if request.method == "POST":
        codes = backup.generate(request.user)  # type: ignore[arg-type]
        return render(request, "accounts/backup_codes.html", {"codes": codes, "next": "/"})
    left = backup.remaining(request.user)  # type: ignore[arg-type]
    return render(request, "accounts/backup_codes_status.html", {"left": left})


@login_required
def account(request: HttpRequest) -> HttpResponse:
    """The signed-in user's security page: password, second factor, backup codes."""
    if not _verified(request):
        return redirect("accounts:verify")
    context = {
        "has_totp": TOTPDevice.objects.filter(user=request.user, confirmed=True).exists(),
        "backup_left": backup.remaining(request.user),  # type: ignore[arg-type]
    }
    return render(request, "accounts/account.html", context)


class _StyledForm:
    """Django's password forms with the design system's text-box class on every input."""

    def get_form(self, form_class: Any = None) -> Any:
        form = super().get_form(form_class)  # type: ignore[misc]
        for field in form.fields.values():
            field.widget.attrs.setdefault("class", "utrecht-textbox utrecht-textbox--html-input")
        return form


class PasswordChangeView(_StyledForm, auth_views.PasswordChangeView):
    """Change one's own password (old one first); only with a verified second factor."""

    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:password_change_done")

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if request.user.is_authenticated and not _verified(request):
            return redirect("accounts:verify")
        return super().dispatch(request, *args, **kwargs)


class PasswordChangeDoneView(auth_views.PasswordChangeDoneView):
    template_name = "accounts/password_change_done.html"


class PasswordResetView(_StyledForm, auth_views.PasswordResetView):
    """Ask for a reset link. The next page says the same whether or not the address is known."""

    form_class = AccountPasswordResetForm
    template_name = "accounts/password_reset.html"
    email_template_name = EMAIL_TEMPLATE
    subject_template_name = SUBJECT_TEMPLATE
    success_url = reverse_lazy("accounts:password_reset_done")


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"


class PasswordResetConfirmView(_StyledForm, auth_views.PasswordResetConfirmView):
    """Set a new password from the link; the second factor is still asked at the next login."""

    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")
    post_reset_login = False


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"

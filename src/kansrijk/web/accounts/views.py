"""Login (password, then TOTP), enrolment of an authenticator app, and logout."""

from __future__ import annotations

from base64 import b32encode
from io import BytesIO
from typing import Any

import qrcode
import qrcode.image.svg
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from kansrijk.web.accounts.forms import TokenForm


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


@login_required
@require_http_methods(["GET", "POST"])
def verify(request: HttpRequest) -> HttpResponse:
    """Step 2: the six-digit code of the user's confirmed authenticator."""
    device = TOTPDevice.objects.filter(user=request.user, confirmed=True).first()
    if device is None:
        return redirect("accounts:setup")
    form = TokenForm(request.POST or None)
    if (
        request.method == "POST"
        and form.is_valid()
        and _check(device, form.cleaned_data["token"], form)
    ):
        otp_login(request, device)
        return redirect(_next_url(request))
    return render(request, "accounts/verify.html", {"form": form, "next": _next_url(request)})


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
        return redirect(_next_url(request))
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

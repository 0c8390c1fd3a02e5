"""Two-factor enforcement: a signed-in user who must (or chose to) use TOTP reaches nothing
but the verification pages until the second factor is verified in this session."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django_otp import user_has_device

#: Paths reachable before the second factor: its own pages, logout, language, static files.
_OPEN_PREFIXES = ("/accounts/", "/i18n/", "/static/", "/healthz")


class RequireTwoFactorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            user.is_authenticated
            and not user.is_verified()  # set by OTPMiddleware
            and not request.path.startswith(_OPEN_PREFIXES)
        ):
            has_device = user_has_device(user, confirmed=True)
            if has_device or getattr(user, "needs_two_factor", True):
                target = "accounts:verify" if has_device else "accounts:setup"
                return redirect(f"{reverse(target)}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)

"""HTTP hardening beyond Django's SecurityMiddleware: the Content-Security-Policy directives
(served by django-csp), the other headers of the OWASP secure headers project, no caching of
what the app renders, and the proxy settings `kansrijk serve` hands to the server.

Kept free of Django imports that need settings, because ``settings.py`` imports it.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable, Iterable
from typing import Any

from csp.constants import NONCE, NONE, SELF
from django.http import HttpRequest, HttpResponseBase

#: The strict policy: the app's own files only, inline code only with the request's nonce,
#: no plugins, no framing, forms post to the app only, no <base> tricks. Vega draws the charts
#: as SVG from JSON fetched from the app (connect-src), and the QR code is inline SVG.
CSP_DIRECTIVES: dict[str, Any] = {
    "default-src": [SELF],
    "script-src": [SELF, NONCE],
    "style-src": [SELF, NONCE],
    "img-src": [SELF, "data:"],
    "font-src": [SELF],
    "connect-src": [SELF],
    "object-src": [NONE],
    "base-uri": [NONE],
    "frame-ancestors": [NONE],
    "form-action": [SELF],
}

#: Every powerful browser feature off: the app uses none of them.
PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "autoplay",
        "camera",
        "display-capture",
        "encrypted-media",
        "fullscreen",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "picture-in-picture",
        "publickey-credentials-get",
        "screen-wake-lock",
        "serial",
        "sync-xhr",
        "usb",
        "xr-spatial-tracking",
    )
)

#: Headers on every response (static files included), unless a view set its own.
STATIC_HEADERS: dict[str, str] = {
    "Permissions-Policy": PERMISSIONS_POLICY,
    "Cross-Origin-Resource-Policy": "same-origin",
    "X-Permitted-Cross-Domain-Policies": "none",
}


def trusted_proxy(value: str) -> str | None:
    """The reverse proxy's address from ``KANSRIJK_TRUSTED_PROXY``: one IP address, ``*``
    (any peer), or None when unset. Both servers take one address; waitress takes no more."""
    value = value.strip()
    if not value:
        return None
    if value == "*":
        return value
    try:
        return str(ipaddress.ip_address(value))
    except ValueError:
        raise RuntimeError(
            f"KANSRIJK_TRUSTED_PROXY must be one IP address or '*', not {value!r}"
        ) from None


def https_origins(hosts: Iterable[str]) -> list[str]:
    """CSRF trusted origins for the allowed hosts over HTTPS (``.example.nl`` becomes
    ``https://*.example.nl``; the wildcard host ``*`` gives none)."""
    origins = []
    for host in hosts:
        if host == "*":
            continue
        origins.append(f"https://*{host}" if host.startswith(".") else f"https://{host}")
    return origins


class SecureHeadersMiddleware:
    """Adds `STATIC_HEADERS` to every response and ``Cache-Control: no-store`` to every
    response the app renders without a caching decision of its own, so signed-in pages
    (client records above all) never land in a browser or proxy cache."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        for name, value in STATIC_HEADERS.items():
            response.headers.setdefault(name, value)
        if "Cache-Control" not in response.headers:
            response.headers["Cache-Control"] = "no-store"
        return response


def client_address_from_proxy(
    app: Callable[..., Iterable[bytes]], trusted: str | None
) -> Callable[..., Iterable[bytes]]:
    """WSGI wrapper for gunicorn (waitress does this itself): behind the trusted proxy the
    client address is the last X-Forwarded-For hop (the lockout counts per client, not per
    proxy); from any other peer the X-Forwarded-* headers are dropped unread."""

    def wrapped(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        peer = environ.get("REMOTE_ADDR", "")
        if trusted is not None and trusted in {"*", peer}:
            hops = [h.strip() for h in environ.get("HTTP_X_FORWARDED_FOR", "").split(",")]
            if hops and hops[-1]:
                environ["REMOTE_ADDR"] = hops[-1]
        else:
            for key in [k for k in environ if k.startswith("HTTP_X_FORWARDED_")]:
                del environ[key]
            environ.pop("HTTP_FORWARDED", None)
        return app(environ, start_response)  # as is: gunicorn's sendfile sees file wrappers

    return wrapped

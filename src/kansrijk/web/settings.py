"""Django settings for the coalition platform: one module, every knob an environment variable.

The defaults run on a plain machine (SQLite in the data directory, console e-mail, a secret
key generated once and kept in the data directory). Production sets the variables listed in
``docs/web.md``; ``KANSRIJK_ENV=production`` switches on HTTPS-only cookies, HSTS and the
redirect to HTTPS, and refuses to start without an explicit secret key and allowed hosts.

| variable | default | meaning |
|---|---|---|
| ``KANSRIJK_ENV`` | ``development`` | ``production`` hardens cookies, HSTS and checks |
| ``KANSRIJK_DATA_DIR`` | ``./data/web`` | SQLite file, generated secret key, published results |
| ``DATABASE_URL`` | SQLite in the data dir | e.g. ``postgres://user@127.0.0.1:5432/kansrijk`` |
| ``DJANGO_SECRET_KEY`` | generated file | required in production |
| ``DJANGO_ALLOWED_HOSTS`` | ``localhost,127.0.0.1`` | comma-separated |
| ``DJANGO_DEBUG`` | ``0`` | ``1`` shows tracebacks (never in production) |
| ``KANSRIJK_EMAIL_URL`` | console | ``smtp://user:pass@host:587`` for real mail |
| ``KANSRIJK_DEFAULT_FROM_EMAIL`` | ``kansrijk@localhost`` | sender of reminders |
| ``KANSRIJK_SESSION_MINUTES`` | ``30`` | idle time-out of a session |
| ``KANSRIJK_LOCKOUT_FAILURES`` | ``5`` | failed logins before an account and address are locked |
| ``KANSRIJK_LOCKOUT_MINUTES`` | ``15`` | how long a lockout lasts |
| ``KANSRIJK_MONITOR_DIR`` | ``<data dir>/monitor`` | the published monitor run the pages show |
| ``KANSRIJK_DEMO_MONITOR`` | ``1`` | ``0``: no demo monitor results on first start |
| ``KANSRIJK_IMPORT_MAX_BYTES`` | ``2097152`` | largest questionnaire import file (bytes) |
| ``KANSRIJK_IMPORT_SECONDS`` | ``10`` | wall-clock limit on reading one import file |
| ``KANSRIJK_EMERGENCY_HOURS`` | ``4`` | default length of an emergency access (1-8 hours) |
| ``KANSRIJK_BSN_KEY`` | generated file | hex key (64+ hex digits) of the keyed BSN hash |
| ``KANSRIJK_AUDIT_KEY`` | generated file | hex key (64+ hex digits) of the audit log's HMAC chain |
| ``KANSRIJK_AUDIT_CHECKPOINT_DIR`` | ``<data dir>/audit-checkpoints`` | signed audit checkpoints |
| ``KANSRIJK_AUDIT_CHECKPOINT_ENTRIES`` | ``1000`` | checkpoint after this many entries |
| ``KANSRIJK_AUDIT_CHECKPOINT_MINUTES`` | ``15`` | ... or minutes (``0``: off) |
| ``KANSRIJK_TRUSTED_PROXY`` | none | the TLS proxy's address (or ``*``): its X-Forwarded-* count |
| ``KANSRIJK_SSL_REDIRECT`` | ``1`` | ``0``: the proxy redirects HTTP itself (HSTS stays on) |
| ``DJANGO_CSRF_TRUSTED_ORIGINS`` | ``https://`` + each allowed host | comma-separated origins |
"""

from __future__ import annotations

import os
import secrets
from datetime import timedelta
from pathlib import Path
from urllib.parse import unquote, urlparse

import dj_database_url
from django.utils.translation import gettext_lazy as _

from kansrijk.web.security import CSP_DIRECTIVES, https_origins, trusted_proxy

PACKAGE_DIR = Path(__file__).resolve().parent
ENV = os.environ.get("KANSRIJK_ENV", "development")
PRODUCTION = ENV == "production"
DATA_DIR = Path(os.environ.get("KANSRIJK_DATA_DIR", "data/web")).resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)


def _secret_key() -> str:
    """The configured key, or (outside production) one generated once per data directory."""
    configured = os.environ.get("DJANGO_SECRET_KEY")
    if configured:
        return configured
    if PRODUCTION:
        raise RuntimeError("DJANGO_SECRET_KEY must be set when KANSRIJK_ENV=production")
    path = DATA_DIR / "secret_key"
    if not path.exists():
        tmp = path.with_suffix(".tmp")
        tmp.write_text(secrets.token_urlsafe(50), encoding="utf-8")
        tmp.chmod(0o600)
        tmp.replace(path)
    return path.read_text(encoding="utf-8").strip()


SECRET_KEY = _secret_key()


def _hex_key(variable: str, filename: str) -> str:
    """A hex key of at least 32 bytes: ``variable`` from the environment, or one generated
    once per data directory (``filename``, readable by the owner only)."""
    configured = os.environ.get(variable, "").strip()
    if not configured:
        path = DATA_DIR / filename
        if not path.exists():
            tmp = path.with_suffix(".tmp")
            tmp.write_text(secrets.token_hex(32), encoding="utf-8")
            tmp.chmod(0o600)
            tmp.replace(path)
        configured = path.read_text(encoding="utf-8").strip()
    try:
        key = bytes.fromhex(configured)
    except ValueError:
        raise RuntimeError(f"{variable} must be hexadecimal") from None
    if len(key) < 32:
        raise RuntimeError(f"{variable} must hold at least 32 bytes (64 hex digits)")
    return configured


#: Key of the keyed BSN hash (``kansrijk.web.care.bsn``); never logged or shown. Changing it
#: breaks matching of already registered BSNs: back the file up with the database.
KANSRIJK_BSN_KEY = _hex_key("KANSRIJK_BSN_KEY", "bsn_key")
#: Key of the audit log's HMAC chain (``kansrijk.web.audit.log``). Keep it outside the
#: database (an environment variable from a secrets store in production): whoever can write
#: the database but lacks the key cannot rewrite the chain unnoticed.
KANSRIJK_AUDIT_KEY = _hex_key("KANSRIJK_AUDIT_KEY", "audit_key")
#: Signed checkpoints of the audit chain head (``kansrijk.web.audit.checkpoints``): a file
#: outside the database, so that removing the newest entries shows. Make it append-only.
KANSRIJK_AUDIT_CHECKPOINT_DIR = Path(
    os.environ.get("KANSRIJK_AUDIT_CHECKPOINT_DIR", DATA_DIR / "audit-checkpoints")
).resolve()
KANSRIJK_AUDIT_CHECKPOINT_ENTRIES = int(os.environ.get("KANSRIJK_AUDIT_CHECKPOINT_ENTRIES", "1000"))
KANSRIJK_AUDIT_CHECKPOINT_MINUTES = int(os.environ.get("KANSRIJK_AUDIT_CHECKPOINT_MINUTES", "15"))
DEBUG = os.environ.get("DJANGO_DEBUG", "0") == "1" and not PRODUCTION
ALLOWED_HOSTS = [
    h.strip()
    for h in os.environ.get("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]").split(",")
    if h.strip()
]
if PRODUCTION and not os.environ.get("DJANGO_ALLOWED_HOSTS"):
    raise RuntimeError("DJANGO_ALLOWED_HOSTS must be set when KANSRIJK_ENV=production")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "simple_history",
    "csp",
    "kansrijk.web.accounts",
    "kansrijk.web.coalitions",
    "kansrijk.web.survey",
    "kansrijk.web.programme",
    "kansrijk.web.monitor",
    "kansrijk.web.care",
    "kansrijk.web.audit",
    "kansrijk.web.conferences",
    "kansrijk.web.referrals",
    "kansrijk.web.retention",
    "kansrijk.web.experiences",
    "kansrijk.web.practices",
    "kansrijk.web",  # templates, static files, locale and management commands shared by all
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",  # Content-Security-Policy with a nonce per request
    "kansrijk.web.security.SecureHeadersMiddleware",  # the other OWASP headers, no-store
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "kansrijk.web.sessions.SlidingSessionMiddleware",  # after SessionMiddleware
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "kansrijk.web.accounts.middleware.RequireTwoFactorMiddleware",
    "kansrijk.web.policy.PolicyMiddleware",  # deny by default: every URL declared (policy.py)
    "django.contrib.messages.middleware.MessageMiddleware",
    "kansrijk.web.care.refusals.UnresolvedCareRefusalMiddleware",  # logs unrouted /care/ 404s
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",  # last, as django-axes documents
]

ROOT_URLCONF = "kansrijk.web.urls"
WSGI_APPLICATION = "kansrijk.web.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "kansrijk.web.context.navigation",
            ],
        },
    }
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{DATA_DIR / 'kansrijk.sqlite3'}",
        conn_max_age=int(os.environ.get("KANSRIJK_DB_CONN_MAX_AGE", "60")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Concurrent readers and one writer without "database is locked" under a threaded server.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

# Passwords: Argon2id first (new and upgraded hashes), PBKDF2 still verifies old ones.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # refuses locked-out credentials first
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Login throttling and lockout (django-axes): by username and address together, so one
# attacker cannot lock out everybody, and one account cannot be tried from many addresses
# without each being locked.
AXES_FAILURE_LIMIT = int(os.environ.get("KANSRIJK_LOCKOUT_FAILURES", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("KANSRIJK_LOCKOUT_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_VERBOSE = False
AXES_ENABLE_ACCESS_FAILURE_LOG = True

# Two-factor authentication (django-otp): TOTP with a 30-second step, one step of drift.
OTP_TOTP_ISSUER = "Kansrijk"
OTP_TOTP_THROTTLE_FACTOR = 1
# Never show second-factor secrets in django-otp's own admin pages (accounts.admin replaces
# them with pages that list devices without secrets; this guards a re-registration).
OTP_ADMIN_HIDE_SENSITIVE_DATA = True

# Sessions and cookies: short idle time-out, HTTP-only, same-site, secure in production.
SESSION_COOKIE_AGE = int(os.environ.get("KANSRIJK_SESSION_MINUTES", "30")) * 60
# The idle time-out slides with activity, saved at most once a minute (kansrijk.web.sessions).
SESSION_SAVE_EVERY_REQUEST = False
KANSRIJK_SESSION_REFRESH_SECONDS = 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = PRODUCTION
CSRF_COOKIE_SECURE = PRODUCTION
if PRODUCTION:
    # The __Host- prefix makes the browser refuse the cookie unless it is Secure, for this host
    # only (no Domain) and for every path: a sibling subdomain cannot plant or overwrite it.
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_NAME = "__Host-csrftoken"
SECURE_SSL_REDIRECT = PRODUCTION and os.environ.get("KANSRIJK_SSL_REDIRECT", "1") == "1"
#: The reverse proxy whose X-Forwarded-Proto and X-Forwarded-For count: one address (the peer
#: the proxy connects from) or ``*`` (any peer: only when nothing but the proxy reaches the
#: port). `kansrijk serve` hands it to the server (waitress: trusted_proxy, gunicorn:
#: forwarded_allow_ips), which sets the request's scheme and client address and drops proxy
#: headers from anyone else. Django itself reads no proxy header (SECURE_PROXY_SSL_HEADER
#: stays unset), so a client that reaches the port directly cannot claim HTTPS.
KANSRIJK_TRUSTED_PROXY = trusted_proxy(os.environ.get("KANSRIJK_TRUSTED_PROXY", ""))
SECURE_PROXY_SSL_HEADER = None
# HSTS in production whether or not the app redirects (KANSRIJK_SSL_REDIRECT=0 leaves the
# redirect to the proxy); browsers honour it on HTTPS responses only.
SECURE_HSTS_SECONDS = 31_536_000 if PRODUCTION else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = PRODUCTION
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CSRF_TRUSTED_ORIGINS = [
    o.strip() for o in os.environ.get("DJANGO_CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()
] or (https_origins(ALLOWED_HOSTS) if PRODUCTION else [])
CSRF_FAILURE_VIEW = "kansrijk.web.views.csrf_failure"
# Content-Security-Policy (django-csp): only the app's own files; a script or style element
# in a page needs the request's nonce (``nonce="{{ request.csp_nonce }}"``). The charts run
# Vega in its interpreter mode (``ast: true``), so no eval either.
CONTENT_SECURITY_POLICY = {"DIRECTIVES": CSP_DIRECTIVES | {"upgrade-insecure-requests": PRODUCTION}}

# Dutch first, English through Django's i18n.
LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", _("Dutch")), ("en", _("English"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Europe/Amsterdam"
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)  # WhiteNoise warns about a missing directory
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
# Without collectstatic (development, tests) WhiteNoise serves from the apps' static dirs.
WHITENOISE_USE_FINDERS = not PRODUCTION


def _email_settings(url: str | None) -> dict[str, object]:
    """Django mail settings from ``KANSRIJK_EMAIL_URL`` (console backend when unset)."""
    if not url:
        return {"EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"}
    parsed = urlparse(url)
    return {
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": parsed.hostname or "localhost",
        "EMAIL_PORT": parsed.port or 25,
        "EMAIL_HOST_USER": unquote(parsed.username or ""),
        "EMAIL_HOST_PASSWORD": unquote(parsed.password or ""),
        "EMAIL_USE_TLS": parsed.scheme == "smtp+tls" or parsed.port == 587,
    }


globals().update(_email_settings(os.environ.get("KANSRIJK_EMAIL_URL")))
DEFAULT_FROM_EMAIL = os.environ.get("KANSRIJK_DEFAULT_FROM_EMAIL", "kansrijk@localhost")

#: Where the programme indicators are published (by the disclosure publishing path).
KANSRIJK_RESULTS_DIR = DATA_DIR / "results"
#: The published monitor run (``kansrijk monitor run ... --out``) the web monitor reads:
#: results.parquet, manifest.json and funnel.parquet. Reloaded when results.parquet changes.
KANSRIJK_MONITOR_DIR = Path(os.environ.get("KANSRIJK_MONITOR_DIR", DATA_DIR / "monitor")).resolve()
#: Whether the demo loader builds demo monitor results (synthetic data) when there are none.
KANSRIJK_DEMO_MONITOR = os.environ.get("KANSRIJK_DEMO_MONITOR", "1") != "0"
# Questionnaire imports (survey/reading.py): refused above this size, before being read, and
# when reading takes longer than this.
KANSRIJK_IMPORT_MAX_BYTES = int(os.environ.get("KANSRIJK_IMPORT_MAX_BYTES", str(2 * 1024 * 1024)))
KANSRIJK_IMPORT_SECONDS = float(os.environ.get("KANSRIJK_IMPORT_SECONDS", "10"))
#: Default length of an emergency access in hours (care.emergency caps it at 8).
KANSRIJK_EMERGENCY_HOURS = int(os.environ.get("KANSRIJK_EMERGENCY_HOURS", "4"))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "utc": {
            "()": "kansrijk.web.logformat.UTCFormatter",
            "format": "%(asctime)s %(levelname)s %(name)s %(message)s",
        }
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "utc"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {"axes": {"level": "WARNING"}},
}

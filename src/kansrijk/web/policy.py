"""Least privilege as data: the role x permission x object-scope policy of the whole platform.

Three tables, read by the deny-by-default middleware below, by ``kansrijk manage
authorisation_docs`` (which writes docs/authorisation.md) and by the exhaustive test
tests/web/test_authorisation_matrix.py:

- ``PERMISSIONS``: every named permission, the roles that hold it and the *object scope* it
  implies (which objects of its kind the holder reaches; the views enforce the scope through
  ``care.access.Access`` and friends and answer 404 for objects outside it).
- ``ROUTES``: for every URL name, the permission a safe request (GET, HEAD, OPTIONS) needs and
  the permission a changing request (POST, PUT, PATCH, DELETE) needs. ``None`` means nobody
  (405).
- ``NAMESPACES``: URL namespaces whose every name shares one rule (the Django admin, whose own
  model permissions are the second layer).

A route is one line. To declare a new URL name, add it to ``ROUTES``::

    "survey:import": Rule(read=MANAGE_QUESTIONNAIRE, write=MANAGE_QUESTIONNAIRE),

A permission may also be a tuple of permissions, any one of which suffices. ``PUBLIC`` needs
nobody signed in; ``SIGNED_IN`` needs a signed-in user only (also before the second factor).
Every other permission needs a signed-in user whose role holds it and, where the role needs a
second factor, a verified one. A resolved URL whose name is not declared answers 403.

Roles are written as their stored values (``accounts.roles.Role``), so that role sets elsewhere
can be derived from this module without an import cycle; the tests check every value is a role.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, Final

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode

# --- Roles (values of accounts.roles.Role) ---------------------------------------------------

COORDINATOR: Final = "coordinator"
PROFESSIONAL: Final = "professional"
POLICY_ADVISOR: Final = "policy_advisor"
MONITOR_ANALYST: Final = "monitor_analyst"
PROGRAMME_STAFF: Final = "programme_staff"
ADMINISTRATOR: Final = "administrator"
ROLES: Final = (
    COORDINATOR,
    PROFESSIONAL,
    POLICY_ADVISOR,
    MONITOR_ANALYST,
    PROGRAMME_STAFF,
    ADMINISTRATOR,
)
EVERY_ROLE: Final = frozenset(ROLES)

# --- Object scopes -----------------------------------------------------------------------------

SCOPES: Final[dict[str, str]] = {
    "all": "Every object of its kind.",
    "published": "Published, disclosure-controlled figures of every municipality.",
    "own_municipality": "The user's own municipality (their organisation is that municipality).",
    "caseload": (
        "Clients of the user's own organisation or its care team; clients referred to it (a "
        "professional) or living in its municipality (a coordinator) only with a valid consent "
        "covering the identity category, and then only the consented categories; one client "
        "under emergency access until it expires. Others answer 404."
    ),
    "own_record": (
        "Clients whose record the professional's organisation owns or whose care team it is "
        "in; notes, referrals and the care plan also for a client referred to it with "
        "consent. Invisible clients answer 404, visible ones the user may not change 403."
    ),
    "own_organisation": "Records the user's own organisation creates and owns.",
    "emergency": ("One client at a time, with a reason, for a short period, reviewed afterwards."),
    "emergency_reviews": (
        "Emergency accesses to clients of the coordinator's municipality; every one for an "
        "administrator."
    ),
    "referrals": (
        "Referrals sent by or to the professional's organisation; for a coordinator the "
        "status of referrals of the municipality's residents (no content without consent)."
    ),
    "own_referrals": "Referrals sent by or to the professional's own organisation.",
    "conferences": "Case conferences the user organises or takes part in.",
    "own_coalition": "Client routes of the coalition of the user's municipality.",
    "audit": "Every audit entry (who did what to which client id; no client content).",
    "admin_models": "The admin's models, as far as Django's model permissions allow.",
    "other_accounts": (
        "Other users' accounts, never one's own; four-eyes approval for roles that see client data."
    ),
    "own_rounds": (
        "Study rounds the user is a researcher of, with their transcripts and coding; other "
        "rounds answer 404."
    ),
    "practices": (
        "Published practices of every coalition; drafts only of the coalitions the user's "
        "organisation works in (others answer 404)."
    ),
    "own_coalition_practices": (
        "Practices of the coalitions the user's organisation works in (a municipality's own "
        "coalitions, or those it is a partner of); another coalition's published practice "
        "answers 403, its draft 404."
    ),
    "none": "No objects.",
}


@dataclass(frozen=True)
class Permission:
    """One named permission: who holds it and which objects it reaches."""

    name: str
    roles: frozenset[str]
    scope: str
    description: str
    #: Whether holders must have verified a second factor in this session to use it.
    second_factor: bool = False


def _perm(
    name: str, roles: Iterable[str], scope: str, description: str, *, second_factor: bool = False
) -> Permission:
    return Permission(name, frozenset(roles), scope, description, second_factor)


#: Anyone, signed in or not.
PUBLIC: Final = "public"
#: Any signed-in user, also before the second factor is verified.
SIGNED_IN: Final = "signed_in"

_CARE = (COORDINATOR, PROFESSIONAL)
_PROGRAMME = (PROGRAMME_STAFF, ADMINISTRATOR)

PERMISSIONS: Final[dict[str, Permission]] = {
    p.name: p
    for p in (
        _perm("site.view", EVERY_ROLE, "all", "The overview page after signing in."),
        _perm("coalitions.view", EVERY_ROLE, "all", "The coalition registry and the menu."),
        _perm(
            "programme.view_indicators",
            EVERY_ROLE,
            "published",
            "Published programme indicators and their downloads.",
        ),
        _perm(
            "programme.recompute",
            _PROGRAMME,
            "all",
            "Recompute and publish the programme indicators.",
            second_factor=True,
        ),
        _perm(
            "survey.answer_own_municipality",
            (COORDINATOR, POLICY_ADVISOR),
            "own_municipality",
            "Fill in and submit the yearly questionnaire.",
        ),
        _perm(
            "programme.view_response_status",
            _PROGRAMME,
            "all",
            "Response status, every municipality's response, the exports.",
            second_factor=True,
        ),
        _perm(
            "programme.manage_questionnaire",
            _PROGRAMME,
            "all",
            "Reminders, reopening responses, importing responses.",
            second_factor=True,
        ),
        _perm("monitor.view", EVERY_ROLE, "published", "The local monitor and its downloads."),
        _perm(
            "monitor.view_national",
            (MONITOR_ANALYST, PROGRAMME_STAFF, ADMINISTRATOR),
            "published",
            "The national dashboard and its charts.",
        ),
        _perm(
            "care.read_client",
            _CARE,
            "caseload",
            "Client records, timelines, care plans, the client API.",
            second_factor=True,
        ),
        _perm(
            "care.record_care",
            (PROFESSIONAL,),
            "own_record",
            "Notes, children, consents, signals, referrals, the care plan and team, "
            "retention holds, the contact person.",
            second_factor=True,
        ),
        _perm(
            "care.register_client",
            (PROFESSIONAL,),
            "own_organisation",
            "Register a new client.",
            second_factor=True,
        ),
        _perm(
            "care.break_glass",
            (PROFESSIONAL,),
            "emergency",
            "Emergency access to a client outside the caseload.",
            second_factor=True,
        ),
        _perm(
            "care.review_emergencies",
            (COORDINATOR, ADMINISTRATOR),
            "emergency_reviews",
            "Review emergency accesses.",
            second_factor=True,
        ),
        _perm(
            "care.read_audit_log",
            (ADMINISTRATOR,),
            "audit",
            "Read the NEN 7513 audit log.",
            second_factor=True,
        ),
        _perm(
            "care.follow_referrals",
            _CARE,
            "referrals",
            "Follow referrals and their status.",
            second_factor=True,
        ),
        _perm(
            "care.handle_referrals",
            (PROFESSIONAL,),
            "own_referrals",
            "Accept, decline, start, close and hand over referrals.",
            second_factor=True,
        ),
        _perm(
            "care.conferences",
            _CARE,
            "conferences",
            "Case conferences: agenda, participants, minutes, decisions.",
            second_factor=True,
        ),
        _perm(
            "care.present_family",
            (PROFESSIONAL,),
            "caseload",
            "Put a family on a case conference's agenda (with consent for every participant).",
            second_factor=True,
        ),
        _perm(
            "care.read_routes",
            _CARE,
            "own_coalition",
            "Client routes and the coalition's variants.",
            second_factor=True,
        ),
        _perm(
            "care.edit_route_variant",
            (COORDINATOR,),
            "own_coalition",
            "Edit the coalition's variant of a client route.",
            second_factor=True,
        ),
        _perm(
            "experiences.research",
            (MONITOR_ANALYST,),
            "own_rounds",
            "Study rounds of the experiences study: guide, sessions, participants and consent, "
            "pseudonymised transcripts (every read audited), coding, agreement, memos, quotes "
            "for publication, the REFI-QDA export and import.",
            second_factor=True,
        ),
        _perm(
            "practices.view",
            EVERY_ROLE,
            "practices",
            "The practice library: search, filters, a practice, the coalitions like one's own.",
        ),
        _perm(
            "practices.edit",
            (COORDINATOR, PROFESSIONAL, POLICY_ADVISOR),
            "own_coalition_practices",
            "Describe, change and publish the practices of one's own coalition (no client data).",
        ),
        _perm(
            "admin.site",
            _PROGRAMME,
            "admin_models",
            "The administration site (master data).",
            second_factor=True,
        ),
        _perm(
            "accounts.manage_accounts",
            (ADMINISTRATOR,),
            "other_accounts",
            "Change other users' roles, organisations and active flag (audited).",
            second_factor=True,
        ),
    )
}

# Short names for the route table.
VIEW_SITE = "site.view"
VIEW_COALITIONS = "coalitions.view"
VIEW_INDICATORS = "programme.view_indicators"
RECOMPUTE = "programme.recompute"
ANSWER = "survey.answer_own_municipality"
RESPONSE_STATUS = "programme.view_response_status"
MANAGE_QUESTIONNAIRE = "programme.manage_questionnaire"
VIEW_MONITOR = "monitor.view"
VIEW_NATIONAL = "monitor.view_national"
READ_CLIENT = "care.read_client"
RECORD_CARE = "care.record_care"
REGISTER_CLIENT = "care.register_client"
BREAK_GLASS = "care.break_glass"
REVIEW_EMERGENCIES = "care.review_emergencies"
READ_AUDIT_LOG = "care.read_audit_log"
FOLLOW_REFERRALS = "care.follow_referrals"
HANDLE_REFERRALS = "care.handle_referrals"
CONFERENCES = "care.conferences"
PRESENT_FAMILY = "care.present_family"
READ_ROUTES = "care.read_routes"
EDIT_ROUTE_VARIANT = "care.edit_route_variant"
ADMIN_SITE = "admin.site"
RESEARCH = "experiences.research"
VIEW_PRACTICES = "practices.view"
EDIT_PRACTICES = "practices.edit"
MANAGE_ACCOUNTS = "accounts.manage_accounts"

#: A permission, a tuple of alternatives (any one suffices), or None (nobody).
Need = str | tuple[str, ...] | None


@dataclass(frozen=True)
class Rule:
    """What a URL needs: ``read`` for GET, HEAD and OPTIONS; ``write`` for POST, PUT, PATCH
    and DELETE (``None``: nobody, 405; other methods are always refused with 405)."""

    read: Need
    write: Need = None

    def need(self, method: str) -> Need:
        if method in READ_METHODS:
            return self.read
        if method in WRITE_METHODS:
            return self.write
        return None


READ_METHODS: Final = ("GET", "HEAD", "OPTIONS")
WRITE_METHODS: Final = ("POST", "PUT", "PATCH", "DELETE")
METHODS: Final = READ_METHODS + WRITE_METHODS


def _rw(need: Need) -> Rule:
    """The same permission for reading and changing (a form page and its submission)."""
    return Rule(read=need, write=need)


#: Every URL name (``namespace:name``; unnamed routes by their view's dotted path).
ROUTES: Final[dict[str, Rule]] = {
    # Site and Django's own
    "home": Rule(read=VIEW_SITE),
    "healthz": Rule(read=PUBLIC),
    "set_language": _rw(PUBLIC),
    "kansrijk.web.views.admin_login": _rw(PUBLIC),  # the admin's login: ours, or 403
    # Accounts
    "accounts:login": _rw(PUBLIC),
    "accounts:logout": _rw(PUBLIC),
    "accounts:verify": _rw(SIGNED_IN),
    "accounts:setup": _rw(SIGNED_IN),
    "accounts:backup_codes": _rw(SIGNED_IN),  # the view asks for the second factor first
    "accounts:account": Rule(read=SIGNED_IN),  # idem
    "accounts:password_change": _rw(SIGNED_IN),  # idem
    "accounts:password_change_done": Rule(read=SIGNED_IN),
    "accounts:password_reset": _rw(PUBLIC),  # never says whether the address is known
    "accounts:password_reset_done": Rule(read=PUBLIC),
    "accounts:password_reset_confirm": _rw(PUBLIC),  # the one-use link from the e-mail
    "accounts:password_reset_complete": Rule(read=PUBLIC),
    # Coalition registry
    "coalitions:index": Rule(read=VIEW_COALITIONS),
    "coalitions:detail": Rule(read=VIEW_COALITIONS),
    "coalitions:municipality": Rule(read=VIEW_COALITIONS),
    "coalitions:menu": Rule(read=VIEW_COALITIONS),
    # Questionnaire
    "survey:index": Rule(read=(ANSWER, RESPONSE_STATUS)),
    "survey:fill": _rw(ANSWER),
    "survey:status": Rule(read=RESPONSE_STATUS),
    "survey:remind": Rule(read=None, write=MANAGE_QUESTIONNAIRE),
    "survey:export": Rule(read=RESPONSE_STATUS),
    "survey:import": _rw(MANAGE_QUESTIONNAIRE),
    "survey:import_confirm": Rule(read=None, write=MANAGE_QUESTIONNAIRE),
    "survey:deadline": Rule(read=None, write=MANAGE_QUESTIONNAIRE),
    "survey:response": Rule(read=RESPONSE_STATUS),
    "survey:reopen": Rule(read=None, write=MANAGE_QUESTIONNAIRE),
    # Programme indicators
    "programme:indicators": Rule(read=VIEW_INDICATORS),
    "programme:recompute": Rule(read=None, write=RECOMPUTE),
    "programme:download": Rule(read=VIEW_INDICATORS),
    # Web monitor
    "monitor:index": Rule(read=VIEW_MONITOR),
    "monitor:national": Rule(read=VIEW_NATIONAL),
    "monitor:local": Rule(read=VIEW_MONITOR),
    "monitor:compare": Rule(read=VIEW_MONITOR),
    "monitor:download": Rule(read=VIEW_MONITOR),
    "monitor:results": Rule(read=VIEW_MONITOR),
    "monitor:spec": Rule(read=VIEW_MONITOR),  # national charts: monitor.view_national (view)
    "monitor:boundaries": Rule(read=VIEW_MONITOR),
    "monitor:bundle": Rule(read=PUBLIC),  # the chart library, no data
    # Care coordination: clients
    "care:caseload": Rule(read=READ_CLIENT),
    "care:register": _rw(REGISTER_CLIENT),
    "care:client": Rule(read=READ_CLIENT),
    "care:add_child": _rw(RECORD_CARE),
    "care:add_note": Rule(read=None, write=RECORD_CARE),
    "care:consent_new": _rw(RECORD_CARE),
    "care:consent_withdraw": Rule(read=None, write=RECORD_CARE),
    "care:referral_new": _rw(RECORD_CARE),
    "care:signal_new": _rw(RECORD_CARE),
    "care:signal": Rule(read=READ_CLIENT),
    "care:signal_refer": _rw(RECORD_CARE),
    "care:hand_over": _rw(RECORD_CARE),
    "care:timeline": Rule(read=READ_CLIENT),
    "care:care_plan": Rule(read=READ_CLIENT),
    "care:goal_new": Rule(read=None, write=RECORD_CARE),
    "care:goal_close": Rule(read=None, write=RECORD_CARE),
    "care:task_new": Rule(read=None, write=RECORD_CARE),
    "care:task_done": Rule(read=None, write=RECORD_CARE),
    "care:team_join": Rule(read=None, write=RECORD_CARE),
    "care:team_leave": Rule(read=None, write=RECORD_CARE),
    "care:access_overview": Rule(read=RECORD_CARE),
    "care:record_export": Rule(read=RECORD_CARE),
    "care:retention_holds": _rw(RECORD_CARE),
    "care:retention_hold_lift": Rule(read=None, write=RECORD_CARE),
    "care:api_clients": Rule(read=READ_CLIENT),
    "care:api_client": Rule(read=READ_CLIENT),
    # Care coordination: referrals
    "care:referrals": Rule(read=FOLLOW_REFERRALS),
    "care:referral": Rule(read=FOLLOW_REFERRALS),
    "care:referral_reassign": _rw(HANDLE_REFERRALS),
    "care:referral_action": Rule(read=None, write=HANDLE_REFERRALS),
    # Care coordination: case conferences
    "care:conferences": Rule(read=CONFERENCES),
    "care:conference_new": _rw(CONFERENCES),
    "care:conference": Rule(read=CONFERENCES),
    "care:conference_participant_add": _rw(CONFERENCES),
    "care:conference_participant_remove": Rule(read=None, write=CONFERENCES),
    "care:conference_item_new": _rw(PRESENT_FAMILY),
    "care:conference_item": Rule(read=CONFERENCES),
    "care:conference_item_minutes": Rule(read=None, write=CONFERENCES),
    "care:conference_decision": Rule(read=None, write=CONFERENCES),
    "care:conference_minutes": Rule(read=None, write=CONFERENCES),
    "care:conference_finalise": Rule(read=None, write=CONFERENCES),
    # Care coordination: client routes
    "care:routes": Rule(read=READ_ROUTES),
    "care:route": Rule(read=READ_ROUTES),
    "care:route_variant": _rw(EDIT_ROUTE_VARIANT),
    # Care coordination: emergency access and oversight
    "care:emergency": _rw(BREAK_GLASS),
    "care:emergency_reviews": Rule(read=REVIEW_EMERGENCIES),
    "care:emergency_review": _rw(REVIEW_EMERGENCIES),  # GET: what was viewed under it
    "care:audit_log": Rule(read=READ_AUDIT_LOG),
    # Experiences and learning: study rounds (issue 19)
    "experiences:rounds": Rule(read=RESEARCH),
    "experiences:round_new": _rw(RESEARCH),
    "experiences:round": Rule(read=RESEARCH),
    "experiences:researcher_add": Rule(read=None, write=RESEARCH),
    "experiences:guide_new": _rw(RESEARCH),
    "experiences:session_new": _rw(RESEARCH),
    "experiences:respondent_new": _rw(RESEARCH),
    "experiences:respondent_withdraw": _rw(RESEARCH),  # GET: what withdrawal removes
    "experiences:transcript_import": _rw(RESEARCH),  # POST: the review, nothing stored
    "experiences:transcript_store": Rule(read=None, write=RESEARCH),
    "experiences:transcript": Rule(read=RESEARCH),  # audited read
    "experiences:fragment_new": Rule(read=None, write=RESEARCH),
    "experiences:fragment_codes": Rule(read=None, write=RESEARCH),
    "experiences:coding_done": Rule(read=None, write=RESEARCH),
    "experiences:consensus": _rw(RESEARCH),  # audited read
    "experiences:code_new": _rw(RESEARCH),
    "experiences:memo_new": Rule(read=None, write=RESEARCH),
    "experiences:quote_new": _rw(RESEARCH),  # audited read; consent and identifying check
    "experiences:quotes": Rule(read=RESEARCH),
    "experiences:quote_approve": Rule(read=None, write=RESEARCH),  # four eyes
    "experiences:quote_remove": Rule(read=None, write=RESEARCH),
    "experiences:qdpx_export": Rule(read=RESEARCH),  # REFI-QDA; audited read of every transcript
    "experiences:qdpx_import": _rw(RESEARCH),  # into a new round of the importer
    # Learning between coalitions: the practice library (issue 19)
    "practices:index": Rule(read=VIEW_PRACTICES),  # search and filters
    "practices:like_mine": Rule(read=VIEW_PRACTICES),  # the monitor's comparison group
    "practices:new": _rw(EDIT_PRACTICES),
    "practices:detail": Rule(read=VIEW_PRACTICES),  # drafts: own coalition only (404)
    "practices:edit": _rw(EDIT_PRACTICES),  # own coalition only (403 published, 404 draft)
    "practices:publish": Rule(read=None, write=EDIT_PRACTICES),
    "practices:unpublish": Rule(read=None, write=EDIT_PRACTICES),
}

#: Namespaces whose every URL name shares one rule (the admin's names follow its models).
NAMESPACES: Final[dict[str, Rule]] = {
    "admin": _rw(ADMIN_SITE),
}


# --- Questions the rest of the code asks ------------------------------------------------------


def rule_for(view_name: str) -> Rule | None:
    """The declared rule of a URL name, or None when it is not declared (refused)."""
    rule = ROUTES.get(view_name)
    if rule is None and ":" in view_name:
        rule = NAMESPACES.get(view_name.split(":", 1)[0])
    return rule


def alternatives(need: Need) -> tuple[str, ...]:
    """The permissions of which any one suffices (empty: nobody)."""
    if need is None:
        return ()
    return (need,) if isinstance(need, str) else need


def roles_with(permission: str) -> frozenset[str]:
    """The roles that hold ``permission`` (every role for PUBLIC and SIGNED_IN)."""
    if permission in (PUBLIC, SIGNED_IN):
        return EVERY_ROLE
    return PERMISSIONS[permission].roles


def permissions_of(role: str) -> frozenset[str]:
    """The named permissions ``role`` holds."""
    return frozenset(p.name for p in PERMISSIONS.values() if role in p.roles)


def role_may(role: str, permission: str) -> bool:
    return permission in (PUBLIC, SIGNED_IN) or role in roles_with(permission)


#: Roles that must verify a second factor (they hold a permission that requires one).
SECOND_FACTOR_ROLES: Final = frozenset(
    role for p in PERMISSIONS.values() if p.second_factor for role in p.roles
)
#: Roles that can see client data or its audit trail (care.*): two-factor, never public.
CLIENT_DATA_ROLES: Final = frozenset(
    role for p in PERMISSIONS.values() if p.name.startswith("care.") for role in p.roles
)
#: Roles that hold client data themselves (accounts.access.CARE_ROLES).
CARE_ROLES: Final = roles_with(READ_CLIENT)
#: Roles that run the national programme.
PROGRAMME_ROLES: Final = roles_with(RESPONSE_STATUS)
#: Roles that fill in their municipality's questionnaire.
QUESTIONNAIRE_ROLES: Final = roles_with(ANSWER)
#: Roles that see the national monitor dashboard.
NATIONAL_ROLES: Final = roles_with(VIEW_NATIONAL)


# --- Decisions -------------------------------------------------------------------------------

ALLOW: Final = "allow"
DENY: Final = "deny"  # 403: an undeclared URL, or the role lacks the permission
NOT_ALLOWED: Final = "not_allowed"  # 405: the URL's rule gives this method to nobody
LOGIN: Final = "login"  # sign in first
SECOND_FACTOR: Final = "second_factor"  # verify the second factor first


def decide(view_name: str | None, method: str, role: str | None, *, verified: bool) -> str:
    """The policy's answer for a request: ``ALLOW``, ``DENY``, ``NOT_ALLOWED``, ``LOGIN`` or
    ``SECOND_FACTOR``.

    ``role`` is None for an anonymous visitor; ``verified`` whether the user has passed the
    second factor where they need one (verified it in this session, or their role needs none
    and they have not enrolled a device). Until then a user reaches only public and
    signed-in pages, as the two-factor middleware ensures for most paths.
    """
    rule = rule_for(view_name) if view_name else None
    if rule is None:
        return DENY
    options = alternatives(rule.need(method.upper()))
    if PUBLIC in options:
        return ALLOW
    if role is None:
        return LOGIN if options else NOT_ALLOWED
    if SIGNED_IN in options:
        return ALLOW
    if not verified:
        return SECOND_FACTOR
    if not options:
        return NOT_ALLOWED
    if any(role in PERMISSIONS[p].roles for p in options):
        return ALLOW
    return DENY


def allowed_methods(view_name: str) -> list[str]:
    """The methods a URL's rule gives to someone (for a 405's Allow header)."""
    rule = rule_for(view_name)
    return [m for m in METHODS if rule is not None and rule.need(m) is not None]


class PolicyMiddleware:
    """Deny by default: every resolved URL must be declared in ``ROUTES`` (or ``NAMESPACES``)
    and the user's role must hold the permission its method needs. Object scope stays with
    the views (``care.access.Access``); their own checks remain a second layer.

    Refusals of care pages are written to the audit log, as ``@care_view`` does."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self,
        request: HttpRequest,
        view_func: Callable[..., Any],
        view_args: tuple[Any, ...],
        view_kwargs: dict[str, Any],
    ) -> HttpResponse | None:
        match = request.resolver_match
        view_name = match.view_name if match is not None else None
        user = request.user
        role = getattr(user, "role", "") if user.is_authenticated else None
        verified = user.is_authenticated and _verified(user)
        decision = decide(view_name, request.method or "GET", role, verified=verified)
        if decision == ALLOW:
            return None
        if decision == NOT_ALLOWED:
            return HttpResponseNotAllowed(allowed_methods(view_name or ""))
        if decision == LOGIN:
            from django.contrib.auth.views import redirect_to_login  # noqa: PLC0415

            return redirect_to_login(request.get_full_path(), settings.LOGIN_URL)
        if decision == SECOND_FACTOR:
            from django_otp import user_has_device  # noqa: PLC0415 (models: lazily)

            target = (
                "accounts:verify" if user_has_device(user, confirmed=True) else "accounts:setup"
            )
            return redirect(f"{reverse(target)}?{urlencode({'next': request.get_full_path()})}")
        if user.is_authenticated and match is not None and match.namespace == "care":
            _log_refusal(request, view_func, view_kwargs)
        raise PermissionDenied


def _verified(user: Any) -> bool:
    """Whether the user may use permissions that need a second factor in this request."""
    if user.is_verified():
        return True
    if getattr(user, "role", "") in SECOND_FACTOR_ROLES or getattr(user, "is_staff", False):
        return False
    from django_otp import user_has_device  # noqa: PLC0415 (models: lazily)

    return not user_has_device(user, confirmed=True)


def _care_view_audit(view_func: Callable[..., Any]) -> dict[str, Any]:
    """The audit action and purpose a ``@care_view`` page logs (from its wrapper's closure,
    found along the ``__wrapped__`` chain), so a refusal here is logged as the page would."""
    found: Any = view_func
    while found is not None:
        code = getattr(found, "__code__", None)  # the wrapper's own, not the copied names
        if code is not None and code.co_qualname.startswith("care_view."):
            names = inspect.getclosurevars(found).nonlocals
            return {k: names[k] for k in ("action", "purpose") if k in names}
        found = getattr(found, "__wrapped__", None)
    return {}


def _log_refusal(
    request: HttpRequest, view_func: Callable[..., Any], view_kwargs: dict[str, Any]
) -> None:
    """A denied audit entry for a refused care page (the view that would log it never ran)."""
    # Lazily: this module is data first, importable before the app registry is ready.
    from kansrijk.web.audit import log as audit  # noqa: PLC0415
    from kansrijk.web.audit.log import DENIED  # noqa: PLC0415
    from kansrijk.web.audit.models import AuditAction, AuditPurpose  # noqa: PLC0415

    pk = view_kwargs.get("pk")
    match = request.resolver_match
    page = _care_view_audit(view_func)
    fallback = AuditAction.READ if request.method in READ_METHODS else AuditAction.UPDATE
    audit.record(
        action=page.get("action", fallback),
        user=request.user,  # type: ignore[arg-type]
        purpose=page.get("purpose", AuditPurpose.CARE),
        flags=DENIED,
        client_id=pk if isinstance(pk, int) else None,
        detail=match.view_name if match is not None else request.path_info[:200],
    )


# --- The URL conf, as the policy sees it --------------------------------------------------------


def url_names() -> list[tuple[str, str]]:
    """Every route of the URL conf as ``(view name, path pattern)``, in URL conf order: the
    view name is ``namespace:name``, or the view's dotted path for an unnamed route."""
    from django.urls import URLPattern, URLResolver, get_resolver  # noqa: PLC0415

    found: list[tuple[str, str]] = []

    def walk(patterns: Iterable[Any], prefix: str, namespace: str) -> None:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = pattern.namespace or ""
                joined = f"{namespace}:{inner}" if namespace and inner else inner or namespace
                walk(pattern.url_patterns, prefix + str(pattern.pattern), joined)
            elif isinstance(pattern, URLPattern):
                name = pattern.name or pattern.lookup_str
                view_name = f"{namespace}:{name}" if namespace else name
                found.append((view_name, "/" + prefix + str(pattern.pattern)))

    walk(get_resolver().url_patterns, "", "")
    return found

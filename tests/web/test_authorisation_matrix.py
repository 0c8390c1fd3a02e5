"""The exhaustive authorisation test: every URL of the platform (except the Django admin, which
tests/web/accounts covers) x every HTTP method x anonymous, every role before its second factor
and every role with it, against the policy in ``kansrijk.web.policy``.

Expected per request, from ``policy.decide``:

- refused: 403 (405 for a method the URL's rule gives nobody); or 302 to the login
  (anonymous) or to the second-factor page (not verified);
- allowed: never 403 (unless the view's own second layer refuses this role on these objects,
  listed in ``SECOND_LAYER``), never a login redirect, never a server error; 405 where the
  view does not implement the method.

Path parameters come from one small world built once per module (``tests/web/care/builders``
plus a questionnaire, a coalition, a conference, an emergency access, ...); every request runs
in a savepoint that is rolled back, so no request changes what the next one sees. A second
test asks every client page for a client outside the user's scope and expects 404. A URL the
policy does not declare fails ``test_every_route_is_declared``. Runs on SQLite and PostgreSQL.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from http.cookies import SimpleCookie
from typing import Any

import pytest
from django.conf import settings
from django.db import transaction
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from kansrijk.web import policy
from kansrijk.web.accounts.models import User
from kansrijk.web.accounts.roles import OrganisationType, Role
from kansrijk.web.care import careplan, services
from kansrijk.web.care.models import CareTeamMember
from kansrijk.web.coalitions.models import CoalitionMunicipality
from kansrijk.web.conferences import services as conferences
from kansrijk.web.experiences import services as experiences
from kansrijk.web.experiences.models import Quote, Session, SessionKind, SessionMode
from kansrijk.web.practices.models import Phase, Practice, Status, Theme
from kansrijk.web.programme import services as programme_services
from kansrijk.web.retention.models import HoldReason, RetentionHold
from kansrijk.web.survey.models import QuestionSetStatus
from kansrijk.web.survey.questions import install_question_set
from tests.web import factories as f
from tests.web.care.builders import World, consent, family, refer, signal, world
from tests.web.coalitions import builders as cb

MIDDLEWARE = "kansrijk.web.policy.PolicyMiddleware"
TWO_FACTOR = "kansrijk.web.accounts.middleware.RequireTwoFactorMiddleware"
EDITION = 2022
PROFESSIONAL, COORDINATOR = Role.PROFESSIONAL.value, Role.COORDINATOR.value

#: Every route of the URL conf but the admin's (tests/web/accounts tests those).
ROUTES = [
    (name, path)
    for name, path in policy.url_names()
    if not name.startswith("admin:") and not path.startswith("/admin/")
]
#: The admin's login page is ours (kansrijk.web.views.admin_login): keep it in the matrix.
ROUTES += [(n, p) for n, p in policy.url_names() if n == "kansrijk.web.views.admin_login"]

#: Parameters a view takes from another object of the world: (url name, parameter) -> key.
OVERRIDES = {("care:referral_reassign", "referral_pk"): "sent_referral_pk"}

#: Where a role holds the permission but the view's second layer refuses it for the objects
#: of this world (403): (url name, role) -> why.
SECOND_LAYER: dict[tuple[str, str], str] = {
    ("kansrijk.web.views.admin_login", "*"): "signed-in users without admin access get 403",
    ("care:conference_participant_add", PROFESSIONAL): "only the organiser adds participants",
    ("care:conference_participant_remove", PROFESSIONAL): "only the organiser removes them",
    ("care:conference_participant_remove", COORDINATOR): "a presenter cannot be removed",
    ("care:conference_minutes", PROFESSIONAL): "only the organiser records the minutes",
    ("care:conference_finalise", PROFESSIONAL): "only the organiser finalises",
    # The professional's organisation is no partner of the practice's coalition.
    ("practices:edit", PROFESSIONAL): "another coalition's published practice",
    ("practices:publish", PROFESSIONAL): "another coalition's published practice",
    ("practices:unpublish", PROFESSIONAL): "another coalition's published practice",
}


@dataclass
class Actor:
    """One way of being a visitor: anonymous, or a user with or without a verified factor."""

    label: str
    role: str | None
    verified: bool
    user: User | None = None
    cookies: SimpleCookie = field(default_factory=SimpleCookie)


@dataclass
class Matrix:
    world: World
    actors: list[Actor]
    kwargs: dict[str, Any]  # path parameter values by name
    hidden: dict[str, int]  # path parameters naming objects outside every actor's scope

    def client_for(self, actor: Actor) -> int:
        """The client a URL names for ``actor``: one it may see where it may see any."""
        if actor.role == Role.COORDINATOR:
            return self.world.referred_consent.pk
        return self.world.own.pk


def _build() -> Matrix:
    w = world()
    professional = w.users[Role.PROFESSIONAL]
    coordinator = w.users[Role.COORDINATOR]
    own = w.own
    found_consent = consent(own, professional, ["identity"], to=w.other_org)
    found_signal = signal(own, professional)
    goal = careplan.set_goal(own, professional, "family", "Rust in huis")
    task = careplan.create_task(own, professional, "family", "Bellen", w.own_org)
    kraamzorg = f.organisation("Kraamzorg Oost", type=OrganisationType.KRAAMZORG)
    member = CareTeamMember.objects.create(
        client=own, organisation=kraamzorg, since=timezone.localdate()
    )
    hold = RetentionHold.objects.create(
        client=own, reason=HoldReason.COMPLAINT, organisation=w.own_org, placed_by=professional
    )
    conference = conferences.create_conference(
        coordinator, title="Casusoverleg", starts_at=timezone.now() + timedelta(days=1)
    )
    participant = conferences.add_participant(conference, professional)
    item = conferences.add_item(conference, professional, client=own, summary="Casus zonder namen.")
    emergency = services.start_emergency(
        professional, w.other, "Acuut: de familie is onbereikbaar en de baby is ziek.", 1
    )
    install_question_set(EDITION, QuestionSetStatus.OPEN)
    coalition = cb.coalition("Kansrijke Start Amsterdam")
    amsterdam = cb.municipality("GM0363", "Amsterdam", province="Noord-Holland")
    CoalitionMunicipality.objects.create(
        coalition=coalition, municipality=amsterdam, valid_from=date(2019, 1, 1)
    )
    outside = conferences.create_conference(
        w.other_professional, title="Elders", starts_at=timezone.now() + timedelta(days=1)
    )
    hidden = {
        "pk": family(w.other_professional, "Hanna").pk,  # no consent, no referral
        "conference_pk": outside.pk,  # neither organised nor attended by the actors
    }
    received = w.referred_consent.referrals.get()  # to the professional's organisation
    sent = refer(own, professional, w.other_org)  # by the professional's organisation
    kwargs: dict[str, Any] = {
        "consent_pk": found_consent.pk,
        "signal_pk": found_signal.pk,
        "route_code": "pregnant_debts",
        "step": 1,
        "goal_pk": goal.pk,
        "task_pk": task.pk,
        "member_pk": member.pk,
        "hold_pk": hold.pk,
        "referral_pk": received.pk,
        "sent_referral_pk": sent.pk,
        "action": "accept",
        "conference_pk": conference.pk,
        "participant_pk": participant.pk,
        "item_pk": item.pk,
        "emergency_pk": emergency.pk,
        "edition": EDITION,
        "fmt": "csv",
        "indicator_id": "ks_01",
        "name": "results.csv",
        "run_id": "run",
        "lang": "nl",
        "kind": "trend",
        "region": "GM0363",
        "year": 2023,
        "version": "1",
        "uidb64": "MQ",
        "token": "set-password",
    }
    kwargs["coalition_pk"] = coalition.pk
    kwargs["practice_pk"] = Practice.objects.create(
        coalition=coalition,  # the coordinator's and the policy advisor's (GM0363)
        title="Schuldhulp aan tafel",
        problem="Geldzorgen komen laat in beeld.",
        activity="Een gesprek met schuldhulp na de intake.",
        phase=Phase.DURING,
        theme=Theme.FINANCIAL,
        contact_address="kansrijkestart@example.org",
        status=Status.PUBLISHED,
        published_at=timezone.now(),
    ).pk
    kwargs.update(_study(w.users[Role.MONITOR_ANALYST]))
    actors = [Actor("anonymous", None, verified=False)]
    for role in Role:
        account = w.users[role]
        signed = f.signed_in(account)
        actors.append(Actor(f"{role.value}", role.value, True, account, signed.cookies))
        if account.needs_two_factor:
            unverified = Client()
            unverified.force_login(account)
            actors.append(
                Actor(
                    f"{role.value} (no 2nd factor)", role.value, False, account, unverified.cookies
                )
            )
    return Matrix(w, actors, kwargs, hidden)


def _study(researcher: User) -> dict[str, int]:
    """A study round of the experiences study with one of everything its URLs name."""
    study = experiences.create_round(researcher, "Monitor 2021", date(2030, 1, 1))
    session = Session.objects.create(
        round=study,
        label="Groepsgesprek 1",
        kind=SessionKind.GROUP,
        held_on=date(2021, 10, 5),
        mode=SessionMode.ONLINE,
    )
    respondent = experiences.add_respondent(
        session,
        researcher,
        stakeholder_type="care_provider",
        organisation=None,
        coalition=None,
        recording=True,
        anonymous_use=True,
        quoting=True,
    )
    transcript = experiences.store(
        session,
        researcher,
        title="Groepsgesprek 1",
        source_format="text",
        raw="P01: De samenwerking gaat goed.",
        replacements={},
    )
    fragment = experiences.add_fragment(transcript, researcher, "De samenwerking gaat goed.")
    quote = Quote.objects.create(
        round=study,
        fragment=fragment,
        code=study.codebook.codes.get(name="Samenwerking"),
        respondent=respondent,
        stakeholder_type=respondent.stakeholder_type,
        text="De samenwerking gaat goed.",
        proposed_by=researcher,
    )
    return {
        "round_pk": study.pk,
        "session_pk": session.pk,
        "respondent_pk": respondent.pk,
        "transcript_pk": transcript.pk,
        "fragment_pk": fragment.pk,
        "quote_pk": quote.pk,
    }


@pytest.fixture(scope="module")
def matrix(django_db_setup: None, django_db_blocker: Any) -> Iterator[Matrix]:
    """The world, built once, with the policy middleware in force (where settings.py does not
    list it yet)."""
    middleware = list(settings.MIDDLEWARE)
    if MIDDLEWARE not in middleware:
        middleware.insert(middleware.index(TWO_FACTOR) + 1, MIDDLEWARE)
    with (
        override_settings(MIDDLEWARE=middleware),
        django_db_blocker.unblock(),
        transaction.atomic(),
    ):
        yield _build()
        transaction.set_rollback(True)


@pytest.fixture(scope="module")
def browser(matrix: Matrix) -> Client:
    """One test client for every actor (its middleware chain is built once); each request
    carries the actor's cookies."""
    return Client()


def _path(
    matrix: Matrix, view_name: str, actor: Actor, hidden: dict[str, int] | None = None
) -> str:
    pattern = next(p for n, p in ROUTES if n == view_name)
    if view_name == "kansrijk.web.views.admin_login":
        return pattern
    names = _parameters(pattern)
    kwargs: dict[str, Any] = {}
    for name in names:
        if hidden and name in hidden and view_name.startswith("care:"):
            kwargs[name] = hidden[name]
        elif name == "pk":
            kwargs[name] = (
                matrix.kwargs["coalition_pk"]
                if view_name.startswith("coalitions:")
                else matrix.client_for(actor)
            )
        elif name == "code":
            kwargs[name] = "pregnant_debts" if view_name.startswith("care:") else "GM0363"
        else:
            kwargs[name] = matrix.kwargs[OVERRIDES.get((view_name, name), name)]
    return reverse(view_name, kwargs=kwargs)


def _parameters(path: str) -> list[str]:
    """The names of a route's path parameters, from its pattern."""
    return re.findall(r"<(?:\w+:)?(\w+)>", path)


def _request(browser: Client, actor: Actor, method: str, path: str) -> tuple[int, str]:
    """One request in a savepoint rolled back afterwards: (status, redirect location)."""
    browser.cookies = SimpleCookie()
    for key, morsel in actor.cookies.items():
        browser.cookies[key] = morsel.value
    with transaction.atomic():
        response = browser.generic(method, path)
        transaction.set_rollback(True)
    return response.status_code, response.get("Location", "")


def _check(view_name: str, method: str, actor: Actor, status: int, location: str) -> str | None:
    """Why this answer breaks the policy, or None."""
    decision = policy.decide(view_name, method, actor.role, verified=actor.verified)
    login = reverse("accounts:login")
    verify = (reverse("accounts:verify"), reverse("accounts:setup"))
    if decision == policy.DENY:
        return None if status == 403 else f"refused, expected 403, got {status}"
    if decision == policy.NOT_ALLOWED:
        return None if status == 405 else f"nobody's method, expected 405, got {status}"
    if decision == policy.LOGIN:
        ok = status == 302 and location.startswith(login)
        return None if ok else f"expected the login, got {status} {location}"
    if decision == policy.SECOND_FACTOR:
        ok = status == 302 and location.startswith(verify)
        return None if ok else f"expected the second-factor page, got {status} {location}"
    if status >= 500:
        return f"allowed, got {status}"
    role = actor.role or "anonymous"
    if status == 403 and not ({(view_name, role), (view_name, "*")} & SECOND_LAYER.keys()):
        return "allowed, got 403"
    rule = policy.rule_for(view_name)
    need = policy.alternatives(rule.need(method)) if rule is not None else ()
    # The sign-in pages themselves send on to each other (and the two-factor middleware keeps
    # unverified users off public pages outside /accounts/); any other page must not.
    signing_in = bool({policy.PUBLIC, policy.SIGNED_IN} & set(need))
    if status == 302 and location.startswith((login, *verify)) and not signing_in:
        return f"allowed, sent to {location}"
    return None


@pytest.mark.django_db
@pytest.mark.parametrize("view_name", [n for n, _p in ROUTES])
def test_every_role_every_method(
    matrix: Matrix, browser: Client, view_name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Recomputing the programme indicators takes seconds and is not what is tested here.
    monkeypatch.setattr(programme_services, "publish_programme_indicators", lambda: None)
    assert policy.rule_for(view_name) is not None, f"{view_name} is not declared in the policy"
    failures = []
    for actor in matrix.actors:
        path = _path(matrix, view_name, actor)
        for method in policy.METHODS:
            status, location = _request(browser, actor, method, path)
            problem = _check(view_name, method, actor, status, location)
            if problem:
                failures.append(f"{actor.label} {method} {path}: {problem}")
    assert not failures, "\n".join(failures)


#: Care routes naming a client or a conference: the objects that scope hides.
SCOPED = [
    name
    for name, path in ROUTES
    if name.startswith("care:") and {"pk", "conference_pk"} & set(_parameters(path))
]


@pytest.mark.django_db
@pytest.mark.parametrize("view_name", SCOPED)
def test_objects_out_of_scope_do_not_exist(matrix: Matrix, browser: Client, view_name: str) -> None:
    """Every method the policy allows, on a client (or conference) outside the user's scope,
    answers 404 (405 where the view does not implement the method): the role may use the
    page, the object does not exist for them."""
    failures = []
    for actor in matrix.actors:
        if not actor.verified or actor.role not in (PROFESSIONAL, COORDINATOR):
            continue
        path = _path(matrix, view_name, actor, hidden=matrix.hidden)
        for method in policy.METHODS:
            if policy.decide(view_name, method, actor.role, verified=True) != policy.ALLOW:
                continue
            status, _location = _request(browser, actor, method, path)
            if status != 404 and not (status == 405 and method not in ("GET", "POST")):
                failures.append(f"{actor.label} {method} {path}: expected 404, got {status}")
    assert not failures, "\n".join(failures)

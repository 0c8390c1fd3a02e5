"""Load test of the care pages on loopback: 50 signed-in users, 100,000 families.

Target (issue text): with 100,000 clients and 300 organisations in the database, 50 concurrent
users on the caseload and referral pages at p95 <= 150 ms, with no lost updates (optimistic
locking).

Setup: the data set of ``bench/care_data.py`` (300 organisations, about 1,000 users with TOTP,
100,000 families with members, care team, contact persons, about 40,000 referrals in every
state with their events and consents, notes, 100,000 audit events), built once (about 90 s)
and cached under a fingerprint of the generator and the BSN and audit hashing:

- PostgreSQL (the default, ``KANSRIJK_BENCH_DB=postgresql``): built into the template database
  ``kansrijk_care_tpl_<fingerprint>`` (at ``KANSRIJK_BENCH_PG``, default
  postgres@127.0.0.1:5432), copied into ``kansrijk_care_load`` for every run (``CREATE
  DATABASE ... TEMPLATE``), the keys from ``bench/.data/care-pg-<fingerprint>``;
- SQLite (``KANSRIJK_BENCH_DB=sqlite``): built into ``bench/.data/care-sqlite-<fingerprint>``,
  the file and the keys copied into the run's data directory.

``kansrijk serve --no-demo --workers 2`` (``KANSRIJK_BENCH_WORKERS`` processes, default 2, one
per core; ``KANSRIJK_BENCH_THREADS`` threads each, default 8) on a
free loopback port; 50 users (professionals of many organisations, small and large, and
coalition coordinators) signed in through the login form and the TOTP step. Every user is a
thread with its own keep-alive connection.

Phases, all in the same run:

1. warm-up: every user opens the caseload and the referral list once (collects the referrals
   they may open);
2. baseline: 50 threads on /healthz and on the signed-in home page, 10 s each, no think time;
3. one user alone on the care mix for 10 s (the unloaded latency of each page);
4. saturation: 50 threads on the care mix without think time for
   ``KANSRIJK_BENCH_SATURATION_SECONDS`` (default 20 s): the server's throughput;
5. load: 50 users on the care mix for ``KANSRIJK_BENCH_LOAD_SECONDS`` (default 60 s), each
   waiting a think time of ``KANSRIJK_BENCH_THINK_MS`` (default 5,000 ms, uniform 0.5-1.5
   times that) between requests: the figures the target is asserted on. The care mix: the
   caseload (45 %: page 1, a later page, or a name search), the referral list (25 %: open,
   overdue or all) and a referral page (30 %);
6. concurrent updates: for 12 referrals in state requested at the organisation with the most
   signed-in users, all of its users post ``accept`` at the same version at the same moment,
   then ``start`` at the next version: exactly one may succeed each time (the others get
   409), and afterwards the database must show each referral's version and its events
   matching the successful updates (no lost updates);
7. the audit chain is verified (``kansrijk audit verify``).

Figures (p50, p95, p99, mean, requests per second per page; saturation against the baselines,
load against one user alone; the concurrency check, the data build time, the machine's load
average) go to stdout and to bench/results/care_load[_sqlite][_think<s>s].json.
"""

from __future__ import annotations

import hashlib
import http.client
import json
import os
import random
import re
import shutil
import socket
import sqlite3
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psycopg
import pytest
from django_otp.oath import TOTP

pytestmark = pytest.mark.bench

HERE = Path(__file__).parent
DATA = HERE / ".data"
RESULTS = HERE / "results"
CLI = [sys.executable, "-m", "kansrijk.cli"]
BACKEND = os.environ.get("KANSRIJK_BENCH_DB", "postgresql")
PG = os.environ.get("KANSRIJK_BENCH_PG", "postgres://postgres@127.0.0.1:5432")
RUN_DB = "kansrijk_care_load"
USERS = 50
COORDINATORS = 8
THREADS = int(os.environ.get("KANSRIJK_BENCH_THREADS", "8"))
#: Server processes: one per core of this 2-core machine (``kansrijk serve --workers``).
WORKERS = int(os.environ.get("KANSRIJK_BENCH_WORKERS", "2"))
LOAD_SECONDS = float(os.environ.get("KANSRIJK_BENCH_LOAD_SECONDS", "60"))
SATURATION_SECONDS = float(os.environ.get("KANSRIJK_BENCH_SATURATION_SECONDS", "20"))
DEFAULT_THINK_MS = 5000.0
THINK_MS = float(os.environ.get("KANSRIJK_BENCH_THINK_MS", str(DEFAULT_THINK_MS)))
BASELINE_SECONDS = 10.0
TARGET_P95_MS = 150.0
CONTENDED_REFERRALS = 12


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


# --- The data set, built once -----------------------------------------------------------------


def _fingerprint() -> str:
    """The cached data set's version: the generator and what shapes its rows (the BSN and
    audit hashes); a change to one of them builds the data set again."""
    digest = hashlib.sha256()
    src = HERE.parent / "src" / "kansrijk" / "web" / "care"
    for path in (HERE / "care_data.py", src / "audit.py", src / "bsn.py"):
        digest.update(path.read_bytes())
    return digest.hexdigest()[:10]


def _pg_admin(sql: str) -> None:
    with psycopg.connect(f"{PG}/postgres", autocommit=True) as conn:
        conn.execute(sql)


def _pg_exists(name: str) -> bool:
    with psycopg.connect(f"{PG}/postgres", autocommit=True) as conn:
        row = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone()
    return row is not None


def _build(cache: Path, env: dict[str, str]) -> None:
    shutil.rmtree(cache, ignore_errors=True)
    subprocess.run(
        [sys.executable, str(HERE / "care_data.py"), "--data-dir", str(cache)], env=env, check=True
    )


@dataclass
class Dataset:
    backend: str
    data_dir: Path  # the run's data directory (keys; the SQLite file)
    database_url: str  # "" for SQLite
    built: dict[str, Any]

    def query(self, sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        if self.backend == "sqlite":
            conn = sqlite3.connect(self.data_dir / "kansrijk.sqlite3")
            try:
                return conn.execute(sql.replace("%s", "?"), params).fetchall()
            finally:
                conn.close()
        with psycopg.connect(self.database_url) as pg:
            return list(pg.execute(sql, params).fetchall())


def _clean_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL"))}
    return env | {"KANSRIJK_ENV": "development"}


@pytest.fixture(scope="module")
def dataset(tmp_path_factory: pytest.TempPathFactory) -> Dataset:
    run_dir = tmp_path_factory.mktemp("care-web")
    env = _clean_env()
    version = _fingerprint()
    if BACKEND == "sqlite":
        cache = DATA / f"care-sqlite-{version}"
        if not (cache / "accounts.json").is_file():
            _build(cache, env)
        for item in cache.iterdir():  # the database and the keys (secret, BSN, audit)
            if item.is_file() and item.name != "accounts.json":
                shutil.copy2(item, run_dir / item.name)
        return Dataset("sqlite", run_dir, "", json.loads((cache / "accounts.json").read_text()))
    try:
        _pg_exists("postgres")
    except Exception as error:  # pragma: no cover - depends on the machine
        pytest.skip(f"PostgreSQL not reachable at {PG}: {error}")
    cache = DATA / f"care-pg-{version}"
    template = f"kansrijk_care_tpl_{version}"
    if not (cache / "accounts.json").is_file() or not _pg_exists(template):
        with psycopg.connect(f"{PG}/postgres", autocommit=True) as conn:  # earlier versions
            stale = conn.execute(
                "SELECT datname FROM pg_database WHERE datname LIKE 'kansrijk_care_tpl_%'"
            ).fetchall()
        for (name,) in stale:
            _pg_admin(f"DROP DATABASE IF EXISTS {name}")
        _pg_admin(f"CREATE DATABASE {template}")
        _build(cache, env | {"DATABASE_URL": f"{PG}/{template}"})
    _pg_admin(f"DROP DATABASE IF EXISTS {RUN_DB} WITH (FORCE)")
    _pg_admin(f"CREATE DATABASE {RUN_DB} TEMPLATE {template}")
    for item in cache.iterdir():  # the keys (secret, BSN, audit) that go with the data
        if item.is_file() and item.name != "accounts.json":
            shutil.copy2(item, run_dir / item.name)
    built = json.loads((cache / "accounts.json").read_text())
    return Dataset("postgresql", run_dir, f"{PG}/{RUN_DB}", built)


# --- The server -------------------------------------------------------------------------------


@dataclass
class Served:
    host: str
    port: int
    log: Path


@pytest.fixture(scope="module")
def server(dataset: Dataset) -> Iterator[Served]:
    port = _free_port()
    env = _clean_env() | {"KANSRIJK_DATA_DIR": str(dataset.data_dir)}
    if dataset.database_url:
        env["DATABASE_URL"] = dataset.database_url
    log = dataset.data_dir / "server.log"
    args = ["serve", "--host", "127.0.0.1", "--port", str(port), "--no-demo"]
    with log.open("w") as out:
        process = subprocess.Popen(
            [*CLI, *args, "--threads", str(THREADS), "--workers", str(WORKERS)],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
        served = Served("127.0.0.1", port, log)
        try:
            deadline = time.monotonic() + 300
            while True:
                if process.poll() is not None:
                    pytest.fail(f"kansrijk serve exited: {log.read_text()[-3000:]}")
                probe = User(served, "", "")
                try:
                    if probe.get("/healthz")[0] == 200:
                        break
                except OSError:
                    pass
                finally:
                    probe.close()
                if time.monotonic() > deadline:
                    pytest.fail("kansrijk serve did not start")
                time.sleep(0.5)
            yield served
        finally:
            process.terminate()
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()


# --- A signed-in user: cookies, one keep-alive connection --------------------------------------


def totp_code(key_hex: str) -> str:
    totp = TOTP(bytes.fromhex(key_hex), step=30, t0=0, digits=6, drift=0)
    totp.time = time.time()
    return f"{totp.token():06d}"


CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@dataclass
class User:
    served: Served
    username: str
    key: str
    role: str = ""
    organisation_id: int = 0
    cookies: dict[str, str] = field(default_factory=dict)
    referrals: list[int] = field(default_factory=list)
    conn: http.client.HTTPConnection | None = None

    def _connection(self) -> http.client.HTTPConnection:
        if self.conn is None:
            self.conn = http.client.HTTPConnection(self.served.host, self.served.port, timeout=60)
        return self.conn

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()
            self.conn = None

    def request(
        self, method: str, path: str, form: dict[str, str] | None = None
    ) -> tuple[int, bytes, str]:
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        body = None
        if form is not None:
            body = urllib.parse.urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Referer"] = f"http://{self.served.host}:{self.served.port}{path}"
        conn = self._connection()
        try:
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            data = response.read()
        except (OSError, http.client.HTTPException):
            self.close()
            raise
        for header in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            self.cookies[name.strip()] = rest.split(";", 1)[0]
        return response.status, data, response.headers.get("Location") or ""

    def get(self, path: str) -> tuple[int, bytes]:
        status, data, _location = self.request("GET", path)
        return status, data

    def sign_in(self, password: str) -> None:
        """Password, then the TOTP code, as a browser would."""
        status, page = self.get("/accounts/login/")
        token = CSRF.search(page.decode())
        assert status == 200 and token
        form = {"csrfmiddlewaretoken": token.group(1), "username": self.username}
        status, _, location = self.request(
            "POST", "/accounts/login/", form | {"password": password}
        )
        assert status == 302, f"login of {self.username}: {status}"
        status, page = self.get("/accounts/verify/")
        token = CSRF.search(page.decode())
        assert status == 200 and token, f"no verify page for {self.username}: {status}"
        form = {"csrfmiddlewaretoken": token.group(1), "token": totp_code(self.key)}
        status, _, location = self.request("POST", "/accounts/verify/", form)
        assert status == 302 and "/accounts/" not in location, f"TOTP of {self.username}: {status}"


# --- Measuring --------------------------------------------------------------------------------


@dataclass
class Measured:
    latencies_ms: dict[str, list[float]]
    seconds: float
    errors: dict[str, int]

    def summary(self, kind: str | None = None) -> dict[str, float]:
        if kind is None:
            ordered = sorted(x for xs in self.latencies_ms.values() for x in xs)
            errors = sum(self.errors.values())
        else:
            ordered = sorted(self.latencies_ms.get(kind, []))
            errors = self.errors.get(kind, 0)
        if not ordered:
            return {"requests": 0, "errors": errors}

        def pct(p: float) -> float:
            return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]

        return {
            "requests": len(ordered),
            "errors": errors,
            "seconds": round(self.seconds, 1),
            "requests_per_second": round(len(ordered) / self.seconds, 1),
            "mean_ms": round(statistics.fmean(ordered), 1),
            "p50_ms": round(pct(50), 1),
            "p95_ms": round(pct(95), 1),
            "p99_ms": round(pct(99), 1),
            "max_ms": round(ordered[-1], 1),
        }


Pick = Callable[[User, random.Random], tuple[str, str]]


def hammer(users: list[User], pick: Pick, seconds: float, think_ms: float = 0) -> Measured:
    """One thread per user on its own keep-alive connection, requesting ``pick(user, rng)``
    (a page kind and a path) for ``seconds``."""
    latencies: dict[str, list[float]] = {}
    errors: dict[str, int] = {}
    lock = threading.Lock()
    start_line = threading.Barrier(len(users))
    stop = [0.0]

    def worker(user: User, seed: int) -> None:
        rng = random.Random(seed)
        mine: dict[str, list[float]] = {}
        failed: dict[str, int] = {}
        start_line.wait()
        if think_ms:  # users arrive spread over one think time, not all at once
            time.sleep(rng.uniform(0, think_ms / 1000))
        while time.perf_counter() < stop[0]:
            kind, path = pick(user, rng)
            began = time.perf_counter()
            try:
                status, body = user.get(path)
            except (OSError, http.client.HTTPException):
                status, body = 0, b""
            elapsed = (time.perf_counter() - began) * 1000
            if status != 200 or not body:
                failed[kind] = failed.get(kind, 0) + 1
            else:
                mine.setdefault(kind, []).append(elapsed)
            if think_ms:
                time.sleep(rng.uniform(0.5, 1.5) * think_ms / 1000)
        with lock:
            for kind, xs in mine.items():
                latencies.setdefault(kind, []).extend(xs)
            for kind, n in failed.items():
                errors[kind] = errors.get(kind, 0) + n

    threads = [threading.Thread(target=worker, args=(u, i)) for i, u in enumerate(users)]
    began = time.perf_counter()
    stop[0] = began + seconds
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return Measured(latencies, time.perf_counter() - began, errors)


SEARCH_WORDS = ("Jansen", "de Vries", "Amira", "Bakker", "Yilmaz", "Noor", "Kaya", "Smit")


def care_mix(user: User, rng: random.Random) -> tuple[str, str]:
    roll = rng.random()
    if roll < 0.45:
        sub = rng.random()
        if sub < 0.6:
            return "caseload", "/care/"
        if sub < 0.85:
            return "caseload", f"/care/?page={rng.randint(2, 10)}"
        word = urllib.parse.quote(rng.choice(SEARCH_WORDS))
        return "caseload_search", f"/care/?q={word}"
    if roll < 0.70 or not user.referrals:
        show = rng.choice(("open", "open", "overdue", "all"))
        return "referrals", f"/care/referrals/?show={show}"
    return "referral", f"/care/referrals/{rng.choice(user.referrals)}/"


# --- Concurrent updates -----------------------------------------------------------------------


def contend(users: list[User], referral_pk: int, action: str, version: int) -> list[int]:
    """Every user posts ``action`` at ``version`` at the same moment; their statuses."""
    tokens = []
    for user in users:
        status, page = user.get(f"/care/referrals/{referral_pk}/")
        token = CSRF.search(page.decode())
        assert status == 200 and token, (user.username, status)
        tokens.append(token.group(1))
    statuses = [0] * len(users)
    start_line = threading.Barrier(len(users))

    def post(i: int) -> None:
        form = {"csrfmiddlewaretoken": tokens[i], "version": str(version), "reason": ""}
        start_line.wait()
        status, _, _ = users[i].request("POST", f"/care/referrals/{referral_pk}/{action}/", form)
        statuses[i] = status

    threads = [threading.Thread(target=post, args=(i,)) for i in range(len(users))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return statuses


def _choose_users(dataset: Dataset, served: Served) -> tuple[list[User], int]:
    """50 users: every professional of the receiving organisation with the most users (among
    those with enough requested referrals), then professionals of as many organisations as
    possible and coalition coordinators; returns them and that organisation."""
    accounts = dataset.built["accounts"]
    requested = dict(
        dataset.query(
            "SELECT to_organisation_id, COUNT(*) FROM care_referral WHERE state = 'requested' "
            "GROUP BY to_organisation_id"
        )
    )
    staff: dict[int, list[dict[str, Any]]] = {}
    for a in accounts:
        staff.setdefault(a["organisation_id"], []).append(a)
    contended = max(
        (org for org, n in requested.items() if n >= CONTENDED_REFERRALS and org in staff),
        key=lambda org: (len(staff[org]), requested[org]),
    )
    chosen = list(staff[contended])
    rng = random.Random(7)
    coordinators = [a for a in accounts if a["role"] == "coordinator"]
    chosen += rng.sample(coordinators, COORDINATORS)
    professionals = [a for a in accounts if a["role"] == "professional"]
    rng.shuffle(professionals)
    seen = {a["organisation_id"] for a in chosen}
    for a in professionals:
        if len(chosen) >= USERS:
            break
        if a["organisation_id"] not in seen:
            seen.add(a["organisation_id"])
            chosen.append(a)
    users = [User(served, a["username"], a["key"], a["role"], a["organisation_id"]) for a in chosen]
    return users, contended


REFERRAL_LINK = re.compile(r'href="/care/referrals/(\d+)/"')


def test_care_pages_under_load(dataset: Dataset, server: Served) -> None:
    load_before = [round(x, 2) for x in os.getloadavg()]  # other work on the machine
    users, contended_org = _choose_users(dataset, server)
    began = time.perf_counter()
    for user in users:
        user.sign_in(dataset.built["password"])
    sign_in_seconds = time.perf_counter() - began

    # Warm-up: each user once on the caseload and the referral list (collects referrals).
    for user in users:
        status, _ = user.get("/care/")
        assert status == 200, (user.username, status)
        for show in ("open", "all"):
            status, page = user.get(f"/care/referrals/?show={show}")
            assert status == 200, (user.username, status)
            user.referrals = sorted(
                set(user.referrals) | {int(pk) for pk in REFERRAL_LINK.findall(page.decode())}
            )
    audit_before = dataset.query("SELECT COUNT(*) FROM care_auditevent")[0][0]

    def fixed(path: str) -> Pick:
        return lambda user, rng: (path, path)

    health = hammer(users, fixed("/healthz"), BASELINE_SECONDS)
    home = hammer(users, fixed("/"), BASELINE_SECONDS)
    alone = hammer(users[-1:], care_mix, BASELINE_SECONDS)  # one user: the unloaded latency
    saturated = hammer(users, care_mix, SATURATION_SECONDS)
    load = hammer(users, care_mix, LOAD_SECONDS, THINK_MS)
    audit_after = dataset.query("SELECT COUNT(*) FROM care_auditevent")[0][0]
    for user in users:
        user.close()

    # Concurrent updates on referrals of the contended organisation.
    receivers = [u for u in users if u.organisation_id == contended_org]
    targets = [
        pk
        for (pk,) in dataset.query(
            "SELECT id FROM care_referral WHERE to_organisation_id = %s AND state = 'requested' "
            "ORDER BY id LIMIT %s",
            (contended_org, CONTENDED_REFERRALS),
        )
    ]
    rounds = []
    for pk in targets:
        (version,) = dataset.query("SELECT version FROM care_referral WHERE id = %s", (pk,))[0]
        (events_before,) = dataset.query(
            "SELECT COUNT(*) FROM care_referralevent WHERE referral_id = %s", (pk,)
        )[0]
        successes = 0
        for action in ("accept", "start"):
            statuses = contend(receivers, pk, action, version)
            won = statuses.count(302)
            rounds.append({"referral": pk, "action": action, "statuses": sorted(statuses)})
            assert won == 1 and statuses.count(409) == len(receivers) - 1, statuses
            successes += won
            version += won
        (stored_version, state) = dataset.query(
            "SELECT version, state FROM care_referral WHERE id = %s", (pk,)
        )[0]
        (events_after,) = dataset.query(
            "SELECT COUNT(*) FROM care_referralevent WHERE referral_id = %s", (pk,)
        )[0]
        versions = [
            v
            for (v,) in dataset.query(
                "SELECT version FROM care_referralevent WHERE referral_id = %s ORDER BY version",
                (pk,),
            )
        ]
        assert stored_version == version and state == "in_progress", (pk, stored_version, state)
        assert events_after - events_before == successes, (pk, events_before, events_after)
        assert versions == list(range(1, stored_version + 1)), (pk, versions)
    for user in users:
        user.close()

    verified = subprocess.run(
        [*CLI, "audit", "verify"],
        check=False,
        env=_clean_env()
        | {"KANSRIJK_DATA_DIR": str(dataset.data_dir)}
        | ({"DATABASE_URL": dataset.database_url} if dataset.database_url else {}),
        capture_output=True,
        text=True,
    )

    kinds = ("caseload", "caseload_search", "referrals", "referral")
    figures: dict[str, Any] = {
        "target": {"p95_ms": TARGET_P95_MS, "concurrent_users": USERS},
        "setup": {
            "database": dataset.backend,
            "data": dataset.built["counts"],
            "data_build_seconds": dataset.built.get("total_seconds"),
            "server": f"kansrijk serve ({WORKERS} process(es) of {THREADS} threads), loopback",
            "cpus": os.cpu_count(),
            "users": {
                "signed_in": len(users),
                "professionals": sum(u.role == "professional" for u in users),
                "coordinators": sum(u.role == "coordinator" for u in users),
                "organisations": len({u.organisation_id for u in users}),
            },
            "think_time_ms": THINK_MS,
            "load_average_before": load_before,
            "load_average_after": [round(x, 2) for x in os.getloadavg()],
            "sign_in_seconds": round(sign_in_seconds, 1),
        },
        "baseline_healthz": health.summary(),
        "baseline_home": home.summary(),
        "care_mix": load.summary(),
        **{f"page_{kind}": load.summary(kind) for kind in kinds},
        "one_user_alone": {
            "care_mix": alone.summary(),
            **{f"page_{kind}": alone.summary(kind) for kind in kinds},
        },
        "saturation_no_think_time": {
            "care_mix": saturated.summary(),
            **{f"page_{kind}": saturated.summary(kind) for kind in kinds},
        },
        "audit_events_written_under_load": audit_after - audit_before,
        "concurrent_updates": {
            "referrals": len(targets),
            "users_per_post": len(receivers),
            "rounds": len(rounds),
            "each_round": "exactly one 302, the others 409",
            "lost_updates": 0,
            "versions_and_events_match": True,
        },
        "audit_verify": verified.stdout.strip() or verified.stderr.strip()[-300:],
    }

    def ratios(phase: dict[str, Any], base: dict[str, Any]) -> dict[str, dict[str, float]]:
        keys = ("p50_ms", "p95_ms", "p99_ms", "requests_per_second")
        return {
            kind: {k: round(phase[f"page_{kind}"][k] / base[k], 2) for k in keys[:3]}
            for kind in kinds
            if phase[f"page_{kind}"].get("p95_ms")
        } | {"care_mix": {k: round(phase["care_mix"][k] / base[k], 2) for k in keys}}

    saturation = figures["saturation_no_think_time"]
    figures["ratios_saturation_to_home"] = ratios(saturation, figures["baseline_home"])
    figures["ratios_saturation_to_healthz"] = ratios(saturation, figures["baseline_healthz"])
    figures["ratios_load_to_one_user"] = {
        kind: {
            k: round(figures[f"page_{kind}"][k] / figures["one_user_alone"][f"page_{kind}"][k], 2)
            for k in ("p50_ms", "p95_ms", "p99_ms")
        }
        for kind in kinds
        if figures[f"page_{kind}"].get("p95_ms")
        and figures["one_user_alone"][f"page_{kind}"].get("p95_ms")
    }
    RESULTS.mkdir(exist_ok=True)
    suffix = "" if dataset.backend == "postgresql" else f"_{dataset.backend}"
    if THINK_MS != DEFAULT_THINK_MS:
        suffix += f"_think{THINK_MS / 1000:g}s"
    (RESULTS / f"care_load{suffix}.json").write_text(json.dumps(figures, indent=2) + "\n")
    print(json.dumps(figures, indent=2))
    assert verified.returncode == 0, figures["audit_verify"]
    assert sum(load.errors.values()) == 0 and sum(saturated.errors.values()) == 0
    slow = {
        kind: figures[f"page_{kind}"]["p95_ms"]
        for kind in kinds
        if figures[f"page_{kind}"].get("p95_ms", 0) > TARGET_P95_MS
    }
    assert not slow, f"p95 above {TARGET_P95_MS} ms: {slow}"

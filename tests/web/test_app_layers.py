"""The care bounded contexts as separate Django apps (the Open Zaak way), and the contract
between them: which app may import which, an audit log every app can write to, and one door to
client data that every page of every context passes.

- ``care``: client records with consent, the care team and plan, the contact person,
  emergency access, the record export and timeline; and the shared access layer:
  ``care.access`` (the policy decision point: which client, which categories) and
  ``care.guard`` (the door every care page passes: the role policy of ``web/policy.py``, the
  decision point, the audit entry).
- ``audit``: the NEN 7513 log, its hash chain and signed checkpoints, the supervision pages.
- ``conferences``: case conferences.
- ``referrals``: referrals between organisations, signals (screenings), the coalition's local
  route variants and the process indicators over them.
- ``retention``: legal holds, the retention run and the deletion register.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

WEB = Path(__file__).resolve().parents[2] / "src" / "kansrijk" / "web"
CONTEXTS = ("care", "audit", "conferences", "referrals", "retention")
#: The other web apps each context may import (shared modules of ``kansrijk.web`` itself, such
#: as ``policy`` and ``converters``, are open to all).
ALLOWED: dict[str, set[str]] = {
    "care": {"accounts", "coalitions", "audit", "conferences", "referrals", "retention"},
    "audit": {"accounts", "care"},
    "conferences": {"accounts", "coalitions", "audit", "care", "referrals"},
    "referrals": {"accounts", "coalitions", "audit", "care"},
    "retention": {"accounts", "audit", "care", "conferences", "referrals"},
}
WEB_APPS = {p.name for p in WEB.iterdir() if (p / "apps.py").exists()}
#: The audit log's own modules: every app writes to the log, so these depend on no app but
#: accounts (and the care vocabulary for category labels). Its pages use the care door.
AUDIT_CORE = ("models.py", "log.py", "checkpoints.py", "management", "migrations")
AUDIT_CORE_MAY_IMPORT = {"kansrijk.web.accounts.models", "kansrijk.web.care.vocabulary"}


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def _web_app(name: str) -> str | None:
    parts = name.split(".")
    if parts[:2] == ["kansrijk", "web"] and len(parts) > 2 and parts[2] in WEB_APPS:
        return parts[2]
    return None


def test_every_context_is_an_installed_app() -> None:
    from django.apps import apps

    labels = {config.name: config.label for config in apps.get_app_configs()}
    for context in CONTEXTS:
        assert labels[f"kansrijk.web.{context}"] == context


@pytest.mark.parametrize("context", CONTEXTS)
def test_context_imports_only_what_it_may(context: str) -> None:
    bad = []
    for path in (WEB / context).rglob("*.py"):
        for name in _imports(path):
            app = _web_app(name)
            if app and app != context and app not in ALLOWED[context]:
                bad.append(f"{path.relative_to(WEB)} imports {name}")
    assert not bad, bad


def test_the_audit_core_depends_on_no_other_context() -> None:
    bad = []
    for path in (WEB / "audit").rglob("*.py"):
        rel = path.relative_to(WEB / "audit").as_posix()
        if not rel.startswith(AUDIT_CORE):
            continue
        for name in _imports(path):
            app = _web_app(name)
            if app and app != "audit" and not name.startswith(tuple(AUDIT_CORE_MAY_IMPORT)):
                bad.append(f"audit/{rel} imports {name}")
    assert not bad, bad


#: Pages without client data (the national routes and a coalition's local variants): the role
#: policy of ``web/policy.py`` (its middleware) guards them alone; they write no audit entry.
WITHOUT_CLIENT_DATA = {"referrals/views/routes.py"}


def _view_modules() -> list[Path]:
    modules: list[Path] = []
    for context in CONTEXTS:
        views = WEB / context / "views"
        modules.extend(views.glob("*.py") if views.is_dir() else [WEB / context / "views.py"])
    return sorted(modules)


@pytest.mark.parametrize("path", _view_modules(), ids=lambda p: p.relative_to(WEB).as_posix())
def test_every_page_of_every_context_passes_the_one_door(path: Path) -> None:
    """Each public view is wrapped in ``care.guard.care_view``: the role policy, the policy
    decision point and the audit entry are the same for every context."""
    if path.relative_to(WEB).as_posix() in WITHOUT_CLIENT_DATA:
        pytest.skip("no client data: the role policy alone guards these pages")
    tree = ast.parse(path.read_text(encoding="utf-8"))
    views = [
        node
        for node in tree.body
        if isinstance(node, ast.FunctionDef)
        and not node.name.startswith("_")
        and node.args.args
        and node.args.args[0].arg == "request"
    ]
    unguarded = [
        view.name
        for view in views
        if not any(
            isinstance(d, ast.Call) and getattr(d.func, "id", "") == "care_view"
            for d in view.decorator_list
        )
    ]
    assert not unguarded, f"{path.name}: {unguarded} do not pass care_view"
    if path.name not in {"common.py", "__init__.py"}:
        assert views, f"{path.name} has no pages"


def test_the_access_layer_is_defined_once() -> None:
    """No context builds its own decision point or door: ``Access``, ``Grant`` and
    ``care_view`` are defined in ``care.access`` and ``care.guard`` only."""
    defined: dict[str, list[str]] = {"Access": [], "Grant": [], "care_view": []}
    for context in CONTEXTS:
        for path in (WEB / context).rglob("*.py"):
            for node in ast.parse(path.read_text(encoding="utf-8")).body:
                if isinstance(node, ast.ClassDef | ast.FunctionDef) and node.name in defined:
                    defined[node.name].append(path.relative_to(WEB).as_posix())
    assert defined == {
        "Access": ["care/access.py"],
        "Grant": ["care/access.py"],
        "care_view": ["care/guard.py"],
    }

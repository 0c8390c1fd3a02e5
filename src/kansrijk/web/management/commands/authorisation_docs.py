"""Write docs/authorisation.md from the policy (``kansrijk.web.policy``): who holds which
permission, which objects each permission reaches, and what every URL needs per method.

The page is generated so it cannot drift from the code: a test compares the committed file
with this command's output.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import translation

from kansrijk.web import policy
from kansrijk.web.accounts.roles import Role

HEADER = """# Authorisation

<!-- Generated from src/kansrijk/web/policy.py by
     `kansrijk manage authorisation_docs --out docs/authorisation.md` (make docs).
     Do not edit by hand: a test compares this file with the generated text. -->

Least privilege as data: one module, `src/kansrijk/web/policy.py`, states which role holds
which permission, which objects each permission reaches (its *object scope*), and which
permission every URL needs for each HTTP method. Its middleware (`PolicyMiddleware`, after the
two-factor middleware) enforces it, deny by default:

- a URL whose name the policy does not list answers **403**, for everyone;
- a method the URL's rule gives nobody (and any method other than GET, HEAD, OPTIONS, POST,
  PUT, PATCH and DELETE) answers **405**;
- an anonymous visitor of a page that is not public is sent to the **login**;
- a signed-in user whose role lacks the permission gets **403** (care pages log the refusal in
  the audit log);
- a user whose role needs a second factor (marked below) and who has not verified it in this
  session is sent to the **second-factor** page first.

Object scope stays with the views (`care.access.Access` for client data): an object outside
the user's scope does not exist for them and answers **404**, so a URL never reveals whether
a client exists. The views' own checks remain as a second layer (a visible client the user
may not change answers 403). The test `tests/web/test_authorisation_matrix.py` requests every
URL below with every method as every role (plus anonymous and not-yet-verified users) and
checks the answers against this policy; a URL missing from the policy fails it.
"""


def _need(need: policy.Need) -> str:
    options = policy.alternatives(need)
    if not options:
        return "nobody"
    words = {policy.PUBLIC: "public", policy.SIGNED_IN: "signed in"}
    return " or ".join(words.get(o, f"`{o}`") for o in options)


def document() -> str:
    """The whole of docs/authorisation.md."""
    with translation.override("en"):
        labels = {role.value: str(role.label) for role in Role}
    roles = policy.ROLES
    lines = [HEADER, "## Roles", "", "| Role | Name | Second factor |", "|---|---|---|"]
    for role in roles:
        second = "required" if role in policy.SECOND_FACTOR_ROLES else "if enrolled"
        lines.append(f"| `{role}` | {labels.get(role, role)} | {second} |")
    lines += [
        "",
        "## Permissions",
        "",
        "Who holds each permission (x), the object scope it implies, and whether it needs a "
        "verified second factor.",
        "",
        "| Permission | What | Scope | 2FA | " + " | ".join(f"`{r}`" for r in roles) + " |",
        "|---|---|---|---|" + "---|" * len(roles),
    ]
    for perm in policy.PERMISSIONS.values():
        held = " | ".join("x" if r in perm.roles else "" for r in roles)
        second = "yes" if perm.second_factor else ""
        lines.append(f"| `{perm.name}` | {perm.description} | {perm.scope} | {second} | {held} |")
    lines += ["", "## Object scopes", "", "| Scope | Objects reached |", "|---|---|"]
    used = {p.scope for p in policy.PERMISSIONS.values()}
    for scope, text in policy.SCOPES.items():
        if scope in used:
            lines.append(f"| {scope} | {text} |")
    lines += [
        "",
        "## URLs",
        "",
        "What every URL needs: GET, HEAD and OPTIONS (read) and POST, PUT, PATCH and DELETE "
        "(write). *public*: anyone; *signed in*: any signed-in user, also before the second "
        "factor; *nobody*: 405 for everyone (so does a view that does not implement a method "
        "the policy allows).",
        "",
        "| URL name | Path | Read | Write |",
        "|---|---|---|---|",
    ]
    namespaces_shown: set[str] = set()
    for view_name, path in policy.url_names():
        if view_name not in policy.ROUTES and ":" in view_name:
            namespace = view_name.split(":", 1)[0]
            if namespace in policy.NAMESPACES:
                if namespace not in namespaces_shown:
                    namespaces_shown.add(namespace)
                    shared = policy.NAMESPACES[namespace]
                    lines.append(
                        f"| `{namespace}:*` | `/{namespace}/…` (every URL of the namespace) | "
                        f"{_need(shared.read)} | {_need(shared.write)} |"
                    )
                continue
        rule = policy.rule_for(view_name)
        read, write = (_need(rule.read), _need(rule.write)) if rule else ("**undeclared**",) * 2
        lines.append(f"| `{view_name}` | `{path}` | {read} | {write} |")
    return "\n".join(lines) + "\n"


class Command(BaseCommand):
    help = "Write the authorisation policy (roles, permissions, scopes, URLs) as Markdown."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--out", type=Path, help="File to write (default: standard output).")

    def handle(self, *args: Any, **options: Any) -> None:
        text = document()
        out: Path | None = options["out"]
        if out is None:
            self.stdout.write(text, ending="")
            return
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(text, encoding="utf-8")
        self.stdout.write(f"Wrote {out}")

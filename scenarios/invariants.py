"""Run-wide rules, checked after every scenario from X's own records (journal and findings), never the adapter's word.

- own-app: every X call for a tenant's users, on any path, is signed by that tenant's own app;
- rate-limit-reset: nothing reaches a rate-limit bucket (app, user, rate class, as X counts) before its 429's reset;
- automation: no duplicate, similar-across-accounts or bulk-engagement finding;
- service-bureau: no finding of an app acting for another developer account's users;
- control-api: the provider never calls xmock's control API (a certification run refuses it: 401).

A scenario that provokes a finding on purpose names it in `Scenario.provokes`; its own checks judge it.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import Any

from xmock.scenarios.base import Violation
from xmock.scenarios.world import World

AUTOMATION = ("duplicate-content", "duplicate-content-across-accounts", "bulk-engagement")
RULES = {
    "own-app": "X calls for a tenant's users are signed with the tenant's own app",
    "rate-limit-reset": "Nothing is sent to X before a 429's reset",
    "automation": "No duplicate or bulk activity across accounts",
    "service-bureau": "No app acts for another developer account's users",
    "control-api": "The provider does not use the simulator's control API",
}
EVIDENCE_FIELDS = ("id", "time", "method", "path", "status", "app_id", "user_id", "auth", "token_fingerprint", "error")
MAX_EVIDENCE = 5  # entries shown per violation; the count says how many there were


@cache
def _rate_classes() -> dict[str, str | None]:
    from xmock.simulator.routes import ENDPOINTS

    return {e.name: e.rate_class for e in ENDPOINTS}


def shown(entry: dict[str, Any]) -> dict[str, Any]:
    """A journal entry as evidence: what was called, when, by which app for whom (secrets are only fingerprints)."""
    out = {k: entry[k] for k in EVIDENCE_FIELDS if entry.get(k) is not None}
    if "reset" in (entry.get("diagnosis") or {}):
        out["reset"] = entry["diagnosis"]["reset"]
    return out


def check(
    world: World,
    journal: list[dict[str, Any]],
    findings: list[dict[str, Any]],
    provokes: frozenset[str],
    app_names: Callable[[], dict[str, str]],
) -> list[Violation]:
    names: dict[str, str] = {}

    def name(app_id: str | None) -> str:
        if not names:
            names.update(app_names())
        return names.get(app_id or "", app_id or "no app")

    out = [*control_api(journal)]
    if "own-app" not in provokes:
        out += own_app(world, journal, name)
    if "rate-limit-reset" not in provokes:
        out += rate_limit_reset(journal, findings, name)
    out += from_findings(findings, provokes, name)
    for v in out:  # names beside the ids, for a reader
        for item in v.evidence:
            for key, label in (("app_id", "app"), ("user_id", "user")):
                if item.get(key):
                    item[label] = name(item[key])
    return out


def control_api(journal: list[dict[str, Any]]) -> list[Violation]:
    refused = [e for e in journal if e["path"].startswith("/_xmock/") and e["status"] == 401]
    if not refused:
        return []
    calls = sorted({f"{e['method']} {e['path']}" for e in refused})
    return [
        Violation(
            "control-api",
            "the provider called the simulator's control API, which X does not have (refused: "
            + ", ".join(calls)
            + ")",
            _evidence(refused),
        )
    ]


def own_app(world: World, journal: list[dict[str, Any]], name: Callable[[str | None], str]) -> list[Violation]:
    owner = {}
    for tenant in (world.tenant, world.other_tenant):
        for user in tenant.users.values():
            owner[user["id"]] = tenant
    wrong: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for e in journal:
        # for a user: in the user's context, or app-only about the user (GET /2/users/{id}/tweets with a bearer)
        tenant = owner.get(e.get("user_id") or "") or owner.get(_user_in_path(e["path"]))
        if tenant is not None and e.get("app_id") and e["app_id"] != tenant.app["id"]:
            wrong.setdefault((tenant.account["name"], e["app_id"]), []).append(e)
    return [
        Violation(
            "own-app",
            f"X calls for {tenant_name}'s users were signed with {name(app_id)}, not the tenant's own app",
            _evidence(entries),
        )
        for (tenant_name, app_id), entries in wrong.items()
    ]


def _user_in_path(path: str) -> str:
    parts = path.split("/")
    return parts[3] if len(parts) > 3 and parts[1] == "2" and parts[2] == "users" else ""


def rate_limit_reset(
    journal: list[dict[str, Any]], findings: list[dict[str, Any]], name: Callable[[str | None], str]
) -> list[Violation]:
    classes = _rate_classes()
    early: dict[str, list[dict[str, Any]]] = {}
    for i, limited in enumerate(journal):
        why = limited.get("diagnosis") or {}
        if limited["status"] != 429 or "reset" not in why or not limited.get("app_id"):
            continue
        rate_class, per_user = why.get("rate_class"), why.get("who") == "user"
        for later in journal[i + 1 :]:
            if later["time"] >= why["reset"]:
                break
            if (
                later.get("app_id") == limited["app_id"]
                and classes.get(later.get("endpoint") or "") == rate_class
                and (not per_user or later.get("user_id") == limited.get("user_id"))
            ):
                early.setdefault(str(rate_class), [limited]).append(later)
    out = [
        Violation(
            "rate-limit-reset",
            f"requests were sent to X before a 429's reset ({_plain_class(rate_class)})",
            _evidence(entries),
        )
        for rate_class, entries in early.items()
    ]
    hammering = [f for f in findings if f["rule"] == "rate-limit-hammering"]
    if hammering and not early:
        out.append(
            Violation(
                "rate-limit-reset",
                f"X recorded rate-limit hammering by {name(hammering[0]['app_id'])}",
                [_finding(f) for f in hammering[:MAX_EVIDENCE]],
            )
        )
    return out


def from_findings(
    findings: list[dict[str, Any]], provokes: frozenset[str], name: Callable[[str | None], str]
) -> list[Violation]:
    out = []
    for rule in (*AUTOMATION, "service-bureau"):
        found = [f for f in findings if f["rule"] == rule]
        if not found or rule in provokes:
            continue
        kind = "service-bureau" if rule == "service-bureau" else "automation"
        apps = ", ".join(sorted({name(f["app_id"]) for f in found}))
        out.append(Violation(kind, f"X recorded '{found[0]['title']}' against {apps}", [_finding(f) for f in found]))
    return out


def _plain_class(rate_class: str | None) -> str:
    noun, _, verb = (rate_class or "unknown").partition(":")
    return f"{verb.replace('-', ' ')} {noun}".strip() if verb else noun


def _finding(f: dict[str, Any]) -> dict[str, Any]:
    return {k: f[k] for k in ("time", "rule", "title", "clause", "app_id", "user_id", "detail") if f.get(k)}


def _evidence(entries: list[dict[str, Any]]) -> list[dict[str, Any]]:
    entries = list({e["id"]: e for e in entries}.values())  # a 429 may also be a later request of an earlier one
    shown_entries = [shown(e) for e in entries[:MAX_EVIDENCE]]
    if len(entries) > MAX_EVIDENCE:
        shown_entries.append({"more": len(entries) - MAX_EVIDENCE})
    return shown_entries

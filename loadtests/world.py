"""Tenants, apps and users for a load test, created through the control API; and what the
simulator saw, fetched from it at the end."""

from __future__ import annotations

import os
import random
from typing import Any

import requests

from xmock.loadtests.signing import Credentials


def prepare(base_url: str, tenants: int, users: int, credits: str | None, prefix: str) -> list[Credentials]:
    """Each tenant: its own developer account and app; each user: OAuth 1.0a tokens for that app."""
    control = requests.Session()
    pool = []
    for t in range(tenants):
        account = control.post(f"{base_url}/_xmock/accounts", json={"name": f"{prefix} tenant {t}"}).json()
        app = control.post(
            f"{base_url}/_xmock/apps",
            json={
                "account_id": account["id"],
                "name": f"{prefix} app {t}",
                "use_case": f"load test tenant {prefix}-{t}",
                "callback_urls": ["https://provider.example/x/callback"],
            },
        ).json()
        if credits is not None:
            control.post(f"{base_url}/_xmock/apps/{app['id']}/credits", json={"set": credits})
        for _ in range(users):
            user = control.post(f"{base_url}/_xmock/users", json={"account_id": account["id"]}).json()
            token = control.post(
                f"{base_url}/_xmock/tokens/oauth1", json={"app_id": app["id"], "user_id": user["id"]}
            ).json()
            pool.append(
                Credentials(
                    app["consumer_key"],
                    app["consumer_secret"],
                    token["token"],
                    token["token_secret"],
                    user["id"],
                    app["id"],
                )
            )
    return pool


def settings_from_env() -> dict[str, Any]:
    return {
        "tenants": int(os.environ.get("XMOCK_TENANTS", "3")),
        "users": int(os.environ.get("XMOCK_USERS", "5")),
        "credits": os.environ.get("XMOCK_CREDITS"),  # e.g. "0.50" to see 402s
        "prefix": os.environ.get("XMOCK_PREFIX", f"load-{random.randrange(10**6)}"),
    }


def reset_asked() -> bool:
    """XMOCK_RESET=1: start the run from an empty world (single-process runs; distributed ones count deltas)."""
    return os.environ.get("XMOCK_RESET", "") not in ("", "0")


# The simulator's counters when this run started (begin_run): the report counts this run only.
_BEFORE: dict[str, Any] = {}
REFUSALS = ("429", "402")  # X's refusals: locust counts them as expected answers, not failures
DOMINANT = 0.5  # share of refusals past which the report warns


def begin_run(base_url: str, reset: bool = False) -> None:
    """Remember the simulator's counters (or, with `reset`, empty the world first: single-process runs only)."""
    if reset:
        requests.post(f"{base_url}/_xmock/reset").raise_for_status()
    _BEFORE.clear()
    _BEFORE.update(requests.get(f"{base_url}/_xmock/stats").json())


def run_stats(before: dict[str, Any], after: dict[str, Any]) -> dict[str, Any]:
    """What changed between two readings of GET /_xmock/stats."""
    by_app: dict[str, dict[str, int]] = {}
    for app_id, statuses in after["by_app"].items():
        earlier = before.get("by_app", {}).get(app_id, {})
        changed = {status: n - earlier.get(status, 0) for status, n in statuses.items() if n > earlier.get(status, 0)}
        if changed:
            by_app[app_id] = changed
    by_status: dict[str, int] = {}
    for statuses in by_app.values():
        for status, n in statuses.items():
            by_status[status] = by_status.get(status, 0) + n
    spent = {
        app_id: float(v) - float(before.get("credits_spent", {}).get(app_id, 0))
        for app_id, v in after["credits_spent"].items()
    }
    findings = {
        rule: n - before.get("findings", {}).get(rule, 0)
        for rule, n in after["findings"].items()
        if n > before.get("findings", {}).get(rule, 0)
    }
    earlier = before.get("by_worker", {})
    by_worker = {w: n - earlier.get(w, 0) for w, n in after.get("by_worker", {}).items() if n > earlier.get(w, 0)}
    return {
        "requests": sum(by_status.values()),
        "by_status": dict(sorted(by_status.items())),
        "by_app": by_app,
        "by_worker": dict(sorted(by_worker.items(), key=lambda item: -item[1])),
        "credits_spent": sum(spent.values()),
        "findings": findings,
    }


def report(run: dict[str, Any], html: str | None = None) -> str:
    """The end-of-run lines: this run's answers, refusals by app, credits, findings, each process's share when
    several answered, a warning when X's refusals dominate, and where the charts are."""
    lines = [f"xmock saw {run['requests']} requests this run; by status: {run['by_status']}"]
    for app_id, statuses in run["by_app"].items():
        limited, unpaid = statuses.get("429", 0), statuses.get("402", 0)
        if limited or unpaid:
            lines.append(f"  app {app_id}: {limited} x 429, {unpaid} x 402")
    lines.append(f"credits spent: ${run['credits_spent']:.3f}; findings: {run['findings'] or 'none'}")
    served = sum(run.get("by_worker", {}).values())
    if len(run.get("by_worker", {})) > 1 and served:  # several processes answered: each one's share
        shares = ", ".join(f"worker {w}: {n} ({n / served:.0%})" for w, n in run["by_worker"].items())
        lines.append(f"answers by process: {shares}")
    refused = sum(run["by_status"].get(status, 0) for status in REFUSALS)
    if run["requests"] and refused / run["requests"] > DOMINANT:
        lines.append(
            f"WARNING: {refused / run['requests']:.0%} of the answers were X's refusals (429 rate limited, "
            "402 out of credits), which locust counts as successes: this run measured mostly refusals. "
            "Give the apps more credits (XMOCK_CREDITS=1000) or fewer users, or set rate_limits/billing "
            "off in the simulator's settings (see loadtests/README.md)."
        )
    if html:
        lines.append(f"locust's report with charts: {html}")
    else:
        lines.append("charts: add --html report.html to the locust command for its HTML report")
    return "\n".join(lines)


def summary(base_url: str, html: str | None = None) -> str:
    """What the simulator saw during this run (since begin_run), for the end of a load test."""
    after = requests.get(f"{base_url}/_xmock/stats").json()
    return report(run_stats(_BEFORE, after), html)

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


def summary(base_url: str) -> str:
    """What the simulator saw during the run, for the end of a load test."""
    stats = requests.get(f"{base_url}/_xmock/stats").json()
    lines = [f"xmock saw {stats['requests']} requests; by status: {stats['by_status']}"]
    for app_id, statuses in stats["by_app"].items():
        limited, unpaid = statuses.get("429", 0), statuses.get("402", 0)
        if limited or unpaid:
            lines.append(f"  app {app_id}: {limited} x 429, {unpaid} x 402")
    spent = sum(float(v) for v in stats["credits_spent"].values())
    lines.append(f"credits spent: ${spent:.3f}; findings: {stats['findings'] or 'none'}")
    return "\n".join(lines)

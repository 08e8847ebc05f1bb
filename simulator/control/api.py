"""The control API: JSON over HTTP, a thin skin over `Simulator`'s methods."""

from __future__ import annotations

import os
from decimal import Decimal
from typing import Any

from starlette.requests import Request
from starlette.routing import Route

from xmock.simulator.clock import parse_instant
from xmock.simulator.control import (
        accounting_api,
        audience_api,
        certifications_api,
        chat_api,
        communities_api,
        compliance_api,
        credentials_api,
        dms_api,
        graph_api,
        lists_api,
        post_fields_api,
        posts_api,
        profiles_api,
        snapshot_api,
        spaces_api,
        stubs_api,
        users_api,
        webhooks_api,
        world_api,
    )
from xmock.simulator.control.errors import ControlError, check_bool
from xmock.simulator.control.plumbing import Handler, route
from xmock.simulator.control.plumbing import fields as checked
from xmock.simulator.core import Simulator
from xmock.simulator.money import money_str
from xmock.simulator.redact import redact_url


def health(sim: Simulator, request: Request, body: dict) -> dict:
    return {
        "status": "ok",
        "clock": sim.clock.state().as_dict(),
        # Which process answered: with several workers, each has its own.
        "worker": {"pid": os.getpid(), "id": sim.worker_id},
        "store": "memory" if sim.shared is None else "redis",
    }


def reset(sim: Simulator, request: Request, body: dict) -> dict:
    sim.reset()
    return {"reset": True}


def _shown(settings: dict[str, Any]) -> dict[str, Any]:
    return {**settings, "store": redact_url(settings["store"])}


def get_settings(sim: Simulator, request: Request, body: dict) -> dict:
    return _shown(sim.settings.as_dict())


def patch_settings(sim: Simulator, request: Request, body: dict) -> dict:
    return _shown(sim.configure(**body).as_dict())


def create_account(sim: Simulator, request: Request, body: dict) -> dict:
    checked(body, ("name",), ("owner_user_id",))
    owner = body.get("owner_user_id")
    return sim.create_account(body["name"], str(owner) if owner is not None else None).public()


def list_accounts(sim: Simulator, request: Request, body: dict) -> dict:
    return {"accounts": [a.public() for a in sim.store.list_accounts()]}


APP_FIELDS = (
    "use_case",
    "callback_urls",
    "permission",
    "website",
    "consumer_key",
    "consumer_secret",
    "client_id",
    "client_secret",
)

# What a user may be made with (besides the account it joins): the control API's and a declared world's.
USER_FIELDS = (
    "id",
    "username",
    "name",
    "description",
    "location",
    "url",
    "protected",
    "verified",
    "profile_image_url",
    # user fields kept true by the state (simulator/profiles.py)
    "profile_banner_url",
    "verified_type",
    "subscription_type",
    "dm_setting",
)


def create_app(sim: Simulator, request: Request, body: dict) -> dict:
    fields = checked(body, ("account_id", "name"), APP_FIELDS)
    app = sim.create_app(str(fields.pop("account_id")), fields.pop("name"), **fields)
    return app.public(reveal=True)


def list_apps(sim: Simulator, request: Request, body: dict) -> dict:
    return {"apps": [a.public() for a in sim.store.list_apps(request.query_params.get("account_id"))]}


def get_app(sim: Simulator, request: Request, body: dict) -> dict:
    return sim.app(request.path_params["app_id"]).public()


def suspend_app(sim: Simulator, request: Request, body: dict) -> dict:
    return sim.suspend_app(request.path_params["app_id"], True).public()


def unsuspend_app(sim: Simulator, request: Request, body: dict) -> dict:
    return sim.suspend_app(request.path_params["app_id"], False).public()


def regenerate_keys(sim: Simulator, request: Request, body: dict) -> dict:
    fields = checked(body, (), ("consumer_key", "consumer_secret"))
    return sim.regenerate_keys(request.path_params["app_id"], **fields).public(reveal=True)


def regenerate_client_secret(sim: Simulator, request: Request, body: dict) -> dict:
    fields = checked(body, (), ("client_secret",))
    return sim.regenerate_client_secret(request.path_params["app_id"], **fields).public(reveal=True)


def create_user(sim: Simulator, request: Request, body: dict) -> dict:
    fields = checked(body, (), ("account_id", *USER_FIELDS))
    if "id" in fields:
        fields["id"] = str(fields["id"])
    return sim.create_user(**fields).public()


def list_users(sim: Simulator, request: Request, body: dict) -> dict:
    return {"users": [u.public() for u in sim.store.list_users()]}


def get_user(sim: Simulator, request: Request, body: dict) -> dict:
    return sim.user(request.path_params["user_id"]).public()


def list_posts(sim: Simulator, request: Request, body: dict) -> dict:
    """Posts as evidence (live ones), newest first: `author` and `app` filter."""
    q = request.query_params
    posts = sim.store.posts_by_author(q["author"]) if "author" in q else sim.store.all_posts()
    out = [
        {"id": p.id, "text": p.text, "author_id": p.author_id, "app_id": p.app_id, "created_at": p.created_at}
        for p in posts
        if "app" not in q or p.app_id == q["app"]
    ]
    return {"posts": out, "count": len(out)}


def stats(sim: Simulator, request: Request, body: dict) -> dict:
    """What the simulator saw: answers by status, by app and by process, credits spent, findings by rule."""
    counts = sim.store.request_counts()
    by_status: dict[str, int] = {}
    for per_app in counts.values():
        for status, n in per_app.items():
            by_status[status] = by_status.get(status, 0) + n
    spent: dict[str, str] = {}
    for entry in sim.store.ledger():
        if entry["kind"] in ("charge", "refund"):
            spent[entry["app_id"]] = money_str(Decimal(spent.get(entry["app_id"], "0")) - Decimal(entry["amount"]))
    findings: dict[str, int] = {}
    for finding in sim.store.findings():
        findings[finding["rule"]] = findings.get(finding["rule"], 0) + finding["occurrences"]
    return {
        "requests": sum(by_status.values()),
        "by_status": by_status,
        "by_app": counts,
        "by_worker": sim.store.worker_counts(),
        "credits_spent": spent,
        "findings": findings,
    }


def get_clock(sim: Simulator, request: Request, body: dict) -> dict:
    return sim.clock.state().as_dict()


def set_clock(sim: Simulator, request: Request, body: dict) -> dict:
    """One action per call: freeze (optionally `at`), set, advance, resume or reset."""
    fields = checked(body, (), ("freeze", "at", "set", "advance", "resume", "reset"))
    clock = sim.clock
    actions = sorted(set(fields) - {"at"})
    if len(actions) > 1:
        raise ControlError(400, f"one clock action per call, not {' and '.join(actions)}")
    for switch in ("freeze", "resume", "reset"):
        if switch in fields:
            check_bool(switch, fields[switch])
    if "at" in fields and not fields.get("freeze"):
        raise ControlError(400, "at goes with freeze")
    if fields.get("reset"):
        clock.reset()
    elif fields.get("freeze"):
        clock.freeze(parse_instant(fields["at"], "at") if "at" in fields else None)
    elif "set" in fields:
        clock.set(parse_instant(fields["set"], "set"))
    elif "advance" in fields:
        clock.advance(fields["advance"])
    elif fields.get("resume"):
        clock.resume()
    else:
        raise ControlError(400, "say one of freeze, set, advance, resume or reset")
    return clock.state().as_dict()


def routes(sim: Simulator) -> list[Route]:

    def r(path: str, handler: Handler, method: str, status: int = 200) -> Route:
        return route(sim, path, handler, method, status)

    return [
        r("/health", health, "GET"),
        r("/reset", reset, "POST"),
        r("/settings", get_settings, "GET"),
        r("/settings", patch_settings, "PATCH"),
        r("/accounts", create_account, "POST", 201),
        r("/accounts", list_accounts, "GET"),
        r("/apps", create_app, "POST", 201),
        r("/apps", list_apps, "GET"),
        r("/apps/{app_id}", get_app, "GET"),
        r("/apps/{app_id}/suspend", suspend_app, "POST"),
        r("/apps/{app_id}/unsuspend", unsuspend_app, "POST"),
        r("/apps/{app_id}/keys", regenerate_keys, "POST"),
        r("/apps/{app_id}/client-secret", regenerate_client_secret, "POST"),
        r("/users", create_user, "POST", 201),
        r("/users", list_users, "GET"),
        r("/users/{user_id}", get_user, "GET"),
        r("/posts", list_posts, "GET"),
        r("/stats", stats, "GET"),
        r("/clock", get_clock, "GET"),
        r("/clock", set_clock, "POST"),
        *_family_routes(sim),
    ]


def _family_routes(sim: Simulator) -> list[Route]:
    """Each family's control routes, from a module of its own."""

    return [
        *credentials_api.routes(sim),
        *accounting_api.routes(sim),
        *graph_api.routes(sim),
        *users_api.routes(sim),
        *posts_api.routes(sim),
        *lists_api.routes(sim),
        *world_api.routes(sim),
        *post_fields_api.routes(sim),
        *profiles_api.routes(sim),
        *audience_api.routes(sim),
        *webhooks_api.routes(sim),
        *dms_api.routes(sim),
        *chat_api.routes(sim),  # XChat
        *snapshot_api.routes(sim),
        *stubs_api.routes(sim),
        *certifications_api.routes(sim),
        *spaces_api.routes(sim),  # spaces and broadcasts
        *communities_api.routes(sim),  # communities, news, Community Notes, articles
        *compliance_api.routes(sim),  # compliance jobs and account states
    ]

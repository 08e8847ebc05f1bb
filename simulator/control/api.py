"""The control API: JSON over HTTP, a thin skin over `Simulator`'s methods."""

from __future__ import annotations

import json
import os
from collections.abc import Awaitable, Callable
from decimal import Decimal
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from xmock.simulator.clock import parse_instant
from xmock.simulator.control.errors import ControlError, check_bool, check_encodable, check_names, check_text
from xmock.simulator.core import Simulator
from xmock.simulator.money import money_str
from xmock.simulator.oauth1.flow import decide, find_user
from xmock.simulator.oauth2.authorize import decide as decide_oauth2
from xmock.simulator.oauth2.issue import token_response
from xmock.simulator.redact import redact_url

Handler = Callable[[Simulator, Request, dict[str, Any]], Any]


def _endpoint(sim: Simulator, handler: Handler, status: int = 200) -> Callable[[Request], Awaitable[JSONResponse]]:
    async def run(request: Request) -> JSONResponse:
        try:
            body: dict[str, Any] = {}
            if request.method in ("POST", "PATCH", "PUT"):
                body = _json_object(await request.body())
            result = handler(sim, request, body)
        except ControlError as exc:
            return JSONResponse({"error": exc.message}, status_code=exc.status)
        except TypeError as exc:
            return JSONResponse({"error": f"unexpected field: {exc}"}, status_code=400)
        except ValueError as exc:
            return JSONResponse({"error": str(exc)}, status_code=400)
        return JSONResponse(result, status_code=status)

    return run


def _not_json(token: str) -> Any:
    raise ValueError(f"{token} is not JSON")


def _json_object(raw: bytes) -> dict[str, Any]:
    """The body as a JSON object whose text is all valid UTF-8; NaN and Infinity, which Python's
    json accepts but JSON does not, are refused, as is nesting deeper than the parser goes."""
    if not raw.strip():
        return {}
    try:
        body = json.loads(raw, parse_constant=_not_json)
    except (ValueError, UnicodeDecodeError, RecursionError):
        raise ControlError(400, "the body must be a JSON object") from None
    if not isinstance(body, dict):
        raise ControlError(400, "the body must be a JSON object")
    check_encodable(body)
    return body


def _fields(body: dict[str, Any], required: tuple[str, ...], optional: tuple[str, ...]) -> dict[str, Any]:
    check_names("field", body, required + optional)
    missing = [name for name in required if body.get(name) in (None, "")]
    if missing:
        raise ControlError(400, f"missing field(s): {', '.join(missing)}")
    return dict(body)


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
    _fields(body, ("name",), ("owner_user_id",))
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


def create_app(sim: Simulator, request: Request, body: dict) -> dict:
    fields = _fields(body, ("account_id", "name"), APP_FIELDS)
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
    fields = _fields(body, (), ("consumer_key", "consumer_secret"))
    return sim.regenerate_keys(request.path_params["app_id"], **fields).public(reveal=True)


def create_user(sim: Simulator, request: Request, body: dict) -> dict:
    fields = _fields(
        body,
        (),
        (
            "id",
            "username",
            "name",
            "account_id",
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
        ),
    )
    if "id" in fields:
        fields["id"] = str(fields["id"])
    return sim.create_user(**fields).public()


def list_users(sim: Simulator, request: Request, body: dict) -> dict:
    return {"users": [u.public() for u in sim.store.list_users()]}


def get_user(sim: Simulator, request: Request, body: dict) -> dict:
    return sim.user(request.path_params["user_id"]).public()


def mint_oauth1(sim: Simulator, request: Request, body: dict) -> dict:
    fields = _fields(body, ("app_id", "user_id"), ("token", "secret", "access_level"))
    token = sim.mint_oauth1_token(str(fields.pop("app_id")), str(fields.pop("user_id")), **fields)
    return token.public(reveal=True)


def invalidate_oauth1(sim: Simulator, request: Request, body: dict) -> dict:
    _fields(body, ("token",), ())
    return {"invalidated": sim.invalidate_oauth1_token(str(body["token"]))}


def mint_oauth2(sim: Simulator, request: Request, body: dict) -> dict:
    fields = _fields(body, ("app_id", "user_id"), ("scopes",))
    kwargs = {"scopes": fields["scopes"]} if "scopes" in fields else {}
    access, refresh = sim.mint_oauth2_token(str(fields["app_id"]), str(fields["user_id"]), **kwargs)
    return token_response(sim, access, refresh)


def expire_oauth2(sim: Simulator, request: Request, body: dict) -> dict:
    _fields(body, ("token",), ())
    return {"expired": sim.expire_oauth2_token(str(body["token"]))}


def revoke_oauth2(sim: Simulator, request: Request, body: dict) -> dict:
    _fields(body, ("token",), ())
    return {"revoked": sim.revoke_oauth2_token(str(body["token"]))}


def list_tokens(sim: Simulator, request: Request, body: dict) -> dict:
    q = request.query_params
    return {"tokens": sim.tokens(app=q.get("app"), user=q.get("user"))}


def authorize_oauth1(sim: Simulator, request: Request, body: dict) -> dict:
    """Play the user on the consent screen: approve or deny a request token."""
    fields = _fields(body, ("oauth_token",), ("user", "approve"))
    approve = check_bool("approve", fields.get("approve", True))
    user = None
    if approve:
        who = str(fields.get("user") or "")
        user = find_user(sim, who)
        if user is None:
            raise ControlError(404, f"no user {who or '(none exist yet)'}")
    reply = decide(sim, str(fields["oauth_token"]), user, approve)
    if reply.status == 302:
        return {"location": reply.headers["location"]}
    if reply.status == 200:
        return {"page": reply.body}
    raise ControlError(400, "the request token is unknown, expired or already decided")


def authorize_oauth2(sim: Simulator, request: Request, body: dict) -> dict:
    """Play the user on the OAuth 2.0 consent screen for an authorize URL a client built."""
    fields = _fields(body, ("url",), ("user", "approve"))
    query = urlsplit(check_text("url", fields["url"], max_length=8192)).query
    params = {k: v for k, v in parse_qsl(query, keep_blank_values=True)}
    approve = check_bool("approve", fields.get("approve", True))
    user = find_user(sim, str(fields.get("user") or "")) if approve else None
    if approve and user is None:
        raise ControlError(404, f"no user {fields.get('user') or '(none exist yet)'}")
    reply = decide_oauth2(sim, params, user, approve)
    if reply.status != 302:
        raise ControlError(400, "the authorization request is not valid for any registered app and callback")
    return {"location": reply.headers["location"]}


def get_credits(sim: Simulator, request: Request, body: dict) -> dict:
    app_id = request.path_params["app_id"]
    return {"app_id": app_id, "balance": money_str(sim.balance(app_id))}


def post_credits(sim: Simulator, request: Request, body: dict) -> dict:
    """{"amount": "7.50"} buys credits (at least the minimum purchase); {"set": "0"} sets the balance."""
    fields = _fields(body, (), ("amount", "set"))
    app_id = request.path_params["app_id"]
    if ("amount" in fields) == ("set" in fields):
        raise ControlError(400, "say either amount (a purchase) or set (a balance)")
    if "amount" in fields:
        balance = sim.top_up(app_id, fields["amount"])
    else:
        balance = sim.set_credits(app_id, fields["set"])
    return {"app_id": app_id, "balance": money_str(balance)}


def ledger(sim: Simulator, request: Request, body: dict) -> dict:
    entries = sim.ledger(request.query_params.get("app"))
    return {"entries": entries, "count": len(entries)}


def get_limits(sim: Simulator, request: Request, body: dict) -> dict:
    app = sim.app(request.path_params["app_id"])
    return {"app_id": app.id, "override": sim.store.get_app_limits(app.id)}


def patch_limits(sim: Simulator, request: Request, body: dict) -> dict:
    """{"enabled": false} turns limits off for the app; {"limits": {class: [...]}} overrides some."""
    fields = _fields(body, (), ("enabled", "limits"))
    app_id = request.path_params["app_id"]
    config = sim.set_app_limits(app_id, enabled=fields.get("enabled"), limits=fields.get("limits"))
    return {"app_id": app_id, "override": config}


def findings(sim: Simulator, request: Request, body: dict) -> dict:
    q = request.query_params
    check_names("filter", q, ("rule", "app", "account", "user"))
    found = sim.findings.query(rule=q.get("rule"), app=q.get("app"), account=q.get("account"), user=q.get("user"))
    return {"findings": found, "count": len(found)}


def add_fault(sim: Simulator, request: Request, body: dict) -> dict:
    return sim.add_fault(**body)


def list_faults(sim: Simulator, request: Request, body: dict) -> dict:
    return {"faults": sim.store.list_faults()}


def remove_fault(sim: Simulator, request: Request, body: dict) -> dict:
    if not sim.remove_fault(request.path_params["fault_id"]):
        raise ControlError(404, f"no fault {request.path_params['fault_id']}")
    return {"removed": True}


def clear_faults(sim: Simulator, request: Request, body: dict) -> dict:
    sim.clear_faults()
    return {"removed": True}


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
    """What the simulator saw: answers by status and by app, credits spent, findings by rule."""
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
        "credits_spent": spent,
        "findings": findings,
    }


def get_clock(sim: Simulator, request: Request, body: dict) -> dict:
    return sim.clock.state().as_dict()


def set_clock(sim: Simulator, request: Request, body: dict) -> dict:
    """One action per call: freeze (optionally `at`), set, advance, resume or reset."""
    fields = _fields(body, (), ("freeze", "at", "set", "advance", "resume", "reset"))
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


def journal(sim: Simulator, request: Request, body: dict) -> dict:
    q = request.query_params
    check_names("filter", q, ("app", "user", "path", "status", "method", "endpoint", "limit"))
    try:
        status = int(q["status"]) if "status" in q else None
        limit = int(q["limit"]) if "limit" in q else None
    except ValueError:
        raise ControlError(400, "status and limit are integers") from None
    if limit is not None and limit < 0:
        raise ControlError(400, "limit is a number of entries, 0 or more")
    entries = sim.journal(
        app=q.get("app"),
        user=q.get("user"),
        path=q.get("path"),
        status=status,
        method=q.get("method"),
        endpoint=q.get("endpoint"),
        limit=limit,
    )
    return {"entries": entries, "count": len(entries)}


def routes(sim: Simulator) -> list[Route]:

    def r(path: str, handler: Handler, method: str, status: int = 200) -> Route:
        return Route("/_xmock" + path, _endpoint(sim, handler, status), methods=[method])

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
        r("/apps/{app_id}/credits", get_credits, "GET"),
        r("/apps/{app_id}/credits", post_credits, "POST"),
        r("/apps/{app_id}/limits", get_limits, "GET"),
        r("/apps/{app_id}/limits", patch_limits, "PATCH"),
        r("/ledger", ledger, "GET"),
        r("/findings", findings, "GET"),
        r("/faults", add_fault, "POST", 201),
        r("/faults", list_faults, "GET"),
        r("/faults", clear_faults, "DELETE"),
        r("/faults/{fault_id}", remove_fault, "DELETE"),
        r("/users", create_user, "POST", 201),
        r("/users", list_users, "GET"),
        r("/users/{user_id}", get_user, "GET"),
        r("/tokens/oauth1", mint_oauth1, "POST", 201),
        r("/tokens/oauth1/invalidate", invalidate_oauth1, "POST"),
        r("/oauth1/authorize", authorize_oauth1, "POST"),
        r("/oauth2/authorize", authorize_oauth2, "POST"),
        r("/tokens/oauth2", mint_oauth2, "POST", 201),
        r("/tokens/oauth2/expire", expire_oauth2, "POST"),
        r("/tokens/oauth2/revoke", revoke_oauth2, "POST"),
        r("/tokens", list_tokens, "GET"),
        r("/posts", list_posts, "GET"),
        r("/stats", stats, "GET"),
        r("/clock", get_clock, "GET"),
        r("/clock", set_clock, "POST"),
        r("/journal", journal, "GET"),
        *_family_routes(sim),
    ]


def _family_routes(sim: Simulator) -> list[Route]:
    """Each family's control routes, from a module of its own."""
    # These modules import this one, so they are imported when the routes are built.
    from xmock.simulator.control import (
        audience_api,
        dms_api,
        graph_api,
        lists_api,
        post_fields_api,
        posts_api,
        profiles_api,
        users_api,
        webhooks_api,
        world_api,
    )

    return [
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
    ]

"""The control API's credential operations: mint, invalidate, expire and revoke tokens, and play the user
on either consent screen (beside `Simulator`'s core_credentials)."""

from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import parse_qsl, urlsplit

from starlette.requests import Request
from starlette.routing import Route

from xmock.simulator.control.errors import ControlError, check_bool, check_text
from xmock.simulator.control.plumbing import fields as checked
from xmock.simulator.control.plumbing import route
from xmock.simulator.oauth1.flow import decide, find_user
from xmock.simulator.oauth2.authorize import decide as decide_oauth2
from xmock.simulator.oauth2.issue import token_response

if TYPE_CHECKING:
    from xmock.simulator.core import Simulator


def mint_oauth1(sim: Simulator, request: Request, body: dict) -> dict:
    fields = checked(body, ("app_id", "user_id"), ("token", "secret", "access_level"))
    token = sim.mint_oauth1_token(str(fields.pop("app_id")), str(fields.pop("user_id")), **fields)
    return token.public(reveal=True)


def invalidate_oauth1(sim: Simulator, request: Request, body: dict) -> dict:
    checked(body, ("token",), ())
    return {"invalidated": sim.invalidate_oauth1_token(str(body["token"]))}


def mint_oauth2(sim: Simulator, request: Request, body: dict) -> dict:
    fields = checked(body, ("app_id", "user_id"), ("scopes",))
    kwargs = {"scopes": fields["scopes"]} if "scopes" in fields else {}
    access, refresh = sim.mint_oauth2_token(str(fields["app_id"]), str(fields["user_id"]), **kwargs)
    return token_response(sim, access, refresh)


def expire_oauth2(sim: Simulator, request: Request, body: dict) -> dict:
    checked(body, ("token",), ())
    return {"expired": sim.expire_oauth2_token(str(body["token"]))}


def revoke_oauth2(sim: Simulator, request: Request, body: dict) -> dict:
    checked(body, ("token",), ())
    return {"revoked": sim.revoke_oauth2_token(str(body["token"]))}


def list_tokens(sim: Simulator, request: Request, body: dict) -> dict:
    q = request.query_params
    app, user = q.get("app"), q.get("user")
    return {"tokens": sim.tokens(app=app, user=user), "oauth1_tokens": sim.oauth1_tokens(app=app, user=user)}


def authorize_oauth1(sim: Simulator, request: Request, body: dict) -> dict:
    """Play the user on the consent screen: approve or deny a request token."""
    fields = checked(body, ("oauth_token",), ("user", "approve"))
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
    fields = checked(body, ("url",), ("user", "approve"))
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


def routes(sim: Simulator) -> list[Route]:
    return [
        route(sim, "/tokens/oauth1", mint_oauth1, "POST", 201),
        route(sim, "/tokens/oauth1/invalidate", invalidate_oauth1, "POST"),
        route(sim, "/oauth1/authorize", authorize_oauth1, "POST"),
        route(sim, "/oauth2/authorize", authorize_oauth2, "POST"),
        route(sim, "/tokens/oauth2", mint_oauth2, "POST", 201),
        route(sim, "/tokens/oauth2/expire", expire_oauth2, "POST"),
        route(sim, "/tokens/oauth2/revoke", revoke_oauth2, "POST"),
        route(sim, "/tokens", list_tokens, "GET"),
    ]

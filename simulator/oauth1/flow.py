"""The three-legged OAuth 1.0a flow: request token, consent, access token, invalidation."""

from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import urlencode, urlsplit, urlunsplit

from xmock.simulator import errors, pages
from xmock.simulator.models import OAuth1Token, RequestToken, User
from xmock.simulator.xrequest import Reply

if TYPE_CHECKING:
    from xmock.simulator.core import Simulator
    from xmock.simulator.pipeline import Call

FORM = "text/html; charset=utf-8"  # X answers the token endpoints form-encoded with this type
_PERMISSION_TEXT = {
    "read": ["See posts from your timeline", "See your profile information and account settings"],
    "read-write": [
        "See posts from your timeline",
        "See your profile information and account settings",
        "Create and delete posts for you",
        "Like and repost posts for you",
    ],
    "read-write-directmessages": [
        "See posts from your timeline",
        "See your profile information and account settings",
        "Create and delete posts for you",
        "Like and repost posts for you",
        "Send and read your Direct Messages",
    ],
}


def _callback_allowed(callback: str, registered: tuple[str, ...]) -> bool:
    if callback == "oob" or callback in registered:
        return True
    # X lets a registered callback carry its own query string at request time.
    bare = urlunsplit(urlsplit(callback)._replace(query="", fragment=""))
    return bare in registered


def request_token(call: Call) -> Reply:
    """POST (or GET) /oauth/request_token"""
    sim, app = call.sim, call.auth.app
    assert app is not None
    callback = (call.auth.oauth or {}).get("oauth_callback")
    if not callback:
        raise errors.bad_authentication_data("oauth_callback is required (a registered URL or oob)")
    if not _callback_allowed(callback, app.callback_urls):
        raise errors.callback_not_approved()
    wanted = call.req.param("x_auth_access_type")
    level = app.permission
    if wanted == "read":
        level = "read"
    elif wanted not in (None, "", "write"):
        raise errors.bad_authentication_data("x_auth_access_type must be read or write")
    token = RequestToken(
        token=sim.random.token(32),
        secret=sim.random.token(32),
        app_id=app.id,
        callback=callback,
        access_level=level,
        created_at=sim.clock.now(),
    )
    sim.store.add_request_token(token)
    body = urlencode(
        {"oauth_token": token.token, "oauth_token_secret": token.secret, "oauth_callback_confirmed": "true"}
    )
    return Reply(200, body, content_type=FORM)


def _pending(sim: Simulator, token: str | None) -> RequestToken | None:
    if not token:
        return None
    pending = sim.store.get_request_token(token)
    if pending is None or pending.created_at + sim.settings.request_token_ttl < sim.clock.now():
        return None
    return pending


def find_user(sim: Simulator, who: str | None) -> User | None:
    if who:
        return sim.store.get_user(who) if who.isdigit() else sim.store.user_by_username(who.lstrip("@"))
    users = sim.store.list_users()
    return users[0] if users else None


def decide(sim: Simulator, token: str, user: User | None, approve: bool) -> Reply:
    """Carry out the user's decision on a request token and answer as x.com does."""
    pending = _pending(sim, token)
    if pending is None:
        return _invalid_token_page()
    if approve and user is None:
        return pages.no_user_to_sign_in()
    verifier = sim.random.token(7, "0123456789") if pending.callback == "oob" else sim.random.token(32)
    decided = sim.store.decide_request_token(
        token,
        verifier=verifier if approve else None,
        user_id=user.id if approve and user else None,
        denied=not approve,
    )
    if decided is None:
        return _invalid_token_page()
    if pending.callback == "oob":
        if not approve:
            return pages.message("Authorization cancelled", "You did not authorize the app.")
        return pages.message(
            "You've granted access", "Enter this PIN to complete the authorization process:", pin=verifier
        )
    params = {"oauth_token": token, "oauth_verifier": verifier} if approve else {"denied": token}
    sep = "&" if "?" in pending.callback else "?"
    return pages.redirect(pending.callback + sep + urlencode(params))


def _invalid_token_page() -> Reply:
    return pages.message(
        "Whoa there!",
        "The request token for this page is invalid. It may have already been "
        "used, or expired because it is too old. Please go back to the site or application that "
        "sent you here and try again; it was probably just a mistake.",
        400,
    )


def authorize_page(call: Call) -> Reply:
    """GET /oauth/authorize and /oauth/authenticate: the consent screen (or an automatic decision)."""
    sim = call.sim
    token = call.req.arg("oauth_token")
    pending = _pending(sim, token)
    if pending is None or token is None:
        return _invalid_token_page()
    mode = sim.settings.consent_mode
    who = call.req.arg("screen_name") or sim.settings.consent_user
    if mode != "page":
        return decide(sim, token, find_user(sim, who), approve=mode == "approve")
    app = sim.store.get_app(pending.app_id)
    account = sim.store.get_account(app.account_id) if app else None
    if app is None:
        return _invalid_token_page()
    return pages.page(
        "consent.html",
        app=app,
        developer=account.name if account else "",
        permissions=_PERMISSION_TEXT.get(pending.access_level, []),
        action=call.req.path,
        hidden=[("oauth_token", token)],
        users=sim.store.list_users()[:50],
        preselect=who,
    )


def authorize_decision(call: Call) -> Reply:
    """POST /oauth/authorize: the consent form's submit (also scriptable by tests)."""
    req = call.req
    token = req.param("oauth_token") or ""
    approve = (req.param("decision") or "approve") != "deny" and req.param("cancel") is None
    user = find_user(call.sim, req.param("user_id") or req.param("username")) if approve else None
    if approve and user is None and (req.param("user_id") or req.param("username")):
        return pages.unknown_username()
    return decide(call.sim, token, user, approve)


def access_token(call: Call) -> Reply:
    """POST (or GET) /oauth/access_token"""
    sim = call.sim
    pending = call.auth.request_token
    verifier = (call.auth.oauth or {}).get("oauth_verifier")
    assert pending is not None
    if pending.created_at + sim.settings.request_token_ttl < sim.clock.now():
        raise errors.invalid_or_expired_token("request token expired")
    if pending.denied or pending.verifier is None or not verifier or verifier != pending.verifier:
        raise errors.XError(
            401,
            "Error processing your OAuth request: Invalid oauth_verifier parameter",
            reason="verifier missing or wrong",
            content_type="text/plain; charset=utf-8",
        )
    taken = sim.store.take_request_token(pending.token)
    if taken is None or taken.user_id is None:
        raise errors.invalid_or_expired_token("request token already exchanged")
    user = sim.store.get_user(taken.user_id)
    if user is None:
        raise errors.invalid_or_expired_token("the approving user no longer exists")
    # X hands back the same access token while the user keeps the app authorized.
    record = sim.store.live_oauth1_token(taken.app_id, user.id, taken.access_level)
    if record is None:
        record = OAuth1Token(
            token=f"{user.id}-{sim.random.token(40)}",
            secret=sim.random.token(45),
            app_id=taken.app_id,
            user_id=user.id,
            access_level=taken.access_level,
            created_at=sim.clock.now(),
        )
        sim.store.add_oauth1_token(record)
    body = urlencode(
        {
            "oauth_token": record.token,
            "oauth_token_secret": record.secret,
            "user_id": user.id,
            "screen_name": user.username,
        }
    )
    return Reply(200, body, content_type=FORM, note={"user_id": user.id})


def invalidate_token(call: Call) -> Reply:
    """POST /1.1/oauth/invalidate_token"""
    record = call.auth.oauth1_token
    assert record is not None
    call.sim.store.invalidate_oauth1_token(record.token, call.sim.clock.now())
    return Reply(200, {"access_token": record.token})

"""POST /2/oauth2/token and /2/oauth2/revoke.

Bodies come form-encoded or as JSON (twitter-api-v2 sends JSON). Confidential clients
authenticate with Basic, and may repeat `client_id`/`client_secret` in the body; public
clients send `client_id` only. Parameters nobody asked for (`allow_redirects=True` from
requests-oauthlib's auto-refresh) are ignored.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
from typing import TYPE_CHECKING
from urllib.parse import unquote

from xmock.simulator import errors
from xmock.simulator.models import App
from xmock.simulator.oauth2.issue import token_response, user_tokens
from xmock.simulator.oauth2.scopes import parse_scopes
from xmock.simulator.redact import fingerprint
from xmock.simulator.xrequest import Reply

if TYPE_CHECKING:
    from xmock.simulator.pipeline import Call


def params(call: Call) -> dict[str, str]:
    """Form or JSON body parameters (JSON values that are not strings are ignored)."""
    req = call.req
    if "json" in req.content_type or req.body.lstrip().startswith(b"{"):
        body = req.json_object()
        return {k: v for k, v in body.items() if isinstance(v, str)}
    return dict(req.form) if req.body else dict(req.query)


def basic_credentials(header: str | None) -> tuple[str, str] | None:
    """(client id, secret) from `Authorization: Basic`, each form-decoded as RFC 6749 says."""
    if not header or header[:6].lower() != "basic ":
        return None
    try:
        decoded = base64.b64decode(header[6:].strip(), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        return None
    client_id, sep, secret = decoded.partition(":")
    if not sep:
        return None
    return unquote(client_id.replace("+", " ")), unquote(secret.replace("+", " "))


def client(call: Call, body: dict[str, str]) -> App:
    """The calling app, authenticated as its client type requires."""
    basic = basic_credentials(call.req.headers.get("authorization"))
    client_id = basic[0] if basic else body.get("client_id")
    if basic and body.get("client_id") not in (None, basic[0]):
        raise errors.oauth2_client_unauthorized("client_id in the body differs from the Basic header")
    if not client_id:
        raise errors.oauth2_missing("client_id")
    app = call.sim.store.app_by_client_id(client_id)
    if app is None:
        raise errors.oauth2_error(401, "invalid_client", "Value passed for the client id was invalid.")
    if app.suspended:
        raise errors.oauth2_client_unauthorized("the app is suspended")
    if app.client_type == "confidential":
        secret = basic[1] if basic else body.get("client_secret")
        if secret is None or not hmac.compare_digest(secret.encode(), app.client_secret.encode()):
            err = errors.oauth2_client_unauthorized("confidential client without a valid secret")
            # whose client it was, and which secret (a fingerprint only): a stale one after a rotation shows
            err.evidence = {"app_id": app.id, "client_id": client_id, "client_secret_fingerprint": fingerprint(secret)}
            raise err
        if basic and body.get("client_secret") not in (None, basic[1]):
            raise errors.oauth2_client_unauthorized("client_secret in the body differs from the Basic header")
    call.auth.app = app
    return app


def _pkce_ok(verifier: str, challenge: str, method: str) -> bool:
    if method == "S256":
        digest = hashlib.sha256(verifier.encode("ascii", "replace")).digest()
        computed = base64.urlsafe_b64encode(digest).decode().rstrip("=")
        return hmac.compare_digest(computed, challenge)
    return hmac.compare_digest(verifier.encode(), challenge.encode())


def token(call: Call) -> Reply:
    """POST /2/oauth2/token"""
    body = params(call)
    grant_type = body.get("grant_type")
    if not grant_type:
        raise errors.oauth2_missing("grant_type")
    if grant_type not in ("authorization_code", "refresh_token"):
        raise errors.oauth2_error(400, "unsupported_grant_type", "Value passed for the grant type was invalid.")
    app = client(call, body)
    if grant_type == "authorization_code":
        return _exchange_code(call, app, body)
    return _refresh(call, app, body)


def _exchange_code(call: Call, app: App, body: dict[str, str]) -> Reply:
    sim = call.sim
    for name in ("code", "code_verifier", "redirect_uri"):
        if not body.get(name):
            raise errors.oauth2_missing(name)
    code = sim.store.take_auth_code(body["code"])  # single use, even when the exchange then fails
    if code is None or code.app_id != app.id or sim.clock.now() >= code.expires_at:
        raise errors.oauth2_invalid("authorization code")
    if body["redirect_uri"] != code.redirect_uri:
        raise errors.oauth2_error(
            400,
            "invalid_request",
            "Value passed for the redirect uri did not match the uri of the authorization code.",
        )
    if not _pkce_ok(body["code_verifier"], code.challenge, code.challenge_method):
        raise errors.oauth2_invalid("code verifier")
    user = sim.store.get_user(code.user_id)
    if user is None:
        raise errors.oauth2_invalid("authorization code")
    access, refresh = user_tokens(sim, app, user.id, code.scopes)
    sim.store.add_oauth2_tokens(*(t for t in (access, refresh) if t is not None))
    return Reply(200, token_response(sim, access, refresh), note={"user_id": user.id, "grant": "authorization_code"})


def _refresh(call: Call, app: App, body: dict[str, str]) -> Reply:
    sim = call.sim
    value = body.get("refresh_token")
    if not value:
        raise errors.oauth2_missing("refresh_token")
    now = sim.clock.now()
    old = sim.store.get_oauth2_token(value)
    if old is None or old.kind != "refresh" or old.app_id != app.id or old.state(now) != "active":
        raise errors.oauth2_invalid("token")
    scopes = list(old.scopes)
    asked = parse_scopes(body.get("scope"))
    if asked:
        extra = [s for s in asked if s not in old.scopes]
        if extra:
            raise errors.oauth2_error(400, "invalid_scope", "Scope(s) not granted before: " + " ".join(extra))
        scopes = asked
    access, refresh = user_tokens(sim, app, old.user_id or "", scopes, grant_id=old.grant_id)
    new = [t for t in (access, refresh) if t is not None]
    if not sim.store.rotate_refresh_token(value, now, *new):  # lost a race with another refresh
        raise errors.oauth2_invalid("token")
    return Reply(200, token_response(sim, access, refresh), note={"user_id": old.user_id, "grant": "refresh_token"})


def revoke(call: Call) -> Reply:
    """POST /2/oauth2/revoke"""
    body = params(call)
    value = body.get("token")
    if not value:
        raise errors.oauth2_missing("token")
    app = client(call, body)
    tok = call.sim.store.get_oauth2_token(value)
    if tok is not None and tok.app_id == app.id:
        # Revoking a refresh token ends the whole grant; an access token only itself.
        call.sim.store.revoke_oauth2_token(value, call.sim.clock.now(), whole_grant=tok.kind == "refresh")
    return Reply(200, {"revoked": True}, note={"user_id": tok.user_id if tok else None})

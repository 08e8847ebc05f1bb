"""App-only bearer tokens: POST /oauth2/token (client_credentials) and /oauth2/invalidate_token."""

from __future__ import annotations

import hmac
from typing import TYPE_CHECKING

from xmock.simulator import errors
from xmock.simulator.models import App, OAuth2Token
from xmock.simulator.oauth2.issue import bearer_token
from xmock.simulator.oauth2.token_endpoint import basic_credentials
from xmock.simulator.xrequest import Reply

if TYPE_CHECKING:
    from xmock.simulator.pipeline import Call


def _app(call: Call) -> App:
    """The app named by Basic consumer key:secret; X answers 403 code 99 otherwise."""
    creds = basic_credentials(call.req.headers.get("authorization"))
    if creds is None:
        raise errors.bearer_credentials_refused("no Basic consumer credentials")
    app = call.sim.store.app_by_consumer_key(creds[0])
    if app is None or not hmac.compare_digest(creds[1].encode(), app.consumer_secret.encode()):
        raise errors.bearer_credentials_refused("unknown consumer key or wrong secret")
    if app.suspended:
        raise errors.bearer_credentials_refused("the app is suspended")
    call.auth.app = app
    return app


def token(call: Call) -> Reply:
    """POST /oauth2/token with grant_type=client_credentials: the app's one bearer token."""
    app = _app(call)
    if call.req.param("grant_type") != "client_credentials":
        raise errors.bearer_credentials_refused("grant_type must be client_credentials")
    sim = call.sim
    candidate = OAuth2Token(
        token=bearer_token(sim),
        kind="bearer",
        app_id=app.id,
        user_id=None,
        scopes=(),
        issued_at=sim.clock.now(),
        expires_at=None,
        grant_id=sim.random.hex(16),
    )
    current = sim.store.app_bearer_token(app.id, candidate)
    return Reply(200, {"token_type": "bearer", "access_token": current.token})


def invalidate(call: Call) -> Reply:
    """POST /oauth2/invalidate_token: the bearer token stops working; the next request mints a new one."""
    app = _app(call)
    value = call.req.param("access_token")
    if not value:
        raise errors.bearer_credentials_refused("access_token is required")
    tok = call.sim.store.get_oauth2_token(value)
    if tok is None or tok.kind != "bearer" or tok.app_id != app.id or tok.revoked_at is not None:
        raise errors.bearer_credentials_refused("not a live bearer token of this app")
    call.sim.store.revoke_oauth2_token(value, call.sim.clock.now())
    return Reply(200, {"access_token": value})

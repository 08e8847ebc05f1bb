"""Minting OAuth 2.0 tokens in X's shapes, on the simulator clock."""

from __future__ import annotations

import base64
from typing import TYPE_CHECKING, Any

from xmock.simulator.ids import ALNUM, URLSAFE
from xmock.simulator.models import App, OAuth2Token
from xmock.simulator.oauth2.scopes import OFFLINE

if TYPE_CHECKING:
    from xmock.simulator.core import Simulator


def x_token(sim: Simulator, kind: str, confidential: bool) -> str:
    """X's format: base64 of `<45 chars>:<issued ms>:1:<0|1>:<at|rt|ac>:1`, unpadded."""
    raw = f"{sim.random.token(45, URLSAFE)}:{sim.clock.now_ms()}:1:{int(confidential)}:{kind}:1"
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def bearer_token(sim: Simulator) -> str:
    """App-only bearer tokens start with a run of `A`s and carry encoded `/` and `=`."""
    r = sim.random
    return f"AAAAAAAAAAAAAAAAAAAAA{r.token(22)}%2F{r.token(20)}%3D{r.token(50, ALNUM)}"


def user_tokens(
    sim: Simulator, app: App, user_id: str, scopes: list[str] | tuple[str, ...], grant_id: str | None = None
) -> tuple[OAuth2Token, OAuth2Token | None]:
    """An access token, and a refresh token when `offline.access` was granted (not yet stored)."""
    now = sim.clock.now()
    grant = grant_id or sim.random.hex(16)
    confidential = app.client_type == "confidential"
    access = OAuth2Token(
        token=x_token(sim, "at", confidential),
        kind="access",
        app_id=app.id,
        user_id=user_id,
        scopes=tuple(scopes),
        issued_at=now,
        expires_at=now + sim.settings.access_token_ttl,
        grant_id=grant,
    )
    refresh = None
    if OFFLINE in scopes:
        ttl = sim.settings.refresh_token_ttl
        refresh = OAuth2Token(
            token=x_token(sim, "rt", confidential),
            kind="refresh",
            app_id=app.id,
            user_id=user_id,
            scopes=tuple(scopes),
            issued_at=now,
            expires_at=now + ttl if ttl else None,
            grant_id=grant,
        )
    return access, refresh


def token_response(sim: Simulator, access: OAuth2Token, refresh: OAuth2Token | None) -> dict[str, Any]:
    """X's token answer: `scope` is exactly what was granted; `refresh_token` only with offline.access."""
    body: dict[str, Any] = {
        "token_type": "bearer",
        "expires_in": round((access.expires_at or access.issued_at) - access.issued_at),
        "access_token": access.token,
        "scope": " ".join(access.scopes),
    }
    if refresh is not None:
        body["refresh_token"] = refresh.token
    return body

"""Who is calling: the authentication step the pipeline runs before every handler."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING

from xmock.simulator import errors
from xmock.simulator.endpoints import (
    BEARER,
    NONE,
    OAUTH1_CONSUMER,
    OAUTH1_REQUEST,
    OAUTH1_USER,
    OAUTH2_USER,
    Endpoint,
)
from xmock.simulator.models import App, OAuth1Token, OAuth2Token, RequestToken, User
from xmock.simulator.oauth1 import signature
from xmock.simulator.oauth1.params import OAuthFormatError, SignedRequest, signed_request
from xmock.simulator.redact import fingerprint

if TYPE_CHECKING:
    from xmock.simulator.core import Simulator
    from xmock.simulator.xrequest import XRequest


@dataclass(slots=True)
class AuthContext:
    scheme: str
    app: App | None = None
    user: User | None = None
    oauth1_token: OAuth1Token | None = None
    request_token: RequestToken | None = None
    access_level: str | None = None
    oauth: dict[str, str] | None = None  # the verified oauth_* parameters
    oauth2_token: OAuth2Token | None = None
    # An OAuth 1.0a nonce left for the pipeline to consume with the rest of the request's books
    # (simulator/admission.py): its key, expiry, and the evidence a replay is refused with.
    nonce: tuple[str, float, dict] | None = None

    @property
    def credential(self) -> str | None:
        """The token this request was made with (journalled only as a fingerprint)."""
        if self.oauth1_token is not None:
            return self.oauth1_token.token
        return self.oauth2_token.token if self.oauth2_token is not None else None


def authenticate(sim: Simulator, req: XRequest, ep: Endpoint, *, defer_nonce: bool = False) -> AuthContext:
    """Who made the request, or X's refusal. With `defer_nonce`, an OAuth 1.0a nonce is left on the
    context (`nonce`) for the caller to consume; otherwise it is consumed here."""
    if ep.auth == (NONE,):
        return AuthContext(scheme=NONE)
    header = req.headers.get("authorization")
    if header is not None and header[:7].lower() == "bearer ":
        return _bearer(sim, ep, header[7:].strip())
    if not _takes_oauth1(ep.auth):
        if header is not None and header[:5].lower() == "oauth" and ep.surface == "v2":
            raise _unsupported("oauth1", ep)
        raise _fail("missing", ep, "no credentials this endpoint accepts", None)
    ctx = _oauth1(sim, req, ep, header)
    if ctx.nonce is not None and not defer_nonce:
        key, expires_at, evidence = ctx.nonce
        ctx.nonce = None
        if not sim.store.consume_nonce(key, expires_at=expires_at, now=sim.clock.now()):
            raise nonce_refused(ep, evidence)
    return ctx


def nonce_refused(ep: Endpoint, evidence: dict) -> errors.XError:
    return _fail("nonce", ep, "nonce already used with this timestamp", evidence)


@cache  # one answer per distinct auth tuple in the route table
def _takes_oauth1(kinds: tuple[str, ...]) -> bool:
    return bool({OAUTH1_USER, OAUTH1_CONSUMER, OAUTH1_REQUEST} & set(kinds))


def _unsupported(used: str, ep: Endpoint) -> errors.XError:
    supported = [
        name
        for scheme, name in ((OAUTH1_USER, "oauth1"), (OAUTH2_USER, "oauth2-user"), (BEARER, "bearer"))
        if scheme in ep.auth
    ]
    return errors.unsupported_authentication(used, supported)


def _fail(kind: str, ep: Endpoint, reason: str, evidence: dict | None) -> errors.XError:
    # The raw token never leaves: only its fingerprint.
    return _refuse(errors.auth_failure(kind, ep.surface, reason), evidence or {})


def _refuse(err: errors.XError, evidence: dict) -> errors.XError:
    err.evidence = dict(evidence)
    if "token" in err.evidence:
        err.evidence["token_fingerprint"] = fingerprint(err.evidence.pop("token"))
    return err


def _bearer(sim: Simulator, ep: Endpoint, value: str) -> AuthContext:
    """OAuth 2.0: a user access token or the app-only bearer token."""
    evidence = {"scheme": "bearer", "token": value}
    tok = sim.store.get_oauth2_token(value) if value else None
    if tok is None or tok.kind == "refresh":
        raise _fail("token", ep, "unknown bearer token", evidence)
    evidence["app_id"], evidence["user_id"] = tok.app_id, tok.user_id
    state = tok.state(sim.clock.now())
    if state != "active":
        raise _fail("token", ep, f"bearer token is {state}", evidence)
    app = sim.store.get_app(tok.app_id)
    if app is None or app.suspended:
        raise _fail("suspended", ep, "the app is suspended", evidence)
    if tok.kind == "bearer":
        if BEARER not in ep.auth:
            raise _refuse(
                _unsupported("bearer", ep)
                if ep.surface == "v2"
                else errors.credentials_not_allowed("app-only bearer on a user-context endpoint"),
                evidence,
            )
        return AuthContext(scheme="bearer", app=app, oauth2_token=tok)
    if OAUTH2_USER not in ep.auth:
        refusal = (
            _unsupported("oauth2-user", ep)  # v2 names the schemes it takes (GET /2/usage/tweets: bearer only)
            if ep.surface == "v2"
            else errors.credentials_not_allowed("OAuth 2.0 user token on an OAuth 1.0a endpoint")
        )
        raise _refuse(refusal, evidence)
    user = sim.store.get_user(tok.user_id or "")
    if user is None:
        raise _fail("token", ep, "the token's user no longer exists", evidence)
    missing = [scope for scope in ep.scopes if scope not in tok.scopes]
    if missing:
        raise _refuse(errors.missing_scopes(missing), evidence)
    return AuthContext(scheme="oauth2-user", app=app, user=user, oauth2_token=tok)


def _oauth1(sim: Simulator, req: XRequest, ep: Endpoint, header: str | None) -> AuthContext:
    if header is not None and header[:5].lower() != "oauth":
        raise _fail("garbled", ep, "Authorization header is neither OAuth nor Bearer", None)
    try:
        # No query and no form body (most requests): neither is parsed to learn it is empty.
        plain = header is not None and not req.query_string and not (req.body and req.is_form)
        signed = signed_request(header, [], []) if plain else signed_request(header, req.query, req.form)
    except OAuthFormatError as exc:
        raise _fail(exc.kind, ep, exc.reason, None) from exc
    if signed is None:
        raise _fail("missing", ep, "no OAuth 1.0a parameters", None)
    oauth = signed.oauth
    consumer_key, token = oauth["oauth_consumer_key"], oauth.get("oauth_token") or None
    evidence: dict = {"scheme": "oauth1", "consumer_key": consumer_key, "token": token}
    if oauth["oauth_signature_method"] != "HMAC-SHA1":
        raise _fail("signature", ep, f"signature method {oauth['oauth_signature_method']} is not HMAC-SHA1", evidence)
    if oauth.get("oauth_version", "1.0") != "1.0":
        raise _fail("garbled", ep, "oauth_version must be 1.0", evidence)

    app = sim.store.app_by_consumer_key(consumer_key)
    if app is None:
        raise _fail("consumer", ep, "unknown consumer key", evidence)
    evidence["app_id"] = app.id
    if app.suspended:
        raise _fail("suspended", ep, "the app is suspended", evidence)

    ctx = AuthContext(scheme="oauth1", app=app, oauth=oauth)
    token_secret: str | None = None
    if OAUTH1_USER in ep.auth and token is not None:
        record = sim.store.get_oauth1_token(token)
        if record is None or record.invalidated_at is not None or record.app_id != app.id:
            why = (
                "unknown access token"
                if record is None
                else (
                    "access token was invalidated"
                    if record.invalidated_at is not None
                    else "access token belongs to another app"
                )
            )
            raise _fail("token", ep, why, evidence)
        user = sim.store.get_user(record.user_id)
        if user is None:
            raise _fail("token", ep, "the token's user no longer exists", evidence)
        evidence["user_id"] = user.id
        ctx.oauth1_token, ctx.user, ctx.access_level = record, user, record.access_level
        token_secret = record.secret
    elif OAUTH1_REQUEST in ep.auth and token is not None:
        pending = sim.store.get_request_token(token)
        if pending is None or pending.app_id != app.id:
            raise _fail("token", ep, "unknown request token", evidence)
        ctx.request_token, token_secret = pending, pending.secret
    elif OAUTH1_CONSUMER not in ep.auth:
        raise _fail(
            "missing" if ep.surface != "v2" else "token",
            ep,
            "no oauth_token on a user-context endpoint",
            evidence,
        )

    now = sim.clock.now()
    ts = int(oauth["oauth_timestamp"])
    window = sim.settings.timestamp_window
    if abs(now - ts) > window and not (
        sim.settings.timestamp_check == "either" and abs(sim.clock.wall() - ts) <= window
    ):
        evidence["timestamp_skew_seconds"] = round(ts - now, 3)
        raise _fail(
            "timestamp",
            ep,
            f"oauth_timestamp is {ts - now:+.0f} s from the simulator clock (window ±{window} s)",
            evidence,
        )

    result = _signature(req, signed, app.consumer_secret, token_secret)
    if not result.ok and ctx.request_token is not None and oauth.get("oauth_verifier"):
        # X's documented access-token request carries the request token and verifier in the query, signed
        # with the consumer secret alone: the verifier, checked by the handler, is the proof there.
        result = _signature(req, signed, app.consumer_secret, None)
    if not result.ok:
        evidence["signature_candidates"] = signature.redacted_candidates(
            req.method, result.tried, signed.params, [t for t in (token, oauth.get("oauth_verifier")) if t]
        )
        evidence["signed_body"] = (
            "form parameters"
            if req.is_form and req.body
            else ("not signed (only form-encoded bodies are part of the signature)" if req.body else "empty")
        )
        raise _fail("signature", ep, "signature does not match any candidate URL", evidence)

    nonce_key = "\x00".join((consumer_key, token or "", oauth["oauth_timestamp"], oauth["oauth_nonce"]))
    ctx.nonce = (nonce_key, now + 2 * window + 1, evidence)
    return ctx


def _signature(
    req: XRequest, signed: SignedRequest, consumer_secret: str, token_secret: str | None
) -> signature.SignatureCheck:
    """Check against the usual origin first; on failure, against every candidate, each explained."""
    first = signature.first_origin(req.headers, req.scheme)
    result = signature.check(
        req.method,
        req.raw_path,
        (first,) if first is not None else signature.lazy_origins(req.headers, req.scheme),
        signed.params,
        signed.signature,
        consumer_secret,
        token_secret,
        normalized=signed.normalized,
        explain=first is None,
    )
    if not result.ok and first is not None:
        result = signature.check(
            req.method,
            req.raw_path,
            signature.lazy_origins(req.headers, req.scheme),
            signed.params,
            signed.signature,
            consumer_secret,
            token_secret,
            normalized=signed.normalized,
        )
    return result

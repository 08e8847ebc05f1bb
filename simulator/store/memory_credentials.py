"""The in-memory store's credential tables: OAuth 1.0a and 2.0 tokens, request tokens, codes, nonces."""

from __future__ import annotations

import threading
from dataclasses import replace

from xmock.simulator.models import AuthCode, OAuth1Token, OAuth2Token, RequestToken
from xmock.simulator.store.base import StoreConflict


class CredentialTables:
    """Part of MemoryStore; the tables themselves are created by `MemoryStore.reset`."""

    _lock: threading.RLock
    _oauth1: dict[str, OAuth1Token]
    _request_tokens: dict[str, RequestToken]
    _nonces: dict[str, float]
    _next_nonce_sweep: float
    _codes: dict[str, AuthCode]
    _oauth2: dict[str, OAuth2Token]
    _bearers: dict[str, str]

    # OAuth 1.0a credentials -------------------------------------------------
    def add_oauth1_token(self, token: OAuth1Token) -> None:
        with self._lock:
            if token.token in self._oauth1:
                raise StoreConflict("access token already exists")
            self._oauth1[token.token] = token

    def get_oauth1_token(self, token: str) -> OAuth1Token | None:
        return self._oauth1.get(token)

    def live_oauth1_token(self, app_id: str, user_id: str, access_level: str) -> OAuth1Token | None:
        with self._lock:
            for tok in self._oauth1.values():
                if (tok.app_id, tok.user_id, tok.access_level) == (app_id, user_id, access_level) and (
                    tok.invalidated_at is None
                ):
                    return tok
            return None

    def list_oauth1_tokens(self) -> list[OAuth1Token]:
        with self._lock:
            return sorted(self._oauth1.values(), key=lambda t: t.created_at)

    def invalidate_oauth1_token(self, token: str, at: float) -> bool:
        with self._lock:
            tok = self._oauth1.get(token)
            if tok is None or tok.invalidated_at is not None:
                return False
            self._oauth1[token] = replace(tok, invalidated_at=at)
            return True

    def add_request_token(self, token: RequestToken) -> None:
        with self._lock:
            if token.token in self._request_tokens:
                raise StoreConflict("request token already exists")
            self._request_tokens[token.token] = token

    def get_request_token(self, token: str) -> RequestToken | None:
        return self._request_tokens.get(token)

    def decide_request_token(
        self, token: str, *, verifier: str | None, user_id: str | None, denied: bool
    ) -> RequestToken | None:
        with self._lock:
            current = self._request_tokens.get(token)
            if current is None or current.verifier is not None or current.denied:
                return None
            decided = replace(current, verifier=verifier, user_id=user_id, denied=denied)
            self._request_tokens[token] = decided
            return decided

    def take_request_token(self, token: str) -> RequestToken | None:
        with self._lock:
            return self._request_tokens.pop(token, None)

    def consume_nonce(self, key: str, expires_at: float, now: float) -> bool:
        with self._lock:
            if now >= self._next_nonce_sweep:
                # Forget expired nonces now and then so memory stays bounded.
                self._nonces = {k: exp for k, exp in self._nonces.items() if exp > now}
                self._next_nonce_sweep = now + 60
            seen = self._nonces.get(key)
            if seen is not None and seen > now:
                return False
            self._nonces[key] = expires_at
            return True

    # OAuth 2.0 credentials --------------------------------------------------
    def add_auth_code(self, code: AuthCode) -> None:
        with self._lock:
            self._codes[code.code] = code

    def take_auth_code(self, code: str) -> AuthCode | None:
        with self._lock:
            return self._codes.pop(code, None)

    def add_oauth2_tokens(self, *tokens: OAuth2Token) -> None:
        with self._lock:
            for tok in tokens:
                if tok.token in self._oauth2:
                    raise StoreConflict("OAuth 2.0 token already exists")
            for tok in tokens:
                self._oauth2[tok.token] = tok

    def get_oauth2_token(self, token: str) -> OAuth2Token | None:
        return self._oauth2.get(token)

    def rotate_refresh_token(self, old: str, now: float, *new: OAuth2Token) -> bool:
        with self._lock:
            current = self._oauth2.get(old)
            if current is None or current.kind != "refresh" or current.state(now) != "active":
                return False
            self._oauth2[old] = replace(current, rotated_at=now)
            for tok in new:
                self._oauth2[tok.token] = tok
            return True

    def revoke_oauth2_token(self, token: str, now: float, *, whole_grant: bool = False) -> bool:
        with self._lock:
            current = self._oauth2.get(token)
            if current is None or current.revoked_at is not None:
                return False
            targets = [current]
            if whole_grant:
                targets = [t for t in self._oauth2.values() if t.grant_id == current.grant_id]
            for tok in targets:
                if tok.revoked_at is None:
                    self._oauth2[tok.token] = replace(tok, revoked_at=now)
                if tok.kind == "bearer":
                    self._bearers.pop(tok.app_id, None)
            return True

    def expire_oauth2_token(self, token: str, now: float) -> bool:
        with self._lock:
            current = self._oauth2.get(token)
            if current is None or current.state(now) != "active":
                return False
            self._oauth2[token] = replace(current, expires_at=now, planned_expires_at=current.expires_at)
            return True

    def app_bearer_token(self, app_id: str, candidate: OAuth2Token) -> OAuth2Token:
        with self._lock:
            existing = self._bearers.get(app_id)
            if existing is not None:
                return self._oauth2[existing]
            self._oauth2[candidate.token] = candidate
            self._bearers[app_id] = candidate.token
            return candidate

    def list_oauth2_tokens(self) -> list[OAuth2Token]:
        with self._lock:
            return list(self._oauth2.values())

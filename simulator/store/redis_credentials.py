"""The Redis store's credentials: OAuth 1.0a and 2.0 tokens, request tokens, codes, nonces."""

from __future__ import annotations

import hashlib
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from xmock.simulator.models import AuthCode, OAuth1Token, OAuth2Token, RequestToken
from xmock.simulator.store.base import StoreConflict
from xmock.simulator.store.codec import dumps
from xmock.simulator.store.redis_base import GRACE_MS, RedisPlumbing

if TYPE_CHECKING:
    import redis

REQUEST_TOKEN_MS = 86_400_000  # unexchanged request tokens are forgotten after a day of real time


class RedisCredentials(RedisPlumbing):
    """Part of RedisStore."""

    # OAuth 1.0a credentials -------------------------------------------------
    def add_oauth1_token(self, token: OAuth1Token) -> None:
        if not self.r.set(self.k("o1", token.token), dumps(token), nx=True):
            raise StoreConflict("access token already exists")
        pipe = self.r.pipeline(transaction=True)
        pipe.sadd(self.k("o1by", token.app_id, token.user_id, token.access_level), token.token)
        pipe.sadd(self.k("o1all"), token.token)  # every token, for the list the control API shows
        pipe.execute()

    def get_oauth1_token(self, token: str) -> OAuth1Token | None:
        return self.cached("o1", token, lambda: self._load(OAuth1Token, self.r.get(self.k("o1", token))))

    def live_oauth1_token(self, app_id: str, user_id: str, access_level: str) -> OAuth1Token | None:
        names = self.r.smembers(self.k("o1by", app_id, user_id, access_level))
        if not names:
            return None
        tokens = [self._load(OAuth1Token, t) for t in self.r.mget([self.k("o1", n) for n in names])]
        live = [t for t in tokens if t is not None and t.invalidated_at is None]
        return min(live, key=lambda t: t.created_at) if live else None

    def list_oauth1_tokens(self) -> list[OAuth1Token]:
        names = sorted(self.r.smembers(self.k("o1all")))
        if not names:
            return []
        loaded = [self._load(OAuth1Token, t) for t in self.r.mget([self.k("o1", n) for n in names])]
        return sorted((t for t in loaded if t is not None), key=lambda t: t.created_at)

    def invalidate_oauth1_token(self, token: str, at: float) -> bool:
        key = self.k("o1", token)

        def body(pipe: redis.client.Pipeline) -> tuple[Any, Any]:
            tok = self._load(OAuth1Token, pipe.get(key))
            if tok is None or tok.invalidated_at is not None:
                return None, False

            def writes(p: redis.client.Pipeline) -> None:
                p.set(key, dumps(replace(tok, invalidated_at=at)))
                self.bump(p)

            return writes, True

        return self.transact([key], body)

    def add_request_token(self, token: RequestToken) -> None:
        if not self.r.set(self.k("rt", token.token), dumps(token), nx=True, px=REQUEST_TOKEN_MS):
            raise StoreConflict("request token already exists")

    def get_request_token(self, token: str) -> RequestToken | None:
        return self._load(RequestToken, self.r.get(self.k("rt", token)))

    def decide_request_token(
        self, token: str, *, verifier: str | None, user_id: str | None, denied: bool
    ) -> RequestToken | None:
        key = self.k("rt", token)

        def body(pipe: redis.client.Pipeline) -> tuple[Any, Any]:
            current = self._load(RequestToken, pipe.get(key))
            if current is None or current.verifier is not None or current.denied:
                return None, None
            decided = replace(current, verifier=verifier, user_id=user_id, denied=denied)
            return (lambda p: p.set(key, dumps(decided), keepttl=True)), decided

        return self.transact([key], body)

    def take_request_token(self, token: str) -> RequestToken | None:
        return self._load(RequestToken, self.r.getdel(self.k("rt", token)))

    def consume_nonce(self, key: str, expires_at: float, now: float) -> bool:
        keep_ms = max(int((expires_at - now) * 1000), 1) + GRACE_MS
        return bool(self.run("NONCE", [self.k("nonce", self.nonce_name(key))], [repr(expires_at), repr(now), keep_ms]))

    @staticmethod
    def nonce_name(key: str) -> str:
        return hashlib.blake2b(key.encode(), digest_size=16).hexdigest()  # short keys, no token in the name

    # OAuth 2.0 credentials --------------------------------------------------
    def add_auth_code(self, code: AuthCode) -> None:
        self.r.set(self.k("code", code.code), dumps(code), px=GRACE_MS)

    def take_auth_code(self, code: str) -> AuthCode | None:
        return self._load(AuthCode, self.r.getdel(self.k("code", code)))

    def _queue_oauth2(self, pipe: redis.client.Pipeline, tokens: tuple[OAuth2Token, ...]) -> None:
        for tok in tokens:
            pipe.set(self.k("o2", tok.token), dumps(tok))
            pipe.sadd(self.k("o2all"), tok.token)
            pipe.sadd(self.k("grant", tok.grant_id), tok.token)

    def add_oauth2_tokens(self, *tokens: OAuth2Token) -> None:
        keys = [self.k("o2", t.token) for t in tokens]

        def body(pipe: redis.client.Pipeline) -> tuple[Any, Any]:
            if pipe.exists(*keys):
                raise StoreConflict("OAuth 2.0 token already exists")
            return (lambda p: self._queue_oauth2(p, tokens)), None

        self.transact(keys, body)

    def get_oauth2_token(self, token: str) -> OAuth2Token | None:
        return self._load(OAuth2Token, self.r.get(self.k("o2", token)))

    def rotate_refresh_token(self, old: str, now: float, *new: OAuth2Token) -> bool:
        key = self.k("o2", old)

        def body(pipe: redis.client.Pipeline) -> tuple[Any, Any]:
            current = self._load(OAuth2Token, pipe.get(key))
            if current is None or current.kind != "refresh" or current.state(now) != "active":
                return None, False

            def writes(p: redis.client.Pipeline) -> None:
                p.set(key, dumps(replace(current, rotated_at=now)))
                self._queue_oauth2(p, new)

            return writes, True

        return self.transact([key], body)

    def revoke_oauth2_token(self, token: str, now: float, *, whole_grant: bool = False) -> bool:
        key = self.k("o2", token)

        def body(pipe: redis.client.Pipeline) -> tuple[Any, Any]:
            current = self._load(OAuth2Token, pipe.get(key))
            if current is None or current.revoked_at is not None:
                return None, False
            targets = [current]
            if whole_grant:
                pipe.watch(self.k("grant", current.grant_id))  # a rotation meanwhile adds to the grant
                names = pipe.smembers(self.k("grant", current.grant_id))
                pipe.watch(*[self.k("o2", n) for n in names])
                loaded = [self._load(OAuth2Token, t) for t in pipe.mget([self.k("o2", n) for n in names])]
                targets = [t for t in loaded if t is not None]

            def writes(p: redis.client.Pipeline) -> None:
                for tok in targets:
                    if tok.revoked_at is None:
                        p.set(self.k("o2", tok.token), dumps(replace(tok, revoked_at=now)))
                    if tok.kind == "bearer":
                        p.hdel(self.k("bearer"), tok.app_id)

            return writes, True

        return self.transact([key], body)

    def expire_oauth2_token(self, token: str, now: float) -> bool:
        key = self.k("o2", token)

        def body(pipe: redis.client.Pipeline) -> tuple[Any, Any]:
            current = self._load(OAuth2Token, pipe.get(key))
            if current is None or current.state(now) != "active":
                return None, False
            ended = replace(current, expires_at=now, planned_expires_at=current.expires_at)
            return (lambda p: p.set(key, dumps(ended))), True

        return self.transact([key], body)

    def app_bearer_token(self, app_id: str, candidate: OAuth2Token) -> OAuth2Token:
        bearers = self.k("bearer")

        def body(pipe: redis.client.Pipeline) -> tuple[Any, Any]:
            existing = pipe.hget(bearers, app_id)
            if existing is not None:
                found = self._load(OAuth2Token, pipe.get(self.k("o2", existing)))
                if found is not None:
                    return None, found

            def writes(p: redis.client.Pipeline) -> None:
                self._queue_oauth2(p, (candidate,))
                p.hset(bearers, app_id, candidate.token)

            return writes, candidate

        return self.transact([bearers], body)

    def list_oauth2_tokens(self) -> list[OAuth2Token]:
        names = sorted(self.r.smembers(self.k("o2all")))
        if not names:
            return []
        loaded = [self._load(OAuth2Token, t) for t in self.r.mget([self.k("o2", n) for n in names])]
        return sorted((t for t in loaded if t is not None), key=lambda t: t.issued_at)

"""The embedded store: plain dicts behind one lock."""

from __future__ import annotations

import threading
from collections import deque
from dataclasses import replace
from decimal import Decimal
from typing import Any

from simulator.models import Account, App, AuthCode, Media, OAuth1Token, OAuth2Token, Post, RequestToken, User
from simulator.store.base import StoreConflict


class MemoryStore:
    def __init__(self, journal_size: int = 10_000) -> None:
        self._lock = threading.RLock()
        self._journal_size = journal_size
        self.reset()

    def reset(self) -> None:
        with self._lock:
            self._accounts: dict[str, Account] = {}
            self._apps: dict[str, App] = {}
            self._apps_by_ck: dict[str, str] = {}
            self._apps_by_client_id: dict[str, str] = {}
            self._users: dict[str, User] = {}
            self._users_by_name: dict[str, str] = {}
            self._oauth1: dict[str, OAuth1Token] = {}
            self._request_tokens: dict[str, RequestToken] = {}
            self._nonces: dict[str, float] = {}
            self._codes: dict[str, AuthCode] = {}
            self._oauth2: dict[str, OAuth2Token] = {}
            self._bearers: dict[str, str] = {}
            self._next_nonce_sweep = 0.0
            self._posts: dict[str, Post] = {}
            self._by_author: dict[str, list[str]] = {}
            self._recent_texts: dict[tuple[str, str], tuple[str, float]] = {}
            self._likes: dict[str, set[str]] = {}
            self._reposts: dict[str, set[str]] = {}
            self._replies: dict[str, set[str]] = {}
            self._quotes: dict[str, set[str]] = {}
            self._media: dict[str, Media] = {}
            self._next_media_sweep = 0.0
            self._windows: dict[str, tuple[float, int]] = {}
            self._limited: dict[str, float] = {}
            self._app_limits: dict[str, dict[str, Any]] = {}
            self._balances: dict[str, Decimal] = {}
            self._charged: dict[tuple[str, str], set[str]] = {}
            self._ledger: list[dict[str, Any]] = []
            self._findings: list[dict[str, Any]] = []
            self._finding_keys: dict[str, dict[str, Any]] = {}
            self._logs: dict[str, deque[tuple[float, Any]]] = {}
            self._faults: dict[str, dict[str, Any]] = {}
            self._counts: dict[tuple[str, int], int] = {}
            self._journal: deque[dict[str, Any]] = deque(maxlen=self._journal_size)

    # accounts, apps, users -------------------------------------------------
    def add_account(self, account: Account) -> None:
        with self._lock:
            if account.id in self._accounts:
                raise StoreConflict(f"account {account.id} already exists")
            self._accounts[account.id] = account

    def get_account(self, account_id: str) -> Account | None:
        return self._accounts.get(account_id)

    def list_accounts(self) -> list[Account]:
        with self._lock:
            return list(self._accounts.values())

    def _check_app_keys(self, app: App, ignore: str | None = None) -> None:
        owner = self._apps_by_ck.get(app.consumer_key)
        if owner is not None and owner != ignore:
            raise StoreConflict("consumer key already in use")
        owner = self._apps_by_client_id.get(app.client_id)
        if owner is not None and owner != ignore:
            raise StoreConflict("client id already in use")

    def add_app(self, app: App) -> None:
        with self._lock:
            if app.id in self._apps:
                raise StoreConflict(f"app {app.id} already exists")
            self._check_app_keys(app)
            self._apps[app.id] = app
            self._apps_by_ck[app.consumer_key] = app.id
            self._apps_by_client_id[app.client_id] = app.id

    def replace_app(self, app: App) -> App:
        with self._lock:
            old = self._apps.get(app.id)
            if old is None:
                raise KeyError(app.id)
            self._check_app_keys(app, ignore=app.id)
            self._apps_by_ck.pop(old.consumer_key, None)
            self._apps_by_client_id.pop(old.client_id, None)
            self._apps[app.id] = app
            self._apps_by_ck[app.consumer_key] = app.id
            self._apps_by_client_id[app.client_id] = app.id
            return old

    def get_app(self, app_id: str) -> App | None:
        return self._apps.get(app_id)

    def app_by_consumer_key(self, consumer_key: str) -> App | None:
        app_id = self._apps_by_ck.get(consumer_key)
        return self._apps.get(app_id) if app_id is not None else None

    def app_by_client_id(self, client_id: str) -> App | None:
        app_id = self._apps_by_client_id.get(client_id)
        return self._apps.get(app_id) if app_id is not None else None

    def list_apps(self, account_id: str | None = None) -> list[App]:
        with self._lock:
            return [a for a in self._apps.values() if account_id is None or a.account_id == account_id]

    def add_user(self, user: User) -> None:
        with self._lock:
            if user.id in self._users:
                raise StoreConflict(f"user {user.id} already exists")
            key = user.username.lower()
            if key in self._users_by_name:
                raise StoreConflict(f"username {user.username} is taken")
            self._users[user.id] = user
            self._users_by_name[key] = user.id

    def get_user(self, user_id: str) -> User | None:
        return self._users.get(user_id)

    def user_by_username(self, username: str) -> User | None:
        user_id = self._users_by_name.get(username.lower())
        return self._users.get(user_id) if user_id is not None else None

    def list_users(self) -> list[User]:
        with self._lock:
            return list(self._users.values())

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
            self._oauth2[token] = replace(current, expires_at=now)
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

    # rate limits -------------------------------------------------------------
    def rate_hit(self, buckets: list[tuple[str, int, int]], now: float) -> tuple[bool, list[tuple[int, float]]]:
        with self._lock:
            states = []
            for key, _limit, window in buckets:
                start, used = self._windows.get(key, (now, 0))
                if now >= start + window:
                    start, used = now, 0
                states.append((start, used))
            allowed = all(used < limit for (_, limit, _), (_, used) in zip(buckets, states, strict=True))
            out = []
            for (key, _, _), (start, used) in zip(buckets, states, strict=True):
                if allowed:
                    used += 1
                    self._windows[key] = (start, used)
                out.append((used, start))
            return allowed, out

    def note_limited(self, key: str, until: float, now: float) -> bool:
        with self._lock:
            current = self._limited.get(key)
            if current is not None and now < current:
                return False
            self._limited[key] = until
            return True

    def get_app_limits(self, app_id: str) -> dict[str, Any] | None:
        return self._app_limits.get(app_id)

    def set_app_limits(self, app_id: str, config: dict[str, Any] | None) -> None:
        with self._lock:
            if config is None:
                self._app_limits.pop(app_id, None)
            else:
                self._app_limits[app_id] = config

    # credits -------------------------------------------------------------------
    def credit_balance(self, app_id: str) -> Decimal:
        return self._balances.get(app_id, Decimal(0))

    def adjust_credits(
        self, app_id: str, delta: Decimal, entry: dict[str, Any], floor: Decimal | None = None
    ) -> Decimal | None:
        with self._lock:
            balance = self._balances.get(app_id, Decimal(0)) + delta
            if floor is not None and balance < floor:
                return None
            self._balances[app_id] = balance
            self._ledger.append({**entry, "app_id": app_id, "amount": str(delta), "balance": str(balance)})
            return balance

    def charge_resources(
        self, app_id: str, day: str, items: list[tuple[str, Decimal]], entry: dict[str, Any]
    ) -> tuple[Decimal, Decimal]:
        with self._lock:
            seen = self._charged.setdefault((app_id, day), set())
            fresh = [(key, price) for key, price in dict(items).items() if key not in seen]
            total = sum((price for _, price in fresh), Decimal(0))
            balance = self._balances.get(app_id, Decimal(0))
            if fresh:
                seen.update(key for key, _ in fresh)
                balance -= total
                self._balances[app_id] = balance
                self._ledger.append(
                    {
                        **entry,
                        "app_id": app_id,
                        "amount": str(-total),
                        "balance": str(balance),
                        "resource_ids": [key for key, _ in fresh],
                    }
                )
            return total, balance

    def ledger(self) -> list[dict[str, Any]]:
        with self._lock:
            return list(self._ledger)

    # findings and sliding windows -------------------------------------------------
    def add_finding(self, finding: dict[str, Any], dedupe: str | None) -> dict[str, Any]:
        with self._lock:
            if dedupe is not None and dedupe in self._finding_keys:
                known = self._finding_keys[dedupe]
                known["occurrences"] += 1
                known["last_seen"] = finding["time"]
                return dict(known)
            record = {**finding, "occurrences": 1, "last_seen": finding["time"]}
            self._findings.append(record)
            if dedupe is not None:
                self._finding_keys[dedupe] = record
            return dict(record)

    def findings(self) -> list[dict[str, Any]]:
        with self._lock:
            return [dict(f) for f in self._findings]

    def track(self, key: str, item: Any, now: float, window: float, keep: int = 1000) -> list[tuple[float, Any]]:
        with self._lock:
            log = self._logs.get(key)
            if log is None:
                log = self._logs[key] = deque(maxlen=keep)
            log.append((now, item))
            while log and log[0][0] <= now - window:
                log.popleft()
            return list(log)

    # counters --------------------------------------------------------------------
    def count_request(self, app_id: str | None, status: int) -> None:
        key = (app_id or "-", status)
        with self._lock:
            self._counts[key] = self._counts.get(key, 0) + 1

    def request_counts(self) -> dict[str, dict[str, int]]:
        with self._lock:
            out: dict[str, dict[str, int]] = {}
            for (app_id, status), n in self._counts.items():
                out.setdefault(app_id, {})[str(status)] = n
            return out

    # faults ----------------------------------------------------------------------
    def add_fault(self, rule: dict[str, Any]) -> None:
        with self._lock:
            self._faults[rule["id"]] = dict(rule)

    def list_faults(self) -> list[dict[str, Any]]:
        with self._lock:
            return [dict(r) for r in self._faults.values()]

    def remove_fault(self, fault_id: str) -> bool:
        with self._lock:
            return self._faults.pop(fault_id, None) is not None

    def take_fault(self, fault_id: str) -> bool:
        with self._lock:
            rule = self._faults.get(fault_id)
            if rule is None:
                return False
            if rule.get("count") is not None:
                if rule["count"] <= 0:
                    return False
                rule["count"] -= 1
            rule["applied"] = rule.get("applied", 0) + 1
            return True

    # posts and engagement -------------------------------------------------
    def create_post(self, post: Post, duplicate_since: float | None) -> bool:
        with self._lock:
            text_key = (post.author_id, post.text)
            if duplicate_since is not None and post.text and post.reposted_post_id is None:
                prior = self._recent_texts.get(text_key)
                if prior is not None:
                    prior_id, prior_at = prior
                    prior_post = self._posts.get(prior_id)
                    if prior_at > duplicate_since and prior_post is not None and not prior_post.deleted:
                        return False
            self._posts[post.id] = post
            self._by_author.setdefault(post.author_id, []).append(post.id)
            if post.text and post.reposted_post_id is None:
                self._recent_texts[text_key] = (post.id, post.created_at)
            if post.in_reply_to_post_id:
                self._replies.setdefault(post.in_reply_to_post_id, set()).add(post.id)
            if post.quoted_post_id:
                self._quotes.setdefault(post.quoted_post_id, set()).add(post.id)
            return True

    def get_post(self, post_id: str) -> Post | None:
        post = self._posts.get(post_id)
        return None if post is None or post.deleted else post

    def delete_post(self, post_id: str) -> Post | None:
        with self._lock:
            post = self._posts.get(post_id)
            if post is None or post.deleted:
                return None
            self._posts[post_id] = replace(post, deleted=True)
            if post.in_reply_to_post_id:
                self._replies.get(post.in_reply_to_post_id, set()).discard(post_id)
            if post.quoted_post_id:
                self._quotes.get(post.quoted_post_id, set()).discard(post_id)
            return post

    def posts_by_author(self, author_id: str) -> list[Post]:
        with self._lock:
            ids = self._by_author.get(author_id, [])
            posts = [self._posts[i] for i in ids if not self._posts[i].deleted]
        posts.sort(key=lambda p: int(p.id), reverse=True)
        return posts

    def all_posts(self) -> list[Post]:
        with self._lock:
            posts = [p for p in self._posts.values() if not p.deleted]
        posts.sort(key=lambda p: int(p.id), reverse=True)
        return posts

    def post_metrics(self, post_id: str) -> dict[str, int]:
        with self._lock:
            return {
                "retweet_count": len(self._reposts.get(post_id, ())),
                "reply_count": len(self._replies.get(post_id, ())),
                "like_count": len(self._likes.get(post_id, ())),
                "quote_count": len(self._quotes.get(post_id, ())),
                "bookmark_count": 0,
                "impression_count": 0,
            }

    def _toggle(self, table: dict[str, set[str]], user_id: str, post_id: str, on: bool) -> bool:
        with self._lock:
            members = table.setdefault(post_id, set())
            if on == (user_id in members):
                return False
            if on:
                members.add(user_id)
            else:
                members.discard(user_id)
            return True

    def set_like(self, user_id: str, post_id: str, liked: bool) -> bool:
        return self._toggle(self._likes, user_id, post_id, liked)

    def set_repost(self, user_id: str, post_id: str, reposted: bool) -> bool:
        return self._toggle(self._reposts, user_id, post_id, reposted)

    def put_media(self, media: Media) -> None:
        with self._lock:
            if media.created_at >= self._next_media_sweep:
                self._media = {k: m for k, m in self._media.items() if m.expires_at > media.created_at}
                self._next_media_sweep = media.created_at + 60
            self._media[media.id] = media

    def get_media(self, media_id: str) -> Media | None:
        return self._media.get(media_id)

    def append_media_segment(self, media_id: str, index: int, size: int, digest: str) -> Media | None:
        with self._lock:
            media = self._media.get(media_id)
            if media is None or media.finalized_at is not None:
                return None
            segments = tuple(sorted([s for s in media.segments if s[0] != index] + [(index, size, digest)]))
            media = replace(media, segments=segments)
            self._media[media_id] = media
            return media

    # evidence ---------------------------------------------------------------
    def append_journal(self, entry: dict[str, Any]) -> None:
        self._journal.append(entry)  # deque.append is atomic

    def journal(self) -> list[dict[str, Any]]:
        with self._lock:
            return list(self._journal)

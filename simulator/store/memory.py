"""The embedded store: plain dicts behind one lock."""

from __future__ import annotations

import threading
from collections import OrderedDict, deque
from collections.abc import Callable
from dataclasses import replace
from decimal import Decimal
from typing import Any

from xmock.simulator import events
from xmock.simulator.models import (
    Account,
    App,
    AuthCode,
    BookmarkFolder,
    DmEvent,
    Media,
    OAuth1Token,
    OAuth2Token,
    Place,
    Poll,
    Post,
    RequestToken,
    User,
    XList,
)
from xmock.simulator.relations import BOOKMARKS, LIKES, REPOSTS
from xmock.simulator.store.base import Charge, InsufficientCredits, PostTrack, StoreConflict, Tracked
from xmock.simulator.store.memory_accounting import _ZERO, AccountingTables
from xmock.simulator.store.memory_certifications import CertificationTables
from xmock.simulator.store.memory_credentials import CredentialTables
from xmock.simulator.store.memory_dms import DmTables
from xmock.simulator.store.memory_events import EVENT_LOG_SIZE, EventTables
from xmock.simulator.store.memory_hooks import DELIVERY_LOG_SIZE, HookTables
from xmock.simulator.store.memory_lists import ListTables
from xmock.simulator.store.memory_post_fields import PostFieldTables
from xmock.simulator.store.memory_relations import RelationTables
from xmock.simulator.store.memory_snapshot import SnapshotTables
from xmock.simulator.store.memory_streams import StreamTables
from xmock.simulator.store.memory_stubs import StubTables


class MemoryStore(
    CredentialTables,
    CertificationTables,
    StubTables,
    AccountingTables,
    RelationTables,
    ListTables,
    PostFieldTables,
    EventTables,
    HookTables,
    DmTables,
    StreamTables,
    SnapshotTables,
):
    unavailable: tuple[type[Exception], ...] = ()

    def __init__(self, journal_size: int = 10_000) -> None:
        self._lock = threading.RLock()
        self._journal_size = journal_size
        self._event_listeners: list[Callable[[], None]] = []  # kept across resets: readers stay subscribed
        self._certifications: OrderedDict[str, tuple[dict[str, Any], str]] = OrderedDict()  # kept too
        self.reset()

    def reset(self) -> None:
        with self._lock:
            self._accounts: dict[str, Account] = {}
            self._apps: dict[str, App] = {}
            self._apps_by_ck: dict[str, str] = {}
            self._apps_by_client_id: dict[str, str] = {}
            self._users: dict[str, User] = {}
            self._users_by_name: dict[str, str] = {}
            self._impressions: dict[str, int] = {}
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
            self._replies: dict[str, set[str]] = {}
            self._quotes: dict[str, set[str]] = {}
            self._media: dict[str, Media] = {}
            self._events: deque[tuple[int, dict[str, Any] | Post]] = deque(maxlen=EVENT_LOG_SIZE)
            self._event_seq = 0
            self._event_groups: dict[str, int] = {}
            self._edges_out: dict[tuple[str, str], dict[str, float]] = {}
            self._edges_in: dict[tuple[str, str], dict[str, float]] = {}
            self._lists: dict[str, XList] = {}
            self._folders: dict[str, BookmarkFolder] = {}
            self._dm_events: dict[str, DmEvent] = {}
            self._polls: dict[str, Poll] = {}
            self._places: dict[str, Place] = {}
            self._records: dict[str, dict[str, dict[str, Any]]] = {}
            self._deliveries: deque[dict[str, Any]] = deque(maxlen=DELIVERY_LOG_SIZE)
            self._stream_rules: dict[str, dict[str, dict[str, Any]]] = {}
            self._stream_conns: dict[str, dict[str, Any]] = {}
            self._stream_links: dict[str, dict[str, dict[str, Any]]] = {}
            self._next_media_sweep = 0.0
            self._windows: dict[str, tuple[float, int]] = {}
            self._limited: dict[str, float] = {}
            self._app_limits: dict[str, dict[str, Any]] = {}
            self._balances: dict[str, Decimal] = {}
            self._charged: dict[tuple[str, str], set[str]] = {}
            self._ledger = []
            self._findings: list[dict[str, Any]] = []
            self._finding_keys: dict[str, dict[str, Any]] = {}
            self._logs: dict[str, deque[tuple[float, Any]]] = {}
            self._logs_swept_at = 1024
            self._logs_longest = 0.0
            self._log_authors: dict[str, dict[str, int]] = {}
            self._texts: dict[str, dict[str, tuple[tuple[float, Any], ...]]] = {}
            self._texts_swept_at: dict[str, int] = {}
            self._faults: dict[str, dict[str, Any]] = {}
            self._stubs: dict[str, dict[str, Any]] = {}
            self._counts: dict[tuple[str, int], int] = {}
            self._worker_counts: dict[str, int] = {}  # answers counted per process (its snowflake worker id)
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

    # posts and engagement -------------------------------------------------
    def create_post_tracked(
        self, post: Post, duplicate_since: float | None, charge: Charge | None, track: PostTrack | None
    ) -> tuple[bool, Tracked | None]:
        created = self.create_post(post, duplicate_since, charge)
        return created, (self.track_post(*track) if created and track is not None else None)

    def create_post(self, post: Post, duplicate_since: float | None, charge: Charge | None = None) -> bool:
        with self._lock:
            if charge is not None and self._balances.get(charge.app_id, _ZERO) - charge.amount < charge.floor:
                raise InsufficientCredits(charge.app_id)
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
            if charge is not None:
                self.adjust_credits(charge.app_id, -charge.amount, charge.entry)
        self.append_event(post)  # the post.create event, kept as the post (memory_events.materialized)
        return True

    def get_post(self, post_id: str) -> Post | None:
        post = self._posts.get(post_id)
        return None if post is None or post.deleted else post

    def delete_post(self, post_id: str, at: float) -> Post | None:
        with self._lock:
            post = self._posts.get(post_id)
            if post is None or post.deleted:
                return None
            self._posts[post_id] = replace(post, deleted=True)
            if post.in_reply_to_post_id:
                self._replies.get(post.in_reply_to_post_id, set()).discard(post_id)
            if post.quoted_post_id:
                self._quotes.get(post.quoted_post_id, set()).discard(post_id)
        self.append_event(events.post_deleted(post, at))
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
                "retweet_count": self.count_edges(REPOSTS, post_id, incoming=True),
                "reply_count": len(self._replies.get(post_id, ())),
                "like_count": self.count_edges(LIKES, post_id, incoming=True),
                "quote_count": len(self._quotes.get(post_id, ())),
                "bookmark_count": len(self._edges_in.get((BOOKMARKS, post_id), ())),
                "impression_count": self._impressions.get(post_id, 0),
            }

    # user fields and impressions ------------------------------------------------
    def replace_user(self, user: User) -> bool:
        with self._lock:
            if user.id not in self._users:
                return False
            self._users[user.id] = user
            return True

    def count_impressions(self, post_ids: list[str]) -> None:
        with self._lock:
            for post_id in post_ids:
                self._impressions[post_id] = self._impressions.get(post_id, 0) + 1

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
    def append_journal(self, entry: dict[str, Any], count: bool = False) -> None:
        with self._lock:
            self._journal.append(entry)
            if count:
                key = (entry["app_id"] or "-", entry["status"])
                self._counts[key] = self._counts.get(key, 0) + 1
                worker = str(entry.get("worker", "-"))
                self._worker_counts[worker] = self._worker_counts.get(worker, 0) + 1

    def journal(self) -> list[dict[str, Any]]:
        with self._lock:
            return list(self._journal)

"""The shared store: all simulator state in Redis, so many processes on many hosts serve one world.

Every mutation is atomic on the server: a Lua script, or a WATCH transaction retried until it
commits. Keys live under `xmock:<namespace>:` so several simulators can share one Redis; data X
expires (nonces, codes, rate windows, uploads) carries a Redis expiry as well.
"""

from __future__ import annotations

import hashlib
import json
import logging
from dataclasses import replace
from typing import Any

import orjson
import redis

from xmock.simulator import events, journal_body
from xmock.simulator.models import Account, App, Media, Post, User
from xmock.simulator.money import money_str, to_units
from xmock.simulator.relations import BOOKMARKS, LIKES, REPOSTS
from xmock.simulator.store.base import Charge, InsufficientCredits, PostTrack, StoreConflict, Tracked
from xmock.simulator.store.codec import dumps, loads
from xmock.simulator.store.memory_events import EVENT_LOG_SIZE
from xmock.simulator.store.redis_accounting import RedisAccounting, _json
from xmock.simulator.store.redis_base import GRACE_MS
from xmock.simulator.store.redis_certifications import RedisCertifications
from xmock.simulator.store.redis_credentials import RedisCredentials
from xmock.simulator.store.redis_dms import RedisDms
from xmock.simulator.store.redis_events import RedisEvents, event_json
from xmock.simulator.store.redis_hooks import RedisHooks
from xmock.simulator.store.redis_lists import RedisLists
from xmock.simulator.store.redis_post_fields import RedisPostFields
from xmock.simulator.store.redis_relations import RedisRelations
from xmock.simulator.store.redis_snapshot import RedisSnapshot
from xmock.simulator.store.redis_streams import RedisStreams
from xmock.simulator.store.redis_stubs import RedisStubs
from xmock.simulator.time_travel import real_time

log = logging.getLogger("xmock.store")
VOID_MS = 86_400_000  # a settled post's marker outlives any command still queued for it


class RedisStore(
    RedisCredentials,
    RedisCertifications,
    RedisStubs,
    RedisAccounting,
    RedisRelations,
    RedisLists,
    RedisPostFields,
    RedisEvents,
    RedisHooks,
    RedisDms,
    RedisStreams,
    RedisSnapshot,
):
    """Implements simulator.store.base.Store."""

    # AskError (and MovedError, its kind): the world's cluster slot left the master this store talks to.
    unavailable: tuple[type[Exception], ...] = (redis.ConnectionError, redis.TimeoutError, redis.exceptions.AskError)

    # accounts, apps, users -------------------------------------------------
    def add_account(self, account: Account) -> None:
        if not self.r.hsetnx(self.k("accounts"), account.id, dumps(account)):
            raise StoreConflict(f"account {account.id} already exists")

    def get_account(self, account_id: str) -> Account | None:
        return self._load(Account, self.r.hget(self.k("accounts"), account_id))

    def list_accounts(self) -> list[Account]:
        return sorted((loads(Account, v) for v in self.r.hvals(self.k("accounts"))), key=lambda a: int(a.id))

    def _put_app(self, app: App, mode: str) -> Any:
        keys = [self.k("apps"), self.k("apps", "ck"), self.k("apps", "cid"), self.control_key]
        args = [app.id, dumps(app), app.consumer_key, app.client_id, mode, self.new_generation()]
        answer = self.run("PUT_APP", keys, args)
        if answer == "missing":
            raise KeyError(app.id)
        if isinstance(answer, str):
            raise StoreConflict(answer)
        return answer[0]

    def add_app(self, app: App) -> None:
        self._put_app(app, "add")

    def replace_app(self, app: App) -> App:
        return loads(App, self._put_app(app, "replace"))

    def get_app(self, app_id: str) -> App | None:
        return self.cached("app", app_id, lambda: self._load(App, self.r.hget(self.k("apps"), app_id)))

    def _app_by(self, index: str, key: str) -> App | None:
        return self._load(App, self.run("LOOKUP", [self.k("apps", index), self.k("apps")], [key]))

    def app_by_consumer_key(self, consumer_key: str) -> App | None:
        return self.cached("app-ck", consumer_key, lambda: self._app_by("ck", consumer_key))

    def app_by_client_id(self, client_id: str) -> App | None:
        return self.cached("app-cid", client_id, lambda: self._app_by("cid", client_id))

    def list_apps(self, account_id: str | None = None) -> list[App]:
        apps = (loads(App, v) for v in self.r.hvals(self.k("apps")))
        return sorted((a for a in apps if account_id is None or a.account_id == account_id), key=lambda a: int(a.id))

    def add_user(self, user: User) -> None:
        answer = self.run(
            "ADD_USER", [self.k("users"), self.k("users", "name")], [user.id, user.username.lower(), dumps(user)]
        )
        if answer == "taken":
            raise StoreConflict(f"username {user.username} is taken")
        if answer:
            raise StoreConflict(answer)

    def get_user(self, user_id: str) -> User | None:
        return self.cached("user", user_id, lambda: self._load(User, self.r.hget(self.k("users"), user_id)))

    def user_by_username(self, username: str) -> User | None:
        return self._load(User, self.run("LOOKUP", [self.k("users", "name"), self.k("users")], [username.lower()]))

    def list_users(self) -> list[User]:
        return sorted((loads(User, v) for v in self.r.hvals(self.k("users"))), key=lambda u: int(u.id))

    # posts and engagement -------------------------------------------------
    def _post_keys(self, post: Post) -> tuple[str, str, str, str]:
        """The post's author list, replies and quotes sets, and its void marker."""
        return (
            self.k("author", post.author_id),
            self.k("replies", post.in_reply_to_post_id or "-"),
            self.k("quotes", post.quoted_post_id or "-"),
            self.k("void", post.id),
        )

    def create_post(self, post: Post, duplicate_since: float | None, charge: Charge | None = None) -> bool:
        return self._created(post, charge, lambda: self.run(*self._create_call(post, duplicate_since, charge)))

    def create_post_tracked(
        self, post: Post, duplicate_since: float | None, charge: Charge | None, track: PostTrack | None
    ) -> tuple[bool, Tracked | None]:
        if track is None:
            return self.create_post(post, duplicate_since, charge), None
        # One round trip: the logs' scripts act only if the post's script wrote the post (they run after it).
        calls = [self._create_call(post, duplicate_since, charge), *self._track_post_calls(track, post.id)]
        answers: list[Any] = []

        def run() -> Any:
            answers[:] = self.run_together(calls)
            return answers[0]

        if not self._created(post, charge, run):
            return False, None
        return True, self._post_tracked(answers[1], answers[2])

    async def create_post_tracked_async(
        self, post: Post, duplicate_since: float | None, charge: Charge | None, track: PostTrack | None
    ) -> tuple[bool, Tracked | None]:
        """`create_post_tracked`, awaited: the worker answers other requests while Redis writes the post."""
        calls = [self._create_call(post, duplicate_since, charge)]
        if track is not None:
            calls += self._track_post_calls(track, post.id)
        try:
            answers = await self.run_together_async(calls)
        except self.unavailable:
            self._unanswered(post, charge)
            raise
        if not self._written(answers[0], charge):
            return False, None
        return True, self._post_tracked(answers[1], answers[2]) if track is not None else None

    def _created(self, post: Post, charge: Charge | None, run: Any) -> bool:
        """The post's script's answer (from `run()`): written, or a duplicate; its refusals raised."""
        try:
            answer = run()
        except self.unavailable:
            self._unanswered(post, charge)
            raise
        return self._written(answer, charge)

    def _unanswered(self, post: Post, charge: Charge | None) -> None:
        """A post whose write got no answer: taken back, or kept from writing late (`settle_unsettled`)."""
        with self._unsettled_lock:
            self._unsettled.append((post, charge))

    @staticmethod
    def _written(answer: Any, charge: Charge | None) -> bool:
        answer = int(answer)
        if answer == -1:
            raise InsufficientCredits(charge.app_id if charge else "")
        if answer == -2:
            raise redis.TimeoutError("the post's write reached Redis after its deadline")
        return answer == 1

    def _create_call(
        self, post: Post, duplicate_since: float | None, charge: Charge | None
    ) -> tuple[str, list[str], list[Any]]:
        remember = bool(post.text) and post.reposted_post_id is None
        check = duplicate_since is not None and remember
        digest = hashlib.sha1(post.text.encode()).hexdigest()
        keep_ms = int((post.created_at - duplicate_since) * 1000) + GRACE_MS if duplicate_since else 2 * 86_400_000
        author, replies, quotes, void = self._post_keys(post)
        keys = [
            self.k("posts"),
            self.k("posts", "deleted"),
            author,
            self.k("recent", post.author_id, digest),
            replies,
            quotes,
            self.k("balances"),
            self.k("ledger"),
            void,
            self.k("events"),
        ]
        args: list[Any] = [
            post.id,
            dumps(post),
            repr(duplicate_since) if check else "",
            repr(post.created_at),
            "1" if remember else "0",
            "1" if post.in_reply_to_post_id else "0",
            "1" if post.quoted_post_id else "0",
            max(keep_ms, 1),
            # Once this process has stopped waiting, a command still queued in Redis must not act.
            repr(real_time() + self.timeout),  # Redis's own TIME, even while time travels
        ]
        if charge is None:
            args += ["", 0, 0, "", ""]
        else:
            head = _json({**charge.entry, "app_id": charge.app_id})[:-1]
            args += [charge.app_id, to_units(charge.amount), to_units(charge.floor), head, money_str(-charge.amount)]
        args += [event_json(events.post_created(post)), EVENT_LOG_SIZE]  # logged in the same step as the write
        return "CREATE_POST", keys, args

    def settle_unsettled(self) -> None:
        """Take back each post whose creation got no answer (its client was told it failed), with
        its charge, or mark it so that a copy still queued in Redis cannot write it later."""
        with self._unsettled_lock:
            pending, self._unsettled = self._unsettled, []
        try:
            while pending:
                post, charge = pending[0]
                keys = [self.k("posts"), *self._post_keys(post)[:3], self.k("balances"), self.k("ledger")]
                keys.append(self._post_keys(post)[3])
                args: list[Any] = [post.id, VOID_MS]
                if charge is None:
                    args += ["", 0, "", ""]
                else:
                    refund = {**charge.entry, "kind": "refund", "app_id": charge.app_id}
                    args += [charge.app_id, to_units(charge.amount), _json(refund)[:-1], money_str(charge.amount)]
                if self.run("VOID_POST", keys, args):
                    log.warning("post %s written without an answer to its client: taken back", post.id)
                    self.append_event(events.post_deleted(post, post.created_at))  # readers saw it created
                pending.pop(0)
        finally:
            if pending:
                with self._unsettled_lock:
                    self._unsettled[:0] = pending

    def get_post(self, post_id: str) -> Post | None:
        post = self._load(Post, self.r.hget(self.k("posts"), post_id))
        return None if post is None or post.deleted else post

    def delete_post(self, post_id: str, at: float) -> Post | None:
        while True:
            before = self.r.hget(self.k("posts"), post_id)
            post = self._load(Post, before)
            if post is None or post.deleted:
                return None
            keys = [
                self.k("posts"),
                self.k("posts", "deleted"),
                self.k("replies", post.in_reply_to_post_id or "-"),
                self.k("quotes", post.quoted_post_id or "-"),
                self.k("events"),
            ]
            args = [post_id, before, dumps(replace(post, deleted=True)), event_json(events.post_deleted(post, at))]
            if self.run("DELETE_POST", keys, [*args, EVENT_LOG_SIZE]):
                return post

    def _live_posts(self, texts: list[str | None]) -> list[Post]:
        posts = [loads(Post, t) for t in texts if t is not None]
        posts = [p for p in posts if not p.deleted]
        posts.sort(key=lambda p: int(p.id), reverse=True)
        return posts

    def posts_by_author(self, author_id: str) -> list[Post]:
        ids = self.r.lrange(self.k("author", author_id), 0, -1)
        texts: list[str | None] = []
        for i in range(0, len(ids), 1000):
            texts += self.r.hmget(self.k("posts"), ids[i : i + 1000])
        return self._live_posts(texts)

    def all_posts(self) -> list[Post]:
        return self._live_posts(self.r.hvals(self.k("posts")))

    def post_metrics(self, post_id: str) -> dict[str, int]:
        pipe = self.r.pipeline(transaction=False)
        pipe.zcard(self._in(REPOSTS, post_id))
        pipe.scard(self.k("replies", post_id))
        pipe.zcard(self._in(LIKES, post_id))
        pipe.scard(self.k("quotes", post_id))
        pipe.zcard(self._in(BOOKMARKS, post_id))
        pipe.hget(self.k("impressions"), post_id)
        reposts, replies, likes, quotes, bookmarks, impressions = pipe.execute()
        return {
            "retweet_count": reposts,
            "reply_count": replies,
            "like_count": likes,
            "quote_count": quotes,
            "bookmark_count": bookmarks,
            "impression_count": int(impressions or 0),
        }

    # user fields and impressions ------------------------------------------------
    def replace_user(self, user: User) -> bool:
        def body(pipe: redis.client.Pipeline) -> tuple[Any, bool]:
            if not pipe.hexists(self.k("users"), user.id):
                return None, False

            def writes(p: redis.client.Pipeline) -> None:
                p.hset(self.k("users"), user.id, dumps(user))
                self.bump(p)  # other processes hold the old user in their caches

            return writes, True

        return self.transact([self.k("users")], body)

    def count_impressions(self, post_ids: list[str]) -> None:
        if not post_ids:
            return
        pipe = self.r.pipeline(transaction=False)
        for post_id in post_ids:
            pipe.hincrby(self.k("impressions"), post_id, 1)
        pipe.execute()

    def _media_ms(self, media: Media) -> int:
        return max(int((media.expires_at - media.created_at) * 1000), 1) + GRACE_MS

    def put_media(self, media: Media) -> None:
        self.r.set(self.k("media", media.id), dumps(media), px=self._media_ms(media))

    def get_media(self, media_id: str) -> Media | None:
        return self._load(Media, self.r.get(self.k("media", media_id)))

    def append_media_segment(self, media_id: str, index: int, size: int, digest: str) -> Media | None:
        key = self.k("media", media_id)

        def body(pipe: redis.client.Pipeline) -> tuple[Any, Any]:
            media = self._load(Media, pipe.get(key))
            if media is None or media.finalized_at is not None:
                return None, None
            segments = tuple(sorted([s for s in media.segments if s[0] != index] + [(index, size, digest)]))
            media = replace(media, segments=segments)
            return (lambda p: p.set(key, dumps(media), keepttl=True)), media

        return self.transact([key], body)

    # evidence ---------------------------------------------------------------
    def append_journal(self, entry: dict[str, Any], count: bool = False) -> None:
        pipe = self.r.pipeline(transaction=False)
        pipe.xadd(self.k("journal"), {"e": self.journal_text(entry)}, maxlen=self._journal_size, approximate=False)
        if count:
            pipe.hincrby(self.k("counts"), f"{entry['app_id'] or '-'}|{entry['status']}", 1)
            pipe.hincrby(self.k("counts", "workers"), str(entry.get("worker", "-")), 1)
        pipe.execute()

    async def append_journal_async(self, entry: dict[str, Any], count: bool = False) -> None:
        """`append_journal`, awaited: the worker serves other requests meanwhile."""
        commands: list[tuple[Any, ...]] = [
            ("XADD", self.k("journal"), "MAXLEN", self._journal_size, "*", "e", self.journal_text(entry))
        ]
        if count:
            commands.append(("HINCRBY", self.k("counts"), f"{entry['app_id'] or '-'}|{entry['status']}", 1))
            commands.append(("HINCRBY", self.k("counts", "workers"), str(entry.get("worker", "-")), 1))
        try:
            await self._async_client().execute_many(*commands)
        except redis.TimeoutError:
            self.timed_out()
            raise

    @staticmethod
    def journal_text(entry: dict[str, Any]) -> str:
        if "body" in entry:  # JSON holds text only: the body is read (and redacted) before it is shared
            entry = journal_body.readable(dict(entry))
        try:
            return orjson.dumps(entry).decode()
        except TypeError:  # what orjson refuses (integers past 64 bits) json writes
            return json.dumps(entry, separators=(",", ":"), default=str)

    def journal(self) -> list[dict[str, Any]]:
        return [json.loads(fields["e"]) for _, fields in self.r.xrange(self.k("journal"))]

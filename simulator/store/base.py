"""The store interface: every mutation is one atomic operation.

Handlers and the control plane only ever call these methods, so a shared
backend (Redis) can replace the in-memory one without touching them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Protocol

from xmock.simulator.admission import Admission, Admitted
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


class StoreConflict(Exception):
    """A uniqueness rule was broken (an id, key or username already taken)."""


class SnapshotError(ValueError):
    """A snapshot that cannot be read or restored: the message names where; nothing was changed."""


class InsufficientCredits(Exception):
    """A write's price would take the balance below its floor: nothing was written or charged."""


@dataclass(slots=True)  # not frozen: built on every paid write, and a frozen init costs several times more
class Charge:
    """A write's price, taken in the same atomic step as the write (one ledger entry)."""

    app_id: str
    amount: Decimal
    entry: dict[str, Any]
    floor: Decimal = Decimal(0)


# A new post's findings logs (Store.track_post's arguments): (log key, text digest, item), (log key, author,
# item), now, window seconds, how many to keep; and what the store answers: each log's items within the window.
PostTrack = tuple[tuple[str, str, Any], tuple[str, str, Any], float, float, int]
Tracked = tuple[list[tuple[float, Any]], list[tuple[float, Any]]]


class Store(Protocol):
    # The errors that mean the store cannot be reached right now (none for the in-memory one):
    # the simulator answers them with 503 instead of failing.
    unavailable: tuple[type[Exception], ...]

    # accounts, apps, users
    def add_account(self, account: Account) -> None: ...
    def get_account(self, account_id: str) -> Account | None: ...
    def list_accounts(self) -> list[Account]: ...
    def add_app(self, app: App) -> None: ...
    def replace_app(self, app: App) -> App:
        """Swap in a changed app, re-indexing its keys; returns the previous version."""

    def get_app(self, app_id: str) -> App | None: ...
    def app_by_consumer_key(self, consumer_key: str) -> App | None: ...
    def app_by_client_id(self, client_id: str) -> App | None: ...
    def list_apps(self, account_id: str | None = None) -> list[App]: ...
    def add_user(self, user: User) -> None: ...
    def get_user(self, user_id: str) -> User | None: ...
    def user_by_username(self, username: str) -> User | None: ...
    def list_users(self) -> list[User]: ...

    # OAuth 1.0a credentials
    def add_oauth1_token(self, token: OAuth1Token) -> None: ...
    def get_oauth1_token(self, token: str) -> OAuth1Token | None: ...
    def live_oauth1_token(self, app_id: str, user_id: str, access_level: str) -> OAuth1Token | None: ...
    def invalidate_oauth1_token(self, token: str, at: float) -> bool: ...
    def list_oauth1_tokens(self) -> list[OAuth1Token]:
        """Every OAuth 1.0a access token, live or invalidated, oldest first."""

    def add_request_token(self, token: RequestToken) -> None: ...
    def get_request_token(self, token: str) -> RequestToken | None: ...
    def decide_request_token(
        self, token: str, *, verifier: str | None, user_id: str | None, denied: bool
    ) -> RequestToken | None:
        """Record the user's decision once; None if unknown or already decided."""

    def take_request_token(self, token: str) -> RequestToken | None:
        """Remove and return a request token (it can be exchanged once)."""

    def consume_nonce(self, key: str, expires_at: float, now: float) -> bool:
        """True the first time a nonce key is seen before it expires; False on replay."""

    # OAuth 2.0 credentials
    def add_auth_code(self, code: AuthCode) -> None: ...
    def take_auth_code(self, code: str) -> AuthCode | None:
        """Remove and return an authorization code (it can be exchanged once)."""

    def add_oauth2_tokens(self, *tokens: OAuth2Token) -> None: ...
    def get_oauth2_token(self, token: str) -> OAuth2Token | None: ...
    def rotate_refresh_token(self, old: str, now: float, *new: OAuth2Token) -> bool:
        """Retire a live refresh token and store its successors, or do nothing and return False."""

    def revoke_oauth2_token(self, token: str, now: float, *, whole_grant: bool = False) -> bool: ...
    def expire_oauth2_token(self, token: str, now: float) -> bool: ...
    def app_bearer_token(self, app_id: str, candidate: OAuth2Token) -> OAuth2Token:
        """The app's one live bearer token, storing `candidate` if it has none."""

    def list_oauth2_tokens(self) -> list[OAuth2Token]: ...

    # rate limits
    def admit(self, admission: Admission) -> Admitted:
        """One request's books in one atomic step: its nonce, rate windows, credits, read charges and
        journal entry, in that order, stopping at the first refused (simulator/admission.py)."""

    def rate_hit(self, buckets: list[tuple[str, int, int]], now: float) -> tuple[bool, list[tuple[int, float]]]:
        """Count one call in every bucket (key, limit, window seconds) unless one is full.

        Windows are fixed and start at a bucket's first call. Answers whether the call was
        allowed and, per bucket, (calls counted, window start)."""

    def rate_windows(self, app_id: str) -> list[tuple[str, float, int]]:
        """The rate-limit windows counting for an app: (bucket key, window start, calls counted); a window
        may have ended by the simulator clock (a reader compares its start and length with the time)."""

    def note_limited(self, key: str, until: float, now: float) -> bool:
        """Remember a 429 on `key` until `until`; False if one was already remembered."""

    def get_app_limits(self, app_id: str) -> dict[str, Any] | None: ...
    def set_app_limits(self, app_id: str, config: dict[str, Any] | None) -> None: ...

    # credits
    def credit_balance(self, app_id: str) -> Decimal: ...
    def adjust_credits(
        self, app_id: str, delta: Decimal, entry: dict[str, Any], floor: Decimal | None = None
    ) -> Decimal | None:
        """Add `delta` (negative to charge) and record `entry` in the ledger; None, and nothing
        changed, if the balance would fall below `floor`."""

    def charge_resources(
        self, app_id: str, day: str, items: list[tuple[str, Decimal]], entry: dict[str, Any]
    ) -> tuple[Decimal, Decimal]:
        """Charge each resource key not yet charged to this app on this UTC day; (amount, balance)."""

    def ledger(self) -> list[dict[str, Any]]: ...

    # policy findings and the sliding windows that detect them
    def add_finding(self, finding: dict[str, Any], dedupe: str | None) -> dict[str, Any]:
        """Record a finding; one already recorded under `dedupe` only counts another occurrence."""

    def findings(self) -> list[dict[str, Any]]: ...
    def track(self, key: str, item: Any, now: float, window: float, keep: int = 1000) -> list[tuple[float, Any]]:
        """Append an item to a time-ordered log and return the items within `window` seconds
        (the newest `keep` at most)."""

    def track_text(
        self, key: str, digest: str, item: Any, now: float, window: float, keep: int = 1000
    ) -> list[tuple[float, Any]]:
        """Append an item under one text's `digest` in `key`'s index and return that text's items within `window`
        seconds (the newest `keep` at most): the same answer as `track` of one log per text, without keeping a log
        for every text seen once."""

    def track_others(
        self, key: str, author: str, item: Any, now: float, window: float, keep: int = 1000
    ) -> list[tuple[float, Any]]:
        """Append `author`'s item to a time-ordered log and return the items of other authors within `window`
        seconds (of the newest `keep` at most): empty, without a pass over the log, when nobody else wrote."""

    def track_post(
        self, text: tuple[str, str, Any], others: tuple[str, str, Any], now: float, window: float, keep: int
    ) -> tuple[list[tuple[float, Any]], list[tuple[float, Any]]]:
        """`track_text(*text, ...)` and `track_others(*others, ...)` for one new post, in one store call."""

    # counters
    def request_counts(self) -> dict[str, dict[str, int]]:
        """{app id or "-": {status: count}}."""

    def worker_counts(self) -> dict[str, int]:
        """{process (its snowflake worker id): answers counted}: each process's share of the load."""

    # faults
    def add_fault(self, rule: dict[str, Any]) -> None: ...
    def list_faults(self) -> list[dict[str, Any]]: ...
    def remove_fault(self, fault_id: str) -> bool: ...
    def take_fault(self, fault_id: str) -> bool:
        """Use up one application of a counted fault; False when none is left."""

    # stubs (kept as faults are)
    def add_stub(self, stub: dict[str, Any]) -> None: ...
    def list_stubs(self) -> list[dict[str, Any]]: ...
    def remove_stub(self, stub_id: str) -> bool: ...
    def take_stub(self, stub_id: str) -> bool:
        """Use up one answer of a counted stub; False when none is left."""

    # posts and engagement
    def create_post_tracked(
        self, post: Post, duplicate_since: float | None, charge: Charge | None, track: PostTrack | None
    ) -> tuple[bool, Tracked | None]:
        """`create_post`, and if the post was written, `track_post(*track)` in the same store call."""

    def create_post(self, post: Post, duplicate_since: float | None, charge: Charge | None = None) -> bool:
        """Store a post unless its author posted the same text after `duplicate_since`; with `charge`,
        take its price in the same step (neither happens without the other). Raises
        InsufficientCredits, with nothing done, when the balance cannot pay."""

    def get_post(self, post_id: str) -> Post | None: ...
    def delete_post(self, post_id: str, at: float) -> Post | None:
        """Mark a post deleted at `at` (simulator time); the deleted post, or None if there was none."""

    def posts_by_author(self, author_id: str) -> list[Post]:
        """Live posts of one author, newest first."""

    def all_posts(self) -> list[Post]:
        """Every live post, newest first."""

    def post_metrics(self, post_id: str) -> dict[str, int]:
        """Public counts; likes and reposts are the post's incoming LIKES and REPOSTS edges; impressions
        are what count_impressions counted."""

    # user fields and impressions
    def replace_user(self, user: User) -> bool:
        """Swap in a changed user (same id and username); False if there is no such user."""

    def count_impressions(self, post_ids: list[str]) -> None:
        """Count one impression for each post id (a read that showed the posts): one store round trip."""

    # relations: edges of one kind (follows, blocks, mutes, bookmarks, list members, ...) between two
    # ids, each with the time it was made; listed newest first, ties by id descending.
    def set_edge(self, kind: str, src: str, dst: str, on: bool, at: float) -> bool:
        """Make or remove the edge src -> dst; True if that changed anything (a kept edge keeps its time)."""

    def edge_at(self, kind: str, src: str, dst: str) -> float | None:
        """When the edge was made; None if there is none."""

    def edges_from(self, kind: str, src: str) -> list[tuple[str, float]]: ...
    def edges_to(self, kind: str, dst: str) -> list[tuple[str, float]]: ...
    def count_edges(self, kind: str, node: str, incoming: bool = False) -> int: ...
    def drop_edges(self, kind: str, node: str) -> None:
        """Remove every edge of this kind from or to `node` (a deleted list, a deleted user)."""

    def add_edge_capped(self, kind: str, src: str, dst: str, at: float, cap: int) -> str:
        """Make the edge src -> dst unless src already has `cap` of this kind: "added", "kept" (it was
        there already) or "full"."""

    # lists and bookmark folders: records; owners, members, followers, pins and folder contents are edges
    def add_list(self, lst: XList, cap: int) -> bool:
        """Store a list and its OWNED_LISTS edge, unless its owner already owns `cap` lists (False)."""

    def replace_list(self, lst: XList) -> bool:
        """Swap in a changed list; False if it no longer exists."""

    def get_list(self, list_id: str) -> XList | None: ...
    def delete_list(self, list_id: str) -> XList | None:
        """Remove a list with every owner, member, follow and pin edge of it."""

    def add_bookmark_folder(self, folder: BookmarkFolder) -> None:
        """Store a folder and its BOOKMARK_FOLDERS edge from its owner."""

    def get_bookmark_folder(self, folder_id: str) -> BookmarkFolder | None: ...

    # polls and places (post fields): records written whole
    def put_poll(self, poll: Poll) -> None: ...
    def get_poll(self, poll_id: str) -> Poll | None: ...
    def put_place(self, place: Place) -> None: ...
    def get_place(self, place_id: str) -> Place | None: ...
    def list_places(self) -> list[Place]:
        """Every place, by id."""

    def put_media(self, media: Media) -> None:
        """Store or replace an upload; expired uploads are forgotten now and then."""

    def get_media(self, media_id: str) -> Media | None: ...
    def append_media_segment(self, media_id: str, index: int, size: int, digest: str) -> Media | None:
        """Record one segment of an unfinalized upload (a repeated index replaces the earlier one)."""

    # direct messages: DM events are records; a conversation's participants and events are edges
    # (DM_PARTICIPANTS, DM_EVENTS: conversation -> user / event), written with the record in one step
    def add_dm_event(self, event: DmEvent, joined: tuple[str, ...] = (), left: tuple[str, ...] = ()) -> list[str]:
        """Store a DM event in its conversation, adding `joined` to and then removing `left` from its participants,
        and append its `dm.create` event; the participants as the event found them (those leaving included)."""

    def get_dm_event(self, event_id: str) -> DmEvent | None: ...
    def delete_dm_event(self, event_id: str, at: float) -> DmEvent | None:
        """Remove a DM event from its conversation and append `dm.delete`; the removed event, or None."""

    # events: everything that happens in the world, once, in order (see simulator.events); cursors are opaque
    def append_event(self, event: dict[str, Any]) -> str:
        """Record an event; its cursor."""

    def event_cursor(self) -> str:
        """The cursor of the newest event (reading after it yields what happens from now on)."""

    def events_after(self, cursor: str, limit: int = 1000) -> list[tuple[str, dict[str, Any]]]:
        """Events after `cursor`, oldest first, at most `limit`: every reader sees every event."""

    def claim_events(self, group: str, limit: int = 1000) -> list[tuple[str, dict[str, Any]]]:
        """Events not yet claimed by `group`, oldest first: each goes to one reader of the group in
        all processes (webhook deliveries). A new group starts from now."""

    def on_event(self, listener: Callable[[], None]) -> None:
        """Wake `listener` after each event appended by this process, where the store can."""

    # webhooks and X Activity subscriptions: records written whole (who owns what is kept as edges), and
    # every delivery attempt (GET /_xmock/deliveries)
    def put_record(self, table: str, record_id: str, record: dict[str, Any]) -> None: ...
    def get_record(self, table: str, record_id: str) -> dict[str, Any] | None: ...
    def delete_record(self, table: str, record_id: str) -> bool: ...
    def append_delivery(self, entry: dict[str, Any]) -> None:
        """Record a delivery attempt (the oldest are dropped past a cap)."""

    def deliveries(self) -> list[dict[str, Any]]:
        """Delivery attempts, oldest first."""

    # streams: an app's filtered-stream rules ({id, value, tag?}, oldest first), its stream connections
    # ({id, app_id, endpoint, client_ip, connected_at, disconnected_at, disconnect_reason}) and webhook links
    def stream_rules(self, app_id: str) -> list[dict[str, Any]]: ...
    def add_stream_rules(self, app_id: str, rules: list[dict[str, Any]], cap: int) -> dict[str, Any]:
        """Add the rules whose value the app has not: {"duplicates": {value: existing id}, "full": bool};
        when the new ones would take the app past `cap`, none is added and "full" is true."""

    def delete_stream_rules(self, app_id: str, ids: list[str] | None) -> list[str]:
        """Delete the app's rules with these ids (None: all); the ids deleted."""

    def open_stream_connection(self, conn: dict[str, Any], cap: int) -> bool:
        """Record an open connection, unless the app already holds `cap` open ones on that endpoint."""

    def close_stream_connection(self, conn_id: str, at: float, reason: str) -> bool:
        """Mark an open connection closed (frees its slot); False when it was not open."""

    def stream_connection(self, conn_id: str) -> dict[str, Any] | None: ...
    def stream_connections(self, app_id: str) -> list[dict[str, Any]]: ...
    def set_stream_link(self, app_id: str, webhook_id: str, link: dict[str, Any] | None) -> bool:
        """Store (or with None remove) a filtered-stream webhook link; False when there was none to remove."""

    def stream_links(self, app_id: str) -> list[dict[str, Any]]: ...

    # evidence
    def append_journal(self, entry: dict[str, Any], count: bool = False) -> None:
        """Journal an entry; with `count`, also count it as one answered request by its app and status
        (journal entries roll over; counters do not)."""

    def journal(self) -> Iterable[dict[str, Any]]:
        """Journal entries, oldest first."""

    def reset(self) -> None: ...

    # certification runs the simulator took part in: kept by a reset, left out of snapshots
    def add_certification(self, summary: dict[str, Any], html: str) -> None:
        """Keep a run's summary (with its `run_id`) and HTML report; the newest runs are kept, a run posted
        again replaces its earlier post."""

    def certifications(self) -> list[dict[str, Any]]:
        """The kept runs' summaries, newest first."""

    def certification_report(self, run_id: str) -> str | None: ...

    # snapshots (simulator/snapshot.py): the whole store as JSON, and back in one step
    def dump_state(self) -> dict[str, Any]:
        """Everything the store holds, as JSON-ready data tagged with the store's kind."""

    def load_state(self, state: dict[str, Any]) -> None:
        """Replace everything with a `dump_state` of the same kind of store, checked whole first
        (SnapshotError, nothing changed, when it cannot be read)."""

"""Simulator settings: defaults follow X; every choice X leaves undocumented is a knob here."""

from __future__ import annotations

import difflib
import re
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from xmock.simulator.control.errors import (
    InvalidInput,
    check_bool,
    check_int,
    check_names,
    check_number,
    check_text,
    money_amount,
    shown,
)
from xmock.simulator.limits import check_limit_table
from xmock.simulator.money import money_str
from xmock.simulator.pricing import check_price_table

CONSENT_MODES = ("page", "approve", "deny")
STORE_SCHEMES = ("redis://", "rediss://", "unix://")
NAMESPACE = re.compile(r"^[A-Za-z0-9_.-]{1,64}$")
# Durations (TTLs, windows): up to a century, so that any instant the clock may hold plus a
# duration still fits in a datetime (the clock stops at 2080, see clock.py).
MAX_SECONDS = 100 * 365 * 24 * 3600
MAX_SEED = 2**63 - 1
# A config's declared world, made in this order (simulator/seed.py).
WORLD_TABLES = ("accounts", "users", "apps", "tokens", "follows", "posts")

Check = Callable[[str, Any], Any]  # (setting name, value) -> the value to keep; raises InvalidInput


Meta = dict[str, Check]  # a field's metadata: {"check": ...}


def checked_by(check: Check) -> Meta:
    return {"check": check}


def boolean() -> Meta:
    return checked_by(check_bool)


def integer(low: int, high: int) -> Meta:
    return checked_by(lambda name, value: check_int(name, value, low, high))


def number(low: float, high: float, *, low_open: bool = False) -> Meta:
    return checked_by(lambda name, value: check_number(name, value, low, high, low_open=low_open))


def choice(*values: Any) -> Meta:
    def check(name: str, value: Any) -> Any:
        if any(value == v and type(value) is type(v) for v in values):
            return value
        close = difflib.get_close_matches(value, [str(v) for v in values], n=1) if isinstance(value, str) else []
        hint = f"; did you mean {close[0]!r}?" if close else ""
        raise InvalidInput(f"{name}: expected one of {', '.join(map(repr, values))}, got {shown(value)}{hint}")

    return checked_by(check)


def optional(inner: Meta) -> Meta:
    return checked_by(lambda name, value: None if value is None else inner["check"](name, value))


def text(max_length: int) -> Meta:
    return checked_by(lambda name, value: check_text(name, value, max_length=max_length, empty=False))


def money() -> Meta:
    return checked_by(lambda name, value: money_str(money_amount(value, name)))


HOST = re.compile(r"^[A-Za-z0-9.-]{1,253}$")


def host_list(name: str, value: Any) -> list[str]:
    if not isinstance(value, list) or len(value) > 1000:
        raise InvalidInput(f"{name}: expected a list of host names")
    for host in value:
        if not isinstance(host, str) or not HOST.match(host):
            raise InvalidInput(f"{name}: expected host names (letters, digits, dots, dashes), got {host!r}")
    return [host.lower() for host in value]


def delay_list(name: str, value: Any) -> list[int]:
    if not isinstance(value, list) or len(value) > 20:
        raise InvalidInput(f"{name}: expected a list of at most 20 whole seconds")
    for delay in value:
        if isinstance(delay, bool) or not isinstance(delay, int) or not 0 <= delay <= MAX_SECONDS:
            raise InvalidInput(f"{name}: expected whole seconds from 0 to {MAX_SECONDS}, got {delay!r}")
    return list(value)


def store_url(name: str, value: Any) -> str:
    check_text(name, value, max_length=2048)
    if value != "memory" and not value.startswith(STORE_SCHEMES):
        raise InvalidInput(f'{name}: expected "memory" or a Redis URL such as redis://127.0.0.1:6379/0')
    return value


def namespace(name: str, value: Any) -> str:
    if not isinstance(value, str) or not NAMESPACE.match(value):
        raise InvalidInput(f"{name}: expected 1-64 letters, digits, dots, dashes or underscores, got {shown(value)}")
    return value


@dataclass(frozen=True)
class Settings:
    """Every setting declares its check beside its default (`metadata`); a Settings object only
    ever holds checked values, so nothing refused can reach the store or a later request."""

    # OAuth 1.0a: X does not document its timestamp window; ±300 s is the common choice.
    timestamp_window: int = field(default=300, metadata=integer(1, MAX_SECONDS))
    # Judge oauth_timestamp against the simulator clock only ("simulator"), or also against the
    # host's real time ("either"), so clients that sign with wall time keep working after the
    # simulator clock is moved forward.
    timestamp_check: str = field(default="either", metadata=choice("simulator", "either"))
    # OAuth 2.0 lifetimes: access tokens 2 h and codes 30 s as X documents; refresh tokens are
    # undocumented (0 = they never expire, only rotate or get revoked).
    access_token_ttl: int = field(default=7200, metadata=integer(1, MAX_SECONDS))
    auth_code_ttl: int = field(default=30, metadata=integer(1, MAX_SECONDS))
    refresh_token_ttl: int = field(default=180 * 24 * 3600, metadata=integer(0, MAX_SECONDS))
    # How long an unexchanged request token lives (undocumented by X).
    request_token_ttl: int = field(default=900, metadata=integer(1, MAX_SECONDS))
    # X answers GET on /oauth/request_token and /oauth/access_token as it does POST (observed; its docs show POST).
    oauth1_token_get: bool = field(default=True, metadata=boolean())
    # Largest request body accepted on the API hosts before 413.
    max_body_bytes: int = field(default=5 * 1024 * 1024, metadata=integer(1, 2**30))
    # The same text from the same user inside this window is a duplicate (X: undocumented).
    duplicate_window: int = field(default=24 * 3600, metadata=integer(0, MAX_SECONDS))
    # X's answer to a single lookup of a missing resource: seen as 200 and as 404.
    missing_resource_status: int = field(default=200, metadata=choice(200, 404))
    # How /oauth/authorize behaves: show the page, or approve/deny without a person.
    consent_mode: str = field(default="page", metadata=choice(*CONSENT_MODES))
    # The user who approves when consent_mode is "approve" (id or username); None = first user.
    consent_user: str | None = field(default=None, metadata=optional(text(64)))
    # Makes ids, tokens and generated users reproducible.
    seed: int | None = field(default=None, metadata=optional(integer(0, MAX_SEED)))
    # Snowflake worker id, distinct per process when several serve one store.
    worker_id: int = field(default=1, metadata=integer(0, 1023))
    # Entries kept in the request journal (oldest dropped first).
    journal_size: int = field(default=10_000, metadata=integer(1, 10_000_000))
    # Request bodies kept in the journal, cut to this many bytes (0 = none); credentials redacted when read.
    journal_body_bytes: int = field(default=16 * 1024, metadata=integer(0, 2**30))
    # Where state lives: "memory" (this process only) or a Redis URL, redis://HOST:PORT/DB, shared by
    # every process started on it. Keys go under xmock:<namespace>: so simulators can share a Redis.
    store: str = field(default="memory", metadata=checked_by(store_url))
    namespace: str = field(default="default", metadata=checked_by(namespace))

    # "enterprise": every endpoint; "self-serve": X's 2026 self-serve restrictions (see simulator/tiers.py).
    access_tier: str = field(default="enterprise", metadata=choice("enterprise", "self-serve"))

    # Pay-per-use credits. New apps start with `initial_credits` US dollars.
    billing: bool = field(default=True, metadata=boolean())
    initial_credits: str = field(default="10.00", metadata=money())
    # X: undocumented; third-party guides say $5
    minimum_purchase: str = field(default="5.00", metadata=money())
    # X has answered out-of-credit calls with two bodies: "credits-depleted" or "CreditsDepleted".
    credits_402_variant: str = field(
        default="credits-depleted", metadata=choice("credits-depleted", "CreditsDepleted")
    )
    # Overrides of the price table, e.g. {"ContentCreate": "0.02"}.
    prices: dict[str, str] = field(default_factory=dict, metadata=checked_by(check_price_table))

    # Rate limits, on X's fixed windows. Overrides of the limit table, e.g.
    # {"posts:create": [{"who": "user", "limit": 200, "window": 900}]}.
    rate_limits: bool = field(default=True, metadata=boolean())
    limits: dict[str, list[dict[str, Any]]] = field(default_factory=dict, metadata=checked_by(check_limit_table))

    # Media: video and GIF processing takes this long on the clock; with this probability it fails.
    media_processing_seconds: int = field(default=5, metadata=integer(0, MAX_SECONDS))
    media_processing_failure: float = field(default=0.0, metadata=number(0, 1))
    # an upload's life, unfinalized or not
    media_upload_ttl: int = field(default=24 * 3600, metadata=integer(1, MAX_SECONDS))

    # Policy findings.
    # a second app with a similar use case: "finding" or "refuse"
    use_case_policy: str = field(default="finding", metadata=choice("finding", "refuse"))
    # ratio above which two texts count as substantially similar
    similarity: float = field(default=0.85, metadata=number(0, 1, low_open=True))
    # same text across accounts through one app, within this window ... by at least this many accounts
    cross_account_window: int = field(default=3600, metadata=integer(0, MAX_SECONDS))
    cross_account_accounts: int = field(default=2, metadata=integer(1, 1_000_000))
    # likes or reposts of one post through one app, within this window ... by at least this many accounts
    bulk_engagement_window: int = field(default=900, metadata=integer(0, MAX_SECONDS))
    bulk_engagement_accounts: int = field(default=5, metadata=integer(1, 1_000_000))

    # Lists and bookmarks. X documents 5,000 members per list; lists owned per user (1,000), pinned lists per
    # user (5) and bookmark folders per user are not documented.
    max_owned_lists: int = field(default=1000, metadata=integer(1, 1_000_000))
    max_list_members: int = field(default=5000, metadata=integer(1, 1_000_000))
    max_pinned_lists: int = field(default=5, metadata=integer(1, 1_000_000))
    max_bookmark_folders: int = field(default=100, metadata=integer(1, 1_000_000))

    # Names of the fields of post counts: the live API's `tweet_count` and `total_tweet_count` ("live"), or
    # 2.167's `post_count` and `total_post_count` ("2.167"), which xdk 0.10's models require.
    count_field_names: str = field(default="live", metadata=choice("live", "2.167"))

    # Webhooks and the Account Activity API (simulator/webhooks.py). Deliveries and CRC checks go only to loopback
    # hosts and to the hosts listed here. X demands https without a port; the simulator also takes http and a
    # port (local receivers) unless webhook_strict_urls is on.
    webhook_hosts: list[str] = field(default_factory=list, metadata=checked_by(host_list))
    webhook_strict_urls: bool = field(default=False, metadata=boolean())
    # X re-checks CRC hourly (quickstart; the intro says every 30 min): seconds on the simulator clock.
    webhook_crc_interval: int = field(default=3600, metadata=integer(1, MAX_SECONDS))
    # Seconds a receiver has to answer (X: 10 s; legacy AAA timed out each POST after 3 s).
    webhook_timeout: float = field(default=3.0, metadata=number(0, 60, low_open=True))
    # Seconds after a failed delivery before each retry (legacy AAA: 3 s, 27 s, 242 s), on the simulator clock.
    webhook_retry_delays: list[int] = field(default_factory=lambda: [3, 27, 242], metadata=checked_by(delay_list))
    # Webhooks per developer account and Account Activity subscriptions per app: enterprise (X: 5+ and 5,000+);
    # self-serve is held to X's 1 webhook and 3 subscriptions.
    max_webhooks: int = field(default=5, metadata=integer(1, 1_000_000))
    max_aaa_subscriptions: int = field(default=5000, metadata=integer(1, 10_000_000))
    # X Activity subscriptions per app (X: self-serve 1,500, enterprise 75,000).
    max_activity_subscriptions: int = field(default=75_000, metadata=integer(1, 10_000_000))
    # Streams. Events one stream connection may have waiting before it is dropped as a slow reader (X's
    # SlowReader); with `stream_sampling` the sample streams keep X's 1% and 10% of posts (by post id), without
    # it they carry every post, so a test sees the posts it makes. Connections per app per stream past X's
    # published figures (self-serve 1 filtered; enterprise 2 filtered and activity, 1 per partition): 0 = X's.
    stream_buffer: int = field(default=10_000, metadata=integer(1, 10_000_000))
    stream_sampling: bool = field(default=False, metadata=boolean())
    stream_connections: int = field(default=0, metadata=integer(0, 100_000))
    # XChat (simulator/chat_rules.py; X publishes no figures): the largest encrypted message event (decoded
    # bytes) and the largest chat media upload a conversation takes.
    chat_message_max_bytes: int = field(default=65_536, metadata=integer(1, 10_000_000))
    chat_media_max_bytes: int = field(default=26_214_400, metadata=integer(1, 1_000_000_000))
    # Community Notes and trends (simulator/notes.py, simulator/trends.py). Seconds a note needs more ratings before
    # it is rated (X publishes no figure); the window of posts trends are counted over, and how many distinct
    # authors a plain term needs to trend (hashtags trend from one).
    note_rating_seconds: int = field(default=24 * 3600, metadata=integer(0, MAX_SECONDS))
    trends_window: int = field(default=24 * 3600, metadata=integer(1, MAX_SECONDS))
    trends_min_authors: int = field(default=2, metadata=integer(1, 1_000_000))

    # Compliance jobs (simulator/compliance.py): seconds from the upload of ids to a complete job, on the clock
    # (X documents no figure); the upload URL lives 15 minutes and the download URL a week, as X's do.
    compliance_processing_seconds: int = field(default=60, metadata=integer(0, MAX_SECONDS))

    def __post_init__(self) -> None:
        for f in fields(self):
            # Frozen, but each value is replaced by its checked form (e.g. 5 -> "5.00" for amounts).
            object.__setattr__(self, f.name, f.metadata["check"](f.name, getattr(self, f.name)))

    def updated(self, **changes: Any) -> Settings:
        """A copy with `changes`, every one checked first (InvalidInput names the first refused)."""
        check_names("setting", changes, [f.name for f in fields(self)])
        return replace(self, **changes)

    @classmethod
    def from_toml(cls, path: str | Path) -> Settings:
        """Read `[simulator]`, `[prices]` and `[limits]` from a TOML file (its world tables, `[[accounts]]` and so
        on, are simulator/seed.py's). A refusal is one line that names the file and the key:
        `xmock.toml: billing: expected true or false, got 'no'`."""
        with open(path, "rb") as fh:
            try:
                data = tomllib.load(fh)
            except tomllib.TOMLDecodeError as exc:
                raise InvalidInput(f"{path}: not valid TOML: {exc}") from None
        try:
            check_names("table", data, ("simulator", "prices", "limits", *WORLD_TABLES))
            table = data.get("simulator", {})
            if not isinstance(table, dict):
                raise InvalidInput("simulator: expected a table")
            for key in ("prices", "limits"):
                if key in table:  # one place for each: its own table
                    raise InvalidInput(f"simulator.{key}: give {key} as a [{key}] table")
            return cls().updated(**table, **{key: data[key] for key in ("prices", "limits") if key in data})
        except InvalidInput as exc:
            raise InvalidInput(f"{path}: {exc.message}") from None

    def as_dict(self) -> dict[str, Any]:
        return {f.name: getattr(self, f.name) for f in fields(self)}

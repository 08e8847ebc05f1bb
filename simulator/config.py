"""Simulator settings: defaults follow X; every choice X leaves undocumented is a knob here."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field, fields, replace
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

CONSENT_MODES = ("page", "approve", "deny")
STORE_SCHEMES = ("redis://", "rediss://", "unix://")
NAMESPACE = re.compile(r"^[A-Za-z0-9_.-]{1,64}$")


@dataclass(frozen=True)
class Settings:
    # OAuth 1.0a: X does not document its timestamp window; ±300 s is the common choice.
    timestamp_window: int = 300
    # Judge oauth_timestamp against the simulator clock only ("simulator"), or also against the
    # host's real time ("either"), so clients that sign with wall time keep working after the
    # simulator clock is moved forward.
    timestamp_check: str = "either"
    # OAuth 2.0 lifetimes: access tokens 2 h and codes 30 s as X documents; refresh tokens are
    # undocumented (0 = they never expire, only rotate or get revoked).
    access_token_ttl: int = 7200
    auth_code_ttl: int = 30
    refresh_token_ttl: int = 180 * 24 * 3600
    # How long an unexchanged request token lives (undocumented by X).
    request_token_ttl: int = 900
    # X answers GET on /oauth/request_token and /oauth/access_token as it does POST (observed; its docs show POST).
    oauth1_token_get: bool = True
    # Largest request body accepted on the API hosts before 413.
    max_body_bytes: int = 5 * 1024 * 1024
    # The same text from the same user inside this window is a duplicate (X: undocumented).
    duplicate_window: int = 24 * 3600
    # X's answer to a single lookup of a missing resource: seen as 200 and as 404.
    missing_resource_status: int = 200
    # How /oauth/authorize behaves: show the page, or approve/deny without a person.
    consent_mode: str = "page"
    # The user who approves when consent_mode is "approve" (id or username); None = first user.
    consent_user: str | None = None
    # Makes ids, tokens and generated users reproducible.
    seed: int | None = None
    # Snowflake worker id, distinct per process when several serve one store.
    worker_id: int = 1
    # Entries kept in the request journal (oldest dropped first).
    journal_size: int = 10_000
    # Where state lives: "memory" (this process only) or a Redis URL, redis://HOST:PORT/DB, shared by
    # every process started on it. Keys go under xmock:<namespace>: so simulators can share a Redis.
    store: str = "memory"
    namespace: str = "default"

    # "enterprise": every endpoint; "self-serve": X's 2026 self-serve restrictions (see simulator/tiers.py).
    access_tier: str = "enterprise"

    # Pay-per-use credits. New apps start with `initial_credits` US dollars.
    billing: bool = True
    initial_credits: str = "10.00"
    minimum_purchase: str = "5.00"  # X: undocumented; third-party guides say $5
    # X has answered out-of-credit calls with two bodies: "credits-depleted" or "CreditsDepleted".
    credits_402_variant: str = "credits-depleted"
    # Overrides of the price table, e.g. {"ContentCreate": "0.02"}.
    prices: dict[str, str] = field(default_factory=dict)

    # Rate limits, on X's fixed windows. Overrides of the limit table, e.g.
    # {"posts:create": [{"who": "user", "limit": 200, "window": 900}]}.
    rate_limits: bool = True
    limits: dict[str, list[dict[str, Any]]] = field(default_factory=dict)

    # Media: video and GIF processing takes this long on the clock; with this probability it fails.
    media_processing_seconds: int = 5
    media_processing_failure: float = 0.0
    media_upload_ttl: int = 24 * 3600  # an upload's life, unfinalized or not

    # Policy findings.
    use_case_policy: str = "finding"  # a second app with a similar use case: "finding" or "refuse"
    similarity: float = 0.85  # ratio above which two texts count as substantially similar
    cross_account_window: int = 3600  # same text across accounts through one app, within this window
    cross_account_accounts: int = 2  # ... by at least this many accounts
    bulk_engagement_window: int = 900  # likes or reposts of one post through one app, within this window
    bulk_engagement_accounts: int = 5  # ... by at least this many accounts

    def __post_init__(self) -> None:
        if self.consent_mode not in CONSENT_MODES:
            raise ValueError(f"consent_mode must be one of {', '.join(CONSENT_MODES)}")
        if self.timestamp_check not in ("simulator", "either"):
            raise ValueError("timestamp_check must be simulator or either")
        if self.missing_resource_status not in (200, 404):
            raise ValueError("missing_resource_status must be 200 or 404")
        if self.credits_402_variant not in ("credits-depleted", "CreditsDepleted"):
            raise ValueError("credits_402_variant must be credits-depleted or CreditsDepleted")
        if self.access_tier not in ("enterprise", "self-serve"):
            raise ValueError("access_tier must be enterprise or self-serve")
        if self.use_case_policy not in ("finding", "refuse"):
            raise ValueError("use_case_policy must be finding or refuse")
        if not 0 < self.similarity <= 1:
            raise ValueError("similarity must be in (0, 1]")
        for name in ("initial_credits", "minimum_purchase"):
            try:
                if Decimal(getattr(self, name)) < 0:
                    raise ValueError
            except (InvalidOperation, ValueError, TypeError):
                raise ValueError(f'{name} must be a non-negative decimal amount, e.g. "5.00"') from None
        from xmock.simulator.limits import parse_limits
        from xmock.simulator.pricing import price_table

        if not isinstance(self.prices, dict) or not isinstance(self.limits, dict):
            raise ValueError("prices and limits are tables")
        price_table(self.prices)  # raises on an unknown class or a bad amount
        for rate_class, raw in self.limits.items():
            if not isinstance(raw, list):
                raise ValueError(f"limits for {rate_class} are a list")
            parse_limits(raw, rate_class)
        if self.refresh_token_ttl < 0:
            raise ValueError("refresh_token_ttl must be 0 (never expires) or positive")
        for name in (
            "timestamp_window",
            "request_token_ttl",
            "max_body_bytes",
            "journal_size",
            "access_token_ttl",
            "auth_code_ttl",
        ):
            if getattr(self, name) <= 0:
                raise ValueError(f"{name} must be positive")
        if self.store != "memory" and not self.store.startswith(STORE_SCHEMES):
            raise ValueError('store must be "memory" or a Redis URL such as redis://127.0.0.1:6379/0')
        if not NAMESPACE.match(self.namespace):
            raise ValueError("namespace is 1-64 letters, digits, dots, dashes or underscores")
        if not 0 <= self.worker_id < 1024:
            raise ValueError("worker_id must be between 0 and 1023")

    def updated(self, **changes: Any) -> Settings:
        known = {f.name for f in fields(self)}
        unknown = sorted(set(changes) - known)
        if unknown:
            raise ValueError(f"unknown setting(s): {', '.join(unknown)}")
        return replace(self, **changes)

    @classmethod
    def from_toml(cls, path: str | Path) -> Settings:
        """Read `[simulator]`, `[prices]` and `[limits]` from a TOML file."""
        with open(path, "rb") as fh:
            data = tomllib.load(fh)
        table = dict(data.get("simulator", {}))
        for key in ("prices", "limits"):
            if key in data:
                table[key] = {k: (str(v) if key == "prices" else v) for k, v in data[key].items()}
        unknown = sorted(set(data) - {"simulator", "prices", "limits"})
        if unknown:
            raise ValueError(f"unknown table(s): {', '.join(unknown)}")
        return cls().updated(**table)

    def as_dict(self) -> dict[str, Any]:
        return {f.name: getattr(self, f.name) for f in fields(self)}

"""Simulator settings: defaults follow X; every choice X leaves undocumented is a knob here."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any

CONSENT_MODES = ("page", "approve", "deny")


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

    def __post_init__(self) -> None:
        if self.consent_mode not in CONSENT_MODES:
            raise ValueError(f"consent_mode must be one of {', '.join(CONSENT_MODES)}")
        if self.timestamp_check not in ("simulator", "either"):
            raise ValueError("timestamp_check must be simulator or either")
        if self.missing_resource_status not in (200, 404):
            raise ValueError("missing_resource_status must be 200 or 404")
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
        """Read the `[simulator]` table of a TOML file."""
        with open(path, "rb") as fh:
            data = tomllib.load(fh)
        table = data.get("simulator", {})
        if not isinstance(table, dict):
            raise ValueError("[simulator] must be a table")
        return cls().updated(**table)

    def as_dict(self) -> dict[str, Any]:
        return {f.name: getattr(self, f.name) for f in fields(self)}

"""Secrets at rest: canary credentials for a run, and a scan for them wherever the provider keeps data.

Each certification world gives its tenants canary secrets (distinctive, random, never used outside the run).
A provider that keeps them only sealed (encrypted) or not at all leaves no trace; one that writes them
to a log, a file, its database or an answer shows them in clear, base64, hex or percent-encoded, and
the scan names the place. Canary values never appear in a result: they are named and fingerprinted.
"""

from __future__ import annotations

import base64
import os
import secrets
import sqlite3
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote, quote_plus, unquote, urlsplit

import httpx

from xmock.adapters.base import DataPlace
from xmock.simulator.redact import fingerprint

CANARY_PREFIX = "xmkcanary"
MAX_FILE_BYTES = 32 * 1024 * 1024  # larger files are read up to this much
MAX_FILES = 5000  # per declared directory


def canary(kind: str) -> str:
    """A credential value no provider could produce by chance: alphanumeric like X's, unique to this call."""
    return f"{CANARY_PREFIX}{kind}{secrets.token_hex(16)}"


def encodings(secret: str) -> dict[str, tuple[bytes, ...]]:
    """The byte strings that give `secret` away, by the form they are in."""
    raw = secret.encode()
    b64: set[bytes] = set()
    for shift in range(3):  # base64 of a longer value: the canary may start at any of three alignments
        start, end = -(-4 * shift // 3), 8 * (shift + len(raw)) // 6
        for encode in (base64.b64encode, base64.urlsafe_b64encode):
            b64.add(encode(b"\0" * shift + raw)[start:end])
    return {
        "in clear": (raw,),
        "percent-encoded": tuple({quote(secret, safe="").encode(), quote_plus(secret).encode()} - {raw}),
        "base64": tuple(b64),
        "hex": (raw.hex().encode(), raw.hex().upper().encode()),
    }


@dataclass(frozen=True)
class Leak:
    credential: str  # what it is, in words ("Bakery Tenant's app consumer secret")
    form: str  # in clear, base64, hex, percent-encoded
    where: str  # the place, in words
    location: str  # file path, URL or "answer N"

    def as_dict(self) -> dict[str, str]:
        return {"credential": self.credential, "form": self.form, "where": self.where, "location": self.location}


@dataclass
class SecretsScan:
    """What was scanned for which credentials, and what was found: the evidence behind the credentials answer."""

    credentials: dict[str, str]  # label -> fingerprint of the canary (never the value)
    places: list[dict[str, Any]] = field(default_factory=list)  # declared places, each with what was read
    answers: int = 0  # HTTP answers of the provider scanned
    leaks: list[Leak] = field(default_factory=list)
    unreadable: list[str] = field(default_factory=list)  # declared places that could not be read
    declared: bool = True  # whether the adapter declared where the provider keeps data

    @property
    def clean(self) -> bool:
        return self.declared and not self.leaks and not self.unreadable

    def as_dict(self) -> dict[str, Any]:
        return {
            "declared": self.declared,
            "clean": self.clean,
            "credentials": self.credentials,
            "places": self.places,
            "answers_scanned": self.answers,
            "leaks": [leak.as_dict() for leak in self.leaks],
            "unreadable": self.unreadable,
        }


def scan(
    canaries: dict[str, str],
    places: list[DataPlace] | None,
    answers: Iterable[bytes],
    answer_canaries: dict[str, str] | None = None,
) -> SecretsScan:
    """Look for every canary in every declared place, and for `answer_canaries` (default: all) in the answers."""
    result = SecretsScan({label: fingerprint(value) or "" for label, value in canaries.items()})
    needles = _needles(canaries)
    answer_needles = needles if answer_canaries is None else _needles(answer_canaries)
    result.declared = places is not None
    for place in places or []:
        where = place.description or f"{place.kind} {place.location}"
        read = 0
        try:
            for location, blob in _contents(place):
                read += 1
                result.leaks += _found(needles, blob, where, location)
        except (OSError, ValueError, sqlite3.Error, httpx.HTTPError) as exc:
            result.unreadable.append(f"{where} ({place.location}): {type(exc).__name__}")
        result.places.append({"kind": place.kind, "location": place.location, "description": where, "items": read})
    for n, body in enumerate(answers, 1):
        result.answers += 1
        result.leaks += _found(answer_needles, body, "an answer the provider gave", f"answer {n}")
    return result


def _needles(canaries: dict[str, str]) -> list[tuple[str, str, bytes]]:
    return [
        (label, form, needle)
        for label, value in canaries.items()
        for form, found in encodings(value).items()
        for needle in found
    ]


def _found(needles: list[tuple[str, str, bytes]], blob: bytes, where: str, location: str) -> list[Leak]:
    seen: set[tuple[str, str]] = set()
    leaks = []
    for label, form, needle in needles:
        if (label, form) not in seen and needle in blob:
            seen.add((label, form))
            leaks.append(Leak(label, form, where, location))
    return leaks


def _contents(place: DataPlace) -> Iterator[tuple[str, bytes]]:
    """(location, bytes) for everything a place holds."""
    if place.kind in ("file", "log"):
        yield place.location, _read(Path(place.location))
    elif place.kind == "directory":
        root = Path(place.location)
        if not root.is_dir():
            raise FileNotFoundError(place.location)
        count = 0
        for folder, _, names in os.walk(root):
            for name in sorted(names):
                count += 1
                if count > MAX_FILES:
                    return
                path = Path(folder) / name
                yield str(path), _read(path)
    elif place.kind == "database":
        yield from _database(place.location)
    elif place.kind == "url":
        r = httpx.get(place.location, timeout=10)  # what anyone can read: no credentials sent
        yield place.location, r.content


def _read(path: Path) -> bytes:
    with open(path, "rb") as fh:
        return fh.read(MAX_FILE_BYTES)


def _database(location: str) -> Iterator[tuple[str, bytes]]:
    """A SQLite database: its files as stored (with journal and WAL), and every value read back through SQL."""
    parts = urlsplit(location)
    if parts.scheme and parts.scheme != "sqlite":
        raise ValueError(f"only SQLite databases can be scanned, not {parts.scheme}")
    # sqlite:///relative.db and sqlite:////absolute.db, as SQLAlchemy reads them
    path = Path(unquote(parts.path)[1:] if parts.scheme else location)
    if not path.is_file():
        raise FileNotFoundError(str(path))
    for suffix in ("", "-wal", "-journal"):
        extra = Path(str(path) + suffix)
        if extra.is_file():
            yield str(extra), _read(extra)
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        yield f"{path} (read through SQL)", "\n".join(db.iterdump()).encode()
    finally:
        db.close()

"""The whole world as one JSON document, and back: `Simulator.snapshot()` / `restore()`, GET and POST
/_xmock/snapshot, `xmock serve --load FILE` and the `xmock_snapshot` marker.

A document is a few named sections. The store's is the store's own dump (simulator/store/*_snapshot.py), so it
holds whatever the store holds, newer tables included (stubs and fault rules among them), without a list to keep
up to date here. Other state joins with one `register()` call. A snapshot holds every consumer secret and token of
the world (it is the world): keep it like a credentials file; it is never logged.
"""

from __future__ import annotations

import json
import random
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from xmock.simulator.clock import check_instant
from xmock.simulator.config import Settings
from xmock.simulator.control.errors import InvalidInput
from xmock.simulator.store.base import SnapshotError
from xmock.simulator.store.transfer import copy_world
from xmock.simulator.stream_match import forget as forget_compiled_rules
from xmock.simulator.streaming import forget_rendered

if TYPE_CHECKING:
    from xmock.simulator.core import Simulator

FORMAT = "xmock-snapshot"
VERSION = 2


def _per_process_counts(document: dict[str, Any]) -> dict[str, Any]:
    """Version 1 to 2: an in-memory store counts answers per process too (`_worker_counts`, empty before)."""
    store = document.get("store")
    if isinstance(store, dict) and store.get("kind") == "memory" and isinstance(store.get("tables"), dict):
        store["tables"].setdefault("_worker_counts", {"$o": {}})
    return {**document, "version": 2}


# Older versions this one reads, each turned into the next by its function.
UPGRADES: dict[int, Callable[[dict[str, Any]], dict[str, Any]]] = {1: _per_process_counts}
FIXED_SETTINGS = ("store", "namespace")  # chosen when the simulator starts, never by a snapshot
HEADER = ("format", "version", "xmock", "clock", "settings", "ids", "random", "store")


@dataclass(frozen=True)
class Section:
    """State beyond the store: `dump` makes its JSON, `check` refuses a bad one (SnapshotError) without
    changing anything and returns what `load` then applies."""

    dump: Callable[[Simulator], Any]
    check: Callable[[Simulator, Any], Any]
    load: Callable[[Simulator, Any], None]


SECTIONS: dict[str, Section] = {}


def register(name: str, section: Section) -> None:
    """Add a section to every snapshot from now on (a document without it restores it empty: `check(sim, None)`)."""
    if name in HEADER:
        raise ValueError(f"{name} is a section of its own")
    SECTIONS[name] = section


def take(sim: Simulator, *, journal: bool = True) -> dict[str, Any]:
    """The world as one JSON-ready document; without `journal`, the request journal is left out."""
    from xmock import __version__

    sim.sync()
    state = sim.clock.state()
    store = sim.store.dump_state()
    if not journal:
        store = _without_journal(store)
    last_ms, seq = sim.ids.state()
    settings = {k: v for k, v in sim.settings.as_dict().items() if k not in FIXED_SETTINGS}
    document = {
        "format": FORMAT,
        "version": VERSION,
        "xmock": __version__,
        "clock": {"now": state.now, "frozen": state.frozen},
        "settings": settings,
        "ids": {"last_ms": last_ms, "seq": seq},
        "random": sim.random.state(),
        "store": store,
    }
    for name, section in SECTIONS.items():
        document[name] = section.dump(sim)
    return document


def _without_journal(store: dict[str, Any]) -> dict[str, Any]:
    if store["kind"] == "memory":
        journal = store["tables"]["_journal"]
        return {**store, "tables": {**store["tables"], "_journal": {**journal, "$q": []}}}
    return {**store, "keys": [k for k in store["keys"] if k["key"] != "journal"]}


def restore(sim: Simulator, document: Any) -> None:
    """Replace the world with a snapshot's. Everything is checked first: a document refused (SnapshotError,
    naming what and where) changes nothing."""
    document = _upgraded(document)
    unknown = sorted(set(document) - set(HEADER) - set(SECTIONS))
    if unknown:
        raise SnapshotError(f"unknown section(s): {', '.join(unknown)}")
    settings = _settings(document.get("settings"))
    now, frozen = _clock(document.get("clock"))
    ids = _ids(document.get("ids"))
    random_state = _random(document.get("random"))
    store = document.get("store")
    if not isinstance(store, dict):
        raise SnapshotError("store: expected an object")
    checked = {name: section.check(sim, document.get(name)) for name, section in SECTIONS.items()}

    if "_audience" in sim.__dict__:
        sim.audience.clear()  # no plan of the old world acts on the new one
    _load_store(sim, store)  # checked whole and replaced in one step, or SnapshotError and nothing changed
    sim.bus.reset()
    forget_rendered()
    forget_compiled_rules()
    sim.configure(**{k: v for k, v in settings.as_dict().items() if k not in FIXED_SETTINGS})
    if frozen:
        sim.clock.freeze(now)
    else:
        sim.clock.resume()
        sim.clock.set(now)
    sim.ids.continue_after(*ids)
    if random_state is not None:
        sim.random.set_state(random_state)  # an unseeded simulator stays unseeded
    for name, section in SECTIONS.items():
        section.load(sim, checked[name])
    _close_connections(sim)


def _load_store(sim: Simulator, store: dict[str, Any]) -> None:
    kind = "memory" if sim.shared is None else "redis"
    if store.get("kind") == kind:
        sim.store.load_state(store)
    elif store.get("kind") == "memory":
        copy_world(store, sim.store)  # an in-memory world onto Redis
    elif store.get("kind") == "redis":
        raise SnapshotError("store: a snapshot of a Redis store restores onto a Redis store (this one is in memory)")
    else:
        raise SnapshotError('store.kind: expected "memory" or "redis"')


def _close_connections(sim: Simulator) -> None:
    """Stream connections open in the saved world belonged to its clients: closed, so they hold no slot."""
    now = sim.clock.now()
    for app in sim.store.list_apps():
        for conn in sim.store.stream_connections(app.id):
            if conn.get("disconnected_at") is None:
                sim.store.close_stream_connection(conn["id"], now, "snapshot restored")


def _upgraded(document: Any) -> dict[str, Any]:
    if not isinstance(document, dict):
        raise SnapshotError("a snapshot is a JSON object")
    if document.get("format") != FORMAT:
        raise SnapshotError(f'format: expected "{FORMAT}" (is this an xmock snapshot?)')
    version = document.get("version")
    if isinstance(version, bool) or not isinstance(version, int):
        raise SnapshotError("version: expected a whole number")
    if version > VERSION:
        raise SnapshotError(f"version: this snapshot is version {version}, newer than this xmock reads ({VERSION}); "
                            "upgrade xmock to restore it")
    while version < VERSION:
        upgrade = UPGRADES.get(version)
        if upgrade is None:
            raise SnapshotError(f"version: snapshot version {version} is too old for this xmock (it reads "
                                f"{min(UPGRADES, default=VERSION)} to {VERSION})")
        document = upgrade(document)
        version = document["version"]
    return document


def _settings(value: Any) -> Settings:
    if not isinstance(value, dict):
        raise SnapshotError("settings: expected an object")
    fixed = sorted(set(value) & set(FIXED_SETTINGS))
    if fixed:
        raise SnapshotError(f"settings: {', '.join(fixed)} are chosen when the simulator starts")
    try:
        return Settings().updated(**value)
    except InvalidInput as exc:
        raise SnapshotError(f"settings: {exc.message}") from None


def _clock(value: Any) -> tuple[float, bool]:
    if not isinstance(value, dict) or set(value) != {"now", "frozen"} or not isinstance(value["frozen"], bool):
        raise SnapshotError("clock: expected now (epoch seconds) and frozen (true or false)")
    try:
        return check_instant(value["now"], "clock.now"), value["frozen"]
    except InvalidInput as exc:
        raise SnapshotError(exc.message) from None


def _ids(value: Any) -> tuple[int, int]:
    if isinstance(value, dict) and set(value) == {"last_ms", "seq"}:
        last_ms, seq = value["last_ms"], value["seq"]
        whole = all(isinstance(v, int) and not isinstance(v, bool) for v in (last_ms, seq))
        if whole and -1 <= last_ms < 2**41 and 0 <= seq <= 0xFFF:
            return last_ms, seq
    raise SnapshotError("ids: expected last_ms and seq of the id generator")


def _random(value: Any) -> list | None:
    """A seeded sequence's position (ids.Randomness.state), checked by taking it up in a scratch generator."""
    if value is None:
        return None
    try:
        version, internal, gauss = value
        random.Random().setstate((version, tuple(internal), gauss))
    except (TypeError, ValueError, OverflowError):
        raise SnapshotError("random: expected a seeded sequence's state or null") from None
    return value


def read_file(path: str | Path) -> dict[str, Any]:
    """A snapshot saved as JSON (SnapshotError naming the file when it is not one)."""
    try:
        with open(path, "rb") as fh:
            return json.load(fh)
    except OSError as exc:
        raise SnapshotError(f"{path}: {exc.strerror}") from None
    except (ValueError, RecursionError) as exc:
        raise SnapshotError(f"{path}: not JSON: {exc}") from None

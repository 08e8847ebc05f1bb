"""A declared world: accounts, apps, users, tokens, follows and posts as tables (TOML's `[[accounts]]`, ...,
or the same as a dict in the `xmock_world` marker), made through the control API's own handlers so that every
entry passes the checks a POST to /_xmock/... would. Entries name each other by account name, app name and
username; a refusal names the table, the entry and the key: `apps[1]: missing field(s): name`.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from xmock.simulator.config import WORLD_TABLES
from xmock.simulator.control import api, credentials_api, world_api
from xmock.simulator.control.errors import ControlError, InvalidInput, check_names
from xmock.simulator.control.plumbing import fields as checked
from xmock.simulator.models import Account, App, User

if TYPE_CHECKING:
    from xmock.simulator.core import Simulator

# The control API's fields, plus the name of what an entry belongs to.
ACCOUNT_KEYS = ("name",)
APP_KEYS = ("account", "name", "credits", *api.APP_FIELDS)
USER_KEYS = ("account", *api.USER_FIELDS)
TOKEN_KEYS = ("app", "user", "kind", "token", "secret", "access_level", "scopes")
FOLLOW_KEYS = ("from", "to")
POST_KEYS = ("user", "text")


@dataclass
class Seeded:
    """What a declared world made, by the names the declaration gave (apps with their keys)."""

    accounts: dict[str, Account] = field(default_factory=dict)
    apps: dict[str, App] = field(default_factory=dict)
    users: dict[str, User] = field(default_factory=dict)
    tokens: list[dict[str, Any]] = field(default_factory=list)
    posts: list[dict[str, Any]] = field(default_factory=list)


def read_toml(path: str | Path) -> dict[str, list[dict[str, Any]]]:
    """The world tables of a TOML config (its [simulator], [prices] and [limits] are Settings.from_toml's)."""
    try:
        with open(path, "rb") as fh:
            data = tomllib.load(fh)
    except OSError as exc:
        raise InvalidInput(f"{path}: {exc.strerror}") from None
    except tomllib.TOMLDecodeError as exc:
        raise InvalidInput(f"{path}: not valid TOML: {exc}") from None
    return {name: data[name] for name in WORLD_TABLES if name in data}


def apply(sim: Simulator, world: Any, source: str = "") -> Seeded:
    """Make a declared world in `sim`, table by table in dependency order. InvalidInput names
    `<source>: <table>[<i>]: <problem>`; what came before a refused entry stays made."""
    prefix = f"{source}: " if source else ""
    if not isinstance(world, dict):
        raise InvalidInput(f"{prefix}expected tables {', '.join(WORLD_TABLES)}")
    try:
        check_names("table", world, WORLD_TABLES)
    except ControlError as exc:
        raise InvalidInput(prefix + exc.message) from None
    seeded = Seeded()
    for table in WORLD_TABLES:
        entries = world.get(table, [])
        if not isinstance(entries, list):
            raise InvalidInput(f"{prefix}{table}: expected an array of tables ([[{table}]])")
        for i, entry in enumerate(entries):
            try:
                if not isinstance(entry, dict):
                    raise InvalidInput("expected a table")
                MAKERS[table](sim, dict(entry), seeded)
            except ControlError as exc:
                raise InvalidInput(f"{prefix}{table}[{i}]: {exc.message}") from None
    return seeded


def _account_id(sim: Simulator, seeded: Seeded, name: Any) -> str:
    found = seeded.accounts.get(name) or next((a for a in sim.store.list_accounts() if a.name == name), None)
    if found is None:
        raise InvalidInput(f"account: no developer account named {name!r}")
    return found.id


def _user_id(sim: Simulator, key: str, username: Any) -> str:
    found = sim.store.user_by_username(username) if isinstance(username, str) else None
    if found is None:
        raise InvalidInput(f"{key}: no user @{username}")
    return found.id


def _app_id(sim: Simulator, seeded: Seeded, name: Any) -> str:
    found = seeded.apps.get(name) or next((a for a in sim.store.list_apps() if a.name == name), None)
    if found is None:
        raise InvalidInput(f"app: no app named {name!r}")
    return found.id


def _account(sim: Simulator, entry: dict[str, Any], seeded: Seeded) -> None:
    checked(entry, ("name",), ACCOUNT_KEYS)
    made = api.create_account(sim, None, entry)  # type: ignore[arg-type]
    seeded.accounts[entry["name"]] = sim.account(made["id"])


def _app(sim: Simulator, entry: dict[str, Any], seeded: Seeded) -> None:
    checked(entry, ("account", "name"), APP_KEYS)
    credits = entry.pop("credits", None)
    entry["account_id"] = _account_id(sim, seeded, entry.pop("account"))
    made = api.create_app(sim, None, entry)  # type: ignore[arg-type]
    if credits is not None:
        sim.set_credits(made["id"], credits)
    seeded.apps[entry["name"]] = sim.app(made["id"])


def _user(sim: Simulator, entry: dict[str, Any], seeded: Seeded) -> None:
    checked(entry, ("username",), USER_KEYS)
    if "account" in entry:
        entry["account_id"] = _account_id(sim, seeded, entry.pop("account"))
    made = api.create_user(sim, None, entry)  # type: ignore[arg-type]
    seeded.users[made["username"]] = sim.user(made["id"])


def _token(sim: Simulator, entry: dict[str, Any], seeded: Seeded) -> None:
    checked(entry, ("app", "user"), TOKEN_KEYS)
    kind = entry.pop("kind", "oauth1")
    body = {"app_id": _app_id(sim, seeded, entry.pop("app")), "user_id": _user_id(sim, "user", entry.pop("user"))}
    if kind == "oauth1":
        seeded.tokens.append(credentials_api.mint_oauth1(sim, None, {**body, **entry}))  # type: ignore[arg-type]
    elif kind == "oauth2":
        check_names("field of an OAuth 2.0 token", entry, ("scopes",))
        seeded.tokens.append(credentials_api.mint_oauth2(sim, None, {**body, **entry}))  # type: ignore[arg-type]
    else:
        raise InvalidInput(f"kind: expected 'oauth1' or 'oauth2', got {kind!r}")


def _follow(sim: Simulator, entry: dict[str, Any], seeded: Seeded) -> None:
    checked(entry, FOLLOW_KEYS, ())
    sim.follow(_user_id(sim, "from", entry["from"]), _user_id(sim, "to", entry["to"]))


def _post(sim: Simulator, entry: dict[str, Any], seeded: Seeded) -> None:
    checked(entry, ("user", "text"), POST_KEYS)
    body = {"user_id": _user_id(sim, "user", entry["user"]), "text": entry["text"]}
    seeded.posts.append(world_api.create_post(sim, None, body))  # type: ignore[arg-type]


MAKERS = {
    "accounts": _account,
    "users": _user,
    "apps": _app,
    "tokens": _token,
    "follows": _follow,
    "posts": _post,
}


def from_markers(sim: Simulator, world: Any, snapshot_value: Any, here: Path) -> Seeded | None:
    """The `xmock_snapshot` and `xmock_world` markers' arguments (a dict, or a file path relative to the test
    file's folder: .json for a snapshot, .toml for world tables): the snapshot is restored, then the world made."""
    from xmock.simulator import snapshot

    if snapshot_value is not None:
        try:
            if isinstance(snapshot_value, str | Path):
                snapshot_value = snapshot.read_file(here / snapshot_value)
            sim.restore(snapshot_value)
        except ValueError as exc:
            raise InvalidInput(f"snapshot not restored: {exc}") from None
    if world is None:
        return None
    if isinstance(world, str | Path):
        return apply(sim, read_toml(here / world), str(world))
    return apply(sim, world)

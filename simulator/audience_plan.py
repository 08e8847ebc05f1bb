"""An audience plan, checked whole before anything is made: who acts, on whom, how often, when.

A plan has rates (actions per simulated minute, per kind, on its `targets`), a script (events at given
times), or both. Its schedule is a pure function of the plan, its seed and its start time: each kind's
actions come from a random stream of their own, so the same plan and seed give the same actions at the
same times however the clock is moved (one jump of an hour or sixty of a minute).
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, field
from typing import Any

from xmock.simulator.clock import parse_instant
from xmock.simulator.control.errors import (
    InvalidInput,
    check_int,
    check_names,
    check_number,
    check_text,
    shown,
)
from xmock.simulator.core_spaces import TITLE_LENGTH

# What the audience does. Kinds acting on a post take a post id as `to`; the others a user id; a member
# hosting a Space takes none (its `text` is the title; `starts_in`, `lasts` its times).
POST_KINDS = ("reply", "quote", "like", "repost")
USER_KINDS = ("mention", "follow", "dm")
SPACE = "space"
KINDS = ("mention", "reply", "quote", "like", "repost", "follow", "dm", SPACE)
FIELDS = ("targets", "rates", "texts", "users", "seed", "duration", "max_actions", "events")
EVENT_FIELDS = ("at", "kind", "by", "to", "text", "starts_in", "lasts")
SPACE_FIELDS = ("starts_in", "lasts")

MAX_RATE = 600.0  # per simulated minute and kind: ten a second
MAX_USERS = 1000
MAX_TARGETS = 100
MAX_TEXTS = 1000
MAX_EVENTS = 10_000
MAX_ACTIONS = 100_000
DEFAULT_MAX_ACTIONS = 1000  # a clock moved a year ahead must not make millions of posts
DEFAULT_USERS = 3
TEXT_LENGTH = 1000
MAX_SEED = 2**63 - 1
MAX_OFFSET = 366 * 24 * 3600.0

_OFFSET = re.compile(r"^\+([0-9]+(?:\.[0-9]+)?)(ms|s|m|h|d)?$")
_UNIT = {"ms": 0.001, "s": 1.0, "m": 60.0, "h": 3600.0, "d": 86400.0, None: 1.0}
_ID = re.compile(r"^[0-9]{1,19}$")


@dataclass(frozen=True)
class Action:
    """One thing an audience member does at `at`. `by` None: the member `who` (a draw in [0, 1)) picks; `to`
    None: the target (or a target's post) `pick` draws when the action is performed; `text` None: generated
    from `text_seed`. A Space's `starts_in` and `lasts` (seconds) None: generated from `text_seed` too."""

    at: float
    seq: int
    kind: str
    by: str | None
    to: str | None
    text: str | None
    who: float
    pick: float
    text_seed: int
    starts_in: float | None = None
    lasts: float | None = None


@dataclass
class Plan:
    targets: tuple[str, ...]
    rates: dict[str, float]
    texts: tuple[str, ...]
    users: int
    seed: int
    duration: float | None
    max_actions: int
    events: list[dict[str, Any]]
    start: float = 0.0
    scripted: list[Action] = field(default_factory=list)

    @property
    def kinds(self) -> set[str]:
        return {k for k, r in self.rates.items() if r > 0} | {e["kind"] for e in self.events}


def _id(label: str, value: Any) -> str:
    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        value = str(value)
    if not isinstance(value, str) or not _ID.match(value):
        raise InvalidInput(f"{label}: expected an id of 1 to 19 digits, got {shown(value)}")
    return value


def _plus(label: str, value: str) -> float:
    match = _OFFSET.match(value.strip())
    if match is None:
        raise InvalidInput(f'{label}: expected "+<number>[ms|s|m|h|d]", e.g. "+30s", got {shown(value)}')
    return float(match.group(1)) * _UNIT[match.group(2)]


def span(label: str, value: Any, *, low_open: bool = False) -> float:
    """A length of time: "+30m", "+1.5h" or a number of seconds, up to 366 days."""
    if not isinstance(value, str):
        return check_number(label, value, 0, MAX_OFFSET, low_open=low_open)
    seconds = _plus(label, value) if value.startswith("+") else -1.0
    if seconds < 0 or (low_open and seconds == 0) or seconds > MAX_OFFSET:
        low = "more than 0" if low_open else "0"
        expected = f'"+<number>[ms|s|m|h|d]" or seconds, {low} to 366 days'
        raise InvalidInput(f"{label}: expected {expected}, got {shown(value)}")
    return seconds


def offset(label: str, value: Any, start: float) -> float:
    """An event's time: "+30s", "+2m", "+1.5h", "+250ms", a number of seconds after the plan starts, or an
    instant (ISO 8601 text); never before the start."""
    if isinstance(value, str) and value.startswith("+"):
        seconds = _plus(label, value)
    elif isinstance(value, str):
        seconds = parse_instant(value, label) - start
    else:
        seconds = check_number(label, value, 0, MAX_OFFSET)
    if not 0 <= seconds <= MAX_OFFSET:
        raise InvalidInput(f"{label}: expected a time from the plan's start to 366 days after it, got {shown(value)}")
    return start + seconds


def parse(body: dict[str, Any], start: float, default_seed: int) -> Plan:
    """The plan in `body` (the control API's JSON, or Simulator.add_audience's keywords), or InvalidInput."""
    check_names("audience field", body, FIELDS)
    targets = body.get("targets") or []
    if not isinstance(targets, list | tuple) or len(targets) > MAX_TARGETS:
        raise InvalidInput(f"targets: expected a list of up to {MAX_TARGETS} user ids")
    targets = tuple(dict.fromkeys(_id(f"targets[{i}]", t) for i, t in enumerate(targets)))
    rates = body.get("rates") or {}
    if not isinstance(rates, dict):
        raise InvalidInput("rates: expected an object of actions per simulated minute, e.g. {'reply': 2}")
    check_names("kind of action", rates, KINDS)
    rates = {k: check_number(f"rates.{k}", v, 0, MAX_RATE) for k, v in rates.items()}
    texts = body.get("texts") or []
    if not isinstance(texts, list | tuple) or len(texts) > MAX_TEXTS:
        raise InvalidInput(f"texts: expected a list of up to {MAX_TEXTS} texts (or none: made up)")
    texts = tuple(check_text(f"texts[{i}]", t, max_length=TEXT_LENGTH, empty=False) for i, t in enumerate(texts))
    users = check_int("users", body.get("users", DEFAULT_USERS), 1, MAX_USERS)
    seed = body.get("seed")
    seed = default_seed if seed is None else check_int("seed", seed, 0, MAX_SEED)
    duration = body.get("duration")
    if duration is not None:
        duration = check_number("duration", duration, 0, MAX_OFFSET, low_open=True)
    max_actions = check_int("max_actions", body.get("max_actions", DEFAULT_MAX_ACTIONS), 1, MAX_ACTIONS)
    if any(r for k, r in rates.items() if k != SPACE) and not targets:
        raise InvalidInput("targets: rates need at least one target user id (hosting Spaces needs none)")
    events = body.get("events") or []
    if not isinstance(events, list | tuple) or len(events) > MAX_EVENTS:
        raise InvalidInput(f"events: expected a list of up to {MAX_EVENTS} events")
    checked = [_event(i, e, start) for i, e in enumerate(events)]
    if not checked and not any(rates.values()):
        raise InvalidInput("an audience plan needs rates (with targets) or events")
    plan = Plan(targets, rates, texts, users, seed, duration, max_actions, checked, start)
    plan.scripted = _script(plan)
    return plan


def _event(i: int, event: Any, start: float) -> dict[str, Any]:
    label = f"events[{i}]"
    if not isinstance(event, dict):
        raise InvalidInput(f"{label}: expected an object with at, kind, to and optional by, text")
    check_names(f"{label} field", event, EVENT_FIELDS)
    for name in ("at", "kind"):
        if event.get(name) in (None, ""):
            raise InvalidInput(f"{label}.{name}: required")
    kind = event["kind"]
    if not isinstance(kind, str) or kind not in KINDS:
        check_names(f"{label}.kind", [kind], KINDS)
    hosting = kind == SPACE
    if hosting and event.get("to") is not None:
        raise InvalidInput(f"{label}.to: a space has no target (its host is `by`, else a member)")
    if not hosting and event.get("to") in (None, ""):
        raise InvalidInput(f"{label}.to: required")
    for name in SPACE_FIELDS:
        if not hosting and event.get(name) is not None:
            raise InvalidInput(f"{label}.{name}: only a space has {name}")
    text = event.get("text")
    if text is not None:
        length = TITLE_LENGTH if hosting else TEXT_LENGTH
        text = check_text(f"{label}.text", text, max_length=length, empty=False)
        if kind in ("like", "repost", "follow"):
            raise InvalidInput(f"{label}.text: a {kind} has no text")
    by = event.get("by")
    starts_in, lasts = event.get("starts_in"), event.get("lasts")
    return {
        "at": offset(f"{label}.at", event["at"], start),
        "kind": kind,
        "by": None if by is None else _id(f"{label}.by", by),
        "to": None if hosting else _id(f"{label}.to", event["to"]),
        "text": text,
        "starts_in": None if starts_in is None else span(f"{label}.starts_in", starts_in),
        "lasts": None if lasts is None else span(f"{label}.lasts", lasts, low_open=True),
    }


def _script(plan: Plan) -> list[Action]:
    # Events without `by` go to the members in turn, so `count` likes come from `count` different members.
    rng = random.Random(f"{plan.seed}:script")
    actions = [
        Action(e["at"], i, e["kind"], e["by"], e["to"], e["text"], (i % plan.users + 0.5) / plan.users, 0.0,
               rng.getrandbits(32), e["starts_in"], e["lasts"])
        for i, e in enumerate(plan.events)
    ]
    actions.sort(key=lambda a: (a.at, a.seq))
    return actions


class RateStream:
    """One kind's actions under a rate: a Poisson process with its own random stream."""

    def __init__(self, plan: Plan, kind: str, order: int) -> None:
        self.kind = kind
        self.rate = plan.rates[kind] / 60.0  # per second
        self.rng = random.Random(f"{plan.seed}:{kind}")
        self.end = None if plan.duration is None else plan.start + plan.duration
        self.order = order
        self.n = 0
        self.next_at = plan.start + self.rng.expovariate(self.rate)

    def due(self, now: float) -> Action | None:
        """The next action if it is due by `now` (and within the plan's duration), else None."""
        if self.next_at > now or (self.end is not None and self.next_at > self.end):
            return None
        rng = self.rng
        who, pick, text_seed = rng.random(), rng.random(), rng.getrandbits(32)
        seq = self.order + len(KINDS) * self.n
        action = Action(self.next_at, seq, self.kind, None, None, None, who, pick, text_seed)
        self.n += 1
        self.next_at += rng.expovariate(self.rate)
        return action

    def finished(self) -> bool:
        return self.end is not None and self.next_at > self.end

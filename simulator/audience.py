"""The audience: simulated users who mention, reply to, quote, like, repost, follow and DM the accounts under
test, and host Spaces, on the simulator clock.

Each plan (audience_plan.py) is a schedule keyed on clock time. Actions are performed when the clock reaches
them, in time order across plans, each stamped with its own scheduled time:
- when the clock is frozen, set or advanced (`Clock.on_move`), in the thread that moved it, before the move
  returns: `sim.clock.advance(60)` and `POST /_xmock/clock {"advance": 60}` come back with the minute's
  actions done;
- while the clock runs, a daemon thread of the process that holds the plans ticks every TICK seconds (it
  also sees a shared Redis clock moved by another process). It stops when no plan is left.

Actions go through the same store operations and rules as the X surface (graph_rules, reposts, mentions,
reply settings, blocks; Simulator.create_space for a Space), so the event log, streams, webhooks, mention
timelines and metrics see them as they see clients' actions. A refused action (a block, a deleted post) is
skipped and recorded, as X would refuse the member's client.
"""

from __future__ import annotations

import logging
import random
import re
import threading
from collections import deque
from typing import TYPE_CHECKING, Any

from faker import Faker

from xmock.simulator import errors, reposts
from xmock.simulator.audience_plan import KINDS, POST_KINDS, SPACE, Action, Plan, RateStream, parse
from xmock.simulator.control.errors import ControlError
from xmock.simulator.core_spaces import TITLE_LENGTH
from xmock.simulator.models import Post
from xmock.simulator.relations import LIKES
from xmock.simulator.resources import graph_rules, mentions, post_rules
from xmock.simulator.resources.text import mentioned_usernames

if TYPE_CHECKING:
    from xmock.simulator.core import Simulator

log = logging.getLogger("xmock.audience")
TICK = 0.1  # real seconds between looks at a running clock
LOG_SIZE = 1000  # performed actions kept per plan for GET /_xmock/audience
RECENT_POSTS = 5  # rate actions on posts pick among each target's newest few
SPACE_LEAD = (5, 60)  # minutes between scheduling a Space and its start, when not given
SPACE_LENGTH = (15, 120)  # minutes a Space lasts, when not given


def send_dm(sim: Simulator, sender: str, recipient: str, text: str) -> Any:
    """A DM from `sender` to `recipient` through the DM family's own operation (its rules, store and event)."""
    return sim.send_dm(sender, recipient, text)


class Skipped(Exception):
    """An action the world refuses now (X would refuse the member's client)."""


class RunningPlan:
    def __init__(self, plan_id: str, plan: Plan, members: list[str]) -> None:
        self.id = plan_id
        self.plan = plan
        self.members = members
        self.script_at = 0
        self.streams = [RateStream(plan, k, i) for i, k in enumerate(KINDS) if plan.rates.get(k, 0) > 0]
        self.performed = 0
        self.skipped = 0
        self.by_kind: dict[str, int] = {}
        self.log: deque[dict[str, Any]] = deque(maxlen=LOG_SIZE)

    def due(self, now: float) -> list[Action]:
        """Every action due by `now` not yet taken, within max_actions."""
        room = self.plan.max_actions - self.performed - self.skipped
        found: list[Action] = []
        script = self.plan.scripted
        while self.script_at < len(script) and script[self.script_at].at <= now and len(found) < room:
            found.append(script[self.script_at])
            self.script_at += 1
        for stream in self.streams:
            while len(found) < room and (action := stream.due(now)) is not None:
                found.append(action)
        found.sort(key=lambda a: (a.at, a.seq))
        return found[: max(room, 0)]

    def active(self) -> bool:
        if self.performed + self.skipped >= self.plan.max_actions:
            return False
        if self.script_at < len(self.plan.scripted):
            return True
        return any(not s.finished() for s in self.streams)

    def as_dict(self, recent: int) -> dict[str, Any]:
        plan = self.plan
        return {
            "id": self.id,
            "seed": plan.seed,
            "start": plan.start,
            "targets": list(plan.targets),
            "rates": plan.rates,
            "members": self.members,
            "events": len(plan.scripted),
            "duration": plan.duration,
            "max_actions": plan.max_actions,
            "active": self.active(),
            "performed": self.performed,
            "skipped": self.skipped,
            "by_kind": dict(sorted(self.by_kind.items())),
            "actions": list(self.log)[-recent:] if recent else [],
        }


class Audience:
    """Every audience plan of one Simulator, and the scheduler that performs them."""

    def __init__(self, sim: Simulator) -> None:
        self.sim = sim
        self.plans: dict[str, RunningPlan] = {}
        self._lock = threading.RLock()
        self._faker = Faker()
        self._ticker: threading.Thread | None = None
        self._stop = threading.Event()
        self._count = 0
        sim.clock.on_move(self._clock_moved)

    # plans ---------------------------------------------------------------------------
    def add(self, body: dict[str, Any]) -> dict[str, Any]:
        sim = self.sim
        start = sim.clock.now()
        default_seed = sim.settings.seed if sim.settings.seed is not None else int(sim.random.random() * 2**32)
        plan = parse(body, start, default_seed)
        for user_id in plan.targets:
            sim.user(user_id)
        for event in plan.events:  # what a script names must exist when it is given
            if event["by"] is not None:
                sim.user(event["by"])
            if event["kind"] in POST_KINDS:
                sim.live_post(event["to"])
            elif event["kind"] != SPACE:
                sim.user(event["to"])
        members = self._members(plan) if self._needs_members(plan) else []
        with self._lock:
            self._count += 1
            plan_id = str(self._count)
            self.plans[plan_id] = RunningPlan(plan_id, plan, members)
        self._ensure_ticker()
        self.run_due()  # events at "+0s" happen now
        return self.describe(plan_id)

    @staticmethod
    def _needs_members(plan: Plan) -> bool:
        return any(plan.rates.values()) or any(e["by"] is None for e in plan.events)

    def _members(self, plan: Plan) -> list[str]:
        """The plan's audience: new users whose names come from the plan's seed."""
        faker = Faker()
        faker.seed_instance(plan.seed)
        made = []
        for _ in range(plan.users):
            base = re.sub(r"[^A-Za-z0-9_]", "", faker.user_name())[:11] or "fan"
            username, n = base, 1
            while self.sim.store.user_by_username(username) is not None:
                n += 1
                username = f"{base}{n}"
            user = self.sim.create_user(username=username, name=faker.name(), description=faker.sentence(nb_words=6))
            made.append(user.id)
        return made

    def describe(self, plan_id: str, recent: int = 100) -> dict[str, Any]:
        with self._lock:
            running = self.plans.get(plan_id)
            if running is None:
                raise ControlError(404, f"no audience plan {plan_id}")
            return running.as_dict(recent)

    def all(self, recent: int = 20) -> list[dict[str, Any]]:
        with self._lock:
            return [p.as_dict(recent) for p in self.plans.values()]

    def remove(self, plan_id: str | None = None) -> int:
        """Stop one plan (or all): what it did stays done."""
        with self._lock:
            if plan_id is None:
                count = len(self.plans)
                self.plans.clear()
                return count
            if self.plans.pop(plan_id, None) is None:
                raise ControlError(404, f"no audience plan {plan_id}")
            return 1

    def clear(self) -> None:
        self.remove()
        self._count = 0

    # scheduling ----------------------------------------------------------------------
    def _clock_moved(self) -> None:
        if self.plans:
            self.run_due()

    def run_due(self) -> int:
        """Perform every action due by the clock's time now, oldest first; how many were taken."""
        with self._lock:
            now = self.sim.clock.now()
            due = [(a, p) for p in self.plans.values() for a in p.due(now)]
            due.sort(key=lambda item: (item[0].at, item[1].id, item[0].seq))
            for action, running in due:
                self._take(running, action)
            return len(due)

    def _ensure_ticker(self) -> None:
        if self._ticker is not None and self._ticker.is_alive():
            return
        self._stop.clear()
        self._ticker = threading.Thread(target=self._tick, name="xmock-audience", daemon=True)
        self._ticker.start()

    def _tick(self) -> None:
        while not self._stop.wait(TICK):
            with self._lock:
                if not any(p.active() for p in self.plans.values()):
                    self._ticker = None
                    return
            try:
                self.run_due()
            except Exception:  # the store went away for a moment: try again on the next tick
                log.warning("audience tick failed", exc_info=True)

    def stop(self) -> None:
        self._stop.set()

    # acting --------------------------------------------------------------------------
    def _take(self, running: RunningPlan, action: Action) -> None:
        record: dict[str, Any] = {"at": action.at, "kind": action.kind}
        try:
            record.update(self._perform(running, action))
            running.performed += 1
            running.by_kind[action.kind] = running.by_kind.get(action.kind, 0) + 1
        except Skipped as exc:
            record["skipped"] = str(exc)
            running.skipped += 1
        except (errors.XError, graph_rules.GraphRefusal, ControlError) as exc:
            record["skipped"] = _reason(exc)
            running.skipped += 1
        running.log.append(record)

    def _perform(self, running: RunningPlan, action: Action) -> dict[str, Any]:
        sim, plan = self.sim, running.plan
        by = action.by or running.members[int(action.who * len(running.members))]
        actor = sim.user(by)
        kind, at = action.kind, action.at
        if kind == SPACE:
            return self._host_space(actor.id, action)
        if kind in POST_KINDS:
            post = sim.store.get_post(action.to) if action.to else self._target_post(plan, action.pick)
            if post is None:
                raise Skipped("the post is gone" if action.to else "no post of the targets to act on")
            done = {"by": actor.id, "to": post.id}
            if kind == "reply":
                graph_rules.check_not_blocked(sim.store, actor.id, post.author_id, "reply")
                post_rules.check_reply_allowed(sim.store, actor, post)
                made = self._post(actor.id, self._reply_text(post, self._text(plan, action)), at, parent=post)
                return {**done, "post_id": made.id, "text": made.text}
            if kind == "quote":
                graph_rules.check_post_not_blocked(sim.store, actor.id, post.id, "quote")
                made = self._post(actor.id, self._text(plan, action), at, quote_of=post.id)
                return {**done, "post_id": made.id, "text": made.text}
            if kind == "like":
                graph_rules.check_post_not_blocked(sim.store, actor.id, post.id, "like")
                return {**done, "changed": sim.store.set_edge(LIKES, actor.id, post.id, True, at)}
            graph_rules.check_post_not_blocked(sim.store, actor.id, post.id, "repost")
            made, changed = reposts.repost(sim, actor.id, reposts.original(sim, post), at=at)
            return {**done, "post_id": made.id if made else None, "changed": changed}
        target = sim.user(action.to or plan.targets[int(action.pick * len(plan.targets))])
        done = {"by": actor.id, "to": target.id}
        if kind == "follow":
            following, pending = graph_rules.follow(sim.store, actor.id, target, at)
            return {**done, "following": following, "pending_follow": pending}
        text = self._text(plan, action)
        if kind == "mention":
            made = self._post(actor.id, f"@{target.username} {text}", at)
            return {**done, "post_id": made.id, "text": made.text}
        graph_rules.check_not_blocked(sim.store, actor.id, target.id, "dm")
        send_dm(sim, actor.id, target.id, text)
        return {**done, "text": text}

    def _host_space(self, host_id: str, action: Action) -> dict[str, Any]:
        """The member schedules a Space at the action's time, through the control API's own operation: its
        state then follows from the clock and these times (scheduled, live at its start, ended after it)."""
        rng = random.Random(f"{action.text_seed}:space")
        starts_in = action.starts_in if action.starts_in is not None else 60.0 * rng.randint(*SPACE_LEAD)
        lasts = action.lasts if action.lasts is not None else 60.0 * rng.randint(*SPACE_LENGTH)
        title = action.text or self._title(action.text_seed)
        start = action.at + starts_in
        space = self.sim.create_space(
            host_id, title, scheduled_start=start, ended_at=start + lasts, created_at=action.at
        )
        return {"by": host_id, "space_id": space["id"], "title": title, "scheduled_start": start,
                "ended_at": start + lasts}

    def _title(self, seed: int) -> str:
        self._faker.seed_instance(seed)
        return self._faker.catch_phrase()[:TITLE_LENGTH]

    def _target_post(self, plan: Plan, pick: float) -> Post | None:
        """One of the targets' newest original posts (not reposts), drawn by `pick`."""
        found: list[Post] = []
        for user_id in plan.targets:
            own = [p for p in self.sim.store.posts_by_author(user_id) if p.reposted_post_id is None]
            own.sort(key=lambda p: int(p.id), reverse=True)
            found.extend(own[:RECENT_POSTS])
        if not found:
            return None
        found.sort(key=lambda p: int(p.id))
        return found[int(pick * len(found))]

    def _text(self, plan: Plan, action: Action) -> str:
        if action.text is not None:
            return action.text
        if plan.texts:
            return plan.texts[action.text_seed % len(plan.texts)]
        self._faker.seed_instance(action.text_seed)
        return self._faker.sentence(nb_words=8)

    def _reply_text(self, parent: Post, text: str) -> str:
        """A reply names the author it answers, as X's clients prefill it (so it reaches their mentions)."""
        author = self.sim.store.get_user(parent.author_id)
        if author is None or author.username.lower() in (n.lower() for n in mentioned_usernames(text)):
            return text
        return f"@{author.username} {text}"

    def _post(
        self, author_id: str, text: str, at: float, *, parent: Post | None = None, quote_of: str | None = None
    ) -> Post:
        """A post stored as the X surface stores one (mentions indexed), dated `at`."""
        store = self.sim.store
        post_id = self.sim.ids.next_id()
        post = Post(
            id=post_id,
            text=text,
            author_id=author_id,
            created_at=at,
            conversation_id=(parent.conversation_id or parent.id) if parent else post_id,
            in_reply_to_post_id=parent.id if parent else None,
            in_reply_to_user_id=parent.author_id if parent else None,
            quoted_post_id=quote_of,
        )
        store.create_post(post, None)
        mentions.index(store, post)
        return post


def _reason(exc: Exception) -> str:
    if isinstance(exc, errors.XError):
        return exc.reason or f"X answers {exc.status}"
    return str(getattr(exc, "message", None) or exc)

"""The webhook deliverer: one background task per process that claims each event once across all processes
(`store.claim_events("webhooks")`) and POSTs it, signed as X signs it, to every valid webhook whose app has a
subscription (Account Activity or X Activity) concerned by it.

Off the request path, with timeouts; a receiver that fails is retried on X's schedule on the simulator clock,
then dropped. Every attempt is recorded for GET /_xmock/deliveries (never a secret). The same task runs the
periodic CRC checks and replay jobs.
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import heapq
import itertools
import json
import logging
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import httpx

from xmock.simulator import activity, stream_match, webhook_payloads, webhooks
from xmock.simulator.events import POST_CREATE
from xmock.simulator.relations import AAA_SUBSCRIPTIONS, STREAM_LINKED_APPS

if TYPE_CHECKING:
    from xmock.simulator.core import Simulator

log = logging.getLogger("xmock.deliveries")
GROUP = "webhooks"
POLL_SECONDS = 0.02  # real time between looks at the log, the retry queue and the clock
CRC_SWEEP_EVERY = 60.0  # simulator seconds between looks for webhooks due a periodic CRC
CONCURRENCY = 64  # deliveries in flight per process
SIGNATURE_HEADER = "x-twitter-webhooks-signature"
_order = itertools.count()


@dataclass(order=True)
class Attempt:
    due: float  # simulator time
    seq: int
    webhook_id: str = field(compare=False)
    body: bytes = field(compare=False)
    event_type: str = field(compare=False)
    cursor: str = field(compare=False)
    for_user_id: str | None = field(compare=False)
    number: int = field(compare=False, default=1)
    replay_job: str | None = field(compare=False, default=None)


def targets(sim: Simulator, event: dict[str, Any]) -> list[tuple[webhooks.Webhook, str | None, dict[str, Any]]]:
    """(webhook, for_user_id, body) for every delivery one event makes."""
    out: list[tuple[webhooks.Webhook, str | None, dict[str, Any]]] = []
    for user_id, body in webhook_payloads.concerned(sim, event):
        if user_id is None:  # an app-wide event (a revoke): every webhook of that app
            app = sim.store.get_app(str(event.get("app_id")))
            out += [(hook, None, body) for hook in (webhooks.of_app(sim, app) if app else []) if hook.valid]
            continue
        seen_apps: set[tuple[str, str]] = set()
        for hook_id, _ in sim.store.edges_to(AAA_SUBSCRIPTIONS, user_id):
            hook = webhooks.load(sim, hook_id)
            # one copy per app and URL, as X sends it
            if hook is None or not hook.valid or (hook.app_id, hook.url) in seen_apps:
                continue
            seen_apps.add((hook.app_id, hook.url))
            out.append((hook, user_id, {"for_user_id": user_id, **body}))
    for sub, user_id in activity.activity_matches(sim, None, event):
        hook = webhooks.load(sim, sub["webhook_id"]) if sub.get("webhook_id") else None
        if hook is not None and hook.valid:
            activity.charge(sim, sub, event)
            out.append((hook, user_id, activity.envelope(sim, sub, event, user_id)))
    if event.get("type") == POST_CREATE:  # filtered-stream matches for apps that linked a webhook to their rules
        for app_id, _ in sim.store.edges_from(STREAM_LINKED_APPS, "*"):
            for hook_id, line in stream_match.webhook_lines(sim, app_id, event):
                hook = webhooks.load(sim, hook_id)
                if hook is not None and hook.valid:
                    out.append((hook, None, line))
    return out


class Deliverer:
    def __init__(self, sim: Simulator) -> None:
        self.sim = sim
        self._task: asyncio.Task[None] | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._queue: list[Attempt] = []  # a heap by due time
        self._inflight: set[asyncio.Task[None]] = set()
        self._replays: set[str] = set()  # webhooks with a replay job running
        self._last_sweep: float | None = None
        self._client: httpx.AsyncClient | None = None
        self._claimed: list[tuple[str, dict[str, Any]]] = []

    def ensure_running(self) -> None:
        """Start this process's deliverer on the running loop (idempotent); claiming starts from now."""
        loop = asyncio.get_running_loop()
        # A claim now makes the group if it is missing (a new world, or one just reset), so what happens after
        # the caller registers a webhook is claimed; anything it brings waits for step().
        self._claimed += self.sim.store.claim_events(GROUP)
        if self._task is not None and not self._task.done() and self._loop is loop:
            return
        self._loop = loop
        # Not in the context of the request that started it: a request runs on the shared state and records as
        # its process last read them (checked when it is admitted); the deliverer, never admitted, reads them
        # fresh from the store every time.
        self._task = loop.create_task(self._run(), name="xmock-webhook-deliverer", context=contextvars.Context())

    async def _run(self) -> None:
        self._client = httpx.AsyncClient(timeout=self.sim.settings.webhook_timeout, follow_redirects=False)
        try:
            while True:
                try:
                    await self.step()
                except self.sim.store.unavailable:
                    log.warning("store unreachable; deliveries wait")
                except Exception:  # a bug must not stop every delivery of the process
                    log.exception("webhook deliverer")
                await asyncio.sleep(POLL_SECONDS)
        finally:
            with contextlib.suppress(Exception):
                await self._client.aclose()

    async def step(self) -> int:
        """Claim new events, start what is due; how many attempts were started."""
        sim = self.sim
        now = sim.clock.now()
        claimed, self._claimed = self._claimed, []
        for cursor, event in claimed + sim.store.claim_events(GROUP):
            for hook, user_id, body in targets(sim, event):
                self._push(Attempt(now, next(_order), hook.id, _encode(body), event.get("type", ""), cursor, user_id))
        if self._last_sweep is None or now - self._last_sweep >= CRC_SWEEP_EVERY:
            self._last_sweep = now
            await webhooks.periodic_crc(sim)
        started = 0
        while self._queue and self._queue[0].due <= now and len(self._inflight) < CONCURRENCY:
            attempt = heapq.heappop(self._queue)
            task = asyncio.get_running_loop().create_task(self._attempt(attempt))
            self._inflight.add(task)
            task.add_done_callback(self._inflight.discard)
            started += 1
        return started

    def _push(self, attempt: Attempt) -> None:
        heapq.heappush(self._queue, attempt)

    async def _attempt(self, attempt: Attempt) -> None:
        sim = self.sim
        hook = webhooks.load(sim, attempt.webhook_id)
        app = sim.store.get_app(hook.app_id) if hook is not None else None
        if hook is None or app is None or not hook.valid:
            return  # deleted, reset or invalid meanwhile: it receives nothing
        headers = {"content-type": "application/json", SIGNATURE_HEADER: webhooks.sign(app.consumer_secret,
                                                                                        attempt.body)}
        started = time.perf_counter()
        status: int | None = None
        error = None
        try:
            assert self._client is not None
            response = await self._client.post(hook.url, content=attempt.body, headers=headers)
            status = response.status_code
        except httpx.HTTPError as exc:
            error = f"the receiver could not be reached ({type(exc).__name__})"
        ok = status is not None and 200 <= status < 300
        delays = sim.settings.webhook_retry_delays
        retry_in = delays[attempt.number - 1] if not ok and attempt.number <= len(delays) else None
        sim.store.append_delivery({
            "kind": "replay" if attempt.replay_job else "event", "event": attempt.event_type, "cursor": attempt.cursor,
            "webhook_id": hook.id, "app_id": hook.app_id, "url": hook.url, "for_user_id": attempt.for_user_id,
            "attempt": attempt.number, "at": sim.clock.now(), "status": status,
            "latency_ms": round((time.perf_counter() - started) * 1000, 3), "delivered": ok,
            "crc_ok": hook.valid and hook.passed_at is not None, "signed": True, "error": error,
            "retry_in": retry_in, "dropped": not ok and retry_in is None,
        })
        if retry_in is not None:
            self._push(Attempt(sim.clock.now() + retry_in, next(_order), hook.id, attempt.body, attempt.event_type,
                               attempt.cursor, attempt.for_user_id, attempt.number + 1, attempt.replay_job))

    # replay ------------------------------------------------------------------------
    def start_replay(self, hook: webhooks.Webhook, start: float, end: float, job_id: str) -> bool:
        """Queue again, for this webhook only, the deliveries of events logged in [start, end); then X's
        end-of-job marker. False when a job already runs for the webhook."""
        if hook.id in self._replays:
            return False
        self.ensure_running()
        self._replays.add(hook.id)
        sim = self.sim
        now = sim.clock.now()
        cursor = "0"
        while True:
            batch = sim.store.events_after(cursor, 1000)
            for cur, event in batch:
                if start <= event.get("at", 0) < end:
                    for target, user_id, body in targets(sim, event):
                        if target.id == hook.id:
                            self._push(Attempt(now, next(_order), hook.id, _encode(body), event.get("type", ""), cur,
                                               user_id, replay_job=job_id))
            if len(batch) < 1000:
                break
            cursor = batch[-1][0]
        marker = {"replay_job_status": {"webhook_id": hook.id, "job_state": "Complete",
                                        "job_state_description": "Job completed successfully", "job_id": job_id}}
        self._push(Attempt(now, next(_order), hook.id, _encode(marker), "replay.complete", "", None, replay_job=job_id))
        self._replays.discard(hook.id)  # queued whole at once: the next job may follow
        return True

    async def drain(self, timeout: float = 5.0) -> None:
        """Wait until nothing due is queued or in flight (tests and the benchmark)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            await self.step()
            due = self._queue and self._queue[0].due <= self.sim.clock.now()
            if not due and not self._inflight:
                return
            await asyncio.sleep(POLL_SECONDS)


def _encode(body: dict[str, Any]) -> bytes:
    return json.dumps(body, separators=(",", ":")).encode()


def deliverer(sim: Simulator) -> Deliverer:
    """This process's deliverer for `sim`."""
    found = sim.__dict__.get("_deliverer")
    if found is None:
        found = sim.__dict__["_deliverer"] = Deliverer(sim)
    return found

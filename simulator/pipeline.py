"""The X surface: one plain ASGI app that runs every request through the same steps.

route -> read body -> authenticate -> permission -> handler -> journal -> answer.
Written as plain ASGI because middleware layers cost several times the throughput.
"""

from __future__ import annotations

import logging
import random
import time
from typing import TYPE_CHECKING, Any

from xmock.simulator import (
    answer,
    billing,
    body_rules,
    errors,
    fault_strikes,
    faults,
    impressions,
    journal_entry,
    limits,
    request_rules,
    streaming,
    stubs,
)
from xmock.simulator.admission import AFFORD, LIMITED, NONCE, RESERVE, STALE, Admission, Admitted
from xmock.simulator.auth import AuthContext, authenticate, nonce_refused
from xmock.simulator.endpoints import Endpoint, Router
from xmock.simulator.spec import SpecIndex, data_schema
from xmock.simulator.xrequest import Reply, XRequest

if TYPE_CHECKING:
    from xmock.simulator.core import Simulator
    from xmock.simulator.models import User

log = logging.getLogger("xmock.surface")
_ids = random.Random()
_POSTLESS = frozenset({"User", "List", "DmEvent", "Space", "Community", "ComplianceJob", "Media", "PublicKey"})
_ATTEMPTS = 3  # the last runs on the shared state as it finds it, unchecked


def _streams(path: str) -> bool:
    return "/stream" in path and not path.endswith(("/rules", "/rules/counts"))


class Call:
    """What a handler gets: the request, who made it, and the simulator."""

    __slots__ = ("auth", "endpoint", "hold", "params", "req", "sim")

    def __init__(
        self, sim: Simulator, req: XRequest, endpoint: Endpoint, params: dict[str, Any], auth: AuthContext
    ) -> None:
        self.sim = sim
        self.req = req
        self.endpoint = endpoint
        self.params = params
        self.auth = auth
        self.hold: billing.Hold | None = None  # what billing reserved or left for the store write to take

    @property
    def user(self) -> User:
        """The authenticated user (user-context endpoints only reach handlers with one)."""
        user = self.auth.user
        if user is None:
            raise errors.unauthorized("user context required")
        return user


class XSurface:
    def __init__(self, sim: Simulator, endpoints: list[Endpoint]) -> None:
        self.sim = sim
        self.router = Router(endpoints)
        self.spec = SpecIndex()
        # X's static paths that one of our templates would swallow (GET /2/tweets/analytics is not
        # GET /2/tweets/{id}) while they are not simulated yet.
        declared = {(e.method, e.path) for e in endpoints}
        self.shadowed = {key for key in self.spec.static() if key not in declared}
        # Each spec operation's query rules, compiled once (request_rules).
        self.query_rules = request_rules.for_operations((e.name, e.method, e.path) for e in endpoints)
        # ... and its JSON body's, from the spec's request-body schema (body_rules).
        self.body_rules = body_rules.for_operations((e.name, e.method, e.path) for e in endpoints)
        # Reads whose `data` can hold no post: without a query (no expansions, no fields) they show no post, so
        # they make no impression and withhold no private metric (GET /2/users/me, the commonest read).
        self.postless = {e.name for e in endpoints if e.method == "GET" and data_schema(e.method, e.path) in _POSTLESS}
        # A shared store's calls on the request path are awaited: the worker serves others meanwhile.
        self.admit_async = getattr(sim.store, "admit_async", None)
        self.journal_async = getattr(sim.store, "append_journal_async", None)
        # Reads whose handler changes nothing: admitted once, after the handler (simulator/admission.py).
        # Streams hold a connection slot, and the OAuth 1.0a flows issue tokens: both are admitted first.
        self.deferred = {
            e.name for e in endpoints if e.method == "GET" and e.surface != "oauth" and not _streams(e.path)
        }

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        started = time.perf_counter()
        sim = self.sim
        txid = f"{_ids.getrandbits(64):016x}"  # an x-transaction-id needs to be unique, not secret
        ep, params, allowed = self.router.match(scope["method"], scope["path"])
        if params and (scope["method"], scope["path"]) in self.shadowed:
            ep, allowed = None, []
        if ep is not None and ep.setting is not None and not getattr(sim.settings, ep.setting):
            ep, allowed = None, self.router.allowed(scope["path"], sim.settings)  # switched off: as undeclared
        message = await receive()
        if message["type"] == "http.request" and not message.get("more_body", False):
            body = message.get("body", b"")  # the whole body in one message, as usual
            too_large = len(body) > sim.settings.max_body_bytes
            if too_large:
                body = b""
        else:
            body, too_large = await _read_body(receive, sim.settings.max_body_bytes, message)
        # A request runs on the shared clock and settings as this process last saw them; its
        # admission checks they still hold and, if another process moved them, it runs again.
        for attempt in range(_ATTEMPTS):
            if await self._attempt(scope, receive, send, started, txid, ep, params, allowed, body, too_large, attempt):
                return

    async def _attempt(
        self,
        scope: dict,
        receive: Any,
        send: Any,
        started: float,
        txid: str,
        ep: Endpoint | None,
        params: dict[str, Any],
        allowed: list[str],
        body: bytes,
        too_large: bool,
        attempt: int,
    ) -> bool:
        """One run of the request: False when it ran on a stale shared state and must run again."""
        sim = self.sim
        req = XRequest(scope, body)
        ctx: AuthContext | None = None
        failure: errors.XError | None = None
        limit_headers: list[tuple[bytes, bytes]] = []
        fault: faults.Fault | None = None
        # Every request ends in one admission (simulator/admission.py); a write's comes before its handler.
        adm = Admission(sim.clock.now())
        if sim.shared is not None and attempt < _ATTEMPTS - 1:
            adm.control = sim.shared.control
        deferred = ep is None or ep.name in self.deferred
        plan: tuple = ()
        nonce_evidence: dict = {}
        call: Call | None = None
        seen: impressions.Watch | None = None
        try:
            if ep is None:
                op = self.spec.find(req.method, req.path)
                if op is not None:
                    raise errors.not_simulated(op.operation_id, req.path)
                raise errors.method_not_allowed(allowed) if allowed else errors.route_not_found(req.path)
            if too_large:
                raise errors.payload_too_large(sim.settings.max_body_bytes)
            # An outage-style rule (no app or user named) strikes before authentication ...
            rules = sim.store.list_faults()  # read once: usually there are none, and nothing more is asked
            declared = sim.store.list_stubs()
            if (rules or declared) and adm.control is not None:
                # Fault rules and stubs draw from the seeded randomness and count their uses: the request runs them
                # once, on the shared state read now (a run on an older one goes again from the start, before any).
                assert sim.shared is not None
                sim.sync()
                if sim.shared.control != adm.control:
                    return False
                adm.control = None
            fault = faults.pick(sim, req, None, rules) if rules else None
            if fault is not None and await fault_strikes.strike(sim, ep, None, fault, scope, send):
                dropped = journal_entry.build(sim, req, ep, None, Reply(0), None, txid, 0.0, "dropped", fault.id)
                journal_entry.record(sim, dropped)
                return True
            ctx = authenticate(sim, req, ep, defer_nonce=True)
            if ctx.nonce is not None:
                adm.nonce, adm.nonce_expires, nonce_evidence = ctx.nonce
            if ep.write and ctx.access_level == "read":
                raise (
                    errors.oauth1_permissions("read") if ep.surface == "v2" else errors.read_only_application(req.path)
                )
            # ... one aimed at an app or a user, once the caller is known.
            if fault is None and rules:
                fault = faults.pick(sim, req, ctx, rules)
                if fault is not None and await fault_strikes.strike(sim, ep, ctx, fault, scope, send):
                    adm.control = None  # a dropped request still used its nonce
                    sim.store.admit(adm)
                    dropped = journal_entry.build(sim, req, ep, ctx, Reply(0), None, txid, 0.0, "dropped", fault.id)
                    journal_entry.record(sim, dropped)
                    return True
            if declared:  # a stub's answer leaves as Stubbed, as X's would have from here
                stubs.answer(sim, req, ctx, declared, ep.surface)
            plan, adm.buckets = limits.buckets_for(sim, ep, ctx)
            if req.query_string:  # only a query's field selection shows the time (a poll's voting_status)
                req.now = adm.now
            rules = self.query_rules.get(ep.name)
            if rules is not None and (req.query_string or rules.required):
                rules.check(req.query)
            if req.body:
                shape = self.body_rules.get(ep.name)
                if shape is not None:
                    shape.check(req)
            call = Call(sim, req, ep, params, ctx)
            hold = call.hold = billing.plan(call, txid, adm)
            if not deferred:  # a write acts only once admitted; its journal entry follows on its own
                early, adm = adm, None  # type: ignore[assignment]
                limit_headers = await self._admit(early, ep, ctx, plan, nonce_evidence, call)
                billing.admitted(hold, early)
            # Only a GET counts impressions, and private metrics are asked for in the query: others skip the watch.
            seen, watching = (
                impressions.watch(ctx.user.id if ctx.user is not None else None)
                if req.query_string or (req.method == "GET" and ep.name not in self.postless)
                else (None, None)
            )
            try:
                reply = ep.handler(call)
                if reply.__class__ is not Reply:  # a coroutine: a handler that waits on the network (a CRC check)
                    reply = await reply
            except BaseException:
                billing.release(sim, hold)
                raise
            finally:
                if watching is not None:
                    impressions.unwatch(watching)
            if adm is None:
                billing.settle(call, hold, reply)
                _impressions(sim, seen, req, reply)
                seen = None
            else:
                billing.read_charge(call, hold, reply, adm)
                if reply.status == 200 and seen is not None and seen.denied:
                    impressions.withhold(seen, reply.body, lambda: "ids" if req.arg("ids") else "id")
        except stubs.Stubbed as stubbed:
            reply = stubbed.reply
        except errors.XError as exc:
            failure = exc
            reply = Reply(exc.status, exc.body, dict(exc.headers), exc.content_type)
        except _Stale:
            return False
        except sim.store.unavailable:  # a shared store that is down: X's "over capacity", not a bug
            log.warning("store unreachable on %s %s", req.method, req.path)
            failure = errors.store_unavailable(ep.surface if ep is not None else "v2")
            reply = Reply(503, failure.body, dict(failure.headers), failure.content_type)
            adm = None  # type: ignore[assignment]
        except Exception:  # a bug must still get an answer, never a traceback
            log.exception("unhandled error on %s %s", req.method, req.path)
            failure = answer.internal_error()
            reply = Reply(500, failure.body)

        try:
            payload = answer.encode(reply.body)
        except Exception:  # an answer that cannot be written is a bug; it still gets an answer
            log.exception("unrenderable answer on %s %s", req.method, req.path)
            failure = answer.internal_error()
            reply = Reply(500, failure.body)
            payload = answer.encode(reply.body)
        dropping = fault is not None and fault.action == "commit-then-drop"
        struck = fault.id if fault is not None else None
        elapsed_ms = (time.perf_counter() - started) * 1000
        journaled = False
        if adm is not None:  # the request's books, its journal entry with them
            if failure is not None or reply.status >= 400:
                adm.items = ()
                if adm.credits == RESERVE:
                    adm.credits = AFFORD  # a failed request is free, but a 402 still comes first
            if not dropping:
                adm.journal = journal_entry.build(sim, req, ep, ctx, reply, failure, txid, elapsed_ms, fault_id=struck)
                adm.count = True
            try:
                outcome = await self.admit_async(adm) if self.admit_async is not None else sim.store.admit(adm)
            except sim.store.unavailable:
                log.warning("store unreachable on %s %s", req.method, req.path)
                outcome = None
                failure = errors.store_unavailable(ep.surface if ep is not None else "v2")
            if outcome is not None and outcome.refused == STALE:
                if reply.stream is not None:
                    reply.stream.close("ForceDisconnect")
                self.sim.adopt(outcome.control)
                return False
            if outcome is not None and outcome.refused is None:
                journaled = adm.journal is not None
                limit_headers = limits.headers(plan, outcome.states)
                if ctx is not None and ctx.app is not None and ctx.user is not None:
                    sim.findings.acting_for(ctx.app, ctx.user)
                if reply.status == 200 and seen is not None:
                    impressions.count(sim.store, seen, req.method)
            else:
                if outcome is not None:
                    failure = self._refusal(outcome, adm, ep, ctx, plan, nonce_evidence, call)
                    limit_headers = []
                assert failure is not None
                if reply.stream is not None:
                    reply.stream.close("ForceDisconnect")
                reply = Reply(failure.status, failure.body, dict(failure.headers), failure.content_type)
                payload = answer.encode(reply.body)

        if dropping:
            if reply.stream is not None:
                reply.stream.close("ForceDisconnect")
            await fault_strikes.drop(scope, send)
            note = "committed then dropped"
            dropped = journal_entry.build(sim, req, ep, ctx, reply, failure, txid, 0.0, note, struck)
            journal_entry.record(sim, dropped)
            return True
        headers = answer.headers(reply, payload, ctx, limit_headers, txid, elapsed_ms)
        # Recorded before answering: a client that has its answer finds the evidence, on any worker.
        if not journaled:
            entry = journal_entry.build(sim, req, ep, ctx, reply, failure, txid, elapsed_ms, fault_id=struck)
            if self.journal_async is not None:
                await journal_entry.record_async(sim, self.journal_async, entry)
            else:
                journal_entry.record(sim, entry, count=True)
        if reply.stream is not None:  # a long-lived answer: headers now, the body as it comes
            headers = [h for h in headers if h[0] != b"content-length"]
            await send({"type": "http.response.start", "status": reply.status, "headers": headers})
            await streaming.serve(reply.stream, scope, receive, send)
            return True
        await send({"type": "http.response.start", "status": reply.status, "headers": headers})
        await send({"type": "http.response.body", "body": payload})
        return True

    # admission -----------------------------------------------------------------
    async def _admit(
        self,
        adm: Admission,
        ep: Endpoint,
        ctx: AuthContext,
        plan: tuple,
        nonce_evidence: dict,
        call: Call,
    ) -> list[tuple[bytes, bytes]]:
        """Admit a write before its handler: its rate-limit headers, or the refusal raised."""
        outcome = await self.admit_async(adm) if self.admit_async is not None else self.sim.store.admit(adm)
        if outcome.refused == STALE:
            self.sim.adopt(outcome.control)
            raise _Stale
        if outcome.refused is not None:
            raise self._refusal(outcome, adm, ep, ctx, plan, nonce_evidence, call)
        if ctx.app is not None and ctx.user is not None:
            self.sim.findings.acting_for(ctx.app, ctx.user)
        return limits.headers(plan, outcome.states)

    def _refusal(
        self,
        outcome: Admitted,
        adm: Admission,
        ep: Endpoint | None,
        ctx: AuthContext | None,
        plan: tuple,
        nonce_evidence: dict,
        call: Call | None,
    ) -> errors.XError:
        assert ep is not None and ctx is not None
        if outcome.refused == NONCE:
            return nonce_refused(ep, nonce_evidence)
        if outcome.refused == LIMITED:
            return limits.refusal(self.sim, ep, ctx, plan, adm.buckets, outcome.states, adm.now)
        assert call is not None
        err = billing.depleted(call)
        if plan:
            err.headers.update({k.decode(): v.decode() for k, v in limits.headers(plan, outcome.states)})
        return err


class _Stale(Exception):
    """The request ran on a shared clock or settings another process has since moved."""


def _impressions(sim: Simulator, seen: impressions.Watch | None, req: XRequest, reply: Reply) -> None:
    if reply.status == 200 and seen is not None and (seen.shown or seen.denied):
        impressions.finish(sim.store, seen, req.method, reply.body, lambda: "ids" if req.arg("ids") else "id")


async def _read_body(receive: Any, limit: int, message: dict) -> tuple[bytes, bool]:
    """The body from `message`, the first received, and as many more as follow it."""
    chunks: list[bytes] = []
    size = 0
    while True:
        if message["type"] == "http.disconnect":
            break
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > limit:
            return b"", True
        if chunk:
            chunks.append(chunk)
        if not message.get("more_body", False):
            break
        message = await receive()
    return b"".join(chunks), False

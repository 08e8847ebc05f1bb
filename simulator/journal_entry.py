"""A request's journal entry: what it asked, who asked, what it was answered, and recording it."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from xmock.simulator import errors
from xmock.simulator.redact import fingerprint, redact_params

if TYPE_CHECKING:
    from xmock.simulator.auth import AuthContext
    from xmock.simulator.core import Simulator
    from xmock.simulator.endpoints import Endpoint
    from xmock.simulator.xrequest import Reply, XRequest

log = logging.getLogger("xmock.surface")


def build(
    sim: Simulator,
    req: XRequest,
    ep: Endpoint | None,
    ctx: AuthContext | None,
    reply: Reply,
    failure: errors.XError | None,
    txid: str,
    elapsed_ms: float,
    fault: str | None = None,
    fault_id: str | None = None,
) -> dict[str, Any]:
    """The entry: the request with its credentials' values redacted, who made it, the answer's status, the error
    and its diagnosis if any, the handler's notes, and the fault rule that struck."""
    try:
        query = redact_params(req.query) if req.query_string else {}
    except errors.XError:
        query = {"(unparseable)": ""}
    app = user = scheme = token = None
    if ctx is not None:
        app, user, scheme, token = ctx.app, ctx.user, ctx.scheme, fingerprint(ctx.credential)
    headers = req.headers
    entry: dict[str, Any] = {
        "id": txid,
        "time": sim.clock.now(),
        "method": req.method,
        "host": headers.get("x-forwarded-host") or headers.get("host", ""),
        "path": req.path,
        "query": query,
        "endpoint": ep.name if ep is not None else None,
        "status": reply.status,
        "auth": scheme,
        "app_id": app.id if app is not None else None,
        "account_id": app.account_id if app is not None else None,
        "user_id": user.id if user is not None else None,
        "token_fingerprint": token,
        "duration_ms": round(elapsed_ms, 3),
        "worker": sim.worker_id,  # the process that answered (its snowflake worker id)
    }
    body = req.body
    if body:  # a reference now, cut to the setting; decoded and redacted when read (journal_body)
        cap = sim.settings.journal_body_bytes
        if cap:
            size = len(body)
            entry["body"] = body if size <= cap else body[:cap]
            entry["body_size"] = size
            entry["content_type"] = headers.get("content-type", "")
    if failure is not None:
        entry["error"] = failure.reason
        if failure.evidence:
            entry["diagnosis"] = failure.evidence
            entry["app_id"] = entry["app_id"] or failure.evidence.get("app_id")
            entry["user_id"] = entry["user_id"] or failure.evidence.get("user_id")
    if reply.note:
        entry.update(reply.note)
    if fault is not None:
        entry["fault"] = fault
    if fault_id is not None:  # the rule that struck (its status, latency or drop), for whoever watches it
        entry["fault_id"] = fault_id
    return entry


def record(sim: Simulator, entry: dict[str, Any], count: bool = False) -> None:
    """Keep the entry; a store that fails loses it, with a warning, but never the answer."""
    try:
        sim.store.append_journal(entry, count=count)
    except sim.store.unavailable:
        log.warning("store unreachable: journal entry %s lost", entry["id"])
    except Exception:  # evidence lost is bad; an unanswered request is worse
        log.exception("journal entry %s could not be recorded", entry["id"])


async def record_async(sim: Simulator, append: Any, entry: dict[str, Any]) -> None:
    """`record`, through a shared store's awaited `append_journal_async`."""
    try:
        await append(entry, count=True)
    except sim.store.unavailable:
        log.warning("store unreachable: journal entry %s lost", entry["id"])
    except Exception:  # evidence lost is bad; an unanswered request is worse
        log.exception("journal entry %s could not be recorded", entry["id"])

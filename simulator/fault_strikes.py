"""A fault rule striking a request: its latency, its status, or a dropped connection."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any

from xmock.simulator import errors

if TYPE_CHECKING:
    from xmock.simulator import faults
    from xmock.simulator.auth import AuthContext
    from xmock.simulator.core import Simulator
    from xmock.simulator.endpoints import Endpoint


async def strike(
    sim: Simulator, ep: Endpoint, ctx: AuthContext | None, fault: faults.Fault, scope: dict, send: Any
) -> bool:
    """Apply a fault's latency, status or drop; True when the connection was dropped."""
    if fault.latency_ms:
        await asyncio.sleep(fault.latency_ms / 1000)
    if fault.action == "status" and fault.status is not None:
        raise injected(sim, ep, fault.status)
    if fault.action == "drop":
        await drop(scope, send)
        return True
    return False


def injected(sim: Simulator, ep: Endpoint, status: int) -> errors.XError:
    err = errors.injected(status, ep.surface)
    if status == 429:
        # A 429 always says when to come back; tweepy retries forever without it.
        reset = str(int(sim.clock.now()) + 60)
        err.headers.update({"x-rate-limit-limit": "0", "x-rate-limit-remaining": "0", "x-rate-limit-reset": reset})
        err.evidence = {"rate_class": ep.rate_class, "who": "user", "reset": int(reset), "injected": True}
    return err


class ConnectionDropped(Exception):
    """Raised where the server cannot close the connection itself; the client sees a failed request."""


async def drop(scope: dict, send: Any) -> None:
    """Close the connection without an answer (the xmock server offers this as an ASGI extension)."""
    drop = scope.get("extensions", {}).get("xmock.drop")
    if drop is None:
        raise ConnectionDropped("fault injection dropped the connection")
    drop()
    await asyncio.sleep(0)  # let the server see the connection lost before the app returns

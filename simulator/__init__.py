"""xmock's simulator: a fake X API server that answers as X does.

`Clock`, `Settings` and `Simulator` are imported on first use, so loading a submodule (the pytest plugin
loads in every pytest run) does not import the whole simulator.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from xmock.simulator.clock import Clock
    from xmock.simulator.config import Settings
    from xmock.simulator.core import Simulator

__all__ = ["Clock", "Settings", "Simulator"]

_WHERE = {"Clock": "xmock.simulator.clock", "Settings": "xmock.simulator.config", "Simulator": "xmock.simulator.core"}


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module 'xmock.simulator' has no attribute {name!r}")
    return getattr(import_module(module), name)

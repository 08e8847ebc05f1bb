"""xmock: a high-fidelity simulator of the X API and a test harness around it.

The main API lives here; the rest is under `xmock.simulator`, `xmock.adapters`,
`xmock.scenarios` and `xmock.loadtests`. Names are imported on first use: pytest loads xmock's
plugin in every run, and a run that uses no xmock fixture should not pay for the simulator.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from xmock.simulator.arrange import XUser
    from xmock.simulator.clock import Clock
    from xmock.simulator.config import Settings
    from xmock.simulator.core import Simulator
    from xmock.simulator.interception import MockX, mock_x
    from xmock.simulator.models import App, OAuth1Token, OAuth2Token, User
    from xmock.simulator.pytest_plugin import XSim
    from xmock.simulator.server import ServerThread
    from xmock.simulator.time_travel import TimeTravel

_WHERE = {
    "App": "xmock.simulator.models",
    "Clock": "xmock.simulator.clock",
    "MockX": "xmock.simulator.interception",
    "OAuth1Token": "xmock.simulator.models",
    "OAuth2Token": "xmock.simulator.models",
    "ServerThread": "xmock.simulator.server",
    "Settings": "xmock.simulator.config",
    "Simulator": "xmock.simulator.core",
    "TimeTravel": "xmock.simulator.time_travel",
    "User": "xmock.simulator.models",
    "XSim": "xmock.simulator.pytest_plugin",
    "XUser": "xmock.simulator.arrange",
    "mock_x": "xmock.simulator.interception",
}

__all__ = [
    "App",
    "Clock",
    "MockX",
    "OAuth1Token",
    "OAuth2Token",
    "ServerThread",
    "Settings",
    "Simulator",
    "TimeTravel",
    "User",
    "XSim",
    "XUser",
    "__version__",
    "mock_x",
]


def __getattr__(name: str) -> Any:
    if name == "__version__":
        from importlib.metadata import PackageNotFoundError, version

        try:
            return version("xmock")
        except PackageNotFoundError:  # imported from a source tree that was never installed
            return "0+unknown"
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module 'xmock' has no attribute {name!r}")
    value = getattr(import_module(module), name)
    globals()[name] = value  # looked up once
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *_WHERE, "__version__"])

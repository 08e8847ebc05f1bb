"""xmock: a high-fidelity simulator of the X API and a test harness around it.

The main API lives here; the rest is under `xmock.simulator`, `xmock.adapters`,
`xmock.scenarios` and `xmock.loadtests`.
"""

from importlib.metadata import PackageNotFoundError, version

from xmock.simulator.clock import Clock
from xmock.simulator.config import Settings
from xmock.simulator.core import Simulator
from xmock.simulator.interception import MockX, mock_x
from xmock.simulator.models import App, OAuth1Token, OAuth2Token, User
from xmock.simulator.pytest_plugin import XSim, XUser
from xmock.simulator.server import ServerThread
from xmock.simulator.time_travel import TimeTravel

try:
    __version__ = version("xmock")
except PackageNotFoundError:  # imported from a source tree that was never installed
    __version__ = "0+unknown"

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

"""xmock's simulator: a fake X API server that answers as X does."""

from xmock.simulator.clock import Clock
from xmock.simulator.config import Settings
from xmock.simulator.core import Simulator

__all__ = ["Clock", "Settings", "Simulator"]

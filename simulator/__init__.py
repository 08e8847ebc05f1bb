"""xmock's simulator: a fake X API server that answers as X does."""

from simulator.clock import Clock
from simulator.config import Settings
from simulator.core import Simulator

__all__ = ["Clock", "Settings", "Simulator"]

"""Certification scenarios run one at a time in a pytest session (`xmock_certification` fixture)."""

from __future__ import annotations

from typing import Any


class Certification:
    """Runs certification scenarios against the adapter chosen on the command line."""

    def __init__(
        self, adapter: str, options: dict[str, str], simulator_url: str, control_token: str | None = None
    ) -> None:
        from xmock.scenarios.control import Control
        from xmock.scenarios.runner import bundled_factory

        self.adapter = adapter
        self.factory = bundled_factory(adapter, options)
        self.control = Control(simulator_url, control_token)
        self.seen: Any = None

    def run(self, scenario: Any) -> Any:
        from xmock.scenarios.probe import probe
        from xmock.scenarios.runner import run_scenario

        if self.seen is None:  # what the provider does, found out once for the session
            self.seen = probe(self.factory, self.control)
        return run_scenario(scenario, self.factory, self.control, self.seen)

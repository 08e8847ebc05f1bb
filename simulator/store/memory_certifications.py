"""The in-memory store's certification runs: the reports of runs the simulator took part in.

Not world state: they outlive a reset (a certification run resets the world before each scenario) and stay
out of snapshots."""

from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Any

CERTIFICATIONS_KEPT = 50  # the newest runs; an HTML report is tens of kilobytes


class CertificationTables:
    """Part of MemoryStore; its table is made once, in `MemoryStore.__init__`, and never reset."""

    _lock: threading.RLock
    _certifications: OrderedDict[str, tuple[dict[str, Any], str]]

    def add_certification(self, summary: dict[str, Any], html: str) -> None:
        with self._lock:
            self._certifications.pop(summary["run_id"], None)
            self._certifications[summary["run_id"]] = (dict(summary), html)
            while len(self._certifications) > CERTIFICATIONS_KEPT:
                self._certifications.popitem(last=False)

    def certifications(self) -> list[dict[str, Any]]:
        with self._lock:
            return [dict(summary) for summary, _ in reversed(self._certifications.values())]

    def certification_report(self, run_id: str) -> str | None:
        with self._lock:
            found = self._certifications.get(run_id)
            return None if found is None else found[1]

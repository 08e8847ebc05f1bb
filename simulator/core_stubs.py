"""The simulator's control operations on stubs, and the check for stubs and fault rules a test declared
and never used (beside core.py)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from xmock.simulator import stubs

if TYPE_CHECKING:
    from xmock.simulator.ids import Randomness
    from xmock.simulator.store import Store


class StubOperations:
    """Part of Simulator."""

    store: Store
    random: Randomness

    def add_stub(self, **stub: Any) -> dict[str, Any]:
        """Answer requests that match with `status`, `body` and `headers` (simulator.stubs); the stub as kept."""
        checked = stubs.validate(stub)
        checked["id"] = self.random.hex(8)
        self.store.add_stub(checked)
        return checked

    def list_stubs(self) -> list[dict[str, Any]]:
        return self.store.list_stubs()

    def remove_stub(self, stub_id: str) -> bool:
        return self.store.remove_stub(stub_id)

    def clear_stubs(self) -> None:
        for stub in self.store.list_stubs():
            self.store.remove_stub(stub["id"])

    def unused(self) -> dict[str, list[dict[str, Any]]]:
        """Stubs that never answered and fault rules that never struck, leaving out those declared with
        `required=False`."""
        return {
            "stubs": [s for s in self.store.list_stubs() if s.get("required", True) and not s.get("applied")],
            "faults": [f for f in self.store.list_faults() if f.get("required", True) and not f.get("applied")],
        }

    def unused_report(self) -> str | None:
        """What `unused()` finds, as a test failure says it; None when everything declared was used."""
        found = self.unused()
        lines = [f"  stub {stubs.describe(s)}" for s in found["stubs"]]
        lines += [f"  fault rule {stubs.describe(f)}" for f in found["faults"]]
        if not lines:
            return None
        return (
            "declared but never used (no request matched; pass required=False to allow this):\n" + "\n".join(lines)
        )

"""The simulator's control operations on its audience: simulated users acting on the accounts under test
on the simulator clock (simulator/audience.py does the acting)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from xmock.simulator.audience import Audience
from xmock.simulator.control.errors import check_encodable

if TYPE_CHECKING:
    from xmock.simulator.clock import Clock


class AudienceOperations:
    """Part of Simulator."""

    clock: Clock

    @property
    def audience(self) -> Audience:
        """The scheduler of this simulator's audience plans, made on first use."""
        found = self.__dict__.get("_audience")
        if found is None:
            found = self.__dict__["_audience"] = Audience(self)  # type: ignore[arg-type]
        return found

    def add_audience(self, **plan: Any) -> dict[str, Any]:
        """Start an audience plan: `targets` (user ids), `rates` ({kind: actions per simulated minute}),
        `texts`, `users` (how many members), `seed`, `duration`, `max_actions`, `events` (a script of
        {"at": "+30s", "kind", "by"?, "to", "text"?}). Kinds: mention, reply, quote, like, repost, follow, dm,
        and space (a member hosts a Space: no `to`; `text` its title, `starts_in`, `lasts`).
        Answers the plan as `audience_plan(id)` does."""
        check_encodable(plan)
        return self.audience.add(plan)

    def audience_plan(self, plan_id: str) -> dict[str, Any]:
        """One plan: its members, counts per kind, whether it is still active, its last actions."""
        return self.audience.describe(str(plan_id))

    def audience_plans(self) -> list[dict[str, Any]]:
        return self.audience.all()

    def stop_audience(self, plan_id: str | None = None) -> int:
        """Stop one plan, or every plan; what they did stays done. Answers how many stopped."""
        return self.audience.remove(None if plan_id is None else str(plan_id))

    def run_audience(self) -> int:
        """Perform the actions due at the clock's time now (moving the clock does this by itself)."""
        return self.audience.run_due()

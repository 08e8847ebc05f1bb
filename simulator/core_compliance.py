"""The simulator's control operations for batch compliance: take accounts down (suspend, deactivate) or
restore them, and read a compliance job as its app sees it (with the result lines once complete)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from xmock.simulator import account_states, compliance
from xmock.simulator.control.errors import ControlError, unknown_name

if TYPE_CHECKING:
    from xmock.simulator.clock import Clock
    from xmock.simulator.core import Simulator
    from xmock.simulator.models import User
    from xmock.simulator.store import Store

ACCOUNT_STATES = (account_states.ACTIVE, *account_states.STATES)


class ComplianceOperations:
    """Part of Simulator."""

    store: Store
    clock: Clock

    if TYPE_CHECKING:

        def user(self, user_id: str) -> User: ...

    def _compliance_sim(self) -> Simulator:
        return cast("Simulator", self)

    def set_account_state(self, user_id: str, state: str) -> dict[str, Any]:
        """Suspend ("suspended"), deactivate ("deactivated") or restore ("active") an account. Batch
        compliance reports its posts and the account itself from then on."""
        if state not in ACCOUNT_STATES:
            raise unknown_name("state", state, ACCOUNT_STATES)
        user = self.user(str(user_id))
        account_states.set_state(self.store, user.id, state, self.clock.now())
        return self.account_state(user.id)

    def account_state(self, user_id: str) -> dict[str, Any]:
        user = self.user(str(user_id))
        down = account_states.state_of(self.store, user.id)
        if down is None:
            return {"user_id": user.id, "state": account_states.ACTIVE, "since": None}
        return {"user_id": user.id, "state": down[0], "since": down[1]}

    def compliance_job(self, job_id: str) -> dict[str, Any]:
        """A job as its app sees it (URLs on api.x.com), its ids, and its result lines once complete."""
        sim = self._compliance_sim()
        job = compliance.load(sim, str(job_id))
        if job is None:
            raise ControlError(404, f"no compliance job {job_id}")
        shown = compliance.public(sim, job, "https://api.x.com")
        results = compliance.results(sim, job) if shown["status"] == "complete" else None
        return {"job": shown, "app_id": job.app_id, "ids": job.ids, "results": results}

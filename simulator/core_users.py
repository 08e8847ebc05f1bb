"""The simulator's control operations on users' standing in the world: affiliations with organisations."""

from __future__ import annotations

from typing import TYPE_CHECKING

from xmock.simulator.control.errors import ControlError, check_bool
from xmock.simulator.relations import AFFILIATIONS

if TYPE_CHECKING:
    from xmock.simulator.clock import Clock
    from xmock.simulator.models import User
    from xmock.simulator.store import Store


class UserOperations:
    """Part of Simulator."""

    store: Store
    clock: Clock

    if TYPE_CHECKING:

        def user(self, user_id: str) -> User: ...

    def affiliate(self, user_id: str, organization_id: str, affiliated: bool = True) -> bool:
        """Make (or end) a user's affiliation with an organisation account; True if that changed anything.
        The user then shows in `GET /2/users/{organization_id}/affiliates` and carries `affiliation.user_id`."""
        check_bool("affiliated", affiliated)
        user, org = self.user(user_id), self.user(organization_id)
        if user.id == org.id:
            raise ControlError(400, "an account cannot be affiliated with itself")
        return self.store.set_edge(AFFILIATIONS, user.id, org.id, affiliated, self.clock.now())

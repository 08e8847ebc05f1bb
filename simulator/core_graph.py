"""The simulator's control operations on the social graph: follows, follow requests, blocks, mutes.

They change the graph through graph_rules, so X's rules hold here as on the X surface (a refusal is a
ControlError 409 instead of X's 403).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from xmock.simulator.control.errors import ControlError, check_bool
from xmock.simulator.relations import BLOCKS, FOLLOW_REQUESTS, FOLLOWS, MUTES
from xmock.simulator.resources import graph_rules

if TYPE_CHECKING:
    from xmock.simulator.clock import Clock
    from xmock.simulator.models import User
    from xmock.simulator.store import Store


class GraphOperations:
    """Part of Simulator."""

    store: Store
    clock: Clock

    if TYPE_CHECKING:

        def user(self, user_id: str) -> User: ...

    def _pair(self, src: str, dst: str) -> tuple[User, User]:
        return self.user(str(src)), self.user(str(dst))

    def follow(self, src: str, dst: str, *, pending: bool | None = None) -> dict[str, bool]:
        """`src` follows `dst`; a protected `dst` gets a follow request instead, as on X (`pending`
        False follows a protected account outright, True only asks)."""
        if pending is not None:
            check_bool("pending", pending)
        a, b = self._pair(src, dst)
        try:
            following, requested = graph_rules.follow(self.store, a.id, b, self.clock.now(), pending)
        except graph_rules.GraphRefusal as exc:
            raise ControlError(409, str(exc)) from None
        return {"following": following, "pending_follow": requested}

    def unfollow(self, src: str, dst: str) -> None:
        """Stop following, or withdraw a pending request."""
        a, b = self._pair(src, dst)
        graph_rules.unfollow(self.store, a.id, b.id, self.clock.now())

    def accept_follow_request(self, user: str, requester: str) -> None:
        self._answer(user, requester, True)

    def deny_follow_request(self, user: str, requester: str) -> None:
        self._answer(user, requester, False)

    def _answer(self, user: str, requester: str, accept: bool) -> None:
        a, b = self._pair(user, requester)
        if not graph_rules.answer_request(self.store, a.id, b.id, accept, self.clock.now()):
            raise ControlError(404, f"no pending follow request from user {b.id} to user {a.id}")

    def block(self, src: str, dst: str) -> None:
        """`src` blocks `dst`: follows and requests between them go, both ways."""
        a, b = self._pair(src, dst)
        try:
            graph_rules.block(self.store, a.id, b.id, self.clock.now())
        except graph_rules.GraphRefusal as exc:
            raise ControlError(409, str(exc)) from None

    def unblock(self, src: str, dst: str) -> None:
        a, b = self._pair(src, dst)
        graph_rules.unblock(self.store, a.id, b.id, self.clock.now())

    def mute(self, src: str, dst: str) -> None:
        a, b = self._pair(src, dst)
        try:
            graph_rules.mute(self.store, a.id, b.id, self.clock.now())
        except graph_rules.GraphRefusal as exc:
            raise ControlError(409, str(exc)) from None

    def unmute(self, src: str, dst: str) -> None:
        a, b = self._pair(src, dst)
        graph_rules.unmute(self.store, a.id, b.id, self.clock.now())

    def graph(self, user_id: str) -> dict[str, Any]:
        """One user's graph, newest first: who they follow, their followers, pending requests both ways,
        whom they block and mute."""
        uid = self.user(str(user_id)).id
        s = self.store

        def ids(edges: list[tuple[str, float]]) -> list[str]:
            return [node for node, _ in edges]

        return {
            "user_id": uid,
            "following": ids(s.edges_from(FOLLOWS, uid)),
            "followers": ids(s.edges_to(FOLLOWS, uid)),
            "follow_requests_sent": ids(s.edges_from(FOLLOW_REQUESTS, uid)),
            "follow_requests_received": ids(s.edges_to(FOLLOW_REQUESTS, uid)),
            "blocking": ids(s.edges_from(BLOCKS, uid)),
            "muting": ids(s.edges_from(MUTES, uid)),
        }

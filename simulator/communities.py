"""Communities: records in the store's `communities` table, indexed by a COMMUNITIES edge from "*" (the search
index); members are COMMUNITY_MEMBERS edges, so `member_count` is counted, never stored."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from xmock.simulator.relations import COMMUNITIES, COMMUNITY_MEMBERS

if TYPE_CHECKING:
    from xmock.simulator.core import Simulator

TABLE = "communities"
INDEX = "*"
# X's values (the web client's): who may see a community's posts, and how one joins it.
ACCESS = ("Public", "Closed")
JOIN_POLICIES = ("Open", "RestrictedJoinRequestsRequireAdminApproval", "RestrictedJoinRequestsRequireModeratorApproval")


def create(
    sim: Simulator, creator_id: str, name: str, description: str, access: str = "Public", join_policy: str = "Open"
) -> dict[str, Any]:
    """A community made now by `creator_id`, who is its first member."""
    now = sim.clock.now()
    record = {
        "id": sim.ids.next_id(),
        "name": name,
        "description": description,
        "access": access,
        "join_policy": join_policy,
        "creator_id": creator_id,
        "created_at": now,
    }
    sim.store.put_record(TABLE, record["id"], record)
    sim.store.set_edge(COMMUNITIES, INDEX, record["id"], True, now)
    sim.store.set_edge(COMMUNITY_MEMBERS, record["id"], creator_id, True, now)
    return record


def get(sim: Simulator, community_id: str) -> dict[str, Any] | None:
    return sim.store.get_record(TABLE, community_id)


def join(sim: Simulator, community_id: str, user_id: str) -> bool:
    return sim.store.set_edge(COMMUNITY_MEMBERS, community_id, user_id, True, sim.clock.now())


def index(sim: Simulator) -> list[tuple[str, float]]:
    """Every community as (id, created_at), newest first."""
    return sim.store.edges_from(COMMUNITIES, INDEX)


def member_count(sim: Simulator, community_id: str) -> int:
    return sim.store.count_edges(COMMUNITY_MEMBERS, community_id)

"""Spaces: records in the store's "spaces" table, indexed by edges (SPACES_CREATED from the creator and from
"*", SPACE_BUYERS, SPACE_POSTS).

A Space's state is never stored: it is read from the clock and the Space's times, so moving the clock moves it
(no timers). Before its start (`started_at`, else `scheduled_start`) a Space is scheduled, from it live, and from
`ended_at` ended. The control API, `Simulator` methods and the audience create Spaces through `create`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from xmock.simulator.relations import SPACE_POSTS, SPACES_CREATED

if TYPE_CHECKING:
    from xmock.simulator.core import Simulator
    from xmock.simulator.models import Post
    from xmock.simulator.store import Store

TABLE = "spaces"
EVERY = "*"  # the SPACES_CREATED source that indexes every Space (search)
STATES = ("live", "scheduled", "ended")
URL_MARKERS = ("x.com/i/spaces/", "twitter.com/i/spaces/")  # a post linking a Space is shared in it


def start_of(space: dict[str, Any]) -> float | None:
    started = space.get("started_at")
    return started if started is not None else space.get("scheduled_start")


def state(space: dict[str, Any], now: float) -> str:
    ended, start = space.get("ended_at"), start_of(space)
    if ended is not None and now >= ended:
        return "ended"
    if start is not None and now >= start:
        return "live"
    return "scheduled"


def updated_at(space: dict[str, Any], now: float) -> float:
    """The last change the clock has reached: made, started, ended."""
    moments = [space["created_at"], space.get("updated_at") or space["created_at"]]
    for key in ("ended_at",):
        if space.get(key) is not None and now >= space[key]:
            moments.append(space[key])
    start = start_of(space)
    if start is not None and now >= start:
        moments.append(start)
    return max(moments)


def new_id(sim: Simulator) -> str:
    """X's Space ids: 13 letters and digits, starting with 1 (e.g. 1YqGodQbNXDxv)."""
    while True:
        space_id = "1" + sim.random.token(12)
        if sim.store.get_record(TABLE, space_id) is None:
            return space_id


def create(sim: Simulator, space: dict[str, Any]) -> dict[str, Any]:
    """Store a Space record (its id chosen here) and index it by its creator and in "*"."""
    space = {**space, "id": new_id(sim)}
    sim.store.put_record(TABLE, space["id"], space)
    at = space["created_at"]
    sim.store.set_edge(SPACES_CREATED, space["creator_id"], space["id"], True, at)
    sim.store.set_edge(SPACES_CREATED, EVERY, space["id"], True, at)
    return space


def get(store: Store, space_id: str) -> dict[str, Any] | None:
    return store.get_record(TABLE, space_id)


def replace(store: Store, space: dict[str, Any]) -> None:
    store.put_record(TABLE, space["id"], space)


def shared_posts(store: Store, space: dict[str, Any]) -> list[Post]:
    """Posts shared in a Space: those arranged (SPACE_POSTS) and live posts that link it, newest first."""
    found: dict[str, Post] = {}
    for post_id, _ in store.edges_from(SPACE_POSTS, space["id"]):
        post = store.get_post(post_id)
        if post is not None:
            found[post.id] = post
    needles = tuple(marker + space["id"] for marker in URL_MARKERS)
    for post in store.all_posts():
        if post.id not in found and any(n in post.text for n in needles):
            found[post.id] = post
    return sorted(found.values(), key=lambda p: (p.created_at, p.id), reverse=True)

"""News stories: records in the store's `news` table, indexed by a NEWS_STORIES edge from "*" stamped with the
story's `updated_at` (newest first, and `max_age_hours` reads the stamp). A story clusters posts of the world."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from xmock.simulator.relations import NEWS_STORIES

if TYPE_CHECKING:
    from xmock.simulator.core import Simulator

TABLE = "news"
INDEX = "*"


def create(
    sim: Simulator,
    name: str,
    *,
    category: str,
    hook: str,
    summary: str,
    disclaimer: str,
    keywords: list[str],
    post_ids: list[str],
    topics: list[str],
) -> dict[str, Any]:
    """A story updated now, clustering `post_ids` (posts that exist)."""
    now = sim.clock.now()
    record = {
        "id": sim.ids.next_id(),
        "name": name,
        "category": category,
        "hook": hook,
        "summary": summary,
        "disclaimer": disclaimer,
        "keywords": list(keywords),
        "post_ids": list(post_ids),
        "topics": list(topics),
        "updated_at": now,
    }
    sim.store.put_record(TABLE, record["id"], record)
    sim.store.set_edge(NEWS_STORIES, INDEX, record["id"], True, now)
    return record


def get(sim: Simulator, story_id: str) -> dict[str, Any] | None:
    return sim.store.get_record(TABLE, story_id)


def index(sim: Simulator) -> list[tuple[str, float]]:
    """Every story as (id, updated_at), newest first."""
    return sim.store.edges_from(NEWS_STORIES, INDEX)

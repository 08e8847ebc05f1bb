"""Community Notes: notes written by AI Note Writers (records in the `notes` table; NOTES_WRITTEN edges from the
writer, POST_NOTES edges from the noted post), their status moving on the clock, and the claim-opinion score.

A note needs more ratings for `Settings.note_rating_seconds`; then it is rated helpful when it cites trustworthy
sources and reads as a claim of fact (claim-opinion score below 0.5), not helpful otherwise. X's raters are not
simulated: the rule stands in for them, deterministically, so a test can say which way a note will go.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from xmock.simulator.relations import NOTES_WRITTEN, POST_NOTES

if TYPE_CHECKING:
    from xmock.simulator.core import Simulator

TABLE = "notes"
NEEDS_MORE_RATINGS = "needs_more_ratings"
HELPFUL = "currently_rated_helpful"
NOT_HELPFUL = "currently_rated_not_helpful"
ELIGIBLE_SECONDS = 7 * 24 * 3600  # posts eligible for notes: those of the last week
FEED_SIZES = ("feed_size: small", "feed_size: large")  # `post_selection` (xdk's documentation)
_OPINION = re.compile(
    r"\b(i think|i believe|i feel|in my opinion|imo|obviously|clearly|everyone knows|should|must|terrible|awful"
    r"|amazing|best|worst|stupid|liars?|lies)\b|!",
    re.IGNORECASE,
)
URL_IN_TEXT = re.compile(r"https?://\S+")  # a note must cite one (the spec's pattern)


def claim_opinion_score(text: str) -> float:
    """0 for a plain claim of fact, up to 1 for opinion: opinion markers raise it, a cited URL lowers it."""
    score = 0.15 + 0.2 * len(_OPINION.findall(text)) - (0.1 if URL_IN_TEXT.search(text) else 0.0)
    return round(min(max(score, 0.0), 1.0), 2)


def score_bucket(score: float) -> str:
    return "low" if score < 0.34 else "medium" if score < 0.67 else "high"


def write(sim: Simulator, author_id: str, post_id: str, info: dict[str, Any], test_mode: bool) -> dict[str, Any]:
    now = sim.clock.now()
    record = {
        "id": sim.ids.next_id(),
        "author_id": author_id,
        "post_id": post_id,
        "test_mode": test_mode,
        "text": info["text"],
        "classification": info["classification"],
        "misleading_tags": list(info["misleading_tags"]),
        "trustworthy_sources": info["trustworthy_sources"],
        "is_media_note": info.get("is_media_note", False),
        "claim_opinion_score": claim_opinion_score(info["text"]),
        "created_at": now,
    }
    sim.store.put_record(TABLE, record["id"], record)
    sim.store.set_edge(NOTES_WRITTEN, author_id, record["id"], True, now)
    sim.store.set_edge(POST_NOTES, post_id, record["id"], True, now)
    return record


def get(sim: Simulator, note_id: str) -> dict[str, Any] | None:
    return sim.store.get_record(TABLE, note_id)


def delete(sim: Simulator, note: dict[str, Any]) -> bool:
    sim.store.set_edge(NOTES_WRITTEN, note["author_id"], note["id"], False, 0.0)
    sim.store.set_edge(POST_NOTES, note["post_id"], note["id"], False, 0.0)
    return sim.store.delete_record(TABLE, note["id"])


def written_on(sim: Simulator, author_id: str, post_id: str) -> bool:
    """Whether `author_id` has a note on the post already (one note per writer per post)."""
    mine = {n for n, _ in sim.store.edges_from(NOTES_WRITTEN, author_id)}
    return any(n in mine for n, _ in sim.store.edges_from(POST_NOTES, post_id))


def status(sim: Simulator, note: dict[str, Any]) -> str:
    """Where the note stands now, on the simulator clock."""
    if sim.clock.now() - note["created_at"] < sim.settings.note_rating_seconds:
        return NEEDS_MORE_RATINGS
    if note["trustworthy_sources"] and note["claim_opinion_score"] < 0.5:
        return HELPFUL
    return NOT_HELPFUL

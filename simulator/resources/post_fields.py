"""The post fields the state keeps true: lang, entities with t.co links and mention ids, note_tweet for long
posts, edit history and controls, polls, geo and places, possibly_sensitive, source.

render.py calls `add_fields` for one post and `add_includes` for a page of them; `current` drops the versions an
edit replaced from timelines and search.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from xmock.simulator.clock import iso_utc
from xmock.simulator.lang import detect
from xmock.simulator.models import Place, Poll, Post
from xmock.simulator.relations import EDITS, POLL_VOTES
from xmock.simulator.resources.text import MAX_WEIGHTED_LENGTH, entities, shown, too_long, weighted_length

if TYPE_CHECKING:
    from xmock.simulator.resources.render import Selection
    from xmock.simulator.store import Store

POLL_FIELDS = frozenset(["duration_minutes", "end_datetime", "id", "options", "voting_status"])
PLACE_FIELDS = frozenset(
    ["contained_within", "country", "country_code", "full_name", "geo", "id", "name", "place_type"]
)
EDIT_WINDOW = 3600  # X: a post can be edited for an hour after it was first posted ...
MAX_EDITS = 5  # ... five times
ELLIPSIS = "…"


def display_text(post: Post) -> str:
    """`text` as X shows it: a long post (note_tweet) cut to 280 weighted characters ending in "…"."""
    if not too_long(post.text):
        return shown(post.text)
    return shown(_cut(post.text, MAX_WEIGHTED_LENGTH - 1) + ELLIPSIS)


def _cut(text: str, budget: int) -> str:
    low, high = 0, min(len(text), budget)  # every character weighs at least 1
    while low < high:  # the longest prefix within the budget
        mid = (low + high + 1) // 2
        if weighted_length(text[:mid]) <= budget:
            low = mid
        else:
            high = mid - 1
    return text[:low].rstrip()


def history(post: Post, store: Store) -> list[str]:
    """Every version's id, first to latest (X's `edit_history_tweet_ids`, the same on each version)."""
    root = post.edit_root or post.id
    later = sorted((v for v, _ in store.edges_from(EDITS, root)), key=int)
    return [root, *later]


def edit_eligible(post: Post) -> bool:
    """X does not let reposts, posts with polls or (here) posts with media be edited."""
    return post.reposted_post_id is None and post.poll_id is None and not post.media_ids


def edit_controls(post: Post, versions: list[str], store: Store) -> dict[str, Any]:
    root = store.get_post(versions[0]) if post.edit_root else post
    started = root.created_at if root is not None else post.created_at
    return {
        "edits_remaining": max(0, MAX_EDITS - (len(versions) - 1)),
        "is_edit_eligible": edit_eligible(post),
        "editable_until": iso_utc(started + EDIT_WINDOW),
    }


def current(posts: list[Post]) -> list[Post]:
    """Posts less the versions a later edit among them replaced (timelines show the latest version only)."""
    if not any(p.edit_root for p in posts):
        return posts
    latest: dict[str, Post] = {}
    for post in posts:
        if post.edit_root:
            seen = latest.get(post.edit_root)
            if seen is None or int(post.id) > int(seen.id):
                latest[post.edit_root] = post
    return [p for p in posts if (p.edit_root or p.id) not in latest or latest[p.edit_root or p.id] is p]


def mention_entities(text: str, store: Store) -> dict[str, list[dict]]:
    """`entities` with each mention's user `id` where that user exists."""
    found = entities(text)
    for mention in found.get("mentions", ()):
        user = store.user_by_username(mention["username"])
        if user is not None:
            mention["id"] = user.id
    return found


def add_fields(post: Post, sel: Selection, store: Store, out: dict[str, Any]) -> None:
    """Put the requested post fields of this module into `out`."""
    f = sel.post_fields
    if too_long(post.text):
        out["text"] = display_text(post)
        if "note_tweet" in f or "note_post" in f:
            note: dict[str, Any] = {"text": post.text}
            found = mention_entities(post.text, store)
            if found:
                note["entities"] = found
            out["note_post" if "note_post" in f and "note_tweet" not in f else "note_tweet"] = note
    if len(out["edit_history_tweet_ids"]) == 1 and (post.edit_root or edit_eligible(post)):
        out["edit_history_tweet_ids"] = history(post, store)
    if "edit_controls" in f:
        out["edit_controls"] = edit_controls(post, history(post, store), store)
    if "lang" in f:
        out["lang"] = post.lang or detect(post.text)
    if "entities" in f:
        found = mention_entities(post.text, store)
        if found:
            out["entities"] = found
    if "possibly_sensitive" in f:
        out["possibly_sensitive"] = post.possibly_sensitive
    if "source" in f and post.source:
        out["source"] = post.source
    if "geo" in f and post.place_id:
        out["geo"] = {"place_id": post.place_id}
    if post.poll_id and ("attachments" in f or "attachments.poll_ids" in sel.expansions):
        out.setdefault("attachments", {})["poll_ids"] = [post.poll_id]


def add_includes(posts: list[Post], sel: Selection, store: Store, out: dict[str, list[dict]]) -> None:
    """`includes.polls` and `includes.places` for the posts' expansions."""
    if "attachments.poll_ids" in sel.expansions:
        polls = [store.get_poll(p.poll_id) for p in posts if p.poll_id]
        shown_polls = [render_poll(p, sel.poll_fields, store, sel.now) for p in polls if p is not None]
        if shown_polls:
            out["polls"] = shown_polls
    if "geo.place_id" in sel.expansions:
        ids = list(dict.fromkeys(p.place_id for p in posts if p.place_id))
        places = [store.get_place(i) for i in ids]
        shown_places = [render_place(p, sel.place_fields) for p in places if p is not None]
        if shown_places:
            out["places"] = shown_places


def poll_votes(poll: Poll, store: Store) -> list[int]:
    return [store.count_edges(POLL_VOTES, f"{poll.id}:{n}", incoming=True) for n in range(1, len(poll.options) + 1)]


def voting_status(poll: Poll, now: float | None) -> str:
    return "closed" if now is not None and now >= poll.ends_at else "open"


def render_poll(poll: Poll, fields: frozenset[str], store: Store, now: float | None) -> dict[str, Any]:
    """A poll as X shows it: `id` and `options` always, the rest when asked for."""
    votes = poll_votes(poll, store)
    out: dict[str, Any] = {
        "id": poll.id,
        "options": [
            {"position": n, "label": label, "votes": votes[n - 1]} for n, label in enumerate(poll.options, start=1)
        ],
    }
    if "duration_minutes" in fields:
        out["duration_minutes"] = poll.duration_minutes
    if "end_datetime" in fields:
        out["end_datetime"] = iso_utc(poll.ends_at)
    if "voting_status" in fields:
        out["voting_status"] = voting_status(poll, now)
    return dict(sorted(out.items()))


def render_place(place: Place, fields: frozenset[str]) -> dict[str, Any]:
    """A place as X shows it: `id` and `full_name` always, the rest when asked for."""
    out: dict[str, Any] = {"id": place.id, "full_name": place.full_name}
    if "name" in fields:
        out["name"] = place.name
    if "country" in fields:
        out["country"] = place.country
    if "country_code" in fields:
        out["country_code"] = place.country_code
    if "place_type" in fields:
        out["place_type"] = place.place_type
    if "contained_within" in fields and place.contained_within:
        out["contained_within"] = list(place.contained_within)
    if "geo" in fields and len(place.bbox) == 4:
        out["geo"] = {"type": "Feature", "bbox": list(place.bbox), "properties": {}}
    return dict(sorted(out.items()))

"""Community Notes for AI Note Writers: write a note, delete it, list the notes written, find the posts eligible
for notes, and evaluate a note's text (its claim-opinion score).

`test_mode` notes are kept apart from live ones: notes_written lists the one kind asked for. A writer has one note
per post. A note's status moves on the clock (simulator/notes.py). Eligible posts are the public original posts of
the last week by others that the writer has not noted, newest first.
"""

from __future__ import annotations

from typing import Any

from xmock.simulator import errors, notes
from xmock.simulator.models import Post
from xmock.simulator.pipeline import Call
from xmock.simulator.relations import NOTES_WRITTEN
from xmock.simulator.resources import paging, render
from xmock.simulator.resources.lists import path_id
from xmock.simulator.resources.params import missing
from xmock.simulator.xrequest import Reply

NOTE_FIELDS = frozenset(["id", "info", "scoring_status", "status", "test_result"])
DEFAULT_FIELDS = ("id", "info", "status")


def _test_mode(call: Call) -> bool:
    return (call.req.arg("test_mode") or "").lower() == "true"  # request_rules refused all but true/false spellings


def render_note(call: Call, note: dict[str, Any]) -> dict[str, Any]:
    asked = render.listed(call.req, ("note.fields",), NOTE_FIELDS)
    fields = {"id", *asked} if asked else set(DEFAULT_FIELDS)
    status = notes.status(call.sim, note)
    out: dict[str, Any] = {}
    for name in sorted(fields):
        if name == "info":
            out[name] = {
                "classification": note["classification"],
                "misleading_tags": note["misleading_tags"],
                "post_id": note["post_id"],
                "rating_status": status,
                "text": note["text"],
                "trustworthy_sources": note["trustworthy_sources"],
            }
        elif name == "status":
            out[name] = status
        elif name == "scoring_status":
            out[name] = {"has_access": False}  # X's raters and scoring models are not simulated
        elif name == "test_result":
            if note["test_mode"]:
                bucket = notes.score_bucket(note["claim_opinion_score"])
                outcome = [{"evaluator_type": "claim_opinion", "evaluator_score_bucket": bucket}]
                out[name] = {"evaluation_outcome": outcome}
        else:
            out[name] = note[name]
    return out


def create(call: Call) -> Reply:
    """POST /2/notes"""
    body = call.req.json_object()  # checked against CreateCommunityNotesRequest before the handler (body_rules)
    post_id = body["post_id"]
    post = call.sim.store.get_post(post_id)
    if post is None:
        raise missing(call, "tweet", "post_id", post_id)
    if post.author_id == call.user.id:
        raise errors.forbidden_because("You cannot write a Community Note on your own post.", "own post")
    if notes.written_on(call.sim, call.user.id, post.id):
        raise errors.forbidden_because("You have already written a Community Note on this post.", "noted already")
    note = notes.write(call.sim, call.user.id, post.id, body["info"], body["test_mode"])
    return Reply(201, {"data": {"id": note["id"]}}, note={"resource_ids": [note["id"], post.id]})


def delete(call: Call) -> Reply:
    """DELETE /2/notes/{id}"""
    note_id = path_id(call, "id")
    note = notes.get(call.sim, note_id)
    if note is None:
        raise missing(call, "note", "id", note_id)
    if note["author_id"] != call.user.id:
        raise errors.forbidden_because("You are not allowed to delete this Community Note.", "not the writer")
    deleted = notes.delete(call.sim, note)
    return Reply(200, {"data": {"deleted": deleted}}, note={"resource_ids": [note_id]})


def evaluate(call: Call) -> Reply:
    """POST /2/notes/evaluate"""
    body = call.req.json_object()  # checked against EvaluateCommunityNotesRequest (body_rules)
    if call.sim.store.get_post(body["post_id"]) is None:
        raise missing(call, "tweet", "post_id", body["post_id"])
    score = notes.claim_opinion_score(body["note_text"])
    return Reply(200, {"data": {"claim_opinion_score": score}}, note={"resource_ids": [body["post_id"]]})


def written(call: Call) -> Reply:
    """GET /2/notes/search/notes_written"""
    test_mode = _test_mode(call)
    mine = []
    for note_id, at in call.sim.store.edges_from(NOTES_WRITTEN, call.user.id):
        note = notes.get(call.sim, note_id)
        if note is not None and note["test_mode"] == test_mode:
            mine.append((note_id, at))
    ids, meta = paging.edge_page(mine, call.req, paging.max_results(call.req, 10))
    data = [render_note(call, n) for n in (notes.get(call.sim, i) for i in ids) if n is not None]
    meta.pop("previous_token", None)  # the spec's meta: result_count and next_token
    return Reply(200, render.envelope(data or None, meta=meta), note={"resource_ids": ids})


def _eligible(call: Call) -> list[Post]:
    sim, me = call.sim, call.user.id
    oldest = sim.clock.now() - notes.ELIGIBLE_SECONDS
    out = []
    for post in sim.store.all_posts():
        if post.created_at < oldest:
            break  # newest first
        if post.author_id == me or post.reposted_post_id is not None or post.in_reply_to_post_id is not None:
            continue
        author = sim.store.get_user(post.author_id)
        if author is None or author.protected or notes.written_on(sim, me, post.id):
            continue
        out.append(post)
    return out


def eligible_posts(call: Call) -> Reply:
    """GET /2/notes/search/posts_eligible_for_notes"""
    req = call.req
    selection = req.arg("post_selection")
    if selection is not None and selection not in notes.FEED_SIZES:
        raise errors.invalid_param(
            "post_selection",
            selection,
            f"The `post_selection` query parameter value [{selection}] is not one of [{','.join(notes.FEED_SIZES)}]",
        )
    _test_mode(call)
    sel = render.selection(req)
    store = call.sim.store
    items, meta = paging.page(_eligible(call), req, paging.max_results(req, 10))
    meta = {k: v for k, v in meta.items() if k in ("result_count", "next_token")}
    data = [render.render_post(p, sel, store) for p in items] or None
    body = render.envelope(data, render.post_includes(items, sel, store), meta=meta)
    return Reply(200, body, note={"resource_ids": [p.id for p in items]})

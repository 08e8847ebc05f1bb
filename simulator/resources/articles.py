"""Articles: write a draft, publish it. A draft belongs to its author: publishing another user's draft (or one
that does not exist) answers X's not-found problem, as drafts are seen by no one else. Publishing makes the post
that carries the article (its title and link, by its author, now); publishing again answers the same post."""

from __future__ import annotations

from xmock.simulator import articles, errors
from xmock.simulator.pipeline import Call
from xmock.simulator.resources.lists import path_id
from xmock.simulator.resources.params import missing
from xmock.simulator.xrequest import Reply


def create_draft(call: Call) -> Reply:
    """POST /2/articles/draft"""
    body = call.req.json_object()  # checked against ArticleCreateDraftRequest before the handler (body_rules)
    media = body.get("cover_media")
    if media is not None and call.sim.store.get_media(media["media_id"]) is None:
        raise errors.invalid_param(
            "cover_media.media_id", media["media_id"], f"Media id {media['media_id']} was not found."
        )
    record = articles.draft(call.sim, call.user.id, body["title"], body["content_state"], media)
    data = {"id": record["id"], "title": record["title"]}
    return Reply(201, {"data": data}, note={"resource_ids": [record["id"]]})


def publish(call: Call) -> Reply:
    """POST /2/articles/{article_id}/publish"""
    article_id = path_id(call, "article_id")
    record = articles.get(call.sim, article_id)
    if record is None or record["author_id"] != call.user.id:
        raise missing(call, "article", "article_id", article_id)
    post_id = articles.publish(call.sim, record, call.auth.app.id if call.auth.app is not None else None)
    return Reply(200, {"data": {"post_id": post_id}}, note={"resource_ids": [article_id, post_id]})

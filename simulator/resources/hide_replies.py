"""PUT /2/tweets/{tweet_id}/hidden: the author of a conversation hides or unhides a reply in it."""

from __future__ import annotations

from xmock.simulator import errors
from xmock.simulator.models import Post
from xmock.simulator.pipeline import Call
from xmock.simulator.relations import HIDDEN_REPLIES
from xmock.simulator.resources.post_lookups import path_post
from xmock.simulator.xrequest import Reply


def conversation_author(call: Call, reply: Post) -> str | None:
    root = call.sim.store.get_post(reply.conversation_id or reply.id)
    return root.author_id if root is not None else None


def hide(call: Call) -> Reply:
    """PUT /2/tweets/{tweet_id}/hidden"""
    reply = path_post(call, "tweet_id")
    hidden: bool = call.req.json_object()["hidden"]  # checked against the spec by the pipeline (body_rules)
    user = call.user
    # Only replies, and only in a conversation the authenticated user started (X: 403).
    if reply.in_reply_to_post_id is None or conversation_author(call, reply) != user.id or reply.author_id == user.id:
        raise errors.forbidden("You can only hide or unhide replies to conversations you authored.")
    call.sim.store.set_edge(HIDDEN_REPLIES, user.id, reply.id, hidden, call.sim.clock.now())
    return Reply(200, {"data": {"hidden": hidden}}, note={"resource_ids": [reply.id]})

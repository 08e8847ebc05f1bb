"""Likes and reposts, acted for the authenticated user only."""

from __future__ import annotations

from xmock.simulator import errors, reposts, tiers
from xmock.simulator.pipeline import Call
from xmock.simulator.relations import LIKES
from xmock.simulator.resources.graph_rules import check_post_not_blocked
from xmock.simulator.resources.params import missing
from xmock.simulator.resources.posts import NUMERIC
from xmock.simulator.xrequest import Reply


def _actor(call: Call) -> str:
    """The `{id}` in the path must be the authenticated user."""
    user_id = call.params["id"]
    if user_id != call.user.id:
        raise errors.forbidden(f"path user {user_id} is not the authenticated user")
    return user_id


def _target(call: Call, value: object, name: str) -> str:
    if not isinstance(value, str) or not NUMERIC.match(value):
        raise errors.invalid_request(f"$.{name}: does not match the regex pattern ^[0-9]{{1,19}}$")
    if call.sim.store.get_post(value) is None:
        raise missing(call, "tweet", name, value)
    return value


def _body_target(call: Call) -> str:
    # The pipeline checked the body against the spec (body_rules): tweet_id is there and well formed.
    return _target(call, call.req.json_object()["tweet_id"], "tweet_id")


def like(call: Call) -> Reply:
    """POST /2/users/{id}/likes"""
    tiers.check_like(call.sim)
    user_id = _actor(call)
    post_id = _body_target(call)
    check_post_not_blocked(call.sim.store, user_id, post_id, "like")
    if call.sim.store.set_edge(LIKES, user_id, post_id, True, call.sim.clock.now()):
        call.sim.findings.engaged(call.auth.app, call.user, post_id, "liked")
    return Reply(200, {"data": {"liked": True}}, note={"resource_ids": [post_id]})


def unlike(call: Call) -> Reply:
    """DELETE /2/users/{id}/likes/{tweet_id}"""
    tiers.check_like(call.sim)
    user_id = _actor(call)
    post_id = _target(call, call.params["tweet_id"], "tweet_id")
    call.sim.store.set_edge(LIKES, user_id, post_id, False, call.sim.clock.now())
    return Reply(200, {"data": {"liked": False}}, note={"resource_ids": [post_id]})


def repost(call: Call) -> Reply:
    """POST /2/users/{id}/retweets: the repost is a post of its own, whose id is `rest_id` (2.167)."""
    user_id = _actor(call)
    post_id = _body_target(call)
    check_post_not_blocked(call.sim.store, user_id, post_id, "repost")
    found = call.sim.store.get_post(post_id)
    if found is None:  # deleted since it was checked
        raise missing(call, "tweet", "tweet_id", post_id)
    source = reposts.original(call.sim, found)
    app = call.auth.app
    post, made = reposts.repost(call.sim, user_id, source, app.id if app else None, app.name if app else "")
    if made:
        call.sim.findings.engaged(app, call.user, source.id, "reposted")
    data = {"rest_id": post.id if post else source.id, "retweeted": True}
    return Reply(200, {"data": data}, note={"resource_ids": [source.id]})


def unrepost(call: Call) -> Reply:
    """DELETE /2/users/{id}/retweets/{source_tweet_id}"""
    user_id = _actor(call)
    post_id = _target(call, call.params["source_tweet_id"], "source_tweet_id")
    reposts.unrepost(call.sim, user_id, post_id)
    return Reply(200, {"data": {"retweeted": False}}, note={"resource_ids": [post_id]})

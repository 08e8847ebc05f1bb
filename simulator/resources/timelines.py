"""Timelines the world's state makes: a user's mentions, the home timeline, reposts of my posts."""

from __future__ import annotations

from xmock.simulator import errors
from xmock.simulator.models import Post
from xmock.simulator.pipeline import Call
from xmock.simulator.relations import BLOCKS, FOLLOWS, MUTES, REPOSTS
from xmock.simulator.resources import mentions as mention_index
from xmock.simulator.resources import paging
from xmock.simulator.resources.posts import excluded, path_user, time_window, timeline_answer
from xmock.simulator.xrequest import Reply

MENTIONS_DEPTH = 800  # X serves a user's 800 most recent mentions
HOME_DEPTH = 3200  # and the 3,200 most recent posts of a home timeline


def mentions(call: Call) -> Reply:
    """GET /2/users/{id}/mentions"""
    user = path_user(call)
    limit = paging.max_results(call.req, 10)
    posts = mention_index.mentioning(call.sim.store, user.id, MENTIONS_DEPTH)
    return timeline_answer(call, time_window(call, posts), limit)


def home(call: Call) -> Reply:
    """GET /2/users/{id}/timelines/reverse_chronological: the user's own posts and those of the accounts
    they follow (reposts included, as posts those accounts made), less muted and blocked accounts."""
    me = call.user
    if call.params["id"] != me.id:
        path_user(call)  # a malformed or unknown id gets X's answer for it first
        raise errors.not_authenticating_user("id", call.params["id"], me.id)
    limit = paging.max_results(call.req, 100)
    store = call.sim.store
    hidden = {other for kind in (MUTES, BLOCKS) for other, _ in store.edges_from(kind, me.id)}
    authors = [me.id] + [other for other, _ in store.edges_from(FOLLOWS, me.id) if other not in hidden]
    posts = [post for author in authors for post in store.posts_by_author(author)]
    posts.sort(key=lambda p: int(p.id), reverse=True)
    posts = excluded(call, time_window(call, posts[:HOME_DEPTH]))
    return timeline_answer(call, posts, limit)


def reposts_of_me(call: Call) -> Reply:
    """GET /2/users/reposts_of_me: the reposts other users made of the authenticated user's posts, newest first."""
    me = call.user
    limit = paging.max_results(call.req, 100)
    store = call.sim.store
    by_reposter: dict[str, list[Post]] = {}
    found: list[Post] = []
    for post in store.posts_by_author(me.id):
        for reposter, _ in store.edges_to(REPOSTS, post.id):
            if reposter not in by_reposter:
                by_reposter[reposter] = [p for p in store.posts_by_author(reposter) if p.reposted_post_id]
            found.extend(p for p in by_reposter[reposter] if p.reposted_post_id == post.id)
    found.sort(key=lambda p: int(p.id), reverse=True)
    reply = timeline_answer(call, found, limit)
    if isinstance(reply.body, dict):  # X's reposts_of_me meta holds the count and tokens only
        reply.body["meta"].pop("newest_id", None)
        reply.body["meta"].pop("oldest_id", None)
    return reply

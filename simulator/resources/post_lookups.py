"""Who engaged with a post, and what a user engaged with: liking users, liked posts, reposted-by,
reposts and quote posts. Likes and reposts are edges with a time, listed newest first."""

from __future__ import annotations

from typing import Any

from xmock.simulator import errors
from xmock.simulator.models import Post, User
from xmock.simulator.pipeline import Call
from xmock.simulator.relations import LIKES, REPOSTED_AS, REPOSTS
from xmock.simulator.resources import paging, render
from xmock.simulator.resources.params import missing
from xmock.simulator.resources.params import path_id as _path_id
from xmock.simulator.xrequest import Reply

# X keeps only the most recent 100 liking users of a post readable (posts/likes/introduction).
LIKING_USERS_CAP = 100



def path_post(call: Call, name: str = "id") -> Post:
    """The live post named in the path, or X's not-found answer."""
    post_id = _path_id(call, name)
    post = call.sim.store.get_post(post_id)
    if post is None:
        raise missing(call, "tweet", name, post_id)
    return post


def _users_reply(call: Call, edges: list[tuple[str, float]]) -> Reply:
    limit = paging.max_results(call.req, 100)
    sel = render.selection(call.req, primary="user")
    ids, meta = paging.edge_page(edges, call.req, limit)
    store = call.sim.store
    users = [u for u in (store.get_user(i) for i in ids) if u is not None]
    data = [render.render_user(u, sel, store) for u in users]
    return _reply(data, render.user_includes(users, sel, store), meta, users)


def _posts_reply(call: Call, posts: list[Post], meta: dict[str, Any]) -> Reply:
    sel = render.selection(call.req)
    store = call.sim.store
    data = [render.render_post(p, sel, store) for p in posts]
    return _reply(data, render.post_includes(posts, sel, store), meta, posts)


def _reply(data: list[dict], includes: dict, meta: dict[str, Any], items: list[Post] | list[User]) -> Reply:
    meta["result_count"] = len(data)
    body = render.envelope(data or None, includes, meta=meta)
    return Reply(200, body, note={"resource_ids": [i.id for i in items]})


def _edge_posts(call: Call, edges: list[tuple[str, float]], low: int) -> Reply:
    limit = paging.max_results(call.req, 100)
    render.selection(call.req)  # field errors before paging errors, as X orders them
    ids, meta = paging.edge_page(edges, call.req, limit)
    posts = [p for p in (call.sim.store.get_post(i) for i in ids) if p is not None]
    return _posts_reply(call, posts, meta)


def liking_users(call: Call) -> Reply:
    """GET /2/tweets/{id}/liking_users"""
    post = path_post(call)
    return _users_reply(call, call.sim.store.edges_to(LIKES, post.id)[:LIKING_USERS_CAP])


def retweeted_by(call: Call) -> Reply:
    """GET /2/tweets/{id}/retweeted_by"""
    post = path_post(call)
    return _users_reply(call, call.sim.store.edges_to(REPOSTS, post.id))


def retweets(call: Call) -> Reply:
    """GET /2/tweets/{id}/retweets: the repost posts themselves."""
    post = path_post(call)
    return _edge_posts(call, call.sim.store.edges_from(REPOSTED_AS, post.id), 1)


def liked_tweets(call: Call) -> Reply:
    """GET /2/users/{id}/liked_tweets"""
    user_id = _path_id(call)
    if call.sim.store.get_user(user_id) is None:
        raise missing(call, "user", "id", user_id)
    return _edge_posts(call, call.sim.store.edges_from(LIKES, user_id), 5)


QUOTE_EXCLUDES = ("replies", "retweets")


def quote_tweets(call: Call) -> Reply:
    """GET /2/tweets/{id}/quote_tweets: `meta` carries result_count and next_token only."""
    post = path_post(call)
    limit = paging.max_results(call.req, 10)
    exclude = [v for v in (call.req.arg("exclude") or "").split(",") if v]
    for value in exclude:
        if value not in QUOTE_EXCLUDES:
            raise errors.invalid_param(
                "exclude", value, f"The `exclude` query parameter value [{value}] is not one of [replies,retweets]"
            )
    quotes = [p for p in call.sim.store.all_posts() if p.quoted_post_id == post.id]
    if "replies" in exclude:
        quotes = [p for p in quotes if p.in_reply_to_post_id is None]
    items, meta = paging.page(quotes, call.req, limit)
    meta = {k: v for k, v in meta.items() if k == "next_token"}
    return _posts_reply(call, items, meta)

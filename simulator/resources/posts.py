"""Posts: create, delete, look up, and a user's timeline."""

from __future__ import annotations

import logging
from collections.abc import Coroutine
from typing import Any, NamedTuple

from xmock.simulator import billing, digits, errors, media, reposts, tiers
from xmock.simulator.clock import parse_instant
from xmock.simulator.models import Post, User
from xmock.simulator.pipeline import Call
from xmock.simulator.resources import graph_rules, mentions, paging, post_fields, post_rules, render
from xmock.simulator.resources.params import missing
from xmock.simulator.resources.params import path_id as _path_id
from xmock.simulator.resources.text import has_url
from xmock.simulator.store import InsufficientCredits
from xmock.simulator.store.base import Charge
from xmock.simulator.xrequest import Reply

log = logging.getLogger("xmock.surface")
NUMERIC = digits.ID  # kept under this name for the modules that import it
CREATE_FIELDS = frozenset(
    [
        "text",
        "reply",
        "quote_tweet_id",
        "media",
        "poll",
        "reply_settings",
        "community_id",
        "edit_options",
        "for_super_followers_only",
        "geo",
        "nullcast",
        "card_uri",
        "direct_message_deep_link",
        "made_with_ai",
        "paid_partnership",
        "share_with_followers",
    ]
)
REPLY_SETTINGS = ("following", "mentionedUsers", "subscribers", "verified")
TOO_LONG = post_rules.TOO_LONG


_type_error = errors.type_mismatch


def _id_field(obj: dict, key: str, path: str) -> str | None:
    value = obj.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        raise _type_error(path, value, "string")
    if not NUMERIC.match(value):
        raise errors.invalid_request(f"$.{path}: does not match the regex pattern ^[0-9]{{1,19}}$")
    return value


def _validate_create(body: dict[str, Any]) -> None:
    for key in body:
        if key not in CREATE_FIELDS:
            raise errors.invalid_request(
                f"$.{key}: is not defined in the schema and the schema does not allow additional properties"
            )
    if "text" in body and not isinstance(body["text"], str):
        raise _type_error("text", body["text"], "string")
    for key in ("reply", "media", "poll", "edit_options", "geo"):
        if key in body and not isinstance(body[key], dict):
            raise _type_error(key, body[key], "object")
    settings = body.get("reply_settings")
    if settings is not None and settings not in REPLY_SETTINGS:
        raise errors.invalid_request(
            f"$.reply_settings: does not have a value in the enumeration [{', '.join(REPLY_SETTINGS)}]"
        )
    poll = body.get("poll")
    if poll is not None:
        options = poll.get("options")
        if not (
            isinstance(options, list)
            and 2 <= len(options) <= 4
            and all(isinstance(o, str) and 1 <= len(o) <= 25 for o in options)
        ):
            raise errors.invalid_request("$.poll.options: a poll has 2 to 4 options of 1 to 25 characters")
        minutes = poll.get("duration_minutes")
        if not (isinstance(minutes, int) and not isinstance(minutes, bool) and 5 <= minutes <= 10080):
            raise errors.invalid_request("$.poll.duration_minutes: must be an integer from 5 to 10080")
        if "media" in body or "quote_tweet_id" in body:
            raise errors.invalid_request("A poll cannot be combined with media or a quote.")


def create(call: Call) -> Reply | Coroutine[Any, Any, Reply]:
    """POST /2/tweets"""
    body = call.req.json_object()
    _validate_create(body)
    text = body.get("text", "")
    reply = body.get("reply")
    parent_id = _id_field(reply, "in_reply_to_tweet_id", "reply.in_reply_to_tweet_id") if reply is not None else None
    if reply is not None and parent_id is None:
        raise errors.invalid_request("$.reply: required property 'in_reply_to_tweet_id' not found")
    quote_id = _id_field(body, "quote_tweet_id", "quote_tweet_id")
    media_ids = _media_ids(call, body.get("media"))
    if not text and not media_ids and quote_id is None and "poll" not in body and "card_uri" not in body:
        raise errors.invalid_request("Post text is required unless media, a poll, a quote or a card is attached.")
    post_rules.check_length(call.sim.store, call.user, text)
    store = call.sim.store
    # The edit, place, reply and quote checks are skipped when the body has no such field (most posts).
    previous = post_rules.edit_target(call, body) if "edit_options" in body else None
    place_id = post_rules.place_id(store, body) if "geo" in body else None
    parent = None
    if parent_id is not None:
        parent = store.get_post(parent_id)
        if parent is None:
            raise errors.invalid_param(
                "reply.in_reply_to_tweet_id",
                parent_id,
                "The post you are replying to has been deleted or is not visible to you.",
            )
    if quote_id is not None and store.get_post(quote_id) is None:
        raise errors.invalid_param(
            "quote_tweet_id", quote_id, "The post you are quoting has been deleted or is not visible to you."
        )
    if parent is not None:  # the author of what is answered or quoted may block the caller
        graph_rules.check_not_blocked(store, call.user.id, parent.author_id, "reply")
    if quote_id is not None:
        graph_rules.check_post_not_blocked(store, call.user.id, quote_id, "quote")
    if parent is not None:
        post_rules.check_reply_allowed(store, call.user, parent)
    tiers.check_post(call.sim, call.user, text, parent, quote_id)
    fields = post_rules.edit_fields(previous) if previous is not None else {}
    if place_id is not None:  # else the edited version's place, or none
        fields["place_id"] = place_id
    options = {
        "parent": parent,
        "quote_id": quote_id,
        "media_ids": media_ids,
        "reply_settings": body.get("reply_settings") or fields.pop("reply_settings", None) or "everyone",
        "poll": body.get("poll"),
        "fields": fields,
    }
    if hasattr(store, "create_post_tracked_async"):  # Redis: the post's write is awaited, not waited for
        return _created_async(call, text, options)
    return _created(call, publish(call, text, **options))


async def _created_async(call: Call, text: str, options: dict[str, Any]) -> Reply:
    return _created(call, await publish_async(call, text, **options))


def _created(call: Call, post: Post) -> Reply:
    """POST /2/tweets's answer for the new post."""
    store = call.sim.store
    versions = post_fields.history(post, store) if post.edit_root else [post.id]
    data = {"edit_history_tweet_ids": versions, "id": post.id, "text": post_fields.display_text(post)}
    return Reply(
        201,
        {"data": data},
        {"location": f"https://api.twitter.com/2/tweets/{post.id}"},
        note={"resource_ids": [post.id]},
    )


def _media_ids(call: Call, attached: dict | None) -> tuple[str, ...]:
    if not attached:
        return ()
    ids = attached.get("media_ids")
    if not isinstance(ids, list) or not 1 <= len(ids) <= 4:
        raise errors.invalid_request("$.media.media_ids: a post carries 1 to 4 media ids")
    for value in ids:
        if not isinstance(value, str) or not NUMERIC.match(value):
            raise errors.invalid_request("$.media.media_ids: does not match the regex pattern ^[0-9]{1,19}$")
    refused = []
    for media_id in ids:
        found = call.sim.store.get_media(media_id)
        if found is None or not media.usable(call.sim, found, call.user.id):
            refused.append(media_id)
    if refused:
        # Unknown, someone else's, expired, or still processing: X says the same for all.
        raise errors.invalid_request("Your media IDs are invalid.", {"media.media_ids": refused})
    return tuple(ids)


def publish(call: Call, text: str, *, duplicate: errors.XError | None = None, **options: Any) -> Post:
    """Store a new post for the calling user, refusing duplicates as X does (with `duplicate`, if given).
    `options`: `_draft`'s (a reply's parent, a quote, media, reply settings, a poll, more of the Post's fields)."""
    draft = _draft(call, text, **options)
    try:
        created, tracked = call.sim.store.create_post_tracked(*draft.write)
    except InsufficientCredits:
        raise billing.depleted(call) from None
    return _published(call, draft, created, tracked, duplicate)


async def publish_async(call: Call, text: str, **options: Any) -> Post:
    """`publish` on a store that writes the post awaited (Redis): the worker answers others meanwhile."""
    draft = _draft(call, text, **options)
    try:
        created, tracked = await call.sim.store.create_post_tracked_async(*draft.write)
    except InsufficientCredits:
        raise billing.depleted(call) from None
    return _published(call, draft, created, tracked, None)


class _Draft(NamedTuple):
    post: Post
    charge: Charge | None
    poll: Any
    write: tuple[Any, ...]  # the store's create_post_tracked arguments


def _draft(
    call: Call,
    text: str,
    parent: Post | None = None,
    quote_id: str | None = None,
    media_ids: tuple[str, ...] = (),
    reply_settings: str = "everyone",
    poll: dict[str, Any] | None = None,
    fields: dict[str, Any] | None = None,
) -> _Draft:
    """The post to write, with its price and findings logs, before the store is asked. `poll`: the body's poll,
    stored with the post; `fields`: more of the Post's fields (an edit's thread, a place)."""
    sim = call.sim
    now = sim.clock.now()
    post_id = sim.ids.next_id()
    poll_record = post_rules.new_poll(call, {"poll": poll}, post_id) if poll else None
    thread = (
        {
            "conversation_id": parent.conversation_id or parent.id,
            "in_reply_to_post_id": parent.id,
            "in_reply_to_user_id": parent.author_id,
        }
        if parent
        else {"conversation_id": post_id}
    )
    if fields:
        thread.update(fields)
    post = Post(
        id=post_id,
        text=text,
        author_id=call.user.id,
        created_at=now,
        app_id=call.auth.app.id if call.auth.app else None,
        quoted_post_id=quote_id,
        media_ids=media_ids,
        reply_settings=reply_settings,
        source=call.auth.app.name if call.auth.app else "",
        poll_id=poll_record.id if poll_record else None,
        possibly_sensitive=post_rules.sensitive(sim.store, call.user, media_ids) if media_ids else False,
        **thread,
    )
    charge = billing.write_charge(call)  # taken with the post, in one step
    track = sim.findings.tracking(call.auth.app, post)  # the findings logs, kept in the same store call
    return _Draft(post, charge, poll_record, (post, now - sim.settings.duplicate_window, charge, track))


def _published(call: Call, draft: _Draft, created: bool, tracked: Any, duplicate: errors.XError | None) -> Post:
    """What follows the store's answer: a duplicate refused, else the charge booked and the post's poll, edit,
    mentions and findings recorded."""
    sim, post, app = call.sim, draft.post, call.auth.app
    if not created:
        sim.findings.duplicate_refused(app, call.user, post.text)
        raise duplicate or errors.duplicate_post()
    billing.paid_on_write(call, draft.charge)
    if draft.poll is not None:
        sim.store.put_poll(draft.poll)
    if post.edit_root:
        post_rules.record_edit(sim.store, post)
    try:
        if "@" in post.text:  # no "@", no mention
            mentions.index(sim.store, post)
        if app is not None and tracked is not None:
            sim.findings.post_created(app, post, tracked)
    except sim.store.unavailable:  # the post exists: its client is told so, the finding (or mentions) lost
        log.warning("store unreachable: policy checks or mentions index of post %s skipped", post.id)
    return post


def create_price(call: Call) -> str:
    """A post that carries a URL is priced apart (X, April 2026)."""
    try:
        body = call.req.json_object()
    except errors.XError:
        return "ContentCreate"
    text = body.get("text")
    if isinstance(text, str) and has_url(text):
        return "ContentCreateWithUrl"
    if "reply" in body and tiers.self_serve(call.sim):
        return "ContentCreateSummonedReply"  # on self-serve, every reply that is allowed was summoned
    return "ContentCreate"


def delete(call: Call) -> Reply:
    """DELETE /2/tweets/{id}"""
    post_id = _path_id(call, "id")
    post = call.sim.store.get_post(post_id)
    if post is None:
        raise _missing(call, post_id, "id")
    if post.author_id != call.user.id:
        raise errors.forbidden("only the author can delete a post")
    deleted = call.sim.store.delete_post(post_id, call.sim.clock.now())
    if deleted is not None:
        reposts.post_deleted(call.sim, deleted)
    return Reply(200, {"data": {"deleted": True}}, note={"resource_ids": [post_id]})


def get_one(call: Call) -> Reply:
    """GET /2/tweets/{id}"""
    post_id = _path_id(call, "id")
    sel = render.selection(call.req)
    post = call.sim.store.get_post(post_id)
    if post is None:
        raise _missing(call, post_id, "id")
    store = call.sim.store
    body = render.envelope(render.render_post(post, sel, store), render.post_includes([post], sel, store))
    return Reply(200, body, note={"resource_ids": [post.id]})


def get_many(call: Call) -> Reply:
    """GET /2/tweets?ids="""
    ids = paging.listed(call.req, "ids")
    sel = render.selection(call.req)
    store = call.sim.store
    found, missing = [], []
    for value in ids:
        post = store.get_post(value)
        if post is None:
            missing.append(errors.not_found_error("tweet", "ids", value))
        else:
            found.append(post)
    data = [render.render_post(p, sel, store) for p in found] or None
    body = render.envelope(data, render.post_includes(found, sel, store), missing)
    return Reply(200, body, note={"resource_ids": [p.id for p in found]})


def timeline(call: Call) -> Reply:
    """GET /2/users/{id}/tweets"""
    user = path_user(call)
    limit = paging.max_results(call.req, 10)
    posts = excluded(call, time_window(call, call.sim.store.posts_by_author(user.id)))
    return timeline_answer(call, posts, limit)


def path_user(call: Call) -> User:
    """The user named by the path's `{id}`: X's 400 for a malformed id, its not-found for an unknown one."""
    user_id = _path_id(call, "id")
    user = call.sim.store.get_user(user_id)
    if user is None:
        raise missing(call, "user", "id", user_id)
    return user


def excluded(call: Call, posts: list[Post]) -> list[Post]:
    """Apply `exclude=replies,retweets`."""
    exclude = (call.req.arg("exclude") or "").split(",")
    for value in exclude:
        if value and value not in ("replies", "retweets"):
            raise errors.invalid_param(
                "exclude",
                value,
                f"The `exclude` query parameter value [{value}] is not one of [replies,retweets]",
            )
    if "replies" in exclude:
        posts = [p for p in posts if p.in_reply_to_post_id is None]
    if "retweets" in exclude:
        posts = [p for p in posts if p.reposted_post_id is None]
    return posts


def timeline_answer(call: Call, posts: list[Post], limit: int) -> Reply:
    """One page of a newest-first timeline, rendered with the request's fields and expansions."""
    sel = render.selection(call.req)
    store = call.sim.store
    items, meta = paging.page(posts, call.req, limit)
    data = [render.render_post(p, sel, store) for p in items] or None
    body = render.envelope(data, render.post_includes(items, sel, store), meta=meta)
    return Reply(200, body, note={"resource_ids": [p.id for p in items]})


def time_window(call: Call, posts: list[Post]) -> list[Post]:
    """Apply since_id, until_id, start_time and end_time."""
    since = paging.id_param(call.req, "since_id")
    until = paging.id_param(call.req, "until_id")
    start = _time_param(call, "start_time")
    end = _time_param(call, "end_time")
    return [
        p
        for p in posts
        if (since is None or int(p.id) > since)
        and (until is None or int(p.id) < until)
        and (start is None or p.created_at >= start)
        and (end is None or p.created_at < end)
    ]


def _time_param(call: Call, name: str) -> float | None:
    raw = call.req.arg(name)
    if raw is None:
        return None
    try:
        if raw.replace(".", "", 1).isdigit():
            raise ValueError(raw)
        return parse_instant(raw)
    except ValueError:
        raise errors.invalid_param(
            name, raw, f"Invalid '{name}':'{raw}'. '{name}' must be a valid RFC 3339 date-time"
        ) from None


def _missing(call: Call, post_id: str, parameter: str) -> errors.XError:
    return missing(call, "tweet", parameter, post_id)

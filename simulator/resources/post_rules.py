"""What POST /2/tweets checks and records for the post fields: long posts, polls, places, edits and who may
reply (`reply_settings`)."""

from __future__ import annotations

from typing import Any

from xmock.simulator import digits, errors
from xmock.simulator.models import Poll, Post, User
from xmock.simulator.pipeline import Call
from xmock.simulator.relations import ACCOUNT_SETTINGS, EDITS, FOLLOWS
from xmock.simulator.resources import post_fields
from xmock.simulator.resources.text import MAX_TEXT_CHARS, MAX_WEIGHTED_LENGTH, mentioned_usernames, too_long
from xmock.simulator.store import Store

# Account settings a post reads, kept as ACCOUNT_SETTINGS edges so they can be switched at any time:
LONG_POSTS = "long_posts"  # may post up to 25,000 characters (X's long posts: the rest shows as note_tweet)
SENSITIVE_MEDIA = "sensitive_media"  # X's "mark media you post as having material that may be sensitive"
SETTINGS = (LONG_POSTS, SENSITIVE_MEDIA)

TOO_LONG = (
    "Your Tweet text is too long. For more information on how Twitter determines text length see "
    "https://github.com/twitter/twitter-text."
)


def has_setting(store: Store, user_id: str, setting: str) -> bool:
    return store.edge_at(ACCOUNT_SETTINGS, user_id, setting) is not None


def check_length(store: Store, user: User, text: str) -> None:
    """280 weighted characters, or X's long-post limit for an account allowed long posts."""
    if len(text) <= MAX_WEIGHTED_LENGTH and not too_long(text):
        return  # within both limits: the account's setting need not be read
    if has_setting(store, user.id, LONG_POSTS):
        if len(text) > MAX_TEXT_CHARS:
            raise errors.invalid_request(TOO_LONG)
    elif too_long(text):
        raise errors.invalid_request(TOO_LONG)


def place_id(store: Store, body: dict[str, Any]) -> str | None:
    geo = body.get("geo")
    if geo is None:
        return None
    for key in geo:
        if key != "place_id":
            raise errors.invalid_request(
                f"$.geo.{key}: is not defined in the schema and the schema does not allow additional properties"
            )
    value = geo.get("place_id")
    if not isinstance(value, str):
        raise errors.invalid_request("$.geo: required property 'place_id' not found")
    if store.get_place(value) is None:
        raise errors.invalid_param("geo.place_id", value, f"Could not find place with id: [{value}].")
    return value


def edit_target(call: Call, body: dict[str, Any]) -> Post | None:
    """The version `edit_options.previous_post_id` edits, if it may be edited now; None for a new post."""
    options = body.get("edit_options")
    if options is None:
        return None
    for key in options:
        if key != "previous_post_id":
            raise errors.invalid_request(
                f"$.edit_options.{key}: is not defined in the schema and the schema does not allow additional "
                "properties"
            )
    previous_id = options.get("previous_post_id")
    if not isinstance(previous_id, str):
        raise errors.invalid_request("$.edit_options: required property 'previous_post_id' not found")
    if not digits.ID.match(previous_id):
        raise errors.invalid_request("$.edit_options.previous_post_id: does not match the regex pattern ^[0-9]{1,19}$")
    store = call.sim.store
    previous = store.get_post(previous_id)
    if previous is None:
        raise errors.invalid_param(
            "edit_options.previous_post_id",
            previous_id,
            "The post you are editing has been deleted or is not visible to you.",
        )
    if previous.author_id != call.user.id:
        raise errors.forbidden_because("You can only edit your own posts.")
    if not post_fields.edit_eligible(previous):
        raise errors.forbidden_because("This post is not eligible for editing.")
    versions = post_fields.history(previous, store)
    if versions[-1] != previous.id:
        raise errors.forbidden_because("Only the latest version of a post can be edited.")
    root = store.get_post(versions[0]) or previous
    if call.sim.clock.now() >= root.created_at + post_fields.EDIT_WINDOW:
        raise errors.forbidden_because("The time to edit this post has passed.")
    if len(versions) - 1 >= post_fields.MAX_EDITS:
        raise errors.forbidden_because("This post has been edited the maximum number of times.")
    return previous


def edit_fields(previous: Post | None) -> dict[str, Any]:
    """What a new version keeps of the one it edits: its thread, the quote, the reply settings, the place."""
    if previous is None:
        return {}
    return {
        "edit_root": previous.edit_root or previous.id,
        "conversation_id": previous.conversation_id or previous.id,
        "in_reply_to_post_id": previous.in_reply_to_post_id,
        "in_reply_to_user_id": previous.in_reply_to_user_id,
        "reply_settings": previous.reply_settings,
        "place_id": previous.place_id,
    }


def record_edit(store: Store, post: Post) -> None:
    if post.edit_root:
        store.set_edge(EDITS, post.edit_root, post.id, True, post.created_at)


def check_reply_allowed(store: Store, replier: User, parent: Post) -> None:
    """X's `reply_settings`, on the post answered and on its conversation's first post: the author and the users
    a post mentions may always reply; `following` also lets in whom the author follows, `verified` verified
    accounts. Nobody subscribes here, so `subscribers` admits the author and mentioned users only."""
    posts = [parent]
    root_id = parent.conversation_id or parent.id
    if root_id != parent.id:
        root = store.get_post(root_id)
        if root is not None:
            posts.append(root)
    for post in posts:
        if not _may_reply(store, replier, post):
            raise errors.reply_not_summoned(reason=f"reply_settings {post.reply_settings} of post {post.id}")


def _may_reply(store: Store, replier: User, post: Post) -> bool:
    setting = post.reply_settings
    if setting == "everyone" or post.author_id == replier.id:
        return True
    if replier.username.lower() in (name.lower() for name in mentioned_usernames(post.text)):
        return True
    if setting == "following":
        return store.edge_at(FOLLOWS, post.author_id, replier.id) is not None
    if setting == "verified":
        return replier.verified
    return False


def new_poll(call: Call, body: dict[str, Any], post_id: str) -> Poll | None:
    """The poll record a post's `poll` asks for (checked by posts._validate_create)."""
    poll = body.get("poll")
    if poll is None:
        return None
    return Poll(
        id=call.sim.ids.next_id(),
        post_id=post_id,
        options=tuple(poll["options"]),
        duration_minutes=poll["duration_minutes"],
        created_at=call.sim.clock.now(),
    )


def sensitive(store: Store, user: User, media_ids: tuple[str, ...]) -> bool:
    """X marks a post possibly sensitive when its author's setting flags the media they post."""
    return bool(media_ids) and has_setting(store, user.id, SENSITIVE_MEDIA)



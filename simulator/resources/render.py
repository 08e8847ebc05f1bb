"""Fields, expansions and includes: how posts and users are shown, as X shows them.

Both the published names (`tweet.fields`, `referenced_tweets.id`) and the 2.167
spec's renames (`post.fields`, `referenced_posts`, `pinned_post_id`) are accepted;
responses keep X's live spelling (`edit_history_tweet_ids`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from xmock.simulator import impressions
from xmock.simulator.clock import iso_utc
from xmock.simulator.models import Post, User
from xmock.simulator.relations import AFFILIATIONS
from xmock.simulator.resources import post_fields as post_fields_
from xmock.simulator.resources import user_fields
from xmock.simulator.resources.graph_rules import connection_status
from xmock.simulator.resources.text import entities, shown
from xmock.simulator.store import Store
from xmock.simulator.xrequest import XRequest

POST_FIELDS = frozenset(
    [
        "article",
        "article_title",
        "attachments",
        "author_id",
        "card_uri",
        "community_id",
        "context_annotations",
        "conversation_id",
        "created_at",
        "display_text_range",
        "edit_controls",
        "edit_history_tweet_ids",
        "edit_history_post_ids",
        "entities",
        "geo",
        "id",
        "in_reply_to_user_id",
        "lang",
        "matched_media_notes",
        "media_metadata",
        "non_public_metrics",
        "note_post",
        "note_tweet",
        "note_request_suggestions",
        "organic_metrics",
        "paid_partnership",
        "possibly_sensitive",
        "promoted_metrics",
        "public_metrics",
        "referenced_tweets",
        "reply_settings",
        "scopes",
        "source",
        "suggested_source_links",
        "suggested_source_links_with_counts",
        "text",
        "withheld",
    ]
)
USER_FIELDS = frozenset(
    [
        "affiliation",
        "confirmed_email",
        "connection_status",
        "created_at",
        "description",
        "entities",
        "id",
        "is_identity_verified",
        "location",
        "most_recent_tweet_id",
        "name",
        "parody",
        "pinned_tweet_id",
        "profile_banner_url",
        "profile_image_url",
        "protected",
        "public_metrics",
        "receives_your_dm",
        "subscribes_to_you",
        "subscription",
        "subscription_type",
        "url",
        "username",
        "verified",
        "verified_followers_count",
        "verified_type",
        "withheld",
    ]
)
# expansion name as sent -> the canonical one this module acts on
POST_EXPANSIONS = {
    "author_id": "author_id",
    "in_reply_to_user_id": "in_reply_to_user_id",
    "referenced_tweets.id": "referenced_tweets.id",
    "referenced_posts": "referenced_tweets.id",
    "referenced_tweets.id.author_id": "referenced_tweets.id.author_id",
    "entities.mentions.username": "entities.mentions.username",
    "edit_history_tweet_ids": "edit_history_tweet_ids",
    "edit_history_post_ids": "edit_history_tweet_ids",
    "attachments.media_keys": "attachments.media_keys",
    "article.cover_media": "article.cover_media",
    "article.media_entities": "article.media_entities",
    "attachments.media_source_tweet": "attachments.media_source_tweet",
    "attachments.poll_ids": "attachments.poll_ids",
    "geo.place_id": "geo.place_id",
    "entities.note.mentions.username": "entities.note.mentions.username",
    "referenced_tweets.id.attachments.media_keys": "referenced_tweets.id.attachments.media_keys",
    "username": "username",
}
USER_EXPANSIONS = {
    "pinned_tweet_id": "pinned_tweet_id",
    "pinned_post_id": "pinned_tweet_id",
    "most_recent_tweet_id": "most_recent_tweet_id",
    "most_recent_post_id": "most_recent_tweet_id",
    "affiliation.user_id": "affiliation.user_id",
    "affiliation": "affiliation.user_id",
}
MEDIA_FIELDS = frozenset(
    "alt_text duration_ms height media_key non_public_metrics organic_metrics preview_image_url promoted_metrics "
    "public_metrics type url variants width".split()
)
DEFAULT_AVATAR = "https://pbs.twimg.com/profile_images/default_profile_normal.png"


@dataclass(frozen=True)
class Selection:
    post_fields: frozenset[str]
    user_fields: frozenset[str]
    expansions: frozenset[str]
    media_fields: frozenset[str] = frozenset()
    poll_fields: frozenset[str] = frozenset()
    place_fields: frozenset[str] = frozenset()
    now: float | None = None  # the instant answered at: a poll's voting_status


def _listed(req: XRequest, names: tuple[str, ...], known: frozenset[str] | dict[str, str]) -> list[str]:
    """The names asked for that this module renders; request_rules has already refused the spec's unknowns."""
    raw = req.arg(*names)
    if raw is None:
        return []
    return [value for value in raw.split(",") if value in known]


_NOTHING_ASKED = Selection(frozenset(), frozenset(), frozenset(), frozenset())


def selection(req: XRequest, primary: str = "post") -> Selection:
    """Read `tweet.fields`/`post.fields`, `user.fields` and `expansions` from the query."""
    if not req.query_string:
        return _NOTHING_ASKED  # the default fields only
    post_fields = _listed(req, ("tweet.fields", "post.fields"), POST_FIELDS)
    user_fields = _listed(req, ("user.fields",), USER_FIELDS)
    expansion_names = POST_EXPANSIONS if primary == "post" else USER_EXPANSIONS
    expansions = [expansion_names[e] for e in _listed(req, ("expansions",), expansion_names)]
    media_fields = _listed(req, ("media.fields",), MEDIA_FIELDS)
    poll_fields = _listed(req, ("poll.fields",), post_fields_.POLL_FIELDS)
    place_fields = _listed(req, ("place.fields",), post_fields_.PLACE_FIELDS)
    return Selection(
        frozenset(post_fields),
        frozenset(user_fields),
        frozenset(expansions),
        frozenset(media_fields),
        frozenset(poll_fields),
        frozenset(place_fields),
        req.now,
    )


def render_post(post: Post, sel: Selection, store: Store, section: str = "data") -> dict[str, Any]:
    """`section`: "data" for the posts a read answers (they make impressions), "includes" for expansions."""
    f = sel.post_fields
    out: dict[str, Any] = {"edit_history_tweet_ids": [post.id], "id": post.id, "text": shown(post.text)}
    if section == "data":
        impressions.shown(post)
    if "non_public_metrics" in f or "organic_metrics" in f:
        out.update(impressions.private_metrics(post, f, section, store))
    if "author_id" in f:
        out["author_id"] = post.author_id
    if "created_at" in f:
        out["created_at"] = iso_utc(post.created_at)
    if "conversation_id" in f:
        out["conversation_id"] = post.conversation_id or post.id
    if "in_reply_to_user_id" in f and post.in_reply_to_user_id:
        out["in_reply_to_user_id"] = post.in_reply_to_user_id
    if "referenced_tweets" in f:
        refs = _references(post)
        if refs:
            out["referenced_tweets"] = [{"type": kind, "id": ref} for kind, ref in refs]
    if "public_metrics" in f:
        out["public_metrics"] = store.post_metrics(post.id)
    if "reply_settings" in f:
        out["reply_settings"] = post.reply_settings
    if "display_text_range" in f:
        out["display_text_range"] = [0, len(post.text)]
    post_fields_.add_fields(post, sel, store, out)
    if post.media_ids and ("attachments" in f or "attachments.media_keys" in sel.expansions):
        keys = [m.media_key for m in _media(post, store)]
        if keys:
            out.setdefault("attachments", {})["media_keys"] = keys
    return dict(sorted(out.items()))


def _media(post: Post, store: Store) -> list[Any]:
    found = (store.get_media(media_id) for media_id in post.media_ids)
    return [m for m in found if m is not None]


def render_user(user: User, sel: Selection, store: Store, viewer: str | None = None) -> dict[str, Any]:
    """`viewer`: the authenticated user, for the fields X gives relative to them (`connection_status`)."""
    f = sel.user_fields
    out: dict[str, Any] = {"id": user.id, "name": user.name, "username": user.username}
    if "created_at" in f:
        out["created_at"] = iso_utc(user.created_at)
    if "description" in f:
        out["description"] = user.description
    if "location" in f and user.location:
        out["location"] = user.location
    if "url" in f:
        out["url"] = user_fields.shown_url(user)
    if "protected" in f:
        out["protected"] = user.protected
    if "verified" in f:
        out["verified"] = user.verified
    if "verified_type" in f:
        out["verified_type"] = user.verified_type
    if "profile_image_url" in f:
        out["profile_image_url"] = user.profile_image_url or DEFAULT_AVATAR
    if "public_metrics" in f:
        out["public_metrics"] = user_fields.public_metrics(user, store)
    if "most_recent_tweet_id" in f:
        latest = store.posts_by_author(user.id)
        if latest:
            out["most_recent_tweet_id"] = latest[0].id
    if "connection_status" in f and viewer is not None:
        out["connection_status"] = connection_status(store, viewer, user.id)
    if "entities" in f:
        found = user_fields.profile_entities(user)
        if found:
            out["entities"] = found
    if "pinned_tweet_id" in f:
        pinned = user_fields.pinned_post(user, store)
        if pinned is not None:
            out["pinned_tweet_id"] = pinned.id
    if "profile_banner_url" in f and user.profile_banner_url:
        out["profile_banner_url"] = user.profile_banner_url
    if "subscription_type" in f:
        out["subscription_type"] = user.subscription_type
    if "receives_your_dm" in f and viewer is not None:
        out["receives_your_dm"] = user_fields.receives_your_dm(store, user, viewer)
    if "affiliation" in f:
        orgs = _affiliated_with(user, store)
        if orgs:
            out["affiliation"] = {"user_id": orgs}
    return dict(sorted(out.items()))


def _affiliated_with(user: User, store: Store) -> list[str]:
    return [org for org, _ in store.edges_from(AFFILIATIONS, user.id)]


def _references(post: Post) -> list[tuple[str, str]]:
    refs = []
    if post.reposted_post_id:
        refs.append(("retweeted", post.reposted_post_id))
    if post.quoted_post_id:
        refs.append(("quoted", post.quoted_post_id))
    if post.in_reply_to_post_id:
        refs.append(("replied_to", post.in_reply_to_post_id))
    return refs


def post_includes(posts: list[Post], sel: Selection, store: Store) -> dict[str, list[dict]]:
    """The `includes` object for a list of posts and the chosen expansions."""
    exp = sel.expansions
    user_ids: list[str] = []
    ref_posts: list[Post] = []
    if "referenced_tweets.id" in exp or "referenced_tweets.id.author_id" in exp:
        for post in posts:
            for _, ref_id in _references(post):
                ref = store.get_post(ref_id)
                if ref is not None and ref not in ref_posts:
                    ref_posts.append(ref)
    for post in posts:
        if "author_id" in exp:
            user_ids.append(post.author_id)
        if "in_reply_to_user_id" in exp and post.in_reply_to_user_id:
            user_ids.append(post.in_reply_to_user_id)
        if "entities.mentions.username" in exp:
            for mention in entities(post.text).get("mentions", []):
                user = store.user_by_username(mention["username"])
                if user is not None:
                    user_ids.append(user.id)
    if "referenced_tweets.id.author_id" in exp:
        user_ids.extend(p.author_id for p in ref_posts)
    out: dict[str, list[dict]] = {}
    users = _users(user_ids, sel, store)
    if users:
        out["users"] = users
    if ref_posts and "referenced_tweets.id" in exp:
        out["tweets"] = [render_post(p, sel, store, "includes") for p in ref_posts]
    if "attachments.media_keys" in exp:
        from xmock.simulator.media import render as render_media

        items = [render_media(m, sel.media_fields) for post in posts for m in _media(post, store)]
        if items:
            out["media"] = items
    post_fields_.add_includes(posts, sel, store, out)
    return out


def user_includes(users: list[User], sel: Selection, store: Store) -> dict[str, list[dict]]:
    out: dict[str, list[dict]] = {}
    if "affiliation.user_id" in sel.expansions:
        orgs = _users([org for user in users for org in _affiliated_with(user, store)], sel, store)
        if orgs:
            out["users"] = orgs
    tweets = []
    for user in users:
        if "pinned_tweet_id" in sel.expansions:
            pinned = user_fields.pinned_post(user, store)
            if pinned is not None:
                tweets.append(render_post(pinned, sel, store, "includes"))
        if "most_recent_tweet_id" in sel.expansions:
            latest = store.posts_by_author(user.id)
            if latest and not (tweets and tweets[-1]["id"] == latest[0].id):
                tweets.append(render_post(latest[0], sel, store, "includes"))
    if tweets:
        out["tweets"] = tweets
    return out


def _users(ids: list[str], sel: Selection, store: Store) -> list[dict]:
    seen: set[str] = set()
    out = []
    for user_id in ids:
        if user_id in seen:
            continue
        seen.add(user_id)
        user = store.get_user(user_id)
        if user is not None:
            out.append(render_user(user, sel, store))
    return out


def envelope(
    data: Any, includes: dict | None = None, errors_: list | None = None, meta: dict | None = None
) -> dict[str, Any]:
    """X's response body: `data`, then `includes`, `errors`, `meta` when present."""
    out: dict[str, Any] = {}
    if data is not None:
        out["data"] = data
    if includes:
        out["includes"] = includes
    if errors_:
        out["errors"] = errors_
    if meta is not None:
        out["meta"] = meta
    return out


def listed(req: XRequest, names: tuple[str, ...], allowed: frozenset[str] | dict[str, str]) -> list[str]:
    """The values of a comma-separated field or expansion parameter, each checked (for families with fields
    of their own: `list.fields`)."""
    return _listed(req, names, allowed)

"""Where X's live API and its published spec (2.167) use different names: the one drift table.

The live API still takes and gives the pre-2.167 spellings (`tweet.fields`, `referenced_tweets.id`,
`edit_history_tweet_ids`, `retweet_count`, ...); 2.167 renamed them and dropped some fields its own
responses still carry. Requests accept both spellings (the validator reads REQUEST_*); responses keep the
live spelling, and the tests translate them with `to_spec` before checking a body against 2.167.
Sources: x-api-facts.md §1 "Naming drift", x-api-surface.md §27, and the tweepy cassettes the facts cite.
"""

from __future__ import annotations

from typing import Any

# Query parameter names the live API takes for a 2.167 name (and back).
REQUEST_PARAM_ALIASES: dict[str, tuple[str, ...]] = {
    "post.fields": ("tweet.fields",),
    "tweet.fields": ("post.fields",),
}

# For a `*.fields` or `expansions` parameter whose 2.167 enum holds the key value, the live names it also
# takes: fields and expansions X documents and serves that 2.167 left out of its enums or renamed.
REQUEST_LIVE_VALUES: dict[tuple[str, str], tuple[str, ...]] = {
    ("post.fields", "text"): (
        "author_id",
        "edit_history_post_ids",
        "edit_history_tweet_ids",
        "in_reply_to_user_id",
        "note_tweet",
        "referenced_tweets",
    ),
    ("tweet.fields", "text"): (
        "author_id",
        "edit_history_post_ids",
        "edit_history_tweet_ids",
        "in_reply_to_user_id",
        "note_tweet",
        "referenced_tweets",
    ),
    ("user.fields", "username"): ("affiliation", "most_recent_tweet_id", "pinned_tweet_id"),
    ("list.fields", "member_count"): ("owner_id",),  # documented and served; 2.167's List has it, its enum not
    ("expansions", "referenced_posts"): (
        "edit_history_tweet_ids",
        "entities.note.mentions.username",
        "referenced_tweets.id",
        "referenced_tweets.id.attachments.media_keys",
        "referenced_tweets.id.author_id",
    ),
    ("expansions", "pinned_post_id"): ("affiliation.user_id", "most_recent_tweet_id", "pinned_tweet_id"),
}

# Response keys: the live name -> the 2.167 name, wherever they occur in a body.
RESPONSE_KEYS: dict[str, str] = {
    "edit_history_tweet_ids": "edit_history_post_ids",  # facts §1: every live response keeps the old name
    "retweet_count": "repost_count",  # public_metrics of a post (tweepy cassettes)
    "tweet_count": "post_count",  # public_metrics of a user and of a list; counts' buckets
    "total_tweet_count": "total_post_count",  # counts' meta
    "pinned_tweet_id": "pinned_post_id",  # user object
    "most_recent_tweet_id": "most_recent_post_id",  # user object
    "referenced_tweets": "referenced_posts",  # post object
    "in_reply_to_tweet_id": "in_reply_to_post_id",
    "note_tweet": "note_post",
}

# Response keys the live API gives where 2.167 has none; removed before checking against 2.167.
RESPONSE_EXTRA_KEYS: dict[str, str] = {}


def to_spec(body: Any) -> Any:
    """A copy of a live-API body with keys renamed to 2.167's names (for checking against the spec)."""
    if isinstance(body, dict):
        return {
            RESPONSE_KEYS.get(k, k): to_spec(v) for k, v in body.items() if k not in RESPONSE_EXTRA_KEYS
        }
    if isinstance(body, list):
        return [to_spec(v) for v in body]
    return body

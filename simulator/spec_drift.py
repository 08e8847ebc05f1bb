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
    # Community Notes' `test_mode`: xdk 0.10 sends Python's spelling, which X's boolean parsing takes
    ("test_mode", "true"): ("True", "False"),
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
    # DM events: fields the docs list and the live API serves that 2.167's enum leaves out
    ("dm_event.fields", "text"): ("participant_ids", "referenced_tweets", "sender_id"),
    ("expansions", "pinned_post_id"): ("affiliation.user_id", "most_recent_tweet_id", "pinned_tweet_id"),
}

# Request bodies: where the live API takes more than 2.167's request schema, per (operationId, schema path):
# keys merged into that schema node before the body validator (body_rules) is compiled.
REQUEST_BODY_LIVE: dict[tuple[str, tuple[str, ...]], dict[str, Any]] = {
    # The one-shot upload still takes the MIME type the pre-May-2025 upload took (x-api-facts §6 "Media (v2)").
    ("mediaUpload", ("MediaUploadRequest", "properties")): {"media_type": {"type": "string"}},
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
    "tweets": "posts",  # includes.tweets (facts §6: `expansions=...` adds includes.tweets)
}

# Response keys the live API gives where 2.167 has none; removed before checking against 2.167.
RESPONSE_EXTRA_KEYS: dict[str, str] = {}

# Problem types the live API answers with that 2.167's catalogue trimmed or never had (facts §2, §3, §5, §6;
# 2.159 still lists unsupported-authentication and the credits problems).
LIVE_PROBLEM_TYPES = (
    "about:blank",  # 401, 403, 404, 405, 413, 429, 5xx: the generic problems (facts §2, §6)
    "https://api.twitter.com/2/problems/unsupported-authentication",  # facts §3
    "https://api.x.com/2/problems/oauth1-permissions",  # facts §2, seen 2026-08-27
    "https://api.twitter.com/2/problems/credits",  # facts §5 (CreditsDepleted)
    "https://api.x.com/2/problems/credits-depleted",  # facts §5
    "https://api.x.com/2/problems/conflict",  # compliance jobs: 2.159's ConflictProblem (x-api-surface.md §20)
)

# Schemas the live API needs that 2.167 lacks (tests add them before validating).
SCHEMAS_LIVE_ONLY: dict[str, Any] = {
    # streams (x-api-surface.md §20-§21): rule errors, connection refusals, disconnect notices, enrolment
    "LiveStreamProblem": {
        "type": "object",
        "required": ["type", "title"],
        "properties": {
            "type": {"type": "string", "enum": [
                "https://api.twitter.com/2/problems/duplicate-rules",
                "https://api.twitter.com/2/problems/invalid-rules",
                "https://api.twitter.com/2/problems/rule-cap",
                "https://api.twitter.com/2/problems/streaming-connection",
                "https://api.x.com/2/problems/operational-disconnect",
                "https://api.twitter.com/2/problems/client-forbidden",
            ]},
            "title": {"type": "string"},
            "detail": {"type": "string"},
            "value": {"type": "string"},
            "id": {"type": "string"},
            "details": {"type": "array", "items": {"type": "string"}},
            "connection_issue": {"type": "string"},
            "disconnect_type": {"type": "string"},
            "client_id": {"type": "string"},
            "registration_url": {"type": "string"},
            "required_enrollment": {"type": "string"},
            "reason": {"type": "string"},
        },
    },
    "LiveProblem": {
        "type": "object",
        "required": ["type", "title"],
        "properties": {
            "type": {"type": "string", "enum": list(LIVE_PROBLEM_TYPES)},
            "title": {"type": "string"},
            "detail": {"type": "string"},
            "status": {"type": "integer"},
            "account_id": {"type": "integer"},  # CreditsDepleted names the account
        },
    },
}

_ERRORS_LIST = {"errors": {"type": "array", "items": {"$ref": "#/components/schemas/Problem"}}}
# facts §6: `{"errors":[{"parameters":{"max_results":["0"]},"message":"..."}],"title":"Invalid Request",...}`
_PARAMETER_ERRORS = {
    "errors": {
        "type": "array",
        "minItems": 1,
        "items": {
            "type": "object",
            "required": ["message"],
            "properties": {
                "parameters": {
                    "type": "object",
                    "additionalProperties": {"type": "array", "items": {"type": "string"}},
                },
                "message": {"type": "string"},
            },
        },
    }
}
_PAGE_META = {
    "type": "object",
    "properties": {
        "result_count": {"type": "integer"},
        "next_token": {"type": "string"},
        "previous_token": {"type": "string"},
    },
}

# Per 2.167 schema: what the live API adds. "properties" are merged in; "oneOf" replaces.
SCHEMA_ADDITIONS: dict[str, dict[str, Any]] = {
    # The live invalid-request problem lists its `errors` (facts §6, the max_results example).
    "InvalidRequestProblem": {"properties": _PARAMETER_ERRORS},
    # A 404 lookup (missing_resource_status=404) carries the partial error list too (facts §6).
    "ResourceNotFoundProblem": {"properties": _ERRORS_LIST},
    "NotAuthorizedForResourceProblem": {"properties": _ERRORS_LIST},
    # Paged by max_results/pagination_token in 2.167 itself, yet its 2.167 bodies have no `meta` to page
    # with; xmock gives the `meta` every other paged list has (x-api-surface.md §19).
    "GetUsersBookmarkFoldersResponse": {"properties": {"meta": _PAGE_META}},
    "GetUsersBookmarksByFolderIdResponse": {"properties": {"meta": _PAGE_META}},
    # A failed video's STATUS says why, as X's media upload docs show it ({"code":1,"name":"InvalidMedia",
    # "message":"Unsupported video format"}); 2.167 closes processing_info to the three progress keys.
    "GetMediaUploadStatusResponseDataProcessingInfo": {
        "properties": {
            "error": {
                "type": "object",
                "required": ["code", "name", "message"],
                "properties": {"code": {"type": "integer"}, "name": {"type": "string"}, "message": {"type": "string"}},
            }
        }
    },
    "Problem": {
        "oneOf": [
            *({"$ref": f"#/components/schemas/{n}"} for n in (
                "ResourceNotFoundProblem", "InvalidRequestProblem", "NotAuthorizedForResourceProblem",
                "NotAuthorizedForFieldProblem", "FieldUnauthorizedProblem", "FieldHydrationFailureProblem",
                "ResourceUnavailableProblem", "DisallowedResourceProblem", "InternalErrorProblem",
            )),
            {"$ref": "#/components/schemas/LiveProblem"},
            {"$ref": "#/components/schemas/LiveStreamProblem"},
        ]
    },
    # X Activity follow/mute/block payloads wrap each user in `data` as X's event-payload docs show them
    # (x-api-surface.md §23); 2.167 puts the User object bare
    "FollowActivityResponsePayload": {"properties": {
        side: {"type": "object", "required": ["data"], "properties": {"data": {"$ref": "#/components/schemas/User"}}}
        for side in ("source", "target")}},
    # XChat: 2.167 declares a Post as addChatGroupMembers' answer (x-api-surface.md §27, a spec bug); xmock answers
    # what addConversationKeys answers, the conversation and the sequence id of the change
    "AddChatGroupMembersResponse": {"properties": {
        "data": {"$ref": "#/components/schemas/AddConversationKeysResponseData"}}},
    # streams: the live rules listing says when it was sent, as updateRules does (x-api-surface.md §21)
    "GetRulesResponse": {"properties": {"meta": {**_PAGE_META, "properties": {
        **_PAGE_META["properties"], "sent": {"type": "string"}}}}},
    # news: a story's `keywords` are a list of strings (xdk's News schema); 2.167 says object
    "News": {"properties": {"keywords": {"type": "array", "items": {"type": "string"}}}},
    # trends: 2.167 keeps `tweet_count` on Trend rows, which to_spec renames with every other count
    "Trend": {"properties": {"post_count": {"type": "integer"}}},
}


def to_spec(body: Any) -> Any:
    """A copy of a live-API body with keys renamed to 2.167's names (for checking against the spec)."""
    if isinstance(body, dict):
        return {
            RESPONSE_KEYS.get(k, k): to_spec(v) for k, v in body.items() if k not in RESPONSE_EXTRA_KEYS
        }
    if isinstance(body, list):
        return [to_spec(v) for v in body]
    return body

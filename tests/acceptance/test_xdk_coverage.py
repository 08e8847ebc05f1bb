"""Every method of xdk 0.10's clients but its streams and webhooks, unmodified, given the simulator's base URL,
and the count of all xdk's API methods xmock answers.

The clients: users (follows, blocks, mutes, likes, reposts, bookmarks, list follows and pins are methods of it),
posts, lists, media, usage, general, direct messages, compliance, communities, news, Community Notes, trends,
articles, Spaces, broadcasts, XChat and stream connections. Each method is called here and must give a real answer
(webhooks, account activity and activity subscriptions: test_xdk_webhooks.py). Across all of xdk's clients (172 API
methods; `session` is OAuth plumbing), each method is mapped to the spec operation it calls, so the README's count
of those xmock answers is measured, not kept by hand.
"""

from __future__ import annotations

import base64
import inspect
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import requests
from stream_support import reading, wait_open
from world_support import SCOPES, World, arrange, assert_answered
from xdk import Client

from xmock.simulator import media as media_rules
from xmock.simulator.pytest_plugin import XSim
from xmock.simulator.routes import ENDPOINTS
from xmock.simulator.spec import operations

README = Path(__file__).resolve().parents[2] / "README.md"
FAMILIES = ("users", "posts", "lists", "media", "usage", "general", "direct_messages", "compliance")
FAMILIES += ("communities", "news", "community_notes", "trends", "articles", "spaces", "broadcasts", "chat")
FAMILIES += ("connections",)
NOT_API = ("session",)  # xdk's OAuth helpers: they call no operation of the spec
GIF = base64.b64encode(b"GIF89a" + bytes(64)).decode()
PERIOD = {"start_time": "2020-01-01T00:00:00Z", "end_time": "2040-01-01T00:00:00Z"}


@dataclass
class Ctx:
    w: World
    sim: XSim
    c: Client  # the caller's OAuth 2.0 user token and the app's bearer token: xdk picks what each operation takes
    app_id: str
    bearer: str


def dm_with_media(x: Ctx) -> tuple[str, str]:
    """A DM from me to my friend carrying a GIF uploaded as a DM image: (its event id, the media id)."""
    media = first(x.c.media.upload(body={"media": GIF, "media_category": "dm_image"})).data.id
    body = {"attachments": [{"media_id": media}]}
    return x.c.direct_messages.create_by_participant_id(x.w.friend.id, body=body).data.dm_event_id, media


def first(pages: Any) -> Any:
    """The first page of a paginating method (xdk yields pages), or the answer of one that does not."""
    return next(iter(pages)) if inspect.isgenerator(pages) else pages


def ids(items: Any) -> list[str]:
    return [item.id for item in items or ()]


def media_id(x: Ctx) -> str:
    """A small GIF uploaded in one request; its id."""
    return first(x.c.media.upload(body={"media": GIF, "media_category": "tweet_gif"})).data.id


def video_with_track(x: Ctx) -> dict[str, Any]:
    """The caller's video with English subtitles (made through xdk): the delete body for that track."""
    mp4, srt = b"\x00\x00\x00\x18ftypmp42" + bytes(64), b"1\n00:00:00,000 --> 00:00:01,000\nhi\n"
    sim = x.sim.simulator
    video = media_rules.one_shot(sim, x.w.me.id, x.app_id, mp4, "video/mp4", "tweet_video")
    track = media_rules.one_shot(sim, x.w.me.id, x.app_id, srt, "text/srt", "subtitles")
    subtitles = {"id": track.id, "language_code": "EN", "display_name": "English"}
    made = x.c.media.create_subtitles(body={"id": video.id, "media_category": "TweetVideo", "subtitles": subtitles})
    assert made.data.id == video.id
    return {"id": video.id, "language_code": "EN", "media_category": "TweetVideo"}


def job(x: Ctx) -> str:
    return x.c.compliance.create_jobs(body={"type": "tweets"}).data.id

CALLS: dict[str, Callable[[Ctx], bool]] = {
    # posts
    "posts.create": lambda x: x.c.posts.create(body={"text": "from xdk"}).data.text == "from xdk",
    "posts.delete": lambda x: x.c.posts.delete(x.w.mine.id).data.deleted is True,
    "posts.get_by_id": lambda x: x.c.posts.get_by_id(x.w.post.id).data.text == "cats are the best",
    "posts.get_by_ids": lambda x: ids(x.c.posts.get_by_ids([x.w.post.id, x.w.mine.id]).data)
    == [x.w.post.id, x.w.mine.id],
    "posts.search_recent": lambda x: x.w.post.id in ids(first(x.c.posts.search_recent("cats -is:retweet")).data),
    "posts.search_all": lambda x: x.w.post.id in ids(first(x.c.posts.search_all("cats")).data),
    # xdk's models take 2.167's names of the count fields, the live API's are the default
    "posts.get_counts_recent": lambda x: x.sim.configure(count_field_names="2.167")
    and first(x.c.posts.get_counts_recent("cats")).meta.total_post_count >= 4,
    "posts.get_counts_all": lambda x: x.sim.configure(count_field_names="2.167")
    and first(x.c.posts.get_counts_all("cats")).meta.total_post_count >= 4,
    "posts.get_liking_users": lambda x: ids(first(x.c.posts.get_liking_users(x.w.mine.id)).data)
    == [x.w.fans[0].id],
    "posts.get_reposted_by": lambda x: ids(first(x.c.posts.get_reposted_by(x.w.mine.id)).data) == [x.w.fans[0].id],
    "posts.get_reposts": lambda x: ids(first(x.c.posts.get_reposts(x.w.mine.id)).data) == [x.w.repost.id],
    "posts.get_quoted": lambda x: ids(first(x.c.posts.get_quoted(x.w.mine.id)).data) == [x.w.quote.id],
    "posts.hide_reply": lambda x: x.c.posts.hide_reply(x.w.reply.id, body={"hidden": True}).data.hidden is True,
    "media.get_analytics": lambda x: (key := first(
        x.c.media.upload(body={"media": GIF, "media_category": "tweet_gif"})
    ).data.media_key)
    and x.c.media.get_analytics([key], granularity="total", **PERIOD).data[0].media_key == key,
    "posts.get_analytics": lambda x: x.c.posts.get_analytics(
        [x.w.mine.id], granularity="total", analytics_fields=["likes"], **PERIOD
    ).data[0].id
    == x.w.mine.id,
    # users: XChat public keys (registered through the control API's Python side)
    "users.get_public_key": lambda x: x.sim.add_chat_public_key(x.w.me.id, "cGs=", version="7") is not None
    and [k.public_key_version for k in x.c.users.get_public_key(x.w.me.id).data] == ["7"],
    "users.get_public_keys": lambda x: x.sim.add_chat_public_key(x.w.friend.id, "cGs=", version="8") is not None
    and [k.public_key_version for k in x.c.users.get_public_keys([x.w.friend.id]).data] == ["8"],
    # users: lookups and timelines
    "users.get_me": lambda x: x.c.users.get_me().data.id == x.w.me.id,
    "users.get_by_id": lambda x: x.c.users.get_by_id(x.w.friend.id).data.username == "friendly",
    "users.get_by_ids": lambda x: ids(x.c.users.get_by_ids([x.w.friend.id]).data) == [x.w.friend.id],
    "users.get_by_username": lambda x: x.c.users.get_by_username("friendly").data.id == x.w.friend.id,
    "users.get_by_usernames": lambda x: ids(x.c.users.get_by_usernames(["friendly", "locked"]).data)
    == [x.w.friend.id, x.w.protected.id],
    "users.search": lambda x: x.w.friend.id in ids(first(x.c.users.search("friendly")).data),
    "users.get_affiliates": lambda x: first(x.c.users.get_affiliates(x.w.me.id)).meta.result_count == 0,
    "users.get_posts": lambda x: x.w.mine.id in ids(first(x.c.users.get_posts(x.w.me.id)).data),
    "users.get_mentions": lambda x: ids(first(x.c.users.get_mentions(x.w.me.id)).data) == [x.w.mention.id],
    "users.get_timeline": lambda x: x.w.post.id in ids(first(x.c.users.get_timeline(x.w.me.id)).data),
    "users.get_reposts_of_me": lambda x: ids(first(x.c.users.get_reposts_of_me()).data) == [x.w.repost.id],
    # users: the graph
    "users.get_followers": lambda x: sorted(ids(first(x.c.users.get_followers(x.w.me.id)).data))
    == sorted(f.id for f in x.w.fans),
    "users.get_following": lambda x: ids(first(x.c.users.get_following(x.w.me.id)).data) == [x.w.friend.id],
    "users.follow_user": lambda x: x.c.users.follow_user(x.w.me.id, body={"target_user_id": x.w.protected.id}).data
    .pending_follow
    is True,
    "users.unfollow_user": lambda x: x.c.users.unfollow_user(x.w.me.id, x.w.friend.id).data.following is False,
    "users.get_blocking": lambda x: ids(first(x.c.users.get_blocking(x.w.me.id)).data) == [x.w.blocked.id],
    "users.get_muting": lambda x: ids(first(x.c.users.get_muting(x.w.me.id)).data) == [x.w.muted.id],
    "users.mute_user": lambda x: x.c.users.mute_user(x.w.me.id, body={"target_user_id": x.w.friend.id}).data.muting
    is True,
    "users.unmute_user": lambda x: x.c.users.unmute_user(x.w.me.id, x.w.muted.id).data.muting is False,
    # users: likes, reposts, bookmarks
    "users.like_post": lambda x: x.c.users.like_post(x.w.me.id, body={"tweet_id": x.w.mine.id}).data.liked is True,
    "users.unlike_post": lambda x: x.c.users.unlike_post(x.w.me.id, x.w.post.id).data.liked is False,
    "users.get_liked_posts": lambda x: ids(first(x.c.users.get_liked_posts(x.w.me.id)).data) == [x.w.post.id],
    "users.repost_post": lambda x: x.c.users.repost_post(x.w.me.id, body={"tweet_id": x.w.post.id}).data.retweeted
    is True,
    "users.unrepost_post": lambda x: x.c.users.repost_post(x.w.me.id, body={"tweet_id": x.w.post.id})
    and x.c.users.unrepost_post(x.w.me.id, x.w.post.id).data.retweeted is False,
    "users.get_bookmarks": lambda x: ids(first(x.c.users.get_bookmarks(x.w.me.id)).data) == [x.w.post.id],
    "users.create_bookmark": lambda x: x.c.users.create_bookmark(x.w.me.id, body={"tweet_id": x.w.mine.id})
    .data.bookmarked
    is True,
    "users.delete_bookmark": lambda x: x.c.users.delete_bookmark(x.w.me.id, x.w.post.id).data.bookmarked is False,
    "users.create_bookmark_folder": lambda x: x.c.users.create_bookmark_folder(x.w.me.id, body={"name": "cats"})
    .data.name
    == "cats",
    "users.get_bookmark_folders": lambda x: x.c.users.create_bookmark_folder(x.w.me.id, body={"name": "cats"})
    and [f.name for f in first(x.c.users.get_bookmark_folders(x.w.me.id)).data] == ["cats"],
    "users.get_bookmarks_by_folder_id": lambda x: first(
        x.c.users.get_bookmarks_by_folder_id(
            x.w.me.id, x.c.users.create_bookmark_folder(x.w.me.id, body={"name": "cats"}).data.id
        )
    ).meta
    == {"result_count": 0},
    # users: lists
    "users.get_owned_lists": lambda x: ids(first(x.c.users.get_owned_lists(x.w.me.id)).data) == [x.w.lst.id],
    "users.get_list_memberships": lambda x: ids(first(x.c.users.get_list_memberships(x.w.friend.id)).data)
    == [x.w.lst.id],
    "users.follow_list": lambda x: x.c.users.follow_list(x.w.me.id, body={"list_id": x.w.lst.id}).data.following
    is True,
    "users.unfollow_list": lambda x: x.c.users.unfollow_list(x.w.me.id, x.w.lst.id).data.following is False,
    "users.get_followed_lists": lambda x: x.c.users.follow_list(x.w.me.id, body={"list_id": x.w.lst.id})
    and ids(first(x.c.users.get_followed_lists(x.w.me.id)).data) == [x.w.lst.id],
    "users.pin_list": lambda x: x.c.users.pin_list(x.w.me.id, body={"list_id": x.w.lst.id}).data.pinned is True,
    "users.unpin_list": lambda x: x.c.users.unpin_list(x.w.me.id, x.w.lst.id).data.pinned is False,
    "users.get_pinned_lists": lambda x: x.c.users.pin_list(x.w.me.id, body={"list_id": x.w.lst.id})
    and ids(x.c.users.get_pinned_lists(x.w.me.id).data) == [x.w.lst.id],
    # lists
    "lists.create": lambda x: x.c.lists.create(body={"name": "dog people"}).data.name == "dog people",
    "lists.get_by_id": lambda x: x.c.lists.get_by_id(x.w.lst.id).data.name == "cat people",
    "lists.update": lambda x: x.c.lists.update(x.w.lst.id, body={"name": "cat folk"}).data.updated is True,
    "lists.delete": lambda x: x.c.lists.delete(x.w.lst.id).data.deleted is True,
    "lists.get_members": lambda x: ids(first(x.c.lists.get_members(x.w.lst.id)).data) == [x.w.friend.id],
    "lists.add_member": lambda x: x.c.lists.add_member(x.w.lst.id, body={"user_id": x.w.protected.id}).data.is_member
    is True,
    "lists.remove_member_by_user_id": lambda x: x.c.lists.remove_member_by_user_id(x.w.lst.id, x.w.friend.id)
    .data.is_member
    is False,
    "lists.get_followers": lambda x: first(x.c.lists.get_followers(x.w.lst.id)).meta.result_count == 0,
    "lists.get_posts": lambda x: x.w.post.id in ids(first(x.c.lists.get_posts(x.w.lst.id)).data),
    # media
    "media.upload": lambda x: media_id(x).isdigit(),
    "media.initialize_upload": lambda x: x.c.media.initialize_upload(
        body={"media_type": "image/gif", "total_bytes": 70, "media_category": "tweet_gif"}
    ).data.id.isdigit(),
    "media.append_upload": lambda x: x.c.media.append_upload(
        x.c.media.initialize_upload(body={"media_type": "image/gif", "total_bytes": 70}).data.id,
        body={"media": GIF, "segment_index": 0},
    )
    is not None,
    "media.finalize_upload": lambda x: _chunked(x).data.id.isdigit(),
    "media.get_upload_status": lambda x: x.c.media.get_upload_status(media_id(x)).data.id.isdigit(),
    "media.create_metadata": lambda x: x.c.media.create_metadata(
        body={"id": media_id(x), "metadata": {"alt_text": {"text": "a cat"}}}
    ).data.id.isdigit(),
    # usage and the spec
    "usage.get": lambda x: x.c.usage.get().data is not None,
    "general.get_open_api_spec": lambda x: "/2/tweets" in x.c.general.get_open_api_spec().model_dump()["paths"],
    # direct messages (the world has friend's DM to me)
    "direct_messages.create_by_participant_id": lambda x: x.c.direct_messages.create_by_participant_id(
        x.w.friend.id, body={"text": "hi"}
    ).data.dm_conversation_id == x.w.dm.dm_conversation_id,
    "direct_messages.create_by_conversation_id": lambda x: x.c.direct_messages.create_by_conversation_id(
        x.w.dm.dm_conversation_id, body={"text": "again"}
    ).data.dm_event_id.isdigit(),
    "direct_messages.create_conversation": lambda x: x.c.direct_messages.create_conversation(
        body={
            "conversation_type": "Group",
            "participant_ids": [x.w.friend.id, x.w.fans[0].id],
            "message": {"text": "all of us"},
        }
    ).data.dm_conversation_id.isdigit(),
    "direct_messages.get_events": lambda x: [e.text for e in first(x.c.direct_messages.get_events()).data]
    == ["hello from friend"],
    "direct_messages.get_events_by_conversation_id": lambda x: ids(
        first(x.c.direct_messages.get_events_by_conversation_id(x.w.dm.dm_conversation_id, expansions=["sender_id"]))
        .data
    ) == [x.w.dm.id],
    "direct_messages.get_events_by_participant_id": lambda x: ids(
        first(x.c.direct_messages.get_events_by_participant_id(x.w.friend.id, dm_event_fields=["created_at"])).data
    ) == [x.w.dm.id],
    "direct_messages.get_events_by_id": lambda x: x.c.direct_messages.get_events_by_id(x.w.dm.id).data.text
    == "hello from friend",
    "direct_messages.delete_events": lambda x: x.c.direct_messages.delete_events(
        x.c.direct_messages.create_by_participant_id(x.w.friend.id, body={"text": "oops"}).data.dm_event_id
    ).data.deleted is True,
    "direct_messages.dm_conversations_media_download": lambda x: len(
        x.c.direct_messages.dm_conversations_media_download(*dm_with_media(x), "gif")
    ) > 0,
    # media lookup and subtitles
    "media.get_by_key": lambda x: (key := first(
        x.c.media.upload(body={"media": GIF, "media_category": "tweet_gif"})
    ).data.media_key) and x.c.media.get_by_key(key).data.media_key == key,
    "media.get_by_keys": lambda x: (key := first(
        x.c.media.upload(body={"media": GIF, "media_category": "tweet_gif"})
    ).data.media_key) and [m.media_key for m in x.c.media.get_by_keys([key, "3_1"]).data] == [key],
    "media.create_subtitles": lambda x: bool(video_with_track(x)),
    "media.delete_subtitles": lambda x: x.c.media.delete_subtitles(body=video_with_track(x)).data.deleted is True,
    # batch compliance (the app's bearer token)
    "compliance.create_jobs": lambda x: x.c.compliance.create_jobs(body={"type": "users"}).data.status == "created",
    "compliance.get_jobs_by_id": lambda x: x.c.compliance.get_jobs_by_id(made := job(x)).data.id == made,
    "compliance.get_jobs": lambda x: (made := job(x)) and [j.id for j in x.c.compliance.get_jobs("tweets").data]
    == [made],
    "users.block_dms": lambda x: x.c.users.block_dms(x.w.friend.id).data.blocked is True,
    "users.unblock_dms": lambda x: x.c.users.unblock_dms(x.w.friend.id).data.blocked is False,
    # communities, news, Community Notes, trends, articles
    "communities.get_by_id": lambda x: x.c.communities.get_by_id(
        community(x, members=[x.w.me.id]), community_fields=["member_count"]
    ).data.member_count == 2,
    "communities.search": lambda x: community(x)
    in ids(first(x.c.communities.search("cat", community_fields=["description"])).data),
    "news.get": lambda x: x.c.news.get(
        x.sim.create_news("Cats rule", post_ids=[x.w.post.id])["id"], news_fields=["cluster_posts_results"]
    ).data.model_dump()["cluster_posts_results"] == [{"post_id": x.w.post.id}],
    "news.search": lambda x: x.sim.create_news("Cats rule")["id"]
    in ids(x.c.news.search("cats", max_age_hours=1).data),
    "community_notes.create": lambda x: x.c.community_notes.create(body=note_body(x.w.post.id)).data.id.isdigit(),
    "community_notes.delete": lambda x: x.c.community_notes.delete(
        x.c.community_notes.create(body=note_body(x.w.post.id)).data.id
    ).data.deleted is True,
    "community_notes.evaluate": lambda x: x.c.community_notes.evaluate(
        body={"post_id": x.w.post.id, "note_text": "In 2019, per https://a.example"}
    ).data.claim_opinion_score < 0.5,
    "community_notes.search_eligible_posts": lambda x: x.w.post.id
    in ids(first(x.c.community_notes.search_eligible_posts(False, max_results=100)).data),
    "community_notes.search_written": lambda x: x.c.community_notes.create(body=note_body(x.w.post.id)).data.id
    in ids(first(x.c.community_notes.search_written(False, note_fields=["status"])).data),
    "trends.get_by_woeid": lambda x: "cats" in [t.trend_name for t in x.c.trends.get_by_woeid(1).data],
    "trends.get_personalized": lambda x: "cats" in [t.trend_name for t in x.c.trends.get_personalized().data],
    "articles.article_create_draft": lambda x: x.c.articles.article_create_draft(body=ARTICLE).data.title == "Cats",
    "articles.article_publish": lambda x: x.c.articles.article_publish(
        x.c.articles.article_create_draft(body=ARTICLE).data.id
    ).data.post_id.isdigit(),
    # Spaces (the world has my live, ticketed Space about cats)
    "spaces.get_by_id": lambda x: x.c.spaces.get_by_id(x.w.space["id"], space_fields=["title"]).data.title
    == "all about cats",
    "spaces.get_by_ids": lambda x: ids(x.c.spaces.get_by_ids([x.w.space["id"]]).data) == [x.w.space["id"]],
    "spaces.get_by_creator_ids": lambda x: ids(x.c.spaces.get_by_creator_ids([x.w.me.id]).data) == [x.w.space["id"]],
    "spaces.search": lambda x: ids(x.c.spaces.search("cats", state="live").data) == [x.w.space["id"]],
    "spaces.get_buyers": lambda x: ids(first(x.c.spaces.get_buyers(x.w.space["id"])).data) == [x.w.fans[0].id],
    "spaces.get_posts": lambda x: ids(first(x.c.spaces.get_posts(x.w.space["id"])).data) == [x.w.post.id],
    # broadcasts (scheduled ones of mine, made through xdk; chat in one arranged live now)
    "broadcasts.create_scheduled_broadcast": lambda x: broadcast(x).state == "Scheduled",
    "broadcasts.get_scheduled_broadcast": lambda x: x.c.broadcasts.get_scheduled_broadcast(
        (made := broadcast(x)).broadcast_id
    ).data.scheduled_broadcast_id == made.scheduled_broadcast_id,
    "broadcasts.list_scheduled": lambda x: (made := broadcast(x).broadcast_id)
    and [b.broadcast_id for b in first(x.c.broadcasts.list_scheduled()).data] == [made],
    "broadcasts.update_scheduled_broadcast": lambda x: x.c.broadcasts.update_scheduled_broadcast(
        (made := broadcast(x)).broadcast_id,
        body={"scheduled_broadcast_id": made.scheduled_broadcast_id, **schedule(x, 1200), "title": "Later show"},
    ).data.title == "Later show",
    "broadcasts.delete_scheduled_broadcast": lambda x: x.c.broadcasts.delete_scheduled_broadcast(
        broadcast(x).broadcast_id
    ).data.deleted is True,
    "broadcasts.go_live_scheduled_broadcast": lambda x: x.c.broadcasts.go_live_scheduled_broadcast(
        broadcast(x, manual_publish=True, start=0).broadcast_id
    ).data.state == "Running",
    "broadcasts.send_broadcast_chat": lambda x: x.c.broadcasts.send_broadcast_chat(
        x.sim.create_broadcast(x.w.me.id, "Live now")["id"], body={"text": "hello"}
    ).data.timestamp is not None,
    # XChat (a one-to-one conversation with my friend is addressed by the friend's id)
    "chat.send_message": lambda x: chat_send(x).data.encoded_message_event is not None,
    "chat.get_conversations": lambda x: bool(chat_send(x))
    and len(first(x.c.chat.get_conversations()).data) == 1,
    "chat.get_conversation": lambda x: bool(chat_send(x))
    and x.c.chat.get_conversation(x.w.friend.id).data.id == chat_pair(x),
    "chat.get_conversation_events": lambda x: bool(chat_send(x))
    and len(first(x.c.chat.get_conversation_events(x.w.friend.id)).data) == 1,
    "chat.mark_conversation_read": lambda x: x.c.chat.mark_conversation_read(
        x.w.friend.id, body={"seen_until_sequence_id": x.sim.send_chat_message(x.w.friend.id, x.w.me.id, B64)["id"]}
    ).data.success is True,
    "chat.send_typing_indicator": lambda x: bool(chat_send(x))
    and x.c.chat.send_typing_indicator(x.w.friend.id) is not None,
    "chat.delete_messages": lambda x: x.c.chat.delete_messages(
        x.w.friend.id,
        body={"sequence_ids": [sequence_id(chat_send(x))], "delete_message_action": "delete_for_all",
              "action_signatures": SIGNATURES},
    ).data.deleted is True,
    "chat.initialize_group": lambda x: x.c.chat.initialize_group().data.conversation_id.startswith("g"),
    "chat.create_conversation": lambda x: group(x).startswith("g"),
    "chat.add_group_members": lambda x: x.c.chat.add_group_members(
        group(x),
        body={"user_ids": [x.w.fans[1].id], "conversation_key_version": "2",
              "conversation_participant_keys": chat_keys(x.w.me, x.w.friend, x.w.fans[0], x.w.fans[1])},
    ).data.sequence_id is not None,
    "chat.add_conversation_keys": lambda x: x.c.chat.add_conversation_keys(
        group(x),
        body={"conversation_key_version": "2", "conversation_participant_keys": chat_keys(
            x.w.me, x.w.friend, x.w.fans[0]
        )},
    ).data.sequence_id is not None,
    "chat.add_user_public_key": lambda x: x.c.chat.add_user_public_key(
        x.w.me.id, body={"public_key": {"public_key": B64, "signing_public_key": B64,
                                        "identity_public_key_signature": B64}, "version": "1"}
    ).data is not None,
    "chat.media_upload_initialize": lambda x: x.c.chat.media_upload_initialize(
        body={"conversation_id": x.w.friend.id, "total_bytes": 3}
    ).data.media_hash_key is not None,
    "chat.media_upload_append": lambda x: bool(chat_media(x, finalize=False)),
    "chat.media_upload_finalize": lambda x: bool(chat_media(x)),
    "chat.media_download": lambda x: x.c.chat.media_download(*chat_media(x)) == b"cat",
    # stream connections (the app's filtered stream, read by a plain client meanwhile)
    "connections.get_connection_history": lambda x: streaming(
        x, lambda: [c.endpoint_name for c in first(x.c.connections.get_connection_history()).data]
        == ["filtered_stream"]
    ),
    "connections.delete_all": lambda x: streaming(x, lambda: x.c.connections.delete_all().data.successful_kills == 1),
    "connections.delete_by_endpoint": lambda x: streaming(
        x, lambda: x.c.connections.delete_by_endpoint("filtered_stream").data.successful_kills == 1
    ),
    "connections.delete_by_uuids": lambda x: streaming(
        x, lambda: x.c.connections.delete_by_uuids(
            body={"uuids": [c["id"] for c in x.sim.store.stream_connections(x.app_id)]}
        ).data.successful_kills == 1
    ),
}


def streaming(x: Ctx, check: Callable[[], bool]) -> bool:
    """`check` while the app's filtered stream is open (read by a plain client, not xdk)."""
    with reading(x.sim, x.bearer):
        wait_open(x.sim.simulator, x.app_id, "filtered_stream")
        return check()


B64 = base64.b64encode(b"ciphertext").decode()
SIGNATURES = [{"message_id": "d1", "encoded_message_event_detail": "ZGV0YWls",
               "message_event_signature": {"signature": "c2ln", "public_key_version": "1", "signature_version": "1"}}]


def schedule(x: Ctx, start: int) -> dict[str, str]:
    """A broadcast schedule from `start` seconds after the simulator's now, for an hour (milliseconds, as text)."""
    now = int(x.sim.clock.now())
    return {"scheduled_start_ms": str((now + start) * 1000), "scheduled_end_ms": str((now + start + 3600) * 1000)}


def broadcast(x: Ctx, *, manual_publish: bool = False, start: int = 600) -> Any:
    """A broadcast of mine scheduled through xdk (in ten minutes unless told): its data."""
    body = {"source_id": "key-1", "title": "Show", "manual_publish": manual_publish, **schedule(x, start)}
    return x.c.broadcasts.create_scheduled_broadcast(body=body).data


def chat_pair(x: Ctx) -> str:
    low, high = sorted((x.w.me.id, x.w.friend.id), key=int)
    return f"{low}-{high}"


def chat_send(x: Ctx) -> Any:
    """An encrypted message from me to my friend, through xdk: the answer."""
    return x.c.chat.send_message(x.w.friend.id, body={"message_id": "m1", "encoded_message_create_event": B64})


def sequence_id(sent: Any) -> str:
    return json.loads(base64.b64decode(sent.data.encoded_message_event))["sequence_id"]


def chat_keys(*users: Any) -> list[dict[str, str]]:
    return [{"user_id": u.id, "encrypted_conversation_key": B64} for u in users]


def group(x: Ctx) -> str:
    """A group of me, my friend and the first fan, made through xdk: its id."""
    made = x.c.chat.initialize_group().data.conversation_id
    body = {"conversation_id": made, "conversation_key_version": "1", "group_members": [x.w.friend.id, x.w.fans[0].id],
            "group_name": "cats", "conversation_participant_keys": chat_keys(x.w.me, x.w.friend, x.w.fans[0])}
    assert x.c.chat.create_conversation(body=body).data is not None
    return made


def chat_media(x: Ctx, *, finalize: bool = True) -> tuple[str, str]:
    """Three bytes uploaded in one part to my conversation with my friend: (conversation id, media hash key)."""
    init = x.c.chat.media_upload_initialize(body={"conversation_id": x.w.friend.id, "total_bytes": 3}).data
    where = {"conversation_id": init.conversation_id, "media_hash_key": init.media_hash_key}
    x.c.chat.media_upload_append(init.session_id, body={**where, "segment_index": 0, "media": "Y2F0"})
    if finalize:
        assert x.c.chat.media_upload_finalize(init.session_id, body={**where, "num_parts": "1"}).data.success is True
    return init.conversation_id, init.media_hash_key


ARTICLE = {"title": "Cats", "content_state": {"blocks": [{"text": "On cats.", "type": "unstyled"}], "entities": []}}


def community(x: Ctx, members: list[str] | None = None) -> str:
    """A community of cat lovers made by my friend; its id."""
    return x.sim.create_community(x.w.friend.id, "Cat lovers", "all about cats", members=members or [])["id"]


def note_body(post_id: str) -> dict[str, Any]:
    info = {
        "text": "Cats are not the best, see https://a.example",
        "classification": "misinformed_or_potentially_misleading",
        "misleading_tags": ["disputed_claim_as_fact"],
        "trustworthy_sources": True,
    }
    return {"post_id": post_id, "test_mode": False, "info": info}


def _chunked(x: Ctx) -> Any:
    media = x.c.media.initialize_upload(body={"media_type": "image/gif", "total_bytes": 70}).data.id
    x.c.media.append_upload(media, body={"media": GIF, "segment_index": 0})
    return x.c.media.finalize_upload(media)


def api_methods() -> set[str]:
    """`family.method` for every public method of the families' client classes."""
    client = Client(base_url="http://127.0.0.1:9")
    return {
        f"{family}.{name}"
        for family in FAMILIES
        for name, _ in inspect.getmembers(type(getattr(client, family)), inspect.isfunction)
        if not name.startswith("_")
    }


@pytest.fixture
def ctx(x_sim, x_app, x_user) -> Ctx:
    world = arrange(x_sim, x_app, x_user.user)
    token = requests.post(
        x_sim.url("/oauth2/token"),
        data={"grant_type": "client_credentials"},
        auth=(x_app.consumer_key, x_app.consumer_secret),
    )
    access, _ = x_sim.mint_oauth2_token(x_app.id, x_user.id, SCOPES)
    client = Client(base_url=x_sim.base_url, access_token=access.token, bearer_token=token.json()["access_token"])
    return Ctx(world, x_sim, client, x_app.id, token.json()["access_token"])


def test_every_method_is_called():
    methods = api_methods()
    assert len(methods) == 136, "xdk's clients changed: look at what they added or dropped"
    assert methods == CALLS.keys()


@pytest.mark.parametrize("method", sorted(CALLS))
def test_method_answers(method, ctx, x_sim):
    before = len(x_sim.journal())
    assert CALLS[method](ctx) is True
    assert_answered(x_sim, before, method)


def test_readme_states_the_measured_count(capsys):
    answered, total = len(CALLS), len(api_methods())
    claim = f"xdk 0.10's clients of these families: xmock answers {answered} of their {total} methods"
    with capsys.disabled():
        print(f"\n{claim}")
    assert claim in README.read_text(encoding="utf-8")


def operation_of(method: Any) -> tuple[str, str]:
    """(HTTP method, spec path) an xdk method calls, read from its generated body (streams GET)."""
    source = inspect.getsource(method)
    path = re.search(r'"(/2/[^"?]*)"', source)
    verbs = set(re.findall(r"self\.client\.session\.(get|post|put|delete|patch)\(", source))
    assert path is not None and len(verbs) <= 1, method.__qualname__
    return (verbs.pop().upper() if verbs else "GET"), path.group(1)


def all_api_methods() -> dict[str, tuple[str, str]]:
    """Every API method of every xdk client, with the operation it calls."""
    client = Client(base_url="http://127.0.0.1:9")
    out = {}
    for family in dir(client):
        clazz = type(getattr(client, family))
        if family.startswith("_") or family in NOT_API or clazz.__module__.split(".")[0] != "xdk":
            continue
        for name, function in inspect.getmembers(clazz, inspect.isfunction):
            if not name.startswith("_"):
                out[f"{family}.{name}"] = operation_of(function)
    return out


def test_readme_counts_every_xdk_method_xmock_answers(capsys):
    """All of xdk's 172 API methods map to an operation of the spec; those whose operation xmock simulates
    (declared, and so never answering `x-xmock-not-simulated`: tests/test_spec.py) are the ones it answers."""
    methods, spec_ops = all_api_methods(), {(op.method, op.path) for op in operations()}
    simulated = {(e.method, e.path) for e in ENDPOINTS}
    assert len(methods) == 172, "xdk changed: look at what it added or dropped"
    assert {m: op for m, op in methods.items() if op not in spec_ops} == {}
    answered = {m for m, op in methods.items() if op in simulated}
    assert set(CALLS) <= answered  # the calls above agree
    claim = f"xdk 0.10 as a whole: xmock answers {len(answered)} of its {len(methods)} API methods"
    with capsys.disabled():
        print(f"\n{claim}; not yet: {sorted(set(methods) - answered)}")
    assert claim in README.read_text(encoding="utf-8")

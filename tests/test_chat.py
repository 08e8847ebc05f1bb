"""XChat: one-to-one and group conversations, conversation keys, encrypted messages (send, resend, delete for all
and for self), events and their paging, read receipts and typing, chat media upload and download, the DM rules
(blocks, DM settings), membership, the DM app permission, and the event log. Every body is checked against 2.167."""

from __future__ import annotations

import base64
import json

import pytest
import requests
from oauth2_support import app_bearer
from openapi_shapes import assert_matches
from requests_oauthlib import OAuth1Session

from xmock.simulator import events

SCOPES = "dm.read dm.write tweet.read users.read media.write offline.access"
CONV = "/2/chat/conversations/{id}"


def _h(sim, world, user, scopes=SCOPES) -> dict[str, str]:
    access, _ = sim.mint_oauth2_token(world.app.id, user.id, scopes)
    return {"Authorization": f"Bearer {access.token}"}


def b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode()


@pytest.fixture
def pair(sim, world):
    bob = sim.create_user(username="bob", name="Bob")
    return world.user, bob, _h(sim, world, world.user), _h(sim, world, bob)


def _send(world, h, conversation: str, message_id: str, payload: bytes = b"ciphertext", **more) -> requests.Response:
    body = {"message_id": message_id, "encoded_message_create_event": b64(payload), **more}
    return requests.post(world.url(f"/2/chat/conversations/{conversation}/messages"), json=body, headers=h)


def _keys(*users, version="1") -> list[dict]:
    return [{"user_id": u.id, "encrypted_conversation_key": b64(f"key-{u.id}-{version}".encode())} for u in users]


def test_one_to_one_send_read_events_and_resend(world, sim, pair):
    me, bob, h_me, h_bob = pair
    r = _send(world, h_me, bob.id, "m1", b"\x00secret", encoded_message_event_signature=b64(b"sig"))
    assert r.status_code == 201, r.text
    assert_matches(CONV + "/messages", "post", 201, r.json())
    envelope = json.loads(base64.b64decode(r.json()["data"]["encoded_message_event"]))
    low, high = sorted((me.id, bob.id), key=int)
    assert envelope["conversation_id"] == f"{low}-{high}" and envelope["sender_id"] == me.id
    assert envelope["encoded_message_create_event"] == b64(b"\x00secret")
    again = _send(world, h_me, f"{low}-{high}", "m1", b"\x00secret")  # a resend of the same client message id
    assert again.status_code == 201 and again.json() == r.json()
    assert _send(world, h_bob, me.id, "m2", b"reply").status_code == 201

    url = world.url(f"/2/chat/conversations/{low}-{high}/events")
    page = requests.get(url, headers=h_bob).json()
    assert_matches(CONV + "/events", "get", 200, page)
    assert [base64.b64decode(e["encoded_event"]) for e in page["data"]] == [b"reply", b"\x00secret"]
    assert page["meta"]["result_count"] == 2 and page["meta"]["has_more"] is False
    fields = "sender_id,previous_id,created_at,message_event_signature,is_trusted,conversation_id"
    full = requests.get(url, params={"chat_message_event.fields": fields}, headers=h_me).json()
    assert_matches(CONV + "/events", "get", 200, full)
    newest, oldest = full["data"]
    assert newest["sender_id"] == bob.id and newest["previous_id"] == oldest["id"] and "previous_id" not in oldest
    assert oldest["message_event_signature"] == {"encoded_message_event_signature": b64(b"sig")}
    assert oldest["is_trusted"] is False and oldest["created_at"].endswith("Z")

    listed = requests.get(world.url("/2/chat/conversations"), headers=h_bob).json()
    assert_matches("/2/chat/conversations", "get", 200, listed)
    assert listed["data"] == [{"id": f"{low}-{high}", "type": "one_to_one"}]
    assert listed["meta"]["has_message_requests"] is False  # bob wrote back


def test_events_page_newest_first(world, sim, pair):
    _, bob, h_me, _ = pair
    for i in range(5):
        assert _send(world, h_me, bob.id, f"m{i}", f"p{i}".encode()).status_code == 201
    url = world.url(f"/2/chat/conversations/{bob.id}/events")
    first = requests.get(url, params={"max_results": 3}, headers=h_me).json()
    assert first["meta"]["has_more"] is True and first["meta"]["result_count"] == 3
    second = requests.get(url, params={"max_results": 3, "pagination_token": first["meta"]["next_token"]},
                          headers=h_me).json()
    assert_matches(CONV + "/events", "get", 200, second)
    seen = [base64.b64decode(e["encoded_event"]) for e in first["data"] + second["data"]]
    assert seen == [b"p4", b"p3", b"p2", b"p1", b"p0"] and "next_token" not in second["meta"]
    bad = requests.get(url, params={"max_results": 101}, headers=h_me)
    assert bad.status_code == 400
    assert_matches(CONV + "/events", "get", 400, bad.json())


def test_message_requests_and_dm_rules(world, sim, pair):
    me, bob, h_me, h_bob = pair
    assert _send(world, h_bob, me.id, "hello").status_code == 201
    listed = requests.get(world.url("/2/chat/conversations"), headers=h_me).json()
    assert listed["meta"]["has_message_requests"] is True  # from someone I do not follow, unanswered

    sim.dm_block(me.id, bob.id)
    blocked = _send(world, h_bob, me.id, "again")
    assert blocked.status_code == 403
    assert_matches(CONV + "/messages", "post", 403, blocked.json())
    carol = sim.create_user(username="carol", dm_setting="following")
    refused = _send(world, h_me, carol.id, "x")
    assert refused.status_code == 403 and "following" in refused.json()["detail"]

    outsider = _h(sim, world, carol)
    low, high = sorted((me.id, bob.id), key=int)
    r = requests.get(world.url(f"/2/chat/conversations/{low}-{high}/events"), headers=outsider)
    assert r.status_code == 403
    assert_matches(CONV + "/events", "get", 403, r.json())
    bad = requests.get(world.url("/2/chat/conversations/x12/events"), headers=h_me)
    assert bad.status_code == 400
    assert_matches(CONV + "/events", "get", 400, bad.json())


def test_group_initialize_create_members_and_keys(world, sim, pair):
    me, bob, h_me, h_bob = pair
    carol, dave = sim.create_user(username="carol"), sim.create_user(username="dave")
    init = requests.post(world.url("/2/chat/conversations/group/initialize"), headers=h_me)
    assert init.status_code == 200, init.text
    assert_matches("/2/chat/conversations/group/initialize", "post", 200, init.json())
    group = init.json()["data"]["conversation_id"]
    assert group.startswith("g")

    body = {
        "conversation_id": group,
        "conversation_key_version": "1",
        "group_members": [bob.id, carol.id],
        "group_name": "team",
        "ttl_msec": "86400000",
        "conversation_participant_keys": _keys(me, bob),  # carol's key is missing
    }
    url = world.url("/2/chat/conversations/group")
    missing = requests.post(url, json=body, headers=h_me)
    assert missing.status_code == 400 and carol.id in missing.json()["errors"][0]["message"]
    assert_matches("/2/chat/conversations/group", "post", 400, missing.json())
    body["conversation_participant_keys"] = _keys(me, bob, carol)
    stolen = requests.post(url, json=body, headers=h_bob)  # bob did not initialize it
    assert stolen.status_code == 400
    created = requests.post(url, json=body, headers=h_me)
    assert created.status_code == 201, created.text
    assert_matches("/2/chat/conversations/group", "post", 201, created.json())
    key_change = created.json()["data"]["conversation_key_change_sequence_id"]
    assert requests.post(url, json=body, headers=h_me).status_code == 400  # made once

    params = {"chat_conversation.fields": "group_name,message_ttl_ms,created_at", "expansions": "admin_ids,member_ids",
              "user.fields": "username"}
    one = requests.get(world.url(f"/2/chat/conversations/{group}"), params=params, headers=h_bob).json()
    assert_matches(CONV, "get", 200, one)
    assert one["data"]["group_name"] == "team" and one["data"]["message_ttl_ms"] == 86_400_000
    assert one["data"]["admin_ids"] == [me.id] and set(one["data"]["member_ids"]) == {me.id, bob.id, carol.id}
    assert {u["username"] for u in one["includes"]["users"]} == {me.username, "bob", "carol"}

    members_url = world.url(f"/2/chat/conversations/{group}/members")
    not_admin = requests.post(members_url, json={"user_ids": [dave.id]}, headers=h_bob)
    assert not_admin.status_code == 403
    added = requests.post(members_url, json={"user_ids": [dave.id], "conversation_key_version": "2",
                                             "conversation_participant_keys": _keys(me, bob, carol, dave, version="2")},
                          headers=h_me)
    assert added.status_code == 200, added.text
    assert_matches(CONV + "/members", "post", 200, added.json())
    again = requests.post(members_url, json={"user_ids": [dave.id]}, headers=h_me)
    assert again.status_code == 400  # already in

    keys = requests.post(world.url(f"/2/chat/conversations/{group}/keys"),
                         json={"conversation_key_version": "3",
                               "conversation_participant_keys": _keys(me, bob, carol, dave, version="3")},
                         headers=_h(sim, world, dave))
    assert keys.status_code == 200, keys.text
    assert_matches(CONV + "/keys", "post", 200, keys.json())
    assert _send(world, _h(sim, world, dave), group, "hi all").status_code == 201
    page = requests.get(world.url(f"/2/chat/conversations/{group}/events"), headers=h_me).json()
    assert_matches(CONV + "/events", "get", 200, page)
    assert page["meta"]["conversation_key_events"] == [
        keys.json()["data"]["sequence_id"], added.json()["data"]["sequence_id"], key_change
    ]
    assert len(page["data"]) == 1

    sim.clock.advance(86_401)  # past the group's message time-to-live
    fresh = _h(sim, world, me)  # the earlier token has expired too
    expired = requests.get(world.url(f"/2/chat/conversations/{group}/events"), headers=fresh).json()
    assert expired["data"] == [] and len(expired["meta"]["conversation_key_events"]) == 3


def test_delete_for_all_and_for_self(world, sim, pair):
    me, bob, h_me, h_bob = pair
    ids = [json.loads(base64.b64decode(_send(world, h_me, bob.id, f"m{i}").json()["data"]["encoded_message_event"]))
           ["sequence_id"] for i in range(2)]
    url = world.url(f"/2/chat/conversations/{bob.id}/messages/delete")
    sig = [{"message_id": "d1", "encoded_message_event_detail": "ZGV0YWls",
            "message_event_signature": {"signature": "c2ln", "public_key_version": "1", "signature_version": "1"}}]
    not_mine = requests.post(world.url(f"/2/chat/conversations/{me.id}/messages/delete"), headers=h_bob,
                             json={"sequence_ids": [ids[0]], "delete_message_action": "delete_for_all",
                                   "action_signatures": sig})
    assert not_mine.status_code == 403
    assert_matches(CONV + "/messages/delete", "post", 403, not_mine.json())
    gone = requests.post(url, json={"sequence_ids": [ids[0]], "delete_message_action": "delete_for_all",
                                    "action_signatures": sig}, headers=h_me)
    assert gone.status_code == 200 and gone.json() == {"data": {"deleted": True}}
    assert_matches(CONV + "/messages/delete", "post", 200, gone.json())
    hidden = requests.post(world.url(f"/2/chat/conversations/{me.id}/messages/delete"), headers=h_bob,
                           json={"sequence_ids": [ids[1]], "delete_message_action": "delete_for_self",
                                 "action_signatures": sig})
    assert hidden.status_code == 200
    events_url = f"/2/chat/conversations/{bob.id}/events"
    assert [e["id"] for e in requests.get(world.url(events_url), headers=h_me).json()["data"]] == [ids[1]]
    bobs = requests.get(world.url(f"/2/chat/conversations/{me.id}/events"), headers=h_bob).json()
    assert bobs.get("data", []) == []
    unknown = requests.post(url, json={"sequence_ids": [ids[0]], "delete_message_action": "delete_for_all",
                                       "action_signatures": sig}, headers=h_me)
    assert unknown.status_code in (200, 404) and unknown.json()["errors"][0]["resource_type"] == "message"
    bad = requests.post(url, json={"sequence_ids": [ids[1]], "delete_message_action": "everyone",
                                   "action_signatures": sig}, headers=h_me)
    assert bad.status_code == 400
    assert_matches(CONV + "/messages/delete", "post", 400, bad.json())


def test_read_typing_and_the_event_log(world, sim, pair):
    me, bob, h_me, h_bob = pair
    cursor = sim.store.event_cursor()
    sent = _send(world, h_me, bob.id, "m1").json()["data"]["encoded_message_event"]
    sequence_id = json.loads(base64.b64decode(sent))["sequence_id"]
    read = requests.post(world.url(f"/2/chat/conversations/{me.id}/read"), json={"seen_until_sequence_id": sequence_id},
                         headers=h_bob)
    assert read.status_code == 200 and read.json() == {"data": {"success": True}}
    assert_matches(CONV + "/read", "post", 200, read.json())
    typing = requests.post(world.url(f"/2/chat/conversations/{me.id}/typing"), headers=h_bob)
    assert typing.status_code == 200
    assert_matches(CONV + "/typing", "post", 200, typing.json())
    wrong = requests.post(world.url(f"/2/chat/conversations/{me.id}/read"), json={"seen_until_sequence_id": "12"},
                          headers=h_bob)
    assert wrong.status_code in (200, 404) and "errors" in wrong.json()
    missing = requests.post(world.url(f"/2/chat/conversations/{me.id}/read"), json={}, headers=h_bob)
    assert missing.status_code == 400
    assert_matches(CONV + "/read", "post", 400, missing.json())
    logged = [e for _, e in sim.store.events_after(cursor) if e["type"].startswith("chat.")]
    assert [e["type"] for e in logged] == ["chat.message", "chat.read", "chat.typing"]
    assert logged[1]["seen_until_sequence_id"] == sequence_id and logged[2]["sender_id"] == bob.id
    assert sim.chat_conversation(f"{min(me.id, bob.id, key=int)}-{max(me.id, bob.id, key=int)}")["reads"] == {
        bob.id: sequence_id
    }
    assert events is not None


def test_media_upload_and_download(world, sim, pair):
    me, bob, h_me, h_bob = pair
    blob = bytes(range(256)) * 3
    init = requests.post(world.url("/2/chat/media/upload/initialize"),
                         json={"conversation_id": bob.id, "total_bytes": len(blob)}, headers=h_me)
    assert init.status_code == 200, init.text
    assert_matches("/2/chat/media/upload/initialize", "post", 200, init.json())
    data = init.json()["data"]
    session, key, conversation = data["session_id"], data["media_hash_key"], data["conversation_id"]
    first = {"conversation_id": conversation, "media_hash_key": key, "segment_index": 0, "media": b64(blob[:500])}
    appended = requests.post(world.url(f"/2/chat/media/upload/{session}/append"), json=first, headers=h_me)
    assert appended.status_code == 200, appended.text
    assert_matches("/2/chat/media/upload/{id}/append", "post", 200, appended.json())
    multipart = requests.post(
        world.url(f"/2/chat/media/upload/{session}/append"),
        data={"conversation_id": conversation, "media_hash_key": key, "segment_index": "1"},
        files={"media": ("blob", blob[500:])},
        headers=h_me,
    )
    assert multipart.status_code == 200, multipart.text
    final_url = world.url(f"/2/chat/media/upload/{session}/finalize")
    short = requests.post(final_url, json={"conversation_id": conversation, "media_hash_key": key, "num_parts": "3"},
                          headers=h_me)
    assert short.status_code == 400
    assert_matches("/2/chat/media/upload/{id}/finalize", "post", 400, short.json())
    done = requests.post(final_url, json={"conversation_id": conversation, "media_hash_key": key, "num_parts": "2"},
                         headers=h_me)
    assert done.status_code == 200 and done.json() == {"data": {"success": True}}
    assert_matches("/2/chat/media/upload/{id}/finalize", "post", 200, done.json())

    got = requests.get(world.url(f"/2/chat/media/{me.id}/{key}"), headers=h_bob)
    assert got.status_code == 200 and got.content == blob
    assert got.headers["content-type"] == "application/octet-stream"
    carol = sim.create_user(username="carol")
    assert requests.get(world.url(f"/2/chat/media/{conversation}/{key}"), headers=_h(sim, world, carol)).status_code \
        == 403
    too_big = requests.post(world.url("/2/chat/media/upload/initialize"),
                            json={"conversation_id": bob.id, "total_bytes": sim.settings.chat_media_max_bytes + 1},
                            headers=h_me)
    assert too_big.status_code == 400
    assert_matches("/2/chat/media/upload/initialize", "post", 400, too_big.json())
    extra = requests.post(world.url("/2/chat/media/upload/initialize"),
                          json={"conversation_id": bob.id, "total_bytes": 1, "x": 1}, headers=h_me)
    assert extra.status_code == 400 and "additional properties" in extra.json()["errors"][0]["message"]


def test_public_keys(world, sim, pair):
    me, bob, h_me, h_bob = pair
    key = {"public_key": b64(b"identity"), "signing_public_key": b64(b"signing"),
           "identity_public_key_signature": "c2ln"}
    url = world.url(f"/2/users/{me.id}/public_keys")
    r = requests.post(url, json={"public_key": key, "version": "1"}, headers=h_me)
    assert r.status_code == 200, r.text
    assert_matches("/2/users/{id}/public_keys", "post", 200, r.json())
    assert r.json()["data"]["public_key_version"] == "1" and r.json()["data"]["juicebox_config"]["realms"]
    assert requests.post(url, json={"public_key": key, "version": "1"}, headers=h_me).status_code == 400
    generated = requests.post(url, json={"public_key": key, "version": "", "generate_version": True}, headers=h_me)
    newer = generated.json()["data"]["public_key_version"]
    assert int(newer) > 1
    not_mine = requests.post(world.url(f"/2/users/{bob.id}/public_keys"), json={"public_key": key, "version": "1"},
                             headers=h_me)
    assert not_mine.status_code == 400

    mine = requests.get(url, params={"public_key.fields": "signing_public_key"}, headers=h_bob).json()
    assert_matches("/2/users/{id}/public_keys", "get", 200, mine)
    assert [k["public_key_version"] for k in mine["data"]] == [newer, "1"]
    assert mine["data"][0]["signing_public_key"] == b64(b"signing")
    many = requests.get(world.url("/2/users/public_keys"), params={"ids": f"{me.id},{bob.id},9"}, headers=h_bob).json()
    assert_matches("/2/users/public_keys", "get", 200, many)
    assert [k["public_key_version"] for k in many["data"]] == [newer]
    assert [e["value"] for e in many["errors"]] == [bob.id, "9"]

    # a member's key version must be one they registered; a message from a registered sender is trusted
    assert _send(world, h_me, bob.id, "m1").status_code == 201
    bad = requests.post(world.url(f"/2/chat/conversations/{bob.id}/keys"),
                        json={"conversation_key_version": "1", "conversation_participant_keys": [
                            {**k, "public_key_version": "7"} if k["user_id"] == me.id else k for k in _keys(me, bob)]},
                        headers=h_me)
    assert bad.status_code == 400
    events_ = requests.get(world.url(f"/2/chat/conversations/{bob.id}/events"),
                           params={"chat_message_event.fields": "is_trusted"}, headers=h_me).json()
    assert events_["data"][0]["is_trusted"] is True


def test_oauth1_needs_the_dm_permission_and_bearer_is_refused(world, sim, pair):
    me, bob, _, _ = pair
    r = world.session().get(world.url("/2/chat/conversations"))  # the fixture's app is read-write
    assert r.status_code == 403 and r.json()["type"] == "https://api.x.com/2/problems/oauth1-permissions"
    assert_matches("/2/chat/conversations", "get", 403, r.json())
    app = sim.create_app(world.account.id, "DM app", permission="read-write-directmessages")
    token = sim.mint_oauth1_token(app.id, me.id)
    s = OAuth1Session(app.consumer_key, client_secret=app.consumer_secret, resource_owner_key=token.token,
                      resource_owner_secret=token.secret)
    r = s.post(world.url(f"/2/chat/conversations/{bob.id}/messages"),
               json={"message_id": "o1", "encoded_message_create_event": "AAAA"})
    assert r.status_code == 201, r.text
    assert s.get(world.url("/2/chat/conversations")).json()["meta"]["result_count"] == 1
    no_scope = _h(sim, world, me, "tweet.read users.read")
    r = requests.get(world.url("/2/chat/conversations"), headers=no_scope)
    assert r.status_code == 403
    assert_matches("/2/chat/conversations", "get", 403, r.json())
    bearer = app_bearer(world).json()["access_token"]
    app_only = {"Authorization": f"Bearer {bearer}"}
    r = requests.get(world.url("/2/users/public_keys"), params={"ids": me.id}, headers=app_only)
    assert r.status_code == 403
    assert_matches("/2/users/public_keys", "get", 403, r.json())


def test_control_api_keys_messages_and_conversation(world, sim, pair, base):
    me, bob, h_me, _ = pair
    r = requests.post(f"{base}/_xmock/users/{bob.id}/chat_public_keys", json={"public_key": b64(b"pk"), "version": "5"})
    assert r.status_code == 201 and r.json()["public_key_version"] == "5"
    assert requests.post(f"{base}/_xmock/users/{bob.id}/chat_public_keys", json={"public_key": b64(b"pk"),
                                                                                "version": "5"}).status_code == 400
    assert requests.post(f"{base}/_xmock/users/{bob.id}/chat_public_keys", json={"public_key": 3}).status_code == 400
    sent = requests.post(f"{base}/_xmock/chat_messages",
                         json={"sender_id": bob.id, "conversation_id": me.id, "encoded_event": b64(b"hi")})
    assert sent.status_code == 201, sent.text
    conversation = sent.json()["conversation_id"]
    assert requests.post(f"{base}/_xmock/chat_messages", json={"sender_id": bob.id, "conversation_id": "nope",
                                                               "encoded_event": "AA"}).status_code == 400
    sim.dm_block(me.id, bob.id)
    blocked = requests.post(f"{base}/_xmock/chat_messages",
                            json={"sender_id": bob.id, "conversation_id": me.id, "encoded_event": b64(b"x")})
    assert blocked.status_code == 409
    whole = requests.get(f"{base}/_xmock/chat_conversations/{conversation}").json()
    assert whole["member_ids"] == sorted([me.id, bob.id], key=int) and len(whole["events"]) == 1
    assert requests.get(f"{base}/_xmock/chat_conversations/g1").status_code == 404
    page = requests.get(world.url(f"/2/chat/conversations/{conversation}/events"),
                        params={"chat_message_event.fields": "is_trusted,sender_id"}, headers=h_me).json()
    assert page["data"][0] == {"id": sent.json()["id"], "encoded_event": b64(b"hi"), "is_trusted": True,
                               "sender_id": bob.id}

"""XChat media on the X surface: upload an encrypted blob to a conversation (initialize, append, finalize) and
download it by its media hash key. The rules live in simulator/chat_media.py; the bytes are the client's, kept as
sent. JSON bodies were checked against the spec by the pipeline; multipart appends are checked here.
"""

from __future__ import annotations

from xmock.simulator import chat_media, errors
from xmock.simulator.chat_rules import NUMERIC, NotFound
from xmock.simulator.dm_rules import Refused
from xmock.simulator.pipeline import Call
from xmock.simulator.resources.chat import me_of, refused, resolved
from xmock.simulator.resources.media_v2 import _body, _bytes, _index, _text
from xmock.simulator.xrequest import Reply


def _conversation(call: Call, me: str, raw: str) -> str:
    """The canonical id of the conversation a body names, which `me` must be in and may write to."""
    from xmock.simulator import chat_rules

    if not chat_rules.CONVERSATION_ID.match(raw):
        raise errors.invalid_request(
            "$.conversation_id: does not match the regex pattern ^([0-9]{1,19}|[0-9]{1,19}-[0-9]{1,19}|g[0-9]{1,19})$"
        )
    try:
        conversation_id = chat_rules.resolve(call.sim, me, raw, "conversation_id")
        chat_rules.check_may_write(call.sim, me, conversation_id)
    except (Refused, NotFound) as exc:
        raise refused(call, exc) from None
    return conversation_id


def initialize(call: Call) -> Reply:
    """POST /2/chat/media/upload/initialize"""
    me = me_of(call)
    body = call.req.json_object()
    conversation_id = _conversation(call, me, body["conversation_id"])
    try:
        record = chat_media.initialize(call.sim, me, conversation_id, body["total_bytes"])
    except Refused as exc:
        raise refused(call, exc) from None
    data = {"session_id": record["session_id"], "media_hash_key": record["media_hash_key"],
            "conversation_id": conversation_id}
    return Reply(200, {"data": data}, note={"resource_ids": [record["session_id"]]})


def append(call: Call) -> Reply:
    """POST /2/chat/media/upload/{id}/append: one segment, base64 in JSON or raw bytes in multipart"""
    me = me_of(call)
    body, files = _body(call)
    raw_index = body.get("segment_index")
    index = _index(raw_index)
    if not 0 <= index < chat_media.MAX_SEGMENTS:
        raise errors.invalid_request(f"$.segment_index: must have a maximum value of {chat_media.MAX_SEGMENTS - 1}")
    data = files["media"] if "media" in files else _bytes(body.get("media"), "media")
    conversation_id = _conversation(call, me, _text(body, "conversation_id", required=True) or "")
    hash_key = _text(body, "media_hash_key", required=True) or ""
    try:
        record = chat_media.session(call.sim, me, call.params["id"], conversation_id, hash_key)
        record = chat_media.append(call.sim, record, index, data)
    except (Refused, NotFound) as exc:
        raise refused(call, exc) from None
    data = {"expires_at": int(record["expires_at"])}
    return Reply(200, {"data": data}, note={"resource_ids": [record["session_id"]]})


def finalize(call: Call) -> Reply:
    """POST /2/chat/media/upload/{id}/finalize"""
    me = me_of(call)
    session_id = call.params["id"]
    if not NUMERIC.match(session_id):
        raise errors.pattern_mismatch("id", session_id)
    body = call.req.json_object()
    conversation_id = _conversation(call, me, body["conversation_id"])
    for name in ("num_parts", "ttl_msec"):
        if body.get(name) is not None and not NUMERIC.match(body[name]):
            raise errors.invalid_request(f"$.{name}: does not match the regex pattern ^[0-9]{{1,19}}$")
    ttl = body.get("ttl_msec")
    try:
        record = chat_media.session(call.sim, me, session_id, conversation_id, body["media_hash_key"])
        chat_media.finalize(call.sim, record, int(body["num_parts"]), int(ttl) if ttl else None, body.get("message_id"))
    except (Refused, NotFound) as exc:
        raise refused(call, exc) from None
    return Reply(200, {"data": {"success": True}}, note={"resource_ids": [session_id]})


def download(call: Call) -> Reply:
    """GET /2/chat/media/{id}/{media_hash_key}: the blob's bytes, for the conversation's members"""
    me = me_of(call)
    conversation_id = resolved(call, me)
    hash_key = call.params["media_hash_key"]
    if not hash_key.isascii() or not hash_key.isalnum() or len(hash_key) > 50:
        raise errors.pattern_mismatch("media_hash_key", hash_key, "^[a-zA-Z0-9]{1,50}$")
    try:
        data = chat_media.download(call.sim, conversation_id, hash_key)
    except NotFound as exc:
        raise refused(call, exc) from None
    return Reply(200, data, content_type="application/octet-stream", note={"resource_ids": [hash_key]})

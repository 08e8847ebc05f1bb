"""XChat media: encrypted blobs uploaded to a conversation in segments (initialize, append, finalize) and
downloaded by their media hash key by the conversation's members.

The bytes are the client's ciphertext, kept as sent (base64 in the store's records, one per segment) so a
download gives back exactly what was uploaded. Sizes are checked against the declared `total_bytes` and the
`chat_media_max_bytes` setting; an unfinished session expires a day after it started (as v2 media uploads do);
a finalized blob lives until deleted with its message, or until its `ttl_msec` runs out on the clock.
"""

from __future__ import annotations

import base64
from typing import TYPE_CHECKING, Any

from xmock.simulator.chat_rules import NotFound
from xmock.simulator.dm_rules import Refused
from xmock.simulator.relations import CHAT_MEDIA

if TYPE_CHECKING:
    from xmock.simulator.core import Simulator

MEDIA = "chat_media"  # media hash key -> upload record
SESSIONS = "chat_media_sessions"  # session id -> {"media_hash_key"}
PARTS = "chat_media_parts"  # "<media hash key>:<segment index>" -> {"data": base64}
SESSION_SECS = 24 * 3600
MAX_SEGMENTS = 1000  # segment_index 0-999 (the spec)


def initialize(sim: Simulator, me: str, conversation_id: str, total_bytes: int) -> dict[str, Any]:
    if total_bytes > sim.settings.chat_media_max_bytes:
        raise Refused(
            f"$.total_bytes: {total_bytes} bytes is over the {sim.settings.chat_media_max_bytes} "
            "a chat upload may have",
            400,
        )
    now = sim.clock.now()
    session_id = sim.ids.next_id()
    hash_key = sim.random.token(32)
    record = {"session_id": session_id, "media_hash_key": hash_key, "conversation_id": conversation_id,
              "owner_id": me, "total_bytes": total_bytes, "received": 0, "segments": [], "created_at": now,
              "expires_at": now + SESSION_SECS, "finalized": False, "ttl_ms": None, "message_id": None}
    sim.store.put_record(MEDIA, hash_key, record)
    sim.store.put_record(SESSIONS, session_id, {"media_hash_key": hash_key})
    sim.store.set_edge(CHAT_MEDIA, conversation_id, hash_key, True, now)
    return record


def session(sim: Simulator, me: str, session_id: str, conversation_id: str, hash_key: str) -> dict[str, Any]:
    """An open upload session of `me`, which the body names by its conversation and hash key too."""
    found = sim.store.get_record(SESSIONS, session_id)
    record = sim.store.get_record(MEDIA, found["media_hash_key"]) if found else None
    if record is None or record["owner_id"] != me:
        raise NotFound("media upload session", "id", session_id)
    if record["media_hash_key"] != hash_key:
        raise Refused("$.media_hash_key: not the media hash key of this upload session", 400)
    if record["conversation_id"] != conversation_id:
        raise Refused("$.conversation_id: not the conversation of this upload session", 400)
    if record["finalized"]:
        raise Refused("This upload session is already finalized.", 400)
    if sim.clock.now() >= record["expires_at"]:
        raise Refused("This upload session has expired.", 400)
    return record


def append(sim: Simulator, record: dict[str, Any], index: int, data: bytes) -> dict[str, Any]:
    key = f"{record['media_hash_key']}:{index}"
    earlier = sim.store.get_record(PARTS, key)
    received = record["received"] - (len(base64.b64decode(earlier["data"])) if earlier else 0) + len(data)
    if received > record["total_bytes"]:
        raise Refused(f"The segments add up to more than the {record['total_bytes']} bytes declared.", 400)
    sim.store.put_record(PARTS, key, {"data": base64.b64encode(data).decode()})
    record = {**record, "received": received, "segments": sorted({*record["segments"], index})}
    sim.store.put_record(MEDIA, record["media_hash_key"], record)
    return record


def finalize(
    sim: Simulator, record: dict[str, Any], num_parts: int, ttl_ms: int | None, message_id: str | None
) -> None:
    present = record["segments"]
    if present != list(range(num_parts)):
        raise Refused(f"$.num_parts: {num_parts} parts declared, segments {present[:20]} uploaded", 400)
    if record["received"] != record["total_bytes"]:
        raise Refused(f"{record['received']} bytes uploaded, {record['total_bytes']} declared.", 400)
    now = sim.clock.now()
    done = {**record, "finalized": True, "num_parts": num_parts, "finalized_at": now, "ttl_ms": ttl_ms,
            "message_id": message_id}
    sim.store.put_record(MEDIA, record["media_hash_key"], done)
    sim.store.delete_record(SESSIONS, record["session_id"])


def download(sim: Simulator, conversation_id: str, hash_key: str) -> bytes:
    record = sim.store.get_record(MEDIA, hash_key)
    if record is None or record["conversation_id"] != conversation_id or not record["finalized"]:
        raise NotFound("media", "media_hash_key", hash_key)
    if record["ttl_ms"] is not None and sim.clock.now() >= record["finalized_at"] + record["ttl_ms"] / 1000:
        raise NotFound("media", "media_hash_key", hash_key)
    parts = (sim.store.get_record(PARTS, f"{hash_key}:{i}") for i in range(record["num_parts"]))
    return b"".join(base64.b64decode(p["data"]) for p in parts if p is not None)


def delete(sim: Simulator, me: str, conversation_id: str, hash_keys: list[str]) -> None:
    """Drop blobs deleted with their messages: each must be this conversation's and uploaded by `me`."""
    found = [sim.store.get_record(MEDIA, k) for k in hash_keys]
    for hash_key, record in zip(hash_keys, found, strict=True):
        if record is None or record["conversation_id"] != conversation_id or record["owner_id"] != me:
            raise NotFound("media", "media_hash_keys", hash_key)
    now = sim.clock.now()
    for record in found:
        assert record is not None
        hash_key = record["media_hash_key"]
        for i in record["segments"]:
            sim.store.delete_record(PARTS, f"{hash_key}:{i}")
        sim.store.delete_record(MEDIA, hash_key)
        sim.store.delete_record(SESSIONS, record["session_id"])
        sim.store.set_edge(CHAT_MEDIA, conversation_id, hash_key, False, now)

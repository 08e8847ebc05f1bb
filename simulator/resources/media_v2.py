"""v2 media upload: one-shot, initialize/append/finalize, STATUS, and alt text."""

from __future__ import annotations

import base64
import binascii
from typing import Any

from xmock.simulator import digits, errors, media
from xmock.simulator.pipeline import Call
from xmock.simulator.resources.posts import NUMERIC
from xmock.simulator.xrequest import Reply


def _fail(exc: media.MediaError, parameter: str | None = None, value: str | None = None) -> errors.XError:
    return errors.invalid_request(str(exc), {parameter: [value or ""]} if parameter else None)


def _owners(raw: Any) -> tuple[str, ...]:
    if raw is None or raw == "":
        return ()
    values = raw.split(",") if isinstance(raw, str) else raw
    if not isinstance(values, list) or not all(isinstance(v, str) and NUMERIC.match(v) for v in values):
        raise errors.invalid_request("$.additional_owners: a list of user ids")
    return tuple(values)


def _bytes(value: Any, name: str) -> bytes:
    if isinstance(value, bytes):
        return value
    if isinstance(value, str):  # base64 in JSON bodies
        try:
            return base64.b64decode(value, validate=True)
        except (binascii.Error, ValueError):
            raise errors.invalid_request(f"$.{name}: not valid base64") from None
    raise errors.invalid_request(f"$.{name}: required property '{name}' not found")


def _text(body: dict[str, Any], name: str, required: bool = False) -> str | None:
    """A string field of the body (X's schema error for any other JSON type)."""
    value = body.get(name)
    if value is None:
        if required:
            raise errors.invalid_request(f"$.{name}: required property '{name}' not found")
        return None
    if not isinstance(value, str):
        raise errors.type_mismatch(name, value, "string")
    return value


def _index(value: Any) -> int:
    """segment_index: a JSON integer, or ASCII digits (multipart fields are text)."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    index = digits.parse(value, 6)
    if index is None:
        if value is None:
            raise errors.invalid_request("$.segment_index: required property 'segment_index' not found")
        raise errors.type_mismatch("segment_index", value, "integer")
    return index


def _body(call: Call) -> tuple[dict[str, Any], dict[str, bytes]]:
    if call.req.is_multipart:
        fields, files = call.req.multipart()
        return dict(fields), files
    return call.req.json_object(), {}


def upload(call: Call) -> Reply:
    """POST /2/media/upload (one shot)."""
    body, files = _body(call)
    data = files.get("media") if "media" in files else _bytes(body.get("media"), "media")
    category = _text(body, "media_category")
    if not category:
        raise errors.invalid_request("$.media_category: required property 'media_category' not found")
    try:
        done = media.one_shot(
            call.sim,
            call.user.id,
            call.auth.app.id,
            data,
            _text(body, "media_type"),
            category,
            _owners(body.get("additional_owners")),
        )
    except media.MediaError as exc:
        raise _fail(exc) from None
    return Reply(200, {"data": media.describe(call.sim, done)}, note={"resource_ids": [done.id]})


def initialize(call: Call) -> Reply:
    """POST /2/media/upload/initialize"""
    body = call.req.json_object()
    allowed = {"media_type", "total_bytes", "media_category", "additional_owners", "shared"}
    for key in body:
        if key not in allowed:
            raise errors.invalid_request(
                f"$.{key}: is not defined in the schema and the schema does not allow additional properties"
            )
    media_type, total = body.get("media_type"), body.get("total_bytes")
    if not isinstance(media_type, str):
        raise errors.invalid_request("$.media_type: required property 'media_type' not found")
    if not isinstance(total, int) or isinstance(total, bool):
        raise errors.invalid_request("$.total_bytes: required property 'total_bytes' not found")
    try:
        started = media.initialize(
            call.sim,
            call.user.id,
            call.auth.app.id,
            media_type,
            total,
            _text(body, "media_category"),
            _owners(body.get("additional_owners")),
        )
    except media.MediaError as exc:
        raise _fail(exc) from None
    data = {
        "id": started.id,
        "media_key": started.media_key,
        "expires_after_secs": int(started.expires_at - started.created_at),
    }
    return Reply(200, {"data": data}, note={"resource_ids": [started.id]})


def _upload(call: Call, media_id: str) -> Any:
    if not NUMERIC.match(media_id):
        raise errors.pattern_mismatch("id", media_id)
    try:
        return media.live(call.sim, media_id, call.user.id)
    except media.MediaError as exc:
        raise _fail(exc, "id", media_id) from None


def append(call: Call) -> Reply:
    """POST /2/media/upload/{id}/append"""
    upload_ = _upload(call, call.params["id"])
    body, files = _body(call)
    raw_index = body.get("segment_index")
    index = _index(raw_index)
    data = files["media"] if "media" in files else _bytes(body.get("media"), "media")
    try:
        updated = media.append(call.sim, upload_, index, data)
    except media.MediaError as exc:
        raise _fail(exc, "segment_index", str(raw_index)) from None
    return Reply(200, {"data": {"expires_at": int(updated.expires_at)}}, note={"resource_ids": [updated.id]})


def finalize(call: Call) -> Reply:
    """POST /2/media/upload/{id}/finalize"""
    upload_ = _upload(call, call.params["id"])
    try:
        done = media.finalize(call.sim, upload_)
    except media.MediaError as exc:
        raise _fail(exc, "id", upload_.id) from None
    return Reply(200, {"data": media.describe(call.sim, done)}, note={"resource_ids": [done.id]})


def status(call: Call) -> Reply:
    """GET /2/media/upload?command=STATUS&media_id="""
    command = call.req.arg("command")
    if command not in (None, "STATUS"):
        raise errors.invalid_param(
            "command", command, f"The `command` query parameter value [{command}] is not one of [STATUS]"
        )
    media_id = call.req.arg("media_id")
    if not media_id:
        raise errors.invalid_param("media_id", "", "The `media_id` query parameter can not be empty")
    upload_ = _upload(call, media_id)
    return Reply(200, {"data": media.describe(call.sim, upload_)}, note={"resource_ids": [upload_.id]})


def metadata(call: Call) -> Reply:
    """POST /2/media/metadata: alt text for an upload."""
    body = call.req.json_object()
    media_id = body.get("id")
    if not isinstance(media_id, str):
        raise errors.invalid_request("$.id: required property 'id' not found")
    upload_ = _upload(call, media_id)
    meta = body.get("metadata") or {}
    alt = meta.get("alt_text", {}) if isinstance(meta, dict) else {}
    text = alt.get("text") if isinstance(alt, dict) else None
    if not isinstance(text, str) or not 0 < len(text) <= 1000:
        raise errors.invalid_request("$.metadata.alt_text.text: a string of 1 to 1000 characters")
    media.set_alt_text(call.sim, upload_, text)
    return Reply(
        200,
        {"data": {"id": upload_.id, "associated_metadata": {"alt_text": {"text": text}}}},
        note={"resource_ids": [upload_.id]},
    )

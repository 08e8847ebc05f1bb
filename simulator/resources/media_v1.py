"""v1.1 media upload on the upload hosts: INIT / APPEND / FINALIZE / STATUS and simple upload.

Form-encoded commands are part of the OAuth 1.0a signature; multipart ones are not
(the pipeline's verification already follows that rule).
"""

from __future__ import annotations

import base64
import binascii
from typing import Any

from xmock.simulator import digits, errors, media
from xmock.simulator.models import Media
from xmock.simulator.pipeline import Call
from xmock.simulator.xrequest import Reply


def _error(message: str, status: int = 400) -> errors.XError:
    return errors.v1_error(status, 324, message)


def _params(call: Call) -> tuple[dict[str, str], dict[str, bytes]]:
    fields, files = call.req.multipart()
    params = dict(call.req.query)
    params.update(dict(call.req.form))
    params.update(fields)
    if "media_data" in params and "media" not in files:
        try:
            files["media"] = base64.b64decode(params["media_data"], validate=True)
        except (binascii.Error, ValueError):
            raise _error("media_data is not valid base64.") from None
    return params, files


def _legacy(sim: Any, m: Media, *, size: bool = True) -> dict[str, Any]:
    """v2's description in v1.1's spelling: integer media_id plus media_id_string."""
    described = media.describe(sim, m)
    out: dict[str, Any] = {"media_id": int(m.id), "media_id_string": m.id, "media_key": m.media_key}
    if size and m.finalized_at is not None:
        out["size"] = m.total_bytes
    out["expires_after_secs"] = described["expires_after_secs"]
    for key in ("image", "video", "processing_info"):
        if key in described:
            out[key] = described[key]
    return out


def _reply(status: int, body: dict[str, Any] | None, m: Media) -> Reply:
    return Reply(status, body, {"x-mediaid": m.id}, note={"resource_ids": [m.id]})


def _live(call: Call, params: dict[str, str]) -> Media:
    media_id = params.get("media_id", "")
    if not digits.is_id(media_id):
        raise errors.missing_parameter("media_id") if not media_id else _error("Invalid media_id.")
    try:
        return media.live(call.sim, media_id, call.user.id)
    except media.MediaError as exc:
        raise _error(str(exc)) from None


def upload(call: Call) -> Reply:
    """POST /1.1/media/upload.json"""
    params, files = _params(call)
    command = params.get("command")
    sim, user, app = call.sim, call.user, call.auth.app
    owners = tuple(o for o in params.get("additional_owners", "").split(",") if o)
    try:
        if command is None:
            if "media" not in files:
                raise errors.missing_parameter("media")
            done = media.one_shot(sim, user.id, app.id, files["media"], None, params.get("media_category"), owners)
            return _reply(200, _legacy(sim, done), done)
        if command == "INIT":
            total = digits.parse(params.get("total_bytes", ""))
            if total is None:
                raise errors.missing_parameter("total_bytes")
            if not params.get("media_type"):
                raise errors.missing_parameter("media_type")
            started = media.initialize(
                sim, user.id, app.id, params["media_type"], total, params.get("media_category"), owners
            )
            return _reply(202, _legacy(sim, started, size=False), started)
        if command == "APPEND":
            upload_ = _live(call, params)
            index = digits.parse(params.get("segment_index", ""), 6)
            if index is None:
                raise errors.missing_parameter("segment_index")
            if "media" not in files:
                raise errors.missing_parameter("media")
            media.append(sim, upload_, index, files["media"])
            return _reply(204, None, upload_)
        if command == "FINALIZE":
            done = media.finalize(sim, _live(call, params))
            return _reply(201, _legacy(sim, done), done)
    except media.MediaError as exc:
        raise _error(str(exc)) from None
    raise _error("command must be INIT, APPEND or FINALIZE (or STATUS with GET).")


def status(call: Call) -> Reply:
    """GET /1.1/media/upload.json?command=STATUS&media_id="""
    params, _ = _params(call)
    if params.get("command") != "STATUS":
        raise _error("command must be STATUS.")
    upload_ = _live(call, params)
    body = _legacy(call.sim, upload_)
    return _reply(200, body, upload_)

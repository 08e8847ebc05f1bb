"""GET /2/media and /2/media/{media_key}: the media the simulator holds; POST and DELETE /2/media/subtitles.

A media key is `<category prefix>_<media id>` (simulator/media.py); a lookup finds the upload by its id and
checks the whole key. Any finalized upload is found (X's keys are unguessable; posted media is public); an
upload still in progress is not. Subtitles are tracks kept with the video (one per language); the spec's
Media object has no field for them, so lookups do not show them, the create answer lists them.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from xmock.simulator import errors, media
from xmock.simulator.models import Media
from xmock.simulator.pipeline import Call
from xmock.simulator.resources import paging
from xmock.simulator.resources.params import missing
from xmock.simulator.resources.render import selection
from xmock.simulator.xrequest import Reply

# The spec's media_category for subtitles, and the upload category of the video it names.
VIDEO_CATEGORIES = {"TweetVideo": "tweet_video", "AmplifyVideo": "amplify_video"}
MEDIA_KEY = re.compile(r"[0-9]+_[0-9]+\Z")  # the spec's ^([0-9]+)_([0-9]+)$


def _held(call: Call, key: str) -> Media | None:
    upload = call.sim.store.get_media(key.partition("_")[2])
    if upload is None or upload.media_key != key or upload.finalized_at is None:
        return None
    return upload


def by_key(call: Call) -> Reply:
    """GET /2/media/{media_key}"""
    key = call.params["media_key"]
    if not MEDIA_KEY.match(key):
        raise errors.pattern_mismatch("media_key", key, "^([0-9]+)_([0-9]+)$")
    found = _held(call, key)
    if found is None:
        raise missing(call, "media", "media_key", key)
    fields = selection(call.req).media_fields
    return Reply(200, {"data": media.render(found, fields)}, note={"resource_ids": [key]})


def by_keys(call: Call) -> Reply:
    """GET /2/media?media_keys= (1 to 100 keys, checked against the spec's pattern before this runs)."""
    fields = selection(call.req).media_fields
    data, problems = [], []
    for key in paging.listed(call.req, "media_keys"):
        found = _held(call, key)
        if found is None:
            problems.append(errors.not_found_error("media", "media_keys", key))
        else:
            data.append(media.render(found, fields))
    body: dict[str, Any] = {}
    if data:
        body["data"] = data
    if problems:
        body["errors"] = problems
    return Reply(200, body, note={"resource_ids": [item["media_key"] for item in data]})


# subtitles ----------------------------------------------------------------------------------


def _required(body: dict[str, Any], name: str, where: str = "$") -> Any:
    value = body.get(name)
    if value is None:
        raise errors.invalid_request(f"{where}.{name}: required property '{name}' not found")
    return value


def _own(call: Call, media_id: str, parameter: str) -> Media:
    """The caller's finalized upload with this id (any age: subtitles may follow a posted video)."""
    upload = call.sim.store.get_media(media_id)
    if upload is None or upload.finalized_at is None:
        raise errors.invalid_request(f"Media id {media_id} was not found.", {parameter: [media_id]})
    if call.user.id != upload.owner_id and call.user.id not in upload.additional_owners:
        raise errors.forbidden_because(
            f"You are not permitted to change media [{media_id}].", "media of another user"
        )
    return upload


def _video(call: Call, body: dict[str, Any]) -> Media:
    media_id, category = _required(body, "id"), _required(body, "media_category")
    video = _own(call, media_id, "id")
    if VIDEO_CATEGORIES.get(category) != video.category:
        raise errors.invalid_request(
            f"Media id {media_id} is not a {category} upload (media_category {video.category}).",
            {"media_category": [category]},
        )
    return video


def _tracks(video: Media) -> dict[str, Any]:
    return {
        "subtitles": [
            {"id": track_id, "language_code": code, "display_name": name} for code, track_id, name in video.subtitles
        ]
    }


def create_subtitles(call: Call) -> Reply:
    """POST /2/media/subtitles: associate an uploaded subtitles file with a video, one track per language."""
    body = call.req.json_object()
    video = _video(call, body)
    track = _required(body, "subtitles")
    track_id = _required(track, "id", "$.subtitles")
    code = _required(track, "language_code", "$.subtitles")
    name = track.get("display_name") or code
    upload = _own(call, track_id, "subtitles.id")
    if upload.category != "subtitles":
        raise errors.invalid_request(
            f"Media id {track_id} is not a subtitles upload (media_category {upload.category}).",
            {"subtitles.id": [track_id]},
        )
    kept = (*(t for t in video.subtitles if t[0] != code), (code, track_id, name))
    updated = replace(video, subtitles=kept)
    call.sim.store.put_media(updated)
    data = {"id": video.id, "media_category": body["media_category"], "associated_subtitles": _tracks(updated)}
    return Reply(200, {"data": data}, note={"resource_ids": [video.id]})


def delete_subtitles(call: Call) -> Reply:
    """DELETE /2/media/subtitles: remove a video's track in one language."""
    body = call.req.json_object()
    video = _video(call, body)
    code = body["language_code"]  # required by the spec's schema, checked before this runs
    kept = tuple(t for t in video.subtitles if t[0] != code)
    if len(kept) == len(video.subtitles):
        raise errors.invalid_request(
            f"Media id {video.id} has no subtitles in language {code}.", {"language_code": [code]}
        )
    call.sim.store.put_media(replace(video, subtitles=kept))
    return Reply(200, {"data": {"deleted": True}}, note={"resource_ids": [video.id]})

"""Media uploads as X runs them: categories and their limits, chunked uploads kept as sizes and
digests, processing driven by the simulator clock, and who may attach what to a post."""

from __future__ import annotations

import hashlib
import math
import struct
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from xmock.simulator.models import Media

if TYPE_CHECKING:
    from xmock.simulator.core import Simulator

MB = 1024 * 1024
IMAGE_TYPES = frozenset({"image/jpeg", "image/png", "image/webp", "image/bmp", "image/pjpeg", "image/tiff"})
VIDEO_TYPES = frozenset({"video/mp4", "video/quicktime", "video/webm", "video/mp2t"})


@dataclass(frozen=True)
class Category:
    kind: str  # the media `type` X reports: photo, animated_gif, video, subtitles
    types: frozenset[str]
    max_bytes: int
    key_prefix: str


CATEGORIES: dict[str, Category] = {
    "tweet_image": Category("photo", IMAGE_TYPES | {"image/gif"}, 5 * MB, "3_"),
    "dm_image": Category("photo", IMAGE_TYPES | {"image/gif"}, 5 * MB, "3_"),
    "tweet_gif": Category("animated_gif", frozenset({"image/gif"}), 15 * MB, "16_"),
    "dm_gif": Category("animated_gif", frozenset({"image/gif"}), 15 * MB, "16_"),
    "tweet_video": Category("video", VIDEO_TYPES, 512 * MB, "7_"),
    "dm_video": Category("video", VIDEO_TYPES, 512 * MB, "7_"),
    "amplify_video": Category("video", VIDEO_TYPES, 512 * MB, "13_"),
    "subtitles": Category("subtitles", frozenset({"text/srt", "text/vtt"}), 1 * MB, "3_"),
}
MAX_TOTAL_BYTES = 17_179_869_184


class MediaError(Exception):
    """An upload X would refuse; the message is what the client is told."""


def default_category(media_type: str) -> str:
    if media_type == "image/gif":
        return "tweet_gif"
    if media_type in VIDEO_TYPES:
        return "tweet_video"
    if media_type.startswith("text/"):
        return "subtitles"
    return "tweet_image"


def sniff_type(data: bytes) -> str | None:
    """The media type a file's first bytes announce."""
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if data.startswith((b"GIF87a", b"GIF89a")):
        return "image/gif"
    if data.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    if data[4:8] == b"ftyp":
        return "video/quicktime" if data[8:10] == b"qt" else "video/mp4"
    return None


def dimensions(data: bytes) -> tuple[int, int] | None:
    """Width and height from a PNG, GIF or JPEG header."""
    try:
        if data.startswith(b"\x89PNG") and len(data) >= 24:
            return struct.unpack(">II", data[16:24])
        if data.startswith(b"GIF8") and len(data) >= 10:
            return struct.unpack("<HH", data[6:10])
        if data.startswith(b"\xff\xd8"):
            i = 2
            while i + 9 < len(data):
                if data[i] != 0xFF:
                    return None
                marker, length = data[i + 1], struct.unpack(">H", data[i + 2 : i + 4])[0]
                if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):
                    height, width = struct.unpack(">HH", data[i + 5 : i + 9])
                    return width, height
                i += 2 + length
    except struct.error:
        return None
    return None


def check_type(category: str, media_type: str) -> Category:
    spec = CATEGORIES.get(category)
    if spec is None:
        raise MediaError(f"media_category must be one of {', '.join(CATEGORIES)}")
    if media_type not in spec.types:
        raise MediaError(f"media_type {media_type} is not allowed for media_category {category}")
    return spec


def initialize(
    sim: Simulator,
    owner_id: str,
    app_id: str,
    media_type: str,
    total_bytes: int,
    category: str | None,
    additional_owners: tuple[str, ...] = (),
) -> Media:
    category = category or default_category(media_type)
    spec = check_type(category, media_type)
    if not 0 < total_bytes <= MAX_TOTAL_BYTES:
        raise MediaError(f"total_bytes must be between 1 and {MAX_TOTAL_BYTES}")
    if total_bytes > spec.max_bytes:
        raise MediaError(f"File size exceeds {spec.max_bytes} bytes.")
    now = sim.clock.now()
    media_id = sim.ids.next_id()
    media = Media(
        id=media_id,
        media_key=spec.key_prefix + media_id,
        owner_id=owner_id,
        app_id=app_id,
        media_type=media_type,
        category=category,
        total_bytes=total_bytes,
        created_at=now,
        expires_at=now + sim.settings.media_upload_ttl,
        additional_owners=additional_owners,
    )
    sim.store.put_media(media)
    return media


def live(sim: Simulator, media_id: str, owner_id: str) -> Media:
    """An upload of this user that has not expired."""
    media = sim.store.get_media(media_id)
    if media is None or media.owner_id != owner_id or sim.clock.now() >= media.expires_at:
        raise MediaError(f"Media id {media_id} was not found or has expired.")
    return media


def append(sim: Simulator, media: Media, index: int, data: bytes) -> Media:
    if not 0 <= index <= 999:
        raise MediaError("segment_index must be between 0 and 999")
    if media.finalized_at is not None:
        raise MediaError("This upload was already finalized.")
    if len(data) > 5 * MB:
        raise MediaError(f"A segment may hold at most {5 * MB} bytes.")
    if not data:
        raise MediaError("The segment is empty.")
    if index == 0:
        found = dimensions(data)
        if found is not None:
            sim.store.put_media(replace(media, width=found[0], height=found[1]))
    updated = sim.store.append_media_segment(media.id, index, len(data), hashlib.sha256(data).hexdigest())
    if updated is None:
        raise MediaError("This upload was already finalized.")
    if updated.received > media.total_bytes:
        raise MediaError("Segments add up to more than the declared total_bytes.")
    return updated


def finalize(sim: Simulator, media: Media) -> Media:
    if media.finalized_at is not None:
        return media
    indexes = [index for index, _, _ in media.segments]
    missing = sorted(set(range(max(indexes, default=-1) + 1)) - set(indexes))
    if not indexes or missing:
        raise MediaError(f"Segments are missing: {missing or [0]}.")
    if media.received != media.total_bytes:
        raise MediaError("Segments do not add up to provided total file size.")
    now = sim.clock.now()
    fails = CATEGORIES[media.category].kind in ("video", "animated_gif") and (
        sim.random.random() < sim.settings.media_processing_failure
    )
    done = replace(media, finalized_at=now, expires_at=now + sim.settings.media_upload_ttl, processing_fails=fails)
    sim.store.put_media(done)
    return done


def one_shot(
    sim: Simulator,
    owner_id: str,
    app_id: str,
    data: bytes,
    media_type: str | None,
    category: str | None,
    additional_owners: tuple[str, ...] = (),
) -> Media:
    media_type = media_type or sniff_type(data) or ""
    if not media_type:
        raise MediaError("The media type could not be recognised; send media_type.")
    media = initialize(sim, owner_id, app_id, media_type, len(data) or 1, category, additional_owners)
    return finalize(sim, append(sim, media, 0, data))


def set_alt_text(sim: Simulator, media: Media, text: str) -> Media:
    described = replace(media, alt_text=text)
    sim.store.put_media(described)
    return described


def processing_info(sim: Simulator, media: Media) -> dict[str, Any] | None:
    """Videos and GIFs go pending -> in_progress -> succeeded (or failed) on the clock; images need none."""
    if media.finalized_at is None or CATEGORIES[media.category].kind not in ("video", "animated_gif"):
        return None
    total = max(sim.settings.media_processing_seconds, 1)
    elapsed = sim.clock.now() - media.finalized_at
    if elapsed < 1:
        return {"state": "pending", "check_after_secs": 1}
    if elapsed < total:
        return {
            "state": "in_progress",
            "check_after_secs": max(1, math.ceil(total - elapsed)),
            "progress_percent": min(99, int(elapsed * 100 / total)),
        }
    if media.processing_fails:
        return {
            "state": "failed",
            "progress_percent": 100,
            "error": {"code": 1, "name": "InvalidMedia", "message": "Unsupported video format"},
        }
    return {"state": "succeeded", "progress_percent": 100}


def usable(sim: Simulator, media: Media, user_id: str) -> bool:
    """May this user attach this media to a post now?"""
    if user_id != media.owner_id and user_id not in media.additional_owners:
        return False
    if media.finalized_at is None or sim.clock.now() >= media.expires_at:
        return False
    info = processing_info(sim, media)
    return info is None or info["state"] == "succeeded"


def describe(sim: Simulator, media: Media) -> dict[str, Any]:
    """The upload as the v2 endpoints report it."""
    out: dict[str, Any] = {
        "id": media.id,
        "media_key": media.media_key,
        "size": media.total_bytes,
        "expires_after_secs": max(0, int(media.expires_at - sim.clock.now())),
    }
    kind = CATEGORIES[media.category].kind
    if kind in ("video", "animated_gif") and media.finalized_at is not None:
        out["video" if kind == "video" else "image"] = (
            {"video_type": media.media_type} if kind == "video" else {"image_type": media.media_type}
        )
    elif kind == "photo":
        image: dict[str, Any] = {"image_type": media.media_type}
        if media.width is not None:
            image.update(w=media.width, h=media.height)
        out["image"] = image
    info = processing_info(sim, media)
    if info is not None:
        out["processing_info"] = info
    return out


def render(media: Media, fields: frozenset[str]) -> dict[str, Any]:
    """The media object of `includes.media`."""
    kind = CATEGORIES[media.category].kind
    out: dict[str, Any] = {"media_key": media.media_key, "type": kind}
    if "width" in fields and media.width is not None:
        out["width"] = media.width
    if "height" in fields and media.height is not None:
        out["height"] = media.height
    if "alt_text" in fields and media.alt_text:
        out["alt_text"] = media.alt_text
    extension = media.media_type.split("/")[-1].replace("jpeg", "jpg")
    if "url" in fields and kind == "photo":
        out["url"] = f"https://pbs.twimg.com/media/{media.media_key}.{extension}"
    if "preview_image_url" in fields and kind != "photo":
        out["preview_image_url"] = f"https://pbs.twimg.com/media/{media.media_key}/preview.jpg"
    if "variants" in fields and kind == "video":
        out["variants"] = [
            {
                "content_type": media.media_type,
                "url": f"https://video.twimg.com/ext_tw_video/{media.id}/vid/{media.media_key}.mp4",
            }
        ]
    return out

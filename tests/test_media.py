"""Media upload: v2 and v1.1 flows, validation, processing on the clock, and media on posts."""

from __future__ import annotations

import struct

import pytest
from openapi_shapes import assert_matches

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + struct.pack(">II", 640, 480) + b"\x08\x02\x00\x00\x00" + b"p" * 200
MP4 = b"\x00\x00\x00\x18ftypmp42" + b"v" * 3000


def _init(s, world, total, media_type="video/mp4", category="tweet_video"):
    return s.post(
        world.url("/2/media/upload/initialize"),
        json={"media_type": media_type, "total_bytes": total, "media_category": category},
    )


def _append(s, world, media_id, index, chunk):
    return s.post(
        world.url(f"/2/media/upload/{media_id}/append"),
        data={"segment_index": str(index)},
        files={"media": ("blob", chunk, "application/octet-stream")},
    )


def _status(s, world, media_id):
    return s.get(world.url("/2/media/upload"), params={"command": "STATUS", "media_id": media_id}).json()["data"]


def test_chunked_video_flow_processing_and_a_post(world, sim):
    sim.clock.freeze()
    s = world.session()
    r = _init(s, world, len(MP4))
    assert_matches("/2/media/upload/initialize", "post", 200, r.json())
    media_id = r.json()["data"]["id"]
    assert r.json()["data"]["media_key"] == f"7_{media_id}"
    for index, start in enumerate(range(0, len(MP4), 1024)):
        appended = _append(s, world, media_id, index, MP4[start : start + 1024])
        assert appended.status_code == 200, appended.text
        assert_matches("/2/media/upload/{id}/append", "post", 200, appended.json())
    done = s.post(world.url(f"/2/media/upload/{media_id}/finalize")).json()
    assert_matches("/2/media/upload/{id}/finalize", "post", 200, done)
    assert done["data"]["size"] == len(MP4) and done["data"]["processing_info"]["state"] == "pending"
    attempt = s.post(world.url("/2/tweets"), json={"text": "too soon", "media": {"media_ids": [media_id]}})
    assert attempt.json()["errors"][0]["message"] == "Your media IDs are invalid."
    sim.clock.advance(2)
    status = _status(s, world, media_id)
    assert status["processing_info"]["state"] == "in_progress" and status["processing_info"]["check_after_secs"] >= 1
    sim.clock.advance(5)
    assert _status(s, world, media_id)["processing_info"] == {"state": "succeeded", "progress_percent": 100}
    post_id = s.post(world.url("/2/tweets"), json={"text": "video!", "media": {"media_ids": [media_id]}}).json()
    post_id = post_id["data"]["id"]
    got = s.get(
        world.url(f"/2/tweets/{post_id}"),
        params={"expansions": "attachments.media_keys", "media.fields": "type,preview_image_url,variants"},
    ).json()
    assert_matches("/2/tweets/{id}", "get", 200, got)
    assert got["data"]["attachments"] == {"media_keys": [f"7_{media_id}"]}
    assert got["includes"]["media"][0]["type"] == "video"


def test_one_shot_image_with_alt_text(world, sim):
    s = world.session()
    r = s.post(
        world.url("/2/media/upload"),
        data={"media_category": "tweet_image"},
        files={"media": ("photo.png", PNG, "image/png")},
    )
    body = r.json()
    assert_matches("/2/media/upload", "post", 200, body)
    assert body["data"]["image"] == {"image_type": "image/png", "w": 640, "h": 480}
    assert "processing_info" not in body["data"]
    media_id = body["data"]["id"]
    meta = s.post(world.url("/2/media/metadata"), json={"id": media_id, "metadata": {"alt_text": {"text": "A cat"}}})
    assert meta.json()["data"]["associated_metadata"] == {"alt_text": {"text": "A cat"}}
    post_id = s.post(world.url("/2/tweets"), json={"text": "cat", "media": {"media_ids": [media_id]}}).json()["data"][
        "id"
    ]
    got = s.get(
        world.url(f"/2/tweets/{post_id}"),
        params={"expansions": "attachments.media_keys", "media.fields": "url,width,height,alt_text"},
    ).json()
    assert got["includes"]["media"] == [
        {
            "media_key": f"3_{media_id}",
            "type": "photo",
            "width": 640,
            "height": 480,
            "alt_text": "A cat",
            "url": f"https://pbs.twimg.com/media/3_{media_id}.png",
        }
    ]


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (
            {"media_type": "image/png", "total_bytes": 5 * 1024 * 1024 + 1, "media_category": "tweet_image"},
            "File size exceeds",
        ),
        ({"media_type": "image/png", "total_bytes": 10, "media_category": "tweet_video"}, "is not allowed for"),
        ({"media_type": "image/png", "total_bytes": 10, "media_category": "posters"},
         "$.media_category: does not have a value in the enumeration"),
        ({"media_type": "image/png"}, "$.total_bytes"),
        ({"media_type": "image/png", "total_bytes": 10, "colour": "red"}, "$.colour"),
    ],
)
def test_initialize_validation(world, body, message):
    r = world.session().post(world.url("/2/media/upload/initialize"), json=body)
    assert r.status_code == 400 and message in r.json()["errors"][0]["message"]


def test_append_and_finalize_validation(world, sim):
    s = world.session()
    media_id = _init(s, world, 100).json()["data"]["id"]
    assert _append(s, world, media_id, 1000, b"x").status_code == 400
    _append(s, world, media_id, 0, b"x" * 40)
    _append(s, world, media_id, 2, b"x" * 40)
    r = s.post(world.url(f"/2/media/upload/{media_id}/finalize"))
    assert r.json()["errors"][0]["message"] == "Segments are missing: [1]."
    _append(s, world, media_id, 1, b"x" * 10)
    r = s.post(world.url(f"/2/media/upload/{media_id}/finalize"))
    assert r.json()["errors"][0]["message"] == "Segments do not add up to provided total file size."
    _append(s, world, media_id, 1, b"x" * 20)  # a repeated segment replaces the first
    assert s.post(world.url(f"/2/media/upload/{media_id}/finalize")).status_code == 200
    assert _append(s, world, media_id, 3, b"x").status_code == 400  # finalized already
    assert s.post(world.url("/2/media/upload/123/finalize")).status_code == 400
    too_much = _init(s, world, 10).json()["data"]["id"]
    assert _append(s, world, too_much, 0, b"x" * 11).status_code == 400


def test_media_belongs_to_its_uploader_and_expires(world, sim):
    s = world.session()
    r = s.post(world.url("/2/media/upload"), data={"media_category": "tweet_image"}, files={"media": ("p", PNG)})
    media_id = r.json()["data"]["id"]
    other = sim.create_user(username="other")
    s2 = world.session(sim.mint_oauth1_token(world.app.id, other.id))
    r = s2.post(world.url("/2/tweets"), json={"text": "not mine", "media": {"media_ids": [media_id]}})
    assert r.json()["errors"][0]["parameters"] == {"media.media_ids": [media_id]}
    sim.clock.advance(sim.settings.media_upload_ttl + 1)
    r = s.post(world.url("/2/tweets"), json={"text": "too late", "media": {"media_ids": [media_id]}})
    assert r.status_code == 400


def test_processing_can_fail(world, sim):
    sim.configure(media_processing_failure=1.0)
    s = world.session()
    media_id = _init(s, world, 10).json()["data"]["id"]
    _append(s, world, media_id, 0, b"v" * 10)
    s.post(world.url(f"/2/media/upload/{media_id}/finalize"))
    sim.clock.advance(60)
    status = s.get(world.url("/2/media/upload"), params={"command": "STATUS", "media_id": media_id}).json()
    assert status["data"]["processing_info"]["state"] == "failed"
    # The live API says why; 2.167 forbids the key (spec_drift, README "Where xmock follows the live API").
    assert status["data"]["processing_info"]["error"]["name"] == "InvalidMedia"
    assert_matches("/2/media/upload", "get", 200, status)
    r = s.post(world.url("/2/tweets"), json={"text": "broken video", "media": {"media_ids": [media_id]}})
    assert r.status_code == 400


def test_uploads_are_billed_per_request_and_status_is_free(world, sim):
    s = world.session()
    media_id = _init(s, world, 10).json()["data"]["id"]
    _append(s, world, media_id, 0, b"v" * 10)
    s.post(world.url(f"/2/media/upload/{media_id}/finalize"))
    _status(s, world, media_id)
    assert [e["price_class"] for e in sim.ledger(world.app.id) if e["kind"] == "charge"] == ["MediaUpload"] * 3


def test_v1_chunked_over_raw_http(world, sim):
    sim.clock.freeze()
    s = world.session()
    init = s.post(
        world.url("/1.1/media/upload.json"),
        data={
            "command": "INIT",
            "total_bytes": str(len(MP4)),
            "media_type": "video/mp4",
            "media_category": "tweet_video",
        },
    )
    assert init.status_code == 202 and init.headers["x-mediaid"] == init.json()["media_id_string"]
    media_id = init.json()["media_id_string"]
    appended = s.post(
        world.url("/1.1/media/upload.json"),
        files={
            "command": (None, "APPEND"),
            "media_id": (None, media_id),
            "segment_index": (None, "0"),
            "media": ("blob", MP4),
        },
    )
    assert appended.status_code == 204 and appended.content == b""
    final = s.post(world.url("/1.1/media/upload.json"), data={"command": "FINALIZE", "media_id": media_id})
    assert final.status_code == 201
    assert final.json()["video"] == {"video_type": "video/mp4"} and final.json()["size"] == len(MP4)
    sim.clock.advance(10)
    status = s.get(world.url("/1.1/media/upload.json"), params={"command": "STATUS", "media_id": media_id}).json()
    assert status["processing_info"]["state"] == "succeeded"
    bad = s.post(world.url("/1.1/media/upload.json"), data={"command": "FINALIZE", "media_id": "1"})
    assert (bad.status_code, bad.json()["errors"][0]["code"]) == (400, 324)


def test_tweepy_media_upload_simple_and_chunked(world, sim, tmp_path):
    import tweepy

    from xmock.simulator.transport import mount

    sim.configure(media_processing_seconds=1)
    auth = tweepy.OAuth1UserHandler(
        world.app.consumer_key, world.app.consumer_secret, world.token.token, world.token.secret
    )
    api = tweepy.API(auth)
    mount(api.session, world.base)
    image = tmp_path / "photo.png"
    image.write_bytes(PNG)
    photo = api.media_upload(str(image))
    assert photo.image["w"] == 640
    video = tmp_path / "clip.mp4"
    video.write_bytes(MP4)
    clip = api.media_upload(str(video), chunked=True, media_category="tweet_video")  # polls STATUS
    assert clip.processing_info["state"] == "succeeded"
    client = tweepy.Client(
        consumer_key=world.app.consumer_key,
        consumer_secret=world.app.consumer_secret,
        access_token=world.token.token,
        access_token_secret=world.token.secret,
    )
    mount(client.session, world.base)
    created = client.create_tweet(text="photo and clip", media_ids=[photo.media_id_string, clip.media_id_string])
    assert created.data["text"] == "photo and clip"

"""Media lookup by key from the uploads the simulator holds, and subtitles kept with a video."""

from __future__ import annotations

import struct

import pytest
import requests
from oauth2_support import bearer_headers as _b
from openapi_shapes import assert_matches

from xmock.simulator import media

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + struct.pack(">II", 640, 480) + b"\x08\x02\x00\x00\x00" + b"p" * 200
MP4 = b"\x00\x00\x00\x18ftypmp42" + b"v" * 3000
SRT = b"1\n00:00:00,000 --> 00:00:01,000\nhello\n"


def _upload(sim, world, data, media_type, category, owner=None):
    return media.one_shot(sim, owner or world.user.id, world.app.id, data, media_type, category)


def test_lookup_by_key_with_media_fields(world, sim, bearer):
    photo = _upload(sim, world, PNG, "image/png", "tweet_image")
    r = requests.get(world.url(f"/2/media/{photo.media_key}"), headers=_b(bearer))
    assert r.status_code == 200, r.text
    assert_matches("/2/media/{media_key}", "get", 200, r.json())
    assert r.json() == {"data": {"media_key": photo.media_key, "type": "photo"}}
    wide = world.session().get(world.url(f"/2/media/{photo.media_key}?media.fields=width,height,url"))
    assert_matches("/2/media/{media_key}", "get", 200, wide.json())
    data = wide.json()["data"]
    assert (data["width"], data["height"]) == (640, 480) and data["url"].endswith(".png")


def test_lookup_of_many_keys_with_partial_errors(world, sim, bearer):
    photo = _upload(sim, world, PNG, "image/png", "tweet_image")
    video = _upload(sim, world, MP4, "video/mp4", "tweet_video")
    wrong_prefix = "3_" + video.id  # the id exists, but not under this key
    keys = [photo.media_key, video.media_key, "3_1", wrong_prefix]
    r = requests.get(world.url("/2/media"), params={"media_keys": ",".join(keys)}, headers=_b(bearer))
    assert r.status_code == 200
    assert_matches("/2/media", "get", 200, r.json())
    assert [m["media_key"] for m in r.json()["data"]] == [photo.media_key, video.media_key]
    assert r.json()["data"][1]["type"] == "video"
    assert [e["value"] for e in r.json()["errors"]] == ["3_1", wrong_prefix]
    assert r.json()["errors"][0]["title"] == "Not Found Error"


def test_an_upload_in_progress_is_not_found(world, sim, bearer):
    started = media.initialize(sim, world.user.id, world.app.id, "video/mp4", 100, "tweet_video")
    r = requests.get(world.url(f"/2/media/{started.media_key}"), headers=_b(bearer))
    assert r.status_code == 200 and r.json()["errors"][0]["resource_type"] == "media"
    assert_matches("/2/media/{media_key}", "get", 200, r.json())
    sim.settings = sim.settings.updated(missing_resource_status=404)
    r = requests.get(world.url(f"/2/media/{started.media_key}"), headers=_b(bearer))
    assert r.status_code == 404
    assert_matches("/2/media/{media_key}", "get", 404, r.json())


@pytest.mark.parametrize("query", ["", "?media_keys=", "?media_keys=abc", "?media_keys=" + ",".join(["1_1"] * 101)])
def test_lookup_refuses_what_the_spec_refuses(world, bearer, query):
    r = requests.get(world.url("/2/media" + query), headers=_b(bearer))
    assert r.status_code == 400, r.text
    assert_matches("/2/media", "get", 400, r.json())


def test_a_bad_key_in_the_path_is_refused(world, bearer):
    r = requests.get(world.url("/2/media/not-a-key"), headers=_b(bearer))
    assert r.status_code == 400, r.text
    assert_matches("/2/media/{media_key}", "get", 400, r.json())


def _subtitles(s, world, video, track, code="EN", category="TweetVideo", name="English"):
    body = {"id": video.id, "media_category": category,
            "subtitles": {"id": track.id, "language_code": code, "display_name": name}}
    return s.post(world.url("/2/media/subtitles"), json=body)


def test_subtitles_create_replace_and_delete(world, sim):
    s = world.session()
    video = _upload(sim, world, MP4, "video/mp4", "tweet_video")
    english = _upload(sim, world, SRT, "text/srt", "subtitles")
    french = _upload(sim, world, SRT, "text/srt", "subtitles")
    r = _subtitles(s, world, video, english)
    assert r.status_code == 200, r.text
    assert_matches("/2/media/subtitles", "post", 200, r.json())
    assert r.json()["data"] == {
        "id": video.id,
        "media_category": "TweetVideo",
        "associated_subtitles": {"subtitles": [{"id": english.id, "language_code": "EN", "display_name": "English"}]},
    }
    r = _subtitles(s, world, video, french, code="FR", name="Français")
    tracks = r.json()["data"]["associated_subtitles"]["subtitles"]
    assert [t["language_code"] for t in tracks] == ["EN", "FR"]
    replaced = _subtitles(s, world, video, french, code="EN", name="English (again)")
    tracks = replaced.json()["data"]["associated_subtitles"]["subtitles"]
    assert [(t["language_code"], t["id"]) for t in tracks] == [("FR", french.id), ("EN", french.id)]
    assert sim.store.get_media(video.id).subtitles[-1] == ("EN", french.id, "English (again)")

    body = {"id": video.id, "language_code": "FR", "media_category": "TweetVideo"}
    gone = s.delete(world.url("/2/media/subtitles"), json=body)
    assert gone.status_code == 200 and gone.json() == {"data": {"deleted": True}}
    assert_matches("/2/media/subtitles", "delete", 200, gone.json())
    again = s.delete(world.url("/2/media/subtitles"), json=body)
    assert again.status_code == 400 and "no subtitles in language FR" in again.json()["errors"][0]["message"]
    assert_matches("/2/media/subtitles", "delete", 400, again.json())
    assert [t[0] for t in sim.store.get_media(video.id).subtitles] == ["EN"]


def test_subtitles_refusals(world, sim):
    s = world.session()
    video = _upload(sim, world, MP4, "video/mp4", "tweet_video")
    photo = _upload(sim, world, PNG, "image/png", "tweet_image")
    track = _upload(sim, world, SRT, "text/srt", "subtitles")
    someone = sim.create_user(username="someone")
    theirs = _upload(sim, world, MP4, "video/mp4", "tweet_video", owner=someone.id)
    cases = [
        (_subtitles(s, world, video, track, category="AmplifyVideo"), 400),  # not an amplify_video upload
        (_subtitles(s, world, photo, track), 400),  # not a video
        (_subtitles(s, world, video, photo), 400),  # the track is not a subtitles upload
        (_subtitles(s, world, theirs, track), 403),  # another user's video
        (_subtitles(s, world, video, track, code="en"), 400),  # the spec's ^[A-Z]{2}$
        (s.post(world.url("/2/media/subtitles"), json={"media_category": "TweetVideo"}), 400),
        (s.post(world.url("/2/media/subtitles"), json={"id": "99", "media_category": "TweetVideo",
                                                        "subtitles": {"id": track.id, "language_code": "EN"}}), 400),
        (s.delete(world.url("/2/media/subtitles"), json={"id": video.id}), 400),
    ]
    for answer, status in cases:
        assert answer.status_code == status, answer.text
        method = answer.request.method.lower()
        assert_matches("/2/media/subtitles", method, status, answer.json())
    assert sim.store.get_media(video.id).subtitles == ()


def test_subtitles_are_kept_on_the_redis_codec():
    from xmock.simulator.models import Media
    from xmock.simulator.store import codec

    kept = Media("1", "7_1", "2", "3", "video/mp4", "tweet_video", 10, 0.0, 1.0, subtitles=(("EN", "4", "English"),))
    assert codec.loads(Media, codec.dumps(kept)) == kept


def test_media_lookup_and_subtitles_are_billed(world, sim, bearer):
    photo = _upload(sim, world, PNG, "image/png", "tweet_image")
    video = _upload(sim, world, MP4, "video/mp4", "tweet_video")
    track = _upload(sim, world, SRT, "text/srt", "subtitles")
    keys = f"{photo.media_key},{video.media_key},3_1"
    requests.get(world.url(f"/2/media?media_keys={keys}"), headers=_b(bearer))
    _subtitles(world.session(), world, video, track)
    charges = [e for e in sim.ledger(world.app.id) if e["kind"] == "charge"]
    assert [(e["price_class"], e["amount"]) for e in charges] == [("Media", "-0.01"), ("MediaMetadata", "-0.005")]

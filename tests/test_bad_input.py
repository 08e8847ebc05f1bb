"""Malformed requests get X's error shape (or a clear one), never a 500 or a traceback."""

from __future__ import annotations

import pytest


def test_invalid_json_wrong_types_and_non_utf8(world):
    s = world.session()
    for body, content_type in (
        (b"{not json", "application/json"),
        (b"\xff\xfe", "application/json"),
        (b"[1, 2]", "application/json"),
        (b"", "application/json"),
    ):
        r = s.post(world.url("/2/tweets"), data=body, headers={"Content-Type": content_type})
        assert r.status_code == 400, body
        assert r.json()["title"] == "Invalid Request"


def test_oversized_body_is_413(world, sim):
    sim.configure(max_body_bytes=1024)
    r = world.session().post(world.url("/2/tweets"), json={"text": "x" * 5000})
    assert r.status_code == 413
    assert r.json()["status"] == 413


@pytest.mark.parametrize(
    "header",
    [
        "OAuth",
        'OAuth oauth_consumer_key="unterminated',
        "Digest abc",
        'OAuth oauth_consumer_key="%ZZ"',
        "Bearer",
        "OAuth ,,,,",
    ],
)
def test_malformed_authorization_headers(world, http, header):
    r = http.get(world.url("/2/users/me"), headers={"Authorization": header})
    assert r.status_code == 401
    r = http.post(world.url("/1.1/statuses/update.json"), headers={"Authorization": header})
    assert r.status_code in (400, 401)
    assert "errors" in r.json()


def test_non_utf8_query_and_form(world, http):
    s = world.session()
    r = http.get(world.url("/2/tweets/search/recent?query=%FF"))
    assert r.status_code in (400, 401)
    r = s.post(
        world.url("/1.1/statuses/update.json"),
        data=b"status=%FF%FE",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert r.status_code == 400
    assert r.json()["errors"][0]["message"]


def test_unknown_routes_and_methods(world, http):
    assert http.get(world.url("/2/unknown")).status_code == 404
    r = http.patch(world.url("/2/tweets"))
    assert r.status_code == 405 and r.headers["allow"] == "GET, POST"
    assert http.get(world.url("/")).status_code == 404


def test_nothing_failed_with_500(world, sim):
    assert all(e["status"] < 500 for e in sim.journal())

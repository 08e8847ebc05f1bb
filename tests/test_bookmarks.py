"""Bookmarks and bookmark folders: the authenticated user's own, bookmark_count from the edges."""

from __future__ import annotations

from decimal import Decimal

import requests
from openapi_shapes import assert_matches

SCOPES = "tweet.read tweet.write users.read bookmark.read bookmark.write"


def _headers(sim, world, user=None, scopes=SCOPES) -> dict[str, str]:
    access, _ = sim.mint_oauth2_token(world.app.id, (user or world.user).id, scopes)
    return {"Authorization": f"Bearer {access.token}"}


def _post(world, text: str) -> str:
    return world.session().post(world.url("/2/tweets"), json={"text": text}).json()["data"]["id"]


def test_bookmark_read_count_and_remove(world, sim):
    h, me = _headers(sim, world), world.user.id
    first, second = _post(world, "first"), _post(world, "second")
    for post_id in (first, second):
        r = requests.post(world.url(f"/2/users/{me}/bookmarks"), json={"tweet_id": post_id}, headers=h)
        assert r.json() == {"data": {"bookmarked": True}}
        assert_matches("/2/users/{id}/bookmarks", "post", 200, r.json())
    other = sim.create_user(username="reader")
    sim.bookmark(other.id, first)
    metrics = requests.get(world.url(f"/2/tweets/{first}"), params={"tweet.fields": "public_metrics"}, headers=h)
    assert metrics.json()["data"]["public_metrics"]["bookmark_count"] == 2

    page = requests.get(world.url(f"/2/users/{me}/bookmarks"), params={"max_results": 1}, headers=h).json()
    assert_matches("/2/users/{id}/bookmarks", "get", 200, page)
    assert [p["id"] for p in page["data"]] == [second]
    rest = requests.get(
        world.url(f"/2/users/{me}/bookmarks"),
        params={"max_results": 1, "pagination_token": page["meta"]["next_token"], "expansions": "author_id"},
        headers=h,
    ).json()
    assert [p["id"] for p in rest["data"]] == [first] and rest["includes"]["users"][0]["id"] == me

    r = requests.delete(world.url(f"/2/users/{me}/bookmarks/{first}"), headers=h)
    assert r.json() == {"data": {"bookmarked": False}}
    assert_matches("/2/users/{id}/bookmarks/{tweet_id}", "delete", 200, r.json())
    metrics = requests.get(world.url(f"/2/tweets/{first}"), params={"tweet.fields": "public_metrics"}, headers=h)
    assert metrics.json()["data"]["public_metrics"]["bookmark_count"] == 1
    # a deleted post leaves the bookmarks
    world.session().delete(world.url(f"/2/tweets/{second}"))
    assert requests.get(world.url(f"/2/users/{me}/bookmarks"), headers=h).json() == {"meta": {"result_count": 0}}


def test_folders(world, sim):
    h, me = _headers(sim, world), world.user.id
    r = requests.post(world.url(f"/2/users/{me}/bookmarks/folders"), json={"name": "Recipes"}, headers=h)
    assert r.status_code == 201
    assert_matches("/2/users/{id}/bookmarks/folders", "post", 201, r.json())
    folder_id = r.json()["data"]["id"]
    assert r.json() == {"data": {"id": folder_id, "name": "Recipes"}}
    kept, loose = _post(world, "soup"), _post(world, "bread")
    body = {"tweet_id": kept, "folder_id": folder_id}
    assert requests.post(world.url(f"/2/users/{me}/bookmarks"), json=body, headers=h).json()["data"]["bookmarked"]
    requests.post(world.url(f"/2/users/{me}/bookmarks"), json={"tweet_id": loose}, headers=h)

    folders = requests.get(world.url(f"/2/users/{me}/bookmarks/folders"), headers=h).json()
    assert_matches("/2/users/{id}/bookmarks/folders", "get", 200, folders)
    assert folders["data"] == [{"id": folder_id, "name": "Recipes"}]
    inside = requests.get(world.url(f"/2/users/{me}/bookmarks/folders/{folder_id}"), headers=h).json()
    assert_matches("/2/users/{id}/bookmarks/folders/{folder_id}", "get", 200, inside)
    assert inside["data"] == [{"id": kept}]
    requests.delete(world.url(f"/2/users/{me}/bookmarks/{kept}"), headers=h)  # leaves the folder too
    assert "data" not in requests.get(world.url(f"/2/users/{me}/bookmarks/folders/{folder_id}"), headers=h).json()

    someone = sim.create_user(username="someone")
    theirs = sim.create_bookmark_folder(someone.id, "Private")
    r = requests.get(world.url(f"/2/users/{me}/bookmarks/folders/{theirs.id}"), headers=h)
    assert r.json()["errors"][0]["type"] == "https://api.x.com/2/problems/resource-not-found"
    body = {"tweet_id": loose, "folder_id": theirs.id}
    r = requests.post(world.url(f"/2/users/{me}/bookmarks"), json=body, headers=h)
    assert r.json()["errors"][0]["parameter"] == "folder_id"


def test_refusals(world, sim):
    h, me = _headers(sim, world), world.user.id
    post_id = _post(world, "mark me")
    other = sim.create_user(username="other")
    r = requests.post(world.url(f"/2/users/{other.id}/bookmarks"), json={"tweet_id": post_id}, headers=h)
    assert r.status_code == 400
    assert r.json()["errors"][0]["message"] == (
        f"The `id` query parameter value [{other.id}] must be the same as the authenticating user [{me}]"
    )
    # the writes take OAuth 2.0 user context only; the reads OAuth 1.0a as well
    r = world.session().post(world.url(f"/2/users/{me}/bookmarks"), json={"tweet_id": post_id})
    assert r.status_code == 403 and r.json()["title"] == "Unsupported Authentication"
    assert world.session().get(world.url(f"/2/users/{me}/bookmarks")).status_code == 200
    no_scope = _headers(sim, world, scopes="tweet.read users.read")
    assert requests.get(world.url(f"/2/users/{me}/bookmarks"), headers=no_scope).status_code == 403
    for body, message in (
        ({}, "$.tweet_id: required property 'tweet_id' not found"),
        ({"tweet_id": 1}, "$.tweet_id: integer found, string expected"),
        ({"tweet_id": "x1"}, "$.tweet_id: does not match the regex pattern ^[0-9]{1,19}$"),
        ({"tweet_id": post_id, "note": "hi"}, "$.note: is not defined in the schema"),
    ):
        r = requests.post(world.url(f"/2/users/{me}/bookmarks"), json=body, headers=h)
        assert r.status_code == 400 and r.json()["errors"][0]["message"].startswith(message)
    missing = requests.post(world.url(f"/2/users/{me}/bookmarks"), json={"tweet_id": "123"}, headers=h).json()
    assert missing["errors"][0]["resource_type"] == "tweet"
    r = requests.post(world.url(f"/2/users/{me}/bookmarks/folders"), json={"name": "n" * 26}, headers=h)
    assert r.status_code == 400
    sim.configure(max_bookmark_folders=1)
    requests.post(world.url(f"/2/users/{me}/bookmarks/folders"), json={"name": "one"}, headers=h)
    r = requests.post(world.url(f"/2/users/{me}/bookmarks/folders"), json={"name": "two"}, headers=h)
    assert r.status_code == 403


def test_owned_bookmark_reads_cost_the_owned_price(world, sim):
    owner_account = sim.create_account("Own", owner_user_id=world.user.id)
    app = sim.create_app(owner_account.id, "Own app", use_case="my own bookmarks", permission="read-write")
    access, _ = sim.mint_oauth2_token(app.id, world.user.id, SCOPES)
    h = {"Authorization": f"Bearer {access.token}"}
    sim.bookmark(world.user.id, _post(world, "owned"))
    before = sim.balance(app.id)
    requests.get(world.url(f"/2/users/{world.user.id}/bookmarks"), headers=h)
    assert before - sim.balance(app.id) == Decimal("0.001")  # one post at the owned-read price


def test_control_api_bookmarks(world, sim, base):
    post_id = _post(world, "via control")
    me = world.user.id
    folder = requests.post(base + f"/_xmock/users/{me}/bookmark_folders", json={"name": "Saved"})
    assert folder.status_code == 201
    body = {"tweet_id": post_id, "folder_id": folder.json()["id"]}
    r = requests.post(base + f"/_xmock/users/{me}/bookmarks", json=body)
    assert r.json() == {"bookmarked": True, "added": True}
    assert requests.post(base + f"/_xmock/users/{me}/bookmarks", json={"tweet_id": "999"}).status_code == 404
    assert requests.post(base + f"/_xmock/users/{me}/bookmarks", json={"tweet_id": True}).status_code == 400
    assert requests.post(base + f"/_xmock/users/{me}/bookmark_folders", json={"name": ""}).status_code == 400
    assert sim.store.count_edges("bookmarks", post_id, incoming=True) == 1

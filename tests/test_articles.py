"""Articles: a draft belongs to its author; publishing it makes its post, once."""

from __future__ import annotations

import pytest
from openapi_shapes import assert_matches

BLOCKS = [{"text": "One clock.", "type": "unstyled"}]
BODY = {"title": "Why clocks matter", "content_state": {"blocks": BLOCKS, "entities": []}}


def test_draft_then_publish_makes_one_post(world, sim):
    s = world.session()
    r = s.post(world.url("/2/articles/draft"), json=BODY)
    assert r.status_code == 201
    assert_matches("/2/articles/draft", "post", 201, r.json())
    article_id = r.json()["data"]["id"]
    assert r.json()["data"]["title"] == "Why clocks matter"
    assert sim.store.posts_by_author(world.user.id) == []  # a draft is not visible

    r = s.post(world.url(f"/2/articles/{article_id}/publish"))
    assert r.status_code == 200
    assert_matches("/2/articles/{article_id}/publish", "post", 200, r.json())
    post_id = r.json()["data"]["post_id"]
    post = s.get(world.url(f"/2/tweets/{post_id}")).json()["data"]
    assert post["text"] == f"Why clocks matter https://x.com/i/article/{article_id}"
    again = s.post(world.url(f"/2/articles/{article_id}/publish")).json()
    assert again == {"data": {"post_id": post_id}}
    assert len(sim.store.posts_by_author(world.user.id)) == 1


def test_another_users_draft_is_not_found(world, sim):
    other = sim.create_user()
    draft = sim.draft_article(other.id, "Mine", "line one\nline two")
    assert draft["content_state"]["blocks"][1] == {"text": "line two", "type": "unstyled"}
    r = world.session().post(world.url(f"/2/articles/{draft['id']}/publish"))
    assert r.json()["errors"][0]["type"] == "https://api.x.com/2/problems/resource-not-found"
    assert_matches("/2/articles/{article_id}/publish", "post", 200, r.json())
    assert world.session().post(world.url("/2/articles/12ab/publish")).status_code == 400


@pytest.mark.parametrize(
    "body",
    [
        {"title": "x"},
        {**BODY, "title": ""},
        {**BODY, "extra": 1},
        {**BODY, "content_state": {"blocks": []}},
        {**BODY, "cover_media": {"media_id": "1", "media_category": "tweet_image"}},
    ],
)
def test_draft_refuses_bad_bodies(world, body):
    r = world.session().post(world.url("/2/articles/draft"), json=body)
    assert r.status_code == 400
    assert_matches("/2/articles/draft", "post", 400, r.json())


def test_control_api(world, sim, http):
    r = http.post(world.url("/_xmock/articles"), json={"user_id": world.user.id, "title": "Notes"})
    assert r.status_code == 201
    published = http.post(world.url(f"/_xmock/articles/{r.json()['id']}/publish"), json={})
    assert sim.store.get_post(published.json()["post_id"]).author_id == world.user.id
    assert http.post(world.url("/_xmock/articles"), json={"user_id": world.user.id}).status_code == 400
    assert http.post(world.url("/_xmock/articles/1/publish"), json={}).status_code == 404

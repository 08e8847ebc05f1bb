"""News: lookup and search over stories made through the control API or generated, clustering the world's posts."""

from __future__ import annotations

import pytest
import requests
from openapi_shapes import assert_matches

ALL_FIELDS = "category,cluster_posts_results,contexts,disclaimer,hook,keywords,name,summary,updated_at"


def test_lookup_with_every_field(world, sim, bearer):
    post = sim.create_post(world.user.id, "Rates held steady")
    gone = sim.create_post(world.user.id, "An older take")
    story = sim.create_news(
        "Central bank holds rates",
        summary="The bank kept its rate unchanged.",
        hook="No change this month",
        category="Business",
        keywords=["rates", "bank"],
        post_ids=[post.id, gone.id],
        topics=["Economy"],
    )
    sim.store.delete_post(gone.id, sim.clock.now())
    got = world.session().get(world.url(f"/2/news/{story['id']}")).json()
    assert got == {"data": {"id": story["id"], "name": "Central bank holds rates"}}
    assert_matches("/2/news/{id}", "get", 200, got)
    got = requests.get(
        world.url(f"/2/news/{story['id']}"),
        params={"news.fields": ALL_FIELDS},
        headers={"Authorization": f"Bearer {bearer}"},
    ).json()
    assert_matches("/2/news/{id}", "get", 200, got)
    data = got["data"]
    assert data["cluster_posts_results"] == [{"post_id": post.id}]  # a deleted post leaves the cluster
    assert (data["category"], data["keywords"]) == ("Business", ["rates", "bank"])
    assert data["contexts"] == {"topics": ["Economy"]}
    assert data["updated_at"].endswith("Z")


def test_lookup_of_missing_and_malformed(world):
    s = world.session()
    gone = s.get(world.url("/2/news/42")).json()
    assert gone["errors"][0]["resource_type"] == "news"
    assert_matches("/2/news/{id}", "get", 200, gone)
    assert s.get(world.url("/2/news/4x2")).status_code == 400


def test_search_by_words_and_age(world, sim):
    old = sim.create_news("Storm hits the coast", summary="Heavy rain")
    sim.clock.advance(3 * 3600)
    new = sim.create_news("Storm moves inland", keywords=["weather"])
    sim.create_news("Election results", summary="Counting continues")
    s = world.session()
    got = s.get(world.url("/2/news/search"), params={"query": "storm"}).json()
    assert_matches("/2/news/search", "get", 200, got)
    assert [d["id"] for d in got["data"]] == [new["id"], old["id"]]
    assert got["meta"] == {"result_count": 2}
    got = s.get(world.url("/2/news/search"), params={"query": "storm", "max_age_hours": "2"}).json()
    assert [d["id"] for d in got["data"]] == [new["id"]]
    got = s.get(world.url("/2/news/search"), params={"query": "storm WEATHER", "max_results": "1"}).json()
    assert [d["id"] for d in got["data"]] == [new["id"]]
    got = s.get(world.url("/2/news/search"), params={"query": "volcano"}).json()
    assert got == {"meta": {"result_count": 0}}
    assert_matches("/2/news/search", "get", 200, got)


@pytest.mark.parametrize(
    "params",
    [{}, {"query": "a", "max_age_hours": "0"}, {"query": "a", "max_age_hours": "721"}, {"query": "a" * 2049}],
)
def test_search_refuses_bad_parameters(world, params):
    r = world.session().get(world.url("/2/news/search"), params=params)
    assert r.status_code == 400
    assert_matches("/2/news/search", "get", 400, r.json())


def test_generated_news_clusters_world_posts(world, sim, http):
    posts = [sim.create_post(world.user.id) for _ in range(4)]
    made = http.post(world.url("/_xmock/news/generate"), json={"count": 2})
    assert made.status_code == 201
    for story in made.json()["data"]:
        assert story["post_ids"] and set(story["post_ids"]) <= {p.id for p in posts}
    r = http.post(world.url("/_xmock/news"), json={"name": "Hand made", "post_ids": [posts[0].id], "topics": ["X"]})
    assert r.status_code == 201 and r.json()["post_ids"] == [posts[0].id]
    for body in ({"summary": "no name"}, {"name": "x", "post_ids": ["999"]}, {"name": "x", "keywords": "a"}):
        assert http.post(world.url("/_xmock/news"), json=body).status_code in (400, 404)

"""Community Notes: write, list written, eligible posts, evaluate, delete; a note's status moves on the clock."""

from __future__ import annotations

import pytest
from openapi_shapes import assert_matches

from xmock.simulator import notes

INFO = {
    "text": "The figure is from 2019, see https://stats.example/2019",
    "classification": "misinformed_or_potentially_misleading",
    "misleading_tags": ["outdated_information"],
    "trustworthy_sources": True,
}


def _note(post_id: str, test_mode: bool = False, **info) -> dict:
    return {"post_id": post_id, "test_mode": test_mode, "info": {**INFO, **info}}


def test_write_list_and_status_moving_on_the_clock(world, sim):
    sim.configure(note_rating_seconds=3600)
    author = sim.create_user()
    post = sim.create_post(author.id, "Unemployment is 9%")
    s = world.session()
    r = s.post(world.url("/2/notes"), json=_note(post.id))
    assert r.status_code == 201
    assert_matches("/2/notes", "post", 201, r.json())
    note_id = r.json()["data"]["id"]

    got = s.get(world.url("/2/notes/search/notes_written"), params={"test_mode": "false"}).json()
    assert_matches("/2/notes/search/notes_written", "get", 200, got)
    [note] = got["data"]
    assert (note["id"], note["status"], note["info"]["post_id"]) == (note_id, "needs_more_ratings", post.id)
    assert note["info"]["rating_status"] == "needs_more_ratings"
    assert got["meta"] == {"result_count": 1}
    assert s.get(world.url("/2/notes/search/notes_written"), params={"test_mode": "true"}).json() == {
        "meta": {"result_count": 0}
    }

    sim.clock.advance(3600)
    got = s.get(world.url("/2/notes/search/notes_written"), params={"test_mode": "false", "note.fields": "status"})
    assert got.json()["data"] == [{"id": note_id, "status": "currently_rated_helpful"}]


def test_opinionated_or_unsourced_notes_are_rated_not_helpful(world, sim):
    sim.configure(note_rating_seconds=0)
    post = sim.create_post(sim.create_user().id, "Claim")
    opinion = sim.write_note(world.user.id, post.id, "Obviously wrong!! I think https://a.example")
    other = sim.create_post(sim.create_user().id, "Claim two")
    unsourced = sim.write_note(world.user.id, other.id, "Dated 2019: https://a.example", trustworthy_sources=False)
    assert sim.note(opinion["id"])["status"] == notes.NOT_HELPFUL
    assert sim.note(unsourced["id"])["status"] == notes.NOT_HELPFUL


def test_test_mode_notes_carry_a_test_result(world, sim):
    post = sim.create_post(sim.create_user().id, "Claim")
    s = world.session()
    s.post(world.url("/2/notes"), json=_note(post.id, test_mode=True))
    fields = "id,info,scoring_status,status,test_result"
    got = s.get(world.url("/2/notes/search/notes_written"), params={"test_mode": "true", "note.fields": fields})
    assert_matches("/2/notes/search/notes_written", "get", 200, got.json())
    [note] = got.json()["data"]
    assert note["test_result"] == {
        "evaluation_outcome": [{"evaluator_type": "claim_opinion", "evaluator_score_bucket": "low"}]
    }


def test_one_note_per_post_none_on_own_posts_and_missing_posts(world, sim):
    post = sim.create_post(sim.create_user().id, "Claim")
    s = world.session()
    assert s.post(world.url("/2/notes"), json=_note(post.id)).status_code == 201
    again = s.post(world.url("/2/notes"), json=_note(post.id))
    assert again.status_code == 403
    assert_matches("/2/notes", "post", 403, again.json())
    own = sim.create_post(world.user.id, "Mine")
    assert s.post(world.url("/2/notes"), json=_note(own.id)).status_code == 403
    missing = s.post(world.url("/2/notes"), json=_note("123"))
    assert missing.json()["errors"][0]["resource_type"] == "tweet"


@pytest.mark.parametrize(
    "body",
    [
        {"post_id": "1", "info": INFO},
        _note("1", text="no link here"),
        _note("1", classification="wrong"),
        _note("1", misleading_tags=["rude"]),
        {**_note("1"), "extra": True},
        _note("x1"),
    ],
)
def test_write_refuses_bodies_the_schema_refuses(world, body):
    r = world.session().post(world.url("/2/notes"), json=body)
    assert r.status_code == 400
    assert_matches("/2/notes", "post", 400, r.json())


def test_delete_only_own_notes(world, sim):
    post = sim.create_post(sim.create_user().id, "Claim")
    theirs = sim.write_note(sim.create_user().id, post.id, "See https://a.example")
    s = world.session()
    r = s.delete(world.url(f"/2/notes/{theirs['id']}"))
    assert r.status_code == 403
    note_id = s.post(world.url("/2/notes"), json=_note(post.id)).json()["data"]["id"]
    r = s.delete(world.url(f"/2/notes/{note_id}"))
    assert r.json() == {"data": {"deleted": True}}
    assert_matches("/2/notes/{id}", "delete", 200, r.json())
    gone = s.delete(world.url(f"/2/notes/{note_id}")).json()
    assert gone["errors"][0]["type"] == "https://api.x.com/2/problems/resource-not-found"
    assert_matches("/2/notes/{id}", "delete", 200, gone)
    assert s.post(world.url("/2/notes"), json=_note(post.id)).status_code == 201  # the post can be noted again


def test_eligible_posts(world, sim):
    other = sim.create_user()
    old = sim.create_post(other.id, "Last month")
    sim.clock.advance(8 * 24 * 3600)
    first = sim.create_post(other.id, "Claim one")
    sim.create_post(other.id, "a reply", reply_to=first.id)
    sim.create_post(world.user.id, "My own")
    second = sim.create_post(other.id, "Claim two")
    s = world.session()
    params = {"test_mode": "false", "expansions": "author_id", "max_results": "1"}
    got = s.get(world.url("/2/notes/search/posts_eligible_for_notes"), params=params).json()
    assert_matches("/2/notes/search/posts_eligible_for_notes", "get", 200, got)
    assert [p["id"] for p in got["data"]] == [second.id]
    assert got["includes"]["users"][0]["id"] == other.id
    params["pagination_token"] = got["meta"]["next_token"]
    got = s.get(world.url("/2/notes/search/posts_eligible_for_notes"), params=params).json()
    assert [p["id"] for p in got["data"]] == [first.id] and old.id != first.id

    s.post(world.url("/2/notes"), json=_note(second.id))
    got = s.get(world.url("/2/notes/search/posts_eligible_for_notes"), params={"test_mode": "true"}).json()
    assert [p["id"] for p in got["data"]] == [first.id]  # noted posts leave the list
    bad = s.get(world.url("/2/notes/search/posts_eligible_for_notes"), params={"test_mode": "yes"})
    assert bad.status_code == 400
    params = {"test_mode": "true", "post_selection": "all"}
    bad = s.get(world.url("/2/notes/search/posts_eligible_for_notes"), params=params)
    assert bad.status_code == 400
    assert_matches("/2/notes/search/posts_eligible_for_notes", "get", 400, bad.json())
    fine = s.get(
        world.url("/2/notes/search/posts_eligible_for_notes"),
        params={"test_mode": "true", "post_selection": "feed_size: large"},
    )
    assert fine.status_code == 200


def test_evaluate_scores_claims_low_and_opinions_high(world, sim):
    post = sim.create_post(sim.create_user().id, "Claim")
    s = world.session()
    claim = s.post(world.url("/2/notes/evaluate"), json={"post_id": post.id, "note_text": "The law passed in 2019."})
    assert_matches("/2/notes/evaluate", "post", 200, claim.json())
    opinion = s.post(
        world.url("/2/notes/evaluate"), json={"post_id": post.id, "note_text": "I think this is obviously awful!"}
    )
    assert claim.json()["data"]["claim_opinion_score"] < 0.5 < opinion.json()["data"]["claim_opinion_score"]
    assert s.post(world.url("/2/notes/evaluate"), json={"post_id": post.id}).status_code == 400


def test_control_api(world, sim, http):
    post = sim.create_post(sim.create_user().id, "Claim")
    body = {"user_id": world.user.id, "post_id": post.id, "text": "See https://a.example", "test_mode": True}
    r = http.post(world.url("/_xmock/notes"), json=body)
    assert r.status_code == 201
    got = http.get(world.url(f"/_xmock/notes/{r.json()['id']}")).json()
    assert (got["status"], got["test_mode"]) == ("needs_more_ratings", True)
    assert http.post(world.url("/_xmock/notes"), json=body).status_code == 409
    for bad in ({**body, "text": "no link"}, {**body, "classification": "x"}, {**body, "misleading_tags": "other"}):
        assert http.post(world.url("/_xmock/notes"), json=bad).status_code == 400
    assert http.get(world.url("/_xmock/notes/1")).status_code == 404

"""Polls (votes, voting_status on the clock), places (geo, includes.places, place:, has:geo) and edits
(edit_options.previous_post_id, edit_history_tweet_ids, edit_controls, the old version out of timelines)."""

import requests
from openapi_shapes import assert_matches


def _create(world, **body):
    r = world.session().post(world.url("/2/tweets"), json=body)
    assert r.status_code == 201, r.text
    assert_matches("/2/tweets", "post", 201, r.json())
    return r.json()["data"]


def _edit(session, world, text, previous_id):
    return session.post(world.url("/2/tweets"), json={"text": text, "edit_options": {"previous_post_id": previous_id}})


def _get(world, post_id, **params):
    r = world.session().get(world.url(f"/2/tweets/{post_id}"), params=params)
    assert r.status_code == 200, r.text
    assert_matches("/2/tweets/{id}", "get", 200, r.json())
    return r.json()


def test_poll_is_stored_voted_on_and_closes_on_the_clock(world, sim, base):
    sim.clock.freeze()
    post = _create(world, text="Which one?", poll={"options": ["tea", "coffee"], "duration_minutes": 60})
    voters = [sim.create_user() for _ in range(3)]
    for user, position in zip(voters, (2, 2, 1), strict=True):
        vote = {"user_id": user.id, "post_id": post["id"], "position": position}
        r = requests.post(base + "/_xmock/poll_votes", json=vote)
        assert r.json() == {"counted": True}
    again = {"user_id": voters[0].id, "post_id": post["id"], "position": 1}
    assert requests.post(base + "/_xmock/poll_votes", json=again).json() == {"counted": False}
    params = {
        "expansions": "attachments.poll_ids",
        "poll.fields": "duration_minutes,end_datetime,voting_status,options",
        "tweet.fields": "attachments",
    }
    body = _get(world, post["id"], **params)
    (poll_id,) = body["data"]["attachments"]["poll_ids"]
    (poll,) = body["includes"]["polls"]
    assert poll["id"] == poll_id
    assert poll["options"] == [
        {"position": 1, "label": "tea", "votes": 1},
        {"position": 2, "label": "coffee", "votes": 2},
    ]
    assert poll["duration_minutes"] == 60 and poll["voting_status"] == "open"
    sim.clock.advance(3600)
    assert _get(world, post["id"], **params)["includes"]["polls"][0]["voting_status"] == "closed"
    late = sim.create_user()
    r = requests.post(base + "/_xmock/poll_votes", json={"user_id": late.id, "post_id": post["id"], "position": 1})
    assert r.status_code == 409
    r = world.session().get(world.url(f"/2/tweets/{post['id']}"), params={"poll.fields": "nope"})
    assert r.status_code == 400 and "poll.fields" in r.text


def test_places_tag_posts_and_are_searchable(world, sim, base):
    r = requests.post(
        base + "/_xmock/places",
        json={"full_name": "Lyon, France", "country": "France", "country_code": "FR", "bbox": [4.7, 45.7, 4.9, 45.8]},
    )
    assert r.status_code == 201, r.text
    place = r.json()
    assert place["name"] == "Lyon" and len(place["id"]) == 16
    tagged = _create(world, text="lunch in Lyon", geo={"place_id": place["id"]})
    _create(world, text="lunch at home")
    body = _get(
        world,
        tagged["id"],
        expansions="geo.place_id",
        **{"tweet.fields": "geo", "place.fields": "country,country_code,geo,name,place_type"},
    )
    assert body["data"]["geo"] == {"place_id": place["id"]}
    (shown,) = body["includes"]["places"]
    assert shown == {
        "id": place["id"],
        "full_name": "Lyon, France",
        "name": "Lyon",
        "country": "France",
        "country_code": "FR",
        "place_type": "city",
        "geo": {"type": "Feature", "bbox": [4.7, 45.7, 4.9, 45.8], "properties": {}},
    }
    for query in (f"has:geo place:{place['id']}", f"place:{place['id']}", "place:lyon"):
        r = world.session().get(world.url("/2/tweets/search/recent"), params={"query": query})
        assert [p["id"] for p in r.json()["data"]] == [tagged["id"]], query
    r = world.session().post(world.url("/2/tweets"), json={"text": "x", "geo": {"place_id": "nowhere"}})
    assert r.status_code == 400
    assert requests.post(base + "/_xmock/places", json={"country_code": "FRA"}).status_code == 400
    assert requests.post(base + "/_xmock/places", json={"bbox": [1, 2]}).status_code == 400
    assert requests.post(base + "/_xmock/places", json={"place_type": "planet"}).status_code == 400
    assert requests.get(base + "/_xmock/places").json()["places"][0]["id"] == place["id"]


def test_edits_make_versions_within_the_window(world, sim):
    sim.clock.freeze()
    first = _create(world, text="Helo world")
    second = _create(world, text="Hello world", edit_options={"previous_post_id": first["id"]})
    assert second["edit_history_tweet_ids"] == [first["id"], second["id"]]
    for version in (first, second):
        data = _get(world, version["id"], **{"tweet.fields": "edit_controls"})["data"]
        assert data["edit_history_tweet_ids"] == [first["id"], second["id"]]
        assert data["edit_controls"]["edits_remaining"] == 4
    # only the latest version shows in timelines and search
    r = world.session().get(world.url(f"/2/users/{world.user.id}/tweets"))
    assert [p["id"] for p in r.json()["data"]] == [second["id"]]
    # an older version cannot be edited, nor someone else's post
    r = _edit(world.session(), world, "x", first["id"])
    assert r.status_code == 403
    other = sim.create_user()
    other_session = world.session(sim.mint_oauth1_token(world.app.id, other.id))
    r = _edit(other_session, world, "y", second["id"])
    assert r.status_code == 403
    latest = second
    for n in range(4):
        latest = _create(world, text=f"Hello world {n}", edit_options={"previous_post_id": latest["id"]})
    assert len(latest["edit_history_tweet_ids"]) == 6
    r = _edit(world.session(), world, "z", latest["id"])
    assert r.status_code == 403 and "maximum" in r.json()["detail"]
    late = _create(world, text="Another one")
    sim.clock.advance(3600)
    r = _edit(world.session(), world, "z", late["id"])
    assert r.status_code == 403 and "passed" in r.json()["detail"]
    bad = [{"previous_post_id": "abc"}, {"previous_post_id": 5}, {}, {"previous_post_id": "1", "x": 1}]
    for options in bad:
        r = world.session().post(world.url("/2/tweets"), json={"text": "q", "edit_options": options})
        assert r.status_code == 400, options
    r = world.session().post(world.url("/2/tweets"), json={"text": "q", "edit_options": {"previous_post_id": "99"}})
    assert r.status_code == 400


def test_polls_cannot_be_edited(world):
    post = _create(world, text="vote", poll={"options": ["a", "b"], "duration_minutes": 5})
    r = _edit(world.session(), world, "v", post["id"])
    assert r.status_code == 403
    data = _get(world, post["id"], **{"tweet.fields": "edit_controls"})["data"]
    assert data["edit_controls"]["is_edit_eligible"] is False

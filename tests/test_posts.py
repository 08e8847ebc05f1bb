"""POST/GET/DELETE /2/tweets and the user timeline, checked against X's spec and answers."""

from __future__ import annotations

import pytest
from openapi_shapes import assert_matches

from xmock.simulator.clock import iso_utc


def _post(world, text, **extra):
    return world.session().post(world.url("/2/tweets"), json={"text": text, **extra})


def test_create_answers_201_with_location_and_spec_shape(world):
    r = _post(world, "Hello World!")
    assert r.status_code == 201
    body = r.json()
    assert_matches("/2/tweets", "post", 201, body)
    post_id = body["data"]["id"]
    assert body == {"data": {"edit_history_tweet_ids": [post_id], "id": post_id, "text": "Hello World!"}}
    assert r.headers["location"] == f"https://api.twitter.com/2/tweets/{post_id}"
    assert r.headers["content-type"] == "application/json; charset=utf-8"
    assert len(r.headers["x-transaction-id"]) == 16


def test_ids_and_created_at_come_from_the_clock(world, sim):
    at = round(sim.clock.now()) + 86_400.25  # clients still sign with wall time (timestamp_check="either")
    sim.clock.freeze(at)
    post_id = _post(world, "frozen").json()["data"]["id"]
    assert ((int(post_id) >> 22) + 1288834974657) == int(at * 1000)
    r = world.session().get(world.url(f"/2/tweets/{post_id}"), params={"tweet.fields": "created_at"})
    assert r.json()["data"]["created_at"] == iso_utc(at)
    assert r.json()["data"]["created_at"].endswith(".250Z")


def test_duplicate_text_is_403_until_the_window_passes(world, sim):
    sim.clock.freeze()
    assert _post(world, "same words").status_code == 201
    r = _post(world, "same words")
    assert r.status_code == 403
    assert r.json() == {
        "detail": "You are not allowed to create a Tweet with duplicate content.",
        "type": "about:blank",
        "title": "Forbidden",
        "status": 403,
    }
    sim.clock.advance(sim.settings.duplicate_window + 1)
    assert _post(world, "same words").status_code == 201


def test_weighted_length(world):
    assert _post(world, "a" * 280).status_code == 201
    assert _post(world, "日" * 140).status_code == 201
    r = _post(world, "日" * 141)
    assert r.status_code == 400
    assert r.json()["errors"][0]["message"].startswith("Your Tweet text is too long.")
    url_heavy = " ".join(["https://example.com/" + "x" * 100] * 11)  # 11 URLs count 23 each
    assert _post(world, url_heavy).status_code == 201


def test_reply_and_quote(world):
    parent = _post(world, "parent").json()["data"]["id"]
    reply = _post(world, "child", reply={"in_reply_to_tweet_id": parent}).json()["data"]["id"]
    quote = world.session().post(world.url("/2/tweets"), json={"quote_tweet_id": parent}).json()["data"]["id"]
    r = world.session().get(
        world.url(f"/2/tweets/{reply}"),
        params={
            "tweet.fields": "conversation_id,in_reply_to_user_id,referenced_tweets",
            "expansions": "referenced_tweets.id,author_id",
        },
    )
    data = r.json()
    assert_matches("/2/tweets/{id}", "get", 200, data)
    assert data["data"]["conversation_id"] == parent
    assert data["data"]["in_reply_to_user_id"] == world.user.id
    assert data["data"]["referenced_tweets"] == [{"type": "replied_to", "id": parent}]
    assert data["includes"]["tweets"][0]["id"] == parent
    assert data["includes"]["users"][0]["username"] == "acme"
    metrics = world.session().get(world.url(f"/2/tweets/{parent}"), params={"post.fields": "public_metrics"})
    assert metrics.json()["data"]["public_metrics"]["reply_count"] == 1
    assert metrics.json()["data"]["public_metrics"]["quote_count"] == 1
    assert quote
    r = _post(world, "orphan", reply={"in_reply_to_tweet_id": "1"})
    assert r.status_code == 400


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"text": "x", "colour": "red"}, "$.colour: is not defined in the schema"),
        ({"text": 5}, "$.text: integer found, string expected"),
        ({"text": "x", "media": {"media_ids": ["123"]}}, "Your media IDs are invalid."),
        ({"text": "x", "media": {"media_ids": ["1", "2", "3", "4", "5"]}},
         "$.media.media_ids: there must be a maximum of 4 items in the array"),
        ({"text": "x", "reply": {}}, "in_reply_to_tweet_id"),
        ({"text": "x", "quote_tweet_id": "abc"}, "does not match the regex"),
        ({}, "Post text is required"),
        ({"text": "x", "reply_settings": "everybody"}, "$.reply_settings"),
        ({"text": "x", "poll": {"options": ["a"], "duration_minutes": 10}}, "$.poll.options"),
    ],
)
def test_create_validation(world, body, message):
    r = world.session().post(world.url("/2/tweets"), json=body)
    assert r.status_code == 400
    answer = r.json()
    assert answer["title"] == "Invalid Request"
    assert answer["type"] == "https://api.x.com/2/problems/invalid-request"
    assert message in answer["errors"][0]["message"]


def test_delete_by_author_only(world, sim):
    post_id = _post(world, "to delete").json()["data"]["id"]
    other = sim.create_user(username="mallory")
    r = world.session(sim.mint_oauth1_token(world.app.id, other.id)).delete(world.url(f"/2/tweets/{post_id}"))
    assert r.status_code == 403
    r = world.session().delete(world.url(f"/2/tweets/{post_id}"))
    assert r.json() == {"data": {"deleted": True}}
    assert_matches("/2/tweets/{id}", "delete", 200, r.json())
    r = world.session().get(world.url(f"/2/tweets/{post_id}"))
    assert r.status_code == 200
    assert r.json()["errors"][0]["detail"] == f"Could not find tweet with id: [{post_id}]."


def test_missing_resource_status_is_configurable(world, sim):
    sim.configure(missing_resource_status=404)
    r = world.session().get(world.url("/2/tweets/12345"))
    assert r.status_code == 404
    assert r.json()["errors"][0]["type"] == "https://api.x.com/2/problems/resource-not-found"
    assert r.json()["resource_type"] == "tweet" and r.json()["status"] == 404
    assert_matches("/2/tweets/{id}", "get", 404, r.json())  # fits the spec's ResourceNotFoundProblem
    missing_list = world.session().get(world.url("/2/lists/12345"))
    assert missing_list.status_code == 404
    assert_matches("/2/lists/{id}", "get", 404, missing_list.json())


def test_lookup_many_with_partial_errors(world):
    a = _post(world, "one").json()["data"]["id"]
    r = world.session().get(world.url("/2/tweets"), params={"ids": f"{a},999"})
    body = r.json()
    assert_matches("/2/tweets", "get", 200, body)
    assert [p["id"] for p in body["data"]] == [a]
    assert body["errors"][0]["resource_id"] == "999" and body["errors"][0]["parameter"] == "ids"
    assert world.session().get(world.url("/2/tweets")).status_code == 400
    assert world.session().get(world.url("/2/tweets"), params={"ids": "1,x"}).status_code == 400


def test_timeline_pagination_and_bounds(world, sim):
    sim.clock.freeze()
    ids = []
    for n in range(12):
        sim.clock.advance(1)
        ids.append(_post(world, f"post {n}").json()["data"]["id"])
    s = world.session()
    url = world.url(f"/2/users/{world.user.id}/tweets")
    first = s.get(url, params={"max_results": 5}).json()
    assert_matches("/2/users/{id}/tweets", "get", 200, first)
    assert [p["id"] for p in first["data"]] == ids[::-1][:5]
    assert first["meta"]["result_count"] == 5 and first["meta"]["newest_id"] == ids[-1]
    second = s.get(url, params={"max_results": 5, "pagination_token": first["meta"]["next_token"]}).json()
    assert [p["id"] for p in second["data"]] == ids[::-1][5:10]
    third = s.get(url, params={"max_results": 5, "pagination_token": second["meta"]["next_token"]}).json()
    assert len(third["data"]) == 2 and "next_token" not in third["meta"]
    r = s.get(url, params={"max_results": 0})
    assert r.status_code == 400
    assert r.json()["errors"][0] == {
        "parameters": {"max_results": ["0"]},
        "message": "The `max_results` query parameter value [0] is not between 5 and 100",
    }
    assert s.get(url, params={"pagination_token": "garbage"}).status_code == 400
    assert s.get(url, params={"since_id": ids[9]}).json()["meta"]["result_count"] == 2


def test_unknown_field_names_are_refused_and_aliases_accepted(world):
    post_id = _post(world, "fields").json()["data"]["id"]
    s = world.session()
    r = s.get(world.url(f"/2/tweets/{post_id}"), params={"tweet.fields": "created_at,colour"})
    assert r.status_code == 400
    assert r.json()["errors"][0]["parameters"] == {"tweet.fields": ["colour"]}
    r = s.get(
        world.url(f"/2/tweets/{post_id}"),
        params={"post.fields": "author_id", "expansions": "referenced_posts"},
    )
    assert r.json()["data"]["author_id"] == world.user.id
    assert "edit_history_tweet_ids" in r.json()["data"]


ESCAPING = 'Café & <b>bold</b> "quoted" @bob #tag'
ESCAPED = 'Café &amp; &lt;b&gt;bold&lt;/b&gt; "quoted" @bob #tag'


def test_text_is_html_escaped_on_the_way_out_as_x_does(world, sim):
    sim.create_user(username="bob")
    created = _post(world, ESCAPING)
    assert created.status_code == 201 and created.json()["data"]["text"] == ESCAPED
    post_id = created.json()["data"]["id"]
    s = world.session()
    fields = {"tweet.fields": "entities,display_text_range", "expansions": "referenced_tweets.id"}
    got = s.get(world.url(f"/2/tweets/{post_id}"), params=fields).json()["data"]
    assert got["text"] == ESCAPED
    # Indices and ranges count the text as posted, not its escaped form.
    mention, tag = got["entities"]["mentions"][0], got["entities"]["hashtags"][0]
    assert ESCAPING[mention["start"] : mention["end"]] == "@bob" and ESCAPING[tag["start"] : tag["end"]] == "#tag"
    assert got["display_text_range"] == [0, len(ESCAPING)]
    assert s.get(world.url("/2/tweets"), params={"ids": post_id}).json()["data"][0]["text"] == ESCAPED
    timeline = s.get(world.url(f"/2/users/{world.user.id}/tweets")).json()["data"]
    assert timeline[0]["text"] == ESCAPED
    reply = _post(world, "re", reply={"in_reply_to_tweet_id": post_id}).json()["data"]["id"]
    included = s.get(world.url(f"/2/tweets/{reply}"), params=fields).json()["includes"]["tweets"]
    assert included[0]["text"] == ESCAPED
    # What is stored, and judged for duplicates, is the text as posted.
    assert [p.text for p in sim.store.posts_by_author(world.user.id)][-1] == ESCAPING
    assert _post(world, ESCAPING).status_code == 403
    assert _post(world, ESCAPED).status_code == 201


def test_escaping_does_not_count_toward_the_length_limit(world):
    assert _post(world, "&" * 280).status_code == 201  # 1,400 characters once escaped
    assert _post(world, "<" * 281).status_code == 400

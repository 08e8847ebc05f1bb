import jsonschema
import pytest
from openapi_shapes import assert_matches

from xmock.simulator.spec_drift import to_spec

POST = {"data": {"edit_history_tweet_ids": ["1"], "id": "1", "text": "hi"}}


def test_a_key_the_spec_does_not_declare_fails():
    assert_matches("/2/tweets/{id}", "get", 200, POST)
    with pytest.raises(jsonschema.ValidationError, match="shoe_size"):
        assert_matches("/2/tweets/{id}", "get", 200, {"data": {**POST["data"], "shoe_size": 9}})
    with pytest.raises(jsonschema.ValidationError):
        assert_matches("/2/tweets/{id}", "get", 200, {**POST, "extra": {}})


def test_formats_and_enums_are_checked():
    with pytest.raises(jsonschema.ValidationError):
        assert_matches("/2/tweets/{id}", "get", 200, {"data": {**POST["data"], "created_at": "yesterday"}})
    with pytest.raises(jsonschema.ValidationError):
        liked = {"data": {**POST["data"], "referenced_tweets": [{"type": "liked", "id": "2"}]}}
        assert_matches("/2/tweets/{id}", "get", 200, liked)
    dated = {"data": {**POST["data"], "created_at": "2021-01-06T18:40:40.000Z"}}
    assert_matches("/2/tweets/{id}", "get", 200, dated)


def test_problem_types_are_discriminated():
    not_found = {
        "detail": "Could not find tweet with id: [1].",
        "title": "Not Found Error",
        "resource_type": "tweet",
        "type": "https://api.x.com/2/problems/resource-not-found",
    }
    assert_matches("/2/tweets/{id}", "get", 404, not_found)
    # The type names the schema: an invalid-request problem must not pass as a resource-not-found one.
    with pytest.raises(jsonschema.ValidationError):
        invalid = {**not_found, "type": "https://api.x.com/2/problems/invalid-request"}
        assert_matches("/2/tweets/{id}", "get", 400, invalid)
    with pytest.raises(jsonschema.ValidationError):
        assert_matches("/2/tweets/{id}", "get", 404, {**not_found, "type": "https://api.x.com/2/problems/made-up"})
    assert_matches("/2/tweets/{id}", "get", 401, {"title": "Unauthorized", "type": "about:blank", "status": 401})


def test_live_names_are_translated_once():
    assert to_spec({"public_metrics": {"retweet_count": 1}, "includes": {"tweets": []}}) == {
        "public_metrics": {"repost_count": 1},
        "includes": {"posts": []},
    }

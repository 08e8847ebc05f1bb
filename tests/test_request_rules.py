import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openapi_shapes import assert_matches

from xmock.simulator import errors, request_rules
from xmock.simulator.routes import ENDPOINTS
from xmock.simulator.spec import spec

RULES = request_rules.for_operations((e.name, e.method, e.path) for e in ENDPOINTS)


def _refusal(operation_id: str, query: list[tuple[str, str]]) -> dict:
    with pytest.raises(errors.XError) as caught:
        RULES[operation_id].check(query)
    assert caught.value.status == 400
    return caught.value.body


def test_every_declared_spec_operation_has_rules():
    declared = {e.name for e in ENDPOINTS}
    in_spec = {op["operationId"] for item in spec()["paths"].values() for op in item.values() if isinstance(op, dict)}
    assert set(RULES) == declared & in_spec


def test_unknown_parameter_names_the_declared_ones():
    body = _refusal("getUsersFollowers", [("foo", "bar")])
    assert body["errors"] == [
        {
            "parameters": {"foo": ["bar"]},
            "message": "The query parameter [foo] is not one of "
            "[id,max_results,pagination_token,user.fields,expansions,post.fields]",
        }
    ]
    assert body["title"] == "Invalid Request"


def test_fields_of_every_kind_and_both_spellings():
    RULES["getPostsById"].check([("tweet.fields", "author_id,lang"), ("post.fields", "edit_history_tweet_ids")])
    RULES["getPostsById"].check([("expansions", "referenced_tweets.id,referenced_posts,attachments.poll_ids")])
    RULES["getUsersById"].check([("user.fields", "pinned_tweet_id"), ("expansions", "pinned_tweet_id")])
    for name in ("tweet.fields", "user.fields", "media.fields", "poll.fields", "place.fields", "expansions"):
        message = _refusal("getPostsById", [(name, "bogus")])["errors"][0]["message"]
        assert message.startswith(f"The `{name}` query parameter value [bogus] is not one of [")
    assert "list.fields" in _refusal("getListsById", [("list.fields", "nope")])["errors"][0]["message"]
    assert _refusal("getPostsById", [("tweet.fields", "")])["errors"][0]["message"] == (
        "The `tweet.fields` query parameter can not be empty"
    )


def test_enums_bounds_and_patterns():
    message = _refusal("searchPostsRecent", [("sort_order", "oldest")])["errors"][0]["message"]
    assert message == "The `sort_order` query parameter value [oldest] is not one of [recency,relevancy]"
    for raw in ("0", "1001", "ten", "-5", "٣"):
        body = _refusal("getUsersFollowers", [("max_results", raw)])
        message = body["errors"][0]["message"]
        assert message == f"The `max_results` query parameter value [{raw}] is not between 1 and 1000"
    RULES["getUsersFollowers"].check([("max_results", "1000")])
    message = _refusal("getUsersMentions", [("since_id", "12\n")])["errors"][0]["message"]
    assert message.endswith("does not match ^[0-9]{1,19}$")
    too_many = _refusal("getUsersByIds", [("ids", ",".join(["1"] * 101))])
    assert "between 1 and 100 items" in too_many["errors"][0]["message"]


def test_oauth_parameters_and_both_token_names_pass():
    query = [("query", "hello"), ("oauth_nonce", "x"), ("next_token", "abc"), ("pagination_token", "abc")]
    RULES["searchPostsRecent"].check(query)


def test_a_required_parameter_missing_is_xs_400():
    with pytest.raises(errors.XError) as caught:
        RULES["getPostsByIds"].check([("tweet.fields", "id")])
    assert caught.value.status == 400
    assert caught.value.body["errors"][0]["message"] == "The `ids` query parameter can not be empty"
    assert_matches("/2/tweets", "get", 400, caught.value.body)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.text(max_size=12), st.text(max_size=12)), max_size=4))
def test_any_query_is_accepted_or_refused_with_xs_400(query):
    try:
        RULES["getUsersPosts"].check(query)
    except errors.XError as exc:
        assert exc.status == 400
        assert_matches("/2/users/{id}/tweets", "get", 400, exc.body)


def test_the_surface_answers_the_400(world):
    s = world.session()
    r = s.get(world.url("/2/users/me"), params={"user.fields": "id,shoe_size"})
    assert r.status_code == 400
    assert r.json()["errors"][0]["parameters"] == {"user.fields": ["shoe_size"]}
    assert_matches("/2/users/me", "get", 400, r.json())
    r = s.get(world.url(f"/2/users/{world.user.id}/tweets"), params={"max_results": "4"})
    assert r.json()["errors"][0]["message"] == "The `max_results` query parameter value [4] is not between 5 and 100"
    assert s.get(world.url("/2/users/me"), params={"colour": "red"}).status_code == 400
    assert s.get(world.url("/2/users/me"), params={"user.fields": "pinned_tweet_id"}).status_code == 200

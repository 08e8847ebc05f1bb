"""The social graph on the X surface and the control plane: follows, follow requests, blocks, mutes."""

from __future__ import annotations

import pytest
import requests
from oauth2_support import app_bearer, bearer_get
from openapi_shapes import assert_matches

from xmock.simulator.control.errors import ControlError


def _followers(world, user_id, **params):
    return world.session().get(world.url(f"/2/users/{user_id}/followers"), params=params)


def test_follow_unfollow_and_counts_move_with_the_graph(world, sim):
    s = world.session()
    me = world.user.id
    other = sim.create_user(username="other")
    r = s.post(world.url(f"/2/users/{me}/following"), json={"target_user_id": other.id})
    assert r.status_code == 200 and r.json() == {"data": {"following": True, "pending_follow": False}}
    assert_matches("/2/users/{id}/following", "post", 200, r.json())
    again = s.post(world.url(f"/2/users/{me}/following"), json={"target_user_id": other.id})
    assert again.json() == r.json()  # repeating a follow answers the same
    metrics = s.get(world.url(f"/2/users/{other.id}"), params={"user.fields": "public_metrics"}).json()
    assert metrics["data"]["public_metrics"]["followers_count"] == 1
    mine = s.get(world.url("/2/users/me"), params={"user.fields": "public_metrics"}).json()
    assert mine["data"]["public_metrics"]["following_count"] == 1
    r = s.delete(world.url(f"/2/users/{me}/following/{other.id}"))
    assert r.json() == {"data": {"following": False}}
    assert_matches("/2/users/{source_user_id}/following/{target_user_id}", "delete", 200, r.json())
    metrics = s.get(world.url(f"/2/users/{other.id}"), params={"user.fields": "public_metrics"}).json()
    assert metrics["data"]["public_metrics"]["followers_count"] == 0


def test_followers_and_following_pages_newest_first(world, sim):
    star = sim.create_user(username="star")
    fans = [sim.create_user(username=f"fan{i}") for i in range(5)]
    for fan in fans:
        sim.clock.advance(1)
        sim.follow(fan.id, star.id)
    r = _followers(world, star.id, max_results=2, **{"user.fields": "created_at,protected"})
    body = r.json()
    assert_matches("/2/users/{id}/followers", "get", 200, body)
    assert [u["id"] for u in body["data"]] == [fans[4].id, fans[3].id]
    assert body["meta"]["result_count"] == 2 and "previous_token" not in body["meta"]
    assert len(body["meta"]["next_token"]) >= 16  # the spec's minLength for this token
    seen = [u["id"] for u in body["data"]]
    token = body["meta"]["next_token"]
    while token:
        page = _followers(world, star.id, max_results=2, pagination_token=token).json()
        assert_matches("/2/users/{id}/followers", "get", 200, page)
        seen += [u["id"] for u in page["data"]]
        assert "previous_token" in page["meta"]
        token = page["meta"].get("next_token")
    assert seen == [f.id for f in reversed(fans)]
    following = world.session().get(world.url(f"/2/users/{fans[0].id}/following")).json()
    assert following == {"data": [{"id": star.id, "name": star.name, "username": "star"}], "meta": {"result_count": 1}}
    assert _followers(world, fans[0].id).json() == {"meta": {"result_count": 0}}


def test_followers_read_with_an_app_bearer_token(world, sim):
    star = sim.create_user(username="star")
    sim.follow(world.user.id, star.id)
    token = app_bearer(world).json()["access_token"]
    r = bearer_get(world, token, f"/2/users/{star.id}/followers?user.fields=connection_status")
    assert r.status_code == 200
    assert r.json()["data"] == [{"id": world.user.id, "name": "Acme Inc", "username": "acme"}]  # no viewer
    assert bearer_get(world, token, f"/2/users/{world.user.id}/blocking").status_code == 403  # user context only


@pytest.mark.parametrize("value", ["0", "1001", "ten", "-1"])
def test_max_results_bounds(world, sim, value):
    r = _followers(world, world.user.id, max_results=value)
    assert r.status_code == 400
    assert r.json()["errors"][0]["parameters"] == {"max_results": [value]}


def test_bad_requests_get_x_errors(world, sim):
    s = world.session()
    me = world.user.id
    other = sim.create_user(username="other")
    assert _followers(world, "abc").status_code == 400
    assert _followers(world, me, pagination_token="garbage!").status_code == 400
    missing = _followers(world, "42").json()
    assert missing["errors"][0]["resource_type"] == "user" and missing["errors"][0]["parameter"] == "id"
    url = world.url(f"/2/users/{me}/following")
    for body, needle in [
        ({}, "required property 'target_user_id'"),
        ({"target_user_id": 5}, "integer found, string expected"),
        ({"target_user_id": "x5"}, "does not match"),
        ({"target_user_id": other.id, "extra": 1}, "$.extra: is not defined"),
    ]:
        r = s.post(url, json=body)
        assert r.status_code == 400 and needle in r.json()["errors"][0]["message"], body
    assert s.post(url, data="not json", headers={"content-type": "application/json"}).status_code == 400
    gone = s.post(url, json={"target_user_id": "42"}).json()
    assert gone["errors"][0]["parameter"] == "target_user_id"
    # the acting user in the path must be the authenticated one
    r = s.post(world.url(f"/2/users/{other.id}/following"), json={"target_user_id": me})
    assert r.status_code == 400
    assert r.json()["errors"][0]["message"] == (
        f"The `id` query parameter value [{other.id}] must be the same as the authenticating user [{me}]"
    )
    assert s.delete(world.url(f"/2/users/{other.id}/muting/{me}")).status_code == 400
    assert s.get(world.url(f"/2/users/{other.id}/blocking")).status_code == 400


def test_following_yourself_or_across_a_block_is_refused(world, sim):
    s = world.session()
    me = world.user.id
    r = s.post(world.url(f"/2/users/{me}/following"), json={"target_user_id": me})
    assert r.status_code == 403 and r.json()["title"] == "Forbidden"
    blocker = sim.create_user(username="blocker")
    sim.block(blocker.id, me)
    r = s.post(world.url(f"/2/users/{me}/following"), json={"target_user_id": blocker.id})
    assert r.status_code == 403
    assert r.json() == {
        "detail": "You are not permitted to perform this action.",
        "type": "about:blank",
        "title": "Forbidden",
        "status": 403,
    }
    assert sim.graph(me)["following"] == []


def test_protected_accounts_answer_pending_until_accepted(world, sim):
    s = world.session()
    me = world.user.id
    private = sim.create_user(username="private", protected=True)
    r = s.post(world.url(f"/2/users/{me}/following"), json={"target_user_id": private.id})
    assert r.json() == {"data": {"following": False, "pending_follow": True}}
    assert_matches("/2/users/{id}/following", "post", 200, r.json())
    status = s.get(world.url(f"/2/users/{private.id}"), params={"user.fields": "connection_status"}).json()
    assert status["data"]["connection_status"] == ["follow_request_sent"]
    assert _followers(world, private.id).json() == {"meta": {"result_count": 0}}
    sim.accept_follow_request(private.id, me)
    assert [u["id"] for u in _followers(world, private.id).json()["data"]] == [me]
    with pytest.raises(ControlError) as info:
        sim.accept_follow_request(private.id, me)
    assert info.value.status == 404
    # unfollowing withdraws a request; a denied one leaves no follow
    sim.unfollow(me, private.id)
    sim.follow(me, private.id)
    sim.deny_follow_request(private.id, me)
    assert sim.graph(private.id)["followers"] == [] and sim.graph(me)["follow_requests_sent"] == []


def test_connection_status_from_the_graph(world, sim):
    s = world.session()
    me = world.user.id
    friend = sim.create_user(username="friend")
    sim.follow(me, friend.id)
    sim.follow(friend.id, me)
    sim.mute(me, friend.id)
    data = s.get(world.url(f"/2/users/{friend.id}"), params={"user.fields": "connection_status"}).json()
    assert_matches("/2/users/{id}", "get", 200, data)
    assert data["data"]["connection_status"] == ["followed_by", "following", "muting"]
    sim.block(me, friend.id)  # a block ends follows both ways
    data = s.get(world.url(f"/2/users/{friend.id}"), params={"user.fields": "connection_status"}).json()
    assert data["data"]["connection_status"] == ["blocking", "muting"]
    asker = sim.create_user(username="asker")
    sim.follow(asker.id, me, pending=True)
    listed = s.get(world.url(f"/2/users/{me}/following"), params={"user.fields": "connection_status"}).json()
    assert listed == {"meta": {"result_count": 0}}
    data = s.get(world.url(f"/2/users/{asker.id}"), params={"user.fields": "connection_status"}).json()
    assert data["data"]["connection_status"] == ["follow_request_received"]


def test_mute_unmute_and_the_muting_list(world, sim):
    s = world.session()
    me = world.user.id
    noisy = sim.create_user(username="noisy")
    r = s.post(world.url(f"/2/users/{me}/muting"), json={"target_user_id": noisy.id})
    assert r.json() == {"data": {"muting": True}}
    assert_matches("/2/users/{id}/muting", "post", 200, r.json())
    listed = s.get(world.url(f"/2/users/{me}/muting"), params={"expansions": "pinned_tweet_id"}).json()
    assert_matches("/2/users/{id}/muting", "get", 200, listed)
    assert [u["id"] for u in listed["data"]] == [noisy.id]
    r = s.delete(world.url(f"/2/users/{me}/muting/{noisy.id}"))
    assert r.json() == {"data": {"muting": False}}
    assert_matches("/2/users/{source_user_id}/muting/{target_user_id}", "delete", 200, r.json())
    assert s.get(world.url(f"/2/users/{me}/muting")).json() == {"meta": {"result_count": 0}}
    assert s.post(world.url(f"/2/users/{me}/muting"), json={"target_user_id": me}).status_code == 403


def test_blocking_list_is_arranged_through_the_simulator(world, sim):
    s = world.session()
    me = world.user.id
    troll = sim.create_user(username="troll")
    sim.block(me, troll.id)
    body = s.get(world.url(f"/2/users/{me}/blocking"), params={"user.fields": "connection_status"}).json()
    assert_matches("/2/users/{id}/blocking", "get", 200, body)
    expected = {"id": troll.id, "name": troll.name, "username": "troll", "connection_status": ["blocking"]}
    assert body["data"] == [expected]
    sim.unblock(me, troll.id)
    assert s.get(world.url(f"/2/users/{me}/blocking")).json() == {"meta": {"result_count": 0}}


def test_bearer_and_missing_scopes_are_refused(world, sim, base):
    me = world.user.id
    access, _ = sim.mint_oauth2_token(world.app.id, me, "tweet.read users.read")
    headers = {"Authorization": f"Bearer {access.token}"}
    assert requests.get(f"{base}/2/users/{me}/muting", headers=headers).status_code == 403
    access, _ = sim.mint_oauth2_token(world.app.id, me, "tweet.read users.read mute.read")
    assert requests.get(f"{base}/2/users/{me}/muting", headers={"Authorization": f"Bearer {access.token}"}).ok


@pytest.mark.parametrize("tier,status", [("enterprise", 200), ("self-serve", 403)])
def test_following_is_enterprise_only(world, sim, tier, status):
    sim.configure(access_tier=tier)
    other = sim.create_user(username="other")
    r = world.session().post(world.url(f"/2/users/{world.user.id}/following"), json={"target_user_id": other.id})
    assert r.status_code == status


def test_rate_limit_and_prices(world, sim):
    s = world.session()
    me = world.user.id
    r = s.get(world.url(f"/2/users/{me}/blocking"))
    assert r.headers["x-rate-limit-limit"] == "15"
    other = sim.create_user(username="other")
    sim.follow(other.id, me)
    sim.set_credits(world.app.id, "10")
    s.get(world.url(f"/2/users/{me}/followers"))  # the app's owner reading their own followers
    s.post(world.url(f"/2/users/{me}/muting"), json={"target_user_id": other.id})
    charges = {e["price_class"] for e in sim.ledger(world.app.id) if e["kind"] == "charge"}
    assert {"PrivacyUpdate"} <= charges
    assert charges & {"Following", "OwnedRead"}


def test_control_api_arranges_the_graph(base, sim):
    a = sim.create_user(username="alice")
    b = sim.create_user(username="bob", protected=True)
    url = f"{base}/_xmock/users/{a.id}"
    r = requests.post(url + "/following", json={"target_user_id": b.id})
    assert r.json() == {"following": False, "pending_follow": True}
    r = requests.post(f"{base}/_xmock/users/{b.id}/follow_requests/{a.id}/accept")
    assert r.json() == {"accepted": True}
    assert requests.get(url + "/graph").json()["following"] == [b.id]
    assert requests.post(url + "/following", json={"target_user_id": b.id, "pending": "yes"}).status_code == 400
    assert requests.post(url + "/following", json={"target_user_id": b.id, "nope": 1}).status_code == 400
    assert requests.post(url + "/following", json={}).status_code == 400
    assert requests.post(url + "/following", json={"target_user_id": a.id}).status_code == 409
    assert requests.post(url + "/following", json={"target_user_id": "42"}).status_code == 404
    assert requests.post(f"{base}/_xmock/users/{b.id}/follow_requests/{a.id}/deny").status_code == 404
    assert requests.post(url + "/blocking", json={"target_user_id": b.id}).json() == {"blocking": True}
    assert requests.get(url + "/graph").json()["following"] == []
    assert requests.delete(url + f"/blocking/{b.id}").json() == {"blocking": False}
    assert requests.post(url + "/muting", json={"target_user_id": b.id}).json() == {"muting": True}
    assert requests.get(url + "/graph").json()["muting"] == [b.id]
    assert requests.delete(url + f"/muting/{b.id}").json() == {"muting": False}
    assert requests.delete(url + f"/following/{b.id}").json() == {"following": False}
    assert requests.get(f"{base}/_xmock/users/42/graph").status_code == 404

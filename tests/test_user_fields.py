"""User fields kept true by the state: counts, pinned post, profile entities, verified and subscription
types, who may DM whom; set through Simulator.create_user / update_user and the control API."""

from __future__ import annotations

import pytest
import requests
from openapi_shapes import assert_matches

from xmock.simulator.control.errors import ControlError
from xmock.simulator.models import Post

ALL = "public_metrics,pinned_tweet_id,entities,url,profile_banner_url,verified,verified_type,subscription_type"


def _spec_spelling(body: dict) -> dict:
    """X's live API says `tweet_count` where 2.167 says `post_count` (README: differences)."""
    for user in [body["data"]] if isinstance(body["data"], dict) else body["data"]:
        metrics = user.get("public_metrics")
        if metrics is not None:
            metrics["post_count"] = metrics.pop("tweet_count")
    return body


def _post(sim, author_id: str, text: str, media: tuple[str, ...] = ()) -> Post:
    post = Post(id=sim.ids.next_id(), text=text, author_id=author_id, created_at=sim.clock.now(), media_ids=media)
    assert sim.store.create_post(post, None)
    return post


def test_public_metrics_count_the_state(world, sim):
    star = sim.create_user(username="star")
    fan = sim.create_user(username="fan")
    sim.follow(fan.id, star.id)
    sim.follow(star.id, world.user.id)
    posts = [_post(sim, star.id, "one"), _post(sim, star.id, "two", media=("1",)), _post(sim, star.id, "three")]
    sim.store.delete_post(posts[2].id, sim.clock.now())  # deleted posts count no more
    sim.like(star.id, _post(sim, fan.id, "a fan's post").id)
    lst = sim.create_list(world.user.id, "stars")
    sim.add_list_member(lst.id, star.id)
    r = world.session().get(world.url(f"/2/users/{star.id}"), params={"user.fields": "public_metrics"})
    assert r.json()["data"]["public_metrics"] == {
        "followers_count": 1,
        "following_count": 1,
        "tweet_count": 2,
        "listed_count": 1,
        "like_count": 1,
        "media_count": 1,
    }
    assert_matches("/2/users/{id}", "get", 200, _spec_spelling(r.json()))


def test_profile_fields_set_on_creation(world, sim):
    user = sim.create_user(
        username="gov",
        url="https://gov.example/about",
        description="Official account of #Example, run by @acme. More at https://example.org $XMPL",
        profile_banner_url="https://pbs.twimg.com/profile_banners/1/1",
        verified_type="government",
        subscription_type="PremiumPlus",
    )
    assert user.verified  # a government verified type is verified
    r = world.session().get(world.url("/2/users/by/username/gov"), params={"user.fields": ALL})
    body = r.json()
    data = body["data"]
    assert data["verified"] is True and data["verified_type"] == "government"
    assert data["subscription_type"] == "PremiumPlus"
    assert data["profile_banner_url"] == "https://pbs.twimg.com/profile_banners/1/1"
    assert data["url"].startswith("https://t.co/")
    website = data["entities"]["url"]["urls"][0]
    assert website["expanded_url"] == "https://gov.example/about" and website["url"] == data["url"]
    assert (website["start"], website["end"]) == (0, len(data["url"]))
    described = data["entities"]["description"]
    assert [h["tag"] for h in described["hashtags"]] == ["Example"]
    assert [m["username"] for m in described["mentions"]] == ["acme"]
    assert [c["tag"] for c in described["cashtags"]] == ["XMPL"]
    assert described["urls"][0]["expanded_url"] == "https://example.org"
    assert described["urls"][0]["url"].startswith("https://t.co/")
    assert "pinned_tweet_id" not in data  # nothing pinned
    assert_matches("/2/users/by/username/{username}", "get", 200, _spec_spelling(body))
    plain = world.session().get(world.url("/2/users/me"), params={"user.fields": ALL}).json()["data"]
    assert plain["verified_type"] == "none" and plain["subscription_type"] == "None" and plain["url"] == ""
    assert "profile_banner_url" not in plain


def test_pinned_post_and_its_expansion(world, sim):
    mine = _post(sim, world.user.id, "pin me")
    _post(sim, world.user.id, "a later post")
    sim.pin_post(world.user.id, mine.id)
    params = {"user.fields": "pinned_tweet_id", "expansions": "pinned_tweet_id", "tweet.fields": "author_id"}
    body = world.session().get(world.url("/2/users/me"), params=params).json()
    assert body["data"]["pinned_tweet_id"] == mine.id
    assert body["includes"]["tweets"] == [
        {"author_id": world.user.id, "edit_history_tweet_ids": [mine.id], "id": mine.id, "text": "pin me"}
    ]
    assert_matches("/2/users/me", "get", 200, body)
    spec_name = world.session().get(world.url("/2/users/me"), params={**params, "expansions": "pinned_post_id"})
    assert spec_name.json()["includes"] == body["includes"]
    other = _post(sim, sim.create_user(username="other").id, "not mine")
    with pytest.raises(ControlError, match="only one's own posts"):
        sim.pin_post(world.user.id, other.id)
    sim.store.delete_post(mine.id, sim.clock.now())  # a deleted pinned post no longer shows
    assert world.session().get(world.url("/2/users/me"), params=params).json() == {
        "data": {"id": world.user.id, "name": "Acme Inc", "username": "acme"}
    }


def test_receives_your_dm_is_relative_to_the_viewer(world, sim):
    open_ = sim.create_user(username="open")
    picky = sim.create_user(username="picky", dm_setting="following")
    blocker = sim.create_user(username="blocker")
    sim.block(blocker.id, world.user.id)
    url = world.url("/2/users")
    ids = ",".join([open_.id, picky.id, blocker.id, world.user.id])
    got = world.session().get(url, params={"ids": ids, "user.fields": "receives_your_dm"}).json()
    assert_matches("/2/users", "get", 200, got)
    assert [u["receives_your_dm"] for u in got["data"]] == [True, False, False, False]
    sim.follow(picky.id, world.user.id)
    got = world.session().get(url, params={"ids": picky.id, "user.fields": "receives_your_dm"}).json()
    assert got["data"][0]["receives_your_dm"] is True


def test_update_user_checks_and_keeps_verified_in_agreement(sim):
    user = sim.create_user(username="changing", verified=True)
    assert user.verified_type == "blue"
    user = sim.update_user(user.id, verified_type="business", name="Changed Co")
    assert (user.verified, user.verified_type, user.name) == (True, "business", "Changed Co")
    assert sim.store.get_user(user.id) == user
    assert sim.update_user(user.id, verified=True).verified_type == "business"  # kept
    assert sim.update_user(user.id, verified=False).verified_type == "none"
    for bad, message in [
        ({"verified_type": "gold"}, "verified_type: expected one of none, blue, business, government"),
        ({"subscription_type": "premium"}, "subscription_type: expected one of"),
        ({"dm_setting": "nobody"}, "dm_setting: expected one of everyone, following"),
        ({"verified": True, "verified_type": "none"}, "disagrees"),
        ({"profile_banner_url": "ftp://x"}, "expected an http"),
        ({"username": "renamed"}, "unknown user field"),
        ({"description": "x" * 161}, "at most 160"),
    ]:
        with pytest.raises(ControlError, match=message) as caught:
            sim.update_user(user.id, **bad)
        assert caught.value.status == 400
    with pytest.raises(ControlError) as missing:
        sim.update_user("999", name="x")
    assert missing.value.status == 404


def test_control_api(world, sim, base):
    created = requests.post(
        base + "/_xmock/users", json={"username": "ctl", "verified_type": "blue", "dm_setting": "following"}
    )
    assert created.status_code == 201 and created.json()["verified"] is True
    user_id = created.json()["id"]
    r = requests.patch(base + f"/_xmock/users/{user_id}", json={"subscription_type": "Premium"})
    assert r.status_code == 200 and r.json()["subscription_type"] == "Premium"
    assert requests.patch(base + f"/_xmock/users/{user_id}", json={"verified_type": 3}).status_code == 400
    assert requests.patch(base + f"/_xmock/users/{user_id}", json={"nope": 1}).status_code == 400
    assert requests.patch(base + "/_xmock/users/404404", json={"name": "x"}).status_code == 404
    post = _post(sim, user_id, "pinned by control")
    r = requests.post(base + f"/_xmock/users/{user_id}/pinned_tweet", json={"tweet_id": post.id})
    assert r.json() == {"user_id": user_id, "pinned_tweet_id": post.id}
    assert sim.store.get_user(user_id).pinned_tweet_id == post.id
    assert requests.post(base + f"/_xmock/users/{user_id}/pinned_tweet", json={"tweet_id": "x1"}).status_code == 400
    assert requests.post(base + f"/_xmock/users/{user_id}/pinned_tweet", json={"tweet_id": "77"}).status_code == 404
    assert requests.delete(base + f"/_xmock/users/{user_id}/pinned_tweet").json()["pinned_tweet_id"] is None
    assert sim.store.get_user(user_id).pinned_tweet_id is None

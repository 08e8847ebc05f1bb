"""Rate limits: X's fixed windows, headers on every answer, 429 bodies, pools and switches."""

from __future__ import annotations

import requests

TOO_MANY = {"title": "Too Many Requests", "detail": "Too Many Requests", "type": "about:blank", "status": 429}


def _limit(sim, world, rate_class, *limits):
    sim.set_app_limits(
        world.app.id, limits={rate_class: [dict(zip(("who", "limit", "window"), lim, strict=True)) for lim in limits]}
    )


def test_every_answer_carries_the_headers(world):
    s = world.session()
    r = s.get(world.url("/2/users/me"))
    assert (r.headers["x-rate-limit-limit"], r.headers["x-rate-limit-remaining"]) == ("75", "74")
    assert int(r.headers["x-rate-limit-reset"]) > 0
    r = s.post(world.url("/2/tweets"), json={"text": "counted twice"})
    assert (r.headers["x-rate-limit-limit"], r.headers["x-rate-limit-remaining"]) == ("100", "99")
    assert (r.headers["x-app-limit-24hour-limit"], r.headers["x-app-limit-24hour-remaining"]) == ("10000", "9999")


def test_boundary_at_n_and_n_plus_one_and_after_reset(world, sim):
    sim.clock.freeze()
    _limit(sim, world, "posts:create", ("user", 3, 900))
    s = world.session()
    for n in range(3):
        assert s.post(world.url("/2/tweets"), json={"text": f"n{n}"}).status_code == 201
    r = s.post(world.url("/2/tweets"), json={"text": "n3"})
    assert (r.status_code, r.json()) == (429, TOO_MANY)
    assert r.headers["x-rate-limit-remaining"] == "0"
    reset = int(r.headers["x-rate-limit-reset"])
    assert reset == int(sim.clock.now()) + 900
    assert len(sim.store.posts_by_author(world.user.id)) == 3
    sim.clock.advance(899)
    assert s.post(world.url("/2/tweets"), json={"text": "still early"}).status_code == 429
    sim.clock.advance(1)
    assert s.post(world.url("/2/tweets"), json={"text": "a new window"}).status_code == 201


def test_users_and_the_bearer_pool_count_apart(world, sim):
    _limit(sim, world, "users:lookup", ("user", 1, 900), ("app", 2, 900))
    other = sim.create_user(username="other")
    s1, s2 = world.session(), world.session(sim.mint_oauth1_token(world.app.id, other.id))
    url = world.url(f"/2/users/{world.user.id}")
    assert s1.get(url).status_code == 200 and s1.get(url).status_code == 429
    assert s2.get(url).status_code == 200
    bearer = requests.post(
        world.url("/oauth2/token"),
        data={"grant_type": "client_credentials"},
        auth=(world.app.consumer_key, world.app.consumer_secret),
    ).json()["access_token"]
    statuses = [requests.get(url, headers={"Authorization": f"Bearer {bearer}"}).status_code for _ in range(3)]
    assert statuses == [200, 200, 429]


def test_daily_app_cap_counts_every_user(world, sim):
    _limit(sim, world, "posts:create", ("user", 100, 900), ("app", 2, 86400))
    other = sim.create_user(username="other")
    s2 = world.session(sim.mint_oauth1_token(world.app.id, other.id))
    assert world.session().post(world.url("/2/tweets"), json={"text": "a"}).status_code == 201
    assert s2.post(world.url("/2/tweets"), json={"text": "b"}).status_code == 201
    r = s2.post(world.url("/2/tweets"), json={"text": "c"})
    assert r.status_code == 429 and r.headers["x-app-limit-24hour-remaining"] == "0"


def test_v1_429_is_code_88(world, sim):
    _limit(sim, world, "posts:create", ("user", 1, 900))
    s = world.session()
    s.post(world.url("/1.1/statuses/update.json"), data={"status": "one"})
    r = s.post(world.url("/1.1/statuses/update.json"), data={"status": "two"})
    assert (r.status_code, r.json()) == (429, {"errors": [{"code": 88, "message": "Rate limit exceeded"}]})
    assert "x-rate-limit-reset" in r.headers


def test_limits_can_be_switched_off(world, sim, http):
    sim.configure(limits={"users:me": [{"who": "user", "limit": 1, "window": 900}]})
    s = world.session()
    assert s.get(world.url("/2/users/me")).status_code == 200
    assert s.get(world.url("/2/users/me")).status_code == 429
    r = http.patch(world.url(f"/_xmock/apps/{world.app.id}/limits"), json={"enabled": False})
    assert r.json()["override"] == {"enabled": False, "limits": {}}
    assert s.get(world.url("/2/users/me")).status_code == 200
    sim.configure(rate_limits=False)
    r = s.get(world.url("/2/users/me"))
    assert r.status_code == 200 and "x-rate-limit-limit" not in r.headers
    bad = http.patch(world.url(f"/_xmock/apps/{world.app.id}/limits"), json={"limits": {"users:me": [{"who": "x"}]}})
    assert bad.status_code == 400


def test_hammering_after_a_429_is_a_finding(world, sim):
    _limit(sim, world, "users:me", ("user", 1, 900))
    s = world.session()
    s.get(world.url("/2/users/me"))
    s.get(world.url("/2/users/me"))  # the first 429: no finding yet
    assert sim.findings.query(rule="rate-limit-hammering") == []
    s.get(world.url("/2/users/me"))
    s.get(world.url("/2/users/me"))
    found = sim.findings.query(rule="rate-limit-hammering")
    assert len(found) == 1 and found[0]["occurrences"] == 2
    assert found[0]["app_id"] == world.app.id and found[0]["user_id"] == world.user.id


def test_a_429_is_journaled_with_its_bucket_and_reset(world, sim):
    _limit(sim, world, "users:me", ("user", 1, 900))
    s = world.session()
    s.get(world.url("/2/users/me"))
    r = s.get(world.url("/2/users/me"))
    [entry] = sim.journal(status=429)
    assert entry["diagnosis"] == {
        "rate_class": "users:me",
        "who": "user",
        "reset": int(r.headers["x-rate-limit-reset"]),
    }


def test_tweepy_waits_out_a_429_and_succeeds(world, sim):
    import tweepy

    from xmock.simulator.transport import mount

    _limit(sim, world, "users:me", ("user", 1, 2))
    client = tweepy.Client(
        consumer_key=world.app.consumer_key,
        consumer_secret=world.app.consumer_secret,
        access_token=world.token.token,
        access_token_secret=world.token.secret,
        wait_on_rate_limit=True,
    )
    mount(client.session, world.base)
    assert client.get_me(user_auth=True).data.username == "acme"
    assert client.get_me(user_auth=True).data.username == "acme"  # sleeps until the reset, then succeeds
    assert [e["status"] for e in sim.journal(path="/2/users/me")] == [200, 429, 200]


def test_a_daily_limit_alone_also_fills_the_window_headers(world, sim):
    _limit(sim, world, "users:me", ("user", 5, 86400))
    r = world.session().get(world.url("/2/users/me"))
    assert (r.headers["x-user-limit-24hour-limit"], r.headers["x-user-limit-24hour-remaining"]) == ("5", "4")
    assert (r.headers["x-rate-limit-limit"], r.headers["x-rate-limit-remaining"]) == ("5", "4")


def test_of_two_daily_limits_of_one_kind_the_later_is_reported(world, sim):
    _limit(sim, world, "users:me", ("user", 50, 900), ("user", 9, 86400), ("user", 7, 2 * 86400))
    r = world.session().get(world.url("/2/users/me"))
    assert (r.headers["x-rate-limit-limit"], r.headers["x-user-limit-24hour-limit"]) == ("50", "7")


def test_a_change_of_limits_holds_from_the_next_request(world, sim):
    s = world.session()
    assert s.get(world.url("/2/users/me")).headers["x-rate-limit-limit"] == "75"
    _limit(sim, world, "users:me", ("user", 2, 900))
    assert s.get(world.url("/2/users/me")).headers["x-rate-limit-remaining"] == "0"  # the earlier call counted
    assert s.get(world.url("/2/users/me")).status_code == 429
    sim.set_app_limits(world.app.id)  # back to X's table
    assert s.get(world.url("/2/users/me")).headers["x-rate-limit-limit"] == "75"

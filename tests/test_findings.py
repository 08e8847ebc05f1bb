"""Policy findings: each triggered, and each near miss left alone."""

from __future__ import annotations

import random

from xmock.simulator import findings


def _session_for(world, sim, username, *, tenant=None, app=None):
    user = sim.create_user(username=username, account_id=tenant)
    app = app or world.app
    token = sim.mint_oauth1_token(app.id, user.id)
    from requests_oauthlib import OAuth1Session

    return user, OAuth1Session(
        app.consumer_key,
        client_secret=app.consumer_secret,
        resource_owner_key=token.token,
        resource_owner_secret=token.secret,
    )


def test_duplicate_content_is_refused_and_recorded(world, sim):
    s = world.session()
    s.post(world.url("/2/tweets"), json={"text": "same"})
    assert s.post(world.url("/2/tweets"), json={"text": "same"}).status_code == 403
    found = sim.findings.query(rule="duplicate-content")
    assert len(found) == 1 and found[0]["user_id"] == world.user.id
    assert "Developer Policy" in found[0]["clause"]


def test_same_text_across_accounts_through_one_app(world, sim):
    _, bob = _session_for(world, sim, "bob", tenant=world.account.id)
    world.session().post(world.url("/2/tweets"), json={"text": "Big launch today! https://acme.example/a"})
    assert sim.findings.query(rule="duplicate-content-across-accounts") == []
    bob.post(world.url("/2/tweets"), json={"text": "big launch today!  https://acme.example/b"})
    found = sim.findings.query(rule="duplicate-content-across-accounts")
    assert len(found) == 1 and found[0]["app_id"] == world.app.id
    assert len(found[0]["evidence"]["user_ids"]) == 2


def test_near_misses_of_cross_account_duplicates(world, sim):
    _, bob = _session_for(world, sim, "bob", tenant=world.account.id)
    other_app = sim.create_app(world.account.id, "Another", use_case="Customer support replies")
    _, carol = _session_for(world, sim, "carol", tenant=world.account.id, app=other_app)
    world.session().post(world.url("/2/tweets"), json={"text": "Our spring menu is here"})
    bob.post(world.url("/2/tweets"), json={"text": "Completely different words about the weather"})
    carol.post(world.url("/2/tweets"), json={"text": "Our spring menu is here"})  # another app
    assert sim.findings.query(rule="duplicate-content-across-accounts") == []
    sim.clock.advance(sim.settings.cross_account_window + 1)
    bob.post(world.url("/2/tweets"), json={"text": "Our spring menu is here"})  # outside the window
    assert sim.findings.query(rule="duplicate-content-across-accounts") == []


def test_service_bureau(world, sim):
    tenant = sim.create_account("Tenant Co")
    _, theirs = _session_for(world, sim, "tenant_user", tenant=tenant.id)
    _, ours = _session_for(world, sim, "own_user", tenant=world.account.id)
    _, nobody = _session_for(world, sim, "free_user")
    for s in (ours, nobody):
        s.get(world.url("/2/users/me"))
    assert sim.findings.query(rule="service-bureau") == []
    theirs.get(world.url("/2/users/me"))
    theirs.get(world.url("/2/users/me"))
    found = sim.findings.query(rule="service-bureau")
    assert len(found) == 1 and found[0]["occurrences"] == 2
    assert found[0]["evidence"]["tenant_account_id"] == tenant.id and found[0]["account_id"] == world.account.id


def test_single_use_case(world, sim, http):
    sim.create_app(world.account.id, "Unrelated", use_case="Customer support inbox for our help desk")
    assert sim.findings.query(rule="single-use-case") == []
    twin = sim.create_app(world.account.id, "Scheduler 2", use_case="Schedule posts for Acme's own account!")
    found = sim.findings.query(rule="single-use-case")
    assert len(found) == 1 and found[0]["app_id"] == twin.id
    other_account = sim.create_account("Someone else")
    sim.create_app(other_account.id, "Theirs", use_case="Schedule posts for Acme's own account")
    assert len(sim.findings.query(rule="single-use-case")) == 1
    sim.configure(use_case_policy="refuse")
    r = http.post(
        world.url("/_xmock/apps"),
        json={
            "account_id": world.account.id,
            "name": "Scheduler 3",
            "use_case": "schedule posts for acme's own account",
        },
    )
    assert r.status_code == 403 and "one app per use case" in r.json()["error"]


def test_bulk_engagement(world, sim):
    post_id = world.session().post(world.url("/2/tweets"), json={"text": "like this"}).json()["data"]["id"]
    likers = [_session_for(world, sim, f"fan{n}", tenant=world.account.id) for n in range(5)]
    for user, s in likers[:4]:
        s.post(world.url(f"/2/users/{user.id}/likes"), json={"tweet_id": post_id})
    assert sim.findings.query(rule="bulk-engagement") == []
    user, s = likers[4]
    s.post(world.url(f"/2/users/{user.id}/likes"), json={"tweet_id": post_id})
    found = sim.findings.query(rule="bulk-engagement")
    assert len(found) == 1 and len(found[0]["evidence"]["user_ids"]) == 5


def test_slow_engagement_is_not_bulk(world, sim):
    post_id = world.session().post(world.url("/2/tweets"), json={"text": "like slowly"}).json()["data"]["id"]
    for n in range(5):
        user, s = _session_for(world, sim, f"slow{n}", tenant=world.account.id)
        s.post(world.url(f"/2/users/{user.id}/retweets"), json={"tweet_id": post_id})
        sim.clock.advance(sim.settings.bulk_engagement_window / 4)
    assert sim.findings.query(rule="bulk-engagement") == []


def test_findings_api_filters_and_reset(world, sim, http):
    s = world.session()
    s.post(world.url("/2/tweets"), json={"text": "twice"})
    s.post(world.url("/2/tweets"), json={"text": "twice"})
    body = http.get(world.url("/_xmock/findings"), params={"app": world.app.id}).json()
    assert body["count"] == 1 and body["findings"][0]["rule"] == "duplicate-content"
    assert http.get(world.url("/_xmock/findings"), params={"rule": "service-bureau"}).json()["count"] == 0
    assert http.get(world.url("/_xmock/findings"), params={"colour": "x"}).status_code == 400
    http.post(world.url("/_xmock/reset"))
    assert http.get(world.url("/_xmock/findings")).json()["count"] == 0


def test_normalize_shortcut_agrees_with_the_full_rules():
    """Text without a URL or a run of whitespace skips the regex passes; the answer is the same."""
    rng = random.Random(55)
    alphabet = [
        "a",
        "B",
        "9",
        " ",
        "  ",
        "\t",
        "\n",
        "\u00a0",
        "\u2003",
        "http",
        "https://x.co/a",
        "HTTP://",
        "é",
        ".",
        "\x1f",
    ]
    for _ in range(3000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 12)))
        full = findings._SPACE.sub(" ", findings._URL.sub("", text.lower())).strip()
        assert findings.normalize(text) == full, repr(text)


def test_a_campaign_that_goes_on_is_one_finding_counting_its_posts(world, sim):
    sessions = [world.session()] + [_session_for(world, sim, f"acct{n}", tenant=world.account.id)[1] for n in range(5)]
    for n, session in enumerate(sessions):
        assert session.post(world.url("/2/tweets"), json={"text": f"Flash sale number {n} today only"}).ok
    (found,) = sim.findings.query(rule="duplicate-content-across-accounts")
    assert found["occurrences"] == len(sessions) - 1  # from the second account's post on
    assert len(found["evidence"]["user_ids"]) == 2  # as first seen


def test_similar_means_as_alike_as_the_setting_asks():
    similar = findings.similar
    assert similar("our spring menu is here", "our spring menu is here!", 0.85)
    assert similar("bench post 12 of round 0", "bench post 13 of round 0", 0.95)
    assert not similar("bench post 12 of round 0", "bench post 13 of round 0", 0.96)
    assert not similar("hello world", "goodbye moon", 0.5)
    assert not similar("", "anything", 0.1) and similar("", "", 1.0)

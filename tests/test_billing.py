"""Pay-per-use credits: exact charges, UTC-day de-duplication, X's 402, and no overspending."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal

import requests
from openapi_shapes import assert_matches


def _balance(sim, world) -> Decimal:
    return sim.balance(world.app.id)


def _charges(sim, world) -> list[str]:
    return [e["amount"] for e in sim.ledger(world.app.id) if e["kind"] == "charge"]


def test_new_apps_get_the_initial_grant(world, sim):
    assert _balance(sim, world) == Decimal("10.00")
    assert sim.ledger(world.app.id)[0]["kind"] == "grant"


def test_write_prices(world, sim):
    s = world.session()
    post_id = s.post(world.url("/2/tweets"), json={"text": "plain"}).json()["data"]["id"]
    s.post(world.url("/2/tweets"), json={"text": "with a link https://example.com/x"})
    s.post(world.url(f"/2/users/{world.user.id}/likes"), json={"tweet_id": post_id})
    s.delete(world.url(f"/2/users/{world.user.id}/likes/{post_id}"))
    s.delete(world.url(f"/2/tweets/{post_id}"))
    s.post(world.url("/1.1/statuses/update.json"), data={"status": "v1.1 costs the same"})
    assert _charges(sim, world) == ["-0.015", "-0.20", "-0.015", "-0.01", "-0.005", "-0.015"]
    assert _balance(sim, world) == Decimal("10.00") - Decimal("0.260")
    entry = sim.ledger(world.app.id)[1]
    assert entry["endpoint"] == "createPosts" and entry["price_class"] == "ContentCreate"
    assert entry["request_id"] == sim.journal(endpoint="createPosts")[0]["id"]


def test_reads_are_charged_per_resource_once_per_utc_day(world, sim, http):
    sim.clock.set(1_795_823_940)  # 23:59:00 UTC; clients keep signing with wall time
    s = world.session()
    post_id = s.post(world.url("/2/tweets"), json={"text": "read me"}).json()["data"]["id"]
    before = _balance(sim, world)
    s.get(world.url(f"/2/tweets/{post_id}"), params={"expansions": "author_id"})
    assert before - _balance(sim, world) == Decimal("0.015")  # one post and one user
    assert sim.ledger(world.app.id)[-1]["resource_ids"] == [f"Post:{post_id}", f"User:{world.user.id}"]
    s.get(world.url(f"/2/tweets/{post_id}"), params={"expansions": "author_id"})
    s.get(world.url("/2/users/me"))
    assert before - _balance(sim, world) == Decimal("0.015")  # nothing new today
    sim.clock.advance(120)  # past midnight UTC
    s.get(world.url("/2/users/me"))
    assert before - _balance(sim, world) == Decimal("0.025")


def test_failed_requests_are_free(world, sim):
    before = _balance(sim, world)
    s = world.session()
    assert s.post(world.url("/2/tweets"), json={"text": 7}).status_code == 400
    assert s.get(world.url("/2/tweets/1")).json()["errors"]
    assert _balance(sim, world) == before
    assert sim.ledger(world.app.id)[1:] == []  # a post's price is taken only with the post
    # other writes reserve their price before the handler runs and get it back
    assert s.delete(world.url("/2/tweets/not-an-id")).status_code == 400
    assert _balance(sim, world) == before
    assert [e["kind"] for e in sim.ledger(world.app.id)[1:]] == ["charge", "refund"]


def test_402_at_the_boundary_and_nothing_happens(world, sim):
    sim.set_credits(world.app.id, "0.015")
    s = world.session()
    assert s.post(world.url("/2/tweets"), json={"text": "the last one I can pay"}).status_code == 201
    assert _balance(sim, world) == 0
    r = s.post(world.url("/2/tweets"), json={"text": "one too many"})
    assert r.status_code == 402
    assert r.json() == {
        "detail": "credits depleted",
        "status": 402,
        "title": "Payment Required",
        "type": "https://api.x.com/2/problems/credits-depleted",
    }
    assert "x-rate-limit-limit" in r.headers
    assert len(sim.store.posts_by_author(world.user.id)) == 1
    assert s.get(world.url("/2/users/me")).status_code == 402


def test_the_other_402_body(world, sim):
    sim.configure(credits_402_variant="CreditsDepleted")
    sim.set_credits(world.app.id, 0)
    body = world.session().get(world.url("/2/users/me")).json()
    assert body == {
        "account_id": int(world.account.id),
        "title": "CreditsDepleted",
        "detail": f"Your enrolled account [{world.account.id}] does not have any credits to fulfill this request.",
        "type": "https://api.twitter.com/2/problems/credits",
    }


def test_a_read_may_leave_the_balance_slightly_negative(world, sim):
    sim.set_credits(world.app.id, "0.001")
    s = world.session()
    assert s.get(world.url("/2/users/me")).status_code == 200
    assert _balance(sim, world) == Decimal("-0.009")
    assert s.get(world.url("/2/users/me")).status_code == 402


def test_concurrent_posts_never_overspend(world, sim):
    sim.set_app_limits(world.app.id, enabled=False)
    sim.set_credits(world.app.id, "7.500")  # exactly 500 posts
    session = world.session()

    def post(n: int) -> int:
        return session.post(world.url("/2/tweets"), json={"text": f"post number {n}"}).status_code

    with ThreadPoolExecutor(max_workers=32) as pool:
        statuses = list(pool.map(post, range(1000)))
    assert statuses.count(201) == 500 and statuses.count(402) == 500
    assert _balance(sim, world) == 0
    assert len(sim.store.posts_by_author(world.user.id)) == 500


def test_top_ups_and_the_minimum_purchase(world, http):
    url = world.url(f"/_xmock/apps/{world.app.id}/credits")
    assert http.post(url, json={"amount": "4.99"}).json() == {"error": "the minimum credit purchase is $5.00"}
    assert http.post(url, json={"amount": "5"}).json()["balance"] == "15.00"
    assert http.post(url, json={"set": "1.25"}).json()["balance"] == "1.25"
    assert http.get(url).json() == {"app_id": world.app.id, "balance": "1.25"}
    kinds = [e["kind"] for e in http.get(world.url("/_xmock/ledger"), params={"app": world.app.id}).json()["entries"]]
    assert kinds == ["grant", "top-up", "adjustment"]
    assert http.post(url, json={"amount": "lots"}).status_code == 400


def test_prices_and_billing_are_configurable(world, sim):
    sim.configure(prices={"ContentCreate": "0.02"})
    world.session().post(world.url("/2/tweets"), json={"text": "dearer"})
    assert _charges(sim, world) == ["-0.02"]
    sim.configure(billing=False)
    world.session().post(world.url("/2/tweets"), json={"text": "free"})
    assert _charges(sim, world) == ["-0.02"]


def test_owned_reads_are_cheaper(world, sim):
    account = sim.create_account("Own brand", owner_user_id=world.user.id)
    app = sim.create_app(account.id, "Own brand app")
    token = sim.mint_oauth1_token(app.id, world.user.id)
    world.session().post(world.url("/2/tweets"), json={"text": "mine"})
    from requests_oauthlib import OAuth1Session

    s = OAuth1Session(
        app.consumer_key,
        client_secret=app.consumer_secret,
        resource_owner_key=token.token,
        resource_owner_secret=token.secret,
    )
    s.get(world.url(f"/2/users/{world.user.id}/tweets"))
    assert [e["amount"] for e in sim.ledger(app.id) if e["kind"] == "charge"] == ["-0.001"]


def test_usage_credits_and_tweets(world, sim, http):
    s = world.session()
    post_id = s.post(world.url("/2/tweets"), json={"text": "counted"}).json()["data"]["id"]
    s.get(world.url(f"/2/tweets/{post_id}"))
    credits = s.get(world.url("/2/usage/credits")).json()["data"]
    assert credits["total_balance"] == float(sim.balance(world.app.id))
    bearer = requests.post(
        world.url("/oauth2/token"),
        data={"grant_type": "client_credentials"},
        auth=(world.app.consumer_key, world.app.consumer_secret),
    ).json()["access_token"]
    r = http.get(
        world.url("/2/usage/tweets"),
        params={"days": 2, "usage.fields": "daily_client_app_usage,project_id"},
        headers={"Authorization": f"Bearer {bearer}"},
    )
    body = r.json()
    assert_matches("/2/usage/tweets", "get", 200, body)
    usage = body["data"]["daily_client_app_usage"][0]
    assert usage["client_app_id"] == world.app.id and usage["usage"][-1]["usage"] == "1"
    assert body["data"]["project_id"] == world.account.id
    oauth1 = s.get(world.url("/2/usage/tweets"))
    assert oauth1.status_code == 403
    assert oauth1.json()["detail"].startswith("Authenticating with OAuth 1.0a User Context is forbidden")
    assert (
        http.get(
            world.url("/2/usage/tweets"), params={"days": 91}, headers={"Authorization": f"Bearer {bearer}"}
        ).status_code
        == 400
    )

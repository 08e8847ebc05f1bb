"""Webhooks, the Account Activity API, X Activity subscriptions and deliveries, against a receiver that checks
X's CRC and signatures the way X documents them (its own HMAC code, not xmock's)."""

from __future__ import annotations

import asyncio
import json
import time

import pytest
import requests
from oauth2_support import app_bearer
from oauth2_support import bearer_headers as _b
from openapi_shapes import assert_matches
from webhook_receiver import Receiver

from xmock.simulator import Simulator, webhooks


@pytest.fixture
def receiver(world):
    rec = Receiver(world.app.consumer_secret)
    rec.thread.start()
    yield rec
    rec.thread.stop()


def _register(world, bearer, url):
    return requests.post(world.url("/2/webhooks"), json={"url": url}, headers=_b(bearer))


def test_documented_vectors():
    # x-api-surface.md §22: X's own examples
    assert webhooks.sign("test_secret", b"challenge_string") == "sha256=vDNbmFG8YIJ8S4uuylrvxR5Qx96E52lUf9cF+CNikFk="
    body = b'{"for_user_id":"2244994945"}'
    assert webhooks.sign("test_secret", body) == "sha256=xYKPnCvwCtWF3NVunrf++08HsTJPYB3nkWUIrkq5MwI="


def test_register_list_validate_delete(world, bearer, receiver):
    r = _register(world, bearer, receiver.url)
    assert r.status_code == 200, r.text
    assert_matches("/2/webhooks", "post", 200, r.json())
    data = r.json()["data"]
    assert data["valid"] is True and data["url"] == receiver.url
    listed = requests.get(world.url("/2/webhooks"), headers=_b(bearer)).json()
    assert_matches("/2/webhooks", "get", 200, listed)
    assert [h["id"] for h in listed["data"]] == [data["id"]] and listed["meta"] == {"result_count": 1}
    # the receiver starts answering CRC with another secret: PUT marks the webhook invalid
    receiver.crc_secret = "not-the-consumer-secret"
    put = requests.put(world.url(f"/2/webhooks/{data['id']}"), headers=_b(bearer))
    assert put.status_code == 200 and put.json() == {"data": {"valid": False}}
    assert_matches("/2/webhooks/{webhook_id}", "put", 200, put.json())
    receiver.crc_secret = None
    assert requests.put(world.url(f"/2/webhooks/{data['id']}"), headers=_b(bearer)).json() == {"data": {"valid": True}}
    gone = requests.delete(world.url(f"/2/webhooks/{data['id']}"), headers=_b(bearer))
    assert gone.json() == {"data": {"deleted": True}}
    assert_matches("/2/webhooks/{webhook_id}", "delete", 200, gone.json())
    again = requests.delete(world.url(f"/2/webhooks/{data['id']}"), headers=_b(bearer))
    assert again.status_code == 400 and again.json()["title"] == "WebhookIdInvalid"
    assert_matches("/2/webhooks/{webhook_id}", "delete", 400, again.json())


def test_registration_refusals(world, bearer, receiver):
    receiver.crc_secret = "wrong"
    r = _register(world, bearer, receiver.url)
    assert r.status_code == 400 and r.json()["title"] == "CrcValidationFailed"
    assert "Invalid response_token" in r.json()["detail"]
    assert requests.get(world.url("/2/webhooks"), headers=_b(bearer)).json()["data"] == []
    outside = _register(world, bearer, "https://example.com/hook")
    assert outside.status_code == 400 and outside.json()["title"] == "UrlValidationFailed"
    assert_matches("/2/webhooks", "post", 400, outside.json())
    assert _register(world, bearer, "ftp://127.0.0.1/x").json()["title"] == "UrlValidationFailed"
    missing = requests.post(world.url("/2/webhooks"), json={}, headers=_b(bearer))
    assert missing.status_code == 400
    receiver.crc_secret = None
    assert _register(world, bearer, receiver.url).status_code == 200
    assert _register(world, bearer, receiver.url).json()["title"] == "DuplicateUrlFailed"


def test_other_apps_webhooks_are_invisible(world, bearer, receiver, sim):
    hook = _register(world, bearer, receiver.url).json()["data"]
    other = sim.create_app(world.account.id, "Other", use_case="other things", callback_urls=[], permission="read")
    other_bearer = app_bearer(world, other.consumer_key, other.consumer_secret).json()["access_token"]
    assert requests.get(world.url("/2/webhooks"), headers=_b(other_bearer)).json()["data"] == []
    r = requests.delete(world.url(f"/2/webhooks/{hook['id']}"), headers=_b(other_bearer))
    assert r.json()["title"] == "WebhookIdInvalid"


def test_subscription_and_signed_delivery(world, bearer, receiver, sim):
    hook = _register(world, bearer, receiver.url).json()["data"]
    path = f"/2/account_activity/webhooks/{hook['id']}/subscriptions/all"
    sub = world.session().post(world.url(path), json={})
    assert sub.status_code == 200 and sub.json() == {"data": {"subscribed": True}}, sub.text
    assert_matches("/2/account_activity/webhooks/{webhook_id}/subscriptions/all", "post", 200, sub.json())
    dup = world.session().post(world.url(path), json={})
    assert dup.json()["title"] == "DuplicateSubscriptionFailed"
    check = world.session().get(world.url(path)).json()
    assert check == {"data": {"subscribed": True}}
    listed = requests.get(world.url(path + "/list"), headers=_b(bearer)).json()
    assert_matches("/2/account_activity/webhooks/{webhook_id}/subscriptions/all/list", "get", 200, listed)
    assert listed["data"]["subscriptions"] == [{"user_id": world.user.id}]
    count = requests.get(world.url("/2/account_activity/subscriptions/count"), headers=_b(bearer)).json()
    assert_matches("/2/account_activity/subscriptions/count", "get", 200, count)
    assert count["data"]["subscriptions_count_all"] == "1"

    fan = sim.create_user(username="fan", name="Fan")
    post = sim.create_post(world.user.id, "hello subscribers")
    sim.follow(fan.id, world.user.id)
    sim.like(fan.id, post.id)
    got = receiver.wait_for(3)
    assert receiver.bad_signatures == 0
    kinds = {next(k for k in e if k != "for_user_id"): e for e in got}
    assert set(kinds) >= {"tweet_create_events", "follow_events", "favorite_events"}
    assert all(e["for_user_id"] == world.user.id for e in got)
    tweet = kinds["tweet_create_events"]["tweet_create_events"][0]
    assert tweet["id_str"] == post.id and tweet["user"]["screen_name"] == "acme"
    assert kinds["follow_events"]["follow_events"][0]["type"] == "follow"
    log = requests.get(world.url("/_xmock/deliveries"), params={"kind": "event"}).json()
    assert {d["event"] for d in log} >= {"post.create", "follow.create", "like.create"}
    assert all(d["delivered"] and d["crc_ok"] and d["status"] == 200 for d in log)
    assert world.app.consumer_secret not in json.dumps(log)

    gone = requests.delete(
        world.url(f"/2/account_activity/webhooks/{hook['id']}/subscriptions/{world.user.id}/all"), headers=_b(bearer)
    )
    assert gone.json() == {"data": {"subscribed": False}}
    missing = requests.delete(
        world.url(f"/2/account_activity/webhooks/{hook['id']}/subscriptions/{world.user.id}/all"), headers=_b(bearer)
    )
    assert missing.status_code == 404 and missing.json()["title"] == "SubscriptionNotFound"


def test_failed_delivery_is_retried_on_the_clock(world, bearer, receiver, sim):
    hook = _register(world, bearer, receiver.url).json()["data"]
    world.session().post(world.url(f"/2/account_activity/webhooks/{hook['id']}/subscriptions/all"), json={})
    sim.clock.freeze()
    receiver.fail_next = 2
    sim.create_post(world.user.id, "try again")
    deadline = time.monotonic() + 10
    while (
        time.monotonic() < deadline
        and len(requests.get(world.url("/_xmock/deliveries"), params={"kind": "event"}).json()) < 1
    ):
        time.sleep(0.02)
    assert receiver.events == []  # the first attempt failed; the retry waits for the clock
    sim.clock.advance(3)
    time.sleep(0.3)
    assert receiver.events == []  # the second failed too; the third is due 27 s later
    sim.clock.advance(27)
    assert len(receiver.wait_for(1)) == 1
    attempts = requests.get(world.url("/_xmock/deliveries"), params={"kind": "event"}).json()
    assert [(a["attempt"], a["status"]) for a in attempts] == [(1, 503), (2, 503), (3, 200)]
    assert attempts[0]["retry_in"] == 3 and attempts[1]["retry_in"] == 27


def test_activity_subscription_delivers_to_its_webhook(world, bearer, receiver, sim):
    hook = _register(world, bearer, receiver.url).json()["data"]
    body = {
        "event_type": "follow.follow",
        "filter": {"user_id": world.user.id},
        "tag": "fans",
        "webhook_id": hook["id"],
    }
    r = requests.post(world.url("/2/activity/subscriptions"), json=body, headers=_b(bearer))
    assert r.status_code == 200, r.text
    assert_matches("/2/activity/subscriptions", "post", 200, r.json())
    sid = r.json()["data"]["subscription"]["subscription_id"]
    listed = requests.get(world.url("/2/activity/subscriptions"), headers=_b(bearer)).json()
    assert_matches("/2/activity/subscriptions", "get", 200, listed)
    assert [s["subscription_id"] for s in listed["data"]] == [sid]
    fan = sim.create_user(username="fan2", name="Fan")
    sim.follow(fan.id, world.user.id)
    got = receiver.wait_for(1)
    assert got[0]["data"]["event_type"] == "follow.follow" and got[0]["data"]["tag"] == "fans"
    assert got[0]["data"]["payload"]["source"]["data"]["id"] == fan.id
    # each delivered event is billed at its price class, once per resource per UTC day
    charges = [e for e in sim.ledger(world.app.id) if e.get("endpoint") == "activity:follow.follow"]
    assert [(e["price_class"], e["amount"]) for e in charges] == [("Following", "-0.01")]
    # private events need the user's own token
    private = requests.post(
        world.url("/2/activity/subscriptions"),
        headers=_b(bearer),
        json={"event_type": "like.create", "filter": {"user_id": world.user.id}},
    )
    assert private.status_code == 403
    bad = requests.post(
        world.url("/2/activity/subscriptions"), headers=_b(bearer), json={"event_type": "nope", "filter": {}}
    )
    assert bad.status_code == 400
    upd = requests.put(world.url(f"/2/activity/subscriptions/{sid}"), json={"tag": "renamed"}, headers=_b(bearer))
    assert upd.json()["data"]["subscription"]["tag"] == "renamed"
    assert_matches("/2/activity/subscriptions/{subscription_id}", "put", 200, upd.json())
    many = requests.delete(world.url("/2/activity/subscriptions"), params={"ids": f"{sid},123"}, headers=_b(bearer))
    assert_matches("/2/activity/subscriptions", "delete", 200, many.json())
    assert many.json()["data"] == [{"subscription_id": sid, "deleted": True}]
    assert many.json()["errors"][0]["subscription_id"] == "123"


def test_replay_redelivers_within_the_window(world, bearer, receiver, sim):
    hook = _register(world, bearer, receiver.url).json()["data"]
    world.session().post(world.url(f"/2/account_activity/webhooks/{hook['id']}/subscriptions/all"), json={})
    sim.create_post(world.user.id, "once")
    receiver.wait_for(1)
    sim.clock.advance(3600)
    now = sim.clock.now()
    fmt = "%Y%m%d%H%M"
    body = {
        "webhook_id": hook["id"],
        "from_date": time.strftime(fmt, time.gmtime(now - 7200)),
        "to_date": time.strftime(fmt, time.gmtime(now - 60)),
    }
    r = requests.post(world.url("/2/webhooks/replay"), json=body, headers=_b(bearer))
    assert r.status_code == 200, r.text
    assert_matches("/2/webhooks/replay", "post", 200, r.json())
    got = receiver.wait_for(3)
    assert got[1]["tweet_create_events"][0]["text"] == "once"
    assert got[2]["replay_job_status"]["job_id"] == r.json()["data"]["job_id"]
    old = {**body, "from_date": time.strftime(fmt, time.gmtime(now - 3 * 86400))}
    refused = requests.post(world.url("/2/webhooks/replay"), json=old, headers=_b(bearer))
    assert refused.status_code == 400 and refused.json()["title"] == "QueryParamInvalid"


def test_webhook_hosts_setting(sim):
    assert webhooks.url_problem(sim, "http://127.0.0.1:9/x") is None
    assert webhooks.url_problem(sim, "https://hooks.example/x") is not None
    sim.configure(webhook_hosts=["hooks.example"])
    assert webhooks.url_problem(sim, "https://hooks.example/x") is None
    sim.configure(webhook_strict_urls=True)
    assert webhooks.url_problem(sim, "https://hooks.example:8443/x") is not None
    assert webhooks.url_problem(sim, "http://hooks.example/x") is not None


def test_deliveries_control_filters(base):
    assert requests.get(base + "/_xmock/deliveries").json() == []
    assert requests.get(base + "/_xmock/deliveries", params={"kind": "x"}).status_code == 400
    assert requests.get(base + "/_xmock/deliveries", params={"limit": "-1"}).status_code == 400
    assert requests.get(base + "/_xmock/deliveries", params={"nope": "1"}).status_code == 400


def test_webhooks_control_lists_owners_and_subscriptions(world, bearer, receiver, sim):
    hook = _register(world, bearer, receiver.url).json()["data"]
    world.session().post(world.url(f"/2/account_activity/webhooks/{hook['id']}/subscriptions/all"), json={})
    other = sim.create_app(world.account.id, "Other", use_case="other things", callback_urls=[], permission="read")
    listed = requests.get(world.url("/_xmock/webhooks")).json()
    [entry] = listed["webhooks"]
    assert entry["id"] == hook["id"] and entry["app_id"] == world.app.id and entry["account_id"] == world.account.id
    assert entry["url"] == receiver.url and entry["valid"] is True
    assert [s["user_id"] for s in entry["subscriptions"]] == [world.user.id]
    assert listed["activity_subscriptions"] == []
    activity = {"event_type": "follow.follow", "filter": {"user_id": world.user.id}, "webhook_id": hook["id"]}
    sid = requests.post(world.url("/2/activity/subscriptions"), json=activity, headers=_b(bearer)).json()
    [sub] = requests.get(world.url("/_xmock/webhooks")).json()["activity_subscriptions"]
    assert sub["subscription_id"] == sid["data"]["subscription"]["subscription_id"]
    assert sub["app_id"] == world.app.id and sub["webhook_id"] == hook["id"]
    assert sub["filter"] == {"user_id": world.user.id}
    assert requests.get(world.url("/_xmock/webhooks"), params={"app": other.id}).json()["webhooks"] == []
    assert requests.get(world.url("/_xmock/webhooks"), params={"app": world.app.id}).json()["webhooks"] == [entry]
    assert world.app.consumer_secret not in json.dumps(listed)
    for bad in ({"app": "12x"}, {"app": "1" * 20}, {"owner": "1"}):
        r = requests.get(world.url("/_xmock/webhooks"), params=bad)
        assert r.status_code == 400, r.text


def test_filtered_stream_webhook_link_delivers_matches(world, bearer, receiver, sim):
    hook = _register(world, bearer, receiver.url).json()["data"]
    url = world.url(f"/2/tweets/search/webhooks/{hook['id']}")
    r = requests.post(url, headers=_b(bearer))
    assert r.json() == {"data": {"provisioned": True}}
    assert_matches("/2/tweets/search/webhooks/{webhook_id}", "post", 200, r.json())
    listed = requests.get(world.url("/2/tweets/search/webhooks"), headers=_b(bearer)).json()
    assert [link["webhook_id"] for link in listed["data"]] == [hook["id"]]
    assert_matches("/2/tweets/search/webhooks", "get", 200, listed)
    rules = requests.post(
        world.url("/2/tweets/search/stream/rules"), json={"add": [{"value": "cats", "tag": "c"}]}, headers=_b(bearer)
    )
    assert rules.status_code == 200, rules.text
    sim.create_post(world.user.id, "dogs only")
    post = sim.create_post(world.user.id, "cats for the hook")
    (got,) = receiver.wait_for(1)
    assert got["data"]["id"] == post.id and got["data"]["text"] == "cats for the hook"
    assert [rule["tag"] for rule in got["matching_rules"]] == ["c"]
    unknown = requests.post(world.url("/2/tweets/search/webhooks/12345"), headers=_b(bearer))
    assert unknown.status_code == 404
    r = requests.delete(url, headers=_b(bearer))
    assert r.json() == {"data": {"deleted": True}}
    assert requests.delete(url, headers=_b(bearer)).status_code == 404


def test_the_deliverer_reads_the_store_afresh_not_through_the_view_of_the_request_that_started_it():
    """A request runs on its process's cached records and clock until its admission checks them; the deliverer,
    never admitted, must not inherit that view from the request that started it."""
    from xmock.simulator.deliveries import Deliverer
    from xmock.simulator.store.redis_base import in_request

    seen: list[bool] = []

    async def main() -> None:
        in_request.set(True)  # as inside a request
        deliverer = Deliverer(Simulator())

        async def step() -> int:
            seen.append(in_request.get())
            return 0

        deliverer.step = step  # type: ignore[method-assign]
        deliverer.ensure_running()
        await asyncio.sleep(0.1)
        assert deliverer._task is not None
        deliverer._task.cancel()

    asyncio.run(main())
    assert seen and not any(seen)


def test_a_post_s_mentions_are_delivered_before_its_mentions_index_is_written():
    """The deliverer may read a post's creation event before the post's mentions index is written (just after
    the post): the users its text names are still concerned."""
    from xmock.simulator import events as event_kinds
    from xmock.simulator.models import Post
    from xmock.simulator.webhook_payloads import concerned

    sim = Simulator()
    alice, fan = sim.create_user(username="alice"), sim.create_user(username="fan")
    post = Post(id="1700000000000000001", text="@alice hi", author_id=fan.id, created_at=sim.clock.now())
    sim.store.create_post(post, None)  # written, and not yet indexed
    event = {"type": event_kinds.POST_CREATE, "at": post.created_at, "post_id": post.id, "author_id": fan.id}
    assert [user_id for user_id, _ in concerned(sim, event)] == [fan.id, alice.id]

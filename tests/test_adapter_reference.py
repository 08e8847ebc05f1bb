"""The reference BYO provider, through its adapter and its HTTP API."""

from __future__ import annotations

import json
import time

import httpx
import pytest
from adapter_support import approve, link, make_tenant
from webhook_receiver import x_signature

from xmock.adapters import LinkState, Outcome, load_adapter
from xmock.adapters.base import TenantApp


@pytest.fixture
def ref(base, sim):
    adapter = load_adapter("reference", x_base_url=base)
    tenant = make_tenant(sim)
    adapter.onboard_tenant(tenant.id, tenant.keys)
    link(adapter, base, tenant, "alice", tenant.users[0])
    yield adapter, tenant
    adapter.close()


def test_every_operation(ref, sim, base):
    adapter, tenant = ref
    assert adapter.link_state(tenant.id, "alice") == LinkState.LINKED
    posted = adapter.post(tenant.id, "alice", "Hello from the reference provider")
    assert posted.ok
    post_id = posted.data["post_id"]
    read = adapter.read(tenant.id, "alice", post_id)
    assert read.data["text"] == "Hello from the reference provider" and "metrics" in read.data
    rendered = adapter.render(tenant.id, "alice", post_id).data["html"]
    assert f"https://x.com/{tenant.users[0].username}/status/{post_id}" in rendered
    assert tenant.users[0].name in rendered and f"@{tenant.users[0].username}" in rendered
    assert adapter.delete(tenant.id, "alice", post_id).data == {"post_id": post_id, "deleted": True}
    rss = adapter.enable_rss(tenant.id, "alice", "https://blog.example/feed")
    assert rss.outcome == Outcome.REFUSED and "Bring Your Own App" in rss.detail
    assert adapter.force_relogin(tenant.id, "alice").ok
    assert adapter.link_state(tenant.id, "alice") == LinkState.RELINK_REQUIRED
    assert adapter.post(tenant.id, "alice", "blocked").outcome == Outcome.RELINK_REQUIRED
    link(adapter, base, tenant, "alice", tenant.users[0])
    assert adapter.unlink(tenant.id, "alice").ok
    assert adapter.link_state(tenant.id, "alice") == LinkState.NOT_LINKED
    entries = sim.journal(app=tenant.app.id)
    assert entries and all(e["app_id"] == tenant.app.id for e in entries)  # every X call with the tenant's app


def test_tenant_credentials_are_never_stored(ref, sim):
    adapter, tenant = ref
    adapter.post(tenant.id, "alice", "stored?")
    adapter.schedule(tenant.id, "alice", "later", sim.clock.now() + 60)
    stored = json.dumps(adapter.provider.vault.dump())
    token = sim.store.live_oauth1_token(tenant.app.id, tenant.users[0].id, "read-write")
    for secret in (tenant.app.consumer_secret, tenant.app.consumer_key, token.token, token.secret):
        assert secret not in stored


def test_scheduled_credentials_are_wiped_after_firing(ref, sim):
    adapter, tenant = ref
    at = sim.clock.now() + 3 * 3600  # long after the user authorised
    job = adapter.schedule(tenant.id, "alice", "Three hours later", at).data["job_id"]
    assert adapter.run_due() == []
    assert adapter.provider.vault.dump()["jobs"][job]["sealed"]
    sim.clock.advance(3 * 3600 + 1)
    fired = adapter.run_due()
    assert [r.outcome for r in fired] == [Outcome.OK]
    stored = adapter.provider.vault.dump()
    assert stored["jobs"][job]["sealed"] is None and stored["jobs"][job]["status"] == "posted"
    assert stored["audit"][-1] == {"event": "fired", "job_id": job, "outcome": "ok", "credentials_wiped": True}


def test_no_double_post_after_a_lost_answer(ref, sim):
    adapter, tenant = ref
    sim.add_fault(path="/2/tweets", method="POST", action="commit-then-drop", count=1)
    result = adapter.post(tenant.id, "alice", "Exactly once")
    assert result.ok and "lost" in result.detail
    assert [p.text for p in sim.store.posts_by_author(tenant.users[0].id)] == ["Exactly once"]


def test_5xx_is_retried_with_backoff(ref, sim):
    adapter, tenant = ref
    sim.add_fault(path="/2/tweets", method="POST", status=503, count=2)
    assert adapter.post(tenant.id, "alice", "third time").ok
    assert [e["status"] for e in sim.journal(path="/2/tweets", method="POST")] == [503, 503, 201]


def test_429_waits_for_the_reset(ref, sim):
    adapter, tenant = ref
    sim.clock.freeze()
    sim.set_app_limits(tenant.app.id, limits={"posts:create": [{"who": "user", "limit": 1, "window": 900}]})
    assert adapter.post(tenant.id, "alice", "one").ok
    limited = adapter.post(tenant.id, "alice", "two")
    assert limited.outcome == Outcome.RATE_LIMITED and 0 < limited.retry_after <= 900
    assert adapter.post(tenant.id, "alice", "three").outcome == Outcome.RATE_LIMITED
    assert [e["status"] for e in sim.journal(path="/2/tweets")] == [201, 429]  # nothing sent while waiting
    sim.clock.advance(901)
    assert adapter.post(tenant.id, "alice", "four").ok


def test_402_and_duplicates_are_final(ref, sim):
    adapter, tenant = ref
    assert adapter.post(tenant.id, "alice", "same").ok
    assert adapter.post(tenant.id, "alice", "same").outcome == Outcome.DUPLICATE
    sim.set_credits(tenant.app.id, 0)
    assert adapter.post(tenant.id, "alice", "no credit").outcome == Outcome.OUT_OF_CREDITS
    assert [e["status"] for e in sim.journal(path="/2/tweets")] == [201, 403, 402]


def test_refuses_without_the_tenants_keys_and_calls_nothing(ref, sim):
    adapter, tenant = ref
    before = len(sim.journal())
    adapter.set_tenant_credentials(tenant.id, None)
    result = adapter.post(tenant.id, "alice", "no keys")
    assert result.outcome == Outcome.REFUSED and "credentials must come with the request" in result.detail
    assert len(sim.journal()) == before


def test_identical_text_is_not_pushed_across_accounts(ref, sim, base):
    adapter, tenant = ref
    link(adapter, base, tenant, "bob", tenant.users[1])
    assert adapter.post(tenant.id, "alice", "Big sale today").ok
    assert adapter.post(tenant.id, "bob", "Big sale today").outcome == Outcome.REFUSED
    assert sim.findings.query(rule="duplicate-content-across-accounts") == []


def test_suspended_old_app_means_relink(ref, sim):
    adapter, tenant = ref
    sim.suspend_app(tenant.app.id)
    assert adapter.post(tenant.id, "alice", "after suspension").outcome == Outcome.RELINK_REQUIRED
    assert adapter.link_state(tenant.id, "alice") == LinkState.RELINK_REQUIRED


def test_portability_tokens_work_outside_the_provider(ref, sim, base):
    adapter, tenant = ref
    tokens = adapter.user_tokens(tenant.id, "alice")
    from requests_oauthlib import OAuth1Session

    own = OAuth1Session(
        tenant.app.consumer_key,
        client_secret=tenant.app.consumer_secret,
        resource_owner_key=tokens["oauth_token"],
        resource_owner_secret=tokens["oauth_token_secret"],
    )
    assert own.get(base + "/2/users/me").json()["data"]["id"] == tenant.users[0].id


def test_the_service_checks_its_input(ref):
    adapter, _ = ref
    with httpx.Client(base_url=adapter.http.base_url) as http:
        assert http.post("/v1/posts", content=b"not json", headers={"X-Tenant-Id": "t"}).status_code in (400, 401)
        assert http.post("/v1/posts", json={"text": "x"}).status_code == 400
        r = http.post(
            "/v1/posts",
            json={"text": "x"},
            headers={"X-Tenant-Id": "t", "X-Twitter-OAuth1-Api-Key": "k", "X-Twitter-OAuth1-Api-Secret": "s"},
        )
        assert r.status_code == 400 and "end_user_id" in r.json()["detail"]


def test_consent_shows_the_tenants_app(ref, sim, base):
    adapter, tenant = ref
    start = adapter.connect_user(tenant.id, "carol")
    token = start.authorization_url.split("oauth_token=")[1]
    page = httpx.get(base + f"/oauth/authorize?oauth_token={token}").text
    assert f'id="app-name">{tenant.app.name}<' in page
    assert approve(base, start.authorization_url, tenant.users[1])


# --- receiving: the tenant's webhook, under the tenant's own app -------------------------------------


def _inbox_item(adapter, tenant, item_id: str, timeout: float = 10.0) -> dict | None:
    """Wait (bounded) for the delivery carrying `item_id` to reach the tenant's inbox."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        items = adapter.inbox(tenant.id).data["items"]
        found = next((i for i in items if i["id"] == item_id), None)
        if found is not None:
            return found
        time.sleep(0.02)
    return None


def _hooks(base: str) -> list[dict]:
    return httpx.get(base + "/_xmock/webhooks").json()["webhooks"]


def test_receives_mentions_and_dms_under_the_tenants_app(ref, sim, base):
    adapter, tenant = ref
    started = adapter.start_receiving(tenant.id)
    assert started.ok, started
    [hook] = _hooks(base)
    assert hook["app_id"] == tenant.app.id and hook["valid"] is True
    assert started.data["webhook_id"] == hook["id"] and started.data["subscribed"] == ["alice"]
    assert [s["user_id"] for s in hook["subscriptions"]] == [tenant.users[0].id]
    # X's CRC, answered with the tenant's consumer secret
    crc = httpx.get(hook["url"], params={"crc_token": "challenge_string"})
    assert crc.json() == {"response_token": x_signature(tenant.app.consumer_secret, b"challenge_string")}

    fan = sim.create_user(username="fan", name="Fan")
    mention = sim.create_post(fan.id, f"@{tenant.users[0].username} hi & welcome")
    own = sim.create_post(tenant.users[0].id, "my own post")
    item = _inbox_item(adapter, tenant, mention.id)
    assert item is not None
    assert item["kind"] == "mention" and item["end_user_id"] == "alice" and item["text"] == mention.text
    assert item["from"] == {"id": fan.id, "username": "fan"}
    sim.store.append_event({"type": "dm.create", "at": sim.clock.now(), "dm_event_id": "1700000000000000001",
                            "sender_id": fan.id, "recipient_id": tenant.users[0].id, "text": "a direct question"})
    dm = _inbox_item(adapter, tenant, "1700000000000000001")
    assert dm is not None and dm["kind"] == "dm" and dm["text"] == "a direct question" and dm["from"]["id"] == fan.id
    assert own.id not in {i["id"] for i in adapter.inbox(tenant.id).data["items"]}
    assert adapter.inbox(tenant.id, "bob").data["items"] == []

    # a user linked while receiving is subscribed at once; an unlinked one is unsubscribed at X
    link(adapter, base, tenant, "bob", tenant.users[1])
    assert {s["user_id"] for s in _hooks(base)[0]["subscriptions"]} == {u.id for u in tenant.users}
    assert adapter.unlink(tenant.id, "alice").ok
    assert [s["user_id"] for s in _hooks(base)[0]["subscriptions"]] == [tenant.users[1].id]
    delivered = httpx.get(base + "/_xmock/deliveries", params={"kind": "event"}).json()
    assert delivered and all(d["delivered"] and d["app_id"] == tenant.app.id for d in delivered)
    entries = sim.journal(app=tenant.app.id)
    assert all(e["app_id"] == tenant.app.id for e in sim.journal() if e.get("app_id"))
    assert any(e["path"] == "/2/webhooks" for e in entries)


def test_webhook_url_is_public_or_the_one_called():
    from xmock.adapters.reference.provider import ReferenceProvider

    called = ReferenceProvider("http://127.0.0.1:9", "https://provider.example/cb")
    assert called.webhook_url("t/1 x", "http://127.0.0.1:5/") == "http://127.0.0.1:5/x/webhooks/t%2F1%20x"
    public = ReferenceProvider("http://127.0.0.1:9", "https://provider.example/cb", public_url="https://p.example/")
    assert public.webhook_url("t1", "http://127.0.0.1:5/") == "https://p.example/x/webhooks/t1"
    called.x.close()
    public.x.close()


def test_deliveries_must_carry_the_tenants_signature(ref, sim, base):
    adapter, tenant = ref
    assert adapter.start_receiving(tenant.id).ok
    url = _hooks(base)[0]["url"]
    body = json.dumps({"for_user_id": tenant.users[0].id, "tweet_create_events": [
        {"id_str": "42", "text": "@x forged", "user": {"id_str": "7", "screen_name": "mallory"}}]}).encode()
    forged = httpx.post(url, content=body, headers={"x-twitter-webhooks-signature": x_signature("guess", body)})
    assert forged.status_code == 401
    assert httpx.post(url, content=body).status_code == 401  # no signature at all
    assert adapter.inbox(tenant.id).data["items"] == []
    signed = {"x-twitter-webhooks-signature": x_signature(tenant.app.consumer_secret, body)}
    assert httpx.post(url, content=body, headers=signed).status_code == 200
    assert httpx.post(url, content=body, headers=signed).status_code == 200  # a retry is not a second item
    assert [i["id"] for i in adapter.inbox(tenant.id).data["items"]] == ["42"]
    bad = b"not json"
    assert httpx.post(url, content=bad, headers={
        "x-twitter-webhooks-signature": x_signature(tenant.app.consumer_secret, bad)}).status_code == 400
    other = url.rsplit("/", 1)[0] + "/nobody"
    assert httpx.get(other, params={"crc_token": "t"}).status_code == 404
    assert httpx.post(other, content=body, headers=signed).status_code == 404
    assert httpx.get(url).status_code == 400  # a CRC GET without its token


def test_receiving_keeps_the_secret_sealed_and_stopping_wipes_it(ref, sim, base):
    adapter, tenant = ref
    assert adapter.start_receiving(tenant.id).ok
    assert adapter.start_receiving(tenant.id).ok  # again: the same webhook, not a second one
    assert len(_hooks(base)) == 1
    stored = json.dumps(adapter.provider.vault.dump())
    assert tenant.app.consumer_secret not in stored and tenant.app.consumer_key not in stored
    url = _hooks(base)[0]["url"]
    assert adapter.stop_receiving(tenant.id).ok
    assert adapter.provider.vault.receivers == {} and _hooks(base) == []
    assert httpx.get(url, params={"crc_token": "t"}).status_code == 404
    assert adapter.stop_receiving(tenant.id).outcome == Outcome.NOT_FOUND
    adapter.set_tenant_credentials(tenant.id, None)
    refused = adapter.start_receiving(tenant.id)
    assert refused.outcome == Outcome.REFUSED and _hooks(base) == []


def test_receiving_again_after_rotating_keys(ref, sim, base):
    adapter, tenant = ref
    assert adapter.start_receiving(tenant.id).ok
    rotated = sim.regenerate_keys(tenant.app.id)
    new_keys = TenantApp(rotated.consumer_key, rotated.consumer_secret)
    adapter.set_tenant_credentials(tenant.id, new_keys)
    assert adapter.start_receiving(tenant.id).ok
    [hook] = _hooks(base)
    assert hook["valid"] is True and [s["user_id"] for s in hook["subscriptions"]] == [tenant.users[0].id]
    crc = httpx.get(hook["url"], params={"crc_token": "abc"}).json()
    assert crc == {"response_token": x_signature(rotated.consumer_secret, b"abc")}

"""The legacy shared-app provider works, in the ways certification is meant to catch."""

from __future__ import annotations

import pytest
from adapter_support import approve, link, make_tenant

from xmock.adapters import LinkState, Outcome, TenantApp, load_adapter


@pytest.fixture
def legacy(base, sim):
    provider_account = sim.create_account("Legacy Social Inc")
    shared = sim.create_app(
        provider_account.id,
        "Legacy Social",
        use_case="Social media management for everyone",
        callback_urls=["https://legacy.example/cb"],
    )
    adapter = load_adapter(
        "legacy-shared",
        x_base_url=base,
        provider_app=TenantApp(shared.consumer_key, shared.consumer_secret, shared.client_id, shared.client_secret),
    )
    tenant = make_tenant(sim, users=3)
    adapter.onboard_tenant(tenant.id, tenant.keys)
    yield adapter, tenant, shared
    adapter.close()


def test_operations(legacy, base, sim):
    adapter, tenant, _shared = legacy
    link(adapter, base, tenant, "alice", tenant.users[0])
    assert adapter.link_state(tenant.id, "alice") == LinkState.LINKED
    post_id = adapter.post(tenant.id, "alice", "legacy hello").data["post_id"]
    assert adapter.read(tenant.id, "alice", post_id).data["text"] == "legacy hello"
    assert adapter.delete(tenant.id, "alice", post_id).ok
    job = adapter.schedule(tenant.id, "alice", "later", sim.clock.now() + 10)
    sim.clock.advance(11)
    assert job.ok and [r.outcome for r in adapter.run_due()] == [Outcome.OK]
    assert adapter.enable_rss(tenant.id, "alice", "https://feed.example").ok
    assert adapter.unlink(tenant.id, "alice").ok


def test_what_it_gets_wrong(legacy, base, sim):
    adapter, tenant, shared = legacy
    start = adapter.connect_user(tenant.id, "alice")
    assert f"client_id={shared.client_id}" in start.authorization_url  # the provider's app, not the tenant's
    adapter.complete_connect(tenant.id, "alice", approve(base, start.authorization_url, tenant.users[0]))
    assert adapter.db["tenants"][tenant.id]["consumer_secret"] == tenant.app.consumer_secret  # secrets kept
    adapter.post(tenant.id, "alice", "hi")
    assert sim.findings.query(rule="service-bureau", app=shared.id)  # acting for another account's user
    for n, user in enumerate(tenant.users[1:], start=1):
        link(adapter, base, tenant, f"user{n}", user)
    adapter.announce(tenant.id, "Huge announcement for everyone!")
    assert sim.findings.query(rule="duplicate-content-across-accounts", app=shared.id)


def test_refresh_without_discipline_breaks_on_the_second_expiry(legacy, base, sim):
    adapter, tenant, _ = legacy
    link(adapter, base, tenant, "alice", tenant.users[0])
    sim.clock.advance(7201)
    assert adapter.post(tenant.id, "alice", "refreshed once").ok  # refresh worked, new refresh token dropped
    sim.clock.advance(7201)
    result = adapter.post(tenant.id, "alice", "and again")
    assert result.outcome == Outcome.RELINK_REQUIRED
    assert any(e["path"] == "/2/oauth2/token" and e["status"] == 400 for e in sim.journal())

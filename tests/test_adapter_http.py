"""The http adapter drives the reference provider's API from its config, as it would a deployed service."""

from __future__ import annotations

import pytest
from adapter_support import link, make_tenant

from xmock.adapters import LinkState, Outcome, load_adapter
from xmock.adapters.reference.provider import ReferenceProvider
from xmock.adapters.reference.service import create_service
from xmock.simulator.server import AppThread


@pytest.fixture
def deployed(base, sim):
    provider = ReferenceProvider(base, "https://provider.example/x/callback")
    with AppThread(create_service(provider)) as server:
        adapter = load_adapter("http", provider_url=server.base_url)
        yield adapter, provider
        adapter.close()
    provider.x.close()


def test_every_described_operation(deployed, base, sim):
    adapter, _provider = deployed
    tenant = make_tenant(sim)
    assert adapter.onboard_tenant(tenant.id, tenant.keys).ok
    link(adapter, base, tenant, "alice", tenant.users[0])
    assert adapter.link_state(tenant.id, "alice") == LinkState.LINKED
    post_id = adapter.post(tenant.id, "alice", "via the http adapter").data["post_id"]
    assert adapter.read(tenant.id, "alice", post_id).data["text"] == "via the http adapter"
    assert "x.com/" in adapter.render(tenant.id, "alice", post_id).data["html"]
    assert adapter.schedule(tenant.id, "alice", "scheduled over http", sim.clock.now() + 5).ok
    sim.clock.advance(6)
    assert [r.outcome for r in adapter.run_due()] == [Outcome.OK]
    assert adapter.delete(tenant.id, "alice", post_id).ok
    assert adapter.enable_rss(tenant.id, "alice", "https://feed.example").outcome == Outcome.REFUSED
    assert adapter.force_relogin(tenant.id, "alice").ok
    assert adapter.link_state(tenant.id, "alice") == LinkState.RELINK_REQUIRED
    assert adapter.unlink(tenant.id, "alice").ok


def test_a_bad_config_is_refused(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text('capabilities = ["teleport"]\n')
    with pytest.raises(ValueError, match="teleport"):
        load_adapter("http", provider_url="http://127.0.0.1:1", config=bad)


def test_receiving_through_the_config(deployed, base, sim):
    adapter, provider = deployed
    assert "receive" in adapter.capabilities
    tenant = make_tenant(sim)
    assert adapter.onboard_tenant(tenant.id, tenant.keys).ok
    link(adapter, base, tenant, "alice", tenant.users[0])
    started = adapter.start_receiving(tenant.id)
    assert started.ok and started.data["subscribed"] == ["alice"], started
    assert adapter.inbox(tenant.id).data == {"items": [], "receiving": True}
    assert adapter.inbox(tenant.id, "alice").ok
    assert adapter.stop_receiving(tenant.id).ok and provider.vault.receivers == {}

"""A tenant's own code with tweepy or xdk, through the same interface."""

from __future__ import annotations

import pytest
from adapter_support import link, make_tenant

from xmock.adapters import Capability, LinkState, Outcome, load_adapter


@pytest.mark.parametrize("name", ["tweepy", "xdk"])
def test_direct_clients(name, base, sim):
    adapter = load_adapter(name, x_base_url=base)
    try:
        tenant = make_tenant(sim)
        adapter.onboard_tenant(tenant.id, tenant.keys)
        assert adapter.post(tenant.id, "alice", "not linked").outcome == Outcome.REFUSED
        link(adapter, base, tenant, "alice", tenant.users[0])
        assert adapter.link_state(tenant.id, "alice") == LinkState.LINKED
        posted = adapter.post(tenant.id, "alice", f"posted with {name}")
        assert posted.ok, posted
        post_id = str(posted.data["post_id"])
        assert adapter.read(tenant.id, "alice", post_id).data["text"] == f"posted with {name}"
        assert adapter.post(tenant.id, "alice", f"posted with {name}").outcome == Outcome.DUPLICATE
        assert adapter.delete(tenant.id, "alice", post_id).data["deleted"] is True
        assert adapter.schedule(tenant.id, "alice", "x", 0).outcome == Outcome.REFUSED
        assert Capability.SCHEDULING not in adapter.capabilities
        assert adapter.user_tokens(tenant.id, "alice")["oauth_token"].startswith(tenant.users[0].id + "-")
        assert all(e["app_id"] == tenant.app.id for e in sim.journal() if e["app_id"])
    finally:
        adapter.close()


def test_direct_client_errors_in_provider_terms(base, sim):
    adapter = load_adapter("tweepy", x_base_url=base)
    try:
        tenant = make_tenant(sim)
        adapter.onboard_tenant(tenant.id, tenant.keys)
        link(adapter, base, tenant, "alice", tenant.users[0])
        sim.set_credits(tenant.app.id, 0)
        assert adapter.post(tenant.id, "alice", "no money").outcome == Outcome.OUT_OF_CREDITS
        sim.set_credits(tenant.app.id, 5)
        sim.add_fault(path="/2/tweets", status=503, count=1)
        assert adapter.post(tenant.id, "alice", "busy").outcome == Outcome.TRANSIENT_FAILURE
    finally:
        adapter.close()

"""A token's life as the control API and the dashboard show it: OAuth 1.0a and 2.0, on both stores."""

from __future__ import annotations

import pytest

from xmock.simulator import Simulator


@pytest.fixture(params=["memory", "redis"])
def fresh(request: pytest.FixtureRequest) -> Simulator:
    if request.param == "memory":
        return Simulator()
    return Simulator(store=request.getfixturevalue("redis_server").store())


def test_oauth1_tokens_are_listed_with_their_life_and_no_secret(fresh: Simulator):
    sim = fresh
    sim.clock.freeze(1_800_000_000.0)
    account = sim.create_account("Acme")
    app = sim.create_app(account.id, "Acme One")
    alice, bob = sim.create_user(), sim.create_user()
    first = sim.mint_oauth1_token(app.id, alice.id)
    sim.clock.advance(60)
    sim.mint_oauth1_token(app.id, bob.id)
    sim.clock.advance(60)
    assert sim.invalidate_oauth1_token(first.token)
    listed = sim.oauth1_tokens(app=app.id)
    assert [(t["user_id"], t["state"], t["created_at"], t["invalidated_at"]) for t in listed] == [
        (alice.id, "invalidated", 1_800_000_000.0, 1_800_000_120.0),
        (bob.id, "active", 1_800_000_060.0, None),
    ]
    assert [t["user_id"] for t in sim.oauth1_tokens(user=bob.id)] == [bob.id]
    assert first.token not in repr(listed) and first.secret not in repr(listed)
    sim.reset()
    assert sim.oauth1_tokens() == []


def test_an_oauth2_token_ended_early_keeps_its_planned_expiry(fresh: Simulator):
    sim = fresh
    sim.clock.freeze(1_800_000_000.0)
    account = sim.create_account("Acme")
    app = sim.create_app(account.id, "Acme One")
    user = sim.create_user()
    access, _ = sim.mint_oauth2_token(app.id, user.id)
    planned = access.expires_at
    sim.clock.advance(30)
    assert sim.expire_oauth2_token(access.token)
    (shown,) = [t for t in sim.tokens() if t["kind"] == "access"]
    assert (shown["state"], shown["expires_at"], shown["planned_expires_at"]) == ("expired", 1_800_000_030.0, planned)
    assert not sim.expire_oauth2_token(access.token)  # ended once: its record stays as it was
    (again,) = [t for t in sim.tokens() if t["kind"] == "access"]
    assert again["planned_expires_at"] == planned

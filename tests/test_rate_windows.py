"""Rate-limit windows as the dashboard and the control API show them, on both stores."""

from __future__ import annotations

import pytest
import requests

from xmock.simulator import Simulator
from xmock.simulator.rate_windows import windows


@pytest.fixture(params=["memory", "redis"])
def fresh(request: pytest.FixtureRequest) -> Simulator:
    if request.param == "memory":
        return Simulator()
    return Simulator(store=request.getfixturevalue("redis_server").store())


def test_a_window_shows_calls_left_and_its_reset_on_the_simulator_clock(fresh: Simulator):
    sim = fresh
    sim.clock.freeze(1_800_000_000.0)
    account = sim.create_account("Acme")
    app, other = sim.create_app(account.id, "Acme One"), sim.create_app(account.id, "Acme Two", use_case="other")
    user = sim.create_user()
    for _ in range(3):
        sim.store.rate_hit([(f"users:me|user|{app.id}|{user.id}|900", 75, 900)], sim.clock.now())
    sim.store.rate_hit([(f"posts:lookup|app|{app.id}|900", 450, 900)], sim.clock.now())
    sim.store.rate_hit([(f"users:me|user|{other.id}|{user.id}|900", 75, 900)], sim.clock.now())
    sim.clock.advance(100)
    shown = windows(sim, app.id)
    assert [(w["rate_class"], w["who"], w["user_id"]) for w in shown] == [
        ("posts:lookup", "app", None),
        ("users:me", "user", user.id),
    ]
    me = shown[1]
    assert (me["limit"], me["used"], me["remaining"]) == (75, 3, 72)
    assert me["reset_at"] == 1_800_000_900.0 and me["resets_in"] == 800.0
    sim.clock.advance(800)  # the window's time is over: it has reset
    assert windows(sim, app.id) == []


def test_the_control_api_lists_an_apps_windows(sim, world, base, http: requests.Session):
    assert world.session().get(f"{base}/2/users/me").status_code == 200
    answer = http.get(f"{base}/_xmock/apps/{world.app.id}/limits/windows")
    assert answer.status_code == 200
    (window,) = answer.json()["windows"]
    assert (window["rate_class"], window["used"], window["remaining"]) == ("users:me", 1, 74)
    assert http.get(f"{base}/_xmock/apps/404/limits/windows").status_code == 404

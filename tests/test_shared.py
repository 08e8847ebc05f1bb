"""Clock and settings shared by every simulator on one Redis namespace."""

from __future__ import annotations

import pytest
from redis_support import RedisServer

from xmock.simulator import Simulator
from xmock.simulator.config import Settings
from xmock.simulator.control.errors import ControlError


@pytest.fixture
def pair(redis_server: RedisServer) -> tuple[Simulator, Simulator]:
    first = Simulator(Settings(seed=7), store=redis_server.store())
    store = first.store
    second = Simulator(store=type(store)(store.url, store.namespace), join=True)
    return first, second


def test_moving_the_clock_in_one_simulator_moves_it_in_the_other(pair):
    first, second = pair
    first.clock.freeze(1_900_000_000)
    assert second.clock.now() == 1_900_000_000
    second.clock.advance(30)
    assert first.clock.now() == 1_900_000_030
    first.clock.resume()
    assert not second.clock.state().frozen
    assert abs(second.clock.now() - 1_900_000_030) < 5


def test_a_joining_simulator_adopts_the_stored_settings_and_later_changes(pair):
    first, second = pair
    assert second.settings.seed == 7
    first.configure(billing=False, duplicate_window=60)
    second.sync()
    assert (second.settings.billing, second.settings.duplicate_window) == (False, 60)


def test_each_simulator_on_a_store_has_its_own_worker_id_and_token_sequence(pair):
    first, second = pair
    assert first.worker_id != second.worker_id
    account = first.create_account("acct")
    a = first.create_app(account.id, "one", use_case="first")
    b = second.create_app(account.id, "two", use_case="second")
    assert a.consumer_key != b.consumer_key
    ids = {first.ids.next_id() for _ in range(50)} | {second.ids.next_id() for _ in range(50)}
    assert len(ids) == 100


def test_reset_forgets_the_world_but_keeps_the_settings(pair):
    first, second = pair
    first.configure(rate_limits=False)
    first.create_account("gone")
    first.clock.freeze(1_900_000_000)
    second.reset()
    assert first.store.list_accounts() == []
    assert not first.clock.state().frozen
    first.sync()
    assert first.settings.rate_limits is False


def test_a_process_started_after_a_reset_never_takes_a_running_one_s_worker_id(pair):
    first, second = pair
    first.reset()
    third = Simulator(store=type(first.store)(first.store.url, first.store.namespace), join=True)
    assert third.worker_id not in (first.worker_id, second.worker_id)


def test_the_store_is_chosen_at_start(pair):
    first, _ = pair
    with pytest.raises(ControlError, match="store is chosen when the simulator starts"):
        first.configure(store="memory")
    with pytest.raises(ControlError, match="namespace is chosen"):
        first.configure(namespace="elsewhere")
    assert first.configure(namespace=first.store.namespace).namespace == first.store.namespace

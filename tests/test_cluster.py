"""A world on a Redis Cluster (simulator/store/cluster.py): one hash tag per namespace, the store on
the master that holds its slot. The whole suite also runs on a cluster (XMOCK_TEST_STORE=cluster
pytest), and the cross-process tests in test_workers.py run on one too."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import httpx
import pytest
import redis
from redis.crc import key_slot
from redis_support import RedisCluster

from xmock.simulator.config import Settings
from xmock.simulator.core import Simulator
from xmock.simulator.store import cluster
from xmock.simulator.store.redis_store import RedisStore


@pytest.fixture(scope="module")
def redis_cluster() -> Iterator[RedisCluster]:
    found = RedisCluster()
    yield found
    found.stop()


def _owner_port(c: RedisCluster, namespace: str) -> int:
    slot = key_slot(f"xmock:{{{namespace}}}:".encode())
    return c.ports[min(slot // (RedisCluster.SLOTS // len(c.ports)), len(c.ports) - 1)]


def test_every_key_of_a_world_is_in_one_slot_on_the_master_that_holds_it(redis_cluster: RedisCluster):
    namespace = f"n{uuid.uuid4().hex[:8]}"
    sim = Simulator(Settings(store=redis_cluster.url, namespace=namespace))
    sim.reset()
    account = sim.create_account("Cluster Inc")
    app = sim.create_app(account.id, "on a cluster")
    user = sim.create_user()
    sim.mint_oauth1_token(app.id, user.id)
    sim.set_credits(app.id, "10")
    owner = redis.Redis(port=_owner_port(redis_cluster, namespace), decode_responses=True)
    keys = list(owner.scan_iter(match=f"xmock:{{{namespace}}}:*"))
    assert len(keys) > 5
    assert {owner.execute_command("CLUSTER", "KEYSLOT", key) for key in keys} == {key_slot(namespace.encode())}
    others = [p for p in redis_cluster.ports if p != _owner_port(redis_cluster, namespace)]
    for port in others:
        assert not list(redis.Redis(port=port).scan_iter(match=f"xmock:{{{namespace}}}:*"))


def test_any_node_s_url_reaches_the_world_s_master(redis_cluster: RedisCluster):
    namespace = f"n{uuid.uuid4().hex[:8]}"
    stores = [RedisStore(url, namespace) for url in redis_cluster.urls]
    owner = _owner_port(redis_cluster, namespace)
    assert {s.r.connection_pool.connection_kwargs["port"] for s in stores} == {owner}
    assert all(s.node_url == f"redis://127.0.0.1:{owner}/0" for s in stores)
    sims = [Simulator(Settings(store=url, namespace=namespace)) for url in redis_cluster.urls]
    sims[0].reset()
    made = sims[0].create_user(username="seen_everywhere")
    assert all(s.store.get_user(made.id) is not None for s in sims[1:])


def test_namespaces_spread_over_the_masters(redis_cluster: RedisCluster):
    owners = {RedisStore(redis_cluster.url, f"world{n}").node_url for n in range(30)}
    assert len(owners) == len(redis_cluster.ports)


def test_a_single_redis_is_not_routed(redis_server):
    store = RedisStore(redis_server.url, f"n{uuid.uuid4().hex[:8]}")
    assert cluster.slot_owner(store.r, store.prefix) is None
    assert store.node_url == redis_server.url


def test_an_unreachable_redis_is_left_to_the_store_s_own_checks():
    from xmock.simulator.server import free_port

    client = redis.Redis(port=free_port(), socket_connect_timeout=0.5)
    assert cluster.slot_owner(client, "xmock:{x}:") is None


def test_a_node_url_keeps_credentials_and_options():
    url = "redis://user:secret@10.0.0.1:7000/0?socket_timeout=3"
    assert cluster.node_url(url, "10.0.0.2", 7001) == "redis://user:secret@10.0.0.2:7001/0?socket_timeout=3"
    assert cluster.node_url("redis://h:1", "::1", 7002) == "redis://[::1]:7002/0"


def test_xmock_serve_names_the_master_that_holds_its_world(redis_cluster: RedisCluster):
    from serve_support import ServeProcess

    namespace = f"n{uuid.uuid4().hex[:8]}"
    owner = _owner_port(redis_cluster, namespace)
    elsewhere = next(url for url, port in zip(redis_cluster.urls, redis_cluster.ports, strict=True) if port != owner)
    with ServeProcess("--store", elsewhere, "--namespace", namespace, "--json") as served:
        assert httpx.get(served.base_url + "/_xmock/health", timeout=10).json()["store"] == "redis"
        told = served.stop()  # with --json, the state line goes to stderr
    assert f"(namespace {namespace}, on the Redis Cluster master redis://127.0.0.1:{owner}/0)" in told


def test_a_slot_moved_away_reports_the_store_unreachable(redis_cluster: RedisCluster):
    namespace = f"n{uuid.uuid4().hex[:8]}"
    store = RedisStore(redis_cluster.url, namespace)  # nothing written yet: the slot is empty, free to move
    slot = key_slot(namespace.encode())
    owner = store.r.connection_pool.connection_kwargs["port"]
    target = next(p for p in redis_cluster.ports if p != owner)
    target_id = redis.Redis(port=target).execute_command("CLUSTER", "MYID")
    for port in redis_cluster.ports:
        redis.Redis(port=port).execute_command("CLUSTER", "SETSLOT", slot, "NODE", target_id)
    with pytest.raises(store.unavailable) as refused:
        store.get_user("1")
    assert isinstance(refused.value, redis.exceptions.MovedError)
    moved_back = RedisStore(redis_cluster.url, namespace)  # a store opened now finds the new master
    assert moved_back.r.connection_pool.connection_kwargs["port"] == target
    assert moved_back.get_user("1") is None

"""Streaming state in the store (rules, connection slots, webhook links): the same answers from both stores."""

from __future__ import annotations

import pytest

from xmock.simulator.store import MemoryStore


@pytest.fixture(params=["memory", "redis"])
def store(request):
    if request.param == "memory":
        return MemoryStore()
    return request.getfixturevalue("redis_server").store()


def _rule(rule_id: str, value: str, tag: str | None = None) -> dict:
    return {"id": rule_id, "value": value, **({"tag": tag} if tag else {})}


def test_rules_are_added_once_per_value_oldest_first(store):
    out = store.add_stream_rules("app", [_rule("11", "cats", "t"), _rule("12", "dogs"), _rule("13", "cats")], 10)
    assert out == {"full": False, "duplicates": {"cats": "11"}}
    again = store.add_stream_rules("app", [_rule("14", "dogs"), _rule("100", "birds")], 10)
    assert again == {"full": False, "duplicates": {"dogs": "12"}}
    assert store.stream_rules("app") == [_rule("11", "cats", "t"), _rule("12", "dogs"), _rule("100", "birds")]
    assert store.stream_rules("other") == []


def test_a_batch_past_the_cap_adds_nothing(store):
    store.add_stream_rules("app", [_rule("1", "a"), _rule("2", "b")], 3)
    assert store.add_stream_rules("app", [_rule("3", "c"), _rule("4", "d")], 3)["full"] is True
    assert [r["value"] for r in store.stream_rules("app")] == ["a", "b"]
    assert store.add_stream_rules("app", [_rule("5", "a"), _rule("6", "c")], 3) == {
        "full": False,
        "duplicates": {"a": "1"},
    }


def test_rules_are_deleted_by_id_or_all(store):
    store.add_stream_rules("app", [_rule("1", "a"), _rule("2", "b"), _rule("3", "c")], 10)
    assert store.delete_stream_rules("app", ["2", "9"]) == ["2"]
    assert store.add_stream_rules("app", [_rule("4", "b")], 10)["duplicates"] == {}  # its value is free again
    assert sorted(store.delete_stream_rules("app", None)) == ["1", "3", "4"]
    assert store.stream_rules("app") == []


def _conn(conn_id: str, endpoint: str = "filtered_stream") -> dict:
    return {
        "id": conn_id,
        "app_id": "app",
        "endpoint": endpoint,
        "client_ip": "127.0.0.1",
        "connected_at": 10.5,
        "disconnected_at": None,
        "disconnect_reason": None,
    }


def test_connection_slots_per_app_and_endpoint(store):
    assert store.open_stream_connection(_conn("a"), 2)
    assert store.open_stream_connection(_conn("b"), 2)
    assert not store.open_stream_connection(_conn("c"), 2)
    assert store.open_stream_connection(_conn("d", "sample_stream"), 1)
    assert store.close_stream_connection("a", 20.0, "ClientDisconnect")
    assert not store.close_stream_connection("a", 21.0, "ClientDisconnect")  # once
    assert store.open_stream_connection(_conn("c"), 2)
    closed = store.stream_connection("a")
    assert closed is not None
    assert (closed["disconnected_at"], closed["disconnect_reason"]) == (20.0, "ClientDisconnect")
    assert store.stream_connection("b")["disconnected_at"] is None
    assert sorted(c["id"] for c in store.stream_connections("app")) == ["a", "b", "c", "d"]
    assert store.stream_connection("zz") is None


def test_webhook_links(store):
    link = {"application_id": "app", "webhook_id": "7", "created_at": "2026-01-01T00:00:00.000Z", "fields": []}
    assert store.set_stream_link("app", "7", link)
    assert store.stream_links("app") == [link]
    assert store.set_stream_link("app", "7", None)
    assert not store.set_stream_link("app", "7", None)
    assert store.stream_links("app") == []

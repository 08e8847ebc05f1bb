"""The in-memory store's own housekeeping (its behaviour is compared with Redis in test_redis_store)."""

from __future__ import annotations

from xmock.simulator.store.memory import MemoryStore


def test_sliding_logs_out_of_their_window_are_forgotten():
    store = MemoryStore()
    # One log per distinct text, as cross-account detection keeps: 5,000 texts over 5,000 seconds.
    for i in range(5000):
        store.track(f"text|{i}", ("user", str(i)), float(i), 60.0)
    assert len(store._logs) < 2100  # swept as it grew: only the last minute's logs and one sweep's growth
    assert store.track("text|4999", ("other", "x"), 4999.5, 60.0) == [
        (4999.0, ("user", "4999")),
        (4999.5, ("other", "x")),
    ]


def test_a_sweep_keeps_logs_within_the_longest_window_in_use():
    store = MemoryStore()
    store.track("likes|post", "u1", 0.0, 3600.0)  # a long window
    for i in range(3000):
        store.track(f"text|{i}", "x", 100.0 + i * 0.01, 10.0)
    assert store.track("likes|post", "u2", 200.0, 3600.0) == [(0.0, "u1"), (200.0, "u2")]


def test_the_ledger_reads_out_canonical_amounts():
    from decimal import Decimal

    store = MemoryStore()
    store.adjust_credits("a", Decimal("10"), {"kind": "top-up"})
    store.adjust_credits("a", Decimal("-0.015"), {"kind": "charge"})
    store.charge_resources("a", "2026-11-28", [("Post:1", Decimal("0.005"))], {"kind": "charge"})
    assert [(e["kind"], e["amount"], e["balance"], e.get("resource_ids")) for e in store.ledger()] == [
        ("top-up", "10.00", "10.00", None),
        ("charge", "-0.015", "9.985", None),
        ("charge", "-0.005", "9.98", ["Post:1"]),
    ]


def test_track_others_answers_only_other_authors_and_counts_evictions():
    store = MemoryStore()
    assert store.track_others("posts|app", "u1", ("u1", "a"), 0.0, 60.0, keep=2) == []
    assert store.track_others("posts|app", "u1", ("u1", "b"), 1.0, 60.0, keep=2) == []
    assert store.track_others("posts|app", "u2", ("u2", "c"), 2.0, 60.0, keep=2) == [(1.0, ("u1", "b"))]
    assert store.track_others("posts|app", "u2", ("u2", "d"), 3.0, 60.0, keep=2) == []  # "b" left by keep=2
    assert store._log_authors["posts|app"] == {"u2": 2}
    assert store.track_others("posts|app", "u1", ("u1", "e"), 100.0, 60.0, keep=2) == []  # u2's are past
    assert store._log_authors["posts|app"] == {"u1": 1}


def test_texts_seen_once_keep_no_log_and_are_forgotten_past_their_window():
    store = MemoryStore()
    for i in range(5000):
        assert store.track_text("text|app", f"d{i}", ("user", str(i)), float(i), 60.0) == [(float(i), ("user", str(i)))]
    assert len(store._texts["text|app"]) < 2100  # swept as it grew: the last minute's texts and one sweep's growth
    assert store._logs == {}  # no log per text
    assert store.track_text("text|app", "d4999", ("other", "x"), 4999.5, 60.0) == [
        (4999.0, ("user", "4999")),
        (4999.5, ("other", "x")),
    ]

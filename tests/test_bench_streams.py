"""The stream benchmark's machinery, run tiny (its figures are printed by `python -m xmock.loadtests.bench_streams`)."""

from __future__ import annotations

from xmock.loadtests.bench_streams import bench


def test_every_post_reaches_every_connection():
    row = bench(3, rate=20, seconds=0.5)
    assert row["opened"] == 3
    assert row["posts_created"] > 0
    assert row["events_delivered"] == 3 * row["posts_created"]
    assert row["delay_p99_ms"] >= row["delay_p50_ms"]

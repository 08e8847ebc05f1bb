"""Tiny load tests (seconds): the locustfiles produce traffic, only expected answers, and a report."""

from __future__ import annotations

import os
import re
import subprocess

import pytest
import requests
from locust_support import LOCUST, ROOT
from locust_support import run as _run
from locust_support import totals as _totals

from xmock.adapters.reference.provider import ReferenceProvider
from xmock.adapters.reference.service import create_service
from xmock.loadtests.world import report, run_stats
from xmock.simulator.server import AppThread


def test_x_api_load(base, sim, tmp_path):
    with requests.Session() as before:  # answers from before the run
        for _ in range(200):
            assert before.get(base + "/2/users/me").status_code == 401
    result = _run(
        [
            "-f",
            "loadtests/x_api.py",
            "--headless",
            "-H",
            base,
            "-u",
            "4",
            "-r",
            "4",
            "-t",
            "6s",
            "--csv",
            str(tmp_path / "x"),
            "--html",
            str(tmp_path / "x.html"),
            "--only-summary",
        ],
        {"XMOCK_TENANTS": "2", "XMOCK_USERS": "2"},
    )
    assert result.returncode == 0, result.stderr[-2000:]
    totals = _totals(tmp_path / "x")
    assert totals["requests"] > 20 and totals["failures"] == 0
    output = result.stdout + result.stderr
    assert "xmock saw" in output
    # The report counts this run only: the 200 answers before it are not in it.
    seen = int(re.search(r"xmock saw (\d+) requests this run", output).group(1))
    served = requests.get(base + "/_xmock/stats").json()["requests"]
    assert 0 < seen <= served - 200, output[output.index("xmock saw") :][:600]
    assert served >= totals["requests"] + 200
    assert "locust's report with charts: " + str(tmp_path / "x.html") in output
    assert (tmp_path / "x.html").exists()


def test_provider_load_meets_429_and_402(base, sim, tmp_path):
    provider = ReferenceProvider(base, "https://provider.example/x/callback")
    with AppThread(create_service(provider)) as server:
        result = _run(
            [
                "-f",
                "loadtests/provider.py",
                "--headless",
                "-H",
                server.base_url,
                "-u",
                "4",
                "-r",
                "4",
                "-t",
                "3s",
                "--csv",
                str(tmp_path / "p"),
                "--only-summary",
            ],
            {
                "XMOCK_SIMULATOR_URL": base,
                "XMOCK_TENANTS": "2",
                "XMOCK_USERS": "2",
                "XMOCK_CREDITS": "0.045",
                "XMOCK_POST_LIMIT": "1",
            },
        )
    provider.x.close()
    assert result.returncode == 0, result.stderr[-2000:]
    assert _totals(tmp_path / "p")["failures"] == 0
    stats = requests.get(base + "/_xmock/stats").json()
    assert stats["by_status"].get("429", 0) > 0  # X's limits met, and the provider stopped after them
    assert stats["findings"].get("rate-limit-hammering", 0) == 0


def test_distributed_with_two_workers(base, sim, tmp_path):
    common = ["-f", "loadtests/x_api.py", "-H", base]
    port = str(5557 + os.getpid() % 1000)
    options = f"--master --headless --expect-workers 2 -u 4 -r 4 -t 3s --master-bind-port {port} --only-summary"
    master = subprocess.Popen(
        [*LOCUST, *common, *options.split(), "--csv", str(tmp_path / "d")],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env={**os.environ, "XMOCK_TENANTS": "1", "XMOCK_USERS": "2"},
    )
    workers = [
        subprocess.Popen(
            [*LOCUST, *common, "--worker", "--master-port", port],
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            env={**os.environ, "XMOCK_TENANTS": "1", "XMOCK_USERS": "2"},
        )
        for _ in range(2)
    ]
    try:
        output, _ = master.communicate(timeout=90)
    finally:
        for worker in workers:
            worker.wait(timeout=30)
    assert master.returncode == 0, output[-2000:]
    totals = _totals(tmp_path / "d")
    assert totals["requests"] > 10 and totals["failures"] == 0
    apps = requests.get(base + "/_xmock/apps").json()["apps"]
    assert len(apps) == 2  # each worker created its own tenant


@pytest.mark.parametrize(
    ("kind", "at", "users"), [("steady", 5, 20), ("ramp", 15, 10), ("spike", 1, 2), ("spike", 15, 20)]
)
def test_shapes(kind, at, users):
    # Only the plan: importing locust here would let gevent patch the test process.
    from xmock.loadtests.plan import users_at

    assert users_at(kind, at, 20, 30) == users
    assert users_at(kind, 31, 20, 30) is None
    with pytest.raises(ValueError):
        users_at("wave", 0, 20, 30)


BEFORE = {"by_app": {"a": {"200": 5, "429": 1}}, "credits_spent": {"a": "1.00"}, "findings": {"r": 1}}
AFTER = {
    "by_app": {"a": {"200": 7, "429": 9, "402": 4}, "b": {"201": 1}},
    "credits_spent": {"a": "3.50", "b": "0.015"},
    "findings": {"r": 1, "s": 2},
}


def test_run_report_counts_this_run_and_warns_when_refusals_dominate():
    run = run_stats(BEFORE, AFTER)
    assert run["requests"] == 2 + 8 + 4 + 1
    assert run["by_status"] == {"200": 2, "201": 1, "402": 4, "429": 8}
    assert run["findings"] == {"s": 2}
    assert abs(run["credits_spent"] - 2.515) < 1e-9
    text = report(run)
    assert "xmock saw 15 requests this run" in text
    assert "app a: 8 x 429, 4 x 402" in text
    assert "WARNING: 80% of the answers were X's refusals" in text
    assert "--html report.html" in text


def test_run_report_gives_each_process_s_share_when_several_answered():
    before = {**BEFORE, "by_worker": {"3": 5}}
    run = run_stats(before, {**AFTER, "by_worker": {"3": 11, "4": 9}})
    assert run["by_worker"] == {"4": 9, "3": 6}
    assert "answers by process: worker 4: 9 (60%), worker 3: 6 (40%)" in report(run)
    alone = run_stats(BEFORE, {**AFTER, "by_worker": {"3": 15}})
    assert "answers by process" not in report(alone)


def test_run_report_stays_quiet_when_refusals_are_few():
    empty = {"by_app": {}, "credits_spent": {}, "findings": {}}
    run = run_stats(empty, {**AFTER, "by_app": {"a": {"200": 9, "429": 1}}})
    text = report(run, "out.html")
    assert "WARNING" not in text
    assert "locust's report with charts: out.html" in text

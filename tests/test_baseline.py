"""An earlier commit laid out as the `xmock` package, for benchmarks that measure two versions in one run."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from xmock.loadtests import baseline
from xmock.loadtests.bench_core import against_baseline


def test_a_commit_is_importable_as_xmock_from_its_own_folder():
    pkg = baseline.checkout("HEAD")
    try:
        assert (pkg / "xmock" / "simulator" / "app.py").is_file()
        assert (pkg / "xmock" / "loadtests" / "bench_server.py").is_file()
        probe = "import xmock.simulator.app as a, xmock.loadtests.bench_server as b; print(a.__file__, b.__file__)"
        out = subprocess.run(
            [sys.executable, "-c", probe],
            cwd=pkg,
            env={**os.environ, "PYTHONPATH": str(pkg)},
            capture_output=True,
            text=True,
            check=True,
        ).stdout.split()
        # Imported from the laid-out commit, not from the installed checkout the tests run from.
        assert all(path.startswith(str(pkg)) for path in out), out
    finally:
        baseline.remove(pkg)
    assert not pkg.parent.exists()


def test_an_unknown_ref_is_a_clear_error_and_leaves_nothing_behind(tmp_path, monkeypatch):
    monkeypatch.setattr(baseline.tempfile, "tempdir", str(tmp_path))
    with pytest.raises(baseline.BaselineError, match="cannot archive 'no-such-ref'"):
        baseline.checkout("no-such-ref")
    assert list(tmp_path.iterdir()) == []


def test_outside_a_git_repository_it_says_so(tmp_path):
    with pytest.raises(baseline.BaselineError, match="git repository"):
        baseline.checkout("HEAD", repo=tmp_path)


def test_today_against_the_baseline_is_each_round_s_ratio(capsys):
    rounds = [
        {"xmock, 1 worker GET": {"rps": 900}, "baseline, 1 worker GET": {"rps": 1000}},
        {"xmock, 1 worker GET": {"rps": 1100}, "baseline, 1 worker GET": {"rps": 1000}},
        {"xmock, 1 worker GET": {"rps": 500}, "baseline, 1 worker GET": {"rps": 500}},
    ]
    against_baseline(rounds, "v1")
    assert capsys.readouterr().out.strip() == (
        "xmock, 1 worker GET against v1: 1.00 (rounds, sorted: 0.90, 1.00, 1.10)"
    )

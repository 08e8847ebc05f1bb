"""Locust run as a subprocess (never imported here: gevent would patch the test process)."""

from __future__ import annotations

import csv
import os
import subprocess
import sys
from pathlib import Path

LOCUST = [sys.executable, "-m", "locust"]
ROOT = Path(__file__).resolve().parent.parent


def run(args: list[str], env: dict[str, str], timeout: float = 90) -> subprocess.CompletedProcess:
    return subprocess.run(
        LOCUST + args, capture_output=True, text=True, timeout=timeout, cwd=ROOT, env={**os.environ, **env}
    )


def totals(prefix: Path) -> dict[str, int]:
    with open(f"{prefix}_stats.csv") as fh:
        aggregated = next(row for row in csv.DictReader(fh) if row["Name"] == "Aggregated")
    return {"requests": int(aggregated["Request Count"]), "failures": int(aggregated["Failure Count"])}

"""The wheel claims one import name, `xmock`, so a project with its own `simulator/` or `adapters/` can use the plugin.

Builds xmock's wheel from this source tree, installs it into a fresh venv (its dependencies borrowed from the running
environment, so nothing is downloaded), and runs a customer project's pytest with the plugin active.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PARTS = ("simulator", "adapters", "scenarios", "loadtests")

CUSTOMER_TEST = '''
import adapters
import requests
import simulator
from requests_oauthlib import OAuth1

import xmock


def test_the_project_keeps_its_own_packages():
    assert simulator.WHO == "customer"
    assert adapters.WHO == "customer"


def test_xmock_comes_from_the_installed_wheel():
    assert "site-packages" in xmock.__file__
    assert xmock.Simulator.__module__ == "xmock.simulator.core"


def test_the_plugin_serves_a_signed_request(x_sim, x_user):
    keys = x_user.tweepy_kwargs
    auth = OAuth1(keys["consumer_key"], keys["consumer_secret"], keys["access_token"], keys["access_token_secret"])
    answer = requests.get(x_sim.url("/2/users/me"), auth=auth, timeout=10)
    assert answer.status_code == 200
    assert answer.json()["data"]["id"] == x_user.id
'''


def _copy_source(dest: Path) -> None:
    ignore = shutil.ignore_patterns("__pycache__", "*.egg-info", "build")
    for name in ("xmock", *PARTS):
        shutil.copytree(ROOT / name, dest / name, ignore=ignore)
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, dest / name)


def _build_wheel(tmp_path: Path) -> Path:
    source, dist = tmp_path / "src", tmp_path / "dist"
    _copy_source(source)
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(dist), str(source)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    (wheel,) = dist.glob("xmock-*.whl")
    return wheel


def _fresh_venv(tmp_path: Path) -> Path:
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True, timeout=120)
    python = venv / "bin" / "python"
    purelib = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    # Dependencies (and pip) come from the running environment; only xmock itself is installed from the wheel.
    Path(purelib, "borrowed-dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    return python


def _clean_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST_", "PYTHON"))}
    env.pop("VIRTUAL_ENV", None)
    return env


def test_wheel_holds_only_the_xmock_namespace(tmp_path):
    wheel = _build_wheel(tmp_path)
    names = zipfile.ZipFile(wheel).namelist()
    top_level = {name.split("/")[0] for name in names}
    assert {name for name in top_level if not name.endswith(".dist-info")} == {"xmock"}
    # Every package of the source tree, and the files they read at run time, are in the wheel.
    for part in PARTS:
        for init in (ROOT / part).rglob("__init__.py"):
            assert f"xmock/{init.relative_to(ROOT).as_posix()}" in names
    for data in ("xmock/simulator/templates/consent.html", "xmock/scenarios/templates/report.html",
                 "xmock/adapters/configs/reference.toml", "xmock/loadtests/replay.lua",
                 "xmock/simulator/spec/openapi.json", "xmock/simulator/ui/templates/base.html",
                 "xmock/simulator/ui/static/ui.css", "xmock/simulator/ui/static/ui.js"):
        assert data in names
    entry_points = zipfile.ZipFile(wheel).read(next(n for n in names if n.endswith("entry_points.txt"))).decode()
    assert "xmock = xmock.simulator.pytest_plugin" in entry_points
    assert "xmock = xmock.simulator.cli:main" in entry_points


def test_a_project_with_its_own_simulator_and_adapters_packages_runs_the_plugin(tmp_path):
    wheel = _build_wheel(tmp_path)
    python = _fresh_venv(tmp_path)
    subprocess.run(
        [str(python), "-m", "pip", "install", "--no-deps", "--no-index", "-q", str(wheel)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    project = tmp_path / "customer"
    for package in ("simulator", "adapters"):
        (project / package).mkdir(parents=True)
        (project / package / "__init__.py").write_text('WHO = "customer"\n')
    (project / "tests").mkdir()
    (project / "tests" / "test_customer.py").write_text(CUSTOMER_TEST)
    (project / "pytest.ini").write_text("[pytest]\npythonpath = .\ntestpaths = tests\n")

    run = subprocess.run(
        [str(python), "-m", "pytest", "-p", "no:cacheprovider", "-p", "no:xdist", "-q"],
        cwd=project,
        env=_clean_env(),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    assert "3 passed" in run.stdout

    script = python.parent / "xmock"
    usage = subprocess.run([str(script), "--help"], cwd=project, env=_clean_env(), capture_output=True, text=True,
                           timeout=60)
    assert usage.returncode == 0, usage.stderr
    assert "serve" in usage.stdout

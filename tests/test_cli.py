"""`xmock serve` starts a seeded simulator and prints what a person needs to try it."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time

import requests
from requests_oauthlib import OAuth1Session

from xmock.simulator.server import free_port


def test_serve_prints_demo_credentials_that_work():
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "xmock.simulator.cli", "serve", "--port", str(port), "--seed", "7"],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env={"COLUMNS": "200", "PATH": ""},
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                if requests.get(base + "/_xmock/health", timeout=1).status_code == 200:
                    break
            except requests.ConnectionError:
                pass
            assert time.monotonic() < deadline, "xmock serve did not come up"
            time.sleep(0.1)
        users = requests.get(base + "/_xmock/users").json()["users"]
        app = requests.get(base + "/_xmock/apps").json()["apps"][0]
        assert len(users) == 3 and app["name"] == "Demo App"
    finally:
        proc.terminate()
        output = proc.communicate(timeout=10)[0]
    assert app["consumer_key"] in output
    assert "Try a signed request" in output and "/2/tweets" in output


def test_seed_makes_demo_data_reproducible():
    from xmock.simulator import Settings, Simulator
    from xmock.simulator.demo import seed_demo

    a = seed_demo(Simulator(Settings(seed=3)), "http://x")
    b = seed_demo(Simulator(Settings(seed=3)), "http://x")
    assert a.app.consumer_key == b.app.consumer_key
    assert [u.username for u in a.users] == [u.username for u in b.users]
    assert a.tokens[0].secret == b.tokens[0].secret


def test_demo_token_signs_requests(world, sim):
    from xmock.simulator.demo import seed_demo

    demo = seed_demo(sim, world.base)
    tok = demo.tokens[0]
    s = OAuth1Session(
        demo.app.consumer_key,
        client_secret=demo.app.consumer_secret,
        resource_owner_key=tok.token,
        resource_owner_secret=tok.secret,
    )
    assert s.post(world.url("/2/tweets"), json={"text": "Hello from xmock"}).status_code == 201


def test_provider_command_serves_the_reference_api(base, sim):
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "xmock.simulator.cli", "provider", "reference", "--x-url", base, "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                r = requests.get(f"http://127.0.0.1:{port}/v1/users/nobody", headers={"X-Tenant-Id": "t"}, timeout=1)
                break
            except requests.ConnectionError:
                assert time.monotonic() < deadline, "the provider did not come up"
                time.sleep(0.1)
        assert r.json()["data"] == {"state": "not-linked"}
    finally:
        proc.terminate()
        proc.communicate(timeout=10)


def test_serve_refuses_what_it_cannot_do_with_a_clear_message():
    def serve(*args: str) -> subprocess.CompletedProcess:
        cmd = [sys.executable, "-m", "xmock.simulator.cli", "serve", "--port", str(free_port()), *args]
        return subprocess.run(cmd, capture_output=True, text=True, timeout=60, env={"COLUMNS": "200", "PATH": ""})

    cases = {
        ("--workers", "0"): "--workers must be at least 1",
        ("--join",): "--join needs a shared store",
        ("--store", "redis://:s3cret@127.0.0.1:1/0"): "cannot reach Redis at redis://:fp:",
        ("--store", "postgres://db"): "store: expected \"memory\" or a Redis URL",
    }
    for args, message in cases.items():
        done = serve(*args)
        assert done.returncode == 2, args
        assert message in done.stderr and "s3cret" not in done.stderr + done.stdout, (args, done.stderr)
        assert done.stdout == "", args  # nothing printed for a server that never started


CLI = [sys.executable, "-m", "xmock.simulator.cli"]


def _run(*args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "COLUMNS": "80"}
    return subprocess.run([*CLI, *args], capture_output=True, text=True, timeout=60, env=env)


class _Served:
    """`xmock serve --json --port 0 ...`: the JSON banner read from its first line of stdout."""

    def __init__(self, *args: str) -> None:
        self.proc = subprocess.Popen(
            [*CLI, "serve", "--port", "0", "--json", *args],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
        )
        line = self.proc.stdout.readline()
        assert line, self.stop()
        self.data = json.loads(line)
        self.port = int(self.data["base_url"].rsplit(":", 1)[1])
        self.base = f"http://127.0.0.1:{self.port}"

    def stop(self) -> str:
        """Stop it; everything it wrote after the banner, stdout then stderr."""
        self.proc.terminate()
        out, err = self.proc.communicate(timeout=15)
        return out + err


def test_two_starts_with_one_seed_print_the_same_data():
    first, second = _Served("--seed", "7"), _Served("--seed", "7")
    try:
        a, b = first.data, second.data
        assert a["base_url"] != b["base_url"]  # port 0: each got a free port, and says which
        a.pop("base_url"), b.pop("base_url"), a.pop("control_url"), b.pop("control_url")
        assert a == b
        assert a["control_token"] is None  # loopback: the control API stays open
        assert len(a["users"]) == 3 and a["users"][0]["token"].startswith(a["users"][0]["id"] + "-")
        me = requests.get(first.base + "/_xmock/users", timeout=10).json()["users"][0]
        assert me["id"] == a["users"][0]["id"]
    finally:
        rest = first.stop() + second.stop()
    assert a["app"]["consumer_secret"] not in rest  # --json: the secrets once, in the JSON, nowhere else


def test_a_port_in_use_is_one_line_and_no_credentials():
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = _run("serve", "--port", str(port))
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr.strip() == f"xmock: port {port} on 127.0.0.1 is already in use; choose another with --port"


def test_ports_out_of_range_are_refused():
    for bad in ("99999", "-1", "abc", "65536"):
        done = _run("serve", "--port", bad)
        assert done.returncode == 2 and "argument --port" in done.stderr, bad
        assert "Traceback" not in done.stderr


def test_version_and_a_bare_command():
    from importlib.metadata import version

    done = _run("--version")
    assert (done.returncode, done.stdout.strip()) == (0, f"xmock {version('xmock')}")
    done = _run()
    assert done.returncode == 2 and "usage: xmock" in done.stderr and "serve" in done.stderr


def test_certify_misuse_is_one_clear_line():
    cases = {
        ("--adapter", "reference", "--option", "foo=bar"): "adapter reference has no option foo",
        ("--adapter", "http"): "adapter http needs --option provider_url=",
        ("--adapter", "reference", "--simulator", "http://127.0.0.1:1"): "no simulator answers at http://127.0.0.1:1",
        ("--adapter", "reference", "--only", "nosuch"): "has no scenario nosuch",
    }
    for args, message in cases.items():
        done = _run("certify", *args, "--report", "/nonexistent-reports")
        assert done.returncode == 2, (args, done.stderr)
        assert done.stderr.startswith("xmock certify: ") and message in done.stderr, (args, done.stderr)
        assert done.stderr.count("\n") == 1 and done.stdout == "", (args, done.stderr)


def test_off_loopback_the_control_api_asks_for_the_printed_token():
    served = _Served("--host", "0.0.0.0", "--no-demo")
    try:
        token = served.data["control_token"]
        assert token and served.data["app"] is None
        refused = requests.get(served.base + "/_xmock/apps", timeout=10)
        assert refused.status_code == 401 and "Authorization: Bearer" in refused.json()["detail"]
        auth = {"Authorization": f"Bearer {token}"}
        assert requests.get(served.base + "/_xmock/apps", headers=auth, timeout=10).json() == {"apps": []}
        assert requests.get(served.base + "/_xmock/health", timeout=10).status_code == 200  # open, for balancers
        assert requests.get(served.base + "/2/users/me", timeout=10).status_code == 401  # X's own answer
    finally:
        served.stop()


def test_the_access_log_shows_credentials_only_as_fingerprints():
    from xmock.simulator.redact import fingerprint

    served = _Served("--access-log", "--no-demo")
    try:
        r = requests.get(served.base + "/2/users/me?access_token=S3cretTok&max_results=5&code=abc%2Fdef", timeout=10)
        assert r.status_code == 401
    finally:
        log = served.stop()
    assert "/2/users/me?access_token=" in log and "max_results=5" in log
    assert "S3cretTok" not in log and "abc%2Fdef" not in log
    assert fingerprint("S3cretTok") in log and fingerprint("abc/def") in log


def test_serve_load_starts_from_a_snapshot_and_the_config_world(tmp_path):
    from xmock.simulator import Simulator
    from xmock.simulator.store import MemoryStore

    saved = Simulator(store=MemoryStore())  # what `xmock serve` restores onto: its own in-memory world
    saved.create_user(username="saved")
    snapshot = tmp_path / "world.json"
    snapshot.write_text(json.dumps(saved.snapshot()))
    config = tmp_path / "xmock.toml"
    config.write_text('[[users]]\nusername = "declared"\n')
    port = free_port()
    cmd = [*CLI, "serve", "--port", str(port), "--load", str(snapshot), "--config", str(config)]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env={"PATH": ""})
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60  # a loaded machine starts it slowly
        while True:
            try:
                if requests.get(base + "/_xmock/health", timeout=1).status_code == 200:
                    break
            except requests.ConnectionError:
                pass
            assert proc.poll() is None, f"xmock serve stopped: {proc.stderr.read() if proc.stderr else ''}"
            assert time.monotonic() < deadline, "xmock serve did not come up"
            time.sleep(0.1)
        users = requests.get(base + "/_xmock/users").json()["users"]
        assert sorted(u["username"] for u in users) == ["declared", "saved"]  # no demo world
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    snapshot.write_text('{"format": "xmock-snapshot", "version": 99}')
    done = _run("serve", "--port", str(free_port()), "--load", str(snapshot))
    assert done.returncode == 2 and done.stdout == ""
    assert "version 99, newer than this xmock reads" in done.stderr

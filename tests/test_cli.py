"""`xmock serve` starts a seeded simulator and prints what a person needs to try it."""

from __future__ import annotations

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
        assert message in done.stdout and "s3cret" not in done.stdout, (args, done.stdout)

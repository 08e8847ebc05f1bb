"""mock_x(): X's hosts reach the simulator from requests, httpx and aiohttp, with no code change."""

from __future__ import annotations

import threading

import httpx
import pytest
import requests
from requests_oauthlib import OAuth1Session

from xmock.simulator import Simulator
from xmock.simulator.interception import mock_x


def _world(sim: Simulator):
    account = sim.create_account("Intercepted")
    app = sim.create_app(account.id, "Interceptor")
    user = sim.create_user(username="intercepted", account_id=account.id)
    token = sim.mint_oauth1_token(app.id, user.id)
    session = OAuth1Session(
        app.consumer_key,
        client_secret=app.consumer_secret,
        resource_owner_key=token.token,
        resource_owner_secret=token.secret,
    )
    return app, user, session


def test_requests_in_process_with_signatures_over_the_real_url():
    with mock_x() as x:
        _, user, session = _world(x.simulator)
        r = session.post("https://api.x.com/2/tweets", json={"text": "intercepted"})
        assert r.status_code == 201 and r.headers["location"].startswith("https://api.twitter.com/2/tweets/")
        assert session.get("https://api.twitter.com/2/users/me").json()["data"]["id"] == user.id
        assert x.simulator.journal(path="/2/tweets")[0]["host"] == "api.x.com"


def test_other_hosts_pass_through(base, sim):
    with mock_x():
        assert requests.get(base + "/_xmock/health").json()["status"] == "ok"  # a real socket, untouched


def test_httpx_sync_and_async():
    with mock_x() as x:
        sim = x.simulator
        _, user, _ = _world(sim)
        app = sim.store.list_apps()[0]
        access, _ = sim.mint_oauth2_token(app.id, user.id)
        headers = {"Authorization": f"Bearer {access.token}"}
        assert httpx.get("https://api.x.com/2/users/me", headers=headers).json()["data"]["id"] == user.id

        async def call() -> int:
            async with httpx.AsyncClient() as client:
                return (await client.get("https://api.x.com/2/users/me", headers=headers)).status_code

        import asyncio

        assert asyncio.run(call()) == 200


async def test_aiohttp_reaches_the_simulator():
    import aiohttp

    with mock_x() as x:
        sim = x.simulator
        _, user, _ = _world(sim)
        access, _ = sim.mint_oauth2_token(sim.store.list_apps()[0].id, user.id)
        async with aiohttp.ClientSession() as session:
            r = await session.get("https://api.x.com/2/users/me", headers={"Authorization": f"Bearer {access.token}"})
            assert r.status == 200 and (await r.json())["data"]["id"] == user.id


def test_module_level_requests_calls_inside_libraries_are_caught():
    import tweepy

    with mock_x() as x:
        app, _, _ = _world(x.simulator)
        handler = tweepy.OAuth2AppHandler(app.consumer_key, app.consumer_secret)  # requests.post at module level
        client = tweepy.Client(bearer_token=handler._bearer_token)
        assert client.get_user(username="intercepted").data.username == "intercepted"


def test_a_running_simulator_by_url(base, sim):
    _app, user, session = _world(sim)
    with mock_x(url=base):
        assert session.get("https://api.x.com/2/users/me").json()["data"]["id"] == user.id
    entry = sim.journal(path="/2/users/me")[-1]
    assert entry["host"] == "api.x.com" and entry["status"] == 200


def test_nesting_exceptions_and_restoring():
    original = requests.adapters.HTTPAdapter.send
    outer_sim, inner_sim = Simulator(), Simulator()
    _, _, outer_session = _world(outer_sim)
    _, _, inner_session = _world(inner_sim)
    with mock_x(outer_sim):
        with pytest.raises(RuntimeError), mock_x(inner_sim):
            assert inner_session.get("https://api.x.com/2/users/me").status_code == 200
            assert outer_session.get("https://api.x.com/2/users/me").status_code == 401  # unknown to inner
            raise RuntimeError("boom")
        assert outer_session.get("https://api.x.com/2/users/me").status_code == 200
    assert requests.adapters.HTTPAdapter.send is original


def test_threads_are_routed_too():
    with mock_x() as x:
        _, _, session = _world(x.simulator)
        results: list[int] = []
        thread = threading.Thread(
            target=lambda: results.append(session.get("https://api.x.com/2/users/me").status_code)
        )
        thread.start()
        thread.join()
        assert results == [200]


def test_decorator_sync_and_async():
    sim = Simulator()
    _, _user, session = _world(sim)

    @mock_x(sim)
    def sync_call() -> int:
        return session.get("https://api.x.com/2/users/me").status_code

    @mock_x(sim)
    async def async_call() -> int:
        async with httpx.AsyncClient() as client:
            r = await client.get(
                "https://api.x.com/2/users/by/username/intercepted", headers={"Authorization": "Bearer nope"}
            )
            return r.status_code

    import asyncio

    assert sync_call() == 200
    assert asyncio.run(async_call()) == 401


def test_dropped_connections_become_client_errors():
    with mock_x() as x:
        _, _, session = _world(x.simulator)
        x.simulator.add_fault(path="/2/users/me", action="drop")
        with pytest.raises(requests.ConnectionError):
            session.get("https://api.x.com/2/users/me")
        with pytest.raises(httpx.ConnectError):
            httpx.get("https://api.x.com/2/users/me")

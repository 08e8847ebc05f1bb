"""mock_x(): X's hosts reach the simulator from requests, httpx and aiohttp, with no code change."""

from __future__ import annotations

import inspect
import threading

import httpx
import pytest
import requests
import tweepy
from requests_oauthlib import OAuth1Session

from xmock.simulator import Simulator
from xmock.simulator.interception import MockX, mock_x


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


# the decorator ----------------------------------------------------------------------------


@mock_x()
def _decorated_post(text: str, x) -> tuple:
    client = tweepy.Client(**x.user().tweepy_kwargs)
    post_id = client.create_tweet(text=text).data["id"]
    x.assert_requested("POST", "/2/tweets", json={"text": text}, count=1)
    return x, post_id


def test_the_decorator_hands_each_call_a_fresh_world():
    first, post_id = _decorated_post("one")
    second, _ = _decorated_post("two")
    assert first.simulator is not second.simulator  # an empty world per call
    assert [p.text for p in first.posts()] == ["one"] and first.posts()[0].id == post_id
    assert [p.text for p in second.posts()] == ["two"]
    assert "x" not in inspect.signature(_decorated_post).parameters  # pytest would look for a fixture "x"


def test_the_decorator_names_its_parameter_and_leaves_others_alone():
    @mock_x(arg="world")
    def named(world, y=1):
        return world, y

    handle, y = named(y=2)
    assert isinstance(handle, MockX) and y == 2
    assert mock_x()(lambda: "no handle asked for")() == "no handle asked for"
    with pytest.raises(TypeError, match="arg: expected the name of a parameter"):
        mock_x(arg="not a name")


def test_the_decorator_keeps_a_given_simulator():
    sim = Simulator()

    @mock_x(sim)
    def call(x):
        return x.simulator

    assert call() is sim


async def test_the_decorator_on_a_coroutine():
    @mock_x()
    async def call(x):
        user = x.user(oauth2=True)
        async with httpx.AsyncClient() as client:
            bearer = {"Authorization": f"Bearer {user.bearer}"}
            answer = await client.get("https://api.x.com/2/users/me", headers=bearer)
        return answer.json()["data"]["id"], user.id

    got, expected = await call()
    assert got == expected


def test_one_liner_users_carry_tokens():
    with mock_x() as x:
        first, second = x.user(), x.user(username="second_user")
        assert first.app is second.app is x.app()  # one app for the world, made once
        assert set(first.tweepy_kwargs) == {"consumer_key", "consumer_secret", "access_token", "access_token_secret"}
        assert second.username == "second_user"
        oauth2 = x.user(oauth2=True)
        assert oauth2.oauth2["expires_in"] == 7200 and oauth2.bearer == oauth2.oauth2["access_token"]
        with pytest.raises(AttributeError, match=r"OAuth 2\.0 tokens only"):
            oauth2.tweepy_kwargs  # noqa: B018

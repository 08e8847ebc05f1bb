"""Time travel: the test process's time and sleeps follow the simulator clock, and real clients act on it
(tweepy waits out a 429, requests-oauthlib and authlib refresh an expired token by their own clock)."""

from __future__ import annotations

import asyncio
import random
import threading
import time
from datetime import UTC, datetime, timedelta

import pytest
import tweepy
from authlib.integrations.requests_client import OAuth2Session as AuthlibOAuth2
from requests_oauthlib import OAuth2Session

from xmock.simulator.clock import Clock
from xmock.simulator.control.errors import InvalidInput
from xmock.simulator.time_travel import TimeTravel, XClock, real_time

DAY = 86400
REFRESH = "https://api.x.com/2/oauth2/token"


def test_the_process_feels_the_simulator_clock():
    clock = Clock()
    clock.set(1_700_000_000)  # running, 2023
    real_sleep = time.sleep
    with TimeTravel(clock) as travel:
        assert clock.state().frozen and time.time() == clock.now()
        clock.advance(3600)
        assert time.time() == clock.now() and datetime.now(UTC).timestamp() == pytest.approx(clock.now(), abs=1e-5)
        clock.set(2_000_000_000)
        assert time.time() == 2_000_000_000 and abs(real_time() - 2_000_000_000) > 1000  # the host's own
        time.sleep(900)  # moves both clocks instead of waiting
        assert time.time() == clock.now() == 2_000_000_900
        assert travel.start() is travel  # starting twice is starting once
    assert time.sleep is real_sleep and abs(time.time() - real_time()) < 1
    clock.advance(60)  # no longer followed
    assert clock.now() == 2_000_000_960 and time.time() < 2_000_000_000


def test_other_threads_sleep_for_real_and_bad_sleeps_are_refused_as_usual():
    clock = Clock(frozen_at=1_700_000_000)
    with TimeTravel(clock):
        worker = threading.Thread(target=time.sleep, args=(0.01,))
        worker.start()
        worker.join()
        assert clock.now() == 1_700_000_000
        with pytest.raises(ValueError):
            time.sleep(-1)
        time.sleep(0)
        assert clock.now() == 1_700_000_000


def test_asyncio_sleep_moves_the_clock():
    clock = Clock(frozen_at=1_700_000_000)

    async def wait() -> str:
        return await asyncio.sleep(120, "done")

    with TimeTravel(clock):
        assert asyncio.run(wait()) == "done"
        assert clock.now() == time.time() == 1_700_000_120


def test_x_clock_advances_in_readable_units():
    clock = XClock(Clock(frozen_at=1_700_000_000), TimeTravel(Clock()))
    clock.advance(30, minutes=1, hours=2, days=1)
    assert clock.now() == 1_700_000_000 + 30 + 60 + 7200 + DAY
    with pytest.raises(InvalidInput, match="hours: expected a number"):
        clock.advance(hours="2")
    assert clock.state().frozen  # the Clock's own methods


def test_resuming_the_clock_while_travelling_is_refused():
    clock = Clock()
    travel = TimeTravel(clock)
    x_clock = XClock(clock, travel)
    with x_clock.travel():
        assert x_clock.travelling
        with pytest.raises(InvalidInput, match="stop it before resuming"):
            x_clock.resume()
    assert not x_clock.travelling
    x_clock.resume()
    assert not clock.state().frozen


@pytest.mark.xmock(limits={"users:me": [{"who": "user", "limit": 1, "window": 900}]})
def test_tweepy_waits_out_a_429_in_no_time(x_mock, x_sim, x_clock, x_user):
    x_clock.travel()
    started = x_clock.now()
    client = tweepy.Client(**x_user.tweepy_kwargs, wait_on_rate_limit=True)
    client.get_me(user_auth=True)
    assert client.get_me(user_auth=True).data.id == int(x_user.id)  # slept until the window's reset
    assert 890 <= x_clock.now() - started <= 905
    assert [e["status"] for e in x_sim.journal(path="/2/users/me")] == [200, 429, 200]


def test_requests_oauthlib_refreshes_by_its_own_clock(x_mock, x_sim, x_clock, x_app, x_user_oauth2):
    x_clock.travel()
    saved = []
    session = OAuth2Session(
        x_app.client_id,
        token=dict(x_user_oauth2.oauth2),
        auto_refresh_url=REFRESH,
        auto_refresh_kwargs={"client_id": x_app.client_id, "client_secret": x_app.client_secret},
        token_updater=saved.append,
    )
    assert session.get("https://api.x.com/2/users/me").status_code == 200
    x_clock.advance(hours=2, minutes=1)  # requests-oauthlib rounds its expires_at
    assert session.get("https://api.x.com/2/users/me").json()["data"]["id"] == x_user_oauth2.id
    assert [e["path"] for e in x_sim.journal()] == ["/2/users/me", "/2/oauth2/token", "/2/users/me"]
    assert saved and saved[0]["access_token"] != x_user_oauth2.oauth2["access_token"]


def test_authlib_refreshes_by_its_own_clock(x_mock, x_sim, x_clock, x_app, x_user_oauth2):
    x_clock.travel()
    session = AuthlibOAuth2(
        x_app.client_id,
        x_app.client_secret,
        token=dict(x_user_oauth2.oauth2),
        token_endpoint=REFRESH,
    )
    assert session.get("https://api.x.com/2/users/me").status_code == 200
    x_clock.advance(hours=2, minutes=1)
    assert session.get("https://api.x.com/2/users/me").status_code == 200  # refreshed first, never a 401
    assert [e["status"] for e in x_sim.journal()] == [200, 200, 200]
    assert x_sim.journal()[1]["path"] == "/2/oauth2/token"


class Scheduler:
    """A customer's scheduler: posts what is due by the process's own clock."""

    def __init__(self, client: tweepy.Client) -> None:
        self.client = client
        self.queue: list[tuple[datetime, str]] = []

    def schedule(self, when: datetime, text: str) -> None:
        self.queue.append((when, text))

    def run_due(self) -> int:
        now = datetime.now(UTC)
        due = [item for item in self.queue if item[0] <= now]
        for item in due:
            self.client.create_tweet(text=item[1])
            self.queue.remove(item)
        return len(due)


@pytest.mark.xmock_time_travel
def test_a_scheduled_post_fires_a_day_later(x_mock, x_sim, x_clock, x_user):
    scheduler = Scheduler(tweepy.Client(**x_user.tweepy_kwargs))
    scheduler.schedule(datetime.now(UTC) + timedelta(days=1), "A day later")
    assert scheduler.run_due() == 0
    x_clock.advance(days=1)
    assert scheduler.run_due() == 1
    post = x_sim.store.posts_by_author(x_user.id)[0]
    assert post.text == "A day later" and post.created_at == x_clock.now()


@pytest.mark.xmock(timestamp_check="simulator")
def test_signatures_carry_the_simulator_time_even_years_back(x_mock, x_sim, x_clock, x_user):
    x_clock.freeze(1_600_000_000)  # 2020
    client = tweepy.Client(**x_user.tweepy_kwargs)
    with pytest.raises(tweepy.Unauthorized):
        client.create_tweet(text="signed by the host's clock")
    x_clock.travel()
    assert client.create_tweet(text="signed by the simulator's clock").data["text"] == "signed by the simulator's clock"
    (post,) = x_sim.store.posts_by_author(x_user.id)
    assert post.created_at == 1_600_000_000  # on a Redis store too, whose own clock is the host's


def test_a_server_started_while_travelling_costs_no_simulated_time():
    import aiohttp

    from xmock import Simulator, mock_x

    sim = Simulator()

    async def status() -> int:
        async with aiohttp.ClientSession() as session, session.get("https://api.x.com/2/users/me") as answer:
            return answer.status

    with mock_x(sim), TimeTravel(sim.clock):
        before = sim.clock.now()
        assert asyncio.run(status()) == 401  # aiohttp starts mock_x's socket server, from this thread
        assert sim.clock.now() == before


def test_the_reference_providers_scheduled_post_fires_a_day_later(base, sim):
    from adapter_support import link, make_tenant

    from xmock.adapters import Outcome, load_adapter

    adapter = load_adapter("reference", x_base_url=base)
    try:
        tenant = make_tenant(sim)
        adapter.onboard_tenant(tenant.id, tenant.keys)
        link(adapter, base, tenant, "alice", tenant.users[0])
        with TimeTravel(sim.clock):
            adapter.schedule(tenant.id, "alice", "Tomorrow's special", time.time() + DAY)  # by the process's clock
            assert adapter.run_due() == []
            sim.clock.advance(DAY)
            fired = adapter.run_due()
        assert [r.outcome for r in fired] == [Outcome.OK]
        (post,) = sim.store.posts_by_author(tenant.users[0].id)
        assert post.text == "Tomorrow's special" and post.created_at == sim.clock.now()
    finally:
        adapter.close()


def test_the_process_and_the_clock_agree_to_the_last_digit():
    """time-machine keeps nanoseconds; the clock takes the float the process sees, wherever it lands."""
    clock = Clock()
    rng = random.Random(7)
    clock.set(1_700_000_000 + rng.random())
    with TimeTravel(clock):
        for _ in range(300):
            assert time.time() == clock.now()
            if rng.random() < 0.5:
                clock.advance(rng.random() * 10_000)
            else:
                clock.set(1_600_000_000 + rng.random() * 400_000_000)
        assert time.time() == clock.now()

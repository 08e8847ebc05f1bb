import time

import pytest

from xmock.simulator.clock import LATEST, Clock, iso_utc, legacy_utc, parse_instant
from xmock.simulator.control.errors import InvalidInput
from xmock.simulator.ids import Snowflakes


def test_real_time_by_default():
    clock = Clock()
    assert abs(clock.now() - time.time()) < 1
    assert clock.state().frozen is False


def test_freeze_set_advance_resume():
    clock = Clock()
    clock.freeze(1_000_000.0)
    assert clock.now() == 1_000_000.0
    time.sleep(0.01)
    assert clock.now() == 1_000_000.0
    clock.advance(7200)
    assert clock.now() == 1_007_200.0
    clock.set(5.5)
    assert clock.now() == 5.5
    clock.resume()
    assert not clock.state().frozen
    assert 5.5 <= clock.now() < 6.5


def test_set_and_advance_while_running_keep_running():
    clock = Clock()
    clock.set(1_318_622_958)
    assert abs(clock.now() - 1_318_622_958) < 1
    clock.advance(60)
    assert abs(clock.now() - 1_318_623_018) < 1
    assert not clock.state().frozen
    clock.reset()
    assert abs(clock.now() - time.time()) < 1


def test_formats():
    assert iso_utc(1609958440.0) == "2021-01-06T18:40:40.000Z"
    assert iso_utc(1609958440.1234) == "2021-01-06T18:40:40.123Z"
    assert legacy_utc(1539202764) == "Wed Oct 10 20:19:24 +0000 2018"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (10, 10.0),
        ("10.5", 10.5),
        ("2021-01-06T18:40:40Z", 1609958440.0),
        ("2021-01-06T18:40:40", 1609958440.0),
        ("2021-01-06T19:40:40+01:00", 1609958440.0),
    ],
)
def test_parse_instant(value, expected):
    assert parse_instant(value) == expected


@pytest.mark.parametrize("value", [True, None, "yesterday", [1]])
def test_parse_instant_rejects(value):
    with pytest.raises(ValueError):
        parse_instant(value)


@pytest.mark.parametrize("value", [1e400, float("nan"), 2**63, -1, "Infinity", "1e400", "10000-01-01", "9999-12-31"])
def test_instants_outside_the_clocks_range_are_refused(value):
    with pytest.raises(InvalidInput, match=r"^time: "):
        parse_instant(value)


def test_refused_moves_leave_the_clock_as_it_was():
    clock = Clock(frozen_at=1_700_000_000.0)
    for move in (
        lambda: clock.set(float("inf")),
        lambda: clock.freeze(LATEST + 1),
        lambda: clock.advance(float("nan")),
        lambda: clock.advance(10**400),
        lambda: clock.advance(-1_700_000_001),
        lambda: clock.advance(True),
    ):
        with pytest.raises(InvalidInput):
            move()
        assert clock.now() == 1_700_000_000.0
    clock.set(LATEST)
    assert clock.now() == LATEST and iso_utc(LATEST).startswith("2080-07-10")


def test_the_last_instant_still_gives_ids_that_fit_63_bits():
    clock = Clock(frozen_at=LATEST)
    assert int(Snowflakes(clock, 1023).next_id()) < 2**63


def test_listeners_hear_every_jump_after_it_is_made():
    clock = Clock(frozen_at=100.0)
    heard: list[float] = []
    clock.on_move(lambda: heard.append(clock.now()))
    clock.advance(5)
    clock.set(200)
    clock.freeze(300)
    with pytest.raises(InvalidInput):
        clock.advance(float("nan"))  # a refused move is not a move
    assert heard == [105.0, 200.0, 300.0]

from xmock.simulator.clock import Clock
from xmock.simulator.ids import Randomness, Snowflakes, snowflake_time


def test_snowflakes_carry_the_clock_time():
    clock = Clock(frozen_at=1_700_000_000.0)
    flakes = Snowflakes(clock, worker_id=3)
    first = flakes.next_id()
    assert abs(snowflake_time(first) - 1_700_000_000.0) < 0.001
    assert (int(first) >> 12) & 0x3FF == 3


def test_snowflakes_stay_unique_and_ascending_on_a_frozen_clock():
    flakes = Snowflakes(Clock(frozen_at=1_700_000_000.0))
    ids = [int(flakes.next_id()) for _ in range(10_000)]
    assert ids == sorted(ids)
    assert len(set(ids)) == len(ids)


def test_snowflakes_never_go_backwards_when_the_clock_does():
    clock = Clock(frozen_at=1_700_000_000.0)
    flakes = Snowflakes(clock)
    a = int(flakes.next_id())
    clock.set(1_600_000_000.0)
    assert int(flakes.next_id()) > a


def test_seeded_randomness_repeats():
    assert Randomness(7).token(30) == Randomness(7).token(30)
    assert Randomness(7).token(30) != Randomness(8).token(30)
    assert Randomness(None).token(30) != Randomness(None).token(30)

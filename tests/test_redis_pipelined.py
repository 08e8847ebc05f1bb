"""The request path's own Redis connection (simulator/store/redis_pipelined.py), on a real redis-server."""

from __future__ import annotations

import asyncio

import pytest
import redis
from redis_support import RedisServer

from xmock.simulator.store.redis_pipelined import PipelinedClient


def _client(server: RedisServer, timeout: float = 2.0, db: int = 0) -> PipelinedClient:
    return PipelinedClient({"host": "127.0.0.1", "port": server.port, "db": db}, timeout, timeout)


@pytest.fixture
def own_redis():
    server = RedisServer()
    yield server
    server.stop()


def test_concurrent_commands_each_get_their_own_reply(own_redis: RedisServer):
    async def main() -> list:
        client = _client(own_redis)
        try:
            await client.execute_many(*[("SET", f"k{n}", f"v{n}") for n in range(200)])
            return await asyncio.gather(*(client.execute("GET", f"k{n}") for n in range(200)))
        finally:
            client.close()

    assert asyncio.run(main()) == [f"v{n}" for n in range(200)]


def test_error_replies_raise_what_redis_py_raises_and_the_connection_goes_on(own_redis: RedisServer):
    async def main() -> str:
        client = _client(own_redis)
        try:
            with pytest.raises(redis.exceptions.NoScriptError):
                await client.execute("EVALSHA", "0" * 40, 0)
            with pytest.raises(redis.ResponseError, match="wrong number"):
                await client.execute("GET")
            return await client.execute("PING")
        finally:
            client.close()

    assert asyncio.run(main()) == "PONG"


def test_the_database_in_the_url_is_the_one_used(own_redis: RedisServer):
    async def main() -> None:
        client = _client(own_redis, db=3)
        try:
            await client.execute("SET", "where", "three")
        finally:
            client.close()

    asyncio.run(main())
    assert redis.Redis(port=own_redis.port, db=3).get("where") == b"three"
    assert redis.Redis(port=own_redis.port, db=0).get("where") is None


def test_a_redis_that_stops_answering_times_out_and_the_next_call_connects_again(own_redis: RedisServer):
    async def main() -> str:
        client = _client(own_redis, timeout=0.3)
        try:
            await client.execute("PING")
            own_redis.pause()
            try:
                waiting = [client.execute("GET", "k") for _ in range(3)]
                results = await asyncio.gather(*waiting, return_exceptions=True)
                assert all(isinstance(r, redis.TimeoutError) for r in results), results
            finally:
                own_redis.resume()
            return await client.execute("PING")
        finally:
            client.close()

    assert asyncio.run(main()) == "PONG"


def test_a_redis_that_is_down_is_a_connection_error(own_redis: RedisServer):
    async def main() -> None:
        client = _client(own_redis)
        own_redis.stop()
        with pytest.raises(redis.ConnectionError):
            await client.execute("PING")

    asyncio.run(main())


def test_several_commands_can_answer_their_error_replies_in_place(own_redis: RedisServer):
    async def main() -> list:
        client = _client(own_redis)
        try:
            with pytest.raises(redis.ResponseError, match="wrong number"):
                await client.execute_many(("SET", "a", "1"), ("GET",), ("GET", "a"))
            return await client.execute_many(("SET", "b", "2"), ("GET",), ("GET", "b"), replies_as_errors=True)
        finally:
            client.close()

    ok, failed, value = asyncio.run(main())
    assert (ok, value) == ("OK", "2")
    assert isinstance(failed, redis.ResponseError) and "wrong number" in str(failed)


def test_a_lost_connection_still_raises_when_error_replies_are_answered_in_place(own_redis: RedisServer):
    async def main() -> None:
        client = _client(own_redis, timeout=0.3)
        try:
            await client.execute("PING")
            own_redis.pause()
            try:
                with pytest.raises(redis.TimeoutError):
                    await client.execute_many(("GET", "a"), ("GET", "b"), replies_as_errors=True)
            finally:
                own_redis.resume()
        finally:
            client.close()

    asyncio.run(main())

"""The Redis store's plumbing: connection, key names, scripts and optimistic transactions."""

from __future__ import annotations

import asyncio
import contextvars
import secrets
import threading
import time
from collections.abc import Callable
from typing import Any, TypeVar

import redis
import redis.asyncio

from xmock.simulator.redact import redact_url
from xmock.simulator.store import cluster
from xmock.simulator.store import redis_lua as lua
from xmock.simulator.store.codec import loads
from xmock.simulator.store.redis_pipelined import AsyncRedis, PipelinedClient

T = TypeVar("T")
GRACE_MS = 3_600_000  # expiring keys outlive their simulated expiry by an hour of real time
# A Redis that stops answering (paused, overloaded, a dead host) fails a command after this many
# seconds instead of hanging the request; the store URL's ?socket_timeout= and
# ?socket_connect_timeout= override it.
TIMEOUT = 2.0
# After a timeout, requests are answered 503 at once for this long rather than each waiting out
# the timeout again (store calls block the worker's event loop, health checks included).
BACKOFF = 1.0
_MISSING = object()

# Set while a request runs on the state read at its start (see simulator.shared).
in_request: contextvars.ContextVar[bool] = contextvars.ContextVar("xmock_in_request", default=False)


class RedisPlumbing:
    def __init__(self, url: str, namespace: str = "default", journal_size: int = 10_000) -> None:
        self.url = url
        self.namespace = namespace
        # The braces are a Redis Cluster hash tag: every key of one world hashes to one slot, so its
        # scripts and transactions, which span many keys, run on one node (simulator/store/cluster.py).
        self.prefix = f"xmock:{{{namespace}}}:"
        # No retries: a command that timed out may still run when Redis resumes, and a second copy
        # of a charge or a post must never follow it. (URL query options win over these defaults.)
        self.r: redis.Redis = redis.Redis.from_url(
            url, decode_responses=True, socket_timeout=TIMEOUT, socket_connect_timeout=TIMEOUT, retry=None
        )
        # On a cluster, the URL names any node: the store talks to the master that holds the world's slot.
        self.node_url = url
        node = cluster.slot_owner(self.r, self.prefix)
        if node is not None:
            self.node_url = cluster.node_url(url, *node)
            self.r.close()
            self.r = cluster.client_for(self.r, *node)
        options = self.r.connection_pool.connection_kwargs
        self.timeout: float = options.get("socket_timeout") or 0.0
        if self.timeout <= 0 or (options.get("socket_connect_timeout") or 0) <= 0:
            raise ValueError("socket_timeout and socket_connect_timeout in the store URL must be positive seconds")
        self._down_until = 0.0
        # Posts whose write failed without an answer: it may have happened (or may still, when a
        # paused Redis resumes). Settled at this process's next request; see RedisStore.settle_unsettled.
        self._unsettled: list[Any] = []
        self._unsettled_lock = threading.Lock()
        self._journal_size = journal_size
        self._scripts: dict[str, Any] = {}
        self._loaded: set[str] = set()  # scripts run_together has loaded into Redis
        self._async_clients: dict[int, tuple[asyncio.AbstractEventLoop, PipelinedClient | AsyncRedis]] = {}
        # Records that change only through bump(): kept per process while the generation holds.
        self._cache: dict[tuple[str, str], Any] = {}
        self._cache_generation: str | None = None
        self.control_key = self.k("control")

    def ping(self) -> None:
        """Raise a clear error when Redis is not reachable."""
        try:
            self.r.ping()
        except redis.RedisError as exc:
            raise ConnectionError(f"cannot reach Redis at {redact_url(self.url)}: {exc}") from None

    # a Redis that stops answering ------------------------------------------
    def check_reachable(self) -> None:
        """Fail at once while a recent timeout says Redis is not answering."""
        if self._down_until and time.monotonic() < self._down_until:
            raise redis.ConnectionError("Redis timed out a moment ago; not asked again yet")

    def timed_out(self) -> None:
        self._down_until = time.monotonic() + min(BACKOFF, self.timeout)

    def settle_unsettled(self) -> None:
        """Overridden where writes can be left unsettled."""

    # plumbing ---------------------------------------------------------------
    def k(self, *parts: str) -> str:
        return self.prefix + ":".join(parts)

    # the per-process cache --------------------------------------------------
    def begin_request(self, generation: str | None) -> None:
        """A request starts with the generation it read; a changed one empties the cache."""
        if generation != self._cache_generation:
            self._cache.clear()
            self._cache_generation = generation
        if self._unsettled:
            self.settle_unsettled()

    def cached(self, kind: str, key: str, load: Callable[[], Any], *, negative: bool = False) -> Any:
        """`load()`, remembered within requests until the generation changes. Only what every
        change bumps may be cached when absent (`negative`); new records need no bump."""
        if not in_request.get():
            return load()
        found = self._cache.get((kind, key), _MISSING)
        if found is _MISSING:
            found = load()
            if found is not None or negative:
                self._cache[(kind, key)] = found
        return found

    def bump(self, pipe: redis.client.Pipeline | redis.Redis) -> None:
        """Queue a new generation: every process drops its cache at its next request."""
        pipe.hset(self.control_key, "generation", self.new_generation())

    @staticmethod
    def new_generation() -> str:
        return secrets.token_hex(8)

    def _registered(self, name: str) -> Any:
        script = self._scripts.get(name)
        if script is None:
            script = self._scripts[name] = self.r.register_script(getattr(lua, name))
        return script

    def run(self, name: str, keys: list[str], args: list[Any]) -> Any:
        try:
            return self._registered(name)(keys=keys, args=args)
        except redis.TimeoutError:
            self.timed_out()
            raise

    async def run_async(self, name: str, keys: list[str], args: list[Any]) -> Any:
        """`run`, awaited: the event loop serves other requests while Redis works."""
        client = self._async_client()
        script = self._registered(name)
        try:
            try:
                return await client.execute("EVALSHA", script.sha, len(keys), *keys, *args)
            except redis.exceptions.NoScriptError:  # first use, or a restarted Redis forgot it
                await client.execute("SCRIPT", "LOAD", script.script)
                return await client.execute("EVALSHA", script.sha, len(keys), *keys, *args)
        except redis.TimeoutError:
            self.timed_out()
            raise

    def _async_client(self) -> PipelinedClient | AsyncRedis:
        # Connections belong to one event loop: each loop that serves requests gets its own.
        loop = asyncio.get_running_loop()
        found = self._async_clients.get(id(loop))
        if found is not None and found[0] is loop:
            return found[1]
        for key, (other, stale) in list(self._async_clients.items()):
            if other.is_closed():
                stale.close()
                del self._async_clients[key]
        pool = self.r.connection_pool
        options = pool.connection_kwargs
        client: PipelinedClient | AsyncRedis
        if PipelinedClient.supports(options, pool.connection_class):
            client = PipelinedClient(options, self.timeout, options.get("socket_connect_timeout") or self.timeout)
        else:
            client = AsyncRedis(
                redis.asyncio.Redis.from_url(
                    self.node_url,
                    decode_responses=True,
                    socket_timeout=self.timeout,
                    socket_connect_timeout=options.get("socket_connect_timeout"),
                    retry=None,
                )
            )
        self._async_clients[id(loop)] = (loop, client)
        return client

    def run_together(self, calls: list[tuple[str, list[str], list[Any]]]) -> list[Any]:
        """Several scripts (name, keys, args) in one round trip, each atomic on its own, run in order."""
        for attempt in (1, 2):  # the second after a restarted or flushed Redis forgot the scripts
            pipe = self.r.pipeline(transaction=False)
            for name, keys, args in calls:
                script = self._registered(name)
                if attempt == 2 or name not in self._loaded:  # loaded once: no SCRIPT EXISTS before each batch
                    self.r.script_load(script.script)
                    self._loaded.add(name)
                pipe.evalsha(script.sha, len(keys), *keys, *args)
            try:
                answers = pipe.execute(raise_on_error=False)
            except redis.TimeoutError:
                self.timed_out()
                raise
            if _all_ran(answers, attempt):
                return answers
        raise AssertionError("not reached")

    async def run_together_async(self, calls: list[tuple[str, list[str], list[Any]]]) -> list[Any]:
        """`run_together`, awaited on this event loop's pipelined connection."""
        client = self._async_client()
        for attempt in (1, 2):  # the second after a restarted or flushed Redis forgot the scripts
            scripts = [self._registered(name) for name, _, _ in calls]
            # Loaded once per process, ahead of the calls in the same write (Redis keeps the order): a script this
            # Redis has not seen must not fail while one before it in the batch has already acted.
            loads = [
                ("SCRIPT", "LOAD", script.script)
                for script, (name, _, _) in zip(scripts, calls, strict=True)
                if attempt == 2 or name not in self._loaded
            ]
            pairs = zip(scripts, calls, strict=True)
            evals = [("EVALSHA", script.sha, len(keys), *keys, *args) for script, (_, keys, args) in pairs]
            try:
                answers = (await client.execute_many(*loads, *evals, replies_as_errors=True))[len(loads) :]
            except redis.TimeoutError:
                self.timed_out()
                raise
            self._loaded.update(name for name, _, _ in calls)
            if _all_ran(answers, attempt):
                return answers
        raise AssertionError("not reached")

    def transact(self, watch: list[str], body: Callable[[redis.client.Pipeline], tuple[Any, Any]]) -> Any:
        """Optimistic transaction: `body` reads through the pipe and returns (writes, result),
        where `writes(pipe)` queues the changes (or is None); retried if a watched key changed."""
        with self.r.pipeline() as pipe:
            while True:
                try:
                    pipe.watch(*watch)
                    writes, result = body(pipe)
                    if writes is None:
                        pipe.unwatch()
                        return result
                    pipe.multi()
                    writes(pipe)
                    pipe.execute()
                    return result
                except redis.WatchError:
                    continue

    def _load(self, cls: type[T], text: str | None) -> T | None:
        return None if text is None else loads(cls, text)

    def reset(self) -> None:
        batch: list[str] = []
        # Running processes keep their worker ids, so the counter that hands them out survives; certification
        # runs are not world state (a run resets the world before each scenario).
        keep = {self.k("workers"), self.k("certs"), self.k("certs", "html")}
        for key in self.r.scan_iter(match=self.prefix + "*", count=1000):
            if key in keep:
                continue
            batch.append(key)
            if len(batch) >= 1000:
                self.r.unlink(*batch)
                batch = []
        if batch:
            self.r.unlink(*batch)
        self.bump(self.r)  # a new world: every process forgets what it cached of the old one


def _all_ran(answers: list[Any], attempt: int) -> bool:
    """Whether scripts run together all answered (the first failure raised); False when none ran because
    Redis had forgotten them, on a first attempt: only then are they sent again, as a later one's failure must
    not repeat an earlier one's write."""
    failed = [a for a in answers if isinstance(a, Exception)]
    if attempt == 1 and failed and all(isinstance(a, redis.exceptions.NoScriptError) for a in answers):
        return False
    if failed:
        raise failed[0]
    return True

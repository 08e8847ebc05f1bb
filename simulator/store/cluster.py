"""A world on a Redis Cluster: every key of a namespace carries the same hash tag (`xmock:{ns}:`), so
the whole world lives in one slot, on one master. The store finds that master once, when it opens,
and then talks to it as to a single Redis: the request path's scripts, transactions and streams,
which each span many of the world's keys, run unchanged. Different namespaces hash to different
slots, so a cluster spreads many worlds (parallel test suites, certification runs, tenants' load
tests) over its masters; one world is served by one master.

A slot migrated while a world is served answers MOVED: the store reports it as unreachable (X's
503), and a restart finds the new owner.
"""

from __future__ import annotations

from urllib.parse import urlsplit, urlunsplit

import redis
from redis.crc import key_slot


def slot_owner(client: redis.Redis, prefix: str) -> tuple[str, int] | None:
    """(host, port) of the master holding `prefix`'s slot, or None when `client` is not on a cluster
    (or cannot say yet: an unreachable Redis is reported by the store's own checks, later)."""
    try:
        enabled = str(client.info("cluster").get("cluster_enabled", 0)) == "1"
        if not enabled:
            return None
        slots = client.execute_command("CLUSTER", "SLOTS")
    except (redis.ConnectionError, redis.TimeoutError):
        return None
    except redis.ResponseError:  # INFO or CLUSTER refused (a managed Redis): not a cluster we can route
        return None
    slot = key_slot(prefix.encode())
    default_host = client.connection_pool.connection_kwargs.get("host", "127.0.0.1")
    for start, end, master, *_replicas in slots:
        if int(start) <= slot <= int(end):
            host = master[0].decode() if isinstance(master[0], bytes) else str(master[0])
            return (host or default_host, int(master[1]))
    raise ConnectionError(f"no master of the Redis Cluster holds slot {slot}: is the cluster's state ok?")


def client_for(client: redis.Redis, host: str, port: int) -> redis.Redis:
    """A client like `client` (its timeouts, credentials and TLS) connected to host:port, database 0."""
    pool = client.connection_pool
    options = {**pool.connection_kwargs, "host": host, "port": port, "db": 0}
    return redis.Redis(connection_pool=redis.ConnectionPool(connection_class=pool.connection_class, **options))


def node_url(url: str, host: str, port: int) -> str:
    """`url` pointed at host:port (credentials and query options kept)."""
    parts = urlsplit(url)
    userinfo = parts.netloc.rpartition("@")[0]
    netloc = (userinfo + "@" if userinfo else "") + (f"[{host}]" if ":" in host else host) + f":{port}"
    return urlunsplit((parts.scheme, netloc, "/0", parts.query, parts.fragment))

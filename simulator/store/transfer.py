"""An in-memory store's snapshot restored onto another kind of store (Redis), through the store interface.

The saved tables are read whole into a scratch MemoryStore first (so a bad document is refused before
anything changes), then the target is emptied and written record by record with its own operations, which
keep its indexes and counters right. The event log and the request counters are written last, as saved
(the writes above append events of their own).

Not carried across kinds of store, and said so in the README: rate-limit windows and remembered 429s,
the sliding windows behind policy findings, OAuth 1.0a nonces seen, and webhook consumer-group positions
(a restored world starts them afresh, as after a reset).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from xmock.simulator.relations import OWNED_LISTS
from xmock.simulator.store.memory import MemoryStore
from xmock.simulator.store.memory_events import materialized

if TYPE_CHECKING:
    from xmock.simulator.store.base import Store

NO_CAP = 2**31  # caps were checked when the saved world was made


def copy_world(state: dict[str, Any], target: Store) -> None:
    source = MemoryStore()
    source.load_state(state)  # SnapshotError, and nothing changed, when it cannot be read
    target.reset()
    _copy_records(source, target)
    _copy_accounting(source, target)
    _copy_evidence(source, target)


def _copy_records(s: MemoryStore, t: Store) -> None:
    for account in s._accounts.values():
        t.add_account(account)
    for app in s._apps.values():
        t.add_app(app)
    for user in s._users.values():
        t.add_user(user)
    for token in s._oauth1.values():
        t.add_oauth1_token(token)
    for request_token in s._request_tokens.values():
        t.add_request_token(request_token)
    for code in s._codes.values():
        t.add_auth_code(code)
    bearers = set(s._bearers.values())
    t.add_oauth2_tokens(*(tok for tok in s._oauth2.values() if tok.token not in bearers))
    for app_id, token in s._bearers.items():
        t.app_bearer_token(app_id, s._oauth2[token])
    for media in s._media.values():
        t.put_media(media)
    for poll in s._polls.values():
        t.put_poll(poll)
    for place in s._places.values():
        t.put_place(place)
    for post in sorted(s._posts.values(), key=lambda p: int(p.id)):
        t.create_post(post, None)
        if post.deleted:
            t.delete_post(post.id, post.created_at)
    for post_id, n in s._impressions.items():
        t.count_impressions([post_id] * n)
    for lst in s._lists.values():
        t.add_list(lst, NO_CAP)
    for folder in s._folders.values():
        t.add_bookmark_folder(folder)
    for event in sorted(s._dm_events.values(), key=lambda e: int(e.id)):
        t.add_dm_event(event)
    for (kind, src), edges in s._edges_out.items():  # after the records that make edges of their own
        for dst, at in edges.items():
            if kind != OWNED_LISTS or dst not in s._lists:
                t.set_edge(kind, src, dst, True, at)
    for table, records in s._records.items():
        for record_id, record in records.items():
            t.put_record(table, record_id, record)
    for app_id, rules in s._stream_rules.items():
        t.add_stream_rules(app_id, list(rules.values()), NO_CAP)
    for conn in s._stream_conns.values():
        t.open_stream_connection({**conn, "disconnected_at": None, "disconnect_reason": None}, NO_CAP)
        if conn["disconnected_at"] is not None:
            t.close_stream_connection(conn["id"], conn["disconnected_at"], conn["disconnect_reason"])
    for app_id, links in s._stream_links.items():
        for webhook_id, link in links.items():
            t.set_stream_link(app_id, webhook_id, link)


def _copy_accounting(s: MemoryStore, t: Store) -> None:
    for app_id, config in s._app_limits.items():
        t.set_app_limits(app_id, config)
    days = {(app_id, key): day for (app_id, day), keys in s._charged.items() for key in keys}
    for entry, app_id, delta, _balance, resource_ids in s._ledger:
        if resource_ids:  # a charge per resource: the target remembers what was paid for that day
            day = days.get((app_id, resource_ids[0]), "")
            items = [(key, -delta if i == 0 else delta * 0) for i, key in enumerate(resource_ids)]
            t.charge_resources(app_id, day, items, entry)
        else:
            t.adjust_credits(app_id, delta, entry)
    for finding in s._findings:
        keys = [k for k, f in s._finding_keys.items() if f is finding]
        base = {k: v for k, v in finding.items() if k not in ("occurrences", "last_seen")}
        t.add_finding(base, keys[0] if keys else None)
        for _ in range(finding["occurrences"] - 1):
            t.add_finding({**base, "time": finding["last_seen"]}, keys[0] if keys else None)
    for rule in s._faults.values():
        t.add_fault(rule)


def _copy_evidence(s: MemoryStore, t: Store) -> None:
    for entry in s._journal:
        t.append_journal(entry)
    for delivery in s._deliveries:
        t.append_delivery(delivery)
    # Written as saved, replacing what the writes above appended or counted (Redis keys: see redis_store).
    r, k = t.r, t.k  # type: ignore[attr-defined]
    pipe = r.pipeline(transaction=True)
    pipe.delete(k("events"), k("counts"))
    for _seq, event in s._events:
        pipe.xadd(k("events"), {"e": _event_json(materialized(event))})
    if s._counts:
        pipe.hset(k("counts"), mapping={f"{app}|{status}": n for (app, status), n in s._counts.items()})
    if s._worker_counts:
        pipe.hset(k("counts", "workers"), mapping=dict(s._worker_counts))
    t.bump(pipe)  # type: ignore[attr-defined]
    pipe.execute()


def _event_json(event: dict[str, Any]) -> str:
    from xmock.simulator.store.redis_events import event_json

    return event_json(event)

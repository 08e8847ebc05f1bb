"""The Redis store's accounting: rate-limit windows, credits and ledger, counters, findings and
their sliding windows, fault rules."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import orjson

from xmock.simulator import admission as ad
from xmock.simulator.money import from_units, money_str, to_units
from xmock.simulator.store.redis_base import GRACE_MS, RedisPlumbing

CHARGED_DAY_MS = 7 * 86_400_000  # a day's charged resources are kept a week of real time


def _json(value: Any) -> str:
    return json.dumps(value, separators=(",", ":"))


def _admitted(out: list[Any]) -> ad.Admitted:
    refused = out[0] or None
    if refused == ad.STALE:
        return ad.Admitted(refused, [], control=tuple(out[1:]))
    states = [(int(out[i]), float(out[i + 1])) for i in range(2, len(out), 2)]
    return ad.Admitted(refused, states, from_units(int(out[1])))


def _tracked(flat: list, prefix_fields: int) -> list[tuple[float, Any]]:
    """A tracking script's answer: (time, item) from its members ("seq|...|item") and scores."""
    return [
        (float(flat[i + 1]), json.loads(flat[i].split("|", prefix_fields)[prefix_fields]))
        for i in range(0, len(flat), 2)
    ]


def _glob(text: str) -> str:
    """`text` matched literally in a SCAN pattern."""
    return "".join("\\" + c if c in "*?[]\\" else c for c in text)


class RedisAccounting(RedisPlumbing):
    """Part of RedisStore."""

    # rate limits -------------------------------------------------------------
    def rate_hit(self, buckets: list[tuple[str, int, int]], now: float) -> tuple[bool, list[tuple[int, float]]]:
        keys = [self.k("win", key) for key, _, _ in buckets]
        args: list[Any] = [repr(now)]
        for _, limit, window in buckets:
            args += [limit, window]
        out = self.run("RATE_HIT", keys, args)
        counts = [(int(out[i]), float(out[i + 1])) for i in range(1, len(out), 2)]
        return bool(out[0]), counts

    # one request's books, in one step (simulator/admission.py) -------------------
    def admit(self, a: ad.Admission) -> ad.Admitted:
        return _admitted(self.run("ADMIT", *self._admission(a)))

    async def admit_async(self, a: ad.Admission) -> ad.Admitted:
        """`admit`, awaited: the worker answers other requests while Redis runs this one's books."""
        return _admitted(await self.run_async("ADMIT", *self._admission(a)))

    def _admission(self, a: ad.Admission) -> tuple[list[str], list[Any]]:
        keys = [
            self.control_key,
            self.k("nonce", self.nonce_name(a.nonce) if a.nonce is not None else "-"),
            self.k("balances"),
            self.k("ledger"),
            self.k("charged", a.app_id or "-", a.day or "-"),
            self.k("journal"),
            self.k("counts"),
            self.k("counts", "workers"),
        ]
        keys += [self.k("win", key) for key, _, _ in a.buckets]
        control = a.control
        args: list[Any] = ["1", *control] if control is not None else ["", "", "", "", ""]
        args.append(repr(a.now))
        if a.nonce is not None:
            args += ["1", repr(a.nonce_expires), max(int((a.nonce_expires - a.now) * 1000), 1) + GRACE_MS]
        else:
            args += ["", "", ""]
        # The ledger entry, only for what writes one (a reserve, or a read that returned resources).
        entry = a.entry if a.entry is not None and (a.credits == ad.RESERVE or a.items) else None
        head = orjson.dumps({**entry, "app_id": a.app_id})[:-1] if entry is not None else ""
        amount = a.amount
        taken = money_str(-amount) if amount else ""
        args += [a.credits, a.app_id or "", to_units(amount) if amount else 0, head, taken]
        if a.journal is not None:
            args.append(self.journal_text(a.journal))
            args.append(f"{a.journal['app_id'] or '-'}|{a.journal['status']}" if a.count else "")
        else:
            args += ["", ""]
        worker = a.journal.get("worker", "-") if a.journal is not None else "-"
        args += [self._journal_size, CHARGED_DAY_MS, len(a.buckets), str(worker)]
        for _, limit, window in a.buckets:
            args += [limit, window]
        for key, price in dict(a.items).items():
            args += [key, to_units(price)]
        return keys, args

    def rate_windows(self, app_id: str) -> list[tuple[str, float, int]]:
        head = self.k("win", "")
        names = list(self.r.scan_iter(match=f"{_glob(head)}*|*|{_glob(app_id)}|*", count=1000))
        if not names:
            return []
        pipe = self.r.pipeline(transaction=False)
        for name in names:
            pipe.hmget(name, "s", "u")
        out = []
        for name, (start, used) in zip(names, pipe.execute(), strict=True):
            if start is not None and used is not None:  # expired between the scan and the read
                out.append((name[len(head) :], float(start), int(used)))
        return out

    def note_limited(self, key: str, until: float, now: float) -> bool:
        keep_ms = max(int((until - now) * 1000), 1) + GRACE_MS
        return bool(self.run("NOTE_LIMITED", [self.k("limited", key)], [repr(until), repr(now), keep_ms]))

    def get_app_limits(self, app_id: str) -> dict[str, Any] | None:
        def load() -> dict[str, Any] | None:
            raw = self.r.hget(self.k("applimits"), app_id)
            return None if raw is None else json.loads(raw)

        return self.cached("limits", app_id, load, negative=True)

    def set_app_limits(self, app_id: str, config: dict[str, Any] | None) -> None:
        pipe = self.r.pipeline(transaction=True)
        if config is None:
            pipe.hdel(self.k("applimits"), app_id)
        else:
            pipe.hset(self.k("applimits"), app_id, _json(config))
        self.bump(pipe)
        pipe.execute()

    # credits -------------------------------------------------------------------
    def credit_balance(self, app_id: str) -> Decimal:
        return from_units(int(self.r.hget(self.k("balances"), app_id) or 0))

    def adjust_credits(
        self, app_id: str, delta: Decimal, entry: dict[str, Any], floor: Decimal | None = None
    ) -> Decimal | None:
        head = _json({**entry, "app_id": app_id})[:-1]
        args = [app_id, to_units(delta), "" if floor is None else to_units(floor), head, money_str(delta)]
        balance = self.run("ADJUST_CREDITS", [self.k("balances"), self.k("ledger")], args)
        return None if balance is None else from_units(int(balance))

    def charge_resources(
        self, app_id: str, day: str, items: list[tuple[str, Decimal]], entry: dict[str, Any]
    ) -> tuple[Decimal, Decimal]:
        args: list[Any] = [app_id, _json({**entry, "app_id": app_id})[:-1], CHARGED_DAY_MS]
        for key, price in dict(items).items():
            args += [key, to_units(price)]
        keys = [self.k("balances"), self.k("ledger"), self.k("charged", app_id, day)]
        total, balance = self.run("CHARGE_RESOURCES", keys, args)
        return from_units(int(total)), from_units(int(balance))

    def ledger(self) -> list[dict[str, Any]]:
        return [json.loads(e) for e in self.r.lrange(self.k("ledger"), 0, -1)]

    # findings and sliding windows -------------------------------------------------
    def _finding_keys(self) -> list[str]:
        return [self.k("findings"), self.k("findings", "dedupe"), self.k("findings", "n"), self.k("findings", "last")]

    def add_finding(self, finding: dict[str, Any], dedupe: str | None) -> dict[str, Any]:
        seen = _json(finding["time"])
        text, n = self.run("ADD_FINDING", self._finding_keys(), [_json(finding), dedupe or "", seen])
        return {**json.loads(text), "occurrences": int(n), "last_seen": finding["time"]}

    def findings(self) -> list[dict[str, Any]]:
        pipe = self.r.pipeline(transaction=True)  # one consistent picture
        key, _, count_key, last_key = self._finding_keys()
        pipe.lrange(key, 0, -1)
        pipe.hgetall(count_key)
        pipe.hgetall(last_key)
        records, counts, last = pipe.execute()
        return [
            {**json.loads(text), "occurrences": int(counts.get(str(i), 1)), "last_seen": json.loads(last[str(i)])}
            if str(i) in last
            else {**json.loads(text), "occurrences": 1}
            for i, text in enumerate(records)
        ]

    def track(self, key: str, item: Any, now: float, window: float, keep: int = 1000) -> list[tuple[float, Any]]:
        return _tracked(self.run(*self._track_call(key, item, now, window, keep)), 1)

    def _track_call(
        self, key: str, item: Any, now: float, window: float, keep: int, guard: str | None = None
    ) -> tuple[str, list, list]:
        args = [repr(now), repr(now - window), keep, _json(item), int(window * 1000) + GRACE_MS]
        return "TRACK", self._guarded([self.k("log", key), self.k("log", "seq")], args, guard), args

    def _guarded(self, keys: list[str], args: list[Any], guard: str | None) -> list[str]:
        """With `guard`, a post id: the log is kept only if that post exists (see TRACK)."""
        if guard is not None:
            keys.append(self.k("posts"))
            args.append(guard)
        return keys

    def track_text(
        self, key: str, digest: str, item: Any, now: float, window: float, keep: int = 1000
    ) -> list[tuple[float, Any]]:
        return self.track(f"{key}|{digest}", item, now, window, keep)  # one sorted set per text, expiring

    def track_others(
        self, key: str, author: str, item: Any, now: float, window: float, keep: int = 1000
    ) -> list[tuple[float, Any]]:
        return _tracked(self.run(*self._others_call(key, author, item, now, window, keep)), 2)

    def _others_call(
        self, key: str, author: str, item: Any, now: float, window: float, keep: int, guard: str | None = None
    ) -> tuple[str, list, list]:
        args = [repr(now), repr(now - window), keep, author, _json(item), int(window * 1000) + GRACE_MS]
        keys = [self.k("log", key), self.k("log", "seq"), self.k("logauthors", key)]
        return "TRACK_OTHERS", self._guarded(keys, args, guard), args

    def _track_post_calls(self, track: tuple, guard: str | None = None) -> list[tuple[str, list, list]]:
        (key, digest, item), others, now, window, keep = track
        return [
            self._track_call(f"{key}|{digest}", item, now, window, keep, guard),
            self._others_call(*others, now, window, keep, guard),
        ]

    @staticmethod
    def _post_tracked(same: list[Any], rest: list[Any]) -> tuple[list[tuple[float, Any]], list[tuple[float, Any]]]:
        return _tracked(same, 1), _tracked(rest, 2)

    def track_post(
        self, text: tuple[str, str, Any], others: tuple[str, str, Any], now: float, window: float, keep: int
    ) -> tuple[list[tuple[float, Any]], list[tuple[float, Any]]]:
        return self._post_tracked(*self.run_together(self._track_post_calls((text, others, now, window, keep))))

    # counters --------------------------------------------------------------------
    def worker_counts(self) -> dict[str, int]:
        return {worker: int(n) for worker, n in self.r.hgetall(self.k("counts", "workers")).items()}

    def request_counts(self) -> dict[str, dict[str, int]]:
        out: dict[str, dict[str, int]] = {}
        for field, n in self.r.hgetall(self.k("counts")).items():
            app_id, status = field.rsplit("|", 1)
            out.setdefault(app_id, {})[status] = int(n)
        return out

    # faults ----------------------------------------------------------------------
    def _fault_keys(self) -> list[str]:
        return [self.k("faults"), self.k("faults", "left"), self.k("faults", "applied"), self.k("faults", "order")]

    def add_fault(self, rule: dict[str, Any]) -> None:
        rules, left, applied, order = self._fault_keys()
        pipe = self.r.pipeline(transaction=True)
        pipe.hset(rules, rule["id"], _json({k: v for k, v in rule.items() if k not in ("count", "applied")}))
        if rule.get("count") is not None:
            pipe.hset(left, rule["id"], int(rule["count"]))
        pipe.hset(applied, rule["id"], int(rule.get("applied", 0)))
        pipe.lrem(order, 0, rule["id"])
        pipe.rpush(order, rule["id"])
        self.bump(pipe)
        pipe.execute()

    def list_faults(self) -> list[dict[str, Any]]:
        return [dict(rule) for rule in self.cached("faults", "", self._load_faults, negative=True)]

    def _load_faults(self) -> list[dict[str, Any]]:
        rules, left, applied, order = self._fault_keys()
        pipe = self.r.pipeline(transaction=True)
        pipe.lrange(order, 0, -1)
        pipe.hgetall(rules)
        pipe.hgetall(left)
        pipe.hgetall(applied)
        ids, texts, counts, uses = pipe.execute()
        out = []
        for fault_id in ids:
            if fault_id not in texts:
                continue
            rule = json.loads(texts[fault_id])
            rule["count"] = int(counts[fault_id]) if fault_id in counts else None
            rule["applied"] = int(uses.get(fault_id, 0))
            out.append(rule)
        return out

    def remove_fault(self, fault_id: str) -> bool:
        keys = [*self._fault_keys(), self.control_key]
        return bool(self.run("REMOVE_FAULT", keys, [fault_id, self.new_generation()]))

    def take_fault(self, fault_id: str) -> bool:
        keys = [*self._fault_keys(), self.control_key]
        return bool(self.run("TAKE_FAULT", keys, [fault_id, self.new_generation()]))

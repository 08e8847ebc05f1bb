"""The in-memory store's accounting tables: rate-limit windows, credits and ledger, counters,
findings and their sliding windows, fault rules."""

from __future__ import annotations

import threading
from collections import deque
from decimal import Decimal
from typing import Any

from xmock.simulator import admission as ad
from xmock.simulator.money import money_str

_ZERO = Decimal(0)


def _app_of(window_key: str) -> str | None:
    """The app a rate-limit window counts for: `<class>|<who>|<app>|...` (simulator/limits.py)."""
    parts = window_key.split("|", 3)
    return parts[2] if len(parts) > 3 else None


class AccountingTables:
    """Part of MemoryStore; the tables themselves are created by `MemoryStore.reset`."""

    _lock: threading.RLock
    _windows: dict[str, tuple[float, int]]
    _limited: dict[str, float]
    _app_limits: dict[str, dict[str, Any]]
    _balances: dict[str, Decimal]
    _charged: dict[tuple[str, str], set[str]]
    _ledger: list[tuple[dict[str, Any], str, Decimal, Decimal, list[str] | None]]
    _findings: list[dict[str, Any]]
    _finding_keys: dict[str, dict[str, Any]]
    _logs: dict[str, deque[tuple[float, Any]]]
    _logs_swept_at: int
    _logs_longest: float
    _log_authors: dict[str, dict[str, int]]
    _texts: dict[str, dict[str, tuple[tuple[float, Any], ...]]]
    _texts_swept_at: dict[str, int]
    _faults: dict[str, dict[str, Any]]
    _counts: dict[tuple[str, int], int]
    _worker_counts: dict[str, int]

    # rate limits -------------------------------------------------------------
    def rate_hit(self, buckets: list[tuple[str, int, int]], now: float) -> tuple[bool, list[tuple[int, float]]]:
        with self._lock:
            windows = self._windows
            states = []
            allowed = True
            for key, limit, window in buckets:
                state = windows.get(key)
                if state is None or now >= state[0] + window:
                    state = (now, 0)
                if state[1] >= limit:
                    allowed = False
                states.append(state)
            if not allowed:
                return False, [(used, start) for start, used in states]
            out = []
            for (key, _, _), (start, used) in zip(buckets, states, strict=True):
                windows[key] = (start, used + 1)
                out.append((used + 1, start))
            return True, out

    # one request's books, in one step (simulator/admission.py) -------------------
    def admit(self, a: ad.Admission) -> ad.Admitted:
        with self._lock:
            if a.nonce is not None and not self.consume_nonce(a.nonce, a.nonce_expires, a.now):
                return ad.Admitted(ad.NONCE, [])
            states: list[tuple[int, float]] = []
            if a.buckets:
                allowed, states = self.rate_hit(a.buckets, a.now)
                if not allowed:
                    return ad.Admitted(ad.LIMITED, states)
            app_id, mode = a.app_id, a.credits
            if mode and app_id is not None:
                balance = self._balances.get(app_id, _ZERO)
                if mode == ad.POSITIVE:
                    refused = balance <= _ZERO
                elif mode == ad.AFFORD:
                    refused = balance - a.amount < _ZERO
                else:  # RESERVE
                    refused = self.adjust_credits(app_id, -a.amount, a.entry or {}, floor=_ZERO) is None
                if refused:
                    return ad.Admitted(ad.CREDITS, states)
            charged = _ZERO
            if a.items and app_id is not None:
                charged, _ = self.charge_resources(app_id, a.day, a.items, a.entry or {})
            if a.journal is not None:
                if charged:  # journalled only when this read cost something
                    a.journal["charged"] = money_str(charged)
                self.append_journal(a.journal, a.count)
            return ad.Admitted(None, states, charged)

    def rate_windows(self, app_id: str) -> list[tuple[str, float, int]]:
        with self._lock:
            return [(key, start, used) for key, (start, used) in self._windows.items() if _app_of(key) == app_id]

    def note_limited(self, key: str, until: float, now: float) -> bool:
        with self._lock:
            current = self._limited.get(key)
            if current is not None and now < current:
                return False
            self._limited[key] = until
            return True

    def get_app_limits(self, app_id: str) -> dict[str, Any] | None:
        return self._app_limits.get(app_id)

    def set_app_limits(self, app_id: str, config: dict[str, Any] | None) -> None:
        with self._lock:
            if config is None:
                self._app_limits.pop(app_id, None)
            else:
                self._app_limits[app_id] = config

    # credits -------------------------------------------------------------------
    def credit_balance(self, app_id: str) -> Decimal:
        return self._balances.get(app_id, _ZERO)

    def adjust_credits(
        self, app_id: str, delta: Decimal, entry: dict[str, Any], floor: Decimal | None = None
    ) -> Decimal | None:
        with self._lock:
            balance = self._balances.get(app_id, _ZERO) + delta
            if floor is not None and balance < floor:
                return None
            self._balances[app_id] = balance
            self._ledger.append((entry, app_id, delta, balance, None))
            return balance

    def charge_resources(
        self, app_id: str, day: str, items: list[tuple[str, Decimal]], entry: dict[str, Any]
    ) -> tuple[Decimal, Decimal]:
        with self._lock:
            seen = self._charged.setdefault((app_id, day), set())
            if len(items) == 1 and items[0][0] in seen:  # a read of one resource already paid for today
                return _ZERO, self._balances.get(app_id, _ZERO)
            fresh = [(key, price) for key, price in dict(items).items() if key not in seen]
            total = sum((price for _, price in fresh), _ZERO)
            balance = self._balances.get(app_id, _ZERO)
            if fresh:
                seen.update(key for key, _ in fresh)
                balance -= total
                self._balances[app_id] = balance
                self._ledger.append((entry, app_id, -total, balance, [key for key, _ in fresh]))
            return total, balance

    def ledger(self) -> list[dict[str, Any]]:
        with self._lock:
            rows = list(self._ledger)
        # Kept raw and written out when read: a charge on every request stays cheap.
        out = []
        for entry, app_id, delta, balance, resource_ids in rows:
            row = {**entry, "app_id": app_id, "amount": money_str(delta), "balance": money_str(balance)}
            if resource_ids is not None:
                row["resource_ids"] = resource_ids
            out.append(row)
        return out

    # findings and sliding windows -------------------------------------------------
    def add_finding(self, finding: dict[str, Any], dedupe: str | None) -> dict[str, Any]:
        with self._lock:
            if dedupe is not None and dedupe in self._finding_keys:
                known = self._finding_keys[dedupe]
                known["occurrences"] += 1
                known["last_seen"] = finding["time"]
                return dict(known)
            record = {**finding, "occurrences": 1, "last_seen": finding["time"]}
            self._findings.append(record)
            if dedupe is not None:
                self._finding_keys[dedupe] = record
            return dict(record)

    def findings(self) -> list[dict[str, Any]]:
        with self._lock:
            return [dict(f) for f in self._findings]

    def track(self, key: str, item: Any, now: float, window: float, keep: int = 1000) -> list[tuple[float, Any]]:
        with self._lock:
            log = self._logs.get(key)
            if log is None:
                if len(self._logs) >= self._logs_swept_at * 2:
                    self._sweep_logs(now)
                log = self._logs[key] = deque(maxlen=keep)
            log.append((now, item))
            if window > self._logs_longest:
                self._logs_longest = window
            while log and log[0][0] <= now - window:
                log.popleft()
            return list(log)

    def track_post(
        self, text: tuple[str, str, Any], others: tuple[str, str, Any], now: float, window: float, keep: int
    ) -> tuple[list[tuple[float, Any]], list[tuple[float, Any]]]:
        with self._lock:
            return self._text_logged(*text, now, window, keep), self._others_logged(*others, now, window, keep)

    def track_others(
        self, key: str, author: str, item: Any, now: float, window: float, keep: int = 1000
    ) -> list[tuple[float, Any]]:
        with self._lock:
            return self._others_logged(key, author, item, now, window, keep)

    def _others_logged(
        self, key: str, author: str, item: Any, now: float, window: float, keep: int
    ) -> list[tuple[float, Any]]:
        log = self._logs.get(key)
        if log is None:
            if len(self._logs) >= self._logs_swept_at * 2:
                self._sweep_logs(now)
            log = self._logs[key] = deque(maxlen=keep)
        # How many of the log's items each author holds, so the usual answer (nobody else) is known at once.
        authors = self._log_authors.setdefault(key, {})
        if len(log) == log.maxlen:
            _forget(authors, log[0][1][0])
        log.append((now, (author, item)))
        authors[author] = authors.get(author, 0) + 1
        if window > self._logs_longest:
            self._logs_longest = window
        horizon = now - window
        while log[0][0] <= horizon:
            _forget(authors, log.popleft()[1][0])
        if len(authors) == 1:
            return []
        return [(at, entry[1]) for at, entry in log if entry[0] != author]

    def track_text(
        self, key: str, digest: str, item: Any, now: float, window: float, keep: int = 1000
    ) -> list[tuple[float, Any]]:
        with self._lock:
            return self._text_logged(key, digest, item, now, window, keep)

    def _text_logged(
        self, key: str, digest: str, item: Any, now: float, window: float, keep: int
    ) -> list[tuple[float, Any]]:
        texts = self._texts.get(key)
        if texts is None:
            texts = self._texts[key] = {}
        horizon = now - window
        seen = texts.get(digest)
        if seen is None:  # the usual post: a text not seen in the window; one small tuple, no log
            if len(texts) >= self._texts_swept_at.get(key, 1024) * 2:
                # Forget texts last seen before the window, each time their number doubles.
                for old in [d for d, entries in texts.items() if entries[-1][0] <= horizon]:
                    del texts[old]
                self._texts_swept_at[key] = max(len(texts), 1024)
            texts[digest] = kept = ((now, item),)
            return [kept[0]]
        kept = (*(entry for entry in seen if entry[0] > horizon), (now, item))[-keep:]
        texts[digest] = kept
        return list(kept)

    def _sweep_logs(self, now: float) -> None:
        """Forget logs whose newest item is older than the longest window any log uses: one log
        per distinct text would otherwise stay for the life of the process. Runs each time the
        number of logs doubles, so it costs a constant share of the calls."""
        horizon = now - self._logs_longest
        self._logs = {key: log for key, log in self._logs.items() if log and log[-1][0] > horizon}
        self._log_authors = {key: n for key, n in self._log_authors.items() if key in self._logs}
        self._logs_swept_at = max(len(self._logs), 1024)

    # counters --------------------------------------------------------------------
    def worker_counts(self) -> dict[str, int]:
        with self._lock:
            return dict(self._worker_counts)

    def request_counts(self) -> dict[str, dict[str, int]]:
        with self._lock:
            out: dict[str, dict[str, int]] = {}
            for (app_id, status), n in self._counts.items():
                out.setdefault(app_id, {})[str(status)] = n
            return out

    # faults ----------------------------------------------------------------------
    def add_fault(self, rule: dict[str, Any]) -> None:
        with self._lock:
            self._faults[rule["id"]] = dict(rule)

    def list_faults(self) -> list[dict[str, Any]]:
        if not self._faults:  # asked twice on every request, and usually there are none
            return []
        with self._lock:
            return [dict(r) for r in self._faults.values()]

    def remove_fault(self, fault_id: str) -> bool:
        with self._lock:
            return self._faults.pop(fault_id, None) is not None

    def take_fault(self, fault_id: str) -> bool:
        with self._lock:
            rule = self._faults.get(fault_id)
            if rule is None:
                return False
            if rule.get("count") is not None:
                if rule["count"] <= 0:
                    return False
                rule["count"] -= 1
            rule["applied"] = rule.get("applied", 0) + 1
            return True


def _forget(authors: dict[str, int], author: str) -> None:
    left = authors[author] - 1
    if left:
        authors[author] = left
    else:
        del authors[author]

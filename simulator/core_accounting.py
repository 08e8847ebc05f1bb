"""The simulator's control operations on accounting and evidence: credits, rate limits, faults,
the journal."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from xmock.simulator import billing, faults, filters, journal_body, path_match
from xmock.simulator.control.errors import MAX_AMOUNT, ControlError, InvalidInput, check_bool, money_amount
from xmock.simulator.limits import check_limit_table
from xmock.simulator.models import App

if TYPE_CHECKING:
    from xmock.simulator.ids import Randomness
    from xmock.simulator.store import Store


class AccountingOperations:
    """Part of Simulator."""

    store: Store
    random: Randomness

    if TYPE_CHECKING:

        def app(self, app_id: str) -> App: ...

    # credits, limits, faults -----------------------------------------------------
    def balance(self, app_id: str) -> Decimal:
        return self.store.credit_balance(self.app(app_id).id)

    def top_up(self, app_id: str, amount: Decimal | str | float) -> Decimal:
        """Buy credits for an app (at least `minimum_purchase`)."""
        checked = money_amount(amount)
        app = self.app(app_id)
        if self.store.credit_balance(app.id) + checked > MAX_AMOUNT:
            raise InvalidInput(f"an amount: a balance stays at most {MAX_AMOUNT} US dollars")
        try:
            return billing.top_up(self, app.id, checked)
        except ValueError as exc:
            raise ControlError(400, str(exc)) from exc

    def set_credits(self, app_id: str, amount: Decimal | str | float) -> Decimal:
        """Set an app's balance outright, for tests."""
        checked = money_amount(amount)
        return billing.set_balance(self, self.app(app_id).id, checked)

    def ledger(self, app: str | App | None = None) -> list[dict[str, Any]]:
        """Ledger entries, oldest first; `app` (an id or an App) keeps one app's."""
        app_id = filters.resolve("app", app)
        return [e for e in self.store.ledger() if app_id is None or e["app_id"] == app_id]

    def set_app_limits(
        self,
        app_id: str,
        *,
        enabled: bool | None = None,
        limits: dict[str, list[dict[str, Any]]] | None = None,
    ) -> dict[str, Any] | None:
        """Turn rate limits off for one app, or override some of its limits; no arguments restore defaults."""
        app = self.app(app_id)
        if enabled is None and limits is None:
            self.store.set_app_limits(app.id, None)
            return None
        if enabled is not None:
            check_bool("enabled", enabled)
        checked = check_limit_table("limits", {} if limits is None else limits)
        config = {"enabled": True if enabled is None else enabled, "limits": checked}
        self.store.set_app_limits(app.id, config)
        return config

    def add_fault(self, **rule: Any) -> dict[str, Any]:
        checked = faults.validate(rule)
        checked["id"] = self.random.hex(8)
        self.store.add_fault(checked)
        return checked

    def remove_fault(self, fault_id: str) -> bool:
        return self.store.remove_fault(fault_id)

    def clear_faults(self) -> None:
        for rule in self.store.list_faults():
            self.store.remove_fault(rule["id"])

    # evidence ------------------------------------------------------------------
    def journal(
        self,
        *,
        app: Any = None,
        user: Any = None,
        path: str | None = None,
        status: int | None = None,
        method: str | None = None,
        endpoint: str | None = None,
        limit: int | None = None,
    ) -> list[dict[str, Any]]:
        """Journal entries, oldest first, filtered. `path` follows path_match: exact, `*` wildcards and
        X's templates (`/2/users/:id/tweets`); `app` and `user` take ids or the objects (App, User)."""
        app_id = filters.resolve("app", app)
        user_id = filters.resolve("user", user)
        if path is not None:
            path_match.check(path)
        wanted_method = method.upper() if method is not None else None
        out = []
        for entry in self.store.journal():
            if app_id is not None and entry.get("app_id") != app_id:
                continue
            if user_id is not None and entry.get("user_id") != user_id:
                continue
            if path is not None and not path_match.matches(path, entry["path"]):
                continue
            if status is not None and entry["status"] != int(status):
                continue
            if wanted_method is not None and entry["method"] != wanted_method:
                continue
            if endpoint is not None and entry.get("endpoint") != endpoint:
                continue
            out.append(entry)
        out = out[-limit:] if limit else out
        return [journal_body.readable(entry) for entry in out]

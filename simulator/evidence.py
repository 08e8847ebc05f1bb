"""Assertions on what the code under test sent X, shared by the pytest plugin's `x_sim` and `mock_x()`'s handle.

Paths follow path_match (exact, `*`, X's templates: `/2/users/:id/tweets`); `app=` and `user=` take ids
or the fixture objects (`x_app`, `x_user`). A failed assertion shows ids, paths, statuses and redacted
bodies, never a secret.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from xmock.simulator import filters, journal_body, path_match

if TYPE_CHECKING:
    from xmock.simulator.core import Simulator
    from xmock.simulator.models import Post

_ANY = object()
_SHOWN = 20  # journal entries a failure message lists


class Evidence:
    """Mixed into a class whose `simulator` is an in-process `Simulator`."""

    simulator: Simulator | None

    def _sim(self) -> Simulator:
        if self.simulator is None:
            raise RuntimeError("this needs an in-process simulator; with mock_x(url=...) read /_xmock/journal")
        return self.simulator

    def journal(self, **filters: Any) -> list[dict[str, Any]]:
        """Journal entries, oldest first: app, user, path, status, method, endpoint, limit."""
        return self._sim().journal(**filters)

    def findings(self, **found: Any) -> list[dict[str, Any]]:
        """Policy findings: rule, app, account, user (ids or objects)."""
        for name in ("app", "account", "user"):
            if name in found:
                found[name] = filters.resolve(name, found[name])
        return self._sim().findings.query(**found)

    def ledger(self, app: Any = None) -> list[dict[str, Any]]:
        """Credit ledger entries, oldest first; `app` (an id or the x_app fixture) keeps one app's."""
        return self._sim().ledger(app)

    def posts(self, *, author: Any = None, app: Any = None, text_contains: str | None = None) -> list[Post]:
        """Live posts in the simulated world, oldest first: by `author` (an id, a User or an XUser), made
        through `app` (an id or an App), with `text_contains` in their text."""
        author_id = filters.resolve("user", author)
        app_id = filters.resolve("app", app)
        store = self._sim().store
        found = store.posts_by_author(author_id) if author_id is not None else store.all_posts()
        return [
            p
            for p in reversed(found)
            if (app_id is None or p.app_id == app_id) and (text_contains is None or text_contains in p.text)
        ]

    def assert_requested(
        self,
        method: str,
        path: str,
        *,
        count: int | None = None,
        json: Any = _ANY,
        text_contains: str | None = None,
        **filters_: Any,
    ) -> list[dict[str, Any]]:
        """The journal entries for `method path` (and app, user, status, endpoint; a JSON body equal to `json`;
        a body holding `text_contains`): at least one, or exactly `count`. Fails with what was seen instead."""
        path_match.check(path)
        for name in ("app", "user"):
            if name in filters_:
                filters_[name] = filters.resolve(name, filters_[name])
        found = self._sim().journal(method=method, path=path, **filters_)
        if json is not _ANY:
            found = [e for e in found if journal_body.parsed(e) == json]
        if text_contains is not None:
            found = [e for e in found if text_contains in (e.get("body") or "")]
        if (count is None and found) or (count is not None and len(found) == count):
            return found
        wanted = f"{count} time(s)" if count is not None else "at least once"
        conditions = [f"{k}={v}" for k, v in filters_.items()]
        if json is not _ANY:
            conditions.append(f"json={json!r}")
        if text_contains is not None:
            conditions.append(f"text_contains={text_contains!r}")
        what = f"{method.upper()} {path}" + (f" ({', '.join(conditions)})" if conditions else "")
        raise AssertionError(f"expected {what} {wanted}, found {len(found)}; {self._recent()}")

    def assert_not_requested(self, method: str, path: str, **filters_: Any) -> None:
        """No journal entry for `method path` (with the same filters as assert_requested)."""
        self.assert_requested(method, path, count=0, **filters_)

    def _recent(self) -> str:
        lines = []
        for e in self._sim().journal()[-_SHOWN:]:
            line = f"  {e['method']} {e['path']} -> {e['status']} app={e['app_id']} user={e['user_id']}"
            if e.get("body"):
                body = e["body"]
                line += f" body={body[:200]!r}" + ("..." if len(body) > 200 else "")
            lines.append(line)
        return "the journal's last entries:\n" + ("\n".join(lines) or "  (nothing)")

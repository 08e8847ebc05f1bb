"""The `x_audience` fixture's handle: one-liners that arrange what simulated users do on the clock."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from xmock.simulator.core import Simulator


class XAudience:
    """Arranges what simulated users do in the next moments of the simulator clock; moving the clock
    (`x_clock.advance(60)`) makes it happen. Each call starts one audience plan and answers it (`members`,
    `id`); `plan(**plan)` takes a whole plan (rates, targets, texts, events)."""

    def __init__(self, simulator: Simulator) -> None:
        self.simulator = simulator

    def plan(self, **plan: Any) -> dict[str, Any]:
        return self.simulator.add_audience(**plan)

    def script(self, events: list[dict[str, Any]], **plan: Any) -> dict[str, Any]:
        return self.simulator.add_audience(events=events, **plan)

    def _spread(
        self, kind: str, to: Any, count: int, within: float, text: str | None, more: dict | None = None, **plan: Any
    ) -> dict[str, Any]:
        # `count` actions evenly over the next `within` seconds, the last one at `within`; `more`: event fields.
        from xmock.simulator.control.errors import InvalidInput

        if isinstance(count, bool) or not isinstance(count, int) or not 1 <= count <= 1000:
            raise InvalidInput(f"count: expected an integer from 1 to 1000, got {count!r}")
        if isinstance(within, bool) or not isinstance(within, int | float) or not 0 <= within <= 86400:
            raise InvalidInput(f"within: expected seconds from 0 to 86400, got {within!r}")
        fields = {k: v for k, v in (more or {}).items() if v is not None}
        if to is not None:
            fields["to"] = str(getattr(to, "id", to))
        if text:
            fields["text"] = text
        events = [{"at": within * (i + 1) / count, "kind": kind, **fields} for i in range(count)]
        return self.simulator.add_audience(events=events, users=plan.pop("users", count), **plan)

    def replies(self, to: Any, count: int = 1, within: float = 60, text: str | None = None, **plan: Any) -> dict:
        """`count` replies to post `to` within `within` seconds, each from another member."""
        return self._spread("reply", to, count, within, text, **plan)

    def quotes(self, of: Any, count: int = 1, within: float = 60, text: str | None = None, **plan: Any) -> dict:
        return self._spread("quote", of, count, within, text, **plan)

    def mentions(self, of: Any, count: int = 1, within: float = 60, text: str | None = None, **plan: Any) -> dict:
        """`count` posts that @mention user `of`."""
        return self._spread("mention", of, count, within, text, **plan)

    def likes(self, post: Any, count: int = 1, within: float = 60, **plan: Any) -> dict:
        return self._spread("like", post, count, within, None, **plan)

    def reposts(self, post: Any, count: int = 1, within: float = 60, **plan: Any) -> dict:
        return self._spread("repost", post, count, within, None, **plan)

    def follows(self, user: Any, count: int = 1, within: float = 60, **plan: Any) -> dict:
        """`count` new followers of `user` (follow requests if it is protected)."""
        return self._spread("follow", user, count, within, None, **plan)

    def dm(self, to: Any, text: str | None = None, count: int = 1, within: float = 60, **plan: Any) -> dict:
        """`count` direct messages to user `to` (needs the DM surface)."""
        return self._spread("dm", to, count, within, text, **plan)

    def spaces(
        self,
        count: int = 1,
        within: float = 60,
        title: str | None = None,
        starts_in: float | str | None = None,
        lasts: float | str | None = None,
        **plan: Any,
    ) -> dict:
        """`count` Spaces, each scheduled by another member within `within` seconds: live `starts_in` after
        (seconds or "+10m"; default 5 to 60 minutes, drawn from the seed), ended `lasts` after that (default
        15 to 120 minutes); titles made up unless `title` is given. The plan's `actions` carry each `space_id`."""
        more = {"starts_in": starts_in, "lasts": lasts}
        return self._spread("space", None, count, within, title, more, **plan)

    def stop(self, plan_id: str | None = None) -> int:
        return self.simulator.stop_audience(plan_id)

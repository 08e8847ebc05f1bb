"""Which of an app's filtered-stream rules a post matches: for the filtered stream and for the deliverer of
filtered-stream webhooks (`filtered_lines` gives a webhook the same lines a stream connection gets).

Rules compile with recent search's parser (resources/search.py). A compiled rule is kept per (app, rule id,
value) so a stream does not re-parse its rules for every post; the cache is bounded.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from xmock.simulator.resources import render
from xmock.simulator.resources.search import QueryError, compile_query

if TYPE_CHECKING:
    from xmock.simulator.core import Simulator
    from xmock.simulator.models import Post

Predicate = Callable[["Post"], bool]
_COMPILED: dict[tuple[str, str, str], Predicate | None] = {}
_MAX_COMPILED = 50_000


def forget() -> None:
    """The world was reset: rule ids and the users a rule names (from:, to:) may mean others now."""
    _COMPILED.clear()


def _compiled(sim: Simulator, app_id: str, rule: dict[str, Any]) -> Predicate | None:
    key = (app_id, rule["id"], rule["value"])
    found = _COMPILED.get(key, False)
    if found is False:
        try:
            found = compile_query(rule["value"], sim.store)
        except QueryError:
            found = None  # stored before a rule change of ours made it invalid: it matches nothing
        if len(_COMPILED) >= _MAX_COMPILED:
            _COMPILED.clear()
        _COMPILED[key] = found
    return found  # type: ignore[return-value]


def matching_rules(sim: Simulator, app_id: str, post: Post) -> list[dict[str, str]]:
    """The app's rules that `post` matches, as a stream line's `matching_rules` ([{id, tag}])."""
    out = []
    for rule in sim.store.stream_rules(app_id):
        test = _compiled(sim, app_id, rule)
        if test is not None and (test(post) or _quoted_matches(sim, test, post)):
            out.append({"id": rule["id"], "tag": rule.get("tag") or ""})
    return out


def _quoted_matches(sim: Simulator, test: Predicate, post: Post) -> bool:
    """The filtered stream matches a quote post on the quoted post's text too (search does not)."""
    if post.quoted_post_id is None:
        return False
    quoted = sim.store.get_post(post.quoted_post_id)
    return quoted is not None and test(quoted)


def post_line(sim: Simulator, post: Post, sel: render.Selection) -> dict[str, Any]:
    """A stream line for one post: `data` and `includes` as the REST endpoints render them."""
    store = sim.store
    return render.envelope(render.render_post(post, sel, store), render.post_includes([post], sel, store))


def filtered_lines(sim: Simulator, app_id: str, event: dict[str, Any], sel: render.Selection) -> list[dict[str, Any]]:
    """The filtered-stream line an event gives the app (none, or one with `matching_rules`)."""
    if event.get("type") != "post.create":
        return []
    post = sim.store.get_post(event["post_id"])
    if post is None:
        return []
    rules = matching_rules(sim, app_id, post)
    if not rules:
        return []
    return [{**post_line(sim, post, sel), "matching_rules": rules}]


def webhook_lines(sim: Simulator, app_id: str, event: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    """For the webhook deliverer: (webhook id, body) for each of the app's filtered-stream webhook links that
    an event reaches; the body is the line a stream connection would get, with the link's `fields`."""
    links = sim.store.stream_links(app_id)
    if not links:
        return []
    out = []
    for link in links:
        sel = link_selection(link.get("fields") or [])
        out += [(link["webhook_id"], line) for line in filtered_lines(sim, app_id, event, sel)]
    return out


def link_selection(fields: list[str]) -> render.Selection:
    """The selection a link's stored `fields` ("tweet.fields=...", "expansions=...") ask for."""
    from xmock.simulator.xrequest import XRequest

    query = "&".join(fields).encode()
    return render.selection(XRequest({"method": "GET", "path": "/", "headers": [], "query_string": query}, b""))

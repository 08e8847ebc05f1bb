"""The journal, live: filtered and paged on the server (newest first), new entries pushed as server-sent
events, and each entry with its diagnosis. Reads through `Simulator.journal`, as GET /_xmock/journal does."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import Response, StreamingResponse
from starlette.routing import Route

from xmock.simulator.routes import ENDPOINTS
from xmock.simulator.ui import diagnosis
from xmock.simulator.ui.render import fragment, page

if TYPE_CHECKING:
    from xmock.simulator.core import Simulator

NAV = ("Journal", "/journal")
PAGE_SIZE = 50
FILTERS = ("app", "user", "status", "endpoint")
POLL_SECONDS = 1.0  # how often the live stream looks in the store (shared by every worker on Redis)
STREAM_SECONDS = 25.0  # a stream ends now and then; EventSource reconnects, so no connection lives forever
ENDPOINT_NAMES = sorted({ep.name for ep in ENDPOINTS})


def _filters(request: Request) -> tuple[dict[str, str], dict[str, Any], str | None]:
    """The filters as given (for the form), as `Simulator.journal` takes them, and what was wrong with them."""
    given = {k: request.query_params.get(k, "").strip() for k in FILTERS}
    args: dict[str, Any] = {k: v for k, v in given.items() if v and k != "status"}
    problem = None
    if given["status"]:
        if given["status"].isdigit() and len(given["status"]) <= 3:
            args["status"] = int(given["status"])
        else:
            problem = "Status is an HTTP status code, such as 401."
    return given, args, problem


def _page_number(request: Request) -> int:
    raw = request.query_params.get("page", "1")
    return max(1, int(raw)) if raw.isdigit() and len(raw) < 7 else 1


def routes(sim: Simulator) -> list[Route]:
    async def journal(request: Request) -> Response:
        given, args, problem = _filters(request)
        entries = [] if problem else sim.journal(**args)
        number = _page_number(request)
        total = len(entries)
        pages = max(1, -(-total // PAGE_SIZE))
        number = min(number, pages)
        end = total - (number - 1) * PAGE_SIZE  # newest first: page 1 is the list's tail
        shown = entries[max(0, end - PAGE_SIZE) : end][::-1]
        query = {k: v for k, v in given.items() if v}

        def page_url(n: int) -> str:
            return "?" + urlencode({**query, "page": n})

        return page(
            request,
            "journal.html",
            title="Journal",
            error=problem,
            entries=shown,
            given=given,
            total=total,
            number=number,
            pages=pages,
            page_url=page_url,
            apps=sim.store.list_apps(None),
            endpoints=ENDPOINT_NAMES,
            # Live only on the first page: later pages stay put while a person reads them.
            live=("live?" + urlencode(query)) if number == 1 and not problem else None,
            after=shown[0]["id"] if shown else "",
            page_size=PAGE_SIZE,
        )

    async def live(request: Request) -> Response:
        _, args, problem = _filters(request)
        if problem:
            return Response(problem, status_code=400, media_type="text/plain")
        # A reconnecting EventSource says the last entry it got; the page's `after` is where it started.
        after = request.headers.get("last-event-id") or request.query_params.get("after") or None

        async def events() -> Any:
            seen = _last_id(sim, after)
            yield "retry: 1000\n\n"
            waited = 0.0
            while waited < STREAM_SECONDS:
                await asyncio.sleep(POLL_SECONDS)
                waited += POLL_SECONDS
                new, seen = _since(sim, seen)
                for entry in new:
                    if _matches(entry, args):
                        row = fragment("journal_row.html", e=entry).replace("\n", "")
                        yield f"id: {entry['id']}\nevent: entry\ndata: {row}\n\n"
                if not new:
                    yield ": still here\n\n"  # a comment keeps proxies from closing a quiet stream

        return StreamingResponse(events(), media_type="text/event-stream", headers={"cache-control": "no-store"})

    async def entry(request: Request) -> Response:
        wanted = request.path_params["entry_id"]
        found = next((e for e in reversed(sim.journal()) if e.get("id") == wanted), None)
        if found is None:
            return page(request, "journal_entry.html", 404, title="No such entry", e=None)
        signed = None
        if request.method == "POST":  # a form, so the pasted base string stays out of URLs and access logs
            signed = str((await request.form()).get("signed") or "").strip()[:20_000] or None
        return page(
            request, "journal_entry.html", title=f"{found['method']} {found['path']}", e=found,
            diagnosis=diagnosis.view(found, signed),
        )

    return [
        Route("/journal", journal, methods=["GET"]),
        Route("/journal/live", live, methods=["GET"]),
        Route("/journal/{entry_id}", entry, methods=["GET", "POST"]),
    ]


def _last_id(sim: Simulator, after: str | None) -> str | None:
    if after:
        return after
    entries = sim.journal(limit=1)
    return entries[-1]["id"] if entries else None


def _since(sim: Simulator, seen: str | None) -> tuple[list[dict[str, Any]], str | None]:
    """Entries journalled after the one with id `seen`, and the newest id now. When `seen` is gone (the
    journal rolled over or was reset), everything there is counts as new."""
    entries = sim.journal()
    if not entries:
        return [], seen
    at = next((i for i in range(len(entries) - 1, -1, -1) if entries[i]["id"] == seen), None) if seen else None
    new = entries[at + 1 :] if at is not None else entries[-PAGE_SIZE:]
    return new, entries[-1]["id"]


def _matches(entry: dict[str, Any], args: dict[str, Any]) -> bool:
    keys = {"app": "app_id", "user": "user_id", "status": "status", "endpoint": "endpoint"}
    return all(str(entry.get(keys[k])) == str(v) for k, v in args.items())

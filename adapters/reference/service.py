"""The reference provider's HTTP API: what a tenant's backend calls.

Every call names the tenant (`X-Tenant-Id`) and, where X is called, carries the tenant's
own X app credentials in `X-Twitter-OAuth1-Api-Key` / `X-Twitter-OAuth1-Api-Secret`.
Without them the provider refuses and calls nothing.

Receiving: `POST /v1/receiving` registers the tenant's webhook under the tenant's app and subscribes its linked
users, `DELETE /v1/receiving` stops, `GET /v1/inbox[?end_user_id=]` lists what arrived. X itself calls
`GET /x/webhooks/{tenant}?crc_token=` (CRC) and `POST /x/webhooks/{tenant}` (signed deliveries).

Keys: `PUT /v1/credentials` (with the tenant's current keys) re-seals its pending scheduled posts with them,
`DELETE /v1/credentials` strips the keys from them; either way nothing fires later with keys the tenant
no longer offers. `DELETE /v1/tenant`: the tenant leaves and is forgotten (its users' tokens stay valid at X:
they are the tenant's).
"""

from __future__ import annotations

from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from xmock.adapters.base import Outcome, Result
from xmock.adapters.reference.provider import RSS_REFUSAL, ReferenceProvider, TenantKeys

STATUS = {
    Outcome.OK: 200,
    Outcome.NOT_FOUND: 404,
    Outcome.REFUSED: 409,
    Outcome.RATE_LIMITED: 429,
    Outcome.OUT_OF_CREDITS: 402,
    Outcome.DUPLICATE: 409,
    Outcome.RELINK_REQUIRED: 409,
    Outcome.TRANSIENT_FAILURE: 503,
    Outcome.ERROR: 502,
}


def _answer(result: Result, status: int | None = None) -> JSONResponse:
    body: dict[str, Any] = {"outcome": str(result.outcome), "detail": result.detail, "data": result.data}
    if result.retry_after is not None:
        body["retry_after"] = result.retry_after
    return JSONResponse(body, status_code=status or STATUS[result.outcome])


class _Refused(Exception):
    def __init__(self, detail: str, status: int = 401) -> None:
        super().__init__(detail)
        self.detail, self.status = detail, status


def _tenant(request: Request) -> str:
    tenant = request.headers.get("x-tenant-id")
    if not tenant:
        raise _Refused("X-Tenant-Id is required", 400)
    return tenant


def _keys(request: Request) -> TenantKeys:
    key = request.headers.get("x-twitter-oauth1-api-key")
    secret = request.headers.get("x-twitter-oauth1-api-secret")
    if not key or not secret:
        raise _Refused(
            "the tenant's X app credentials must come with the request "
            "(X-Twitter-OAuth1-Api-Key, X-Twitter-OAuth1-Api-Secret)"
        )
    return TenantKeys(key, secret)


async def _json(request: Request) -> dict[str, Any]:
    try:
        body = await request.json()
    except ValueError:
        raise _Refused("the body must be JSON", 400) from None
    if not isinstance(body, dict):
        raise _Refused("the body must be a JSON object", 400)
    return body


def create_service(provider: ReferenceProvider) -> Starlette:
    def handle(fn: Any) -> Any:
        async def endpoint(request: Request) -> JSONResponse:
            try:
                return await fn(request)
            except _Refused as exc:
                return JSONResponse({"outcome": "refused", "detail": exc.detail, "data": {}}, status_code=exc.status)
            except KeyError as exc:
                return JSONResponse(
                    {"outcome": "refused", "detail": f"missing field {exc}", "data": {}}, status_code=400
                )

        return endpoint

    from starlette.concurrency import run_in_threadpool as run

    async def connect(request: Request) -> JSONResponse:
        body = await _json(request)
        return _answer(await run(provider.start_link, _tenant(request), _keys(request), body["end_user_id"]))

    async def complete(request: Request) -> JSONResponse:
        body = await _json(request)
        return _answer(
            await run(
                provider.complete_link,
                _tenant(request),
                _keys(request),
                request.path_params["link_id"],
                body["callback_url"],
            )
        )

    async def user_state(request: Request) -> JSONResponse:
        state = provider.state(_tenant(request), request.path_params["end_user"])
        return JSONResponse({"outcome": "ok", "detail": "", "data": {"state": str(state)}})

    async def post(request: Request) -> JSONResponse:
        body = await _json(request)
        return _answer(await run(provider.post, _tenant(request), _keys(request), body["end_user_id"], body["text"]))

    async def schedule(request: Request) -> JSONResponse:
        body = await _json(request)
        return _answer(
            await run(
                provider.schedule,
                _tenant(request),
                _keys(request),
                body["end_user_id"],
                body["text"],
                float(body["at"]),
            )
        )

    async def run_due(request: Request) -> JSONResponse:
        results = await run(provider.run_due)
        return JSONResponse(
            {
                "outcome": "ok",
                "detail": "",
                "data": {"fired": [{"outcome": str(r.outcome), "detail": r.detail, **r.data} for r in results]},
            }
        )

    async def read(request: Request) -> JSONResponse:
        return _answer(
            await run(
                provider.read,
                _tenant(request),
                _keys(request),
                request.query_params["end_user_id"],
                request.path_params["post_id"],
            )
        )

    async def render(request: Request) -> JSONResponse:
        return _answer(
            await run(
                provider.render,
                _tenant(request),
                _keys(request),
                request.query_params["end_user_id"],
                request.path_params["post_id"],
            )
        )

    async def delete(request: Request) -> JSONResponse:
        return _answer(
            await run(
                provider.delete,
                _tenant(request),
                _keys(request),
                request.query_params["end_user_id"],
                request.path_params["post_id"],
            )
        )

    async def unlink(request: Request) -> JSONResponse:
        return _answer(await run(provider.unlink, _tenant(request), _keys(request), request.path_params["end_user"]))

    async def relogin(request: Request) -> JSONResponse:
        return _answer(await run(provider.force_relogin, _tenant(request), request.path_params["end_user"]))

    async def rekey(request: Request) -> JSONResponse:
        return _answer(await run(provider.rekey, _tenant(request), _keys(request)))

    async def withdraw(request: Request) -> JSONResponse:
        return _answer(await run(provider.rekey, _tenant(request), None))

    async def offboard(request: Request) -> JSONResponse:
        return _answer(await run(provider.offboard, _tenant(request)))

    async def rss(request: Request) -> JSONResponse:
        return _answer(Result(Outcome.REFUSED, RSS_REFUSAL))

    async def start_receiving(request: Request) -> JSONResponse:
        return _answer(await run(provider.start_receiving, _tenant(request), _keys(request), str(request.base_url)))

    async def stop_receiving(request: Request) -> JSONResponse:
        return _answer(await run(provider.stop_receiving, _tenant(request), _keys(request)))

    async def inbox(request: Request) -> JSONResponse:
        return _answer(provider.inbox(_tenant(request), request.query_params.get("end_user_id")))

    async def crc(request: Request) -> Response:
        token = request.query_params.get("crc_token")
        if not token:
            return JSONResponse({"error": "crc_token is required"}, status_code=400)
        answer = provider.crc(request.path_params["tenant"], token)
        return JSONResponse(answer) if answer else JSONResponse({"error": "not receiving"}, status_code=404)

    async def delivery(request: Request) -> Response:
        body = await request.body()
        signature = request.headers.get("x-twitter-webhooks-signature")
        return Response(status_code=await run(provider.accept, request.path_params["tenant"], body, signature))

    async def audit(request: Request) -> JSONResponse:
        return JSONResponse({"outcome": "ok", "detail": "", "data": {"audit": provider.vault.dump()["audit"]}})

    routes = [
        Route("/v1/connect-links", handle(connect), methods=["POST"]),
        Route("/v1/connect-links/{link_id}/complete", handle(complete), methods=["POST"]),
        Route("/v1/users/{end_user}", handle(user_state), methods=["GET"]),
        Route("/v1/users/{end_user}/unlink", handle(unlink), methods=["POST"]),
        Route("/v1/users/{end_user}/relogin", handle(relogin), methods=["POST"]),
        Route("/v1/posts", handle(post), methods=["POST"]),
        Route("/v1/posts/{post_id}", handle(read), methods=["GET"]),
        Route("/v1/posts/{post_id}", handle(delete), methods=["DELETE"]),
        Route("/v1/posts/{post_id}/render", handle(render), methods=["GET"]),
        Route("/v1/schedules", handle(schedule), methods=["POST"]),
        Route("/v1/scheduler/run", handle(run_due), methods=["POST"]),
        Route("/v1/rss", handle(rss), methods=["POST"]),
        Route("/v1/credentials", handle(rekey), methods=["PUT"]),
        Route("/v1/tenant", handle(offboard), methods=["DELETE"]),
        Route("/v1/credentials", handle(withdraw), methods=["DELETE"]),
        Route("/v1/audit", handle(audit), methods=["GET"]),
        Route("/v1/receiving", handle(start_receiving), methods=["POST"]),
        Route("/v1/receiving", handle(stop_receiving), methods=["DELETE"]),
        Route("/v1/inbox", handle(inbox), methods=["GET"]),
        Route("/x/webhooks/{tenant}", crc, methods=["GET"]),
        Route("/x/webhooks/{tenant}", delivery, methods=["POST"]),
    ]
    return Starlette(routes=routes)

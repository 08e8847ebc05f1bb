"""Webhook deliveries per second: N posts by a subscribed user, each delivered signed to a local receiver.

    .venv/bin/python -m xmock.loadtests.bench_webhooks [N]
"""

from __future__ import annotations

import sys
import threading
import time

import requests
from starlette.applications import Starlette
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from xmock.simulator import Simulator, webhooks
from xmock.simulator.server import AppThread, ServerThread


def main(n: int = 2000) -> dict[str, float]:
    sim = Simulator()
    account = sim.create_account("Bench")
    app = sim.create_app(account.id, "Bench", use_case="bench", callback_urls=[], permission="read-write")
    user = sim.create_user(username="bench", name="Bench")
    got = {"n": 0}
    done = threading.Event()

    async def crc(request):
        return JSONResponse({"response_token": webhooks.sign(app.consumer_secret, request.query_params["crc_token"]
                                                             .encode())})

    async def post(request):
        await request.body()
        got["n"] += 1
        if got["n"] >= n:
            done.set()
        return Response(status_code=200)

    receiver = AppThread(Starlette(routes=[Route("/h", crc, methods=["GET"]), Route("/h", post, methods=["POST"])]))
    receiver.start()
    with ServerThread(sim) as server:
        bearer = requests.post(server.base_url + "/oauth2/token", data={"grant_type": "client_credentials"},
                               auth=(app.consumer_key, app.consumer_secret)).json()["access_token"]
        hook = requests.post(server.base_url + "/2/webhooks", json={"url": receiver.base_url + "/h"},
                             headers={"Authorization": f"Bearer {bearer}"}).json()["data"]
        from requests_oauthlib import OAuth1Session

        tok = sim.mint_oauth1_token(app.id, user.id)
        OAuth1Session(app.consumer_key, app.consumer_secret, tok.token, tok.secret).post(
            server.base_url + f"/2/account_activity/webhooks/{hook['id']}/subscriptions/all", json={})
        started = time.perf_counter()
        for i in range(n):
            sim.create_post(user.id, f"bench {i}")
        created = time.perf_counter() - started
        done.wait(120)
        elapsed = time.perf_counter() - started
    receiver.stop()
    figures = {"events": n, "delivered": got["n"], "seconds": round(elapsed, 2),
               "deliveries_per_second": round(got["n"] / elapsed, 1), "posts_per_second": round(n / created, 1)}
    print(figures)
    return figures


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 2000)

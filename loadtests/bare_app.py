"""The baseline: bare Starlette answering small JSON, served like the simulator."""

from starlette.applications import Starlette
from starlette.responses import JSONResponse
from starlette.routing import Route


async def me(request):
    return JSONResponse({"data": {"id": "1", "name": "Bare", "username": "bare"}})


async def create(request):
    await request.body()
    return JSONResponse({"data": {"id": "1", "text": "x"}}, status_code=201)


app = Starlette(routes=[Route("/2/users/me", me), Route("/2/tweets", create, methods=["POST"])])

"""Control API for post fields: places, poll votes, and the account settings posts read."""

from __future__ import annotations

from dataclasses import asdict

from starlette.requests import Request
from starlette.routing import Route

from xmock.simulator.control.errors import check_bool, check_int, check_text
from xmock.simulator.control.plumbing import endpoint as _endpoint
from xmock.simulator.control.plumbing import fields as _fields
from xmock.simulator.control.posts_api import _ids
from xmock.simulator.core import Simulator

_PLACE_FIELDS = ("id", "full_name", "name", "country", "country_code", "place_type", "bbox")


def add_place(sim: Simulator, request: Request, body: dict) -> dict:
    fields = _fields(body, (), _PLACE_FIELDS)
    full_name = fields.pop("full_name", None)
    place = sim.add_place(full_name, **fields)
    return asdict(place)


def list_places(sim: Simulator, request: Request, body: dict) -> dict:
    return {"places": [asdict(p) for p in sim.places()]}


def vote(sim: Simulator, request: Request, body: dict) -> dict:
    position = check_int("position", body.pop("position", None), 1, 4)
    user_id, post_id = _ids(body, "user_id", "post_id")
    return {"counted": sim.vote(user_id, post_id, position)}


def account_setting(sim: Simulator, request: Request, body: dict) -> dict:
    on = check_bool("on", body.pop("on", True))
    setting = check_text("setting", body.pop("setting", None), max_length=64, empty=False)
    (user_id,) = _ids(body, "user_id")
    return {"changed": sim.set_account_setting(user_id, setting, on), "setting": setting, "on": on}


def routes(sim: Simulator) -> list[Route]:
    return [
        Route("/_xmock/places", _endpoint(sim, add_place, 201), methods=["POST"]),
        Route("/_xmock/places", _endpoint(sim, list_places), methods=["GET"]),
        Route("/_xmock/poll_votes", _endpoint(sim, vote), methods=["POST"]),
        Route("/_xmock/account_settings", _endpoint(sim, account_setting), methods=["POST"]),
    ]

"""Users' XChat public keys on the X surface: register one (the authenticated user's own), read a user's, read
many users' current keys. The keys are opaque to the simulator (simulator/chat_rules.py keeps them)."""

from __future__ import annotations

from typing import Any

from xmock.simulator import chat_rules, errors
from xmock.simulator.dm_rules import Refused
from xmock.simulator.pipeline import Call
from xmock.simulator.resources import paging, render
from xmock.simulator.resources.chat import me_of, refused
from xmock.simulator.resources.lists import actor, path_id
from xmock.simulator.xrequest import Reply

DEFAULT_FIELDS = ("public_key", "public_key_version")
FIELDS = ("identity_public_key_signature", "juicebox_config", "public_key", "public_key_version", "signing_public_key")


def _fields(call: Call) -> frozenset[str]:
    asked = paging.listed(call.req, "public_key.fields") if call.req.arg("public_key.fields") else []
    return frozenset((*DEFAULT_FIELDS, *asked))


def render_key(record: dict[str, Any], fields: frozenset[str]) -> dict[str, Any]:
    return {name: record[name] for name in FIELDS if name in fields and record.get(name) is not None}


def add(call: Call) -> Reply:
    """POST /2/users/{id}/public_keys"""
    me_of(call)
    user_id = actor(call)
    body = call.req.json_object()
    key = body["public_key"]
    try:
        record = chat_rules.add_public_key(call.sim, user_id, key, body["version"], bool(body.get("generate_version")))
    except Refused as exc:
        raise refused(call, exc) from None
    data = {"public_key_version": record["public_key_version"], "juicebox_config": record["juicebox_config"]}
    return Reply(200, {"data": data}, note={"resource_ids": [user_id]})


def of_user(call: Call) -> Reply:
    """GET /2/users/{id}/public_keys: every key the user registered, newest version first"""
    me_of(call)
    user_id = path_id(call, "id")
    if call.sim.store.get_user(user_id) is None:
        error = errors.not_found_error("user", "id", user_id)
        raise errors.missing_resource(call.sim.settings.missing_resource_status, error)
    fields = _fields(call)
    data = [render_key(k, fields) for k in chat_rules.public_keys(call.sim.store, user_id)]
    return Reply(200, {"data": data}, note={"resource_ids": [user_id]})


def of_users(call: Call) -> Reply:
    """GET /2/users/public_keys?ids=: each user's current key, in the order asked; partial errors for the rest"""
    me_of(call)
    fields = _fields(call)
    data, problems = [], []
    for user_id in paging.listed(call.req, "ids"):
        keys = chat_rules.public_keys(call.sim.store, user_id) if call.sim.store.get_user(user_id) else []
        if keys:
            data.append(render_key(keys[0], fields))
        elif call.sim.store.get_user(user_id) is None:
            problems.append(errors.not_found_error("user", "ids", user_id))
        else:
            problems.append(errors.not_found_error("public_key", "ids", user_id, "public key for user"))
    body = render.envelope(data or None, errors_=problems)
    return Reply(200, body, note={"resource_ids": [d["public_key_version"] for d in data]})

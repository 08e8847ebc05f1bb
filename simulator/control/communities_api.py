"""Control API for communities, news stories, Community Notes and articles: make them, generate them, look at them."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.routing import Route

from xmock.simulator import communities as communities_
from xmock.simulator.clock import iso_utc
from xmock.simulator.control.errors import InvalidInput, check_names, shown
from xmock.simulator.control.plumbing import fields as checked
from xmock.simulator.control.plumbing import route
from xmock.simulator.core import Simulator


def _id(name: str, value: Any) -> str:
    if not isinstance(value, str | int) or isinstance(value, bool):
        raise InvalidInput(f"{name}: expected an id (a string of digits), got {shown(value)}")
    return str(value)


def _ids(name: str, value: Any) -> list[str]:
    if not isinstance(value, list):
        raise InvalidInput(f"{name}: expected a list of ids, got {shown(value)}")
    return [_id(name, v) for v in value]


def _community_json(sim: Simulator, record: dict[str, Any]) -> dict[str, Any]:
    members = communities_.member_count(sim, record["id"])
    return {**record, "created_at": iso_utc(record["created_at"]), "member_count": members}


def _news_json(record: dict[str, Any]) -> dict[str, Any]:
    return {**record, "updated_at": iso_utc(record["updated_at"])}


def _note_json(record: dict[str, Any]) -> dict[str, Any]:
    return {**record, "created_at": iso_utc(record["created_at"])}


def _count(body: dict[str, Any]) -> Any:
    return checked(body, (), ("count",)).get("count", 1)


def create_community(sim: Simulator, request: Request, body: dict) -> dict:
    body = checked(body, ("creator_id", "name"), ("description", "access", "join_policy", "members"))
    record = sim.create_community(
        _id("creator_id", body["creator_id"]),
        body["name"],
        body.get("description", ""),
        access=body.get("access", "Public"),
        join_policy=body.get("join_policy", "Open"),
        members=_ids("members", body.get("members", [])),
    )
    return _community_json(sim, record)


def generate_communities(sim: Simulator, request: Request, body: dict) -> dict:
    return {"data": [_community_json(sim, r) for r in sim.generate_communities(_count(body))]}


def get_community(sim: Simulator, request: Request, body: dict) -> dict:
    check_names("query parameter", request.query_params, ())
    return _community_json(sim, sim.community(request.path_params["community_id"]))


def join_community(sim: Simulator, request: Request, body: dict) -> dict:
    body = checked(body, ("user_id",), ())
    added = sim.join_community(request.path_params["community_id"], _id("user_id", body["user_id"]))
    return {"member": True, "added": added}


def create_news(sim: Simulator, request: Request, body: dict) -> dict:
    optional = ("summary", "hook", "category", "disclaimer", "keywords", "post_ids", "topics")
    body = checked(body, ("name",), optional)
    if "post_ids" in body:
        body["post_ids"] = _ids("post_ids", body["post_ids"])
    return _news_json(sim.create_news(**body))


def generate_news(sim: Simulator, request: Request, body: dict) -> dict:
    return {"data": [_news_json(r) for r in sim.generate_news(_count(body))]}


def write_note(sim: Simulator, request: Request, body: dict) -> dict:
    optional = ("classification", "misleading_tags", "trustworthy_sources", "test_mode")
    body = checked(body, ("user_id", "post_id", "text"), optional)
    user_id, post_id = _id("user_id", body.pop("user_id")), _id("post_id", body.pop("post_id"))
    return _note_json(sim.write_note(user_id, post_id, body.pop("text"), **body))


def get_note(sim: Simulator, request: Request, body: dict) -> dict:
    check_names("query parameter", request.query_params, ())
    return _note_json(sim.note(request.path_params["note_id"]))


def draft_article(sim: Simulator, request: Request, body: dict) -> dict:
    body = checked(body, ("user_id", "title"), ("text",))
    record = sim.draft_article(_id("user_id", body["user_id"]), body["title"], body.get("text", ""))
    return {"id": record["id"], "title": record["title"], "author_id": record["author_id"]}


def publish_article(sim: Simulator, request: Request, body: dict) -> dict:
    checked(body, (), ())
    return {"post_id": sim.publish_article(request.path_params["article_id"])}


def routes(sim: Simulator) -> list[Route]:
    def r(path: str, handler: Any, method: str, status: int = 200) -> Route:
        return route(sim, path, handler, method, status)

    return [
        r("/communities", create_community, "POST", 201),
        r("/communities/generate", generate_communities, "POST", 201),
        r("/communities/{community_id}", get_community, "GET"),
        r("/communities/{community_id}/members", join_community, "POST"),
        r("/news", create_news, "POST", 201),
        r("/news/generate", generate_news, "POST", 201),
        r("/notes", write_note, "POST", 201),
        r("/notes/{note_id}", get_note, "GET"),
        r("/articles", draft_article, "POST", 201),
        r("/articles/{article_id}/publish", publish_article, "POST"),
    ]

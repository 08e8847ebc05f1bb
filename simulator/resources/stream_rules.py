"""Filtered-stream rules: GET/POST /2/tweets/search/stream/rules and GET .../rules/counts.

Rules belong to the app (bearer token). A rule is a query in recent search's operator language
(resources/search.py), checked by the same parser; per access tier X caps how many rules an app holds and how
long one may be (x-api-surface.md §20: self-serve 1,000 rules of 1,024 characters, enterprise 25,000 of 2,048).
Each rule in a batch is judged alone: duplicates and invalid rules come back in `errors` and are counted in
`meta.summary`; the valid ones are created, unless `dry_run`. A batch that would pass the cap creates none
(400 RulesCapExceeded).
"""

from __future__ import annotations

from typing import Any

from xmock.simulator import errors, tiers
from xmock.simulator.clock import iso_utc
from xmock.simulator.digits import is_id
from xmock.simulator.pipeline import Call
from xmock.simulator.resources import paging
from xmock.simulator.resources.search import QueryError, compile_query
from xmock.simulator.xrequest import Reply

# access tier -> (rules per app, characters per rule)
RULE_LIMITS = {"self-serve": (1_000, 1_024), "enterprise": (25_000, 2_048)}
MAX_BATCH = 1_000  # rules one request may add or delete (the GET page's maximum; X publishes none)


def limits(call: Call) -> tuple[int, int]:
    return RULE_LIMITS["self-serve" if tiers.self_serve(call.sim) else "enterprise"]


def _app_id(call: Call) -> str:
    app = call.auth.app
    if app is None:  # bearer-only endpoints always carry the app
        raise errors.unauthorized("no app")
    return app.id


def _rule_out(rule: dict[str, Any]) -> dict[str, Any]:
    out = {"id": rule["id"], "value": rule["value"]}
    if rule.get("tag"):
        out["tag"] = rule["tag"]
    return out


def get_rules(call: Call) -> Reply:
    """GET /2/tweets/search/stream/rules"""
    req = call.req
    rules = call.sim.store.stream_rules(_app_id(call))
    ids = req.arg("ids")
    if ids is not None:
        wanted = ids.split(",")
        for rule_id in wanted:
            if not is_id(rule_id):
                raise errors.invalid_param("ids", rule_id, f"The `ids` query parameter value [{rule_id}] is not valid")
        rules = [r for r in rules if r["id"] in set(wanted)]
    limit = paging.max_results(req, 1000)
    start = 0
    token = req.arg("pagination_token")
    if token is not None:
        start = paging.decode_token(token, "pagination_token")
    page = rules[start : start + limit]
    meta: dict[str, Any] = {"sent": iso_utc(call.sim.clock.now()), "result_count": len(page)}
    if start + limit < len(rules):
        meta["next_token"] = paging.encode_token(str(start + limit))
    body: dict[str, Any] = {"meta": meta}
    if page:
        body = {"data": [_rule_out(r) for r in page], "meta": meta}
    return Reply(200, body)


def _rule_errors(value: str, call: Call, max_length: int) -> list[str]:
    """Why X refuses a rule's value (empty: valid)."""
    if not value.strip():
        return ["Rules must contain a non-negation term (at position 1)"]
    if len(value) > max_length:
        return [f"Rule length exceeds the maximum of {max_length} characters"]
    try:
        compile_query(value, call.sim.store)
    except QueryError as exc:
        return [f"{exc} (at position {exc.position})"]
    return []


def _adds(body: dict[str, Any]) -> list[dict[str, Any]]:
    adds = body["add"]
    if not isinstance(adds, list):
        raise errors.type_mismatch("add", adds, "array")
    if not adds:
        raise errors.invalid_request("$.add: must contain at least 1 item")
    if len(adds) > MAX_BATCH:
        raise errors.invalid_request(f"$.add: must contain at most {MAX_BATCH} items")
    out = []
    for n, item in enumerate(adds):
        if not isinstance(item, dict):
            raise errors.type_mismatch(f"add[{n}]", item, "object")
        for key in item:
            if key not in ("value", "tag"):
                raise errors.invalid_request(
                    f"$.add[{n}].{key}: is not defined in the schema and the schema does not allow additional "
                    "properties"
                )
        if "value" not in item:
            raise errors.invalid_request(f"$.add[{n}].value: is missing but it is required")
        for key in ("value", "tag"):
            if key in item and not isinstance(item[key], str):
                raise errors.type_mismatch(f"add[{n}].{key}", item[key], "string")
        out.append({"value": item["value"], "tag": item.get("tag")})
    return out


def _deletes(body: dict[str, Any]) -> tuple[list[str], list[str]]:
    delete = body["delete"]
    if not isinstance(delete, dict):
        raise errors.type_mismatch("delete", delete, "object")
    for key in delete:
        if key not in ("ids", "values"):
            raise errors.invalid_request(
                f"$.delete.{key}: is not defined in the schema and the schema does not allow additional properties"
            )
    if not delete:
        raise errors.invalid_request("$.delete: must have ids or values")
    found: dict[str, list[str]] = {}
    for key in ("ids", "values"):
        items = delete.get(key, [])
        if not isinstance(items, list):
            raise errors.type_mismatch(f"delete.{key}", items, "array")
        if len(items) > MAX_BATCH:
            raise errors.invalid_request(f"$.delete.{key}: must contain at most {MAX_BATCH} items")
        for n, item in enumerate(items):
            if not isinstance(item, str):
                raise errors.type_mismatch(f"delete.{key}[{n}]", item, "string")
            if key == "ids" and not is_id(item):
                raise errors.invalid_request(f"$.delete.ids[{n}]: does not match the regex pattern ^[0-9]{{1,19}}$")
        found[key] = items
    return found["ids"], found["values"]


def update_rules(call: Call) -> Reply:
    """POST /2/tweets/search/stream/rules (add, delete by ids or values, or ?delete_all=true; ?dry_run=true)"""
    req = call.req
    dry_run = req.arg("dry_run") == "true"
    delete_all = req.arg("delete_all") == "true"
    body = req.json_object() if (req.body or not delete_all) else {}
    for key in body:
        if key not in ("add", "delete"):
            raise errors.invalid_request(
                f"$.{key}: is not defined in the schema and the schema does not allow additional properties"
            )
    given = sum(1 for k in ("add", "delete") if k in body) + delete_all
    if given != 1:
        raise errors.invalid_request("Exactly one of `add`, `delete` or the `delete_all` parameter must be given.")
    sent = iso_utc(call.sim.clock.now())
    if "add" in body:
        return _add(call, _adds(body), dry_run, sent)
    ids, values = _deletes(body) if not delete_all else ([], [])
    return _delete(call, None if delete_all else (ids, values), dry_run, sent)


def _add(call: Call, adds: list[dict[str, Any]], dry_run: bool, sent: str) -> Reply:
    cap, max_length = limits(call)
    app_id = _app_id(call)
    problems: list[dict[str, Any]] = []
    valid: list[dict[str, Any]] = []
    for item in adds:
        details = _rule_errors(item["value"], call, max_length)
        if details:
            problems.append(errors.invalid_rule(item["value"], details))
            continue
        rule = {"id": call.sim.ids.next_id(), "value": item["value"]}
        if item["tag"]:
            rule["tag"] = item["tag"]
        valid.append(rule)
    store = call.sim.store
    if dry_run:
        have = {r["value"]: r["id"] for r in store.stream_rules(app_id)}
        outcome: dict[str, Any] = {"duplicates": {}, "full": False}
        seen: dict[str, str] = {}
        for rule in valid:
            existing = have.get(rule["value"]) or seen.get(rule["value"])
            if existing:
                outcome["duplicates"][rule["value"]] = existing
            seen.setdefault(rule["value"], rule["id"])
        outcome["full"] = len(have) + len(valid) - len(outcome["duplicates"]) > cap
    else:
        outcome = store.add_stream_rules(app_id, valid, cap)
    if outcome["full"]:
        raise errors.rules_cap_exceeded(cap)
    duplicates: dict[str, str] = outcome["duplicates"]
    created = [r for r in valid if r["value"] not in duplicates or duplicates[r["value"]] == r["id"]]
    created_ids = {r["id"] for r in created}
    for rule in valid:
        if rule["id"] not in created_ids:
            problems.append(errors.duplicate_rule(rule["value"], duplicates[rule["value"]]))
    summary = {
        "created": 0 if dry_run else len(created),
        "not_created": len(adds) - (0 if dry_run else len(created)),
        "valid": len(created),
        "invalid": len(adds) - len(created),
    }
    out: dict[str, Any] = {}
    if created:
        out["data"] = [_rule_out(r) for r in created]
    out["meta"] = {"sent": sent, "summary": summary}
    if problems:
        out["errors"] = problems
    # X answers 400 when nothing in the batch was valid and nothing was a mere duplicate (x-api-surface.md §21)
    status = 400 if not created and len(problems) == sum(1 for p in problems if "details" in p) else 200
    return Reply(status, out, note={"resource_ids": sorted(created_ids)})


def _delete(call: Call, which: tuple[list[str], list[str]] | None, dry_run: bool, sent: str) -> Reply:
    app_id = _app_id(call)
    store = call.sim.store
    have = store.stream_rules(app_id)
    if which is None:
        ids = [r["id"] for r in have]
        asked = len(ids)
    else:
        by_value = {r["value"]: r["id"] for r in have}
        ids = list(which[0]) + [by_value.get(v, "") for v in which[1]]
        asked = len(ids)
    known = {r["id"] for r in have}
    problems = []
    if which is not None:
        asked_by = [("id", given) for given in which[0]] + [("value", given) for given in which[1]]
        problems = [
            errors.not_found_error("rule", parameter, given, "rule")
            for (parameter, given), rule_id in zip(asked_by, ids, strict=True)
            if rule_id not in known
        ]
    wanted = [i for i in dict.fromkeys(ids) if i in known]
    deleted = wanted if dry_run else store.delete_stream_rules(app_id, wanted if which is not None else None)
    summary = {"deleted": 0 if dry_run else len(deleted), "not_deleted": asked - (0 if dry_run else len(deleted))}
    out: dict[str, Any] = {"meta": {"sent": sent, "summary": summary}}
    if problems:
        out["errors"] = problems
    return Reply(200, out, note={"resource_ids": deleted})


def rule_counts(call: Call) -> Reply:
    """GET /2/tweets/search/stream/rules/counts"""
    cap, _ = limits(call)
    app = call.auth.app
    assert app is not None
    store = call.sim.store
    apps = [a for a in store.list_apps(app.account_id)] if app.account_id else [app]
    counts = [{"client_app_id": a.id, "rule_count": len(store.stream_rules(a.id))} for a in apps]
    mine = next((c for c in counts if c["client_app_id"] == app.id), {"client_app_id": app.id, "rule_count": 0})
    data = {
        "all_project_client_apps": counts,
        "cap_per_client_app": str(cap),
        "cap_per_project": str(cap),
        "client_app_rules_count": mine,
        "project_rules_count": str(sum(c["rule_count"] for c in counts)),
    }
    return Reply(200, {"data": data})

"""Filtered-stream rules: add, dry run, delete by ids, values or all, X's validation and per-tier caps, and
the app bearer they need."""

from __future__ import annotations

import pytest
import requests
from oauth2_support import bearer_headers as h
from openapi_shapes import assert_matches
from stream_support import RULES, add_rules

from xmock.simulator.resources import stream_rules


# rules ----------------------------------------------------------------------------------------
def test_add_rules_reports_created_duplicate_and_invalid(world, bearer):
    r = add_rules(world, bearer, {"value": "cats has:media", "tag": "cat pics"}, "dogs", "cats has:media", "-dogs")
    body = r.json()
    assert r.status_code == 200, body
    assert_matches(RULES, "post", 200, body)
    assert [(d["value"], d.get("tag")) for d in body["data"]] == [("cats has:media", "cat pics"), ("dogs", None)]
    assert body["meta"]["summary"] == {"created": 2, "not_created": 2, "valid": 2, "invalid": 2}
    titles = sorted(e["title"] for e in body["errors"])
    assert titles == ["DuplicateRule", "UnprocessableEntity"]
    dup = next(e for e in body["errors"] if e["title"] == "DuplicateRule")
    assert dup["id"] == body["data"][0]["id"]
    again = add_rules(world, bearer, "dogs").json()
    assert again["errors"][0]["id"] == body["data"][1]["id"]
    assert again["meta"]["summary"]["created"] == 0


def test_rule_ids_are_snowflakes_and_listed_oldest_first(world, bearer):
    ids = [d["id"] for d in add_rules(world, bearer, "one", "two", "three").json()["data"]]
    assert all(i.isdigit() and len(i) >= 18 for i in ids)
    r = requests.get(world.url(RULES), headers=h(bearer))
    assert_matches(RULES, "get", 200, r.json())
    assert [d["id"] for d in r.json()["data"]] == ids
    assert r.json()["meta"]["result_count"] == 3
    page = requests.get(world.url(RULES), params={"max_results": 2}, headers=h(bearer)).json()
    assert [d["id"] for d in page["data"]] == ids[:2]
    rest = requests.get(
        world.url(RULES), params={"max_results": 2, "pagination_token": page["meta"]["next_token"]}, headers=h(bearer)
    ).json()
    assert [d["id"] for d in rest["data"]] == ids[2:]
    only = requests.get(world.url(RULES), params={"ids": ids[1]}, headers=h(bearer)).json()
    assert [d["value"] for d in only["data"]] == ["two"]


def test_dry_run_validates_without_saving(world, bearer):
    body = add_rules(world, bearer, "cats", dry_run="true").json()
    assert body["meta"]["summary"] == {"created": 0, "not_created": 1, "valid": 1, "invalid": 0}
    listed = requests.get(world.url(RULES), headers=h(bearer)).json()
    assert listed == {"meta": {"sent": listed["meta"]["sent"], "result_count": 0}}
    assert_matches(RULES, "get", 200, listed)


def test_delete_by_ids_values_and_all(world, bearer):
    ids = [d["id"] for d in add_rules(world, bearer, "a1", "b2", "c3", "d4").json()["data"]]
    r = requests.post(world.url(RULES), json={"delete": {"ids": [ids[0], "123"]}}, headers=h(bearer))
    assert r.status_code == 200
    assert r.json()["meta"]["summary"] == {"deleted": 1, "not_deleted": 1}
    assert_matches(RULES, "post", 200, r.json())
    r = requests.post(world.url(RULES), json={"delete": {"values": ["b2", "nope"]}}, headers=h(bearer))
    assert r.json()["meta"]["summary"] == {"deleted": 1, "not_deleted": 1}
    assert [(e["parameter"], e["value"]) for e in r.json()["errors"]] == [("value", "nope")]
    assert_matches(RULES, "post", 200, r.json())
    dry = requests.post(world.url(RULES), params={"delete_all": "true", "dry_run": "true"}, headers=h(bearer))
    assert dry.json()["meta"]["summary"] == {"deleted": 0, "not_deleted": 2}
    r = requests.post(world.url(RULES), params={"delete_all": "true"}, headers=h(bearer))
    assert r.json()["meta"]["summary"] == {"deleted": 2, "not_deleted": 0}
    assert "data" not in requests.get(world.url(RULES), headers=h(bearer)).json()


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"add": [{"value": "x"}], "delete": {"ids": ["1"]}},
        {"add": "cats"},
        {"add": [{"value": 5}]},
        {"add": [{"tag": "no value"}]},
        {"add": [{"value": "x", "colour": "red"}]},
        {"delete": {"ids": ["abc"]}},
        {"delete": {"names": ["x"]}},
        {"replace": []},
    ],
)
def test_malformed_rule_writes_get_400(world, bearer, body):
    r = requests.post(world.url(RULES), json=body, headers=h(bearer))
    assert r.status_code == 400, r.text
    assert_matches(RULES, "post", 400, r.json())


def test_rule_cap_and_length_follow_the_tier(world, bearer, sim, monkeypatch):
    monkeypatch.setitem(stream_rules.RULE_LIMITS, "enterprise", (2, 20))
    assert add_rules(world, bearer, "a1", "b2").status_code == 200
    r = add_rules(world, bearer, "c3")
    assert r.status_code == 400 and r.json()["title"] == "RulesCapExceeded"
    assert_matches(RULES, "post", 400, r.json())
    requests.post(world.url(RULES), params={"delete_all": "true"}, headers=h(bearer))
    r = add_rules(world, bearer, "x" * 21)
    assert r.status_code == 400 and r.json()["errors"][0]["title"] == "UnprocessableEntity"
    sim.settings = sim.settings.updated(access_tier="self-serve")
    counts = requests.get(world.url(RULES + "/counts"), headers=h(bearer)).json()
    assert counts["data"]["cap_per_client_app"] == "1000"
    assert_matches(RULES + "/counts", "get", 200, counts)


def test_rules_need_the_app_bearer(world):
    r = world.session().get(world.url(RULES))
    assert r.status_code in (401, 403)

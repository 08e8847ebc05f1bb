"""Run-wide invariants, from journal entries and findings as X records them (no simulator needed)."""

from __future__ import annotations

from xmock.scenarios.invariants import check
from xmock.scenarios.world import Tenant, World

TENANT_APP, OTHER_APP, PROVIDER_APP = "1000000000000000001", "1000000000000000002", "1000000000000000003"
ALICE, BOB, DANA = "2000000000000000001", "2000000000000000002", "2000000000000000004"
NAMES = {
    TENANT_APP: "Bakery Tenant Scheduler",
    OTHER_APP: "Florist Tenant Scheduler",
    PROVIDER_APP: "Provider Platform",
}


def _world() -> World:
    bakery = Tenant(
        "bakery",
        {"id": "a1", "name": "Bakery Tenant"},
        {"id": TENANT_APP},
        {"alice": {"id": ALICE, "username": "bakery_alice"}, "bob": {"id": BOB, "username": "bakery_bob"}},
    )
    florist = Tenant("florist", {"id": "a2", "name": "Florist Tenant"}, {"id": OTHER_APP}, {"dana": {"id": DANA}})
    return World(None, "", bakery, florist, {"id": "a3", "name": "Provider Inc"}, {"id": PROVIDER_APP})  # type: ignore[arg-type]


def _entry(n: int, path: str, app: str | None, user: str | None, status: int = 200, t: float = 100.0, **more):
    endpoint = {"/2/tweets": "createPosts", "/2/tweets/1": "deletePosts"}.get(path)
    return {"id": f"e{n}", "time": t, "method": "POST", "path": path, "status": status, "app_id": app,
            "user_id": user, "endpoint": endpoint, **more}


def _check(journal, findings=(), provokes=frozenset()):
    return check(_world(), list(journal), list(findings), provokes, lambda: NAMES)


def test_calls_for_a_tenants_users_signed_by_its_own_app_pass():
    assert _check([_entry(1, "/2/tweets", TENANT_APP, ALICE), _entry(2, "/2/tweets", OTHER_APP, DANA)]) == []


def test_a_call_for_a_tenants_user_signed_by_another_app_is_named_with_its_evidence():
    [v] = _check([_entry(1, "/2/tweets", TENANT_APP, ALICE), _entry(2, "/2/users/me", PROVIDER_APP, BOB)])
    assert v.rule == "own-app"
    assert v.cause == "X calls for Bakery Tenant's users were signed with Provider Platform, not the tenant's own app"
    assert [e["id"] for e in v.evidence] == ["e2"] and v.evidence[0]["app"] == "Provider Platform"


def test_an_app_only_call_about_a_tenants_user_counts_as_made_for_that_user():
    [v] = _check([_entry(1, f"/2/users/{ALICE}/tweets", PROVIDER_APP, None)])
    assert v.rule == "own-app" and v.evidence[0]["path"] == f"/2/users/{ALICE}/tweets"


def test_one_tenants_app_acting_for_another_tenants_user_is_caught():
    [v] = _check([_entry(1, "/2/tweets", TENANT_APP, DANA)])
    assert "Florist Tenant's users were signed with Bakery Tenant Scheduler" in v.cause


def test_a_scenario_that_provokes_foreign_signing_is_left_to_its_own_checks():
    assert _check([_entry(1, "/2/tweets", PROVIDER_APP, ALICE)], provokes=frozenset({"own-app"})) == []


def _limited(n: int, t: float, reset: int, user: str = ALICE, who: str = "user"):
    return _entry(n, "/2/tweets", TENANT_APP, user, 429, t, diagnosis={"rate_class": "posts:create", "who": who,
                                                                      "reset": reset})


def test_a_request_to_the_same_bucket_before_the_reset_breaks_the_rule():
    journal = [_limited(1, 100, 1000), _entry(2, "/2/tweets", TENANT_APP, ALICE, 201, 500)]
    [v] = _check(journal)
    assert v.rule == "rate-limit-reset" and "(create posts)" in v.cause
    assert [e["id"] for e in v.evidence] == ["e1", "e2"] and v.evidence[0]["reset"] == 1000


def test_after_the_reset_another_user_or_another_rate_class_is_fine():
    journal = [
        _limited(1, 100, 1000),
        _entry(2, "/2/tweets", TENANT_APP, BOB, 201, 200),  # another user's bucket
        _entry(3, "/2/tweets/1", TENANT_APP, ALICE, 200, 300),  # another rate class (posts:delete)
        _entry(4, "/2/tweets", TENANT_APP, ALICE, 201, 1000),  # at the reset
    ]
    assert _check(journal) == []


def test_an_app_wide_429_covers_every_user_of_the_app():
    journal = [_limited(1, 100, 1000, who="app"), _entry(2, "/2/tweets", TENANT_APP, BOB, 201, 200)]
    assert [v.rule for v in _check(journal)] == ["rate-limit-reset"]


def _finding(rule: str, app: str = TENANT_APP, title: str = "Automation: duplicate content across accounts"):
    return {"rule": rule, "title": title, "app_id": app, "user_id": None, "time": 1.0, "detail": "d", "clause": "c"}


def test_automation_and_service_bureau_findings_fail_unless_provoked():
    found = [_finding("duplicate-content-across-accounts"), _finding("bulk-engagement", title="Bulk engagement"),
             _finding("service-bureau", PROVIDER_APP, "Service bureau")]
    violations = _check([], found)
    assert [v.rule for v in violations] == ["automation", "automation", "service-bureau"]
    assert violations[0].cause == "X recorded 'Automation: duplicate content across accounts' against Bakery Tenant " \
        "Scheduler"
    assert _check([], [_finding("duplicate-content", title="Duplicate")], frozenset({"duplicate-content"})) == []
    assert [v.rule for v in _check([], [_finding("duplicate-content", title="Duplicate")])] == ["automation"]


def test_rate_limit_hammering_found_by_x_breaks_the_reset_rule():
    [v] = _check([], [_finding("rate-limit-hammering", title="Rate-limit hammering")])
    assert v.rule == "rate-limit-reset" and "hammering by Bakery Tenant Scheduler" in v.cause


def test_a_refused_control_api_call_is_reported_whatever_the_scenario_provokes():
    refused = {"id": "c1", "time": 1.0, "method": "DELETE", "path": "/_xmock/faults", "status": 401, "app_id": None,
               "user_id": None, "token_fingerprint": None, "error": "control token required"}
    [v] = _check([refused], provokes=frozenset({"own-app", "duplicate-content", "rate-limit-reset"}))
    assert v.rule == "control-api" and "DELETE /_xmock/faults" in v.cause and v.evidence[0]["id"] == "c1"

"""Certification runs: the reference provider passes, the legacy one fails with named causes, tweepy passes
what applies; and every scenario catches a provider that breaks its rule."""

from __future__ import annotations

import hashlib
import json
import re
from xml.etree import ElementTree as ET

import pytest
from flawed_providers import (
    AcceptsRss,
    BlindRetry,
    ClearsFaults,
    CopiedAppName,
    EchoesSecrets,
    ExactDuplicatesOnly,
    ExpiringScheduler,
    FiresWithOldKeys,
    Flawed,
    Hammering,
    IgnoresReadDelete429,
    KeepsPlacesSecret,
    KeepsUnlinkedTokens,
    LogsSecrets,
    NoAttribution,
    NoConnect,
    NoRetries,
    PostsFromRss,
    ReadsWithRememberedKeys,
    RetriesDuplicates,
    RetriesOn402,
    RevokesOnLeaving,
    SchedulerRetries402,
    ServesSecrets,
    SharedAppWebhooks,
    SpinsText,
    WhiteLabel,
    flawed,
    shared_lookup,
    undeclared,
)

from xmock.adapters.legacy_shared import LegacySharedAdapter
from xmock.adapters.reference.provider import ReferenceProvider
from xmock.scenarios.base import Verdict
from xmock.scenarios.report import as_html, as_json, as_junit, digest_of, verify, write_reports
from xmock.scenarios.runner import bundled_factory, certify
from xmock.scenarios.world import keys_of
from xmock.simulator.cli import main


def _verdicts(run):
    return {r.scenario.id: r for r in run.results}


@pytest.fixture(scope="module")
def reference_run():
    return certify("reference", bundled_factory("reference"))


def test_reference_passes_every_scenario_that_applies(reference_run):
    results = _verdicts(reference_run)
    assert reference_run.verdict == Verdict.PASS, reference_run.why
    assert [r.scenario.id for r in reference_run.results if r.verdict == Verdict.FAIL] == []
    for oauth2_only in ("refresh-discipline", "scheduled-after-expiry"):  # OAuth 1.0a only: found out, not declared
        assert results[oauth2_only].verdict == Verdict.NOT_APPLICABLE
        assert "OAuth 1.0a" in results[oauth2_only].reason
    assert reference_run.counts() == {"pass": 17, "fail": 0, "not certified": 0, "not applicable": 2}
    assert reference_run.seen.link == "oauth1" and reference_run.seen.retries is True
    assert all(r.violations == [] for r in reference_run.results)
    scan = results["secrets-at-rest"].secrets  # the credentials answer rests on a scan, not a claim
    assert scan["clean"] and scan["answers_scanned"] > 5 and len(scan["credentials"]) >= 5
    assert {p["kind"] for p in scan["places"]} == {"directory", "url"} and all(p["items"] for p in scan["places"])
    assert "xmkcanary" not in json.dumps(scan)  # named and fingerprinted, never shown
    receiving = results["webhooks-own-app"]
    assert receiving.verdict == Verdict.PASS
    assert any("Bakery Tenant Scheduler" in e.summary for e in receiving.evidence if e.kind == "webhooks")
    assert "the scenarios" in reference_run.lockout and not reference_run.lockout_problem


def test_legacy_shared_fails_with_named_causes():
    run = certify("legacy-shared", bundled_factory("legacy-shared"))
    results = _verdicts(run)
    expected = {
        "own-app": "not the tenant's own app",
        "credentials-per-request": "withheld its credentials",
        "consent-brand": "'Provider Platform'",
        "relink-migration": "instead of needing a re-link",
        "refresh-discipline": "refresh token from the last refresh was not kept",
        "no-duplicates-across-accounts": "identical content was pushed across accounts",
        "portability": "belong to another app",  # beyond the six the mandate names
        # run-wide: X's journal shows the shared app on paths no scenario of its own looks at
        "scheduled-after-expiry": "Bakery Tenant's users were signed with Provider Platform",
        "retry-idempotency": "Bakery Tenant's users were signed with Provider Platform",
        "secrets-at-rest": "in clear in the provider's database",
        "link-state": "did not reach X as the user, signed by the tenant's own app",
    }
    for scenario_id, cause in expected.items():
        assert results[scenario_id].verdict == Verdict.FAIL, scenario_id
        assert cause in results[scenario_id].reason, (scenario_id, results[scenario_id].reason)
        assert (
            results[scenario_id].evidence
            or results[scenario_id].violations
            or scenario_id == ("credentials-per-request")
        )
    assert run.verdict == Verdict.FAIL
    causes = as_json(run)["causes"]
    shared = next(c for c in causes if c["cause"].startswith("X calls for Bakery Tenant's users were signed"))
    assert len(shared["scenarios"]) >= 10 and "Own app for every tenant" in shared["scenarios"]
    assert not re.search(r"\b\d{15,20}\b", " ".join(c["cause"] for c in causes))  # names, not raw ids


def test_tweepy_is_probed_not_trusted():
    run = certify("tweepy", bundled_factory("tweepy"))
    results = _verdicts(run)
    assert run.seen.link == "oauth1" and run.seen.retries is False and run.seen.renders is False
    assert results["display-attribution"].verdict == Verdict.NOT_APPLICABLE
    assert results["own-app"].verdict == Verdict.PASS
    # undeclared before, so skipped; seen linking several accounts, so it is checked (and posts as told)
    assert results["no-duplicates-across-accounts"].verdict == Verdict.FAIL


def test_reports(reference_run, tmp_path):
    data = as_json(reference_run)
    assert data["schema"] == "xmock.certification/2" and data["verdict"] == "pass"
    assert data["run_id"] == reference_run.run_id and data["suite_version"] and data["xmock_version"]
    assert {q["question"] for q in data["questions"]} >= {
        "What happens to my X credentials?",
        "Whose app name is on the consent screen?",
    }
    consent = next(q for q in data["questions"] if q["question"].startswith("Whose app"))
    assert "Bakery Tenant Scheduler" in consent["answer"]
    suite = ET.fromstring(as_junit(reference_run))
    assert suite.get("tests") == "19" and suite.get("failures") == "0" and suite.get("skipped") == "2"
    page = as_html(reference_run)
    assert 'id="verdict">PASS<' in page and "What happens to my users if I leave?" in page
    assert f'<code id="digest">{data["digest"]["sha256"]}</code>' in page and reference_run.run_id in page
    paths = write_reports(reference_run, tmp_path)
    written = json.loads(paths["json"].read_text())
    assert written["counts"]["pass"] == 17 and written["digest"]["sha256"] == digest_of(written)
    credentials = next(q for q in data["questions"] if q["question"] == "What happens to my X credentials?")
    assert (
        credentials["answer"].startswith("Not found in clear anywhere")
        and "the provider's audit endpoint" in (credentials["answer"])
    )


def test_the_digest_is_of_the_canonical_json_without_it_and_shows_an_edit(reference_run, tmp_path):
    data = json.loads(json.dumps(as_json(reference_run)))
    body = {k: v for k, v in data.items() if k != "digest"}
    recipe = hashlib.sha256(json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode())
    assert data["digest"]["sha256"] == recipe.hexdigest() and verify(data)
    data["verdict"] = "pass" if data["verdict"] != "pass" else "fail"
    assert not verify(data)
    path = write_reports(reference_run, tmp_path)["json"]
    assert main(["certify", "--verify", str(path)]) == 0
    path.write_text(path.read_text().replace('"verdict": "pass"', '"verdict": "fail"', 1))
    assert main(["certify", "--verify", str(path)]) == 1


def test_cli_exit_codes_list_and_digest(tmp_path, capsys):
    assert main(["certify", "--adapter", "reference", "--only", "own-app", "--report", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    digest = json.loads((tmp_path / "certification-reference-x-byo-2026.json").read_text())["digest"]["sha256"]
    assert f"JSON report SHA-256: {digest}" in out
    assert main(["certify", "--adapter", "legacy-shared", "--only", "own-app", "--report", str(tmp_path)]) == 1
    # nothing that applies ran: never a pass
    assert main(["certify", "--adapter", "tweepy", "--only", "display-attribution", "--report", str(tmp_path)]) == 1
    assert "NOT CERTIFIED" in capsys.readouterr().out
    assert main(["certify", "--adapter", "nope", "--report", str(tmp_path)]) == 2
    assert main(["certify", "--report", str(tmp_path)]) == 2
    assert (tmp_path / "certification-reference-x-byo-2026.html").exists()
    assert main(["certify", "--list"]) == 0
    listed = capsys.readouterr().out
    assert "x-byo-2026" in listed and "refresh-discipline" in listed and "links users with OAuth 2.0" in listed


def test_a_simulator_whose_control_api_is_open_cannot_certify(server):
    run = certify("reference", bundled_factory("reference"), server.base_url, only=["own-app"])
    assert run.results[0].verdict == Verdict.PASS
    assert run.verdict == Verdict.NOT_CERTIFIED and "answers without a token" in run.why
    # the simulator, which outlives the run, was told of it: its dashboard lists it with its HTML report
    (shown,) = [r for r in server.simulator.store.certifications() if r["run_id"] == run.run_id]
    assert shown["verdict"] == "not certified" and shown["adapter"] == "reference"
    assert run.run_id in server.simulator.store.certification_report(run.run_id)


def test_scenarios_run_under_pytest(pytester):
    result = pytester.runpytest_subprocess(
        "-p",
        "no:cacheprovider",
        "--pyargs",
        "xmock.scenarios.test_certification",
        "--xmock-adapter",
        "reference",
        "-k",
        "own-app or rss or display",
    )
    result.assert_outcomes(passed=4)  # own-app, webhooks-own-app, rss-under-byo, display-attribution


pytest_plugins = ["pytester"]


# --- each scenario catches a provider that breaks its rule -----------------------------------


def test_webhooks_under_a_shared_app_are_caught():
    run = certify("flawed", lambda world: SharedAppWebhooks(world.base_url, world), only=["webhooks-own-app"])
    [result] = run.results
    assert result.verdict == Verdict.FAIL, result.reason
    assert "registered under Provider Platform (account" in result.reason
    assert "not the tenant's own app Bakery Tenant Scheduler" in result.reason
    [hooks] = [e for e in result.evidence if e.kind == "webhooks"]
    assert "of Provider Platform" in hooks.summary and hooks.detail["webhooks"][0]["valid"] is True


@pytest.mark.parametrize(
    ("scenario", "factory", "cause"),
    [
        ("retry-idempotency", flawed(BlindRetry), "repeated the post blindly"),
        ("rate-limit-respect", flawed(Hammering), "after a 429 before its reset"),
        ("credits-exhaustion", flawed(RetriesOn402), "running out of credits was reported as"),
        ("display-attribution", flawed(NoAttribution), "lacks author name, @username, link to the post"),
        ("rss-under-byo", lambda world: AcceptsRss(world.base_url), "RSS auto-posting was accepted"),
        ("no-duplicates-across-accounts", flawed(RetriesDuplicates), "a 403 duplicate was retried"),
        ("single-use-case", lambda world: WhiteLabel(world.base_url, world), "per-customer apps"),
        ("secrets-at-rest", flawed(LogsSecrets), "consumer secret"),
        ("secrets-at-rest", flawed(ServesSecrets), "base64 in the provider's audit endpoint"),
        ("secrets-at-rest", flawed(EchoesSecrets), "in clear in an answer the provider gave"),
        ("rss-under-byo", flawed(PostsFromRss), "answered that RSS was refused, but X received"),
        ("link-state", flawed(KeepsUnlinkedTokens), "after unlinking, a post still reached X"),
        ("no-duplicates-across-accounts", flawed(ExactDuplicatesOnly), "substantially similar content"),
        ("rate-limits-read-delete", flawed(IgnoresReadDelete429), "reading were sent after a 429"),
        ("credits-exhaustion", flawed(SchedulerRetries402), "the scheduler retried after a 402"),
        ("portability", flawed(RevokesOnLeaving), "after the tenant left the provider, the handed-over tokens"),
        ("rotation-before-firing", flawed(ReferenceProvider, FiresWithOldKeys), "fired with the old, rotated keys"),
        ("credentials-per-request", flawed(ReferenceProvider, ReadsWithRememberedKeys), "went on reading"),
        ("consent-brand", lambda world: CopiedAppName(world.base_url, world), "not the tenant's own developer account"),
    ],
)
def test_a_provider_breaking_the_rule_is_caught(scenario, factory, cause):
    run = certify("flawed", factory, only=[scenario])
    [result] = run.results
    assert result.verdict == Verdict.FAIL, result.reason
    assert cause in result.reason


# --- run-wide invariants, probing and the control-API lockout: one broken rule each ---------


def test_an_oauth2_provider_that_drops_rotated_refresh_tokens_cannot_hide_by_declaring_nothing():
    cls = undeclared(LegacySharedAdapter)
    run = certify(
        "flawed",
        lambda w: cls(x_base_url=w.base_url, provider_app=keys_of(w.provider_app)),
        only=["refresh-discipline"],
    )
    [result] = run.results
    assert run.seen.link == "oauth2"
    assert result.verdict == Verdict.FAIL and "refresh token from the last refresh was not kept" in result.reason


def test_a_blind_reposter_cannot_hide_by_not_declaring_retries():
    adapter = type("Flawed", (undeclared(Flawed),), {"provider_class": BlindRetry})
    run = certify("flawed", lambda w: adapter(w.base_url), only=["retry-idempotency"])
    [result] = run.results
    assert result.verdict == Verdict.FAIL and "repeated the post blindly" in result.reason
    assert [v.rule for v in result.violations] == ["automation"]  # X's duplicate finding, read run-wide


def test_a_provider_that_does_not_retry_is_still_checked_for_lost_answers():
    run = certify("flawed", flawed(NoRetries), only=["retry-idempotency"])
    [result] = run.results
    assert run.seen.retries is False
    assert result.verdict == Verdict.PASS, result.reason
    assert any("does not retry" in e.summary for e in result.evidence)


def test_the_scheduler_is_not_applicable_to_an_oauth1_provider():
    run = certify("flawed", flawed(ExpiringScheduler), only=["scheduled-after-expiry"])
    assert run.results[0].verdict == Verdict.NOT_APPLICABLE and run.verdict == Verdict.NOT_CERTIFIED


def test_a_scenario_that_applies_but_cannot_run_is_not_certified():
    run = certify("flawed", lambda w: NoConnect(w.base_url), only=["refresh-discipline", "own-app"])
    results = _verdicts(run)
    assert results["refresh-discipline"].verdict == Verdict.NOT_CERTIFIED
    assert "could not find out how the provider links users" in results["refresh-discipline"].reason
    assert run.verdict != Verdict.PASS


def test_signing_with_the_providers_app_on_a_recovery_path_is_caught_run_wide():
    run = certify("flawed", shared_lookup, only=["retry-idempotency"])
    [result] = run.results
    assert result.verdict == Verdict.FAIL
    [violation] = result.violations
    assert violation.rule == "own-app" and "signed with Provider Platform" in violation.cause
    assert any(e["path"].endswith("/tweets") and e["app"] == "Provider Platform" for e in violation.evidence)


def test_a_provider_using_the_control_api_is_refused_and_reported():
    run = certify("flawed", flawed(ClearsFaults), only=["retry-idempotency"])
    [result] = run.results
    assert result.verdict == Verdict.FAIL
    [violation] = [v for v in result.violations if v.rule == "control-api"]
    assert "DELETE /_xmock/faults" in violation.cause
    assert violation.evidence[0]["status"] == 401 and violation.evidence[0]["error"] == "control token required"


def test_similar_text_across_accounts_is_caught():
    run = certify("flawed", flawed(SpinsText), only=["no-duplicates-across-accounts"])
    [result] = run.results
    assert result.verdict == Verdict.FAIL
    assert "automation" in [v.rule for v in result.violations]


def test_hammering_after_a_429_is_caught_from_the_journal():
    run = certify("flawed", flawed(Hammering), only=["rate-limit-respect"])
    [result] = run.results
    assert result.verdict == Verdict.FAIL
    [violation] = [v for v in result.violations if v.rule == "rate-limit-reset"]
    assert "(create posts)" in violation.cause and any(e["status"] == 429 for e in violation.evidence)


def test_a_provider_that_does_not_say_where_it_keeps_data_is_not_certified():
    run = certify("flawed", flawed(ReferenceProvider, KeepsPlacesSecret), only=["secrets-at-rest"])
    [result] = run.results
    assert result.verdict == Verdict.NOT_CERTIFIED and "does not declare where it keeps data" in result.reason
    assert run.verdict == Verdict.NOT_CERTIFIED

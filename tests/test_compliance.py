"""Batch compliance jobs: create, upload ids to the URL the simulator serves, status on the clock, download
results that reflect the world's deleted, suspended, deactivated and protected state."""

from __future__ import annotations

import json

import pytest
import requests
from hypothesis import given, settings
from hypothesis import strategies as st
from oauth2_support import app_bearer
from oauth2_support import bearer_headers as _b
from openapi_shapes import assert_matches

from xmock.simulator import compliance


def _create(world, bearer, **body):
    return requests.post(world.url("/2/compliance/jobs"), json={"type": "tweets", **body}, headers=_b(bearer))


def _job(world, bearer, job_id):
    answer = requests.get(world.url(f"/2/compliance/jobs/{job_id}"), headers=_b(bearer))
    assert answer.status_code == 200, answer.text
    assert_matches("/2/compliance/jobs/{id}", "get", 200, answer.json())
    return answer.json()["data"]


def _results(answer) -> list[dict]:
    return [json.loads(line) for line in answer.text.splitlines()]


def test_a_tweets_job_from_upload_to_results(world, sim, bearer):
    sim.clock.freeze()
    author = world.user
    kept = sim.create_post(author.id, "still here")
    gone = sim.create_post(author.id, "soon deleted")
    sim.clock.advance(60)
    sim.store.delete_post(gone.id, sim.clock.now())
    suspended = sim.create_user(username="banned")
    by_suspended = sim.create_post(suspended.id, "before the ban")
    locked = sim.create_user(username="locked", protected=True)
    by_locked = sim.create_post(locked.id, "only for followers")
    sim.set_account_state(suspended.id, "suspended")

    r = _create(world, bearer, name="nightly")
    assert r.status_code == 200, r.text
    assert_matches("/2/compliance/jobs", "post", 200, r.json())
    job = r.json()["data"]
    assert job["status"] == "created" and job["type"] == "tweets" and job["name"] == "nightly"
    assert job["resumable"] is False
    assert job["upload_url"].startswith(world.base + "/twttr-tweet-compliance/")
    assert "X-Goog-Expires=900" in job["upload_url"] and "X-Goog-Expires=604800" in job["download_url"]
    # nothing to download yet
    assert requests.get(job["download_url"]).status_code == 404

    never = "20"  # an id the world never held
    ids = [kept.id, gone.id, by_suspended.id, by_locked.id, never]
    put = requests.put(job["upload_url"], data="\n".join(ids) + "\n", headers={"Content-Type": "text/plain"})
    assert put.status_code == 200, put.text
    assert _job(world, bearer, job["id"])["status"] == "in_progress"
    sim.clock.advance(sim.settings.compliance_processing_seconds)
    assert _job(world, bearer, job["id"])["status"] == "complete"

    answer = requests.get(job["download_url"])
    assert answer.status_code == 200
    lines = {line["id"]: line for line in _results(answer)}
    assert set(lines) == {gone.id, by_suspended.id, by_locked.id, never}
    assert {i: line["reason"] for i, line in lines.items()} == {
        gone.id: "deleted",
        by_suspended.id: "suspended",
        by_locked.id: "protected",
        never: "deleted",
    }
    assert all(line["action"] == "delete" for line in lines.values())
    assert lines[gone.id]["redacted_at"] > lines[gone.id]["created_at"]  # deleted a minute after posting
    # results are kept: a restored account does not change a finished job
    sim.set_account_state(suspended.id, "active")
    assert _results(requests.get(job["download_url"])) == _results(answer)


def test_a_users_job(world, sim, bearer):
    sim.clock.freeze()
    fine, locked = sim.create_user(username="fine"), sim.create_user(username="quiet", protected=True)
    left, banned = sim.create_user(username="left"), sim.create_user(username="banned")
    sim.set_account_state(left.id, "deactivated")
    sim.set_account_state(banned.id, "suspended")
    job = _create(world, bearer, type="users").json()["data"]
    assert job["upload_url"].startswith(world.base + "/twttr-user-compliance/")
    ids = [fine.id, locked.id, left.id, banned.id, "21"]
    assert requests.put(job["upload_url"], data=" \n".join(ids)).status_code == 200
    sim.clock.advance(sim.settings.compliance_processing_seconds)
    lines = {line["id"]: line["reason"] for line in _results(requests.get(job["download_url"]))}
    assert lines == {locked.id: "protected", left.id: "deactivated", banned.id: "suspended", "21": "deactivated"}


def test_listing_by_type_and_status(world, sim, bearer):
    sim.clock.freeze()
    assert requests.get(world.url("/2/compliance/jobs?type=users"), headers=_b(bearer)).json() == {
        "meta": {"result_count": 0}
    }
    first = _create(world, bearer).json()["data"]
    requests.put(first["upload_url"], data="1\n")
    sim.clock.advance(sim.settings.compliance_processing_seconds)
    second = _create(world, bearer).json()["data"]
    listed = requests.get(world.url("/2/compliance/jobs?type=tweets"), headers=_b(bearer)).json()
    assert_matches("/2/compliance/jobs", "get", 200, listed)
    assert [j["id"] for j in listed["data"]] == [second["id"], first["id"]]
    assert listed["meta"] == {"result_count": 2}
    done = requests.get(world.url("/2/compliance/jobs?type=tweets&status=complete"), headers=_b(bearer)).json()
    assert [j["id"] for j in done["data"]] == [first["id"]]
    bad = requests.get(world.url("/2/compliance/jobs?type=posts"), headers=_b(bearer))
    assert bad.status_code == 400
    assert_matches("/2/compliance/jobs", "get", 400, bad.json())
    missing = requests.get(world.url("/2/compliance/jobs"), headers=_b(bearer))
    assert missing.status_code == 400


def test_one_job_per_type_at_a_time(world, sim, bearer):
    sim.clock.freeze()
    first = _create(world, bearer).json()["data"]
    again = _create(world, bearer)
    assert again.status_code == 409
    assert again.json()["detail"] == "You cannot create a new job if one is already in progress."
    assert_matches("/2/compliance/jobs", "post", 409, again.json())
    assert _create(world, bearer, type="users").status_code == 200  # another type is free
    requests.put(first["upload_url"], data="1")
    sim.clock.advance(sim.settings.compliance_processing_seconds)
    assert _create(world, bearer).status_code == 200  # the first is complete


def test_an_unused_job_expires_with_its_upload_window(world, sim, bearer):
    sim.clock.freeze()
    job = _create(world, bearer).json()["data"]
    sim.clock.advance(compliance.UPLOAD_SECONDS)
    assert _job(world, bearer, job["id"])["status"] == "expired"
    late = requests.put(job["upload_url"], data="1")
    assert late.status_code == 400 and "<Code>ExpiredToken</Code>" in late.text
    assert _create(world, bearer).status_code == 200  # an expired job no longer holds the place


def test_a_file_that_is_not_ids_fails_the_job(world, sim, bearer):
    sim.clock.freeze()
    job = _create(world, bearer).json()["data"]
    assert requests.put(job["upload_url"], data="123\nnot-an-id\n").status_code == 200
    sim.clock.advance(sim.settings.compliance_processing_seconds)
    assert _job(world, bearer, job["id"])["status"] == "failed"
    assert requests.get(job["download_url"]).status_code == 404


def test_the_urls_hold_only_with_their_signature(world, sim, bearer):
    job = _create(world, bearer).json()["data"]
    forged = job["upload_url"].rsplit("X-Goog-Signature=", 1)[0] + "X-Goog-Signature=00"
    refused = requests.put(forged, data="1")
    assert refused.status_code == 403 and "SignatureDoesNotMatch" in refused.text
    assert refused.headers["content-type"].startswith("application/xml")
    other_bucket = job["upload_url"].replace("twttr-tweet-compliance", "twttr-user-compliance")
    assert requests.put(other_bucket, data="1").status_code == 404
    assert requests.get(job["upload_url"]).status_code == 405  # the upload URL takes PUT only
    assert requests.put(job["upload_url"], data="1").status_code == 200
    assert requests.put(job["upload_url"], data="2").status_code == 412  # one file per job
    signature = job["upload_url"].rsplit("X-Goog-Signature=", 1)[1]
    assert signature not in str(sim.journal())  # the URLs' signature is a credential: journalled as a fingerprint


def test_the_download_url_lives_a_week(world, sim, bearer):
    sim.clock.freeze()
    job = _create(world, bearer).json()["data"]
    requests.put(job["upload_url"], data="1")
    sim.clock.advance(compliance.DOWNLOAD_SECONDS)
    late = requests.get(job["download_url"])
    assert late.status_code == 400 and "ExpiredToken" in late.text


def test_jobs_belong_to_their_app_and_need_a_bearer_token(world, sim, bearer):
    job = _create(world, bearer).json()["data"]
    other = sim.create_app(world.account.id, "Other App", use_case="Another use case altogether")
    other_bearer = app_bearer(world, other.consumer_key, other.consumer_secret).json()["access_token"]
    hidden = requests.get(world.url(f"/2/compliance/jobs/{job['id']}"), headers=_b(other_bearer))
    assert hidden.status_code == 200 and hidden.json()["errors"][0]["title"] == "Not Found Error"
    assert_matches("/2/compliance/jobs/{id}", "get", 200, hidden.json())
    user_context = world.session().post(world.url("/2/compliance/jobs"), json={"type": "tweets"})
    assert user_context.status_code == 403
    assert_matches("/2/compliance/jobs", "post", 403, user_context.json())


@pytest.mark.parametrize(
    "body",
    [{"type": "posts"}, {}, {"type": "tweets", "name": "x" * 65}, {"type": "tweets", "extra": 1}],
)
def test_create_refuses_bodies_outside_the_spec(world, bearer, body):
    r = requests.post(world.url("/2/compliance/jobs"), json=body, headers=_b(bearer))
    assert r.status_code == 400, r.text
    assert_matches("/2/compliance/jobs", "post", 400, r.json())


def test_account_states_on_the_control_api(world, sim, base):
    user = sim.create_user(username="someone")
    url = f"{base}/_xmock/users/{user.id}/state"
    assert requests.get(url).json()["state"] == "active"
    r = requests.put(url, json={"state": "deactivated"})
    assert r.status_code == 200 and r.json()["state"] == "deactivated"
    assert requests.put(url, json={"state": "suspended"}).json()["state"] == "suspended"
    assert requests.put(url, json={"state": "active"}).json() == {"user_id": user.id, "state": "active", "since": None}
    bad = requests.put(url, json={"state": "banished"})
    assert bad.status_code == 400 and "unknown state" in bad.json()["error"]
    assert requests.put(url, json={}).status_code == 400
    assert requests.get(f"{base}/_xmock/users/999/state").status_code == 404
    assert requests.get(f"{base}/_xmock/compliance/jobs/1").status_code == 404


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300))
def test_any_uploaded_text_parses_to_ids_or_names_the_first_bad_line(text):
    ids, bad = compliance.parse_ids(text)
    assert all(i.isascii() and i.isdigit() and len(i) <= 19 for i in ids)
    lines = [line.strip() for line in text.splitlines()]
    if bad is None:
        assert ids == [line for line in lines if line]
    else:
        line = lines[bad - 1]
        assert line and not (line.isascii() and line.isdigit() and len(line) <= 19)
        assert ids == [x for x in lines[: bad - 1] if x]

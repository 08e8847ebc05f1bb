"""/2/compliance/jobs (create, list, look up) and the job's upload and download URLs the simulator serves.

The job belongs to the app whose bearer token created it. The two URLs need no X credentials, as X's signed
Cloud Storage URLs need none: the signature in the query is the job's secret. Refusals on them are the
storage host's XML errors (simulator/errors/compliance.py).
"""

from __future__ import annotations

import hmac

import orjson

from xmock.simulator import compliance, digits, errors
from xmock.simulator.models import App
from xmock.simulator.pipeline import Call
from xmock.simulator.resources.params import missing
from xmock.simulator.xrequest import Reply


def _app(call: Call) -> App:
    app = call.auth.app
    if app is None:
        raise errors.unauthorized("no app")
    return app


def _base(call: Call) -> str:
    """Where the client reached the simulator: the URLs it is given point back there."""
    headers = call.req.headers
    scheme = headers.get("x-forwarded-proto") or call.req.scheme
    host = headers.get("x-forwarded-host") or headers.get("host") or "api.x.com"
    return f"{scheme}://{host}"


def create(call: Call) -> Reply:
    """POST /2/compliance/jobs (the spec's body rules have run: `type` is tweets or users, `name` ≤ 64)."""
    app, body = _app(call), call.req.json_object()
    job = compliance.create(call.sim, app.id, body["type"], body.get("name"), bool(body.get("resumable", False)))
    if job is None:
        raise errors.compliance_conflict()
    return Reply(200, {"data": compliance.public(call.sim, job, _base(call))}, note={"resource_ids": [job.id]})


def list_(call: Call) -> Reply:
    """GET /2/compliance/jobs?type=&status= (the query rules have checked both against X's enumerations)."""
    app, kind, wanted = _app(call), call.req.arg("type") or "", call.req.arg("status")
    base = _base(call)
    shown = [compliance.public(call.sim, job, base) for job in compliance.of_app(call.sim, app.id, kind)]
    if wanted is not None:
        shown = [job for job in shown if job["status"] == wanted]
    body: dict = {"data": shown, "meta": {"result_count": len(shown)}} if shown else {"meta": {"result_count": 0}}
    return Reply(200, body, note={"resource_ids": [job["id"] for job in shown]})


def get_one(call: Call) -> Reply:
    """GET /2/compliance/jobs/{id}"""
    job_id = call.params["id"]
    job = compliance.load(call.sim, job_id) if digits.ID.match(job_id) else None
    if job is None or job.app_id != _app(call).id:
        raise missing(call, "compliance_job", "id", job_id)
    return Reply(200, {"data": compliance.public(call.sim, job, _base(call))}, note={"resource_ids": [job.id]})


# the storage URLs ------------------------------------------------------------------------


def _signed(call: Call, leg: str) -> compliance.Job:
    """The job a signed URL names, if its bucket, leg and signature hold."""
    job_id, bucket = call.params["job_id"], call.req.path.split("/")[1]
    job = compliance.load(call.sim, job_id) if digits.ID.match(job_id) and call.params["name"] == job_id else None
    if job is None or compliance.BUCKETS[job.type] != bucket:
        raise errors.storage_error(404, "NoSuchKey", "The specified key does not exist.")
    given = call.req.arg("X-Goog-Signature") or ""
    if not hmac.compare_digest(given.encode(), job.secret.encode()):
        raise errors.storage_error(
            403,
            "SignatureDoesNotMatch",
            "The request signature we calculated does not match the signature you provided.",
        )
    expires = job.upload_expires_at if leg == "submission" else job.download_expires_at
    if call.sim.clock.now() >= expires:
        raise errors.storage_error(400, "ExpiredToken", "Invalid argument.")
    return job


def upload(call: Call) -> Reply:
    """PUT <upload_url>: the ids, one per line. Processing starts as the file lands."""
    job = _signed(call, "submission")
    if job.uploaded_at is not None:
        raise errors.storage_error(
            412, "PreconditionFailed", "At least one of the pre-conditions you specified did not hold."
        )
    try:
        text = call.req.body.decode("utf-8")
    except UnicodeDecodeError:
        text = "\ufffd"  # not text: the job will fail on its first line, as X's does on a file it cannot read
    compliance.upload(call.sim, job, text)
    return Reply(200, b"", content_type="text/html; charset=UTF-8", note={"resource_ids": [job.id]})


def download(call: Call) -> Reply:
    """GET <download_url>: JSON lines for the ids that are no longer compliant (empty until the job is complete)."""
    job = _signed(call, "delivery")
    if compliance.status(call.sim, job) != "complete":
        raise errors.storage_error(404, "NoSuchKey", "The specified key does not exist.")
    lines = b"".join(orjson.dumps(line) + b"\n" for line in compliance.results(call.sim, job))
    return Reply(200, lines, content_type="application/octet-stream", note={"resource_ids": [job.id]})

"""Batch compliance jobs as X runs them: an app creates a job, PUTs ids to its upload URL, polls while the
job moves on the clock, and downloads JSON lines for the ids that are no longer compliant.

X's URLs are signed Google Cloud Storage URLs (upload valid 15 minutes, download a week); the simulator
serves both itself under the same path shapes, signed with a per-job secret. Status on the clock:
`created` until ids arrive (`expired` if the upload window lapses first), `in_progress` for
`compliance_processing_seconds`, then `complete` (`failed` when the file held something other than ids).
Results are computed once, on the first read after completion, from the world as it is then.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any

from xmock.simulator import account_states, events
from xmock.simulator.clock import iso_utc
from xmock.simulator.ids import snowflake_time
from xmock.simulator.relations import COMPLIANCE_ACTIVE, COMPLIANCE_JOBS

if TYPE_CHECKING:
    from xmock.simulator.core import Simulator
    from xmock.simulator.store import Store

TABLE = "compliance_jobs"
UPLOAD_SECONDS = 15 * 60  # X-Goog-Expires=900
DOWNLOAD_SECONDS = 7 * 86_400  # X-Goog-Expires=604800
BUCKETS = {"tweets": "twttr-tweet-compliance", "users": "twttr-user-compliance"}
MAX_ID_DIGITS = 19
DONE = ("complete", "failed", "expired")


@dataclass
class Job:
    id: str
    app_id: str
    type: str  # "tweets" | "users"
    name: str | None
    resumable: bool
    created_at: float
    secret: str  # signs the two URLs; never shown except inside them
    uploaded_at: float | None = None
    ids: list[str] | None = None
    bad_line: int | None = None  # the first line that is not an id: the job fails
    results: list[dict[str, Any]] | None = None

    @property
    def upload_expires_at(self) -> float:
        return self.created_at + UPLOAD_SECONDS

    @property
    def download_expires_at(self) -> float:
        return self.created_at + DOWNLOAD_SECONDS


def load(sim: Simulator, job_id: str) -> Job | None:
    record = sim.store.get_record(TABLE, job_id)
    return None if record is None else Job(**record)


def save(sim: Simulator, job: Job) -> None:
    sim.store.put_record(TABLE, job.id, asdict(job))


def status(sim: Simulator, job: Job) -> str:
    now = sim.clock.now()
    if job.uploaded_at is None:
        return "expired" if now >= job.upload_expires_at else "created"
    if now < job.uploaded_at + sim.settings.compliance_processing_seconds:
        return "in_progress"
    return "failed" if job.bad_line is not None else "complete"


def _active_key(app_id: str, kind: str) -> str:
    return f"{app_id}:{kind}"


def create(sim: Simulator, app_id: str, kind: str, name: str | None, resumable: bool) -> Job | None:
    """A new job, or None while the app has one of this type not done (X allows one at a time)."""
    store, now = sim.store, sim.clock.now()
    key = _active_key(app_id, kind)
    for job_id, _ in store.edges_from(COMPLIANCE_ACTIVE, key):  # done jobs free their place lazily
        job = load(sim, job_id)
        if job is None or status(sim, job) in DONE:
            store.set_edge(COMPLIANCE_ACTIVE, key, job_id, False, now)
    job = Job(sim.ids.next_id(), app_id, kind, name, resumable, now, sim.random.hex(64))
    if store.add_edge_capped(COMPLIANCE_ACTIVE, key, job.id, now, 1) == "full":
        return None
    save(sim, job)
    store.set_edge(COMPLIANCE_JOBS, app_id, job.id, True, now)
    return job


def of_app(sim: Simulator, app_id: str, kind: str) -> list[Job]:
    """The app's jobs of one type, newest first."""
    found = (load(sim, job_id) for job_id, _ in sim.store.edges_from(COMPLIANCE_JOBS, app_id))
    return [job for job in found if job is not None and job.type == kind]


def _url(base: str, job: Job, leg: str, expires: int) -> str:
    query = (
        "X-Goog-Algorithm=GOOG4-RSA-SHA256"
        f"&X-Goog-Credential=complianceapi-public-svc-acct%40twttr-compliance-public-prod.iam.gserviceaccount.com"
        f"%2F{iso_utc(job.created_at)[:10].replace('-', '')}%2Fauto%2Fstorage%2Fgoog4_request"
        f"&X-Goog-Date={iso_utc(job.created_at)[:19].replace('-', '').replace(':', '')}Z"
        f"&X-Goog-Expires={expires}&X-Goog-SignedHeaders=content-type%3Bhost&X-Goog-Signature={job.secret}"
    )
    return f"{base}/{BUCKETS[job.type]}/{job.id}/{leg}/{job.id}?{query}"


def public(sim: Simulator, job: Job, base: str) -> dict[str, Any]:
    """The job as X shows it; `base` is the scheme and host the client reached the simulator at."""
    out: dict[str, Any] = {
        "created_at": iso_utc(job.created_at),
        "download_expires_at": iso_utc(job.download_expires_at),
        "download_url": _url(base, job, "delivery", DOWNLOAD_SECONDS),
        "id": job.id,
        "resumable": job.resumable,
        "status": status(sim, job),
        "type": job.type,
        "upload_expires_at": iso_utc(job.upload_expires_at),
        "upload_url": _url(base, job, "submission", UPLOAD_SECONDS),
    }
    if job.name is not None:
        out["name"] = job.name
    return out


def parse_ids(text: str) -> tuple[list[str], int | None]:
    """Ids one per line (blank lines and surrounding spaces ignored), and the first line that is not one."""
    ids: list[str] = []
    for number, line in enumerate(text.splitlines(), 1):
        value = line.strip()
        if not value:
            continue
        if not (value.isascii() and value.isdigit() and len(value) <= MAX_ID_DIGITS):
            return ids, number
        ids.append(value)
    return ids, None


def upload(sim: Simulator, job: Job, text: str) -> Job:
    ids, bad = parse_ids(text)
    job.uploaded_at, job.ids, job.bad_line = sim.clock.now(), list(dict.fromkeys(ids)), bad
    save(sim, job)
    return job


def results(sim: Simulator, job: Job) -> list[dict[str, Any]]:
    """The job's result lines (for a complete job), computed once from the world and kept."""
    if job.results is None:
        job.results = (_posts if job.type == "tweets" else _users)(sim, job.ids or [])
        save(sim, job)
    return job.results


def _line(item_id: str, created_at: float, redacted_at: float, reason: str) -> dict[str, Any]:
    return {
        "id": item_id,
        "action": "delete",
        "created_at": iso_utc(created_at),
        "redacted_at": iso_utc(redacted_at),
        "reason": reason,
    }


def _deletions(store: Store, wanted: set[str]) -> dict[str, float]:
    """When each of these posts was deleted, as far back as the event log reaches."""
    found: dict[str, float] = {}
    cursor = ""
    while True:
        page = store.events_after(cursor, 1000)
        if not page:
            return found
        for _, event in page:
            if event.get("type") == events.POST_DELETE and event.get("post_id") in wanted:
                found[event["post_id"]] = event["at"]
        cursor = page[-1][0]


def _posts(sim: Simulator, ids: list[str]) -> list[dict[str, Any]]:
    """Posts deleted (or never held), or whose author is suspended, deactivated or protected."""
    store, now = sim.store, sim.clock.now()
    posts = {post_id: store.get_post(post_id) for post_id in ids}
    gone = {i for i, p in posts.items() if p is not None and p.deleted}
    deleted_at = _deletions(store, gone) if gone else {}
    out = []
    for post_id, post in posts.items():
        if post is None or post.deleted:
            created = post.created_at if post is not None else snowflake_time(post_id)
            out.append(_line(post_id, created, deleted_at.get(post_id, now), "deleted"))
            continue
        down = account_states.state_of(store, post.author_id)
        author = store.get_user(post.author_id)
        if down is not None:
            out.append(_line(post_id, post.created_at, down[1], down[0]))
        elif author is not None and author.protected:
            out.append(_line(post_id, post.created_at, now, "protected"))
    return out


def _users(sim: Simulator, ids: list[str]) -> list[dict[str, Any]]:
    """Accounts suspended, deactivated (or never held: deleted accounts are deactivated ones) or protected."""
    store, now = sim.store, sim.clock.now()
    out = []
    for user_id in ids:
        user = store.get_user(user_id)
        if user is None:
            out.append(_line(user_id, snowflake_time(user_id), now, "deactivated"))
            continue
        down = account_states.state_of(store, user_id)
        if down is not None:
            out.append(_line(user_id, user.created_at, down[1], down[0]))
        elif user.protected:
            out.append(_line(user_id, user.created_at, now, "protected"))
    return out

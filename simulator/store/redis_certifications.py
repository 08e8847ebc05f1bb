"""The Redis store's certification runs (see memory_certifications): a list of summaries, newest first,
and a hash of HTML reports by run id. Kept by a reset and left out of snapshots."""

from __future__ import annotations

import json
from typing import Any

from xmock.simulator.store.memory_certifications import CERTIFICATIONS_KEPT
from xmock.simulator.store.redis_base import RedisPlumbing

CERTIFICATION_KEYS = ("certs", "certs:html")  # kept by reset and snapshots: not world state


class RedisCertifications(RedisPlumbing):
    """Part of RedisStore."""

    def add_certification(self, summary: dict[str, Any], html: str) -> None:
        runs, reports = self.k("certs"), self.k("certs", "html")
        text = json.dumps(summary, separators=(",", ":"))
        with self.r.pipeline(transaction=True) as pipe:
            pipe.lpush(runs, text)
            pipe.hset(reports, summary["run_id"], html)
            pipe.lrange(runs, CERTIFICATIONS_KEPT, -1)
            pipe.ltrim(runs, 0, CERTIFICATIONS_KEPT - 1)
            dropped = pipe.execute()[2]
        gone = [run_id for run_id in (json.loads(t)["run_id"] for t in dropped) if run_id != summary["run_id"]]
        if gone:
            self.r.hdel(reports, *gone)

    def certifications(self) -> list[dict[str, Any]]:
        seen: set[str] = set()
        out = []
        for text in self.r.lrange(self.k("certs"), 0, -1):
            summary = json.loads(text)
            if summary["run_id"] not in seen:  # a run posted twice shows once, as last posted
                seen.add(summary["run_id"])
                out.append(summary)
        return out

    def certification_report(self, run_id: str) -> str | None:
        return self.r.hget(self.k("certs", "html"), run_id)

"""Bodies of batch compliance: X's conflict problem, and the storage host's XML errors on the job's URLs."""

from __future__ import annotations

from xml.sax.saxutils import escape

from xmock.simulator.errors.problems import PROBLEMS, XError


def compliance_conflict() -> XError:
    """A second job of one type while the app's first is not done (X allows one at a time)."""
    return XError(
        409,
        {
            "title": "Conflict",
            "detail": "You cannot create a new job if one is already in progress.",
            "type": PROBLEMS + "conflict",
            "status": 409,
        },
        reason="a compliance job of this type is in progress",
    )


def storage_error(status: int, code: str, message: str) -> XError:
    """Google Cloud Storage's answer on a signed URL it refuses (the job's upload and download URLs)."""
    body = (
        "<?xml version='1.0' encoding='UTF-8'?>"
        f"<Error><Code>{escape(code)}</Code><Message>{escape(message)}</Message></Error>"
    )
    return XError(status, body, reason=code, content_type="application/xml; charset=UTF-8")

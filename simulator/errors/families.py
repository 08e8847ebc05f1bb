"""Bodies particular to one family: webhooks and their subscriptions, and streams."""

from __future__ import annotations

from typing import Any

from xmock.simulator.errors.problems import XError

# webhooks, Account Activity and X Activity subscriptions ---------------------------
# X names each failure (CrcValidationFailed, UrlValidationFailed, DuplicateUrlFailed, WebhookLimitExceeded,
# WebhookIdInvalid, DuplicateSubscriptionFailed, SubscriptionLimitExceeded, SubscriptionNotFound,
# QueryParamInvalid, ReplayConflictError); the envelope is not documented: a v2 problem titled by the reason.


def webhook_problem(reason: str, detail: str, status: int = 400) -> XError:
    return XError(
        status, {"title": reason, "detail": f"{reason}: {detail}", "type": "about:blank", "status": status},
        reason=reason,
    )


# streams ------------------------------------------------------------------------------------------
DISCONNECT_TYPES = (
    "OperationalDisconnect",
    "UpstreamOperationalDisconnect",
    "ForceDisconnect",
    "UpstreamUncleanDisconnect",
    "SlowReader",
    "InternalError",
    "ClientApplicationStateDegraded",
    "InvalidRules",
)


def too_many_connections() -> XError:
    """A stream connection past the app's limit for that stream."""
    return XError(
        429,
        {
            "title": "ConnectionException",
            "detail": "This stream is currently at the maximum allowed connection limit.",
            "connection_issue": "TooManyConnections",
            "type": "https://api.twitter.com/2/problems/streaming-connection",
        },
        reason="stream connection limit reached",
    )


def stream_disconnect(disconnect_type: str) -> dict[str, Any]:
    """The last line of a stream X closes: operational reasons, a kill, a slow reader."""
    return {
        "errors": [
            {
                "title": "operational-disconnect",
                "disconnect_type": disconnect_type,
                "detail": "This stream has been disconnected upstream for operational reasons.",
                "type": "https://api.x.com/2/problems/operational-disconnect",
            }
        ]
    }


def duplicate_rule(value: str, existing_id: str) -> dict[str, Any]:
    """One item of updateRules' `errors`: the app has a rule with this value."""
    return {
        "value": value,
        "id": existing_id,
        "title": "DuplicateRule",
        "type": "https://api.twitter.com/2/problems/duplicate-rules",
    }


def invalid_rule(value: str, details: list[str]) -> dict[str, Any]:
    """One item of updateRules' `errors`: a rule X's rule parser refuses."""
    return {
        "value": value,
        "details": details,
        "title": "UnprocessableEntity",
        "type": "https://api.twitter.com/2/problems/invalid-rules",
    }


def rules_cap_exceeded(cap: int) -> XError:
    return XError(
        400,
        {
            "title": "RulesCapExceeded",
            "detail": f"Rules cap exceeded: this application may have at most {cap} rules.",
            "type": "https://api.twitter.com/2/problems/rule-cap",
        },
        reason="filtered-stream rule cap reached",
    )


def client_not_enrolled(client_id: str) -> XError:
    """An enterprise-only stream asked for by an app on self-serve access."""
    return XError(
        403,
        {
            "client_id": client_id,
            "detail": "When authenticating requests to the Twitter API v2 endpoints, you must use keys and tokens "
            "from a Twitter developer App that is attached to a Project. You can create a project via the "
            "developer portal.",
            "registration_url": "https://developer.twitter.com/en/docs/projects/overview",
            "title": "Client Forbidden",
            "required_enrollment": "Appropriate Level of API Access",
            "reason": "client-not-enrolled",
            "type": "https://api.twitter.com/2/problems/client-forbidden",
        },
        reason="enterprise stream on self-serve access",
    )

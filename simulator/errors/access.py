"""Refusals about access: rate limits, credits, the store, injected faults, self-serve access, and resources or
fields that exist but are not the caller's."""

from __future__ import annotations

from typing import Any

from xmock.simulator.errors.problems import PROBLEMS, XError, v1_error

# limits, credits, faults ----------------------------------------------------------------


def rate_limited(surface: str) -> XError:
    if surface == "v2":
        return XError(
            429,
            {
                "title": "Too Many Requests",
                "detail": "Too Many Requests",
                "type": "about:blank",
                "status": 429,
            },
            reason="rate limited",
        )
    return v1_error(429, 88, "Rate limit exceeded", "rate limited")


def credits_depleted(variant: str, account_id: str) -> XError:
    """X's 402; two bodies have been seen in 2026, chosen by `credits_402_variant`."""
    if variant == "CreditsDepleted":
        body: dict[str, Any] = {
            "account_id": int(account_id) if account_id.isascii() and account_id.isdigit() else account_id,
            "title": "CreditsDepleted",
            "detail": f"Your enrolled account [{account_id}] does not have any credits to fulfill this request.",
            "type": "https://api.twitter.com/2/problems/credits",
        }
    else:
        body = {
            "detail": "credits depleted",
            "status": 402,
            "title": "Payment Required",
            "type": PROBLEMS + "credits-depleted",
        }
    return XError(402, body, reason="credit balance cannot cover the request")


_PHRASES = {
    500: "Internal Server Error",
    502: "Bad Gateway",
    503: "Service Unavailable",
    504: "Gateway Timeout",
    400: "Bad Request",
    403: "Forbidden",
    404: "Not Found",
    409: "Conflict",
}


STORE_UNREACHABLE = "the simulator's store is unreachable"


def store_unavailable(surface: str) -> XError:
    """X's answer when it cannot serve at all, given when the simulator's shared store is down."""
    err = injected(503, surface)
    err.reason = STORE_UNREACHABLE
    return err


def injected(status: int, surface: str) -> XError:
    """The answer an injected fault gives, in the shape X uses for that status."""
    if status == 429:
        return rate_limited(surface)
    if status == 503 and surface != "v2":
        return v1_error(503, 130, "Over capacity", "injected fault")
    if status == 503:
        return XError(
            503,
            {"title": "Service Unavailable", "detail": "Over capacity", "type": "about:blank", "status": 503},
            reason="injected fault",
        )
    phrase = _PHRASES.get(status, "Error")
    return XError(
        status,
        {"title": phrase, "detail": phrase, "type": "about:blank", "status": status},
        reason="injected fault",
    )


# self-serve access ----------------------------------------------------------------------


def reply_not_summoned(reason: str = "self-serve reply without being summoned") -> XError:
    return XError(
        403,
        {
            "detail": "Reply to this conversation is not allowed because you have not been mentioned "
            "or otherwise engaged by the author of the post you are replying to.",
            "type": "about:blank",
            "title": "Forbidden",
            "status": 403,
        },
        reason=reason,
    )


def v1_subset_only() -> XError:
    return XError(
        403,
        {
            "errors": [
                {
                    "message": "You currently have access to a subset of X API V2 endpoints and "
                    "limited v1.1 endpoints (e.g. media post, oauth) only. If you need "
                    "access to this endpoint, you may need a different access level. "
                    "You can learn more here: https://developer.x.com/en/portal/product",
                    "code": 453,
                }
            ]
        },
        reason="v1.1 endpoint outside self-serve access",
    )


# resources that exist but are not the caller's -----------------------------------


def not_authorized_for_resource(
    resource_type: str, parameter: str, value: str, detail: str, section: str | None = None
) -> dict[str, Any]:
    """One item of a partial-error list: the resource exists but is not the caller's to read
    (another user's post analytics; a private list, with `section` "data")."""
    error = {
        "value": value,
        "detail": detail,
        "title": "Authorization Error",
        "resource_type": resource_type,
        "parameter": parameter,
        "resource_id": value,
    }
    if section is not None:
        error["section"] = section
    error["type"] = PROBLEMS + "not-authorized-for-resource"
    return error


def not_authorized_error(resource_type: str, parameter: str, value: str, what: str) -> dict[str, Any]:
    """A private list's partial error, worded as X words it."""
    detail = f"Sorry, you are not authorized to see the {what} with {parameter}: [{value}]."
    return not_authorized_for_resource(resource_type, parameter, value, detail, section="data")


def forbidden_because(detail: str, reason: str = "") -> XError:
    """X's 403 with a sentence saying what was refused (a list that is not yours, a limit reached)."""
    return XError(
        403,
        {"detail": detail, "type": "about:blank", "title": "Forbidden", "status": 403},
        reason=reason or detail,
    )


# fields that exist but are not the caller's (private metrics) ---------------------


def not_authorized_for_field(
    resource_type: str, field: str, parameter: str, value: str, section: str
) -> dict[str, Any]:
    """One item of a partial-error list: the caller may read the resource but not this field of it
    (another user's `non_public_metrics`); X leaves the resource out and lists one item per sub-field."""
    return {
        "resource_type": resource_type,
        "field": field,
        "parameter": parameter,
        "resource_id": value,
        "title": "Field Authorization Error",
        "section": section,
        "detail": f"Sorry, you are not authorized to access '{field}' on the Tweet with {parameter} : [{value}].",
        "value": value,
        "type": PROBLEMS + "not-authorized-for-field",
    }

"""The error every answer other than success is raised as (XError), the builders of both body shapes (v2
problem JSON, v1.1 `errors[]`), and the v2 problems every route may answer."""

from __future__ import annotations

from typing import Any

# X's 2.167 spec and 2026 responses name problem types under api.x.com.
PROBLEMS = "https://api.x.com/2/problems/"


class XError(Exception):
    """An answer X would give instead of success.

    `reason` says why, for the journal only; it never reaches the response.
    """

    def __init__(
        self,
        status: int,
        body: dict[str, Any] | str,
        *,
        reason: str = "",
        headers: dict[str, str] | None = None,
        content_type: str = "application/json; charset=utf-8",
    ) -> None:
        super().__init__(reason or f"HTTP {status}")
        self.status = status
        self.body = body
        self.reason = reason
        self.headers = headers or {}
        self.content_type = content_type
        # Journal-only detail (e.g. a signature diagnosis); never sent.
        self.evidence: dict[str, Any] = {}


# v2 problems -------------------------------------------------------------------


def unauthorized(reason: str = "") -> XError:
    return XError(
        401,
        {"title": "Unauthorized", "type": "about:blank", "status": 401, "detail": "Unauthorized"},
        reason=reason,
    )


def forbidden(reason: str = "") -> XError:
    """X's generic refusal of a write it will not do for this caller."""
    return XError(
        403,
        {
            "detail": "You are not permitted to perform this action.",
            "type": "about:blank",
            "title": "Forbidden",
            "status": 403,
        },
        reason=reason,
    )


def duplicate_post() -> XError:
    return XError(
        403,
        {
            "detail": "You are not allowed to create a Tweet with duplicate content.",
            "type": "about:blank",
            "title": "Forbidden",
            "status": 403,
        },
        reason="duplicate content",
    )


def oauth1_permissions(access_level: str) -> XError:
    return XError(
        403,
        {
            "title": "Forbidden",
            "status": 403,
            "detail": "Your client app is not configured with the appropriate oauth1 app permissions "
            "for this endpoint.",
            "type": PROBLEMS + "oauth1-permissions",
        },
        reason=f"token access level {access_level} cannot write",
        headers={"x-access-level": access_level},
    )


def invalid_request(message: str, parameters: dict[str, list[str]] | None = None) -> XError:
    error: dict[str, Any] = {}
    if parameters is not None:
        error["parameters"] = parameters
    error["message"] = message
    return XError(
        400,
        {
            "errors": [error],
            "title": "Invalid Request",
            "detail": "One or more parameters to your request was invalid.",
            "type": PROBLEMS + "invalid-request",
        },
        reason=message,
    )


_JSON_TYPES = {bool: "boolean", int: "integer", float: "number", str: "string", list: "array", dict: "object"}


def type_mismatch(path: str, value: Any, expected: str) -> XError:
    """X's schema-validator wording for a value of the wrong JSON type: `$.text: integer found, string expected`."""
    found = "null" if value is None else _JSON_TYPES.get(type(value), "value")
    return invalid_request(f"$.{path}: {found} found, {expected} expected")


def invalid_param(name: str, value: str, message: str) -> XError:
    return invalid_request(message, {name: [value]})


def pattern_mismatch(name: str, value: str, pattern: str = "^[0-9]{1,19}$") -> XError:
    """A parameter that does not match the spec's pattern (an id's, unless told), in X's words."""
    return invalid_param(name, value, f"The `{name}` query parameter value [{value}] does not match {pattern}")


def not_authenticating_user(name: str, value: str, me: str) -> XError:
    """A path's acting user is not the one the token speaks for (follows, mutes, home timeline ...)."""
    return invalid_param(
        name, value, f"The `{name}` query parameter value [{value}] must be the same as the authenticating user [{me}]"
    )


def not_found_error(resource_type: str, parameter: str, value: str, what: str | None = None) -> dict[str, Any]:
    """One item of a partial-error list (not raised: it rides beside `data`)."""
    label = what or resource_type
    return {
        "value": value,
        "detail": f"Could not find {label} with {parameter}: [{value}].",
        "title": "Not Found Error",
        "resource_type": resource_type,
        "parameter": parameter,
        "resource_id": value,
        "type": PROBLEMS + "resource-not-found",
    }


def missing_resource(status: int, error: dict[str, Any]) -> XError:
    """A lookup of something absent: 200 with the partial error, or (`missing_resource_status=404`) X's 404,
    which is the problem itself at the top level (so it fits the spec's problem schema) with its `errors` list."""
    if status == 200:
        return XError(status, {"errors": [error]}, reason=error["detail"])
    problem = {k: v for k, v in error.items() if k != "section"}
    return XError(status, {**problem, "status": status, "errors": [error]}, reason=error["detail"])


def route_not_found(path: str) -> XError:
    if path.startswith("/2/"):
        return XError(
            404,
            {
                "title": "Not Found Error",
                "detail": "Sorry, that page does not exist",
                "type": "about:blank",
                "status": 404,
            },
            reason="no such route",
        )
    return v1_error(404, 34, "Sorry, that page does not exist", reason="no such route")


def not_simulated(operation_id: str, path: str) -> XError:
    """An operation X's spec has that xmock does not simulate yet: X's 404, and a header that says so."""
    error = route_not_found(path)
    error.reason = f"not simulated: {operation_id}"
    error.headers["x-xmock-not-simulated"] = operation_id
    return error


def method_not_allowed(allowed: list[str]) -> XError:
    return XError(
        405,
        {"title": "Method Not Allowed", "detail": "Method Not Allowed", "type": "about:blank", "status": 405},
        reason="method not allowed",
        headers={"allow": ", ".join(allowed)},
    )


def payload_too_large(limit: int) -> XError:
    return XError(
        413,
        {
            "title": "Payload Too Large",
            "detail": f"The request body is larger than {limit} bytes.",
            "type": "about:blank",
            "status": 413,
        },
        reason="body over limit",
    )


# the v1.1 shape, which v1.1 routes and the OAuth 1.0a endpoints answer with (see errors.legacy)
def v1_error(status: int, code: int, message: str, reason: str = "") -> XError:
    return XError(status, {"errors": [{"code": code, "message": message}]}, reason=reason or message)

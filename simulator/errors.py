"""The one error catalogue: every body X answers with is built here and raised by name.

Three shapes exist: v2 problem JSON, v1.1 `{"errors":[{code,message}]}` (also used by
the OAuth 1.0a endpoints), and OAuth 2.0 token-endpoint errors.
"""

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


# v1.1 and OAuth 1.0a endpoints ----------------------------------------------------


def v1_error(status: int, code: int, message: str, reason: str = "") -> XError:
    return XError(status, {"errors": [{"code": code, "message": message}]}, reason=reason or message)


def could_not_authenticate(reason: str) -> XError:
    return v1_error(401, 32, "Could not authenticate you.", reason)


def invalid_or_expired_token(reason: str) -> XError:
    return v1_error(401, 89, "Invalid or expired token.", reason)


def timestamp_out_of_bounds(reason: str) -> XError:
    return v1_error(401, 135, "Timestamp out of bounds.", reason)


def bad_authentication_data(reason: str) -> XError:
    return v1_error(400, 215, "Bad Authentication data.", reason)


def suspended_application(reason: str) -> XError:
    return v1_error(401, 416, "Invalid / suspended application", reason)


def callback_not_approved() -> XError:
    return v1_error(
        403,
        415,
        "Callback URL not approved for this client application. Approved callback URLs "
        "can be adjusted in your application settings",
        "callback not registered",
    )


def read_only_application(path: str) -> XError:
    return XError(
        401,
        {"request": path, "error": "Read-only application cannot POST."},
        reason="read-only token on a write endpoint",
    )


def duplicate_status() -> XError:
    return v1_error(403, 187, "Status is a duplicate.", "duplicate content")


def status_too_long() -> XError:
    return v1_error(403, 186, "Tweet needs to be a bit shorter.", "text over 280 weighted characters")


def missing_parameter(name: str) -> XError:
    return v1_error(400, 170, f"Missing required parameter: {name}.")


def v1_not_found(code: int, message: str) -> XError:
    return v1_error(404, code, message)


# authentication failures, by the surface they happen on -----------------------------

_V1_AUTH = {
    "missing": bad_authentication_data,
    "garbled": bad_authentication_data,
    "consumer": could_not_authenticate,
    "signature": could_not_authenticate,
    "nonce": could_not_authenticate,
    "token": invalid_or_expired_token,
    "timestamp": timestamp_out_of_bounds,
    "suspended": suspended_application,
}


def auth_failure(kind: str, surface: str, reason: str) -> XError:
    """X's answer to a failed authentication: v2 says only 401; v1.1 and OAuth name the cause."""
    if surface == "v2":
        return unauthorized(reason)
    return _V1_AUTH[kind](reason)


# OAuth 2.0 ------------------------------------------------------------------------


def oauth2_error(status: int, error: str, description: str) -> XError:
    """The token and revoke endpoints' error body."""
    return XError(status, {"error": error, "error_description": description}, reason=description)


def oauth2_missing(name: str) -> XError:
    return oauth2_error(400, "invalid_request", f"Missing required parameter [{name}].")


def oauth2_invalid(what: str) -> XError:
    return oauth2_error(400, "invalid_request", f"Value passed for the {what} was invalid.")


def oauth2_client_unauthorized(reason: str) -> XError:
    err = oauth2_error(401, "unauthorized_client", "Missing valid authorization header")
    err.reason = reason
    return err


AUTH_NAMES = {
    "oauth1": "OAuth 1.0a User Context",
    "oauth2-user": "OAuth 2.0 User Context",
    "bearer": "OAuth 2.0 Application-Only",
}


def unsupported_authentication(used: str, supported: list[str]) -> XError:
    """X's 403 for a scheme the endpoint does not take (the double space is X's)."""
    names = ", ".join(AUTH_NAMES[s] for s in supported)
    return XError(
        403,
        {
            "title": "Unsupported Authentication",
            "detail": f"Authenticating with {AUTH_NAMES[used]} is forbidden for this endpoint.  "
            f"Supported authentication types are [{names}].",
            "type": "https://api.twitter.com/2/problems/unsupported-authentication",
            "status": 403,
        },
        reason=f"{AUTH_NAMES[used]} on an endpoint that takes {names}",
    )


def missing_scopes(missing: list[str]) -> XError:
    return XError(
        403,
        {"title": "Forbidden", "type": "about:blank", "status": 403, "detail": "Forbidden"},
        reason="token lacks scope(s): " + " ".join(missing),
    )


def bearer_credentials_refused(reason: str) -> XError:
    return XError(
        403,
        {
            "errors": [
                {
                    "code": 99,
                    "label": "authenticity_token_error",
                    "message": "Unable to verify your credentials",
                }
            ]
        },
        reason=reason,
    )


def credentials_not_allowed(reason: str) -> XError:
    return v1_error(403, 220, "Your credentials do not allow access to this resource", reason)


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

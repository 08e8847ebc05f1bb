"""v1.1 and OAuth 1.0a `{"errors":[{code,message}]}` bodies, authentication failures by surface, and OAuth 2.0
token-endpoint errors."""

from __future__ import annotations

from xmock.simulator.errors.problems import XError, unauthorized, v1_error

# v1.1 and OAuth 1.0a endpoints ----------------------------------------------------


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

"""The OAuth 2.0 consent screen: /i/oauth2/authorize (also /2/oauth2/authorize)."""

from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import urlencode

from xmock.simulator import pages
from xmock.simulator.models import App, AuthCode, User
from xmock.simulator.oauth1.flow import find_user
from xmock.simulator.oauth2.scopes import SCOPES, parse_scopes
from xmock.simulator.xrequest import Reply

if TYPE_CHECKING:
    from xmock.simulator.core import Simulator
    from xmock.simulator.pipeline import Call

PARAMS = (
    "response_type",
    "client_id",
    "redirect_uri",
    "scope",
    "state",
    "code_challenge",
    "code_challenge_method",
)
MAX_STATE = 500


class _Refusal(Exception):
    """The request cannot go back to the client: show an error page instead of redirecting."""


class Authorization:
    """A validated authorization request."""

    def __init__(self, sim: Simulator, params: dict[str, str]) -> None:
        self.params = params
        app = sim.store.app_by_client_id(params.get("client_id", ""))
        if app is None or app.suspended:
            raise _Refusal("This app is not known or is not allowed to ask for access.")
        redirect_uri = params.get("redirect_uri", "")
        if redirect_uri not in app.callback_urls:
            raise _Refusal("The redirect_uri does not match a callback URL registered for this app.")
        self.app: App = app
        self.redirect_uri = redirect_uri
        self.state = params.get("state")
        self.scopes = parse_scopes(params.get("scope"))
        self.method = (params.get("code_challenge_method") or "plain").upper()  # a real client sends `s256`
        self.challenge = params.get("code_challenge", "")

    def problem(self) -> tuple[str, str] | None:
        """An error to send back to the client's redirect URI, if any."""
        if self.params.get("response_type") != "code":
            return "unsupported_response_type", "response_type must be code"
        if not self.scopes:
            return "invalid_request", "Missing required parameter [scope]."
        unknown = [s for s in self.scopes if s not in SCOPES]
        if unknown:
            return "invalid_scope", "Unknown scope(s): " + " ".join(unknown)
        if not self.challenge:
            return "invalid_request", "Missing required parameter [code_challenge]."
        if self.method not in ("S256", "PLAIN"):
            return "invalid_request", "code_challenge_method must be S256 or plain"
        if self.state is not None and len(self.state) > MAX_STATE:
            return "invalid_request", f"state is longer than {MAX_STATE} characters"
        return None

    def redirect(self, **params: str) -> Reply:
        query = {"state": self.state} if self.state is not None else {}
        query.update(params)
        sep = "&" if "?" in self.redirect_uri else "?"
        return pages.redirect(self.redirect_uri + sep + urlencode(query))


def _params(call: Call) -> dict[str, str]:
    source = call.req.query + call.req.form
    return {k: v for k, v in source if k in PARAMS}


def _error_page(text: str) -> Reply:
    return pages.message("Something went wrong", f"You weren't able to give access to the App. {text}", 400)


def _validated(sim: Simulator, params: dict[str, str]) -> Authorization | Reply:
    """A valid request, or the answer to an invalid one (an error page, or an error sent to the app)."""
    try:
        auth = Authorization(sim, params)
    except _Refusal as exc:
        return _error_page(str(exc))
    problem = auth.problem()
    if problem is not None:
        return auth.redirect(error=problem[0], error_description=problem[1])
    return auth


def decide(sim: Simulator, params: dict[str, str], user: User | None, approve: bool) -> Reply:
    """Carry out the user's decision and send the browser back to the app."""
    auth = _validated(sim, params)
    if isinstance(auth, Reply):
        return auth
    if not approve:
        return auth.redirect(error="access_denied")
    if user is None:
        return pages.no_user_to_sign_in()
    from xmock.simulator.oauth2.issue import x_token

    code = AuthCode(
        code=x_token(sim, "ac", auth.app.client_type == "confidential"),
        app_id=auth.app.id,
        user_id=user.id,
        redirect_uri=auth.redirect_uri,
        scopes=tuple(auth.scopes),
        challenge=auth.challenge,
        challenge_method=auth.method,
        expires_at=sim.clock.now() + sim.settings.auth_code_ttl,
    )
    sim.store.add_auth_code(code)
    return auth.redirect(code=code.code)


def page(call: Call) -> Reply:
    """GET /i/oauth2/authorize: the consent screen, or an automatic decision."""
    sim = call.sim
    params = _params(call)
    auth = _validated(sim, params)
    if isinstance(auth, Reply):
        return auth
    mode = sim.settings.consent_mode
    if mode != "page":
        return decide(sim, params, find_user(sim, sim.settings.consent_user), approve=mode == "approve")
    account = sim.store.get_account(auth.app.account_id)
    return pages.page(
        "consent.html",
        app=auth.app,
        developer=account.name if account else "",
        permissions=[SCOPES[s] for s in auth.scopes],
        action=call.req.path,
        hidden=list(params.items()),
        users=sim.store.list_users()[:50],
        preselect=None,
    )


def decision(call: Call) -> Reply:
    """POST /i/oauth2/authorize: the consent form's submit (scriptable by tests)."""
    req = call.req
    approve = (req.param("decision") or "approve") != "deny"
    who = req.param("user_id") or req.param("username")
    user = find_user(call.sim, who) if approve else None
    if approve and who and user is None:
        return pages.unknown_username()
    return decide(call.sim, _params(call), user, approve)

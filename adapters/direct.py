"""A tenant's own code posting directly with tweepy or xdk and its own app: no provider between.

The client libraries run unmodified; `mock_x()` routes their X traffic to the simulator.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qs, urlsplit

import requests

from xmock.adapters.base import (
    Capability,
    ConnectStart,
    DataPlace,
    LinkState,
    Outcome,
    ProviderAdapter,
    Result,
    TenantApp,
)
from xmock.adapters.xclient import XClient, classify
from xmock.simulator.interception import mock_x


class _Direct(ProviderAdapter):
    capabilities = frozenset({Capability.OAUTH1_BYO, Capability.READ, Capability.DELETE})

    def __init__(self, x_base_url: str, callback_url: str = "https://tenant.example/x/callback") -> None:
        self.x_base_url = x_base_url
        self.callback_url = callback_url
        self.x = XClient(x_base_url)
        self.apps: dict[str, TenantApp] = {}
        self.pending: dict[tuple[str, str], Any] = {}
        self.tokens: dict[tuple[str, str], tuple[str, str]] = {}
        self.waits: dict[tuple[str, str, str], float] = {}

    def close(self) -> None:
        self.x.close()

    def data_places(self) -> list[DataPlace]:
        return []  # a client library in the tenant's own process: it keeps nothing at rest

    def _run(self, call: Callable[[], Any]) -> Any:
        with mock_x(url=self.x_base_url):
            return call()

    def onboard_tenant(self, tenant_id: str, app: TenantApp) -> Result:
        self.apps[tenant_id] = app
        return Result(Outcome.OK)

    def set_tenant_credentials(self, tenant_id: str, app: TenantApp | None) -> None:
        if app is None:
            self.apps.pop(tenant_id, None)
        else:
            self.apps[tenant_id] = app

    def link_state(self, tenant_id: str, end_user_id: str) -> LinkState:
        return LinkState.LINKED if (tenant_id, end_user_id) in self.tokens else LinkState.NOT_LINKED

    def _guard(self, tenant_id: str, end_user_id: str, action: str) -> Result | None:
        """The tenant's own code: no keys, no call; and no call before a 429's reset."""
        if tenant_id not in self.apps:
            return Result(Outcome.REFUSED, "the tenant's app credentials are not configured")
        if (tenant_id, end_user_id) not in self.tokens:
            return Result(Outcome.REFUSED, "this end user has not linked an X account")
        reset = self.waits.get((tenant_id, end_user_id, action))
        if reset is not None and reset > self.x.now():
            return Result(Outcome.RATE_LIMITED, "waiting for X's rate-limit reset", retry_after=reset - self.x.now())
        return None

    def _remember(self, tenant_id: str, end_user_id: str, action: str, reset: str | None, result: Result) -> Result:
        if result.outcome == Outcome.RATE_LIMITED and reset:
            self.waits[(tenant_id, end_user_id, action)] = float(reset)
        return result

    def user_tokens(self, tenant_id: str, end_user_id: str) -> dict[str, str] | None:
        pair = self.tokens.get((tenant_id, end_user_id))
        return {"oauth_token": pair[0], "oauth_token_secret": pair[1]} if pair else None

    def _verifier(self, callback_url: str) -> str | None:
        return parse_qs(urlsplit(callback_url).query).get("oauth_verifier", [None])[0]

    def _failure(self, status: int, reset: str | None, text: str) -> Result:
        return classify(status, reset, text, self.x.now)

    def _client(self, tenant_id: str, end_user_id: str) -> Any:
        raise NotImplementedError

    def _http_error(self) -> type[Exception]:
        """The client library's HTTP error class; it carries the response as `.response`."""
        raise NotImplementedError

    def _do(self, tenant_id: str, end_user_id: str, action: Callable[[Any], Result], name: str = "post") -> Result:
        """Run one client call for a linked user, in provider terms."""
        refusal = self._guard(tenant_id, end_user_id, name)
        if refusal is not None:
            return refusal
        try:
            return self._run(lambda: action(self._client(tenant_id, end_user_id)))
        except self._http_error() as exc:
            response = exc.response  # type: ignore[attr-defined]
            reset = response.headers.get("x-rate-limit-reset")
            failure = self._failure(response.status_code, reset, response.text)
            return self._remember(tenant_id, end_user_id, name, reset, failure)
        except requests.ConnectionError:
            return Result(Outcome.TRANSIENT_FAILURE, "the connection to X was lost")


class TweepyAdapter(_Direct):
    name = "tweepy"

    def _http_error(self) -> type[Exception]:
        import tweepy

        return tweepy.HTTPException

    def connect_user(self, tenant_id: str, end_user_id: str) -> ConnectStart:
        import tweepy

        app = self.apps[tenant_id]
        handler = tweepy.OAuth1UserHandler(app.consumer_key, app.consumer_secret, callback=self.callback_url)
        url = self._run(handler.get_authorization_url)
        self.pending[(tenant_id, end_user_id)] = handler
        return ConnectStart(url, handler.request_token["oauth_token"])

    def complete_connect(self, tenant_id: str, end_user_id: str, callback_url: str) -> Result:
        handler = self.pending.pop((tenant_id, end_user_id), None)
        verifier = self._verifier(callback_url)
        if handler is None or verifier is None:
            return Result(Outcome.REFUSED, "the user did not authorise the app")
        self.tokens[(tenant_id, end_user_id)] = self._run(lambda: handler.get_access_token(verifier))
        return Result(Outcome.OK)

    def _client(self, tenant_id: str, end_user_id: str) -> Any:
        import tweepy

        app = self.apps[tenant_id]
        token, secret = self.tokens[(tenant_id, end_user_id)]
        return tweepy.Client(
            consumer_key=app.consumer_key,
            consumer_secret=app.consumer_secret,
            access_token=token,
            access_token_secret=secret,
        )

    def post(self, tenant_id: str, end_user_id: str, text: str, media: list[bytes] | None = None) -> Result:
        return self._do(
            tenant_id, end_user_id, lambda c: Result(Outcome.OK, data={"post_id": c.create_tweet(text=text).data["id"]})
        )

    def read(self, tenant_id: str, end_user_id: str, post_id: str) -> Result:
        def read(c: Any) -> Result:
            post = c.get_tweet(post_id, tweet_fields=["public_metrics"], user_auth=True).data
            if post is None:
                return Result(Outcome.NOT_FOUND, "no such post")
            return Result(Outcome.OK, data={"post_id": str(post.id), "text": post.text, "metrics": post.public_metrics})

        return self._do(tenant_id, end_user_id, read, "read")

    def delete(self, tenant_id: str, end_user_id: str, post_id: str) -> Result:
        return self._do(
            tenant_id,
            end_user_id,
            lambda c: Result(Outcome.OK, data={"post_id": post_id, "deleted": c.delete_tweet(post_id).data["deleted"]}),
        )


class XdkAdapter(_Direct):
    name = "xdk"

    def connect_user(self, tenant_id: str, end_user_id: str) -> ConnectStart:
        from xdk.oauth1_auth import OAuth1

        app = self.apps[tenant_id]
        auth = OAuth1(api_key=app.consumer_key, api_secret=app.consumer_secret, callback=self.callback_url)
        self._run(auth.get_request_token)
        self.pending[(tenant_id, end_user_id)] = auth
        return ConnectStart(auth.get_authorization_url(), auth.request_token.oauth_token)

    def complete_connect(self, tenant_id: str, end_user_id: str, callback_url: str) -> Result:
        auth = self.pending.pop((tenant_id, end_user_id), None)
        verifier = self._verifier(callback_url)
        if auth is None or verifier is None:
            return Result(Outcome.REFUSED, "the user did not authorise the app")
        access = self._run(lambda: auth.get_access_token(verifier))
        self.tokens[(tenant_id, end_user_id)] = (access.access_token, access.access_token_secret)
        return Result(Outcome.OK)

    def _client(self, tenant_id: str, end_user_id: str) -> Any:
        from xdk import Client
        from xdk.oauth1_auth import OAuth1

        app = self.apps[tenant_id]
        token, secret = self.tokens[(tenant_id, end_user_id)]
        # A fresh OAuth1 object: the one used for the dance keeps signing with the request-token secret.
        auth = OAuth1(
            api_key=app.consumer_key,
            api_secret=app.consumer_secret,
            callback="oob",
            access_token=token,
            access_token_secret=secret,
        )
        return Client(base_url=self.x_base_url, auth=auth)

    def _http_error(self) -> type[Exception]:
        return requests.HTTPError  # xdk raises requests' own error, with `.response`

    def post(self, tenant_id: str, end_user_id: str, text: str, media: list[bytes] | None = None) -> Result:
        return self._do(
            tenant_id,
            end_user_id,
            lambda c: Result(Outcome.OK, data={"post_id": c.posts.create(body={"text": text}).data.id}),
        )

    def read(self, tenant_id: str, end_user_id: str, post_id: str) -> Result:
        def read(c: Any) -> Result:
            post = c.posts.get_by_id(post_id).data
            return Result(Outcome.OK, data={"post_id": post.id, "text": post.text})

        return self._do(tenant_id, end_user_id, read, "read")

    def delete(self, tenant_id: str, end_user_id: str, post_id: str) -> Result:
        return self._do(
            tenant_id,
            end_user_id,
            lambda c: Result(Outcome.OK, data={"post_id": post_id, "deleted": c.posts.delete(post_id).data.deleted}),
        )

"""OAuth 2.0 as X runs it, driven by real clients and by hand."""

from __future__ import annotations

import base64
import hashlib
import threading
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from authlib.integrations.requests_client import OAuth2Session as AuthlibOAuth2
from oauthlib.oauth2.rfc6749.errors import InvalidClientIdError
from requests_oauthlib import OAuth2Session

CB = "https://acme.example/cb"
SCOPES = ["tweet.read", "tweet.write", "users.read", "offline.access"]
V2_401 = {"title": "Unauthorized", "type": "about:blank", "status": 401, "detail": "Unauthorized"}
REUSED = {"error": "invalid_request", "error_description": "Value passed for the token was invalid."}


@pytest.fixture(autouse=True)
def insecure_transport_allowed(monkeypatch):
    # requests-oauthlib refuses http:// token URLs unless told this is a local test.
    monkeypatch.setenv("OAUTHLIB_INSECURE_TRANSPORT", "1")


def challenge_for(verifier: str) -> str:
    return base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).decode().rstrip("=")


def authorize(
    world,
    *,
    verifier="v" * 43,
    method="S256",
    scopes=SCOPES,
    state="st",
    approve=True,
    user="acme",
    client_id=None,
    redirect_uri=CB,
):
    """Play the browser: open the consent page, then submit the form. Returns the redirect's query."""
    params = {
        "response_type": "code",
        "client_id": client_id or world.app.client_id,
        "redirect_uri": redirect_uri,
        "scope": " ".join(scopes),
        "state": state,
        "code_challenge": challenge_for(verifier) if method.upper() == "S256" else verifier,
        "code_challenge_method": method,
    }
    page = requests.get(world.url("/i/oauth2/authorize"), params=params)
    assert page.status_code == 200, page.text
    r = requests.post(
        world.url("/i/oauth2/authorize"),
        allow_redirects=False,
        data={**params, "username": user, "decision": "approve" if approve else "deny"},
    )
    assert r.status_code == 302, r.text
    assert r.headers["location"].startswith(CB + "?")
    return {k: v[0] for k, v in parse_qs(urlsplit(r.headers["location"]).query).items()}


def exchange(world, code, verifier="v" * 43, **extra):
    data = {
        "grant_type": "authorization_code",
        "code": code,
        "redirect_uri": CB,
        "code_verifier": verifier,
        **extra,
    }
    return requests.post(world.url("/2/oauth2/token"), data=data, auth=(world.app.client_id, world.app.client_secret))


def refresh(world, token, **extra):
    return requests.post(
        world.url("/2/oauth2/token"),
        data={"grant_type": "refresh_token", "refresh_token": token, **extra},
        auth=(world.app.client_id, world.app.client_secret),
    )


def bearer_get(world, token, path="/2/users/me"):
    return requests.get(world.url(path), headers={"Authorization": f"Bearer {token}"})


# --- the whole flow by hand ----------------------------------------------------------


def test_code_exchange_answer(world):
    answer = authorize(world)
    assert answer["state"] == "st"
    r = exchange(world, answer["code"])
    body = r.json()
    assert r.status_code == 200
    assert set(body) == {"token_type", "expires_in", "access_token", "scope", "refresh_token"}
    assert (body["token_type"], body["expires_in"], body["scope"]) == ("bearer", 7200, " ".join(SCOPES))
    decoded = base64.urlsafe_b64decode(body["access_token"] + "==").decode()
    assert decoded.endswith(":1:1:at:1")
    assert bearer_get(world, body["access_token"]).json()["data"]["username"] == "acme"


def test_no_refresh_token_without_offline_access(world):
    body = exchange(world, authorize(world, scopes=["tweet.read", "users.read"])["code"]).json()
    assert "refresh_token" not in body and body["scope"] == "tweet.read users.read"


def test_access_token_lives_7200_seconds(world, sim):
    sim.clock.freeze()
    token = exchange(world, authorize(world)["code"]).json()["access_token"]
    sim.clock.advance(7199)
    assert bearer_get(world, token).status_code == 200
    sim.clock.advance(2)
    r = bearer_get(world, token)
    assert (r.status_code, r.json()) == (401, V2_401)
    assert sim.journal(status=401)[-1]["error"] == "bearer token is expired"


def test_refresh_rotates_and_old_refresh_token_is_dead(world):
    first = exchange(world, authorize(world)["code"]).json()
    second = refresh(world, first["refresh_token"], allow_redirects="True")  # requests-oauthlib's stray param
    assert second.status_code == 200, second.text
    new = second.json()
    assert new["refresh_token"] != first["refresh_token"] and new["access_token"] != first["access_token"]
    reuse = refresh(world, first["refresh_token"])
    assert (reuse.status_code, reuse.json()) == (400, REUSED)
    assert refresh(world, new["refresh_token"]).status_code == 200


def test_concurrent_refreshes_with_one_token_succeed_exactly_once(world):
    for _ in range(10):
        token = exchange(world, authorize(world)["code"]).json()["refresh_token"]
        barrier = threading.Barrier(4)
        statuses: list[int] = []

        def race(barrier: threading.Barrier, token: str, statuses: list[int]) -> None:
            barrier.wait()
            statuses.append(refresh(world, token).status_code)

        threads = [threading.Thread(target=race, args=(barrier, token, statuses)) for _ in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert sorted(statuses) == [200, 400, 400, 400]


def test_refresh_token_lifetime_is_configurable(world, sim):
    sim.configure(refresh_token_ttl=3600)
    sim.clock.freeze()
    token = exchange(world, authorize(world)["code"]).json()["refresh_token"]
    sim.clock.advance(3601)
    assert refresh(world, token).json() == REUSED


def test_refresh_may_narrow_scopes_but_not_widen(world):
    token = exchange(world, authorize(world)["code"]).json()["refresh_token"]
    wide = refresh(world, token, scope="tweet.read users.read offline.access like.write")
    assert wide.json()["error"] == "invalid_scope"
    narrow = refresh(world, token, scope="tweet.read users.read offline.access")
    assert narrow.json()["scope"] == "tweet.read users.read offline.access"


def test_revoke(world):
    tokens = exchange(world, authorize(world)["code"]).json()
    r = requests.post(
        world.url("/2/oauth2/revoke"),
        data={"token": tokens["access_token"], "token_type_hint": "access_token"},
        auth=(world.app.client_id, world.app.client_secret),
    )
    assert r.json() == {"revoked": True}
    assert bearer_get(world, tokens["access_token"]).status_code == 401
    assert refresh(world, tokens["refresh_token"]).status_code == 200  # revoking an access token spares the grant
    other = exchange(world, authorize(world)["code"]).json()
    requests.post(
        world.url("/2/oauth2/revoke"),
        json={
            "token": other["refresh_token"],
            "client_id": world.app.client_id,
            "client_secret": world.app.client_secret,
        },
    )
    assert bearer_get(world, other["access_token"]).status_code == 401  # a refresh token takes its grant along
    assert refresh(world, other["refresh_token"]).json() == REUSED


# --- token endpoint errors -------------------------------------------------------------


def test_token_endpoint_errors(world, sim):
    code = authorize(world)["code"]
    post = world.url("/2/oauth2/token")
    missing_auth = requests.post(
        post,
        data={
            "grant_type": "authorization_code",
            "code": code,
            "client_id": world.app.client_id,
            "redirect_uri": CB,
            "code_verifier": "v" * 43,
        },
    )
    assert (missing_auth.status_code, missing_auth.json()) == (
        401,
        {"error": "unauthorized_client", "error_description": "Missing valid authorization header"},
    )
    wrong_secret = requests.post(post, data={"grant_type": "authorization_code"}, auth=(world.app.client_id, "x"))
    assert wrong_secret.status_code == 401
    no_client = requests.post(post, data={"grant_type": "refresh_token", "refresh_token": "x"})
    assert no_client.json() == {
        "error": "invalid_request",
        "error_description": "Missing required parameter [client_id].",
    }
    assert exchange(world, code, verifier="w" * 43).json() == {
        "error": "invalid_request",
        "error_description": "Value passed for the code verifier was invalid.",
    }
    reused = exchange(world, code)  # a failed exchange used the code up
    assert reused.json() == {
        "error": "invalid_request",
        "error_description": "Value passed for the authorization code was invalid.",
    }
    no_verifier = requests.post(
        post,
        data={"grant_type": "authorization_code", "code": "c", "redirect_uri": CB},
        auth=(world.app.client_id, world.app.client_secret),
    )
    assert no_verifier.json()["error_description"] == "Missing required parameter [code_verifier]."
    grant = requests.post(post, data={"grant_type": "password"}, auth=(world.app.client_id, world.app.client_secret))
    assert grant.json()["error"] == "unsupported_grant_type"
    other_cb = exchange(world, authorize(world)["code"], redirect_uri="https://acme.example/other")
    assert other_cb.status_code == 400
    assert requests.post(post, data=b"\xff", headers={"Content-Type": "application/json"}).status_code == 400


def test_codes_live_30_seconds(world, sim):
    sim.clock.freeze()
    code = authorize(world)["code"]
    sim.clock.advance(31)
    assert exchange(world, code).json()["error_description"] == "Value passed for the authorization code was invalid."


def test_public_client_sends_client_id_only_and_json_bodies_work(world, sim):
    app = sim.create_app(world.account.id, "Acme Mobile", callback_urls=[CB], client_type="public")
    answer = authorize(world, client_id=app.client_id, verifier="x" * 171, method="s256")
    r = requests.post(
        world.url("/2/oauth2/token"),
        json={
            "grant_type": "authorization_code",
            "code": answer["code"],
            "redirect_uri": CB,
            "code_verifier": "x" * 171,
            "client_id": app.client_id,
        },
    )
    assert r.status_code == 200, r.text
    r2 = requests.post(
        world.url("/2/oauth2/token"),
        json={
            "grant_type": "refresh_token",
            "refresh_token": r.json()["refresh_token"],
            "client_id": app.client_id,
        },
    )
    assert r2.status_code == 200


def test_twitter_api_v2_style_json_with_basic_and_body_credentials(world):
    answer = authorize(world, verifier="p" * 9, method="plain")
    body = {
        "code": answer["code"],
        "grant_type": "authorization_code",
        "redirect_uri": CB,
        "code_verifier": "p" * 9,
        "client_id": world.app.client_id,
        "client_secret": world.app.client_secret,
    }
    r = requests.post(world.url("/2/oauth2/token"), json=body, auth=(world.app.client_id, world.app.client_secret))
    assert r.status_code == 200, r.text
    assert r.json()["scope"].split(" ") == SCOPES


# --- the consent screen -----------------------------------------------------------------


def test_consent_page_shows_app_developer_and_scopes(world):
    params = {
        "response_type": "code",
        "client_id": world.app.client_id,
        "redirect_uri": CB,
        "scope": "tweet.read users.read",
        "state": "s",
        "code_challenge": "c" * 43,
        "code_challenge_method": "plain",
    }
    page = requests.get(world.url("/i/oauth2/authorize"), params=params)
    assert 'id="app-name">Acme Scheduler<' in page.text and 'id="developer">Acme Social<' in page.text
    assert "See your profile information" in page.text
    assert requests.get(world.url("/2/oauth2/authorize"), params=params).status_code == 200


def test_deny_and_bad_requests(world):
    denied = authorize(world, approve=False)
    assert denied == {"state": "st", "error": "access_denied"}
    base = {
        "response_type": "code",
        "client_id": world.app.client_id,
        "redirect_uri": CB,
        "scope": "tweet.read",
        "code_challenge": "c" * 43,
    }
    r = requests.get(world.url("/i/oauth2/authorize"), params={**base, "client_id": "nope"})
    assert r.status_code == 400 and "Something went wrong" in r.text
    r = requests.get(world.url("/i/oauth2/authorize"), params={**base, "redirect_uri": "https://evil.example/"})
    assert r.status_code == 400
    r = requests.get(
        world.url("/i/oauth2/authorize"),
        params={**base, "scope": "tweet.read everything"},
        allow_redirects=False,
    )
    assert parse_qs(urlsplit(r.headers["location"]).query)["error"] == ["invalid_scope"]
    r = requests.get(world.url("/i/oauth2/authorize"), params={**base, "code_challenge": ""}, allow_redirects=False)
    assert parse_qs(urlsplit(r.headers["location"]).query)["error"] == ["invalid_request"]


def test_automatic_consent(world, sim):
    sim.configure(consent_mode="approve", consent_user="acme")
    s = OAuth2Session(world.app.client_id, redirect_uri=CB, scope=SCOPES, pkce="S256")
    url, _ = s.authorization_url(world.url("/i/oauth2/authorize"))
    location = requests.get(url, allow_redirects=False).headers["location"]
    assert "code=" in location


# --- scopes, bearer tokens and auth schemes per endpoint ---------------------------------


def test_scopes_are_enforced_per_endpoint(world, sim):
    access, _ = sim.mint_oauth2_token(world.app.id, world.user.id, ["tweet.read", "users.read"])
    r = requests.post(
        world.url("/2/tweets"),
        json={"text": "no write scope"},
        headers={"Authorization": f"Bearer {access.token}"},
    )
    assert (r.status_code, r.json()) == (
        403,
        {"title": "Forbidden", "type": "about:blank", "status": 403, "detail": "Forbidden"},
    )
    assert sim.journal(status=403)[-1]["error"] == "token lacks scope(s): tweet.write"
    v1 = requests.post(
        world.url("/1.1/statuses/update.json"),
        data={"status": "x"},
        headers={"Authorization": f"Bearer {access.token}"},
    )
    assert (v1.status_code, v1.json()["errors"][0]["code"]) == (403, 220)


def _app_bearer(world, ck=None, cs=None):
    return requests.post(
        world.url("/oauth2/token"),
        data={"grant_type": "client_credentials"},
        auth=(ck or world.app.consumer_key, cs or world.app.consumer_secret),
    )


def test_app_only_bearer(world, sim):
    first = _app_bearer(world).json()
    assert first["token_type"] == "bearer" and first["access_token"].startswith("AAAAAAAAAAAAAAAAAAAAA")
    assert _app_bearer(world).json() == first  # one bearer per app until invalidated
    token = first["access_token"]
    post_id = world.session().post(world.url("/2/tweets"), json={"text": "public"}).json()["data"]["id"]
    assert bearer_get(world, token, f"/2/tweets/{post_id}").status_code == 200
    assert bearer_get(world, token, f"/2/users/{world.user.id}/tweets").json()["meta"]["result_count"] == 1
    me = bearer_get(world, token)
    assert me.status_code == 403
    assert me.json() == {
        "title": "Unsupported Authentication",
        "detail": "Authenticating with OAuth 2.0 Application-Only is forbidden for this endpoint.  Supported "
        "authentication types are [OAuth 1.0a User Context, OAuth 2.0 User Context].",
        "type": "https://api.twitter.com/2/problems/unsupported-authentication",
        "status": 403,
    }
    write = requests.post(world.url("/2/tweets"), json={"text": "x"}, headers={"Authorization": f"Bearer {token}"})
    assert write.status_code == 403
    assert sim.journal(path=f"/2/tweets/{post_id}")[-1]["auth"] == "bearer"
    inv = requests.post(
        world.url("/oauth2/invalidate_token"),
        data={"access_token": token},
        auth=(world.app.consumer_key, world.app.consumer_secret),
    )
    assert inv.json() == {"access_token": token}
    assert bearer_get(world, token, f"/2/tweets/{post_id}").status_code == 401
    assert _app_bearer(world).json()["access_token"] != token
    bad = _app_bearer(world, cs="wrong")
    assert (bad.status_code, bad.json()["errors"][0]["code"]) == (403, 99)


# --- control API ------------------------------------------------------------------------


def test_control_api_mints_expires_revokes_and_shows_state(world, http, sim):
    minted = http.post(
        world.url("/_xmock/tokens/oauth2"),
        json={"app_id": world.app.id, "user_id": world.user.id, "scopes": SCOPES},
    )
    assert minted.status_code == 201
    tokens = minted.json()
    assert bearer_get(world, tokens["access_token"]).status_code == 200
    assert http.post(world.url("/_xmock/tokens/oauth2/expire"), json={"token": tokens["access_token"]}).json() == {
        "expired": True
    }
    assert bearer_get(world, tokens["access_token"]).status_code == 401
    new = refresh(world, tokens["refresh_token"]).json()
    assert http.post(world.url("/_xmock/tokens/oauth2/revoke"), json={"token": new["access_token"]}).json() == {
        "revoked": True
    }
    listing = http.get(world.url("/_xmock/tokens"), params={"user": world.user.id}).json()["tokens"]
    states = sorted((t["kind"], t["state"]) for t in listing)
    assert states == [
        ("access", "expired"),
        ("access", "revoked"),
        ("refresh", "active"),
        ("refresh", "rotated"),
    ]
    dump = str(listing)
    for value in (tokens["access_token"], tokens["refresh_token"], new["access_token"], new["refresh_token"]):
        assert value not in dump
    assert (
        http.post(
            world.url("/_xmock/tokens/oauth2"),
            json={"app_id": world.app.id, "user_id": world.user.id, "scopes": ["root"]},
        ).status_code
        == 400
    )


# --- real clients -------------------------------------------------------------------------


def test_requests_oauthlib_pkce_with_auto_refresh(world, sim):
    saved = []
    s = OAuth2Session(
        world.app.client_id,
        redirect_uri=CB,
        scope=SCOPES,
        pkce="S256",
        auto_refresh_url=world.url("/2/oauth2/token"),
        token_updater=saved.append,
    )
    url, _ = s.authorization_url(world.url("/i/oauth2/authorize"))
    params = {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}
    location = requests.post(
        world.url("/i/oauth2/authorize"), data={**params, "username": "acme"}, allow_redirects=False
    ).headers["location"]
    token = s.fetch_token(
        world.url("/2/oauth2/token"), authorization_response=location, client_secret=world.app.client_secret
    )
    assert token["scope"] == SCOPES
    assert s.get(world.url("/2/users/me")).json()["data"]["id"] == world.user.id
    sim.clock.advance(7201)
    assert s.get(world.url("/2/users/me")).status_code == 401  # the server's clock says expired
    s.token = {**s.token, "expires_at": 1}  # the client learns it too (its own clock has not moved)
    r = s.get(world.url("/2/users/me"), client_id=world.app.client_id, client_secret=world.app.client_secret)
    assert r.status_code == 200, r.text
    assert saved and saved[-1]["refresh_token"] != token["refresh_token"]


def test_authlib_pkce_refresh_and_revoke(world):
    updates = []
    s = AuthlibOAuth2(
        world.app.client_id,
        world.app.client_secret,
        scope=" ".join(SCOPES),
        redirect_uri=CB,
        code_challenge_method="S256",
        token_endpoint=world.url("/2/oauth2/token"),
        update_token=lambda token, **kw: updates.append(token),
    )
    verifier = "a" * 64
    url, _ = s.create_authorization_url(world.url("/i/oauth2/authorize"), code_verifier=verifier)
    params = {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}
    location = requests.post(
        world.url("/i/oauth2/authorize"), data={**params, "username": "acme"}, allow_redirects=False
    ).headers["location"]
    token = s.fetch_token(world.url("/2/oauth2/token"), authorization_response=location, code_verifier=verifier)
    assert s.get(world.url("/2/users/me")).status_code == 200
    s.token["expires_at"] = 1
    assert s.get(world.url("/2/users/me")).status_code == 200  # refreshed before the call
    assert updates and updates[-1]["refresh_token"] != token["refresh_token"]
    r = s.revoke_token(world.url("/2/oauth2/revoke"), token=s.token["access_token"], token_type_hint="access_token")
    assert r.json() == {"revoked": True}
    assert s.get(world.url("/2/users/me")).status_code == 401


def test_tweepy_oauth2_user_handler_and_client(world):
    import tweepy

    from simulator.transport import mount

    h = tweepy.OAuth2UserHandler(
        client_id=world.app.client_id, client_secret=world.app.client_secret, redirect_uri=CB, scope=SCOPES
    )
    mount(h, world.base)
    url = h.get_authorization_url()
    assert url.startswith("https://twitter.com/i/oauth2/authorize?")
    with requests.Session() as browser:
        mount(browser, world.base)
        params = {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}
        location = browser.post(
            "https://twitter.com/i/oauth2/authorize",
            data={**params, "username": "acme"},
            allow_redirects=False,
        ).headers["location"]
    token = h.fetch_token(location)
    client = tweepy.Client(bearer_token=token["access_token"])
    mount(client.session, world.base)
    assert client.get_me(user_auth=False).data.username == "acme"
    created = client.create_tweet(text="posted with OAuth 2.0", user_auth=False)
    assert client.get_tweet(created.data["id"], user_auth=False).data.text == "posted with OAuth 2.0"
    new = h.refresh_token("https://api.twitter.com/2/oauth2/token")
    assert new["refresh_token"] != token["refresh_token"]
    # oauthlib maps X's `invalid_request` body to InvalidClientIdError (see real-clients notes).
    with pytest.raises(InvalidClientIdError, match="Value passed for the token was invalid"):
        h.refresh_token("https://api.twitter.com/2/oauth2/token", refresh_token=token["refresh_token"])


def test_tweepy_client_with_app_only_bearer(world):
    import tweepy

    from simulator.transport import mount

    token = _app_bearer(world).json()["access_token"]
    client = tweepy.Client(bearer_token=token)
    mount(client.session, world.base)
    assert client.get_user(username="acme").data.id == int(world.user.id)
    with pytest.raises(tweepy.Forbidden, match="Application-Only is forbidden"):
        client.get_me(user_auth=False)


def test_xdk_pkce_exchange_call_and_refresh(world):
    from xdk import Client

    client = Client(
        base_url=world.base,
        authorization_base_url=world.base + "/i",
        client_id=world.app.client_id,
        client_secret=world.app.client_secret,
        redirect_uri=CB,
        scope=SCOPES,
    )
    url = client.get_authorization_url(state="xdk-state")
    params = {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}
    location = requests.post(
        world.url("/i/oauth2/authorize"), data={**params, "username": "acme"}, allow_redirects=False
    ).headers["location"]
    code = parse_qs(urlsplit(location).query)["code"][0]
    token = client.exchange_code(code)
    assert token["scope"] == " ".join(SCOPES) or token["scope"] == SCOPES
    me = client.users.get_me()
    assert me.data.username == "acme"
    refreshed = client.refresh_token()
    assert refreshed["refresh_token"] != token["refresh_token"]


def test_consent_can_be_scripted_through_the_control_api(world, http):
    s = OAuth2Session(world.app.client_id, redirect_uri=CB, scope=SCOPES, pkce="S256")
    url, _ = s.authorization_url("https://x.com/i/oauth2/authorize", state="abc")
    r = http.post(world.url("/_xmock/oauth2/authorize"), json={"url": url, "user": "acme"})
    assert r.status_code == 200
    token = s.fetch_token(
        world.url("/2/oauth2/token"),
        authorization_response=r.json()["location"],
        client_secret=world.app.client_secret,
    )
    assert token["access_token"]
    denied = http.post(world.url("/_xmock/oauth2/authorize"), json={"url": url, "approve": False}).json()
    assert "error=access_denied" in denied["location"]
    bad = http.post(world.url("/_xmock/oauth2/authorize"), json={"url": "https://x.com/i/oauth2/authorize?x=1"})
    assert bad.status_code == 400

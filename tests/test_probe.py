"""Which scenarios apply follows from what the provider was seen doing, never from its declarations."""

from __future__ import annotations

from xmock.adapters.base import Capability as C
from xmock.scenarios.probe import Observed, link_protocol, why_not


def test_the_consent_url_tells_the_protocol():
    assert link_protocol("https://x.com/i/oauth2/authorize?client_id=a&code_challenge=b") == "oauth2"
    assert link_protocol("https://api.x.com/oauth/authorize?oauth_token=t") == "oauth1"
    assert link_protocol("https://api.x.com/oauth/authenticate?oauth_token=t") == "oauth1"
    assert link_protocol("https://provider.example/login") is None


def test_oauth1_only_is_not_applicable_for_token_expiry():
    seen = Observed(link="oauth1", schedules=True)
    assert why_not(frozenset({C.OAUTH2}), seen) == (
        "the provider links users with OAuth 1.0a, whose user tokens do not expire", None)
    assert why_not(frozenset({C.SCHEDULING, C.OAUTH2}), seen)[0] is not None
    assert why_not(frozenset({C.OAUTH2}), Observed(link="oauth2")) == (None, None)


def test_what_the_probe_could_not_find_out_is_not_certified():
    seen = Observed(link="oauth1", unknown={"renders": "the provider could not post one (error)"})
    assert why_not(frozenset({C.RENDER}), seen) == (
        None, "could not find out whether the provider renders posts: the provider could not post one (error)")
    assert why_not(frozenset({C.RENDER}), Observed(link="oauth1", renders=False))[0].startswith("the provider does not")
    assert why_not(frozenset(), Observed()) == (None, None)

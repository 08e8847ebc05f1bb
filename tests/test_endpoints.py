"""The router: one declaration per method and path, and endpoints a setting switches off."""

from __future__ import annotations

import pytest

from xmock.simulator.config import Settings
from xmock.simulator.endpoints import Endpoint, Router


def _handler(call):
    raise AssertionError("not called")


ROUTER = Router(
    [
        Endpoint("post", "POST", "/oauth/x", _handler),
        Endpoint("get", "GET", "/oauth/x", _handler, setting="oauth1_token_get"),
        Endpoint("one", "GET", "/2/things/{id}", _handler),
    ]
)


def test_match_and_allowed_methods():
    ep, params, allowed = ROUTER.match("GET", "/2/things/7")
    assert (ep.name, params, allowed) == ("one", {"id": "7"}, [])
    assert ROUTER.match("DELETE", "/oauth/x") == (None, {}, ["GET", "POST"])
    assert ROUTER.match("GET", "/nowhere") == (None, {}, [])


@pytest.mark.parametrize(("on", "allowed"), [(True, ["GET", "POST"]), (False, ["POST"])])
def test_allowed_leaves_out_endpoints_whose_setting_is_off(on, allowed):
    assert ROUTER.allowed("/oauth/x", Settings(oauth1_token_get=on)) == allowed
    assert ROUTER.allowed("/2/things/7", Settings(oauth1_token_get=on)) == ["GET"]
    assert ROUTER.allowed("/nowhere", Settings()) == []


def test_the_same_method_and_path_cannot_be_declared_twice():
    with pytest.raises(ValueError, match="declared twice"):
        Router([Endpoint("a", "GET", "/x", _handler), Endpoint("b", "GET", "/x", _handler)])

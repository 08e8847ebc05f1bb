"""One path rule: exact, `*` wildcards, X's templates; no prefixes."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from xmock.simulator import path_match
from xmock.simulator.path_match import PathPatternError


@pytest.mark.parametrize(
    ("pattern", "path", "expected"),
    [
        ("/2/tweets", "/2/tweets", True),
        ("/2/tw", "/2/tweets", False),  # no prefix matching
        ("/2/tweets", "/2/tweets/123", False),
        ("/2/tweets/*", "/2/tweets/123", True),
        ("/2/tweets/*", "/2/tweets/123/liking_users", True),  # * crosses slashes
        ("/2/tweets/*", "/2/tweets", False),
        ("/1.1/*", "/1.1/statuses/update.json", True),
        ("/1.1/*", "/1x1/statuses", False),  # the dot is literal
        ("/2/users/:id/tweets", "/2/users/42/tweets", True),
        ("/2/users/{id}/tweets", "/2/users/42/tweets", True),
        ("/2/users/:id/tweets", "/2/users/42/43/tweets", False),  # a parameter is one segment
        ("/2/users/:id/tweets", "/2/users//tweets", False),
        ("/2/users/:id/following/:target_user_id", "/2/users/1/following/2", True),
        ("/2/users/*/tweets", "/2/users/1/tweets", True),
        ("/2/tweets(x)", "/2/tweets(x)", True),  # regex characters are literal
        ("/2/tweets.", "/2/tweetsX", False),
    ],
)
def test_matches(pattern, path, expected):
    assert path_match.matches(pattern, path) is expected


def test_exact_patterns_are_told_apart():
    assert path_match.is_exact("/2/tweets")
    assert not path_match.is_exact("/2/users/:id")
    assert not path_match.is_exact("/2/*")


@pytest.mark.parametrize("bad", [None, 3, b"/2/tweets", "2/tweets", "", "/" + "a" * 3000])
def test_bad_patterns_are_refused_clearly(bad):
    with pytest.raises(PathPatternError, match="path: expected a path such as /2/tweets"):
        path_match.check(bad)
    assert issubclass(PathPatternError, ValueError)


segment = st.text(alphabet="abcxyz0189._-()[]+?$^", min_size=1, max_size=8)


@settings(max_examples=200, deadline=None)
@given(st.lists(segment, min_size=1, max_size=5))
def test_a_literal_path_matches_itself_and_nothing_shorter(parts):
    path = "/" + "/".join(parts)
    assert path_match.matches(path, path)
    assert not path_match.matches(path[:-1], path) or path[:-1] == path
    assert path_match.matches("/" + "/".join([*parts[:-1], ":p"]), path)
    assert path_match.matches("/*", path)


def test_the_control_api_takes_the_same_rule(base, sim):
    import requests

    requests.get(base + "/2/users/1/tweets", timeout=10)
    journal = base + "/_xmock/journal"
    assert requests.get(journal, params={"path": "/2/users/:id/tweets"}, timeout=10).json()["count"] == 1
    assert requests.get(journal, params={"path": "/2/users"}, timeout=10).json()["count"] == 0
    refused = requests.get(journal, params={"path": "2/users"}, timeout=10)
    assert refused.status_code == 400 and "path: expected a path such as /2/tweets" in refused.json()["error"]

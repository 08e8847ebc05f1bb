"""Pages of edges: newest first, stable when newer edges arrive, with next and previous tokens."""

from __future__ import annotations

import pytest

from xmock.simulator import errors
from xmock.simulator.resources.paging import edge_page
from xmock.simulator.xrequest import XRequest


def _req(query: str = "") -> XRequest:
    return XRequest({"type": "http", "method": "GET", "path": "/2/users/1/followers", "query_string": query.encode(),
                     "headers": [], "scheme": "http", "server": ("127.0.0.1", 80)}, b"")


EDGES = [(str(100 - i), 1000.0 - i) for i in range(7)]  # newest first: ids 100, 99, ... 94


def test_pages_walk_forward_and_back():
    ids, meta = edge_page(EDGES, _req("max_results=3"), 3)
    assert ids == ["100", "99", "98"] and meta["result_count"] == 3 and "previous_token" not in meta
    ids2, meta2 = edge_page(EDGES, _req("pagination_token=" + meta["next_token"]), 3)
    assert ids2 == ["97", "96", "95"]
    ids3, meta3 = edge_page(EDGES, _req("pagination_token=" + meta2["next_token"]), 3)
    assert ids3 == ["94"] and "next_token" not in meta3
    back, _ = edge_page(EDGES, _req("pagination_token=" + meta3["previous_token"]), 3)
    assert back == ["97", "96", "95"]
    first, _ = edge_page(EDGES, _req("pagination_token=" + meta2["previous_token"]), 3)
    assert first == ["100", "99", "98"]


def test_a_page_does_not_shift_when_newer_edges_arrive():
    _, meta = edge_page(EDGES, _req(), 3)
    grown = [("200", 5000.0), *EDGES]
    ids, _ = edge_page(grown, _req("pagination_token=" + meta["next_token"]), 3)
    assert ids == ["97", "96", "95"]


def test_an_empty_list_is_an_empty_page():
    assert edge_page([], _req(), 10) == ([], {"result_count": 0})


@pytest.mark.parametrize("token", ["nonsense", "E", "E!!!!", "E" + "A" * 200, "7140abc", "E²"])
def test_tokens_that_are_not_ours_are_x_400s(token):
    with pytest.raises(errors.XError) as caught:
        edge_page(EDGES, _req("pagination_token=" + token), 3)
    assert caught.value.status == 400

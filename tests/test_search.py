import pytest
from openapi_shapes import assert_matches


@pytest.fixture
def corpus(world, sim):
    sim.clock.freeze()
    bob = sim.create_user(username="bob")
    bob_session = world.session(sim.mint_oauth1_token(world.app.id, bob.id))
    texts = {
        "acme": ["launch day for the rocket", "coffee and code", "the rocket has landed #space"],
        "bob": ["I like coffee", "rocket science is hard"],
    }
    for who, session in (("acme", world.session()), ("bob", bob_session)):
        for text in texts[who]:
            sim.clock.advance(1)
            assert session.post(world.url("/2/tweets"), json={"text": text}).status_code == 201
    return world


def _search(world, query, **params):
    return world.session().get(world.url("/2/tweets/search/recent"), params={"query": query, **params})


@pytest.mark.parametrize(
    ("query", "texts"),
    [
        ("rocket", {"launch day for the rocket", "the rocket has landed #space", "rocket science is hard"}),
        ("rocket from:bob", {"rocket science is hard"}),
        ("coffee -from:acme", {"I like coffee"}),
        ('"has landed"', {"the rocket has landed #space"}),
        ("coffee OR science", {"coffee and code", "I like coffee", "rocket science is hard"}),
        ("(coffee OR launch) from:acme", {"coffee and code", "launch day for the rocket"}),
        ("#space", {"the rocket has landed #space"}),
        ("nothing-like-this", set()),
    ],
)
def test_query_language(corpus, query, texts):
    body = _search(corpus, query).json()
    assert {p["text"] for p in body.get("data", [])} == texts
    assert body["meta"]["result_count"] == len(texts)
    if texts:
        assert_matches("/2/tweets/search/recent", "get", 200, body)


def test_only_the_last_seven_days(corpus, sim):
    sim.clock.advance(7 * 24 * 3600 + 10)
    assert _search(corpus, "rocket").json() == {"meta": {"result_count": 0}}


def test_errors(corpus):
    assert _search(corpus, "").status_code == 400
    r = _search(corpus, "nosuchop:en rocket")
    assert r.status_code == 400 and "invalid operator 'nosuchop:'" in r.json()["errors"][0]["message"]
    assert _search(corpus, "rocket", max_results=5).status_code == 400
    assert _search(corpus, "(rocket").status_code == 400
    assert _search(corpus, "x" * 513).status_code == 400


def test_search_matches_the_posted_text_and_answers_it_escaped(world, sim):
    assert world.session().post(world.url("/2/tweets"), json={"text": "fish & chips <tonight>"}).status_code == 201
    body = _search(world, '"fish & chips"').json()
    assert [p["text"] for p in body["data"]] == ["fish &amp; chips &lt;tonight&gt;"]
    assert _search(world, "amp").json()["meta"]["result_count"] == 0

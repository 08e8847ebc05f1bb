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


# operators that read the state beyond the text ------------------------------------------------
def _stored_post(sim, author_id, text, *, media_type=None, reposted=None):
    from xmock.simulator.models import Media, Post

    media_ids: tuple[str, ...] = ()
    if media_type is not None:
        media_id = sim.ids.next_id()
        now = sim.clock.now()
        sim.store.put_media(
            Media(media_id, f"3_{media_id}", author_id, "app", media_type, "tweet_image", 10, now, now + 86400)
        )
        media_ids = (media_id,)
    sim.clock.advance(1)
    post = Post(
        id=sim.ids.next_id(),
        text=text,
        author_id=author_id,
        created_at=sim.clock.now(),
        media_ids=media_ids,
        reposted_post_id=reposted,
    )
    assert sim.store.create_post(post, None)
    return post


@pytest.fixture
def state_corpus(world, sim):
    sim.clock.freeze()
    vip = sim.create_user(username="vip", verified_type="business")
    joe = sim.create_user(username="joe")
    posts = {
        "photo": _stored_post(sim, joe.id, "news photo", media_type="image/png"),
        "gif": _stored_post(sim, joe.id, "news gif", media_type="image/gif"),
        "video": _stored_post(sim, vip.id, "news video", media_type="video/mp4"),
        "cash": _stored_post(sim, vip.id, "news about $XMPL today"),
        "link": _stored_post(sim, joe.id, "news at https://example.org/story and more"),
    }
    posts["rt"] = _stored_post(sim, joe.id, "RT @vip: news video", reposted=posts["video"].id)
    lst = sim.create_list(world.user.id, "vips")
    sim.add_list_member(lst.id, vip.id)
    return posts, lst


@pytest.mark.parametrize(
    ("query", "names"),
    [
        ("news has:images", {"photo"}),
        ("news has:videos", {"video"}),
        ("news has:media", {"photo", "gif", "video"}),
        ("news -has:media", {"cash", "link", "rt"}),
        ("news has:cashtags", {"cash"}),
        ("news is:verified", {"video", "cash"}),
        ("news -is:verified -is:retweet", {"photo", "gif", "link"}),
        ("url:example.org", {"link"}),
        ("url:https://example.org/story", {"link"}),
        ("retweets_of:vip", {"rt"}),
        ("news is:retweet", {"rt"}),
        ("$XMPL", {"cash"}),
        ("@vip", {"rt"}),
        ("LIST", {"video", "cash"}),
    ],
)
def test_operators_that_read_the_state(world, state_corpus, query, names):
    posts, lst = state_corpus
    body = _search(world, query.replace("LIST", f"list:{lst.id}")).json()
    assert {p["id"] for p in body.get("data", [])} == {posts[n].id for n in names}, body
    assert_matches("/2/tweets/search/recent", "get", 200, body)


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("has:images", "Rules must contain at least one standalone operator besides is: and has: operators"),
        ("is:verified -has:media", "standalone operator"),
        ("-news", "Rules must contain a non-negation term"),
        ("-news -is:retweet", "non-negation term"),
        ("news has:nothing", "Reference to invalid operator 'has:'"),
        ("(news", "Missing ')'"),
        ("news)", "Unexpected ')'"),
    ],
)
def test_invalid_queries_get_x_400(corpus, query, message):
    r = _search(corpus, query)
    assert r.status_code == 400 and message in r.json()["errors"][0]["message"]
    assert r.json()["errors"][0]["parameters"] == {"query": [query]}
    assert_matches("/2/tweets/search/recent", "get", 400, r.json())


def test_sort_order(corpus):
    newest = _search(corpus, "rocket").json()
    assert _search(corpus, "rocket", sort_order="recency").json() == newest
    assert _search(corpus, "rocket", sort_order="relevancy").json()["meta"]["result_count"] == 3
    r = _search(corpus, "rocket", sort_order="newest")
    assert r.status_code == 400
    assert r.json()["errors"][0]["message"] == (
        "The `sort_order` query parameter value [newest] is not one of [recency,relevancy]"
    )

"""The control API's one-call arrangements: POST /_xmock/posts, /_xmock/threads, /_xmock/users/{id}/followers."""

import requests


def test_posts_threads_and_followers(world, sim, base):
    r = requests.post(base + "/_xmock/posts", json={"user_id": world.user.id, "text": "arranged"})
    assert r.status_code == 201 and r.json()["text"] == "arranged" and r.json()["author_id"] == world.user.id
    root = r.json()["id"]
    r = requests.post(base + "/_xmock/posts", json={"user_id": world.user.id, "text": "re", "reply_to": root})
    assert r.json()["in_reply_to_post_id"] == root and r.json()["conversation_id"] == root
    r = requests.post(base + "/_xmock/threads", json={"user_id": world.user.id, "texts": ["a", "b"]})
    assert r.status_code == 201
    a, b = r.json()["posts"]
    assert b["in_reply_to_post_id"] == a["id"] == b["conversation_id"]
    r = requests.post(base + f"/_xmock/users/{world.user.id}/followers", json={"count": 2})
    assert r.status_code == 201 and len(r.json()["followers"]) == 2
    assert sim.graph(world.user.id)["followers"] == [f["id"] for f in reversed(r.json()["followers"])]
    listed = requests.get(base + "/_xmock/posts", params={"author": world.user.id}).json()
    assert listed["count"] == 4  # the GET beside the POST still answers


def test_inputs_are_checked(world, sim, base):
    uid = world.user.id
    bad = [
        ("/_xmock/posts", {}),
        ("/_xmock/posts", {"user_id": uid, "text": 5}),
        ("/_xmock/posts", {"user_id": uid, "reply_to": "12a"}),
        ("/_xmock/posts", {"user_id": uid, "quote_of": 7}),
        ("/_xmock/posts", {"user_id": uid, "other": 1}),
        ("/_xmock/posts", {"user_id": "x" * 30}),
        ("/_xmock/threads", {"user_id": uid, "texts": "one"}),
        ("/_xmock/threads", {"user_id": uid}),
        (f"/_xmock/users/{uid}/followers", {"count": "3"}),
        (f"/_xmock/users/{uid}/followers", {"count": 0}),
        ("/_xmock/users/abc/followers", {}),
    ]
    for path, body in bad:
        r = requests.post(base + path, json=body)
        assert r.status_code == 400, (path, body, r.text)
        assert "error" in r.json()
    assert requests.post(base + "/_xmock/posts", json={"user_id": "42"}).status_code == 404
    assert sim.store.posts_by_author(uid) == []

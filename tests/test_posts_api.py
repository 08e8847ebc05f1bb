"""The control API for the post family: likes, reposts, hidden replies."""

import requests


def _post(world, text, **extra):
    return world.session().post(world.url("/2/tweets"), json={"text": text, **extra}).json()["data"]["id"]


def test_control_likes_reposts_and_hidden_replies(world, sim, base):
    post_id = _post(world, "arranged")
    fan = sim.create_user(username="fan")
    r = requests.post(base + "/_xmock/likes", json={"user_id": fan.id, "post_id": post_id})
    assert r.status_code == 200 and r.json() == {"changed": True, "liked": True}
    assert sim.store.post_metrics(post_id)["like_count"] == 1
    r = requests.post(base + "/_xmock/reposts", json={"user_id": fan.id, "post_id": post_id})
    assert r.status_code == 201 and r.json()["text"] == "RT @acme: arranged"
    assert sim.store.get_post(r.json()["id"]).reposted_post_id == post_id
    r = requests.post(base + "/_xmock/reposts/undo", json={"user_id": fan.id, "post_id": post_id})
    assert r.json() == {"changed": True}
    reply = _post(world, "self reply", reply={"in_reply_to_tweet_id": post_id})
    r = requests.post(base + "/_xmock/hidden_replies", json={"post_id": reply})
    assert r.json() == {"changed": True, "hidden": True}
    r = requests.post(base + "/_xmock/likes", json={"user_id": fan.id, "post_id": post_id, "liked": False})
    assert r.json() == {"changed": True, "liked": False}


def test_control_inputs_are_checked(world, sim, base):
    post_id = _post(world, "p")
    bad = [
        ("/_xmock/likes", {"user_id": world.user.id}),
        ("/_xmock/likes", {"user_id": world.user.id, "post_id": 5}),
        ("/_xmock/likes", {"user_id": world.user.id, "post_id": "12a"}),
        ("/_xmock/likes", {"user_id": world.user.id, "post_id": post_id, "liked": "yes"}),
        ("/_xmock/likes", {"user_id": world.user.id, "post_id": post_id, "other": 1}),
        ("/_xmock/reposts", {"user_id": world.user.id, "post_id": "x" * 30}),
        ("/_xmock/hidden_replies", {"post_id": post_id}),  # not a reply
    ]
    for path, body in bad:
        r = requests.post(base + path, json=body)
        assert r.status_code == 400, (path, body, r.text)
        assert "error" in r.json()
    assert requests.post(base + "/_xmock/likes", json={"user_id": "1", "post_id": post_id}).status_code == 404
    assert requests.post(base + "/_xmock/reposts", json={"user_id": world.user.id, "post_id": "7"}).status_code == 404

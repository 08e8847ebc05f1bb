"""PUT /2/tweets/{tweet_id}/hidden: only the conversation's author hides replies in it."""

from openapi_shapes import assert_matches


def test_conversation_author_hides_and_unhides_a_reply(world, sim):
    s = world.session()
    root = s.post(world.url("/2/tweets"), json={"text": "start"}).json()["data"]["id"]
    other = sim.create_user(username="replier")
    other_s = world.session(sim.mint_oauth1_token(world.app.id, other.id))
    reply = other_s.post(world.url("/2/tweets"), json={"text": "hi", "reply": {"in_reply_to_tweet_id": root}})
    reply_id = reply.json()["data"]["id"]
    url = world.url(f"/2/tweets/{reply_id}/hidden")
    r = s.put(url, json={"hidden": True})
    assert r.status_code == 200 and r.json() == {"data": {"hidden": True}}
    assert_matches("/2/tweets/{tweet_id}/hidden", "put", 200, r.json())
    assert sim.hidden_replies(world.user.id) == [reply_id]
    assert s.put(url, json={"hidden": False}).json() == {"data": {"hidden": False}}
    assert sim.hidden_replies(world.user.id) == []
    # the replier does not own the conversation; the root is not a reply
    assert other_s.put(url, json={"hidden": True}).status_code == 403
    assert s.put(world.url(f"/2/tweets/{root}/hidden"), json={"hidden": True}).status_code == 403
    assert s.put(url, json={"hidden": "yes"}).status_code == 400
    assert s.put(url, json={}).status_code == 400
    assert s.put(url, json={"hidden": True, "extra": 1}).status_code == 400
    assert s.put(world.url("/2/tweets/999/hidden"), json={"hidden": True}).json()["errors"][0]["resource_id"] == "999"

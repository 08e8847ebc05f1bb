from openapi_shapes import assert_matches


def test_like_unlike_repost_unrepost(world):
    s = world.session()
    post_id = s.post(world.url("/2/tweets"), json={"text": "like me"}).json()["data"]["id"]
    me = world.user.id
    r = s.post(world.url(f"/2/users/{me}/likes"), json={"tweet_id": post_id})
    assert r.json() == {"data": {"liked": True}}
    assert_matches("/2/users/{id}/likes", "post", 200, r.json())
    r = s.post(world.url(f"/2/users/{me}/retweets"), json={"tweet_id": post_id})
    assert r.json()["data"]["retweeted"] is True and r.json()["data"]["rest_id"] != post_id
    assert_matches("/2/users/{id}/retweets", "post", 200, r.json())
    metrics = s.get(world.url(f"/2/tweets/{post_id}"), params={"tweet.fields": "public_metrics"}).json()
    assert metrics["data"]["public_metrics"]["like_count"] == 1
    assert metrics["data"]["public_metrics"]["retweet_count"] == 1
    assert s.delete(world.url(f"/2/users/{me}/likes/{post_id}")).json() == {"data": {"liked": False}}
    assert s.delete(world.url(f"/2/users/{me}/retweets/{post_id}")).json() == {"data": {"retweeted": False}}
    metrics = s.get(world.url(f"/2/tweets/{post_id}"), params={"tweet.fields": "public_metrics"}).json()
    assert metrics["data"]["public_metrics"]["like_count"] == 0


def test_only_for_the_authenticated_user(world, sim):
    s = world.session()
    post_id = s.post(world.url("/2/tweets"), json={"text": "x"}).json()["data"]["id"]
    other = sim.create_user(username="someone")
    assert s.post(world.url(f"/2/users/{other.id}/likes"), json={"tweet_id": post_id}).status_code == 403
    assert s.post(world.url(f"/2/users/{world.user.id}/likes"), json={"post": post_id}).status_code == 400
    assert s.post(world.url(f"/2/users/{world.user.id}/likes"), json={"tweet_id": 5}).status_code == 400

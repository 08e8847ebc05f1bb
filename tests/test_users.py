from openapi_shapes import assert_matches


def test_me_default_fields(world):
    r = world.session().get(world.url("/2/users/me"))
    assert r.json() == {"data": {"id": world.user.id, "name": "Acme Inc", "username": "acme"}}
    assert_matches("/2/users/me", "get", 200, r.json())


def test_user_fields_and_most_recent_post(world):
    world.session().post(world.url("/2/tweets"), json={"text": "latest"})
    r = world.session().get(
        world.url(f"/2/users/{world.user.id}"),
        params={
            "user.fields": "created_at,most_recent_tweet_id,verified",
            "expansions": "most_recent_post_id",
        },
    )
    body = r.json()
    assert_matches("/2/users/{id}", "get", 200, body)
    metrics = world.session().get(world.url("/2/users/me"), params={"user.fields": "public_metrics"}).json()
    assert metrics["data"]["public_metrics"]["tweet_count"] == 1  # X's live name; the 2.167 spec says post_count
    assert body["includes"]["tweets"][0]["text"] == "latest"
    assert body["data"]["created_at"].endswith("Z")


def test_by_username_and_missing_users(world):
    s = world.session()
    assert s.get(world.url("/2/users/by/username/ACME")).json()["data"]["id"] == world.user.id
    r = s.get(world.url("/2/users/by/username/nobody"))
    assert r.status_code == 200
    assert r.json()["errors"][0]["detail"] == "Could not find user with username: [nobody]."
    assert s.get(world.url("/2/users/by/username/not-valid!")).status_code == 400
    assert s.get(world.url("/2/users/abc")).status_code == 400
    assert s.get(world.url("/2/users/42")).json()["errors"][0]["resource_type"] == "user"

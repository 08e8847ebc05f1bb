import requests
from oauth2_support import app_bearer
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


# batch lookups, search, affiliates -------------------------------------------------------------


def test_users_by_ids_with_partial_errors_and_includes(sim, world):
    other = sim.create_user(username="bob", name="Bob Builder")
    world.session().post(world.url("/2/tweets"), json={"text": "latest from acme"})
    r = world.session().get(
        world.url("/2/users"),
        params={
            "ids": f"{world.user.id},42,{other.id},{world.user.id}",
            "user.fields": "created_at,protected",
            "expansions": "most_recent_tweet_id",
        },
    )
    body = r.json()
    assert r.status_code == 200
    assert [u["id"] for u in body["data"]] == [world.user.id, other.id]  # asked twice, answered once
    assert body["data"][0]["protected"] is False
    assert body["errors"][0]["detail"] == "Could not find user with ids: [42]."
    assert body["errors"][0]["parameter"] == "ids"
    assert body["includes"]["tweets"][0]["text"] == "latest from acme"
    assert_matches("/2/users", "get", 200, body)


def test_users_by_ids_all_missing_has_errors_only(world):
    body = world.session().get(world.url("/2/users"), params={"ids": "41,42"}).json()
    assert "data" not in body and [e["value"] for e in body["errors"]] == ["41", "42"]
    assert_matches("/2/users", "get", 200, body)


def test_users_by_ids_refusals(world):
    s = world.session()
    too_many = ",".join(str(n) for n in range(1, 102))
    cases = {"": "can not be empty", "1,x": "does not match ^[0-9]{1,19}$", too_many: "between 1 and 100 items"}
    for ids, message in cases.items():
        r = s.get(world.url("/2/users"), params={"ids": ids})
        assert r.status_code == 400, ids
        assert message in r.json()["errors"][0]["message"]
        assert_matches("/2/users", "get", 400, r.json())
    assert s.get(world.url("/2/users")).status_code == 400  # ids is required
    hundred = ",".join(str(n) for n in range(1, 101))
    assert s.get(world.url("/2/users"), params={"ids": hundred}).status_code == 200


def test_users_by_usernames(sim, world):
    sim.create_user(username="Bob_2", name="Bob")
    r = world.session().get(world.url("/2/users/by"), params={"usernames": "ACME,bob_2,ghost,Acme"})
    body = r.json()
    assert [u["username"] for u in body["data"]] == ["acme", "Bob_2"]
    assert body["errors"] == [
        {
            "value": "ghost",
            "detail": "Could not find user with usernames: [ghost].",
            "title": "Not Found Error",
            "resource_type": "user",
            "parameter": "usernames",
            "resource_id": "ghost",
            "type": "https://api.x.com/2/problems/resource-not-found",
        }
    ]
    assert_matches("/2/users/by", "get", 200, body)
    bad = world.session().get(world.url("/2/users/by"), params={"usernames": "acme,no-dash"})
    assert bad.status_code == 400 and bad.json()["errors"][0]["parameters"] == {"usernames": ["no-dash"]}


def test_users_lookups_take_an_app_bearer_token(sim, world):
    token = app_bearer(world).json()["access_token"]
    headers = {"authorization": f"Bearer {token}"}
    r = requests.get(world.url("/2/users"), params={"ids": world.user.id}, headers=headers)
    assert r.status_code == 200 and r.json()["data"][0]["id"] == world.user.id
    search = requests.get(world.url("/2/users/search"), params={"query": "acme"}, headers=headers)
    assert search.status_code == 403  # user context only


def test_search_users_matches_username_and_name_case_insensitively(sim, world):
    ada = sim.create_user(username="ada_l", name="Ada Lovelace")
    acme2 = sim.create_user(username="acmecorp", name="Someone Else")
    sim.create_user(username="zed", name="Zed Shaw")
    s = world.session()
    body = s.get(world.url("/2/users/search"), params={"query": "ACME"}).json()
    assert [u["id"] for u in body["data"]] == [world.user.id, acme2.id]  # the exact username first
    assert_matches("/2/users/search", "get", 200, body)
    by_name = s.get(world.url("/2/users/search"), params={"query": "ada love", "user.fields": "description"}).json()
    assert [u["id"] for u in by_name["data"]] == [ada.id] and "description" in by_name["data"][0]
    nothing = s.get(world.url("/2/users/search"), params={"query": "nobody here"})
    assert nothing.status_code == 200 and "data" not in nothing.json()


def test_search_users_pages_with_next_token(sim, world):
    made = {sim.create_user(username=f"pager{n}", name=f"Pager {n}").id for n in range(5)}
    s = world.session()
    seen: list[str] = []
    params = {"query": "pager", "max_results": "2"}
    for _ in range(5):
        body = s.get(world.url("/2/users/search"), params=params).json()
        assert_matches("/2/users/search", "get", 200, body)
        assert "result_count" not in body["meta"]
        seen += [u["id"] for u in body["data"]]
        if "next_token" not in body["meta"]:
            break
        params["next_token"] = body["meta"]["next_token"]
    assert len(seen) == 5 and set(seen) == made
    back = s.get(world.url("/2/users/search"), params={**params, "next_token": body["meta"]["previous_token"]})
    assert [u["id"] for u in back.json()["data"]] == seen[2:4]


def test_search_users_refusals(world):
    s = world.session()
    for query in ("", "no@signs", "x" * 51):
        r = s.get(world.url("/2/users/search"), params={"query": query})
        assert r.status_code == 400, query
        assert_matches("/2/users/search", "get", 400, r.json())
    for extra in ({"max_results": "0"}, {"max_results": "1001"}, {"next_token": "garbage"}):
        assert s.get(world.url("/2/users/search"), params={"query": "acme", **extra}).status_code == 400


def test_affiliates_and_the_affiliation_field(sim, world):
    org = world.user
    staff = [sim.create_user(username=f"staff{n}", name=f"Staff {n}") for n in range(3)]
    for member in staff:
        sim.clock.advance(1)
        assert sim.affiliate(member.id, org.id) is True
    assert sim.affiliate(staff[0].id, org.id) is False  # already affiliated
    s = world.session()
    body = s.get(world.url(f"/2/users/{org.id}/affiliates"), params={"max_results": "2"}).json()
    assert [u["id"] for u in body["data"]] == [staff[2].id, staff[1].id]  # newest affiliation first
    assert body["meta"]["result_count"] == 2 and "next_token" in body["meta"]
    assert_matches("/2/users/{id}/affiliates", "get", 200, body)
    rest = s.get(
        world.url(f"/2/users/{org.id}/affiliates"), params={"pagination_token": body["meta"]["next_token"]}
    ).json()
    assert [u["id"] for u in rest["data"]] == [staff[0].id]
    shown = s.get(
        world.url("/2/users"),
        params={"ids": staff[0].id, "user.fields": "affiliation", "expansions": "affiliation.user_id"},
    ).json()
    assert shown["data"][0]["affiliation"] == {"user_id": [org.id]}
    assert shown["includes"]["users"][0]["username"] == "acme"
    assert_matches("/2/users", "get", 200, shown)
    sim.affiliate(staff[0].id, org.id, False)
    none = s.get(world.url(f"/2/users/{org.id}/affiliates")).json()
    assert [u["id"] for u in none["data"]] == [staff[2].id, staff[1].id]
    assert s.get(world.url("/2/users/42/affiliates")).json()["errors"][0]["resource_id"] == "42"


def test_affiliation_through_the_control_api(sim, world):
    member = sim.create_user(username="member", name="Member")
    url = world.url(f"/_xmock/users/{member.id}/affiliation")
    r = requests.post(url, json={"organization_id": world.user.id})
    assert r.status_code == 200 and r.json()["changed"] is True
    assert sim.store.edges_to("affiliations", world.user.id)[0][0] == member.id
    assert requests.post(url, json={"organization_id": world.user.id, "affiliated": False}).json()["changed"] is True
    refusals = [
        ({"organization_id": 5}, 400),
        ({"organization_id": world.user.id, "affiliated": "yes"}, 400),
        ({"organization_id": world.user.id, "extra": 1}, 400),
        ({}, 400),
        ({"organization_id": member.id}, 400),
        ({"organization_id": "999"}, 404),
    ]
    for body, status in refusals:
        got = requests.post(url, json=body)
        assert got.status_code == status, body
        assert "error" in got.json()
    unknown = requests.post(world.url("/_xmock/users/999/affiliation"), json={"organization_id": member.id})
    assert unknown.status_code == 404

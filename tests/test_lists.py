"""Lists: create, look up, update, delete; members, followers, follows, pins, posts; private lists; caps."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
import requests
from oauth2_support import app_bearer
from openapi_shapes import assert_matches

from xmock.simulator.control.errors import ControlError

LIST_SCOPES = "tweet.read tweet.write users.read list.read list.write"


def _bearer(sim, world, user=None, scopes=LIST_SCOPES) -> dict[str, str]:
    access, _ = sim.mint_oauth2_token(world.app.id, (user or world.user).id, scopes)
    return {"Authorization": f"Bearer {access.token}"}


def test_create_look_up_update_delete(world, sim):
    s = world.session()
    r = s.post(world.url("/2/lists"), json={"name": "Friends", "description": "close ones", "private": False})
    assert r.status_code == 201
    assert_matches("/2/lists", "post", 201, r.json())
    list_id = r.json()["data"]["id"]
    assert r.json() == {"data": {"id": list_id, "name": "Friends"}}

    got = s.get(world.url(f"/2/lists/{list_id}")).json()
    assert got == {"data": {"id": list_id, "name": "Friends"}}
    fields = "created_at,description,follower_count,member_count,owner_id,private"
    got = s.get(world.url(f"/2/lists/{list_id}"), params={"list.fields": fields, "expansions": "owner_id"}).json()
    assert_matches("/2/lists/{id}", "get", 200, got)
    data = got["data"]
    assert (data["description"], data["private"], data["owner_id"]) == ("close ones", False, world.user.id)
    assert (data["member_count"], data["follower_count"]) == (0, 0)
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", data["created_at"])
    assert got["includes"]["users"][0]["id"] == world.user.id

    r = s.put(world.url(f"/2/lists/{list_id}"), json={"name": "Best friends", "private": True})
    assert r.json() == {"data": {"updated": True}}
    assert_matches("/2/lists/{id}", "put", 200, r.json())
    got = s.get(world.url(f"/2/lists/{list_id}"), params={"list.fields": "private,description"}).json()["data"]
    assert got == {"id": list_id, "name": "Best friends", "private": True, "description": "close ones"}

    r = s.delete(world.url(f"/2/lists/{list_id}"))
    assert r.json() == {"data": {"deleted": True}}
    assert_matches("/2/lists/{id}", "delete", 200, r.json())
    gone = s.get(world.url(f"/2/lists/{list_id}")).json()
    assert gone["errors"][0]["type"] == "https://api.x.com/2/problems/resource-not-found"
    assert_matches("/2/lists/{id}", "get", 200, gone)


@pytest.mark.parametrize(
    "body, message",
    [
        ({}, "$.name: required property 'name' not found"),
        ({"name": ""}, "$.name: must be at least 1 characters long"),
        ({"name": "x" * 26}, "$.name: may only be 25 characters long"),
        ({"name": "ok", "description": "d" * 101}, "$.description: may only be 100 characters long"),
        ({"name": 5}, "$.name: integer found, string expected"),
        ({"name": "ok", "private": "yes"}, "$.private: string found, boolean expected"),
        ({"name": "ok", "mode": "public"}, "$.mode: is not defined in the schema and the schema does not allow"),
    ],
)
def test_create_refuses_bodies_the_schema_refuses(world, body, message):
    r = world.session().post(world.url("/2/lists"), json=body)
    assert r.status_code == 400
    assert r.json()["errors"][0]["message"].startswith(message)
    assert r.json()["type"] == "https://api.x.com/2/problems/invalid-request"


def test_members_followers_counts_and_paging(world, sim):
    people = [sim.create_user(username=f"member{i}") for i in range(5)]
    lst = sim.create_list(world.user.id, "Crew", members=[p.id for p in people[:3]])
    s = world.session()
    r = s.post(world.url(f"/2/lists/{lst.id}/members"), json={"user_id": people[3].id})
    assert r.json() == {"data": {"is_member": True}}
    assert_matches("/2/lists/{id}/members", "post", 200, r.json())
    again = s.post(world.url(f"/2/lists/{lst.id}/members"), json={"user_id": people[3].id})
    assert again.json() == {"data": {"is_member": True}}  # repeating is not an error

    page1 = s.get(world.url(f"/2/lists/{lst.id}/members"), params={"max_results": 3}).json()
    assert_matches("/2/lists/{id}/members", "get", 200, page1)
    assert [u["id"] for u in page1["data"]] == [people[3].id, people[2].id, people[1].id]
    assert page1["meta"]["result_count"] == 3
    page2 = s.get(
        world.url(f"/2/lists/{lst.id}/members"),
        params={"max_results": 3, "pagination_token": page1["meta"]["next_token"]},
    ).json()
    assert [u["id"] for u in page2["data"]] == [people[0].id]
    assert "next_token" not in page2["meta"] and "previous_token" in page2["meta"]

    sim.follow_list(people[4].id, lst.id)
    other = sim.mint_oauth1_token(world.app.id, people[0].id)
    r = world.session(other).post(world.url(f"/2/users/{people[0].id}/followed_lists"), json={"list_id": lst.id})
    assert r.json() == {"data": {"following": True}}
    assert_matches("/2/users/{id}/followed_lists", "post", 200, r.json())
    followers = s.get(world.url(f"/2/lists/{lst.id}/followers"), params={"user.fields": "created_at"}).json()
    assert_matches("/2/lists/{id}/followers", "get", 200, followers)
    assert {u["id"] for u in followers["data"]} == {people[4].id, people[0].id}

    counts = s.get(world.url(f"/2/lists/{lst.id}"), params={"list.fields": "member_count,follower_count"}).json()
    assert (counts["data"]["member_count"], counts["data"]["follower_count"]) == (4, 2)

    r = s.delete(world.url(f"/2/lists/{lst.id}/members/{people[3].id}"))
    assert r.json() == {"data": {"is_member": False}}
    assert_matches("/2/lists/{id}/members/{user_id}", "delete", 200, r.json())
    r = world.session(other).delete(world.url(f"/2/users/{people[0].id}/followed_lists/{lst.id}"))
    assert r.json() == {"data": {"following": False}}
    assert_matches("/2/users/{id}/followed_lists/{list_id}", "delete", 200, r.json())
    counts = s.get(world.url(f"/2/lists/{lst.id}"), params={"list.fields": "member_count,follower_count"}).json()
    assert (counts["data"]["member_count"], counts["data"]["follower_count"]) == (3, 1)

    memberships = s.get(world.url(f"/2/users/{people[0].id}/list_memberships")).json()
    assert_matches("/2/users/{id}/list_memberships", "get", 200, memberships)
    assert memberships["data"] == [{"id": lst.id, "name": "Crew"}]
    followed = s.get(world.url(f"/2/users/{people[4].id}/followed_lists")).json()
    assert_matches("/2/users/{id}/followed_lists", "get", 200, followed)
    assert followed["data"] == [{"id": lst.id, "name": "Crew"}]


def test_only_the_owner_changes_a_list(world, sim):
    stranger = sim.create_user(username="stranger")
    lst = sim.create_list(stranger.id, "Theirs")
    s = world.session()
    for r in (
        s.put(world.url(f"/2/lists/{lst.id}"), json={"name": "Mine"}),
        s.delete(world.url(f"/2/lists/{lst.id}")),
        s.post(world.url(f"/2/lists/{lst.id}/members"), json={"user_id": world.user.id}),
        s.delete(world.url(f"/2/lists/{lst.id}/members/{world.user.id}")),
    ):
        assert r.status_code == 403
        assert r.json()["title"] == "Forbidden" and "this List" in r.json()["detail"]
    assert sim.get_list(lst.id).name == "Theirs"


def test_private_lists_are_their_owners_only(world, sim):
    stranger = sim.create_user(username="stranger")
    secret = sim.create_list(stranger.id, "Secret", private=True, members=[world.user.id])
    public = sim.create_list(stranger.id, "Open")
    s = world.session()
    r = s.get(world.url(f"/2/lists/{secret.id}"))
    assert r.status_code == 200 and "data" not in r.json()
    assert r.json()["errors"][0]["type"] == "https://api.x.com/2/problems/not-authorized-for-resource"
    assert_matches("/2/lists/{id}", "get", 200, r.json())
    assert s.get(world.url(f"/2/lists/{secret.id}/members")).json()["errors"][0]["title"] == "Authorization Error"
    owned = s.get(world.url(f"/2/users/{stranger.id}/owned_lists")).json()
    assert [d["id"] for d in owned["data"]] == [public.id]
    assert "data" not in s.get(world.url(f"/2/users/{world.user.id}/list_memberships")).json()
    r = s.post(world.url(f"/2/users/{world.user.id}/followed_lists"), json={"list_id": secret.id})
    assert r.json()["errors"][0]["resource_type"] == "list"
    # the owner sees it
    token = sim.mint_oauth1_token(world.app.id, stranger.id)
    mine = world.session(token).get(world.url(f"/2/users/{stranger.id}/owned_lists")).json()
    assert {d["id"] for d in mine["data"]} == {secret.id, public.id}


def test_list_posts_are_the_members_posts_newest_first(world, sim):
    a, b = sim.create_user(username="alice"), sim.create_user(username="bob")
    outsider = sim.create_user(username="outsider")
    tokens = {u.id: sim.mint_oauth1_token(world.app.id, u.id) for u in (a, b, outsider)}
    ids = []
    for i, author in enumerate((a, b, outsider, a, b)):
        sim.clock.advance(1)
        r = world.session(tokens[author.id]).post(world.url("/2/tweets"), json={"text": f"post {i}"})
        ids.append((author.id, r.json()["data"]["id"]))
    lst = sim.create_list(world.user.id, "Feed", members=[a.id, b.id])
    s = world.session()
    page = s.get(
        world.url(f"/2/lists/{lst.id}/tweets"),
        params={"max_results": 2, "tweet.fields": "author_id,created_at", "expansions": "author_id"},
    ).json()
    assert_matches("/2/lists/{id}/tweets", "get", 200, page)
    members_posts = [pid for author, pid in reversed(ids) if author != outsider.id]
    assert [p["id"] for p in page["data"]] == members_posts[:2]
    assert {u["id"] for u in page["includes"]["users"]} == {a.id, b.id}
    rest = s.get(
        world.url(f"/2/lists/{lst.id}/tweets"),
        params={"max_results": 2, "pagination_token": page["meta"]["next_token"]},
    ).json()
    assert [p["id"] for p in rest["data"]] == members_posts[2:]
    empty = sim.create_list(world.user.id, "Empty")
    assert s.get(world.url(f"/2/lists/{empty.id}/tweets")).json() == {"meta": {"result_count": 0}}


def test_pins_and_the_pin_cap(world, sim):
    sim.configure(max_pinned_lists=2)
    lists = [sim.create_list(world.user.id, f"L{i}") for i in range(3)]
    s, me = world.session(), world.user.id
    for lst in lists[:2]:
        r = s.post(world.url(f"/2/users/{me}/pinned_lists"), json={"list_id": lst.id})
        assert r.json() == {"data": {"pinned": True}}
        assert_matches("/2/users/{id}/pinned_lists", "post", 200, r.json())
    r = s.post(world.url(f"/2/users/{me}/pinned_lists"), json={"list_id": lists[2].id})
    assert r.status_code == 403 and r.json()["detail"] == "You cannot pin more than 2 Lists."
    pinned = s.get(world.url(f"/2/users/{me}/pinned_lists"), params={"list.fields": "owner_id"}).json()
    assert_matches("/2/users/{id}/pinned_lists", "get", 200, pinned)
    assert pinned["meta"] == {"result_count": 2} and "next_token" not in pinned["meta"]
    r = s.delete(world.url(f"/2/users/{me}/pinned_lists/{lists[0].id}"))
    assert r.json() == {"data": {"pinned": False}}
    assert_matches("/2/users/{id}/pinned_lists/{list_id}", "delete", 200, r.json())
    # deleting a list drops its pins, members and follows
    s.delete(world.url(f"/2/lists/{lists[1].id}"))
    assert s.get(world.url(f"/2/users/{me}/pinned_lists")).json() == {"meta": {"result_count": 0}}
    other = sim.create_user(username="other")
    r = s.get(world.url(f"/2/users/{other.id}/pinned_lists"))
    assert r.status_code == 400 and "must be the same as the authenticating user" in r.json()["errors"][0]["message"]


def test_member_and_owned_caps(world, sim):
    sim.configure(max_list_members=1, max_owned_lists=1)
    a, b = sim.create_user(username="aa"), sim.create_user(username="bb")
    lst = sim.create_list(world.user.id, "Tiny", members=[a.id])
    r = world.session().post(world.url(f"/2/lists/{lst.id}/members"), json={"user_id": b.id})
    assert r.status_code == 403 and r.json()["detail"] == "You cannot add more than 1 members to a List."
    r = world.session().post(world.url("/2/lists"), json={"name": "Another"})
    assert r.status_code == 403 and "own more than 1 Lists" in r.json()["detail"]
    with pytest.raises(ControlError) as refused:
        sim.add_list_member(lst.id, b.id)
    assert refused.value.status == 409


def test_owned_lists_paged_and_bad_parameters(world, sim):
    made = [sim.create_list(world.user.id, f"N{i}") for i in range(3)]
    s = world.session()
    page = s.get(world.url(f"/2/users/{world.user.id}/owned_lists"), params={"max_results": 2}).json()
    assert_matches("/2/users/{id}/owned_lists", "get", 200, page)
    assert [d["id"] for d in page["data"]] == [made[2].id, made[1].id]
    assert "next_token" in page["meta"]
    for params in ({"max_results": 0}, {"max_results": 101}, {"list.fields": "colour"}, {"expansions": "members"}):
        r = s.get(world.url(f"/2/users/{world.user.id}/owned_lists"), params=params)
        assert r.status_code == 400, params
        assert r.json()["title"] == "Invalid Request"
    assert s.get(world.url("/2/lists/abc")).status_code == 400
    missing = s.get(world.url("/2/users/123/owned_lists")).json()
    assert missing["errors"][0]["resource_type"] == "user"


def test_bearer_reads_and_scopes(world, sim):
    lst = sim.create_list(world.user.id, "Readable", members=[world.user.id])
    bearer = {"Authorization": f"Bearer {app_bearer(world).json()['access_token']}"}
    members = requests.get(world.url(f"/2/lists/{lst.id}/members"), headers=bearer).json()
    assert members["data"][0]["id"] == world.user.id
    assert requests.get(world.url(f"/2/users/{world.user.id}/pinned_lists"), headers=bearer).status_code == 403
    no_list_scope = _bearer(sim, world, scopes="tweet.read users.read")
    r = requests.get(world.url(f"/2/lists/{lst.id}"), headers=no_list_scope)
    assert r.status_code == 403
    r = requests.post(world.url("/2/lists"), json={"name": "Via OAuth2"}, headers=_bearer(sim, world))
    assert r.status_code == 201


def test_list_reads_and_writes_are_billed(world, sim):
    lst = sim.create_list(world.user.id, "Billed")
    s = world.session()
    before = sim.balance(world.app.id)
    s.get(world.url(f"/2/lists/{lst.id}"))
    s.post(world.url(f"/2/lists/{lst.id}/members"), json={"user_id": world.user.id})
    assert before - sim.balance(world.app.id) == Decimal("0.015")  # List read $0.005 + List: Create $0.010


def test_control_api_arranges_a_list(world, sim, base):
    member = sim.create_user(username="m1")
    body = {"owner_id": world.user.id, "name": "Arranged", "members": [member.id]}
    r = requests.post(base + "/_xmock/lists", json=body)
    assert r.status_code == 201
    list_id = r.json()["id"]
    assert requests.post(base + f"/_xmock/lists/{list_id}/followers", json={"user_id": member.id}).json()["following"]
    assert requests.post(base + f"/_xmock/users/{world.user.id}/pinned_lists", json={"list_id": list_id}).ok
    assert requests.get(base + f"/_xmock/lists/{list_id}").json()["name"] == "Arranged"
    for body in ({"owner_id": world.user.id}, {"owner_id": world.user.id, "name": "x" * 26},
                 {"owner_id": world.user.id, "name": "ok", "private": "no"}, {"owner_id": [1], "name": "ok"},
                 {"owner_id": world.user.id, "name": "ok", "colour": 1}):
        r = requests.post(base + "/_xmock/lists", json=body)
        assert r.status_code == 400, body
    assert requests.post(base + "/_xmock/lists", json={"owner_id": "999", "name": "ok"}).status_code == 404
    assert requests.post(base + "/_xmock/lists/999/members", json={"user_id": member.id}).status_code == 404

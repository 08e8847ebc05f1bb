"""The audience: simulated users acting on the simulator clock, through the same store as the X surface."""

import threading

import pytest
import requests
from openapi_shapes import assert_matches

from xmock.simulator.control.errors import ControlError

T0 = 1_700_000_000.0


@pytest.fixture
def frozen(sim):
    sim.clock.freeze(T0)
    return sim


def _summary(sim, plan_id):
    """What a plan did, in terms that do not depend on ids: who (username), to whom or what, text, when."""
    out = []
    for action in sim.audience_plan(plan_id)["actions"]:
        by = sim.user(action["by"]).username
        to = action.get("to")
        post = sim.store.get_post(to) if action["kind"] in ("reply", "quote", "like", "repost") else None
        target = post.text if post else sim.user(to).username
        out.append((action["kind"], round(action["at"] - T0, 6), by, target, action.get("text")))
    return out


def _rated_run(sim, seed, steps):
    brand = sim.create_user(username="brand")
    sim.create_post(brand.id, "Our spring menu")
    sim.create_post(brand.id, "Open late on Fridays")
    plan = sim.add_audience(
        targets=[brand.id],
        rates={"mention": 2, "reply": 2, "quote": 1, "like": 3, "repost": 1, "follow": 1},
        users=4,
        seed=seed,
    )
    for step in steps:
        sim.clock.advance(step)
    return _summary(sim, plan["id"])


def test_the_same_seed_gives_the_same_audience_however_the_clock_moves(frozen):
    sim = frozen
    first = _rated_run(sim, 11, [300])
    assert len(first) > 20 and {kind for kind, *_ in first} == {"mention", "reply", "quote", "like", "repost", "follow"}
    sim.reset()
    sim.clock.freeze(T0)
    assert _rated_run(sim, 11, [60] * 5) == first  # five one-minute steps, the same actions at the same times
    sim.reset()
    sim.clock.freeze(T0)
    assert _rated_run(sim, 12, [300]) != first


def test_actions_land_only_when_the_clock_reaches_them(frozen, world):
    sim = frozen
    post = sim.create_post(world.user.id, "Our spring menu is here")
    plan = sim.add_audience(
        events=[
            {"at": "+10s", "kind": "reply", "to": post.id, "text": "Looks great"},
            {"at": "+20s", "kind": "reply", "to": post.id},
            {"at": 30, "kind": "like", "to": post.id},
        ],
        users=2,
    )
    assert sim.run_audience() == 0  # a frozen clock: nothing happens until it is moved
    sim.clock.advance(9.999)
    assert sim.audience_plan(plan["id"])["performed"] == 0
    sim.clock.advance(0.001)
    done = sim.audience_plan(plan["id"])
    assert done["performed"] == 1 and done["actions"][0]["text"] == "@acme Looks great"
    reply = sim.store.get_post(done["actions"][0]["post_id"])
    assert reply.created_at == T0 + 10 and reply.in_reply_to_post_id == post.id
    assert reply.author_id in plan["members"]
    sim.clock.advance(60)
    done = sim.audience_plan(plan["id"])
    assert (done["performed"], done["active"], done["by_kind"]) == (3, False, {"like": 1, "reply": 2})


def test_what_the_audience_does_reaches_mentions_metrics_and_the_event_log(frozen, world):
    sim = frozen
    post = sim.create_post(world.user.id, "Our spring menu is here")
    cursor = sim.store.event_cursor()
    plan = sim.add_audience(
        events=[
            {"at": "+5s", "kind": "reply", "to": post.id},
            {"at": "+6s", "kind": "quote", "to": post.id, "text": "This!"},
            {"at": "+7s", "kind": "like", "to": post.id},
            {"at": "+8s", "kind": "repost", "to": post.id},
            {"at": "+9s", "kind": "mention", "to": world.user.id, "text": "hello there"},
            {"at": "+10s", "kind": "follow", "to": world.user.id},
        ],
        users=6,
    )
    sim.clock.advance(10)
    s = world.session()
    body = s.get(world.url(f"/2/tweets/{post.id}"), params={"tweet.fields": "public_metrics"}).json()
    assert_matches("/2/tweets/{id}", "get", 200, body)
    metrics = body["data"]["public_metrics"]
    assert (metrics["reply_count"], metrics["quote_count"], metrics["like_count"], metrics["retweet_count"]) == (
        1,
        1,
        1,
        1,
    )
    body = s.get(world.url(f"/2/users/{world.user.id}/mentions")).json()
    assert_matches("/2/users/{id}/mentions", "get", 200, body)
    texts = [p["text"] for p in body["data"]]
    assert any(t.startswith("@acme ") and t.endswith("hello there") for t in texts)
    assert len(texts) == 2  # the reply names the author it answers, the mention names it
    followers = s.get(world.url(f"/2/users/{world.user.id}/followers")).json()["data"]
    assert [u["id"] for u in followers] == [plan["members"][5]]
    events = [e for _, e in sim.store.events_after(cursor)]
    kinds = [e["type"] for e in events]
    for kind in ("post.create", "like.create", "repost.create", "follow.create"):
        assert kind in kinds
    assert kinds.count("post.create") == 4  # reply, quote, repost post, mention: each once
    repost = next(e for e in events if e["type"] == "repost.create")
    assert repost["at"] == T0 + 8  # each action dated when it was due, not when the clock was moved
    like = next(e for e in events if e["type"] == "like.create")
    assert (like["actor_id"], like["target_id"], like["at"]) == (plan["members"][2], post.id, T0 + 7)


def test_a_block_or_a_deleted_post_skips_the_action(frozen, world):
    sim = frozen
    post = sim.create_post(world.user.id, "Menu")
    gone = sim.create_post(world.user.id, "Old menu")
    plan = sim.add_audience(
        events=[{"at": "+1s", "kind": "reply", "to": post.id}, {"at": "+2s", "kind": "like", "to": gone.id}],
        users=1,
    )
    sim.block(world.user.id, plan["members"][0])
    sim.store.delete_post(gone.id, T0)
    sim.clock.advance(5)
    done = sim.audience_plan(plan["id"])
    assert (done["performed"], done["skipped"]) == (0, 2)
    assert "blocks" in done["actions"][0]["skipped"] and done["actions"][1]["skipped"] == "the post is gone"
    assert sim.store.post_metrics(post.id)["reply_count"] == 0


def test_max_actions_bounds_a_long_jump_and_stop_ends_a_plan(frozen, world):
    sim = frozen
    plan = sim.add_audience(targets=[world.user.id], rates={"mention": 600}, max_actions=50, seed=1)
    sim.clock.advance(3600)
    done = sim.audience_plan(plan["id"])
    assert (done["performed"], done["active"]) == (50, False)
    other = sim.add_audience(targets=[world.user.id], rates={"follow": 1}, seed=2)
    assert sim.stop_audience(other["id"]) == 1
    sim.clock.advance(3600)
    assert sim.graph(world.user.id)["followers"] == []
    with pytest.raises(ControlError) as err:
        sim.audience_plan(other["id"])
    assert err.value.status == 404


def test_duration_ends_the_rates(frozen, world):
    sim = frozen
    plan = sim.add_audience(targets=[world.user.id], rates={"mention": 60}, duration=30, seed=3)
    sim.clock.advance(600)
    done = sim.audience_plan(plan["id"])
    assert not done["active"] and 10 <= done["performed"] <= 60
    assert all(a["at"] <= T0 + 30 for a in done["actions"])


def test_dm_actions_send_real_direct_messages(frozen, world):
    sim = frozen
    plan = sim.add_audience(events=[{"at": "+1s", "kind": "dm", "to": world.user.id, "text": "hi there"}], users=1)
    assert sim.dm_events(world.user.id) == []
    sim.clock.advance(1)
    (event,) = sim.dm_events(world.user.id)
    assert event["sender_id"] == plan["members"][0] and event["text"] == "hi there"
    assert sim.audience_plan(plan["id"])["performed"] == 1


def test_a_running_clock_is_followed_by_the_ticker(sim, world):
    done = threading.Event()
    plan = sim.add_audience(events=[{"at": "+0.2s", "kind": "mention", "to": world.user.id, "text": "hi"}], users=1)
    for _ in range(200):  # waits for the background tick (bounded); no assertion on how long it took
        if sim.audience_plan(plan["id"])["performed"] == 1:
            done.set()
            break
        threading.Event().wait(0.05)
    assert done.is_set()


def test_the_control_api(base, sim, world):
    sim.clock.freeze(T0)
    post = sim.create_post(world.user.id, "Menu")
    url = base + "/_xmock/audience"
    answer = requests.post(url, json={"events": [{"at": "+30s", "kind": "reply", "to": post.id}], "users": 2})
    assert answer.status_code == 201
    plan = answer.json()
    assert len(plan["members"]) == 2 and plan["active"]
    assert requests.post(base + "/_xmock/clock", json={"advance": 30}).status_code == 200
    got = requests.get(f"{url}/{plan['id']}").json()
    assert got["performed"] == 1 and got["actions"][0]["kind"] == "reply"
    assert [p["id"] for p in requests.get(url).json()["plans"]] == [plan["id"]]
    assert requests.delete(f"{url}/{plan['id']}").json() == {"stopped": 1}
    assert requests.get(f"{url}/{plan['id']}").status_code == 404
    assert requests.delete(url).json() == {"stopped": 0}


@pytest.mark.parametrize(
    ("body", "status", "message"),
    [
        ({"ratse": {}}, 400, "did you mean 'rates'"),
        ({"rates": {"replies": 1}, "targets": ["1"]}, 400, "did you mean 'reply'"),
        ({"rates": {"reply": 1}}, 400, "rates need at least one target"),
        ({"rates": {"reply": 601}, "targets": ["1"]}, 400, "rates.reply"),
        ({"rates": {"reply": True}, "targets": ["1"]}, 400, "rates.reply"),
        ({}, 400, "needs rates"),
        ({"events": [{"at": "soon", "kind": "reply", "to": "1"}]}, 400, "events[0].at"),
        ({"events": [{"at": "+5x", "kind": "reply", "to": "1"}]}, 400, "events[0].at"),
        ({"events": [{"at": -1, "kind": "reply", "to": "1"}]}, 400, "events[0].at"),
        ({"events": [{"at": "+1s", "kind": "like", "to": "1", "text": "x"}]}, 400, "a like has no text"),
        ({"events": [{"at": "+1s", "kind": "reply"}]}, 400, "events[0].to: required"),
        ({"events": [{"at": "+1s", "kind": "reply", "to": "abc"}]}, 400, "events[0].to"),
        ({"events": [{"at": "+1s", "kind": "reply", "to": "1"}]}, 404, "no post 1"),
        ({"events": [{"at": "+1s", "kind": "follow", "to": "1"}]}, 404, "no user 1"),
        ({"events": "x"}, 400, "events"),
        ({"targets": ["1"], "rates": {"like": 1}, "users": 0}, 400, "users"),
        ({"targets": ["1"], "rates": {"like": 1}, "seed": -1}, 400, "seed"),
        ({"targets": "1", "rates": {"like": 1}}, 400, "targets"),
        ({"targets": ["1"], "rates": {"like": 1}, "texts": [""]}, 400, "texts[0]"),
        ({"targets": ["1"], "rates": {"like": 1}, "duration": 0}, 400, "duration"),
        ({"rates": {"spaces": 1}}, 400, "did you mean 'space'"),
        ({"events": [{"at": "+1s", "kind": "space", "to": "1"}]}, 400, "events[0].to: a space has no target"),
        ({"events": [{"at": "+1s", "kind": "reply", "to": "1", "lasts": 60}]}, 400, "only a space has lasts"),
        ({"events": [{"at": "+1s", "kind": "space", "lasts": 0}]}, 400, "events[0].lasts"),
        ({"events": [{"at": "+1s", "kind": "space", "lasts": "+0s"}]}, 400, "events[0].lasts"),
        ({"events": [{"at": "+1s", "kind": "space", "starts_in": "soon"}]}, 400, "events[0].starts_in"),
        ({"events": [{"at": "+1s", "kind": "space", "starts_in": "+400d"}]}, 400, "events[0].starts_in"),
        ({"events": [{"at": "+1s", "kind": "space", "starts_in": True}]}, 400, "events[0].starts_in"),
        ({"events": [{"at": "+1s", "kind": "space", "text": "x" * 71}]}, 400, "events[0].text"),
        ({"events": [{"at": "+1s", "kind": "space", "by": "1"}]}, 404, "no user 1"),
    ],
)
def test_plans_are_checked_whole(base, sim, body, status, message):
    answer = requests.post(base + "/_xmock/audience", json=body)
    assert answer.status_code == status, answer.text
    assert message in answer.json()["error"]
    assert requests.get(base + "/_xmock/audience").json() == {"plans": []}
    assert sim.store.list_users() == []  # refused before any member was made


def test_the_x_audience_fixture(x_sim, x_clock, x_user, x_audience):
    x_clock.freeze()
    post = x_sim.create_post(x_user.id, "Our spring menu is here")
    x_audience.replies(to=post, count=3, within=60)
    x_audience.follows(x_user.id, count=2, within=30)
    x_clock.advance(59)
    assert x_sim.store.post_metrics(post.id)["reply_count"] == 2
    x_clock.advance(1)
    assert x_sim.store.post_metrics(post.id)["reply_count"] == 3
    assert len(x_sim.graph(x_user.id)["followers"]) == 2


def _spaces_api(world, bearer, path, **params):
    r = requests.get(world.url(path), params=params, headers={"Authorization": f"Bearer {bearer}"})
    assert r.status_code == 200, r.text
    return r.json()


def test_the_audience_hosts_spaces_scheduled_then_live_then_ended(frozen, world, bearer):
    sim = frozen
    plan = sim.add_audience(
        events=[
            {"at": "+10s", "kind": "space", "text": "Coffee with the team", "starts_in": "+10m", "lasts": "+30m"},
            {"at": "+20s", "kind": "space", "starts_in": 600},  # title and length made up
        ],
        users=2,
    )
    fields = {"space.fields": "state,title,scheduled_start,created_at", "expansions": "creator_id"}
    sim.clock.advance(9)
    assert _spaces_api(world, bearer, "/2/spaces/search", query="coffee") == {"meta": {"result_count": 0}}
    sim.clock.advance(11)
    actions = sim.audience_plan(plan["id"])["actions"]
    assert [a["kind"] for a in actions] == ["space", "space"] and [a["by"] for a in actions] == plan["members"]
    coffee, other = (a["space_id"] for a in actions)
    assert actions[1]["title"] and 900 <= actions[1]["ended_at"] - actions[1]["scheduled_start"] <= 7200

    body = _spaces_api(world, bearer, "/2/spaces/search", query="COFFEE team", **fields)
    assert_matches("/2/spaces/search", "get", 200, body)
    assert body["data"] == [
        {
            "id": coffee,
            "state": "scheduled",
            "title": "Coffee with the team",
            "creator_id": plan["members"][0],
            "scheduled_start": "2023-11-14T22:23:30.000Z",  # T0 + 10 s + 10 min
            "created_at": "2023-11-14T22:13:30.000Z",  # dated when it was due
        }
    ]
    creators = ",".join(plan["members"])
    body = _spaces_api(world, bearer, "/2/spaces/by/creator_ids", user_ids=creators, **fields)
    assert_matches("/2/spaces/by/creator_ids", "get", 200, body)
    assert {s["id"]: s["state"] for s in body["data"]} == {coffee: "scheduled", other: "scheduled"}

    sim.clock.advance(600)  # T0 + 620: the first is live, the second starts at T0 + 620 too
    body = _spaces_api(world, bearer, "/2/spaces/by/creator_ids", user_ids=creators, **fields)
    assert {s["id"]: s["state"] for s in body["data"]} == {coffee: "live", other: "live"}
    live = _spaces_api(world, bearer, "/2/spaces/search", query="coffee", state="live")
    assert [s["id"] for s in live["data"]] == [coffee]

    sim.clock.advance(1800)  # the first ended after its 30 minutes; search and by-creator answer it no more
    assert _spaces_api(world, bearer, "/2/spaces/search", query="coffee") == {"meta": {"result_count": 0}}
    body = _spaces_api(world, bearer, "/2/spaces/by/creator_ids", user_ids=plan["members"][0])
    assert body == {"meta": {"result_count": 0}}
    assert _spaces_api(world, bearer, f"/2/spaces/{coffee}")["data"]["state"] == "ended"
    sim.clock.set(T0 + 15)  # state is read from the clock: moving it back makes the Space scheduled again
    assert _spaces_api(world, bearer, f"/2/spaces/{coffee}")["data"]["state"] == "scheduled"


def _hosted(sim, seed, steps):
    plan = sim.add_audience(rates={"space": 2}, duration=300, users=3, seed=seed)  # hosting needs no targets
    for step in steps:
        sim.clock.advance(step)
    out = []
    for action in sim.audience_plan(plan["id"])["actions"]:
        space = sim.get_space(action["space_id"])
        assert space["created_at"] == action["at"] and space["title"] == action["title"]
        assert 300 <= space["scheduled_start"] - action["at"] <= 3600
        assert 900 <= space["ended_at"] - space["scheduled_start"] <= 7200
        out.append((round(action["at"] - T0, 6), sim.user(action["by"]).username, action["title"],
                    space["scheduled_start"], space["ended_at"]))
    return out


def test_space_rates_host_the_same_spaces_for_a_seed_however_the_clock_moves(frozen):
    sim = frozen
    first = _hosted(sim, 5, [3600])
    assert 3 <= len(first) <= 30 and all(at <= 300 for at, *_ in first)
    assert len({title for *_, title, _, _ in first}) > 1  # titles made up from the seed
    sim.reset()
    sim.clock.freeze(T0)
    assert _hosted(sim, 5, [60] * 60) == first
    sim.reset()
    sim.clock.freeze(T0)
    assert _hosted(sim, 6, [3600]) != first


def test_the_x_audience_fixture_hosts_spaces(x_sim, x_clock, x_audience):
    from xmock.simulator import spaces

    x_clock.freeze()
    plan = x_audience.spaces(count=2, within=60, title="Launch AMA", starts_in="+5m", lasts=1800)
    assert len(plan["members"]) == 2
    x_clock.advance(60)
    hosted = [x_sim.get_space(a["space_id"]) for a in x_sim.audience_plan(plan["id"])["actions"]]
    assert [s["title"] for s in hosted] == ["Launch AMA"] * 2
    assert {s["creator_id"] for s in hosted} == set(plan["members"])
    states = lambda: [spaces.state(s, x_sim.clock.now()) for s in hosted]  # noqa: E731
    assert states() == ["scheduled", "scheduled"]
    x_clock.advance(270)  # the first starts 5 minutes after +30s, the second after +60s
    assert states() == ["live", "scheduled"]
    x_clock.advance(1800)
    assert states() == ["ended", "live"]

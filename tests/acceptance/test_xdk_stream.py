"""Every method of xdk 0.10's stream client, unmodified, given the simulator's base URL.

Each streaming method connects for real, something happens that its stream must deliver (a post, a like, a
delete, an unlike, an account taken down, an X Activity event), and the client must yield it parsed with xdk's
own model (xdk drops lines its model refuses, so a line of the wrong shape never arrives). Partitioned post
streams read the post back through `backfill_minutes`, since a post's partition follows from its id. Each
stream then ends by closing xdk's generator, and the simulator must see the connection closed by the client (the
label stream, with nothing to deliver, is killed through X's API and refused on xdk's reconnect).
Every read is bounded: xdk's read timeout with no retries turns a stream that says nothing into an error.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import requests
from oauth2_support import bearer_headers
from stream_support import WAIT, open_count, wait_closed
from xdk import Client
from xdk.streaming import StreamConfig, StreamError

from xmock.simulator import Simulator
from xmock.simulator.resources.streams import _like_id

README = Path(__file__).resolve().parents[2] / "README.md"
RULE = "cats"


@dataclass
class Ctx:
    sim: Simulator
    c: Client  # the app's bearer token (what every stream method takes)
    app_id: str
    me: Any  # the world's user
    fan: Any  # another user, who likes and follows
    headers: dict[str, str]
    base: str


def config(on_connect: Callable[[], Any] | None = None) -> StreamConfig:
    """No reconnects and a read timeout: a stream that stays silent raises instead of hanging."""
    return StreamConfig(max_retries=0, timeout=WAIT, on_connect=on_connect)


def first_item(x: Ctx, stream: Iterator[Any]) -> Any:
    """The first item xdk yields; then its generator is closed and the simulator must see the client leave."""
    try:
        item = next(iter(stream))
    finally:
        close = getattr(stream, "close", None)
        if close is not None:
            close()
    wait_closed(x.sim, x.app_id)
    assert open_count(x.sim, x.app_id) == 0
    assert {c["disconnect_reason"] for c in x.sim.store.stream_connections(x.app_id)} == {"ClientDisconnect"}
    return item


def data_of(item: Any) -> Any:
    """The `data` of a line: compliance models are root models over a union of xdk's event models."""
    return getattr(item, "root", item).data


# the post streams ------------------------------------------------------------------------------
def filtered(x: Ctx) -> bool:
    x.c.stream.update_rules(body={"add": [{"value": RULE, "tag": "felines"}]})
    post = x.sim.create_post(x.fan.id, "dogs only")  # before the connection: not delivered
    item = first_item(x, x.c.stream.posts(
        expansions=["author_id"], stream_config=config(lambda: x.sim.create_post(x.fan.id, "I like cats"))
    ))
    assert post.id != item.data.id
    return (item.data.text, item.matching_rules[0].tag, item.includes.users[0].username) == (
        "I like cats", "felines", "fan")


def sample(x: Ctx) -> bool:
    item = first_item(x, x.c.stream.posts_sample(
        tweet_fields=["created_at"], stream_config=config(lambda: x.sim.create_post(x.me.id, "sampled"))
    ))
    return item.data.text == "sampled" and item.data.created_at is not None


def partitioned(method: str, partitions: int, text: str) -> Callable[[Ctx], bool]:
    """A post made just before connecting, read back through backfill on the partition its id falls in."""

    def check(x: Ctx) -> bool:
        post = x.sim.create_post(x.me.id, text)
        x.sim.create_post(x.me.id, "and one more after it")  # on another partition, or after it: never first
        partition = int(post.id) % partitions + 1
        stream = getattr(x.c.stream, method)(partition=partition, backfill_minutes=1, stream_config=config())
        item = first_item(x, stream)
        return (item.data.id, item.data.text) == (post.id, text)

    return check


# likes and compliance --------------------------------------------------------------------------
def likes(method: str, partitions: int) -> Callable[[Ctx], bool]:
    def check(x: Ctx) -> bool:
        post = x.sim.create_post(x.me.id, "likeable")
        partition = int(_like_id(x.fan.id, post.id), 16) % partitions + 1
        stream = getattr(x.c.stream, method)(
            partition=partition, stream_config=config(lambda: x.sim.like(x.fan.id, post.id))
        )
        item = first_item(x, stream)
        return (item.data.liked_tweet_id, item.data.id) == (post.id, _like_id(x.fan.id, post.id))

    return check


def posts_compliance(x: Ctx) -> bool:
    post = x.sim.create_post(x.me.id, "soon gone")
    delete = config(lambda: x.sim.store.delete_post(post.id, x.sim.clock.now()))
    stream = x.c.stream.posts_compliance(partition=int(post.id) % 4 + 1, stream_config=delete)
    deleted = data_of(first_item(x, stream)).delete
    return (deleted.tweet.id, deleted.tweet.author_id) == (post.id, x.me.id) and deleted.event_at is not None


def likes_compliance(x: Ctx) -> bool:
    post = x.sim.create_post(x.me.id, "liked, then not")
    x.sim.like(x.fan.id, post.id)
    stream = x.c.stream.likes_compliance(stream_config=config(lambda: x.sim.like(x.fan.id, post.id, liked=False)))
    favorite = data_of(first_item(x, stream)).delete.favorite
    return (favorite.id, favorite.user_id) == (_like_id(x.fan.id, post.id), x.fan.id)


def users_compliance(x: Ctx) -> bool:
    partition = int(x.fan.id) % 4 + 1
    stream = x.c.stream.users_compliance(
        partition=partition, stream_config=config(lambda: x.sim.set_account_state(x.fan.id, "suspended"))
    )
    suspended = data_of(first_item(x, stream)).user_suspend
    return suspended.user.id == x.fan.id and suspended.event_at is not None


def labels_compliance(x: Ctx) -> bool:
    """The simulator models no post labels, and xdk's models refuse X's disconnect notice (their Problem has no
    operational-disconnect), so xdk reconnects on it: the app's connections are killed through X's API while the
    app is moved to self-serve, and the reconnect meets X's 403, which ends xdk's generator."""

    def kill() -> None:
        x.sim.settings = x.sim.settings.updated(access_tier="self-serve")
        assert requests.delete(x.base + "/2/connections/all", headers=x.headers, timeout=WAIT).status_code == 200

    stream = x.c.stream.labels_compliance(stream_config=config(kill))
    with pytest.raises(StreamError) as refused:
        next(iter(stream))
    wait_closed(x.sim, x.app_id)
    [conn] = x.sim.store.stream_connections(x.app_id)
    return (refused.value.status_code, conn["endpoint"], conn["disconnect_reason"]) == (
        403, "tweet_label_stream", "ForceDisconnect")


# X Activity ------------------------------------------------------------------------------------
def activity(x: Ctx) -> bool:
    body = {"event_type": "follow.follow", "filter": {"user_id": x.me.id}}
    made = requests.post(x.base + "/2/activity/subscriptions", json=body, headers=x.headers, timeout=WAIT)
    assert made.status_code == 200, made.text
    item = first_item(x, x.c.stream.activity(stream_config=config(lambda: x.sim.follow(x.fan.id, x.me.id))))
    # X's docs wrap the users ({"source": {"data": <User>}}), the spec's model has <User>: xdk keeps `data` as extra
    source = item.data.payload.source.model_extra["data"]
    return item.data.event_type == "follow.follow" and (source["id"], source["username"]) == (x.fan.id, "fan")


# rules -----------------------------------------------------------------------------------------
def update_rules(x: Ctx) -> bool:
    made = x.c.stream.update_rules(body={"add": [{"value": RULE}, {"value": "from:acme"}]})
    return sorted(r.value for r in made.data) == [RULE, "from:acme"] and made.meta.summary["created"] == 2


def get_rules(x: Ctx) -> bool:
    x.c.stream.update_rules(body={"add": [{"value": RULE, "tag": "t"}]})
    page = next(iter(x.c.stream.get_rules()))
    return [(r.value, r.tag) for r in page.data] == [(RULE, "t")]


def get_rule_counts(x: Ctx) -> bool:
    x.c.stream.update_rules(body={"add": [{"value": RULE}, {"value": "dogs"}]})
    counts = x.c.stream.get_rule_counts().data
    mine = counts.client_app_rules_count
    return (mine.client_app_id, mine.rule_count, counts.project_rules_count) == (x.app_id, 2, "2") and int(
        counts.cap_per_client_app
    ) >= 2


CALLS: dict[str, Callable[[Ctx], bool]] = {
    "posts": filtered,
    "posts_sample": sample,
    "posts_sample10": partitioned("posts_sample10", 2, "a tenth of everything"),
    "posts_firehose": partitioned("posts_firehose", 20, "everything"),
    "posts_firehose_en": partitioned("posts_firehose_en", 8, "this is what the cat said to the dog"),
    "posts_firehose_ja": partitioned("posts_firehose_ja", 2, "これは猫についての投稿です"),
    "posts_firehose_ko": partitioned("posts_firehose_ko", 2, "이것은 고양이에 대한 게시물입니다"),
    "posts_firehose_pt": partitioned("posts_firehose_pt", 2, "o gato não é um cão e isso é muito bom"),
    "likes_firehose": likes("likes_firehose", 20),
    "likes_sample10": likes("likes_sample10", 2),
    "posts_compliance": posts_compliance,
    "likes_compliance": likes_compliance,
    "users_compliance": users_compliance,
    "labels_compliance": labels_compliance,
    "activity": activity,
    "update_rules": update_rules,
    "get_rules": get_rules,
    "get_rule_counts": get_rule_counts,
}


@pytest.fixture
def ctx(world, bearer, sim, base) -> Ctx:
    fan = sim.create_user(username="fan", name="Fan")
    client = Client(base_url=base, bearer_token=bearer)
    return Ctx(sim, client, world.app.id, world.user, fan, bearer_headers(bearer), base)


def test_every_stream_method_is_called():
    client = Client(base_url="http://127.0.0.1:9")
    methods = {n for n, _ in inspect.getmembers(type(client.stream), inspect.isfunction) if not n.startswith("_")}
    assert len(methods) == 18, "xdk's stream client changed: look at what it added or dropped"
    assert methods == CALLS.keys()


@pytest.mark.parametrize("method", sorted(CALLS))
def test_stream_method(method, ctx):
    assert CALLS[method](ctx) is True


def test_readme_states_the_measured_count(capsys):
    client = Client(base_url="http://127.0.0.1:9")
    total = len([n for n, _ in inspect.getmembers(type(client.stream), inspect.isfunction) if not n.startswith("_")])
    claim = f"xdk 0.10's `stream` client: xmock answers {len(CALLS)} of its {total} methods, every one called for real"
    with capsys.disabled():
        print(f"\n{claim}")
    assert claim in README.read_text(encoding="utf-8")

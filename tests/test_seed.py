"""A declared world: TOML tables and the xmock_world / xmock_snapshot markers, checked as the control API checks."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from xmock.simulator import Simulator, seed
from xmock.simulator.config import Settings
from xmock.simulator.control.errors import InvalidInput
from xmock.simulator.relations import FOLLOWS
from xmock.simulator.store import MemoryStore

pytest_plugins = ["pytester"]

WORLD_TOML = """
[simulator]
billing = true

[[accounts]]
name = "Acme"

[[users]]
username = "alice"
account = "Acme"

[[users]]
username = "bob"

[[apps]]
account = "Acme"
name = "Scheduler"
consumer_key = "ck-acme-123456"
consumer_secret = "cs-acme-123456"
credits = "3.50"

[[tokens]]
app = "Scheduler"
user = "alice"

[[tokens]]
app = "Scheduler"
user = "bob"
kind = "oauth2"
scopes = "tweet.read users.read"

[[follows]]
from = "bob"
to = "alice"

[[posts]]
user = "alice"
text = "hello from the config"
"""

WORLD = {
    "accounts": [{"name": "Acme"}],
    "users": [{"username": "alice", "account": "Acme"}],
    "apps": [{"account": "Acme", "name": "Scheduler"}],
    "tokens": [{"app": "Scheduler", "user": "alice"}],
}


def test_toml_world_is_made(tmp_path) -> None:
    path = tmp_path / "xmock.toml"
    path.write_text(WORLD_TOML)
    assert Settings.from_toml(path).billing is True  # the world tables do not trouble the settings
    sim = Simulator()
    made = seed.apply(sim, seed.read_toml(path), str(path))
    app = made.apps["Scheduler"]
    alice, bob = made.users["alice"], made.users["bob"]
    assert app.consumer_key == "ck-acme-123456"
    assert sim.store.credit_balance(app.id) == Decimal("3.50")
    assert alice.tenant_account_id == made.accounts["Acme"].id
    assert [t["user_id"] for t in made.tokens if "token_secret" in t] == [alice.id]
    assert [t["scope"] for t in made.tokens if "access_token" in t] == ["tweet.read users.read"]
    assert [dst for dst, _ in sim.store.edges_from(FOLLOWS, bob.id)] == [alice.id]
    assert [p.text for p in sim.store.posts_by_author(alice.id)] == ["hello from the config"]


@pytest.mark.parametrize(
    ("world", "message"),
    [
        ({"apps": [{"account": "Acme"}]}, "apps[0]: missing field(s): name"),
        ({"accounts": [{"name": "A", "colour": "red"}]}, "accounts[0]: unknown field 'colour'"),
        ({"users": [{"username": "not valid!"}]}, "users[0]: a username is 1 to 15"),
        ({"users": [{"username": "a"}, {"username": "a"}]}, "users[1]:"),
        ({"apps": [{"account": "Nobody", "name": "x"}]}, "apps[0]: account: no developer account named 'Nobody'"),
        ({"tokens": [{"app": "x", "user": "y"}]}, "tokens[0]: app: no app named 'x'"),
        ({**WORLD, "tokens": [{"app": "Scheduler", "user": "alice", "kind": "magic"}]}, "tokens[0]: kind"),
        ({"follows": [{"from": "ghost", "to": "ghost"}]}, "follows[0]: from: no user @ghost"),
        ({"posts": "hello"}, "posts: expected an array of tables ([[posts]])"),
        ({"planets": []}, "unknown table 'planets'"),
        ({"apps": [{"account": "A", "name": "x", "permission": "all"}], "accounts": [{"name": "A"}]}, "apps[0]:"),
    ],
)
def test_refusals_name_the_table_entry_and_key(world, message) -> None:
    with pytest.raises(InvalidInput) as caught:
        seed.apply(Simulator(), world, "world.toml")
    assert caught.value.message.startswith("world.toml: ")
    assert message in caught.value.message


def test_toml_refusal_names_the_file(tmp_path) -> None:
    path = tmp_path / "bad.toml"
    path.write_text('[[apps]]\nname = "x"\n')
    with pytest.raises(InvalidInput, match=r"bad.toml: apps\[0\]: missing field\(s\): account"):
        seed.apply(Simulator(), seed.read_toml(path), str(path))


@pytest.mark.xmock_world(WORLD)
def test_world_marker(x_sim) -> None:
    assert x_sim.declared.users["alice"].username == "alice"
    assert [a.name for a in x_sim.store.list_apps()] == ["Scheduler"]


SAVED = Simulator()
SAVED.create_user(username="from_snapshot")
SNAPSHOT = SAVED.snapshot()


@pytest.mark.xmock(billing=False)
@pytest.mark.xmock_snapshot(SNAPSHOT)
@pytest.mark.xmock_world({"users": [{"username": "declared"}]})
def test_snapshot_marker_then_world_then_settings(x_sim) -> None:
    names = sorted(u.username for u in x_sim.store.list_users())
    assert names == ["declared", "from_snapshot"]
    assert x_sim.settings.billing is False


MARKERS_FROM_FILES = """
import pytest

@pytest.mark.xmock_snapshot("saved.json")
@pytest.mark.xmock_world("world.toml")
def test_files(x_sim):
    assert sorted(u.username for u in x_sim.store.list_users()) == ["alice", "bob", "saved"]

@pytest.mark.xmock_world({"apps": [{"name": "x"}]})
def test_bad_world(x_sim):
    pass

@pytest.mark.xmock_snapshot({"format": "xmock-snapshot", "version": 99})
def test_bad_snapshot(x_sim):
    pass
"""


def test_markers_read_files_beside_the_test_and_refuse_clearly(pytester) -> None:
    saved = Simulator(store=MemoryStore())  # the plugin's server in a fresh session keeps its world in memory
    saved.create_user(username="saved")
    pytester.path.joinpath("saved.json").write_text(json.dumps(saved.snapshot()))
    pytester.path.joinpath("world.toml").write_text(WORLD_TOML)
    pytester.makepyfile(test_files=MARKERS_FROM_FILES)
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider")
    result.assert_outcomes(passed=1, errors=2)
    result.stdout.fnmatch_lines(["*@pytest.mark.xmock_world: apps[[]0[]]: missing field(s): account*"])
    result.stdout.fnmatch_lines(["*@pytest.mark.xmock_snapshot: snapshot not restored: version: *newer*"])

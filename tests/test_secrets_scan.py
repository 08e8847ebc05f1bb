"""The secrets scan: canaries found in every form and place a provider may keep them, and never shown."""

from __future__ import annotations

import base64
import json
import sqlite3
from urllib.parse import quote

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from starlette.applications import Starlette
from starlette.responses import PlainTextResponse
from starlette.routing import Route

from xmock.adapters.base import DataPlace
from xmock.scenarios.secrets_scan import CANARY_PREFIX, canary, scan
from xmock.simulator.server import AppThread

SECRET = canary("cs")


def test_canaries_are_distinct_and_alphanumeric():
    values = {canary("cs") for _ in range(50)}
    assert len(values) == 50 and all(v.startswith(CANARY_PREFIX) and v.isalnum() for v in values)


@settings(max_examples=40, deadline=None)
@given(before=st.binary(max_size=7), after=st.binary(max_size=7), urlsafe=st.booleans())
def test_base64_is_found_at_any_alignment(before, after, urlsafe):
    encode = base64.urlsafe_b64encode if urlsafe else base64.b64encode
    blob = b"Authorization: Basic " + encode(before + SECRET.encode() + after)
    [leak] = scan({"the secret": SECRET}, None, [blob]).leaks
    assert leak.form == "base64"


@pytest.mark.parametrize(
    ("blob", "form"),
    [
        (f'{{"secret": "{SECRET}"}}'.encode(), "in clear"),
        (SECRET.encode().hex().upper().encode(), "hex"),
        (quote("x" + SECRET + " ").encode(), "in clear"),  # alphanumeric: percent-encoding leaves it as is
    ],
    ids=["json", "hex", "percent-encoded"],  # the canary is random: ids must not show it (xdist compares them)
)
def test_forms(blob, form):
    assert [leak.form for leak in scan({"s": SECRET}, None, [blob]).leaks] == [form]


def test_a_sealed_secret_is_not_a_leak():
    from cryptography.fernet import Fernet

    sealed = Fernet(Fernet.generate_key()).encrypt(SECRET.encode())
    result = scan({"s": SECRET}, [], [sealed])
    assert result.clean and result.answers == 1


def test_places(tmp_path):
    logs = tmp_path / "logs"
    (logs / "deep").mkdir(parents=True)
    (logs / "deep" / "app.log").write_text(f"INFO posting with secret={SECRET}\n")
    (tmp_path / "other.txt").write_text("nothing here")
    database = tmp_path / "provider.db"
    with sqlite3.connect(database) as db:
        db.execute("CREATE TABLE tenants (secret BLOB)")
        db.execute("INSERT INTO tenants VALUES (?)", (base64.b64encode(SECRET.encode()),))
    places = [
        DataPlace("directory", str(logs), "the logs"),
        DataPlace("file", str(tmp_path / "other.txt"), "a clean file"),
        DataPlace("database", f"sqlite:///{database}", "the database"),
    ]
    result = scan({"Tenant's consumer secret": SECRET}, places, [])
    assert {(leak.where, leak.form) for leak in result.leaks} == {("the logs", "in clear"), ("the database", "base64")}
    assert [p["items"] for p in result.places] == [1, 1, 2]
    dumped = json.dumps(result.as_dict())
    assert SECRET not in dumped and "Tenant's consumer secret" in dumped and not result.clean


def test_an_open_url_is_read_without_credentials():
    def page(request):
        return PlainTextResponse("no auth" if "authorization" in request.headers else f"config: {SECRET}")

    server = AppThread(Starlette(routes=[Route("/debug", page)])).start()
    try:
        result = scan({"s": SECRET}, [DataPlace("url", server.base_url + "/debug", "debug page")], [])
    finally:
        server.stop()
    assert [(leak.where, leak.location) for leak in result.leaks] == [("debug page", server.base_url + "/debug")]


def test_unreadable_and_undeclared_places_are_not_clean(tmp_path):
    missing = scan({"s": SECRET}, [DataPlace("log", str(tmp_path / "nope.log"))], [])
    assert missing.unreadable and not missing.clean
    postgres = scan({"s": SECRET}, [DataPlace("database", "postgresql://db.example/provider")], [])
    assert "ValueError" in postgres.unreadable[0]
    assert not scan({"s": SECRET}, None, []).clean


def test_a_place_kind_must_be_known():
    with pytest.raises(ValueError, match="data place"):
        DataPlace("memory", "somewhere")

"""Published signature vectors verify through the whole authentication step; tampered copies fail."""

from __future__ import annotations

import hmac
import random

import pytest

from xmock.simulator import Simulator, errors
from xmock.simulator.auth import authenticate
from xmock.simulator.endpoints import OAUTH1_CONSUMER, OAUTH1_USER, Endpoint
from xmock.simulator.models import App, OAuth1Token, User
from xmock.simulator.oauth1 import signature
from xmock.simulator.oauth1.encoding import pct
from xmock.simulator.xrequest import XRequest

X_CK, X_CS = "xvz1evFS4wEEPTGEFPHBog", "kAcSOqF21Fu85e7zjz7ZN2U4ZRhfV3WpwPAoE3Z7kBw"
X_TOKEN, X_TS = (
    "370773112-GmHxMAgYyLbNEtIKZeRNFsMKPR9EyMZeS9weJAEb",
    "LswwdoUaIvS8ltyTt5jkRh4J50vUPVVHtR2YPi5kE",
)
X_NONCE = "kYjzVBB8Y0ZFabxSWbWovY3uYSQ2pTgmZeNu2VS4cg"
X_STATUS = "Hello Ladies + Gentlemen, a signed OAuth request!"
X_BASE_API_X = (
    "POST&https%3A%2F%2Fapi.x.com%2F1.1%2Fstatuses%2Fupdate.json&include_entities%3Dtrue%26oauth_consumer_key%3D"
    "xvz1evFS4wEEPTGEFPHBog%26oauth_nonce%3DkYjzVBB8Y0ZFabxSWbWovY3uYSQ2pTgmZeNu2VS4cg%26oauth_signature_method%3D"
    "HMAC-SHA1%26oauth_timestamp%3D1318622958%26oauth_token%3D370773112-GmHxMAgYyLbNEtIKZeRNFsMKPR9EyMZeS9weJAEb"
    "%26oauth_version%3D1.0%26status%3DHello%2520Ladies%2520%252B%2520Gentlemen%252C%2520a%2520signed%2520OAuth"
    "%2520request%2521"
)


def _endpoint(kind: str, surface: str = "v1") -> Endpoint:
    return Endpoint("vector", "POST", "/any", lambda call: None, (kind,), surface=surface)


def _request(method: str, path: str, query: str, headers: dict[str, str], body: bytes = b"") -> XRequest:
    scope = {
        "method": method,
        "path": path,
        "raw_path": path.encode(),
        "query_string": query.encode(),
        "scheme": "http",
        "headers": [(k.lower().encode(), v.encode()) for k, v in headers.items()],
    }
    return XRequest(scope, body)


def _header(params: dict[str, str]) -> str:
    return "OAuth " + ", ".join(f'{k}="{pct(v)}"' for k, v in params.items())


@pytest.fixture
def x_doc_sim() -> Simulator:
    sim = Simulator()
    sim.clock.freeze(1318622958)
    account = sim.create_account("X docs")
    app = sim.create_app(account.id, "Docs app", consumer_key=X_CK, consumer_secret=X_CS)
    user = sim.create_user(id="370773112", username="xapi")
    sim.mint_oauth1_token(app.id, user.id, token=X_TOKEN, secret=X_TS)
    return sim


def _x_doc_request(host: str, signature_value: str, status: str = X_STATUS) -> XRequest:
    oauth = {
        "oauth_consumer_key": X_CK,
        "oauth_nonce": X_NONCE,
        "oauth_signature": signature_value,
        "oauth_signature_method": "HMAC-SHA1",
        "oauth_timestamp": "1318622958",
        "oauth_token": X_TOKEN,
        "oauth_version": "1.0",
    }
    body = ("status=" + pct(status)).encode()
    return _request(
        "POST",
        "/1.1/statuses/update.json",
        "include_entities=true",
        {
            "host": "127.0.0.1:9",
            "x-forwarded-host": host,
            "x-forwarded-proto": "https",
            "authorization": _header(oauth),
            "content-type": "application/x-www-form-urlencoded",
        },
        body,
    )


def test_x_documented_base_string_and_signature():
    params = [
        ("include_entities", "true"),
        ("status", X_STATUS),
        ("oauth_consumer_key", X_CK),
        ("oauth_nonce", X_NONCE),
        ("oauth_signature_method", "HMAC-SHA1"),
        ("oauth_timestamp", "1318622958"),
        ("oauth_token", X_TOKEN),
        ("oauth_version", "1.0"),
    ]
    base = signature.base_string(
        "POST", "https://api.x.com/1.1/statuses/update.json", signature.normalized_params(params)
    )
    assert base == X_BASE_API_X
    assert signature.sign(base, X_CS, X_TS) == "Ls93hJiZbQ3akF3HF3x1Bz8/zU4="


@pytest.mark.parametrize(
    ("host", "sig"),
    [("api.x.com", "Ls93hJiZbQ3akF3HF3x1Bz8/zU4="), ("api.twitter.com", "hCtSmYh+iHYCEqBWrE7C7hYmtUk=")],
)
def test_x_documented_example_verifies_end_to_end(x_doc_sim, host, sig):
    ctx = authenticate(x_doc_sim, _x_doc_request(host, sig), _endpoint(OAUTH1_USER))
    assert ctx.user.id == "370773112"
    assert ctx.app.consumer_key == X_CK


def test_x_documented_example_is_found_without_forwarded_headers(x_doc_sim):
    # A client that talks to the simulator's own address but signed api.twitter.com: canonical origins.
    req = _x_doc_request("api.twitter.com", "hCtSmYh+iHYCEqBWrE7C7hYmtUk=")
    del req.headers["x-forwarded-host"]
    del req.headers["x-forwarded-proto"]
    assert authenticate(x_doc_sim, req, _endpoint(OAUTH1_USER)).user.id == "370773112"


def test_undocumented_authorizing_a_request_value_does_not_verify(x_doc_sim):
    with pytest.raises(errors.XError) as exc:
        authenticate(
            x_doc_sim,
            _x_doc_request("api.twitter.com", "tnnArxj06cWHq44gCs1OSKk/jLY="),
            _endpoint(OAUTH1_USER),
        )
    assert exc.value.body == {"errors": [{"code": 32, "message": "Could not authenticate you."}]}


def test_tampered_body_fails(x_doc_sim):
    req = _x_doc_request("api.x.com", "Ls93hJiZbQ3akF3HF3x1Bz8/zU4=", status=X_STATUS + " ")
    with pytest.raises(errors.XError) as exc:
        authenticate(x_doc_sim, req, _endpoint(OAUTH1_USER))
    assert exc.value.status == 401
    assert exc.value.evidence["signature_candidates"][0]["url"] == "https://api.x.com/1.1/statuses/update.json"


def test_outside_the_timestamp_window_is_code_135(x_doc_sim):
    x_doc_sim.clock.advance(301)
    with pytest.raises(errors.XError) as exc:
        authenticate(x_doc_sim, _x_doc_request("api.x.com", "Ls93hJiZbQ3akF3HF3x1Bz8/zU4="), _endpoint(OAUTH1_USER))
    assert exc.value.body["errors"][0]["code"] == 135


def test_replayed_nonce_is_refused(x_doc_sim):
    authenticate(x_doc_sim, _x_doc_request("api.x.com", "Ls93hJiZbQ3akF3HF3x1Bz8/zU4="), _endpoint(OAUTH1_USER))
    with pytest.raises(errors.XError) as exc:
        authenticate(x_doc_sim, _x_doc_request("api.x.com", "Ls93hJiZbQ3akF3HF3x1Bz8/zU4="), _endpoint(OAUTH1_USER))
    assert exc.value.body["errors"][0]["code"] == 32
    assert "nonce" in exc.value.reason


def _rfc_sim(ts: int, consumer: tuple[str, str], token: tuple[str, str] | None = None) -> Simulator:
    sim = Simulator()
    sim.clock.freeze(ts)
    sim.store.add_app(
        App(
            id="1",
            account_id="1",
            name="Printer",
            use_case="",
            callback_urls=(),
            permission="read-write",
            consumer_key=consumer[0],
            consumer_secret=consumer[1],
            client_id="c",
            client_secret="s",
            created_at=0,
        )
    )
    if token:
        sim.store.add_user(User(id="5", username="jane", name="Jane", created_at=0))
        sim.store.add_oauth1_token(
            OAuth1Token(
                token=token[0],
                secret=token[1],
                app_id="1",
                user_id="5",
                access_level="read-write",
                created_at=0,
            )
        )
    return sim


PRINTER = ("dpf43f3p2l4k3l03", "kd94hf93k423kf44")


def test_rfc5849_photos_request_verifies():
    sim = _rfc_sim(137131202, PRINTER, ("nnch734d00sl2jdk", "pfkkdhi9sl3r4s00"))
    header = (
        'OAuth realm="Photos", oauth_consumer_key="dpf43f3p2l4k3l03", oauth_token="nnch734d00sl2jdk", '
        'oauth_signature_method="HMAC-SHA1", oauth_timestamp="137131202", oauth_nonce="chapoH", '
        'oauth_signature="MdpQcU8iPSUjWoN%2FUDMsK2sui9I%3D"'
    )
    req = _request(
        "GET",
        "/photos",
        "file=vacation.jpg&size=original",
        {"host": "photos.example.net", "authorization": header},
    )
    assert authenticate(sim, req, _endpoint(OAUTH1_USER)).user.id == "5"
    tampered = _request(
        "GET",
        "/photos",
        "file=vacation.jpg&size=small",
        {"host": "photos.example.net", "authorization": header},
    )
    with pytest.raises(errors.XError):
        authenticate(sim, tampered, _endpoint(OAUTH1_USER))


def test_rfc5849_temporary_credentials_request_verifies():
    sim = _rfc_sim(137131200, PRINTER)
    header = (
        'OAuth realm="Photos", oauth_consumer_key="dpf43f3p2l4k3l03", oauth_signature_method="HMAC-SHA1", '
        'oauth_timestamp="137131200", oauth_nonce="wIjqoS", '
        'oauth_callback="http%3A%2F%2Fprinter.example.com%2Fready", '
        'oauth_signature="74KNZJeDHnMBp0EMJ9ZHt%2FXKycU%3D"'
    )
    req = _request(
        "POST",
        "/initiate",
        "",
        {
            "host": "photos.example.net:443",
            "x-forwarded-proto": "https",
            "x-forwarded-host": "photos.example.net",
            "authorization": header,
        },
    )
    ctx = authenticate(sim, req, _endpoint(OAUTH1_CONSUMER, "oauth"))
    assert ctx.oauth["oauth_callback"] == "http://printer.example.com/ready"


def test_rfc5849_section_3_example_with_query_and_form_body_verifies():
    sim = _rfc_sim(137131201, ("9djdj82h48djs9d2", "j49sk3j29djd"), ("kkk9d7dh3k39sjv7", "dh893hdasih9"))
    header = (
        'OAuth realm="Example", oauth_consumer_key="9djdj82h48djs9d2", oauth_token="kkk9d7dh3k39sjv7", '
        'oauth_signature_method="HMAC-SHA1", oauth_timestamp="137131201", oauth_nonce="7d8f3e4a", '
        'oauth_signature="r6%2FTJjbCOr97%2F%2BUU0NsvSne7s5g%3D"'
    )
    req = _request(
        "POST",
        "/request",
        "b5=%3D%253D&a3=a&c%40=&a2=r%20b",
        {"host": "example.com", "authorization": header, "content-type": "application/x-www-form-urlencoded"},
        b"c2&a3=2+q",
    )
    assert authenticate(sim, req, _endpoint(OAUTH1_USER)).user.id == "5"


def test_candidate_origins_order():
    headers = {"x-forwarded-host": "api.twitter.com", "x-forwarded-proto": "https", "host": "127.0.0.1:8000"}
    origins = signature.candidate_origins(headers, "http")
    assert origins[:3] == ["https://api.twitter.com", "http://127.0.0.1:8000", "https://127.0.0.1:8000"]
    assert "https://upload.x.com" in origins
    assert signature.candidate_origins({"host": "api.x.com:443"}, "http")[0] == "https://api.x.com"
    assert signature.origin("HTTP", "Example.COM:80") == "http://example.com"
    assert signature.origin("https", "[::1]:8443") == "https://[::1]:8443"


def test_the_keyed_hmac_is_hmac_sha1():
    """The cached key states give what the hmac module gives, for keys short, long and non-ASCII."""
    rng = random.Random(2104)
    secrets = ["", "s", "kAcSOqF21Fu85e7zjz7ZN2U4ZRhfV3WpwPAoE3Z7kBw", "x" * 63, "y" * 64, "z" * 200]
    secrets += ["sécret ü", "a&b=c%"]
    for _ in range(300):
        cs, ts = rng.choice(secrets), rng.choice(secrets)
        message = bytes(rng.randrange(256) for _ in range(rng.randrange(0, 600)))
        assert signature.hmac_sha1(cs, ts, message) == hmac.digest(signature._key(cs, ts), message, "sha1")


def test_the_first_candidate_alone_is_the_first_of_all_candidates():
    hosts = [None, "127.0.0.1:8000", "localhost", "api.x.com", "API.Twitter.com:443", "[::1]:9000", "x.com:80"]
    for host in hosts:
        for forwarded in (None, "api.x.com", "proxy.local:8443"):
            for scheme in ("http", "https"):
                headers = {k: v for k, v in (("host", host), ("x-forwarded-host", forwarded)) if v is not None}
                first = signature.first_origin(headers, scheme)
                everything = list(signature.lazy_origins(headers, scheme))
                assert first is None if forwarded else first == everything[0], (headers, scheme)

"""Reading what a client signed: the OAuth header, the query and a form body.

Real clients differ: header parameters in any order and with any separator,
`oauth_*` parameters in the query (xdk) or the form body (twitter-api-v2),
the same `oauth_token` in header and query at once. All of that is accepted;
conflicting values are not.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from xmock.simulator.digits import is_digits
from xmock.simulator.oauth1.encoding import unpct

_KEY = r"[A-Za-z0-9_.~%-]+"
_PAIR = re.compile(rf'\s*({_KEY})\s*=\s*(?:"([^"]*)"|([^,\s"]*))\s*')
_ONE = rf'\s*{_KEY}\s*=\s*(?:"[^"]*"|[^,\s"]*)\s*'
_HEADER = re.compile(rf"{_ONE}(?:,{_ONE})*")
REQUIRED = (
    "oauth_consumer_key",
    "oauth_signature",
    "oauth_signature_method",
    "oauth_timestamp",
    "oauth_nonce",
)


_REQUIRED_PARAMS = tuple(name for name in REQUIRED if name != "oauth_signature")


class OAuthFormatError(Exception):
    """Missing or garbled OAuth 1.0a parameters (X: 400 code 215 on v1.1)."""

    def __init__(self, kind: str, reason: str) -> None:
        super().__init__(reason)
        self.kind = kind  # "missing" or "garbled"
        self.reason = reason


@dataclass(slots=True)
class SignedRequest:
    """The OAuth 1.0a parameters of one request and everything its signature covers."""

    oauth: dict[str, str]
    signature: str
    params: list[tuple[str, str]] = field(default_factory=list)
    normalized: str | None = None  # the signed parameters as the base string has them, when already known

    @property
    def consumer_key(self) -> str:
        return self.oauth["oauth_consumer_key"]

    @property
    def token(self) -> str | None:
        return self.oauth.get("oauth_token") or None


def parse_header(value: str) -> dict[str, str]:
    """The parameters of an `Authorization: OAuth ...` header, decoded."""
    if value[:5].lower() != "oauth":
        raise OAuthFormatError("garbled", "Authorization scheme is not OAuth")
    rest = value[5:].strip()
    if not rest:
        return {}
    # One C-level check of the whole header, then one pass over its pairs.
    if not _HEADER.fullmatch(rest):
        raise OAuthFormatError("garbled", "unparseable OAuth header")
    out: dict[str, str] = {}
    for key, quoted, bare in _PAIR.findall(rest):
        val = quoted or bare
        try:
            if "%" in key:
                key = unpct(key)
            if "%" in val:
                val = unpct(val)
        except UnicodeDecodeError as exc:
            raise OAuthFormatError("garbled", "OAuth header is not valid percent-encoded UTF-8") from exc
        if key == "realm":
            continue
        if key in out and out[key] != val:
            raise OAuthFormatError("garbled", f"duplicate OAuth header parameter {key}")
        out[key] = val
    return out


# The header as nearly every client writes it: `OAuth k="v", k="v"`, with OAuth's own names and
# values that need no escaping but the signature's.
_PLAIN_PAIR = re.compile(r'([a-z_]+)="([A-Za-z0-9._~%-]*)"(?:, ?|\Z)')
_PLAIN_KEYS = frozenset(
    {
        "oauth_callback",
        "oauth_consumer_key",
        "oauth_nonce",
        "oauth_signature",
        "oauth_signature_method",
        "oauth_timestamp",
        "oauth_token",
        "oauth_verifier",
        "oauth_version",
        "realm",
    }
)


def _plain_header(header: str) -> SignedRequest | None:
    """The usual request, read with a few C-level passes: every parameter in a plainly written
    header, none in the query or body. None sends the request down the general path, which
    also explains refusals."""
    if header[:6] != "OAuth ":
        return None
    # split leaves whatever lies between two pairs at every third place: all of it empty, or the
    # header is not plainly written; then names and values alternate.
    parts = _PLAIN_PAIR.split(header[6:])
    if any(parts[::3]):
        return None
    oauth = dict(zip(parts[1::3], parts[2::3], strict=True))
    if 3 * len(oauth) + 1 != len(parts) or not oauth.keys() <= _PLAIN_KEYS:
        return None  # a name given twice, or not one of OAuth's own
    oauth.pop("realm", None)
    signature = oauth.pop("oauth_signature", None)
    if signature is None or not all(map(oauth.get, _REQUIRED_PARAMS)) or not is_digits(oauth["oauth_timestamp"]):
        return None
    if "%" in "".join(oauth.values()):
        return None  # an escaped value: the general path decodes it
    try:
        signature = _signature(signature)
    except UnicodeDecodeError:
        return None
    # Names hold only [a-z_], which sort after "=": "name=value" strings sort as the pairs would.
    normalized = "&".join(sorted(map("=".join, oauth.items())))
    return SignedRequest(oauth=oauth, signature=signature, params=list(oauth.items()), normalized=normalized)


def _signature(raw: str) -> str:
    """A base64 signature escapes only `+`, `/` and `=`: three replacements, not a decode."""
    if "%" not in raw:
        return raw
    value = raw.replace("%2B", "+").replace("%2F", "/").replace("%3D", "=")
    return value if "%" not in value else unpct(raw)


def signed_request(
    header: str | None, query: list[tuple[str, str]], form: list[tuple[str, str]]
) -> SignedRequest | None:
    """Assemble the signed parameters; None when the request carries no OAuth 1.0a at all."""
    if header is not None and not query and not form:
        plain = _plain_header(header)
        if plain is not None:
            return plain
    return _general(header, query, form)


def _general(header: str | None, query: list[tuple[str, str]], form: list[tuple[str, str]]) -> SignedRequest | None:
    header_params = parse_header(header) if header is not None else {}
    params = query + form
    oauth: dict[str, str] = {}
    signature: str | None = None
    for key, val in params:
        if key.startswith("oauth_"):
            if key in oauth and oauth[key] != val:
                raise OAuthFormatError("garbled", f"conflicting values for {key}")
            oauth[key] = val
    for key, val in header_params.items():
        if key in oauth and oauth[key] != val:
            raise OAuthFormatError("garbled", f"{key} differs between header and query or body")
    in_request = set(oauth)
    oauth.update(header_params)
    if not oauth:
        return None
    # Header parameters join the base string once, even when the query repeats them (xdk).
    signed = [(k, v) for k, v in params if k != "oauth_signature"]
    signed += [(k, v) for k, v in header_params.items() if k != "oauth_signature" and k not in in_request]
    signature = oauth.pop("oauth_signature", None)
    missing = [name for name in REQUIRED if name != "oauth_signature" and not oauth.get(name)]
    if signature is None:
        missing.insert(0, "oauth_signature")
    if missing:
        raise OAuthFormatError("missing", "missing " + ", ".join(missing))
    if not is_digits(oauth["oauth_timestamp"]):  # ASCII digits, and few enough for a time
        raise OAuthFormatError("garbled", "oauth_timestamp is not a number")
    return SignedRequest(oauth=oauth, signature=signature, params=signed)

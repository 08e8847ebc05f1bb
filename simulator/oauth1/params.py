"""Reading what a client signed: the OAuth header, the query and a form body.

Real clients differ: header parameters in any order and with any separator,
`oauth_*` parameters in the query (xdk) or the form body (twitter-api-v2),
the same `oauth_token` in header and query at once. All of that is accepted;
conflicting values are not.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from simulator.oauth1.encoding import pct, unpct

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


@dataclass
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


# The header as nearly every client writes it: `OAuth k="v", k="v"`, values percent-encoded.
_PLAIN_PAIR = re.compile(r'([a-z_]+)="([A-Za-z0-9._~%-]*)"(, ?|\Z)')


def _plain_header(header: str) -> SignedRequest | None:
    """The usual request in one pass: every parameter in a plainly written header, none in the
    query or body. None sends the request down the general path, which also explains refusals."""
    if header[:6] != "OAuth ":
        return None
    rest = header[6:]
    oauth: dict[str, str] = {}
    params: list[tuple[str, str]] = []
    encoded: list[str] = []
    size = 0
    try:
        for key, raw, sep in _PLAIN_PAIR.findall(rest):
            size += len(key) + len(raw) + len(sep) + 3
            if key in oauth:
                return None
            if "%" in raw:
                value = unpct(raw)
                if key != "oauth_signature":
                    raw = pct(value)  # the canonical escape, whatever case or choice the client made
            else:
                value = raw  # only unreserved characters: already as the base string has it
            if key == "realm":
                continue
            oauth[key] = value
            if key != "oauth_signature":
                params.append((key, value))
                encoded.append(f"{key}={raw}")
    except UnicodeDecodeError:
        return None
    if size != len(rest):  # something between the pairs that the general parser must judge
        return None
    signature = oauth.pop("oauth_signature", None)
    if signature is None or not all(oauth.get(name) for name in _REQUIRED_PARAMS):
        return None
    if not oauth["oauth_timestamp"].isdigit():
        return None
    encoded.sort()
    return SignedRequest(oauth=oauth, signature=signature, params=params, normalized="&".join(encoded))


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
    if not oauth["oauth_timestamp"].isdigit():
        raise OAuthFormatError("garbled", "oauth_timestamp is not a number")
    return SignedRequest(oauth=oauth, signature=signature, params=signed)

"""A failed OAuth 1.0a signature, taken apart for a person: each candidate URL's base string split into
method, URL and parameters, and, when they paste what their client signed, where the two differ.

Works only on what the journal kept (credentials there are already fingerprints), so nothing secret shows."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote

from xmock.simulator.redact import fingerprint, is_credential_name


@dataclass(frozen=True)
class Part:
    name: str
    ours: str
    theirs: str | None  # None when the client's base string was not given

    @property
    def differs(self) -> bool:
        return self.theirs is not None and self.ours != self.theirs


def split_base_string(base: str) -> list[tuple[str, str]]:
    """METHOD&url&params as (name, decoded value) rows: the method, the URL, then each parameter."""
    method, _, rest = base.strip().partition("&")
    url, _, params = rest.partition("&")
    rows = [("method", method), ("URL", unquote(url))]
    for pair in unquote(params).split("&") if params else ():
        key, _, value = pair.partition("=")
        rows.append((unquote(key), unquote(value)))
    return rows


def compare(candidate: str, signed: str | None) -> list[Part]:
    """The candidate's rows beside the client's (by name), and any the client had that the candidate lacks."""
    ours = split_base_string(candidate)
    if signed is None:
        return [Part(name, value, None) for name, value in ours]
    # The client's credentials become fingerprints, as the journal keeps the candidate's: compared alike, shown never.
    theirs = {k: (fingerprint(v) or "") if is_credential_name(k) else v for k, v in split_base_string(signed)}
    seen = {name for name, _ in ours}
    parts = [Part(name, value, theirs.get(name, "(missing)")) for name, value in ours]
    parts += [Part(name, "(missing)", value) for name, value in theirs.items() if name not in seen]
    return parts


def view(entry: dict[str, Any], signed: str | None) -> dict[str, Any] | None:
    """What the page shows of an entry's diagnosis, or None when it has none. `signed`, the base string the
    client says it signed, is compared with each candidate; it is never shown as given (it holds the token)."""
    found = entry.get("diagnosis")
    if not isinstance(found, dict):
        return None
    candidates = []
    for c in found.get("signature_candidates", ()) or ():
        if isinstance(c, dict):
            parts = compare(str(c.get("base_string", "")), signed)
            matches = signed is not None and not any(p.differs for p in parts)
            candidates.append({"url": c.get("url", ""), "base_string": c.get("base_string", ""), "parts": parts,
                               "matches": matches})
    facts = {k: v for k, v in found.items() if k != "signature_candidates"}
    return {"facts": facts, "candidates": candidates, "compared": signed is not None}

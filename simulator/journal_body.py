"""Request bodies in the journal: kept cheaply on the request path, made readable (and safe) when read.

The pipeline (`_entry`) stores a reference to the body's bytes as `body` (cut to the `journal_body_bytes`
setting), its length as `body_size` and its `content_type`. Reading the journal turns them into text
once: form bodies keep their bytes with every credential's value (oauth_*, client_secret, refresh_token,
code, code_verifier, password, ...) replaced by its fingerprint, JSON bodies the same by key, anything
binary (a media upload) a short description.
"""

from __future__ import annotations

import json
from typing import Any

from xmock.simulator.redact import fingerprint, is_credential_name, redact_query


def readable(entry: dict[str, Any]) -> dict[str, Any]:
    """The entry with its body as redacted text (in place, once: later readers find the text)."""
    body = entry.get("body")
    if isinstance(body, bytes | bytearray):
        entry["body"] = render(bytes(body), entry.get("content_type") or "")
        if entry.get("body_size", len(body)) > len(body):
            entry["body_truncated"] = True
    return entry


def render(body: bytes, content_type: str) -> str:
    kind = content_type.lower()
    if "multipart/" in kind:
        return f"<{kind.split(';')[0].strip()}, {len(body)} bytes>"
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        return f"<{kind.split(';')[0].strip() or 'binary'}, {len(body)} bytes>"
    if "application/x-www-form-urlencoded" in kind:
        return redact_query(text)
    if "json" in kind or text[:1] in ("{", "["):
        try:
            data = json.loads(text)
            redacted, changed = _redact_json(data)
            return json.dumps(redacted, ensure_ascii=False, separators=(",", ":")) if changed else text
        except ValueError:
            return text
        except RecursionError:  # nested past what can be searched for credentials: not kept
            return f"<JSON nested too deeply to redact, {len(body)} bytes>"
    return text


def _redact_json(value: Any) -> tuple[Any, bool]:
    if isinstance(value, dict):
        changed = False
        out: dict[str, Any] = {}
        for key, item in value.items():
            if is_credential_name(str(key)) and isinstance(item, str):
                out[key], changed = fingerprint(item) or "", True
            else:
                out[key], inner = _redact_json(item)
                changed = changed or inner
        return out, changed
    if isinstance(value, list):
        items = [_redact_json(item) for item in value]
        return [i for i, _ in items], any(c for _, c in items)
    return value, False


def parsed(entry: dict[str, Any]) -> Any:
    """The journalled body as JSON (after redaction); None when there is none or it is not JSON."""
    body = readable(entry).get("body")
    if not isinstance(body, str) or entry.get("body_truncated"):
        return None
    try:
        return json.loads(body)
    except ValueError:
        return None

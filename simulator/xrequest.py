"""One request on the X surface, read from ASGI once, and the reply a handler gives back."""

from __future__ import annotations

import io
import json
import math
import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl

import orjson
import python_multipart

from xmock.simulator import errors


class XRequest:
    __slots__ = (
        "_form",
        "_json",
        "_query",
        "body",
        "headers",
        "method",
        "now",
        "path",
        "query_string",
        "raw_path",
        "scheme",
    )

    def __init__(self, scope: dict[str, Any], body: bytes) -> None:
        self.method: str = scope["method"]
        self.path: str = scope["path"]
        raw = scope.get("raw_path")
        self.raw_path: str = raw.decode("latin-1") if raw else self.path
        self.query_string: str = scope.get("query_string", b"").decode("latin-1")
        self.scheme: str = scope.get("scheme", "http")
        self.headers: dict[str, str] = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        self.body = body
        self._query: list[tuple[str, str]] | None = None
        self._form: list[tuple[str, str]] | None = None
        self._json: Any = _UNSET
        self.now: float | None = None  # the simulator's instant of answering (set by the pipeline)

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "").lower()

    @property
    def is_form(self) -> bool:
        return "application/x-www-form-urlencoded" in self.content_type

    @property
    def query(self) -> list[tuple[str, str]]:
        if self._query is None:
            self._query = _pairs(self.query_string, "query string")
        return self._query

    @property
    def form(self) -> list[tuple[str, str]]:
        """Form-encoded body parameters (empty for any other body)."""
        if self._form is None:
            if self.is_form and self.body:
                try:
                    text = self.body.decode("utf-8")
                except UnicodeDecodeError as exc:
                    raise errors.invalid_request("The request body is not valid UTF-8.") from exc
                self._form = _pairs(text, "form body")
            else:
                self._form = []
        return self._form

    @property
    def is_multipart(self) -> bool:
        return self.content_type.startswith("multipart/form-data")

    def multipart(self) -> tuple[dict[str, str], dict[str, bytes]]:
        """Text fields and file parts of a multipart body (never part of an OAuth 1.0a signature)."""
        if not self.is_multipart:
            return {}, {}
        fields: dict[str, str] = {}
        files: dict[str, bytes] = {}

        def on_field(field: Any) -> None:
            name = (field.field_name or b"").decode("utf-8", "replace")
            fields[name] = (field.value or b"").decode("utf-8", "replace")

        def on_file(part: Any) -> None:
            part.file_object.seek(0)
            files[(part.field_name or b"").decode("utf-8", "replace")] = part.file_object.read()

        headers = {"Content-Type": self.headers.get("content-type", ""), "Content-Length": str(len(self.body))}
        try:
            python_multipart.parse_form(headers, io.BytesIO(self.body), on_field, on_file)
        except Exception as exc:  # the parser raises several kinds on malformed bodies
            raise errors.invalid_request("The multipart body could not be parsed.") from exc
        for name, value in fields.items():  # some clients send the media as a plain field
            files.setdefault(name, value.encode("latin-1", "replace"))
        return fields, files

    def arg(self, name: str, *aliases: str) -> str | None:
        """A query parameter by name or alias (last value wins, as X's servers do)."""
        found = None
        names = (name, *aliases)
        for key, value in self.query:
            if key in names:
                found = value
        return found

    def param(self, name: str) -> str | None:
        """A parameter from the query or a form body."""
        found = None
        for key, value in self.query + self.form:
            if key == name:
                found = value
        return found

    def json(self) -> Any:
        if self._json is _UNSET:
            if not self.body.strip():
                raise errors.invalid_request("The request body is empty; a JSON object was expected.")
            if not _BIG_NUMBER.search(self.body):
                try:
                    self._json = orjson.loads(self.body)  # several times faster than json for the usual body
                    return self._json
                except orjson.JSONDecodeError:
                    pass  # json below decides, and says what is wrong in its own words
            self._json = _strict_json(self.body)
        return self._json

    def json_object(self) -> dict[str, Any]:
        body = self.json()
        if not isinstance(body, dict):
            raise errors.invalid_request("The request body must be a JSON object.")
        return body


_UNSET = object()
# An integer too long for 64 bits: orjson would read it as a float where json keeps it exact.
_BIG_NUMBER = re.compile(rb"(?:^|[:\[,])\s*-?[0-9]{19}")


def _not_json(message: str) -> errors.XError:
    return errors.invalid_request(f"The request body is not valid JSON: {message}.")


def _finite(text: str) -> float:
    value = float(text)
    if math.isinf(value):
        raise ValueError(f"number {text[:40]} is out of range")
    return value


def _constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number")


def _strict_json(body: bytes) -> Any:
    """What orjson would not take: integers too long for 64 bits are kept exact; everything else JSON
    forbids (NaN, Infinity, numbers out of range, lone surrogates, nesting past the decoder's depth) is a 400."""
    try:
        value = json.loads(body.decode("utf-8"), parse_float=_finite, parse_constant=_constant)
    except UnicodeDecodeError as exc:
        raise errors.invalid_request("The request body is not valid UTF-8.") from exc
    except json.JSONDecodeError as exc:
        raise _not_json(exc.msg) from exc
    except ValueError as exc:  # an integer of thousands of digits, or one of the refusals above
        raise _not_json(str(exc).split(";")[0]) from exc
    except RecursionError as exc:
        raise _not_json("nested too deeply") from exc
    if _has_lone_surrogate(value):
        raise _not_json("a string holds a lone surrogate")
    return value


def _has_lone_surrogate(value: Any) -> bool:
    """A string that cannot be UTF-8 (an unpaired \\ud800 escape) poisons every later answer that echoes it."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            if not item.isascii():
                try:
                    item.encode("utf-8")
                except UnicodeEncodeError:
                    return True
        elif isinstance(item, dict):
            stack.extend(item)
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return False


def _pairs(text: str, where: str) -> list[tuple[str, str]]:
    if not text:
        return []
    try:
        return parse_qsl(text, keep_blank_values=True, errors="strict")
    except UnicodeDecodeError as exc:
        raise errors.invalid_request(f"The {where} is not valid percent-encoded UTF-8.") from exc
    except ValueError as exc:
        raise errors.invalid_request(f"The {where} could not be parsed.") from exc


@dataclass(slots=True)
class Reply:
    status: int = 200
    body: dict[str, Any] | str | bytes | None = None
    headers: dict[str, str] = field(default_factory=dict)
    content_type: str = "application/json; charset=utf-8"
    # Evidence for the journal (resource ids touched, etc.); never sent.
    note: dict[str, Any] = field(default_factory=dict)
    # An open stream (simulator.streaming.Stream): the body, sent chunk by chunk as it comes.
    stream: Any = None

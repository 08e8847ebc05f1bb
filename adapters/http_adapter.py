"""Drive a deployed provider's HTTP API, described by a TOML file, so it can be certified as it runs.

See `adapters/configs/reference.toml` for the format, worked for the reference provider.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any

import httpx
from jinja2 import Environment, StrictUndefined, UndefinedError

from xmock.adapters.base import (
    Capability,
    ConnectStart,
    DataPlace,
    LinkState,
    Outcome,
    ProviderAdapter,
    Result,
    TenantApp,
)

_WHOLE = re.compile(r"^\{\{\s*([\w.]+)\s*\}\}$")
REFERENCE_CONFIG = Path(__file__).parent / "configs" / "reference.toml"


def _pick(body: Any, path: str) -> Any:
    """A value at a dotted path of a JSON answer, or None."""
    for part in path.split("."):
        if not isinstance(body, dict):
            return None
        body = body.get(part)
    return body


def _resolved(place: DataPlace, provider_url: str) -> DataPlace:
    """A `url` place given as a path ("/v1/audit") is on the provider's own host."""
    if place.kind == "url" and place.location.startswith("/"):
        return DataPlace(place.kind, provider_url.rstrip("/") + place.location, place.description)
    return place


class HttpAdapter(ProviderAdapter):
    name = "http"

    def __init__(self, provider_url: str, config: str | Path = REFERENCE_CONFIG, **_: Any) -> None:
        with open(config, "rb") as fh:
            self.config = tomllib.load(fh)
        self.name = self.config.get("name", "http")
        try:
            self.capabilities = frozenset(Capability(c) for c in self.config.get("capabilities", []))
        except ValueError as exc:
            raise ValueError(f"{config}: {exc}") from None
        self.operations: dict[str, dict[str, Any]] = self.config.get("operations", {})
        try:  # where the provider keeps data, for the secrets scan; absent: not declared
            places = self.config.get("data_places")
            self.places = None if places is None else [_resolved(DataPlace(**p), provider_url) for p in places]
        except (TypeError, ValueError) as exc:
            raise ValueError(f"{config}: data_places: {exc}") from None
        self.answers: list[bytes] = []
        self.http = httpx.Client(
            base_url=provider_url, timeout=30, event_hooks={"response": [lambda r: self.answers.append(r.read())]}
        )
        self.env = Environment(undefined=StrictUndefined, autoescape=False)
        self.apps: dict[str, TenantApp] = {}
        self.handles: dict[tuple[str, str], str] = {}

    def close(self) -> None:
        self.http.close()

    def data_places(self) -> list[DataPlace] | None:
        return self.places

    def answers_seen(self) -> list[bytes]:
        return list(self.answers)

    def _render(self, value: Any, context: dict[str, Any]) -> Any:
        if isinstance(value, dict):
            return {k: self._render(v, context) for k, v in value.items()}
        if isinstance(value, list):
            return [self._render(v, context) for v in value]
        if not isinstance(value, str):
            return value
        whole = _WHOLE.match(value)
        if whole:
            return _pick(context, whole.group(1))
        return self.env.from_string(value).render(context)

    def _call(self, operation: str, tenant_id: str, **variables: Any) -> tuple[Result, Any]:
        spec = self.operations.get(operation)
        if spec is None:
            return Result(Outcome.REFUSED, f"{operation} is not described for this provider"), None
        app = self.apps.get(tenant_id)
        context = {"tenant_id": tenant_id, "app": app.__dict__ if app else {}, **variables}
        try:
            headers = self._render(self.config.get("headers", {}), context) if app else {"X-Tenant-Id": tenant_id}
            path = self._render(spec["path"], context)
            payload = self._render(spec["json"], context) if "json" in spec else None
        except UndefinedError as exc:
            return Result(Outcome.ERROR, f"the {operation} template uses an unknown name: {exc}"), None
        r = self.http.request(
            spec.get("method", "GET"), path, headers={k: str(v) for k, v in headers.items()}, json=payload
        )
        try:
            body = r.json()
        except ValueError:
            body = {}
        fields = self.config.get("result", {})
        raw = _pick(body, fields.get("outcome", "outcome"))
        try:
            outcome = Outcome(raw) if raw else (Outcome.OK if r.status_code < 300 else Outcome.ERROR)
        except ValueError:
            outcome = Outcome.ERROR
        data = _pick(body, fields.get("data", "data")) or {}
        retry = _pick(body, fields.get("retry_after", "retry_after"))
        result = Result(
            outcome,
            str(_pick(body, fields.get("detail", "detail")) or ""),
            data if isinstance(data, dict) else {"value": data},
            retry,
        )
        return result, body

    def onboard_tenant(self, tenant_id: str, app: TenantApp) -> Result:
        self.apps[tenant_id] = app
        if "onboard_tenant" in self.operations:
            return self._call("onboard_tenant", tenant_id)[0]
        return Result(Outcome.OK)

    def set_tenant_credentials(self, tenant_id: str, app: TenantApp | None) -> None:
        if app is None:
            self.apps.pop(tenant_id, None)
            if "withdraw_credentials" in self.operations:
                self._call("withdraw_credentials", tenant_id)
        else:
            self.apps[tenant_id] = app
            if "set_credentials" in self.operations:
                self._call("set_credentials", tenant_id)

    def connect_user(self, tenant_id: str, end_user_id: str) -> ConnectStart:
        result, body = self._call("connect_user", tenant_id, end_user_id=end_user_id)
        spec = self.operations["connect_user"]
        if not result.ok:
            raise RuntimeError(f"connect failed: {result.outcome} {result.detail}")
        handle = str(_pick(body, spec.get("handle", "data.handle")) or "")
        self.handles[(tenant_id, end_user_id)] = handle
        return ConnectStart(str(_pick(body, spec.get("url", "data.url"))), handle)

    def complete_connect(self, tenant_id: str, end_user_id: str, callback_url: str) -> Result:
        handle = self.handles.pop((tenant_id, end_user_id), "")
        return self._call(
            "complete_connect", tenant_id, end_user_id=end_user_id, handle=handle, callback_url=callback_url
        )[0]

    def link_state(self, tenant_id: str, end_user_id: str) -> LinkState:
        _, body = self._call("link_state", tenant_id, end_user_id=end_user_id)
        raw = _pick(body, self.operations.get("link_state", {}).get("state", "data.state"))
        try:
            return LinkState(raw)
        except ValueError:
            return LinkState.NOT_LINKED

    def post(self, tenant_id: str, end_user_id: str, text: str, media: list[bytes] | None = None) -> Result:
        return self._call("post", tenant_id, end_user_id=end_user_id, text=text)[0]

    def schedule(self, tenant_id: str, end_user_id: str, text: str, at: float) -> Result:
        return self._call("schedule", tenant_id, end_user_id=end_user_id, text=text, at=at)[0]

    def run_due(self) -> list[Result]:
        _, body = self._call("run_due", "scheduler")
        items = _pick(body, self.operations.get("run_due", {}).get("list", "data")) or []
        out = []
        for item in items if isinstance(items, list) else []:
            try:
                outcome = Outcome(item.get("outcome", "error"))
            except ValueError:
                outcome = Outcome.ERROR
            out.append(Result(outcome, item.get("detail", ""), item))
        return out

    def read(self, tenant_id: str, end_user_id: str, post_id: str) -> Result:
        return self._call("read", tenant_id, end_user_id=end_user_id, post_id=post_id)[0]

    def render(self, tenant_id: str, end_user_id: str, post_id: str) -> Result:
        return self._call("render", tenant_id, end_user_id=end_user_id, post_id=post_id)[0]

    def delete(self, tenant_id: str, end_user_id: str, post_id: str) -> Result:
        return self._call("delete", tenant_id, end_user_id=end_user_id, post_id=post_id)[0]

    def unlink(self, tenant_id: str, end_user_id: str) -> Result:
        return self._call("unlink", tenant_id, end_user_id=end_user_id)[0]

    def force_relogin(self, tenant_id: str, end_user_id: str) -> Result:
        return self._call("force_relogin", tenant_id, end_user_id=end_user_id)[0]

    def enable_rss(self, tenant_id: str, end_user_id: str, feed_url: str) -> Result:
        return self._call("enable_rss", tenant_id, end_user_id=end_user_id, feed_url=feed_url)[0]

    def start_receiving(self, tenant_id: str) -> Result:
        return self._call("start_receiving", tenant_id)[0]

    def stop_receiving(self, tenant_id: str) -> Result:
        return self._call("stop_receiving", tenant_id)[0]

    def inbox(self, tenant_id: str, end_user_id: str | None = None) -> Result:
        return self._call("inbox", tenant_id, end_user_id=end_user_id or "")[0]

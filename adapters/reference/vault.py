"""The reference provider's storage. Everything it keeps is here, so tests can read it back.

Tenants' app keys are never stored. Users' X tokens, request-token secrets and the
credentials a scheduled post carries are stored only encrypted (Fernet), the latter
wiped once the post has fired. While a tenant receives, its consumer secret is kept sealed the same way (X's
CRC challenges and signed deliveries come without the tenant), wiped when receiving stops.

With a data directory the vault keeps its audit log there (`audit.log`, one JSON line per event) and a snapshot
of everything stored (`vault.json`, written with each audited event): the places certification scans.
"""

from __future__ import annotations

import json
import threading
from copy import deepcopy
from pathlib import Path
from typing import Any

from cryptography.fernet import Fernet


class Vault:
    def __init__(self, key: bytes | None = None, data_dir: str | Path | None = None) -> None:
        self.data_dir = Path(data_dir) if data_dir is not None else None
        if self.data_dir is not None:
            self.data_dir.mkdir(parents=True, exist_ok=True)
        self._fernet = Fernet(key or Fernet.generate_key())
        self._lock = threading.RLock()
        self.users: dict[str, dict[str, Any]] = {}  # "tenant|end_user" -> link record
        self.links: dict[str, dict[str, Any]] = {}  # pending connect links
        self.jobs: dict[str, dict[str, Any]] = {}  # scheduled posts
        self.recent: dict[str, list[tuple[float, str, str]]] = {}  # tenant -> (time, text digest, end user)
        self.blocked: dict[str, float] = {}  # "tenant|end_user|endpoint" -> rate-limit reset
        self.receivers: dict[str, dict[str, Any]] = {}  # tenant -> webhook id, URL, sealed secret, subscribed users
        self.inbox: dict[str, list[dict[str, Any]]] = {}  # tenant -> mentions, replies and DMs received
        self.audit: list[dict[str, Any]] = []

    @property
    def lock(self) -> threading.RLock:
        return self._lock

    def seal(self, value: dict[str, Any]) -> str:
        return self._fernet.encrypt(json.dumps(value).encode()).decode()

    def unseal(self, sealed: str) -> dict[str, Any]:
        return json.loads(self._fernet.decrypt(sealed.encode()))

    def record(self, event: str, **details: Any) -> None:
        with self._lock:
            self.audit.append({"event": event, **details})
            if self.data_dir is not None:
                with open(self.data_dir / "audit.log", "a", encoding="utf-8") as log:
                    log.write(json.dumps({"event": event, **details}, default=str) + "\n")
                self.save()

    def save(self) -> None:
        """Write the snapshot of everything stored to the data directory (if there is one)."""
        if self.data_dir is not None:
            with self._lock:
                (self.data_dir / "vault.json").write_text(json.dumps(self.dump(), default=str), encoding="utf-8")

    def dump(self) -> dict[str, Any]:
        """Everything stored, exactly as stored (sealed values stay sealed)."""
        with self._lock:
            return deepcopy(
                {
                    "users": self.users,
                    "links": self.links,
                    "jobs": self.jobs,
                    "recent": self.recent,
                    "blocked": self.blocked,
                    "receivers": self.receivers,
                    "inbox": self.inbox,
                    "audit": self.audit,
                }
            )

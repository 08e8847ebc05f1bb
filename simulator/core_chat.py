"""The simulator's control operations on XChat: register a user's public key, send an encrypted message as any
member, and read a conversation whole. They act through simulator.chat_rules, so X's rules hold here as on the X
surface (a refusal is a ControlError 409, a malformed input or an unknown conversation a 400 or 404)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from xmock.simulator import chat_rules
from xmock.simulator.clock import iso_utc
from xmock.simulator.control.errors import ControlError, check_text
from xmock.simulator.dm_rules import Refused

if TYPE_CHECKING:
    from xmock.simulator.clock import Clock
    from xmock.simulator.core import Simulator
    from xmock.simulator.models import User
    from xmock.simulator.store import Store


def _refused(exc: Exception) -> ControlError:
    if isinstance(exc, chat_rules.NotFound):
        return ControlError(404, f"no {exc.resource_type} {exc.value}")
    assert isinstance(exc, Refused)
    return ControlError(400 if exc.status == 400 else 409, exc.detail)


def chat_event_public(event: dict[str, Any]) -> dict[str, Any]:
    """A chat event as the control API shows it: every field, times in ISO form."""
    return {**event, "created_at": iso_utc(event["created_at"])}


class ChatOperations:
    """Part of Simulator."""

    store: Store
    clock: Clock

    if TYPE_CHECKING:

        def user(self, user_id: str) -> User: ...

    @property
    def _chat_sim(self) -> Simulator:
        return cast("Simulator", self)

    def add_chat_public_key(
        self, user_id: str, public_key: str, *, version: str | None = None, signing_public_key: str | None = None
    ) -> dict[str, Any]:
        """Register an XChat public key (base64) for a user, under `version` or a new one; the key's record."""
        user = self.user(str(user_id))
        key = {"public_key": check_text("public_key", public_key, max_length=10_000, empty=False)}
        if signing_public_key is not None:
            key["signing_public_key"] = check_text("signing_public_key", signing_public_key, max_length=10_000)
        given = None if version is None else check_text("version", version, max_length=19, empty=False)
        try:
            return chat_rules.add_public_key(self._chat_sim, user.id, key, given or "", given is None)
        except Refused as exc:
            raise _refused(exc) from None

    def send_chat_message(
        self, sender_id: str, conversation_id: str, encoded_event: str, *, message_id: str | None = None
    ) -> dict[str, Any]:
        """An encrypted message (base64, opaque) from `sender_id` to a conversation they may write to."""
        sender = self.user(str(sender_id))
        raw = check_text("conversation_id", conversation_id, max_length=40, empty=False)
        if not chat_rules.CONVERSATION_ID.match(raw):
            raise ControlError(400, f"conversation_id: not a conversation id: {raw!r}")
        body = {
            "message_id": check_text("message_id", message_id, max_length=100, empty=False)
            if message_id is not None
            else self._chat_sim.ids.next_id(),
            "encoded_message_create_event": check_text("encoded_event", encoded_event, empty=False),
        }
        try:
            resolved = chat_rules.resolve(self._chat_sim, sender.id, raw)
            event, _ = chat_rules.send_message(self._chat_sim, sender.id, resolved, body)
        except (Refused, chat_rules.NotFound) as exc:
            raise _refused(exc) from None
        return chat_event_public(event)

    def chat_conversation(self, conversation_id: str) -> dict[str, Any]:
        """A conversation as stored: its record, members, events (newest first) and members' read positions."""
        raw = check_text("conversation_id", conversation_id, max_length=40, empty=False)
        record = chat_rules.conversation(self.store, raw)
        if record is None:
            raise ControlError(404, f"no chat conversation {raw}")
        everyone = chat_rules.members(self.store, raw)
        edges = self.store.edges_from(chat_rules.CHAT_EVENTS, raw)
        found = (self.store.get_record(chat_rules.EVENTS, e) for e, _ in edges)
        reads = {u: chat_rules.seen_until(self.store, raw, u) for u in everyone}
        return {
            **{k: v for k, v in record.items() if k not in ("created_at", "updated_at")},
            "created_at": iso_utc(record["created_at"]),
            "updated_at": iso_utc(record["updated_at"]),
            "member_ids": everyone,
            "events": [chat_event_public(e) for e in found if e is not None],
            "reads": {u: s for u, s in reads.items() if s is not None},
        }

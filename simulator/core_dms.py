"""The simulator's control operations on direct messages: send one-to-one and group messages, joins and leaves,
typing and read indicators, deletion, DM blocks, and reading a conversation. They act through simulator.dm_rules,
so X's rules hold here as on the X surface (a refusal is a ControlError 409, a malformed input a 400).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from xmock.simulator import dm_rules, events
from xmock.simulator.clock import iso_utc
from xmock.simulator.control.errors import ControlError, check_text
from xmock.simulator.models import DmEvent
from xmock.simulator.relations import DM_BLOCKS

if TYPE_CHECKING:
    from xmock.simulator.clock import Clock
    from xmock.simulator.core import Simulator
    from xmock.simulator.models import User
    from xmock.simulator.store import Store


def _refused(exc: dm_rules.Refused) -> ControlError:
    return ControlError(400 if exc.status == 400 else 409, exc.detail)


def dm_event_public(event: DmEvent) -> dict[str, Any]:
    """A DM event as the control API shows it (every field)."""
    return {
        "id": event.id,
        "event_type": event.event_type,
        "dm_conversation_id": event.dm_conversation_id,
        "sender_id": event.sender_id,
        "created_at": iso_utc(event.created_at),
        "text": event.text,
        "participant_ids": list(event.participant_ids),
        "media_ids": list(event.media_ids),
        "referenced_post_ids": list(event.referenced_post_ids),
    }


class DmOperations:
    """Part of Simulator."""

    store: Store
    clock: Clock

    if TYPE_CHECKING:

        def user(self, user_id: str) -> User: ...

    @property
    def _dm_sim(self) -> Simulator:
        return cast("Simulator", self)

    def _conversation(self, conversation_id: str) -> str:
        conversation_id = check_text("dm_conversation_id", conversation_id, max_length=39, empty=False)
        if not dm_rules.CONVERSATION_ID.match(conversation_id):
            raise ControlError(400, f"dm_conversation_id: not a conversation id: {conversation_id!r}")
        return conversation_id

    def _message(self, sender: str, text: Any, media_ids: Any) -> tuple[str, tuple[str, ...]]:
        if media_ids is not None and (
            not isinstance(media_ids, (list, tuple)) or not all(isinstance(m, str) for m in media_ids)
        ):
            raise ControlError(400, "media_ids: expected a list of media ids")
        attachments = [{"media_id": m} for m in media_ids] if media_ids else None
        try:
            return dm_rules.message_parts(self._dm_sim, sender, text, attachments)
        except dm_rules.Refused as exc:
            raise _refused(exc) from None

    def send_dm(
        self, sender_id: str, recipient_id: str, text: str | None = None, *, media_ids: list[str] | None = None
    ) -> DmEvent:
        """A one-to-one DM from `sender_id` to `recipient_id` (the recipient's DM setting and blocks apply)."""
        sender, recipient = self.user(str(sender_id)), self.user(str(recipient_id))
        body, media = self._message(sender.id, text, media_ids)
        try:
            return dm_rules.send_to_user(self._dm_sim, sender.id, recipient.id, body, media)
        except dm_rules.Refused as exc:
            raise _refused(exc) from None

    def send_dm_to_conversation(
        self, sender_id: str, conversation_id: str, text: str | None = None, *, media_ids: list[str] | None = None
    ) -> DmEvent:
        """A DM from `sender_id` to a conversation they are in."""
        sender = self.user(str(sender_id))
        conversation_id = self._conversation(conversation_id)
        body, media = self._message(sender.id, text, media_ids)
        try:
            return dm_rules.send_to_conversation(self._dm_sim, sender.id, conversation_id, body, media)
        except dm_rules.Refused as exc:
            raise _refused(exc) from None

    def create_dm_group(
        self,
        creator_id: str,
        participant_ids: list[str],
        text: str | None = None,
        *,
        media_ids: list[str] | None = None,
    ) -> DmEvent:
        """A group conversation of `creator_id` and `participant_ids` (2-49 others), with its first message."""
        creator = self.user(str(creator_id))
        if not isinstance(participant_ids, (list, tuple)) or not all(isinstance(p, str) for p in participant_ids):
            raise ControlError(400, "participant_ids: expected a list of user ids")
        body, media = self._message(creator.id, text, media_ids)
        try:
            _, event = dm_rules.create_group(self._dm_sim, creator.id, list(participant_ids), body, media)
        except dm_rules.Refused as exc:
            raise _refused(exc) from None
        return event

    def dm_join(self, actor_id: str, conversation_id: str, user_ids: list[str]) -> DmEvent:
        """`actor_id` adds `user_ids` to a group: a ParticipantsJoin event."""
        return self._members(actor_id, conversation_id, user_ids, True)

    def dm_leave(self, user_id: str, conversation_id: str) -> DmEvent:
        """`user_id` leaves a group: a ParticipantsLeave event."""
        return self._members(user_id, conversation_id, [str(user_id)], False)

    def _members(self, actor_id: str, conversation_id: str, user_ids: list[str], join: bool) -> DmEvent:
        actor = self.user(str(actor_id))
        conversation_id = self._conversation(conversation_id)
        if not isinstance(user_ids, (list, tuple)) or not user_ids:
            raise ControlError(400, "user_ids: expected a non-empty list of user ids")
        users = [self.user(str(u)).id for u in user_ids]
        try:
            return dm_rules.change_members(self._dm_sim, actor.id, conversation_id, users, join)
        except dm_rules.Refused as exc:
            raise _refused(exc) from None

    def dm_typing(self, user_id: str, conversation_id: str) -> None:
        """`user_id` is typing in a conversation (an event for the Account Activity API; nothing is stored)."""
        user, conversation_id = self.user(str(user_id)), self._conversation(conversation_id)
        members = self._member_of(user.id, conversation_id)
        self.store.append_event(events.dm_typing(conversation_id, user.id, members, self.clock.now()))

    def dm_mark_read(self, user_id: str, conversation_id: str, dm_event_id: str) -> None:
        """`user_id` read a conversation up to `dm_event_id` (an event for the Account Activity API)."""
        user, conversation_id = self.user(str(user_id)), self._conversation(conversation_id)
        members = self._member_of(user.id, conversation_id)
        event = self.store.get_dm_event(str(dm_event_id))
        if event is None or event.dm_conversation_id != conversation_id:
            raise ControlError(404, f"no DM event {dm_event_id} in conversation {conversation_id}")
        self.store.append_event(events.dm_read(conversation_id, user.id, event.id, members, self.clock.now()))

    def _member_of(self, user_id: str, conversation_id: str) -> list[str]:
        if not dm_rules.is_participant(self.store, conversation_id, user_id):
            raise ControlError(409, f"user {user_id} is not in conversation {conversation_id}")
        return dm_rules.participants(self.store, conversation_id)

    def delete_dm(self, dm_event_id: str) -> DmEvent:
        """Remove a DM event, whoever sent it (the X surface lets only the sender delete)."""
        event = self.store.delete_dm_event(str(dm_event_id), self.clock.now())
        if event is None:
            raise ControlError(404, f"no DM event {dm_event_id}")
        return event

    def dm_block(self, user_id: str, target_id: str, blocked: bool = True) -> bool:
        """`user_id` blocks (or unblocks) DMs from `target_id`; True if that changed anything."""
        user, target = self.user(str(user_id)), self.user(str(target_id))
        if user.id == target.id:
            raise ControlError(400, "a user cannot block DMs from themself")
        return self.store.set_edge(DM_BLOCKS, user.id, target.id, bool(blocked), self.clock.now())

    def dm_conversation(self, conversation_id: str) -> dict[str, Any]:
        """A conversation: its participants and its events, newest first."""
        conversation_id = self._conversation(conversation_id)
        found = dm_rules.events_of(self._dm_sim, [conversation_id], dm_rules.EVENT_TYPES)
        return {
            "dm_conversation_id": conversation_id,
            "participant_ids": dm_rules.participants(self.store, conversation_id),
            "events": self._public(found),
        }

    def dm_events(self, user_id: str) -> list[dict[str, Any]]:
        """Every DM event of a user's conversations, newest first (within X's 30 days)."""
        user = self.user(str(user_id))
        conversations = dm_rules.conversations_of(self.store, user.id)
        return self._public(dm_rules.events_of(self._dm_sim, conversations, dm_rules.EVENT_TYPES))

    def _public(self, edges: list[tuple[str, float]]) -> list[dict[str, Any]]:
        found = (self.store.get_dm_event(event_id) for event_id, _ in edges)
        return [dm_event_public(e) for e in found if e is not None]

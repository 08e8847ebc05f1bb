"""Direct messages' rules, in one place: conversation ids as X forms them, who may message whom, what a message
may carry, who may read and delete. The X surface (resources/dms.py) and the Simulator's arranging methods
(core_dms.py) both act through these functions, so X's rules hold whichever way a DM arrives.

- One-to-one conversations are `<smaller id>-<larger id>` (numeric order); groups are one snowflake.
- A recipient takes DMs from everyone, or (`dm_setting` "following") only from accounts they follow; never across
  a block either way, nor from a user whose DMs they blocked (the DM block endpoints).
- A message has text (1-10,000 characters) and/or one attachment: media of a DM category (dm_image, dm_gif,
  dm_video) uploaded by the sender, finalized, processed and unexpired. A post URL in the text references the post.
- Groups have 2-49 participants besides their creator; only participants read or write a conversation; only the
  sender deletes a message.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from xmock.simulator import media
from xmock.simulator.models import DmEvent
from xmock.simulator.relations import BLOCKS, DM_BLOCKS, DM_EVENTS, DM_PARTICIPANTS, FOLLOWS

if TYPE_CHECKING:
    from xmock.simulator.core import Simulator
    from xmock.simulator.store import Store

MESSAGE_CREATE, PARTICIPANTS_JOIN, PARTICIPANTS_LEAVE = "MessageCreate", "ParticipantsJoin", "ParticipantsLeave"
EVENT_TYPES = (MESSAGE_CREATE, PARTICIPANTS_JOIN, PARTICIPANTS_LEAVE)
TEXT_LENGTH = 10_000
GROUP_MIN, GROUP_MAX = 2, 49  # participants besides the creator (spec: CreateDirectMessagesConversationRequest)
WINDOW = 30 * 24 * 3600  # DM events are readable for 30 days
DM_CATEGORIES = ("dm_image", "dm_gif", "dm_video")
CONVERSATION_ID = re.compile(r"^(?:([0-9]{1,19})-([0-9]{1,19})|[0-9]{15,19})$")
_POST_URL = re.compile(r"https?://(?:www\.|mobile\.)?(?:x|twitter)\.com/\w{1,15}/status(?:es)?/([0-9]{1,19})")

# X's v1.1 wording for these refusals (codes 150 and 349); v2 answers a 403 whose detail says the same.
NOT_FOLLOWED = "You cannot send messages to users who are not following you."
CANNOT_MESSAGE = "You cannot send messages to this user."


class Refused(Exception):
    """A DM X refuses: `status` 403 (not allowed) or 400 (malformed), with the sentence the client is told."""

    def __init__(self, detail: str, status: int = 403) -> None:
        super().__init__(detail)
        self.detail = detail
        self.status = status


def one_to_one_id(a: str, b: str) -> str:
    low, high = sorted((a, b), key=int)
    return f"{low}-{high}"


def pair_of(conversation_id: str) -> tuple[str, str] | None:
    """The two users of a one-to-one conversation id; None for a group's."""
    m = CONVERSATION_ID.match(conversation_id)
    return (m.group(1), m.group(2)) if m is not None and m.group(1) is not None else None


def participants(store: Store, conversation_id: str) -> list[str]:
    """Who is in a conversation now; a one-to-one conversation's two users even before its first message."""
    found = [user_id for user_id, _ in store.edges_from(DM_PARTICIPANTS, conversation_id)]
    pair = pair_of(conversation_id)
    if pair is not None:
        found += [user_id for user_id in pair if user_id not in found]
    return found


def is_participant(store: Store, conversation_id: str, user_id: str) -> bool:
    pair = pair_of(conversation_id)
    if pair is not None:
        return user_id in pair
    return store.edge_at(DM_PARTICIPANTS, conversation_id, user_id) is not None


def conversations_of(store: Store, user_id: str) -> list[str]:
    return [conversation for conversation, _ in store.edges_to(DM_PARTICIPANTS, user_id)]


def check_can_message(store: Store, sender: str, recipient: str) -> None:
    """Raise Refused unless `recipient` takes DMs from `sender`."""
    if sender == recipient:
        raise Refused(CANNOT_MESSAGE)
    if store.edge_at(BLOCKS, recipient, sender) is not None or store.edge_at(BLOCKS, sender, recipient) is not None:
        raise Refused(CANNOT_MESSAGE)
    if store.edge_at(DM_BLOCKS, recipient, sender) is not None:
        raise Refused(CANNOT_MESSAGE)
    user = store.get_user(recipient)
    if user is not None and user.dm_setting == "following" and store.edge_at(FOLLOWS, recipient, sender) is None:
        raise Refused(NOT_FOLLOWED)


def message_parts(sim: Simulator, sender: str, text: Any, attachments: Any) -> tuple[str, tuple[str, ...]]:
    """The text and media ids of a message body, checked (Refused with status 400 where X's 400 applies)."""
    if text is None and attachments is None:
        raise Refused("$: at least one of text, attachments is required", 400)
    if text is not None:
        if not isinstance(text, str):
            raise Refused("$.text: expected a string", 400)
        if not text:
            raise Refused("$.text: must be at least 1 characters long", 400)
        if len(text) > TEXT_LENGTH:
            raise Refused(f"$.text: may only be {TEXT_LENGTH} characters long", 400)
    return text or "", _media_ids(sim, sender, attachments)


def _media_ids(sim: Simulator, sender: str, attachments: Any) -> tuple[str, ...]:
    if attachments is None:
        return ()
    if not isinstance(attachments, list) or len(attachments) != 1:
        raise Refused("$.attachments: a direct message carries one attachment", 400)
    item = attachments[0]
    if not isinstance(item, dict) or set(item) != {"media_id"}:
        raise Refused("$.attachments[0]: expected an object with media_id only", 400)
    media_id = item["media_id"]
    if not isinstance(media_id, str) or not re.fullmatch(r"[0-9]{1,19}", media_id):
        raise Refused("$.attachments[0].media_id: does not match the regex pattern ^[0-9]{1,19}$", 400)
    found = sim.store.get_media(media_id)
    if found is None or found.category not in DM_CATEGORIES or not media.usable(sim, found, sender):
        # Unknown, someone else's, expired, still processing or uploaded for posts: X says the same for all.
        raise Refused("Your media IDs are invalid.", 400)
    return (media_id,)


def referenced_posts(store: Store, text: str) -> tuple[str, ...]:
    """Posts a message's text links to (x.com or twitter.com status URLs) that exist."""
    out: list[str] = []
    for m in _POST_URL.finditer(text):
        if m.group(1) not in out and store.get_post(m.group(1)) is not None:
            out.append(m.group(1))
    return tuple(out)


def send(
    sim: Simulator,
    sender: str,
    conversation_id: str,
    text: str,
    media_ids: tuple[str, ...] = (),
    app_id: str | None = None,
    joined: tuple[str, ...] = (),
) -> DmEvent:
    """Store a MessageCreate event (its sender must be allowed to write there: the callers check)."""
    event = DmEvent(
        sim.ids.next_id(),
        MESSAGE_CREATE,
        conversation_id,
        sender,
        sim.clock.now(),
        text=text,
        media_ids=media_ids,
        referenced_post_ids=referenced_posts(sim.store, text),
        app_id=app_id,
    )
    sim.store.add_dm_event(event, joined=joined)
    return event


def send_to_user(
    sim: Simulator, sender: str, recipient: str, text: str, media_ids: tuple[str, ...] = (), app_id: str | None = None
) -> DmEvent:
    """A one-to-one message; the conversation is made by its first message."""
    check_can_message(sim.store, sender, recipient)
    conversation_id = one_to_one_id(sender, recipient)
    joined = tuple(u for u in (sender, recipient) if not _edge(sim.store, conversation_id, u))
    return send(sim, sender, conversation_id, text, media_ids, app_id, joined)


def _edge(store: Store, conversation_id: str, user_id: str) -> bool:
    return store.edge_at(DM_PARTICIPANTS, conversation_id, user_id) is not None


def send_to_conversation(
    sim: Simulator,
    sender: str,
    conversation_id: str,
    text: str,
    media_ids: tuple[str, ...] = (),
    app_id: str | None = None,
) -> DmEvent:
    """A message to a conversation the sender is in (a one-to-one id names the other user: their rules apply)."""
    pair = pair_of(conversation_id)
    if pair is not None:
        if sender not in pair:
            raise Refused("You are not a participant of this conversation.")
        other = pair[1] if pair[0] == sender else pair[0]
        if sim.store.get_user(other) is None:
            raise Refused(CANNOT_MESSAGE)
        return send_to_user(sim, sender, other, text, media_ids, app_id)
    if not is_participant(sim.store, conversation_id, sender):
        raise Refused("You are not a participant of this conversation.")
    return send(sim, sender, conversation_id, text, media_ids, app_id)


def create_group(
    sim: Simulator,
    creator: str,
    invited: list[str],
    text: str,
    media_ids: tuple[str, ...] = (),
    app_id: str | None = None,
) -> tuple[str, DmEvent]:
    """A new group conversation: a ParticipantsJoin event (the creator adds everyone), then the first message.
    The answer's `dm_event_id` is the message's."""
    others = list(dict.fromkeys(invited))
    if len(others) != len(invited) or creator in others:
        raise Refused("$.participant_ids: participants must be distinct users other than you", 400)
    if not GROUP_MIN <= len(others) <= GROUP_MAX:
        raise Refused(f"$.participant_ids: a group has {GROUP_MIN} to {GROUP_MAX} participants besides you", 400)
    for user_id in others:
        if sim.store.get_user(user_id) is None:
            raise Refused(f"$.participant_ids: user {user_id} does not exist", 400)
        check_can_message(sim.store, creator, user_id)
    conversation_id = sim.ids.next_id()
    members = (creator, *others)
    join = DmEvent(
        sim.ids.next_id(),
        PARTICIPANTS_JOIN,
        conversation_id,
        creator,
        sim.clock.now(),
        participant_ids=members,
        app_id=app_id,
    )
    sim.store.add_dm_event(join, joined=members)
    return conversation_id, send(sim, creator, conversation_id, text, media_ids, app_id)


def change_members(sim: Simulator, actor: str, conversation_id: str, users: list[str], join: bool) -> DmEvent:
    """A ParticipantsJoin (`actor` adds `users`) or ParticipantsLeave (`users` leave) event of a group."""
    if pair_of(conversation_id) is not None:
        raise Refused("one-to-one conversations have no joins or leaves", 400)
    if not is_participant(sim.store, conversation_id, actor):
        raise Refused("You are not a participant of this conversation.")
    members = set(participants(sim.store, conversation_id))
    users = list(dict.fromkeys(users))
    if join and (members & set(users) or len(members) + len(users) > GROUP_MAX + 1):
        raise Refused("those users cannot join: already in the group, or the group would pass 50", 400)
    if not join and not set(users) <= members:
        raise Refused("only participants can leave", 400)
    event = DmEvent(
        sim.ids.next_id(),
        PARTICIPANTS_JOIN if join else PARTICIPANTS_LEAVE,
        conversation_id,
        actor,
        sim.clock.now(),
        participant_ids=tuple(users),
    )
    sim.store.add_dm_event(event, joined=tuple(users) if join else (), left=() if join else tuple(users))
    return event


def readable(sim: Simulator, event: DmEvent, user_id: str) -> bool:
    """May `user_id` read this event: a participant, within X's 30 days."""
    return sim.clock.now() - event.created_at <= WINDOW and (
        is_participant(sim.store, event.dm_conversation_id, user_id)
        or user_id in event.participant_ids  # who left still sees the event that says so
    )


def events_of(sim: Simulator, conversation_ids: list[str], types: tuple[str, ...]) -> list[tuple[str, float]]:
    """The (event id, time) of these conversations' events, newest first, within 30 days and of `types`."""
    store = sim.store
    since = sim.clock.now() - WINDOW
    edges = [edge for c in conversation_ids for edge in store.edges_from(DM_EVENTS, c) if edge[1] >= since]
    edges.sort(key=lambda item: (item[1], item[0]), reverse=True)
    if set(types) >= set(EVENT_TYPES):
        return edges
    out = []
    for event_id, at in edges:
        event = store.get_dm_event(event_id)
        if event is not None and event.event_type in types:
            out.append((event_id, at))
    return out


def delete(sim: Simulator, user_id: str, event: DmEvent) -> None:
    if event.sender_id != user_id or event.event_type != MESSAGE_CREATE:
        raise Refused("You can only delete direct messages you sent.")
    sim.store.delete_dm_event(event.id, sim.clock.now())

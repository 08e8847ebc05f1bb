"""The simulator's control operations on post fields: places, poll votes, and the account settings a post reads
(long posts, sensitive media)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from xmock.simulator.control.errors import ControlError, check_bool, check_int, check_number, check_text
from xmock.simulator.models import Place
from xmock.simulator.relations import ACCOUNT_SETTINGS, POLL_VOTERS, POLL_VOTES
from xmock.simulator.resources import post_fields
from xmock.simulator.resources.post_rules import LONG_POSTS, SETTINGS

if TYPE_CHECKING:
    from faker import Faker

    from xmock.simulator.clock import Clock
    from xmock.simulator.models import Post, User
    from xmock.simulator.store import Store

PLACE_TYPES = ("admin", "city", "country", "neighborhood", "poi")
PLACE_TEXT = {"full_name": 200, "name": 200, "country": 100}
_HEX = "0123456789abcdef"


class PostFieldOperations:
    """Part of Simulator."""

    store: Store
    clock: Clock
    faker: Faker
    random: Any

    if TYPE_CHECKING:

        def user(self, user_id: str) -> User: ...
        def live_post(self, post_id: str) -> Post: ...

    def set_account_setting(self, user_id: str, setting: str, on: bool = True) -> bool:
        """Switch one of a user's account settings (`long_posts`, `sensitive_media`); True if that changed it."""
        if setting not in SETTINGS:
            raise ControlError(400, f"setting: expected one of {', '.join(SETTINGS)}, got {setting!r}")
        check_bool("on", on)
        user = self.user(user_id)
        return self.store.set_edge(ACCOUNT_SETTINGS, user.id, setting, on, self.clock.now())

    def allow_long_posts(self, user_id: str, allowed: bool = True) -> bool:
        """Let a user post up to 25,000 characters (X's long posts; the text beyond 280 shows as `note_tweet`)."""
        return self.set_account_setting(user_id, LONG_POSTS, allowed)

    def add_place(
        self,
        full_name: str | None = None,
        *,
        id: str | None = None,
        name: str | None = None,
        country: str | None = None,
        country_code: str | None = None,
        place_type: str = "city",
        bbox: list[float] | None = None,
    ) -> Place:
        """A place posts can be tagged with; what is not given is made up (a city of faker's)."""
        given = {"full_name": full_name, "name": name, "country": country}
        for label, length in PLACE_TEXT.items():
            if given[label] is not None:
                check_text(label, given[label], max_length=length, empty=False)
        if id is not None and not (isinstance(id, str) and 1 <= len(id) <= 32 and id.isascii() and id.isalnum()):
            raise ControlError(400, f"id: expected 1 to 32 letters or digits, got {id!r}")
        if country_code is not None and not (
            isinstance(country_code, str) and len(country_code) == 2 and country_code.isascii()
            and country_code.isalpha()
        ):
            raise ControlError(400, f"country_code: expected two letters, got {country_code!r}")
        if place_type not in PLACE_TYPES:
            raise ControlError(400, f"place_type: expected one of {', '.join(PLACE_TYPES)}, got {place_type!r}")
        box = self._bbox(bbox)
        city = name or (full_name.split(",")[0].strip() if full_name else self.faker.city())
        land = country or self.faker.country()
        place = Place(
            id=id or self.random.token(16, _HEX),
            full_name=full_name or f"{city}, {land}",
            name=city,
            country=land,
            country_code=(country_code or self.faker.country_code()).upper(),
            place_type=place_type,
            bbox=box,
        )
        if self.store.get_place(place.id) is not None:
            raise ControlError(409, f"place {place.id} already exists")
        self.store.put_place(place)
        return place

    def _bbox(self, bbox: Any) -> tuple[float, ...]:
        if bbox is None:
            lon = float(self.faker.longitude())
            lat = float(self.faker.latitude())
            return (lon, lat, min(lon + 0.2, 180.0), min(lat + 0.2, 90.0))
        if not isinstance(bbox, list) or len(bbox) != 4:
            raise ControlError(400, "bbox: expected [west, south, east, north] in degrees")
        west, east = (check_number(n, v, -180, 180) for n, v in (("bbox[0]", bbox[0]), ("bbox[2]", bbox[2])))
        south, north = (check_number(n, v, -90, 90) for n, v in (("bbox[1]", bbox[1]), ("bbox[3]", bbox[3])))
        return (west, south, east, north)

    def places(self) -> list[Place]:
        return self.store.list_places()

    def vote(self, user_id: str, post_id: str, position: int) -> bool:
        """`user_id` votes for option `position` (from 1) of a post's poll while it is open; once per poll."""
        user, post = self.user(user_id), self.live_post(post_id)
        poll = self.store.get_poll(post.poll_id) if post.poll_id else None
        if poll is None:
            raise ControlError(404, f"post {post_id} has no poll")
        check_int("position", position, 1, len(poll.options))
        if post_fields.voting_status(poll, self.clock.now()) == "closed":
            raise ControlError(409, f"the poll of post {post_id} is closed")
        now = self.clock.now()
        if not self.store.set_edge(POLL_VOTERS, poll.id, user.id, True, now):
            return False  # one vote per poll, as on X: the first one stands
        return self.store.set_edge(POLL_VOTES, user.id, f"{poll.id}:{position}", True, now)

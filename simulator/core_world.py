"""The simulator's one-line arrangements of a world for tests: a post for a user, a thread, a user with followers.

They build on the same store operations the X surface uses (a post is indexed for mentions as a created one
is), so what they arrange reads back through every endpoint as if clients had made it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from xmock.simulator.control.errors import ControlError, check_int, check_text
from xmock.simulator.models import Post, User
from xmock.simulator.resources import mentions

if TYPE_CHECKING:
    from faker import Faker

    from xmock.simulator.clock import Clock
    from xmock.simulator.ids import Snowflakes
    from xmock.simulator.store import Store

# Bounds for the counts of things made in one call: enough for any test, small enough not to swell the store.
MAX_MADE = 1000
TEXT_LENGTH = 25_000  # X's longest post (note tweets); the 280 weighted characters apply to short ones


class WorldOperations:
    """Part of Simulator."""

    store: Store
    clock: Clock
    ids: Snowflakes
    faker: Faker

    if TYPE_CHECKING:

        def user(self, user_id: str) -> User: ...
        def live_post(self, post_id: str) -> Post: ...
        def create_user(self, **kwargs: object) -> User: ...
        def follow(self, src: str, dst: str, *, pending: bool | None = None) -> dict[str, bool]: ...

    def create_post(
        self, user_id: str, text: str | None = None, *, reply_to: str | None = None, quote_of: str | None = None
    ) -> Post:
        """A post by `user_id`, now (text made up when not given); a reply to `reply_to` or a quote of `quote_of`
        (post ids) when given. Duplicates are allowed: arranging a world is not posting through X."""
        if text is None:
            text = self.faker.sentence(nb_words=8)
        check_text("text", text, max_length=TEXT_LENGTH, empty=reply_to is not None or quote_of is not None)
        author = self.user(user_id)
        parent = self.live_post(reply_to) if reply_to is not None else None
        if quote_of is not None:
            self.live_post(quote_of)
        post_id = self.ids.next_id()
        post = Post(
            id=post_id,
            text=text,
            author_id=author.id,
            created_at=self.clock.now(),
            conversation_id=(parent.conversation_id or parent.id) if parent else post_id,
            in_reply_to_post_id=parent.id if parent else None,
            in_reply_to_user_id=parent.author_id if parent else None,
            quoted_post_id=quote_of,
        )
        self.store.create_post(post, None)
        mentions.index(self.store, post)
        return post

    def create_thread(self, user_id: str, texts: list[str] | tuple[str, ...]) -> list[Post]:
        """A thread by `user_id`: each post a reply to the one before, all in the first one's conversation."""
        if not isinstance(texts, list | tuple) or not texts or len(texts) > MAX_MADE:
            raise ControlError(400, f"texts: expected a list of 1 to {MAX_MADE} post texts")
        for text in texts:
            check_text("text", text, max_length=TEXT_LENGTH, empty=False)
        made: list[Post] = []
        for text in texts:
            made.append(self.create_post(user_id, text, reply_to=made[-1].id if made else None))
        return made

    def add_followers(self, user_id: str, count: int = 1) -> list[User]:
        """`count` new users, each following `user_id` (outright, even if the account is protected)."""
        check_int("count", count, 1, MAX_MADE)
        target = self.user(user_id)
        fans = [self.create_user() for _ in range(count)]
        for fan in fans:
            self.follow(fan.id, target.id, pending=False)
        return fans

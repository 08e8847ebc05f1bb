"""The simulator's control operations on the post family's state: likes, reposts (which are posts),
hidden replies."""

from __future__ import annotations

from typing import TYPE_CHECKING

from xmock.simulator import reposts
from xmock.simulator.control.errors import ControlError, check_bool
from xmock.simulator.relations import HIDDEN_REPLIES, LIKES

if TYPE_CHECKING:
    from xmock.simulator.clock import Clock
    from xmock.simulator.models import Post, User
    from xmock.simulator.store import Store


class PostOperations:
    """Part of Simulator."""

    store: Store
    clock: Clock

    if TYPE_CHECKING:

        def user(self, user_id: str) -> User: ...

    def live_post(self, post_id: str) -> Post:
        post = self.store.get_post(str(post_id))
        if post is None:
            raise ControlError(404, f"no post {post_id}")
        return post

    def like(self, user_id: str, post_id: str, liked: bool = True) -> bool:
        """`user_id` likes (or, with liked=False, unlikes) a post now; True if that changed anything."""
        check_bool("liked", liked)
        user, post = self.user(user_id), self.live_post(post_id)
        return self.store.set_edge(LIKES, user.id, post.id, liked, self.clock.now())

    def repost(self, user_id: str, post_id: str) -> Post:
        """`user_id` reposts a post now: the repost post (`RT @author: ...`), made once."""
        user, post = self.user(user_id), self.live_post(post_id)
        made, _ = reposts.repost(self, user.id, reposts.original(self, post))  # type: ignore[arg-type]
        if made is None:
            raise ControlError(409, f"the repost of {post_id} by {user_id} is being removed")
        return made

    def unrepost(self, user_id: str, post_id: str) -> bool:
        user, post = self.user(user_id), self.live_post(post_id)
        return reposts.unrepost(self, user.id, post.id)  # type: ignore[arg-type]

    def hide_reply(self, post_id: str, hidden: bool = True) -> bool:
        """The conversation's author hides (or unhides) a reply in it; True if that changed anything."""
        check_bool("hidden", hidden)
        reply = self.live_post(post_id)
        root = self.store.get_post(reply.conversation_id or reply.id)
        if reply.in_reply_to_post_id is None or root is None:
            raise ControlError(400, f"post {post_id} is not a reply in a live conversation")
        return self.store.set_edge(HIDDEN_REPLIES, root.author_id, reply.id, hidden, self.clock.now())

    def hidden_replies(self, user_id: str) -> list[str]:
        """The replies `user_id` has hidden, newest first."""
        return [reply for reply, _ in self.store.edges_from(HIDDEN_REPLIES, self.user(user_id).id)]

"""The simulator's control operations on users' profiles: changing profile fields, pinning a post.

X has no v2 endpoint that pins a post (2.167 pins only lists), so the pinned post is arranged here
and shows as `pinned_tweet_id` and its expansion."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Any

from xmock.simulator.control.errors import ControlError
from xmock.simulator.profiles import check_profile

if TYPE_CHECKING:
    from xmock.simulator.clock import Clock
    from xmock.simulator.models import Post, User
    from xmock.simulator.store import Store


class ProfileOperations:
    """Part of Simulator."""

    store: Store
    clock: Clock

    if TYPE_CHECKING:

        def user(self, user_id: str) -> User: ...
        def live_post(self, post_id: str) -> Post: ...

    def update_user(self, user_id: str, **fields: Any) -> User:
        """Change profile fields (name, description, location, url, profile_image_url, profile_banner_url,
        protected, verified, verified_type, subscription_type, dm_setting); checked as create_user checks them."""
        user = self.user(user_id)
        changed = replace(user, **check_profile(fields, user))
        return self._replace_user(changed)

    def pin_post(self, user_id: str, post_id: str | None) -> User:
        """Pin one of the user's own live posts to their profile (None unpins)."""
        user = self.user(user_id)
        if post_id is not None:
            post = self.live_post(post_id)
            if post.author_id != user.id:
                raise ControlError(400, f"post {post_id} is not by user {user_id}: only one's own posts can be pinned")
            post_id = post.id
        return self._replace_user(replace(user, pinned_tweet_id=post_id))

    def _replace_user(self, user: User) -> User:
        if not self.store.replace_user(user):
            raise ControlError(404, f"no user {user.id}")
        return user

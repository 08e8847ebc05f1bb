"""The simulator's control operations on lists and bookmarks: arrange a list with members and followers, pins,
bookmarks and folders, by the same rules the X surface applies (simulator.list_rules)."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from xmock.simulator import list_rules
from xmock.simulator.control.errors import ControlError, check_bool, check_text
from xmock.simulator.models import BookmarkFolder, Post, User, XList

if TYPE_CHECKING:
    from xmock.simulator.core import Simulator
    from xmock.simulator.store import Store

# X's limits on the request bodies (the spec's CreateListsRequest and CreateUsersBookmarkFolderRequest)
NAME_LENGTH = 25
DESCRIPTION_LENGTH = 100


class ListOperations:
    """Part of Simulator."""

    store: Store

    if TYPE_CHECKING:

        def user(self, user_id: str) -> User: ...

    @property
    def _sim(self) -> Simulator:
        return cast("Simulator", self)

    def _refused(self, exc: list_rules.Refused) -> ControlError:
        return ControlError(409, exc.detail)

    def get_list(self, list_id: str) -> XList:
        lst = self.store.get_list(str(list_id))
        if lst is None:
            raise ControlError(404, f"no list {list_id}")
        return lst

    def _post(self, post_id: str) -> Post:
        post = self.store.get_post(str(post_id))
        if post is None:
            raise ControlError(404, f"no post {post_id}")
        return post

    def create_list(
        self,
        owner_id: str,
        name: str,
        *,
        description: str = "",
        private: bool = False,
        members: list[str] | tuple[str, ...] = (),
    ) -> XList:
        """A list owned by `owner_id`, with `members` (user ids) on it, oldest first."""
        check_text("name", name, max_length=NAME_LENGTH, empty=False)
        check_text("description", description, max_length=DESCRIPTION_LENGTH)
        check_bool("private", private)
        if not isinstance(members, list | tuple):
            raise ControlError(400, "members: expected a list of user ids")
        owner = self.user(owner_id)
        people = [self.user(m) for m in members]
        try:
            lst = list_rules.create_list(self._sim, owner.id, name, description, private)
        except list_rules.Refused as exc:
            raise self._refused(exc) from None
        for person in people:
            self.add_list_member(lst.id, person.id)
        return lst

    def add_list_member(self, list_id: str, user_id: str) -> bool:
        lst, user = self.get_list(list_id), self.user(user_id)
        try:
            return list_rules.add_member(self._sim, lst, user.id)
        except list_rules.Refused as exc:
            raise self._refused(exc) from None

    def follow_list(self, user_id: str, list_id: str) -> bool:
        lst, user = self.get_list(list_id), self.user(user_id)
        return list_rules.follow(self._sim, user.id, lst)

    def pin_list(self, user_id: str, list_id: str) -> bool:
        lst, user = self.get_list(list_id), self.user(user_id)
        try:
            return list_rules.pin(self._sim, user.id, lst)
        except list_rules.Refused as exc:
            raise self._refused(exc) from None

    def create_bookmark_folder(self, user_id: str, name: str) -> BookmarkFolder:
        check_text("name", name, max_length=NAME_LENGTH, empty=False)
        user = self.user(user_id)
        try:
            return list_rules.create_folder(self._sim, user.id, name)
        except list_rules.Refused as exc:
            raise self._refused(exc) from None

    def bookmark(self, user_id: str, post_id: str, folder_id: str | None = None) -> bool:
        """Bookmark a post for a user, filed in one of their folders when `folder_id` is given."""
        user, post = self.user(user_id), self._post(post_id)
        folder = None
        if folder_id is not None:
            folder = list_rules.folder_of(self._sim, user.id, str(folder_id))
            if folder is None:
                raise ControlError(404, f"user {user.id} has no bookmark folder {folder_id}")
        return list_rules.bookmark(self._sim, user.id, post.id, folder)

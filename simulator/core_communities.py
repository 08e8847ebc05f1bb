"""The simulator's control operations on communities and news stories: make them, or have them generated (faker,
seeded from the simulator's seed) from what the world already holds."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from xmock.simulator import communities, news
from xmock.simulator.control.errors import ControlError, check_int, check_text

if TYPE_CHECKING:
    from faker import Faker

    from xmock.simulator.core import Simulator
    from xmock.simulator.models import Post, User
    from xmock.simulator.store import Store

NAME_LENGTH = 200
TEXT_LENGTH = 5000
MAX_ITEMS = 100  # keywords, topics, members, clustered posts in one call
MAX_MADE = 1000
CATEGORIES = ("News", "Sports", "Entertainment", "Business", "Technology", "Politics")


def _texts(label: str, values: Any, max_length: int = NAME_LENGTH) -> list[str]:
    if not isinstance(values, list | tuple) or len(values) > MAX_ITEMS:
        raise ControlError(400, f"{label}: expected a list of at most {MAX_ITEMS} strings")
    return [check_text(label, v, max_length=max_length, empty=False) for v in values]


class CommunityOperations:
    """Part of Simulator."""

    store: Store
    faker: Faker

    if TYPE_CHECKING:

        def user(self, user_id: str) -> User: ...
        def live_post(self, post_id: str) -> Post: ...

    @property
    def _sim(self) -> Simulator:
        return cast("Simulator", self)

    def create_community(
        self,
        creator_id: str,
        name: str,
        description: str = "",
        *,
        access: str = "Public",
        join_policy: str = "Open",
        members: list[str] | tuple[str, ...] = (),
    ) -> dict[str, Any]:
        """A community made by `creator_id` (its first member), with `members` (user ids) joined."""
        check_text("name", name, max_length=NAME_LENGTH, empty=False)
        check_text("description", description, max_length=TEXT_LENGTH)
        if access not in communities.ACCESS:
            raise ControlError(400, f"access: expected one of {', '.join(communities.ACCESS)}, got {access!r}")
        if join_policy not in communities.JOIN_POLICIES:
            raise ControlError(400, f"join_policy: expected one of {', '.join(communities.JOIN_POLICIES)}")
        people = [self.user(m).id for m in _texts("members", members)]
        sim = self._sim
        record = communities.create(sim, self.user(creator_id).id, name, description, access, join_policy)
        for person in people:
            communities.join(sim, record["id"], person)
        return record

    def community(self, community_id: str) -> dict[str, Any]:
        record = communities.get(self._sim, str(community_id))
        if record is None:
            raise ControlError(404, f"no community {community_id}")
        return record

    def join_community(self, community_id: str, user_id: str) -> bool:
        record, user = self.community(community_id), self.user(user_id)
        return communities.join(self._sim, record["id"], user.id)

    def generate_communities(self, count: int = 1) -> list[dict[str, Any]]:
        """`count` communities made up by faker, each by a user of the world, joined by some others."""
        check_int("count", count, 1, MAX_MADE)
        users = self.store.list_users()
        if not users:
            raise ControlError(409, "the world has no users to make communities")
        made = []
        for _ in range(count):
            creator = self.faker.random_element(users)
            others = [u.id for u in self.faker.random_elements(users, unique=True) if u.id != creator.id]
            topic = self.faker.word().capitalize()
            made.append(
                self.create_community(
                    creator.id,
                    f"{topic} {self.faker.random_element(('Fans', 'Club', 'Talk', 'Builders', 'Circle'))}",
                    self.faker.sentence(nb_words=12),
                    access=self.faker.random_element(communities.ACCESS),
                    join_policy=self.faker.random_element(communities.JOIN_POLICIES),
                    members=others[:MAX_ITEMS],
                )
            )
        return made

    def create_news(
        self,
        name: str,
        *,
        summary: str = "",
        hook: str = "",
        category: str = "News",
        disclaimer: str = "This story is a summary of posts on X and may evolve over time.",
        keywords: list[str] | tuple[str, ...] = (),
        post_ids: list[str] | tuple[str, ...] = (),
        topics: list[str] | tuple[str, ...] = (),
    ) -> dict[str, Any]:
        """A news story updated now, clustering `post_ids` (posts of the world)."""
        check_text("name", name, max_length=NAME_LENGTH, empty=False)
        for label, value in (("summary", summary), ("hook", hook), ("disclaimer", disclaimer)):
            check_text(label, value, max_length=TEXT_LENGTH)
        check_text("category", category, max_length=NAME_LENGTH, empty=False)
        posts = [self.live_post(p).id for p in _texts("post_ids", post_ids, 19)]
        return news.create(
            self._sim,
            name,
            category=category,
            hook=hook,
            summary=summary,
            disclaimer=disclaimer,
            keywords=_texts("keywords", keywords),
            post_ids=posts,
            topics=_texts("topics", topics),
        )

    def generate_news(self, count: int = 1) -> list[dict[str, Any]]:
        """`count` stories made up by faker, each clustering a few of the world's newest posts (if it has any)."""
        check_int("count", count, 1, MAX_MADE)
        recent = self.store.all_posts()[:MAX_ITEMS]
        made = []
        for _ in range(count):
            words = self.faker.words(nb=3)
            cluster = [p.id for p in self.faker.random_elements(recent, length=min(3, len(recent)), unique=True)]
            made.append(
                self.create_news(
                    self.faker.sentence(nb_words=8).rstrip("."),
                    summary=self.faker.paragraph(nb_sentences=3),
                    hook=self.faker.sentence(nb_words=10),
                    category=self.faker.random_element(CATEGORIES),
                    keywords=words,
                    post_ids=cluster,
                    topics=[w.capitalize() for w in words[:2]],
                )
            )
        return made

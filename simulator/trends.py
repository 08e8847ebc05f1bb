"""Trends, counted from what the world posted: the hashtags, and the plain terms enough distinct authors used, in
the posts of the last `Settings.trends_window` seconds of the simulator clock. Nothing is canned: an empty world
has no trends.

By WOEID: 1 is worldwide (every post); a country's WOEID counts the posts tagged with a place in that country and
the posts of authors whose profile location names it. Personalized trends count the posts of the accounts a user
follows, and their own, then fill up with worldwide trends.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from xmock.simulator.relations import FOLLOWS
from xmock.simulator.resources.text import entities

if TYPE_CHECKING:
    from xmock.simulator.core import Simulator
    from xmock.simulator.models import Post

WORLDWIDE = 1
# Country WOEIDs (Yahoo's, which X's trends use): woeid -> (ISO country code, name).
COUNTRIES: dict[int, tuple[str, str]] = {
    23424748: ("AU", "Australia"),
    23424768: ("BR", "Brazil"),
    23424775: ("CA", "Canada"),
    23424819: ("FR", "France"),
    23424829: ("DE", "Germany"),
    23424848: ("IN", "India"),
    23424853: ("IT", "Italy"),
    23424856: ("JP", "Japan"),
    23424900: ("MX", "Mexico"),
    23424908: ("NG", "Nigeria"),
    23424950: ("ES", "Spain"),
    23424975: ("GB", "United Kingdom"),
    23424977: ("US", "United States"),
}
PERSONALIZED_MAX = 20
_WORD = re.compile(r"(?<![\w#@$])[^\W\d_][\w']{3,}", re.UNICODE)  # plain terms: 4+ characters, starting with a letter
_URLISH = re.compile(r"\S*(?:https?://|www\.)\S*")
# Words too common to trend (English function words and the like).
STOP_WORDS = frozenset(
    "about after again also been before being between both could does doing down during each from further have "
    "having here into just like made make more most much must only other over same should some such than that "
    "their theirs them then there these they this those through under until very want were what when where which "
    "while will with would your yours just really today still back even well http https".split()
)


@dataclass(frozen=True)
class Trend:
    name: str
    count: int  # posts in the window that carry it
    since: float  # the first of those posts


def known_woeid(woeid: int) -> bool:
    return woeid == WORLDWIDE or woeid in COUNTRIES


def _terms(post: Post) -> tuple[set[str], set[str]]:
    """The post's hashtags (as written, with "#") and its plain terms (lower case)."""
    found = entities(post.text)
    tags = {"#" + h["tag"] for h in found.get("hashtags", ())}
    words = {w.lower() for w in _WORD.findall(_URLISH.sub(" ", post.text))}
    return tags, {w for w in words if w not in STOP_WORDS}


def window(sim: Simulator) -> list[Post]:
    """Public original posts of the trends window (replies count; reposts would count a post twice)."""
    now = sim.clock.now()
    since = now - sim.settings.trends_window
    out = []
    for post in sim.store.all_posts():
        if post.created_at < since:
            break  # newest first
        if post.created_at > now or post.reposted_post_id is not None:
            continue
        author = sim.store.get_user(post.author_id)
        if author is not None and not author.protected:
            out.append(post)
    return out


def _in_country(sim: Simulator, post: Post, code: str, name: str) -> bool:
    if post.place_id is not None:
        place = sim.store.get_place(post.place_id)
        if place is not None:
            return place.country_code.upper() == code
    author = sim.store.get_user(post.author_id)
    return author is not None and bool(author.location) and name.lower() in author.location.lower()


def count(sim: Simulator, posts: Iterable[Post]) -> list[Trend]:
    """Trends of these posts, most posted first (ties: the newer trend first, then by name)."""
    tallies: dict[str, list[float]] = {}
    keys: dict[str, str] = {}  # hashtags are counted case-insensitively, shown as first seen (the oldest post)
    term_authors: dict[str, set[str]] = {}
    for post in sorted(posts, key=lambda p: p.created_at):
        tags, words = _terms(post)
        for tag in tags:
            key = keys.setdefault(tag.lower(), tag)
            tallies.setdefault(key, []).append(post.created_at)
        for word in words:
            tallies.setdefault(word, []).append(post.created_at)
            term_authors.setdefault(word, set()).add(post.author_id)
    need = sim.settings.trends_min_authors
    trends = [
        Trend(name, len(times), times[0])
        for name, times in tallies.items()
        if name.startswith("#") or len(term_authors.get(name, ())) >= need
    ]
    trends.sort(key=lambda t: (-t.count, -t.since, t.name))
    return trends


def by_woeid(sim: Simulator, woeid: int) -> list[Trend]:
    posts = window(sim)
    if woeid != WORLDWIDE:
        code, name = COUNTRIES[woeid]
        posts = [p for p in posts if _in_country(sim, p, code, name)]
    return count(sim, posts)


def personalized(sim: Simulator, user_id: str) -> list[Trend]:
    """The trends of the user's network (who they follow, and themselves), then the world's."""
    network = {dst for dst, _ in sim.store.edges_from(FOLLOWS, user_id)} | {user_id}
    posts = window(sim)
    mine = count(sim, [p for p in posts if p.author_id in network])
    shown = {t.name.lower() for t in mine}
    world = [t for t in count(sim, posts) if t.name.lower() not in shown]
    return (mine + world)[:PERSONALIZED_MAX]


def post_count_text(n: int) -> str:
    """X's personalized `post_count`: "1 post", "950 posts", "12.3K posts", "1.2M posts"."""
    if n == 1:
        return "1 post"
    if n < 1000:
        return f"{n} posts"
    for size, suffix in ((1_000_000, "M"), (1000, "K")):
        if n >= size:
            shown = f"{n / size:.1f}".removesuffix(".0")
            return f"{shown}{suffix} posts"
    return f"{n} posts"

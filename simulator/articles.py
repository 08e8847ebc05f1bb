"""Articles: drafts belong to their author (records in the `articles` table, ARTICLES edges from the author);
publishing one makes the post that carries it, by its author, now, once."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Any

from xmock.simulator.models import Post
from xmock.simulator.relations import ARTICLES
from xmock.simulator.resources import mentions

if TYPE_CHECKING:
    from xmock.simulator.core import Simulator

TABLE = "articles"
URL = "https://x.com/i/article/{id}"  # where a published article is read; its post links there


def draft(
    sim: Simulator, author_id: str, title: str, content_state: dict[str, Any], cover_media: dict[str, Any] | None
) -> dict[str, Any]:
    now = sim.clock.now()
    record = {
        "id": sim.ids.next_id(),
        "author_id": author_id,
        "title": title,
        "content_state": content_state,
        "cover_media": cover_media,
        "created_at": now,
        "post_id": None,
    }
    sim.store.put_record(TABLE, record["id"], record)
    sim.store.set_edge(ARTICLES, author_id, record["id"], True, now)
    return record


def get(sim: Simulator, article_id: str) -> dict[str, Any] | None:
    return sim.store.get_record(TABLE, article_id)


def publish(sim: Simulator, article: dict[str, Any], app_id: str | None = None) -> str:
    """The id of the post carrying the article: made now on the first publish, the same one after."""
    if article["post_id"] is not None and sim.store.get_post(article["post_id"]) is not None:
        return str(article["post_id"])
    post_id = sim.ids.next_id()
    text = f"{article['title']} {URL.format(id=article['id'])}"
    post = Post(id=post_id, text=text, author_id=article["author_id"], created_at=sim.clock.now(), app_id=app_id)
    post = replace(post, conversation_id=post_id)
    sim.store.create_post(post, None)
    mentions.index(sim.store, post)
    sim.store.put_record(TABLE, article["id"], {**article, "post_id": post_id})
    return post_id

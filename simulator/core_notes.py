"""The simulator's control operations on Community Notes and articles: write a note as a user would (the X surface's
rules), see where a note stands, draft and publish an article."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from xmock.simulator import articles, notes
from xmock.simulator.control.errors import ControlError, check_bool, check_text

if TYPE_CHECKING:
    from xmock.simulator.core import Simulator
    from xmock.simulator.models import Post, User

TEXT_LENGTH = 5000
CLASSIFICATIONS = ("misinformed_or_potentially_misleading", "not_misleading")
MISLEADING_TAGS = (
    "disputed_claim_as_fact",
    "factual_error",
    "manipulated_media",
    "misinterpreted_satire",
    "missing_important_context",
    "other",
    "outdated_information",
)


class NoteOperations:
    """Part of Simulator."""

    if TYPE_CHECKING:

        def user(self, user_id: str) -> User: ...
        def live_post(self, post_id: str) -> Post: ...

    @property
    def _sim(self) -> Simulator:
        return cast("Simulator", self)

    def write_note(
        self,
        user_id: str,
        post_id: str,
        text: str,
        *,
        classification: str = "misinformed_or_potentially_misleading",
        misleading_tags: list[str] | tuple[str, ...] = ("missing_important_context",),
        trustworthy_sources: bool = True,
        test_mode: bool = False,
    ) -> dict[str, Any]:
        """A Community Note by `user_id` on `post_id`, written now."""
        check_text("text", text, max_length=TEXT_LENGTH, empty=False)
        if not notes.URL_IN_TEXT.search(text):
            raise ControlError(400, "text: a note must contain a URL")
        if classification not in CLASSIFICATIONS:
            raise ControlError(400, f"classification: expected one of {', '.join(CLASSIFICATIONS)}")
        if not isinstance(misleading_tags, list | tuple) or any(t not in MISLEADING_TAGS for t in misleading_tags):
            raise ControlError(400, f"misleading_tags: expected a list of {', '.join(MISLEADING_TAGS)}")
        check_bool("trustworthy_sources", trustworthy_sources)
        check_bool("test_mode", test_mode)
        writer, post = self.user(user_id), self.live_post(post_id)
        if post.author_id == writer.id or notes.written_on(self._sim, writer.id, post.id):
            raise ControlError(409, f"user {writer.id} may not write another note on post {post.id}")
        info = {
            "text": text,
            "classification": classification,
            "misleading_tags": list(misleading_tags),
            "trustworthy_sources": trustworthy_sources,
        }
        return notes.write(self._sim, writer.id, post.id, info, test_mode)

    def note(self, note_id: str) -> dict[str, Any]:
        """A note with where it stands now (`status`)."""
        record = notes.get(self._sim, str(note_id))
        if record is None:
            raise ControlError(404, f"no note {note_id}")
        return {**record, "status": notes.status(self._sim, record)}

    def draft_article(self, user_id: str, title: str, text: str = "") -> dict[str, Any]:
        """A draft article by `user_id`: `text` makes its paragraphs (one unstyled block per line)."""
        check_text("title", title, max_length=TEXT_LENGTH, empty=False)
        check_text("text", text, max_length=100_000)
        blocks = [{"text": line, "type": "unstyled"} for line in text.splitlines()]
        return articles.draft(self._sim, self.user(user_id).id, title, {"blocks": blocks, "entities": []}, None)

    def publish_article(self, article_id: str) -> str:
        """Publish a draft; the id of the post that carries it."""
        record = articles.get(self._sim, str(article_id))
        if record is None:
            raise ControlError(404, f"no article {article_id}")
        return articles.publish(self._sim, record)

"""What X's self-serve (pay-per-use) tier refuses that enterprise access allows, as of 2026.

- Replies only where the replying account was summoned: mentioned by, or quoted by, the author
  of the post it answers (since 2026-02-23); at most one cashtag per post.
- No likes, no follows and no quote posts (removed from self-serve tiers on 2026-04-20).
- v1.1 only for media upload and OAuth; `statuses/update` answers code 453.

`Settings.access_tier` chooses: "enterprise" (no restrictions, the default) or "self-serve".
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from xmock.simulator import errors
from xmock.simulator.resources.text import mentioned_usernames

if TYPE_CHECKING:
    from xmock.simulator.core import Simulator
    from xmock.simulator.models import Post, User

TIERS = ("enterprise", "self-serve")
_CASHTAG = re.compile(r"(?<![\w$])\$[A-Za-z]{1,6}(?![\w$])")


def self_serve(sim: Simulator) -> bool:
    return sim.settings.access_tier == "self-serve"


def summoned(sim: Simulator, author: User, parent: Post) -> bool:
    """The parent's author mentioned the replier, or quoted one of the replier's posts (or it is a self-thread)."""
    if parent.author_id == author.id:
        return True
    if author.username.lower() in (name.lower() for name in mentioned_usernames(parent.text)):
        return True
    quoted = sim.store.get_post(parent.quoted_post_id) if parent.quoted_post_id else None
    return quoted is not None and quoted.author_id == author.id


def check_post(sim: Simulator, author: User, text: str, parent: Post | None, quote_id: str | None) -> None:
    if not self_serve(sim):
        return
    if quote_id is not None:
        raise errors.forbidden("quote posts are not available on self-serve access")
    if parent is not None and not summoned(sim, author, parent):
        raise errors.reply_not_summoned()
    if "$" in text and len(_CASHTAG.findall(text)) > 1:  # no "$", no cashtag
        raise errors.invalid_request(
            "Posts created through the API on self-serve access may contain at most one cashtag."
        )


def check_like(sim: Simulator) -> None:
    if self_serve(sim):
        raise errors.forbidden("likes are not available on self-serve access")


def check_follow(sim: Simulator) -> None:
    if self_serve(sim):
        raise errors.forbidden("following is not available on self-serve access")


def check_v1_write(sim: Simulator) -> None:
    if self_serve(sim):
        raise errors.v1_subset_only()

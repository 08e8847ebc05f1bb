"""Policy findings: evidence that an app breaks one of X's rules, for certification runs.

Each finding names the rule and the clause of X's terms it comes from. Findings are
recorded, never enforced, except where X itself refuses (a duplicate post; a second
app for the same use case when `use_case_policy` is "refuse").
"""

from __future__ import annotations

import hashlib
import re
from typing import TYPE_CHECKING, Any

from rapidfuzz import fuzz

if TYPE_CHECKING:
    from xmock.simulator.core import Simulator
    from xmock.simulator.models import App, Post, User
    from xmock.simulator.store.base import PostTrack, Tracked

RULES: dict[str, dict[str, str]] = {
    "duplicate-content": {
        "title": "Duplicate content from one account",
        "clause": "X Developer Policy, Automation: do not post duplicative or substantially similar content.",
    },
    "duplicate-content-across-accounts": {
        "title": "Automation: duplicate content across accounts",
        "clause": "X Developer Policy, Automation: never post identical or substantially similar content "
        "across multiple accounts.",
    },
    "service-bureau": {
        "title": "Service bureau: an app acting for another developer account's users",
        "clause": "X Pay-Per-Use Agreement §III.A(e): no use of the X API on a service bureau, rental or managed "
        "services basis; Developer Policy: do not use credentials owned by others.",
    },
    "single-use-case": {
        "title": "Several apps for one use case",
        "clause": "X Developer Policy: you may not register multiple applications for a single use case or "
        "substantially similar or overlapping use cases.",
    },
    "bulk-engagement": {
        "title": "Bulk engagement",
        "clause": "X Developer Policy, Automation: no bulk, aggressive or spammy actions; likes must be "
        "user-initiated.",
    },
    "rate-limit-hammering": {
        "title": "Rate-limit hammering",
        "clause": "X Pay-Per-Use Agreement §III.D: rate limits must not be exceeded or circumvented.",
    },
}

_SPACE = re.compile(r"\s+")
_URL = re.compile(r"https?://\S+")
_RECENT = 50  # similar-text comparisons per post are bounded, so heavy load stays cheap


def normalize(text: str) -> str:
    """Lowercase, URLs dropped, whitespace collapsed: what "substantially similar" compares."""
    low = text.lower()
    # Printable text has no whitespace but the ASCII space; without a URL or a double space
    # there is nothing to drop or collapse (most posts: two regex passes saved).
    if "http" not in low and "  " not in low and low.isprintable():
        return low.strip()
    return _SPACE.sub(" ", _URL.sub("", low)).strip()


def similar(a: str, b: str, threshold: float) -> bool:
    """At least `threshold` alike: twice the longest common subsequence over the two lengths (difflib's
    ratio where the texts keep their order, as near-duplicates do; rapidfuzz computes it in C, a post
    compared with its app's fifty newest by others in microseconds rather than milliseconds)."""
    if a == b:
        return True
    if not a or not b:
        return False
    return fuzz.ratio(a, b, score_cutoff=threshold * 100) > 0


class Findings:
    def __init__(self, sim: Simulator) -> None:
        self._sim = sim

    def record(
        self,
        rule: str,
        *,
        app: App | None = None,
        account_id: str | None = None,
        user: User | None = None,
        detail: str,
        evidence: dict[str, Any] | None = None,
        dedupe: str | None = None,
    ) -> dict[str, Any]:
        sim = self._sim
        finding = {
            "id": sim.random.hex(12),
            "time": sim.clock.now(),
            "rule": rule,
            "title": RULES[rule]["title"],
            "clause": RULES[rule]["clause"],
            "app_id": app.id if app else None,
            "account_id": account_id or (app.account_id if app else None),
            "user_id": user.id if user else None,
            "detail": detail,
            "evidence": evidence or {},
        }
        return sim.store.add_finding(finding, f"{rule}|{dedupe}" if dedupe else None)

    def query(
        self,
        *,
        rule: str | None = None,
        app: str | None = None,
        account: str | None = None,
        user: str | None = None,
    ) -> list[dict[str, Any]]:
        return [
            f
            for f in self._sim.store.findings()
            if (rule is None or f["rule"] == rule)
            and (app is None or f["app_id"] == app)
            and (account is None or f["account_id"] == account)
            and (user is None or f["user_id"] == user)
        ]

    # detectors ------------------------------------------------------------------------

    def acting_for(self, app: App, user: User) -> None:
        """An app acting for a user who is another developer account's end user."""
        tenant = user.tenant_account_id
        if tenant is not None and tenant != app.account_id:
            self.record(
                "service-bureau",
                app=app,
                user=user,
                dedupe=f"{app.id}|{user.id}",
                detail=f"app {app.id} (account {app.account_id}) acted for user {user.id}, an end user of "
                f"account {tenant}",
                evidence={"tenant_account_id": tenant},
            )

    def duplicate_refused(self, app: App | None, user: User, text: str) -> None:
        digest = hashlib.sha256(text.encode()).hexdigest()[:12]
        self.record(
            "duplicate-content",
            app=app,
            user=user,
            dedupe=f"{user.id}|{digest}",
            detail=f"user {user.id} posted the same text again within the duplicate window",
            evidence={"text_sha256": digest},
        )

    def tracking(self, app: App | None, post: Post) -> PostTrack | None:
        """What the store logs of a new post (`Store.track_post`'s arguments, logged with the post's write) for
        `post_created` to judge; None when there is nothing to judge."""
        if app is None or not post.text.strip():
            return None
        text = normalize(post.text)
        me = post.author_id
        # Identical text (after normalising) is found however busy the app is ...
        digest = hashlib.sha256(text.encode()).hexdigest()[:16]
        # ... and merely similar text among the app's newest posts by other accounts.
        return (
            (f"text|{app.id}", digest, (me, post.id)),
            (f"posts|{app.id}", me, (me, text, post.id)),
            post.created_at,
            self._sim.settings.cross_account_window,
            _RECENT,
        )

    def post_created(self, app: App, post: Post, tracked: Tracked) -> None:
        """Identical or substantially similar text across accounts through one app, from the logs `tracking`
        asked the store to keep (`tracked`: what it answered)."""
        same, others = tracked
        if not others and len(same) == 1:
            return  # the usual post: nobody else wrote it, nobody else posted lately
        settings = self._sim.settings
        text = normalize(post.text)
        now = post.created_at
        matches = [(author, pid) for _, (author, pid) in same]
        matches += [
            (author, pid)
            for _, (author, other, pid) in others
            if other != text and similar(text, other, settings.similarity)
        ]
        authors = {author for author, _ in matches}
        if len(authors) >= settings.cross_account_accounts:
            # One finding per app and window of time, each further post an occurrence of it: a campaign that
            # goes on would otherwise add a finding with every post, as its oldest matches age out.
            self.record(
                "duplicate-content-across-accounts",
                app=app,
                dedupe=f"{app.id}|{int(now // settings.cross_account_window)}",
                detail=f"{len(authors)} accounts posted substantially similar text through app {app.id} "
                f"within {settings.cross_account_window} s",
                evidence={"post_ids": [pid for _, pid in matches], "user_ids": sorted(authors)},
            )

    def engaged(self, app: App | None, user: User, post_id: str, action: str) -> None:
        """Many accounts liking or reposting one post through one app in a short window."""
        if app is None:
            return
        settings = self._sim.settings
        log = self._sim.store.track(
            f"{action}|{app.id}|{post_id}", user.id, self._sim.clock.now(), settings.bulk_engagement_window
        )
        users = sorted({uid for _, uid in log})
        if len(users) >= settings.bulk_engagement_accounts:
            self.record(
                "bulk-engagement",
                app=app,
                dedupe=f"{action}|{app.id}|{post_id}",
                detail=f"{len(users)} accounts {action} post {post_id} through app {app.id} within "
                f"{settings.bulk_engagement_window} s",
                evidence={"post_id": post_id, "action": action, "user_ids": users},
            )

    def similar_use_case(self, account_id: str, use_case: str, apps: list[App]) -> App | None:
        """An existing app of the same account whose use case reads the same."""
        text = normalize(use_case)
        if not text:
            return None
        for other in apps:
            if other.account_id == account_id and similar(
                text, normalize(other.use_case), self._sim.settings.similarity
            ):
                return other
        return None

"""How a provider treats X's answers: limits, credits, failures, duplicates, feeds and display."""

from __future__ import annotations

import html

from xmock.adapters.base import Capability, Outcome
from xmock.scenarios.world import Context

NEAR_COPIES = (
    "Fresh bagels every morning from 7am, come early!",
    "Fresh bagels every morning from 7 am - come early!!",
    "fresh bagels every morning from 7am... come early",
)


def no_duplicates_across_accounts(ctx: Context) -> None:
    """Identical content is not pushed across accounts; a 403 duplicate is final."""
    ctx.onboard()
    for user in ("alice", "bob", "carol"):
        ctx.link(user)
    announce = getattr(ctx.adapter, "announce", None)
    text = "Grand opening this Saturday!"
    if callable(announce):
        announce(ctx.tenant.id, text)
    else:
        for user in ("alice", "bob", "carol"):
            ctx.post(user, text)
    found = ctx.control.findings(rule="duplicate-content-across-accounts")
    if found:
        ctx.note("finding", found[0]["detail"], **found[0]["evidence"])
        ctx.fail("identical content was pushed across accounts: " + found[0]["detail"])
    for user, text in zip(("alice", "bob", "carol"), NEAR_COPIES, strict=True):  # a copy need not be exact
        ctx.post(user, text)
    found = ctx.control.findings(rule="duplicate-content-across-accounts")
    if found:
        ctx.note("finding", found[0]["detail"], **found[0]["evidence"])
        ctx.fail("substantially similar content was pushed across accounts: " + found[0]["detail"])
    before = len(ctx.control.journal())
    ctx.post("alice", "Only once, please")
    second = ctx.post("alice", "Only once, please")
    refused = [e for e in ctx.control.journal()[before:] if e["path"] == "/2/tweets" and e["status"] == 403]
    ctx.note("journal", f"{len(refused)} duplicate refusal(s) from X for one repeated post")
    if second.ok:
        ctx.fail("a duplicate was reported as posted")
    if len(refused) > 1:
        ctx.fail(f"a 403 duplicate was retried ({len(refused)} refusals)")


def rate_limit_respect(ctx: Context) -> None:
    """After a 429, nothing goes to that endpoint for that user before the reset."""
    ctx.onboard()
    ctx.link("alice")
    ctx.control.freeze()
    ctx.control.limits(ctx.tenant.app["id"], {"posts:create": [{"who": "user", "limit": 1, "window": 900}]})
    ctx.require_ok(ctx.post("alice", "Within the limit"), "the first post")
    ctx.require_tenant_app("rate limits")
    limited = ctx.post("alice", "Over the limit")
    entries = ctx.control.journal(path="/2/tweets", method="POST")
    first_429 = next((i for i, e in enumerate(entries) if e["status"] == 429), None)
    if first_429 is None:
        ctx.fail(f"the second post did not meet X's 429 (it answered {limited.outcome})")
    ctx.post("alice", "Trying again at once")
    after = ctx.control.journal(path="/2/tweets", method="POST")[first_429 + 1 :]
    ctx.note("journal", f"{len(after)} request(s) to POST /2/tweets after the 429, before its reset")
    if after:
        ctx.fail(f"{len(after)} request(s) were sent after a 429 before its reset")
    ctx.control.advance(901)
    ctx.require_ok(ctx.post("alice", "After the reset"), "posting after the reset")
    if ctx.control.findings(rule="rate-limit-hammering"):
        ctx.fail("X recorded rate-limit hammering")


def credits_exhaustion(ctx: Context) -> None:
    """After a 402 the provider reports it clearly and does not retry in a loop."""
    ctx.onboard()
    ctx.link("alice")
    ctx.control.set_credits(ctx.tenant.app["id"], "0")
    result = ctx.post("alice", "No credits left")
    ctx.require_tenant_app("credits")
    refused = ctx.control.journal(status=402)
    ctx.note("journal", f"{len(refused)} request(s) refused with 402")
    if result.outcome != Outcome.OUT_OF_CREDITS:
        ctx.fail(f"running out of credits was reported as '{result.outcome}'")
    if len(refused) > 1:
        ctx.fail(f"the provider retried after a 402 ({len(refused)} requests)")
    if not ctx.has(Capability.SCHEDULING):
        return
    # the scheduler meets the 402 too: one attempt, the post marked failed, no storm on later ticks
    now = ctx.control.clock()["now"]
    ctx.require_ok(ctx.adapter.schedule(ctx.tenant.id, "alice", "Scheduled without credits", now + 60), "scheduling")
    ctx.control.advance(61)
    fired = ctx.adapter.run_due()
    for _ in range(3):
        ctx.control.advance(60)
        fired += ctx.adapter.run_due()
    storm = ctx.control.journal(status=402)[len(refused) :]
    outcomes = [str(r.outcome) for r in fired]
    ctx.note("journal", f"the scheduler's ticks after a 402: {len(storm)} request(s) refused with 402; "
             f"outcomes {outcomes}", requests=len(storm), outcomes=outcomes)
    if len(storm) > 1:
        ctx.fail(f"the scheduler retried after a 402 ({len(storm)} requests over four ticks)")
    if outcomes != [str(Outcome.OUT_OF_CREDITS)]:
        ctx.fail(f"the scheduled post was not marked failed for lack of credits once (outcomes: {outcomes})")


def retry_idempotency(ctx: Context) -> None:
    """On 503 the provider retries with backoff; after a lost answer it does not post twice."""
    ctx.onboard()
    ctx.link("alice")
    if ctx.seen is not None and ctx.seen.retries is False:  # probed: it does not retry; the lost answer still counts
        ctx.note("probe", "no request to X followed a 503: the provider does not retry, so only a lost answer is tried")
    else:
        ctx.control.fault(path="/2/tweets", method="POST", status=503, count=2)
        result = ctx.post("alice", "Through an outage")
        statuses = [e["status"] for e in ctx.control.journal(path="/2/tweets", method="POST")]
        ctx.note("journal", f"POST /2/tweets answers: {statuses}")
        if not result.ok:
            ctx.fail(f"the provider did not retry through a 503 ({result.outcome})")
    ctx.control.fault(path="/2/tweets", method="POST", action="commit-then-drop", count=1)
    before = len(ctx.control.journal())
    lost = None
    try:
        lost = ctx.post("alice", "Exactly once")
    except Exception as exc:  # a provider that lets the lost connection escape still must not double-post
        ctx.note("adapter", f"the lost answer surfaced as {type(exc).__name__}")
    copies = [p for p in ctx.control.posts(author=ctx.x_user("alice")) if p["text"] == "Exactly once"]
    repeats = [e for e in ctx.control.journal()[before:] if e["path"] == "/2/tweets" and e["status"] == 403]
    ctx.note("posts", f"{len(copies)} post(s) with the text after a lost answer; {len(repeats)} blind repeat(s)")
    if len(copies) != 1:
        ctx.fail(f"after a lost answer the post exists {len(copies)} times")
    if repeats:
        ctx.fail("after a lost answer the provider repeated the post blindly (X refused the repeat as a duplicate)")
    if lost is not None and not lost.ok:
        ctx.fail(f"the post exists, but the provider reported it as '{lost.outcome}'")


def rss_under_byo(ctx: Context) -> None:
    """RSS auto-posting to X is refused, since credentials come with each request."""
    ctx.onboard()
    ctx.link("alice")
    before = len(ctx.control.journal())
    result = ctx.adapter.enable_rss(ctx.tenant.id, "alice", "https://bakery.example/feed.xml")
    ctx.note("adapter", f"RSS-to-X: {result.outcome}: {result.detail}")
    if result.outcome != Outcome.REFUSED:
        ctx.fail(
            "RSS auto-posting was accepted, with no way to authenticate each post with the tenant's "
            "credentials at fire time"
        )
    # The refusal is proven by X's side: a day of the provider's scheduler later, nothing reached X for alice.
    for _ in range(4):
        ctx.control.advance(6 * 3600)
        ctx.adapter.run_due()
    calls = ctx.x_calls(before, user_id=ctx.x_user("alice"))
    ctx.note("journal", f"{len(calls)} X call(s) for alice in the day after RSS was refused", calls=calls[:5])
    if calls:
        ctx.fail(
            f"the provider answered that RSS was refused, but X received {len(calls)} call(s) for the user "
            f"afterwards ({calls[0]['method']} {calls[0]['path']})"
        )


def display_attribution(ctx: Context) -> None:
    """Rendered posts show the author's name, @username and a link to the post."""
    ctx.onboard()
    ctx.link("alice")
    post = ctx.require_ok(ctx.post("alice", "Croissants & coffee"), "posting")
    rendered = ctx.adapter.render(ctx.tenant.id, "alice", str(post.data["post_id"]))
    markup = html.unescape(str(rendered.data.get("html", "")))
    user = ctx.tenant.users["alice"]
    link = f"https://x.com/{user['username']}/status/{post.data['post_id']}"
    missing = [
        label
        for label, piece in (
            ("author name", user["name"]),
            ("@username", "@" + user["username"]),
            ("link to the post", link),
        )
        if piece not in markup
    ]
    ctx.note("adapter", f"rendered post ({len(markup)} characters); missing: {missing or 'nothing'}")
    if missing:
        ctx.fail("the rendered post lacks " + ", ".join(missing))


def rate_limits_read_delete(ctx: Context) -> None:
    """After a 429 on reading or deleting, nothing goes to that endpoint for that user before the reset."""
    ctx.onboard()
    ctx.link("alice")
    ctx.control.freeze()
    posts = [str(ctx.require_ok(ctx.post("alice", f"Loaf number {n}"), "posting").data["post_id"]) for n in range(3)]
    limits = {c: [{"who": "user", "limit": 1, "window": 900}] for c in ("posts:lookup", "posts:delete")}
    ctx.control.limits(ctx.tenant.app["id"], limits)
    for what, method, call in (("reading", "GET", ctx.adapter.read), ("deleting", "DELETE", ctx.adapter.delete)):
        before = len(ctx.control.journal())
        for post_id in posts:
            call(ctx.tenant.id, "alice", post_id)
        entries = [e for e in ctx.x_calls(before, method=method) if e["path"].startswith("/2/tweets/")]
        statuses = [e["status"] for e in entries]
        ctx.note("journal", f"{what} three posts against a limit of one: X answered {statuses}", statuses=statuses)
        if 429 not in statuses:
            ctx.fail(f"{what} never met X's 429 (X answered {statuses})")
        after = statuses[statuses.index(429) + 1 :]
        if after:
            ctx.fail(f"{len(after)} request(s) {what} were sent after a 429 before its reset")
    ctx.control.advance(901)
    ctx.require_ok(ctx.adapter.read(ctx.tenant.id, "alice", posts[2]), "reading after the reset")

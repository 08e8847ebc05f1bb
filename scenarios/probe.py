"""Find out what a provider does, from X's side, instead of trusting the capabilities its adapter declares.

One probe per run, in a world of its own: the provider links a user (the URL it sends the browser to says
OAuth 1.0a or OAuth 2.0), posts through one 503 (a second request to X means it retries), schedules, renders,
links a second user and receives. Which scenarios apply follows from what was seen (see `why_not`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from xmock.adapters.base import Capability, Outcome, ProviderAdapter
from xmock.scenarios.control import Control
from xmock.scenarios.world import AdapterFactory, Context, arrange

OAUTH2_AUTHORIZE = "/i/oauth2/authorize"
OAUTH1_AUTHORIZE = ("/oauth/authorize", "/oauth/authenticate")
FAR = 30 * 24 * 3600  # a probe's scheduled post is due long after the probe's world is gone


@dataclass
class Observed:
    """What the provider was seen doing: True, False, or None when the probe could not tell (see `unknown`)."""

    link: str | None = None  # "oauth1" or "oauth2": the protocol of the consent URL it sends users to
    retries: bool | None = None
    schedules: bool | None = None
    renders: bool | None = None
    multi_account: bool | None = None
    receives: bool | None = None
    unknown: dict[str, str] = field(default_factory=dict)  # fact -> what stopped the probe finding it out
    notes: list[str] = field(default_factory=list)  # what was seen, in plain words, for the report

    def as_dict(self) -> dict[str, Any]:
        return {
            "links_with": {"oauth1": "OAuth 1.0a", "oauth2": "OAuth 2.0"}.get(self.link or "", "unknown"),
            "retries": self.retries,
            "schedules": self.schedules,
            "renders": self.renders,
            "links_several_accounts": self.multi_account,
            "receives": self.receives,
            "seen": self.notes,
        }


@dataclass(frozen=True)
class Need:
    fact: str  # the Observed field that makes a scenario needing it apply
    question: str  # what the probe finds out
    applies: str  # when a scenario applies, for `xmock certify --list`
    not_applicable: str  # why it does not apply when the fact is False


NEEDS: dict[Capability, Need] = {
    Capability.OAUTH2: Need(
        "link",
        "how the provider links users",
        "links users with OAuth 2.0",
        "the provider links users with OAuth 1.0a, whose user tokens do not expire",
    ),
    Capability.SCHEDULING: Need(
        "schedules",
        "whether the provider schedules posts",
        "schedules posts",
        "the provider does not schedule posts (it refused to)",
    ),
    Capability.RENDER: Need(
        "renders",
        "whether the provider renders posts",
        "renders posts",
        "the provider does not render posts for display (it refused to)",
    ),
    Capability.MULTI_ACCOUNT: Need(
        "multi_account",
        "whether the provider links several accounts of one tenant",
        "links several accounts of one tenant",
        "the provider does not link several accounts of one tenant",
    ),
    Capability.RECEIVE: Need(
        "receives",
        "whether the provider receives mentions and DMs",
        "receives mentions and DMs",
        "the provider does not receive mentions or DMs (it refused to)",
    ),
    Capability.RETRIES: Need(
        "retries",
        "whether the provider retries",
        "retries after a 5xx",
        "the provider does not retry: no request to X followed a 503",
    ),
}


def link_protocol(authorization_url: str) -> str | None:
    path = urlsplit(authorization_url).path.rstrip("/")
    if path == OAUTH2_AUTHORIZE:
        return "oauth2"
    if path in OAUTH1_AUTHORIZE:
        return "oauth1"
    return None


def why_not(needs: frozenset[Capability], seen: Observed) -> tuple[str | None, str | None]:
    """(why the scenario does not apply, why it cannot run) for what the probe saw; both None: it runs."""
    for capability in sorted(needs):
        need = NEEDS.get(capability)
        if need is None:
            continue
        known = getattr(seen, need.fact)
        if known is None:
            return None, f"could not find out {need.question}: " + seen.unknown.get(
                need.fact, "the probe did not get that far"
            )
        if known is False or (need.fact == "link" and known != "oauth2"):
            return need.not_applicable, None
    return None, None


def probe(factory: AdapterFactory, control: Control) -> Observed:
    """Watch the provider in a world of its own; the simulator is reset before and after."""
    seen = Observed()
    control.reset()
    world = arrange(control)
    adapter: ProviderAdapter | None = None
    try:
        adapter = factory(world)
        ctx = Context(world, adapter)
        _step(seen, "link", lambda: _link(ctx, seen))
        if seen.link is None and "link" not in seen.unknown:
            seen.unknown["link"] = "linking did not finish"
        if "link" in seen.unknown and seen.link is None:
            for fact in ("retries", "schedules", "renders", "multi_account", "receives"):
                seen.unknown.setdefault(fact, "the provider could not link a user")
            return seen
        _step(seen, "retries", lambda: _retries(ctx, seen))
        _step(seen, "schedules", lambda: _schedules(ctx, seen))
        _step(seen, "renders", lambda: _renders(ctx, seen))
        _step(seen, "multi_account", lambda: _multi_account(ctx, seen))
        _step(seen, "receives", lambda: _receives(ctx, seen))
    except Exception as exc:  # the adapter could not even be built: nothing is known
        seen.unknown.setdefault("link", f"{type(exc).__name__}: {exc}")
    finally:
        if adapter is not None:
            adapter.close()
        control.reset()
    return seen


def _step(seen: Observed, fact: str, step: Callable[[], None]) -> None:
    try:
        step()
    except NotImplementedError:
        seen.unknown[fact] = "the adapter does not implement it"
    except Exception as exc:
        seen.unknown[fact] = f"{type(exc).__name__}: {exc}"


def _link(ctx: Context, seen: Observed) -> None:
    ctx.onboard()
    start = ctx.adapter.connect_user(ctx.tenant.id, "alice")
    seen.link = link_protocol(start.authorization_url)
    if seen.link is None:
        seen.unknown["link"] = "the provider sends users to neither X's OAuth 1.0a nor its OAuth 2.0 consent page"
        return
    seen.notes.append(f"links users with {'OAuth 2.0' if seen.link == 'oauth2' else 'OAuth 1.0a'}")
    callback = ctx.control.approve(start.authorization_url, ctx.x_user("alice"))
    result = ctx.adapter.complete_connect(ctx.tenant.id, "alice", callback)
    if not result.ok:
        seen.link = None
        seen.unknown["link"] = f"linking a user failed: {result.outcome}"


def _posts_to_x(ctx: Context) -> int:
    return len(ctx.control.journal(path="/2/tweets", method="POST"))


def _retries(ctx: Context, seen: Observed) -> None:
    ctx.control.fault(path="/2/tweets", method="POST", status=503, count=1)
    ctx.adapter.post(ctx.tenant.id, "alice", "Checking how you handle an outage")
    attempts = _posts_to_x(ctx)
    if attempts == 0:
        seen.unknown["retries"] = "the provider sent no post to X"
        return
    seen.retries = attempts > 1
    seen.notes.append(
        f"{'retried' if seen.retries else 'did not retry'} after a 503 ({attempts} request(s) to POST /2/tweets)"
    )


def _schedules(ctx: Context, seen: Observed) -> None:
    at = ctx.control.clock()["now"] + FAR
    result = ctx.adapter.schedule(ctx.tenant.id, "alice", "Checking your scheduler", at)
    seen.schedules = result.outcome != Outcome.REFUSED
    seen.notes.append("schedules posts" if seen.schedules else "refused to schedule a post")


def _renders(ctx: Context, seen: Observed) -> None:
    posted = ctx.adapter.post(ctx.tenant.id, "alice", "Checking how you display posts")
    if not posted.ok or "post_id" not in posted.data:
        seen.unknown["renders"] = f"the provider could not post one ({posted.outcome})"
        return
    result = ctx.adapter.render(ctx.tenant.id, "alice", str(posted.data["post_id"]))
    seen.renders = result.outcome != Outcome.REFUSED
    seen.notes.append("renders posts" if seen.renders else "refused to render a post")


def _multi_account(ctx: Context, seen: Observed) -> None:
    start = ctx.adapter.connect_user(ctx.tenant.id, "bob")
    callback = ctx.control.approve(start.authorization_url, ctx.x_user("bob"))
    seen.multi_account = ctx.adapter.complete_connect(ctx.tenant.id, "bob", callback).ok
    seen.notes.append("links several accounts of one tenant" if seen.multi_account else "linked only one account")


def _receives(ctx: Context, seen: Observed) -> None:
    before = len(ctx.control.webhooks()["webhooks"])
    result = ctx.adapter.start_receiving(ctx.tenant.id)
    registered = len(ctx.control.webhooks()["webhooks"]) > before
    seen.receives = result.outcome != Outcome.REFUSED or registered
    seen.notes.append("receives mentions and DMs" if seen.receives else "refused to receive mentions and DMs")
    if seen.receives:
        ctx.adapter.stop_receiving(ctx.tenant.id)

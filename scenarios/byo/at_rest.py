"""What a provider keeps of a tenant's credentials: found by scanning, not taken on its word."""

from __future__ import annotations

import contextlib

from xmock.scenarios.base import CannotRun
from xmock.scenarios.secrets_scan import SecretsScan, scan
from xmock.scenarios.world import Context


def secrets_at_rest(ctx: Context) -> None:
    """Through a tenant's whole life, the canary secrets appear in clear in none of the provider's places or answers."""
    adapter, tenant, other = ctx.adapter, ctx.tenant, ctx.world.other_tenant
    ctx.onboard()
    ctx.onboard(other)
    ctx.link("alice")
    ctx.link("dana", other)
    posted = ctx.post("alice", "Rye loaves are back")
    ctx.post("dana", "Tulips in stock", other)
    post_id = str(posted.data.get("post_id", ""))
    # every path that may touch the keys; a feature the provider does not offer simply refuses
    with _tolerated():
        adapter.read(tenant.id, "alice", post_id)
    with _tolerated():
        adapter.schedule(tenant.id, "alice", "Bread of the day", ctx.control.clock()["now"] + 600)
    with _tolerated():
        adapter.start_receiving(tenant.id)
    adapter.set_tenant_credentials(tenant.id, ctx.rotate_keys())
    ctx.post("alice", "Baked with the new keys")
    ctx.control.advance(660)
    with _tolerated():
        adapter.run_due()
    with _tolerated():
        adapter.stop_receiving(tenant.id)
    with _tolerated():
        adapter.delete(tenant.id, "alice", post_id)
    with _tolerated():
        adapter.unlink(tenant.id, "alice")

    # App secrets may be in no answer and no place; the users' tokens (handed to the tenant on linking, for
    # portability) may be in answers to the tenant, but not at rest nor on an open URL.
    app_secrets = dict(ctx.world.canaries)
    stored = dict(app_secrets)
    for who, end_user in ((tenant, "alice"), (other, "dana")):
        for name, value in (adapter.user_tokens(who.id, end_user) or {}).items():
            if "secret" in name or name in ("access_token", "refresh_token"):
                stored[f"{who.account['name']}'s user {end_user}'s {name.replace('_', ' ')}"] = value
    result = scan(stored, adapter.data_places(), adapter.answers_seen(), answer_canaries=app_secrets)
    ctx.note("secrets", _summary(result), **result.as_dict())
    ctx.answers["credentials"] = answer(result)
    if result.leaks:
        ctx.fail(
            "credentials found where the provider keeps data or answers: "
            + "; ".join(f"{leak.credential} {leak.form} in {leak.where} ({leak.location})" for leak in result.leaks)
        )
    # Nothing found, but nothing proven either: the scenario could not run, so the run cannot be PASS.
    if not result.declared:
        raise CannotRun(
            "the provider does not declare where it keeps data (files, database, logs), so what happens to "
            "the tenants' credentials cannot be shown"
        )
    if result.unreadable:
        raise CannotRun("declared places could not be scanned: " + "; ".join(result.unreadable))


def _tolerated() -> contextlib.suppress:
    """A path the provider may not offer: its refusal (or error) is not this scenario's concern; the scan runs."""
    return contextlib.suppress(Exception)


def _summary(result: SecretsScan) -> str:
    places = ", ".join(p["description"] for p in result.places) or "no places"
    found = f"{len(result.leaks)} credential trace(s) found" if result.leaks else "no credential found"
    return f"scanned {places} and {result.answers} answers of the provider: {found}"


def answer(result: SecretsScan) -> str:
    """The customer's answer to "what happens to my X credentials", from the scan alone."""
    if not result.declared:
        return "Not shown: the provider does not say where it keeps data, so it could not be scanned."
    if result.leaks:
        first = result.leaks[0]
        return (
            f"They are kept where they can be read: {first.credential} was found {first.form} in {first.where}"
            + (f", and {len(result.leaks) - 1} more trace(s)." if len(result.leaks) > 1 else ".")
        )
    places = [p["description"] for p in result.places]
    where = "; ".join(places) if places else "nowhere (the provider declares it keeps nothing at rest)"
    return (
        "Not found in clear anywhere the provider keeps data or answers. Certification gave your app "
        f"secrets unique to this run, used them through linking, posting, scheduling, key rotation and "
        f"unlinking, then searched for them (in clear, base64, hex and percent-encoded) in: {where}; and in "
        f"all {result.answers} answers the provider gave."
    )

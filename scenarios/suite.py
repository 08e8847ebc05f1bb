"""Suites of scenarios, by id. `needs`: what the provider must be seen doing for a scenario to apply (probed,
scenarios/probe.py); `provokes`: findings a scenario causes on purpose (scenarios/invariants.py)."""

from __future__ import annotations

from xmock.adapters.base import Capability as C
from xmock.scenarios.base import Scenario
from xmock.scenarios.byo import at_rest, behaviour, consent, credentials, receiving, tokens

POLICY = "X Developer Policy"
PPU = "X Pay-Per-Use Agreement"

X_BYO_2026 = [
    Scenario(
        "own-app",
        "Own app for every tenant",
        "Every X call for a tenant is signed with that tenant's own app.",
        f"{PPU} §III.A(e) (service bureau); {POLICY}: no use of credentials owned by others",
        credentials.own_app,
    ),
    Scenario(
        "credentials-per-request",
        "Credentials per request",
        "Without the tenant's keys nothing is sent (posting, reading, deleting, refreshing); rotated keys and a "
        "regenerated OAuth 2.0 client secret replace the old ones at once.",
        f"{PPU} §III.G: keep credentials private; {POLICY}: do not use credentials owned by others",
        credentials.credentials_per_request,
    ),
    Scenario(
        "secrets-at-rest",
        "Credentials at rest",
        "The tenant's app secrets are found in clear in none of the provider's data, logs or answers.",
        f"{PPU} §III.G: keep credentials private; X's Bring Your Own App mandate",
        at_rest.secrets_at_rest,
    ),
    Scenario(
        "consent-brand",
        "The tenant's name on the consent screen",
        "End users authorise the tenant's app, on X's consent screen, under the tenant's name.",
        f"{POLICY}: one app per use case; {PPU} §III.A(e)",
        consent.consent_brand,
    ),
    Scenario(
        "portability",
        "Tenants can leave with their users",
        "Tokens obtained through the provider work with the tenant's own keys outside it.",
        f"{PPU} §III.A(e): credentials belong to the tenant's app",
        credentials.portability,
    ),
    Scenario(
        "relink-migration",
        "Moving users off the old shared app",
        "Users linked under a suspended shared app are refused, reported and re-linked under the tenant's app.",
        f"{PPU} §III.A(e); X's Bring Your Own App mandate (March 2026)",
        consent.relink_migration,
        provokes=frozenset({"own-app", "service-bureau"}),  # its premise: users linked under the shared app
    ),
    Scenario(
        "link-state",
        "Link state as X sees it",
        "After unlinking nothing reaches X with the user's token; after linking again, posts do.",
        f"{PPU} §III.A(e); X Developer Policy: respect users' revocation of access",
        consent.link_state_from_x,
        frozenset({C.UNLINK_RELINK}),
    ),
    Scenario(
        "rotation-before-firing",
        "Keys rotated before a scheduled post fires",
        "A scheduled post fires with the tenant's keys current at firing time, and the user stays linked.",
        f"{PPU} §III.G: keep credentials private; {POLICY}: do not use credentials owned by others",
        tokens.rotation_before_firing,
        frozenset({C.SCHEDULING}),
    ),
    Scenario(
        "scheduled-after-expiry",
        "Scheduled posts after token expiry",
        "A post scheduled long after authorisation is published (OAuth 2.0 tokens live two hours).",
        "X OAuth 2.0: access tokens expire after 7,200 s; refresh tokens are single use",
        tokens.scheduled_after_expiry,
        frozenset({C.SCHEDULING, C.OAUTH2}),
    ),
    Scenario(
        "refresh-discipline",
        "OAuth 2.0 refresh discipline",
        "Expired tokens are refreshed once, the new refresh token kept, none reused under concurrency.",
        "X OAuth 2.0: refresh tokens are single use (reuse: 400 invalid_request)",
        tokens.refresh_discipline,
        frozenset({C.OAUTH2}),
    ),
    Scenario(
        "no-duplicates-across-accounts",
        "No identical content across accounts",
        "The provider does not push identical content across accounts; a 403 duplicate is final.",
        f"{POLICY}, Automation: never post identical or substantially similar content across accounts",
        behaviour.no_duplicates_across_accounts,
        frozenset({C.MULTI_ACCOUNT}),
        provokes=frozenset({"duplicate-content"}),  # it asks for one post twice, to see X's refusal is final
    ),
    Scenario(
        "rate-limit-respect",
        "Rate limits respected",
        "After a 429, no request to that endpoint for that user before the reset.",
        f"{PPU} §III.D: rate limits must not be exceeded or circumvented",
        behaviour.rate_limit_respect,
    ),
    Scenario(
        "rate-limits-read-delete",
        "Rate limits respected when reading and deleting",
        "After a 429 on reading or deleting, no request to that endpoint for that user before the reset.",
        f"{PPU} §III.D: rate limits must not be exceeded or circumvented",
        behaviour.rate_limits_read_delete,
        frozenset({C.READ, C.DELETE}),
    ),
    Scenario(
        "credits-exhaustion",
        "Out of credits",
        "A 402 is reported clearly and not retried in a loop.",
        f"{PPU} §VII: requests are denied when the credit balance is insufficient",
        behaviour.credits_exhaustion,
    ),
    Scenario(
        "retry-idempotency",
        "Retries without double posting",
        "On 503 the provider retries with backoff; after a lost answer it does not post twice.",
        f"{POLICY}, Automation: no duplicative posting",
        behaviour.retry_idempotency,
    ),
    Scenario(
        "rss-under-byo",
        "RSS-to-X under BYO",
        "RSS auto-posting is refused, as credentials come with each request and are never stored.",
        f"{PPU} §III.G; X's Bring Your Own App mandate",
        behaviour.rss_under_byo,
    ),
    Scenario(
        "single-use-case",
        "One app per use case",
        "The provider does not register per-customer white-label apps under its own developer account.",
        f"{POLICY}: no multiple applications for a single use case; white-label versions need approval",
        credentials.single_use_case,
    ),
    Scenario(
        "display-attribution",
        "Attribution when displaying posts",
        "Rendered posts show the author's name, @username and a link to the post.",
        "X Display Requirements",
        behaviour.display_attribution,
        frozenset({C.RENDER}),
    ),
    Scenario(
        "webhooks-own-app",
        "Receiving under the tenant's own app",
        "Every webhook and subscription for a tenant's users belongs to the tenant's own app; events reach the tenant.",
        f"{PPU} §III.A(e) (service bureau); X's Account Activity API: CRC and deliveries signed with the app's secret",
        receiving.webhooks_own_app,
        frozenset({C.RECEIVE}),
    ),
]

SUITES: dict[str, list[Scenario]] = {"x-byo-2026": X_BYO_2026}
# A suite's version changes whenever a scenario or a run-wide rule of it changes what it accepts.
SUITE_VERSIONS: dict[str, str] = {"x-byo-2026": "2026.3"}
DESCRIPTIONS: dict[str, str] = {"x-byo-2026": "X's Bring Your Own App mandate (March 2026) for social media providers"}

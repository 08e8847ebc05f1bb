"""Demo data: one developer account, one app, a few users, and ready OAuth 1.0a tokens."""

from __future__ import annotations

from dataclasses import dataclass

from xmock.simulator.core import Simulator
from xmock.simulator.models import Account, App, OAuth1Token, User


@dataclass(frozen=True)
class Demo:
    account: Account
    app: App
    users: list[User]
    tokens: list[OAuth1Token]


# Under a seed the demo is made as of this instant, so its snowflake ids (and the tokens that start
# with a user's id) repeat from one start to the next; the clock then runs from real time again.
SEEDED_DEMO_TIME = 1735689600.0  # 2025-01-01T00:00:00Z


def seed_demo(sim: Simulator, base_url: str, users: int = 3) -> Demo:
    state = sim.clock.state()
    pinned = sim.settings.seed is not None and not state.frozen and state.offset == 0
    if pinned:
        sim.clock.freeze(SEEDED_DEMO_TIME)
    try:
        return _make(sim, base_url, users)
    finally:
        if pinned:
            sim.clock.reset()


def _make(sim: Simulator, base_url: str, users: int) -> Demo:
    account = sim.create_account("Demo Developer")
    app = sim.create_app(
        account.id,
        "Demo App",
        use_case="Post scheduled updates for our own brand account.",
        callback_urls=[f"{base_url}/callback", "https://app.example/callback"],
        permission="read-write",
        website="https://app.example",
    )
    people = [sim.create_user(account_id=account.id) for _ in range(users)]
    tokens = [sim.mint_oauth1_token(app.id, u.id) for u in people]
    return Demo(account, app, people, tokens)


def example_request(base_url: str, demo: Demo) -> str:
    """A signed request anyone can paste into a shell once xmock is installed."""
    token = demo.tokens[0]
    return (
        '.venv/bin/python -c "from requests_oauthlib import OAuth1Session as S; '
        f"s = S('{demo.app.consumer_key}', client_secret='{demo.app.consumer_secret}', "
        f"resource_owner_key='{token.token}', resource_owner_secret='{token.secret}'); "
        f"print(s.post('{base_url}/2/tweets', json={{'text': 'Hello from xmock'}}).text); "
        f"print(s.get('{base_url}/2/users/me').text)\""
    )

"""The `xmock` command."""

from __future__ import annotations

import argparse
import sys

import uvicorn
from rich.console import Console
from rich.table import Table

from xmock.simulator.config import CONSENT_MODES, Settings
from xmock.simulator.core import Simulator
from xmock.simulator.demo import example_request, seed_demo
from xmock.simulator.redact import redact_url
from xmock.simulator.server import uvicorn_config
from xmock.simulator.workers import run_server


def _settings(args: argparse.Namespace) -> Settings:
    settings = Settings.from_toml(args.config) if args.config else Settings()
    changes = {}
    if args.seed is not None:
        changes["seed"] = args.seed
    if args.consent is not None:
        changes["consent_mode"] = args.consent
    if args.store is not None:
        changes["store"] = args.store
    if args.namespace is not None:
        changes["namespace"] = args.namespace
    return settings.updated(**changes)


def _simulator(settings: Settings, join: bool) -> Simulator:
    """A simulator on the configured store: a fresh world, or (join) the one already in Redis."""
    sim = Simulator(settings, join=join)
    if not join:
        sim.reset()  # a Redis namespace may hold an earlier run's world
    return sim


def serve(args: argparse.Namespace) -> int:
    console = Console()
    try:
        settings = _settings(args)
    except (OSError, ValueError) as exc:
        console.print(f"[red]xmock: bad configuration:[/red] {exc}")
        return 2
    if args.workers < 1:
        console.print("[red]xmock: --workers must be at least 1[/red]")
        return 2
    if args.join and settings.store == "memory":
        console.print("[red]xmock: --join needs a shared store (--store redis://HOST:PORT/DB)[/red]")
        return 2
    try:
        sim = _simulator(settings, args.join)
    except ConnectionError as exc:
        console.print(f"[red]xmock: {exc}[/red]")
        return 2
    base = f"http://{args.host}:{args.port}"
    if not args.no_demo and not args.join:
        demo = seed_demo(sim, base)
        table = Table(title="xmock demo data", show_header=False)
        table.add_row("base URL", base)
        table.add_row("developer account", f"{demo.account.name} ({demo.account.id})")
        table.add_row("app", f"{demo.app.name} ({demo.app.id}, {demo.app.permission})")
        table.add_row("consumer key", demo.app.consumer_key)
        table.add_row("consumer secret", demo.app.consumer_secret)
        for user, token in zip(demo.users, demo.tokens, strict=True):
            table.add_row(f"@{user.username}", f"id {user.id}\ntoken  {token.token}\nsecret {token.secret}")
        console.print(table)
        console.print("Try a signed request:")
        console.print(example_request(base, demo), soft_wrap=True, highlight=False)
    where = (
        "in memory"
        if settings.store == "memory"
        else f"in {redact_url(settings.store)} (namespace {settings.namespace})"
    )
    console.print(f"State {where}; {args.workers} worker process{'es' if args.workers > 1 else ''}.")
    if args.workers > 1 and settings.store == "memory":
        console.print(
            "[yellow]Each worker keeps its own copy of the in-memory state from the moment it starts: "
            "posts, tokens, credits and the clock are not shared. Use --store redis://HOST:PORT/DB "
            "for one world across workers.[/yellow]"
        )
    console.print(f"Control API: {base}/_xmock/health   (Ctrl+C stops)")
    return run_server(sim, args.host, args.port, args.workers, access_log=args.access_log)


def provider(args: argparse.Namespace) -> int:
    from xmock.adapters.reference.provider import ReferenceProvider
    from xmock.adapters.reference.service import create_service

    service = create_service(ReferenceProvider(args.x_url, args.callback_url))
    Console().print(
        f"Reference provider API on http://{args.host}:{args.port}/v1 (X at {args.x_url}); "
        "see adapters/configs/reference.toml for its operations."
    )
    uvicorn.Server(uvicorn_config(service, args.host, args.port)).run()
    return 0


def certify_command(args: argparse.Namespace) -> int:
    from xmock.scenarios.certify_cli import run

    return run(args)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="xmock", description="A high-fidelity simulator of the X API.")
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("serve", help="run the simulator (with demo data unless --no-demo)")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8000)
    p.add_argument("--seed", type=int, default=2026, help="seed for ids, keys and generated users (default 2026)")
    p.add_argument("--config", help="TOML file with a [simulator] table of settings")
    p.add_argument("--consent", choices=CONSENT_MODES, help="consent screen: page, approve or deny")
    p.add_argument("--no-demo", action="store_true", help="start empty")
    p.add_argument("--access-log", action="store_true", help="log every request (slower)")
    p.add_argument("--store", help='where state lives: "memory" (default) or redis://HOST:PORT/DB, shared by all')
    p.add_argument("--namespace", help="key namespace in Redis, so several simulators can share one (default: default)")
    p.add_argument("--workers", type=int, default=1, help="server processes on the one port (default 1)")
    p.add_argument(
        "--join",
        action="store_true",
        help="serve the world already in the Redis namespace (another host's), without resetting or seeding it",
    )
    p.set_defaults(func=serve)
    p = sub.add_parser("provider", help="run a bundled provider service against a simulator")
    p.add_argument("name", choices=["reference"], help="the provider to run")
    p.add_argument("--x-url", required=True, help="the simulator's base URL, e.g. http://127.0.0.1:8000")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=9000)
    p.add_argument(
        "--callback-url",
        default="https://provider.example/x/callback",
        help="the OAuth 1.0a callback it registers with (must be one of the tenant app's)",
    )
    p.set_defaults(func=provider)
    p = sub.add_parser("certify", help="run a certification suite against a provider adapter")
    p.add_argument(
        "--adapter",
        required=True,
        help="bundled name (reference, legacy-shared, tweepy, xdk, http), "
        "an entry point of xmock.adapters, or module:Class",
    )
    p.add_argument("--suite", default="x-byo-2026")
    p.add_argument("--simulator", help="URL of a running simulator (default: start one in-process)")
    p.add_argument("--report", default="reports", help="folder for the JUnit XML, JSON and HTML reports")
    p.add_argument(
        "--option",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="an adapter option, e.g. provider_url=http://127.0.0.1:9000 (repeatable)",
    )
    p.add_argument("--only", action="append", help="run only this scenario (repeatable)")
    p.set_defaults(func=certify_command)
    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())

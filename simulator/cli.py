"""The `xmock` command."""

from __future__ import annotations

import argparse
import errno
import json
import os
import socket
import sys
from importlib.metadata import PackageNotFoundError, version
from typing import Any

import uvicorn
from rich.console import Console
from rich.table import Table

from xmock.simulator import seed, snapshot
from xmock.simulator.config import CONSENT_MODES, Settings
from xmock.simulator.control.guard import ENV_VAR as CONTROL_TOKEN_ENV
from xmock.simulator.control.guard import control_token
from xmock.simulator.core import Simulator
from xmock.simulator.demo import Demo, example_request, seed_demo
from xmock.simulator.redact import redact_url
from xmock.simulator.server import uvicorn_config
from xmock.simulator.workers import listen, run_server


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


def _declared_world(sim: Simulator, args: argparse.Namespace) -> None:
    """--load replaces the world with a snapshot; then the config's world tables are made in it."""
    if args.load:
        sim.restore(snapshot.read_file(args.load))
    if args.config and not args.join:  # a joined world was declared by the process that made it
        seed.apply(sim, seed.read_toml(args.config), str(args.config))


def port_number(text: str) -> int:
    """A TCP port, 0..65535; 0 asks the system for any free port."""
    try:
        port = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a port number: {text!r}") from None
    if not 0 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"a port is between 0 and 65535 (0: any free port), not {port}")
    return port


def _bind(host: str, port: int) -> socket.socket | str:
    """The listening socket, or one line saying why there is none."""
    try:
        return listen(host, port)
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            return f"port {port} on {host} is already in use; choose another with --port"
        return f"cannot listen on {host} port {port}: {exc.strerror or exc}; check --host and --port"


def _base_url(host: str, port: int) -> str:
    return f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"


def banner_data(base: str, demo: Demo | None, token: str | None) -> dict[str, Any]:
    """What the banner shows, as `xmock serve --json` prints it."""
    data: dict[str, Any] = {"base_url": base, "control_url": f"{base}/_xmock", "control_token": token}
    if demo is None:
        return {**data, "account": None, "app": None, "users": []}
    app = demo.app
    return {
        **data,
        "account": {"id": demo.account.id, "name": demo.account.name},
        "app": {
            "id": app.id,
            "name": app.name,
            "permission": app.permission,
            "consumer_key": app.consumer_key,
            "consumer_secret": app.consumer_secret,
            "client_id": app.client_id,
            "client_secret": app.client_secret,
        },
        "users": [
            {"id": u.id, "username": u.username, "token": t.token, "token_secret": t.secret}
            for u, t in zip(demo.users, demo.tokens, strict=True)
        ],
    }


def _print_banner(console: Console, data: dict[str, Any], demo: Demo | None) -> None:
    """Tokens are never cut: a table that folds long values on a terminal, plain lines otherwise."""
    rows: list[tuple[str, str]] = [("base URL", data["base_url"])]
    if data["control_token"]:
        rows.append(("control token", data["control_token"]))
    if demo is not None:
        rows += [
            ("developer account", f"{demo.account.name} ({demo.account.id})"),
            ("app", f"{demo.app.name} ({demo.app.id}, {demo.app.permission})"),
            ("consumer key", demo.app.consumer_key),
            ("consumer secret", demo.app.consumer_secret),
        ]
        for user in data["users"]:
            value = f"id {user['id']}\ntoken  {user['token']}\nsecret {user['token_secret']}"
            rows.append((f"@{user['username']}", value))
    if console.is_terminal:
        table = Table(title="xmock demo data" if demo else "xmock", show_header=False)
        table.add_column(no_wrap=True)
        table.add_column(overflow="fold")
        for row in rows:
            table.add_row(*row)
        console.print(table)
    else:
        for label, value in rows:
            lines = value.split("\n")
            print(f"{label + ':':<20} {lines[0]}")
            for line in lines[1:]:
                print(f"{'':<20} {line}")
    if demo is not None:
        console.print("Try a signed request:")
        console.print(example_request(data["base_url"], demo), soft_wrap=True, highlight=False)


def serve(args: argparse.Namespace) -> int:
    err = Console(stderr=True, soft_wrap=True)
    try:
        settings = _settings(args)
    except (OSError, ValueError) as exc:
        err.print(f"[red]xmock: bad configuration:[/red] {exc}", highlight=False)
        return 2
    if args.workers < 1:
        err.print("[red]xmock: --workers must be at least 1[/red]")
        return 2
    if args.join and settings.store == "memory":
        err.print("[red]xmock: --join needs a shared store (--store redis://HOST:PORT/DB)[/red]")
        return 2
    # Bind before anything is printed: no credentials for a server that never starts.
    sock = _bind(args.host, args.port)
    if isinstance(sock, str):
        err.print(f"[red]xmock: {sock}[/red]", highlight=False)
        return 2
    try:
        sim = _simulator(settings, args.join)
    except ConnectionError as exc:
        sock.close()
        err.print(f"[red]xmock: {exc}[/red]", highlight=False)
        return 2
    base = _base_url(args.host, sock.getsockname()[1])
    token = control_token(args.host, args.control_token)
    demo = seed_demo(sim, base) if not args.no_demo and not args.join and not args.load else None
    try:
        _declared_world(sim, args)
    except (OSError, ValueError) as exc:
        sock.close()
        err.print(f"[red]xmock: cannot start from that world:[/red] {exc}", highlight=False)
        return 2
    data = banner_data(base, demo, token)
    # With --json, stdout holds the one JSON document; everything else goes to stderr.
    out = err if args.json else Console()
    if args.json:
        print(json.dumps(data), flush=True)
    else:
        _print_banner(out, data, demo)
    where = "in memory"
    if settings.store != "memory":
        where = f"in {redact_url(settings.store)} (namespace {settings.namespace})"
        node_url = getattr(sim.store, "node_url", settings.store)
        if node_url != settings.store:  # a Redis Cluster: the world lives on the master holding its slot
            where = where[:-1] + f", on the Redis Cluster master {redact_url(node_url)})"
    out.print(f"State {where}; {args.workers} worker process{'es' if args.workers > 1 else ''}.", highlight=False)
    if args.workers > 1 and settings.store == "memory":
        out.print(
            "[yellow]Each worker keeps its own copy of the in-memory state from the moment it starts: "
            "posts, tokens, credits and the clock are not shared. Use --store redis://HOST:PORT/DB "
            "for one world across workers.[/yellow]"
        )
    guarded = " (send Authorization: Bearer <control token>; /_xmock/health is open)" if token else ""
    out.print(f"Control API: {base}/_xmock/health{guarded}   (Ctrl+C stops)", highlight=False)
    return run_server(sim, sock, args.workers, access_log=args.access_log, control_token=token)


def provider(args: argparse.Namespace) -> int:
    from xmock.adapters.reference.provider import ReferenceProvider
    from xmock.adapters.reference.service import create_service

    service = create_service(ReferenceProvider(args.x_url, args.callback_url, public_url=args.public_url))
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
    parser.add_argument("--version", action="version", version=f"xmock {_version()}")
    sub = parser.add_subparsers(dest="command", metavar="{serve,provider,certify}")
    p = sub.add_parser("serve", help="run the simulator (with demo data unless --no-demo)")
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    p.add_argument("--port", type=port_number, default=8000, help="0..65535; 0 picks a free port (default 8000)")
    p.add_argument(
        "--control-token",
        default=os.environ.get(CONTROL_TOKEN_ENV) or None,
        metavar="TOKEN",
        help="token the control API (/_xmock/) asks for as Authorization: Bearer TOKEN; off loopback one is "
        f"generated when not given (default: ${CONTROL_TOKEN_ENV})",
    )
    p.add_argument("--json", action="store_true", help="print the banner's data as one JSON document on stdout")
    p.add_argument("--seed", type=int, default=2026, help="seed for ids, keys and generated users (default 2026)")
    p.add_argument("--config", help="TOML file with a [simulator] table of settings")
    p.add_argument("--consent", choices=CONSENT_MODES, help="consent screen: page, approve or deny")
    p.add_argument("--no-demo", action="store_true", help="start empty")
    p.add_argument("--load", help="start from a snapshot (JSON from GET /_xmock/snapshot); no demo world")
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
    p.add_argument("--port", type=port_number, default=9000)
    p.add_argument(
        "--callback-url",
        default="https://provider.example/x/callback",
        help="the OAuth 1.0a callback it registers with (must be one of the tenant app's)",
    )
    p.add_argument("--public-url", help="where X reaches its webhooks (default: the URL a tenant calls it by)")
    p.set_defaults(func=provider)
    p = sub.add_parser("certify", help="run a certification suite against a provider adapter")
    p.add_argument(
        "--adapter",
        help="bundled name (reference, legacy-shared, tweepy, xdk, http), "
        "an entry point of xmock.adapters, or module:Class (needed unless --list or --verify)",
    )
    p.add_argument("--list", action="store_true", help="show the suites and their scenarios, and run nothing")
    p.add_argument("--verify", metavar="REPORT.json", help="check a JSON report's SHA-256 digest, and run nothing")
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
    p.add_argument(
        "--control-token",
        default=os.environ.get(CONTROL_TOKEN_ENV) or None,
        metavar="TOKEN",
        help=f"the --simulator's control token, when it asks for one (default: ${CONTROL_TOKEN_ENV})",
    )
    p.set_defaults(func=certify_command)
    args = parser.parse_args(argv)
    if args.command is None:  # a bare `xmock`: what it can do, and argparse's status for missing input
        parser.print_help(sys.stderr)
        return 2
    return args.func(args)


def _version() -> str:
    try:
        return version("xmock")
    except PackageNotFoundError:
        return "unknown (not installed)"


if __name__ == "__main__":
    sys.exit(main())

"""`xmock certify`: live progress, a summary table, reports, and an exit code for CI."""

from __future__ import annotations

import argparse

import httpx
from rich.console import Console
from rich.table import Table

from xmock.scenarios.base import ScenarioResult, Verdict
from xmock.scenarios.report import write_reports
from xmock.scenarios.runner import bundled_factory, certify
from xmock.scenarios.suite import SUITES
from xmock.simulator.control.guard import ENV_VAR, control_headers

STYLE = {Verdict.PASS: "green", Verdict.FAIL: "red", Verdict.SKIP: "dim"}


def _options(pairs: list[str]) -> dict[str, str]:
    options = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key:
            raise ValueError(f"--option takes KEY=VALUE, got {pair!r}")
        options[key] = value
    return options


def _check_only(suite: str, only: list[str] | None) -> None:
    known = [s.id for s in SUITES[suite]]
    unknown = [i for i in only or [] if i not in known]
    if unknown:
        raise ValueError(f"suite {suite} has no scenario {', '.join(unknown)}; its scenarios: {', '.join(known)}")


def _check_simulator(url: str, token: str | None) -> None:
    """ValueError unless a simulator answers at `url` and lets this token use its control API."""
    try:
        answer = httpx.get(url.rstrip("/") + "/_xmock/clock", headers=control_headers(token), timeout=10)
    except httpx.HTTPError as exc:
        raise ValueError(f"no simulator answers at {url} ({type(exc).__name__}); check --simulator") from None
    if answer.status_code == 401:
        raise ValueError(f"the simulator at {url} asks for its control token: give --control-token or ${ENV_VAR}")
    if answer.status_code != 200:
        raise ValueError(f"{url} does not look like an xmock simulator (GET /_xmock/clock: {answer.status_code})")


def run(args: argparse.Namespace) -> int:
    console = Console()
    token = getattr(args, "control_token", None)
    try:
        factory = bundled_factory(args.adapter, _options(args.option))
        if args.suite not in SUITES:
            raise ValueError(f"unknown suite {args.suite}; known: {', '.join(SUITES)}")
        _check_only(args.suite, args.only)
        if args.simulator is not None:
            _check_simulator(args.simulator, token)
    except (ValueError, ImportError, AttributeError) as exc:
        Console(stderr=True, soft_wrap=True).print(f"[red]xmock certify:[/red] {exc}", highlight=False)
        return 2
    server = None
    url = args.simulator
    if url is None:
        from xmock.simulator.server import ServerThread

        server = ServerThread(control_token=token).start()
        url = server.base_url
    total = len([s for s in SUITES[args.suite] if not args.only or s.id in args.only])
    done = 0

    def show(result: ScenarioResult) -> None:
        nonlocal done
        done += 1
        style = STYLE[result.verdict]
        note = f" — {result.reason}" if result.reason else ""
        console.print(f"[{done}/{total}] [{style}]{result.verdict.upper():4}[/{style}] {result.scenario.id}{note}")

    console.print(f"Certifying [bold]{args.adapter}[/bold] against suite {args.suite} (simulator {url})")
    try:
        with console.status("running scenarios..."):
            result = certify(
                args.adapter, factory, url, args.suite, on_result=show, only=args.only, control_token=token
            )
    finally:
        if server is not None:
            server.stop()
    table = Table(title=f"{args.suite}: {args.adapter}")
    for column in ("scenario", "verdict", "why"):
        table.add_column(column)
    for r in result.results:
        table.add_row(r.scenario.id, f"[{STYLE[r.verdict]}]{r.verdict}[/{STYLE[r.verdict]}]", r.reason)
    console.print(table)
    paths = write_reports(result, args.report)
    console.print(
        f"Verdict: [{STYLE[result.verdict]}]{result.verdict.upper()}[/{STYLE[result.verdict]}]  "
        f"{result.counts()}  reports: " + ", ".join(str(p) for p in paths.values())
    )
    return 1 if result.verdict == Verdict.FAIL else 0

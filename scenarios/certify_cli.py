"""`xmock certify`: live progress, a summary table, reports, and an exit code for CI."""

from __future__ import annotations

import argparse

from rich.console import Console
from rich.table import Table

from xmock.scenarios.base import ScenarioResult, Verdict
from xmock.scenarios.report import write_reports
from xmock.scenarios.runner import bundled_factory, certify
from xmock.scenarios.suite import SUITES

STYLE = {Verdict.PASS: "green", Verdict.FAIL: "red", Verdict.SKIP: "dim"}


def _options(pairs: list[str]) -> dict[str, str]:
    options = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key:
            raise ValueError(f"--option takes KEY=VALUE, got {pair!r}")
        options[key] = value
    return options


def run(args: argparse.Namespace) -> int:
    console = Console()
    try:
        factory = bundled_factory(args.adapter, _options(args.option))
        if args.suite not in SUITES:
            raise ValueError(f"unknown suite {args.suite}; known: {', '.join(SUITES)}")
    except (ValueError, ImportError, AttributeError) as exc:
        console.print(f"[red]xmock certify:[/red] {exc}")
        return 2
    server = None
    url = args.simulator
    if url is None:
        from xmock.simulator.server import ServerThread

        server = ServerThread().start()
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
            result = certify(args.adapter, factory, url, args.suite, on_result=show, only=args.only)
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

"""`xmock certify`: live progress, a summary table, reports with their digest, and an exit code for CI.
`--list` shows the suites and their scenarios; `--verify FILE` checks a JSON report's digest."""

from __future__ import annotations

import argparse
import json

import httpx
from rich.console import Console
from rich.table import Table

from xmock.scenarios.base import ScenarioResult, Verdict
from xmock.scenarios.probe import NEEDS, Observed
from xmock.scenarios.report import verify, write_reports
from xmock.scenarios.runner import bundled_factory, certify
from xmock.scenarios.suite import DESCRIPTIONS, SUITE_VERSIONS, SUITES
from xmock.simulator.control.guard import ENV_VAR, control_headers

STYLE = {Verdict.PASS: "green", Verdict.FAIL: "red", Verdict.NOT_CERTIFIED: "yellow", Verdict.NOT_APPLICABLE: "dim"}


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
        answer = httpx.get(url.rstrip("/") + "/_xmock/settings", headers=control_headers(token), timeout=10)
    except httpx.HTTPError as exc:
        raise ValueError(f"no simulator answers at {url} ({type(exc).__name__}); check --simulator") from None
    if answer.status_code == 401:
        raise ValueError(f"the simulator at {url} asks for its control token: give --control-token or ${ENV_VAR}")
    if answer.status_code != 200:
        raise ValueError(f"{url} does not look like an xmock simulator (GET /_xmock/settings: {answer.status_code})")


def list_suites(console: Console) -> int:
    """One line per scenario (plain lines, so they survive narrow terminals and pipes)."""
    for suite, scenarios in SUITES.items():
        console.print(f"{suite} (version {SUITE_VERSIONS[suite]}): {DESCRIPTIONS.get(suite, '')}", highlight=False)
        for s in scenarios:
            needs = " and ".join(NEEDS[c].applies for c in sorted(s.needs) if c in NEEDS)
            when = f" (applies when the provider {needs})" if needs else ""
            console.print(f"  {s.id}: {s.title}{when}", soft_wrap=True, highlight=False)
    return 0


def verify_report(path: str, console: Console) -> int:
    try:
        with open(path, encoding="utf-8") as f:
            report = json.load(f)
    except (OSError, ValueError) as exc:
        Console(stderr=True, soft_wrap=True).print(f"[red]xmock certify:[/red] cannot read {path}: {exc}")
        return 2
    if not isinstance(report, dict) or not verify(report):
        console.print(f"[red]{path}: the SHA-256 digest does not match: the report was edited or is not one[/red]")
        return 1
    console.print(f"{path}: digest {report['digest']['sha256']} matches (run {report.get('run_id')})")
    return 0


def run(args: argparse.Namespace) -> int:
    console = Console()
    if getattr(args, "list", False):
        return list_suites(console)
    if getattr(args, "verify", None):
        return verify_report(args.verify, console)
    token = getattr(args, "control_token", None)
    try:
        if not args.adapter:
            raise ValueError("give --adapter NAME (or --list to see the suites, --verify FILE to check a report)")
        factory = bundled_factory(args.adapter, _options(args.option))
        if args.suite not in SUITES:
            raise ValueError(f"unknown suite {args.suite}; known: {', '.join(SUITES)}")
        _check_only(args.suite, args.only)
        if args.simulator is not None:
            _check_simulator(args.simulator, token)
    except (ValueError, ImportError, AttributeError) as exc:
        Console(stderr=True, soft_wrap=True).print(f"[red]xmock certify:[/red] {exc}", highlight=False)
        return 2
    total = len([s for s in SUITES[args.suite] if not args.only or s.id in args.only])
    done = 0

    def seen(observed: Observed) -> None:
        console.print("The provider was seen to: " + ("; ".join(observed.notes) or "nothing observable"))

    def show(result: ScenarioResult) -> None:
        nonlocal done
        done += 1
        style = STYLE[result.verdict]
        note = f" — {result.reason}" if result.reason else ""
        console.print(f"[{done}/{total}] [{style}]{result.verdict.upper()}[/{style}] {result.scenario.id}{note}")

    where = args.simulator or "started for this run, its control API locked with a token of the run's own"
    console.print(f"Certifying [bold]{args.adapter}[/bold] against suite {args.suite} (simulator: {where})")
    with console.status("running scenarios..."):
        result = certify(
            args.adapter,
            factory,
            args.simulator,
            args.suite,
            on_result=show,
            only=args.only,
            control_token=token,
            on_probe=seen,
        )
    table = Table(title=f"{args.suite}: {args.adapter}")
    for column in ("scenario", "verdict", "why"):
        table.add_column(column)
    for r in result.results:
        table.add_row(r.scenario.id, f"[{STYLE[r.verdict]}]{r.verdict}[/{STYLE[r.verdict]}]", r.reason)
    console.print(table)
    paths = write_reports(result, args.report)
    digest = json.loads(paths["json"].read_text(encoding="utf-8"))["digest"]["sha256"]
    why = f" ({result.why})" if result.why else ""
    console.print(
        f"Verdict: [{STYLE[result.verdict]}]{result.verdict.upper()}[/{STYLE[result.verdict]}]{why}  "
        f"{result.counts()}  run {result.run_id}\nreports: " + ", ".join(str(p) for p in paths.values())
    )
    console.print(f"JSON report SHA-256: {digest}", soft_wrap=True, highlight=False)
    return 0 if result.verdict == Verdict.PASS else 1

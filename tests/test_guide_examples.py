"""docs/testing-your-integration.md, run: its python blocks, in order, are one test module run in a fresh pytest
session (the plugin loads from its entry point, as in a project that installed xmock), and each toml block whose
first line is `# <file name>` is that file beside it. The guide cannot drift from what xmock does."""

from __future__ import annotations

import ast
import re

from docs_support import ROOT, code_blocks, section

pytest_plugins = ["pytester"]

GUIDE = ROOT / "docs" / "testing-your-integration.md"
README = ROOT / "README.md"

# The tests the guide shows failing on purpose, and the line their failure starts with (the guide shows it too).
FAILS_ON_PURPOSE = {
    "test_declares_a_stub_it_never_uses": "declared but never used (no request matched; pass required=False",
    "test_forgets_x_mock": "xmock refused a request to the real X (api.twitter.com): use the `x_mock` fixture",
}


def guide_module() -> str:
    return "\n\n".join(code_blocks(GUIDE.read_text(), "python"))


def test_the_guides_examples_run_in_a_fresh_session(pytester):
    source = guide_module()
    tests = [node.name for node in ast.parse(source).body if getattr(node, "name", "").startswith("test_")]
    assert set(FAILS_ON_PURPOSE) <= set(tests)
    pytester.makepyfile(test_guide=source)
    files = {}
    for block in code_blocks(GUIDE.read_text(), "toml"):
        name = re.match(r"# ([\w.-]+\.toml)\n", block)
        if name:
            files[name.group(1)] = block
    assert files, "the guide declares a world in a toml file"
    for name, text in files.items():
        (pytester.path / name).write_text(text)

    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", "-rf")

    result.assert_outcomes(passed=len(tests) - len(FAILS_ON_PURPOSE), failed=len(FAILS_ON_PURPOSE))
    failed = {line.split("::")[1].split(" ")[0] for line in result.stdout.lines if line.startswith("FAILED ")}
    assert failed == set(FAILS_ON_PURPOSE)
    for message in FAILS_ON_PURPOSE.values():
        result.stdout.fnmatch_lines([f"*{message}*"])


def test_the_guide_shows_the_failures_as_pytest_prints_them():
    shown = "\n".join(code_blocks(GUIDE.read_text(), "text"))
    for message in FAILS_ON_PURPOSE.values():
        assert message in shown, message


def github_anchor(heading: str) -> str:
    """The anchor GitHub gives a Markdown heading."""
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


def test_the_guides_links_into_the_readme_name_its_sections():
    anchors = {github_anchor(line.lstrip("#")) for line in README.read_text().splitlines() if line.startswith("#")}
    links = re.findall(r"\(\.\./README\.md#([\w-]+)\)", GUIDE.read_text())
    assert len(links) >= 10
    assert sorted(set(links) - anchors) == []


def test_the_readme_points_newcomers_to_the_guide():
    readme = README.read_text()
    link = "(docs/testing-your-integration.md)"
    assert link in section(readme, "## Quick start", "## What the simulator does today")
    assert link in section(readme, "## Use it in your tests", "## Time that clients feel")
    steps = {github_anchor(line.lstrip("#")) for line in GUIDE.read_text().splitlines() if line.startswith("## ")}
    anchors = re.findall(r"\(docs/testing-your-integration\.md#([\w-]+)\)", readme)
    assert anchors and sorted(set(anchors) - steps) == []

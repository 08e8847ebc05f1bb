"""An earlier version of xmock, importable beside this one, so that a benchmark can measure both in one run.

`checkout(ref)` extracts the commit `ref` of this repository (`git archive`) into a temporary folder
and lays its folders out as the `xmock` package its `pyproject.toml` maps them to. A process started
with that folder on `PYTHONPATH`, and a working directory outside the repository, imports the earlier
code as `xmock`. Comparing two versions on a shared machine is only fair within one run: the same
rounds, the same load, the same noise.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
import tomllib
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


class BaselineError(RuntimeError):
    """The earlier version cannot be laid out (no git repository, an unknown ref, no package map)."""


def checkout(ref: str, repo: Path = REPO) -> Path:
    """A temporary folder holding `ref`'s code as the `xmock` package; the caller removes it (`remove`)."""
    if shutil.which("git") is None or not (repo / ".git").exists():
        raise BaselineError(f"--baseline needs xmock's git repository; {repo} is not one")
    root = Path(tempfile.mkdtemp(prefix="xmock-baseline-"))
    try:
        src = root / "src"
        src.mkdir()
        archive = subprocess.run(["git", "-C", str(repo), "archive", ref], capture_output=True, check=False)
        if archive.returncode != 0:
            raise BaselineError(f"git cannot archive {ref!r}: {archive.stderr.decode(errors='replace').strip()}")
        subprocess.run(["tar", "-x", "-C", str(src)], input=archive.stdout, check=True)
        _lay_out(src, root / "pkg")
        return root / "pkg"
    except BaseException:
        shutil.rmtree(root, ignore_errors=True)
        raise


def remove(pkg: Path) -> None:
    shutil.rmtree(pkg.parent, ignore_errors=True)


def _lay_out(src: Path, pkg: Path) -> None:
    """Each mapped folder where its package name puts it: `xmock` itself copied, the others linked in."""
    pyproject = tomllib.loads((src / "pyproject.toml").read_text())
    mapping: dict[str, str] = pyproject.get("tool", {}).get("setuptools", {}).get("package-dir", {})
    if "xmock" not in mapping:
        raise BaselineError("that commit's pyproject.toml maps no `xmock` package (older than the namespace)")
    shutil.copytree(src / mapping["xmock"], pkg / "xmock")
    for name, folder in mapping.items():
        if name != "xmock":
            (pkg / name.replace(".", "/")).symlink_to(src / folder, target_is_directory=True)

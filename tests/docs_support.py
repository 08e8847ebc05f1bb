"""Code blocks of the project's Markdown documents, for the tests that keep them working."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def code_blocks(text: str, language: str = "python") -> list[str]:
    """The bodies of the fenced blocks of `language` in `text`, in order."""
    return re.findall(rf"```{re.escape(language)}\n(.*?)```", text, re.S)


def section(text: str, start: str, end: str) -> str:
    """The part of `text` from the heading `start` up to the heading `end`."""
    return text[text.index(start) : text.index(end)]

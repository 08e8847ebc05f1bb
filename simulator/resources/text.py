"""Post text as X measures and annotates it (twitter-text rules)."""

from __future__ import annotations

import html
import re
import unicodedata
import warnings

with warnings.catch_warnings():
    # twitter-text-parser still imports pkg_resources; its deprecation notice is no concern of xmock's users.
    warnings.filterwarnings("ignore", message="pkg_resources is deprecated", category=UserWarning)
    from twitter_text import extract_urls_with_indices, parse_tweet

MAX_WEIGHTED_LENGTH = 280

_MENTION = re.compile(r"(?<![A-Za-z0-9_@])@([A-Za-z0-9_]{1,15})(?![A-Za-z0-9_@])")
_HASHTAG = re.compile(r"(?<![\w#&])#(\w*[^\W\d]\w*)")
_CASHTAG = re.compile(r"(?<![\w$])\$([A-Za-z]{1,6}(?:[._][A-Za-z]{1,2})?)(?![\w$])")


def shown(text: str) -> str:
    """Post text as X hands it out: `&`, `<` and `>` as HTML entities, quotes left alone.

    Stored text, duplicate checks, length and entity indices all use the text as posted."""
    return html.escape(text, quote=False) if ("&" in text or "<" in text or ">" in text) else text


def weighted_length(text: str) -> int:
    """Latin counts 1, CJK and emoji 2, every URL 23, after NFC normalisation."""
    return parse_tweet(unicodedata.normalize("NFC", text)).weightedLength


# Every URL twitter-text finds has a host with a dot between a name and a letter; ASCII text
# without one ("Done. Next", "v1.2", "0.75") holds no URL, and there every character weighs 1.
_MAYBE_HOST = re.compile(r"[A-Za-z0-9-]\.[A-Za-z]")  # TLDs start with a letter; bare IPs are not URLs


def _plain(text: str) -> bool:
    return text.isascii() and not _MAYBE_HOST.search(text)


def too_long(text: str) -> bool:
    if _plain(text):  # no need to parse
        return len(text) > MAX_WEIGHTED_LENGTH
    return weighted_length(text) > MAX_WEIGHTED_LENGTH


def has_url(text: str) -> bool:
    return not _plain(text) and bool(extract_urls_with_indices(text))


def entities(text: str) -> dict[str, list[dict]]:
    out: dict[str, list[dict]] = {}
    mentions = [{"start": m.start(), "end": m.end(), "username": m.group(1)} for m in _MENTION.finditer(text)]
    hashtags = [{"start": m.start(), "end": m.end(), "tag": m.group(1)} for m in _HASHTAG.finditer(text)]
    cashtags = [{"start": m.start(), "end": m.end(), "tag": m.group(1)} for m in _CASHTAG.finditer(text)]
    urls = []
    for u in extract_urls_with_indices(text):
        start, end = u["indices"]
        expanded = u["url"] if "://" in u["url"] else "http://" + u["url"]
        urls.append(
            {
                "start": start,
                "end": end,
                "url": u["url"],
                "expanded_url": expanded,
                "display_url": u["url"].split("://", 1)[-1],
            }
        )
    for key, items in (
        ("mentions", mentions),
        ("hashtags", hashtags),
        ("cashtags", cashtags),
        ("urls", urls),
    ):
        if items:
            out[key] = items
    return out


def mentioned_usernames(text: str) -> list[str]:
    return [m.group(1) for m in _MENTION.finditer(text)]

"""Post text as X measures and annotates it (twitter-text rules)."""

from __future__ import annotations

import hashlib
import html
import re
import unicodedata
import warnings

with warnings.catch_warnings():
    # twitter-text-parser still imports pkg_resources; its deprecation notice is no concern of xmock's users.
    warnings.filterwarnings("ignore", message="pkg_resources is deprecated", category=UserWarning)
    from twitter_text import extract_urls_with_indices, parse_tweet

MAX_WEIGHTED_LENGTH = 280
# X's longest posts (premium long-form) hold 25,000 characters: longer text is refused before any parsing.
MAX_TEXT_CHARS = 25_000
# twitter-text's URL pattern backtracks quadratically over long runs of dotted labels ("www.www.www...");
# a word with more dots than this cannot be a real host or path and is measured without looking for URLs.
_MAX_DOTS_PER_WORD = 64
_MAX_URL_WORD = 4096 + len("https://")  # twitter-text counts no URL longer than 4,096 characters
_WORDS = re.compile(r"\S+")

_MENTION = re.compile(r"(?<![A-Za-z0-9_@])@([A-Za-z0-9_]{1,15})(?![A-Za-z0-9_@])")
_HASHTAG = re.compile(r"(?<![\w#&])#(\w*[^\W\d]\w*)")
_CASHTAG = re.compile(r"(?<![\w$])\$([A-Za-z]{1,6}(?:[._][A-Za-z]{1,2})?)(?![\w$])")


def shown(text: str) -> str:
    """Post text as X hands it out: `&`, `<` and `>` as HTML entities, quotes left alone.

    Stored text, duplicate checks, length and entity indices all use the text as posted."""
    return html.escape(text, quote=False) if ("&" in text or "<" in text or ">" in text) else text


def weighted_length(text: str, stop_above: int | None = None) -> int:
    """Latin counts 1, CJK and emoji 2, every URL 23, after NFC normalisation.

    Measured word by word (a URL never spans whitespace), each distinct word once, so the work stays
    linear in the text: twitter-text on a whole text of URLs is quadratic."""
    text = unicodedata.normalize("NFC", text)
    total = 0
    seen: dict[str, int] = {}
    end = 0
    for m in _WORDS.finditer(text):
        if m.start() > end:
            total += _weigh(text[end : m.start()], seen)
        total += _weigh(m.group(), seen)
        end = m.end()
        if stop_above is not None and total > stop_above:
            return total  # known too long: the rest need not be read
    if end < len(text):
        total += _weigh(text[end:], seen)
    return total


def _weigh(piece: str, seen: dict[str, int]) -> int:
    weight = seen.get(piece)
    if weight is None:
        weight = seen[piece] = parse_tweet(_searchable(piece)).weightedLength
    return weight


def _searchable(word: str) -> str:
    """The word as twitter-text may search it: one longer than any URL, or with absurdly many dots,
    gets its dots as commas (same weight, no URL search)."""
    if len(word) > _MAX_URL_WORD or word.count(".") > _MAX_DOTS_PER_WORD:
        return word.replace(".", ",")
    return word


# Every URL twitter-text finds has a host with a dot between a name and a letter; ASCII text
# without one ("Done. Next", "v1.2", "0.75") holds no URL, and there every character weighs 1.
_MAYBE_HOST = re.compile(r"[A-Za-z0-9-]\.[A-Za-z]")  # TLDs start with a letter; bare IPs are not URLs


def _plain(text: str) -> bool:
    return text.isascii() and not _MAYBE_HOST.search(text)


def too_long(text: str) -> bool:
    if len(text) > MAX_TEXT_CHARS:
        return True  # beyond any X post: not worth parsing
    if _plain(text):  # no need to parse
        return len(text) > MAX_WEIGHTED_LENGTH
    return weighted_length(text, stop_above=MAX_WEIGHTED_LENGTH) > MAX_WEIGHTED_LENGTH


def has_url(text: str) -> bool:
    # A text too long to post is refused anyway; measuring it first keeps the URL search bounded.
    return not _plain(text) and not too_long(text) and bool(_urls(text))


def _urls(text: str) -> list[dict]:
    """twitter-text's URLs with their indices, found word by word (see `weighted_length`)."""
    if "." not in text:
        return []
    found = []
    cache: dict[str, list[dict]] = {}
    for m in _WORDS.finditer(text):
        word = m.group()
        if "." not in word:
            continue
        urls = cache.get(word)
        if urls is None:
            urls = cache[word] = extract_urls_with_indices(_searchable(word))
        for u in urls:
            start, end = u["indices"]
            found.append({"url": u["url"], "indices": [start + m.start(), end + m.start()]})
    return found


def entities(text: str) -> dict[str, list[dict]]:
    out: dict[str, list[dict]] = {}
    mentions = [{"start": m.start(), "end": m.end(), "username": m.group(1)} for m in _MENTION.finditer(text)]
    hashtags = [{"start": m.start(), "end": m.end(), "tag": m.group(1)} for m in _HASHTAG.finditer(text)]
    cashtags = [{"start": m.start(), "end": m.end(), "tag": m.group(1)} for m in _CASHTAG.finditer(text)]
    urls = []
    for u in _urls(text):
        start, end = u["indices"]
        expanded = u["url"] if "://" in u["url"] else "http://" + u["url"]
        urls.append(
            {
                "start": start,
                "end": end,
                "url": tco(expanded),
                "expanded_url": expanded,
                "display_url": display_url(expanded),
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


_BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
_DISPLAY_PATH = 15  # X shows the host and this many characters of what follows it, then "…"


def tco(expanded: str) -> str:
    """The t.co link X wraps a URL in: 23 characters, the same for the same URL (so it can be asserted)."""
    number = int.from_bytes(hashlib.sha256(expanded.encode()).digest()[:8], "big")
    code = []
    for _ in range(10):
        number, digit = divmod(number, 62)
        code.append(_BASE62[digit])
    return "https://t.co/" + "".join(code)


def display_url(expanded: str) -> str:
    """X's display form: no scheme, no `www.`, the path cut after 15 characters with "…"."""
    bare = expanded.split("://", 1)[-1]
    if bare.startswith("www."):
        bare = bare[4:]
    host, slash, rest = bare.partition("/")
    rest = slash + rest
    return host + (rest if len(rest) <= _DISPLAY_PATH else rest[:_DISPLAY_PATH] + "…")


def mentioned_usernames(text: str) -> list[str]:
    if "@" not in text:
        return []  # the pattern's look-behind makes even a miss cost a scan per character
    return [m.group(1) for m in _MENTION.finditer(text)]

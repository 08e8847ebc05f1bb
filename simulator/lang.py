"""A post's language, as X's `lang` gives it: a BCP 47 tag, `und` when unsure, `zxx` for no language.

No language detector is installed, so this is a compact heuristic: the script decides for the languages
that own one (kana: ja, hangul: ko, Han alone: zh, ...); Latin and Cyrillic text is matched against the
commonest short words of a few languages and answered only when one language clearly leads. Text that is
nothing but URLs (or empty, e.g. media only) is `zxx`, as on X; mentions, hashtags and emoji alone are `und`.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# What carries no language: URLs, @mentions, #hashtags and $cashtags are removed before looking.
_NOISE = re.compile(r"https?://\S+|\bwww\.\S+|[@#$][\w.]+", re.UNICODE)
_URL = re.compile(r"https?://\S+|\bwww\.\S+")
_LETTERS = re.compile(r"[^\W\d_]+", re.UNICODE)

# (first code point, last code point, tag) for scripts that name their language on their own
_SCRIPTS = (
    (0x3040, 0x30FF, "ja"),  # hiragana, katakana
    (0xAC00, 0xD7AF, "ko"),  # hangul syllables
    (0x1100, 0x11FF, "ko"),
    (0x0590, 0x05FF, "he"),
    (0x0370, 0x03FF, "el"),
    (0x0E00, 0x0E7F, "th"),
    (0x0900, 0x097F, "hi"),
    (0x0980, 0x09FF, "bn"),
    (0x0B80, 0x0BFF, "ta"),
    (0x10A0, 0x10FF, "ka"),
    (0x0530, 0x058F, "hy"),
)
_HAN = (0x4E00, 0x9FFF)
_ARABIC = (0x0600, 0x06FF)
_PERSIAN_LETTERS = set("پچژگ")
_CYRILLIC = (0x0400, 0x04FF)
_UKRAINIAN_LETTERS = set("іїєґ")

_STOPWORDS = {
    "en": "the and is are was to of in it you that this for with on not be have my your we they what just".split(),
    "es": "el la los las de que y es en un una por para con no lo muy pero como esta está más".split(),
    "fr": "le la les de des et est un une que qui pour pas dans ce je vous avec sur très mais".split(),
    "de": "der die das und ist nicht ein eine ich du mit auf für den sie es zu sehr aber auch".split(),
    "pt": "o a os as de que e é um uma não para com do da em muito mas você está".split(),
    "it": "il lo la gli le di che e è un una non per con sono del della molto ma questo".split(),
    "nl": "de het een en is van dat niet ik je met op voor zijn maar ook heel".split(),
    "tr": "ve bir bu da de için ile çok ne ben sen değil mi ama gibi".split(),
    "id": "yang dan di ini itu dengan untuk tidak ada saya kamu dari akan juga sangat".split(),
    "ru": "и в не на что я он с как это по но она они мы вы очень".split(),
    "uk": "і в не на що я він з як це по але вона вони ми ви дуже".split(),
}
_CACHED_LENGTH = 1_000  # a few MB of texts at most, however long the posts
_INDEX: dict[str, list[str]] = {}
for _lang, _words in _STOPWORDS.items():
    for _w in _words:
        _INDEX.setdefault(_w, []).append(_lang)


def detect(text: str) -> str:
    """The BCP 47 tag X would most plausibly give `text`. Asked when a post's `lang` is shown or matched, not
    when it is written, and remembered for short texts: a stream rule with `lang:` asks for every post."""
    if len(text) <= _CACHED_LENGTH:
        return _remembered(text)
    return _detect(text)


def _detect(text: str) -> str:
    ascii_text = text.isascii()
    if not ascii_text:
        text = unicodedata.normalize("NFC", text)  # ASCII is its own NFC
    # Without any of these characters there is no URL, mention, hashtag or cashtag to remove.
    noisy = not ascii_text or "/" in text or "www." in text or "@" in text or "#" in text or "$" in text
    rest = _NOISE.sub(" ", text) if noisy else text
    # ASCII is lowered in one pass; elsewhere word by word, as lowering may split a word ("İ" -> "i̇").
    words = _LETTERS.findall(rest.lower()) if ascii_text else [w.lower() for w in _LETTERS.findall(rest)]
    if not words:
        only_urls = not _URL.sub("", text).strip()
        return "zxx" if only_urls else "und"
    by_script = None if ascii_text else _by_script("".join(words))  # ASCII letters are Latin: the words decide
    if by_script:
        return by_script
    return _by_words(words)


def _by_script(letters: str) -> str | None:
    if letters.isascii():
        return None  # Latin letters only: the words decide
    han = arabic = cyrillic = 0
    for ch in letters:
        code = ord(ch)
        for low, high, tag in _SCRIPTS:
            if low <= code <= high:
                return tag
        if _HAN[0] <= code <= _HAN[1]:
            han += 1
        elif _ARABIC[0] <= code <= _ARABIC[1]:
            arabic += 1
        elif _CYRILLIC[0] <= code <= _CYRILLIC[1]:
            cyrillic += 1
    if han:
        return "zh"  # Han without kana
    if arabic:
        return "fa" if _PERSIAN_LETTERS & set(letters) else "ar"
    if cyrillic and cyrillic * 2 >= len(letters):
        if _UKRAINIAN_LETTERS & set(letters):
            return "uk"
        return None  # Russian, Ukrainian and others share most letters: the words decide
    return None


def _by_words(words: list[str]) -> str:
    scores: dict[str, int] = {}
    for word in words:
        for lang in _INDEX.get(word, ()):
            scores[lang] = scores.get(lang, 0) + 1
    if not scores:
        return "und"
    ranked = sorted(scores.items(), key=lambda kv: kv[1], reverse=True)
    best, score = ranked[0]
    runner_up = ranked[1][1] if len(ranked) > 1 else 0
    if score < 2 or score <= runner_up:
        return "und"  # one common word, or a tie: X says undetermined rather than guess
    return best


_remembered = lru_cache(maxsize=4096)(_detect)

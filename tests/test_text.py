import random

import pytest
from twitter_text import extract_urls_with_indices

from xmock.simulator.resources.text import entities, has_url, shown, too_long, weighted_length


@pytest.mark.parametrize(
    ("text", "length"),
    [
        ("hello", 5),
        ("日本語", 6),
        ("https://example.com/a/very/long/path/that/keeps/going", 23),
        ("😀", 2),
        ("a.co " * 3, 3 * 23 + 3),
    ],
)
def test_weighted_length(text, length):
    assert weighted_length(text) == length


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a" * 280, False),
        ("a" * 281, True),
        ("日" * 140, False),
        ("日" * 141, True),
        ("a.co " * 20, True),
        ("x" * 250 + " https://t.co", False),
    ],
)
def test_too_long_agrees_with_twitter_text(text, expected):
    assert too_long(text) is expected
    assert (weighted_length(text) > 280) is expected


def test_entities():
    found = entities("hi @bob #launch $TSLA see https://x.com/a")
    assert found["mentions"] == [{"start": 3, "end": 7, "username": "bob"}]
    assert found["hashtags"][0]["tag"] == "launch"
    assert found["cashtags"][0]["tag"] == "TSLA"
    assert found["urls"][0]["expanded_url"] == "https://x.com/a"
    assert entities("email me at a@b") == {}


def test_the_shortcut_for_plain_ascii_agrees_with_twitter_text():
    rng = random.Random(280)
    alphabet = ["a", "Z", "9", "-", ".", " ", "/", ":", "x.com", "http", "t.co", "é", ". ", "1.1", "www", "_", "0.5"]
    alphabet += ["192.168.1.1", "https://", "co", "xn--p1ai", ".c0m", "?q=1", "@", "#"]
    for _ in range(6000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 40)))
        assert has_url(text) == bool(extract_urls_with_indices(text)), text
        assert too_long(text * 9) == (weighted_length(text * 9) > 280), text


@pytest.mark.parametrize(
    ("text", "escaped"),
    [
        ("plain words", "plain words"),
        ("Café & <b>bold</b>", "Café &amp; &lt;b&gt;bold&lt;/b&gt;"),
        ("\"double\" and 'single' quotes stay", "\"double\" and 'single' quotes stay"),
        ("&amp; already", "&amp;amp; already"),  # the text as posted, escaped once more
        ("a->b <3", "a-&gt;b &lt;3"),
    ],
)
def test_shown_escapes_only_ampersand_and_angle_brackets(text, escaped):
    assert shown(text) == escaped

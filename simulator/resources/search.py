"""GET /2/tweets/search/recent: X's query language, the part a simulator needs.

Supported: keywords (AND by default), "exact phrases", OR, -negation, (groups),
from:, to:, #hashtag, @mention, $cashtag, conversation_id:, is:reply, is:quote,
is:retweet, has:mentions, has:links, has:hashtags, has:media, lang:, place:, has:geo; and in
search_operators.py has:images, has:videos, has:cashtags, is:verified, url:, retweets_of:, list:.
Anything else is refused as X refuses an unknown operator.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from xmock.simulator import digits, errors
from xmock.simulator.lang import detect
from xmock.simulator.models import Post, User
from xmock.simulator.pipeline import Call
from xmock.simulator.resources import paging, render, search_operators
from xmock.simulator.resources.posts import time_window
from xmock.simulator.resources.text import entities, has_url
from xmock.simulator.store import Store
from xmock.simulator.xrequest import Reply

MAX_QUERY = 512
SORT_ORDERS = ("recency", "relevancy")
RECENT_SECONDS = 7 * 24 * 3600
_TOKEN = re.compile(r'\s*(\(|\)|-?"[^"]*"|-?[^\s()"]+)')
_WORD = re.compile(r"[\w#@$']+", re.UNICODE)

Predicate = Callable[[Post], bool]


class QueryError(Exception):
    def __init__(self, message: str, position: int) -> None:
        super().__init__(message)
        self.position = position


def compile_query(query: str, store: Store) -> Predicate:
    tokens: list[tuple[str, int]] = []
    pos = 0
    while pos < len(query):
        m = _TOKEN.match(query, pos)
        if m is None:
            if query[pos:].strip():
                raise QueryError("Unbalanced quotes", pos + 1)
            break
        tokens.append((m.group(1), m.start(1) + 1))
        pos = m.end()
    parser = _Parser(tokens, store)
    predicate = parser.expression()
    if parser.i < len(tokens):
        raise QueryError("Unexpected ')'", tokens[parser.i][1])
    if not parser.positive:
        raise QueryError(search_operators.NON_NEGATION, 1)
    if not parser.standalone:
        raise QueryError(search_operators.CONJUNCTION, 1)
    return predicate


class _Parser:
    def __init__(self, tokens: list[tuple[str, int]], store: Store) -> None:
        self.tokens = tokens
        self.i = 0
        self.store = store
        self.positive = False  # a term not negated
        self.standalone = False  # a positive term that may stand alone (not is: or has:)

    def expression(self) -> Predicate:
        terms = [self.conjunction()]
        while self.i < len(self.tokens) and self.tokens[self.i][0] == "OR":
            self.i += 1
            terms.append(self.conjunction())
        return terms[0] if len(terms) == 1 else (lambda p: any(t(p) for t in terms))

    def conjunction(self) -> Predicate:
        terms: list[Predicate] = []
        while self.i < len(self.tokens) and self.tokens[self.i][0] not in (")", "OR"):
            terms.append(self.unary())
        if not terms:
            at = self.tokens[self.i][1] if self.i < len(self.tokens) else 0
            raise QueryError("Expected a search term", at)
        return terms[0] if len(terms) == 1 else (lambda p: all(t(p) for t in terms))

    def unary(self) -> Predicate:
        token, at = self.tokens[self.i]
        if token == "(":
            self.i += 1
            inner = self.expression()
            if self.i >= len(self.tokens) or self.tokens[self.i][0] != ")":
                raise QueryError("Missing ')'", at)
            self.i += 1
            return inner
        self.i += 1
        if token.startswith("-") and len(token) > 1:
            marks = self.positive, self.standalone
            inner = self.atom(token[1:], at)
            self.positive, self.standalone = marks  # a negated term stands for nothing
            return lambda p: not inner(p)
        self.positive = True
        return self.atom(token, at)

    def atom(self, token: str, at: int) -> Predicate:
        if token.startswith('"'):
            self.standalone = True
            phrase = token.strip('"').lower()
            return lambda p: phrase in p.text.lower()
        if ":" in token and not token.startswith(("http:", "https:")):
            name = token.partition(":")[0]
            self.standalone = self.standalone or name in search_operators.STANDALONE
            return self.operator(token, at)
        self.standalone = True
        word = token.lower()
        if word.startswith(("#", "@", "$")):
            return lambda p: word in _words(p.text)
        return lambda p: word in _words(p.text) or word in p.text.lower().split()

    def operator(self, token: str, at: int) -> Predicate:
        name, _, value = token.partition(":")
        if name == "from":
            user = self._user(value)
            return lambda p: user is not None and p.author_id == user.id
        if name == "to":
            user = self._user(value)
            return lambda p: user is not None and p.in_reply_to_user_id == user.id
        if name == "conversation_id":
            return lambda p: (p.conversation_id or p.id) == value
        # post fields: lang:, place:, has:geo (resources/post_fields.py)
        if name == "lang":
            return lambda p: (p.lang or detect(p.text)) == value
        if name == "place":
            return self._place(value)
        if token == "has:geo":
            return lambda p: p.place_id is not None
        flags: dict[str, Predicate] = {
            "is:reply": lambda p: p.in_reply_to_post_id is not None,
            "is:quote": lambda p: p.quoted_post_id is not None,
            "is:retweet": lambda p: p.reposted_post_id is not None,
            "has:mentions": lambda p: "mentions" in entities(p.text),
            "has:hashtags": lambda p: "hashtags" in entities(p.text),
            "has:links": lambda p: has_url(p.text),
            "has:media": lambda p: bool(p.media_ids),
        }
        if token in flags:
            return flags[token]
        found = search_operators.operator(name, value, self.store)
        if found is not None:
            return found
        raise QueryError(
            f"Reference to invalid operator '{name}:'. Operator is not available in current product "
            "or product packaging. Please refer to complete available operator list at "
            "https://developer.twitter.com/en/docs/twitter-api/tweets/search/integrate/build-a-query.",
            at,
        )

    def _place(self, value: str) -> Predicate:
        """`place:` takes a place's id or its name ("place:paris", place:"new york" is not supported)."""
        wanted = value.strip('"').lower()
        ids = {p.id for p in self.store.list_places() if wanted in (p.id.lower(), p.name.lower(), p.full_name.lower())}
        return lambda p: p.place_id in ids

    def _user(self, value: str) -> User | None:
        return self.store.get_user(value) if digits.is_id(value) else self.store.user_by_username(value.lstrip("@"))


def _words(text: str) -> set[str]:
    return {w.lower().strip("'") for w in _WORD.findall(text)}


def query_predicate(call: Call, max_length: int) -> Predicate:
    """The request's `query`, checked and compiled, as X checks it (recent and full-archive search, counts)."""
    req = call.req
    query = req.arg("query")
    if query is None or not query.strip():
        raise errors.invalid_param("query", query or "", "The `query` query parameter can not be empty")
    if len(query) > max_length:
        raise errors.invalid_param(
            "query", query, f"The `query` query parameter value is longer than {max_length} characters"
        )
    try:
        return compile_query(query, call.sim.store)
    except QueryError as exc:
        raise errors.invalid_param(
            "query", query, f"There were errors processing your request: {exc} (at position {exc.position})"
        ) from None


def sort_order(call: Call) -> str:
    """X's enum; both orders answer newest first here (X does not publish its relevance ranking)."""
    order = call.req.arg("sort_order")
    if order is None:
        return "recency"
    if order not in SORT_ORDERS:
        raise errors.invalid_param(
            "sort_order", order, f"The `sort_order` query parameter value [{order}] is not one of [recency,relevancy]"
        )
    return order


def recent(call: Call) -> Reply:
    """GET /2/tweets/search/recent"""
    req = call.req
    predicate = query_predicate(call, MAX_QUERY)
    limit = paging.max_results(req, 10)
    sort_order(call)
    sel = render.selection(req)
    store = call.sim.store
    oldest = call.sim.clock.now() - RECENT_SECONDS
    posts = [p for p in time_window(call, store.all_posts()) if p.created_at >= oldest and predicate(p)]
    items, meta = paging.page(posts, req, limit)
    data = [render.render_post(p, sel, store) for p in items] or None
    body = render.envelope(data, render.post_includes(items, sel, store), meta=meta)
    return Reply(200, body, note={"resource_ids": [p.id for p in items]})

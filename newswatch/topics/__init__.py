"""Topics are data: each `*.toml` file here is one topic; this module loads and matches them.

A topic file (see `russia_dprk.toml`)::

    id = "russia_dprk"              # must equal the file name without `.toml`
    name = "Russia–North Korea relations"
    rule = "russia AND dprk"        # AND / OR / parentheses over group names
    threshold = 4                   # minimum score
    max_count = 3                   # optional: occurrences counted per term and place (default 3)
    [weights]
    title = 3
    body = 1
    same_paragraph = 2              # bonus, once, when the rule holds in the title or one paragraph
    [groups.russia]
    terms = ["রাশিয়া", "রুশ", "Russia"]
    [groups.dprk]
    terms = ["উত্তর কোরিয়া", "কিম জং উন", "North Korea"]
    exclude = ["দক্ষিণ কোরিয়া"]     # optional: phrases that never count for this group
    [groups.context]                # a group the rule does not name only adds to the score
    terms = ["কুরস্ক"]
    [relation]                      # optional: the text must link the rule's groups (`_link`)
    terms = ["চুক্তি", "সফর"]        # relation words (a context term counts as one too)
    exclude = ["পরমাণু অস্ত্র"]      # phrases that are not relation words
    peers = ["চীন", "ইরান"]          # a side listed with these (`ইরান, উত্তর কোরিয়া ও রাশিয়া`)
    compare = ["মতো"]               # ... or compared (`রাশিয়ার মতো`) is no link

With `[relation]`, the groups must be linked: in one sentence or paragraph (not only as items of
one list), or each named in the title or in a sentence with a relation word, or under a headline
with a relation word. The strongest link adds its weight (`same_sentence`, `same_paragraph`,
`relation`, `headline`; optional, so older files score as before) once.

Matching runs on the key form (`newswatch.text.key`), with Bengali-aware word boundaries: a term
may be followed by an inflection (`রাশিয়ার`, `মস্কোকে`, `কিম জং উনের`) but not by other letters
(`রুশ` does not match inside `রুশদি`). One regex (a trie of every term, relation word, peer and
comparison word of every topic) scans each text once however many topics there are.

`TopicSet.match` gives the topics an article is kept for; `TopicSet.explain` gives every topic's
score, terms and, for a miss, the group that was lacking (`newswatch topics explain`).
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from newswatch.text import ZWJ, ZWNJ, key, normalize

__all__ = ["TOPICS_DIR", "TermMatch", "TopicError", "TopicMatch", "TopicReport", "TopicSet"]

TOPICS_DIR = Path(__file__).resolve().parent

Where = Literal["title", "body"]


class TopicError(ValueError):
    """A topic file is malformed, or an unknown topic was asked for."""


@dataclass(frozen=True)
class TermMatch:
    term: str  # the term as written in the topic file (display-normalised, NFC)
    group: str
    where: Where
    count: int  # occurrences found (the score caps this at the topic's max_count)


@dataclass(frozen=True)
class TopicMatch:
    id: str
    score: float
    matches: tuple[TermMatch, ...]

    def to_record(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "score": round(self.score, 2),
            "matches": [
                {"term": m.term, "group": m.group, "where": m.where, "count": m.count}
                for m in self.matches
            ],
        }


@dataclass(frozen=True)
class TopicReport:
    """Everything about one topic and one text, kept or not (for `newswatch topics explain`)."""

    id: str
    name: str
    rule: str  # as written in the topic file
    threshold: float
    score: float
    kept: bool
    matches: tuple[TermMatch, ...]
    same_paragraph: bool  # the rule holds within one sentence, the title or one paragraph
    missing: tuple[str, ...]  # groups lacking for the nearest way to satisfy the rule; () if met
    link: str = ""  # how the rule's groups are tied (`LINKS`); "" when the rule is not met
    linked: bool = True  # False: the topic needs a link (it has [relation]) and there is none

    def to_match(self) -> TopicMatch:
        return TopicMatch(self.id, self.score, self.matches)


# --- text pattern ---------------------------------------------------------------------------

# `\b` is useless for Bengali (vowel signs are not \w), so "inside a word" is spelled out.
_WORD_CHAR = "\u0980-\u09ffA-Za-z0-9"
# Inside a term, a space or hyphen matches any run of spaces and hyphens, or nothing.
_SEP_CHARS = r"\s\-\u2010\u2011"
_TERM_SEP = re.compile(f"[{_SEP_CHARS}]+")
# Bengali inflections that may follow a term (longest first), optionally after a hyphen
# (`হুই-এর`, `KCNA-র`), optionally followed by the emphatic ও / ই (`রাশিয়াকেও`, `মস্কোরই`).
_SUFFIX_WORDS = "র এর য়ের ের কে তে য় য়ে ে রা দের টি টা গুলো সহ"
_SUFFIXES = sorted({key(s) for s in _SUFFIX_WORDS.split()}, key=len, reverse=True)
_SUFFIX = "(?:-?(?:{}))?(?:ও|ই)?".format("|".join(map(re.escape, _SUFFIXES)))


def _canon(term_key: str) -> str:
    """One spelling for all separator variants: `কিম জং-উন` -> `কিমজংউন`."""
    return _TERM_SEP.sub("", term_key)


def _trie_pattern(term_keys: Iterable[str]) -> str:
    """One regex for many terms, shared prefixes merged: `রাশিয়া(?:ন)?|রুশ` ...

    Python's `re` tries the alternatives of a plain `a|b|c` one by one at every position, so
    its cost grows with the number of terms; a trie tries one branch per letter. Longer
    continuations come first and the end of a term is optional, so at one position the longest
    term wins, as in a longest-first alternation. A space or hyphen inside a term becomes
    `[separators]*`.
    """
    sep = None  # the trie key of a separator between words
    root: dict = {}
    for term_key in term_keys:
        node = root
        for i, word in enumerate(_TERM_SEP.split(term_key)):
            for token in ([sep] if i else []) + list(word):
                node = node.setdefault(token, {})
        node[""] = {}  # a term ends here

    def emit(node: dict) -> str:
        branches = [
            (f"[{_SEP_CHARS}]*" if token is sep else re.escape(token)) + emit(child)
            for token, child in sorted(
                ((t, c) for t, c in node.items() if t != ""),
                key=lambda tc: (tc[0] is sep, tc[0] or ""),
            )
        ]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else f"(?:{'|'.join(branches)})"
        return f"(?:{body})?" if "" in node else body

    return emit(root)


# What NFC changes in Bengali text: the composition exclusions য় ড় ঢ় are decomposed, the
# two-part vowel signs ো ৌ are composed, and a nukta typed after a virama is put before it.
_BENGALI_NFC = (
    ("\u09df", "\u09af\u09bc"),
    ("\u09dc", "\u09a1\u09bc"),
    ("\u09dd", "\u09a2\u09bc"),
    ("\u09c7\u09be", "\u09cb"),
    ("\u09c7\u09d7", "\u09cc"),
    ("\u09cd\u09bc", "\u09bc\u09cd"),
)
_DROP = (ZWJ, ZWNJ, "\u200b", "\u2060", "\ufeff", "\u00ad")
_ASCII_DIGIT = tuple(zip("০১২৩৪৫৬৭৮৯", "0123456789", strict=True))
_LEGACY = (("ø", "\u09cd\u09b2"), ("¦", "\u09cd\u09ac"))


def _match_key(text: str) -> str:
    """`newswatch.text.key` for matching, about five times faster on Bengali text.

    Same result as `key` except that runs of spaces are not folded (the term pattern accepts
    any run of separators) and that full Unicode NFC is applied only to text outside ASCII and
    Bengali, where `str.replace` with the Bengali NFC pairs is not enough. `key` spends most of
    its time in `unicodedata.normalize` and `str.translate`, which are slow on non-Latin text.
    """
    if not text:
        return ""
    for ch in _DROP:
        if ch in text:
            text = text.replace(ch, "")
    for a, b in _BENGALI_NFC:
        if a in text:
            text = text.replace(a, b)
    if not _BENGALI_OR_ASCII.fullmatch(text):
        text = unicodedata.normalize("NFC", text)
    for a, b in _LEGACY:
        if a in text:
            text = re.sub(f"(?<=[\u0980-\u09ff]){a}", b, text)
    text = text.replace("ৎ", "ত্")
    for a, b in _ASCII_DIGIT:
        if a in text:
            text = text.replace(a, b)
    return text.casefold()


# Text made only of these needs no general NFC once the Bengali pairs are replaced: Latin-1, the
# dandas, Bengali, general punctuation and spaces (NFC maps U+2000/U+2001 to other spaces only).
_BENGALI_OR_ASCII = re.compile(
    "[\x00-\xff\u0964\u0965\u0980-\u09ff\u2000-\u206f\u20a0-\u20c0\u3000]*"
)


# --- rules ----------------------------------------------------------------------------------

_RULE_TOKEN = re.compile(r"\s*(\(|\)|[A-Za-z_][A-Za-z0-9_]*)")


def _parse_rule(rule: str) -> list[frozenset[str]]:
    """`a AND (b OR c)` -> [{a, b}, {a, c}]: the rule holds if all groups of any one set occur.

    A tiny recursive-descent parser (AND binds tighter than OR); nothing is evaluated.
    """
    tokens: list[str] = []
    pos = 0
    while pos < len(rule):
        if not rule[pos:].strip():
            break
        m = _RULE_TOKEN.match(rule, pos)
        if not m:
            raise ValueError(f"unexpected {rule[pos:].strip()[:10]!r}")
        tokens.append(m.group(1))
        pos = m.end()
    i = 0

    def peek() -> str | None:
        return tokens[i] if i < len(tokens) else None

    def take() -> str:
        nonlocal i
        if i >= len(tokens):
            raise ValueError("ends too early")
        i += 1
        return tokens[i - 1]

    def either() -> list[frozenset[str]]:
        sets = both()
        while (peek() or "").upper() == "OR":
            take()
            sets = sets + both()
        return sets

    def both() -> list[frozenset[str]]:
        sets = atom()
        while (peek() or "").upper() == "AND":
            take()
            right = atom()
            sets = [a | b for a in sets for b in right]
        return sets

    def atom() -> list[frozenset[str]]:
        tok = take()
        if tok == "(":
            sets = either()
            if take() != ")":
                raise ValueError("missing ')'")
            return sets
        if tok == ")" or tok.upper() in ("AND", "OR"):
            raise ValueError(f"expected a group name, found {tok!r}")
        return [frozenset([tok])]

    sets = either()
    if peek() is not None:
        raise ValueError(f"unexpected {peek()!r}")
    return sets


# --- topic files ----------------------------------------------------------------------------


@dataclass(frozen=True)
class _Topic:
    id: str
    name: str
    threshold: float
    max_count: int
    weights: dict[str, float]
    groups: dict[str, tuple[list[str], list[str]]]  # group -> (terms, exclude), as written
    rule: list[frozenset[str]]
    path: Path = field(compare=False)
    rule_text: str = ""
    # [relation]: (terms, exclude, peers, compare) as written; None when the file has none
    relation: tuple[list[str], list[str], list[str], list[str]] | None = None
    # What to type into an outlet's own search box to find this topic's articles.
    search: tuple[str, ...] = ()


_TOP_KEYS = {
    "id",
    "name",
    "rule",
    "threshold",
    "max_count",
    "weights",
    "groups",
    "relation",
    "search",
}
_WEIGHT_KEYS = {"title", "body", "same_paragraph"}
# Optional weights of the link between the rule's groups (see `_link`); older files leave them out.
_LINK_WEIGHT_KEYS = {"same_sentence", "relation", "headline"}
_RELATION_KEYS = {"terms", "exclude", "peers", "compare"}
_GROUP_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def _line_of(text: str, pattern: str) -> int | None:
    m = re.search(pattern, text, re.MULTILINE)
    return text.count("\n", 0, m.start()) + 1 if m else None


def _load_topic(path: Path) -> _Topic:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as e:
        raise TopicError(f"{path}: cannot read topic file: {e}") from e

    def fail(what: str, line_pattern: str | None = None) -> TopicError:
        line = _line_of(text, line_pattern) if line_pattern else None
        return TopicError(f"{path}:{line}: {what}" if line else f"{path}: {what}")

    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        raise TopicError(f"{path}: not valid TOML: {e}") from e

    for k in ("id", "name", "rule", "threshold", "weights", "groups"):
        if k not in data:
            raise fail(f"missing required key {k!r}")
    if unknown := set(data) - _TOP_KEYS:
        raise fail(f"unknown key(s) {sorted(unknown)}; allowed: {sorted(_TOP_KEYS)}")

    def number(value: Any, what: str, line_pattern: str) -> float:
        if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
            raise fail(f"{what} must be a number >= 0, not {value!r}", line_pattern)
        return float(value)

    topic_id = data["id"]
    if topic_id != path.stem:
        raise fail(f"id {topic_id!r} must equal the file name {path.stem!r}", r"^\s*id\s*=")
    if not isinstance(data["name"], str) or not data["name"].strip():
        raise fail("name must be a non-empty string", r"^\s*name\s*=")
    threshold = number(data["threshold"], "threshold", r"^\s*threshold\s*=")
    max_count = data.get("max_count", 3)
    if isinstance(max_count, bool) or not isinstance(max_count, int) or max_count < 1:
        raise fail(f"max_count must be an integer >= 1, not {max_count!r}", r"^\s*max_count\s*=")

    weights_in = data["weights"]
    if (
        not isinstance(weights_in, dict)
        or not set(weights_in) >= _WEIGHT_KEYS
        or set(weights_in) - _WEIGHT_KEYS - _LINK_WEIGHT_KEYS
    ):
        got = sorted(weights_in) if isinstance(weights_in, dict) else weights_in
        raise fail(
            f"[weights] must set exactly {sorted(_WEIGHT_KEYS)} and may set "
            f"{sorted(_LINK_WEIGHT_KEYS)}, got {got}",
            r"^\[weights\]",
        )
    weights = {k: number(v, f"weights.{k}", rf"^\s*{k}\s*=") for k, v in sorted(weights_in.items())}
    # Without these keys a file scores as before: one co-occurrence bonus, no relation bonus.
    weights.setdefault("same_sentence", weights["same_paragraph"])
    weights.setdefault("relation", 0.0)
    weights.setdefault("headline", 0.0)

    groups_in = data["groups"]
    if not isinstance(groups_in, dict) or not groups_in:
        raise fail("define at least one [groups.<name>] table with terms = [...]")
    groups: dict[str, tuple[list[str], list[str]]] = {}
    for gname, g in groups_in.items():
        header = rf"^\[groups\.{re.escape(gname)}\]"
        if not _GROUP_NAME.fullmatch(gname) or gname.upper() in ("AND", "OR"):
            raise fail(f"group name {gname!r} must be a plain identifier, not AND/OR", header)
        if not isinstance(g, dict):
            raise fail(f"groups.{gname} must be a table", header)
        if unknown := set(g) - {"terms", "exclude"}:
            raise fail(
                f"groups.{gname}: unknown key(s) {sorted(unknown)}; use terms, exclude", header
            )
        lists = []
        for k in ("terms", "exclude"):
            items = g.get(k, [])
            if not isinstance(items, list) or not all(
                isinstance(t, str) and _canon(key(t)) for t in items
            ):
                raise fail(f"groups.{gname}.{k} must be a list of non-empty strings", header)
            lists.append(items)
        if not lists[0]:
            raise fail(f"groups.{gname}.terms is empty: list at least one term", header)
        groups[gname] = (lists[0], lists[1])

    rule_text = data["rule"]
    rule_line = r"^\s*rule\s*="
    if not isinstance(rule_text, str):
        raise fail('rule must be a string such as "a AND b"', rule_line)
    try:
        rule = _parse_rule(rule_text)
    except ValueError as e:
        raise fail(f"rule {rule_text!r}: {e}", rule_line) from None
    if unknown := {g for s in rule for g in s} - set(groups):
        raise fail(
            f"rule {rule_text!r} names unknown group(s) {sorted(unknown)}; "
            f"groups defined: {sorted(groups)}",
            rule_line,
        )
    relation = None
    if "relation" in data:
        rel, header = data["relation"], r"^\[relation\]"
        if not isinstance(rel, dict):
            raise fail("relation must be a table", header)
        if unknown := set(rel) - _RELATION_KEYS:
            raise fail(
                f"relation: unknown key(s) {sorted(unknown)}; use {sorted(_RELATION_KEYS)}", header
            )
        lists = []
        for k in ("terms", "exclude", "peers", "compare"):
            items = rel.get(k, [])
            if not isinstance(items, list) or not all(
                isinstance(t, str) and _canon(key(t)) for t in items
            ):
                raise fail(f"relation.{k} must be a list of non-empty strings", header)
            lists.append(items)
        if not lists[0]:
            raise fail("relation.terms is empty: list the words that tie the groups", header)
        relation = (lists[0], lists[1], lists[2], lists[3])
    search = data.get("search", [])
    if not isinstance(search, list) or not all(isinstance(t, str) and t.strip() for t in search):
        raise fail("search must be a list of non-empty strings", r"^\s*search\s*=")
    return _Topic(
        topic_id,
        data["name"],
        threshold,
        max_count,
        weights,
        groups,
        rule,
        path,
        rule_text,
        relation,
        tuple(normalize(t) for t in search),
    )


# --- the matcher ----------------------------------------------------------------------------

# Pseudo-groups for the words of a `[relation]` section: they weigh the link between the rule's
# groups, never count as terms, never appear in `matches`, and no rule can name them.
_RELATION, _PEER, _COMPARE = "~relation", "~peer", "~compare"
# Sentence ends inside a title or paragraph: the danda (and double danda), ?, ! and line breaks.
_STOP = re.compile("[\u0964\u0965?!\n]")
# What may stand between two items of one list of countries (`ইরান, উত্তর কোরিয়া ও রাশিয়া`),
# and between a name and a comparison word after it (`রাশিয়ার মতো`). Both run on the key form.
_LIST_GAP = re.compile(r"[\s,،;/]*(?:(?:ও|এবং|বা|আর|কিংবা|অথবা|এমনকি)[\s,]+)?")
_COMPARE_GAP = re.compile(r"[\s\-]*")

# How the rule's groups are tied together in a text, strongest first. `list` and `apart` are
# no link: the groups occur only as items of one list (or a comparison), or only far apart.
LINKS = ("sentence", "paragraph", "relation", "headline", "list", "apart")
_LINK_WEIGHT = {
    "sentence": "same_sentence",
    "paragraph": "same_paragraph",
    "relation": "relation",
    "headline": "headline",
}


@dataclass(frozen=True)
class _Entry:
    topic: int  # index into TopicSet._topics
    group: str  # a group of the topic file, or a [relation] pseudo-group
    term: str | None  # None: an exclude phrase (claims its span, counts for nothing)


@dataclass
class _Evidence:
    """What one topic has seen of the link between its rule's groups, unit by unit."""

    sentence: bool = False  # the rule holds in one sentence (not only as list items)
    paragraph: bool = False  # ... in one paragraph or the title
    listed: bool = False  # ... somewhere, but only counting list items or comparisons
    headline: bool = False  # the title has a relation word
    # groups named in the title, or in a sentence with a relation word
    related: set[str] = field(default_factory=set)


class TopicSet:
    """Loaded topics and the one regex that finds all their terms."""

    def __init__(self, topics: Sequence[_Topic]) -> None:
        self._topics = list(topics)
        self.ids: list[str] = [t.id for t in self._topics]
        self._rule_groups = [frozenset().union(*t.rule) for t in self._topics]
        # canonical phrase -> {(topic, group): entry}: what one hit means to each group that cares
        entries: dict[str, dict[tuple[int, str], _Entry]] = defaultdict(dict)
        words: dict[str, tuple[str, ...]] = {}
        term_keys: set[str] = set()  # every phrase, in key form
        for ti, topic in enumerate(self._topics):
            phrases = [
                (group, phrase, term)
                for group, (terms, exclude) in topic.groups.items()
                for phrase, term in [(e, None) for e in exclude]
                + [(t, normalize(t)) for t in terms]
            ]
            if topic.relation:
                terms, exclude, peers, compare = topic.relation
                phrases += [(_RELATION, t, None) for t in exclude]
                phrases += [(_RELATION, t, normalize(t)) for t in terms]
                phrases += [(_PEER, t, normalize(t)) for t in peers]
                phrases += [(_COMPARE, t, normalize(t)) for t in compare]
            for group, phrase, term in phrases:
                k = key(phrase)
                c = _canon(k)
                prev = entries[c].setdefault((ti, group), _Entry(ti, group, term))
                if (prev.term is None) != (term is None):
                    raise TopicError(
                        f"{topic.path}: {phrase!r} is both a term and an exclude "
                        f"of groups.{group}; keep one"
                    )
                words.setdefault(c, tuple(_TERM_SEP.split(k)))
                term_keys.add(k)
            for c, by_group in entries.items():
                owners = [
                    g
                    for (i, g), e in by_group.items()
                    if i == ti and e.term is not None and not g.startswith("~")
                ]
                if len(owners) > 1:
                    raise TopicError(
                        f"{topic.path}: {' '.join(words[c])!r} is a term of groups {owners}; "
                        "keep it in one"
                    )
        _pass_on_nested_terms(entries, words)
        self._entries = {c: tuple(by_group.values()) for c, by_group in entries.items()}
        self._canon_cache: dict[str, str] = {}  # matched text -> canonical phrase
        # The longest phrase at a position wins, so a term or exclude claims what it contains.
        self._regex = re.compile(
            f"(?<![{_WORD_CHAR}])(?P<core>{_trie_pattern(sorted(term_keys))}){_SUFFIX}"
            f"(?![{_WORD_CHAR}])"
        )

    def search_terms(self) -> list[str]:
        """The topics' `search` phrases, in file order, each once."""
        return list(dict.fromkeys(t for topic in self._topics for t in topic.search))

    @classmethod
    def load(cls, names: Iterable[str] | None = None, directory: Path | None = None) -> TopicSet:
        """Every `*.toml` topic in `directory` (default TOPICS_DIR), or only the ids in `names`."""
        directory = Path(directory) if directory is not None else TOPICS_DIR
        if isinstance(names, str):  # a lone id, not an iterable of one-letter ids
            names = [names]
        available = {p.stem: p for p in sorted(directory.glob("*.toml"))}
        if names is None:
            wanted = list(available)
            if not wanted:
                raise TopicError(f"{directory}: no topic files (*.toml) found")
        else:
            wanted = list(dict.fromkeys(names))
            if not wanted:
                raise TopicError("no topic ids given; name at least one")
            if unknown := [n for n in wanted if n not in available]:
                raise TopicError(
                    f"unknown topic(s) {unknown}; available in {directory}: {sorted(available)}"
                )
        return cls([_load_topic(available[n]) for n in wanted])

    @property
    def names(self) -> dict[str, str]:
        """Topic id -> the topic's name."""
        return {t.id: t.name for t in self._topics}

    def match(self, title: str, paragraphs: Sequence[str]) -> list[TopicMatch]:
        """Topics whose rule holds and whose score reaches the threshold, in `ids` order."""
        return [r.to_match() for r in self.explain(title, paragraphs) if r.kept]

    def explain(self, title: str, paragraphs: Sequence[str]) -> list[TopicReport]:
        """Every topic's score and terms for this text, kept or not, in `ids` order."""
        # (topic, term, group, where) -> count, insertion-ordered: title first, then body order
        counts: dict[tuple[int, str, str, Where], int] = defaultdict(int)
        # (key text, [(start, end, canonical phrase)]) of each unit (title, then paragraphs)
        seen: list[tuple[str, list[tuple[int, int, str]]]] = []
        entries, canon = self._entries, self._canon_cache
        where: Where = "title"
        for text in (title, *paragraphs):
            text = _match_key(text)
            hits = []
            for m in self._regex.finditer(text):
                core = m.group("core")
                c = canon.get(core)
                if c is None:
                    c = _canon(core)
                    if len(canon) < 10_000:
                        canon[core] = c
                hits.append((m.start(), m.end(), c))
                for e in entries[c]:
                    if e.term is not None and e.group[0] != "~":
                        counts[(e.topic, e.term, e.group, where)] += 1
            seen.append((text, hits))
            where = "body"

        reports = []
        for ti, topic in enumerate(self._topics):
            found = tuple(
                TermMatch(term, group, where, n)
                for (i, term, group, where), n in counts.items()
                if i == ti
            )
            present = {m.group for m in found}
            lacking = min((s - present for s in topic.rule), key=lambda s: (len(s), sorted(s)))
            # How the groups are tied matters only where the rule holds: most texts stop here.
            link = "" if lacking else _link(topic, self._evidence(ti, seen))
            score = sum(topic.weights[m.where] * min(m.count, topic.max_count) for m in found)
            score += topic.weights[_LINK_WEIGHT[link]] if link in _LINK_WEIGHT else 0.0
            # A topic with a [relation] section needs a link: both named in one list, or once
            # each in unrelated paragraphs, is not a story about the two together.
            linked = topic.relation is None or link in _LINK_WEIGHT
            reports.append(
                TopicReport(
                    id=topic.id,
                    name=topic.name,
                    rule=topic.rule_text,
                    threshold=topic.threshold,
                    score=score,
                    kept=not lacking and linked and score >= topic.threshold,
                    matches=found,
                    same_paragraph=link in ("sentence", "paragraph"),
                    missing=tuple(sorted(lacking)),
                    link=link,
                    linked=linked,
                )
            )
        return reports

    def _evidence(self, ti: int, seen: list[tuple[str, list[tuple[int, int, str]]]]) -> _Evidence:
        """What the title and paragraphs show of the link between topic `ti`'s groups."""
        ev = _Evidence()
        topic, rule_groups = self._topics[ti], self._rule_groups[ti]
        weights = topic.weights
        strongest = weights["same_sentence"] >= max(weights[w] for w in _LINK_WEIGHT.values())
        for n, (text, hits) in enumerate(seen):
            found = [(a, b, e) for a, b, c in hits for e in self._entries[c] if e.topic == ti]
            # A paragraph without a term of the rule's groups shows nothing of the link.
            if found and (n == 0 or any(e.group in rule_groups for _, _, e in found)):
                _read_unit(topic.rule, rule_groups, text, found, ev, is_title=n == 0)
                if ev.sentence and strongest:  # nothing later can weigh more
                    break
        return ev


def _read_unit(
    rule: list[frozenset[str]],
    rule_groups: frozenset[str],
    text: str,
    found: list[tuple[int, int, _Entry]],
    ev: _Evidence,
    is_title: bool,
) -> None:
    """Add what one title or paragraph (one topic's hits, in text order) shows of the link."""
    # Sentence numbers, from the sentence ends between one hit and the next.
    hits: list[tuple[int, int, int, _Entry]] = []
    sentence, last_end = 0, 0
    for start, end, e in found:
        if start > last_end and _STOP.search(text, last_end, start):
            sentence += 1
        hits.append((start, end, sentence, e))
        last_end = max(last_end, end)
    # 1. Mentions that are items of a list of countries, or compared (`রাশিয়ার মতো`), are
    # side by side rather than related: a chain of names joined only by `,` `ও` `বা` ...
    # is a list when a peer country is in it.
    listed = [False] * len(hits)
    chain: list[int] = []
    chain_has_peer = False
    last, last_end, last_sentence = -1, -1, -1  # the previous name
    for i, (start, end, sentence, e) in enumerate(hits):
        if e.group == _COMPARE:
            if (
                last >= 0
                and last_sentence == sentence
                and _COMPARE_GAP.fullmatch(text, last_end, start)
            ):
                listed[last] = True
            continue
        if e.group == _RELATION or (
            e.term is not None and e.group not in rule_groups and e.group != _PEER
        ):
            continue  # not a name of a country or its people
        joined = sentence == last_sentence and (
            start < last_end or _LIST_GAP.fullmatch(text, last_end, start) is not None
        )
        if not joined:
            if chain_has_peer:
                for j in chain:
                    listed[j] = True
            chain, chain_has_peer = [], False
        chain.append(i)
        chain_has_peer |= e.group == _PEER
        last, last_end, last_sentence = i, end, sentence
    if chain_has_peer:
        for j in chain:
            listed[j] = True

    # 2. Per sentence: the groups named, those named other than as list items, and whether a
    # relation word (or a term of a group the rule does not name, such as `context`) is there.
    named: dict[int, set[str]] = defaultdict(set)
    free: dict[int, set[str]] = defaultdict(set)
    related: set[int] = set()
    for (_, _, sentence, e), is_listed in zip(hits, listed, strict=True):
        if e.term is None or e.group == _PEER or e.group == _COMPARE:
            continue
        if e.group == _RELATION or e.group not in rule_groups:
            related.add(sentence)
            continue
        named[sentence].add(e.group)
        if not is_listed:
            free[sentence].add(e.group)

    def holds(groups: set[str]) -> bool:
        return any(r <= groups for r in rule)

    for sentence, groups in named.items():
        if holds(free[sentence]) or (sentence in related and holds(groups)):
            ev.sentence = True
        elif holds(groups):
            ev.listed = True
        if sentence in related or is_title:  # what the headline names is what it is about
            ev.related |= groups
    unit_free = set().union(*free.values()) if free else set()
    if holds(unit_free):
        ev.paragraph = True
    elif named and holds(set().union(*named.values())):
        ev.listed = True
    if is_title and related:
        ev.headline = True
        if not named:  # a headline on the relation that names neither side: it covers all
            ev.related |= rule_groups


def _link(topic: _Topic, ev: _Evidence) -> str:
    """The link level (`LINKS`) of a text whose rule holds and whose units were read into `ev`."""
    achieved = [
        name
        for name, ok in (
            ("sentence", ev.sentence),
            ("paragraph", ev.paragraph),
            ("relation", any(r <= ev.related for r in topic.rule)),
            ("headline", ev.headline),
        )
        if ok
    ]
    if achieved:  # the one that weighs most (the stronger on a tie)
        return max(achieved, key=lambda n: (topic.weights[_LINK_WEIGHT[n]], -LINKS.index(n)))
    return "list" if ev.listed else "apart"


def _pass_on_nested_terms(
    entries: dict[str, dict[tuple[int, str], _Entry]], words: dict[str, tuple[str, ...]]
) -> None:
    """Keep topics and groups independent of each other.

    A long phrase claims its span in the shared regex, so a whole-word term of another group
    inside it (`কোরিয়া` inside another topic's `দক্ষিণ কোরিয়া`) must still count from there.
    Only a group's own exclude phrase (or its own longer term) shadows its terms.
    """
    for long_c, long_entries in entries.items():
        long_words = words[long_c]
        for short_c, short_entries in entries.items():
            n = len(words[short_c])
            if n >= len(long_words) or not any(
                long_words[i : i + n] == words[short_c] for i in range(len(long_words) - n + 1)
            ):
                continue
            for owner, e in short_entries.items():
                if e.term is not None:
                    long_entries.setdefault(owner, e)

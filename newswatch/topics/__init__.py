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

Matching runs on the key form (`newswatch.text.key`), with Bengali-aware word boundaries: a term
may be followed by an inflection (`রাশিয়ার`, `মস্কোকে`, `কিম জং উনের`) but not by other letters
(`রুশ` does not match inside `রুশদি`). One regex holds every term of every topic, so each text is
scanned once however many topics there are.

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
    same_paragraph: bool  # the rule holds within the title or one paragraph: the bonus was added
    missing: tuple[str, ...]  # groups lacking for the nearest way to satisfy the rule; () if met

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


def _term_pattern(term_key: str) -> str:
    return f"[{_SEP_CHARS}]*".join(map(re.escape, _TERM_SEP.split(term_key)))


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


_TOP_KEYS = {"id", "name", "rule", "threshold", "max_count", "weights", "groups"}
_WEIGHT_KEYS = {"title", "body", "same_paragraph"}
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
    if not isinstance(weights_in, dict) or set(weights_in) != _WEIGHT_KEYS:
        got = sorted(weights_in) if isinstance(weights_in, dict) else weights_in
        raise fail(f"[weights] must set exactly {sorted(_WEIGHT_KEYS)}, got {got}", r"^\[weights\]")
    weights = {k: number(v, f"weights.{k}", rf"^\s*{k}\s*=") for k, v in sorted(weights_in.items())}

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
    return _Topic(
        topic_id, data["name"], threshold, max_count, weights, groups, rule, path, rule_text
    )


# --- the matcher ----------------------------------------------------------------------------


@dataclass(frozen=True)
class _Entry:
    topic: int  # index into TopicSet._topics
    group: str
    term: str | None  # None: an exclude phrase (claims its span, counts for nothing)


class TopicSet:
    """Loaded topics and the one regex that finds all their terms."""

    def __init__(self, topics: Sequence[_Topic]) -> None:
        self._topics = list(topics)
        self.ids: list[str] = [t.id for t in self._topics]
        # canonical phrase -> {(topic, group): entry}: what one hit means to each group that cares
        entries: dict[str, dict[tuple[int, str], _Entry]] = defaultdict(dict)
        words: dict[str, tuple[str, ...]] = {}
        patterns: dict[str, str] = {}  # regex pattern -> canonical phrase
        for ti, topic in enumerate(self._topics):
            for group, (terms, exclude) in topic.groups.items():
                for phrase, term in [(e, None) for e in exclude] + [
                    (t, normalize(t)) for t in terms
                ]:
                    k = key(phrase)
                    c = _canon(k)
                    prev = entries[c].setdefault((ti, group), _Entry(ti, group, term))
                    if (prev.term is None) != (term is None):
                        raise TopicError(
                            f"{topic.path}: {phrase!r} is both a term and an exclude "
                            f"of groups.{group}; keep one"
                        )
                    words.setdefault(c, tuple(_TERM_SEP.split(k)))
                    patterns.setdefault(_term_pattern(k), c)
            for c, by_group in entries.items():
                owners = [g for (i, g), e in by_group.items() if i == ti and e.term is not None]
                if len(owners) > 1:
                    raise TopicError(
                        f"{topic.path}: {' '.join(words[c])!r} is a term of groups {owners}; "
                        "keep it in one"
                    )
        _pass_on_nested_terms(entries, words)
        self._entries = {c: tuple(by_group.values()) for c, by_group in entries.items()}
        self._canon_cache: dict[str, str] = {}  # matched text -> canonical phrase
        # Longest first, so a longer phrase (a term or an exclude) wins over one it contains.
        alternation = "|".join(sorted(patterns, key=lambda p: (-len(patterns[p]), p)))
        self._regex = re.compile(
            f"(?<![{_WORD_CHAR}])(?P<core>{alternation}){_SUFFIX}(?![{_WORD_CHAR}])"
        )

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
        together: set[int] = set()  # topics whose rule holds within the title or one paragraph
        units: list[tuple[Where, str]] = [("title", title)]
        units += [("body", p) for p in paragraphs]
        entries, canon = self._entries, self._canon_cache
        for where, text in units:
            groups_here: dict[int, set[str]] = defaultdict(set)
            for m in self._regex.finditer(_match_key(text)):
                core = m.group("core")
                c = canon.get(core)
                if c is None:
                    c = _canon(core)
                    if len(canon) < 10_000:
                        canon[core] = c
                for e in entries[c]:
                    if e.term is not None:
                        counts[(e.topic, e.term, e.group, where)] += 1
                        groups_here[e.topic].add(e.group)
            together.update(
                ti for ti, gs in groups_here.items() if any(r <= gs for r in self._topics[ti].rule)
            )

        reports = []
        for ti, topic in enumerate(self._topics):
            found = tuple(
                TermMatch(term, group, where, n)
                for (i, term, group, where), n in counts.items()
                if i == ti
            )
            present = {m.group for m in found}
            lacking = min((s - present for s in topic.rule), key=lambda s: (len(s), sorted(s)))
            score = sum(topic.weights[m.where] * min(m.count, topic.max_count) for m in found)
            if ti in together:
                score += topic.weights["same_paragraph"]
            reports.append(
                TopicReport(
                    id=topic.id,
                    name=topic.name,
                    rule=topic.rule_text,
                    threshold=topic.threshold,
                    score=score,
                    kept=not lacking and score >= topic.threshold,
                    matches=found,
                    same_paragraph=ti in together,
                    missing=tuple(sorted(lacking)),
                )
            )
        return reports


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

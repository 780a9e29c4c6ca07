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
    terms = ["সেনা", "অস্ত্র"]       # relation words (a term of a group the rule does not name,
    meetings = ["সফর", "চুক্তি"]     # such as `context`, counts as one too); `meetings` also
                                    # tie a side to another country
    pairs = ["দুই দেশ"]             # relation words that refer to the two countries last named
                                    # (`terms` and `pairs` also link one side to the other
                                    # named in the same or the next paragraph)
    exclude = ["পরমাণু অস্ত্র"]      # phrases that are not relation words, comparisons or peers
    peers = ["চীন", "ইরান"]          # a side listed with these (`ইরান, উত্তর কোরিয়া ও রাশিয়া`)
    compare = ["মতো"]               # ... or compared (`রাশিয়ার মতো`) is no link
    compare_window = 6              # words allowed between a name and its comparison word
    contrast = [", আর", "অন্যদিকে"]  # clauses joined by these are about separate actors
    listing = ["ভোট", "দেশগুলো"]     # a sentence with these tallies countries: names are items
    counted = ["দেশ"]               # ... as does a count of three or more of these (`১২টি দেশ`)
    counts = ["চার", "কয়েক"]         # number words for that count (digits need no listing)
    digest = ["এক নজরে"]            # a title with these heads unrelated items
    anywhere = ["ties"]             # groups (defined like `context`) whose terms link anywhere

With `[relation]`, the groups must be linked: in one sentence or paragraph (not only as items of
one list, a tally or a comparison, nor across a contrast), or each named in the title or beside a
relation word (not as a list item), or by a `দুই দেশ` right after both, or by an `anywhere` term,
or under a headline with a relation word that names a side; or, in sparse stories, by a `terms`
or `pairs` word beside one side with the other side named in that paragraph or the next
(`মস্কোর ... হাসপাতালে` then `উত্তর কোরিয়ার সৈন্যরা`). A headline with a relation word that
names no country ties the sides the body names other than as list items. A headline whose meeting
word ties one side to another country (`বেলারুশের প্রেসিডেন্টের পিয়ংইয়ং সফর`) makes the story
about that pair: it gives no link, nor do body sentences where a side is tied to another country,
and the other side named in one sentence only is a passing mention. A headline means what its
body says: a side the body names only in comparisons is compared in the headline too. Under a
digest title only links within one paragraph count. The strongest link adds its weight
(`same_sentence`, `same_paragraph`, `relation`, `headline`; optional, so older files score as
before) once; `TopicReport.why` says which of these rules set mentions apart or tied them.

Matching runs on the key form (`newswatch.text.key`), with Bengali-aware word boundaries: a term
may be followed by an inflection (`রাশিয়ার`, `মস্কোকে`, `কিম জং উনের`) but not by other letters
(`রুশ` does not match inside `রুশদি`). One regex (a trie of every term and every word of every
`[relation]`) scans each text once however many topics there are; contrasts and counts are
looked for only in sentences that name the rule's groups.

`TopicSet.match` gives the topics an article is kept for; `TopicSet.explain` gives every topic's
score, terms and, for a miss, the group that was lacking (`newswatch topics explain`).
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, fields
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
    # How mentions were read where a rule of `[relation]` set them apart or tied them: a list
    # item (`সহ`, `১২টি দেশ`), a comparison, a contrast, another country's relation ...
    why: tuple[str, ...] = ()

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
class _RelationSpec:
    """A topic's `[relation]` section as written (see `russia_dprk.toml` for what each means)."""

    terms: list[str]
    meetings: list[str] = field(default_factory=list)  # visits, treaties: relation words too
    exclude: list[str] = field(default_factory=list)
    peers: list[str] = field(default_factory=list)
    compare: list[str] = field(default_factory=list)
    compare_window: int = 0  # words allowed between a name and a comparison word after it
    pairs: list[str] = field(default_factory=list)  # `দুই দেশ`: the two countries just named
    contrast: list[str] = field(default_factory=list)  # `, আর`, `অন্যদিকে`: separate actors
    listing: list[str] = field(default_factory=list)  # `ভোট`, `দেশগুলো`: a tally of countries
    counted: list[str] = field(default_factory=list)  # `দেশ`: a list when three or more
    counts: list[str] = field(default_factory=list)  # `চার`, `কয়েক`: numbers of three or more
    digest: list[str] = field(default_factory=list)  # `এক নজরে`: a title of unrelated items
    anywhere: list[str] = field(default_factory=list)  # groups that link wherever they occur


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
    # [relation] as written; None when the file has none
    relation: _RelationSpec | None = None
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
# The lists of a [relation] section, in file order (all of `_RelationSpec` but compare_window)
_RELATION_LISTS = tuple(f.name for f in fields(_RelationSpec) if f.name != "compare_window")
_RELATION_KEYS = {*_RELATION_LISTS, "compare_window"}
_GROUP_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
# A contrast, listing or count phrase: words, or a comma then words (`, আর`).
_PHRASE_KEY = re.compile(r",?\s*[\u0980-\u09ffA-Za-z0-9]+(?:[\s\-]+[\u0980-\u09ffA-Za-z0-9]+)*")


def _phrase_list(items: Any) -> bool:
    """A list of strings, each with something left to match once in key form."""
    return isinstance(items, list) and all(isinstance(t, str) and _canon(key(t)) for t in items)


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
            if not _phrase_list(items):
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
        lists: dict[str, list[str]] = {}
        for k in _RELATION_LISTS:
            items = rel.get(k, [])
            if not _phrase_list(items):
                # `terms` and `exclude` are also keys of [groups.*]: name the section instead
                where = header if k in ("terms", "exclude") else rf"^\s*{k}\s*="
                raise fail(f"relation.{k} must be a list of non-empty strings", where)
            lists[k] = items
        if not lists["terms"] + lists["meetings"] + lists["pairs"]:
            raise fail("relation.terms is empty: list the words that tie the groups", header)
        window = rel.get("compare_window", 0)
        if isinstance(window, bool) or not isinstance(window, int) or not 0 <= window <= 20:
            raise fail(
                f"relation.compare_window must be an integer from 0 to 20, not {window!r}",
                r"^\s*compare_window\s*=",
            )
        anywhere_line = r"^\s*anywhere\s*="
        for g in lists["anywhere"]:
            if g not in groups:
                raise fail(
                    f"relation.anywhere names unknown group {g!r}; groups defined: "
                    f"{sorted(groups)}",
                    anywhere_line,
                )
            if any(g in s for s in rule):
                raise fail(
                    f"relation.anywhere: group {g!r} is in the rule; list only groups the rule "
                    "does not name (places and things that exist because of the link)",
                    anywhere_line,
                )
        for k in ("contrast", "listing", "counted", "counts", "digest"):
            for t in lists[k]:
                if not _PHRASE_KEY.fullmatch(key(t)):
                    raise fail(
                        f"relation.{k}: {t!r} must be words (letters or digits), optionally "
                        "after a comma",
                        rf"^\s*{k}\s*=",
                    )
        relation = _RelationSpec(**lists, compare_window=window)
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
# groups, never count as terms, never appear in `matches`, and no rule can name them. A relation
# word is a `_PASSING` word (`terms`: arms, troops, workers passing between the two) or a
# `_MEETING` word (`meetings`: visits, treaties, trade); `pairs` (`দুই দেশ`) are both.
_PASSING, _MEETING, _PAIR, _PEER = "~passing", "~meeting", "~pair", "~peer"
_COMPARE, _LISTING, _COUNTED, _DIGEST = "~compare", "~listing", "~counted", "~digest"
# For reading a text, one entry stands for all the [relation] roles of a phrase (`দুই দেশ` is a
# relation word, a meeting word and a pair word): its group is this, its roles the pseudo-groups.
_ROLES = "~roles"
# Sentence ends inside a title or paragraph: the danda (and double danda), ?, ! and line breaks.
_STOP = re.compile("[\u0964\u0965?!\n]")
# What stands between two items of one list of countries (`ইরান, উত্তর কোরিয়া ও রাশিয়া`,
# `চীন-রাশিয়া-উত্তর কোরিয়া`): a separator or a conjunction. A bare space is not enough: in
# `যুক্তরাষ্ট্র উত্তর কোরিয়াকে ...` they are subject and object. Runs on the key form, like
# everything below.
_CONJ = "ও|এবং|বা|আর|কিংবা|অথবা|এমনকি"
_LIST_GAP = re.compile(rf"\s*(?:[,،;/\-\u2013]\s*(?:(?:{_CONJ})\s+)?|(?:{_CONJ})\s+)")
# Parallel phrases of a series, each opened by a country in the genitive, also make a list
# (`রাশিয়ার ... হুমকি, চীনের ... বাড়ানো এবং উত্তর কোরিয়ার ... পরীক্ষা`): up to the next name, a
# few words with no clause boundary or finite verb, ending in a separator or a conjunction.
_GENITIVE = frozenset(map(key, ["র", "ের", "এর", "য়ের"]))
_SERIES_GAP = re.compile(
    rf"[^,;:()\u0964\u0965?!\u2013\u2014]*?(?:,\s*(?:(?:{_CONJ})\s+)?|\s(?:{_CONJ})\s+)"
)
_SERIES_WORDS = 8
# Between a name and a comparison word right after it (`রাশিয়ার মতো`), for `compare_window = 0`.
_COMPARE_GAP = re.compile(r"[\s\-]*")
_COORD = frozenset(("ও", "এবং", "বা", "কিংবা", "অথবা"))
_WORDS = re.compile(f"[{_WORD_CHAR}]+")
# A clause ends at punctuation or at a finite verb (`করেছে`, `বলেন`, `করল`, `হবে`, `হয়`).
_CLAUSE_PUNCT = re.compile("[,;:()\u0964\u0965?!\u2013\u2014]")
_VERB_ENDINGS = tuple(
    map(key, ["ছে", "ছেন", "ছিল", "ছিলো", "ছিলেন", "বে", "বেন", "লেন", "লো", "ল", "েন"])
)
_VERB_WORDS = frozenset(
    map(key, ["হয়", "হন", "নয়", "নেই", "যায়", "পারে", "করে", "দেয়", "নেয়", "বলে"])
)
_NOT_VERBS = frozenset(map(key, ["কাছে", "ইউক্রেন", "ট্রেন"]))
# `হাজারের মতো`, `৫০টির মতো`: about an amount, not like a country.
_AMOUNT = re.compile(key(r"(?:\d|হাজার|লাখ|লক্ষ|কোটি|শত|শো|ডজন|টি|টা|জন)(?:ের|এর|র|য়ের)?$"))
# A country named in the locative is a place (`ইউক্রেনে`, `মস্কোয়`), not a party to a relation;
# nor is the country of a war, an enemy or sanctions (`ইউক্রেন যুদ্ধে`, `ইউক্রেনের বিরুদ্ধে`,
# `মার্কিন নিষেধাজ্ঞার আওতায়`), nor a language (`চীনা ভাষা`). Neither is one of the `দুই দেশ`
# named after it.
_LOCATIVE = frozenset(map(key, ["ে", "য়", "তে", "য়ে"]))
_NOT_PARTY = tuple(map(key, ["যুদ্ধ", "বিরুদ্ধ", "বিপক্ষ", "নিষেধাজ্ঞা", "ভাষা"]))
# Nor is a country that says or fears something (`মার্কিন ... কর্মকর্তা আশঙ্কা প্রকাশ করেছেন,
# ... দুই দেশের`): a source, not one of the countries it speaks of. Word beginnings, a few words
# after the name, before its clause's verb.
_SPEECH_STEMS = "বলে বলছ বলেছ বলল বলেন জানিয় জানান জানায় দাবি আশঙ্কা অভিযোগ উদ্বেগ মন্তব্য বিবৃতি"
_SPEECH = tuple(map(key, _SPEECH_STEMS.split()))
_SPEECH_WORDS = 6
_MANY_PEERS = 3  # other countries in one sentence that make its list a long one
_INCLUDING = key("সহ")  # `উত্তর কোরিয়াসহ ১২ দেশ`: one item of a longer list

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
    group: str  # a group of the topic file, or a [relation] pseudo-group, or _ROLES
    term: str | None  # None: an exclude phrase (claims its span, counts for nothing)
    roles: frozenset[str] = frozenset()  # for _ROLES: the pseudo-groups the phrase is in


@dataclass(frozen=True)
class _Rules:
    """What reading a text needs of one topic, compiled once."""

    rule: list[frozenset[str]]
    groups: frozenset[str]  # the groups the rule names
    window: int  # words allowed between a name and a comparison word
    contrast: re.Pattern[str] | None  # `, আর`, `অন্যদিকে` ...
    count: re.Pattern[str] | None  # a number of three or more, ending where a counted noun starts
    anywhere: frozenset[str]  # groups whose terms link the rule's groups wherever they occur
    pairs: bool = False  # the topic has `দুই দেশ` words

    def holds(self, groups: set[str]) -> bool:
        if len(self.rule) == 1:  # the usual `a AND b`: one C call
            return self.rule[0].issubset(groups)
        return any(r <= groups for r in self.rule)


def _phrase_pattern(phrases: Iterable[str]) -> str:
    """Key-form phrases as whole words; a leading comma stays a comma (`, আর`)."""
    parts = []
    for phrase in sorted({key(p) for p in phrases}, key=len, reverse=True):
        comma, words = phrase.startswith(","), _TERM_SEP.split(phrase.lstrip(", ").strip())
        body = f"[{_SEP_CHARS}]+".join(map(re.escape, words))
        parts.append((r",\s*" if comma else f"(?<![{_WORD_CHAR}])") + body)
    return f"(?:{'|'.join(parts)})(?![{_WORD_CHAR}])"


def _compile_rules(topic: _Topic, groups: frozenset[str]) -> _Rules:
    rel = topic.relation
    if rel is None:
        return _Rules(topic.rule, groups, 0, None, None, frozenset())
    contrast = re.compile(_phrase_pattern(rel.contrast)) if rel.contrast else None
    count = None
    if rel.counted:
        # `১২`, `১২টি`, `১৯০টির বেশি`, `চার`, `কয়েকটি` right before `দেশ`: three or more.
        words = f"(?<![{_WORD_CHAR}])(?:{'|'.join(map(re.escape, map(key, rel.counts)))})"
        number = r"(?<![\d.,/])(?:[3-9]|[1-9]\d+)"
        count = re.compile(
            (f"(?:{number}|{words})" if rel.counts else number)
            + key(r"(?:\s*(?:টি|টা))?(?:রও|র|ও|ই)?(?:\s+(?:বেশি|অধিক))?\s*$")
        )
    return _Rules(
        topic.rule,
        groups,
        rel.compare_window,
        contrast,
        count,
        frozenset(rel.anywhere),
        bool(rel.pairs),
    )


@dataclass
class _Evidence:
    """What one topic has seen of the link between its rule's groups, unit by unit."""

    sentence: bool = False  # the rule holds in one sentence (not only as list items)
    paragraph: bool = False  # ... in one paragraph or the title
    listed: bool = False  # ... somewhere, but only counting list items or comparisons
    headline: bool = False  # the title has a relation word and names a side
    cover: bool = False  # the title has a relation word and names no side and no other country
    cover_meeting: bool = False  # ... and that word is a word of visits, treaties or trade
    partner: bool = False  # the title ties one side to another country (`বেলারুশের ... সফর`)
    digest: bool = False  # the title announces unrelated items (`এক নজরে`)
    # a `terms` or `pairs` word beside one side, the other side in its paragraph or the next
    near: str = ""  # that word
    # groups named in the title, or in a sentence with a relation word
    related: set[str] = field(default_factory=set)
    # groups named beside a word of visits, treaties or trade only: such a word ties a side to
    # anyone, so these count once another side is related more firmly
    met: set[str] = field(default_factory=set)
    recent: list[str] = field(default_factory=list)  # the last two countries named
    why: list[str] = field(default_factory=list)  # what kept a mention from linking
    title_free: set[str] = field(default_factory=set)  # groups the title names (not as items)
    mentions: dict[str, int] = field(default_factory=dict)  # body sentences naming each group
    # ... of them, those that also name another country as a party
    beside_peer: dict[str, int] = field(default_factory=dict)
    compared: set[str] = field(default_factory=set)  # groups the body names in a comparison
    # for `near`, the last paragraph read: its number, the groups beside a `terms` or `pairs`
    # word, the groups named, the word
    last: tuple[int, set[str], set[str], str] = (-2, set(), set(), "")
    # The title's links (sentence, paragraph, headline, related), held back while the body may
    # name a side of the title only in comparisons (see `_link`); None when they are counted.
    held: tuple[bool, bool, bool, set[str]] | None = None

    def note(self, reason: str) -> None:
        if reason not in self.why:
            self.why.append(reason)

    def hold_title(self) -> None:
        self.held = (self.sentence, self.paragraph, self.headline, self.related)
        self.sentence = self.paragraph = self.headline = False
        self.related = set()

    def release_title(self) -> None:
        if self.held:
            sentence, paragraph, headline, related = self.held
            self.sentence |= sentence
            self.paragraph |= paragraph
            self.headline |= headline
            self.related |= related
        self.held = None


_BENGALI_DIGITS = str.maketrans("0123456789", "০১২৩৪৫৬৭৮৯")
_BENGALI_LETTER = re.compile("[\u0985-\u09b9]")


def _display(text: str) -> str:
    """A key-form piece of a text, for `why`: Bengali digits again in Bengali text."""
    text = unicodedata.normalize("NFC", text)
    return text.translate(_BENGALI_DIGITS) if _BENGALI_LETTER.search(text) else text


def _is_verb(word: str) -> bool:
    return word in _VERB_WORDS or (word.endswith(_VERB_ENDINGS) and word not in _NOT_VERBS)


def _same_clause(text: str, start: int, end: int, contrast: re.Pattern[str] | None) -> bool:
    """No clause boundary in `text[start:end]`: punctuation, a finite verb or a contrast."""
    if start >= end:
        return True
    if _CLAUSE_PUNCT.search(text, start, end):
        return False
    if any(_is_verb(w) for w in _WORDS.findall(text, start, end)):
        return False
    return not (contrast and contrast.search(text, start, end))


def _suffix(text: str, core_end: int, end: int) -> str:
    """The inflection after a term, without a hyphen or an emphatic ও/ই (`সহ`, `ের`, `য়`)."""
    s = text[core_end:end].lstrip("-")
    return s[:-1] if s and s[-1] in "ওই" else s


class TopicSet:
    """Loaded topics and the one regex that finds all their terms."""

    def __init__(self, topics: Sequence[_Topic]) -> None:
        self._topics = list(topics)
        self.ids: list[str] = [t.id for t in self._topics]
        self._rule_groups = [frozenset().union(*t.rule) for t in self._topics]
        self._rules = [
            _compile_rules(t, g) for t, g in zip(self._topics, self._rule_groups, strict=True)
        ]
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
            if rel := topic.relation:
                # An exclude phrase is no relation word, no comparison and no other country.
                for group in (_PASSING, _MEETING, _COMPARE, _PEER):
                    phrases += [(group, t, None) for t in rel.exclude]
                for group, items in (
                    (_PASSING, rel.terms + rel.pairs),
                    (_MEETING, rel.meetings + rel.pairs),
                    (_PAIR, rel.pairs),
                    (_PEER, rel.peers),
                    (_COMPARE, rel.compare),
                    (_LISTING, rel.listing),
                    (_COUNTED, rel.counted),
                    (_DIGEST, rel.digest),
                ):
                    phrases += [(group, t, normalize(t)) for t in items]
            for group, phrase, term in phrases:
                k = key(phrase)
                c = _canon(k)
                prev = entries[c].setdefault((ti, group), _Entry(ti, group, term))
                if (prev.term is None) != (term is None):
                    where = "[relation]" if group.startswith("~") else f"groups.{group}"
                    raise TopicError(
                        f"{topic.path}: {phrase!r} is both a term and an exclude of {where}; "
                        "keep one"
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
        # Per topic, what reading a text needs: canonical phrase -> that topic's entries that
        # count (no exclude phrase), all of a phrase's [relation] roles in one _ROLES entry; the
        # phrases that name a side of its rule; those naming another country or `দুই দেশ` (what
        # a paragraph without a side needs); and its comparison words.
        self._topic_entries = [_reading_entries(self._entries, ti) for ti in range(len(topics))]
        self._side_phrases = [
            {c for c, es in te.items() if any(e.group in rg for e in es)}
            for te, rg in zip(self._topic_entries, self._rule_groups, strict=True)
        ]
        self._names_only_phrases = [
            {c for c, es in te.items() if any(e.roles & {_PEER, _PAIR} for e in es)}
            for te in self._topic_entries
        ]
        self._compare_phrases = [
            {c for c, es in te.items() if any(_COMPARE in e.roles for e in es)}
            for te in self._topic_entries
        ]
        # canonical phrase -> the counts one hit adds to, (in the title, in the body): only the
        # terms of real groups count (most hits are of [relation] words and other countries)
        self._count_keys = {
            c: tuple(
                tuple((e.topic, e.term, e.group, w) for e in es if e.term and e.group[0] != "~")
                for w in ("title", "body")
            )
            for c, es in self._entries.items()
        }
        self._canon_cache: dict[str, str] = {}  # matched text -> canonical phrase
        # The longest phrase at a position wins, so a term or exclude claims what it contains.
        self._regex = re.compile(
            f"(?<![{_WORD_CHAR}])(?P<core>{_trie_pattern(sorted(term_keys))}){_SUFFIX}"
            f"(?![{_WORD_CHAR}])"
        )

    def search_terms(self) -> list[str]:
        """The topics' `search` phrases, in file order, each once."""
        return list(dict.fromkeys(t for topic in self._topics for t in topic.search))

    def required_terms(self) -> list[tuple[list[frozenset[str]], dict[str, list[str]]]]:
        """Per topic: its rule (alternatives, each a set of groups that must all be found) and
        the terms, as written, of every group the rule names (newswatch/topics/precheck.py)."""
        return [
            (topic.rule, {g: list(topic.groups[g][0]) for g in frozenset().union(*topic.rule)})
            for topic in self._topics
        ]

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
        return [r.to_match() for r in self._reports(title, paragraphs, full=False) if r.kept]

    def explain(self, title: str, paragraphs: Sequence[str]) -> list[TopicReport]:
        """Every topic's score and terms for this text, kept or not, in `ids` order."""
        return self._reports(title, paragraphs, full=True)

    def _reports(self, title: str, paragraphs: Sequence[str], full: bool) -> list[TopicReport]:
        """`explain`; with `full=False` (for `match`) the link is read only until the score can
        no longer rise, so the reports' `link` and `why` may stop short, never `score` or `kept`.
        """
        # (topic, term, group, where) -> count, insertion-ordered: title first, then body order
        counts: dict[tuple[int, str, str, Where], int] = defaultdict(int)
        # (key text, [(start, end, canonical phrase, end of the term before its suffix)]) of
        # each unit (title, then paragraphs)
        seen: list[tuple[str, list[tuple[int, int, str, int]]]] = []
        count_keys, canon = self._count_keys, self._canon_cache
        place = 0  # the title, then the body
        for text in (title, *paragraphs):
            text = _match_key(text)
            hits = []
            for m in self._regex.finditer(text):
                core = m.group(1)  # "core": the term without its inflection
                c = canon.get(core)
                if c is None:
                    c = _canon(core)
                    if len(canon) < 10_000:
                        canon[core] = c
                start, end = m.span()
                hits.append((start, end, c, start + len(core)))
                for k in count_keys[c][place]:
                    counts[k] += 1
            seen.append((text, hits))
            place = 1

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
            link, why = "", ()
            if not lacking:
                ev = self._evidence(ti, seen, full)
                link = _link(self._rules[ti], topic.weights, ev, present)
                why = tuple(ev.why)
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
                    why=why,
                )
            )
        return reports

    def _evidence(
        self, ti: int, seen: list[tuple[str, list[tuple[int, int, str, int]]]], full: bool = True
    ) -> _Evidence:
        """What the title and paragraphs show of the link between topic `ti`'s groups."""
        ev = _Evidence()
        rules, weights = self._rules[ti], self._topics[ti].weights
        entries, sides = self._topic_entries[ti], self._side_phrases[ti]
        names_only = self._names_only_phrases[ti] if rules.pairs else set()
        best = max(weights[w] for w in _LINK_WEIGHT.values())
        strongest = weights["same_sentence"] >= best
        # Evidence only grows, so once the links found weigh the most a link can, later text
        # changes only which link `explain` names, not the score.
        enough = not full and weights["relation"] >= best
        for n, (text, hits) in enumerate(seen):
            phrases = [h[2] for h in hits]
            if n and sides.isdisjoint(phrases):
                if not names_only.isdisjoint(phrases):
                    _read_names_only(rules, text, hits, entries, ev)
                continue
            found = [(a, b, ce, e) for a, b, c, ce in hits for e in entries.get(c, ())]
            if not found:
                continue
            _read_unit(rules, text, found, ev, n)
            if n == 0 and ev.title_free and self._may_compare(ti, seen, ev.title_free):
                ev.hold_title()
            if ev.held and ev.title_free <= ev.mentions.keys():
                ev.release_title()  # the body names the title's sides other than compared
            if ev.partner and any(ev.mentions.get(g, 0) < 2 for g in rules.groups - ev.title_free):
                continue  # `_link` needs to know whether a side is named once only
            if ev.sentence and strongest:  # nothing later can weigh more
                break
            if enough and not ev.digest and rules.holds(ev.related):
                break
        return ev

    def _may_compare(
        self, ti: int, seen: list[tuple[str, list[tuple[int, int, str, int]]]], sides: set[str]
    ) -> bool:
        """Whether the body names one of these groups, and only in paragraphs that compare."""
        compares, entries = self._compare_phrases[ti], self._topic_entries[ti]
        side_phrases = self._side_phrases[ti]
        compared: set[str] = set()  # groups named in a paragraph with a comparison word
        plain: set[str] = set()  # ... in one without
        for _, hits in seen[1:]:
            phrases = {h[2] for h in hits}
            named = {e.group for c in phrases & side_phrases for e in entries[c]} & sides
            if compares.isdisjoint(phrases):
                plain |= named
                if plain >= sides:
                    return False
            else:
                compared |= named
        return bool(compared - plain)


def _read_unit(
    rules: _Rules,
    text: str,
    found: list[tuple[int, int, int, _Entry]],
    ev: _Evidence,
    para: int,
) -> None:
    """Add what the title (`para` 0) or a paragraph (one topic's hits, in text order) shows."""
    groups = rules.groups
    is_title = para == 0
    holds = rules.rule[0].issubset if len(rules.rule) == 1 else rules.holds
    # Sentence numbers, from the sentence ends between one hit and the next; on the way, what
    # the later steps need: each sentence's side names, tally words and counted nouns.
    # (start, end, core end, unit, entry); a unit is sentence * 100 + clause (see step 1)
    hits: list[tuple[int, int, int, int, _Entry]] = []
    sides: dict[int, list[int]] = defaultdict(list)  # unit -> its side names (hit indices)
    tally_hits: list[int] = []
    lists_or_compares = False  # another country, a comparison word or a `সহ`: see step 2
    u, last_end = 0, 0
    stop = _STOP.search
    for start, end, core_end, e in found:
        if start > last_end and stop(text, last_end, start):
            u += 100  # the next sentence
        hits.append((start, end, core_end, u, e))
        if end > last_end:
            last_end = end
        g = e.group
        if g in groups:
            sides[u].append(len(hits) - 1)
            if end - core_end > 1 and _INCLUDING in text[core_end:end]:
                lists_or_compares = True
        elif g == _ROLES:
            if not e.roles.isdisjoint((_PEER, _COMPARE)):
                lists_or_compares = True
            if not e.roles.isdisjoint((_LISTING, _COUNTED)):
                tally_hits.append(len(hits) - 1)

    party_memo: dict[int, bool] = {}

    def is_party(p: int) -> bool:
        """`_party` of a peer hit to anything in its clause, once per hit."""
        if p not in party_memo:
            party_memo[p] = _party(rules, text, None, hits[p])
        return party_memo[p]

    # 1. Sentences that tally countries (`১২টি দেশ`, `ভোট দিয়েছে`): what they name are items.
    # Sentences where a contrast (`, আর`, `অন্যদিকে`) stands between the sides are split into
    # clauses, each about its own actor.
    listed = [False] * len(hits)
    for i in tally_hits:
        s = hits[i][3]
        if s not in sides or all(listed[j] for j in sides[s]):
            continue
        words = _tally(rules, text, hits[i])
        if not words:
            continue
        ev.note(f"‘{_display(words)}’: the sentence tallies countries, its names are items")
        for j in sides[s]:
            listed[j] = True
    split: dict[int, str] = {}  # sentence -> the contrast that splits it
    if rules.contrast:
        for s, idx in sides.items():
            if len(idx) < 2 or not holds({hits[i][4].group for i in idx}):
                continue
            marks = list(rules.contrast.finditer(text, hits[idx[0]][1], hits[idx[-1]][0]))
            if marks:
                split[s] = marks[0].group().strip(", ")
                for i, h in enumerate(hits):
                    if h[3] == s:
                        clause = sum(1 for m in marks if m.start() < h[0])
                        hits[i] = (h[0], h[1], h[2], s + clause, h[4])

    # 2. Mentions that are items of a list of countries, or compared (`রাশিয়ার মতো`), are
    # side by side rather than related: a chain of names joined only by `,` `ও` `বা` ... is a
    # list when another country is in it, or when it ends in `সহ` (`রাশিয়া ও উত্তর কোরিয়াসহ`).
    if lists_or_compares:
        _mark_lists(rules, text, hits, listed, ev)
        if is_title:
            ev.compared.clear()  # only the body's comparisons explain the title (see `_link`)

    # 3. Per sentence (or clause): the groups named, those named other than as list items, the
    # other countries named, and whether a relation word (or a term of a group the rule does
    # not name, such as `context`) is there. `দুই দেশ` refers to the two countries last named.
    named: dict[int, set[str]] = defaultdict(set)
    free: dict[int, set[str]] = defaultdict(set)
    related: set[int] = set()
    meets: set[int] = set()  # units with a word of visits, meetings, treaties or trade
    other_rel: set[int] = set()  # units with another relation word (troops, arms, a place ...)
    passing: dict[int, str] = {}  # units with a `terms` or `pairs` word -> the first of them
    peers: dict[int, list[int]] = defaultdict(list)
    recent = ev.recent
    for i, (start, end, _, u, e) in enumerate(hits):
        g = e.group
        if g in groups:
            named[u].add(g)
            if not listed[i]:
                free[u].add(g)
                if not recent or recent[-1] != g:
                    _named_now(ev, g)
        elif g != _ROLES:  # a group the rule does not name (`context`): a relation word
            related.add(u)
            other_rel.add(u)
        else:
            roles = e.roles
            if _PEER in roles:
                peers[u].append(i)
                if not listed[i] and is_party(i):
                    _named_now(ev, _PEER + str(e.term))
            if _PAIR in roles:
                _pair_word(rules, text, start, end, ev)
            if _MEETING in roles:
                meets.add(u)
                related.add(u)
            if _PASSING in roles:
                passing.setdefault(u, text[start:end])
                related.add(u)
                other_rel.add(u)
            if _DIGEST in roles and is_title:
                ev.digest = True
                ev.note(f"‘{_display(text[start:end])}’: the title announces unrelated items")

    # 4. A word of visits, meetings, treaties or trade beside one side and another country, in
    # one clause, ties that side to that country (`বেলারুশের প্রেসিডেন্টের পিয়ংইয়ং সফর`); troops
    # and arms beside another country rather name a war or an enemy. A headline that is such a
    # tie (naming one side) makes the story about that pair: in its body, a sentence where a side
    # is tied to another country is about that tie, and links nothing, even naming both sides
    # (`রাশিয়ার ঘনিষ্ঠ মিত্র বেলারুশ পিয়ংইয়ংয়ের সঙ্গে সম্পর্ক জোরদার করছে`). Under any other
    # headline, such a sentence naming one side only relates that side to nothing.
    partnered: set[int] = set()
    elsewhere: set[int] = set()  # body units whose relation word is another country's
    pair_story = is_title or ev.partner
    in_pair_story = ev.partner and not is_title  # the body under such a headline
    if peers and meets:
        for u in meets & peers.keys():
            if not named.get(u) or (holds(named[u]) and not in_pair_story):
                continue
            if not pair_story and u in other_rel:
                continue  # troops or arms beside a side still tie it
            in_u = [i for i, h in enumerate(hits) if h[3] == u and h[4].group in groups]
            party = next(
                ((i, p) for p in peers[u] for i in in_u if _party(rules, text, hits[i], hits[p])),
                None,
            )
            if party:
                i, p = party
                (partnered if pair_story else elsewhere).add(u)
                ev.note(
                    f"‘{_display(text[hits[p][0] : hits[p][1]])}’: the relation word ties "
                    f"{hits[i][4].group} to another country, not to the other side"
                )
        if is_title and partnered:
            ev.partner = True

    # What a headline names (not as a list item) is what it is about; but a headline naming one
    # side and another country as a party (`দক্ষিণ কোরিয়ার নির্বাচনে উত্তর কোরিয়া নীতি`) is
    # about that country's affairs: there the side needs a relation word of its own.
    about = is_title and not any(is_party(p) for ps in peers.values() for p in ps)
    for u, gs in named.items():
        if is_title:
            ev.title_free |= free[u]
        else:
            peer_party = any(not listed[p] and is_party(p) for p in peers.get(u, ()))
            for g in free[u]:
                ev.mentions[g] = ev.mentions.get(g, 0) + 1
                if peer_party:
                    ev.beside_peer[g] = ev.beside_peer.get(g, 0) + 1
        if u in partnered:
            ev.listed |= holds(gs)
            continue
        rel = u in related
        # A relation word makes the sides' list a party to it (`রাশিয়া ও উত্তর কোরিয়াসহ কয়েকটি
        # দেশের যৌথ মহড়া`), but not in a long list: among three or more other countries, the
        # word is what each of them does.
        if holds(free[u]) or (rel and holds(gs) and len(peers.get(u, ())) < _MANY_PEERS):
            ev.sentence = True
        elif holds(gs):
            ev.listed = True
        if about or (rel and u in other_rel):
            ev.related |= free[u]  # a list item beside a relation word is one of many
        elif rel and u not in elsewhere:
            ev.met |= free[u]
    # Sides only in contrasted clauses of one sentence are side by side, and no paragraph link.
    apart = set(partnered)
    for s, marker in split.items():
        clauses = [u for u in named if u // 100 == s // 100]
        if not any(holds(free[u]) or (u in related and holds(named[u])) for u in clauses):
            ev.listed = True
            ev.note(f"‘{_display(marker)}’ sets the two sides apart as separate actors")
            apart.update(u for u in clauses if not holds(named[u]))
    unit_free: set[str] = set()
    # The sentences that name no other country as a party: only they link the sides across
    # sentences (`উত্তর কোরিয়ার নোদং ... তৈরি হয় ইরানের শাহাব-৩` is about Iran's missile).
    own = {u for u in free if u not in apart and not any(is_party(p) for p in peers.get(u, ()))}
    for u in own:
        unit_free |= free[u]
    if holds(unit_free):
        ev.paragraph = True
    elif named and holds(set().union(*named.values())):
        ev.listed = True
    if not (is_title or ev.partner or ev.near or ev.sentence):
        _read_near(rules, text, para, free, passing, own, ev)
    if is_title and related:
        if named and not ev.partner:
            ev.headline = True
        elif not named and not peers and not any(_tally(rules, text, hits[i]) for i in tally_hits):
            # A headline on the relation that names no country (see `_link`); one that counts
            # countries (`পাঁচ দেশের রাষ্ট্রদূত`) is about many, not about the two.
            ev.cover = True
            ev.cover_meeting = not (related & other_rel)


def _tally(rules: _Rules, text: str, hit: tuple[int, int, int, int, _Entry]) -> str:
    """The words of a tally hit (`ভোট`, or a counted noun with its count: `১২টি দেশের`), or ""."""
    start, end, _, _, e = hit
    if _LISTING in e.roles:
        return text[start:end]
    m = rules.count.search(text, max(0, start - 40), start) if rules.count else None
    return text[m.start() : end] if m else ""


def _read_names_only(
    rules: _Rules,
    text: str,
    hits: list[tuple[int, int, str, int]],
    entries: dict[str, tuple[_Entry, ...]],
    ev: _Evidence,
) -> None:
    """A paragraph without a side: only what a later `দুই দেশ` refers to, or what this one does."""
    for start, end, c, core_end in hits:
        for e in entries.get(c, ()):
            if _PEER in e.roles and _party(rules, text, None, (start, end, core_end, 0, e)):
                _named_now(ev, _PEER + str(e.term))
            if _PAIR in e.roles:
                _pair_word(rules, text, start, end, ev)


def _read_near(
    rules: _Rules,
    text: str,
    para: int,
    free: dict[int, set[str]],
    passing: dict[int, str],
    own: set[int],
    ev: _Evidence,
) -> None:
    """Step 5 of `_read_unit`: troops, arms or workers (`terms`) or `দুই দেশ` beside one side,
    and the other side named in the same paragraph or the next (`ev.near`).

    Sparse stories name each side once, a sentence or a paragraph apart: `উত্তর কোরিয়ার
    সৈন্যরা` with `মস্কোর ... হাসপাতালে` just before, `গোলাবারুদ ... পাঠানো` beside `মস্কো`
    with `পিয়ংইয়াং` just before. A word of visits or relations alone ties a side to anyone, and
    so does anything in a sentence that names another country as a party: neither counts, on
    either side (`উত্তর কোরিয়ার সেনারা ...`, then `সোভিয়েত ইউনিয়ন—আজকের রাশিয়া ...—চীনের আসন
    নিয়ে ...`: the Soviet Union's dealings there are with China).
    """
    here = set().union(*(free[u] for u in own))  # `own`: see the paragraph link
    beside: set[str] = set()  # groups named (not as list items) beside such a word
    word = ""
    for u, w in passing.items():
        if u in own and free[u]:
            beside |= free[u]
            word = word or w
    last, last_beside, last_here, last_word = ev.last
    # Not from a paragraph that names no side, nor into one that opens apart (`এদিকে`, `পৃথক
    # এক ঘটনায়`): that one is about another actor, or another story.
    if last != para - 1 or (rules.contrast and rules.contrast.match(text.lstrip())):
        last_beside, last_here = set(), set()
    if beside and rules.holds(beside | here | last_here):
        ev.near = word
    elif last_beside and rules.holds(last_beside | here):
        ev.near = last_word
    ev.last = (para, beside, here, word)


def _pair_word(rules: _Rules, text: str, start: int, end: int, ev: _Evidence) -> None:
    """`দুই দেশ` right after a Russia and a DPRK name (in any order) relates the two."""
    if len(ev.recent) == 2 and rules.holds(set(ev.recent)):
        ev.related |= rules.groups & set(ev.recent)
        ev.note(f"‘{_display(text[start:end])}’ refers to the two sides named before it")


def _mark_lists(
    rules: _Rules,
    text: str,
    hits: list[tuple[int, int, int, int, _Entry]],
    listed: list[bool],
    ev: _Evidence,
) -> None:
    """Step 2 of `_read_unit`: mark list items and compared names in `listed`."""
    groups = rules.groups

    def is_name(j: int) -> bool:
        e = hits[j][4]
        return e.group in groups or _PEER in e.roles

    def close_chain() -> None:
        if chain_is_list and len(chain) > 1:
            for j in chain:
                listed[j] = True

    chain: list[int] = []  # names joined by separators and conjunctions only
    chain_is_list = False
    last_end, last_unit = -1, -1
    for i, (start, end, core_end, u, e) in enumerate(hits):
        if _COMPARE in e.roles:
            for j in _compared(rules, text, hits, i, is_name):
                listed[j] = True
                if _PEER not in hits[j][4].roles:
                    ev.compared.add(hits[j][4].group)
                    ev.note(f"‘{_display(text[hits[j][0] : end])}’: a comparison, not a link")
        if not is_name(i):
            continue  # not a name of a country or its people
        joined = u == last_unit and (
            start < last_end
            or _LIST_GAP.fullmatch(text, last_end, start) is not None
            or _in_series(text, hits[chain[-1]], hits[i])
        )
        if not joined:
            close_chain()
            chain, chain_is_list = [], False
        chain.append(i)
        chain_is_list |= _PEER in e.roles
        last_end, last_unit = end, u
        if end - core_end > 1 and _suffix(text, core_end, end) == _INCLUDING:
            # `রাশিয়া ও উত্তর কোরিয়াসহ ...`: the names joined before `সহ` are some of many. One
            # name with `সহ` is left to the count after it (`রাশিয়াসহ ১২ দেশ`).
            if len(chain) > 1:
                chain_is_list = True
                ev.note(f"‘{_display(text[hits[chain[0]][0] : end])}’: সহ makes them list items")
            last_unit = -1  # what follows is not in this list
    close_chain()


def _in_series(
    text: str, before: tuple[int, int, int, int, _Entry], name: tuple[int, int, int, int, _Entry]
) -> bool:
    """Whether two genitive names open parallel phrases of one series (see `_SERIES_GAP`)."""
    if not (
        _suffix(text, before[2], before[1]) in _GENITIVE
        and _suffix(text, name[2], name[1]) in _GENITIVE
        and _SERIES_GAP.fullmatch(text, before[1], name[0])
    ):
        return False
    words = _WORDS.findall(text, before[1], name[0])
    return len(words) <= _SERIES_WORDS and not any(map(_is_verb, words))


def _named_now(ev: _Evidence, actor: str) -> None:
    """Remember the last two countries named, for a `দুই দেশ` after them."""
    if actor in ev.recent:
        ev.recent.remove(actor)
    ev.recent.append(actor)
    del ev.recent[:-2]


def _compared(
    rules: _Rules,
    text: str,
    hits: list[tuple[int, int, int, int, _Entry]],
    i: int,
    is_name: Callable[[int], bool],
) -> list[int]:
    """The names a comparison word (hit `i`) compares (`উত্তর কোরিয়ার ‘...’ নেটওয়ার্কের মতো`).

    The nearest name before it, in the same clause and at most `window` words away, is compared;
    so is an earlier one coordinated with it (`উত্তর কোরিয়ার কিম পরিবার বা ... পরিবারের মতো`).
    """
    start, end, core_end, _, _ = hits[i]
    if _suffix(text, core_end, end):
        return []  # `মতে` is "in the opinion of", `মতের` "of the opinion"
    names = [j for j in range(i - 1, -1, -1) if hits[j][3] == hits[i][3] and is_name(j)]
    if not names:
        return []
    if rules.window == 0:  # only right after the name
        return names[:1] if _COMPARE_GAP.fullmatch(text, hits[names[0]][1], start) else []
    gap = _WORDS.findall(text, hits[names[0]][1], start)
    if gap and _AMOUNT.search(gap[-1]):
        return []
    out: list[int] = []
    for n, j in enumerate(names):
        a = hits[j][1]
        if len(_WORDS.findall(text, a, start)) > rules.window or not _same_clause(
            text, a, start, rules.contrast
        ):
            break
        if n and not _COORD & set(_WORDS.findall(text, a, hits[names[n - 1]][0])):
            break
        out.append(j)
    return out


def _party(
    rules: _Rules,
    text: str,
    side: tuple[int, int, int, int, _Entry] | None,
    peer: tuple[int, int, int, int, _Entry],
) -> bool:
    """Whether `peer` is a party (not a place, war, enemy or source), to what `side` does in its
    clause (any clause when `side` is None)."""
    if _suffix(text, peer[2], peer[1]) in _LOCATIVE:
        return False
    after = _WORDS.search(text, peer[1])
    if after and not text[peer[1] : after.start()].strip() and after.group().startswith(_NOT_PARTY):
        return False
    if side is None:
        clause = _CLAUSE_PUNCT.search(text, peer[1])
        for word in _WORDS.findall(text, peer[1], clause.start() if clause else len(text))[
            :_SPEECH_WORDS
        ]:
            if word.startswith(_SPEECH):
                return False
            if _is_verb(word):
                break  # its clause says what it does
        return True
    first, second = (side, peer) if side[0] < peer[0] else (peer, side)
    return _same_clause(text, first[1], second[0], rules.contrast)


def _link(rules: _Rules, weights: dict[str, float], ev: _Evidence, present: set[str]) -> str:
    """The link level (`LINKS`) of a text whose rule holds and whose units were read into `ev`."""
    holds = rules.holds
    if ev.held:
        # A headline means what its body says: a side the body names only in comparisons
        # (`উত্তর কোরিয়ার মতো`) is compared in the headline too (`... কি উত্তর কোরিয়ার পথে`).
        hollow = sorted(g for g in ev.title_free & ev.compared if g not in ev.mentions)
        if hollow:
            ev.listed = True  # the title's sides are compared, not related
            ev.note(f"the body names {', '.join(hollow)} only in comparisons: so does the title")
        else:
            ev.release_title()
    if ev.partner:
        # Under a headline tying one side to another country, the other side named in a single
        # sentence is a passing mention (background, a comparison), not a second story.
        lone = sorted(g for g in rules.groups - ev.title_free if ev.mentions.get(g) == 1)
        if lone:
            ev.note(f"{', '.join(lone)}: named once, under a headline about another pair")
            return "apart"
    # A digest's paragraphs, and the sentences of a survey's paragraph, are unrelated items.
    across = not ev.digest
    related = ev.related | ev.met if ev.related else set()
    if ev.met and not ev.related and holds(ev.met):
        ev.note("each side is named beside a word of visits, treaties or trade only")
    # A headline on the relation that names no country, or a place or thing that exists because
    # of the link (an `anywhere` term), ties every side the text names other than as an item.
    tied = ev.cover or bool(rules.anywhere & present)
    if tied and across and not holds(related):
        named, lone = ev.title_free | ev.mentions.keys(), []
        if ev.cover_meeting:
            # A treaty or a visit may be with another country: a side the body names in one
            # sentence only, beside another country, is a passing mention.
            lone = sorted(
                g
                for g in rules.groups - ev.title_free
                if ev.mentions.get(g) == 1 and ev.beside_peer.get(g)
            )
            if lone:
                ev.note(f"{', '.join(lone)}: named once, beside another country")
                named -= set(lone)
        related |= named
        if not holds(related) and ev.cover and not lone:
            ev.note("the headline names no side, and the body names a side only as a list item")
        elif holds(related) and not ev.sentence:
            ev.note(
                "the headline is on the relation and names no country"
                if ev.cover
                else "a place or thing that exists because of the link ties the sides"
            )
    near = across and bool(ev.near) and not holds(related)
    if near and not ev.sentence:
        ev.note(
            f"‘{_display(ev.near)}’ beside one side, the other side in that paragraph or the "
            "next: what passes between the two"
        )
    achieved = [
        name
        for name, ok in (
            ("sentence", ev.sentence),
            ("paragraph", across and ev.paragraph),
            ("relation", across and (holds(related) or near)),
            ("headline", across and ev.headline),
        )
        if ok
    ]
    if achieved:  # the one that weighs most (the stronger on a tie)
        return max(achieved, key=lambda n: (weights[_LINK_WEIGHT[n]], -LINKS.index(n)))
    return "list" if ev.listed else "apart"


def _reading_entries(
    entries: dict[str, tuple[_Entry, ...]], ti: int
) -> dict[str, tuple[_Entry, ...]]:
    """Topic `ti`'s entries as `_read_unit` wants them: see `TopicSet.__init__`."""
    out = {}
    for c, es in entries.items():
        mine = [e for e in es if e.topic == ti and e.term is not None]
        real = [e for e in mine if not e.group.startswith("~")]
        roles = frozenset(e.group for e in mine if e.group.startswith("~"))
        if roles:
            real.append(_Entry(ti, _ROLES, mine[0].term, roles))
        if real:
            out[c] = tuple(real)
    return out


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

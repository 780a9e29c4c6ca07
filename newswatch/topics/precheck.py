"""Can this page be on-topic at all? A check on the raw bytes, before any parsing.

Most article pages a crawl fetches are off-topic, and reading one (parse the HTML, run the
selectors, normalise, match) is by far the largest cost of a crawl (bench/RESULTS.md). A topic
rule such as `russia AND dprk` holds only if some term of each required group is in the
article's title or body, and every title and body is text of the page. So a page whose bytes hold
no term of a required group cannot be kept, whatever the reader would make of it.

Terms are matched on the key form (`newswatch.text.key`), which a page's bytes are not in. For
each term the check takes one word of it (the longest) and spells it every way the key form
accepts: ড় ঢ় য় precomposed or as letter + nukta, ো ৌ as one sign or two, `ত্` as `ৎ`, `্ল`
and `্ব` as Inqilab's legacy glyphs, digits in either script. ASCII case is folded by lowering
the bytes; zero-width characters are removed first. One Aho-Corasick pass over the page finds
any of these spellings.

The check says "maybe" (the page is read in full) whenever it cannot be sure: a page that is not
UTF-8, or that spells text with numeric character references (`&#2453;`), zero-width entities or
JSON `\\u09xx` escapes. A term cut in two by markup inside a word (`কো<b>রিয়া</b>`) is the one
spelling it does not see; the reader would not join such a word either.
"""

from __future__ import annotations

import re
from itertools import product

import ahocorasick_rs

from newswatch.text import is_utf8, key
from newswatch.topics import _TERM_SEP, TopicSet

# Key-form spellings -> the raw spellings that give them (newswatch/text.py, topics._match_key).
_RAW_SPELLINGS: dict[str, tuple[str, ...]] = {
    "\u09af\u09bc": ("\u09af\u09bc", "\u09df"),  # য়
    "\u09a1\u09bc": ("\u09a1\u09bc", "\u09dc"),  # ড়
    "\u09a2\u09bc": ("\u09a2\u09bc", "\u09dd"),  # ঢ়
    "\u09cb": ("\u09cb", "\u09c7\u09be"),  # ো
    "\u09cc": ("\u09cc", "\u09c7\u09d7"),  # ৌ
    "\u09a4\u09cd": ("\u09a4\u09cd", "\u09ce"),  # ত্ / ৎ
    "\u09cd\u09b2": ("\u09cd\u09b2", "ø"),  # ্ল / legacy glyph
    "\u09cd\u09ac": ("\u09cd\u09ac", "¦"),  # ্ব / legacy glyph
    **{d: (d, b) for d, b in zip("0123456789", "০১২৩৪৫৬৭৮৯", strict=True)},
}
_SPELLING = re.compile("|".join(sorted(map(re.escape, _RAW_SPELLINGS), key=len, reverse=True)))
# Characters the key form drops, as UTF-8: ZWNJ, ZWJ, ZWSP, word joiner, BOM, soft hyphen.
_INVISIBLE = (b"\xe2\x80\x8c", b"\xe2\x80\x8d", b"\xe2\x80\x8b", b"\xe2\x81\xa0", b"\xef\xbb\xbf")
_SOFT_HYPHEN = b"\xc2\xad"
# Spellings of text the bytes do not show: numeric references to Bengali letters or invisible
# characters, their named entities, JSON escapes of Bengali letters. Searched for only when the
# one pass found `&` + `#`/`zw`/`shy` or a backslash-u (lowered bytes).
_HIDDEN_MARKERS = (b"&#", b"&zwj;", b"&zwnj;", b"&shy;", b"\\u09")
_HIDDEN_REFERENCE = re.compile(
    rb"&#(?:x0*(?:9[89a-f][0-9a-f]|200[b-d]|2060|feff|ad)|0*(?:24[3-9]\d|25[0-5]\d|820[3-5]|"
    rb"8288|65279|173));"
)
MAYBE = "maybe"


def raw_spellings(word: str) -> set[str]:
    """Every raw spelling of a key-form word that the key form maps to `word`."""
    parts: list[tuple[str, ...]] = []
    position = 0
    for found in _SPELLING.finditer(word):
        if found.start() > position:
            parts.append((word[position : found.start()],))
        parts.append(_RAW_SPELLINGS[found.group()])
        position = found.end()
    parts.append((word[position:],))
    return {"".join(choice) for choice in product(*parts)}


def _anchor(term: str, elsewhere: set[str]) -> str:
    """The word of a term (in key form) to look for: a space or hyphen inside a term may match
    nothing, so a term is found through one of its words. Not a word that is a term of another
    group on its own (`পুতিন` of `পুতিন-কিম`: it is on every Russia page), else the longest."""
    words = _TERM_SEP.split(key(term))
    return max(words, key=lambda word: (word not in elsewhere, len(word)))


class TopicPrecheck:
    """Whether a page's bytes hold, for some topic, a term of every group its rule requires."""

    def __init__(self, topics: TopicSet) -> None:
        owners: dict[bytes, set[tuple[int, str]]] = {}  # raw spelling -> (topic, group)s
        self._rules: list[list[frozenset[str]]] = []
        for ti, (rule, terms_of) in enumerate(topics.required_terms()):
            self._rules.append(rule)
            for group, terms in terms_of.items():
                elsewhere = {key(t) for g, ts in terms_of.items() if g != group for t in ts}
                for term in terms:
                    for spelling in raw_spellings(_anchor(term, elsewhere)):
                        owners.setdefault(spelling.encode("utf-8"), set()).add((ti, group))
        self._owners = list(owners.values())
        self._markers = [*_INVISIBLE, _SOFT_HYPHEN, *_HIDDEN_MARKERS]
        # A DFA, always: left to choose, the library takes one only up to 100 patterns, and its
        # NFA scans a page 2.5x slower (~0.45 ms against ~0.18 ms for 116 KB).
        self._automaton = ahocorasick_rs.BytesAhoCorasick(
            [*owners, *self._markers], implementation=ahocorasick_rs.Implementation.DFA
        )
        # Around a zero-width character: room for the longest spelling with a few inside it.
        self._reach = 2 * max(map(len, owners), default=0) + 32

    def could_match(self, body: bytes, encoding: str = "utf-8") -> bool:
        """False only when no topic can match any text of this page (see the module docs)."""
        found = self.groups_found(body, encoding)
        return found == MAYBE or any(
            any(needed <= groups for needed in self._rules[ti]) for ti, groups in found.items()
        )

    def groups_found(self, body: bytes, encoding: str = "utf-8") -> dict[int, set[str]] | str:
        """{topic index: groups with a term in the bytes}, or MAYBE when the bytes cannot say."""
        if not is_utf8(encoding):
            return MAYBE
        text = body.lower()  # ASCII letters only: bytes.lower leaves UTF-8 Bengali alone
        terms = len(self._owners)
        found: dict[int, set[str]] = {}
        hidden: set[bytes] = set()
        invisible_at: list[int] = []
        for i, start, _ in self._automaton.find_matches_as_indexes(text, overlapping=True):
            if i < terms:
                for ti, group in self._owners[i]:
                    found.setdefault(ti, set()).add(group)
            elif (marker := self._markers[i - terms]) in _HIDDEN_MARKERS:
                hidden.add(marker)
            else:
                invisible_at.append(start)
        if hidden - {b"&#"} or (hidden and _HIDDEN_REFERENCE.search(text)):
            return MAYBE
        # A zero-width character may sit inside a term: look again around each one without
        # them (stripping a whole 100 KB page costs more than the rest of the check).
        for start in invisible_at:
            window = text[max(0, start - self._reach) : start + self._reach]
            for invisible in (*_INVISIBLE, _SOFT_HYPHEN):
                window = window.replace(invisible, b"")
            for i, _, _ in self._automaton.find_matches_as_indexes(window, overlapping=True):
                for ti, group in self._owners[i] if i < terms else ():
                    found.setdefault(ti, set()).add(group)
        return found

"""One normaliser for every string that leaves a page, and the *key* form used for matching.

Display form (`normalize`): what goes into records. NFC, zero-width junk removed (ZWJ/ZWNJ are
kept: they select real Bengali conjunct shapes), non-breaking and odd spaces folded, two legacy
font glyphs repaired. Bengali digits stay as printed.

Key form (`key`): what matching compares. NFC, ZWJ/ZWNJ removed, `ৎ` spelled `ত্`, digits in
ASCII, case folded, whitespace folded. Two spellings of one word get the same key.

NFC matters for Bengali because U+09DC/U+09DD/U+09DF (ড় ঢ় য়) are composition exclusions: NFC
turns the precomposed letters into letter + nukta, which is how most outlets type them. Real
pages mix both forms inside one article, so without NFC a term matches only half the time.
"""

from __future__ import annotations

import re
import unicodedata

BENGALI_DIGITS = "০১২৩৪৫৬৭৮৯"
_DIGIT_PAIRS = tuple(zip(BENGALI_DIGITS, "0123456789", strict=True))

ZWJ, ZWNJ = "\u200d", "\u200c"
# Invisible characters that carry no meaning in running text (ZWSP, word joiner, BOM, soft hyphen).
_INVISIBLE = re.compile("[\u200b\u2060\ufeff\u00ad]")
_BENGALI_DIGIT = re.compile(f"[{BENGALI_DIGITS}]")
# Fast path for NFC (the hottest call of a crawl, see bench/RESULTS.md): text made only of ASCII,
# the Bengali block, the danda and the punctuation below is already NFC once ড় ঢ় য় are
# decomposed (NFC never recomposes them: composition exclusions), unless it holds ে followed by
# া or ৗ (they compose to ো ৌ) or two marks out of canonical order (nukta 7 < virama 9 < sandhi
# mark 230 are the block's only non-zero combining classes). Anything else goes through
# unicodedata, whose own quick check answers "maybe" for every া, so it does not help for Bengali.
_NFC_SAFE = (
    "\x00-\x7f\u00a0\u0964\u0965\u0980-\u09db\u09de\u09e0-\u09ff\u200b-\u200d"
    "\u2013\u2014\u2018-\u201d\u2026\u2060"
)
_NEEDS_NFC = re.compile(f"[^{_NFC_SAFE}]|\u09c7[\u09be\u09d7]|\u09cd\u09bc|\u09fe[\u09bc\u09cd]")
_EXCLUDED = {"\u09dc": "\u09a1\u09bc", "\u09dd": "\u09a2\u09bc", "\u09df": "\u09af\u09bc"}
# Text made only of these (_NFC_SAFE less ZWSP and the word joiner, the invisible characters in
# it) and without _NEEDS_NFC's sequences is text that `normalize` only folds the spaces of: NFC
# leaves it, and the excluded letters, other invisible characters and the legacy glyphs ø ¦ are
# all outside. _PLAIN_ONE_SPACE also leaves out every whitespace character but the space: such
# text is already folded unless it has a leading, trailing or double space (as text that went
# through `normalize` once, in the normalise pipeline). A character class alone is a fast scan;
# with the sequences as alternatives the regex is 4x slower than the class plus `in` tests.
_PLAIN = (
    "\x00-\x7f\u00a0\u0964\u0965\u0980-\u09db\u09de\u09e0-\u09ff\u200c\u200d"
    "\u2013\u2014\u2018-\u201d\u2026"
)
_PLAIN_ONE_SPACE = (  # _PLAIN less \t-\r, \x1c-\x1f and no-break space
    "\x00-\x08\x0e-\x1b\x20-\x7f\u0964\u0965\u0980-\u09db\u09de\u09e0-\u09ff\u200c\u200d"
    "\u2013\u2014\u2018-\u201d\u2026"
)
_NOT_PLAIN = re.compile(f"[^{_PLAIN}]")
_NOT_PLAIN_ONE_SPACE = re.compile(f"[^{_PLAIN_ONE_SPACE}]")


def _has_nfc_sequence(text: str) -> bool:
    """Whether `text` holds one of _NEEDS_NFC's sequences (ৗ and the sandhi mark are rare)."""
    return (
        "\u09c7\u09be" in text
        or "\u09cd\u09bc" in text
        or ("\u09d7" in text and "\u09c7\u09d7" in text)
        or ("\u09fe" in text and ("\u09fe\u09bc" in text or "\u09fe\u09cd" in text))
    )


_BLANK_LINES = re.compile(r"\s*\n\s*")
# Legacy Bijoy-era fonts survive on some outlets (Inqilab prints `ভøাদিমির`, `আলহাজ¦`).
_LEGACY_GLYPHS = re.compile(r"(?<=[\u0980-\u09ff])([ø¦])")
_LEGACY_MAP = {"ø": "\u09cd\u09b2", "¦": "\u09cd\u09ac"}  # ্ল, ্ব


def is_utf8(encoding: str) -> bool:
    """Whether an encoding label names UTF-8 (`utf-8`, `UTF8`, `utf_8`)."""
    return encoding.replace("_", "-").lower() in ("utf-8", "utf8")


def nfc(text: str) -> str:
    """NFC only: for patterns and terms typed in source code, which may hold either encoding."""
    return unicodedata.normalize("NFC", text)


def compile_nfc(pattern: str, flags: int = 0) -> re.Pattern[str]:
    """A regex over normalised text, built from a pattern typed in either encoding."""
    return re.compile(nfc(pattern), flags)


def fast_nfc(text: str) -> str:
    """`unicodedata.normalize("NFC", text)`, skipped when the text cannot change (see above)."""
    for precomposed, decomposed in _EXCLUDED.items():
        if precomposed in text:
            text = text.replace(precomposed, decomposed)
    return unicodedata.normalize("NFC", text) if _NEEDS_NFC.search(text) else text


def normalize(text: str | None) -> str:
    """Display form of one line: NFC, invisible characters dropped, spaces folded, trimmed."""
    if not text:
        return ""
    if type(text) is str:  # (anything else takes the long way, and fails where it did)
        if text.isascii():  # O(1); nothing but spaces to fold (dates, URLs, English names)
            return " ".join(text.split())
        if not _has_nfc_sequence(text):
            found = _NOT_PLAIN_ONE_SPACE.search(text)
            if found is None:
                if "  " in text or text[0] == " " or text[-1] == " ":
                    return " ".join(text.split())
                return text
            if not _NOT_PLAIN.search(text, found.start()):  # _PLAIN holds what precedes it
                return " ".join(text.split())
    text = fast_nfc(text)
    # Searching first is ~20x faster than str.translate/sub on text that has nothing to change.
    if _INVISIBLE.search(text):
        text = _INVISIBLE.sub("", text)
    if "ø" in text or "¦" in text:
        text = _LEGACY_GLYPHS.sub(lambda m: _LEGACY_MAP[m.group(1)], text)
    # str.split() splits on exactly the characters `\s` matches, and is much faster.
    return " ".join(text.split())


def normalize_block(text: str | None) -> str:
    """Like `normalize` but keeps line breaks as single newlines (for multi-line fields)."""
    if not text:
        return ""
    lines = (normalize(line) for line in _BLANK_LINES.split(text))
    return "\n".join(line for line in lines if line)


def to_ascii_digits(text: str) -> str:
    """`১৩ জুলাই ২০২৫` -> `13 জুলাই 2025`."""
    # Most text has no Bengali digit at all. str.translate would look up every character in a
    # dict: ten str.replace scans are ~10x faster on Bengali text, with the same result.
    if (isinstance(text, str) and text.isascii()) or not _BENGALI_DIGIT.search(text):
        return text
    for bengali, ascii_digit in _DIGIT_PAIRS:
        if bengali in text:
            text = text.replace(bengali, ascii_digit)
    return text


def key(text: str | None) -> str:
    """Matching form: one spelling of a word matches its variants (see module docstring)."""
    return key_of_display(normalize(text))


def key_of_display(text: str) -> str:
    """`key(text)` for a `text` that `normalize` leaves as it is (its output usually is)."""
    text = text.replace(ZWJ, "").replace(ZWNJ, "").replace("ৎ", "ত্")
    return to_ascii_digits(text).casefold()


def paragraphs(text: str) -> list[str]:
    """Split a record's `text` (paragraphs joined by a blank line) back into paragraphs."""
    return [p for p in text.split("\n\n") if p.strip()]

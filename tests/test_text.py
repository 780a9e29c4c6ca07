"""The normaliser and the key form, on real strings from the seeds and outlet texts."""

from __future__ import annotations

import random
import re
import unicodedata

from newswatch.text import (
    ZWJ,
    ZWNJ,
    key,
    key_of_display,
    normalize,
    normalize_block,
    paragraphs,
    to_ascii_digits,
)

PRECOMPOSED_YA = "\u09df"  # য় as one code point, as many outlets type it
DECOMPOSED_YA = "\u09af\u09bc"  # য + nukta, what NFC gives


def test_both_encodings_of_ya_give_one_display_form():
    precomposed = f"রাশি{PRECOMPOSED_YA}া ও উত্তর কোরি{PRECOMPOSED_YA}া"
    decomposed = f"রাশি{DECOMPOSED_YA}া ও উত্তর কোরি{DECOMPOSED_YA}া"
    assert normalize(precomposed) == normalize(decomposed) == decomposed


def test_rra_and_rha_are_unified_too():
    assert normalize("পড\u09bcুন") == normalize("প\u09dcুন")  # ড়
    assert normalize("আষা\u09a2\u09bc") == normalize("আষা\u09dd")  # ঢ়


def test_spaces_nbsp_and_line_breaks_fold_to_single_spaces():
    # seed 001 prints `&nbsp;` spacer paragraphs; seed 004's header bar has runs of spaces.
    assert normalize("ঢাকা \u00a0 বৃহস্পতিবার,\n১৪ নভেম্বর ২০২৪") == "ঢাকা বৃহস্পতিবার, ১৪ নভেম্বর ২০২৪"
    assert normalize("\u00a0") == ""
    assert normalize(None) == ""


def test_invisible_characters_are_removed_but_zwj_is_kept_in_display_form():
    assert normalize("\ufeffমস্কো\u200bর\u00ad") == "মস্কোর"
    # ZWJ selects the র‍্যা shape (র‍্যাব); dropping it would change what the reader sees.
    assert "\u200d" in normalize("র\u200d্যাব")


def test_bengali_digits_are_kept_in_text():
    assert normalize("প্রায় ১১,০০০ উত্তর কোরিয়ান সেনা") == unicodedata.normalize(
        "NFC", "প্রায় ১১,০০০ উত্তর কোরিয়ান সেনা"
    )
    assert to_ascii_digits("১২ নভেম্বর ২০২৪, ১১:৩১") == "12 নভেম্বর 2024, 11:31"


def test_legacy_font_glyphs_from_inqilab_are_repaired():
    # Inqilab pages carry Bijoy-era glyphs: `ভøাদিমির` (seen in OUTLETS.md) and `আলহাজ¦` (seed 004).
    assert normalize("ভøাদিমির পুতিন") == normalize("ভ্লাদিমির পুতিন")
    assert normalize("আল্লামা আলহাজ¦ আবুবকর") == normalize("আল্লামা আলহাজ্ব আবুবকর")
    # Outside Bengali words the characters are left alone.
    assert normalize("Søren ¦ x") == "Søren ¦ x"


def test_key_form_matches_spelling_variants():
    assert key("রাশি\u09dfার") == key("রাশিয়ার")
    assert key("কিম জং\u200cউন") == key("কিম জংউন")
    assert key("উৎসব") == key("উত্\u200dসব") == key("উত্সব")
    assert key("২০২৫ সালে") == "2025 সালে"
    assert key("North KOREA") == "north korea"


def test_normalize_block_keeps_lines_and_paragraph_split_round_trips():
    assert normalize_block("প্রথম লাইন \n\n\n দ্বিতীয়\u00a0লাইন") == normalize(
        "প্রথম লাইন"
    ) + "\n" + normalize("দ্বিতীয় লাইন")
    text = "প্রথম অনুচ্ছেদ।\n\nদ্বিতীয় অনুচ্ছেদ।"
    assert paragraphs(text) == ["প্রথম অনুচ্ছেদ।", "দ্বিতীয় অনুচ্ছেদ।"]


# -- the fast paths of normalize / to_ascii_digits / key against the plain definitions ------------

_REFERENCE_INVISIBLE = re.compile("[\u200b\u2060\ufeff\u00ad]")
_REFERENCE_LEGACY = re.compile(r"(?<=[\u0980-\u09ff])([ø¦])")


def _reference_normalize(text: str | None) -> str:
    if not text:
        return ""
    text = _REFERENCE_INVISIBLE.sub("", unicodedata.normalize("NFC", text))
    text = _REFERENCE_LEGACY.sub(lambda m: {"ø": "\u09cd\u09b2", "¦": "\u09cd\u09ac"}[m[1]], text)
    return " ".join(text.split())


def _reference_key(text: str | None) -> str:
    text = _reference_normalize(text).replace(ZWJ, "").replace(ZWNJ, "").replace("ৎ", "ত্")
    return text.translate(str.maketrans("০১২৩৪৫৬৭৮৯", "0123456789")).casefold()


# Characters each fast path tests for, and their neighbours: ASCII and other whitespace, Bengali
# letters, vowel signs that compose (ে া ৗ), nukta, virama, the sandhi mark, precomposed ড় ঢ় য়,
# digits, joiners, invisible characters, the legacy glyphs and punctuation in and out of _PLAIN.
_ALPHABET = [
    *"aZ9 .,:-/",
    *("\t", "\n", "\r", "\x0b", "\x0c", "\x1c", "\x85", "\xa0", "\u2003"),
    *"কখরলযবড",
    *("\u09c7", "\u09be", "\u09d7", "\u09cb", "\u09bc", "\u09cd", "\u09fe"),
    *("\u09dc", "\u09dd", "\u09df", "১", "২", "০", "৯", "ৎ", "।", "\u200c", "\u200d"),
    *("\u200b", "\u2060", "\ufeff", "\u00ad", "ø", "¦", "é", "e\u0301", "\u2013", "\u201c"),
    *("…", "\u00b7", "\u2022", "\u0964", "\u0965", "ſ", "K", "\U0001f600"),
]


def _random_texts(count: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    return ["".join(rng.choices(_ALPHABET, k=rng.randint(0, 24))) for _ in range(count)]


def test_normalize_fast_paths_give_the_full_computation():
    texts = [*_random_texts(30_000, 1), "কøø", "ক্লø", "  a  b ", "a", " ", "\xa0a\xa0"]
    for text in texts:
        assert normalize(text) == _reference_normalize(text), repr(text)
        # normalize's output again, as the normalise pipeline does with read_page's paragraphs.
        once = normalize(text)
        assert normalize(once) == _reference_normalize(once), repr(once)


def test_key_and_digits_fast_paths_give_the_full_computation():
    table = str.maketrans("০১২৩৪৫৬৭৮৯", "0123456789")
    for text in _random_texts(20_000, 2):
        assert to_ascii_digits(text) == text.translate(table), repr(text)
        assert key(text) == _reference_key(text), repr(text)
        display = normalize(text)
        if normalize(display) == display:
            assert key_of_display(display) == key(display), repr(text)

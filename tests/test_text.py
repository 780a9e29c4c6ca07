"""The normaliser and the key form, on real strings from the seeds and outlet texts."""

from __future__ import annotations

import unicodedata

from newswatch.text import key, normalize, normalize_block, paragraphs, to_ascii_digits

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

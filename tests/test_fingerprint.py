"""The near-duplicate sketch: copies with small edits match, independent reports do not."""

from __future__ import annotations

import itertools

import pytest

from newswatch.fingerprint import THRESHOLD, similarity, sketch
from newswatch.text import paragraphs
from tests.conftest import FIXTURES, read_jsonl

TEXTS = {
    r["url"]: r["text"]
    for o in ("jagonews24", "inqilab", "banglarakash")
    for r in read_jsonl(FIXTURES / o / "expected.jsonl")
}
SEED_002 = "https://www.jagonews24.com/international/news/1041200"  # Lavrov–Kim, Jago News
SEED_000 = "https://dailyinqilab.com/international/news/731286"  # Lavrov–Kim, seed 000's text


def test_independent_reports_of_one_event_are_not_duplicates():
    """Seeds 000 and 002 both report Lavrov meeting Kim in Wonsan, in their own words."""
    assert similarity(sketch(TEXTS[SEED_002]), sketch(TEXTS[SEED_000])) < THRESHOLD
    for a, b in itertools.combinations(TEXTS.values(), 2):
        assert similarity(sketch(a), sketch(b)) < 0.2


def edits(text: str) -> dict[str, str]:
    ps = paragraphs(text)
    return {
        "first line changed": "\n\n".join(["ঢাকা, ১৩ জুলাই (বাসস) : নতুন একটি ভূমিকা।", *ps[1:]]),
        "boilerplate added": text + "\n\nপাঠকপ্রিয় অনলাইন নিউজ পোর্টালে লিখতে পারেন আপনিও।",
        "last paragraph dropped": "\n\n".join(ps[:-1]),
        "punctuation and ZWJ": text.replace("।", ".").replace("্য", "্\u200dয"),
        "precomposed ya": text.replace("য\u09bc", "\u09df"),
    }


@pytest.mark.parametrize("url", sorted(TEXTS))
def test_a_copy_with_small_edits_is_a_near_duplicate(url):
    original = sketch(TEXTS[url])
    for name, edited in edits(TEXTS[url]).items():
        assert similarity(original, sketch(edited)) >= THRESHOLD, name


def test_empty_text_has_no_sketch():
    assert sketch("") == [] and similarity([], [1]) == 0.0

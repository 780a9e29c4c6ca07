"""The topic precheck (newswatch/topics/precheck.py): a page it rules out could never be kept,
in any spelling the key form accepts; and through a real crawl, a page it rules out is counted
off-topic, remembered, and never read."""

from __future__ import annotations

import html
import json
import random
import re

import pytest

from newswatch.fixtureserver import serving
from newswatch.health import coverage
from newswatch.text import nfc
from newswatch.text import paragraphs as split_paragraphs
from newswatch.topics import TopicSet
from newswatch.topics.evaluate import EVAL_DIR, load_items
from newswatch.topics.precheck import TopicPrecheck
from tests.conftest import read_jsonl, run_crawl
from tests.sitegen import build_site

DPRK = "উত্তর কোরিয়ার রাজধানী পিয়ংইয়ংয়ে কিম জং উন"
RUSSIA_ONLY = "রাশিয়ার প্রেসিডেন্ট ভ্লাদিমির পুতিন মস্কোয় ইউক্রেন যুদ্ধ নিয়ে কথা বলেছেন।"


@pytest.fixture(scope="module")
def topics() -> TopicSet:
    return TopicSet.load()


@pytest.fixture(scope="module")
def precheck(topics: TopicSet) -> TopicPrecheck:
    return TopicPrecheck(topics)


def page(title: str, paragraphs: list[str], head: str = "") -> bytes:
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (
        f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>{title}</title>{head}</head>'
        f"<body><h1>{title}</h1><div class=content>{body}</div></body></html>"
    ).encode()


# Spellings that the key form reads as the same text (newswatch/text.py).
def precomposed(text: str) -> str:
    return text.replace("য়", "\u09df").replace("ড়", "\u09dc").replace("ঢ়", "\u09dd")


def two_part_vowels(text: str) -> str:
    return text.replace("\u09cb", "\u09c7\u09be").replace("\u09cc", "\u09c7\u09d7")


def invisible_inside_words(text: str, rng: random.Random) -> str:
    """A ZWNJ, ZWJ or soft hyphen after some Bengali letters, as real pages carry them."""
    marks = ["\u200c", "\u200d", "\u00ad", "\u200b"]
    return re.sub(
        "[\u0995-\u09b9]", lambda m: m.group() + (rng.choice(marks) * (rng.random() < 0.3)), text
    )


def khanda_ta(text: str) -> str:
    return text.replace("ত্", "ৎ")


def upper_latin(text: str) -> str:
    return re.sub("[A-Za-z]+", lambda m: m.group().upper(), text)


SPELLINGS = {
    "as written": lambda t, rng: t,
    "NFC": lambda t, rng: nfc(t),
    "precomposed য় ড় ঢ়": lambda t, rng: precomposed(t),
    "ো ৌ in two parts": lambda t, rng: two_part_vowels(t),
    "zero-width inside words": invisible_inside_words,
    "ৎ for ত্": lambda t, rng: khanda_ta(t),
    "Latin upper case": lambda t, rng: upper_latin(t),
    "all at once": lambda t, rng: upper_latin(
        invisible_inside_words(two_part_vowels(precomposed(t)), rng)
    ),
}


@pytest.mark.parametrize("spelling", sorted(SPELLINGS))
def test_every_kept_item_of_the_labelled_sets_passes_the_precheck(topics, precheck, spelling):
    """Soundness: whatever the matcher keeps, the precheck lets through, in every spelling."""
    rng = random.Random(5)
    respell = SPELLINGS[spelling]
    checked = 0
    for item in load_items(EVAL_DIR):
        title = respell(item.title, rng)
        paragraphs = [respell(p, rng) for p in split_paragraphs(item.text)]
        if not topics.match(title, paragraphs):
            continue
        checked += 1
        html_page = page(html.escape(title), [html.escape(p) for p in paragraphs])
        assert precheck.could_match(html_page), (item.id, spelling)
    assert checked >= 80  # most on-topic items are still kept in every spelling


def test_a_page_with_russia_but_no_north_korea_is_ruled_out(precheck):
    assert not precheck.could_match(page("মস্কোয় বৈঠক", [RUSSIA_ONLY, "আবহাওয়া ভালো।"]))
    # Ordinary entities and zero-width characters elsewhere do not stop the check.
    assert not precheck.could_match(page("It&#39;s র\u200d্যাব", [RUSSIA_ONLY]))
    assert precheck.could_match(page("মস্কোয় বৈঠক", [RUSSIA_ONLY, DPRK]))


def test_a_korea_with_no_north_korean_term_is_ruled_out(precheck):
    south = "দক্ষিণ কোরিয়ার প্রেসিডেন্ট সিউলে বলেছেন, রাশিয়ার সঙ্গে বাণিজ্য কমেছে।"
    # `দক্ষিণ কোরিয়া` holds the letters of `কোরিয়া`: the precheck lets it through (it only
    # looks at letters) and the matcher, which knows the exclude, drops it.
    assert precheck.could_match(page("সিউল", [south]))
    assert not precheck.could_match(page("সিউল", ["সিউলে আজ বৃষ্টি হয়েছে।", RUSSIA_ONLY]))


def test_text_that_the_bytes_do_not_show_is_read_in_full(precheck):
    """Numeric references, zero-width entities, JSON escapes, other encodings: maybe on-topic."""
    hidden_dprk = "".join(f"&#{ord(c)};" for c in "উত্তর কোরিয়া")
    assert precheck.could_match(page("মস্কো", [RUSSIA_ONLY, hidden_dprk]))
    hex_dprk = "".join(f"&#x{ord(c):x};" for c in "পিয়ংইয়ং")
    assert precheck.could_match(page("মস্কো", [RUSSIA_ONLY, hex_dprk]))
    assert precheck.could_match(page("মস্কো", [RUSSIA_ONLY, "উত্তর কোরি&zwnj;য়া"]))
    escaped = json.dumps({"@type": "NewsArticle", "headline": "রাশিয়া ও উত্তর কোরিয়া"})
    assert "\\u09" in escaped
    script = f'<script type="application/ld+json">{escaped}</script>'
    assert precheck.could_match(page("মস্কো", [RUSSIA_ONLY], head=script))
    latin1 = page("Moscow", ["Putin spoke in Moscow."])
    assert not precheck.could_match(latin1)
    assert precheck.could_match(latin1, encoding="windows-1252")


def test_a_topic_whose_rule_has_no_and_needs_any_one_group(tmp_path):
    (tmp_path / "arms.toml").write_text(
        'id = "arms"\nname = "Arms"\nrule = "shells OR drones"\nthreshold = 1\n'
        '[weights]\ntitle = 3\nbody = 1\nsame_paragraph = 1\n[groups.shells]\nterms = ["গোলাবারুদ"]\n'
        '[groups.drones]\nterms = ["ড্রোন"]\n',
        encoding="utf-8",
    )
    check = TopicPrecheck(TopicSet.load(directory=tmp_path))
    assert check.could_match(page("যুদ্ধ", ["ড্রোন হামলা হয়েছে।"]))
    assert not check.could_match(page("যুদ্ধ", [RUSSIA_ONLY]))


def test_coverage_counts_only_the_pages_that_were_read():
    stats = {
        "newswatch/x/articles/fetched": 30,
        "newswatch/x/articles/no_topic_terms": 20,
        "newswatch/x/field/title/selectors": 10,
        "newswatch/x/field/published/structured": 10,
        "newswatch/x/field/paragraphs/selectors": 5,
    }
    assert coverage(stats, "x") == {"title": 1.0, "published": 1.0, "text": 0.5}


def comparable(records: list[dict]) -> list[dict]:
    return sorted(({k: v for k, v in r.items() if k != "fetched_at"} for r in records), key=str)


def test_a_crawl_counts_pages_without_terms_off_topic_unread_and_remembers_them(tmp_path):
    site = tmp_path / "site"
    on_topic = build_site(site, 30, on_topic_every=3)  # 10 on-topic, 20 Russia-or-nothing
    settings = ["-s", "NEWSWATCH_PRECHECK_READ_FIRST=2", "-s", "NEWSWATCH_PRECHECK_READ_EVERY=8"]
    with serving(site) as origin:
        checked = run_crawl("jagonews24", origin, tmp_path / "checked", *settings)
        unchecked = run_crawl(
            "jagonews24", origin, tmp_path / "unchecked", "-s", "NEWSWATCH_TOPIC_PRECHECK=False"
        )
        again = run_crawl("jagonews24", origin, tmp_path / "checked", *settings)
    stat = "newswatch/jagonews24/{}".format
    assert checked.returncode == unchecked.returncode == 0, checked.log[-2000:]
    # The same records either way: the precheck only skips pages that could not be kept.
    assert {r["url"] for r in checked.records} == on_topic
    assert comparable(checked.records) == comparable(unchecked.records)
    # 20 pages without a DPRK term: the first 2 and the 8th and 16th are read all the same.
    assert checked.stats[stat("articles/no_topic_terms")] == 16
    assert checked.stats[stat("dropped/off_topic")] == 20
    assert checked.stats[stat("articles/fetched")] == 30
    assert checked.stats[stat("articles/valid")] == 14  # 10 on-topic + 4 read off-topic pages
    assert stat("articles/no_topic_terms") not in unchecked.stats
    assert unchecked.stats[stat("dropped/off_topic")] == 20
    assert unchecked.stats[stat("articles/valid")] == 30
    # Remembered as off-topic: the next run asks for no article page at all.
    assert again.returncode == 0 and again.records == []
    assert stat("articles/fetched") not in again.stats
    written = [r for f in (tmp_path / "checked" / "data").glob("*/*.jsonl") for r in read_jsonl(f)]
    assert {r["url"] for r in written} == on_topic

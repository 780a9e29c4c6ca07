"""Pipeline rules: unit checks on real seed strings, then the same rules through a real crawl."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from scrapy.exceptions import DropItem
from scrapy.utils.test import get_crawler

from newswatch.fixtureserver import serving
from newswatch.items import Article
from newswatch.text import normalize
from pipelines.normalize import clean_body, clean_byline, clean_label
from pipelines.validate import ValidatePipeline
from tests.conftest import FIXTURES, ROOT, run_crawl

SEEDS = ROOT / "seeds"


def seed_lines(name: str) -> list[str]:
    return [normalize(line) for line in (SEEDS / name).read_text(encoding="utf-8").splitlines()]


def test_paragraphs_printed_twice_are_kept_once():
    """Seed 000 prints its last two paragraphs twice (a page-assembly fault of the outlet)."""
    lines = [line for line in seed_lines("000_51b41ee0ceabd4ba.txt")[10:] if line]
    assert len(lines) == 8 and lines[4:6] == lines[6:8]
    assert clean_body("\n\n".join(lines), []) == "\n\n".join(lines[:6])


def test_widget_lines_from_the_seeds_are_dropped():
    body = "\n\n".join(
        [
            "রাশিয়ার সঙ্গে সম্পর্ক আরও গভীর করতে চান উত্তর কোরিয়ার নেতা কিম জং-উন।",
            "Facebook Comments Box",
            "মন্তব্য করুন",
            "Spread the love",
            "Please Share This Post in Your Social Media",
            "Leave a Reply",
            "আরও পড়ুন: পুতিনের সঙ্গে অস্ত্র আলোচনার জন্য রাশিয়ায় যাচ্ছেন কিম",
            "টিটিএন",
        ]
    )
    assert clean_body(body, []) == normalize(
        "রাশিয়ার সঙ্গে সম্পর্ক আরও গভীর করতে চান উত্তর কোরিয়ার নেতা কিম জং-উন।"
    )


def test_an_outlets_own_boilerplate_sentence_is_dropped():
    footer = "পাঠকপ্রিয় অনলাইন নিউজ পোর্টাল জাগোনিউজ২৪.কমে লিখতে পারেন আপনিও।"
    pattern = re.compile(normalize(r"^পাঠকপ্রিয় অনলাইন নিউজ পোর্টাল"))
    assert clean_body(f"প্রথম অনুচ্ছেদ।\n\n{footer}", [pattern]) == "প্রথম অনুচ্ছেদ।"


def test_a_one_word_last_paragraph_that_is_not_initials_is_kept():
    assert clean_body("প্রথম।\n\nসমাপ্ত", []) == "প্রথম।\n\nসমাপ্ত"
    assert clean_body("প্রথম।\n\nএএইচআর/এনএফ", []) == "প্রথম।"


def test_bylines_and_sections_lose_e_mail_addresses_and_labels():
    printed = "বাংলার আকাশ নিউজ ২৪ ডট কম Email:banglarakashnews24@gmail.com"  # seed 003
    assert clean_byline(printed) == "বাংলার আকাশ নিউজ ২৪ ডট কম"
    assert clean_byline("  ") is None
    assert clean_label("বিভাগ : আন্তর্জাতিক") == "আন্তর্জাতিক"  # seed 004


@pytest.mark.parametrize("missing", ["url", "title", "published", "text"])
def test_a_record_without_a_required_field_is_dropped_and_counted(missing):
    crawler = get_crawler()
    article = Article(
        id="0" * 16,
        url="https://x.example/1",
        outlet="jagonews24",
        title="t",
        published="2025-07-13T10:26:00+06:00",
        text="t",
    )
    setattr(article, missing, None)
    with pytest.raises(DropItem, match=f"missing_{missing}"):
        ValidatePipeline(crawler).process_item(article)
    assert crawler.stats.get_value(f"newswatch/jagonews24/dropped/missing_{missing}") == 1


def copy_site(outlet: str, to: Path) -> Path:
    site = to / outlet / "site"
    shutil.copytree(FIXTURES / outlet / "site", site)
    return site


def test_an_article_page_without_any_date_is_dropped_and_counted_in_a_real_crawl(tmp_path):
    """Dates come from JSON-LD/meta, the dateline, then trafilatura's metadata; none: no record."""
    site = copy_site("jagonews24", tmp_path)
    page = site / "international" / "news" / "1041200.html"
    html = page.read_text(encoding="utf-8")
    html = re.sub(r'<script type="application/ld\+json">.*?</script>', "", html, flags=re.S)
    html = re.sub(r'<span class="time-with-author">.*?</span>', "", html, flags=re.S)
    html = re.sub(r"<meta[^>]+(published_time|modified_time)[^>]*>", "", html)
    page.write_text(html, encoding="utf-8")

    with serving(site) as origin:
        result = run_crawl("jagonews24", origin, tmp_path)

    assert result.returncode == 0
    assert [r["url"] for r in result.records] == [
        "https://www.jagonews24.com/international/news/970512"
    ]
    assert result.stats["newswatch/jagonews24/dropped/missing_published"] == 1
    assert "missing_published: https://www.jagonews24.com/international/news/1041200" in result.log


def test_the_same_article_at_two_urls_in_one_run_is_written_once_and_marked(tmp_path):
    """A copy of an article at another URL (no canonical link) is kept, with duplicate_of set."""
    site = copy_site("jagonews24", tmp_path)
    original = site / "international" / "news" / "970512.html"
    html = original.read_text(encoding="utf-8")
    html = re.sub(r'<link rel="canonical"[^>]*>', "", html)
    html = re.sub(r'<meta property="og:url"[^>]*>', "", html)
    (site / "international" / "news" / "970599.html").write_text(html, encoding="utf-8")
    listing = site / "international.html"
    listing.write_text(
        listing.read_text(encoding="utf-8").replace(
            "</body>",
            '<a href="https://www.jagonews24.com/international/news/970599">কপি</a></body>',
        ),
        encoding="utf-8",
    )

    with serving(site) as origin:
        result = run_crawl("jagonews24", origin, tmp_path)

    by_url = {r["url"]: r for r in result.records}
    copy_url = "https://www.jagonews24.com/international/news/970599"
    first_url = "https://www.jagonews24.com/international/news/970512"
    assert set(by_url) >= {copy_url, first_url}
    pair = [by_url[copy_url], by_url[first_url]]
    # Pages arrive in any order; whichever came second points at the first.
    marked = [r for r in pair if r["duplicate_of"]]
    assert len(marked) == 1
    assert marked[0]["duplicate_of"] == ({r["id"] for r in pair} - {marked[0]["id"]}).pop()
    assert result.stats["newswatch/jagonews24/duplicates"] == 1

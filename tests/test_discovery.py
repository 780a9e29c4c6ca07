"""Discovery routes through the real crawl path: feed-only, sitemap-only, a paginated section in
monitoring and backfill mode, a script-filled listing in real Chromium, and the challenge
fallback."""

from __future__ import annotations

import re
import shutil
from datetime import date
from pathlib import Path

import pytest

from newswatch.fixtureserver import serving
from tests.conftest import FIXTURES, read_jsonl, run_crawl
from tests.sitegen import BASE, TOPIC_SENTENCES, build_paginated_site, write_article

JAGO = FIXTURES / "jagonews24"
ON_TOPIC = {r["url"] for r in read_jsonl(JAGO / "expected.jsonl")}
FIXTURE_SPIDERS = ["-s", "SPIDER_MODULES=spiders,tests.fixture_spiders"]


def jago_site_with_only(tmp_path: Path, keep: str) -> Path:
    """Jago's saved site with one discovery route left: 'rss' or 'sitemaps'."""
    site = tmp_path / "site"
    shutil.copytree(JAGO / "site", site)
    (site / "international.html").unlink()
    shutil.rmtree(site / ("sitemaps" if keep == "rss" else "rss"))
    return site


@pytest.mark.parametrize("route", ["rss", "sitemaps"])
def test_an_outlet_reachable_only_through_one_route_is_crawled_through_it(tmp_path, route):
    with serving(jago_site_with_only(tmp_path, route)) as origin:
        result = run_crawl("jagonews24", origin, tmp_path)
    assert {r["url"] for r in result.records} == ON_TOPIC
    assert result.stats["newswatch/jagonews24/listing/article_links"] == 3
    assert result.stats["newswatch/jagonews24/articles/fetched"] == 3


def page_urls(result) -> list[str]:
    return sorted(r["url"] for r in result.records)


def test_monitoring_stops_paginating_at_the_first_page_with_nothing_new(tmp_path):
    site = tmp_path / "site"
    pages = build_paginated_site(site, pages=5, per_page=4, newest=date(2025, 7, 20))
    with serving(site) as origin:
        first = run_crawl("jagonews24", origin, tmp_path)
        second = run_crawl("jagonews24", origin, tmp_path)
    # First run: every page brings something new, so all five are walked.
    # (The site has no feed or sitemap: those answer 404 and are not listing pages.)
    assert first.stats["newswatch/jagonews24/listing/pages"] == 5
    assert page_urls(first) == sorted(u for p in pages for u in p)
    # Second run: page 1 holds nothing new, so page 2 is not even requested.
    assert second.records == []
    assert second.stats["newswatch/jagonews24/listing/stopped_nothing_new"] == 1
    assert "newswatch/jagonews24/articles/fetched" not in second.stats
    assert second.stats["newswatch/jagonews24/listing/pages"] == 1


def test_monitoring_goes_one_page_further_only_while_pages_bring_news(tmp_path):
    site = tmp_path / "site"
    build_paginated_site(site, pages=5, per_page=4, newest=date(2025, 7, 20))
    with serving(site) as origin:
        run_crawl("jagonews24", origin, tmp_path)
        # Two new articles appear on top of page 1 (the oldest two drop to later pages).
        listing = (site / "international.html").read_text(encoding="utf-8")
        for number in (200001, 200002):
            write_article(
                site,
                number,
                f"নতুন খবর {number}",
                [TOPIC_SENTENCES[0]],
                published="2025-07-21T09:00:00+06:00",
            )
            listing = listing.replace(
                "<ul>", f'<ul><li><a href="{BASE}/international/news/{number}">নতুন</a></li>'
            )
        (site / "international.html").write_text(listing, encoding="utf-8")
        second = run_crawl("jagonews24", origin, tmp_path)
    assert sorted(r["url"] for r in second.records) == [
        f"{BASE}/international/news/200001",
        f"{BASE}/international/news/200002",
    ]
    # Page 1 had news, so page 2 was read; it had none, so the walk stopped there.
    assert second.stats["newswatch/jagonews24/listing/pages"] == 2
    assert second.stats["newswatch/jagonews24/listing/stopped_nothing_new"] == 1


def test_backfill_walks_back_to_the_since_date_and_no_further(tmp_path):
    site = tmp_path / "site"
    # 5 pages x 4 articles, one a day from 20 July 2025 back to 1 July 2025.
    pages = build_paginated_site(site, pages=5, per_page=4, newest=date(2025, 7, 20))
    with serving(site) as origin:
        result = run_crawl(
            "jagonews24",
            origin,
            tmp_path,
            "-a",
            "since=2025-07-11",
            "-s",
            "NEWSWATCH_MONITOR_PAGES=1",
        )
    # Articles of 20..11 July are written; page 3 (12..9 July) reaches past `since`: the last.
    written = page_urls(result)
    assert written == sorted(u for p in pages for u in p)[-10:]
    assert result.stats["newswatch/jagonews24/listing/stopped_at_since"] == 1
    assert result.stats["newswatch/jagonews24/articles/outside_window"] == 2
    assert result.stats["newswatch/jagonews24/listing/pages"] == 3


def test_backfill_with_until_writes_only_the_window(tmp_path):
    site = tmp_path / "site"
    build_paginated_site(site, pages=5, per_page=4, newest=date(2025, 7, 20))
    with serving(site) as origin:
        result = run_crawl(
            "jagonews24", origin, tmp_path, "-a", "since=2025-07-05", "-a", "until=2025-07-08"
        )
    days = sorted(r["published"][:10] for r in result.records)
    assert days == ["2025-07-05", "2025-07-06", "2025-07-07", "2025-07-08"]


@pytest.mark.parametrize("bad", ["since=2025-13-01", "since=yesterday", "until=2025-01-01 x"])
def test_a_bad_date_stops_the_crawl_at_start_with_a_clear_message(tmp_path, bad):
    result = run_crawl("jagonews24", "http://127.0.0.1:9", tmp_path, "-a", bad)
    assert result.returncode != 0 and result.records == []
    name = bad.split("=")[0]
    assert f"{name} must be a date like 2023-01-01" in result.log


def script_site(root: Path) -> Path:
    """A listing whose links are inserted by script, three more after a "load more" click."""
    for number in range(300001, 300007):
        write_article(root, number, f"পুতিন-কিম আলোচনা {number}", [TOPIC_SENTENCES[number % 3]])
    links = [
        f'"{BASE.replace("jagonews24.com", "scriptnews.example")}/international/news/{n}"'
        for n in range(300001, 300007)
    ]
    (root / "latest.html").write_text(
        f"""<!DOCTYPE html><html><head><meta charset="utf-8">
<title>সর্বশেষ</title></head><body><ul class="latest"></ul>
<button class="load-more">আরও</button>
<script>
const links = [{", ".join(links)}];
function add(from, to) {{
  const list = document.querySelector("ul.latest");
  for (const href of links.slice(from, to)) {{
    const item = document.createElement("li");
    item.innerHTML = '<a href="' + href + '">খবর</a>';
    list.appendChild(item);
  }}
}}
// Filled late, as client-rendered listings are: a plain fetch sees an empty list.
setTimeout(() => add(0, 3), 400);
document.querySelector("button.load-more").addEventListener("click",
  () => setTimeout(() => add(3, 6), 400));
</script></body></html>""",
        encoding="utf-8",
    )
    return root


def test_a_script_filled_listing_is_read_in_real_chromium_with_load_more(tmp_path):
    site = script_site(tmp_path / "site")
    with serving(site) as origin:
        browser = run_crawl("scriptnews", origin, tmp_path / "a", *FIXTURE_SPIDERS)
    assert browser.returncode == 0, browser.log[-2000:]
    assert len(browser.records) == 6  # 3 inserted on load + 3 after the click
    assert browser.stats["playwright/page_count"] >= 1
    # Only the listing went through the browser; article pages are plain HTTP.
    assert browser.stats["newswatch/scriptnews/articles/fetched"] == 6


def test_the_same_listing_without_the_browser_gives_no_links(tmp_path):
    site = script_site(tmp_path / "site")
    with serving(site) as origin:
        plain = run_crawl(
            "scriptnews", origin, tmp_path, *FIXTURE_SPIDERS, "-s", "NEWSWATCH_NO_BROWSER=1"
        )
    assert plain.records == []
    assert plain.stats["newswatch/scriptnews/listing/article_links"] == 0


def test_a_bot_challenge_page_is_retried_once_through_the_browser(tmp_path):
    """HTML pages answer 403 'Just a moment...' to non-browsers; the feed passes."""
    site = jago_site_with_only(tmp_path, "rss")
    with serving(site, challenge_html=True) as origin:
        result = run_crawl("jagonews24", origin, tmp_path)
    assert {r["url"] for r in result.records} == ON_TOPIC
    assert result.stats["newswatch/jagonews24/challenge/retried"] == 3  # the 3 article pages
    assert result.stats["playwright/page_count"] == 3


def test_an_outlet_reached_only_through_its_site_search_uses_the_topic_search_phrases(tmp_path):
    """Banglar Akash without its category page: WordPress search (`/blog/?s=`) finds the posts."""
    site = tmp_path / "site"
    shutil.copytree(FIXTURES / "banglarakash" / "site", site)
    shutil.rmtree(site / "blog" / "category")
    with serving(site) as origin:
        result = run_crawl("banglarakash", origin, tmp_path)
    expected = {r["url"] for r in read_jsonl(FIXTURES / "banglarakash" / "expected.jsonl")}
    assert {r["url"] for r in result.records} == expected
    # One results page per phrase of russia_dprk.toml's `search`, all read as listings.
    assert result.stats["newswatch/banglarakash/listing/pages"] == 3
    # The only page that did not answer is the category page this copy of the site lacks.
    assert result.stats["httperror/response_ignored_status_count/404"] == 1


def test_a_topic_file_search_key_must_be_a_list_of_phrases(tmp_path):
    from newswatch.topics import TopicError, TopicSet

    source = Path(__file__).parent.parent / "newswatch" / "topics" / "russia_dprk.toml"
    broken = tmp_path / "russia_dprk.toml"
    text = re.sub(r"(?m)^search = .*$", 'search = "উত্তর কোরিয়া"', source.read_text("utf-8"))
    broken.write_text(text, encoding="utf-8")
    with pytest.raises(TopicError, match="search must be a list"):
        TopicSet.load(directory=tmp_path)

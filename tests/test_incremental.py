"""Incremental runs through the real crawl path: nothing fetched twice, nothing written twice,
nothing lost when the crawler is killed at any moment."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import lxml.html
import pytest

from newswatch.fixtureserver import serving
from tests.conftest import FAST, FIXTURES, ROOT, read_jsonl, run_crawl
from tests.sitegen import BASE, build_site, write_article, write_sitemap


def written(workdir: Path, outlet: str) -> list[dict]:
    """Every record in the data folder's output files for `outlet` (all dates)."""
    return [r for f in sorted((workdir / "data").glob(f"*/{outlet}.jsonl")) for r in read_jsonl(f)]


def test_second_run_over_an_unchanged_site_fetches_no_article_page(tmp_path):
    with serving(FIXTURES / "jagonews24" / "site") as origin:
        first = run_crawl("jagonews24", origin, tmp_path)
        second = run_crawl("jagonews24", origin, tmp_path)
    assert len(first.records) == 2 and first.stats["newswatch/jagonews24/articles/fetched"] == 3
    assert second.returncode == 0 and second.records == []
    assert "newswatch/jagonews24/articles/fetched" not in second.stats
    # The section page, the RSS feed and the news sitemap are fetched every time; each lists the
    # same 3 known articles (2 kept, 1 off-topic): 9 links skipped, no article page requested.
    assert second.stats["newswatch/jagonews24/listing/pages"] == 3
    assert second.stats["newswatch/jagonews24/skipped/seen"] == 9
    assert second.stats["downloader/request_count"] == 4  # robots.txt and the three routes
    assert len(written(tmp_path, "jagonews24")) == 2


def test_a_run_over_a_site_with_three_new_articles_writes_exactly_those_three(tmp_path):
    site = tmp_path / "site"
    build_site(site, 30)
    with serving(site) as origin:
        run_crawl("jagonews24", origin, tmp_path)
        before = {r["url"] for r in written(tmp_path, "jagonews24")}
        new = build_site(site, 33, on_topic_every=1, seed=7) - before  # rebuilds, adds 3 pages
        listing_links = site / "international.html"
        assert listing_links.read_text().count("<li>") == 33
        second = run_crawl("jagonews24", origin, tmp_path)
    assert second.stats["newswatch/jagonews24/articles/fetched"] == 3
    assert {r["url"] for r in second.records} == {
        f"{BASE}/international/news/{n}" for n in (100030, 100031, 100032)
    }
    assert new >= {r["url"] for r in second.records}


def test_a_near_copy_published_by_another_outlet_is_marked_duplicate_of_the_first(tmp_path):
    """Inqilab republishes a Jago story with its own first line: kept, pointing at Jago's id."""
    jago = read_jsonl(FIXTURES / "jagonews24" / "expected.jsonl")[1]
    site = tmp_path / "inqilab-site"
    shutil.copytree(FIXTURES / "inqilab" / "site", site)
    page = site / "international" / "news" / "697514.html"
    doc = lxml.html.fromstring(page.read_text(encoding="utf-8"))
    (body,) = doc.cssselect("div.description")
    for child in list(body):
        body.remove(child)
    paragraphs = [
        "ঢাকা, ১৪ সেপ্টেম্বর (ইনকিলাব ডেস্ক) : রাশিয়া ও উত্তর কোরিয়ার সম্পর্ক নিয়ে খবর।",
        *jago["text"].split("\n\n")[1:],
    ]
    for text in paragraphs:
        p = lxml.html.Element("p")
        p.text = text
        body.append(p)
    page.write_text(lxml.html.tostring(doc, encoding="unicode"), encoding="utf-8")

    with serving(FIXTURES / "jagonews24" / "site") as origin:
        run_crawl("jagonews24", origin, tmp_path)
    with serving(site) as origin:
        result = run_crawl("inqilab", origin, tmp_path)
    copied = next(r for r in result.records if r["url"].endswith("/697514"))
    assert copied["duplicate_of"] == jago["id"]
    other = next(r for r in result.records if r["url"].endswith("/731286"))
    assert other["duplicate_of"] is None  # same event as seed 002, written independently


def test_a_second_run_on_the_same_state_waits_for_nothing_and_crawls_nothing(tmp_path):
    site = tmp_path / "site"
    build_site(site, 60)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    with serving(site) as origin:
        slow = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "newswatch.cli",
                "run",
                "--outlets",
                "jagonews24",
                "--origin",
                f"jagonews24={origin}",
                "--data-dir",
                str(tmp_path / "data"),
                "-s",
                "DOWNLOAD_DELAY=0.5",
                "-s",
                "AUTOTHROTTLE_ENABLED=False",
            ],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        lock = tmp_path / "data" / "state.sqlite.lock"
        deadline = time.monotonic() + 60
        while not (lock.exists() and lock.read_text()) and time.monotonic() < deadline:
            time.sleep(0.1)
        second = subprocess.run(
            [
                sys.executable,
                "-m",
                "newswatch.cli",
                "run",
                "--outlets",
                "jagonews24",
                "--origin",
                f"jagonews24={origin}",
                "--data-dir",
                str(tmp_path / "data"),
            ],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        crawl = run_crawl("jagonews24", origin, tmp_path)  # `scrapy crawl` on the same state
        slow.send_signal(signal.SIGTERM)
        slow.communicate(timeout=120)
    assert second.returncode == 3
    assert second.stderr.startswith(f"newswatch: another newswatch run (pid {slow.pid})")
    assert second.stdout == ""
    assert crawl.stats["finish_reason"] == "state_unavailable" and crawl.records == []
    assert "another newswatch run" in crawl.log


def kill_when_written(
    command: list[str], output_glob: tuple[Path, str], lines: int, env: dict
) -> None:
    """Start the crawl, SIGKILL it once the output holds at least `lines` lines."""
    process = subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    folder, pattern = output_glob
    deadline = time.monotonic() + 120
    try:
        while time.monotonic() < deadline and process.poll() is None:
            if sum(f.read_bytes().count(b"\n") for f in folder.glob(pattern)) >= lines:
                break
            time.sleep(0.02)
    finally:
        process.send_signal(signal.SIGKILL)
        process.wait()


@pytest.mark.parametrize("kill_points", [(1, 25, 50), (10, 40, 60)])
def test_killed_runs_lose_nothing_and_write_nothing_twice(tmp_path, kill_points):
    site = tmp_path / "site"
    on_topic = build_site(site, 240)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    data = tmp_path / "data"
    with serving(site) as origin:
        command = [
            sys.executable,
            "-m",
            "scrapy",
            "crawl",
            "jagonews24",
            "-a",
            f"origin={origin}",
            "-s",
            f"NEWSWATCH_DATA_DIR={data}",
            *FAST,
        ]
        for lines in kill_points:
            kill_when_written(command, (data, "*/jagonews24.jsonl"), lines, env)
        final = run_crawl("jagonews24", origin, tmp_path)
    assert final.returncode == 0
    raw = b"".join(f.read_bytes() for f in sorted(data.glob("*/jagonews24.jsonl")))
    assert raw.endswith(b"\n")
    records = [r for f in sorted(data.glob("*/jagonews24.jsonl")) for r in read_jsonl(f)]
    urls = [r["url"] for r in records]
    assert len(urls) == len(set(urls)), "an article was written twice"
    assert set(urls) == on_topic, "an on-topic article was lost"


def test_an_article_updated_after_it_was_written_is_written_again_as_a_new_version(tmp_path):
    """A sitemap lastmod newer than the written record brings the page back; the page's later
    `modified` gives the same id a new version. Unchanged pages are not fetched."""
    site = tmp_path / "site"
    build_site(site, 6, on_topic_every=1)
    url = f"{BASE}/international/news/100002"
    with serving(site) as origin:
        first = run_crawl("jagonews24", origin, tmp_path)
        write_article(
            site,
            100002,
            "হালনাগাদ: পুতিন-কিম বৈঠকের পর নতুন সহযোগিতা চুক্তি",
            [
                "রাশিয়ার প্রেসিডেন্ট ভ্লাদিমির পুতিনের সঙ্গে বৈঠক করেছেন উত্তর কোরিয়ার নেতা কিম জং উন।",
                "বৈঠকের পর দুই দেশ প্রতিরক্ষা ও মহাকাশ খাতে নতুন সহযোগিতা চুক্তির ঘোষণা দিয়েছে।",
            ],
            modified_minute=30,
        )
        write_sitemap(
            site,
            {
                f"{BASE}/international/news/{n}": "2024-09-14T10:42:00+06:00"
                for n in range(100000, 100006)
            }
            | {url: "2024-09-14T11:30:00+06:00"},
        )
        second = run_crawl("jagonews24", origin, tmp_path)
    (old,) = [r for r in first.records if r["url"] == url]
    assert second.stats["newswatch/jagonews24/articles/fetched"] == 1
    (update,) = second.records
    assert (update["id"], update["url"], update["version"]) == (old["id"], url, 2)
    assert old["version"] == 1 and old["modified"] is None
    assert update["modified"] == "2024-09-14T11:30:00+06:00"
    assert update["duplicate_of"] is None  # an update is not a copy of itself

"""Outlets without code: TOML files in outlets/ become spiders that `scrapy list` and `scrapy crawl`
see beside the coded ones, and a malformed file stops with one line saying where and what."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from scrapy.settings import Settings

from newswatch.configured import OUTLETS_DIR, OutletConfigError, load_outlets, spider_class
from newswatch.loader import OutletLoader
from newswatch.outlet import ConfigError, OutletSpider
from tests.conftest import FIXTURES, ROOT, read_jsonl, run_crawl

LOADER = ["-s", "SPIDER_LOADER_CLASS=newswatch.loader.OutletLoader"]
CONFIGURED = sorted(p.stem for p in OUTLETS_DIR.glob("*.toml"))
GOOD = """\
name = "{name}"
outlet_name = "Example"
domains = ["example.com"]
base_url = "https://www.example.com"
article_url = '/news/\\d+$'
listings = ["/world"]
"""


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / f"{name}.toml"
    path.write_text(text, encoding="utf-8")
    return path


def loader(folder: Path | None = None) -> OutletLoader:
    settings = Settings({"SPIDER_MODULES": ["spiders"]})
    if folder:
        settings.set("NEWSWATCH_OUTLETS_DIR", str(folder))
    return OutletLoader(settings)


def scrapy(*args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-m", "scrapy", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_repository_has_configured_outlets_without_spider_modules():
    assert len(CONFIGURED) >= 2
    for name in CONFIGURED:
        assert not (ROOT / "spiders" / f"{name}.py").exists(), f"{name} has a spider module"
        assert (FIXTURES / name / "expected.jsonl").is_file(), f"{name} has no fixture"


def test_outlet_file_becomes_an_outlet_spider_with_its_declarations(tmp_path):
    path = write(tmp_path, "example", GOOD.format(name="example") + '[selectors]\ntitle = "h1"\n')
    cls = spider_class(path)
    assert issubclass(cls, OutletSpider)
    assert (cls.name, cls.outlet_name, cls.language) == ("example", "Example", "bn")
    assert cls.allowed_domains == ["example.com"]
    assert cls.listings == ["/world"] and cls.sitemaps == [] and cls.feeds == []
    assert cls.selectors == {"title": "h1"}
    spider = cls(origin="http://127.0.0.1:8801")
    assert spider.is_article_url("https://www.example.com/news/12")
    assert spider.to_origin("https://www.example.com/world") == "http://127.0.0.1:8801/world"


@pytest.mark.parametrize(
    ("text", "line", "fix"),
    [
        (GOOD + 'feeds = ["/a" "/b"]\nsitemaps = []\n', 7, "not valid TOML"),
        (GOOD + 'sitemap = ["/news.xml"]\n', 7, "unknown key 'sitemap'; allowed:"),
        (GOOD.replace('outlet_name = "Example"\n', ""), None, "missing required key 'outlet_name'"),
        (GOOD.replace("'/news/\\d+$'", "'/news/(\\d+$'"), 5, "not a regular expression (missing )"),
        (GOOD + '[selectors]\ntitle = "h1"\nheadline = "h2"\n', 9, "unknown selector field"),
        (GOOD + '[selectors]\nbody = "div..x"\n', 8, "body 'div..x': not a CSS selector"),
        # parsel's pseudo-elements are not CSS: the reader takes elements and reads their text.
        (GOOD + '[selectors]\ntitle = "h1::text"\n', 8, "title 'h1::text': not a CSS selector"),
        (GOOD.replace('listings = ["/world"]', "listings = []"), None, "no discovery route"),
        (GOOD.replace('"https://www.example.com"', '"https://other.org"'), 4, "not on domains"),
        (GOOD.replace('["example.com"]', '["https://example.com"]'), 3, "bare host names"),
        (GOOD.replace('["/world"]', '"/world"'), 6, "listings must be a list"),
        (GOOD.replace('"{name}"', '"Ex-ample"'), 1, "lower-case"),
    ],
)
def test_malformed_outlet_file_fails_with_file_line_and_what_to_fix(tmp_path, text, line, fix):
    path = write(tmp_path, "example", text.format(name="example"))
    with pytest.raises(OutletConfigError) as raised:
        spider_class(path)
    message = str(raised.value)
    assert "\n" not in message
    assert message.startswith(f"{path}:{line}: " if line else f"{path}: ")
    assert fix in message


def test_name_must_match_the_file_name(tmp_path):
    write(tmp_path, "example", GOOD.format(name="other"))
    with pytest.raises(OutletConfigError, match=r"example\.toml:1: name 'other' must equal"):
        load_outlets(tmp_path)


def test_loader_lists_configured_outlets_beside_coded_ones(tmp_path):
    write(tmp_path, "example", GOOD.format(name="example"))
    names = loader(tmp_path).list()
    assert "example" in names and "jagonews24" in names
    assert loader(tmp_path).load("example").config_path == str(tmp_path / "example.toml")
    # Default folder: the repository's outlets/.
    assert set(CONFIGURED) <= set(loader().list())


def test_a_configured_name_that_clashes_with_a_coded_spider_is_an_error(tmp_path):
    write(tmp_path, "jagonews24", GOOD.format(name="jagonews24"))
    with pytest.raises(OutletConfigError, match="already taken by the coded spider spiders"):
        loader(tmp_path)


def test_scrapy_list_shows_configured_outlets():
    done = scrapy("list", *LOADER)
    assert done.returncode == 0, done.stderr[-2000:]
    listed = done.stdout.split()
    assert set(CONFIGURED) <= set(listed) and "jagonews24" in listed


def test_scrapy_list_stops_on_a_malformed_outlet_file(tmp_path):
    write(tmp_path, "example", GOOD.format(name="example") + "feeds = 3\n")
    done = scrapy("list", *LOADER, "-s", f"NEWSWATCH_OUTLETS_DIR={tmp_path}")
    assert done.returncode != 0
    assert f"{tmp_path / 'example.toml'}:7: feeds must be a list" in done.stderr


def test_configured_outlet_without_selectors_is_read_by_structured_and_fallback_layers(tmp_path):
    """A new outlet file, no spider module and no [selectors], crawled through `scrapy crawl`:
    JSON-LD gives title and dates, trafilatura the body."""
    paragraphs = [
        "রাশিয়ার প্রেসিডেন্ট ভ্লাদিমির পুতিনের সঙ্গে বৈঠক করেছেন উত্তর কোরিয়ার নেতা কিম জং উন। "
        "দুই দেশের মধ্যে সামরিক সহযোগিতা বাড়ানোর বিষয়ে তারা দীর্ঘ আলোচনা করেন।",
        "মস্কো ও পিয়ংইয়ংয়ের মধ্যে পারস্পরিক প্রতিরক্ষা চুক্তি কার্যকর হয়েছে গত বছরের ডিসেম্বরে। "
        "চুক্তি অনুযায়ী এক দেশ আক্রান্ত হলে অপর দেশ সহায়তা দেবে।",
        "বিশ্লেষকেরা বলছেন, এই সম্পর্ক এশিয়ার নিরাপত্তা পরিস্থিতিতে নতুন মাত্রা যোগ করেছে এবং "
        "প্রতিবেশী দেশগুলো বিষয়টি গভীর মনোযোগ দিয়ে পর্যবেক্ষণ করছে।",
    ]
    title = "পুতিন-কিম বৈঠকে সামরিক সহযোগিতা বাড়ানোর অঙ্গীকার"
    url = "https://www.example.com/news/42"
    site = tmp_path / "site"
    (site / "news").mkdir(parents=True)
    (site / "world.html").write_text(
        f'<html><body><a href="{url}">{title}</a></body></html>', encoding="utf-8"
    )
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    (site / "news" / "42.html").write_text(
        '<html lang="bn"><head><meta charset="utf-8">'
        f'<link rel="canonical" href="{url}"><script type="application/ld+json">'
        '{"@type": "NewsArticle", "headline": "' + title + '", '
        '"datePublished": "2025-06-19T10:00:00+06:00"}</script></head>'
        f"<body><nav><a href='https://www.example.com/'>প্রচ্ছদ</a></nav><article>{body}"
        "</article></body></html>",
        encoding="utf-8",
    )
    outlets = tmp_path / "outlets"
    outlets.mkdir()
    write(outlets, "example", GOOD.format(name="example"))
    from newswatch.fixtureserver import serving

    with serving(site) as origin:
        result = run_crawl(
            "example", origin, tmp_path, *LOADER, "-s", f"NEWSWATCH_OUTLETS_DIR={outlets}"
        )
    assert result.returncode == 0, result.log[-3000:]
    [record] = result.records
    assert (record["url"], record["outlet"], record["outlet_name"]) == (url, "example", "Example")
    assert record["title"] == title
    assert record["published"] == "2025-06-19T10:00:00+06:00"
    assert record["text"] == "\n\n".join(paragraphs)
    assert result.stats["newswatch/example/field/title/structured"] == 1
    assert result.stats["newswatch/example/field/paragraphs/fallback"] == 1


@pytest.mark.parametrize("outlet", CONFIGURED)
def test_configured_fixture_outlet_crawls_to_its_expected_records(outlet, tmp_path):
    """The same check as test_outlets.py, with the loader named explicitly."""
    from newswatch.fixtureserver import serving

    with serving(FIXTURES / outlet / "site") as origin:
        result = run_crawl(outlet, origin, tmp_path, *LOADER)
    assert result.returncode == 0, result.log[-3000:]
    expected = {r["url"]: r for r in read_jsonl(FIXTURES / outlet / "expected.jsonl")}
    got = {r["url"]: r for r in result.records}
    assert sorted(got) == sorted(expected)
    for url, want in expected.items():
        for name, value in want.items():
            have = [t["id"] for t in got[url]["topics"]] if name == "topics" else got[url][name]
            assert have == value, f"{outlet} {url} field {name!r}"
    assert result.stats[f"newswatch/{outlet}/dropped/off_topic"] >= 1


def test_a_coded_spider_with_css_the_reader_cannot_run_stops_at_start():
    declared = {
        "name": "broken",
        "outlet_name": "Broken",
        "allowed_domains": ["example.com"],
        "base_url": "https://www.example.com",
        "listings": ["/world"],
        "article_url": r"/news/\d+$",
        "selectors": {"title": "h1::text"},
    }
    broken = type("BrokenSpider", (OutletSpider,), declared)
    with pytest.raises(ConfigError, match=r"spider 'broken': 'h1::text': not a CSS selector"):
        broken()

"""A hostile web, through the real crawl path: one `scrapy crawl` of a fault-injecting site.

The site (tests/faultserver.py, on 127.0.0.1) is a configured outlet, `faultnews`, whose
listing links one article per failure case, plus a 10,000-link listing, a feed with an entity
expansion payload and a sitemap with an external entity. For every case the tests check that
the run completed, that the case is counted under its stat, and that the output holds exactly
the good articles. A second, small crawl goes through an HTTP proxy with a password.
"""

from __future__ import annotations

import base64
import html
import json
import os
import random
import re
import subprocess
import sys
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import jsonschema
import pytest
from scrapy.http import HtmlResponse

from newswatch.middlewares import fix_charset, redact, retry_after_seconds
from newswatch.state import open_state
from newswatch.text import normalize
from newswatch.urls import url_key
from tests.conftest import ROOT, CrawlResult, run_crawl
from tests.faultserver import (
    FaultServer,
    cut_mid_body,
    fail_then,
    fault_server,
    gzip_bomb,
    huge,
    never_answer,
    page,
    redirect,
    reset_mid_body,
    slow,
)
from tests.sitegen import TOPIC_SENTENCES, sentence_pool

OUTLET = "faultnews"
BASE = "https://www.faultnews.example"
STAT = f"newswatch/{OUTLET}/"
OUTLET_FILE = f"""
name = "{OUTLET}"
outlet_name = "Fault News"
domains = ["faultnews.example"]
base_url = "{BASE}"
article_url = '^https?://[^/?#]+/news/[a-z0-9-]+$'
listings = ["/latest", "/big-listing"]
feeds = ["/feed.xml"]
sitemaps = ["/sitemap.xml"]

[selectors]
title = "h1"
published = "p.dateline"
body = "div.story"
"""
# Short timeouts and retries keep the run fast; more than two requests at a time lets the
# cases that wait (timeouts, Retry-After, slow pages) wait side by side.
FAST_FAULTS = [
    "-s",
    "DOWNLOAD_TIMEOUT=4",
    "-s",
    "RETRY_TIMES=2",
    "-s",
    "CONCURRENT_REQUESTS_PER_DOMAIN=16",
]
DATELINE = "প্রকাশিত: ১০:৪২ এএম, ১৪ সেপ্টেম্বর ২০২৪"


def paragraphs_for(slug: str) -> list[str]:
    """Three distinct on-topic paragraphs of real Bengali sentences, fixed per slug."""
    rng = random.Random(slug)
    sentences = rng.sample(sentence_pool(), 6)
    sentences[1] = rng.choice(TOPIC_SENTENCES) + " " + sentences[1]
    return [" ".join(sentences[i : i + 2]) for i in range(0, 6, 2)]


def title_for(slug: str) -> str:
    return f"পুতিন ও কিম জং উনের বৈঠক: {slug}"


def article_html(
    slug: str,
    *,
    title: str | None = None,
    dateline: bool = True,
    jsonld_date: str | None = None,
    meta_charset: str | None = "utf-8",
    canonical: str | None = None,
    body: str | None = None,
) -> str:
    title = title or title_for(slug)
    head = f'<meta charset="{meta_charset}">' if meta_charset else ""
    head += f"<title>{html.escape(title)}</title>"
    head += f'<link rel="canonical" href="{canonical or f"{BASE}/news/{slug}"}">'
    if jsonld_date:
        ld = {"@context": "https://schema.org", "@type": "NewsArticle", "headline": title}
        ld["datePublished"] = jsonld_date
        head += f'<script type="application/ld+json">{json.dumps(ld, ensure_ascii=False)}</script>'
    if body is None:
        body = "".join(f"<p>{html.escape(p)}</p>" for p in paragraphs_for(slug))
    printed = f'<p class="dateline">{DATELINE}</p>' if dateline else ""
    return (
        f'<!DOCTYPE html><html lang="bn"><head>{head}</head><body>'
        f'<nav><a href="/latest">সর্বশেষ</a></nav><h1>{html.escape(title)}</h1>{printed}'
        f'<div class="story">{body}</div></body></html>'
    )


def article_bytes(slug: str, **kwargs) -> bytes:
    return article_html(slug, **kwargs).encode("utf-8")


@dataclass
class Case:
    slug: str
    written: bool
    stat: str | None  # under newswatch/faultnews/, or a Scrapy stat when it starts with "!"
    also_linked: list[str] = field(default_factory=list)


def malformed_body(slug: str) -> str:
    first, second, third = (html.escape(p) for p in paragraphs_for(slug))
    # Unclosed <p>, <div> and <b>, a stray </span>, misnested <i><b></i></b>.
    return f"<p>{first}<p><b>{second}</span><div><p><i><b>{third}</i></b>"


def site(off: FaultServer, tls: FaultServer, secret_file: Path) -> tuple[dict, list[Case]]:
    """The routes of the fault site and the expected outcome of each article case."""
    off_origin = off.origin.replace("127.0.0.1", "localhost")  # another host, same machine
    cases: list[Case] = []
    routes: dict = {}

    def add(slug: str, behaviour, written: bool, stat: str | None, *also: str) -> None:
        routes[f"/news/{slug}"] = behaviour
        cases.append(Case(slug, written, stat, list(also)))

    good = page(article_bytes("plain-story"))
    add("plain-story", good, True, None)
    # -- HTTP status and timing
    add("gone-404", page(b"<html><body>no</body></html>", 404), False, "errors/http_404")
    add("gone-410", page(b"<html><body>gone</body></html>", 410), False, "errors/http_410")
    for status in (500, 502, 503):
        slug = f"flaky-{status}"
        add(slug, fail_then([status], page(article_bytes(slug))), True, None)
    add("always-500", page(b"<html><body>down</body></html>", 500), False, "errors/http_500")
    rate = fail_then([429], page(article_bytes("rate-limited")), {"Retry-After": "2"})
    add("rate-limited", rate, True, "retry_after/waited")
    later = page(b"<html><body>later</body></html>", 503, headers={"Retry-After": "3600"})
    add("come-back-tomorrow", later, False, "errors/retry_after_too_long")
    add("never-answers", never_answer, False, "errors/timeout")
    add("slow-story", slow(article_bytes("slow-story")), True, None)
    # Twisted reports a reset after part of a promised body as data loss too.
    reset = reset_mid_body(article_bytes("reset-mid-body"))
    add("reset-mid-body", reset, False, "errors/data_loss")
    add("cut-mid-body", cut_mid_body(article_bytes("cut-mid-body")), False, "errors/data_loss")
    # -- size
    whole = article_bytes("truncated-html")
    cut_at = whole.index(b"</p>") - 40  # inside the first paragraph
    add("truncated-html", page(whole[:cut_at]), False, "articles/truncated")
    add("huge-declared", huge(50 * 1024 * 1024, declared=True), False, "errors/too_large")
    add("huge-streamed", huge(50 * 1024 * 1024, declared=False), False, "errors/too_large")
    add("gzip-bomb", gzip_bomb, False, "errors/too_large")
    # -- character sets
    cp1252 = "text/html; charset=windows-1252"
    mislabelled = article_bytes("mislabelled", meta_charset=None)
    add("mislabelled", page(mislabelled, content_type=cp1252), True, "charset/relabelled_utf8")
    meta_only = article_bytes("meta-charset-only")
    add("meta-charset-only", page(meta_only, content_type="text/html"), True, None)
    bare = article_bytes("no-charset", meta_charset=None)
    add("no-charset", page(bare, content_type="text/html"), True, None)
    bom = b"\xef\xbb\xbf" + article_bytes("byte-order-mark", meta_charset=None)
    add("byte-order-mark", page(bom, content_type=cp1252), True, None)
    broken = article_bytes("invalid-bytes").replace("।".encode(), "।".encode() + b"\xff\xfe", 1)
    add("invalid-bytes", page(broken), True, "charset/invalid_bytes")
    # -- redirects
    add("old-story", redirect("/news/older-story"), False, "dropped/duplicate_url", "chain-story")
    routes["/news/older-story"] = redirect("/news/chain-story", 302)
    routes["/news/chain-story"] = page(article_bytes("chain-story"))
    add("loop-a", redirect("/news/loop-b", 302), False, "redirect/loop")
    routes["/news/loop-b"] = redirect("/news/loop-a", 302)
    add("goes-away", redirect(f"{off_origin}/news/elsewhere", 302), False, "redirect/offsite")
    add("via-http", redirect(f"{tls.origin}/news/secure-story"), False, None)
    tls.routes["/news/secure-story"] = page(article_bytes("secure-story"))
    add("absolute-redirect", redirect(f"{BASE}/news/landed-story"), False, None)
    routes["/news/landed-story"] = page(article_bytes("landed-story"))
    # -- robots.txt
    routes["/robots.txt"] = page(
        "User-agent: *\nDisallow: /news/robots-blocked\n", 200, "text/plain"
    )
    add("robots-blocked", good, False, "skipped/robots")
    # -- what is not an article page
    pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    add("pdf-file", page(pdf, content_type="application/pdf"), False, "articles/not_html")
    jpeg = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(200) + b"\xff\xd9"
    add("image-file", page(jpeg, content_type="image/jpeg"), False, "articles/not_html")
    json_file = page(b'{"title": "x"}', content_type="application/json")
    add("json-file", json_file, False, "articles/not_html")
    add("empty-page", page(b""), False, "articles/empty")
    video = '<video controls src="/media/clip.mp4"></video>'
    add("video-only", page(article_bytes("video-only", body=video)), False, "dropped/missing_text")
    undated = page(article_bytes("undated", dateline=False))
    add("undated", undated, False, "dropped/missing_published")
    dated = article_bytes(
        "dated-by-jsonld", dateline=False, jsonld_date="2024-09-14T10:42:00+06:00"
    )
    add("dated-by-jsonld", page(dated), True, None)
    add(
        "malformed-html",
        page(article_bytes("malformed-html", body=malformed_body("m"))),
        True,
        None,
    )
    # -- hostile content: a title and canonical URL that try to choose a file name
    hostile = article_bytes(
        "hostile-names",
        title="../../../../tmp/newswatch-escape রাশিয়া উত্তর কোরিয়া /etc/passwd",
        canonical=f"{BASE}/news/hostile-names?x=../../../../tmp/escape",
    )
    add("hostile-names", page(hostile), True, None)

    links = [f"/news/{c.slug}" for c in cases] + [
        f"/news/{s}" for c in cases for s in c.also_linked
    ]
    routes["/latest"] = page(listing_html(links))
    routes["/big-listing"] = page(big_listing(off_origin))
    routes["/news/from-big-listing"] = page(article_bytes("from-big-listing"))
    routes["/feed.xml"] = page(entity_bomb_feed(), content_type="application/rss+xml")
    routes["/news/from-feed"] = page(article_bytes("from-feed"))
    routes["/sitemap.xml"] = page(sitemap_index(off_origin), content_type="application/xml")
    routes["/sitemap-news.xml"] = page(xxe_sitemap(secret_file), content_type="application/xml")
    routes["/news/from-sitemap"] = page(article_bytes("from-sitemap"))
    # Where the redirect cases land: one record each, under the final URL.
    for slug in ("chain-story", "secure-story", "landed-story"):
        cases.append(Case(slug, True, None))
    for slug in ("from-big-listing", "from-feed", "from-sitemap"):
        cases.append(Case(slug, True, None))
    return routes, cases


def listing_html(links: list[str]) -> str:
    items = "".join(f'<li><a href="{u}">{html.escape(u)}</a></li>' for u in links)
    head = "<meta charset='utf-8'>"
    return f"<!DOCTYPE html><html><head>{head}</head><body><ul>{items}</ul></body></html>"


def big_listing(off_origin: str) -> str:
    """10,000 links: 5,000 tag pages, 4,999 article-looking links on another host, one article."""
    links = [f"/tag/{n}" for n in range(5000)]
    links += [f"{off_origin}/news/offsite-{n}" for n in range(4999)]
    links.append("/news/from-big-listing")
    return listing_html(links)


def entity_bomb_feed() -> str:
    """RSS whose DTD defines "billion laughs" (10^9 copies of "lol" if expanded)."""
    entities = '<!ENTITY lol "lol">'
    for i in range(1, 10):
        inner = f"&lol{i - 1};" if i > 1 else "&lol;"
        entities += f'<!ENTITY lol{i} "{inner * 10}">'

    return (
        f'<?xml version="1.0"?>\n<!DOCTYPE rss [{entities}]>\n'
        '<rss version="2.0"><channel><title>Fault News &lol9;</title>'
        f"<item><title>&lol9;</title><link>{BASE}/news/from-feed</link></item>"
        f"<item><title>bomb</title><link>{BASE}/news/&lol9;</link></item>"
        "</channel></rss>"
    )


def sitemap_index(off_origin: str) -> str:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        f"<sitemap><loc>{BASE}/sitemap-news.xml</loc></sitemap>"
        f"<sitemap><loc>{off_origin}/sitemap-elsewhere.xml</loc></sitemap>"
        "</sitemapindex>"
    )


def xxe_sitemap(secret_file: Path) -> str:
    """A urlset whose DTD points an external entity at a local file."""
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        f'<!DOCTYPE urlset [<!ENTITY xxe SYSTEM "file://{secret_file}">]>'
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        f"<url><loc>{BASE}/news/&xxe;</loc></url>"
        f"<url><loc>{BASE}/news/from-sitemap</loc></url>"
        "</urlset>"
    )


@dataclass
class FaultRun:
    result: CrawlResult
    cases: list[Case]
    site: FaultServer
    off: FaultServer
    tls: FaultServer
    workdir: Path
    secret: str

    def stat(self, name: str) -> int:
        """A newswatch stat of this outlet (`errors/timeout`), 0 when never counted."""
        return self.result.stats.get(STAT + name, 0)

    def by_slug(self) -> dict[str, dict]:
        return {r["url"].rsplit("/", 1)[1].split("?")[0]: r for r in self.result.records}


def outlet_dir(root: Path) -> Path:
    folder = root / "outlets"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{OUTLET}.toml").write_text(OUTLET_FILE, encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def run(tmp_path_factory) -> FaultRun:
    workdir = tmp_path_factory.mktemp("faults")
    secret = f"xxe-secret-{random.Random(8).getrandbits(64):x}"
    secret_file = tmp_path_factory.mktemp("secret") / "secret.txt"
    secret_file.write_text(secret)
    (workdir / "crawl").mkdir()
    with fault_server() as off, fault_server(tls=True) as tls, fault_server() as server:
        routes, cases = site(off, tls, secret_file)
        server.routes.update(routes)
        result = run_crawl(
            OUTLET,
            server.origin,
            workdir / "crawl",
            "-s",
            f"NEWSWATCH_OUTLETS_DIR={outlet_dir(workdir)}",
            *FAST_FAULTS,
        )
    return FaultRun(result, cases, server, off, tls, workdir / "crawl", secret)


def expected_text(slug: str) -> str:
    return "\n\n".join(normalize(p) for p in paragraphs_for(slug))


def test_the_run_completes_and_writes_exactly_the_good_articles(run, record_schema):
    assert run.result.returncode == 0, run.result.log[-3000:]
    assert run.result.stats["finish_reason"] == "finished"
    good = {c.slug for c in run.cases if c.written}
    assert sorted(run.by_slug()) == sorted(good)
    assert len(run.result.records) == len(good)  # each once
    for record in run.result.records:
        jsonschema.validate(record, record_schema)


def test_every_failure_is_counted_under_its_name(run):
    expected = Counter(c.stat for c in run.cases if c.stat)
    counted = {name: run.stat(name) for name in expected}
    # Two invalid bytes in one page are two invalid sequences.
    assert counted == {**expected, "charset/invalid_bytes": 2}
    bad = sum(1 for c in run.cases if c.stat and c.stat.startswith(("errors/", "skipped/")))
    assert run.stat("articles/failed") == bad + run.stat("redirect/loop") + run.stat(
        "redirect/offsite"
    )


def hits(run: FaultRun, slug: str) -> int:
    return run.site.paths().count(f"/news/{slug}")


def test_http_errors_are_retried_only_when_worth_it(run):
    # 404/410: asked once; a 5xx that recovers: written after one retry; one that stays: 3 asks.
    assert [hits(run, s) for s in ("gone-404", "gone-410")] == [1, 1]
    assert [hits(run, f"flaky-{n}") for n in (500, 502, 503)] == [2, 2, 2]
    assert hits(run, "always-500") == 3
    assert run.result.stats["retry/reason_count/502 Bad Gateway"] == 1


def test_retry_after_is_honoured_and_a_too_long_wait_is_left_for_the_next_run(run):
    first, second = run.site.times("/news/rate-limited")
    assert second - first >= 1.95  # Retry-After: 2
    assert "rate-limited" in run.by_slug()
    assert hits(run, "come-back-tomorrow") == 1  # Retry-After: 3600, over the limit


def test_a_page_that_never_answers_times_out_and_a_slow_one_is_read(run):
    assert hits(run, "never-answers") == 3  # first try and two retries, each 4 s
    assert run.result.stats["retry/reason_count/scrapy.exceptions.DownloadTimeoutError"] == 2
    assert run.by_slug()["slow-story"]["text"] == expected_text("slow-story")


def test_a_body_cut_short_is_never_written(run):
    # Reset or closed before Content-Length was reached: retried, then given up; an HTML page
    # that ends mid-paragraph with no length to check is caught by its missing end.
    assert hits(run, "reset-mid-body") == hits(run, "cut-mid-body") == 3
    assert hits(run, "truncated-html") == 1
    assert not {"reset-mid-body", "cut-mid-body", "truncated-html"} & set(run.by_slug())


def test_size_limits_stop_huge_pages_and_compression_bombs(run):
    stats = run.result.stats
    assert run.stat("errors/too_large") == 3
    assert [hits(run, s) for s in ("huge-declared", "huge-streamed", "gzip-bomb")] == [1, 1, 1]
    # Nothing near 50 MB (or the bomb's 64 MB) was kept: the limit is 20 MB.
    assert stats.get("downloader/response_bytes", 0) < 21 * 1024 * 1024


@pytest.mark.parametrize(
    "slug", ["mislabelled", "meta-charset-only", "no-charset", "byte-order-mark", "invalid-bytes"]
)
def test_bengali_text_survives_every_charset_label(run, slug):
    record = run.by_slug()[slug]
    assert record["title"] == normalize(title_for(slug))
    assert record["text"] == expected_text(slug)  # no mojibake, no U+FFFD


def test_scrapy_alone_reads_a_mislabelled_page_as_mojibake_and_the_rule_fixes_it():
    body = article_bytes("mislabelled", meta_charset=None)
    headers = {"Content-Type": "text/html; charset=windows-1252"}
    plain = HtmlResponse("https://www.faultnews.example/news/x", body=body, headers=headers)
    assert plain.encoding == "cp1252" and "à¦" in plain.text and "পুতিন" not in plain.text
    assert fix_charset(body, plain.encoding) == ("utf-8", 0)
    # A page that really is windows-1252 keeps its label; a BOM is never second-guessed.
    latin = "<html><body><p>Café, naïve, €5 – déjà vu</p></body></html>".encode("cp1252")
    assert fix_charset(latin, "cp1252") == (None, 0)
    assert fix_charset(b"\xef\xbb\xbf" + body, "cp1252") == (None, 0)


def test_a_redirect_chain_gives_one_record_under_the_canonical_url(run):
    record = run.by_slug()["chain-story"]
    assert record["url"] == f"{BASE}/news/chain-story"
    assert [hits(run, s) for s in ("old-story", "older-story")] == [1, 1]
    # Every URL of the chain is remembered, so none is fetched again next run.
    store = open_state(str(run.workdir / "data" / "state.sqlite"))
    try:
        keys = [url_key(f"{BASE}/news/{s}") for s in ("old-story", "older-story", "chain-story")]
        known = store.seen(keys)
        assert set(known) == set(keys)
        # Whichever way came second was dropped as the same article (duplicate_url).
        assert known[keys[2]].status == "kept"
    finally:
        store.close()


def test_a_redirect_loop_is_stopped_and_counted(run):
    assert hits(run, "loop-a") == hits(run, "loop-b") == 2
    assert run.stat("redirect/loop") == 1


def test_a_redirect_off_the_outlets_domains_is_not_followed(run):
    assert run.off.hits == []
    assert run.stat("redirect/offsite") == 1


def test_http_to_https_is_followed(run):
    assert run.tls.paths().count("/news/secure-story") == 1
    assert run.by_slug()["secure-story"]["url"] == f"{BASE}/news/secure-story"


def test_a_mirrors_absolute_redirect_to_the_real_site_stays_on_the_mirror(run):
    assert hits(run, "landed-story") == 1
    assert run.by_slug()["landed-story"]["url"] == f"{BASE}/news/landed-story"


def test_robots_txt_disallowed_article_is_not_fetched(run):
    assert hits(run, "robots-blocked") == 0
    assert run.stat("skipped/robots") == run.result.stats["robotstxt/forbidden"] == 1


def test_pages_that_are_not_articles_are_counted_not_written(run):
    written = set(run.by_slug())
    assert not {"pdf-file", "image-file", "json-file", "empty-page", "video-only"} & written
    assert run.stat("articles/not_html") == 3
    # No date anywhere: dropped. A date only in JSON-LD (layer 2): written with that date.
    assert "undated" not in written
    assert run.by_slug()["dated-by-jsonld"]["published"] == "2024-09-14T10:42:00+06:00"
    assert run.stat("field/published/structured") == 1


def test_malformed_html_is_read_whole(run):
    assert run.by_slug()["malformed-html"]["text"] == expected_text("m")


def test_a_10000_link_listing_is_read_and_only_its_article_is_fetched(run):
    assert "from-big-listing" in run.by_slug()
    assert not any(p.startswith("/tag/") for p in run.site.paths())
    assert run.off.hits == []  # 4,999 article-looking links on another host


def test_a_feed_entity_bomb_is_not_expanded(run):
    assert "from-feed" in run.by_slug()
    assert not any("lol" in p for p in run.site.paths())
    everything = run.result.log + json.dumps(run.result.records, ensure_ascii=False)
    assert "lollol" not in everything


def test_a_sitemap_external_entity_reads_no_file(run):
    assert "from-sitemap" in run.by_slug()
    seen = " ".join(run.site.paths()) + run.result.log + json.dumps(run.result.stats)
    assert run.secret not in seen + json.dumps(run.result.records, ensure_ascii=False)
    assert run.result.stats["offsite/filtered"] == 1  # the index's child sitemap on another host


def test_nothing_is_written_outside_the_data_folder_whatever_the_record_says(run, tmp_path):
    hostile = run.by_slug()["hostile-names"]
    assert hostile["title"].startswith("../../../../tmp/newswatch-escape")
    day = hostile["fetched_at"][:10]
    written = sorted(str(p.relative_to(run.workdir)) for p in run.workdir.rglob("*") if p.is_file())
    assert [p for p in written if not p.startswith("data/state.sqlite")] == [
        f"data/{day}/{OUTLET}.jsonl",
        f"{OUTLET}.jsonl",  # -O, named by the test
        f"{OUTLET}.stats.json",
    ]
    export = tmp_path / "export"
    done = subprocess.run(
        [sys.executable, "-m", "newswatch.cli", "export", str(run.workdir / "data"), str(export)],
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    names = sorted(p.name for p in tmp_path.rglob("*") if p.is_file())
    assert len(names) == len(run.result.records)
    assert all(re.fullmatch(r"\d{3}_[0-9a-f]{16}\.txt", n) for n in names)
    assert not Path("/tmp/newswatch-escape").exists()


# -- secrets ------------------------------------------------------------------------------------

PASSWORD = "pr0xy-S3CRET-pw"


def test_a_proxy_password_never_appears_in_logs_or_reports(tmp_path, monkeypatch):
    """`newswatch run` through an HTTP proxy given as http_proxy=http://user:password@host."""
    routes = {
        "/latest": page(listing_html(["/news/plain-story", "/news/gone-404"])),
        "/news/plain-story": page(article_bytes("plain-story")),
    }
    with fault_server(routes) as proxy, fault_server(routes) as site_server:
        for name in ("no_proxy", "NO_PROXY", "https_proxy", "HTTPS_PROXY"):
            monkeypatch.delenv(name, raising=False)
        monkeypatch.setenv(
            "http_proxy", f"http://newswatch:{PASSWORD}@127.0.0.1:{proxy.server_port}"
        )
        done = subprocess.run(
            [
                sys.executable,
                "-m",
                "newswatch.cli",
                "run",
                "--outlets",
                OUTLET,
                "--origin",
                f"{OUTLET}={site_server.origin}",
                "--data-dir",
                str(tmp_path / "data"),
                "-s",
                f"NEWSWATCH_OUTLETS_DIR={outlet_dir(tmp_path)}",
                "-s",
                "LOG_LEVEL=DEBUG",
                "-s",
                "AUTOTHROTTLE_ENABLED=False",
                "-s",
                "DOWNLOAD_DELAY=0",
            ],
            cwd=tmp_path,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
            capture_output=True,
            text=True,
            timeout=300,
        )
    assert done.returncode == 0, done.stdout + done.stderr
    # The proxy was really used, with the password, and the site saw nothing directly.
    assert proxy.paths().count("/news/plain-story") == 1 and site_server.hits == []
    assert all("Proxy-Authorization" in h.headers for h in proxy.hits)
    token = base64.b64encode(f"newswatch:{PASSWORD}".encode()).decode()
    texts = [done.stdout, done.stderr]
    texts += [
        p.read_text(errors="replace")
        for p in (tmp_path / "data").rglob("*")
        if p.is_file() and not p.name.startswith("state.sqlite")
    ]
    assert any("plain-story" in t for t in texts)  # the log and records were read
    for text in texts:
        assert PASSWORD not in text and token not in text


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("proxy http://u:hunter2@10.1.1.1:3128 failed", "proxy http://u:***@10.1.1.1:3128 failed"),
        (
            "{'Proxy-Authorization': [b'Basic dTpodW50ZXIy']}",
            "{'Proxy-Authorization': [b'Basic ***']}",
        ),
        ("<GET https://www.example.com/a:b@c>", "<GET https://www.example.com/a:b@c>"),
    ],
)
def test_redact_masks_credentials_only(line, expected):
    assert redact(line) == expected


def test_retry_after_reads_seconds_and_http_dates():
    now = datetime(2025, 7, 1, 12, 0, tzinfo=UTC)
    assert retry_after_seconds("120", now) == 120
    assert retry_after_seconds("Tue, 01 Jul 2025 12:01:30 GMT", now) == 90
    assert retry_after_seconds("Tue, 01 Jul 2025 11:00:00 GMT", now) == 0  # already past
    assert retry_after_seconds("soon", now) is None


def test_the_page_end_is_found_as_a_forward_scan_of_the_tail_finds_it():
    from newswatch.outlet import _PAGE_END, _ends_as_a_page

    rng = random.Random(5)
    whole = article_bytes("page-end") + b"<script>x()</script>\n</BODY >\n</html>\n"
    cases = [whole[: rng.randint(0, len(whole))] for _ in range(300)]
    cases += [b"", b"</body", b"</ html>", b"</htm>", b"x</html\n>", b"</body>" + b"c" * 65530]
    cases += [b"a" * 70_000 + b"</body>" + b"b" * 70_000, b"</body>" + b"d" * 65_536]
    for body in cases:
        assert _ends_as_a_page(body) == bool(_PAGE_END.search(body[-65536:])), body[-60:]
    cut_before_the_end = whole[: whole.lower().find(b"</body")]
    assert _ends_as_a_page(whole) and not _ends_as_a_page(cut_before_the_end)

"""`newswatch run` (and `scrapy crawlall`) end to end, as cron runs it: several outlets served on
127.0.0.1 in one process, health statuses, the summary table, the run report and the exit status.
"""

from __future__ import annotations

import json
import os
import pty
import re
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from newswatch.fixtureserver import serving
from tests.conftest import FAST, FIXTURES, ROOT, read_jsonl
from tests.sitegen import build_site

ENV = {**os.environ, "PYTHONPATH": str(ROOT), "SCRAPY_SETTINGS_MODULE": "newswatch.settings"}


def newswatch(*args: str, cwd: Path, **popen: object) -> subprocess.CompletedProcess:
    command = [sys.executable, "-m", "newswatch.cli", *args]
    return subprocess.run(
        command, cwd=cwd, env=ENV, capture_output=True, text=True, timeout=300, **popen
    )


def run(data: Path, origins: dict[str, str], *extra: str) -> subprocess.CompletedProcess:
    """`newswatch run` over these outlets, each pointed at its origin; fast loopback settings."""
    args = ["run", "--outlets", ",".join(origins), "--data-dir", str(data), *FAST]
    for outlet, origin in origins.items():
        args += ["--origin", f"{outlet}={origin}"]
    return newswatch(*args, *extra, cwd=data.parent)


def row(stdout: str, outlet: str) -> str:
    return next(line for line in stdout.splitlines() if line.startswith(f"{outlet} "))


def last_report(data: Path) -> dict:
    return json.loads((data / "last-run.json").read_text(encoding="utf-8"))


class _Failing(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        self.server.hits += 1
        self.send_error(500, "Internal Server Error")

    def log_message(self, format: str, *args: object) -> None:
        pass


@contextmanager
def answering_500() -> Iterator[tuple[str, ThreadingHTTPServer]]:
    """A site on 127.0.0.1 whose every page (robots.txt too) is an HTTP 500."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Failing)
    server.hits = 0
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", server
    finally:
        server.shutdown()
        server.server_close()


def redesigned_inqilab(folder: Path) -> Path:
    """A copy of the saved Inqilab site whose article pages changed their markup: new classes
    for the title column, the dateline and the body (the listing is unchanged)."""
    site = folder / "inqilab-redesigned"
    shutil.copytree(FIXTURES / "inqilab" / "site", site)
    for page in (site / "international" / "news").glob("*.html"):
        html = page.read_text(encoding="utf-8")
        for old, new in [
            ("news-date-time", "meta-when"),
            ('class="description"', 'class="story-body"'),
            ("col-md-9 mt-3", "col-lg-8"),
        ]:
            assert old in html, (page, old)
            html = html.replace(old, new)
        page.write_text(html, encoding="utf-8")
    return site


def test_run_isolates_a_redesigned_and_a_failing_outlet_and_exits_1(tmp_path):
    data = tmp_path / "data"
    site = redesigned_inqilab(tmp_path)
    with (
        serving(FIXTURES / "jagonews24" / "site") as jago,
        serving(site) as inqilab,
        answering_500() as (failing, server),
    ):
        done = run(
            data,
            {"jagonews24": jago, "inqilab": inqilab, "banglarakash": failing},
            "-s",
            "RETRY_TIMES=1",
        )
    assert done.returncode == 1, done.stdout + done.stderr
    assert "Traceback" not in done.stdout + done.stderr
    assert "\r" not in done.stdout + done.stderr  # no progress line when not on a terminal

    # The healthy outlet crawled normally in the same process.
    assert row(done.stdout, "jagonews24").split()[1] == "ok"
    (records_file,) = data.glob("*/jagonews24.jsonl")
    expected = read_jsonl(FIXTURES / "jagonews24" / "expected.jsonl")
    assert {r["id"] for r in read_jsonl(records_file)} == {r["id"] for r in expected}

    # The redesigned outlet: pages fetched, no record ("nothing parsed"), named with the cause.
    inq = row(done.stdout, "inqilab")
    assert "nothing parsed (3 article pages, no valid record (missing_published ×3))" in inq
    assert not list(data.glob("*/inqilab.jsonl"))

    # The failing outlet: every answer an HTTP 500; its four listing pages (the category page
    # and three search-result pages, each retried once) counted once each.
    assert server.hits >= 3
    bad = row(done.stdout, "banglarakash")
    assert "errors only (every page answered an error: HTTP 500 ×4 from 127.0.0.1)" in bad
    assert "broken: inqilab, banglarakash (exit status 1)" in done.stdout

    # The report says the same for machines, and points at the records and the log.
    report = last_report(data)
    (dated,) = data.glob("*/run-*.json")
    assert json.loads(dated.read_text(encoding="utf-8")) == report
    assert f"report: {dated}" in done.stdout
    assert report["exit_status"] == 1 and report["broken"] == ["banglarakash", "inqilab"]
    outlets = report["outlets"]
    assert outlets["jagonews24"]["status"] == "ok" and not outlets["jagonews24"]["broken"]
    assert outlets["jagonews24"]["output"] == [str(records_file)]
    assert outlets["jagonews24"]["kept"] == len(expected)
    assert outlets["jagonews24"]["coverage"] == {"title": 1.0, "published": 1.0, "text": 1.0}
    assert outlets["inqilab"]["status"] == "nothing parsed"
    assert outlets["inqilab"]["coverage"]["published"] == 0.0
    assert outlets["inqilab"]["details"]["dropped"] == {"missing_published": 3}
    assert outlets["banglarakash"]["status"] == "errors only"
    assert outlets["banglarakash"]["details"]["error_pages"] == {"500": 4}  # category + 3 searches
    assert outlets["banglarakash"]["details"]["http_status"]["500"] >= 2
    assert outlets["banglarakash"]["output"] == []
    assert Path(report["log"]).is_file() and f"log: {report['log']}" in done.stdout
    assert report["outlets"]["inqilab"]["stats"]["finish_reason"] == "finished"


def test_nothing_new_is_ok_and_exits_0(tmp_path):
    data = tmp_path / "data"
    with serving(FIXTURES / "inqilab" / "site") as origin:
        first = run(data, {"inqilab": origin})
        second = run(data, {"inqilab": origin})
    assert [first.returncode, second.returncode] == [0, 0], second.stdout + second.stderr
    assert "broken:" not in second.stdout
    entry = last_report(data)["outlets"]["inqilab"]
    assert entry["status"] == "ok" and entry["reason"] == ""
    assert entry["kept"] == 0 and entry["articles"] == 0
    assert entry["details"]["article_links"] > 0
    # Every listed article was seen by the first run (the listing links one of them twice).
    assert 0 < entry["details"]["skipped_seen"] <= entry["details"]["article_links"]
    assert len(list(data.glob("*/run-*.json"))) == 2


def test_a_listing_without_article_links_is_nothing_found(tmp_path):
    site = tmp_path / "site"
    shutil.copytree(FIXTURES / "inqilab" / "site", site)
    listing = site / "international.html"
    html = listing.read_text(encoding="utf-8")
    # The redesign moved articles to /world/<id>: the spider's article_url finds none.
    html = re.sub(r"/international/news/(\d+)", r"/world/\1", html)
    listing.write_text(html, encoding="utf-8")
    data = tmp_path / "data"
    with serving(site) as origin:
        done = run(data, {"inqilab": origin})
    assert done.returncode == 1
    assert "nothing found (1 listing page, no article link)" in row(done.stdout, "inqilab")
    assert last_report(data)["outlets"]["inqilab"]["status"] == "nothing found"


def strip_dates(page: Path) -> None:
    """The article's dateline and machine dates gone, as after a template change."""
    html = page.read_text(encoding="utf-8")
    html = re.sub(r'<span class="time-with-author">.*?</span>', "", html)
    html = re.sub(r'"datePublished": "[^"]*"', '"x": ""', html)
    page.write_text(html, encoding="utf-8")


def test_field_coverage_falling_against_recent_runs_is_a_coverage_drop(tmp_path):
    site, data = tmp_path / "site", tmp_path / "data"
    build_site(site, 6)
    with serving(site) as origin:
        first = run(data, {"jagonews24": origin})
        build_site(site, 10)  # the same six, and four new articles
        for number in (100007, 100008, 100009):  # three of the four lose their date
            strip_dates(site / "international" / "news" / f"{number}.html")
        second = run(data, {"jagonews24": origin})
    assert first.returncode == 0, first.stdout + first.stderr
    assert last_report(data)["outlets"]["jagonews24"]["coverage"]["published"] == 0.25
    assert second.returncode == 1
    assert (
        "coverage drop (published on 25% of 4 article pages (median of last 1 run: 100%))"
        in row(second.stdout, "jagonews24")
    )
    # Still writes what it can: the one dated new article.
    assert last_report(data)["outlets"]["jagonews24"]["details"]["valid"] == 1


def test_progress_line_is_drawn_on_a_terminal(tmp_path):
    site, data = tmp_path / "site", tmp_path / "data"
    build_site(site, 8)
    controller, terminal = pty.openpty()
    with serving(site) as origin:
        done = subprocess.run(
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
                str(data),
                "-s",
                "AUTOTHROTTLE_ENABLED=False",
                "-s",
                "DOWNLOAD_DELAY=0.4",  # a crawl of a few seconds: the line is redrawn each second
            ],
            cwd=tmp_path,
            env=ENV,
            stdout=subprocess.PIPE,
            stderr=terminal,
            text=True,
            timeout=300,
        )
    os.close(terminal)
    drawn = b""
    while True:
        try:
            chunk = os.read(controller, 65536)
        except OSError:
            break
        if not chunk:
            break
        drawn += chunk
    os.close(controller)
    assert done.returncode == 0, done.stdout
    lines = re.findall(rb"\r\[(\d\d:\d\d)\] jagonews24 (\d+)p (\d+)a (\d+)k", drawn)
    assert len(lines) >= 2
    assert int(lines[-1][1]) > 0  # pages counted while it ran
    assert "\r" not in done.stdout  # the table and report lines stay clean


def test_scrapy_crawlall_runs_the_same_job(tmp_path):
    data = tmp_path / "data"
    with serving(FIXTURES / "inqilab" / "site") as origin:
        done = subprocess.run(
            [
                sys.executable,
                "-m",
                "scrapy",
                "crawlall",
                "--outlets",
                "inqilab",
                "--origin",
                f"inqilab={origin}",
                "-s",
                f"NEWSWATCH_DATA_DIR={data}",
                *FAST,
            ],
            cwd=ROOT,
            env=ENV,
            capture_output=True,
            text=True,
            timeout=300,
        )
    assert done.returncode == 0, done.stdout + done.stderr
    assert row(done.stdout, "inqilab").split()[1] == "ok"
    report = last_report(data)
    assert report["exit_status"] == 0 and report["outlets"]["inqilab"]["kept"] == 2
    assert len(read_jsonl(next(data.glob("*/inqilab.jsonl")))) == 2


def test_scrapy_crawlall_rejects_an_unknown_outlet_with_status_2(tmp_path):
    done = subprocess.run(
        [sys.executable, "-m", "scrapy", "crawlall", "--outlets", "nosuchpaper"],
        cwd=ROOT,
        env={**ENV, "NEWSWATCH_DATA_DIR": str(tmp_path / "data")},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 2
    assert done.stderr.strip().endswith("(see `scrapy list`)")
    assert "unknown outlet(s): nosuchpaper" in done.stderr

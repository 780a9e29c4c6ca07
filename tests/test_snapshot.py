"""`newswatch snapshot`: a page fetched from a fixture origin on 127.0.0.1 is stored where the
fixture server maps its URL, and its draft record is the one the outlet's reader makes."""

from __future__ import annotations

import argparse
from pathlib import PurePosixPath

import pytest

from newswatch.fixtureserver import resolve, serving
from newswatch.snapshot import DRAFT_FILE, EXPECTED_FIELDS, add_snapshot_command, fixture_path
from tests.conftest import FIXTURES, read_jsonl


def snapshot(*argv: str) -> int:
    """Run the command as `newswatch snapshot ...` does: parse, then call its handler."""
    parser = argparse.ArgumentParser(prog="newswatch")
    add_snapshot_command(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(["snapshot", *argv])
    return args.handler(args)


def first_expected(outlet: str) -> dict:
    return read_jsonl(FIXTURES / outlet / "expected.jsonl")[0]


@pytest.mark.parametrize(
    ("url", "stored"),
    [
        ("https://www.example.com/international/news/1041200", "international/news/1041200.html"),
        ("https://www.example.com/", "index.html"),
        ("https://www.example.com/feed/", "feed/index.html"),
        ("https://www.example.com/news-sitemap.xml", "news-sitemap.xml"),
        (
            "https://www.example.com/index.php/international?page=2",
            "index.php/international__page=2.html",
        ),
        ("https://www.example.com/asia/1/%E0%A6%B0%E0%A6%BE", "asia/1/রা.html"),
    ],
)
def test_fixture_path_is_what_the_fixture_server_answers_the_url_with(tmp_path, url, stored):
    assert fixture_path(url) == PurePosixPath(stored)
    file = tmp_path / stored
    file.parent.mkdir(parents=True, exist_ok=True)
    file.write_text("<html></html>")
    path_and_query = url.split("example.com", 1)[1]
    assert resolve(tmp_path, path_and_query) == file.resolve()


@pytest.mark.parametrize("outlet", ["jagonews24", "banglatribune"])
def test_snapshot_saves_the_page_and_drafts_the_record_the_outlet_reads(tmp_path, outlet, capsys):
    """A coded and a configured outlet: the draft equals the hand-written expected record."""
    want = first_expected(outlet)
    site = FIXTURES / outlet / "site"
    with serving(site) as origin:
        status = snapshot(
            want["url"], "--outlet", outlet, "--origin", origin, "--fixtures", str(tmp_path)
        )
    assert status == 0, capsys.readouterr().err
    saved = tmp_path / outlet / "site" / fixture_path(want["url"])
    original = resolve(site, "/" + want["url"].split("/", 3)[3])
    assert saved.read_bytes() == original.read_bytes()
    [draft] = read_jsonl(tmp_path / outlet / DRAFT_FILE)
    assert draft.pop("_review").startswith("DRAFT: check every field")
    assert list(draft) == list(EXPECTED_FIELDS)
    assert draft == want


def test_off_topic_page_is_saved_and_its_draft_says_to_leave_it_out(tmp_path):
    url = "https://www.jagonews24.com/international/news/1079800"  # Russia only, no DPRK
    expected_urls = {r["url"] for r in read_jsonl(FIXTURES / "jagonews24" / "expected.jsonl")}
    assert url not in expected_urls
    with serving(FIXTURES / "jagonews24" / "site") as origin:
        status = snapshot(
            url, "--outlet", "jagonews24", "--origin", origin, "--fixtures", str(tmp_path)
        )
    assert status == 0
    [draft] = read_jsonl(tmp_path / "jagonews24" / DRAFT_FILE)
    assert draft["_review"].startswith("OFF-TOPIC")
    assert draft["topics"] == [] and draft["title"] and draft["text"]


def test_new_outlet_without_spider_is_drafted_by_the_generic_layers(tmp_path):
    want = first_expected("banglatribune")
    with serving(FIXTURES / "banglatribune" / "site") as origin:
        status = snapshot(
            want["url"], "--outlet", "newoutlet", "--origin", origin, "--fixtures", str(tmp_path)
        )
    assert status == 0
    [draft] = read_jsonl(tmp_path / "newoutlet" / DRAFT_FILE)
    assert "no spider or outlet file named 'newoutlet' yet" in draft["_review"]
    assert draft["outlet"] == "newoutlet"
    # JSON-LD and canonical link still give the real URL, headline and dates.
    for name in ("url", "id", "title", "published", "modified", "byline", "section"):
        assert draft[name] == want[name], name


def test_second_snapshot_needs_force_and_replaces_the_draft_line(tmp_path, capsys):
    want = first_expected("jagonews24")
    args = [want["url"], "--outlet", "jagonews24", "--fixtures", str(tmp_path)]
    with serving(FIXTURES / "jagonews24" / "site") as origin:
        assert snapshot(*args, "--origin", origin) == 0
        assert snapshot(*args, "--origin", origin) == 2
        assert "already saved; add --force" in capsys.readouterr().err
        assert snapshot(*args, "--origin", origin, "--force") == 0
    drafts = read_jsonl(tmp_path / "jagonews24" / DRAFT_FILE)
    assert [d["url"] for d in drafts] == [want["url"]]


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["ftp://x/1", "--outlet", "jagonews24"], "absolute http(s) URL"),
        (["https://www.jagonews24.com/1", "--outlet", "../x"], "--outlet must be a spider name"),
        (["https://elsewhere.org/1", "--outlet", "jagonews24"], "not on jagonews24's domains"),
        (
            ["https://www.jagonews24.com/1", "--outlet", "jagonews24", "--origin", "x:1/a"],
            "--origin: origin must look like",
        ),
    ],
)
def test_bad_arguments_stop_with_one_line_and_status_2(tmp_path, capsys, argv, message):
    assert snapshot(*argv, "--fixtures", str(tmp_path)) == 2
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1
    assert not any(tmp_path.iterdir())


def test_page_that_does_not_answer_is_status_1_and_saves_nothing(tmp_path, capsys):
    url = "https://www.jagonews24.com/international/news/999"
    with serving(FIXTURES / "jagonews24" / "site") as origin:
        status = snapshot(
            url, "--outlet", "jagonews24", "--origin", origin, "--fixtures", str(tmp_path)
        )
    assert status == 1
    assert "HTTP 404" in capsys.readouterr().err
    assert not (tmp_path / "jagonews24" / "site" / fixture_path(url)).exists()
    assert not (tmp_path / "jagonews24" / DRAFT_FILE).exists()


def test_feeds_and_listing_pages_are_saved_without_a_draft(tmp_path):
    site = FIXTURES / "banglatribune" / "site"
    feed, listing = (
        "https://www.banglatribune.com/feed/",
        "https://www.banglatribune.com/foreign/asia",
    )
    common = ["--outlet", "banglatribune", "--fixtures", str(tmp_path)]
    with serving(site) as origin:
        assert snapshot(feed, *common, "--origin", origin) == 0
        assert snapshot(listing, *common, "--origin", origin, "--no-draft") == 0
    saved = tmp_path / "banglatribune" / "site"
    assert (saved / "feed" / "index.html").read_bytes() == (
        site / "feed" / "index.html"
    ).read_bytes()
    assert (saved / "foreign" / "asia.html").read_bytes() == (
        site / "foreign" / "asia.html"
    ).read_bytes()
    assert not (tmp_path / "banglatribune" / DRAFT_FILE).exists()

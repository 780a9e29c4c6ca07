"""The `newswatch` command as a user runs it: demo, run, export, and one-line errors."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import jsonschema

from newswatch.export import seed_layout
from tests.conftest import FIXTURES, ROOT, outlets_with_fixtures, read_jsonl


def newswatch(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "SCRAPY_SETTINGS_MODULE": "newswatch.settings"}
    command = [sys.executable, "-m", "newswatch.cli", *args]
    return subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, timeout=300)


def closed_port() -> int:
    """A loopback port nobody listens on (bound, then released)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_demo_crawls_every_bundled_outlet_into_the_data_folder(tmp_path, record_schema):
    done = newswatch("demo", "--data-dir", str(tmp_path / "out"), cwd=tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    for outlet in outlets_with_fixtures():
        assert f"serving the saved {outlet} site at http://127.0.0.1:" in done.stdout
        (written,) = (tmp_path / "out").glob(f"*/{outlet}.jsonl")
        records = read_jsonl(written)
        expected = read_jsonl(FIXTURES / outlet / "expected.jsonl")
        assert sorted(r["id"] for r in records) == sorted(r["id"] for r in expected)
        for record in records:
            jsonschema.validate(record, record_schema)
    summary = done.stdout.split("outlet ", 1)[1]
    assert all(f"{o} " in summary for o in outlets_with_fixtures())
    assert " ok " in summary and "unreachable" not in summary


def test_a_second_run_over_an_unchanged_site_adds_nothing_and_is_ok(tmp_path):
    out = tmp_path / "out"
    runs = [
        newswatch("demo", "--outlets", "inqilab", "--data-dir", str(out), cwd=tmp_path)
        for _ in range(2)
    ]
    assert [r.returncode for r in runs] == [0, 0]
    (written,) = out.glob("*/inqilab.jsonl")
    assert len(read_jsonl(written)) == 2  # written once, by the first run
    row = next(line for line in runs[1].stdout.splitlines() if line.startswith("inqilab "))
    # "Nothing new" is the normal result of a monitor: ok, 0 kept, no article page fetched.
    assert row.split()[1:] == ["ok", "2", "0", "0", "0", "0", "0"]


def test_run_reports_an_unreachable_outlet_without_a_traceback(tmp_path):
    origin = f"http://127.0.0.1:{closed_port()}"
    done = newswatch(
        "run",
        "--outlets",
        "jagonews24",
        "--origin",
        f"jagonews24={origin}",
        "--data-dir",
        str(tmp_path / "out"),
        "-s",
        "RETRY_TIMES=0",
        cwd=tmp_path,
    )
    assert done.returncode == 1
    row = next(line for line in done.stdout.splitlines() if line.startswith("jagonews24 "))
    assert "unreachable (connection refused for 127.0.0.1)" in row
    assert "Traceback" not in done.stdout + done.stderr
    assert not list((tmp_path / "out").glob("*/*.jsonl"))


def test_unknown_outlet_is_a_one_line_error_and_nothing_is_written(tmp_path):
    done = newswatch(
        "run",
        "--outlets",
        "jagonews24,nosuchpaper",
        "--data-dir",
        str(tmp_path / "out"),
        cwd=tmp_path,
    )
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1
    assert "unknown outlet(s): nosuchpaper" in done.stderr and "jagonews24" in done.stderr
    assert not (tmp_path / "out").exists()


def test_bad_origin_and_unwritable_data_folder_are_one_line_errors(tmp_path):
    done = newswatch("run", "--outlets", "inqilab", "--origin", "inqilab=ftp://x", cwd=tmp_path)
    assert done.returncode == 2 and "origin must look like" in done.stderr
    blocker = tmp_path / "file"
    blocker.write_text("")
    done = newswatch("run", "--data-dir", str(blocker / "data"), cwd=tmp_path)
    assert done.returncode == 2
    assert done.stderr.startswith("newswatch: data folder") and done.stderr.count("\n") == 1


def test_export_writes_the_seed_layout_named_by_id(tmp_path):
    records = read_jsonl(FIXTURES / "jagonews24" / "expected.jsonl")
    source = tmp_path / "records.jsonl"
    source.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records))
    done = newswatch("export", str(source), str(tmp_path / "txt"), cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    files = sorted((tmp_path / "txt").iterdir())
    assert [f.name for f in files] == [f"{n:03d}_{r['id']}.txt" for n, r in enumerate(records)]
    first = files[0].read_text(encoding="utf-8").split("\n")
    record = records[0]
    assert first[:5] == [record["title"], "", record["byline"], record["published_text"], ""]
    assert files[0].read_text(encoding="utf-8") == seed_layout(record)
    assert "\n\n".join(first[5:]).strip().replace("\n\n\n\n", "\n\n") != ""


def test_seed_layout_omits_a_missing_byline_and_falls_back_to_iso():
    record = {
        "title": "শিরোনাম",
        "byline": None,
        "published": "2025-07-13T10:26:00+06:00",
        "published_text": None,
        "text": "এক।\n\nদুই।",
    }
    assert seed_layout(record) == "শিরোনাম\n\n2025-07-13T10:26:00+06:00\n\nএক।\n\nদুই।\n"


def test_export_rejects_a_bad_line_or_an_id_that_is_not_hex(tmp_path):
    bad = tmp_path / "bad.jsonl"
    good = {"id": "0123456789abcdef", "title": "t", "published": "p", "text": "x"}
    bad.write_text(json.dumps(good) + "\nnot json\n")
    done = newswatch("export", str(bad), str(tmp_path / "txt"), cwd=tmp_path)
    assert done.returncode == 2 and "bad.jsonl:2: not a JSON line" in done.stderr
    assert not (tmp_path / "txt").exists()  # checked whole before anything is written
    untitled = tmp_path / "untitled.jsonl"
    untitled.write_text(json.dumps({**good, "title": ""}) + "\n")
    done = newswatch("export", str(untitled), str(tmp_path / "txt"), cwd=tmp_path)
    assert done.returncode == 2 and "untitled.jsonl:1: record lacks title" in done.stderr
    evil = tmp_path / "evil.jsonl"
    evil.write_text(
        json.dumps({"id": "../../etc/passwd", "title": "t", "published": "p", "text": "x"}) + "\n"
    )
    done = newswatch("export", str(evil), str(tmp_path / "txt2"), cwd=tmp_path)
    assert done.returncode == 2 and "is not 16 hex digits" in done.stderr
    assert not list(tmp_path.rglob("passwd"))


def test_scrapy_list_shows_every_outlet():
    done = subprocess.run(
        [sys.executable, "-m", "scrapy", "list"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert done.returncode == 0, done.stderr
    assert {"banglarakash", "inqilab", "jagonews24"} <= set(done.stdout.split())


def test_an_unknown_topic_stops_a_crawl_at_start():
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "scrapy",
            "crawl",
            "jagonews24",
            "-a",
            "topic=nosuchtopic",
            "-a",
            "origin=http://127.0.0.1:9",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert done.returncode != 0
    assert "nosuchtopic" in done.stderr and "russia_dprk" in done.stderr
    assert "downloader/request_count" not in done.stderr  # stopped before any request

"""Bad input from the user: one line on stderr that says what to fix, a non-zero exit, and
nothing written (no records, no report, no log, no state)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT

BROKEN_OUTLET = 'name = "broken"\noutlet_name = "Broken"\nfeeds = "/feed"\n'


def command(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-m", *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=120
    )


def files_under(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file()) if folder.exists() else []


def bad_run(tmp_path: Path, case: str) -> tuple[list[str], str]:
    """The `newswatch` arguments of one bad-input case, and the text its message must hold."""
    data = str(tmp_path / "data")
    if case == "unknown outlet":
        return ["run", "--outlets", "jagonews24,nosuchpaper", "--data-dir", data], (
            "unknown outlet(s): nosuchpaper; known: "
        )
    if case == "unwritable output folder":
        (tmp_path / "a-file").write_text("")
        folder = str(tmp_path / "a-file" / "data")
        return ["run", "--outlets", "jagonews24", "--data-dir", folder], "is not writable"
    if case == "malformed outlet file":
        (tmp_path / "outlets").mkdir()
        (tmp_path / "outlets" / "broken.toml").write_text(BROKEN_OUTLET)
        setting = f"NEWSWATCH_OUTLETS_DIR={tmp_path / 'outlets'}"
        return ["run", "-s", setting, "--data-dir", data], "broken.toml: missing required key"
    if case == "unknown topic":
        args = ["run", "--outlets", "jagonews24", "-s", "NEWSWATCH_TOPICS=nosuchtopic"]
        return [*args, "--data-dir", data], "unknown topic(s) ['nosuchtopic']"
    if case == "bad since date":
        (tmp_path / "records.jsonl").write_text("")
        out = str(tmp_path / "data" / "export")
        return ["export", str(tmp_path / "records.jsonl"), out, "--since", "2025-13-01"], (
            "--since takes a date like 2025-07-01"
        )
    raise AssertionError(case)


@pytest.mark.parametrize(
    "case",
    [
        "unknown outlet",
        "unwritable output folder",
        "malformed outlet file",
        "unknown topic",
        "bad since date",
    ],
)
def test_bad_input_is_one_line_exit_2_and_nothing_written(tmp_path, case):
    args, message = bad_run(tmp_path, case)
    done = command("newswatch.cli", *args, cwd=tmp_path)
    assert done.returncode == 2, done.stdout + done.stderr
    assert done.stderr.startswith("newswatch: ") and done.stderr.count("\n") == 1, done.stderr
    assert message in done.stderr
    assert files_under(tmp_path / "data") == []


def test_a_corrupt_state_file_is_reported_with_recovery_and_left_alone(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    state = data / "state.sqlite"
    garbage = b"SQLite format 3\x00" + bytes(range(256)) * 8  # a header, then nonsense
    state.write_bytes(garbage)
    done = command(
        "newswatch.cli", "run", "--outlets", "jagonews24", "--data-dir", str(data), cwd=tmp_path
    )
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1
    assert f"state file {state} is unreadable" in done.stderr
    assert "move it aside" in done.stderr and "re-fetches every article once" in done.stderr
    # Never silently replaced by an empty state: the file is as it was, nothing else written
    # but the run lock beside it.
    assert state.read_bytes() == garbage
    assert [p.name for p in files_under(data)] == ["state.sqlite", "state.sqlite.lock"]


def test_scrapy_crawl_with_a_bad_date_stops_before_any_request(tmp_path):
    data = tmp_path / "data"
    done = command(
        "scrapy",
        "crawl",
        "jagonews24",
        "-a",
        "since=2025-13-01",
        "-a",
        "origin=http://127.0.0.1:9",
        "-s",
        f"NEWSWATCH_DATA_DIR={data}",
        cwd=ROOT,
    )
    assert "since must be a date like 2023-01-01 (got '2025-13-01')" in done.stderr
    assert "downloader/request_count" not in done.stderr
    assert files_under(data) == []


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["nosuchpaper"], "newswatch: unknown outlet 'nosuchpaper'; known: "),
        (["jagonews24", "-a", "since=soon"], "newswatch: since must be a date like 2023-01-01"),
        (["jagonews24", "-a", "origin=ftp://x"], "newswatch: origin must look like"),
        (["jagonews24", "-a", "topic=nosuch"], "newswatch: unknown topic(s) ['nosuch']"),
    ],
)
def test_scrapy_crawl_refuses_bad_input_in_one_line_without_a_traceback(tmp_path, args, message):
    done = subprocess.run(
        [sys.executable, "-m", "scrapy", "crawl", *args, "-s", f"NEWSWATCH_DATA_DIR={tmp_path}"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert done.returncode == 2
    assert message in done.stderr and "Traceback" not in done.stderr
    assert not any(tmp_path.iterdir())  # nothing written, not even the state

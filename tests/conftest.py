"""Shared test helpers: fixture sites on 127.0.0.1 and real `scrapy crawl` runs against them."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from newswatch.fixtureserver import serving

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
# Loopback crawls need no politeness delay; everything else is the project's real settings.
FAST = ["-s", "AUTOTHROTTLE_ENABLED=False", "-s", "DOWNLOAD_DELAY=0"]


def outlets_with_fixtures() -> list[str]:
    return sorted(p.name for p in FIXTURES.iterdir() if (p / "expected.jsonl").is_file())


def read_jsonl(path: Path) -> list[dict]:
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


@dataclass
class CrawlResult:
    returncode: int
    records: list[dict]
    stats: dict
    log: str


def run_crawl(outlet: str, origin: str, workdir: Path, *extra: str) -> CrawlResult:
    """`scrapy crawl <outlet> -a origin=<origin> -O out.jsonl` in a subprocess, as users run it."""
    out, stats = workdir / f"{outlet}.jsonl", workdir / f"{outlet}.stats.json"
    command = [
        sys.executable,
        "-m",
        "scrapy",
        "crawl",
        outlet,
        "-a",
        f"origin={origin}",
        "-O",
        str(out),
        "-s",
        f"NEWSWATCH_STATS_FILE={stats}",
        "-s",
        f"NEWSWATCH_DATA_DIR={workdir / 'data'}",
        *FAST,
        *extra,
    ]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    return CrawlResult(
        done.returncode,
        read_jsonl(out),
        json.loads(stats.read_text()) if stats.exists() else {},
        done.stderr,
    )


@pytest.fixture
def fixture_site():
    """`with fixture_site('jagonews24') as origin:` serves tests/fixtures/<outlet>/site."""

    def start(outlet: str):
        return serving(FIXTURES / outlet / "site")

    return start


@pytest.fixture(scope="session")
def record_schema() -> dict:
    return json.loads((ROOT / "newswatch" / "schema" / "record.schema.json").read_text())


@pytest.fixture
def workdir(tmp_path: Path) -> Iterator[Path]:
    yield tmp_path

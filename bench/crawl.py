"""Items 2, 3 and 5: crawl throughput against the ceiling, memory, incremental cost, profile.

Every crawl is a separate process (as cron runs it) against nginx on 127.0.0.1, with the same
loopback settings for the ceiling and for newswatch (CRAWL_SETTINGS). Throughput is responses
received / Scrapy's own `elapsed_time_seconds` (spider open to close; interpreter start-up and
imports are not in it). Peak RSS is the child's `ru_maxrss` from wait4.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

from newswatch import settings as newswatch_settings

# Politeness off for loopback; the same for the ceiling and for newswatch.
CRAWL_SETTINGS = {
    "AUTOTHROTTLE_ENABLED": "False",
    "DOWNLOAD_DELAY": "0",
    "CONCURRENT_REQUESTS": "16",
    "CONCURRENT_REQUESTS_PER_DOMAIN": "16",
    "ROBOTSTXT_OBEY": "False",
}
# Engine settings newswatch sets in newswatch/settings.py that would speed up any spider.
ENGINE_SETTINGS = {
    "CONCURRENT_ITEMS": str(newswatch_settings.CONCURRENT_ITEMS),
    "WARN_ON_GENERATOR_RETURN_VALUE": str(newswatch_settings.WARN_ON_GENERATOR_RETURN_VALUE),
}
ROOT = Path(__file__).resolve().parents[1]
_LOGSTATS = re.compile(r"^(\S+ \S+) \[scrapy\.extensions\.logstats\] INFO: Crawled (\d+) pages")


def _settings_args(extra: dict[str, str]) -> list[str]:
    return [arg for k, v in {**CRAWL_SETTINGS, **extra}.items() for arg in ("-s", f"{k}={v}")]


def _rss_kb(pid: int) -> int | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        return None
    return None


def _run(command: list[str], log: Path, sample: bool = False) -> dict:
    """Run to the end; wall time, exit code, peak RSS (MB), CPU seconds (user + system) and,
    if asked, (seconds, RSS MB) samples."""
    env = {k: v for k, v in os.environ.items() if k not in ("NEWSWATCH_STATE",)}
    env["PYTHONPATH"] = str(ROOT)
    start = time.monotonic()
    with log.open("wb") as out:
        process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, cwd=ROOT, env=env)
    samples: list[tuple[float, float]] = []
    stop = threading.Event()

    def watch() -> None:
        while not stop.wait(0.5):
            rss = _rss_kb(process.pid)
            if rss:
                samples.append((time.monotonic() - start, rss / 1024))

    watcher = threading.Thread(target=watch, daemon=True)
    if sample:
        watcher.start()
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    stop.set()
    return {
        "exit": process.returncode,
        "wall": time.monotonic() - start,
        "peak_rss_mb": usage.ru_maxrss / 1024,
        "cpu_seconds": usage.ru_utime + usage.ru_stime,
        "rss_samples": samples,
    }


def _throughput(stats: dict, wall: float) -> dict:
    pages = int(stats.get("response_received_count", 0))
    ok = int(stats.get("downloader/response_status_count/200", 0))
    if ok == 0 or ok < 0.5 * pages:
        raise RuntimeError(f"the mirror did not answer: {ok} of {pages} responses were 200")
    elapsed = float(stats.get("elapsed_time_seconds") or wall)
    return {
        "pages": pages,
        "requests": int(stats.get("downloader/request_count", 0)),
        "elapsed": elapsed,
        "pages_per_second": pages / elapsed if elapsed else 0.0,
    }


def ceiling(origin: str, work: Path, extra: dict[str, str] | None = None) -> dict:
    """The bare spider with CRAWL_SETTINGS (+ `extra`) and Scrapy's defaults for the rest."""
    stats_file = work / "ceiling-stats.json"
    args = [f"{k}={v}" for k, v in {**CRAWL_SETTINGS, **(extra or {})}.items()]
    command = [sys.executable, "-m", "bench.ceiling", origin, str(stats_file), *args]
    run = _run(command, work / "ceiling.log")
    if run["exit"] != 0:
        raise RuntimeError(f"ceiling crawl failed; see {work / 'ceiling.log'}")
    return {**run, **_throughput(json.loads(stats_file.read_text()), run["wall"])}


def newswatch_command(origin: str, data_dir: Path, stats_file: Path, extra: dict) -> list[str]:
    settings = {"NEWSWATCH_STATS_FILE": str(stats_file), "LOGSTATS_INTERVAL": "2", **extra}
    return [
        sys.executable,
        "-m",
        "newswatch.cli",
        "run",
        "--outlets",
        "jagonews24",
        "--origin",
        f"jagonews24={origin}",
        "--data-dir",
        str(data_dir),
        *_settings_args(settings),
    ]


def newswatch(
    origin: str, data_dir: Path, work: Path, name: str, sample: bool = False, fresh: bool = True
) -> dict:
    """One `newswatch run` of the mirror; `fresh` starts from an empty data folder and state."""
    if fresh and data_dir.exists():
        shutil.rmtree(data_dir)
    stats_file = work / f"{name}-stats.json"
    stats_file.unlink(missing_ok=True)
    run = _run(newswatch_command(origin, data_dir, stats_file, {}), work / f"{name}.log", sample)
    if not stats_file.exists():
        raise RuntimeError(f"newswatch run {name} wrote no stats; see {work / f'{name}.log'}")
    stats = json.loads(stats_file.read_text())
    result = {**run, **_throughput(stats, run["wall"])}
    result["kept"] = int(stats.get("newswatch/jagonews24/articles/kept", 0))
    result["off_topic"] = int(stats.get("newswatch/jagonews24/dropped/off_topic", 0))
    result["skipped_seen"] = int(stats.get("newswatch/jagonews24/skipped/seen", 0))
    result["articles_fetched"] = int(stats.get("newswatch/jagonews24/articles/fetched", 0))
    result["state_bytes"] = sum(
        p.stat().st_size for p in data_dir.glob("state.sqlite*") if p.suffix != ".lock"
    )
    if sample:
        result["rss_by_pages"] = _rss_by_pages(data_dir, run)
    return result


def _rss_by_pages(data_dir: Path, run: dict) -> list[tuple[int, float]]:
    """(pages crawled, RSS MB) pairs: Scrapy's logstats lines matched to RSS samples by time."""
    logs = sorted((data_dir / "logs").glob("*.log"))
    if not logs or not run["rss_samples"]:
        return []
    points = []
    first = None
    for line in logs[-1].read_text(encoding="utf-8", errors="replace").splitlines():
        match = _LOGSTATS.match(line)
        if not match:
            continue
        when = time.mktime(time.strptime(match[1], "%Y-%m-%d %H:%M:%S"))
        first = first if first is not None else when
        points.append((when - first, int(match[2])))
    if not points:
        return []
    # The log clock starts when the crawl opens; the samples when the process starts. Align the
    # last log line with the end of the run's samples minus shutdown (close enough at 2 s steps).
    offset = run["rss_samples"][-1][0] - points[-1][0] - 1.0
    pairs = []
    for seconds, pages in points:
        nearest = min(run["rss_samples"], key=lambda s: abs(s[0] - (seconds + offset)))
        pairs.append((pages, round(nearest[1], 1)))
    return pairs


def profile(origin: str, data_dir: Path, work: Path, output: Path) -> dict:
    """A `newswatch run` under py-spy (samples of the thread holding the GIL: Python CPU time)."""
    if data_dir.exists():
        shutil.rmtree(data_dir)
    spy = shutil.which("py-spy") or str(Path(sys.executable).parent / "py-spy")
    if not Path(spy).exists():
        subprocess.run([sys.executable, "-m", "pip", "install", "-q", "py-spy"], check=True)
    stats_file = work / "profile-stats.json"
    command = [
        spy,
        "record",
        "--gil",
        "--rate",
        "200",
        "--format",
        "raw",
        "--output",
        str(output),
        "--",
        *newswatch_command(origin, data_dir, stats_file, {}),
    ]
    run = _run(command, work / "profile.log")
    if not output.exists():
        raise RuntimeError(f"py-spy wrote no profile; see {work / 'profile.log'}")
    return run

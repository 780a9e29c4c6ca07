"""Issue 10, item 4: crawl throughput with 1, 2 and 3 workers sharing one Redis queue and state.

`python -m bench.distributed [--articles 2000] [--runs 2] [--json FILE]`

Every configuration crawls the same nginx mirror (bench/mirror.py, bench/nginx.py) of N article
pages from an empty state: a baseline of one `newswatch run` on SQLite (no Redis), then 1, 2 and
3 `newswatch run` workers started together with NEWSWATCH_STATE and NEWSWATCH_QUEUE on one
redis-server (tests/redis_server.py), each worker with its own data folder, as on separate
machines. Loopback settings as in bench/crawl.py (politeness off, 16 requests at a time).

Throughput = pages received by all workers / the crawl window (the first spider's open to the
last spider's close, from Scrapy's own start_time/finish_time; interpreter start-up is outside
it). CPU = user+system seconds of the workers (wait4), and of redis-server (its INFO), against
the window times the machine's cores.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

import redis

from bench import mirror, nginx
from bench.crawl import CRAWL_SETTINGS, ROOT
from tests.redis_server import redis_server

OUTLET = "jagonews24"


def worker_command(origin: str, data_dir: Path, stats: Path, extra: dict[str, str]) -> list[str]:
    settings = {**CRAWL_SETTINGS, "NEWSWATCH_STATS_FILE": str(stats), **extra}
    return [
        sys.executable,
        "-m",
        "newswatch.cli",
        "run",
        "--outlets",
        OUTLET,
        "--origin",
        f"{OUTLET}={origin}",
        "--data-dir",
        str(data_dir),
        *[arg for k, v in settings.items() for arg in ("-s", f"{k}={v}")],
    ]


def redis_cpu(client: redis.Redis) -> float:
    info = client.info("cpu")
    return float(info["used_cpu_user"]) + float(info["used_cpu_sys"])


def crawl(origin: str, work: Path, workers: int, redis_url: str | None) -> dict:
    """One measured crawl: `workers` processes started together; None: SQLite, one worker."""
    load_before = os.getloadavg()[0]  # another job on the machine shows here
    if work.exists():
        shutil.rmtree(work)
    work.mkdir(parents=True)
    client = redis.Redis.from_url(redis_url) if redis_url else None
    if client is not None:
        client.flushall()
        cpu_before, commands_before = (
            redis_cpu(client),
            client.info("stats")["total_commands_processed"],
        )
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEWSWATCH_")}
    env["PYTHONPATH"] = str(ROOT)
    processes = {}
    for n in range(1, workers + 1):
        extra = {}
        if redis_url:
            extra = {
                "NEWSWATCH_STATE": redis_url,
                "NEWSWATCH_QUEUE": redis_url,
                "NEWSWATCH_WORKER_ID": f"w{n}",
            }
        command = worker_command(origin, work / f"w{n}", work / f"w{n}.json", extra)
        with (work / f"w{n}.log").open("wb") as log:
            processes[n] = subprocess.Popen(
                command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT
            )
    cpu = 0.0
    for n, process in processes.items():
        _, status, usage = os.wait4(process.pid, 0)
        process.returncode = os.waitstatus_to_exitcode(status)
        cpu += usage.ru_utime + usage.ru_stime
        if process.returncode not in (0, 1):  # 1: an outlet judged broken (a worker with no work)
            raise RuntimeError(f"worker {n} exited {process.returncode}; see {work}/w{n}.log")
    stats = [json.loads((work / f"w{n}.json").read_text()) for n in processes]
    start = min(datetime.fromisoformat(s["start_time"]) for s in stats)
    finish = max(datetime.fromisoformat(s["finish_time"]) for s in stats)
    window = (finish - start).total_seconds()
    pages = sum(int(s.get("response_received_count", 0)) for s in stats)
    result = {
        "workers": workers,
        "backend": "redis" if redis_url else "sqlite",
        "window": window,
        "pages": pages,
        "pages_per_second": pages / window,
        "per_worker_pages": [int(s.get("response_received_count", 0)) for s in stats],
        "articles_fetched": sum(
            int(s.get(f"newswatch/{OUTLET}/articles/fetched", 0)) for s in stats
        ),
        "kept": sum(int(s.get(f"newswatch/{OUTLET}/articles/kept", 0)) for s in stats),
        "worker_cpu_seconds": cpu,
        "cores": os.cpu_count(),
    }
    written = [
        json.loads(line)["id"]
        for path in work.glob(f"w*/*/{OUTLET}*.jsonl")
        for line in path.read_text(encoding="utf-8").splitlines()
    ]
    result["written"], result["written_twice"] = len(written), len(written) - len(set(written))
    if client is not None:
        result["redis_cpu_seconds"] = redis_cpu(client) - cpu_before
        commands = client.info("stats")["total_commands_processed"] - commands_before
        result["redis_commands_per_page"] = commands / max(pages, 1)
    busy = result["worker_cpu_seconds"] + result.get("redis_cpu_seconds", 0.0)
    result["cpu_use"] = busy / (window * (os.cpu_count() or 1))
    # Load-independent cost: worker CPU per page (another job on the machine stretches the
    # window, not this).
    result["worker_cpu_ms_per_page"] = 1000 * result["worker_cpu_seconds"] / max(pages, 1)
    result["load_before"] = load_before
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=2000, help="mirror size (default 2000)")
    parser.add_argument("--runs", type=int, default=2, help="runs per configuration (median)")
    parser.add_argument("--json", type=Path, help="also write the results here")
    args = parser.parse_args(argv)

    configs = [(1, False), (1, True), (2, True), (3, True)]
    results: dict[str, list[dict]] = {}
    with tempfile.TemporaryDirectory(prefix="bench-distributed-") as tmp:
        work = Path(tmp)
        work.chmod(0o755)  # nginx's workers run as nobody and must reach the mirror
        started = time.monotonic()
        root = mirror.build(work / "mirror", [args.articles])[args.articles]
        print(f"mirror of {args.articles} articles in {time.monotonic() - started:.0f} s")
        with nginx.serving(root) as origin, redis_server() as redis_url:
            for run in range(args.runs):
                for workers, shared in configs:
                    name = f"{workers}-{'redis' if shared else 'sqlite'}"
                    result = crawl(origin, work / name, workers, redis_url if shared else None)
                    results.setdefault(name, []).append(result)
                    print(
                        f"run {run + 1} {name}: {result['pages_per_second']:.1f} pages/s, load "
                        f"{result['load_before']:.1f}, {result['worker_cpu_ms_per_page']:.1f} "
                        "CPU ms/page "
                        f"({result['pages']} pages in {result['window']:.1f} s, per worker "
                        f"{result['per_worker_pages']}, CPU use {result['cpu_use']:.0%}, "
                        f"written {result['written']}, twice {result['written_twice']})",
                        flush=True,
                    )
    print()
    print(
        "| workers | state | pages/s (median) | window s | CPU use | worker CPU ms/page | "
        "Redis cmds/page | articles fetched | written | written twice |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|")
    base = statistics.median(r["pages_per_second"] for r in results["1-sqlite"])
    for runs in results.values():
        median = statistics.median(r["pages_per_second"] for r in runs)
        last = runs[-1]
        commands = (
            f"{last['redis_commands_per_page']:.1f}" if "redis_commands_per_page" in last else "-"
        )
        print(
            f"| {last['workers']} | {last['backend']} | {median:.1f} ({median / base:.2f}x) | "
            f"{statistics.median(r['window'] for r in runs):.1f} | "
            f"{statistics.median(r['cpu_use'] for r in runs):.0%} | "
            f"{statistics.median(r['worker_cpu_ms_per_page'] for r in runs):.1f} | {commands} | "
            f"{last['articles_fetched']} | {last['written']} | {last['written_twice']} |"
        )
    if args.json:
        args.json.write_text(json.dumps(results, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())

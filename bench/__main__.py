"""`python -m bench [--quick] [--only a,b]`: run the benchmarks, rewrite bench/RESULTS.md.

Sections: extraction (item 1), crawl (items 2 and 3: ceiling, newswatch, memory, incremental),
state (item 4), profile (item 5). Results also go to bench/results.json; a run in another
checkout with `--json FILE --no-results` gives a baseline (bench/baseline.json) that RESULTS.md
shows beside the current figures.
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench import crawl, extraction, mirror, nginx, report, stacks, state_scale

HERE = Path(__file__).resolve().parent
SECTIONS = ("extraction", "crawl", "state", "profile")


def machine() -> dict:
    import sqlite3

    import lxml.etree
    import scrapy
    import selectolax

    cpu = ""
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    memory = Path("/proc/meminfo").read_text().splitlines()[0].split()[1]
    return {
        "cpu": cpu,
        "cores": len([x for x in Path("/proc/cpuinfo").read_text().split("\n\n") if x.strip()]),
        "memory_gb": round(int(memory) / 1024 / 1024, 1),
        "os": platform.platform(),
        "python": platform.python_version(),
        "scrapy": scrapy.__version__,
        "lxml": ".".join(map(str, lxml.etree.LXML_VERSION)),
        "selectolax": selectolax.__version__,
        "sqlite": sqlite3.sqlite_version,
        "nginx": nginx.version(),
    }


def uptime() -> str:
    return subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()


def median_of(runs: list[dict], name: str) -> float:
    return statistics.median(r[name] for r in runs)


def crawl_section(work: Path, quick: bool, runs: int) -> dict:
    main, small, large = (1_000, 300, 2_000) if quick else (5_000, 1_000, 20_000)
    started = time.perf_counter()
    roots = mirror.build(work / "mirror", [small, main, large])
    pages = sorted((work / "mirror" / "articles" / "international" / "news").glob("*.html"))
    sizes = [p.stat().st_size for p in pages[:main]]
    result: dict = {
        "sizes": {"main": main, "small": small, "large": large},
        "mirror_seconds": time.perf_counter() - started,
        "page_bytes": {
            "min": min(sizes),
            "median": statistics.median(sizes),
            "max": max(sizes),
        },
        "settings": crawl.CRAWL_SETTINGS,
        "engine_settings": crawl.ENGINE_SETTINGS,
    }
    data = work / "data"
    with nginx.serving(roots[main]) as origin:
        result["ceiling"] = [crawl.ceiling(origin, work) for _ in range(runs)]
        # The same with the engine settings newswatch changes (CONCURRENT_ITEMS, ...): they speed
        # up a bare spider too, so RESULTS.md also gives the ratio against this one.
        result["ceiling_same"] = [
            crawl.ceiling(origin, work, crawl.ENGINE_SETTINGS) for _ in range(runs)
        ]
        first, second = [], []
        for i in range(runs):
            first.append(crawl.newswatch(origin, data, work, f"first-{i}", sample=i == 0))
            second.append(crawl.newswatch(origin, data, work, f"second-{i}", fresh=False))
        result["first"], result["second"] = first, second
    with nginx.serving(roots[small]) as origin:
        result["small"] = crawl.newswatch(origin, data, work, "small", sample=True)
    with nginx.serving(roots[large]) as origin:
        result["large"] = crawl.newswatch(origin, data, work, "large", sample=True)
    return result


def profile_section(work: Path, quick: bool) -> dict:
    size = 1_000 if quick else 5_000
    roots = mirror.build(work / "mirror", [size])
    output = work / "profile.txt"
    with nginx.serving(roots[size]) as origin:
        run = crawl.profile(origin, work / "data", work, output)
    own, inclusive, total = stacks.read(output)
    return {
        "pages": size,
        "wall": run["wall"],
        "samples": total,
        "self": [(list(place), count) for place, count in own.most_common(15)],
        "inclusive_ours": [
            (list(place), count)
            for place, count in inclusive.most_common(400)
            if stacks.ours(place)
        ][:15],
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes, fewer runs (~3 min)")
    parser.add_argument("--only", help=f"comma-separated sections of {', '.join(SECTIONS)}")
    parser.add_argument("--runs", type=int, help="timed runs per measurement (default 3, quick 2)")
    parser.add_argument("--workdir", type=Path, help="where the mirror and data go (default: temp)")
    parser.add_argument("--json", type=Path, default=HERE / "results.json", help="raw results")
    parser.add_argument("--no-results", action="store_true", help="do not rewrite RESULTS.md")
    parser.add_argument(
        "--render", action="store_true", help="only rewrite RESULTS.md from the --json results"
    )
    args = parser.parse_args(argv)
    if args.render:
        write_results(json.loads(args.json.read_text(encoding="utf-8")))
        return 0
    only = set(args.only.split(",")) if args.only else set(SECTIONS)
    unknown = only - set(SECTIONS)
    if unknown:
        parser.error(f"unknown section(s) {', '.join(sorted(unknown))}")
    runs = args.runs or (2 if args.quick else 3)
    command = "python -m bench " + " ".join(argv if argv is not None else sys.argv[1:])
    results: dict = {
        "command": command.strip(),
        "quick": args.quick,
        "runs": runs,
        "machine": machine(),
        "load_before": uptime(),
        "started": time.strftime("%Y-%m-%d %H:%M:%S %Z"),
    }
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="newswatch-bench-") as tmp:
        work = args.workdir or Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        work.chmod(0o755)  # nginx's workers run as nobody and must reach the mirror
        if "extraction" in only:
            print("bench: extraction", flush=True)
            results["extraction"] = extraction.run(runs=max(runs, 5))
        if "crawl" in only:
            print("bench: crawl (mirror, ceiling, newswatch, memory, incremental)", flush=True)
            results["crawl"] = crawl_section(work, args.quick, runs)
        if "state" in only:
            print("bench: state store at scale", flush=True)
            sizes = [10**4, 10**5] if args.quick else [10**4, 10**5, 10**6]
            results["state"] = state_scale.run(work, sizes)
        if "profile" in only:
            print("bench: profile", flush=True)
            results["profile"] = profile_section(work, args.quick)
    results["load_after"] = uptime()
    results["seconds"] = time.perf_counter() - started
    args.json.write_text(json.dumps(results, indent=1, ensure_ascii=False), encoding="utf-8")
    if not args.no_results:
        write_results(results)
    return 0


def write_results(results: dict) -> None:
    """RESULTS.md from `results`, with bench/baseline.json beside it when run in the same mode."""
    baseline_file = HERE / "baseline.json"
    baseline = json.loads(baseline_file.read_text()) if baseline_file.exists() else None
    if baseline and baseline.get("quick") != results.get("quick"):
        baseline = None
    (HERE / "RESULTS.md").write_text(report.render(results, baseline), encoding="utf-8")
    print(f"bench: wrote {HERE / 'RESULTS.md'} ({results['seconds']:.0f} s of benchmarks)")


if __name__ == "__main__":
    sys.exit(main())

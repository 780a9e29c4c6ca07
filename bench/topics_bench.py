"""How many articles per second `TopicSet.match` reads: one core, ~5 KB Bengali texts.

    python bench/topics_bench.py [--runs 7] [--articles 2000]

Texts are built from the seed articles, the labelled set and /work/shared/realtext (when present):
each is a title plus paragraphs cut to about 5,000 UTF-8 bytes, half of them on-topic, with
য় ড় ঢ় in both encodings as on real pages. Prints the median of several timed runs, by the clock
(time.perf_counter) and by CPU time (time.process_time, which a busy machine disturbs less); the
key form, the one regex pass and the scoring are all inside the timing.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# Measure this tree's matcher, not whichever newswatch the interpreter has installed.
sys.path.insert(0, str(ROOT))

from newswatch.text import paragraphs  # noqa: E402
from newswatch.topics import TopicSet  # noqa: E402

REALTEXT = Path("/work/shared/realtext")
TARGET_BYTES = 5_000


def sources() -> tuple[list[tuple[str, list[str]]], list[tuple[str, list[str]]]]:
    """(on-topic, off-topic) lists of (title, paragraphs)."""
    on, off = [], []
    for line in (ROOT / "tests/topic_eval/russia_dprk.jsonl").read_text("utf-8").splitlines():
        item = json.loads(line)
        (on if item["labels"] else off).append((item["title"], paragraphs(item["text"])))
    if REALTEXT.is_dir():
        for f in sorted(REALTEXT.glob("*.txt")):
            lines = f.read_text("utf-8").splitlines()
            text = " ".join(line for line in lines[3:] if line.strip())
            # The dataset lost paragraph breaks: cut at sentence ends into ~400-character pieces.
            parts, cur = [], ""
            for sentence in text.split("।"):
                cur += sentence + "।"
                if len(cur) > 400:
                    parts.append(cur.strip())
                    cur = ""
            off.append((lines[2], [*parts, cur.strip()]))
    return on, off


def build(n: int, seed: int = 5) -> list[tuple[str, list[str]]]:
    rng = random.Random(seed)
    on, off = sources()
    on_pool = [p for _, ps in on for p in ps if len(p) > 40]
    off_pool = [p for _, ps in off for p in ps if len(p) > 40]
    texts = []
    for i in range(n):
        title, first = rng.choice(on if i % 2 else off)
        pool = on_pool + off_pool if i % 2 else off_pool
        body, size = list(first), sum(len(p.encode()) for p in first)
        while size < TARGET_BYTES:  # pad: on-topic texts with any paragraph, off with off-topic
            p = rng.choice(pool)
            body.append(p)
            size += len(p.encode())
        while size > TARGET_BYTES + 400 and len(body) > 1:
            size -= len(body.pop().encode())
        if i % 3 == 0:  # precomposed য় ড় ঢ়, as some outlets type them
            body = [
                p.replace("\u09af\u09bc", "\u09df").replace("\u09a1\u09bc", "\u09dc") for p in body
            ]
        texts.append((title, body))
    return texts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--articles", type=int, default=2000)
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})  # one core
    topics = TopicSet.load()
    texts = build(args.articles)
    size = statistics.mean(len(t.encode()) + sum(len(p.encode()) for p in b) for t, b in texts)
    kept = sum(1 for t, b in texts if topics.match(t, b))  # also warms up
    rates, cpu_rates = [], []
    for _ in range(args.runs):
        start, cpu = time.perf_counter(), time.process_time()
        for title, body in texts:
            topics.match(title, body)
        rates.append(len(texts) / (time.perf_counter() - start))
        cpu_rates.append(len(texts) / (time.process_time() - cpu))
    print(
        f"{len(texts)} articles, mean {size / 1000:.1f} KB, {kept} on-topic, topics {topics.ids}: "
        f"median {statistics.median(rates):,.0f} articles/s over {args.runs} runs "
        f"(min {min(rates):,.0f}, max {max(rates):,.0f}), one core; "
        # CPU time is what one core gives when other work shares the machine
        f"by CPU time median {statistics.median(cpu_rates):,.0f} articles/s"
    )


if __name__ == "__main__":
    main()

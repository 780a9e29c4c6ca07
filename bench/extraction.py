"""Item 1: body-text accuracy and speed of the article readers, on every outlet fixture page.

For each outlet under tests/fixtures/ with an expected.jsonl, each expected record's page is read
by (a) newswatch's outlet reader (`read_page` with the spider's selectors, then the normalise
pipeline's body cleaning), (b) trafilatura's `extract` on the same HTML, (c) newswatch's generic
fallback alone (`read_fallback`, then the same cleaning). Scores are token-level F1 of the body
text against the expected record's `text`, tokens being words in key form (so Unicode encodings
and punctuation do not count). Speed is pages per second over all pages, one core, median of
several timed passes; each pass parses the HTML again (every reader starts from the bytes).
"""

from __future__ import annotations

import json
import re
import statistics
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import trafilatura

from newswatch.extract import read_fallback, read_page
from newswatch.fixtureserver import resolve
from newswatch.text import key
from pipelines.normalize import clean_body

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures"
_WORD = re.compile(r"[\w\u0980-\u09ff]+")


@dataclass
class Page:
    outlet: str
    url: str
    html: str
    expected: str


def tokens(text: str) -> Counter:
    return Counter(_WORD.findall(key(text or "")))


def f1(got: str, expected: str) -> float:
    """Token-level F1 (bag of words) of `got` against `expected`."""
    a, b = tokens(got), tokens(expected)
    common = sum((a & b).values())
    if not common:
        return 0.0
    precision, recall = common / sum(a.values()), common / sum(b.values())
    return 2 * precision * recall / (precision + recall)


def load_pages() -> tuple[list[Page], list[str]]:
    """Every expected record whose page is in its outlet's saved site; notes on what was not."""
    pages, notes = [], []
    for expected in sorted(FIXTURES.glob("*/expected.jsonl")):
        outlet = expected.parent.name
        for line in expected.read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            record = json.loads(line)
            parts = urlsplit(record["url"])
            file = resolve(
                expected.parent / "site", parts.path + (f"?{parts.query}" * bool(parts.query))
            )
            if file is None:
                notes.append(f"{outlet}: no saved page for {record['url'][:70]}…")
                continue
            html = file.read_bytes().decode("utf-8", errors="replace")
            pages.append(Page(outlet, record["url"], html, record["text"]))
    return pages, notes


def outlet_readers(outlets: set[str]) -> tuple[dict[str, Callable[[Page], str]], list[str]]:
    """One reader per outlet with a spider: selectors + structured + fallback, then cleaning."""
    from scrapy.spiderloader import get_spider_loader

    from newswatch.runner import project_settings

    loader = get_spider_loader(project_settings())
    readers, notes = {}, []
    for outlet in sorted(outlets):
        try:
            spider = loader.load(outlet)()
        except Exception as error:  # an outlet being added may have fixtures before its spider
            notes.append(f"{outlet}: no usable spider ({type(error).__name__}: {error})")
            continue

        def read(page: Page, spider=spider) -> str:
            reading = read_page(
                page.html,
                page.url,
                spider.selectors,
                spider.exclude,
                same_site=spider.is_same_site,
            )
            return clean_body("\n\n".join(reading.paragraphs), spider.boilerplate_patterns)

        readers[outlet] = read
    return readers, notes


def trafilatura_reader(page: Page) -> str:
    return trafilatura.extract(page.html, url=page.url) or ""


def fallback_reader(page: Page) -> str:
    paragraphs = read_fallback(page.html, page.url).get("paragraphs", [])
    return clean_body("\n\n".join(paragraphs), [])


def pages_per_second(pages: list[Page], read: Callable[[Page], str], runs: int) -> float:
    """Median over `runs` passes of len(pages) / seconds for one pass."""
    rates = []
    for _ in range(runs):
        start = time.perf_counter()
        for page in pages:
            read(page)
        rates.append(len(pages) / (time.perf_counter() - start))
    return statistics.median(rates)


def run(runs: int = 5) -> dict:
    pages, notes = load_pages()
    readers, more = outlet_readers({p.outlet for p in pages})
    notes += more
    pages = [p for p in pages if p.outlet in readers]
    methods: dict[str, Callable[[Page], str]] = {
        "outlet": lambda page: readers[page.outlet](page),
        "trafilatura": trafilatura_reader,
        "fallback": fallback_reader,
    }
    per_outlet: dict[str, dict[str, list[float]]] = {}
    for page in pages:
        scores = per_outlet.setdefault(page.outlet, {m: [] for m in methods})
        for name, read in methods.items():
            scores[name].append(f1(read(page), page.expected))
    for read in methods.values():  # warm caches (regexes, lxml) before timing
        read(pages[0])
    speed = {name: pages_per_second(pages, read, runs) for name, read in methods.items()}
    outlets = {
        outlet: {m: statistics.mean(v) for m, v in scores.items()}
        for outlet, scores in per_outlet.items()
    }
    overall = {m: statistics.mean(o[m] for o in outlets.values()) for m in methods}
    return {
        "pages": len(pages),
        "outlets": outlets,
        "f1": overall,
        "pages_per_second": speed,
        "runs": runs,
        "notes": notes,
        "trafilatura_version": trafilatura.__version__,
    }


def targets(result: dict) -> list[tuple[str, bool, str]]:
    """(target, met, figures) for RESULTS.md."""
    speed, f1s, outlets = result["pages_per_second"], result["f1"], result["outlets"]
    ratio = speed["outlet"] / speed["trafilatura"]
    worst = min(o["outlet"] for o in outlets.values())
    below = [n for n, o in outlets.items() if o["outlet"] < o["trafilatura"] - 1e-9]
    weak_fallback = [n for n, o in outlets.items() if o["fallback"] < o["trafilatura"] - 0.02]
    return [
        ("outlet reader >= 10x trafilatura pages/s", ratio >= 10, f"{ratio:.1f}x"),
        ("outlet reader F1 >= 0.98 on every outlet", worst >= 0.98, f"lowest {worst:.3f}"),
        (
            "outlet reader F1 >= trafilatura's on every outlet",
            not below,
            "all outlets" if not below else "below on " + ", ".join(below),
        ),
        (
            "fallback within 0.02 F1 of trafilatura",
            not weak_fallback and f1s["fallback"] >= f1s["trafilatura"] - 0.02,
            f"mean {f1s['fallback']:.3f} vs {f1s['trafilatura']:.3f}"
            + (f"; worse on {', '.join(weak_fallback)}" if weak_fallback else ""),
        ),
    ]

"""Measure the topics on a labelled set: precision, recall and F1 per topic, and the misses.

The set is JSON lines (one file, or every `*.jsonl` in a folder), one item a line::

    {"id": "seed-000", "title": "...", "text": "paragraphs joined by a blank line",
     "labels": ["russia_dprk"], "source": "seed 000 article"}

`labels` lists every topic the item is about (`[]`: none), so each item counts for every topic
evaluated: a positive where its id is in `labels`, a negative elsewhere. The project's set is
`tests/topic_eval/` (see its README.md).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from newswatch.text import paragraphs
from newswatch.topics import TopicSet

EVAL_DIR = Path(__file__).resolve().parents[2] / "tests" / "topic_eval"
_REQUIRED = {"id": str, "title": str, "text": str, "labels": list}


@dataclass(frozen=True)
class Item:
    id: str
    title: str
    text: str
    labels: frozenset[str]
    source: str = ""


@dataclass
class Miss:
    item: Item
    score: float  # the topic's score for the item (kept or not)


@dataclass
class TopicScores:
    id: str
    true_pos: int = 0
    false_pos: list[Miss] = field(default_factory=list)
    false_neg: list[Miss] = field(default_factory=list)
    true_neg: int = 0

    @property
    def precision(self) -> float:
        kept = self.true_pos + len(self.false_pos)
        return self.true_pos / kept if kept else 1.0

    @property
    def recall(self) -> float:
        wanted = self.true_pos + len(self.false_neg)
        return self.true_pos / wanted if wanted else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def load_items(path: Path) -> list[Item]:
    """Items of a `.jsonl` file, or of every `*.jsonl` in a folder (sorted by name)."""
    path = Path(path)
    files = sorted(path.glob("*.jsonl")) if path.is_dir() else [path]
    if not files or not all(f.is_file() for f in files):
        raise ValueError(f"no labelled set at {path} (a .jsonl file or a folder of them)")
    items: list[Item] = []
    seen: set[str] = set()
    for f in files:
        for n, line in enumerate(f.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            where = f"{f}:{n}"
            try:
                data = json.loads(line)
            except json.JSONDecodeError as e:
                raise ValueError(f"{where}: not JSON: {e}") from None
            for name, kind in _REQUIRED.items():
                if not isinstance(data.get(name), kind):
                    raise ValueError(f"{where}: {name!r} must be a {kind.__name__}")
            if data["id"] in seen:
                raise ValueError(f"{where}: id {data['id']!r} appears twice")
            seen.add(data["id"])
            items.append(
                Item(
                    data["id"],
                    data["title"],
                    data["text"],
                    frozenset(data["labels"]),
                    str(data.get("source", "")),
                )
            )
    return items


def evaluate(topics: TopicSet, items: Iterable[Item]) -> list[TopicScores]:
    """Scores per topic of `topics` (in `topics.ids` order) on `items`."""
    scores = {tid: TopicScores(tid) for tid in topics.ids}
    for item in items:
        for report in topics.explain(item.title, paragraphs(item.text)):
            s = scores[report.id]
            wanted = report.id in item.labels
            if report.kept and wanted:
                s.true_pos += 1
            elif report.kept:
                s.false_pos.append(Miss(item, report.score))
            elif wanted:
                s.false_neg.append(Miss(item, report.score))
            else:
                s.true_neg += 1
    return list(scores.values())


def format_report(results: Sequence[TopicScores], n_items: int, source: str) -> str:
    lines = [f"{n_items} labelled items from {source}", ""]
    lines.append(
        f"{'topic':<16} {'precision':>9} {'recall':>7} {'F1':>6}  {'TP':>4} {'FP':>4} "
        f"{'FN':>4} {'TN':>4}"
    )
    for s in results:
        lines.append(
            f"{s.id:<16} {s.precision:>9.3f} {s.recall:>7.3f} {s.f1:>6.3f}  {s.true_pos:>4} "
            f"{len(s.false_pos):>4} {len(s.false_neg):>4} {s.true_neg:>4}"
        )
    for s in results:
        for kind, misses in (
            ("kept but not labelled", s.false_pos),
            ("labelled but not kept", s.false_neg),
        ):
            if misses:
                lines += ["", f"{s.id}: {kind} ({len(misses)}):"]
                lines += [
                    f"  {m.item.id}  score {m.score:g}  {m.item.title[:70]}  [{m.item.source}]"
                    for m in misses
                ]
    return "\n".join(lines)

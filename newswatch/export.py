"""Records -> files for corpus tools: the seed layout (DESIGN.md, "The seed layout"), or one
CSV or Parquet table.

Records come from one JSON-lines file or a whole data folder (`<date>/<outlet>.jsonl`), can be
filtered by published date, outlet and topic, and an article written in several versions (an
updated page) is exported once, in its highest version.
"""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from newswatch.text import paragraphs

_ID = re.compile(r"^[0-9a-f]{16}$")
FORMATS = ("txt", "csv", "parquet")

# The table's columns, in order: (name, type, meaning). The README's export schema is this list.
COLUMNS = [
    ("id", "string", "16 hex digits, from the URL"),
    ("url", "string", "canonical article URL"),
    ("outlet", "string", "spider name"),
    ("outlet_name", "string", "the outlet's own name"),
    ("language", "string", "bn"),
    ("title", "string", "headline"),
    ("byline", "string, null", "author or desk as printed"),
    ("published", "string", "ISO 8601 with offset"),
    ("published_text", "string, null", "the dateline as printed"),
    ("modified", "string, null", "ISO 8601 with offset"),
    ("section", "string, null", "the outlet's section"),
    ("tags", "list of string", "the outlet's tags"),
    ("text", "string", "the body; paragraphs joined by a blank line"),
    ("topics", "list of string", "ids of the matched topics"),
    ("fetched_at", "string", "ISO 8601 UTC"),
    ("duplicate_of", "string, null", "id of the earlier near-copy"),
    ("version", "int", "1, or higher for an updated article"),
]
LIST_COLUMNS = ("tags", "topics")


def read_records(path: Path) -> list[dict]:
    """All records of a JSON-lines file, each checked; a bad line is an error naming its number."""
    records = []
    with path.open(encoding="utf-8") as lines:
        for number, line in enumerate(lines, 1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as error:
                raise ValueError(f"{path}:{number}: not a JSON line ({error.msg})") from None
            if not isinstance(record, dict):
                raise ValueError(f"{path}:{number}: not a JSON object")
            if not _ID.match(str(record.get("id", ""))):
                raise ValueError(f"{path}:{number}: id {record.get('id')!r} is not 16 hex digits")
            missing = [f for f in ("title", "published", "text") if not record.get(f)]
            if missing:
                raise ValueError(f"{path}:{number}: record lacks {', '.join(missing)}")
            records.append(record)
    return records


def record_files(source: Path) -> list[Path]:
    """A records file itself, or every `<date>/<outlet>.jsonl` of a data folder, by date."""
    if source.is_file():
        return [source]
    if source.is_dir():
        return sorted(source.glob("*/*.jsonl"))
    raise ValueError(f"no such records file or data folder: {source}")


def topic_ids(record: dict) -> list[str]:
    """Topic ids of a record (`topics` holds match objects; expected.jsonl files hold ids)."""
    return [t["id"] if isinstance(t, dict) else str(t) for t in record.get("topics") or []]


def parse_day(value: str | None, option: str) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ValueError(f"{option} takes a date like 2025-07-01 (got {value!r})") from None


@dataclass(frozen=True)
class Selection:
    """Which records to export. Dates are compared with the date in `published` as the record
    gives it (the outlet's own zone, +06:00 for Dhaka); both ends are included."""

    since: date | None = None
    until: date | None = None
    outlets: frozenset[str] = frozenset()
    topics: frozenset[str] = frozenset()

    def __post_init__(self) -> None:
        if self.since and self.until and self.until < self.since:
            raise ValueError(f"--until {self.until} is before --since {self.since}")

    def matches(self, record: dict) -> bool:
        if self.outlets and record.get("outlet") not in self.outlets:
            return False
        if self.topics and not self.topics & set(topic_ids(record)):
            return False
        if self.since or self.until:
            try:
                day = datetime.fromisoformat(record["published"]).date()
            except ValueError:
                raise ValueError(
                    f"record {record['id']}: published {record['published']!r} is not ISO 8601"
                ) from None
            if (self.since and day < self.since) or (self.until and day > self.until):
                return False
        return True


def latest_versions(records: Iterable[dict]) -> list[dict]:
    """One record per id, the highest `version`, at the place the article was first written."""
    chosen: dict[str, dict] = {}
    for record in records:
        best = chosen.get(record["id"])
        if best is None or int(record.get("version") or 1) > int(best.get("version") or 1):
            chosen[record["id"]] = record
    return list(chosen.values())


def select(source: Path, selection: Selection, all_versions: bool = False) -> list[dict]:
    """The records of `source` (file or data folder) that `selection` keeps, checked first."""
    records = [r for path in record_files(source) for r in read_records(path)]
    kept = [r for r in records if selection.matches(r)]
    return kept if all_versions else latest_versions(kept)


# -- the seed layout ---------------------------------------------------------------------------


def seed_layout(record: dict) -> str:
    """Title, blank, byline (if any), dateline as printed (else ISO), blank, paragraphs."""
    head = [record["title"], ""]
    if record.get("byline"):
        head.append(record["byline"])
    head += [record.get("published_text") or record["published"], ""]
    return "\n".join(head) + "\n" + "\n\n".join(paragraphs(record["text"])) + "\n"


def export(records: Iterable[dict], folder: Path) -> list[Path]:
    """Write `NNN_<id>.txt` per record (from `read_records`), NNN counting from 000.

    File names come from the record id alone (checked to be 16 hex digits by `read_records`),
    so no record content can choose where a file is written.
    """
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for number, record in enumerate(records):
        path = folder / f"{number:03d}_{record['id']}.txt"
        path.write_text(seed_layout(record), encoding="utf-8")
        written.append(path)
    return written


# -- tables ------------------------------------------------------------------------------------


def table_row(record: dict) -> dict[str, Any]:
    """A record as one row of COLUMNS (lists as lists, topics as ids)."""
    row = {name: record.get(name) for name, _type, _meaning in COLUMNS}
    row["tags"] = [str(t) for t in record.get("tags") or []]
    row["topics"] = topic_ids(record)
    row["version"] = int(record.get("version") or 1)
    return row


def write_csv(records: Iterable[dict], path: Path) -> int:
    """UTF-8 CSV with a header; list columns as JSON arrays; null as an empty field."""
    path.parent.mkdir(parents=True, exist_ok=True)
    count = 0
    with path.open("w", encoding="utf-8", newline="") as file:
        writer = csv.DictWriter(file, fieldnames=[name for name, _t, _m in COLUMNS])
        writer.writeheader()
        for record in records:
            row = table_row(record)
            for name in LIST_COLUMNS:
                row[name] = json.dumps(row[name], ensure_ascii=False)
            writer.writerow(row)
            count += 1
    return count


def write_parquet(records: Iterable[dict], path: Path) -> int:
    """One Parquet file (zstd); list columns as list<string>, version as int32."""
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError:
        raise ValueError(
            "Parquet needs pyarrow: pip install 'newswatch[parquet]' (or write .csv)"
        ) from None
    types = {"tags": pa.list_(pa.string()), "topics": pa.list_(pa.string()), "version": pa.int32()}
    schema = pa.schema([(name, types.get(name, pa.string())) for name, _t, _m in COLUMNS])
    rows = [table_row(r) for r in records]
    table = pa.Table.from_pylist(rows, schema=schema)
    path.parent.mkdir(parents=True, exist_ok=True)
    pq.write_table(table, path, compression="zstd")
    return len(rows)


def guess_format(out: Path, given: str | None) -> str:
    if given:
        return given
    return {".csv": "csv", ".parquet": "parquet"}.get(out.suffix.lower(), "txt")

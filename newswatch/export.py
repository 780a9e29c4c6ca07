"""Records -> plain-text files in the seed layout (DESIGN.md, "The seed layout")."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from pathlib import Path

from newswatch.text import paragraphs

_ID = re.compile(r"^[0-9a-f]{16}$")


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

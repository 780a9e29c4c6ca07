"""Store: append each record as one complete, fsynced line, then mark its URL seen.

The order is what makes a run safe to kill at any moment (see newswatch/state.py): a record is
on disk before its URL is marked `kept`; a crash in between is settled when the state is next
opened; a half-written last line (killed mid-write) is cut off before the next append.
"""

from __future__ import annotations

import json
import os
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, BinaryIO

from itemadapter import ItemAdapter

from newswatch.fingerprint import sketch
from newswatch.incremental import item_keys, state_for
from pipelines import OutletPipeline


def output_path(data_dir: Path, outlet: str, worker: str = "") -> Path:
    """<data dir>/<UTC date>/<outlet>.jsonl: one file per outlet per day, appended by each run;
    <outlet>.<worker>.jsonl for a named worker (NEWSWATCH_WORKER_ID), so workers sharing a data
    folder never append to one file, and gathered folders never collide."""
    name = f"{outlet}.{worker}.jsonl" if worker else f"{outlet}.jsonl"
    return data_dir / datetime.now(UTC).strftime("%Y-%m-%d") / name


def cut_partial_line(path: Path) -> None:
    """Drop a trailing line without its newline: the record of a write that a kill interrupted."""
    if not path.is_file() or path.stat().st_size == 0:
        return
    with path.open("rb+") as file:
        data = file.read()
        if not data.endswith(b"\n"):
            file.truncate(data.rfind(b"\n") + 1)


class StorePipeline(OutletPipeline):
    def __init__(self, crawler: Any) -> None:
        super().__init__(crawler)
        self.data_dir = Path(crawler.settings.get("NEWSWATCH_DATA_DIR"))
        self.worker = crawler.settings.get("NEWSWATCH_WORKER_ID", "")
        self.files: dict[Path, BinaryIO] = {}

    def _file(self, path: Path) -> BinaryIO:
        if path not in self.files:
            path.parent.mkdir(parents=True, exist_ok=True)
            cut_partial_line(path)
            self.files[path] = path.open("ab")
        return self.files[path]

    def process_item(self, item: Any) -> Any:
        adapter = ItemAdapter(item)
        outlet, record_id = adapter["outlet"], adapter["id"]
        path = output_path(self.data_dir, outlet, self.worker)
        line = json.dumps(adapter.asdict(), ensure_ascii=False) + "\n"
        store = state_for(self.crawler)
        if store is not None:
            # The record's time (updated, else published) is what a later lastmod is compared with.
            written_at = adapter.get("modified") or adapter.get("published")
            store.begin_write(
                item_keys(item), outlet, record_id, path, written_at, adapter.get("version") or 1
            )
        file = self._file(path)
        file.write(line.encode("utf-8"))
        file.flush()
        os.fsync(file.fileno())
        if store is not None:
            store.finish_write(item_keys(item), record_id, sketch(adapter["text"]))
        # `kept` means written: after dedupe, not merely on topic.
        self.count(item, "articles/kept")
        return item

    def close_spider(self) -> None:
        for file in self.files.values():
            file.close()

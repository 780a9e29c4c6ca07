"""Dedupe: one record per URL, updates versioned, the same text at another URL marked.

- the same article id twice in a run: dropped (`duplicate_url`);
- an article already written in an earlier run: dropped as `unchanged`, unless its `modified`
  is newer than the written one's, when it is written again with the same id and `version` + 1;
- text that is a near copy of a written record (syndicated desk/wire copy, see
  newswatch/fingerprint.py): `duplicate_of` = that record's id; kept, or dropped when
  NEWSWATCH_DROP_DUPLICATES is set.
"""

from __future__ import annotations

from typing import Any

from itemadapter import ItemAdapter

from newswatch.dates import parse_datetime
from newswatch.fingerprint import sketch
from newswatch.incremental import item_keys, state_for
from pipelines import OutletPipeline


def is_newer(modified: str | None, written: str | None) -> bool:
    new, old = parse_datetime(modified), parse_datetime(written)
    return bool(new and (old is None or new > old))


class DedupePipeline(OutletPipeline):
    def __init__(self, crawler: Any) -> None:
        super().__init__(crawler)
        self.ids: set[str] = set()
        self.drop_duplicates = crawler.settings.getbool("NEWSWATCH_DROP_DUPLICATES")

    def process_item(self, item: Any) -> Any:
        adapter = ItemAdapter(item)
        if adapter["id"] in self.ids:
            raise self.drop(item, "duplicate_url", log_level="INFO")
        self.ids.add(adapter["id"])
        store = state_for(self.crawler)
        if store is None:
            return item
        written = [s for s in store.seen(item_keys(item)).values() if s.status == "kept"]
        if written:
            latest = max(written, key=lambda s: s.version)
            # `latest.modified` holds the written record's updated-else-published time.
            if not is_newer(adapter.get("modified"), latest.modified):
                raise self.drop(item, "unchanged", log_level="INFO")
            adapter["version"] = latest.version + 1
            self.count(item, "articles/updated")
        first = store.near_duplicate(sketch(adapter["text"]))
        if first and first != adapter["id"]:
            adapter["duplicate_of"] = first
            self.count(item, "duplicates")
            if self.drop_duplicates:
                raise self.drop(item, "duplicate_text", log_level="INFO")
        return item

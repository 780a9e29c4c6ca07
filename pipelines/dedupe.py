"""Dedupe within a run: one record per URL; a second URL with the same text is marked, not lost."""

from __future__ import annotations

import hashlib
import re
from typing import Any

from itemadapter import ItemAdapter

from newswatch.text import key
from pipelines import OutletPipeline

_NOT_LETTERS = re.compile(r"[\W_]+")


def text_fingerprint(text: str) -> str:
    """Same words in the same order -> same fingerprint, whatever the spacing or punctuation."""
    return hashlib.sha1(_NOT_LETTERS.sub("", key(text)).encode("utf-8")).hexdigest()


class DedupePipeline(OutletPipeline):
    def __init__(self, crawler: Any) -> None:
        super().__init__(crawler)
        self.ids: set[str] = set()
        self.first_by_text: dict[str, str] = {}

    def process_item(self, item: Any) -> Any:
        adapter = ItemAdapter(item)
        if adapter["id"] in self.ids:
            raise self.drop(item, "duplicate_url", log_level="INFO")
        self.ids.add(adapter["id"])
        first = self.first_by_text.setdefault(text_fingerprint(adapter["text"]), adapter["id"])
        if first != adapter["id"]:
            adapter["duplicate_of"] = first
            self.count(item, "duplicates")
        return item

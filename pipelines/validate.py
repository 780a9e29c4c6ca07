"""Validate: a record without url, title, published or text is not written, and is counted."""

from __future__ import annotations

from typing import Any

from itemadapter import ItemAdapter

from newswatch.items import REQUIRED_FIELDS
from pipelines import OutletPipeline


class ValidatePipeline(OutletPipeline):
    def process_item(self, item: Any) -> Any:
        adapter = ItemAdapter(item)
        self.count(item, "articles/read")
        for name in REQUIRED_FIELDS:
            if not adapter.get(name):
                # WARNING: a run of these means the outlet's markup changed.
                raise self.drop(item, f"missing_{name}")
        self.count(item, "articles/valid")
        return item

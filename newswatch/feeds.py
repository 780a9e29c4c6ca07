"""Feed URI parameters for the default output path (settings.FEEDS)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any


def uri_params(params: dict[str, Any], spider: Any) -> dict[str, Any]:
    """Add `data_dir` (NEWSWATCH_DATA_DIR) and `date` (UTC, YYYY-MM-DD) to Scrapy's params."""
    return {
        **params,
        "data_dir": spider.crawler.settings.get("NEWSWATCH_DATA_DIR", "data").rstrip("/"),
        "date": datetime.now(UTC).strftime("%Y-%m-%d"),
    }

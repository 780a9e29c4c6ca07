"""The record: one JSON object per line (DESIGN.md). Field order here is the order on disk."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any

REQUIRED_FIELDS = ("url", "title", "published", "text")


def record_id(url: str) -> str:
    """First 16 hex digits of SHA-256 of the canonical URL (the seed files' naming)."""
    return hashlib.sha256(url.encode("utf-8")).hexdigest()[:16]


@dataclass
class Article:
    id: str | None = None
    url: str | None = None
    outlet: str | None = None
    outlet_name: str | None = None
    language: str = "bn"
    title: str | None = None
    byline: str | None = None
    published: str | None = None
    # The dateline as the outlet printed it; the seed-layout export prints it (DESIGN: "published,
    # as the outlet printed it, or ISO when unknown"). Not in DESIGN's table: an addition.
    published_text: str | None = None
    modified: str | None = None
    section: str | None = None
    tags: list[str] = field(default_factory=list)
    text: str | None = None
    topics: list[dict[str, Any]] = field(default_factory=list)
    fetched_at: str | None = None
    duplicate_of: str | None = None
    # 1 for the first record of an article; +1 each time an update of it is written (same id).
    version: int = 1

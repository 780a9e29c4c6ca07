"""Topic filter: keep a record only if a topic's rule holds for it, and say which terms matched."""

from __future__ import annotations

from typing import Any

from itemadapter import ItemAdapter

from newswatch.text import paragraphs
from newswatch.topics import TopicSet
from pipelines import OutletPipeline


class TopicFilterPipeline(OutletPipeline):
    def __init__(self, crawler: Any) -> None:
        super().__init__(crawler)
        # A malformed topic file or an unknown topic name stops the run here, at start.
        names = getattr(crawler.spider, "topics", None) or crawler.settings.getlist(
            "NEWSWATCH_TOPICS"
        )
        self.topics = TopicSet.load(names or None)

    def process_item(self, item: Any) -> Any:
        adapter = ItemAdapter(item)
        matches = self.topics.match(adapter["title"], paragraphs(adapter["text"]))
        if not matches:
            # Off-topic is the normal case for most articles: counted, logged quietly.
            raise self.drop(item, "off_topic", log_level="DEBUG")
        adapter["topics"] = [m.to_record() for m in matches]
        self.count(item, "articles/on_topic")
        return item

"""Normalise: one display form for every string, and the body cleaned of what is not the article."""

from __future__ import annotations

import re
from typing import Any

from itemadapter import ItemAdapter

from newswatch.dates import parse_datetime
from newswatch.text import compile_nfc, key, key_of_display, normalize, paragraphs
from pipelines import OutletPipeline

# Whole paragraphs that are page furniture on many outlets (share/comment widgets, theme labels).
# Outlet-specific sentences live in each spider's `boilerplate`.
GENERIC_BOILERPLATE = [
    compile_nfc(p, re.IGNORECASE)
    for p in (
        r"^spread the love$",
        r"^please share this post in your social media$",
        r"^facebook comments box$",
        r"^leave a reply$",
        r"^more news of this category$",
        r"^html comment box is loading comments\.*$",
        r"^(মন্তব্য করুন|শেয়ার করুন|আরও পড়ুন|আরো পড়ুন|আরও খবর|এই বিভাগের আরও|বিজ্ঞাপন)$",
        r"^(আরও|আরো) পড়ুন\s*[:ঃ]",  # an in-text "read also: <other headline>" link
    )
]
# The same test as one regex (each pattern is anchored, so one search of their alternation finds
# a match exactly when one of them would): one search a paragraph instead of eight.
_GENERIC = re.compile(
    "|".join(f"(?:{p.pattern})" for p in GENERIC_BOILERPLATE), GENERIC_BOILERPLATE[0].flags
)
# Desk/editor initials closing a body (`টিটিএন`, `কেএএ/জিকেএস`), written as the Bengali names of
# Latin letters; matching only letter names keeps a real one-word last paragraph.
_LETTER = "এইচ|এক্স|এফ|এল|এম|এন|এস|এ|বি|সি|ডি|ইউ|ই|জি|আই|জে|কে|ওয়াই|ও|পি|কিউ|আর|টি|ভি|ডব্লিউ|জেড"
SIGN_OFF = compile_nfc(rf"^(?:{_LETTER}){{2,8}}(?:/(?:{_LETTER}){{1,8}})*$")
EMAIL = re.compile(r"(?:e-?mail\s*:?\s*)?[\w.+-]+@[\w-]+(?:\.[\w-]+)+", re.IGNORECASE)
LABEL = compile_nfc(r"^(?:বিভাগ|লেখক|প্রতিবেদক|by|category|section)\s*[:：]\s*", re.IGNORECASE)


def clean_label(value: str | None) -> str | None:
    """`বিভাগ : আন্তর্জাতিক` -> `আন্তর্জাতিক`; empty -> None."""
    return LABEL.sub("", normalize(value)) or None


def clean_byline(value: str | None) -> str | None:
    """Author or desk as printed, without e-mail addresses or labels."""
    return clean_label(EMAIL.sub(" ", normalize(value)))


def clean_body(text: str, boilerplate: list[re.Pattern[str]]) -> str:
    """Paragraphs in display form, boilerplate and repeats dropped, sign-off initials removed."""
    kept: list[str] = []
    seen: set[str] = set()
    for raw in paragraphs(text or ""):
        paragraph = normalize(raw)
        if (
            not paragraph
            or _GENERIC.search(paragraph)
            or any(p.search(paragraph) for p in boilerplate)
        ):
            continue
        # key() normalises again; when normalize() left the paragraph as it was, that is the
        # same call with the same answer (read_page's paragraphs are already in display form).
        fingerprint = key_of_display(paragraph) if paragraph == raw else key(paragraph)
        if fingerprint in seen:  # pages print pull-quotes and whole paragraphs twice
            continue
        seen.add(fingerprint)
        kept.append(paragraph)
    if kept and SIGN_OFF.match(kept[-1]):
        kept.pop()
    return "\n\n".join(kept)


class NormalizePipeline(OutletPipeline):
    def process_item(self, item: Any) -> Any:
        adapter = ItemAdapter(item)
        spider = self.crawler.spider
        adapter["title"] = normalize(adapter.get("title")) or None
        adapter["byline"] = clean_byline(adapter.get("byline"))
        adapter["section"] = clean_label(adapter.get("section"))
        adapter["published_text"] = normalize(adapter.get("published_text")) or None
        if adapter.get("modified") and parse_datetime(adapter["modified"]) == parse_datetime(
            adapter.get("published")
        ):
            adapter["modified"] = None  # CMSs fill dateModified = datePublished: not an update
        tags = (normalize(t) for t in adapter.get("tags") or [])
        adapter["tags"] = list(dict.fromkeys(t for t in tags if t))
        adapter["text"] = clean_body(
            adapter.get("text") or "", getattr(spider, "boilerplate_patterns", [])
        )
        return item

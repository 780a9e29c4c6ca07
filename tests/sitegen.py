"""Build a large Jago-News-shaped site for crash and incremental tests.

Articles are assembled from real sentences (the seeds and the real outlet texts), so every page
has distinct Bengali text; on-topic ones carry a Russia–DPRK sentence, off-topic ones do not.
"""

from __future__ import annotations

import html
import json
import random
import re
from datetime import date, timedelta
from pathlib import Path

from newswatch.text import normalize
from tests.conftest import ROOT

REALTEXT = ROOT.parent / "shared" / "realtext"
BASE = "https://www.jagonews24.com"
_SENTENCE = re.compile(r"[^।!?]+[।!?]")
TOPIC_SENTENCES = [
    "রাশিয়ার প্রেসিডেন্ট ভ্লাদিমির পুতিনের সঙ্গে বৈঠক করেছেন উত্তর কোরিয়ার নেতা কিম জং উন।",
    "উত্তর কোরিয়া ইউক্রেন যুদ্ধে রাশিয়াকে গোলাবারুদ সরবরাহ করছে বলে অভিযোগ উঠেছে।",
    "মস্কো ও পিয়ংইয়ংয়ের মধ্যে পারস্পরিক প্রতিরক্ষা চুক্তি কার্যকর হয়েছে।",
]


def sentence_pool() -> list[str]:
    texts = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "seeds").glob("*.txt"))]
    if REALTEXT.is_dir():
        texts += [p.read_text(encoding="utf-8") for p in sorted(REALTEXT.glob("*.txt"))]
    pool = {normalize(s) for t in texts for s in _SENTENCE.findall(t)}
    # Off-topic material must never mention North Korea, so only TOPIC_SENTENCES make a page
    # on-topic (Russia-only sentences stay: they are the realistic hard negatives).
    dprk = [normalize(w) for w in ("কোরিয়", "কোরীয়", "পিয়ংইয়ং", "কিম", "কেসিএনএ", "চোয়ে")]
    return sorted(s for s in pool if 40 < len(s) < 400 and not any(w in s for w in dprk))


def article_page(
    number: int,
    title: str,
    paragraphs: list[str],
    modified_minute: int = 0,
    published: str = "2024-09-14T10:42:00+06:00",
) -> str:
    url = f"{BASE}/international/news/{number}"
    body = "".join(f"<p>{html.escape(p)}</p>" for p in paragraphs)
    updated = f" | আপডেট: ১১:{modified_minute:02d} এএম, ১৪ সেপ্টেম্বর ২০২৪" if modified_minute else ""
    ld = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": title,
        "datePublished": published,
    }
    if modified_minute:
        ld["dateModified"] = f"2024-09-14T11:{modified_minute:02d}:00+06:00"
    return (
        f'<!DOCTYPE html><html lang="bn"><head><meta charset="utf-8"><title>{title}</title>'
        f'<link rel="canonical" href="{url}"><script type="application/ld+json">'
        f"{json.dumps(ld, ensure_ascii=False)}</script></head><body>"
        f'<nav><a href="{BASE}/national">জাতীয়</a></nav><h1>{html.escape(title)}</h1>'
        f'<span class="time-with-author">প্রকাশিত: ১০:৪২ এএম, ১৪ সেপ্টেম্বর ২০২৪{updated}</span>'
        f'<div class="content-details">{body}</div>'
        f'<footer><a href="{BASE}/about">আমাদের সম্পর্কে জানুন এবং যোগাযোগ করুন</a></footer>'
        "</body></html>"
    )


def build_site(root: Path, count: int, on_topic_every: int = 3, seed: int = 7) -> set[str]:
    """Write `count` articles and the /international listing; return the on-topic URLs."""
    rng = random.Random(seed)
    pool = sentence_pool()
    on_topic = set()
    links = []
    for number in range(100000, 100000 + count):
        sentences = rng.sample(pool, 6)
        if number % on_topic_every == 0:
            sentences[1] = rng.choice(TOPIC_SENTENCES) + " " + sentences[1]
            on_topic.add(f"{BASE}/international/news/{number}")
        paragraphs = [" ".join(sentences[i : i + 2]) for i in range(0, 6, 2)]
        title = f"{sentences[0][:60]} ({number})"
        write_article(root, number, title, paragraphs)
        href = f"{BASE}/international/news/{number}"
        links.append(f'<li><a href="{href}">{html.escape(title)}</a></li>')
    (root / "international.html").write_text(
        f"<!DOCTYPE html><html><body><ul>{''.join(links)}</ul></body></html>", encoding="utf-8"
    )
    published = "2024-09-14T10:42:00+06:00"
    write_sitemap(
        root, {f"{BASE}/international/news/{n}": published for n in range(100000, 100000 + count)}
    )
    return on_topic


def write_sitemap(root: Path, lastmods: dict[str, str]) -> None:
    """/sitemaps/news-sitemap.xml listing each URL with its lastmod."""
    entries = "".join(
        f"<url><loc>{url}</loc><lastmod>{lastmod}</lastmod></url>"
        for url, lastmod in lastmods.items()
    )
    (root / "sitemaps").mkdir(parents=True, exist_ok=True)
    (root / "sitemaps" / "news-sitemap.xml").write_text(
        '<?xml version="1.0" encoding="UTF-8"?><urlset '
        f'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{entries}</urlset>',
        encoding="utf-8",
    )


def write_article(
    root: Path,
    number: int,
    title: str,
    paragraphs: list[str],
    modified_minute: int = 0,
    published: str = "2024-09-14T10:42:00+06:00",
) -> None:
    path = root / "international" / "news" / f"{number}.html"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        article_page(number, title, paragraphs, modified_minute, published), encoding="utf-8"
    )


def build_paginated_site(root: Path, pages: int, per_page: int, newest: date) -> list[list[str]]:
    """Jago's international section: page 1 at /international, older pages as the "load more"
    fragments; article k (0 = newest) published k days before `newest`. Returns the article URLs
    of each page, newest first."""
    rng = random.Random(11)
    pool = sentence_pool()
    by_page = []
    for page in range(pages):
        urls = []
        for slot in range(per_page):
            k = page * per_page + slot
            number = 200000 - k
            day = newest - timedelta(days=k)
            sentences = rng.sample(pool, 6)
            sentences[1] = TOPIC_SENTENCES[k % len(TOPIC_SENTENCES)] + " " + sentences[1]
            write_article(
                root,
                number,
                f"{sentences[0][:50]} ({number})",
                [" ".join(sentences[i : i + 2]) for i in range(0, 6, 2)],
                published=f"{day.isoformat()}T09:00:00+06:00",
            )
            urls.append(f"{BASE}/international/news/{number}")
        by_page.append(urls)
        links = "".join(f'<li><a href="{u}">খবর {u[-6:]}</a></li>' for u in urls)
        html_page = f"<!DOCTYPE html><html><body><ul>{links}</ul></body></html>"
        name = (
            "international.html"
            if page == 0
            else f"load-more-category-content__page={page + 1}&catType=1&catid=4.html"
        )
        (root / name).write_text(html_page, encoding="utf-8")
    return by_page

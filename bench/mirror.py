"""A large local mirror of a Jago-News-shaped site, for crawl benchmarks.

Article pages carry the chrome a real news page has (navigation, trending tags, ad slots, share
box, related and latest-news lists, inline state JSON, scripts and styles), so each is 80-150 KB,
while the article body itself is 4-10 KB of Bengali sentences from the seeds and the real outlet
texts. One page in ten is on-topic (a Russia-DPRK sentence); the rest are off-topic.

Articles are written once, for the largest size asked; each crawl size N gets its own small
document root (listing page, sitemap index, sitemaps of 1,000 URLs) that lists the first N
articles and links to the shared article folder.
"""

from __future__ import annotations

import html
import json
import random
import re
from datetime import datetime, timedelta, timezone
from pathlib import Path

from newswatch.text import normalize

ROOT = Path(__file__).resolve().parents[1]
# The real outlet texts beside the checkout (shared/realtext), as tests/sitegen.py reads them.
REALTEXT = next(
    (p for p in (ROOT.parent / "shared" / "realtext", Path("/work/shared/realtext")) if p.is_dir()),
    ROOT.parent / "shared" / "realtext",
)
BASE = "https://www.jagonews24.com"
FIRST_ID = 1_100_000
ON_TOPIC_EVERY = 10
SITEMAP_SIZE = 1_000
MIN_BYTES, MAX_BYTES = 80_000, 150_000
DHAKA = timezone(timedelta(hours=6))
BN_DIGITS = str.maketrans("0123456789", "০১২৩৪৫৬৭৮৯")
BN_MONTHS = [
    "জানুয়ারি",
    "ফেব্রুয়ারি",
    "মার্চ",
    "এপ্রিল",
    "মে",
    "জুন",
    "জুলাই",
    "আগস্ট",
    "সেপ্টেম্বর",
    "অক্টোবর",
    "নভেম্বর",
    "ডিসেম্বর",
]
SECTIONS = [
    ("national", "জাতীয়"),
    ("politics", "রাজনীতি"),
    ("economy", "অর্থনীতি"),
    ("international", "আন্তর্জাতিক"),
    ("country", "সারাদেশ"),
    ("sports", "খেলাধুলা"),
    ("entertainment", "বিনোদন"),
    ("opinion", "মতামত"),
    ("feature", "ফিচার"),
    ("probash", "প্রবাস"),
    ("law-courts", "আইন-আদালত"),
    ("tech", "তথ্যপ্রযুক্তি"),
    ("lifestyle", "লাইফস্টাইল"),
    ("campus", "ক্যাম্পাস"),
]
TOPIC_SENTENCES = [
    "রাশিয়ার প্রেসিডেন্ট ভ্লাদিমির পুতিনের সঙ্গে বৈঠক করেছেন উত্তর কোরিয়ার নেতা কিম জং উন।",
    "উত্তর কোরিয়া ইউক্রেন যুদ্ধে রাশিয়াকে গোলাবারুদ সরবরাহ করছে বলে অভিযোগ উঠেছে।",
    "মস্কো ও পিয়ংইয়ংয়ের মধ্যে পারস্পরিক প্রতিরক্ষা চুক্তি কার্যকর হয়েছে।",
]
_SENTENCE = re.compile(r"[^।!?]+[।!?]")
# Off-topic text must never mention North Korea (only TOPIC_SENTENCES make a page on-topic).
_DPRK = ("কোরিয়", "কোরীয়", "পিয়ংইয়ং", "কিম", "কেসিএনএ", "চোয়ে")


def sentence_pool() -> list[str]:
    texts = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "seeds").glob("*.txt"))]
    if REALTEXT.is_dir():
        texts += [p.read_text(encoding="utf-8") for p in sorted(REALTEXT.glob("*.txt"))]
    pool = {normalize(s) for t in texts for s in _SENTENCE.findall(t)}
    dprk = [normalize(w) for w in _DPRK]
    pool = sorted(s for s in pool if 40 < len(s) < 400 and not any(w in s for w in dprk))
    if len(pool) < 200:
        raise RuntimeError(f"only {len(pool)} sentences: the mirror needs {REALTEXT}")
    return pool


def article_url(number: int) -> str:
    return f"{BASE}/international/news/{number}"


def published_at(number: int) -> datetime:
    # One article every 7 minutes, going back from a fixed day: distinct, plausible times.
    return datetime(2025, 9, 14, 22, 0, tzinfo=DHAKA) - timedelta(minutes=7 * (number - FIRST_ID))


def bengali_dateline(when: datetime) -> str:
    hour = when.hour % 12 or 12
    clock = f"{hour:02d}:{when.minute:02d}".translate(BN_DIGITS)
    half = "এএম" if when.hour < 12 else "পিএম"
    day = f"{when.day:02d}".translate(BN_DIGITS)
    year = str(when.year).translate(BN_DIGITS)
    return f"প্রকাশিত: {clock} {half}, {day} {BN_MONTHS[when.month - 1]} {year}"


def _headline(rng: random.Random, pool: list[str]) -> str:
    words = rng.choice(pool).split()
    return " ".join(words[: rng.randint(5, 9)]).rstrip("।,")


def _links(rng: random.Random, pool: list[str], count: int, css: str) -> str:
    items = "".join(
        f'<li class="{css}"><a href="{article_url(rng.randint(900_000, FIRST_ID))}">'
        f'<img src="https://cdn.jagonews24.com/media/thumb/{rng.randint(1, 99999)}.jpg" '
        f'alt="" width="120" height="68" loading="lazy">'
        f"<span>{html.escape(_headline(rng, pool))}</span></a></li>"
        for _ in range(count)
    )
    return f'<ul class="media-list {css}-list">{items}</ul>'


def _padding(rng: random.Random, pool: list[str], size: int) -> str:
    """Inline state and scripts, as news sites embed them, to bring the page to its size."""
    chunks: list[str] = []
    total = 0
    while total < size:
        state = {
            "id": rng.randint(1, 10**7),
            "headline": _headline(rng, pool),
            "summary": rng.choice(pool),
            "image": f"https://cdn.jagonews24.com/media/imgAllNew/{rng.randint(1, 10**6)}.jpg",
            "slot": f"div-gpt-ad-{rng.randint(1, 999)}",
        }
        chunk = json.dumps(state, ensure_ascii=False) + ","
        chunks.append(chunk)
        total += len(chunk.encode("utf-8"))
    return f"<script>window.__STATE__ = [{''.join(chunks)}null];</script>"


def article_page(number: int, rng: random.Random, pool: list[str]) -> str:
    url = article_url(number)
    sentences = rng.sample(pool, rng.randint(14, 30))
    if number % ON_TOPIC_EVERY == 0:
        sentences[1] = rng.choice(TOPIC_SENTENCES) + " " + sentences[1]
    title = _headline(rng, pool)
    paragraphs, i = [], 0
    while i < len(sentences):
        step = rng.randint(1, 3)
        paragraphs.append(" ".join(sentences[i : i + step]))
        i += step
    when = published_at(number)
    ld = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "mainEntityOfPage": {"@type": "WebPage", "@id": url},
        "headline": title,
        "datePublished": when.isoformat(),
        "author": {"@type": "Person", "name": "আন্তর্জাতিক ডেস্ক"},
        "publisher": {"@type": "Organization", "name": "Jago News 24"},
        "articleSection": "আন্তর্জাতিক",
        "keywords": "বিশ্ব রাজনীতি, আন্তর্জাতিক",
    }
    body = []
    for n, paragraph in enumerate(paragraphs):
        body.append(f"<p>{html.escape(paragraph)}</p>")
        if n == 2:
            body.append(
                f'<div class="ad-container hidden-print"><div id="div-gpt-ad-inread-{number}">'
                "<script>/* ad slot */</script></div><span>বিজ্ঞাপন</span></div>"
            )
    body.append(
        '<div class="well well-sm">পাঠকপ্রিয় অনলাইন নিউজ পোর্টাল জাগোনিউজ২৪.কমে লিখতে পারেন '
        "আপনিও। লেখার বিষয় ফিচার, ভ্রমণ, লাইফস্টাইল, ক্যারিয়ার, তথ্যপ্রযুক্তি, কৃষি ও প্রকৃতি।</div>"
    )
    nav = "".join(f'<li><a href="{BASE}/{slug}">{name}</a></li>' for slug, name in SECTIONS)
    footer = "".join(
        f'<li><a href="{BASE}/{slug}/archive/{y}">{name} {y}</a></li>'
        for slug, name in SECTIONS
        for y in range(2019, 2026)
    )
    head = (
        f'<!DOCTYPE html><html lang="bn"><head><meta charset="utf-8">'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{html.escape(title)} | আন্তর্জাতিক | জাগো নিউজ</title>"
        f'<meta name="description" content="{html.escape(paragraphs[0][:150])}">'
        f'<link rel="canonical" href="{url}">'
        f'<meta property="og:url" content="{url}"><meta property="og:title" '
        f'content="{html.escape(title)}">'
        f'<link rel="stylesheet" href="https://cdn.jagonews24.com/assets/css/style.css">'
        f'<script type="application/ld+json">{json.dumps(ld, ensure_ascii=False)}</script>'
        "</head>"
    )
    page = (
        f'<body class="details-page"><header class="header"><nav class="navbar main-menu">'
        f'<ul class="nav navbar-nav">{nav}</ul></nav>'
        f'<div class="tranding-tag-gray"><span>আলোচিত :</span>'
        f'<a href="{BASE}/topic/ইউক্রেন-সংকট">ইউক্রেন-সংকট</a>'
        f'<a href="{BASE}/topic/মধ্যপ্রাচ্য">মধ্যপ্রাচ্য</a></div></header>'
        f'<div class="container"><div class="ad-container"><div id="div-gpt-ad-top-{number}">'
        "<script>/* ad slot */</script></div></div>"
        f'<div class="row"><article class="col-sm-8 DetailsContent">'
        f'<ol class="breadcrumb"><li><a href="{BASE}">প্রচ্ছদ</a></li>'
        f'<li><a href="{BASE}/international">আন্তর্জাতিক</a></li></ol>'
        f'<h1 class="no-margin">{html.escape(title)}</h1>'
        f'<div class="details-author-info"><div class="author-info">'
        f'<a class="author-name" href="{BASE}/author/international-desk">আন্তর্জাতিক ডেস্ক</a>'
        f'<span class="time-with-author">{bengali_dateline(when)}</span></div>'
        f'<div class="social-share"><span>শেয়ার করুন</span>'
        f'<a href="https://www.facebook.com/sharer/sharer.php?u={url}">ফেসবুক</a></div></div>'
        f'<div class="featured-image"><img src="https://cdn.jagonews24.com/media/{number}.jpg" '
        f'alt=""><p class="img-caption">ছবি: সংগৃহীত</p></div>'
        f'<div class="content-details">{"".join(body)}</div>'
        f'<ul class="tags-list"><li><svg class="details-tags-icon"></svg></li>'
        f'<li><a href="{BASE}/topic/বিশ্ব-রাজনীতি">বিশ্ব রাজনীতি</a></li></ul>'
        f"<h2>আরও পড়ুন</h2>{_links(rng, pool, 12, 'related')}</article>"
        f'<aside class="col-sm-4"><h2>সর্বশেষ</h2>{_links(rng, pool, 30, "latest")}'
        f"<h2>সর্বাধিক পঠিত</h2>{_links(rng, pool, 30, 'popular')}</aside></div></div>"
        f'<footer><ul class="footer-links">{footer}</ul>'
        "<p>সম্পাদক: কে এম জিয়াউল হক। © ২০২৫ জাগো নিউজ ২৪ ডটকম</p></footer>"
    )
    target = rng.randint(MIN_BYTES, MAX_BYTES)
    used = len(head.encode("utf-8")) + len(page.encode("utf-8")) + 20
    return f"{head}{page}{_padding(rng, pool, max(0, target - used))}</body></html>"


def listing_page(numbers: list[int], rng: random.Random, pool: list[str]) -> str:
    items = "".join(
        f'<li><a href="{article_url(n)}">{html.escape(_headline(rng, pool))}</a></li>'
        for n in numbers
    )
    nav = "".join(f'<li><a href="{BASE}/{slug}">{name}</a></li>' for slug, name in SECTIONS)
    return (
        '<!DOCTYPE html><html lang="bn"><head><meta charset="utf-8"><title>আন্তর্জাতিক</title>'
        f'</head><body><nav><ul>{nav}</ul></nav><h1>আন্তর্জাতিক</h1><ul class="category-list">'
        f"{items}</ul></body></html>"
    )


def write_articles(folder: Path, count: int, seed: int = 9) -> None:
    """Article pages FIRST_ID .. FIRST_ID+count-1 under folder/international/news/."""
    news = folder / "international" / "news"
    news.mkdir(parents=True, exist_ok=True)
    pool = sentence_pool()
    for number in range(FIRST_ID, FIRST_ID + count):
        path = news / f"{number}.html"
        if path.exists():
            continue
        # A per-article generator: the page is the same whatever was generated before it.
        rng = random.Random(seed * 10_000_019 + number)
        path.write_text(article_page(number, rng, pool), encoding="utf-8")


def write_root(root: Path, articles: Path, count: int) -> None:
    """A document root listing the first `count` articles (newest first, as a site lists them)."""
    root.mkdir(parents=True, exist_ok=True)
    numbers = list(range(FIRST_ID, FIRST_ID + count))
    rng = random.Random(count)
    pool = sentence_pool()
    (root / "international.html").write_text(
        listing_page(numbers[:40], rng, pool), encoding="utf-8"
    )
    link = root / "international"
    if not link.exists():
        link.symlink_to(articles / "international", target_is_directory=True)
    sitemaps = root / "sitemaps"
    sitemaps.mkdir(exist_ok=True)
    parts = [numbers[i : i + SITEMAP_SIZE] for i in range(0, count, SITEMAP_SIZE)]
    index = "".join(
        f"<sitemap><loc>{BASE}/sitemaps/news-sitemap-{k}.xml</loc></sitemap>"
        for k in range(1, len(parts) + 1)
    )
    (sitemaps / "news-sitemap.xml").write_text(
        '<?xml version="1.0" encoding="UTF-8"?><sitemapindex '
        f'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{index}</sitemapindex>',
        encoding="utf-8",
    )
    for k, part in enumerate(parts, start=1):
        entries = "".join(
            f"<url><loc>{article_url(n)}</loc><lastmod>{published_at(n).isoformat()}</lastmod>"
            "</url>"
            for n in part
        )
        (sitemaps / f"news-sitemap-{k}.xml").write_text(
            '<?xml version="1.0" encoding="UTF-8"?><urlset '
            f'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{entries}</urlset>',
            encoding="utf-8",
        )


def build(workdir: Path, sizes: list[int]) -> dict[int, Path]:
    """Articles for max(sizes) and one document root per size; returns size -> root."""
    articles = workdir / "articles"
    write_articles(articles, max(sizes))
    roots = {}
    for size in sizes:
        roots[size] = workdir / f"site-{size}"
        write_root(roots[size], articles, size)
    return roots

from newswatch.outlet import OutletSpider


class BDNews24Spider(OutletSpider):
    """bdnews24.com Bangla edition, bangla.bdnews24.com (OUTLETS.md §6 "bdnews24 (Bangla)").

    Browser needed: S4 (2026-09-13) found that bdnews24 "answers 403 to anything that is not a
    browser, whatever User-Agent it sends"; S5 (2026-09-10) got a bot challenge. So the world
    section is a `js_listings` route, read in Chromium after its list is filled in; article pages
    that answer 403 are retried in the browser by the challenge fallback.

    Routes, and where each was seen:
    - the world section `/world` (S1 `bdnews24_bangla.py`: category slug `world`, pages at
      `https://bangla.bdnews24.com/<slug>`; pagination `a.next` / `a[rel=next]`, unverified);
    - articles `/world/<10-character code>`, e.g. `/world/ryhb4jvpfs` (a 2024 script, OUTLETS.md
      §6; S1 keeps links whose last segment is longer than 8 characters).
    Not declared: the news sitemap `https://bdnews24.com/news_sitemap.xml` (S4) is the English
    edition's; the section RSS widget `/world/?getXmlFeed=true&widgetId=1215510&widgetName=rssfeed`
    is named only by one config (unverified).

    Markup: headline `h1` and `meta[property="article:published_time"]` (S1). Assumed: the body
    `.article-content`, dateline `.pub-up` (`প্রকাশ : …` and `হালনাগাদ : …`), byline `.author`,
    section `.section-name`, tags `.tags-wrapper`, the script-filled `#category-news` list and its
    `আরও খবর` button.
    """

    name = "bdnews24"
    outlet_name = "bdnews24.com"
    allowed_domains = ["bangla.bdnews24.com"]
    base_url = "https://bangla.bdnews24.com"
    js_listings = ["/world"]
    js_load_more = "#load-more"
    # The section's script-filled list; the most-read sidebar is site-wide.
    listing_area = "#category-news"
    article_url = r"^https?://[^/?#]+/world/[a-z0-9]{10}$"
    selectors = {
        "title": "h1.details-title",
        "byline": ".author-info .author",
        "published": ".pub-up",
        "section": ".section-name a",
        "tags": ".tags-wrapper a",
        "body": ".article-content",
    }
    exclude = [".embedded-related"]

from newswatch.outlet import OutletSpider


class ProthomAloSpider(OutletSpider):
    """Prothom Alo, prothomalo.com (Quintype; OUTLETS.md §6 "Prothom Alo").

    Routes, and where each was seen:
    - RSS `/feed/` (verified by S5, 2026-09-10: 26 items); Google News sitemap
      `/news_sitemap.xml` (S4, 2026-09-13);
    - the section page `/world` (S3 derives its collection slug from the category URL's last
      segment: `world`, falling back to `world-all`); its JSON collection API
      `/api/v1/collections/world?offset=N&limit=20` (S3) is not an HTML listing and is not used;
    - articles are base URL + story slug (S3): `/world/<sub-section>/<slug>`, e.g.
      `/world/india/zwke9i8cc6`, `/world/europe/42azkj0kjf` (configs, OUTLETS.md §6) and newer
      transliterated slugs (P `prothomalo.com/bangladesh/senaabaahiniir-myaajisttresi-…`).

    Markup: headline the first `h1`; body `div[class*="story-element-text"] p` (both S3, 2026);
    JSON-LD NewsArticle `datePublished` (S3) gives the dates, and its `articleSection` the section.
    Assumed, not in a source: the byline `.contributor-name`, the printed dateline
    `প্রকাশ: <d> <month> <yyyy>, <HH>: <MM>` in `.time-social-share-wrapper`, tags as `/topic/`
    links in `.tag-list`, the `story-element-also-read` box.
    """

    name = "prothomalo"
    outlet_name = "Prothom Alo"
    allowed_domains = ["prothomalo.com"]
    base_url = "https://www.prothomalo.com"
    feeds = ["/feed/"]
    sitemaps = ["/news_sitemap.xml"]
    listings = ["/world"]
    # The section's story cards; the sidebar's latest/most-read lists are every section's.
    listing_area = ".section-stories"
    # World stories only: /world/<sub-section>/<slug>; the sub-section pages have one segment.
    article_url = r"^https?://[^/?#]+/world/[a-z-]+/[a-z0-9-]+$"
    selectors = {
        "title": "h1",
        "byline": ".contributor-name",
        "published": ".time-social-share-wrapper",
        "tags": ".tag-list a[href*='/topic/']",
        "body": "div[class*='story-element-text'] p",
    }

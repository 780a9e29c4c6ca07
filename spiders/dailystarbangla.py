from newswatch.outlet import OutletSpider


class DailyStarBanglaSpider(OutletSpider):
    """The Daily Star Bangla, bangla.thedailystar.net (source keys: /work/shared/OUTLETS.md).

    Routes, and where each was seen:
    - Google News sitemap `/googlenews.xml` (S5 fetched it on 2026-09-10: 112 items).
    - Today's news `/todays-news`, its links in `.todays-news-table` (S2, 2024); it lists every
      section, the topic filter keeps what matters.
    - Articles are `/news/<section>[/<sub>]/news-<id>` (`/news/asia/india/news-516151`, S6;
      `/news/bangladesh/news-415586`, code-index id 70903609349;
      `/news/bangladesh/accident-fire/news-726326`, 71365284688; link filter `a[href*="/news-"]`,
      60110293698).

    Markup: headline `h1.fw-700.e-mb-16` (S6, ~2023); body: the `p` of the first
    `.article-section` in `.block-content > div:first-child` (S2), which keeps the related list
    further down `.block-content` out; tags `.content-tags .tags > a` (S2). Drupal, like the
    English site, whose pages carry JSON-LD NewsArticle (S1's thedailystar spider); assumed here.
    The byline and date elements are this fixture's assumptions.
    """

    name = "dailystarbangla"
    outlet_name = "The Daily Star Bangla"
    allowed_domains = ["bangla.thedailystar.net"]
    base_url = "https://bangla.thedailystar.net"
    sitemaps = ["/googlenews.xml"]
    listings = ["/todays-news"]
    listing_area = ".todays-news-table"
    article_url = r"^https?://[^/?#]+/news/[a-z0-9-]+(?:/[a-z0-9-]+)*/news-\d+$"
    selectors = {
        "title": "h1.fw-700.e-mb-16",
        "byline": ".byline-wrapper .byline",
        "published": ".date-published",
        "section": ".breadcrumb a + a",
        "tags": ".content-tags .tags > a",
        "body": ".block-content > div:first-child .article-section > p",
    }

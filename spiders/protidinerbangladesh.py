from newswatch.outlet import OutletSpider


class ProtidinerBangladeshSpider(OutletSpider):
    """Protidiner Bangladesh, protidinerbangladesh.com (source keys: /work/shared/OUTLETS.md).

    Routes, and where each was seen:
    - Google News sitemap `https://protidinerbangladesh.com/news_sitemap.xml` (S5 fetched it on
      2026-09-10: 91 items; code-index id 66840980565). No feed is known.
    - Articles are `/<section>/<numeric id>/<percent-encoded Bengali slug>` on the bare host
      (`/feature/162549/…`, code-index id 70938542062; `/entertainment/61093/…`, 7542655712;
      `/feature/47658/…`, 20208720367). Section fronts are `/<section>` (`/opinion` in an RSS
      builder, 11476601064); the international one, `/international`, is assumed.

    Markup: nothing public shows it (OUTLETS.md "rest unknown"). The fixture's headline, dateline
    (`প্রকাশ : DD <month> YYYY hh:mm পিএম`), body and tag classes and its JSON-LD NewsArticle are
    assumptions, to be checked against the live site.
    """

    name = "protidinerbangladesh"
    outlet_name = "Protidiner Bangladesh"
    allowed_domains = ["protidinerbangladesh.com"]
    base_url = "https://protidinerbangladesh.com"
    sitemaps = ["/news_sitemap.xml"]
    listings = ["/international"]
    listing_area = ".category-news"
    # Anchored to the path, so share links that carry an article URL in a query do not match.
    article_url = r"^https?://[^/?#]+/[a-z-]+/\d+/[^/?#]+$"
    selectors = {
        "title": "h1.news-title",
        "byline": ".news-info .reporter",
        "published": ".publish-time .publish",
        "modified": ".publish-time .update-time",
        "section": ".news-details .breadcrumb li + li a",
        "tags": ".news-tags a",
        "body": ".news-content",
    }
    exclude = [".read-more-inline", ".advertisement"]

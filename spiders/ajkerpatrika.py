from newswatch.outlet import OutletSpider


class AjkerPatrikaSpider(OutletSpider):
    """Ajker Patrika, ajkerpatrika.com (source keys: /work/shared/OUTLETS.md).

    Routes, and where each was seen:
    - RSS `/feed` (S5 fetched it on 2026-09-10: 20 items; S4's config, code-index id
      67096776431) and Google News sitemap `/news-sitemap.xml` (S4, fetched 2026-09-13).
    - The world section `/world` (category বিশ্ব: S6's 2021 data; `/world/...` paths from S1's
      2026 URL builder `/{category}/{subcategory}/{news_slug}`). Topic pages `/topic/<tag>` (P;
      code-index id 68877774507) are not followed: a tag's slug is not known in advance.
    - Articles: `/<section>[/<subsection>]/ajp<10 letters/digits>` (S1 2026;
      `/national/ajpv5lsry5kvw` in code-index id 18883234585, `/ajpywx03miwcj` in 60030137119);
      pages link them with relative hrefs (68877774507). S1's JSON API
      `api.ajkerpatrika.com/api/v2/home` is unverified and not used.

    Markup (2025-26 layout): the article is `.story-details`, its text in `.block-full_richtext`
    blocks (a DOM check of the live site, code-index id 60030137119); a "We value your privacy"
    consent banner (same). Listing cards are `<a href><h2><span>title` (68877774507). The
    dateline keeps the 2021 form `প্রকাশ : ২১ মার্চ ২০২১, ১৭:২৮` (S6); `article:published_time`
    is read by S1. Title, byline, breadcrumb and tag classes are this fixture's assumptions; the
    2021 classes (`h1.title`, `span.tts_time`, `div.jw_article_body`; S6) are gone.
    """

    name = "ajkerpatrika"
    outlet_name = "Ajker Patrika"
    allowed_domains = ["ajkerpatrika.com"]
    base_url = "https://www.ajkerpatrika.com"
    feeds = ["/feed"]
    sitemaps = ["/news-sitemap.xml"]
    listings = ["/world"]
    # The section's own story list; sidebars hold every section's latest and most-read.
    listing_area = ".category-stories"
    article_url = r"^https?://[^/?#]+/(?:[a-z0-9-]+/){0,3}ajp[a-z0-9]{10}$"
    selectors = {
        "title": ".story-details h1",
        "byline": ".story-author .author-name",
        "published": ".story-date .published",
        "modified": ".story-date .updated",
        "section": ".story-details .breadcrumb a:nth-child(2)",
        "tags": ".story-tags a",
        "body": ".story-body .block-full_richtext",
    }

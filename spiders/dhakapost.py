from newswatch.outlet import OutletSpider


class DhakaPostSpider(OutletSpider):
    """Dhaka Post, dhakapost.com: Next.js, server-rendered (source keys: /work/shared/OUTLETS.md).

    Routes, and where each was seen:
    - RSS `/rss/rss.xml` and Google News sitemap `/sitemaps/news-sitemap.xml` (S4, which fetched
      and counted both on 2026-09-12);
    - the international section's own sitemap `/international/sitemaps.xml` (S3 reads
      `/{section}/sitemaps.xml` with `<lastmod>` as its main route: "no AJAX pagination");
    - the section page `/international` (S3 default categories).
    Articles are `/<section>/<id>` (S3, S1 data `/politics/420207`); only `/international/<id>`
    is followed. S5 saw a bot challenge on the home page (2026-09-10); S3 reads section pages,
    sitemaps and articles with plain HTTP, so no browser route is declared.

    Markup: `h1`; dates `meta[property=article:published_time]`, JSON-LD `datePublished`,
    `time[datetime]` (S3, in that order); body `div[class*="news-details"] p` (S3; S2 reads the
    first `article`'s `p`); tags `meta[property=article:tag]` or `a[href*="/topic/"]` (S3), the
    `article a[class*=bg]` pills (S2); listing links `a.group` (S2). Assumed: the byline element
    `.author-name`, the printed `প্রকাশিত: …` in the `time` element, the breadcrumb, the desk
    initials closing the text and the in-text `আরও পড়ুন :` link (both dropped by the pipeline).
    """

    name = "dhakapost"
    outlet_name = "Dhaka Post"
    allowed_domains = ["dhakapost.com"]
    base_url = "https://www.dhakapost.com"
    feeds = ["/rss/rss.xml"]
    sitemaps = ["/sitemaps/news-sitemap.xml", "/international/sitemaps.xml"]
    listings = ["/international"]
    listing_area = ".category-news"
    # Anchored to the path, so share links that carry an article URL in a query do not match.
    article_url = r"^https?://[^/?#]+/international/\d+$"
    selectors = {
        "title": "article h1",
        "byline": "article .author-name",
        "published": "article time[datetime]",
        "section": "article nav[aria-label=breadcrumb] a:last-child",
        "tags": "article a[href*='/topic/']",
        "body": "div[class*=news-details] p",
    }
    exclude = [".ad-slot", "figure"]

from newswatch.outlet import OutletSpider


class Banglanews24Spider(OutletSpider):
    """Banglanews24 (বাংলানিউজ২৪.কম), banglanews24.com: a Next.js site.

    Routes, and where each was seen (source keys of shared/OUTLETS.md §6):
    - articles are ``https://www.banglanews24.com/<section>/news/bd/<id>.details`` (S2, e.g.
      ``/national/news/bd/643440.details``; S1 2026 keeps the ``.details`` shape).
    - the international category ``/category/international`` (S1 2026; S2 2024 had
      ``/category/<Bengali name>/1``). Some pages come as a client-rendered shell with a
      ``.loader``/"Loading..." and no links or ``<p>`` (code-index id 29776923065), so it is a
      browser route; its list is ``.category-area`` and the ``.latest-readers-tab #latest``
      sidebar links every section (S2).
    - not declared: ``/rss.xml`` (S1's primary route, but S4 found no usable feed) and the
      daily sitemap ``/daily-sitemap/YYYY-MM-DD/sitemap.xml`` (S4, S1), whose URL needs the date.

    Markup: body ``div[class*='articleArea'] article p`` (code-index id 29776923065), JSON-LD
    NewsArticle for the dates (the same scraper reads ``datePublished`` first), tags
    ``.related_tag a`` (S2). Assumed: the CSS-module class names of the category, author and
    time blocks; the printed ``আপডেট: ১০৪৫ ঘণ্টা, এপ্রিল ৩০, ২০২৫`` dateline and the closing
    ``বাংলাদেশ সময়: … ঘণ্টা, …`` line with desk initials, which are not article text.
    """

    name = "banglanews24"
    outlet_name = "Banglanews24"
    allowed_domains = ["banglanews24.com"]
    base_url = "https://www.banglanews24.com"
    js_listings = ["/category/international"]
    listing_area = ".category-area"
    # Anchored, so share links that carry an article URL in a query do not match.
    article_url = r"^https?://[^/?#]+/international/news/bd/\d+\.details$"
    selectors = {
        "title": "div[class*='articleArea'] h1",
        "byline": "div[class*='articleArea'] [class*='author_']",
        "published": "div[class*='articleArea'] [class*='details_time']",
        "section": "div[class*='categoryName'] a",
        "tags": ".related_tag a",
        "body": "div[class*='articleArea'] article",
    }
    exclude = ["[class*='adArea']"]
    boilerplate = [r"^বাংলাদেশ সময়\s*:.*ঘণ্টা.*$"]

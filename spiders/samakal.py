from newswatch.outlet import OutletSpider


class SamakalSpider(OutletSpider):
    """Samakal, samakal.com (source keys: /work/shared/OUTLETS.md).

    Routes, and where each was seen:
    - RSS `https://samakal.com/rss` (S5 fetched it on 2026-09-10: 100 items; S1 notes it carries
      the full body);
    - Google News sitemap `/news_sitemap.xml` (S4, fetched 2026-09-13);
    - the international section `/international` (S1 category map `international`), older pages
      at `/international?page=N` (S1, unverified; the browser's "load more" is
      `POST /cat-load-more` with a Laravel `_token`, S3, not usable without a session).
    Articles are `/<section>/article/<id>/<Bengali slug>` (S1 data, e.g.
    `/sports/article/331549/…`; S3 extracts the id from `/article/(\\d+)`). Only international
    ones are followed: every feed and sitemap lists all sections.

    Markup: headline `h1` inside `div.dheading` (S3 2026, S6, S2); dateline `div.dateAndTime`,
    printed `প্রকাশ: ১৭ ফেব্রুয়ারি ২০২৬ | ০৫:৪৫`, 24-hour, optionally `| আপডেট: …` (S3, S6 2019);
    body `<p>` of `div#contentDetails` (S3 2026; `div.dNewsDesc` in S2 2024, the same element here);
    tags `div.tagArea` links (S3, S2: its first `li` is a label); section listing cards
    `.DCatLead`, `.Catcards`, `.CatListNews` and the sidebar `.DLatestNewsList` (S2); JSON-LD /
    meta dates with `+06:00` (S1 data). Assumed (no source): the byline element `.authorName`
    (the author is printed before `প্রকাশ:` in realtext `samakal_331549.txt`), the category link
    `.catName` and the in-body ad box `.adBox`.
    """

    name = "samakal"
    outlet_name = "Samakal"
    allowed_domains = ["samakal.com"]
    base_url = "https://samakal.com"
    feeds = ["/rss"]
    sitemaps = ["/news_sitemap.xml"]
    listings = ["/international"]
    listing_area = ".DCatLead, .Catcards, .CatListNews"
    next_page = "/international?page={page}"
    # Anchored to the path, so share links that carry an article URL in a query do not match.
    article_url = r"^https?://[^/?#]+/international/article/\d+(?:/[^/?#]*)?$"
    selectors = {
        "title": "div.dheading h1",
        "byline": ".dAuthorArea .authorName",
        "published": "div.dateAndTime",
        "section": "div.dheading a.catName",
        "tags": "div.tagArea a",
        "body": "div#contentDetails",
    }
    exclude = [".adBox", "figure"]

from newswatch.outlet import OutletSpider


class JugantorSpider(OutletSpider):
    """Jugantor, jugantor.com (OUTLETS.md §6 "Jugantor").

    Routes, and where each was seen:
    - articles `/<section>/<id>`, e.g. `https://www.jugantor.com/international/1046668` (S1 data,
      2025-12);
    - the international section page `/international` (S3, 2026: "extracts article links from
      category page HTML"; section key `international`). Its older items come from
      `/ajax/load/categorynews/<catId>/20/<page>/20?lastID=<id>` (S3), a JSON list, not an HTML
      listing, so it is not followed; `/ajax/load/latestnews/...` (S1) likewise.
    - not declared: `news_sitemap.xml` (one scraper, unverified); no usable feed (S4).
    S5 (2026-09-10) got a bot challenge; the challenge fallback retries such pages in the browser.

    Markup (S3, 2026): headline `h1.my-3`, dateline `p.desktopDetailPTime` (`প্রকাশ: <dd>
    <month> <yyyy>, <hh:mm> এএম|পিএম`, 12-hour), body `div.desktopDetailBody`, tags
    `div.desktopDetailTag a`, photo `div.desktopDetailPhotoDiv`. S1 data has ISO dates with
    +06:00 for Jugantor, so a JSON-LD `datePublished` is assumed; also assumed: the byline
    `.desktopDetailReporter`, the section link `.desktopDetailCat`, the in-text `.inside-news` box.
    """

    name = "jugantor"
    outlet_name = "Jugantor"
    allowed_domains = ["jugantor.com"]
    base_url = "https://www.jugantor.com"
    listings = ["/international"]
    # The section's own list; the সর্বশেষ sidebar is site-wide.
    listing_area = "#catNews"
    article_url = r"^https?://[^/?#]+/international/\d+$"
    selectors = {
        "title": "h1.my-3",
        "byline": ".desktopDetailReporter",
        "published": "p.desktopDetailPTime",
        "section": ".desktopDetailCat a",
        "tags": "div.desktopDetailTag a",
        "body": "div.desktopDetailBody",
    }
    exclude = [".inside-news", ".desktopDetailPhotoDiv"]

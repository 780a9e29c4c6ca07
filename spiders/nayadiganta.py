from newswatch.outlet import OutletSpider


class NayaDigantaSpider(OutletSpider):
    """Naya Diganta (নয়া দিগন্ত), dailynayadiganta.com.

    Routes, and where each was seen (source keys of shared/OUTLETS.md §6):
    - articles are ``https://www.dailynayadiganta.com/<section>[/<sub>]/<id>``, the id 10-14
      letters and digits with at least one capital or digit (S1 data 2025, e.g.
      ``/sports/cricket/4Yd1AYK05EJZ``; the same rule in a 2026 source config, code-index id
      67070790524).
    - the international section ``/international/`` (S1; code-index id 67070790524); its
      ``?page=N`` pages (S1, unverified) are not followed. Its story list is
      ``.archive-news-list`` (S2, 2024); the "latest" sidebar links every section's stories.
    - no usable feed (S4, S5); a daily sitemap ``/sitemap/YYYY-MM-DD.xml`` (S1, unverified) needs
      a date in its URL, which a declared route cannot carry.

    Markup (code-index id 67070790524, 2026, unless noted):
    - headline ``h1.post-title``; reporter/desk ``.post-reporters h5``;
    - dateline ``.post-publish-date`` (a ``time`` element); update time ``.post-update-date``
      (assumed, by analogy);
    - section: the ``.breadcrumb`` links (S2 2024 reads them as tags), second item;
    - body ``div.post-body .richtext``; featured image ``.post-featured-image``; no tags.
    """

    name = "nayadiganta"
    outlet_name = "Naya Diganta"
    allowed_domains = ["dailynayadiganta.com"]
    base_url = "https://www.dailynayadiganta.com"
    listings = ["/international/"]
    listing_area = ".archive-news-list"
    # Section path, then the id (S1's rule); anchored so share links do not match.
    article_url = (
        r"^https?://[^/?#]+/international(?:/[a-z-]+)*/(?=[a-z0-9]*[A-Z0-9])[A-Za-z0-9]{10,14}$"
    )
    selectors = {
        "title": "h1.post-title",
        "byline": ".post-reporters h5",
        "published": ".post-publish-date",
        "modified": ".post-update-date",
        "section": ".breadcrumb li:nth-child(2) a",
        "body": "div.post-body .richtext",
    }
    exclude = [".ad-slot"]

from newswatch.outlet import OutletSpider


class SomoyNewsSpider(OutletSpider):
    """Somoy News (সময় নিউজ), somoynews.tv: a script-rendered site behind a bot challenge.

    Routes, and where each was seen (source keys of shared/OUTLETS.md §6):
    - articles are ``https://www.somoynews.tv/news/<YYYY-MM-DD>/<slug>``: Bengali slugs until
      2023 (code-index ids 10005008531, 40728001984, 776624423), 8-character codes since 2024
      (``/news/2024-01-18/DWVJVYEW``, code-index id 70322588403; ``/news/2025-11-16/QBL60DW3``,
      69766313243); the site's GraphQL API builds the same ``/news/<date>/<slug>`` URL
      (code-index id 43954877616).
    - category pages ``/categories/<Bengali name>`` (``/categories/বাংলাদেশ``,
      ``/categories/আইন-ও-আদালত``: code-index ids 56747885985, 56998865390; crawled with
      Selenium in 10966999257 and 22106069643). The list fills in by script and older stories
      come with a Vuetify "load more" button (``.my-4 … v-btn--rounded … primary``, 10966999257),
      so this is a browser route. The homepage serves a bot challenge (S5); no usable feed (S4).
      ``/categories/আন্তর্জাতিক`` follows the naming of the others (assumed).

    Markup (code-index id 10966999257, an older Vuetify layout): reporter
    ``.pa-0.ma-0.text-md-h6.col.col-6``, dateline ``.d-inline.button``, section
    ``.button.primary--text.cursor-pointer``, body ``.description``; in-body "আরও পড়ুন"
    paragraphs (removed by the API reader in 43954877616; dropped here by the generic rule).
    Assumed: ``h1`` title, the tag chips, the Bengali dateline format.
    """

    name = "somoynews"
    outlet_name = "Somoy News"
    allowed_domains = ["somoynews.tv"]
    base_url = "https://www.somoynews.tv"
    js_listings = ["/categories/আন্তর্জাতিক"]
    js_load_more = "button.v-btn--rounded.primary"
    listing_area = ".news-list"
    # Anchored, so share links that carry an article URL in a query do not match.
    article_url = r"^https?://[^/?#]+/news/\d{4}-\d{2}-\d{2}/[^/?#]+$"
    selectors = {
        "title": ".news-details h1",
        "byline": ".pa-0.ma-0.text-md-h6.col.col-6",
        "published": ".d-inline.button",
        "section": ".button.primary--text.cursor-pointer",
        "tags": ".news-tags a",
        "body": ".news-details .description",
    }
    exclude = [".ad-container"]

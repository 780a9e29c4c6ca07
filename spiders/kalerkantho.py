from newswatch.outlet import OutletSpider


class KalerKanthoSpider(OutletSpider):
    """Kaler Kantho, kalerkantho.com (OUTLETS.md §6 "Kaler Kantho").

    Routes, and where each was seen:
    - articles `/online/<section>/YYYY/MM/DD/<id>`: `/online/world/2025/05/20/1520141`
      (OUTLETS.md §6), `/online/Politics/2024/09/18/1426615` (P); S1 `kalerkantho.py` builds the
      same shape from its API's `cat_name.slug`, `f_date` and `n_id`;
    - the world section page `/online/world` (S1's category slugs are the path after
      `/online/`); S1 lists articles through the JSON API
      `en.api-kalerkantho.com/api/online/<category>?page=N`, which is not an HTML listing;
    - not declared: the daily sitemap `/daily-sitemap/YYYY-MM-DD/sitemap.xml` (S4 fetched it on
      2026-09-13; S1) has the date in its URL, which `sitemaps` cannot express; no usable RSS (S4).
    S5 (2026-09-10) got a bot challenge on the homepage; the challenge fallback retries such a
    page in the browser.

    Markup: the text is the `p` of `div.single_news div.newsArticle article.my-5` (S1
    `kalerkantho.py` @43d6af34), paragraphs `<p style="text-align:justify">` (P). Assumed: the
    headline `h1`, the desk byline `.author .name` (`কালের কণ্ঠ অনলাইন`), the dateline
    `.publish-time` (`১৭ জুন, ২০২৫ ১৯:৪৮`, 24-hour), the breadcrumb section and the tag links.
    """

    name = "kalerkantho"
    outlet_name = "Kaler Kantho"
    allowed_domains = ["kalerkantho.com"]
    base_url = "https://www.kalerkantho.com"
    listings = ["/online/world"]
    # The section's own list; the সর্বশেষ sidebar is site-wide.
    listing_area = ".cat-news"
    article_url = r"^https?://[^/?#]+/online/world/\d{4}/\d{2}/\d{2}/\d+$"
    selectors = {
        "title": ".single_news h1",
        "byline": ".single_news .author .name",
        "published": ".single_news .publish-time",
        "section": ".breadcrumb a.cat",
        "tags": ".newsArticle .tags a",
        "body": "div.single_news div.newsArticle article.my-5 p",
    }

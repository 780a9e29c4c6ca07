from newswatch.outlet import OutletSpider


class AmaderShomoySpider(OutletSpider):
    """Dainik Amader Shomoy: amadershomoy.com until ~2019 (`/bn/2019/04/23/862110.htm`, P), now
    www.dainikamadershomoy.com (S3 and S1, 2026; S2, 2024). Source keys: /work/shared/OUTLETS.md.

    Routes, and where each was seen:
    - The international category `/category/international` (category pages `/category/<slug>`:
      S2 used `/category/sarades`; S1 writes `/category/all/<slug>/`, unverified). The page is
      Nuxt, server-rendered: its `__NUXT_DATA__` state keeps the category's own list under
      `category_all_news`, apart from the sidebars' `latest_recent` (S3, code-index id
      68598225776), and the same lists are rendered as links.
    - Articles are `/details/<slug>`, the slug 10-16 hex digits (S3: `^[0-9a-f]{12}$` and
      `{10,16}`; S1 follows `a[href*="/details/"]`). S3 reads each article from a JSON API
      (`/api/news/<slug>`), which is not needed: the article page is server-rendered too.
    - No feed or sitemap is known (OUTLETS.md: "sitemap ?").

    Markup: headline `h1` (S1, also `h1.test`); dateline `p.publish-time` (S1) printing
    `১৮ ফেব্রুয়ারি ২০২৬, ১১:৩৮ এএম` (S3's API field), after `প্রকাশিত:` (P, 2019 layout);
    body `.sub-content .content p` (S2, 2024) / `.description p` (S1); tags `.btm-tags a` (S2).
    Byline and section elements are this fixture's assumptions.
    """

    name = "amadershomoy"
    outlet_name = "Amader Shomoy"
    allowed_domains = ["dainikamadershomoy.com", "amadershomoy.com"]
    base_url = "https://www.dainikamadershomoy.com"
    listings = ["/category/international"]
    listing_area = ".category-all-news"
    article_url = r"^https?://[^/?#]+/details/[0-9a-f]{10,16}$"
    selectors = {
        "title": ".sub-content h1",
        "byline": ".author-date .author",
        "published": "p.publish-time",
        "section": ".sub-content .category-name a",
        "tags": ".btm-tags a",
        "body": ".sub-content .content",
    }
    exclude = [".inner-ads", ".also-read"]

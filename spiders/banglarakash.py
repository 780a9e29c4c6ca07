from newswatch.outlet import OutletSpider


class BanglarAkashSpider(OutletSpider):
    """Banglar Akash, banglarakash.com: WordPress under /blog/, ThemesBazar "LatestNews" theme.

    Routes, and where each was seen (OUTLETS.md §3 source keys):
    - WordPress at `http://banglarakash.com/blog/`, category listings
      `/blog/category/<percent-encoded Bengali slug>` with no trailing slash (P: stored copies of
      `/blog/category/%e0%a6%9c…/page/71` and `/blog/2024/08/14`). The international category is
      assumed to be আন্তর্জাতিক under its default WordPress slug (unverified).
    - Search: WordPress `/blog/?s=<query>` (OUTLETS.md §3, standard WordPress, unverified).
    - Article permalinks: unknown (OUTLETS.md). `/blog/archives/<id>` is assumed: WordPress's
      "Numeric" structure, which gives archive URLs without a trailing slash as seen above.

    Markup: S8 `single.php` (moperabby/LatestNews, 2024-12) and seed 003:
    - headline `.single-title h3` (no h1); category `.single-cat-cate a`;
    - reporter `.reportar-title`: post meta or the theme default, on this site
      `বাংলার আকাশ নিউজ ২৪ ডট কম Email:banglarakashnews24@gmail.com` (the e-mail is cleaned off);
    - dateline: first `li` of `.sgl-page-views-count` (`Update Time : Tuesday, September 5,
      2023,`: date only, S8 option `site-content` 2); the time comes from `article:*` meta;
    - body `.single-dtls` (`the_content()`), holding the Sassy Social Share "Spread the love"
      box before and after the text (seed 003) and classic-editor `[caption]` boxes;
    - no tags are printed by the theme.
    """

    name = "banglarakash"
    outlet_name = "Banglar Akash"
    allowed_domains = ["banglarakash.com"]
    base_url = "http://banglarakash.com"
    listings = [
        # /blog/category/আন্তর্জাতিক
        "/blog/category/%e0%a6%86%e0%a6%a8%e0%a7%8d%e0%a6%a4%e0%a6%b0%e0%a7%8d%e0%a6%9c%e0%a6%be%e0%a6%a4%e0%a6%bf%e0%a6%95",
    ]
    # Anchored to the path, so share links that carry a post URL in a query do not match.
    article_url = r"^https?://[^/?#]+/blog/archives/\d+$"
    # WordPress's own search, queried with the topics' search phrases (the theme's search.php
    # lists results like the category page).
    searches = ["/blog/?s={query}"]
    # The category's own post list (archive.php); the sidebars list every section's posts.
    listing_area = ".archive-page-section .archive_page"
    selectors = {
        "title": ".single-title h3",
        "byline": ".reportar-title",
        "published": ".sgl-page-views-count li:first-child",
        "section": ".single-cat-cate a",
        "body": ".single-dtls",
    }
    exclude = [
        ".heateor_sss_sharing_container",
        ".heateorSssClear",
        ".wp-caption",
    ]

from newswatch.outlet import OutletSpider


class IttefaqSpider(OutletSpider):
    """Daily Ittefaq, ittefaq.com.bd (source keys: /work/shared/OUTLETS.md).

    Routes, and where each was seen:
    - RSS `/feed/` (S5 fetched it on 2026-09-10: 100 items);
    - Google News sitemap `/news-sitemap.xml` (S4, 2026-09-13: "answers with a thousand");
    - the world section `/world-news`, "বিশ্ব সংবাদ" (S3 section map; section list of a 2025
      scraper, code-index id 61093096756). Older items come from a "load more" API
      (`/api/theme_engine/get_ajax_contents` with widget and page ids, S3), not a page URL, so
      no pagination is declared.
    Articles are `/<numeric id>/<Bengali slug>` in every section (S3: a link whose first path
    segment is numeric; OUTLETS.md `/671144/…`).

    Markup (the CMS Ittefaq shares with Bangla Tribune and Ajker Patrika): listing cards
    `div.each` > `h2.title a.link_overlay` with `span.time[data-published]` (61093096756); headline
    `h1.title.mb10`, section `h2.secondary_logo`, dateline row `div.each_row.time` and tags
    `div.topic_list` (asif-saad/News-Article-Dataset Ittefaq crawler, code-index id 24769105569;
    tags `.topic_list a` also S2); dateline `span.tts_time` printed `প্রকাশ : <date>, <time>
    পূর্বাহ্ন/অপরাহ্ন` (S3, which strips the label); `article:published_time` meta (S3); body
    paragraphs `p.alignfull` (S2) in `div.jw_article_body` (61093096756); JSON-LD blocks
    Organization, WebSite, then NewsArticle with author and datePublished (61093096756).
    Assumed: the byline element `.each_row.author`, the in-text related link `.inline_related`
    and ad slot `.ads`.
    """

    name = "ittefaq"
    outlet_name = "Daily Ittefaq"
    allowed_domains = ["ittefaq.com.bd"]
    base_url = "https://www.ittefaq.com.bd"
    feeds = ["/feed/"]
    sitemaps = ["/news-sitemap.xml"]
    listings = ["/world-news"]
    listing_area = "div.each h2.title"
    # Anchored to the path, so share links that carry an article URL in a query do not match.
    article_url = r"^https?://[^/?#]+/\d+/[^/?#]+$"
    selectors = {
        "title": "h1.title",
        "byline": ".detail_holder .each_row.author",
        "published": "div.each_row.time span.content_published_time",
        "section": "h2.secondary_logo",
        "tags": "div.topic_list a",
        "body": "div.jw_article_body p.alignfull",
    }
    exclude = [".inline_related", ".ads"]

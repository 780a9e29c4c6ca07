from newswatch.outlet import OutletSpider


class USBanglaNewsSpider(OutletSpider):
    """US Bangla News, usbangla24.news: a Bengali news site of the New York diaspora (WordPress).

    Identification: a stored copy of https://usbangla24.news/<post slug> (pages corpus, found on
    2026-11-23 by searching seed 001/000 sidebar headlines) prints seed 000's exact page order:
    the desk line `ইউ এস বাংলা নিউজ ডেক্স`, then `আরও খবর` with other headlines, then the
    headline; its theme is "pitwmeganews" (its asset paths). OUTLETS.md §4 had guessed the older
    domain usbanglanews.com (S11, a NYC media directory).

    Seen: WordPress post-name permalinks at the root, the Bengali slug percent-encoded in lower
    case (`/%e0%a6%9c...-2`); uploads under /wp-content/uploads/YYYY/MM/. Assumed (standard
    WordPress): RSS `/feed/`, the international category `/category/international/`.

    Markup (assumed WordPress theme markup, in seed 000's order): desk line `.reporter-name`
    before a `আরও খবর` block, then `h1.entry-title`, the dateline in `time.entry-date`, the text
    in `.entry-content`, tags `.tags-links`, category `.cat-links`; `article:published_time`
    carries the New York time and offset.
    """

    name = "usbanglanews"
    outlet_name = "US Bangla News"
    allowed_domains = ["usbangla24.news"]
    base_url = "https://usbangla24.news"
    feeds = ["/feed/"]
    listings = ["/category/international/"]
    # The category's own post list; the sidebar's latest posts are every section's.
    listing_area = ".archive-posts"
    # A post is one path segment at the root (its slug); WordPress's own paths are not posts.
    # Anchored, so share links that carry a post URL in a query do not match.
    article_url = (
        r"^https?://[^/?#]+/(?!(?:category|tag|author|page|feed|wp-[a-z]+)(?:/|$))[^/?#]+/?$"
    )
    selectors = {
        "title": "h1.entry-title",
        "byline": ".reporter-name",
        "published": "time.entry-date",
        "section": ".cat-links a",
        "tags": ".tags-links a[rel=tag]",
        "body": ".entry-content",
    }
    exclude = [".wp-caption", ".sharedaddy"]

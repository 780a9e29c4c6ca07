from newswatch.outlet import OutletSpider


class USBanglaNewsSpider(OutletSpider):
    """US Bangla News, usbanglanews.com: a Bengali news site from Brooklyn, New York.

    Identification (OUTLETS.md §4): S11 lists "US Bangla News", website `http://usbanglanews.com/`,
    e-mail usbanglanews24@gmail.com, editor Abu Sayeed; seed 000's desk line `ইউ এস বাংলা নিউজ
    ডেক্স` is its Bengali name. No code, page or config of the site was found (OUTLETS.md; pages
    search for the domain on 2026-11-23 found none either), so everything below the name is
    assumed and marked so in tests/fixtures/usbanglanews/SOURCES.md.

    Routes (assumed: WordPress, which OUTLETS.md §4 suggests for New York Bangla sites, with
    the standard routes of OUTLETS.md §3): RSS `/feed/`; the international category
    `/category/international/`; numeric permalinks `/archives/<id>`.

    Markup (assumed WordPress theme markup, with seed 000's order): desk line `.reporter-name`
    printed *before* a `আরও খবর` block of other headlines (seed 000), then `h1.entry-title`,
    the dateline in `time.entry-date`, the text in `.entry-content`, tags `.tags-links`,
    category `.cat-links`; `article:published_time` carries the New York time and offset.
    """

    name = "usbanglanews"
    outlet_name = "US Bangla News"
    allowed_domains = ["usbanglanews.com"]
    base_url = "http://usbanglanews.com"
    feeds = ["/feed/"]
    listings = ["/category/international/"]
    # The category's own post list; the sidebar's latest posts are every section's.
    listing_area = ".archive-posts"
    # Anchored to the path, so share links that carry a post URL in a query do not match.
    article_url = r"^https?://[^/?#]+/archives/\d+$"
    selectors = {
        "title": "h1.entry-title",
        "byline": ".reporter-name",
        "published": "time.entry-date",
        "section": ".cat-links a",
        "tags": ".tags-links a[rel=tag]",
        "body": ".entry-content",
    }
    exclude = [".wp-caption", ".sharedaddy"]

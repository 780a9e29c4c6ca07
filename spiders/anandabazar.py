from newswatch.outlet import OutletSpider


class AnandabazarSpider(OutletSpider):
    """Anandabazar Patrika, anandabazar.com: Kolkata, Indian Bengali (bn-IN), Indian time.

    Routes, and where each was seen (source keys: /work/shared/OUTLETS.md):
    - The world section `/world` (বিদেশ). Articles are `/world/<english-slug>-dgtl/cid/<id>`
      (`-prnt` for print stories): several 2026 configs, e.g. code-index ids 68941430365,
      70965116783, 68856476217.
    - Section feeds `/rss/<section>` (`/rss/politics`, `/rss/business` in configs, code-index ids
      54138464684, 27672311705), so `/rss/world` here; unverified, and one document reports
      `/rss` answering 403 (Akamai) to a non-browser (69044276659). The section page is the
      route to rely on.

    Markup: nothing public shows it (OUTLETS.md: "rest unknown"). The fixture assumes a JSON-LD
    NewsArticle whose `datePublished` carries +05:30: the printed dateline
    (`শেষ আপডেট: ১৩ সেপ্টেম্বর ২০২৩ ১৯:৪০`) has no zone and would otherwise be read as
    Dhaka time. All class names are this fixture's assumptions.
    """

    name = "anandabazar"
    outlet_name = "Anandabazar Patrika"
    language = "bn-IN"
    allowed_domains = ["anandabazar.com"]
    base_url = "https://www.anandabazar.com"
    feeds = ["/rss/world"]
    listings = ["/world"]
    listing_area = ".section-stories"
    article_url = r"^https?://[^/?#]+/world/[a-z0-9-]+/cid/\d+$"
    selectors = {
        "title": "h1.articletitle",
        "byline": ".abp-author .author-name",
        "published": ".abp-date",
        "section": ".articlecontent .breadcrumb a + a",
        "tags": ".tagbox a",
        "body": ".articlebody",
    }
    exclude = [".also-read-box", ".adbox"]

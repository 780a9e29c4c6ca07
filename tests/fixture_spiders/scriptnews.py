from newswatch.outlet import OutletSpider


class ScriptNewsSpider(OutletSpider):
    """A fixture outlet whose latest-news list is filled by script, with a "load more" button."""

    name = "scriptnews"
    outlet_name = "Script News"
    allowed_domains = ["scriptnews.example"]
    base_url = "https://www.scriptnews.example"
    js_listings = ["/latest"]
    listing_area = "ul.latest"
    js_load_more = "button.load-more"
    article_url = r"^https?://[^/?#]+/international/news/\d+$"
    selectors = {
        "title": "h1",
        "published": "span.time-with-author",
        "body": "div.content-details",
    }

from newswatch.outlet import OutletSpider


class BBCBanglaSpider(OutletSpider):
    """BBC News বাংলা, bbc.com/bengali (source keys: /work/shared/OUTLETS.md).

    Routes, and where each was seen:
    - RSS `https://feeds.bbci.co.uk/bengali/rss.xml` (S5 fetched it on 2026-09-10: 14 items);
      its links carry `?at_medium=…` campaign parameters (code-index id 68878366207 strips
      `?at_medium=rss` from BBC Bangla article links);
    - the world topic page `/bengali/topics/c907347rezkt` (S1 category map, S2 start URL), older
      pages at `?page=N` (S1; code-index id 68878366207 builds `…/topics/<id>?page=3`).
    Articles are `/bengali/articles/c…o` (S1 data `cqjgjzg2v0jo`; Simorgh's Cypress config
    `c6p3yp5zzmeo`, code-index id 35988404532), legacy `/bengali/news-<id>` pages are not followed.

    Markup: the pages are server-rendered by Simorgh (S12), so no browser is needed: text in
    `main p[dir=ltr]` and tags `[aria-labelledby="related-topics"] a` (S2), page data also in
    `script#__NEXT_DATA__` (S1). Dates come from the JSON-LD article (UTC); the printed date is
    the `time` element. BBC prints no section. The byline block `section[aria-labelledby=
    article-byline]` with visually hidden labels is modelled on Simorgh's article page (not in
    the sources); desk stories have none, and the JSON-LD `author` (the service) is the byline.
    Dropped from the text: the "আরো পড়তে পারেন:" label before in-text link lists and the
    WhatsApp channel promo (both printed as `p[dir=ltr]`; the promo is in realtext
    `bbcbangla_cqjgjzg2v0jo.txt`), and image captions (`figure`).
    """

    name = "bbcbangla"
    outlet_name = "BBC News বাংলা"
    allowed_domains = ["bbc.com", "feeds.bbci.co.uk"]
    base_url = "https://www.bbc.com"
    feeds = ["https://feeds.bbci.co.uk/bengali/rss.xml"]
    listings = ["/bengali/topics/c907347rezkt"]
    listing_area = "main"
    next_page = "/bengali/topics/c907347rezkt?page={page}"
    # Anchored to the path; the feed's campaign query is allowed.
    article_url = r"^https?://[^/?#]+/bengali/articles/c[0-9a-z]{10,12}o(?:\?[^#]*)?$"
    selectors = {
        "title": "main h1#content",
        "byline": "[aria-labelledby=article-byline] li:first-child span:not(.visually-hidden)",
        "published": "main time",
        "tags": "[aria-labelledby=related-topics] a",
        "body": "main p[dir=ltr]",
    }
    exclude = ["figure"]
    boilerplate = [
        r"^(?:আরো|আরও) পড়তে পারেন\s*[:ঃ]?$",
        r"^বিবিসি বাংলার হোয়াটসঅ্যাপ চ্যানেল ফলো করতে এখানে ক্লিক/ট্যাপ করুন$",
    ]

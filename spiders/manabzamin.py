from newswatch.outlet import OutletSpider


class ManabZaminSpider(OutletSpider):
    """Manab Zamin (মানবজমিন), mzamin.com.

    Routes, and where each was seen (source keys of shared/OUTLETS.md §6):
    - articles are ``https://mzamin.com/news.php?news=<id>`` (S6, 2023: its crawler walked the ids;
      S2; realtext ``manabzamin_78132/78143``); the world section is called বিশ্বজমিন (S6).
    - category pages are ``/category.php?cat=<id>`` (S2 ``cat=8``; code-index ids 19622121844,
      66357048392 and 2247552900 list ``cat=1``…``cat=4``); S1's ``?category=<id>&page=N`` form is
      unverified. Which id is বিশ্বজমিন is not in any source: ``cat=3`` is assumed. A category
      page lists each story as ``div.col-sm-8.col-7 > h4 > a`` (code-index id 1640901122); the
      "most read" sidebar beside it links other sections' stories at the same URL shape, so only
      the list column is read (its class is assumed). No feed (S5), no sitemap known.

    Markup (S6 2023 crawler, realtext):
    - headline ``h1.lh-base.fs-1``; section ``h4.sectitle``;
    - dateline: the text right after the ``h5`` in ``div.col-sm-8``, printed as
      ``(৩ মাস আগে) ১২ অক্টোবর ২০২৩, বৃহস্পতিবার, ১২:১৩ অপরাহ্ন``; the ``h5`` holding the desk
      (``মানবজমিন ডেস্ক``) is this fixture's assumption. A bare text node cannot be selected by
      CSS, so the dateline is read from the whole ``div.col-sm-8`` and carries the desk name;
    - body ``div.col-sm-10.offset-sm-1.fs-5.lh-base.mt-4.mb-5`` (S6) with in-body ``.card-body``
      boxes that S2 removes, and an in-body ad label ``বিজ্ঞাপন`` (realtext 78143);
    - no tags, JSON-LD or ``article:*`` dates known; OpenGraph only.
    """

    name = "manabzamin"
    outlet_name = "Manab Zamin"
    allowed_domains = ["mzamin.com"]
    base_url = "https://mzamin.com"
    listings = ["/category.php?cat=3"]
    listing_area = ".categoryNews"
    # Anchored, so share links that carry an article URL in their query do not match.
    article_url = r"^https?://[^/?#]+/news\.php\?news=\d+$"
    selectors = {
        "title": "h1.lh-base.fs-1",
        "byline": "article div.col-sm-8 h5",
        "published": "article div.col-sm-8",
        "section": "h4.sectitle",
        "body": "div.col-sm-10.offset-sm-1.fs-5.lh-base.mt-4.mb-5",
    }
    exclude = [".card-body", ".adsBox"]

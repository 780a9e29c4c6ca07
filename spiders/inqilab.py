from newswatch.outlet import OutletSpider


class InqilabSpider(OutletSpider):
    """Daily Inqilab, dailyinqilab.com.

    Routes, and where each was seen (source keys of shared/OUTLETS.md):
    - articles are ``https://dailyinqilab.com/<section>/news/<id>`` (S6, 2023: the crawler walked
      ``/international/news/<id>``); ``dailyinqilab.com`` and ``www.dailyinqilab.com`` both serve
      it (P). Only the international section is followed here: its listing also links other
      sections' articles (sidebars), which are off the topic's beat.
    - the section listing is ``/international``; further pages are
      ``/index.php/international?page=N`` (P, ``index.php/national?page=1878``), not needed for a
      run that looks for new articles only.

    Markup:
    - title: the ``h2`` in ``div.col-md-9.mt-3`` (S6, 2023);
    - dateline: ``p.news-date-time`` (S6, 2023), printed as ``১২ নভেম্বর ২০২৪, ১১:৩১ এএম |
      আপডেট: …`` (seed 004); the page header bar's date (``ঢাকা বৃহস্পতিবার, … | ৩০ কার্তিক
      ১৪৩১``) is the day the page was viewed, not the article's;
    - body: ``<p>`` in ``div.description`` (S6, 2023), inside ``.new-details`` (S2, 2024), with
      ``&nbsp;`` spacer paragraphs (seed 004);
    - section: ``a.active`` (S6, 2023), the link of the ``বিভাগ : আন্তর্জাতিক`` line after the
      body (seed 004), inside ``.breadcrumb`` (S2, 2024, which read it as tags);
    - byline: desk names such as ``Daily Inqilab অনলাইন ডেস্ক`` (seed 004); its element class is
      not in any source (``.reporter-name`` is this fixture's assumption);
    - tags: none known; JSON-LD and ``article:*`` meta: unknown (OUTLETS.md), so the printed
      dateline dates the record.
    """

    name = "inqilab"
    outlet_name = "Daily Inqilab"
    allowed_domains = ["dailyinqilab.com"]
    base_url = "https://dailyinqilab.com"
    listings = ["/international"]
    # Anchored to the path, so share links that carry an article URL in a query do not match.
    article_url = r"^https?://[^/?#]+/international/news/\d+$"
    selectors = {
        "title": "div.col-md-9.mt-3 h2",
        "byline": ".reporter-name",
        "published": "p.news-date-time",
        "section": ".breadcrumb a.active",
        "body": "div.description p",
    }
    exclude = [".ads-inner"]  # in-article ad slot and its label

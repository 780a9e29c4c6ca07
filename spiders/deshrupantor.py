from newswatch.outlet import OutletSpider


class DeshRupantorSpider(OutletSpider):
    """Desh Rupantor, deshrupantor.com (source keys: /work/shared/OUTLETS.md).

    Routes, and where each was seen:
    - RSS `/feed` (S5 fetched it on 2026-09-10: 100 items; `https://www.deshrupantor.com/feed`
      also in a PHP feed list, code-index id 70792118199).
    - Google News sitemap `/news-sitemap.xml` (S4, fetched 2026-09-13).
    - International section `/international-news`: the section's date archive is
      `/international-news/YYYY/MM/DD` (P, `deshrupantor.com/international-news/2023/05/29`), so
      this is the section's slug. S1 (2026-04) guesses `/category/<slug>?page=N` instead
      (unverified); older pages load by script, so no `next_page` is declared.
    - Articles are `/<numeric id>/<percent-encoded Bengali slug>` (S1's link filter `/\\d{5,}/`;
      `https://www.deshrupantor.com/664358/<slug>` in a 2026 news list, code-index id
      53592818328).

    Markup: nothing public shows Desh Rupantor's article HTML (OUTLETS.md: "selectors unknown").
    Its images are served as `cdn.deshrupantor.net/...?jadewits_media_id=N` (53592818328), i.e.
    from the Jadewits news CMS, so the pages are modelled on that CMS's article markup as S6
    read it on Ajker Patrika (2021): `h1.title`, `span.tts_time.content_published_time`
    (`প্রকাশ : ২১ মার্চ ২০২১, ১৭:২৮`), body `div.viewport.jw_article_body`, section in
    `.breadcrumb li strong`, tags in `.more_and_tag`. `article:published_time` meta: S1 reads it
    for this outlet. The byline element and the in-article related box are assumptions.
    """

    name = "deshrupantor"
    outlet_name = "Desh Rupantor"
    allowed_domains = ["deshrupantor.com"]
    base_url = "https://www.deshrupantor.com"
    feeds = ["/feed"]
    sitemaps = ["/news-sitemap.xml"]
    listings = ["/international-news"]
    # The section's own list; the sidebars list other sections' articles under the same URLs.
    listing_area = ".jw_category_news_list"
    # Anchored to the path, so share links that carry an article URL in a query do not match.
    article_url = r"^https?://[^/?#]+/\d{5,}/[^/?#]+$"
    selectors = {
        "title": "h1.title",
        "byline": ".jw_detail_author .author .name",
        "published": "span.tts_time.content_published_time",
        "modified": "span.tts_time.content_update_time",
        "section": ".breadcrumb li + li strong",
        "tags": ".more_and_tag a",
        "body": "div.viewport.jw_article_body",
    }
    exclude = [".jw_related_inline", ".jw_ad_inarticle"]

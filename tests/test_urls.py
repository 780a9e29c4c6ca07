"""URL canonicalisation on the outlets' real URL variants."""

from __future__ import annotations

import pytest

from newswatch.urls import canonical_url, url_key

JAGO = "jagonews24.com/international/news/1079800"


@pytest.mark.parametrize(
    "variant",
    [
        "https://www.jagonews24.com/international/news/1079800",
        "http://www.jagonews24.com/international/news/1079800",
        "https://jagonews24.com/international/news/1079800/",
        "https://m.jagonews24.com/international/news/1079800",
        "https://www.jagonews24.com/amp/international/news/1079800",
        "https://www.jagonews24.com/international/news/1079800/amp",
        "https://www.jagonews24.com/international/news/1079800?amp=1",
        "https://www.jagonews24.com/international/news/1079800?utm_source=facebook&utm_medium=social",
        "https://www.jagonews24.com/international/news/1079800?fbclid=IwAR0abc#comments",
        "HTTPS://WWW.JAGONEWS24.COM/international/news/1079800",
    ],
)
def test_every_variant_of_an_article_url_has_one_key(variant):
    assert url_key(variant) == JAGO


def test_percent_encoded_and_raw_bengali_slugs_are_one_url():
    encoded = (
        "https://samakal.com/sports/article/331549/"
        "%E0%A6%85%E0%A6%B8%E0%A7%8D%E0%A6%9F%E0%A7%8D%E0%A6%B0%E0%A7%87%E0%A6%B2%E0%A6%BF"
    )
    raw = "https://samakal.com/sports/article/331549/অস্ট্রেলি"
    assert canonical_url(raw) == canonical_url(encoded)
    assert url_key(raw) == url_key(encoded.lower())


def test_query_identified_articles_keep_their_identity():
    assert url_key("https://mzamin.com/news.php?news=78132") != url_key(
        "https://mzamin.com/news.php?news=78143"
    )
    assert (
        url_key("http://banglarakash.com/blog/?p=12&utm_campaign=x") == "banglarakash.com/blog?p=12"
    )


def test_canonical_url_stays_fetchable():
    assert (
        canonical_url("https://www.jagonews24.com/international/news/1079800?utm_source=x#top")
        == "https://www.jagonews24.com/international/news/1079800"
    )


def test_a_slug_with_either_encoding_of_ya_is_one_article():
    from urllib.parse import quote

    precomposed = "https://www.deshrupantor.com/international/2025/01/01/রাশি\u09dfা"
    decomposed = "https://www.deshrupantor.com/international/2025/01/01/রাশি\u09af\u09bcা"
    assert url_key(quote(precomposed, safe=":/")) == url_key(decomposed)

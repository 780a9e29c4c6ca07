"""The outlet reader reads what the parsel-based reader before it read.

newswatch.extract parses a page with Lexbor (selectolax) and runs the outlet's CSS there; the
former reader ran the same CSS through parsel and lxml. The former reader is kept here as the
reference, and both are compared on every saved page of every outlet and on a page made of the
awkward cases. The normalise pipeline tests boilerplate with one regex; it is compared with
`any()` over the patterns.
"""

from __future__ import annotations

import random
import re
from pathlib import Path

import pytest
from parsel import Selector

from newswatch.extract import (
    ArticlePage,
    CSSError,
    body_paragraphs,
    check_css,
    read_page,
    read_selectors,
)
from newswatch.text import key, normalize, paragraphs
from pipelines.normalize import _GENERIC, GENERIC_BOILERPLATE, SIGN_OFF, clean_body
from tests.conftest import FIXTURES, read_jsonl

# Classes split on tabs, newlines and no-break spaces, nested and repeated containers, comments
# between siblings, attributes without values, upper-case markup, scripts inside a body.
TRICKY = """<!DOCTYPE html><html><head><title>t</title>
<meta property="og:title" content="OG"><link rel="canonical" href="https://x.test/a">
</head><body class="page">
<div class="a b\tc" id="top"><div class="a"><p class="x">one <b>bold</b> two</p>
<p class="x y">three<br>four<br/>five</p></div>
<!-- a comment --><p class="z">after comment</p><p>last</p></div>
<DIV CLASS="Upper a-b"><SPAN DATA-X="1">upper</SPAN></DIV>
<ul class="list"><li>l1</li><!-- c --><li class="two">l2</li>
<li>l3 <a href="/topic/x">t</a></li></ul>
<ol class="breadcrumb"><li><a href="/">home</a></li><li><a href="/s">section</a></li></ol>
<div class="body"><p>para <script>var x = "no";</script>text</p><noscript><p>ns</p></noscript>
<div class="ad">advert</div><p>keep <span class="ad">inline ad</span> this</p>
<p><p>unclosed</p><div><p>inner</p>own</div></div>
<div class="c\u00a0d">nbsp</div><div class="e\x0cf">formfeed</div><div class="g
h">newline</div>
<input disabled><time datetime>empty</time><time datetime="2025-01-01">set</time>
<section><h2>head</h2><blockquote>quote <p>inside</p></blockquote></section>
<div class="a"><div class="a"><span class="x">deep</span></div></div>
<div class="n"><div class="n"><i>x</i></div><p>in</p></div><p>out</p>
<ol class="c"><!-- c --><li>c1</li><!-- c --><li>c2</li><li>c3</li><!-- c --></ol>
</body></html>"""

EXTRA_SELECTORS = [
    "*",
    "p",
    ".a",
    ".a .x",
    ".a > p",
    ".a > *",
    ".a *",
    "div.a > div.a span.x",
    ".a .a .x",
    "p + p",
    ".a + p",
    ".n + p",
    ".n > p",
    ".n p",
    "ol.c li:first-child",
    "ol.c li:last-child",
    "ol.c li:nth-child(2)",
    "ol.c > :not(li)",
    "li + li",
    "li + li a",
    "li:first-child",
    "li:last-child",
    "li:nth-child(2)",
    "li:nth-child(1) a",
    "p:not(.x)",
    "div:not(.a):not(#top)",
    "span:not(div.x)",
    "li:not(:first-child)",
    "li:nth-child(0n+2)",
    "li:nth-child(+2)",
    "li:nth-last-child(2)",
    "[class]",
    "[class*='a']",
    "[class^=a]",
    "[class~=b]",
    "[class=a]",
    "[class='']",
    "[data-x]",
    "span[data-x='1']",
    "[datetime]",
    "time[datetime='']",
    "#top",
    "div#top.a",
    "DIV.Upper",
    ".upper",
    ".a-b span",
    ".c",
    ".d",
    ".e",
    ".g",
    ".h",
    "a[href*='/topic/']",
    "ol.breadcrumb li + li a",
    "ul:has(.two) a",
    "h1, h2",
    "body p",
    "html",
    "html > body > div",
    "noscript p",
    "script",
]

# Where the two parsers build different pages, the reader does what a browser does: a bare
# attribute's value is "" (libxml2 gives it the attribute's name), and a form feed separates
# classes as any HTML whitespace does (cssselect's XPath splits on space, tab and newline only).
HTML5_ANSWERS = {"input[disabled=disabled]": 0, "input[disabled='']": 1, ".e": 1, ".f": 1}


def _site_pages() -> list[tuple[str, Path]]:
    """Every saved HTML page; feeds saved as .html (RSS, XML that parsel keeps as XML) are not."""
    return [
        (page.relative_to(FIXTURES).parts[0], page)
        for page in sorted(FIXTURES.glob("*/site/**/*.html"))
        if not page.read_bytes().lstrip().startswith((b"<?xml", b"<rss"))
    ]


def _spiders() -> dict:
    from scrapy.spiderloader import get_spider_loader

    from newswatch.runner import project_settings

    loader = get_spider_loader(project_settings())
    return {name: loader.load(name)() for name in loader.list()}


@pytest.fixture(scope="module")
def spiders() -> dict:
    return _spiders()


@pytest.fixture(scope="module")
def all_selectors(spiders) -> list[str]:
    found = {css for s in spiders.values() for css in [*s.selectors.values(), *s.exclude]}
    return [css for css in sorted(found) + EXTRA_SELECTORS if css not in HTML5_ANSWERS]


def _reference_page(html: str) -> Selector:
    """The page as parsel reads it, without what the reader never reads (scripts, styles)."""
    page = Selector(text=html)
    page.css("script, style, noscript").drop()
    return page


def _nodes(found: list) -> list[tuple[str, str]]:
    """Each selected element as (tag, its text): comparable across the two parsers."""
    return [
        (n.root.tag, _ref_element_text(n))
        if isinstance(n, Selector)
        else (n.tag, normalize(n.text(deep=True, separator=" ")))
        for n in found
    ]


@pytest.mark.parametrize(
    "path", [None, *(p for _, p in _site_pages())], ids=lambda p: "tricky" if p is None else p.name
)
def test_reader_selects_what_parsel_selects(path, all_selectors):
    html = TRICKY if path is None else path.read_text(encoding="utf-8", errors="replace")
    reference, page = _reference_page(html), ArticlePage(html)
    for css in all_selectors:
        assert _nodes(page.select(css)) == _nodes(reference.css(css)), css


def test_reader_follows_html5_where_the_parsers_differ():
    page = ArticlePage(TRICKY)
    assert {css: len(page.select(css)) for css in HTML5_ANSWERS} == HTML5_ANSWERS


def test_reader_after_removals_selects_what_parsel_selects(all_selectors):
    reference, page = _reference_page(TRICKY), ArticlePage(TRICKY)
    for css in (".ad", ".a .a", "noscript"):
        page.remove(css)
        reference.css(css).drop()
    for css in all_selectors:
        assert _nodes(page.select(css)) == _nodes(reference.css(css)), css


def test_selectors_the_reader_cannot_run_are_named():
    for css in ("p:unknown-pseudo", "p::nope", "[", "a >> b", "p::text", "a::attr(href)"):
        with pytest.raises(CSSError, match="not a CSS selector"):
            check_css(css)
    assert check_css("ul:has(svg.details-tags-icon) a[href*='/topic/']")


# -- the former implementation, with parsel, as the reference ------------------------------------

_TEXT = ".//text()[not(ancestor::script or ancestor::style or ancestor::noscript)]"
_BLOCKS = ".//p | .//h2 | .//h3 | .//h4 | .//h5 | .//blockquote | .//li"
_BR = re.compile(r"<br\s*/?>", re.IGNORECASE)
BLOCK_TAGS = {"p", "h2", "h3", "h4", "h5", "blockquote", "li"}


def _ref_element_text(element: Selector) -> str:
    return normalize(" ".join(element.xpath(_TEXT).getall()))


def _ref_own_text(block: Selector) -> str:
    parts = []
    for node in block.root.xpath(_TEXT):
        owner = node.getparent()
        if node.is_tail:
            owner = owner.getparent()
        while owner is not None and owner is not block.root and owner.tag not in BLOCK_TAGS:
            owner = owner.getparent()
        if owner is block.root:
            parts.append(node)
    return normalize(" ".join(parts))


def _ref_split_on_br(block: Selector) -> list[str]:
    html = block.get()
    if not _BR.search(html):
        return [_ref_element_text(block)]
    marked = Selector(text=_BR.sub("\u2029", html))
    text = " ".join(marked.xpath("//body" + _TEXT[1:]).getall())
    return [normalize(piece) for piece in text.split("\u2029")]


def _ref_body_paragraphs(page: Selector, css: str, exclude: list[str]) -> list[str]:
    for unwanted_css in exclude:
        for unwanted in page.css(unwanted_css):
            unwanted.drop()
    paragraphs_: list[str] = []
    for element in page.css(css):
        blocks = [b for b in element.xpath(_BLOCKS) if not b.xpath(_BLOCKS) or _ref_own_text(b)]
        for block in blocks or [element]:
            if block.xpath(_BLOCKS):
                paragraphs_.append(_ref_own_text(block))
            else:
                paragraphs_.extend(p for p in _ref_split_on_br(block) if p)
    return paragraphs_


def _ref_first_text(page: Selector, css: str | None) -> str | None:
    if not css:
        return None
    first = page.css(css)[:1]
    return (_ref_element_text(first[0]) or None) if first else None


BODY_CASES = [
    (".body", [".ad"]),
    (".body", []),
    (".body p", ["script"]),
    ("body", ["noscript", ".list"]),
    (".a", [".x"]),
    ("p", []),
    ("section", []),
    ("blockquote", []),
    (".y", []),
]


@pytest.mark.parametrize(("css", "exclude"), BODY_CASES)
def test_body_paragraphs_as_before_on_awkward_markup(css, exclude):
    want = _ref_body_paragraphs(_reference_page(TRICKY), css, exclude)
    assert body_paragraphs(TRICKY, css, exclude) == want


@pytest.mark.parametrize(("outlet", "path"), _site_pages(), ids=lambda v: getattr(v, "name", v))
def test_selector_layer_as_before_on_every_saved_page(outlet, path, spiders):
    spider = spiders[outlet]
    html = path.read_text(encoding="utf-8", errors="replace")
    reference = _reference_page(html)
    want = {n: _ref_first_text(reference, spider.selectors.get(n)) for n in ("title", "byline")}
    want["paragraphs"] = (
        _ref_body_paragraphs(reference, spider.selectors["body"], list(spider.exclude))
        if spider.selectors.get("body")
        else None
    )
    got = read_selectors(html, spider.selectors, spider.exclude)
    assert {n: got.get(n) for n in want} == want


def test_noscript_in_head_stays_out_of_the_body():
    # Parsed as with scripting off, the <p> would close <head> and open the body with its text.
    html = (
        "<html><head><noscript><p>Enable JavaScript</p><img src=t.gif></noscript>"
        '<link rel="canonical" href="https://x.test/a"></head>'
        "<body><p>প্রথম অনুচ্ছেদ</p><noscript><p>আবার</p></noscript></body></html>"
    )
    assert body_paragraphs(html, "body") == ["প্রথম অনুচ্ছেদ"]
    assert read_page(html, "https://x.test/b", {"body": "body"}).url == "https://x.test/a"


def test_read_page_reads_the_tricky_page():
    reading = read_page(TRICKY, "https://x.test/a", {"title": "h1"})
    assert reading.url == "https://x.test/a"
    assert reading.sources["url"] == "structured"


# -- clean_body ----------------------------------------------------------------------------------


def _ref_clean_body(text: str, boilerplate: list[re.Pattern[str]]) -> str:
    kept: list[str] = []
    seen: set[str] = set()
    for paragraph in map(normalize, paragraphs(text or "")):
        if not paragraph or any(p.search(paragraph) for p in GENERIC_BOILERPLATE + boilerplate):
            continue
        fingerprint = key(paragraph)
        if fingerprint in seen:
            continue
        seen.add(fingerprint)
        kept.append(paragraph)
    if kept and SIGN_OFF.match(kept[-1]):
        kept.pop()
    return "\n\n".join(kept)


BOILERPLATE_SAMPLES = [
    "Spread the love",
    "spread the love ",
    "SPREAD THE LOVE!",
    "Please share this post in your social media",
    "Facebook Comments Box",
    "leave a reply",
    "More News Of This Category",
    "HTML Comment Box is loading comments...",
    "মন্তব্য করুন",
    "শেয়ার করুন",
    "শে\u09dfার করুন",
    "আরও পড়ুন",
    "আরও পড়ুন: অন্য খবর",
    "আরো পড়ুনঃ অন্য খবর",
    "বিজ্ঞাপন",
    "বিজ্ঞাপন দিন",
    "এই বিভাগের আরও",
    "আরও খবর\n",
    "x spread the love",
    "",
]


def test_one_generic_regex_finds_what_the_eight_do():
    rng = random.Random(9)
    samples = list(BOILERPLATE_SAMPLES)
    for _ in range(2000):
        a, b = rng.sample(BOILERPLATE_SAMPLES, 2)
        samples.append(a[: rng.randint(0, len(a))] + b[rng.randint(0, len(b)) :])
    for sample in samples:
        want = any(p.search(sample) for p in GENERIC_BOILERPLATE)
        assert bool(_GENERIC.search(sample)) == want, sample


def test_clean_body_as_before():
    # ø after a Bengali letter is repaired by normalize, which is then not idempotent ("কøø"):
    # clean_body must key such a paragraph as key() does.
    texts = [
        "\n\n".join(BOILERPLATE_SAMPLES),
        "কøø এক\n\nক্লø এক\n\nক্ল্ল এক\n\nএএইচআর/এনএফ",
        "প্রথম।\n\nপ্রথম।\n\n  প্রথম।  \n\nপ্রথম\u200b।\n\nসমাপ্ত",
        "রাশি\u09dfা\n\nরাশিয়া\n\nউৎসব\n\nউত্\u200dসব\n\n১২\n\n12",
    ]
    for path in sorted(FIXTURES.glob("*/expected.jsonl")):
        texts.extend(r["text"] for r in read_jsonl(path))
    patterns = [re.compile(r"^পাঠকপ্রিয় অনলাইন নিউজ পোর্টাল.*$"), re.compile("ক্ল")]
    for text in texts:
        assert clean_body(text, patterns) == _ref_clean_body(text, patterns)
        assert clean_body(text, []) == _ref_clean_body(text, [])

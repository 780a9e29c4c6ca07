"""Read an article page in three layers, each filling only what the layers before left empty.

1. ``selectors``: the outlet's own CSS (precise: it knows where the body ends).
2. ``structured``: JSON-LD ``NewsArticle`` and ``<meta>`` (OpenGraph, ``article:*``). For dates
   this layer wins over the printed dateline: machine dates carry the time and zone print lacks.
3. ``fallback``: trafilatura on the whole page, for whatever is still missing. It is by far the
   slowest layer, so it runs only when a required field is missing.

`read_page` returns raw values and which layer gave each one (for stats and diagnostics).
Cleaning (boilerplate, repeats, Unicode) happens once, in the normalise pipeline.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import trafilatura
from extruct.jsonld import JsonLdExtractor
from lxml import etree
from parsel import Selector

from newswatch.dates import isoformat, parse_dateline, parse_datetime
from newswatch.text import normalize

ARTICLE_TYPES = {
    "NewsArticle",
    "Article",
    "ReportageNewsArticle",
    "AnalysisNewsArticle",
    "BlogPosting",
    "OpinionNewsArticle",
}
REQUIRED = ("title", "published", "paragraphs")
_TEXT = ".//text()[not(ancestor::script or ancestor::style or ancestor::noscript)]"
# Elements that are paragraphs of their own inside a body container.
_BLOCKS = ".//p | .//h2 | .//h3 | .//h4 | .//h5 | .//blockquote | .//li"
_BR = re.compile(r"<br\s*/?>", re.IGNORECASE)
_PARAGRAPH_BREAK = "\u2029"
# The same queries compiled once and run on lxml elements: parsel's `.xpath()` compiles its query
# and wraps every result in a Selector on each call, which made it the reader's hottest place
# (bench/RESULTS.md, item 5). Results are identical.
_TEXT_XPATH = etree.XPath(_TEXT)
_BLOCKS_XPATH = etree.XPath(_BLOCKS)
_HAS_BR = etree.XPath("boolean(.//br)")


_BLOCK_TAGS = {"p", "h2", "h3", "h4", "h5", "blockquote", "li"}  # the tags of _BLOCKS


def _own_text(block: etree._Element) -> str:
    """Text of `block` outside its nested blocks: an unclosed <p> that swallowed a <div>."""
    parts = []
    for node in _TEXT_XPATH(block):
        owner = node.getparent()
        if node.is_tail:
            owner = owner.getparent()
        while owner is not None and owner is not block and owner.tag not in _BLOCK_TAGS:
            owner = owner.getparent()
        if owner is block:
            parts.append(node)
    return normalize(" ".join(parts))


@dataclass
class PageReading:
    url: str | None = None
    title: str | None = None
    byline: str | None = None
    published: str | None = None
    published_text: str | None = None
    modified: str | None = None
    section: str | None = None
    tags: list[str] = field(default_factory=list)
    paragraphs: list[str] = field(default_factory=list)
    sources: dict[str, str] = field(default_factory=dict)  # field -> layer that filled it

    def fill(self, layer: str, values: dict[str, Any]) -> None:
        """Set each still-empty field that `values` has and note the layer."""
        for name, value in values.items():
            if value and not getattr(self, name):
                setattr(self, name, value)
                self.sources[name] = layer

    def missing(self, names: Iterable[str] = REQUIRED) -> list[str]:
        return [name for name in names if not getattr(self, name)]


def _is_element(node: Any) -> bool:
    return isinstance(node, etree._Element)


def element_text(element: Selector) -> str:
    """All text under an element, whitespace folded, scripts and styles skipped."""
    if _is_element(element.root):
        return normalize(" ".join(_TEXT_XPATH(element.root)))
    return normalize(" ".join(element.xpath(_TEXT).getall()))


def _node_text(node: etree._Element) -> str:
    return normalize(" ".join(_TEXT_XPATH(node)))


def _split_on_br(block: Selector | etree._Element) -> list[str]:
    if _is_element(block):
        if not _HAS_BR(block):  # no <br> element: the serialised HTML cannot match _BR
            return [_node_text(block)]
        block = Selector(root=block)
    html = block.get()
    if not _BR.search(html):
        return [element_text(block)]
    marked = Selector(text=_BR.sub(_PARAGRAPH_BREAK, html))
    text = " ".join(marked.xpath("//body" + _TEXT[1:]).getall())
    return [normalize(piece) for piece in text.split(_PARAGRAPH_BREAK)]


def body_paragraphs(page: Selector, css: str, exclude: Iterable[str] = ()) -> list[str]:
    """One paragraph per element matching `css`; a container gives its innermost block children.

    Elements matching `exclude` (captions, share boxes, related lists) are left out, whether they
    sit inside a matched element or a matched element sits inside them.
    """
    for unwanted_css in exclude:
        for unwanted in page.css(unwanted_css):
            unwanted.drop()
    paragraphs: list[str] = []
    for element in page.css(css):
        if _is_element(element.root):
            found = _BLOCKS_XPATH(element.root)
            blocks = [b for b in found if not _BLOCKS_XPATH(b) or _own_text(b)] or [element.root]
        else:  # a selector that picks text or attributes, not elements
            blocks = [b for b in element.xpath(_BLOCKS) if not b.xpath(_BLOCKS)] or [element]
        for block in blocks:
            if _is_element(block) and _BLOCKS_XPATH(block):
                paragraphs.append(_own_text(block))  # a block around blocks: its own text only
            else:
                paragraphs.extend(p for p in _split_on_br(block) if p)
    return paragraphs


def _first_text(page: Selector, css: str | None) -> str | None:
    if not css:
        return None
    first = page.css(css)[:1]
    return (element_text(first[0]) or None) if first else None


def read_selectors(page: Selector, selectors: dict[str, str], exclude: Iterable[str]) -> dict:
    """Layer 1: the outlet's CSS selectors."""
    values: dict[str, Any] = {
        name: _first_text(page, selectors.get(name)) for name in ("title", "byline", "section")
    }
    if css := selectors.get("tags"):
        values["tags"] = [t for t in map(element_text, page.css(css)) if t]
    if printed := _first_text(page, selectors.get("published")):
        dateline = parse_dateline(printed)
        values.update(
            published_text=printed,
            published=isoformat(dateline.published),
            modified=isoformat(dateline.modified),
        )
    if printed := _first_text(page, selectors.get("modified")):
        values["modified"] = isoformat(parse_datetime(printed))
    if css := selectors.get("body"):
        values["paragraphs"] = body_paragraphs(page, css, exclude)
    return values


def _article_objects(page: Selector) -> list[dict]:
    """JSON-LD objects of an article type, @graph and lists flattened."""
    try:
        items = JsonLdExtractor().extract_items(page.root)
    except Exception:  # a broken JSON-LD block must not cost the page its other layers
        return []
    found: list[dict] = []
    stack = list(items)
    while stack:
        item = stack.pop(0)
        if isinstance(item, list):
            stack.extend(item)
        elif isinstance(item, dict):
            stack.extend(item.get("@graph", []))
            types = item.get("@type")
            types = set(types) if isinstance(types, list) else {types}
            if types & ARTICLE_TYPES:
                found.append(item)
    return found


def _names(value: Any) -> str | None:
    """JSON-LD author: a string, a Person/Organization, or a list of them."""
    if isinstance(value, list):
        names = [n for n in map(_names, value) if n]
        return ", ".join(names) or None
    if isinstance(value, dict):
        return _names(value.get("name"))
    return (normalize(str(value)) or None) if value else None


def _keywords(value: Any) -> list[str]:
    if isinstance(value, str):
        value = value.split(",")
    return [k for k in (normalize(str(v)) for v in value or []) if k]


_METAS = etree.XPath("//meta[@content]")


def _meta_index(page: Selector) -> dict[str, str]:
    """`property`/`name` -> `content` of the first such <meta> (one pass, not one per field)."""
    index: dict[str, str] = {}
    root = page.root if _is_element(page.root) else None
    for meta in _METAS(root) if root is not None else ():
        content = meta.get("content")
        for attribute in ("property", "name"):
            if (name := meta.get(attribute)) is not None:
                index.setdefault(name, content)
    return index


def _meta(page: Selector, prop: str, index: dict[str, str] | None = None) -> str | None:
    if index is not None:
        return index.get(prop)
    return page.xpath(f"//meta[@property='{prop}' or @name='{prop}']/@content").get()


def read_structured(page: Selector) -> dict:
    """Layer 2: JSON-LD article objects, then OpenGraph / article:* meta tags."""
    article = next(iter(_article_objects(page)), {})
    metas = _meta_index(page)
    body = article.get("articleBody")
    section = article.get("articleSection")
    if isinstance(section, list):
        section = section[0] if section else None
    published = article.get("datePublished") or _meta(page, "article:published_time", metas)
    modified = article.get("dateModified") or _meta(page, "article:modified_time", metas)
    return {
        "url": page.css("link[rel=canonical]::attr(href)").get() or _meta(page, "og:url", metas),
        "title": normalize(article.get("headline") or _meta(page, "og:title", metas)) or None,
        "byline": _names(article.get("author")) or normalize(_meta(page, "author", metas)) or None,
        "published": isoformat(parse_datetime(published)),
        "modified": isoformat(parse_datetime(modified)),
        "section": normalize(section or _meta(page, "article:section", metas)) or None,
        "tags": _keywords(article.get("keywords"))
        or _keywords(page.xpath("//meta[@property='article:tag']/@content").getall()),
        "paragraphs": [p for p in map(normalize, str(body).splitlines()) if p] if body else [],
    }


def read_fallback(html: str, url: str) -> dict:
    """Layer 3: trafilatura's generic extraction of the main text and metadata."""
    document = trafilatura.bare_extraction(
        html,
        url=url,
        with_metadata=True,
        favor_precision=True,
        include_comments=False,
        include_tables=False,
        # Its extensive search guesses from copyright lines and image names (`© ২০২৫` gave
        # 2025-01-01): a wrong date is worse than none, which is dropped and counted.
        date_extraction_params={"extensive_search": False, "original_date": True},
    )
    if document is None:
        return {}
    text = document.text or ""
    paragraphs = [p for p in map(normalize, text.splitlines()) if p]
    # trafilatura repeats the headline as the first line of the text.
    if paragraphs and document.title and paragraphs[0] == normalize(document.title):
        paragraphs = paragraphs[1:]
    return {
        "title": normalize(document.title) or None,
        "byline": normalize(document.author) or None,
        "published": isoformat(parse_datetime(document.date)),
        "tags": _keywords(document.tags),
        "section": normalize(document.categories[0]) if document.categories else None,
        "paragraphs": paragraphs,
    }


def read_page(
    page: Selector,
    html: str,
    url: str,
    selectors: dict[str, str],
    exclude: Iterable[str] = (),
    same_site: Callable[[str], bool] = lambda _url: True,
) -> PageReading:
    """Read one article page: selectors, then structured data, then the generic extractor."""
    reading = PageReading()
    structured = read_structured(page)
    # Machine dates win over printed ones (DESIGN.md, Dates): take them before the selectors.
    reading.fill(
        "structured",
        {"published": structured.pop("published"), "modified": structured.pop("modified")},
    )
    reading.fill("selectors", read_selectors(page, selectors, exclude))
    canonical = structured.pop("url")
    reading.fill("structured", structured)
    if canonical and same_site(canonical):
        reading.url = canonical
        reading.sources["url"] = "structured"
    if reading.missing():
        fallback = read_fallback(html, url)
        # A page without article text (a video page) still prints its title, byline and dateline,
        # which the generic extractor returns as "the text": those lines are not a body.
        printed = {reading.title, reading.byline, reading.published_text} - {None}
        fallback["paragraphs"] = [p for p in fallback.get("paragraphs", []) if p not in printed]
        reading.fill("fallback", fallback)
    return reading

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

import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import trafilatura
from extruct.jsonld import JsonLdExtractor
from lxml import etree
from lxml.html import HtmlElement
from parsel import Selector
from parsel.csstranslator import HTMLTranslator

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
_ALL_TEXT_XPATH = etree.XPath(".//text()")
_BLOCK_TAGS = ("p", "h2", "h3", "h4", "h5", "blockquote", "li")  # the tags of _BLOCKS
_BLOCK_TAG_SET = frozenset(_BLOCK_TAGS)
_SKIPPED_TAGS = ("script", "style", "noscript")  # whose text _TEXT leaves out


def _own_text(block: etree._Element) -> str:
    """Text of `block` outside its nested blocks: an unclosed <p> that swallowed a <div>."""
    parts = []
    for node in _TEXT_XPATH(block):
        owner = node.getparent()
        if node.is_tail:
            owner = owner.getparent()
        while owner is not None and owner is not block and owner.tag not in _BLOCK_TAG_SET:
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


# -- CSS selectors ------------------------------------------------------------------------------
# parsel's `.css()` translates the selector, compiles the XPath and wraps every result in a new
# Selector on each call, some ten times a page. A spider's selectors are translated by parsel's
# own translator (so `::text` and `::attr()` work as in `Selector.css`) and compiled once; they
# run on lxml elements. tests/test_extract.py checks both give the same nodes on every saved page.

_TRANSLATOR = HTMLTranslator()
_NAMESPACES = dict(Selector._default_namespaces)


@lru_cache(maxsize=1024)
def _compiled(css: str) -> etree.XPath:
    return etree.XPath(_TRANSLATOR.css_to_xpath(css), namespaces=_NAMESPACES, smart_strings=False)


def _holds(node: etree._Element, ancestor: etree._Element, stop: Any = None) -> bool:
    """Whether `ancestor` is above `node`, looking no higher than `stop`."""
    parent = node.getparent()
    while parent is not None and parent is not stop:
        if parent is ancestor:
            return True
        parent = parent.getparent()
    return False


class _Finder:
    """Runs CSS selectors on one page as `page.css(css)` would, giving nodes, not Selectors."""

    def __init__(self, page: Selector) -> None:
        self.page = page
        # parsel reads XML with its generic (case-sensitive) translator: left to parsel.
        self.root = page.root if page.type == "html" and _is_element(page.root) else None

    def select(self, css: str) -> list[Any]:
        """What `page.css(css)` selects: elements, or strings for ::text and ::attr()."""
        if self.root is None:
            return [selected.root for selected in self.page.css(css)]
        return _compiled(css)(self.root)

    def first(self, css: str) -> Any | None:
        found = self.select(css)
        return found[0] if found else None

    def drop(self, node: Any) -> None:
        """`Selector.drop()` on a selected node."""
        if self.root is not None and isinstance(node, HtmlElement) and node.getparent() is not None:
            node.drop_tree()  # what parsel runs for an HTML element
        else:
            Selector(root=node, type="xml" if self.page.type == "xml" else "html").drop()


# -- Text ---------------------------------------------------------------------------------------


def _node_text(node: etree._Element) -> str:
    return normalize(" ".join(_TEXT_XPATH(node)))


def _plain(node: etree._Element) -> bool:
    """No script, style or noscript in or above `node`: every text node below it is in _TEXT."""
    return next(node.iter(*_SKIPPED_TAGS), None) is None and (
        next(node.iterancestors(*_SKIPPED_TAGS), None) is None
    )


def _plain_text(node: etree._Element) -> str:
    """`_node_text` of a node that is `_plain`."""
    return normalize(" ".join(_ALL_TEXT_XPATH(node)))


def _text(node: Any) -> str:
    """`element_text` of a selected node; a string (::text, ::attr()) gives "" as in parsel."""
    return _node_text(node) if _is_element(node) else ""


def element_text(element: Selector) -> str:
    """All text under an element, whitespace folded, scripts and styles skipped."""
    if _is_element(element.root):
        return _node_text(element.root)
    return normalize(" ".join(element.xpath(_TEXT).getall()))


def _split_on_br(block: Selector | etree._Element) -> list[str]:
    if _is_element(block):
        if next(block.iterdescendants("br"), None) is None:  # the serialised HTML has no <br>
            return [_node_text(block)]
        block = Selector(root=block)
    html = block.get()
    if not _BR.search(html):
        return [element_text(block)]
    marked = Selector(text=_BR.sub(_PARAGRAPH_BREAK, html))
    text = " ".join(marked.xpath("//body" + _TEXT[1:]).getall())
    return [normalize(piece) for piece in text.split(_PARAGRAPH_BREAK)]


def _container_paragraphs(element: etree._Element) -> list[str]:
    """A matched body element: its innermost blocks, each split on <br>, or itself."""
    found = list(element.iterdescendants(*_BLOCK_TAGS))  # what _BLOCKS selects, in order
    # (block, its own text when it holds blocks); found is in document order, so a block holds
    # blocks exactly when the next one found is inside it.
    blocks: list[tuple[etree._Element, str | None]] = []
    for i, block in enumerate(found):
        if i + 1 < len(found) and _holds(found[i + 1], block, element):
            if own := _own_text(block):  # a block around blocks: its own text only
                blocks.append((block, own))
        else:
            blocks.append((block, None))
    if not blocks:
        blocks = [(element, _own_text(element) if found else None)]
    # Asked once for the container rather than for each block (true of it, true of its blocks):
    # whether a <br> is inside, and whether a script, style or noscript is inside or above, that
    # _TEXT's predicate must leave out; without one `.//text()` selects the same nodes, faster.
    has_br = next(element.iterdescendants("br"), None) is not None
    text_of = _plain_text if _plain(element) else _node_text
    paragraphs: list[str] = []
    for block, own in blocks:
        if own is not None:
            paragraphs.append(own)
        elif has_br and next(block.iterdescendants("br"), None) is not None:
            paragraphs.extend(p for p in _split_on_br(block) if p)
        elif text := text_of(block):
            paragraphs.append(text)
    return paragraphs


def _body_paragraphs(finder: _Finder, css: str, exclude: Iterable[str]) -> list[str]:
    for unwanted_css in exclude:
        for unwanted in finder.select(unwanted_css):
            finder.drop(unwanted)
    paragraphs: list[str] = []
    for element in finder.select(css):
        if _is_element(element):
            paragraphs.extend(_container_paragraphs(element))
        else:  # a selector that picks text or attributes, not elements
            block = Selector(root=element, type="xml" if finder.page.type == "xml" else "html")
            paragraphs.extend(p for p in _split_on_br(block) if p)
    return paragraphs


def body_paragraphs(page: Selector, css: str, exclude: Iterable[str] = ()) -> list[str]:
    """One paragraph per element matching `css`; a container gives its innermost block children.

    Elements matching `exclude` (captions, share boxes, related lists) are left out, whether they
    sit inside a matched element or a matched element sits inside them.
    """
    exclude = list(exclude)
    return _body_paragraphs(_Finder(page), css, exclude)


def _first_text(finder: _Finder, css: str | None) -> str | None:
    if not css:
        return None
    node = finder.first(css)
    return (_text(node) or None) if node is not None else None


def read_selectors(page: Selector, selectors: dict[str, str], exclude: Iterable[str]) -> dict:
    """Layer 1: the outlet's CSS selectors."""
    exclude = list(exclude)
    finder = _Finder(page)
    values: dict[str, Any] = {
        name: _first_text(finder, selectors.get(name)) for name in ("title", "byline", "section")
    }
    if css := selectors.get("tags"):
        values["tags"] = [t for t in map(_text, finder.select(css)) if t]
    if printed := _first_text(finder, selectors.get("published")):
        dateline = parse_dateline(printed)
        values.update(
            published_text=printed,
            published=isoformat(dateline.published),
            modified=isoformat(dateline.modified),
        )
    if printed := _first_text(finder, selectors.get("modified")):
        values["modified"] = isoformat(parse_datetime(printed))
    if css := selectors.get("body"):
        values["paragraphs"] = _body_paragraphs(finder, css, exclude)
    return values


# -- Structured data ----------------------------------------------------------------------------

_JSONLD_TYPE = "application/ld+json"
_STRING = etree.XPath("string()")


def _jsonld_items(root: etree._Element, scripts: list[etree._Element]) -> list[Any]:
    """`JsonLdExtractor().extract_items(root)` given its <script> elements, without its per-call
    XPath compiling; a block that is not plain JSON goes to extruct's lenient reading."""
    items: list[Any] = []
    for script in scripts:
        try:
            data = json.loads(_STRING(script), strict=False)
        except ValueError:
            return JsonLdExtractor().extract_items(root)
        if isinstance(data, list):
            items.extend(item for item in data if item)
        elif isinstance(data, dict) and data:
            items.append(data)
    return items


def _article_objects(items: list[Any]) -> list[dict]:
    """JSON-LD objects of an article type, @graph and lists flattened."""
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


@dataclass
class _Structured:
    """What layer 2 reads from the tree: JSON-LD items, <meta> index, canonical URL, article:tag."""

    items: list[Any]
    metas: dict[str, str]
    canonical: str | None
    tags: list[str]


def _structured_nodes(page: Selector) -> _Structured:
    root = page.root
    if not (
        page.type == "html"
        and _is_element(root)
        and root.getparent() is None
        and root.getroottree().getroot() is root
    ):  # not a whole page: the queries as they were written (`//` reaches outside the root)
        try:
            items = JsonLdExtractor().extract_items(page.root)
        except Exception:  # a broken JSON-LD block must not cost the page its other layers
            items = []
        return _Structured(
            items,
            _meta_index(page),
            page.css("link[rel=canonical]::attr(href)").get(),
            page.xpath("//meta[@property='article:tag']/@content").getall(),
        )
    # The whole page: one walk over its meta, link and script elements instead of four queries.
    scripts: list[etree._Element] = []
    metas: dict[str, str] = {}
    canonical: str | None = None
    tags: list[str] = []
    for element in root.iter("meta", "link", "script"):
        tag = element.tag
        if tag == "meta":
            content = element.get("content")
            if content is None:
                continue
            for attribute in ("property", "name"):
                if (name := element.get(attribute)) is not None:
                    metas.setdefault(name, content)
            if element.get("property") == "article:tag":
                tags.append(content)
        elif tag == "link":
            if canonical is None and element.get("rel") == "canonical":
                canonical = element.get("href")
        elif element.get("type") == _JSONLD_TYPE:
            scripts.append(element)
    try:
        items = _jsonld_items(root, scripts)
    except Exception:  # a broken JSON-LD block must not cost the page its other layers
        items = []
    return _Structured(items, metas, canonical, tags)


def read_structured(page: Selector) -> dict:
    """Layer 2: JSON-LD article objects, then OpenGraph / article:* meta tags."""
    nodes = _structured_nodes(page)
    article = next(iter(_article_objects(nodes.items)), {})
    metas = nodes.metas
    body = article.get("articleBody")
    section = article.get("articleSection")
    if isinstance(section, list):
        section = section[0] if section else None
    published = article.get("datePublished") or _meta(page, "article:published_time", metas)
    modified = article.get("dateModified") or _meta(page, "article:modified_time", metas)
    published_at = parse_datetime(published)
    # CMSs often give dateModified = datePublished: the same text reads the same.
    modified_at = published_at if modified == published else parse_datetime(modified)
    return {
        "url": nodes.canonical or _meta(page, "og:url", metas),
        "title": normalize(article.get("headline") or _meta(page, "og:title", metas)) or None,
        "byline": _names(article.get("author")) or normalize(_meta(page, "author", metas)) or None,
        "published": isoformat(published_at),
        "modified": isoformat(modified_at),
        "section": normalize(section or _meta(page, "article:section", metas)) or None,
        "tags": _keywords(article.get("keywords")) or _keywords(nodes.tags),
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

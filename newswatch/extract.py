"""Read an article page in three layers, each filling only what the layers before left empty.

1. ``selectors``: the outlet's own CSS (precise: it knows where the body ends).
2. ``structured``: JSON-LD ``NewsArticle`` and ``<meta>`` (OpenGraph, ``article:*``). For dates
   this layer wins over the printed dateline: machine dates carry the time and zone print lacks.
3. ``fallback``: trafilatura on the whole page, for whatever is still missing. It is by far the
   slowest layer, so it runs only when a required field is missing.

Layers 1 and 2 read one tree built by Lexbor (through selectolax): an HTML5 parser, so the page
is read as a browser builds it, with a CSS engine in C. The reader is ~2x faster on it than on
lxml with CSS translated to XPath (bench/NOTES.md). trafilatura parses with lxml, when needed.

`read_page` returns raw values and which layer gave each one (for stats and diagnostics).
Cleaning (boilerplate, repeats, Unicode) happens once, in the normalise pipeline.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import trafilatura
from extruct.jsonld import JsonLdExtractor
from parsel import Selector
from selectolax.lexbor import LexborHTMLParser, LexborNode, SelectolaxError

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
# Elements that are paragraphs of their own inside a body container.
BLOCKS = "p, h2, h3, h4, h5, blockquote, li"
_BLOCK_TAGS = frozenset(("p", "h2", "h3", "h4", "h5", "blockquote", "li"))
# Their text is never part of a reading; JSON-LD is taken from its scripts before they go.
_UNREADABLE = "script, style, noscript"
_PARAGRAPH_BREAK = "\u2029"
_JSONLD_TYPE = "application/ld+json"


class CSSError(ValueError):
    """A selector the reader's CSS engine cannot parse."""


def check_css(css: str) -> str:
    """`css` if the reader can run it; CSSError naming it otherwise (for spiders and configs)."""
    try:
        LexborHTMLParser("").css(css)
    except SelectolaxError as error:
        raise CSSError(f"{css!r}: not a CSS selector the reader can run ({error})") from None
    return css


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


@dataclass
class _Structured:
    """What layer 2 reads from the tree: JSON-LD texts, <meta> index, canonical URL, article:tag."""

    jsonld: list[str]
    metas: dict[str, str]
    canonical: str | None
    tags: list[str]


class ArticlePage:
    """One article page parsed once: what layer 2 needs is taken, then scripts and styles go."""

    def __init__(self, html: str) -> None:
        self.html = html
        # As a browser that runs scripts parses it: <noscript> holds text, not elements, so a
        # tracking <img> or a notice in one never moves into the body.
        self.tree = LexborHTMLParser(html, scripting=True)
        self.structured = self._structured_nodes()
        self.remove(_UNREADABLE)

    def select(self, css: str) -> list[LexborNode]:
        return self.tree.css(css)

    def remove(self, css: str) -> None:
        # Document order puts an element before what it holds: removed innermost first, so no
        # node is freed twice.
        for node in reversed(self.tree.css(css)):
            node.decompose()

    def _structured_nodes(self) -> _Structured:
        """One walk over the page's meta, link and script elements."""
        found = _Structured([], {}, None, [])
        for element in self.tree.css("meta, link, script"):
            attributes = element.attributes
            tag = element.tag
            if tag == "meta":
                if "content" not in attributes:
                    continue
                content = attributes["content"] or ""  # a bare `content` reads as ""
                for attribute in ("property", "name"):
                    if (name := attributes.get(attribute)) is not None:
                        found.metas.setdefault(name, content)
                if attributes.get("property") == "article:tag":
                    found.tags.append(content)
            elif tag == "link":
                if found.canonical is None and attributes.get("rel") == "canonical":
                    found.canonical = attributes.get("href")
            elif attributes.get("type") == _JSONLD_TYPE:
                found.jsonld.append(element.text(deep=True))
        return found


def _as_page(page: ArticlePage | str) -> ArticlePage:
    return page if isinstance(page, ArticlePage) else ArticlePage(page)


# -- Text ---------------------------------------------------------------------------------------


def _text(node: LexborNode) -> str:
    """All text under an element, whitespace folded."""
    return normalize(node.text(deep=True, separator=" "))


def _own_text(block: LexborNode) -> str:
    """Text of `block` outside the blocks it holds (a <li> around a nested list)."""
    parts: list[str] = []

    def walk(node: LexborNode) -> None:
        for child in node.iter(include_text=True):
            if child.is_text_node:
                parts.append(child.text_content)
            elif child.is_element_node and child.tag not in _BLOCK_TAGS:
                walk(child)

    walk(block)
    return normalize(" ".join(parts))


def _split_on_br(block: LexborNode) -> list[str]:
    """A block's text cut at each <br>: outlets that print paragraphs as lines of one block."""
    parts = []
    for node in block.traverse(include_text=True):
        if node.is_text_node:
            parts.append(node.text_content)
        elif node.tag == "br":
            parts.append(_PARAGRAPH_BREAK)
    return [normalize(piece) for piece in " ".join(parts).split(_PARAGRAPH_BREAK)]


def _holds(node: LexborNode, ancestor: int, stop: int) -> bool:
    """Whether the element with mem_id `ancestor` is above `node`, looking no higher than `stop`."""
    parent = node.parent
    while parent is not None and parent.mem_id != stop:
        if parent.mem_id == ancestor:
            return True
        parent = parent.parent
    return False


def _container_paragraphs(element: LexborNode) -> list[str]:
    """A matched body element: its innermost blocks, each split on <br>, or itself."""
    me = element.mem_id
    found = [n for n in element.css(BLOCKS) if n.mem_id != me]  # css() also tests the element
    # (block, its own text when it holds blocks); found is in document order, so a block holds
    # blocks exactly when the next one found is inside it.
    blocks: list[tuple[LexborNode, str | None]] = []
    for i, block in enumerate(found):
        if i + 1 < len(found) and _holds(found[i + 1], block.mem_id, me):
            if own := _own_text(block):  # a block around blocks: its own text only
                blocks.append((block, own))
        else:
            blocks.append((block, None))
    if not blocks:
        blocks = [(element, None)]
    has_br = element.css_first("br") is not None  # asked once for the container, not per block
    paragraphs: list[str] = []
    for block, own in blocks:
        if own is not None:
            paragraphs.append(own)
        elif has_br and block.css_first("br") is not None:
            paragraphs.extend(p for p in _split_on_br(block) if p)
        elif text := _text(block):
            paragraphs.append(text)
    return paragraphs


def body_paragraphs(page: ArticlePage | str, css: str, exclude: Iterable[str] = ()) -> list[str]:
    """One paragraph per element matching `css`; a container gives its innermost block children.

    Elements matching `exclude` (captions, share boxes, related lists) are left out, whether they
    sit inside a matched element or a matched element sits inside them.
    """
    page = _as_page(page)
    for unwanted_css in exclude:
        page.remove(unwanted_css)
    paragraphs: list[str] = []
    for element in page.select(css):
        paragraphs.extend(_container_paragraphs(element))
    return paragraphs


def _first_text(page: ArticlePage, css: str | None) -> str | None:
    if not css:
        return None
    found = page.tree.css_first(css)
    return (_text(found) or None) if found is not None else None


def read_selectors(
    page: ArticlePage | str, selectors: dict[str, str], exclude: Iterable[str]
) -> dict:
    """Layer 1: the outlet's CSS selectors. `exclude` is removed from the page, before the body."""
    page = _as_page(page)
    values: dict[str, Any] = {
        name: _first_text(page, selectors.get(name)) for name in ("title", "byline", "section")
    }
    if css := selectors.get("tags"):
        values["tags"] = [t for t in map(_text, page.select(css)) if t]
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


# -- Structured data ----------------------------------------------------------------------------


def _jsonld_items(page: ArticlePage) -> list[Any]:
    """The page's JSON-LD items; a block that is not plain JSON goes to extruct's lenient one."""
    items: list[Any] = []
    for text in page.structured.jsonld:
        try:
            data = json.loads(text, strict=False)
        except ValueError:
            return JsonLdExtractor().extract_items(Selector(text=page.html).root)
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


def read_structured(page: ArticlePage | str) -> dict:
    """Layer 2: JSON-LD article objects, then OpenGraph / article:* meta tags."""
    page = _as_page(page)
    nodes = page.structured
    try:
        items = _jsonld_items(page)
    except Exception:  # a broken JSON-LD block must not cost the page its other layers
        items = []
    article = next(iter(_article_objects(items)), {})
    metas = nodes.metas
    body = article.get("articleBody")
    section = article.get("articleSection")
    if isinstance(section, list):
        section = section[0] if section else None
    published = article.get("datePublished") or metas.get("article:published_time")
    modified = article.get("dateModified") or metas.get("article:modified_time")
    published_at = parse_datetime(published)
    # CMSs often give dateModified = datePublished: the same text reads the same.
    modified_at = published_at if modified == published else parse_datetime(modified)
    return {
        "url": nodes.canonical or metas.get("og:url"),
        "title": normalize(article.get("headline") or metas.get("og:title")) or None,
        "byline": _names(article.get("author")) or normalize(metas.get("author")) or None,
        "published": isoformat(published_at),
        "modified": isoformat(modified_at),
        "section": normalize(section or metas.get("article:section")) or None,
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
    html: str,
    url: str,
    selectors: dict[str, str],
    exclude: Iterable[str] = (),
    same_site: Callable[[str], bool] = lambda _url: True,
) -> PageReading:
    """Read one article page: selectors, then structured data, then the generic extractor."""
    reading = PageReading()
    page = ArticlePage(html)
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

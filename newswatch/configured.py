"""Outlets without code: one TOML file per outlet in `outlets/`, turned into an `OutletSpider`.

A file declares what a spider module would (newswatch/outlet.py), nothing more:

    name = "banglatribune"          # spider name = file name without .toml
    outlet_name = "Bangla Tribune"
    language = "bn"                 # optional, default bn
    domains = ["banglatribune.com"]
    base_url = "https://www.banglatribune.com"
    article_url = '^https?://[^/?#]+/foreign/[a-z-]+/\\d+/'
    feeds = ["/feed/"]              # any mix of routes, at least one:
    sitemaps = ["/news-sitemap.xml"]  #   feeds, sitemaps, listings, searches, js_listings
    listings = ["/foreign/asia"]
    listing_area = ".listing"       # optional, like next_page and js_load_more
    exclude = [".share"]            # optional CSS kept out of the body
    boilerplate = ['^বিজ্ঞাপন$']     # optional regexes of whole paragraphs to drop
    [selectors]                     # optional: without it JSON-LD/meta, then trafilatura read
    title = "h1.title"

Every mistake stops loading with one line naming the file, the line (or key) and what to fix:
``outlets/x.toml:6: article_url '(': not a regular expression (missing ), unterminated ...)``.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from cssselect import SelectorError
from parsel.csstranslator import HTMLTranslator

from newswatch.extract import CSSError, check_css
from newswatch.outlet import FIELD_NAMES, ConfigError, OutletSpider, on_domains

OUTLETS_DIR = Path(__file__).resolve().parent.parent / "outlets"
ROUTES = ("feeds", "sitemaps", "listings", "searches", "js_listings")
REQUIRED = ("name", "outlet_name", "domains", "base_url", "article_url")
OPTIONAL_TEXT = ("language", "listing_area", "next_page", "js_load_more")
LISTS = ("domains", *ROUTES, "exclude", "boilerplate")
KNOWN = {*REQUIRED, *OPTIONAL_TEXT, *LISTS, "selectors"}
_NAME = re.compile(r"^[a-z][a-z0-9_]*$")
_CSS = HTMLTranslator()


class OutletConfigError(ConfigError):
    """An outlet file that cannot work; the message is one line: file, line, what to fix."""


class ConfiguredOutletSpider(OutletSpider):
    """The generic spider of a configured outlet (subclassed once per file)."""

    config_path: str = ""


def _line_of(text: str, key: str, table: str | None = None) -> int | None:
    """The line where `key = ` is set (inside `[table]` when given), for error messages."""
    start = 0
    if table:
        header = re.search(rf"^\s*\[\s*{re.escape(table)}\s*\]", text, re.MULTILINE)
        if not header:
            return None
        start = header.end()
    found = re.compile(
        rf"^\s*(?:[\"']?{re.escape(key)}[\"']?\s*=|\[\s*{re.escape(key)}\s*\])", re.MULTILINE
    ).search(text, start)
    return text.count("\n", 0, found.start()) + 1 if found else None


class _Checker:
    """Reads one file's values, failing with `<file>:<line>: <what to fix>`."""

    def __init__(self, path: Path, text: str, data: dict[str, Any]) -> None:
        self.path, self.text, self.data = path, text, data

    def fail(self, what: str, key: str | None = None, table: str | None = None):
        line = _line_of(self.text, key, table) if key else None
        where = f"{self.path}:{line}" if line else str(self.path)
        return OutletConfigError(f"{where}: {what}")

    def text_value(self, key: str, default: str | None = None) -> str | None:
        value = self.data.get(key, default)
        if value is not None and (not isinstance(value, str) or not value.strip()):
            raise self.fail(f"{key} must be a non-empty string, not {value!r}", key)
        return value

    def list_value(self, key: str) -> list[str]:
        value = self.data.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
            raise self.fail(f'{key} must be a list of non-empty strings, like ["..."]', key)
        return value

    def css(self, key: str, css: str, table: str | None = None) -> str:
        """CSS that Scrapy runs on listing pages (parsel's cssselect)."""
        try:
            _CSS.css_to_xpath(css)
        except SelectorError as error:
            raise self.fail(f"{key} {css!r}: not a CSS selector ({error})", key, table) from None
        return css

    def reader_css(self, key: str, css: str, table: str | None = None) -> str:
        """CSS that the article reader runs (Lexbor's engine, newswatch/extract.py)."""
        try:
            return check_css(css)
        except CSSError as error:
            raise self.fail(f"{key} {error}", key, table) from None

    def regex(self, key: str, pattern: str) -> str:
        try:
            re.compile(pattern)
        except re.error as error:
            raise self.fail(f"{key} {pattern!r}: not a regular expression ({error})", key) from None
        return pattern


def _read(path: Path) -> tuple[str, dict[str, Any]]:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise OutletConfigError(f"{path}: cannot read outlet file: {error}") from None
    try:
        return text, tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        # tomllib says "(at line N, column M)": move the line to the front like every error here.
        found = re.search(r"^(.*) \(at line (\d+), column \d+\)$", str(error))
        if found:
            raise OutletConfigError(f"{path}:{found[2]}: not valid TOML: {found[1]}") from None
        raise OutletConfigError(f"{path}: not valid TOML: {error}") from None


def outlet_attributes(path: Path) -> dict[str, Any]:
    """The class attributes an outlet file declares, checked; OutletConfigError if wrong."""
    text, data = _read(path)
    check = _Checker(path, text, data)
    if unknown := sorted(set(data) - KNOWN):
        raise check.fail(
            f"unknown key {unknown[0]!r}; allowed: {', '.join(sorted(KNOWN))}", unknown[0]
        )
    for key in REQUIRED:
        if key not in data:
            raise check.fail(f"missing required key {key!r} (see CONTRIBUTING.md)")
    name = check.text_value("name")
    if not _NAME.match(name):
        raise check.fail(f"name {name!r} must be lower-case letters, digits and _", "name")
    if name != path.stem:
        raise check.fail(f"name {name!r} must equal the file name {path.stem!r}", "name")
    attrs: dict[str, Any] = {"name": name, "config_path": str(path)}
    for key in ("outlet_name", *OPTIONAL_TEXT):
        if (value := check.text_value(key)) is not None:
            attrs[key] = value
    for key in LISTS:
        attrs[key] = check.list_value(key)

    domains = attrs.pop("domains")
    if not domains or any("/" in d or ":" in d for d in domains):
        raise check.fail('domains must list bare host names, like ["kalbela.com"]', "domains")
    attrs["allowed_domains"] = [d.lower().removeprefix("www.") for d in domains]
    base_url = check.text_value("base_url")
    parts = urlsplit(base_url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise check.fail(f"base_url {base_url!r} must be an http(s) URL", "base_url")
    if not on_domains(base_url, attrs["allowed_domains"]):
        raise check.fail(f"base_url {base_url!r} is not on domains {domains}", "base_url")
    attrs["base_url"] = base_url
    attrs["article_url"] = check.regex("article_url", check.text_value("article_url"))
    if not any(attrs[route] for route in ROUTES):
        raise check.fail(f"no discovery route: set at least one of {', '.join(ROUTES)}")
    for pattern in attrs["boilerplate"]:
        check.regex("boilerplate", pattern)
    for key in ("listing_area", "js_load_more"):
        if key in attrs:
            check.css(key, attrs[key])
    # next_page is CSS of a link, or a URL template with {page}.
    if "next_page" in attrs and "{page}" not in attrs["next_page"]:
        check.css("next_page", attrs["next_page"])
    for css in attrs["exclude"]:
        check.reader_css("exclude", css)
    attrs["selectors"] = _selectors(check)
    return attrs


def _selectors(check: _Checker) -> dict[str, str]:
    selectors = check.data.get("selectors", {})
    if not isinstance(selectors, dict):
        raise check.fail('selectors must be a table: [selectors] then field = "css"', "selectors")
    for field, css in selectors.items():
        if field not in FIELD_NAMES:
            raise check.fail(
                f"unknown selector field {field!r}; known: {', '.join(FIELD_NAMES)}",
                field,
                "selectors",
            )
        if not isinstance(css, str) or not css.strip():
            raise check.fail(f"selector {field} must be a CSS string", field, "selectors")
        check.reader_css(field, css, "selectors")
    return dict(selectors)


def spider_class(path: Path) -> type[ConfiguredOutletSpider]:
    """One `OutletSpider` subclass for the outlet file at `path`."""
    attrs = outlet_attributes(path)
    class_name = "".join(p.title() for p in attrs["name"].split("_")) + "Spider"
    attrs["__doc__"] = f"{attrs['outlet_name']}, configured in {path.name} (no spider module)."
    attrs["__module__"] = __name__
    cls = type(class_name, (ConfiguredOutletSpider,), attrs)
    try:
        cls._check_declaration()
    except ConfigError as error:
        raise OutletConfigError(f"{path}: {error}") from None
    return cls


def load_outlets(folder: Path | str | None = None) -> dict[str, type[ConfiguredOutletSpider]]:
    """Every `*.toml` in `folder` (default: the repository's outlets/), by spider name."""
    folder = Path(folder) if folder else OUTLETS_DIR
    if not folder.is_dir():
        return {}
    return {path.stem: spider_class(path) for path in sorted(folder.glob("*.toml"))}

"""`newswatch snapshot <url> --outlet NAME [--origin URL]`: save one page of an outlet as a fixture
and draft the record the outlet's reader makes of it.

The page goes to ``tests/fixtures/<outlet>/site/<path>`` by the mapping of tests/fixtures/README.md
(the fixture server then answers the page's URL with it). The draft goes to
``tests/fixtures/<outlet>/expected.draft.jsonl``: the record the outlet's own spider and the
normalise, validate and topic pipelines make of the page, with a ``_review`` note. It is a
draft, not the spec: a person checks each field against the page and moves the line, without
``_review``, to ``expected.jsonl`` (CONTRIBUTING.md). An outlet that has no spider or outlet file
yet is read with the generic layers only (JSON-LD/meta, then trafilatura).

Exit status: 0 saved; 1 the page could not be fetched; 2 bad arguments (one line says why).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import urllib.error
import urllib.request
from dataclasses import fields
from pathlib import Path, PurePosixPath
from types import SimpleNamespace
from typing import Any
from urllib.parse import unquote, urlsplit, urlunsplit

from itemadapter import ItemAdapter
from scrapy import Request
from scrapy.exceptions import DropItem
from scrapy.http import HtmlResponse

from newswatch.configured import OutletConfigError
from newswatch.fixtureserver import content_type, resolve
from newswatch.incremental import ARTICLE
from newswatch.items import Article
from newswatch.outlet import ConfigError, OutletSpider, on_domains, parse_origin

EXIT_OK, EXIT_FETCH, EXIT_USAGE = 0, 1, 2
FIXTURES = Path(__file__).resolve().parent.parent / "tests" / "fixtures"
DRAFT_FILE = "expected.draft.jsonl"
# The fields of tests/fixtures/README.md's expected records: the record's, in its order, less
# the ones that change every run or are not kept there.
EXPECTED_FIELDS = tuple(f.name for f in fields(Article) if f.name not in ("fetched_at", "version"))
_KEEP_SUFFIXES = {".html", ".htm", ".xml", ".json", ".txt"}
_NAME = re.compile(r"^[a-z][a-z0-9_]*$")


class SnapshotError(Exception):
    """Bad input: one line on stderr, exit status 2."""


def add_snapshot_command(subparsers) -> None:
    """Add `snapshot` to the `newswatch` sub-command parsers."""
    snap = subparsers.add_parser(
        "snapshot",
        help="save a page as a test fixture and draft its expected record",
        description=__doc__.split("\n\n")[0],
    )
    snap.add_argument("url", help="the page's real URL, e.g. https://www.example.com/news/1")
    snap.add_argument("--outlet", required=True, metavar="NAME", help="spider / outlet file name")
    snap.add_argument(
        "--origin",
        metavar="URL",
        help="fetch from a copy of the site served here (http://127.0.0.1:8801) instead",
    )
    snap.add_argument(
        "--fixtures",
        type=Path,
        default=FIXTURES,
        metavar="DIR",
        help="the fixtures folder (default: tests/fixtures of this checkout)",
    )
    snap.add_argument("--force", action="store_true", help="replace a page already saved")
    snap.add_argument(
        "--no-draft",
        action="store_true",
        help="save only, no draft record (listing pages; feeds and sitemaps never get one)",
    )
    snap.set_defaults(handler=cmd_snapshot)


def fixture_path(url: str) -> PurePosixPath:
    """Where a URL's page is stored below `site/` (tests/fixtures/README.md, the inverse of
    `newswatch.fixtureserver.resolve`): Bengali slugs decoded, `?` as `__`, `.html` added."""
    parts = urlsplit(url)
    path = unquote(parts.path).lstrip("/")
    if parts.query:
        path += "__" + unquote(parts.query)
    if not path or path.endswith("/"):
        path += "index.html"
    elif PurePosixPath(path).suffix.lower() not in _KEEP_SUFFIXES:
        path += ".html"
    stored = PurePosixPath(path)
    if any(part in ("", ".", "..") for part in stored.parts):
        raise SnapshotError(f"cannot store {url!r}: its path has empty, '.' or '..' segments")
    return stored


def cmd_snapshot(args: argparse.Namespace) -> int:
    try:
        return snapshot(args)
    except SnapshotError as error:
        print(f"newswatch: {error}", file=sys.stderr)
        return EXIT_USAGE
    except FetchError as error:
        print(f"newswatch: {error}", file=sys.stderr)
        return EXIT_FETCH


class FetchError(Exception):
    """The page could not be fetched: exit status 1."""


def snapshot(args: argparse.Namespace) -> int:
    from newswatch.runner import project_settings

    url, name = args.url, args.outlet
    if urlsplit(url).scheme not in ("http", "https") or not urlsplit(url).hostname:
        raise SnapshotError(f"url must be an absolute http(s) URL (got {url!r})")
    if not _NAME.match(name):
        raise SnapshotError(f"--outlet must be a spider name like kalbela (got {name!r})")
    try:
        origin = parse_origin(args.origin) if args.origin else None
    except ConfigError as error:
        raise SnapshotError(f"--origin: {error}") from None
    settings = project_settings()
    spidercls = _outlet_class(name, url, settings)
    if not on_domains(url, spidercls.allowed_domains):
        raise SnapshotError(
            f"{url} is not on {name}'s domains ({', '.join(spidercls.allowed_domains)})"
        )

    site = args.fixtures / name / "site"
    target = site / fixture_path(url)
    if target.exists() and not args.force:
        raise SnapshotError(f"{target} is already saved; add --force to replace it")
    fetch_url = _on_origin(url, origin) if origin else url
    final_url, body, headers = _fetch(fetch_url, settings)

    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(body)
    # The fixture server must answer the real URL's path with exactly this file.
    served = urlsplit(url)
    if resolve(site, urlunsplit(("", "", served.path, served.query, ""))) != target.resolve():
        target.unlink()
        raise SnapshotError(
            f"{url}: no file name the fixture server maps back to it; save it by hand"
        )
    print(f"saved {target}")

    if args.no_draft:
        return EXIT_OK
    if not content_type(target, body).startswith("text/html"):
        print("a feed, sitemap or data file: no draft record")
        return EXIT_OK
    draft = draft_record(spidercls, url, final_url, body, headers, origin, settings)
    if draft is None:
        print("not an HTML page: no draft record")
        return EXIT_OK
    drafts = args.fixtures / name / DRAFT_FILE
    _replace_line(drafts, draft)
    print(f"draft record: {drafts}")
    print(f"  {draft['_review']}")
    for field in ("title", "published", "byline", "section"):
        print(f"  {field}: {draft[field]}")
    print(f"  text: {len(draft['text'] or '')} characters, topics: {draft['topics']}")
    return EXIT_OK


def _outlet_class(name: str, url: str, settings: Any) -> type[OutletSpider]:
    """The outlet's spider class (coded or configured), or a generic one for a new outlet."""
    from newswatch.loader import OutletLoader

    try:
        spidercls = OutletLoader(settings).load(name)
    except KeyError:
        # A new outlet: snapshot comes before the spider. Read with the generic layers only.
        host = (urlsplit(url).hostname or "").removeprefix("www.")
        return type(
            "DraftSpider",
            (OutletSpider,),
            {
                "name": name,
                "outlet_name": f"TODO ({name})",
                "allowed_domains": [host],
                "base_url": f"{urlsplit(url).scheme}://{urlsplit(url).netloc}",
                "article_url": ".",
                "__module__": __name__,
                "draft_only": True,
            },
        )
    except OutletConfigError as error:
        raise SnapshotError(str(error)) from None
    if not issubclass(spidercls, OutletSpider):
        raise SnapshotError(f"spider {name!r} is not an OutletSpider: it has no article reader")
    return spidercls


def _on_origin(url: str, origin: str) -> str:
    parts, base = urlsplit(url), urlsplit(origin)
    return urlunsplit((base.scheme, base.netloc, parts.path, parts.query, ""))


def _fetch(url: str, settings: Any) -> tuple[str, bytes, dict[str, str]]:
    """GET one page as the crawler would ask for it; (final URL, body, headers)."""
    headers = dict(settings.getdict("DEFAULT_REQUEST_HEADERS"))
    headers["User-Agent"] = settings.get("USER_AGENT")
    limit = settings.getint("DOWNLOAD_MAXSIZE")
    request = urllib.request.Request(url, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=settings.getint("DOWNLOAD_TIMEOUT")) as reply:
            body = reply.read(limit + 1)
            if len(body) > limit:
                raise FetchError(f"{url}: larger than DOWNLOAD_MAXSIZE ({limit} bytes)")
            return reply.geturl(), body, dict(reply.headers.items())
    except urllib.error.HTTPError as error:
        raise FetchError(f"cannot fetch {url}: HTTP {error.code}") from None
    except (urllib.error.URLError, OSError) as error:
        reason = getattr(error, "reason", error)
        raise FetchError(f"cannot fetch {url}: {reason}") from None


class _Counts:
    """Stats for one offline reading; the counts are not needed, only accepted."""

    def inc_value(self, key: str, count: int = 1, start: int = 0) -> None:
        pass


def draft_record(
    spidercls: type[OutletSpider],
    url: str,
    fetched_url: str,
    body: bytes,
    headers: dict[str, str],
    origin: str | None,
    settings: Any,
) -> dict[str, Any] | None:
    """The record the outlet's spider and the normalise/validate/topic pipelines make of the
    page, in the shape of expected.jsonl, with a `_review` note first."""
    from pipelines.normalize import NormalizePipeline
    from pipelines.topics import TopicFilterPipeline
    from pipelines.validate import ValidatePipeline

    spider = spidercls(origin=origin) if origin else spidercls()
    crawler = SimpleNamespace(stats=_Counts(), spider=spider, settings=settings)
    spider.crawler = crawler
    response = HtmlResponse(
        url=fetched_url,
        body=body,
        headers={k: v for k, v in headers.items() if k.lower() == "content-type"},
        request=Request(fetched_url, meta={ARTICLE: url}),
    )
    items = list(spider.parse_article(response))
    if not items:
        return None
    item = NormalizePipeline(crawler).process_item(items[0])
    notes = []
    if getattr(spidercls, "draft_only", False):
        notes.append(
            f"no spider or outlet file named {spider.name!r} yet: read with JSON-LD/meta and "
            "the generic extractor only; write one, then run snapshot again with --force"
        )
    try:
        ValidatePipeline(crawler).process_item(item)
        TopicFilterPipeline(crawler).process_item(item)
        notes.append(
            "DRAFT: check every field against the page; fix the spider or outlet file where the "
            "reader is wrong; then move this line, without _review, to expected.jsonl"
        )
    except DropItem as dropped:
        reason = str(dropped).split(":", 1)[0]
        if reason == "off_topic":
            notes.append(
                "OFF-TOPIC (no topic matched): keep the page as the off-topic case and leave "
                "this line out of expected.jsonl"
            )
        else:
            field = reason.removeprefix("missing_")
            notes.append(
                f"INCOMPLETE: the reader found no {field}; add a selector for it, then run "
                "snapshot again with --force"
            )
    adapter = ItemAdapter(item)
    record = {"_review": "; ".join(notes)}
    for field in EXPECTED_FIELDS:
        record[field] = adapter.get(field)
    record["topics"] = [t["id"] for t in adapter.get("topics") or []]
    return record


def _replace_line(path: Path, record: dict[str, Any]) -> None:
    """Append `record`, replacing an earlier draft of the same URL (a re-snapshot)."""
    kept = []
    if path.exists():
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip() and json.loads(line).get("url") != record["url"]:
                kept.append(line)
    kept.append(json.dumps(record, ensure_ascii=False))
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(kept) + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    """`python -m newswatch.snapshot ...`: the same command before it is wired into `newswatch`."""
    parser = argparse.ArgumentParser(prog="newswatch")
    add_snapshot_command(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(["snapshot", *(sys.argv[1:] if argv is None else argv)])
    return args.handler(args)


if __name__ == "__main__":
    sys.exit(main())

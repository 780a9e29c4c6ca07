"""`newswatch topics explain PATH` and `newswatch topics eval`: look inside the topic matcher.

Wired into the main parser by `add_topics_commands(subparsers)` (newswatch/cli.py).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Iterator
from pathlib import Path

from newswatch.text import normalize, paragraphs
from newswatch.topics import TopicError, TopicReport, TopicSet

EXIT_OK, EXIT_USAGE = 0, 2
_URL_LINE = re.compile(r"^https?://\S+$")


class _Usage(Exception):
    """Bad input: one line on stderr, exit status 2."""


def add_topics_commands(subparsers) -> None:
    """Add `topics explain` and `topics eval` to the `newswatch` sub-command parsers."""
    topics = subparsers.add_parser("topics", help="explain or measure the topic matcher")
    sub = topics.add_subparsers(dest="topics_command", required=True)
    explain = sub.add_parser(
        "explain", help="show each topic's score and matched terms for a text, page or records"
    )
    explain.add_argument("path", type=Path, help="a .txt, .html or .jsonl (records) file")
    explain.add_argument("--topic", action="append", metavar="ID", help="only this topic")
    explain.set_defaults(handler=cmd_explain)
    evaluate = sub.add_parser("eval", help="precision, recall and F1 on the labelled set")
    evaluate.add_argument(
        "--set", dest="set_path", type=Path, help="a labelled .jsonl or a folder of them"
    )
    evaluate.add_argument("--topic", action="append", metavar="ID", help="only this topic")
    evaluate.set_defaults(handler=cmd_eval)


def _run(body, args: argparse.Namespace) -> int:
    try:
        return body(args)
    except (_Usage, TopicError) as error:
        print(f"newswatch: {error}", file=sys.stderr)
        return EXIT_USAGE


def cmd_explain(args: argparse.Namespace) -> int:
    return _run(_explain, args)


def cmd_eval(args: argparse.Namespace) -> int:
    return _run(_eval, args)


# --- explain ----------------------------------------------------------------------------------


def read_texts(path: Path) -> Iterator[tuple[str, str, list[str]]]:
    """(label, title, paragraphs) of each text in a .txt, .html or .jsonl file."""
    if not path.is_file():
        raise _Usage(f"no such file: {path}")
    suffix = path.suffix.lower()
    try:
        raw = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise _Usage(f"cannot read {path}: {error}") from None
    if suffix in (".html", ".htm"):
        yield str(path), *_read_html(raw, path)
    elif suffix == ".jsonl":
        for n, line in enumerate(raw.splitlines(), 1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as error:
                raise _Usage(f"{path}:{n}: not JSON ({error})") from None
            if not isinstance(record, dict) or not isinstance(record.get("title", ""), str):
                raise _Usage(f"{path}:{n}: not a record with a title and text")
            label = f"{path}:{n} {record.get('id') or record.get('url') or ''}".rstrip()
            yield label, record.get("title") or "", paragraphs(str(record.get("text") or ""))
    elif suffix == ".txt":
        yield str(path), *_read_txt(raw)
    else:
        raise _Usage(f"{path}: explain reads .txt, .html or .jsonl files, not {suffix or 'this'}")


def _read_txt(raw: str) -> tuple[str, list[str]]:
    """First non-empty line (after a leading URL line) = title; then blocks or lines."""
    lines = raw.splitlines()
    while lines and not lines[0].strip():
        lines.pop(0)
    if lines and _URL_LINE.match(lines[0].strip()):  # the realtext layout: URL, blank, title
        lines.pop(0)
        while lines and not lines[0].strip():
            lines.pop(0)
    if not lines:
        return "", []
    title, rest = normalize(lines[0]), "\n".join(lines[1:])
    blocks = [normalize(b) for b in re.split(r"\n\s*\n", rest)]
    blocks = [b for b in blocks if b]
    if len(blocks) < 2:  # no blank lines between paragraphs: one paragraph a line
        blocks = [p for p in map(normalize, rest.splitlines()) if p]
    return title, blocks


def _read_html(raw: str, path: Path) -> tuple[str, list[str]]:
    from newswatch.extract import read_page

    reading = read_page(raw, path.resolve().as_uri(), selectors={})
    return reading.title or "", list(reading.paragraphs)


def format_report(report: TopicReport) -> list[str]:
    verdict = "KEPT" if report.kept else "not kept"
    cmp = ">=" if report.score >= report.threshold else "<"
    lines = [
        f"  {report.id} ({report.name}): {verdict}, score {report.score:g} {cmp} "
        f"threshold {report.threshold:g}; rule: {report.rule}"
    ]
    if report.missing:
        lines.append(f"    rule not met: no term of group {', '.join(report.missing)}")
    elif not report.linked:
        lines.append(f"    rule met, but the groups are not linked: {_LINKS[report.link]}")
    elif not report.kept:
        lines.append("    rule met, but the score is below the threshold")
    if report.matches:
        width = max(len(m.term) for m in report.matches)
        for m in report.matches:
            lines.append(f"    {m.group:<10} {m.term:<{width}}  {m.where:<5}  x{m.count}")
    else:
        lines.append("    no terms found")
    if report.link:
        lines.append(f"    link: {report.link} ({_LINKS[report.link]})")
    lines += [f"    why: {reason}" for reason in report.why]
    return lines


# What each link level (newswatch.topics.LINKS) means, for `explain`.
_LINKS = {
    "sentence": "the groups meet in one sentence",
    "paragraph": "the groups meet in one paragraph",
    "relation": "each group is named in the title or beside a relation word, or troops/arms/"
    "workers beside one side with the other in that paragraph or the next",
    "headline": "the title has a relation word",
    "list": "named together only as items of a list, a tally or a comparison, or across a contrast",
    "apart": "named only far apart, with no relation word near them, or each tied to another "
    "country",
}


def _explain(args: argparse.Namespace) -> int:
    topics = TopicSet.load(args.topic)
    for label, title, body in read_texts(args.path):
        print(f"{label}\n  title: {title or '(none)'}\n  paragraphs: {len(body)}")
        for report in topics.explain(title, body):
            print("\n".join(format_report(report)))
        print()
    return EXIT_OK


# --- eval -------------------------------------------------------------------------------------


def _eval(args: argparse.Namespace) -> int:
    from newswatch.topics.evaluate import EVAL_DIR, evaluate, format_report, load_items

    path = args.set_path or EVAL_DIR
    try:
        items = load_items(path)
    except ValueError as error:
        raise _Usage(str(error)) from None
    topics = TopicSet.load(args.topic)
    print(format_report(evaluate(topics, items), len(items), str(path)))
    return EXIT_OK

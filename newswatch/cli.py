"""The `newswatch` command: run (cron), demo (offline, on the bundled fixture sites), doctor
(one live page per layer, after a redesign), export (seed layout, CSV, Parquet), state, topics.

Exit status: 0 every outlet ok; 1 an outlet was unreachable or looked broken; 2 bad arguments or
configuration (one line on stderr says what to fix); 3 another run holds the state (locked).
"""

from __future__ import annotations

import argparse
import sys
from contextlib import ExitStack
from pathlib import Path

from newswatch import export as seed_export
from newswatch.fixtureserver import serving
from newswatch.outlet import ConfigError, parse_origin
from newswatch.runner import EXIT_LOCKED, EXIT_OK, EXIT_OUTLET_PROBLEM, EXIT_USAGE
from newswatch.snapshot import add_snapshot_command
from newswatch.topics.cli import add_topics_commands

FIXTURES = Path(__file__).resolve().parent.parent / "tests" / "fixtures"


class LockedError(Exception):
    """Another run holds the state: printed as one line, exit status 3."""


class UsageError(Exception):
    """Bad input from the user: printed as one line, exit status 2."""


def _settings(args: argparse.Namespace):
    from newswatch.runner import project_settings

    overrides = dict(_setting(s) for s in args.set)
    if args.data_dir:
        overrides["NEWSWATCH_DATA_DIR"] = str(args.data_dir)
    if getattr(args, "worker_id", None):
        overrides["NEWSWATCH_WORKER_ID"] = args.worker_id
    return project_settings(overrides)


def _setting(text: str) -> tuple[str, str]:
    name, sep, value = text.partition("=")
    if not sep or not name:
        raise UsageError(f"-s takes NAME=VALUE (got {text!r})")
    return name, value


def _pick_outlets(settings, wanted: str | None, available: list[str]) -> list[str]:
    if not wanted:
        return available
    names = [n.strip() for n in wanted.split(",") if n.strip()]
    unknown = [n for n in names if n not in available]
    if unknown:
        raise UsageError(
            f"unknown outlet(s): {', '.join(unknown)}; "
            f"known: {', '.join(available)} (see `scrapy list`)"
        )
    return names


def _origin(text: str, outlets: list[str]) -> tuple[str, str]:
    name, sep, origin = text.partition("=")
    if not sep or name not in outlets:
        raise UsageError(f"--origin takes OUTLET=URL for an outlet of this run (got {text!r})")
    try:
        return name, parse_origin(origin)
    except ConfigError as error:
        raise UsageError(f"--origin {name}: {error}") from None


def _open_state(settings, lock: bool):
    """The state store of these settings, with the run lock taken when `lock`."""
    from newswatch.state import StateError, open_state, run_lock, state_location

    location = state_location(settings.get("NEWSWATCH_STATE"), settings.get("NEWSWATCH_DATA_DIR"))
    worker = settings.get("NEWSWATCH_WORKER_ID", "")
    try:
        if lock:
            run_lock(location, worker).acquire()
        return open_state(location, worker)
    except StateError as error:
        if "another newswatch run" in str(error):
            raise LockedError(str(error)) from None
        raise UsageError(str(error)) from None


def _data_dir_writable(settings) -> Path:
    folder = Path(settings.get("NEWSWATCH_DATA_DIR"))
    try:
        folder.mkdir(parents=True, exist_ok=True)
        probe = folder / ".write-test"
        probe.write_text("")
        probe.unlink()
    except OSError as error:
        raise UsageError(
            f"data folder {folder} is not writable ({error.strerror}); "
            "set --data-dir or NEWSWATCH_DATA_DIR"
        ) from None
    return folder


def _check_topics(settings) -> None:
    """An unknown topic id or a malformed topic file stops the run before anything is written."""
    from newswatch.topics import TopicError, TopicSet

    try:
        TopicSet.load(settings.getlist("NEWSWATCH_TOPICS") or None)
    except TopicError as error:
        raise UsageError(str(error)) from None


def _progress_stream(wanted: bool | None):
    """The progress line goes to stderr, and by default only when stderr is a terminal."""
    if wanted is None:
        wanted = sys.stderr.isatty()
    return sys.stderr if wanted else None


def run_with_settings(
    settings, outlets: str | None, origins: list[str], progress: bool | None = None
) -> int:
    """`newswatch run` and `scrapy crawlall`: check, lock, crawl, report; the exit status."""
    from scrapy.spiderloader import get_spider_loader

    from newswatch.runner import run_outlets

    try:
        names = _pick_outlets(settings, outlets, get_spider_loader(settings).list())
        pointed = dict(_origin(o, names) for o in origins)
        _check_topics(settings)
        folder = _data_dir_writable(settings)
        _open_state(settings, lock=True).close()  # refuse before crawling: locked or corrupt
    except (UsageError, ConfigError) as error:
        print(f"newswatch: {error}", file=sys.stderr)
        return EXIT_USAGE
    except LockedError as error:
        print(f"newswatch: {error}", file=sys.stderr)
        return EXIT_LOCKED
    print(f"newswatch: crawling {len(names)} outlets into {folder}/", flush=True)
    result = run_outlets(
        names,
        settings,
        {o: {"origin": u} for o, u in pointed.items()},
        progress=_progress_stream(progress),
    )
    return result.exit_status


def cmd_run(args: argparse.Namespace) -> int:
    return run_with_settings(_settings(args), args.outlets, args.origin, args.progress)


def cmd_demo(args: argparse.Namespace) -> int:
    from newswatch.runner import run_outlets

    settings = _settings(args)
    if not args.data_dir and not any(s.startswith("NEWSWATCH_DATA_DIR=") for s in args.set):
        settings.set("NEWSWATCH_DATA_DIR", "demo-data", priority="cmdline")
    # Loopback needs no politeness delay.
    settings.set("AUTOTHROTTLE_ENABLED", False, priority="cmdline")
    settings.set("DOWNLOAD_DELAY", 0, priority="cmdline")
    from scrapy.spiderloader import get_spider_loader

    # Saved sites of outlets whose spider exists (a fixture may arrive before its spider).
    spiders = set(get_spider_loader(settings).list())
    sites = sorted(p.parent.name for p in FIXTURES.glob("*/site") if p.parent.name in spiders)
    outlets = _pick_outlets(settings, args.outlets, sites)
    folder = _data_dir_writable(settings)
    _open_state(settings, lock=True).close()
    with ExitStack() as stack:
        origins = {o: stack.enter_context(serving(FIXTURES / o / "site")) for o in outlets}
        for outlet, origin in origins.items():
            print(f"serving the saved {outlet} site at {origin}", flush=True)
        result = run_outlets(
            outlets,
            settings,
            {o: {"origin": u} for o, u in origins.items()},
            progress=_progress_stream(args.progress),
        )
    print(
        f"records: {folder}/<date>/<outlet>.jsonl; turn them into text files with "
        f"`newswatch export {folder} <folder>`"
    )
    return result.exit_status


def cmd_export(args: argparse.Namespace) -> int:
    form = seed_export.guess_format(args.out, args.format)
    try:
        selection = seed_export.Selection(
            since=seed_export.parse_day(args.since, "--since"),
            until=seed_export.parse_day(args.until, "--until"),
            outlets=frozenset(_names(args.outlet)),
            topics=frozenset(_names(args.topic)),
        )
        records = seed_export.select(args.records, selection, args.all_versions)
        if form == "csv":
            count = seed_export.write_csv(records, args.out)
        elif form == "parquet":
            count = seed_export.write_parquet(records, args.out)
        else:
            count = len(seed_export.export(records, args.out))
    except ValueError as error:
        raise UsageError(str(error)) from None
    where = f"{args.out}/" if form == "txt" else str(args.out)
    print(f"wrote {count} {'files' if form == 'txt' else 'rows'} to {where}")
    return EXIT_OK


def _names(values: list[str] | None) -> list[str]:
    """`--outlet a,b --outlet c` -> [a, b, c]."""
    return [n.strip() for v in values or [] for n in v.split(",") if n.strip()]


def cmd_doctor(args: argparse.Namespace) -> int:
    from scrapy.spiderloader import get_spider_loader

    from newswatch.doctor import Fetcher, diagnose, print_diagnosis

    settings = _settings(args)
    loader = get_spider_loader(settings)
    outlets = _pick_outlets(settings, ",".join(args.outlet), loader.list())
    origins = dict(_origin(o, outlets) for o in args.origin)
    fetcher = Fetcher(settings.get("USER_AGENT"), settings.getfloat("DOWNLOAD_TIMEOUT"))
    broken = []
    for outlet in outlets:
        try:
            spider = loader.load(outlet)(origin=origins.get(outlet))
        except ConfigError as error:
            raise UsageError(f"{outlet}: {error}") from None
        found = diagnose(spider, fetcher)
        print_diagnosis(found, sys.stdout)
        if not found.ok:
            broken.append(outlet)
    print(f"broken: {', '.join(broken)}" if broken else f"all {len(outlets)} outlets ok")
    return EXIT_OUTLET_PROBLEM if broken else EXIT_OK


def cmd_state(args: argparse.Namespace) -> int:
    store = _open_state(_settings(args), lock=args.action == "forget")
    try:
        if args.action == "forget":
            forgotten = store.forget(args.outlet)
            print(
                f"forgot {forgotten} URLs{f' of {args.outlet}' if args.outlet else ''}; "
                "the next run fetches those articles again"
            )
        else:
            print(f"state: {store.path}")
            for status, count in sorted(store.counts().items()):
                print(f"  {status:10} {count}")
    finally:
        store.close()
    return EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="newswatch", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)

    def crawl_options(command: argparse.ArgumentParser) -> None:
        command.add_argument("--outlets", help="comma-separated spider names (default: all)")
        command.add_argument("--data-dir", type=Path, help="output folder (NEWSWATCH_DATA_DIR)")
        command.add_argument(
            "-s",
            "--set",
            action="append",
            default=[],
            metavar="NAME=VALUE",
            help="override a Scrapy/newswatch setting",
        )

    def origin_option(command: argparse.ArgumentParser, what: str) -> None:
        command.add_argument(
            "--origin",
            action="append",
            default=[],
            metavar="OUTLET=URL",
            help=f"{what} a copy of OUTLET's site served at URL (e.g. a saved mirror)",
        )

    def progress_option(command: argparse.ArgumentParser) -> None:
        command.add_argument(
            "--progress",
            action=argparse.BooleanOptionalAction,
            default=None,
            help="a live progress line on stderr (default: only when stderr is a terminal)",
        )

    run = commands.add_parser("run", help="crawl every outlet into the data folder (for cron)")
    crawl_options(run)
    origin_option(run, "crawl")
    progress_option(run)
    run.add_argument(
        "--worker-id",
        help="this worker's name when several share a Redis state/queue (NEWSWATCH_WORKER_ID)",
    )
    run.set_defaults(handler=cmd_run)
    demo = commands.add_parser(
        "demo",
        help="serve the bundled fixture sites on 127.0.0.1 and crawl them (no network needed)",
    )
    crawl_options(demo)
    progress_option(demo)
    demo.set_defaults(handler=cmd_demo)
    doctor = commands.add_parser(
        "doctor",
        help="fetch one listing and one article per outlet and show what each layer reads",
    )
    doctor.add_argument("outlet", nargs="*", help="outlets to check (default: all)")
    origin_option(doctor, "check")
    doctor.add_argument(
        "-s", "--set", action="append", default=[], metavar="NAME=VALUE", help="a setting"
    )
    doctor.set_defaults(handler=cmd_doctor, data_dir=None)
    state = commands.add_parser(
        "state", help="show the state store, or forget URLs so they are crawled again"
    )
    state.add_argument("action", choices=["show", "forget"])
    state.add_argument("--outlet", help="forget only this outlet's URLs")
    crawl_options(state)
    state.set_defaults(handler=cmd_state)
    exp = commands.add_parser(
        "export", help="write records as NNN_<id>.txt (seed layout), or one CSV or Parquet table"
    )
    exp.add_argument("records", type=Path, help="a JSON-lines file of records, or a data folder")
    exp.add_argument(
        "out", type=Path, help="a folder (seed layout), or a .csv / .parquet file to write"
    )
    exp.add_argument("--format", choices=seed_export.FORMATS, help="default: from OUT's suffix")
    exp.add_argument("--since", metavar="DATE", help="published on or after (2025-07-01)")
    exp.add_argument("--until", metavar="DATE", help="published on or before")
    exp.add_argument("--outlet", action="append", metavar="NAME", help="only these outlets (a,b)")
    exp.add_argument("--topic", action="append", metavar="ID", help="only these topics (a,b)")
    exp.add_argument(
        "--all-versions",
        action="store_true",
        help="keep every version of an updated article (default: the highest only)",
    )
    exp.set_defaults(handler=cmd_export)
    add_topics_commands(commands)
    add_snapshot_command(commands)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.handler(args)
    except (UsageError, ConfigError) as error:
        print(f"newswatch: {error}", file=sys.stderr)
        return EXIT_USAGE
    except LockedError as error:
        print(f"newswatch: {error}", file=sys.stderr)
        return EXIT_LOCKED


if __name__ == "__main__":
    sys.exit(main())

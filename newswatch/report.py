"""The run report: one JSON file per `newswatch run`, beside that day's records.

`<data dir>/<UTC date>/run-<HH-MM-SS>.json` (the run's start time), and a copy at
`<data dir>/last-run.json` for monitoring scripts. The outlets' entries of earlier reports are
the history the coverage check compares with (newswatch/health.py).
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable
from dataclasses import asdict
from datetime import datetime
from pathlib import Path
from typing import Any

from newswatch.health import OutletHealth

REPORT_VERSION = 1
LAST_RUN = "last-run.json"


def report_path(data_dir: Path, started: datetime, worker: str = "") -> Path:
    """run-<time>.json; run-<time>-<worker>.json for a named worker (NEWSWATCH_WORKER_ID)."""
    suffix = f"-{worker}" if worker else ""
    return data_dir / f"{started:%Y-%m-%d}" / f"run-{started:%H-%M-%S}{suffix}.json"


def outlet_entry(health: OutletHealth, outputs: list[Path], stats: dict[str, Any]) -> dict:
    """An outlet's part of the report: its health, the files it appended to, its raw stats."""
    entry = asdict(health)
    entry.pop("outlet")
    entry["broken"] = health.broken
    entry["output"] = [str(path) for path in outputs]
    entry["stats"] = {
        k: (v.isoformat() if isinstance(v, datetime) else v) for k, v in sorted(stats.items())
    }
    return entry


def build_report(
    started: datetime,
    finished: datetime,
    data_dir: Path,
    log_file: Path | None,
    entries: dict[str, dict],
    exit_status: int,
) -> dict:
    return {
        "report_version": REPORT_VERSION,
        "started": started.isoformat(timespec="seconds"),
        "finished": finished.isoformat(timespec="seconds"),
        "seconds": round((finished - started).total_seconds(), 1),
        "data_dir": str(data_dir),
        "log": str(log_file) if log_file else None,
        "exit_status": exit_status,
        "broken": sorted(name for name, e in entries.items() if e["broken"]),
        "outlets": entries,
    }


def write_report(report: dict, path: Path) -> None:
    """Write the report, and replace last-run.json atomically (a reader never sees half)."""
    text = json.dumps(report, ensure_ascii=False, indent=1) + "\n"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    last = Path(report["data_dir"]) / LAST_RUN
    partial = last.with_suffix(".json.tmp")
    partial.write_text(text, encoding="utf-8")
    os.replace(partial, last)


def past_reports(data_dir: Path) -> list[Path]:
    """Earlier run reports, oldest first (the names sort by time)."""
    return sorted(data_dir.glob("*/run-*.json"))


def outlet_history(data_dir: Path, outlets: Iterable[str]) -> dict[str, list[dict]]:
    """{outlet: [its entry in each earlier report, oldest first]}; unreadable reports skipped
    (a report cut short by a full disk must not stop the next run)."""
    history: dict[str, list[dict]] = {name: [] for name in outlets}
    for path in past_reports(data_dir):
        try:
            report = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        for name, entry in (report.get("outlets") or {}).items():
            if name in history and isinstance(entry, dict):
                history[name].append(entry)
    return history

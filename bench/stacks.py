"""Read py-spy's collapsed stacks ("raw" format): where the samples went."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

_FRAME = re.compile(r"^(?P<func>.*?) \((?P<file>[^()]*?)(?::(?P<line>\d+))?\)$")
ROOT = str(Path(__file__).resolve().parents[1]) + "/"


def _place(frame: str) -> tuple[str, str]:
    """(function, short file) of one frame; project files relative to the repo root."""
    match = _FRAME.match(frame.strip())
    if not match:
        return frame.strip(), ""
    path = match["file"].replace(ROOT, "")
    if "site-packages/" in path:
        path = path.split("site-packages/", 1)[1]
    elif "/lib/python3" in path:
        path = "stdlib/" + path.split("/lib/python3", 1)[1].split("/", 1)[-1]
    return match["func"], path


def read(path: Path) -> tuple[Counter, Counter, int]:
    """(self samples, inclusive samples, total samples) per (function, file)."""
    own: Counter = Counter()
    inclusive: Counter = Counter()
    total = 0
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        stack, _, count = line.rpartition(" ")
        if not stack or not count.isdigit():
            continue
        samples = int(count)
        total += samples
        frames = [_place(f) for f in stack.split(";") if f.strip()]
        # py-spy puts the process/thread label first; the leaf is last.
        if frames:
            own[frames[-1]] += samples
        for place in set(frames):
            inclusive[place] += samples
    return own, inclusive, total


def ours(place: tuple[str, str]) -> bool:
    return place[1].startswith(("newswatch/", "pipelines/", "spiders/"))

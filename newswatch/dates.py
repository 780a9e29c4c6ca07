"""Dates as Bengali news pages print them, read into tz-aware datetimes.

A small regex parser handles what the outlets actually print (Bengali or ASCII digits, Bengali
and English month names with their spelling variants, এএম/পিএম, পূর্বাহ্ন/অপরাহ্ন, day-part
words, 24-hour times, ISO 8601). `dateparser` is only a fallback for anything else: it is slow,
and on its own it reads Bengali-calendar tails and relative phrases in surprising ways.

Only Gregorian years 1900-2099 count as years, so `৩০ কার্তিক ১৪৩১` (Bengali calendar) and
Hijri dates (14xx) are never read as the date.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone, tzinfo
from functools import lru_cache
from zoneinfo import ZoneInfo

from newswatch.text import normalize, to_ascii_digits

DHAKA = ZoneInfo("Asia/Dhaka")


@dataclass(frozen=True)
class Dateline:
    published: datetime | None = None  # tz-aware
    modified: datetime | None = None  # tz-aware


def _nfc(word: str) -> str:
    # য় (U+09DF) is a composition exclusion: NFC spells it য + nukta, so patterns must too.
    return unicodedata.normalize("NFC", word)


_MONTH_NAMES = {
    1: "জানুয়ারি জানুয়ারী january jan",
    2: "ফেব্রুয়ারি ফেব্রুয়ারী february feb",
    3: "মার্চ march mar",
    4: "এপ্রিল april apr",
    5: "মে may",
    6: "জুন june jun",
    7: "জুলাই july jul",
    8: "আগস্ট আগষ্ট অগাস্ট august aug",
    9: "সেপ্টেম্বর সেপ্টেম্বার september sept sep",
    10: "অক্টোবর অক্টোবার october oct",
    11: "নভেম্বর নভেম্বার november nov",
    12: "ডিসেম্বর ডিসেম্বার december dec",
}
_MONTHS = {_nfc(name): num for num, names in _MONTH_NAMES.items() for name in names.split()}
_MONTH = "|".join(sorted(map(re.escape, _MONTHS), key=len, reverse=True))

_B = r"\u0980-\u09ffA-Za-z"  # letters that may not touch a month name or marker
_YEAR = r"(?P<y>(?:19|20)\d\d)(?!\d)"
_DAY = r"(?<!\d)(?P<d>\d{1,2})(?!\d)(?:st|nd|rd|th|লা|রা|ঠা|ই|শে)?"
_MON = rf"(?P<m>{_MONTH})\.?(?![{_B}])"

# Each pattern yields d/m/y groups; the ISO one may also carry a time and an offset.
_DATE_PATTERNS = [
    re.compile(
        r"(?<!\d)(?P<y>\d{4})-(?P<m>\d\d)-(?P<d>\d\d)"
        r"(?:[T ](?P<H>\d\d):(?P<M>\d\d)(?::(?P<S>\d\d)(?:\.\d+)?)?"
        r"\s*(?P<tz>Z|[+-]\d\d:?\d\d)?)?(?!\d)"
    ),
    re.compile(rf"{_DAY}\s*{_MON}\s*,?\s*{_YEAR}", re.IGNORECASE),  # ১৩ জুলাই ২০২৫
    re.compile(rf"(?<![{_B}]){_MON}\s*{_DAY}\s*,?\s*{_YEAR}", re.IGNORECASE),  # September 5, 2023
    re.compile(rf"(?<![\d.])(?P<d>\d{{1,2}})([./-])(?P<m>\d{{1,2}})\2{_YEAR}"),  # 13/07/2025
]

_AM, _PM = r"এএম|a\.?\s?m\.?|পূর্বাহ্ন", r"পিএম|p\.?\s?m\.?|অপরাহ্ন"
_DAYPART = r"ভোর|সকাল|দুপুর|বিকাল|বিকেল|সন্ধ্যা|রাত"
_TIME = re.compile(
    rf"(?:(?P<pre>{_DAYPART})\s*)?"
    r"(?<!\d)(?P<H>\d{1,2})(?:(?P<sep>[:.])(?P<M>\d\d)(?:[:.](?P<S>\d\d))?)?(?!\d)"
    rf"(?:\s*(?:(?P<am>{_AM})|(?P<pm>{_PM})|(?P<post>{_DAYPART}))(?![A-Za-z]))?",
    re.IGNORECASE,
)

# An update marker counts only after a first date: `Update Time :` before the only date is a label.
_UPDATE = re.compile(r"আপডেট|হালনাগাদ|updated|update\s*:|সংশোধিত", re.IGNORECASE)

# Noise stripped before the dateparser fallback (the fast path just skips over it).
_NOISE = re.compile(
    r"প্রকাশিত|প্রকাশ|আপডেট|হালনাগাদ|update\s*time|updated|update|published|posted|ঢাকা"
    r"|\(?\s*\d+\s*(?:সেকেন্ড|মিনিট|ঘণ্টা|ঘন্টা|দিন|সপ্তাহ|মাস|বছর)\s*(?:আগে|পূর্বে)\s*\)?"
    # Bengali-calendar and Hijri dates: day, one or two Bengali words, a 13xx/14xx year.
    r"|(?:\d{1,2}\s*)?(?:[\u0980-\u09ff]+\s+){1,2}1[34]\d\d(?!\d)"
    r"(?:\s*(?:হিজরি|হিজরী|বঙ্গাব্দ|সন))?",
    re.IGNORECASE,
)
_MAX_PAIR_GAP = 40  # a time this far from the date belongs to something else


@dataclass(frozen=True)
class _Found:
    start: int
    end: int
    dt: datetime  # midnight unless the match carried its own time (ISO)
    has_time: bool


def _prepare(text: str | None) -> str:
    if not isinstance(text, str):
        return ""
    return to_ascii_digits(normalize(text)).replace("\u200c", "").replace("\u200d", "")


def _offset(raw: str | None, tz: tzinfo) -> tzinfo:
    if not raw:
        return tz
    if raw.upper() == "Z":
        return UTC
    sign = -1 if raw[0] == "-" else 1
    digits = raw[1:].replace(":", "")
    return timezone(sign * timedelta(hours=int(digits[:2]), minutes=int(digits[2:])))


def _month_by_pattern(raw_month: str) -> int:
    """The month of a name the case-insensitive patterns matched through a Unicode case variant
    that str.lower does not map back (`ſep`, `aprıl`): matched again, name by name."""
    return next(
        number
        for name, number in _MONTHS.items()
        if re.fullmatch(re.escape(name), raw_month, re.IGNORECASE)
    )


def _found(m: re.Match[str], tz: tzinfo) -> _Found | None:
    """The date a _DATE_PATTERNS match stands for; None when it is no date (31/02/2025)."""
    g = m.groupdict()
    iso = "H" in g
    day, raw_month, year = int(g["d"]), g["m"], int(g["y"])
    if not raw_month.isdigit():
        month = _MONTHS.get(raw_month.lower()) or _month_by_pattern(raw_month)
    else:  # numeric dates are day-first, unless that cannot be a date (07/13/2025)
        month = int(raw_month)
        if not iso and month > 12 >= day:
            day, month = month, day
    try:
        dt = datetime(
            year,
            month,
            day,
            int(g.get("H") or 0),
            int(g.get("M") or 0),
            int(g.get("S") or 0),
            tzinfo=_offset(g.get("tz"), tz),
        )
    except ValueError:
        return None
    return _Found(m.start(), m.end(), dt, iso and g["H"] is not None)


# A character each pattern cannot match without (`-` twice for ISO, a separator twice for
# 13/07/2025): most Bengali datelines have none, and a `in` test is cheaper than a search.
_NEEDS = [("-",), (), (), ("/", ".", "-")]


def _find_dates(s: str, tz: tzinfo) -> list[_Found]:
    found: list[_Found] = []
    for pattern, needs in zip(_DATE_PATTERNS, _NEEDS, strict=True):
        if needs and not any(c in s for c in needs):
            continue
        for m in pattern.finditer(s):
            if (date := _found(m, tz)) is not None:
                found.append(date)
    found.sort(key=lambda f: (f.start, -f.end))
    kept: list[_Found] = []
    for f in found:  # drop matches overlapping an earlier one
        if not kept or f.start >= kept[-1].end:
            kept.append(f)
    return kept


def _hour(h: int, m: re.Match[str]) -> int:
    """24-hour value of `h` given the meridiem or day-part word around it."""
    part = m["post"] or m["pre"]
    if h > 12 or h == 0:
        return h
    if m["am"]:
        return 0 if h == 12 else h
    if m["pm"] or part in ("বিকাল", "বিকেল", "সন্ধ্যা"):
        return h if h == 12 else h + 12
    if part == "দুপুর":
        return h + 12 if h <= 3 else h
    if part == "রাত":
        return 0 if h == 12 else h + 12 if h >= 6 else h
    return h  # no marker (24-hour clock), ভোর, সকাল: as printed


def _find_times(s: str, dates: list[_Found]) -> list[tuple[int, int, tuple[int, int, int]]]:
    """(start, end, (h, m, s)) of each time in `s` outside the given date matches."""
    times = []
    for m in _TIME.finditer(s):
        marked = m["am"] or m["pm"]
        if m["M"] is None and not marked:  # a bare number is not a time
            continue
        if m["sep"] == "." and not (marked or m["post"] or m["pre"]):  # `১২.৫০` is a number
            continue
        if any(d.start < m.end() and m.start() < d.end for d in dates):
            continue
        hms = (_hour(int(m["H"]), m), int(m["M"] or 0), int(m["S"] or 0))
        if hms[0] < 24 and hms[1] < 60 and hms[2] < 60:
            times.append((m.start(), m.end(), hms))
    return times


def _with_time(dt: datetime, hms: tuple[int, int, int]) -> datetime:
    return dt.replace(hour=hms[0], minute=hms[1], second=hms[2])


def _first_date(s: str, tz: tzinfo, dates: list[_Found] | None = None) -> datetime | None:
    """The first date in `s`, with the time printed nearest to it (before or after).

    `dates`: `_find_dates(s, tz)` when the caller has it already."""
    if dates is None:
        dates = _find_dates(s, tz)
    if not dates:
        return None
    first = dates[0]
    if first.has_time:
        return first.dt
    gaps = [
        (max(first.start - end, start - first.end), hms)
        for start, end, hms in _find_times(s, dates)
    ]
    gaps = [g for g in gaps if g[0] <= _MAX_PAIR_GAP]
    return _with_time(first.dt, min(gaps)[1]) if gaps else first.dt


@lru_cache(maxsize=1)
def _dateparser():
    from dateparser.date import DateDataParser  # slow import, only paid when needed

    # No TIMEZONE: dateparser then keeps an offset printed in the text and returns naive
    # otherwise, so the caller's tz (any tzinfo) is attached without converting anything.
    settings = {
        "DATE_ORDER": "DMY",
        "PREFER_DATES_FROM": "past",
        "REQUIRE_PARTS": ["day", "month", "year"],  # never fill a missing part from today
        "PARSERS": ["custom-formats", "absolute-time"],  # no "3 months ago", no timestamps
    }
    return DateDataParser(languages=["bn", "en"], settings=settings)


def _fallback(s: str, tz: tzinfo) -> datetime | None:
    cleaned = re.sub(r"[|\s]+", " ", _NOISE.sub(" ", s)).strip(" :-,")
    if not re.search(r"\d\d", cleaned) or len(cleaned) > 200:
        return None
    try:
        dt = _dateparser().get_date_data(cleaned).date_obj
    except Exception:  # dateparser raises odd errors on odd input; junk is simply no date
        return None
    if dt is None:
        return None
    return dt if dt.tzinfo else dt.replace(tzinfo=tz)


def parse_datetime(text: str | None, *, tz: tzinfo = DHAKA) -> datetime | None:
    """One date(-time) in Bengali or English, or ISO 8601; tz-aware (tz applied when the text
    gives no zone). None when no date is found."""
    return parse_dateline(text, tz=tz).published


def parse_dateline(text: str | None, *, tz: tzinfo = DHAKA) -> Dateline:
    """A printed dateline that may hold a published and an updated time."""
    s = _prepare(text)
    if not s:
        return Dateline(None, None)
    # The whole text is one ISO 8601 date(-time), as in JSON-LD and <meta>: that match is the
    # first date found (none starts earlier or ends later), no marker follows it and no time
    # lies outside it, so the general path below would return its date, only 4x slower.
    iso = _DATE_PATTERNS[0].match(s)
    if iso is not None and iso.end() == len(s) and (date := _found(iso, tz)) is not None:
        return Dateline(date.dt, None)
    dates = _find_dates(s, tz)
    if not dates:  # nothing the fast path reads: split on a marker, hand parts to dateparser
        marker = _UPDATE.search(s)
        if marker and s[: marker.start()].strip():
            published = _fallback(s[: marker.start()], tz)
            modified = _fallback(s[marker.end() :], tz) if published else None
            return Dateline(published, modified)
        return Dateline(_fallback(s, tz), None)

    marker = _UPDATE.search(s, dates[0].end)
    if marker is None:
        return Dateline(_first_date(s, tz, dates), None)
    # Read the head alone so a time after the marker never pairs with the published date.
    published = _first_date(s[: marker.start()], tz)
    tail = s[marker.end() :]
    modified = _first_date(tail, tz)
    if modified is None and published is not None:
        times = _find_times(tail, [])
        # `আপডেট: ০৯:০৫ পিএম` with no date: the same day as published.
        modified = _with_time(published, times[0][2]) if times else _fallback(tail, tz)
    return Dateline(published, modified)


def isoformat(dt: datetime | None) -> str | None:
    """ISO 8601 with offset, seconds precision: '2025-07-13T10:26:00+06:00'."""
    if dt is None:
        return None
    if dt.tzinfo is None:  # should not happen; Dhaka is the only sensible guess
        dt = dt.replace(tzinfo=DHAKA)
    return dt.isoformat(timespec="seconds")

import random
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from newswatch import dates
from newswatch.dates import DHAKA, Dateline, isoformat, parse_dateline, parse_datetime

# (text, published, modified) as printed by the outlets (see OUTLETS.md §5).
DATELINES = [
    ("প্রকাশিত: ১০:২৬ এএম, ১৩ জুলাই ২০২৫", "2025-07-13T10:26:00+06:00", None),  # seed 002
    (
        "১২ নভেম্বর ২০২৪, ১১:৩১ এএম | আপডেট: ১২ নভেম্বর ২০২৪, ১১:৩১ এএম",  # seed 004
        "2024-11-12T11:31:00+06:00",
        "2024-11-12T11:31:00+06:00",
    ),
    ("ঢাকা   বৃহস্পতিবার, ১৪ নভেম্বর ২০২৪ | ৩০ কার্তিক ১৪৩১", "2024-11-14T00:00:00+06:00", None),
    ("Update Time : Tuesday, September 5, 2023,", "2023-09-05T00:00:00+06:00", None),  # seed 003
    ("October 18, 2025, 3:57 am", "2025-10-18T03:57:00+06:00", None),  # seed 003
    (
        "প্রকাশিত: ০৮:১০ পিএম, ১২ জানুয়ারি ২০১৭, বৃহস্পতিবার | আপডেট: ০৯:০৫ পিএম, ১২ জানুয়ারি ২০১৭, বৃহস্পতিবার",
        "2017-01-12T20:10:00+06:00",
        "2017-01-12T21:05:00+06:00",
    ),
    ("প্রকাশ: ১৭ ফেব্রুয়ারি ২০২৬ | ০৫:৪৫", "2026-02-17T05:45:00+06:00", None),
    ("প্রকাশ: ২৮ ডিসেম্বর ২০২৫ | ১৩:১২", "2025-12-28T13:12:00+06:00", None),
    (
        "(৩ মাস আগে) ১২ অক্টোবর ২০২৩, বৃহস্পতিবার, ১২:১৩ অপরাহ্ন",
        "2023-10-12T12:13:00+06:00",
        None,
    ),
    (
        "(৩ মাস আগে) ১২ অক্টোবর ২০২৩, বৃহস্পতিবার, ২:২৯ অপরাহ্ন",
        "2023-10-12T14:29:00+06:00",
        None,
    ),
    ("প্রকাশ : ২১ মার্চ ২০২১, ১৭:২৮", "2021-03-21T17:28:00+06:00", None),
    ("প্রকাশিত : ২৩ এপ্রিল, ২০১৯, ০৯:২৪ সকাল", "2019-04-23T09:24:00+06:00", None),
    ("মঙ্গলবার, ১৭ ফেব্রুয়ারী ২০২৬", "2026-02-17T00:00:00+06:00", None),
    ("মঙ্গলবার, ৫ সেপ্টেম্বর, ২০২৩", "2023-09-05T00:00:00+06:00", None),
    (
        "Update Time : 03:06:11 am, Friday, 20 December 2024",
        "2024-12-20T03:06:11+06:00",
        None,
    ),
    (
        "১২ ফেব্রুয়ারি ২০২৩, ০৮:১৬ এএম / আপডেট: ৩০ এপ্রিল ২০২৩, ১০:৫৫ পিএম",  # Inqilab 2023
        "2023-02-12T08:16:00+06:00",
        "2023-04-30T22:55:00+06:00",
    ),
    # Samakal 2019 with the update part elided, and with an update time but no date.
    ("প্রকাশ: ৩০ সেপ্টেম্বর ২০১৯ | ১২:১০ | আপডেট: …", "2019-09-30T12:10:00+06:00", None),
    (
        "প্রকাশ: ৩০ সেপ্টেম্বর ২০১৯ | ১২:১০ | আপডেট: রাত ১১:০৫",
        "2019-09-30T12:10:00+06:00",
        "2019-09-30T23:05:00+06:00",
    ),
    (
        "Published: 5 Sept 2023 | Updated: 7 Sept 2023, 9:05 PM",
        "2023-09-05T00:00:00+06:00",
        "2023-09-07T21:05:00+06:00",
    ),
    ("হালনাগাদ: ৭ মে ২০২৪", "2024-05-07T00:00:00+06:00", None),  # a label, not an update
]


@pytest.mark.parametrize(("text", "published", "modified"), DATELINES)
def test_dateline(text, published, modified):
    line = parse_dateline(text)
    assert isoformat(line.published) == published
    assert isoformat(line.modified) == modified


@pytest.mark.parametrize(("text", "_published", "_modified"), DATELINES)
def test_parse_datetime_gives_the_published_time(text, _published, _modified):
    assert parse_datetime(text) == parse_dateline(text).published


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("১২ জানুয়ারি ২০১৭ ১২:০৫ এএম", "2017-01-12T00:05:00+06:00"),
        ("১২ জানুয়ারি ২০১৭ ১২:০৫ পিএম", "2017-01-12T12:05:00+06:00"),
        ("12 January 2017, 12:05 am", "2017-01-12T00:05:00+06:00"),
        ("12 January 2017, 12:05 PM", "2017-01-12T12:05:00+06:00"),
        ("১২ জানুয়ারি ২০১৭ ১১:০৫ পূর্বাহ্ন", "2017-01-12T11:05:00+06:00"),
        ("১২ জানুয়ারি ২০১৭ দুপুর ১২:৩০", "2017-01-12T12:30:00+06:00"),
        ("১২ জানুয়ারি ২০১৭ দুপুর ২:৩০", "2017-01-12T14:30:00+06:00"),
        ("১২ জানুয়ারি ২০১৭ বিকেল ৪:১০", "2017-01-12T16:10:00+06:00"),
        ("১২ জানুয়ারি ২০১৭ সন্ধ্যা ৭:০০", "2017-01-12T19:00:00+06:00"),
        ("১২ জানুয়ারি ২০১৭, রাত ১১:৩০", "2017-01-12T23:30:00+06:00"),
        ("১২ জানুয়ারি ২০১৭, রাত ১২:৩০", "2017-01-12T00:30:00+06:00"),
        ("১২ জানুয়ারি ২০১৭, রাত ২:১৫", "2017-01-12T02:15:00+06:00"),
    ],
)
def test_twelve_hour_clock(text, expected):
    assert isoformat(parse_datetime(text)) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("১৩ই জুলাই, ২০২৫", "2025-07-13T00:00:00+06:00"),
        ("২১শে ফেব্রুয়ারি ২০২৪", "2024-02-21T00:00:00+06:00"),
        ("১ আগষ্ট ২০২৪", "2024-08-01T00:00:00+06:00"),
        ("১ আগস্ট ২০২৪", "2024-08-01T00:00:00+06:00"),
        ("১০ মে ২০২৫", "2025-05-10T00:00:00+06:00"),
        ("Sept. 5th, 2023", "2023-09-05T00:00:00+06:00"),
        ("13/07/2025", "2025-07-13T00:00:00+06:00"),  # day first
        ("১২ নভেম্বর ২০২৪ | ১০ জমাদিউল আউয়াল ১৪৪৬ হিজরি", "2024-11-12T00:00:00+06:00"),
        ("5 Sept. 23 10:00", "2023-09-05T10:00:00+06:00"),  # two-digit year: dateparser reads it
    ],
)
def test_other_spellings(text, expected):
    assert isoformat(parse_datetime(text)) == expected


def test_precomposed_ya_reads_like_decomposed():
    decomposed = "১২ জানু\u09af\u09bcারি ২০১৭, ০৮:১০ পিএম"
    precomposed = "১২ জানু\u09dfারি ২০১৭, ০৮:১০ পিএম"
    assert precomposed != decomposed
    expected = datetime(2017, 1, 12, 20, 10, tzinfo=DHAKA)
    assert parse_datetime(precomposed) == parse_datetime(decomposed) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2025-12-30T09:41:01+06:00", "2025-12-30T09:41:01+06:00"),
        ("2023-09-05T10:00:00Z", "2023-09-05T10:00:00+00:00"),
        ("2024-11-12 11:31:00", "2024-11-12T11:31:00+06:00"),
        ("2024-11-12T11:31:00.123-0400", "2024-11-12T11:31:00-04:00"),
        ("2024-11-12", "2024-11-12T00:00:00+06:00"),
    ],
)
def test_iso_keeps_its_offset(text, expected):
    assert isoformat(parse_datetime(text)) == expected


def test_tz_applies_only_when_the_text_has_no_zone():
    utc = ZoneInfo("UTC")
    assert parse_datetime("১৩ জুলাই ২০২৫, ১০:২৬ এএম", tz=utc) == datetime(
        2025, 7, 13, 10, 26, tzinfo=UTC
    )
    assert parse_datetime("2025-12-30T09:41:01+06:00", tz=utc).utcoffset() == timedelta(hours=6)


@pytest.mark.parametrize(
    "text",
    [
        None,
        "",
        "   ",
        "hello world",
        "রাশিয়ার সঙ্গে সম্পর্ক গভীর করতে চান কিম",
        "১০:২৬ এএম",  # a time is not a date
        "(৩ মাস আগে)",  # nor is a relative phrase
        "৩ মাস আগে",
        "৩০ কার্তিক ১৪৩১",  # Bengali calendar
        "১১,০০০ উত্তর কোরিয়ান সৈন্য ২০২৪",
        "2025-13-45",
        "2025-12-30T25:00:00",
        "September 2023",
        "x" * 10_000,
        "১২৩৪৫ " * 2_000,
        "|/:-" * 3_000,
    ],
)
def test_junk_gives_none(text):
    assert parse_datetime(text) is None
    assert parse_dateline(text) == Dateline(None, None)


def test_long_text_with_a_date_is_read():
    text = "খবর " * 2_500 + "প্রকাশিত: ১০:২৬ এএম, ১৩ জুলাই ২০২৫"
    assert isoformat(parse_datetime(text)) == "2025-07-13T10:26:00+06:00"


def test_fast_path_never_calls_dateparser(monkeypatch):
    def boom():
        raise AssertionError("dateparser called")

    monkeypatch.setattr(dates, "_dateparser", boom)
    for text, published, _ in DATELINES:
        assert isoformat(parse_dateline(text).published) == published


def test_isoformat():
    assert isoformat(None) is None
    dt = datetime(2025, 7, 13, 10, 26, 0, 123456, tzinfo=DHAKA)
    assert isoformat(dt) == "2025-07-13T10:26:00+06:00"
    assert isoformat(datetime(2023, 9, 5, 10, tzinfo=UTC)) == "2023-09-05T10:00:00+00:00"
    assert isoformat(datetime(2025, 7, 13, 10, 26)) == "2025-07-13T10:26:00+06:00"  # naive: Dhaka


# -- the fast paths against the former implementation ---------------------------------------------


def _reference_find_dates(s: str, tz) -> list:
    found = []
    for pattern in dates._DATE_PATTERNS:
        for m in pattern.finditer(s):
            g = m.groupdict()
            iso = "H" in g
            day, raw_month, year = int(g["d"]), g["m"], int(g["y"])
            if not raw_month.isdigit():
                month = dates._MONTHS[raw_month.lower()]
            else:
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
                    tzinfo=dates._offset(g.get("tz"), tz),
                )
            except ValueError:
                continue
            found.append(dates._Found(m.start(), m.end(), dt, iso and g["H"] is not None))
    found.sort(key=lambda f: (f.start, -f.end))
    kept = []
    for f in found:
        if not kept or f.start >= kept[-1].end:
            kept.append(f)
    return kept


def _reference_first_date(s: str, tz):
    found = _reference_find_dates(s, tz)
    if not found:
        return None
    first = found[0]
    if first.has_time:
        return first.dt
    gaps = [
        (max(first.start - end, start - first.end), hms)
        for start, end, hms in dates._find_times(s, found)
    ]
    gaps = [g for g in gaps if g[0] <= dates._MAX_PAIR_GAP]
    return dates._with_time(first.dt, min(gaps)[1]) if gaps else first.dt


def _reference_dateline(text, tz=DHAKA) -> Dateline:
    s = dates._prepare(text)
    if not s:
        return Dateline(None, None)
    found = _reference_find_dates(s, tz)
    if not found:
        marker = dates._UPDATE.search(s)
        if marker and s[: marker.start()].strip():
            published = dates._fallback(s[: marker.start()], tz)
            modified = dates._fallback(s[marker.end() :], tz) if published else None
            return Dateline(published, modified)
        return Dateline(dates._fallback(s, tz), None)
    marker = dates._UPDATE.search(s, found[0].end)
    if marker is None:
        return Dateline(_reference_first_date(s, tz), None)
    published = _reference_first_date(s[: marker.start()], tz)
    tail = s[marker.end() :]
    modified = _reference_first_date(tail, tz)
    if modified is None and published is not None:
        times = dates._find_times(tail, [])
        modified = dates._with_time(published, times[0][2]) if times else dates._fallback(tail, tz)
    return Dateline(published, modified)


def _iso_like() -> list[str]:
    """ISO 8601 texts whole and with something around them, valid or not (JSON-LD, <meta>)."""
    rng = random.Random(3)
    texts = []
    pick = rng.choice
    for _ in range(1500):
        date = f"{pick(['1899', '1999', '2025', '0000'])}-{pick(['00', '01', '12', '13'])}"
        date += f"-{pick(['00', '01', '29', '30', '31', '32'])}"
        if rng.random() < 0.7:
            date += f"{pick(['T', ' '])}{pick(['00', '09', '23', '24'])}:{pick(['00', '59', '60'])}"
            date += pick(["", ":00", ":59.123", ":61"])
            date += pick(["", "Z", "+06:00", "-0400", " +0600", "+6"])
        date = rng.choice(["", " ", "x", "১২ মে ", "3"]) + date
        date += rng.choice(["", " ", "1", "/2025", " | আপডেট: ১০:০৫ এএম", " ১০:৩০ পিএম", ".5"])
        texts.append(date)
    return texts


def _mixed() -> list[str]:
    """Datelines assembled from the pieces outlets print."""
    rng = random.Random(4)
    pieces = [
        "প্রকাশিত:", "আপডেট:", "Update Time :", "|", ",", "১৩", "13", "৫", "জুলাই", "সেপ্টেম্বর",
        "Sept.", "september", "২০২৫", "2023", "১০:২৬", "9:05", "এএম", "পিএম", "PM", "রাত", "দুপুর",
        "13/07/2025", "07-13-2025", "5.9.2023", "২০২৪-১১-১২", "2024-11-12T11:31:00+06:00",
        "১৪৩১", "কার্তিক", "(৩ মাস আগে)", "বৃহস্পতিবার", "12th", "২১শে",
    ]  # fmt: skip
    return [" ".join(rng.choices(pieces, k=rng.randint(1, 9))) for _ in range(600)]


def test_dateline_fast_paths_read_as_before():
    texts = [t for t, _, _ in DATELINES] + _iso_like() + _mixed()
    for text in texts:
        assert parse_dateline(text) == _reference_dateline(text), text
    utc = ZoneInfo("UTC")
    for text in texts[:200]:
        assert parse_dateline(text, tz=utc) == _reference_dateline(text, utc), text


def test_date_patterns_skipped_only_when_they_cannot_match():
    for text in _iso_like() + _mixed():
        s = dates._prepare(text)
        assert dates._find_dates(s, DHAKA) == _reference_find_dates(s, DHAKA), text


@pytest.mark.parametrize("odd", ["ſep 5, 2023", "Sep 5, 2023", "aprıl 5, 2023", "APRİL 5, 2023"])
def test_a_month_in_a_unicode_case_variant_is_read_not_a_crash(odd):
    """The patterns are case-insensitive, so `ſ` (long s) matches `s` and `ı` matches `i`;
    str.lower does not map them back, which used to lose the page to a KeyError."""
    plain = odd.replace("ſ", "s").replace("ı", "i").replace("İ", "I")
    assert parse_dateline(odd).published == parse_dateline(plain).published is not None

"""`newswatch export` from a data folder written by a real crawl: filters, the seed layout, CSV
and Parquet tables with the documented columns."""

from __future__ import annotations

import csv
import json
from datetime import datetime
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from newswatch.export import COLUMNS, seed_layout
from tests.conftest import read_jsonl
from tests.test_run import newswatch

OUTLETS = ("jagonews24", "inqilab", "banglarakash")


@pytest.fixture(scope="module")
def data(tmp_path_factory) -> Path:
    """A data folder from `newswatch demo` over three saved sites (real crawl, real records)."""
    folder = tmp_path_factory.mktemp("export") / "data"
    done = newswatch(
        "demo", "--outlets", ",".join(OUTLETS), "--data-dir", str(folder), cwd=folder.parent
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return folder


def records_of(folder: Path) -> list[dict]:
    return [r for f in sorted(folder.glob("*/*.jsonl")) for r in read_jsonl(f)]


def day(record: dict):
    return datetime.fromisoformat(record["published"]).date()


def test_csv_holds_every_record_with_the_documented_columns(data, tmp_path):
    out = tmp_path / "corpus.csv"
    done = newswatch("export", str(data), str(out), cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    records = records_of(data)
    assert {r["outlet"] for r in records} == set(OUTLETS)
    assert done.stdout.strip() == f"wrote {len(records)} rows to {out}"
    with out.open(encoding="utf-8", newline="") as file:
        rows = list(csv.DictReader(file))
    assert list(rows[0]) == [name for name, _type, _meaning in COLUMNS]
    by_id = {r["id"]: r for r in records}
    assert sorted(row["id"] for row in rows) == sorted(by_id)
    for row in rows:
        record = by_id[row["id"]]
        assert row["text"] == record["text"]  # paragraphs and Bengali intact
        assert row["title"] == record["title"] and row["published"] == record["published"]
        assert json.loads(row["tags"]) == record["tags"]
        assert json.loads(row["topics"]) == [t["id"] for t in record["topics"]]
        assert row["byline"] == (record["byline"] or "")
        assert int(row["version"]) == record["version"]


def test_parquet_with_filters_by_outlet_date_and_topic(data, tmp_path):
    records = records_of(data)
    inqilab = [r for r in records if r["outlet"] == "inqilab"]
    first = min(day(r) for r in inqilab)
    out = tmp_path / "inqilab.parquet"
    done = newswatch(
        "export",
        str(data),
        str(out),
        "--outlet",
        "inqilab",
        "--since",
        str(first),
        "--until",
        str(first),
        "--topic",
        "russia_dprk",
        cwd=tmp_path,
    )
    assert done.returncode == 0, done.stderr
    table = pq.read_table(out)
    assert table.schema.names == [name for name, _type, _meaning in COLUMNS]
    assert str(table.schema.field("tags").type) == "list<element: string>"
    assert str(table.schema.field("version").type) == "int32"
    rows = table.to_pylist()
    expected = [r for r in inqilab if day(r) == first]
    assert sorted(r["id"] for r in rows) == sorted(r["id"] for r in expected)
    assert all(r["topics"] == ["russia_dprk"] for r in rows)
    assert rows[0]["text"] == next(r["text"] for r in expected if r["id"] == rows[0]["id"])

    nothing = newswatch(
        "export", str(data), str(tmp_path / "none.csv"), "--topic", "nosuchtopic", cwd=tmp_path
    )
    assert nothing.returncode == 0 and nothing.stdout.startswith("wrote 0 rows")


def test_seed_layout_from_a_data_folder_for_two_outlets(data, tmp_path):
    done = newswatch(
        "export",
        str(data),
        str(tmp_path / "txt"),
        "--outlet",
        "jagonews24,banglarakash",
        cwd=tmp_path,
    )
    assert done.returncode == 0, done.stderr
    wanted = [r for r in records_of(data) if r["outlet"] in ("jagonews24", "banglarakash")]
    files = sorted((tmp_path / "txt").iterdir())
    assert [f.name for f in files] == [f"{n:03d}_{r['id']}.txt" for n, r in enumerate(wanted)]
    assert [f.read_text(encoding="utf-8") for f in files] == [seed_layout(r) for r in wanted]


def test_an_updated_article_is_exported_once_in_its_highest_version(data, tmp_path):
    original = records_of(data)[0]
    source = tmp_path / "records.jsonl"
    update = {**original, "version": 2, "text": original["text"] + "\n\nআপডেট।"}
    source.write_text(
        "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in (original, update)),
        encoding="utf-8",
    )
    newest = newswatch("export", str(source), str(tmp_path / "one.csv"), cwd=tmp_path)
    every = newswatch(
        "export", str(source), str(tmp_path / "all.csv"), "--all-versions", cwd=tmp_path
    )
    assert newest.returncode == every.returncode == 0
    with (tmp_path / "one.csv").open(encoding="utf-8", newline="") as file:
        (row,) = csv.DictReader(file)
    assert row["version"] == "2" and row["text"].endswith("আপডেট।")
    with (tmp_path / "all.csv").open(encoding="utf-8", newline="") as file:
        assert [r["version"] for r in csv.DictReader(file)] == ["1", "2"]


def test_bad_filters_are_one_line_errors(data, tmp_path):
    done = newswatch(
        "export", str(data), str(tmp_path / "x.csv"), "--since", "13/07/2025", cwd=tmp_path
    )
    assert done.returncode == 2 and done.stderr.count("\n") == 1
    assert "--since takes a date like 2025-07-01" in done.stderr
    done = newswatch(
        "export",
        str(data),
        str(tmp_path / "x.csv"),
        "--since",
        "2025-07-02",
        "--until",
        "2025-07-01",
        cwd=tmp_path,
    )
    assert done.returncode == 2 and "is before --since" in done.stderr
    done = newswatch("export", str(tmp_path / "nowhere"), str(tmp_path / "x.csv"), cwd=tmp_path)
    assert done.returncode == 2 and "no such records file or data folder" in done.stderr
    assert not (tmp_path / "x.csv").exists()

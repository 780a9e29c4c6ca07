"""`newswatch doctor` against saved sites served on 127.0.0.1 (it never reaches a real outlet
in tests): what each layer read, which fields are missing, and the exit status."""

from __future__ import annotations

from newswatch.fixtureserver import serving
from tests.conftest import FIXTURES, read_jsonl
from tests.test_run import answering_500, newswatch, redesigned_inqilab


def section(stdout: str, field: str) -> list[str]:
    """The field's head line and its three layer lines."""
    lines = stdout.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(f"{field} "))
    return lines[start : start + 4]


def test_doctor_shows_each_layer_of_a_healthy_outlet(tmp_path):
    with serving(FIXTURES / "jagonews24" / "site") as origin:
        done = newswatch("doctor", "jagonews24", "--origin", f"jagonews24={origin}", cwd=tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    out = done.stdout
    assert out.startswith("== jagonews24 (Jago News) ==")
    assert f"listing  {origin}/international  200, 3 article links" in out
    assert f"article  {origin}/international/news/" in out
    title = section(out, "title")
    expected = {r["title"] for r in read_jsonl(FIXTURES / "jagonews24" / "expected.jsonl")}
    assert title[0].split() == ["title", "from", "selectors"]
    assert title[1].startswith("  selectors  `h1` -> ") and title[1].split(" -> ")[1] in expected
    published = section(out, "published")
    assert published[0].split() == ["published", "from", "structured"]  # JSON-LD dates win
    assert section(out, "text")[0].split() == ["text", "from", "selectors"]
    assert "missing: none" in out and "verdict: ok" in out
    assert out.rstrip().endswith("all 1 outlets ok")


def test_doctor_names_what_a_redesign_broke(tmp_path):
    with serving(redesigned_inqilab(tmp_path)) as origin:
        done = newswatch("doctor", "inqilab", "--origin", f"inqilab={origin}", cwd=tmp_path)
    assert done.returncode == 1
    out = done.stdout
    published = section(out, "published")
    assert published[0].split() == ["published", "MISSING", "(required)"]
    assert published[1] == "  selectors  `p.news-date-time` -> matched nothing"
    assert published[2:] == ["  structured —", "  fallback   —"]
    title = section(out, "title")
    assert title[1] == "  selectors  `div.col-md-9.mt-3 h2` -> matched nothing"
    assert title[0].split() == ["title", "from", "structured"]  # rescued by og:title / JSON-LD
    assert section(out, "text")[0].split() == ["text", "from", "fallback"]
    assert "missing: published" in out
    assert "verdict: BROKEN: article page: missing published" in out
    assert out.rstrip().endswith("broken: inqilab")


def test_doctor_reports_a_site_that_answers_only_errors(tmp_path):
    with answering_500() as (origin, _server):
        done = newswatch("doctor", "inqilab", "--origin", f"inqilab={origin}", cwd=tmp_path)
    assert done.returncode == 1
    assert f"listing  {origin}/international  HTTP 500" in done.stdout
    assert "verdict: BROKEN: no discovery page could be fetched" in done.stdout


def test_doctor_rejects_an_unknown_outlet(tmp_path):
    done = newswatch("doctor", "nosuchpaper", cwd=tmp_path)
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr.startswith("newswatch: unknown outlet(s): nosuchpaper")

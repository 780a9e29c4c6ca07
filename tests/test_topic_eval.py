"""The topic matcher measured on the labelled set, and `newswatch topics explain`/`eval`."""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from newswatch.topics import TopicSet
from newswatch.topics.cli import _read_txt, add_topics_commands
from newswatch.topics.evaluate import EVAL_DIR, evaluate, load_items

ROOT = Path(__file__).resolve().parents[1]
HTML = ROOT / "tests/fixtures/jagonews24/site/international/news/970512.html"
RECORDS = ROOT / "tests/fixtures/inqilab/expected.jsonl"

TUNED = EVAL_DIR / "russia_dprk.jsonl"  # the set the topic file was tuned on
# Written before the relation signal; its errors were read to write the rules of issue 5.
HELDOUT = EVAL_DIR / "russia_dprk_heldout.jsonl"
# Written blind by another annotator after round 1 (P 0.933, R 0.933 then); tuned on in round 2.
BLIND1 = EVAL_DIR / "russia_dprk_blind1.jsonl"
# Written blind by a third annotator after round 2 (P 0.894, R 0.933 then); tuned on in round 3.
BLIND2 = EVAL_DIR / "russia_dprk_blind2.jsonl"
# Written blind by a fourth annotator after round 3 (P 0.956, R 0.956 then); tuned on in round 4.
BLIND3 = EVAL_DIR / "russia_dprk_blind3.jsonl"
# Written blind by a fifth annotator after round 4 (P 0.900, R 1.000 then); tuned on in round 5.
BLIND4 = EVAL_DIR / "russia_dprk_blind4.jsonl"
# Written blind by a sixth annotator after round 5 (P 1.000, R 0.956 then); tuned on in round 6.
BLIND5 = EVAL_DIR / "russia_dprk_blind5.jsonl"
# Written blind by a seventh annotator, measured once on round 6's matcher: never tuned on.
BLIND6 = EVAL_DIR / "russia_dprk_blind6.jsonl"

# The figures README.md states under "## Topics" (`newswatch topics eval [--set ...]`), per set:
# (topic, set) -> (precision, recall), measured and rounded down. The sets may only get better.
# Raise these when the matcher improves; never lower them to make a change pass.
MIN_SCORES = {
    ("russia_dprk", "tuned"): (1.00, 1.00),  # measured 1.000, 1.000 (325 items)
    ("russia_dprk", "heldout"): (1.00, 1.00),  # measured 1.000, 1.000 (0.760, 0.864 before)
    ("russia_dprk", "blind1"): (1.00, 1.00),  # measured 1.000, 1.000 (0.933, 0.933 blind)
    ("russia_dprk", "blind2"): (1.00, 1.00),  # measured 1.000, 1.000 (0.894, 0.933 blind)
    ("russia_dprk", "blind3"): (1.00, 1.00),  # measured 1.000, 1.000 (0.956, 0.956 blind)
    ("russia_dprk", "blind4"): (1.00, 1.00),  # measured 1.000, 1.000 (0.900, 1.000 blind)
    ("russia_dprk", "blind5"): (1.00, 0.97),  # measured 1.000, 0.978 (1.000, 0.956 blind)
    ("russia_dprk", "blind6"): (0.95, 1.00),  # measured 0.957, 1.000 blind
    ("russia_dprk", "all"): (0.99, 0.99),  # measured 0.995, 0.998 (every file, the default)
}
SETS = {
    "tuned": TUNED,
    "heldout": HELDOUT,
    "blind1": BLIND1,
    "blind2": BLIND2,
    "blind3": BLIND3,
    "blind4": BLIND4,
    "blind5": BLIND5,
    "blind6": BLIND6,
    "all": EVAL_DIR,
}
MIN_ITEMS = 200


@pytest.fixture(scope="module")
def results():
    items = load_items(EVAL_DIR)
    assert len(items) >= MIN_ITEMS
    return {s.id: s for s in evaluate(TopicSet.load(), items)}


@pytest.mark.parametrize(("topic", "name"), sorted(MIN_SCORES))
def test_precision_and_recall_do_not_fall(topic: str, name: str) -> None:
    (s,) = evaluate(TopicSet.load(topic), load_items(SETS[name]))
    misses = [m.item.id for m in s.false_pos + s.false_neg]
    precision, recall = MIN_SCORES[(topic, name)]
    assert s.precision >= precision, misses
    assert s.recall >= recall, misses


@pytest.mark.parametrize("name", ["blind1", "blind2", "blind3", "blind4", "blind5", "blind6"])
def test_blind_sets_are_apart_and_in_the_fixed_mix(name: str) -> None:
    items = load_items(SETS[name])
    assert (len(items), sum(1 for i in items if i.labels)) == (150, 45)
    assert len({i.id.split("-")[0] for i in items}) == 1
    # Written apart, not copied. (Annotators do meet on a real event's headline now and then:
    # blind1-3 share five ordinary-news titles over independently written texts.)
    others = {i.text for f in EVAL_DIR.glob("*.jsonl") if f != SETS[name] for i in load_items(f)}
    assert not {i.text for i in items} & others


def test_heldout_set_is_apart_and_balanced() -> None:
    tuned, heldout = load_items(TUNED), load_items(HELDOUT)
    assert len(heldout) >= 60
    assert all(i.id.startswith("heldout-") and i.source.startswith("held-out:") for i in heldout)
    assert not {i.title for i in tuned} & {i.title for i in heldout}  # new items, not copies
    positives = sum(1 for i in heldout if i.labels)
    assert len(heldout) // 4 <= positives <= len(heldout) // 2  # about a third on-topic
    kinds = " ".join(i.source for i in heldout)
    for kind in ("sparse", "roundup", "country list", "scattered", "ordinary", "south korea"):
        assert kind in kinds


def test_labelled_set_is_well_formed() -> None:
    items = load_items(EVAL_DIR)
    known = set(TopicSet.load().ids)
    assert all(set(i.labels) <= known and i.source for i in items)
    sources = " ".join(i.source for i in items)
    for kind in ("seed", "sidebar", "realtext", "hard case: south korea", "hard case: dprk only"):
        assert kind in sources
    positives = sum(1 for i in items if i.labels)
    assert 50 <= positives <= len(items) - 100
    # Both encodings of য় occur, as on real pages.
    text = "".join(i.title + i.text for i in items)
    assert "\u09df" in text and "\u09af\u09bc" in text


def test_every_seed_article_is_kept(results) -> None:
    s = results["russia_dprk"]
    assert not [m for m in s.false_neg if m.item.id.startswith("seed-")]


def test_load_items_rejects_bad_lines(tmp_path: Path) -> None:
    bad = tmp_path / "x.jsonl"
    bad.write_text('{"id": "a", "title": "t", "text": "", "labels": "russia_dprk"}\n')
    with pytest.raises(ValueError, match=r"x\.jsonl:1: 'labels' must be a list"):
        load_items(bad)
    line = '{"id": "a", "title": "t", "text": "", "labels": []}\n'
    bad.write_text(line + line)
    with pytest.raises(ValueError, match="appears twice"):
        load_items(bad)


# --- the handlers, called in-process ------------------------------------------------------


def run(*argv: str) -> int:
    parser = argparse.ArgumentParser(prog="newswatch")
    add_topics_commands(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(list(argv))
    return args.handler(args)


ON_TOPIC_TXT = """\
রুশ পররাষ্ট্রমন্ত্রীকে কিম জং উনের ‘উষ্ণ অভ্যর্থনা’

রাশিয়ার পররাষ্ট্রমন্ত্রী সের্গেই ল্যাভরভ উত্তর কোরিয়ার সর্বোচ্চ নেতা কিম জং উনের সঙ্গে সাক্ষাৎ করেছেন।

ইউক্রেন যুদ্ধ নিয়ে আলোচনা হয়েছে।
"""


def test_read_txt_layouts() -> None:
    assert _read_txt("শিরোনাম\n\nএক\nদুই\n\nতিন\n") == ("শিরোনাম", ["এক দুই", "তিন"])
    assert _read_txt("শিরোনাম\nএক\nদুই\n") == ("শিরোনাম", ["এক", "দুই"])
    assert _read_txt("https://x.test/1\n\nশিরোনাম\n\nএক\n") == ("শিরোনাম", ["এক"])


def test_explain_txt(tmp_path: Path, capsys) -> None:
    path = tmp_path / "a.txt"
    path.write_text(ON_TOPIC_TXT, encoding="utf-8")
    assert run("topics", "explain", str(path)) == 0
    out = capsys.readouterr().out
    assert (
        "russia_dprk (Russia–North Korea relations): KEPT, score 12 >= threshold 4" in out
    )  # 3+3, 1+1+1+1, +2
    assert "dprk       কিম জং উন" in out and "title" in out and "x1" in out


def test_explain_says_which_group_is_missing(tmp_path: Path, capsys) -> None:
    path = tmp_path / "b.txt"
    path.write_text("রাশিয়ার তেল রপ্তানি বেড়েছে\n\nমস্কো জানিয়েছে।\n", encoding="utf-8")
    assert run("topics", "explain", str(path)) == 0
    out = capsys.readouterr().out
    assert "not kept" in out and "rule not met: no term of group dprk" in out


def test_explain_html(capsys) -> None:
    assert run("topics", "explain", str(HTML)) == 0
    out = capsys.readouterr().out
    assert "KEPT" in out and "russia" in out and "dprk" in out


def test_explain_jsonl(capsys) -> None:
    assert run("topics", "explain", str(RECORDS), "--topic", "russia_dprk") == 0
    out = capsys.readouterr().out
    ids = [json.loads(line)["id"] for line in RECORDS.read_text(encoding="utf-8").splitlines()]
    assert all(i in out for i in ids)
    assert out.count("KEPT") == len(ids)


def test_explain_bad_input(tmp_path: Path, capsys) -> None:
    assert run("topics", "explain", str(tmp_path / "none.txt")) == 2
    assert capsys.readouterr().err.startswith("newswatch: no such file")
    (tmp_path / "x.pdf").write_text("x")
    assert run("topics", "explain", str(tmp_path / "x.pdf")) == 2
    path = tmp_path / "a.txt"
    path.write_text("x", encoding="utf-8")
    assert run("topics", "explain", str(path), "--topic", "nope") == 2
    assert "unknown topic" in capsys.readouterr().err


def test_eval_command(capsys) -> None:
    assert run("topics", "eval") == 0
    out = capsys.readouterr().out
    assert "russia_dprk" in out and "precision" in out and "recall" in out


# --- as a user runs it (needs the one line in newswatch/cli.py) ---------------------------


def newswatch(*args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-m", "newswatch.cli", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize("path", [HTML, RECORDS, ROOT / "seeds/002_e5bb8d6c1e5272ed.txt"])
def test_newswatch_topics_explain(path: Path) -> None:
    done = newswatch("topics", "explain", str(path))
    assert done.returncode == 0, done.stderr
    assert "russia_dprk" in done.stdout and "KEPT" in done.stdout


def test_newswatch_topics_eval() -> None:
    done = newswatch("topics", "eval")
    assert done.returncode == 0, done.stderr
    assert "precision" in done.stdout


def test_newswatch_topics_explain_unknown_topic() -> None:
    done = newswatch("topics", "explain", str(RECORDS), "--topic", "nope")
    assert done.returncode == 2
    assert done.stderr.startswith("newswatch: unknown topic")

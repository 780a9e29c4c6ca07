"""Topic files and the matcher: real seed text, Bengali spelling variants, malformed files."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import pytest

from newswatch.text import normalize, paragraphs
from newswatch.topics import (
    TOPICS_DIR,
    TermMatch,
    TopicError,
    TopicMatch,
    TopicSet,
    _parse_rule,
)
from newswatch.topics.cli import add_topics_commands
from newswatch.topics.evaluate import EVAL_DIR, load_items

SEEDS = Path(__file__).resolve().parents[1] / "seeds"
REALTEXT = Path("/work/shared/realtext")

YA_PRE, YA_DECOMP = "\u09df", "\u09af\u09bc"  # য় precomposed / য + nukta
ZWJ, ZWNJ = "\u200d", "\u200c"


@pytest.fixture(scope="module")
def topics() -> TopicSet:
    return TopicSet.load()


def on_topic(topics: TopicSet, title: str, paragraphs: list[str] | None = None) -> bool:
    return any(m.id == "russia_dprk" for m in topics.match(title, paragraphs or []))


@pytest.fixture(scope="module")
def probe(tmp_path_factory: pytest.TempPathFactory) -> TopicSet:
    """The real russia_dprk terms with rule `russia OR dprk` and threshold 0: shows every hit."""
    directory = tmp_path_factory.mktemp("probe")
    text = (TOPICS_DIR / "russia_dprk.toml").read_text(encoding="utf-8")
    text = text.replace('rule = "russia AND dprk"', 'rule = "russia OR dprk"')
    text = text.replace("threshold = 4", "threshold = 0")
    (directory / "russia_dprk.toml").write_text(text, encoding="utf-8")
    return TopicSet.load(directory=directory)


def terms_found(probe: TopicSet, text: str) -> set[str]:
    """Terms of russia_dprk found in `text`, as a body paragraph."""
    return {t.term for m in probe.match("", [text]) for t in m.matches}


def write_topic(directory: Path, name: str, body: str) -> Path:
    path = directory / f"{name}.toml"
    path.write_text(body, encoding="utf-8")
    return path


MINIMAL = """\
id = "{id}"
name = "Test"
rule = "{rule}"
threshold = {threshold}
[weights]
title = 3
body = 1
same_paragraph = 2
[groups.a]
terms = {a}
{a_extra}
[groups.b]
terms = {b}
"""


def minimal(
    id: str = "t",
    rule: str = "a AND b",
    threshold: float = 0,
    a: str = '["দল"]',
    b: str = '["Putin"]',
    a_extra: str = "",
) -> str:
    return MINIMAL.format(id=id, rule=rule, threshold=threshold, a=a, b=b, a_extra=a_extra)


# --- the seeds -------------------------------------------------------------------------------

# (file, title, first body line, line after the body): the rest is page chrome.
SEED_LAYOUT = [
    (
        "000_51b41ee0ceabd4ba.txt",
        "রুশ পররাষ্ট্রমন্ত্রীকে কিম জং উনের ‘উষ্ণ অভ্যর্থনা’",
        "রাশিয়ার পররাষ্ট্রমন্ত্রী সের্গেই ল্যাভরভ",
        None,
    ),
    (
        "001_174e9b541b19dc1a.txt",
        "রাশিয়ার সঙ্গে সম্পর্ক গভীর করতে চান কিম",
        "রাশিয়ার সঙ্গে সম্পর্ক আরও গভীর",
        "Facebook Comments Box",
    ),
    (
        "002_e5bb8d6c1e5272ed.txt",
        "ইউক্রেন যুদ্ধে রাশিয়াকে ‘নিঃশর্ত সমর্থন’ দেবে উত্তর কোরিয়া",
        "ভ্লাদিমির পুতিন এবং কিম জং উন/ ফাইল ছবি",  # photo caption, then the text
        "টিটিএন",
    ),
    (
        "003_9f4aa213bdf76ba5.txt",
        "পুতিনের সঙ্গে অস্ত্র আলোচনার জন্য রাশিয়ায় যাচ্ছেন কিম",
        "রাশিয়ার প্রেসিডেন্ট ভ্লাদিমির পুতিনের",
        "Spread the love",
    ),
    (
        "004_6543846bbedc32c1.txt",
        "উত্তর কোরিয়া ও রাশিয়ার মধ্যে ঐতিহাসিক প্রতিরক্ষা চুক্তি অনুমোদন,যুদ্ধক্ষেত্রে নতুন মোড়",
        "রাশিয়া ও উত্তর কোরিয়ার মধ্যে সামরিক",
        "বিভাগ :",
    ),
]


def read_seed(name: str, title: str, first: str, stop: str | None):
    """(title, body paragraphs, chrome lines) of one seed file."""
    lines = [normalize(line) for line in (SEEDS / name).read_text(encoding="utf-8").splitlines()]
    lines = [line for line in lines if line]
    t = lines.index(normalize(title))
    start = next(i for i, line in enumerate(lines) if line.startswith(normalize(first)))
    end = len(lines)
    if stop:
        end = next(i for i in range(start, len(lines)) if lines[i].startswith(stop))
    return lines[t], lines[start:end], lines[:t] + lines[end:]


@pytest.mark.parametrize("layout", SEED_LAYOUT, ids=[s[0][:3] for s in SEED_LAYOUT])
def test_every_seed_is_on_topic(topics: TopicSet, layout) -> None:
    title, body, _ = read_seed(*layout)
    (m,) = topics.match(title, body)
    assert m.id == "russia_dprk"
    assert {"russia", "dprk"} <= {t.group for t in m.matches}  # and `context` (কুরস্ক) in some
    # The body alone carries the topic too (a page whose title we fail to read still counts).
    assert on_topic(topics, "", body)


@pytest.mark.parametrize("layout", SEED_LAYOUT, ids=[s[0][:3] for s in SEED_LAYOUT])
def test_seed_chrome_lines_are_off_topic(topics: TopicSet, layout) -> None:
    _, _, chrome = read_seed(*layout)
    assert chrome
    for line in chrome:
        assert topics.match(line, []) == [], line


def test_sidebar_headline_russia_only_is_off_topic(topics: TopicSet) -> None:
    headline = "রাশিয়ার গচ্ছিত সম্পদ জব্দে বেলজিয়ামকে রাজি করাতে ব্যর্থ ইইউ, মস্কোর হুঁশিয়ারি জারি"
    assert topics.match(headline, []) == []
    assert topics.match("", [headline]) == []


def test_match_lists_terms_and_where(topics: TopicSet) -> None:
    (m,) = topics.match(
        "রুশ পররাষ্ট্রমন্ত্রীকে কিম জং উনের ‘উষ্ণ অভ্যর্থনা’",
        [
            "রাশিয়ার পররাষ্ট্রমন্ত্রী সের্গেই ল্যাভরভ উত্তর কোরিয়ার সর্বোচ্চ নেতা কিম জং উনের সঙ্গে "
            "সাক্ষাৎ করেছেন। সাক্ষাতে উত্তর কোরিয়া ইউক্রেনে রাশিয়ার যুদ্ধের প্রতি তাদের পূর্ণ সমর্থন "
            "পুনর্ব্যক্ত করেছে।"
        ],
    )
    n = normalize
    assert m.matches == (
        TermMatch(n("রুশ"), "russia", "title", 1),
        TermMatch(n("কিম জং উন"), "dprk", "title", 1),
        TermMatch(n("রাশিয়া"), "russia", "body", 2),
        TermMatch(n("ল্যাভরভ"), "russia", "body", 1),
        TermMatch(n("উত্তর কোরিয়া"), "dprk", "body", 2),
        TermMatch(n("কিম জং উন"), "dprk", "body", 1),
    )
    # title 3+3, body 2+1+2+1, both groups in one paragraph +2
    assert m.score == 14


def test_to_record_shape(topics: TopicSet) -> None:
    (m,) = topics.match("পুতিনের সঙ্গে অস্ত্র আলোচনার জন্য রাশিয়ায় যাচ্ছেন কিম", ["পিয়ংইয়ং"])
    rec = m.to_record()
    assert list(rec) == ["id", "score", "matches"]
    assert rec["id"] == "russia_dprk"
    assert isinstance(rec["score"], float)
    assert rec["score"] == 7.0  # title 3+3, body 1
    for item in rec["matches"]:
        assert list(item) == ["term", "group", "where", "count"]
    assert {(i["term"], i["where"]) for i in rec["matches"]} == {
        (normalize("পুতিন"), "title"),
        (normalize("রাশিয়া"), "title"),
        (normalize("পিয়ংইয়ং"), "body"),
    }
    json.dumps(rec, ensure_ascii=False)  # plain JSON types only
    assert TopicMatch("x", 1 / 3, ()).to_record() == {"id": "x", "score": 0.33, "matches": []}


# --- off-topic stories ---------------------------------------------------------------------

DPRK_MISSILE = (
    "আবারও ব্যালিস্টিক ক্ষেপণাস্ত্র ছুড়ল উত্তর কোরিয়া",
    [
        "জাপান সাগরের দিকে একটি স্বল্পপাল্লার ব্যালিস্টিক ক্ষেপণাস্ত্র নিক্ষেপ করেছে উত্তর কোরিয়া। "
        "দক্ষিণ কোরিয়ার জয়েন্ট চিফস অব স্টাফ এ তথ্য জানিয়েছে।",
        "পিয়ংইয়ংয়ের রাষ্ট্রীয় সংবাদমাধ্যম কেসিএনএ জানিয়েছে, কিম জং উন নিজে উৎক্ষেপণ পর্যবেক্ষণ "
        "করেছেন। এ বছর এটি উত্তর কোরিয়ার পঞ্চম ক্ষেপণাস্ত্র পরীক্ষা।",
        "যুক্তরাষ্ট্র, জাপান ও দক্ষিণ কোরিয়া এ ঘটনার নিন্দা জানিয়েছে।",
    ],
)
SOUTH_KOREA = (
    "দক্ষিণ কোরিয়ায় রুশ রাষ্ট্রদূতকে তলব",
    [
        "রাশিয়ার সঙ্গে বাণিজ্য নিয়ে উদ্বেগ জানিয়েছে দক্ষিণ কোরিয়া। সিউলে দক্ষিণ কোরীয় পররাষ্ট্র "
        "মন্ত্রণালয় মস্কোর রাষ্ট্রদূতকে তলব করে।",
        "South Korea summoned the Russian ambassador, the ministry in Seoul said.",
    ],
)
KPOP_SPORTS = (
    "বিশ্বকাপ বাছাইয়ে কোরিয়ার কাছে হারল রাশিয়া",
    [
        "কোরিয়ার কাছে ২-১ গোলে হেরেছে রাশিয়া। ম্যাচের আগে কোরিয়ান ব্যান্ড বিটিএসের গান বাজানো হয়।",
        "কোরিয়ান সমর্থকেরা মস্কোর দর্শকদের সঙ্গে উদযাপন করেন। কিম মিন-জে ছিলেন ম্যাচসেরা।",
    ],
)


@pytest.mark.parametrize(
    "story", [DPRK_MISSILE, SOUTH_KOREA, KPOP_SPORTS], ids=["dprk-only", "south-korea", "kpop"]
)
def test_off_topic_stories(topics: TopicSet, story) -> None:
    title, body = story
    assert topics.match(title, body) == []


def test_bare_korea_and_south_korea_never_count_as_dprk(topics: TopicSet) -> None:
    for text in [
        "রুশ দল দক্ষিণ কোরিয়ার বিপক্ষে",
        "রুশ দল দক্ষিণ কোরিয়া সফরে",
        "Russia and South Korea",
        "রুশ কোরিয়ান কোরিয়া কোরীয় উপদ্বীপ",
        "রুশ কিম মিন-জে",
    ]:
        assert topics.match(text, [text]) == [], text


# Short excerpts of the real Russia-only texts (full files are tested below when present).
RUSSIA_ONLY = [
    (
        "পুতিন কোন ভ্যাকসিন নেবেন সেটি ‘গোপনীয়’",
        [
            "রাশিয়ার প্রেসিডেন্ট ভ্লাদিমির পুতিন কোন ভ্যাকসিন নেবেন সেটি গোপনীয় ব্যাপার বলে মনে করছে "
            "ক্রেমলিন। রুশ কর্মকর্তারা এমনটাই জানিয়েছেন।"
        ],
    ),
    (
        "ইউক্রেন আলোচনায় অগ্রগতি, তবে এখনো কিছু জটিল ইস্যু আছে, বললেন ট্রাম্প",
        [
            "রাশিয়া ২০২২ সালে ইউক্রেনে পূর্ণ মাত্রায় আগ্রাসন শুরু করেছিলো।",
            "ইউক্রেনের ২০ শতাংশ ভূখণ্ড এখন রাশিয়ার নিয়ন্ত্রণে।",
        ],
    ),
    (
        "২০২৬ সালে যে ৭ সংঘাতে নজর থাকবে বিশ্বের",
        [
            "ইউক্রেনে রাশিয়ার যুদ্ধ থেকে বেইজিং হয়তো সামরিক সংঘাতের জটিলতা সম্পর্কে সতর্কবার্তা পেয়েছে।",
            "ক্রেমলিনের প্ররোচনায় ইউক্রেনের সামরিক বা রাজনৈতিক ভাঙন দেখা দিতে পারে।",
        ],
    ),
]


@pytest.mark.parametrize("story", RUSSIA_ONLY, ids=["ajkerpatrika", "bbcbangla", "jagonews24"])
def test_russia_only_excerpts_are_off_topic(topics: TopicSet, story) -> None:
    assert topics.match(*story) == []


@pytest.mark.skipif(not REALTEXT.is_dir(), reason="shared realtext folder not present")
@pytest.mark.parametrize(
    "name",
    [
        "ajkerpatrika_192.txt",
        "bbcbangla_cqjgjzg2v0jo.txt",
        "jagonews24_1079800.txt",
        "jagonews24_1079736.txt",  # business story with a bare কোরিয়া
    ],
)
def test_russia_only_realtext_is_off_topic(topics: TopicSet, name: str) -> None:
    lines = (REALTEXT / name).read_text(encoding="utf-8").splitlines()
    assert topics.match(lines[2], [line for line in lines[3:] if line.strip()]) == []


# --- spelling variants and boundaries ------------------------------------------------------


def test_both_ya_encodings_match_both_ways(tmp_path: Path) -> None:
    for term_ya in (YA_PRE, YA_DECOMP):
        directory = tmp_path / ("pre" if term_ya == YA_PRE else "decomp")
        directory.mkdir()
        write_topic(
            directory, "t", minimal(a=f'["রাশি{term_ya}া"]', b=f'["পি{term_ya}ংই{term_ya}ং"]')
        )
        ts = TopicSet.load(directory=directory)
        for text_ya in (YA_PRE, YA_DECOMP):
            text = f"রাশি{text_ya}ার সঙ্গে পি{text_ya}ংই{text_ya}ং{text_ya}ের চুক্তি"
            (m,) = ts.match(text, [])
            assert [t.count for t in m.matches] == [1, 1]


def test_mixed_ya_encodings_in_one_text(topics: TopicSet) -> None:
    # Real pages mix both forms inside one article.
    (m,) = topics.match("", [f"রাশি{YA_PRE}া ও রাশি{YA_DECOMP}ার সঙ্গে উত্তর কোরি{YA_PRE}া"])
    assert TermMatch(normalize("রাশিয়া"), "russia", "body", 2) in m.matches


@pytest.mark.parametrize(
    "text",
    [
        f"রা{ZWNJ}শিয়ার",
        f"ল{ZWJ}্যাভরভ",
        f"ল্{ZWNJ}যাভরভকে",
        f"উত্তর{ZWNJ} কোরিয়া",
        f"কিম জং{ZWJ} উন",
        "রাশিয়ার\u00a0সঙ্গে",
    ],
)
def test_zero_width_joiners_are_ignored(probe: TopicSet, text: str) -> None:
    assert terms_found(probe, text), text


@pytest.mark.parametrize(
    ("word", "term"),
    [
        ("রাশিয়ার", "রাশিয়া"),  # র
        ("KCNAএর", "KCNA"),  # এর
        ("পিয়ংইয়ংয়ের", "পিয়ংইয়ং"),  # য়ের
        ("পুতিনের", "পুতিন"),  # ের
        ("মস্কোকে", "মস্কো"),  # কে
        ("রাশিয়াকেও", "রাশিয়া"),  # কেও
        ("রাশিয়াতে", "রাশিয়া"),  # তে
        ("রাশিয়ায়", "রাশিয়া"),  # য়
        ("পিয়ংইয়ংয়ে", "পিয়ংইয়ং"),  # য়ে
        ("ক্রেমলিনে", "ক্রেমলিন"),  # ে
        ("রাশিয়ানরা", "রাশিয়ান"),  # রা
        ("রাশিয়ানদের", "রাশিয়ান"),  # দের
        ("রাশিয়াও", "রাশিয়া"),  # ও
        ("মস্কোই", "মস্কো"),  # ই
        ("রাশিয়াসহ", "রাশিয়া"),  # সহ
        ("চোয়ে সন হুই-এর", "চোয়ে সন হুই"),  # -এর (seed 000)
        ("কেসিএনএর", "কেসিএনএ"),
        ("কেসিএনএ-র", "কেসিএনএ"),
        ("কিমের সঙ্গে কিম জং উনের", "কিম জং উন"),
        ("শোইগুকে", "শোইগু"),
        ("উত্তর কোরিয়ানরা", "উত্তর কোরিয়ান"),
        ("উ. কোরিয়ার", "উ. কোরিয়া"),
        ("Putin's", "Putin"),
        ("NORTH KOREA", "North Korea"),
        ("(KCNA)জানিয়েছে", "KCNA"),
        ("করেন।উত্তর কোরিয়ার", "উত্তর কোরিয়া"),
    ],
)
def test_inflections_match(probe: TopicSet, word: str, term: str) -> None:
    assert terms_found(probe, word) == {normalize(term)}


@pytest.mark.parametrize(
    "word", ["দলটি", "দলটা", "দলগুলো", "দলসহ", "দলের", "দলকেও", "দলে", "দল-এর", "দল,"]
)
def test_suffixes_on_a_consonant_final_term(tmp_path: Path, word: str) -> None:
    write_topic(tmp_path, "t", minimal(rule="a"))
    assert TopicSet.load(directory=tmp_path).match(word, []), word


@pytest.mark.parametrize("word", ["দলিল", "দলীয়", "উপদল", "দলবদল", "দলিলের", "Putinism"])
def test_no_match_inside_a_longer_word(tmp_path: Path, word: str) -> None:
    # `\bদল\b` would match inside দলিল: the vowel sign ি is not a \w character.
    write_topic(tmp_path, "t", minimal(rule="a OR b"))
    assert TopicSet.load(directory=tmp_path).match(word, []) == [], word


@pytest.mark.parametrize("word", ["রুশদি", "সালমান রুশদির", "বেলারুশ", "বেলারুশের", "রুশো"])
def test_russia_terms_not_inside_other_words(probe: TopicSet, word: str) -> None:
    assert terms_found(probe, word) == set(), word


@pytest.mark.parametrize(
    "text",
    [
        "কিম জং উন",
        "কিম জং-উন",
        "কিম জংউন",
        "কিম জং উনের",
        "কিম জং-উনের",
        "কিম জং\u2011উন",
        "কিম  জং উন",
        "Kim Jong-un",
        "kim jong un's",
    ],
)
def test_hyphen_and_space_variants(probe: TopicSet, text: str) -> None:
    found = terms_found(probe, text)
    assert found in ({normalize("কিম জং উন")}, {"Kim Jong Un"}), text


def test_pyongyang_space_variant(probe: TopicSet) -> None:
    assert terms_found(probe, "পিয়ং ইয়ংয়ের") == {normalize("পিয়ংইয়ং")}


def test_bare_kim_is_not_a_term(probe: TopicSet) -> None:
    assert terms_found(probe, "কিম বলেন, কিমের সঙ্গে") == set()


# --- scoring ------------------------------------------------------------------------------


def test_score_caps_counts_and_adds_paragraph_bonus(topics: TopicSet) -> None:
    (m,) = topics.match("", ["রাশিয়া রাশিয়া রাশিয়া রাশিয়া রাশিয়া উত্তর কোরিয়া"])
    assert TermMatch(normalize("রাশিয়া"), "russia", "body", 5) in m.matches  # true count
    assert m.score == 3 + 1 + 2  # capped at 3, plus DPRK once, plus same-paragraph bonus


def test_threshold_body_mentions_in_separate_paragraphs(topics: TopicSet) -> None:
    assert topics.match("", ["রাশিয়া সফরে।", "উত্তর কোরিয়া।"]) == []  # 1 + 1 < 4
    assert topics.match("", ["রাশিয়া ও উত্তর কোরিয়া।"])  # 1 + 1 + 2
    assert topics.match("রাশিয়া সফরে কিম", ["উত্তর কোরিয়া।"])  # 3 + 1


def test_title_weighs_more_than_body(topics: TopicSet) -> None:
    (in_title,) = topics.match("রাশিয়া ও উত্তর কোরিয়া", [])
    (in_body,) = topics.match("", ["রাশিয়া ও উত্তর কোরিয়া"])
    assert in_title.score > in_body.score


# --- several topics, excludes, rules ----------------------------------------------------


def test_exclude_phrase_hides_its_terms_for_that_group_only(tmp_path: Path) -> None:
    write_topic(
        tmp_path,
        "t",
        minimal(
            rule="a",
            a='["কোরিয়া", "Korea"]',
            a_extra='exclude = ["দক্ষিণ কোরিয়া", "South Korea"]',
        ),
    )
    write_topic(tmp_path, "u", minimal(id="u", rule="a", a='["কোরিয়া", "Korea"]'))
    ts = TopicSet.load(directory=tmp_path)
    assert ts.ids == ["t", "u"]
    # `u` has no exclude: the span another topic's exclude claims still counts for it.
    assert [m.id for m in ts.match("দক্ষিণ কোরিয়ার খবর", [])] == ["u"]
    assert [m.id for m in ts.match("South Korea", [])] == ["u"]
    assert [m.id for m in ts.match("কোরিয়ার খবর", [])] == ["t", "u"]
    assert [m.id for m in ts.match("North and South Korea", [])] == ["u"]
    assert [m.id for m in ts.match("Korea", [])] == ["t", "u"]


def test_term_inside_another_topics_longer_term_still_counts(tmp_path: Path) -> None:
    write_topic(tmp_path, "t", minimal(rule="a", a='["পুতিন"]'))
    write_topic(tmp_path, "u", minimal(id="u", rule="a", a='["ভ্লাদিমির পুতিন"]'))
    ts = TopicSet.load(directory=tmp_path)
    (t, u) = ts.match("ভ্লাদিমির পুতিনের সফর", [])
    assert (t.matches[0].term, u.matches[0].term) == (normalize("পুতিন"), normalize("ভ্লাদিমির পুতিন"))


def test_or_rule(tmp_path: Path) -> None:
    write_topic(tmp_path, "t", minimal(rule="a OR b"))
    ts = TopicSet.load(directory=tmp_path)
    assert ts.match("দলের", []) and ts.match("Putin", [])
    assert ts.match("কিছুই নেই", []) == []


def test_parse_rule() -> None:
    assert _parse_rule("a AND b") == [{"a", "b"}]
    assert _parse_rule("a and (b OR c)") == [{"a", "b"}, {"a", "c"}]
    assert _parse_rule("a OR b AND c") == [{"a"}, {"b", "c"}]
    assert _parse_rule("((a))") == [{"a"}]
    for bad in ["", "a AND", "AND a", "a b", "(a", "a)", "a && b", "__import__('os')"]:
        with pytest.raises(ValueError):
            _parse_rule(bad)


def test_load_by_name(tmp_path: Path) -> None:
    assert TopicSet.load(["russia_dprk"]).ids == ["russia_dprk"]
    assert TopicSet.load("russia_dprk").ids == ["russia_dprk"]
    assert (TOPICS_DIR / "russia_dprk.toml").is_file()
    with pytest.raises(TopicError, match=r"unknown topic.*'nope'.*russia_dprk"):
        TopicSet.load(["nope"])
    with pytest.raises(TopicError, match="no topic ids"):
        TopicSet.load([])
    with pytest.raises(TopicError, match="no topic files"):
        TopicSet.load(directory=tmp_path)


def test_empty_input(topics: TopicSet) -> None:
    assert topics.match("", []) == []


# --- malformed files --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (minimal().replace('name = "Test"', "name = "), r"t\.toml: not valid TOML: .*line 2"),
        (minimal().replace('rule = "a AND b"\n', ""), r"t\.toml: missing required key 'rule'"),
        (minimal().replace("threshold = 0\n", ""), r"missing required key 'threshold'"),
        (minimal().replace("[groups.a]\nterms", "[groups.a]\nterm"), r"t\.toml:9: .*'term'"),
        (minimal(rule="a AND c"), r"t\.toml:3: .*unknown group.*\['c'\].*\['a', 'b'\]"),
        (minimal(rule="a AND"), r"t\.toml:3: rule 'a AND': ends too early"),
        (minimal(rule="a; import os"), r"t\.toml:3: rule .*unexpected"),
        (minimal(a="[]"), r"t\.toml:9: groups\.a\.terms is empty"),
        (minimal(a='["", "x"]'), r"t\.toml:9: groups\.a\.terms must be a list of non-empty"),
        (minimal(a='"দল"'), r"groups\.a\.terms must be a list"),
        (minimal(id="other"), r"t\.toml:1: id 'other' must equal the file name 't'"),
        (minimal(threshold='"high"'), r"t\.toml:4: threshold must be a number"),
        (minimal().replace("same_paragraph = 2\n", ""), r"t\.toml:5: \[weights\] must set"),
        (minimal().replace("body = 1", "body = -1"), r"t\.toml:7: weights\.body must be"),
        (minimal() + "colour = 1\n", r"unknown key\(s\) \['colour'\]"),
        (minimal(a_extra='exclude = ["দল"]'), r"'দল' is both a term and an exclude"),
        (minimal(b='["দল-"]'), r"is a term of groups \['a', 'b'\]"),
    ],
    ids=[
        "toml-syntax",
        "no-rule",
        "no-threshold",
        "typo-key",
        "unknown-group",
        "rule-syntax",
        "rule-junk",
        "empty-terms",
        "empty-term",
        "terms-not-list",
        "id-mismatch",
        "threshold-type",
        "weights-missing",
        "weight-negative",
        "unknown-top-key",
        "term-and-exclude",
        "term-in-two-groups",
    ],
)
def test_malformed_topic_file(tmp_path: Path, body: str, message: str) -> None:
    path = write_topic(tmp_path, "t", body)
    with pytest.raises(TopicError, match=message) as e:
        TopicSet.load(directory=tmp_path)
    assert str(path) in str(e.value)
    assert isinstance(e.value, ValueError)


# --- the link between the groups: sentence, paragraph, relation words, lists ---------------


def report(topics: TopicSet, title: str, paragraphs: list[str]):
    (r,) = topics.explain(title, paragraphs)
    return r


def test_one_sentence_weighs_more_than_one_paragraph_more_than_apart(topics: TopicSet) -> None:
    sentence = report(topics, "", ["রাশিয়া ও উত্তর কোরিয়ার মধ্যে নতুন রেল চালু হয়েছে।"])
    paragraph = report(topics, "", ["রাশিয়া নতুন রেল চালু করেছে। উত্তর কোরিয়া স্বাগত জানিয়েছে।"])
    apart = report(topics, "", ["রাশিয়া নতুন রেল চালু করেছে।", "উত্তর কোরিয়া স্বাগত জানিয়েছে।"])
    assert (sentence.link, paragraph.link, apart.link) == ("sentence", "paragraph", "apart")
    assert sentence.score > paragraph.score > apart.score
    assert sentence.kept and paragraph.kept is False  # 1 + 1 + 1 < 4
    assert not apart.kept and not apart.linked


def test_far_apart_with_relation_words_is_kept(topics: TopicSet) -> None:
    # Each side named once, paragraphs apart, each beside a word of the relation (সেনা, সমর্থন).
    body = [
        "ফ্রন্টে নতুন একটি ইউনিট দেখা গেছে বলে জানিয়েছেন ইউক্রেনীয় কমান্ডাররা।",
        "গোয়েন্দাদের দাবি, উত্তর কোরিয়া আরও দুই হাজার সেনা পাঠিয়েছে।",
        "ইউক্রেনের আকাশ প্রতিরক্ষা এখনো দুর্বল।",
        "এসব ইউনিট রুশ বাহিনীর সমর্থন নিয়ে লড়ছে।",
    ]
    r = report(topics, "ফ্রন্টে নতুন ইউনিট", body)
    assert r.link == "relation" and r.kept
    assert r.score == 1 + 1 + 2
    # The same names without the relation words: not linked, not kept.
    plain = [p.replace("সেনা", "বেলুন").replace("সমর্থন", "পতাকা") for p in body]
    assert report(topics, "ফ্রন্টে নতুন ইউনিট", plain).link == "apart"
    assert topics.match("ফ্রন্টে নতুন ইউনিট", plain) == []


def test_headline_with_a_relation_word_links_the_sides_it_does_not_name(topics: TopicSet) -> None:
    body = ["রাশিয়ার পূর্বাঞ্চলের কারখানাগুলোতে লোক কম।", "তাদের অনেকে পিয়ংইয়ং থেকে এসেছেন।"]
    assert report(topics, "সাইবেরিয়ায় বিদেশি শ্রমিক", body).kept
    assert not report(topics, "সাইবেরিয়ায় নতুন কারখানা", body).kept


def test_a_list_of_countries_is_not_a_link(topics: TopicSet) -> None:
    body = [
        "সূচকে সবচেয়ে নিচে রয়েছে ইরান, উত্তর কোরিয়া, রাশিয়া ও মিয়ানমার।",
        "রাশিয়ার অবস্থান গত বছরের চেয়ে আরও নেমেছে। মস্কো প্রতিবেদনটি প্রত্যাখ্যান করেছে।",
    ]
    r = report(topics, "ইন্টারনেট স্বাধীনতা সূচক প্রকাশ", body)
    assert r.link == "list" and not r.kept and not r.missing
    # The same list with a word of the relation in its sentence is about the relation.
    linked = [body[0].replace("সূচকে সবচেয়ে নিচে রয়েছে", "সামরিক জোট গড়েছে"), *body[1:]]
    assert report(topics, "ইন্টারনেট স্বাধীনতা সূচক প্রকাশ", linked).kept
    # Two countries joined by ও, with no third one, are a pair, not a list.
    assert report(topics, "", ["রাশিয়া ও উত্তর কোরিয়া।"]).link == "sentence"


def test_a_comparison_is_not_a_link(topics: TopicSet) -> None:
    body = [
        "রাশিয়ার অর্থনীতি নিষেধাজ্ঞার মধ্যেও টিকে আছে। মস্কো তেল বিক্রি বাড়িয়েছে।",
        "এক অর্থনীতিবিদ বলেন, উত্তর কোরিয়ার মতো বিচ্ছিন্ন অর্থনীতি রাশিয়া নয়।",
    ]
    r = report(topics, "নিষেধাজ্ঞার মধ্যে রুশ অর্থনীতি", body)
    assert r.link == "list" and not r.kept


def test_nuclear_arms_are_not_arms_passing_between_them(topics: TopicSet) -> None:
    body = ["রাশিয়ার হাতে সবচেয়ে বেশি ওয়ারহেড।", "উত্তর কোরিয়ার কাছে আছে ৫০টি।"]
    assert not report(topics, "পরমাণু অস্ত্রের মজুত বাড়ছে", body).kept
    assert report(topics, "অস্ত্রের চালান বাড়ছে", body).kept


def test_explain_prints_the_link(tmp_path: Path, capsys) -> None:
    path = tmp_path / "list.txt"
    path.write_text(
        "সাইবার হামলার উৎস\n\nহামলা এসেছে চীন, রাশিয়া, ইরান ও উত্তর কোরিয়া থেকে।\n",
        encoding="utf-8",
    )
    parser = argparse.ArgumentParser(prog="newswatch")
    add_topics_commands(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(["topics", "explain", str(path)])
    assert args.handler(args) == 0
    out = capsys.readouterr().out
    assert "not kept" in out and "rule met, but the groups are not linked" in out
    assert "link: list" in out


def test_a_topic_without_relation_section_needs_no_link(tmp_path: Path) -> None:
    write_topic(tmp_path, "t", minimal(threshold=2))
    ts = TopicSet.load(directory=tmp_path)
    (r,) = ts.explain("", ["দল আছে।", "Putin আছেন।"])
    assert r.kept and r.linked and r.link == "apart" and r.score == 2
    (r,) = ts.explain("", ["দল আর Putin। আর কিছু নয়।"])
    assert r.link == "sentence" and r.score == 1 + 1 + 2  # same_sentence defaults to same_paragraph


def test_many_terms_sharing_a_prefix_match_the_longest(tmp_path: Path) -> None:
    terms = '["কিম", "কিম জং", "কিম জং উন", "কিম জং উনের দল"]'
    write_topic(tmp_path, "t", minimal(rule="a", a=terms))
    ts = TopicSet.load(directory=tmp_path)
    for text, term in [
        ("কিম জং-উনের দলের", "কিম জং উনের দল"),
        ("কিম জং উনের", "কিম জং উন"),
        ("কিম জংকে", "কিম জং"),
        ("কিমের", "কিম"),
    ]:
        (m,) = ts.match(text, [])
        assert [t.term for t in m.matches] == [normalize(term)], text


RELATION = '\n[relation]\nterms = ["চুক্তি"]\n'


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (
            minimal() + RELATION.replace('terms = ["চুক্তি"]', "terms = []"),
            r"relation\.terms is empty",
        ),
        (minimal() + RELATION + "colour = 1\n", r"relation: unknown key\(s\) \['colour'\]"),
        (minimal() + RELATION + 'peers = "চীন"\n', r"relation\.peers must be a list"),
        ('relation = "x"\n' + minimal(), r"relation must be a table"),
        (minimal().replace("same_paragraph = 2", "same_paragraph = 2\nnear = 1"), r"\[weights\]"),
        (
            minimal().replace("same_paragraph = 2", "same_paragraph = 2\nrelation = -1"),
            r"weights\.relation",
        ),
    ],
    ids=[
        "relation-empty",
        "relation-unknown-key",
        "peers-not-list",
        "relation-not-table",
        "weights-unknown",
        "relation-weight-negative",
    ],
)
def test_malformed_relation_section(tmp_path: Path, body: str, message: str) -> None:
    write_topic(tmp_path, "t", body)
    with pytest.raises(TopicError, match=message):
        TopicSet.load(directory=tmp_path)


# --- lists, tallies, contrasts, comparisons, other countries' relations, digests ----------------


def test_sah_and_a_count_make_a_list(topics: TopicSet) -> None:
    # `সহ` ("including") after joined names, and a count of three or more countries: list items.
    r = report(topics, "রাশিয়া ও উত্তর কোরিয়াসহ ১২ দেশের নাগরিকদের ভিসা সীমিত করল যুক্তরাষ্ট্র", [])
    assert r.link == "list" and not r.kept
    assert any("সহ" in w for w in r.why)
    r = report(topics, "", ["সবচেয়ে উদ্বেগজনক পাঁচ দেশের মধ্যে রয়েছে রাশিয়া ও উত্তর কোরিয়া।"])
    assert r.link == "list" and any("পাঁচ দেশের" in w for w in r.why)
    for count in ("১২টি দেশের", "১৯০টির বেশি দেশের", "কয়েকটি দেশের", "ভোট দেওয়া দেশগুলোর"):
        text = f"{count} মধ্যে আছে রাশিয়া ও উত্তর কোরিয়া।"
        assert report(topics, "", [text]).link == "list", count
    # Two countries are a pair (`দুই দেশ`, `২টি দেশ`), and a relation word still links a list.
    assert report(topics, "", ["২টি দেশ: রাশিয়া ও উত্তর কোরিয়া।"]).link == "sentence"
    r = report(topics, "", ["মস্কোর কুচকাওয়াজে ১৩টি দেশের সেনাদল ছিল, ছিল উত্তর কোরিয়ার দলও।"])
    assert r.link == "sentence" and r.kept


def test_sah_on_one_name_ends_the_list(topics: TopicSet) -> None:
    # `কিম জং উনসহ উত্তর কোরিয়ার নেতাদের`: Kim is one of the leaders; what follows is free.
    assert report(topics, "কিম জং উনসহ উত্তর কোরিয়ার নেতাদের শুভেচ্ছা পুতিনের", []).kept


def test_a_contrast_sets_the_sides_apart(topics: TopicSet) -> None:
    body = [
        "প্রতিবেদনে বলা হয়, রুশ হ্যাকাররা মূলত সরকারি দপ্তরকে লক্ষ্য করেছে, আর উত্তর কোরীয় "
        "গোষ্ঠীগুলো ক্রিপ্টোমুদ্রা চুরিতে সক্রিয়।"
    ]
    r = report(topics, "সাইবার হামলার নতুন প্রতিবেদন", body)
    assert r.link == "list" and not r.kept and not r.same_paragraph
    assert any("আর" in w and "apart" in w for w in r.why)
    other = [body[0].replace(", আর", ", অন্যদিকে")]
    assert report(topics, "সাইবার হামলার নতুন প্রতিবেদন", other).link == "list"
    # Without the contrast the two are one sentence's actors.
    joined = [body[0].replace(", আর", " এবং")]
    assert report(topics, "সাইবার হামলার নতুন প্রতিবেদন", joined).link == "sentence"
    # A relation word beside each side still ties them.
    tied = [
        "মস্কোয় রুশ মন্ত্রী বিদেশি সেনাদের স্মরণ করেন, অন্যদিকে পিয়ংইয়ংয়ে কিম জং উন নিহত "
        "সেনাদের পরিবারকে পদক দেন।"
    ]
    r = report(topics, "দুই রাজধানীতে অনুষ্ঠান", tied)
    assert r.link == "relation" and r.kept


def test_a_comparison_a_few_words_after_a_name(topics: TopicSet) -> None:
    sentence = "সমালোচকেরা বলছেন, রুশ ইন্টারনেট একদিন উত্তর কোরিয়ার ‘কোয়াংমিয়ং’ নেটওয়ার্কের মতো বিচ্ছিন্ন হবে।"
    r = report(topics, "", [sentence])
    assert r.link == "list" and any("a comparison" in w for w in r.why)
    coordinated = "উত্তর কোরিয়ার কিম পরিবার বা আজারবাইজানের আলিয়েভ পরিবারের মতো উত্তরাধিকারের সম্ভাবনা রাশিয়ায় কম।"
    assert report(topics, "", [coordinated]).link == "list"
    # Not comparisons: a time (`প্রথমবারের মতো`), an amount (`হাজারের মতো`), an opinion
    # (`মতে`), or a comparison word past a finite verb.
    for text in [
        "রাশিয়া থেকে প্রথমবারের মতো দুই শতাধিক শিক্ষার্থী উত্তর কোরিয়ার শিবিরে পৌঁছেছে।",
        "উত্তর কোরিয়া থেকে পাঁচ হাজারের মতো কর্মী রাশিয়ার সুদূরপ্রাচ্যে পৌঁছেছেন।",
        "রাশিয়ার মতে উত্তর কোরিয়ার ক্ষেপণাস্ত্র কর্মসূচি আত্মরক্ষামূলক।",
        "উত্তর কোরিয়া রাশিয়ায় তৈরি হচ্ছে এমন কারখানার মতো কিছু চায় না।",
    ]:
        assert report(topics, "", [text]).link == "sentence", text


def test_compare_window_zero_keeps_the_old_adjacent_rule(tmp_path: Path) -> None:
    body = minimal(a='["রাশিয়া"]', b='["উত্তর কোরিয়া"]') + RELATION + 'compare = ["মতো"]\n'
    write_topic(tmp_path, "t", body)
    ts = TopicSet.load(directory=tmp_path)
    (r,) = ts.explain("", ["রাশিয়া উত্তর কোরিয়ার মতো বিচ্ছিন্ন নয়।"])
    assert r.link == "list"
    (r,) = ts.explain("", ["রাশিয়া উত্তর কোরিয়ার বদ্ধ ব্যবস্থার মতো বিচ্ছিন্ন নয়।"])
    assert r.link == "sentence"


def test_a_headline_naming_no_side_ties_only_free_mentions(topics: TopicSet) -> None:
    body = [
        "রুশ বাহিনী ফাইবার-অপটিক ড্রোন ব্যবহার করছে।",
        "বিশ্লেষকেরা বলছেন, এই অভিজ্ঞতা থেকে চীন, ইরান, এমনকি উত্তর কোরিয়াও শিক্ষা নিচ্ছে।",
    ]
    r = report(topics, "শীতকালীন যুদ্ধে ড্রোনই প্রধান অস্ত্র", body)
    assert not r.kept and r.link == "apart"
    assert any("headline" in w for w in r.why)
    # The same headline over a body naming both as actors ties them.
    body[1] = "গোয়েন্দারা বলছেন, উত্তর কোরিয়াও এসব ড্রোন চালনা শিখছে।"
    assert report(topics, "শীতকালীন যুদ্ধে ড্রোনই প্রধান অস্ত্র", body).kept


def test_a_headline_tying_one_side_to_another_country(topics: TopicSet) -> None:
    body = [
        "বেলারুশের প্রেসিডেন্ট আলেক্সান্দার লুকাশেঙ্কো প্রথমবারের মতো উত্তর কোরিয়া সফর করছেন।",
        "কেসিএনএ জানিয়েছে, কিম জং উন বিমানবন্দরে তাকে স্বাগত জানান।",
        "রাশিয়ার ঘনিষ্ঠ মিত্র হিসেবে পরিচিত লুকাশেঙ্কোর এই সফর পশ্চিমা দেশগুলো নজরে রাখছে।",
        "রাশিয়ার ঘনিষ্ঠ মিত্র বেলারুশ সম্প্রতি পিয়ংইয়ংয়ের সঙ্গে সম্পর্ক জোরদার করছে।",
    ]
    r = report(topics, "বেলারুশের প্রেসিডেন্টের পিয়ংইয়ং সফর", body)
    assert not r.kept and not r.linked
    assert any("বেলারুশের" in w and "another country" in w for w in r.why)
    # A headline on the pair itself is linked as before.
    assert report(topics, "রুশ প্রতিনিধিদলের পিয়ংইয়ং সফর", body).kept


def test_places_wars_and_sources_are_not_partners(topics: TopicSet) -> None:
    body = [
        "দক্ষিণ কোরিয়ার গোয়েন্দা সংস্থা জানিয়েছে যে উত্তর কোরিয়া নতুন করে তিন হাজার সেনা পাঠিয়েছে।",
        "এসব সেনা কুরস্ক সীমান্তে রুশ বাহিনীর সঙ্গে মোতায়েন হবে।",
    ]
    for title in [
        "আরও ৩ হাজার সেনা পাঠাল উত্তর কোরিয়া, দাবি সিউলের",  # a source, after a comma
        "ইউক্রেন যুদ্ধে আরও সেনা পাঠাল উত্তর কোরিয়া",  # the war's name
        "ইউক্রেনে বন্দী উত্তর কোরীয় সেনাদের বৈঠকের ভিডিও",  # a place
    ]:
        r = report(topics, title, body)
        assert r.kept and not any("another country" in w for w in r.why), title


def test_anywhere_terms_link_the_sides(topics: TopicSet) -> None:
    body = [
        "খাসান সীমান্ত স্টেশন দিয়ে গত সপ্তাহে দুই হাজার টন কয়লা পার হয়েছে।",
        "রাশিয়ার রেল সংস্থা জানিয়েছে, লাইনটির সংস্কার শেষ হয়েছে।",
        "জাতিসংঘের প্যানেল বলছে, এই পথে উত্তর কোরিয়ার কয়লা রপ্তানি হয়।",
    ]
    r = report(topics, "নতুন রেলপথে কয়লার চালান", body)
    assert r.link == "relation" and r.kept
    assert report(topics, "নতুন রেলপথে কয়লার চালান", body[1:]).link == "apart"
    # The weapon, in the spellings outlets use; a side named only in a comparison is not tied.
    for missile in ("কেএন-২৩", "কেএন২৩", "KN-23", "হোয়াসং-১১"):
        text = [f"ক্ষেপণাস্ত্রটি {missile} ধরনের, যা উত্তর কোরিয়ায় তৈরি।", "রুশ বাহিনী এটি ছুড়েছে।"]
        assert report(topics, "ধ্বংসাবশেষে যা পাওয়া গেল", text).kept, missile
    compared = ["ক্ষেপণাস্ত্রটি কেএন-২৩ ধরনের।", "এটি রাশিয়ার ইস্কান্দারের মতো নিচু পথে ওড়ে।"]
    compared[0] += " উত্তর কোরিয়া এটি ছুড়েছে।"
    assert not report(topics, "আবারও ক্ষেপণাস্ত্র ছুড়ল উত্তর কোরিয়া", compared).linked


def test_two_countries_refers_to_the_two_last_named(topics: TopicSet) -> None:
    body = [
        "রাশিয়ার প্রিমোরস্কি অঞ্চলের কর্মকর্তারা জানিয়েছেন, বাজারটি আগামী মাসে খুলবে।",
        "উত্তর কোরিয়ার ব্যবসায়ীরাও সেখানে দোকান নিতে পারবেন।",
        "দুই দেশের কর্মকর্তারা আশা করছেন, এতে সীমান্ত এলাকার অর্থনীতি চাঙা হবে।",
    ]
    r = report(topics, "সীমান্তে নতুন পাইকারি বাজার", body)
    assert r.link == "relation" and r.kept
    # After China and North Korea, `দুই দেশ` are those two.
    other = [body[0], "চীনের সঙ্গে উত্তর কোরিয়ার সীমান্তেও এমন বাজার আছে।", body[2]]
    assert report(topics, "সীমান্তে নতুন পাইকারি বাজার", other).link != "relation"
    # A country named as the source of sanctions, or as a place, is not one of the two.
    sanctioned = "উত্তর কোরিয়ার ব্যবসায়ীরা, যাঁরা মার্কিন নিষেধাজ্ঞার আওতায়, সেখানে দোকান নিতে পারবেন।"
    r = report(topics, "সীমান্তে নতুন পাইকারি বাজার", [body[0], sanctioned, body[2]])
    assert r.link == "relation" and r.kept
    in_china = "উত্তর কোরিয়ার ব্যবসায়ীরা চীনে এমন দোকান চালান।"
    assert report(topics, "সীমান্তে নতুন পাইকারি বাজার", [body[0], in_china, body[2]]).kept


def test_a_digest_title_links_only_within_a_sentence(topics: TopicSet) -> None:
    body = [
        "রুশ সেনারা দোনেৎস্ক অঞ্চলের আরও দুটি গ্রাম দখলের দাবি করেছে।",
        "নেপালে ভূমিধসে নিহত ১৮।",
        "উত্তর কোরিয়া সীমান্তে সেনা মোতায়েন বাড়িয়েছে।",
    ]
    assert report(topics, "ফ্রন্টে নতুন তৎপরতা", body).kept  # a relation word beside each
    r = report(topics, "এক নজরে আন্তর্জাতিক", body)
    assert not r.kept and any("এক নজরে" in w for w in r.why)
    # An item about the two is still linked within its sentence ...
    assert report(topics, "এক নজরে আন্তর্জাতিক", [*body, "রাশিয়া সফরে কিম জং উন।"]).kept
    # ... but a survey's paragraph goes country by country: its sentences are items too.
    survey = ["রাশিয়ার ভান্ডারে ৫ হাজার ওয়ারহেড, রাশিয়া আরও বাড়াচ্ছে। উত্তর কোরিয়ার আছে ৫০টি।"]
    assert report(topics, "ওয়ারহেডের হিসাব", survey).link == "paragraph"
    r = report(topics, "বিশ্বে বাড়ছে ওয়ারহেড", survey)
    assert not r.kept and r.link == "apart"


def test_a_bare_space_does_not_join_a_list_but_a_hyphen_does(topics: TopicSet) -> None:
    # `যুক্তরাষ্ট্র উত্তর কোরিয়াকে ...`: subject and object, not items of one list.
    r = report(topics, "", ["বিশ্লেষকেরা মনে করেন, যুক্তরাষ্ট্র উত্তর কোরিয়াকে রাশিয়ার দিকে ঠেলে দিচ্ছে।"])
    assert r.link == "sentence"
    assert report(topics, "চীন-রাশিয়া-উত্তর কোরিয়া: পশ্চিমের উদ্বেগ", []).link == "list"
    assert report(topics, "রাশিয়া-উত্তর কোরিয়া: পশ্চিমের উদ্বেগ", []).link == "sentence"


RELATION_KEYS = '\n[relation]\nterms = ["চুক্তি"]\n{extra}\n'


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ("compare_window = 2.5", r"t\.toml:\d+: relation\.compare_window must be an integer"),
        ("compare_window = 99", r"relation\.compare_window must be an integer from 0 to 20"),
        ('counts = "চার"', r"t\.toml:\d+: relation\.counts must be a list of non-empty strings"),
        ('anywhere = ["nope"]', r"t\.toml:\d+: relation\.anywhere names unknown group 'nope'"),
        ('anywhere = ["a"]', r"relation\.anywhere: group 'a' is in the rule"),
        ('contrast = ["(আর"]', r"t\.toml:\d+: relation\.contrast: '\(আর' must be words"),
        ('digest = [""]', r"relation\.digest must be a list of non-empty strings"),
    ],
    ids=[
        "window-float",
        "window-big",
        "counts-str",
        "anywhere-unknown",
        "anywhere-rule",
        "contrast-junk",
        "digest-empty",
    ],
)
def test_malformed_relation_rules(tmp_path: Path, extra: str, message: str) -> None:
    path = write_topic(tmp_path, "t", minimal() + RELATION_KEYS.format(extra=extra))
    with pytest.raises(TopicError, match=message) as e:
        TopicSet.load(directory=tmp_path)
    assert str(path) in str(e.value)


def test_the_line_of_a_bad_relation_key(tmp_path: Path) -> None:
    text = minimal() + RELATION_KEYS.format(extra="pairs = []\ncompare_window = -1")
    write_topic(tmp_path, "t", text)
    line = text.splitlines().index("compare_window = -1") + 1
    with pytest.raises(TopicError, match=rf"t\.toml:{line}: relation\.compare_window"):
        TopicSet.load(directory=tmp_path)


def test_a_headline_naming_another_country_is_about_its_affairs(topics: TopicSet) -> None:
    body = [
        "দক্ষিণ কোরিয়ার নির্বাচনী প্রচারে উত্তর কোরিয়ার সঙ্গে আলোচনার প্রশ্নে প্রার্থীদের অবস্থান ভিন্ন।",
        "একজন প্রার্থী বলেছেন, রাশিয়ার সঙ্গে সম্পর্ক স্বাভাবিক করাও তার অগ্রাধিকার।",
    ]
    assert not report(topics, "দক্ষিণ কোরিয়ার নির্বাচনে উত্তর কোরিয়া নীতি নিয়ে বিতর্ক", body).kept
    # Without the other country the headline's side is what the story is about.
    assert report(topics, "উত্তর কোরিয়া নীতি নিয়ে বিতর্ক", body).link == "relation"
    # A country named as a place is no party (`ইউক্রেনে`).
    assert report(topics, "ইউক্রেনে উত্তর কোরিয়া নীতি নিয়ে বিতর্ক", body).link == "relation"


# --- sparse stories, medals, passing mentions, headlines that compare -----------------------


def test_troops_arms_and_workers_reach_into_the_next_paragraph(topics: TopicSet) -> None:
    moscow = "গোয়েন্দারা জানিয়েছে, মস্কোর উপকণ্ঠের একটি হাসপাতালে আলাদা ভবন বরাদ্দ করা হয়েছে।"
    soldiers = "সেখানে চিকিৎসাধীন সৈন্যরা উত্তর কোরিয়ার বিশেষ বাহিনীর সদস্য।"
    r = report(topics, "গোপনে চিকিৎসা", [moscow, soldiers])
    assert r.kept and r.link == "relation" and r.score == 1 + 1 + 2
    assert any("সৈন্যরা" in w and "next" in w for w in r.why)
    # In one paragraph it weighs as much (a relation), more than a paragraph link alone.
    assert report(topics, "গোপনে চিকিৎসা", [f"{moscow} {soldiers}"]).kept
    # Not two paragraphs apart, nor into a paragraph that opens on another story.
    between = "হাসপাতালে সাধারণ রোগী ও দর্শনার্থীদের প্রবেশ নিষিদ্ধ।"
    assert report(topics, "গোপনে চিকিৎসা", [moscow, between, soldiers]).link == "apart"
    assert report(topics, "গোপনে চিকিৎসা", [moscow, f"এদিকে {soldiers}"]).link == "apart"
    # A word of relations ties a side to anyone; arms beside another country go to that country.
    for other in (
        "উত্তর কোরিয়ার সঙ্গে সম্পর্ক নিয়ে কেউ মন্তব্য করেননি।",
        "ইরান উত্তর কোরিয়াকে অস্ত্র দিয়েছে বলে অভিযোগ রয়েছে।",
    ):
        assert report(topics, "গোপনে চিকিৎসা", [moscow, other]).link == "apart", other


def test_two_capitals_refers_to_the_two_last_named(topics: TopicSet) -> None:
    body = [
        "মস্কো থেকে ছাড়া যাত্রীবাহী ট্রেনটি আট দিন পর গন্তব্যে পৌঁছেছে।",
        "পথে ট্রেনটি সাইবেরিয়ার কয়েকটি শহরে থামে।",
        "পিয়ংইয়ং স্টেশনে যাত্রীদের ফুল দিয়ে বরণ করা হয়।",
        "দুই রাজধানীর মধ্যে সরাসরি ট্রেন পাঁচ বছর বন্ধ ছিল।",
    ]
    r = report(topics, "দীর্ঘ রেলযাত্রা", body)
    assert r.kept and r.link == "relation"
    assert any("দুই রাজধানীর" in w for w in r.why)
    assert not report(topics, "দীর্ঘ রেলযাত্রা", body[:3]).linked


def test_medals_are_a_tally(topics: TopicSet) -> None:
    results = "উত্তর কোরিয়ার এক ভারোত্তোলক স্বর্ণপদক জেতেন। রাশিয়ার এক ভারোত্তোলক ব্রোঞ্জ পান।"
    r = report(topics, "ভারোত্তোলনে উত্তর কোরিয়ার রেকর্ড", [results])
    assert not r.kept and r.link == "list"
    assert any("স্বর্ণপদক" in w and "tallies" in w for w in r.why)
    # Colloquial medal words, in a headline too.
    title = "ভারোত্তোলনে উত্তর কোরিয়ার তিন সোনা, রুপা রুশ তরুণীর"
    r = report(topics, title, ["চ্যাম্পিয়নশিপে চীন শীর্ষে।"])
    assert not r.kept and r.link == "list"
    # Unless a relation word says more than the result.
    trained = "রুশ কোচের কাছে প্রশিক্ষণ নেওয়া উত্তর কোরিয়ার এক ভারোত্তোলক স্বর্ণপদক জেতেন।"
    assert report(topics, "ভারোত্তোলনে উত্তর কোরিয়ার রেকর্ড", [trained]).kept


def test_one_mention_under_a_headline_about_another_pair_is_passing(topics: TopicSet) -> None:
    title = "ইরান সফরে ল্যাভরভ, জ্বালানি চুক্তি সই"
    body = [
        "তেহরানে ইরানের পররাষ্ট্রমন্ত্রীর সঙ্গে বৈঠক করেছেন রুশ পররাষ্ট্রমন্ত্রী।",
        "গত বছর উত্তর কোরিয়ার সঙ্গে মস্কোর চুক্তিতেও একই ধরনের ধারা ছিল।",
    ]
    r = report(topics, title, body)
    assert not r.kept and not r.linked
    assert any("named once" in w for w in r.why)
    # Named in a second sentence, the other side is part of the story.
    body.append("উত্তর কোরিয়ার সঙ্গে রাশিয়ার সামরিক সহযোগিতাও বাড়ছে।")
    assert report(topics, title, body).kept


def test_a_headline_compares_what_its_body_compares(topics: TopicSet) -> None:
    title = "রুশ সংসদ কি উত্তর কোরিয়ার পথে"
    body = [
        "রাশিয়ার সংসদে কার্যকর বিরোধী দল বলে এখন আর কিছু নেই।",
        "সমালোচকেরা বলছেন, সংসদ উত্তর কোরিয়ার মতো আনুষ্ঠানিকতায় পরিণত হয়েছে।",
    ]
    r = report(topics, title, body)
    assert not r.kept and r.link == "list"
    assert any("only in comparisons" in w for w in r.why)
    # A body naming that side other than in a comparison lets the headline link as before.
    body.append("উত্তর কোরিয়ার সুপ্রিম পিপলস অ্যাসেম্বলি বছরে দুবার বসে।")
    assert report(topics, title, body).link == "sentence"


def test_match_stops_early_but_agrees_with_explain(topics: TopicSet) -> None:
    # `match` stops reading once the score cannot rise; `explain` reads on for the full story.
    for item in load_items(EVAL_DIR):
        body = paragraphs(item.text)
        kept = {r.id: r.score for r in topics.explain(item.title, body) if r.kept}
        assert {m.id: m.score for m in topics.match(item.title, body)} == kept, item.id


def test_a_headline_counting_countries_is_not_about_the_two(topics: TopicSet) -> None:
    body = [
        "রাষ্ট্রপতির সঙ্গে সাক্ষাতে রুশ রাষ্ট্রদূত গম আমদানি নিয়ে কথা বলেন।",
        "উত্তর কোরিয়া ঢাকায় দূতাবাস খুলেছিল ১৯৭৩ সালে।",
    ]
    assert report(topics, "নতুন রাষ্ট্রদূতের পরিচয়পত্র পেশ", body).kept  # a relation headline
    r = report(topics, "পাঁচ দেশের নতুন রাষ্ট্রদূতের পরিচয়পত্র পেশ", body)
    assert not r.kept and r.link == "apart"


def test_a_relation_word_does_not_make_a_long_list_a_party(topics: TopicSet) -> None:
    few = "রাশিয়া ও উত্তর কোরিয়াসহ কয়েকটি দেশ মহড়ায় সেনা পাঠিয়েছে।"
    assert report(topics, "যৌথ মহড়া", [few]).link == "sentence"
    many = "রাশিয়া, চীন, ইরান, কিউবা ও উত্তর কোরিয়াসহ কয়েকটি দেশ মহড়ায় সেনা পাঠিয়েছে।"
    assert report(topics, "যৌথ মহড়া", [many]).link == "list"
    launchers = (
        "মাত্র কয়েকটি দেশের নিজস্ব রকেটে উপগ্রহ পাঠানোর সক্ষমতা আছে—যুক্তরাষ্ট্র, রাশিয়া, চীন, "
        "জাপান, ভারত ও উত্তর কোরিয়া।"
    )
    r = report(topics, "উপগ্রহ উৎক্ষেপণের পরিকল্পনা", [launchers])
    assert not r.kept and r.link == "list"


def test_a_treaty_with_another_country_ties_nothing(topics: TopicSet) -> None:
    first = (
        "যুক্তরাষ্ট্র ও রাশিয়ার অস্ত্র নিয়ন্ত্রণ চুক্তির মেয়াদ শেষ হচ্ছে। মস্কো চুক্তির আওতায় পরিদর্শন স্থগিত করেছিল।"
    )
    beside_china = "চীনের বাড়তে থাকা ভান্ডারের পাশে উত্তর কোরিয়ার কর্মসূচিও কোনো চুক্তির আওতায় নেই।"
    r = report(topics, "চুক্তির মেয়াদ ফুরোচ্ছে", [first, beside_china])
    assert not r.kept and not r.linked
    assert any("ties dprk to another country" in w for w in r.why)
    assert any("dprk: named once, beside another country" in w for w in r.why)
    # Without the other country, the treaty word beside North Korea relates it.
    alone = "উত্তর কোরিয়ার কর্মসূচি কোনো চুক্তির আওতায় নেই।"
    assert report(topics, "চুক্তির মেয়াদ ফুরোচ্ছে", [first, alone]).kept


def test_air_koryo_and_vladivostok_spellings(probe: TopicSet, topics: TopicSet) -> None:
    assert "এয়ার কোরিও" in terms_found(probe, "ফ্লাইট চালাবে এয়ার কোরিও")
    title = "ভ্লাদিভোস্তক রুটে নতুন ফ্লাইট চালু করছে এয়ার কোরিও"
    r = report(topics, title, ["মস্কোর সঙ্গে সম্পর্ক উষ্ণ হওয়ার পর যাত্রী বেড়েছে।"])
    assert r.kept
    assert {(m.term, m.group) for m in r.matches} >= {("ভ্লাদিভোস্তক", "context")}


def test_parallel_phrases_of_countries_are_a_list(topics: TopicSet) -> None:
    risks = (
        "সংগঠনটি বলেছে, রাশিয়ার পারমাণবিক হুমকি, চীনের দ্রুত ভান্ডার বাড়ানো এবং উত্তর কোরিয়ার "
        "ক্ষেপণাস্ত্র পরীক্ষা ঝুঁকি বাড়িয়েছে।"
    )
    r = report(topics, "ঝুঁকি বাড়ছে", [risks])
    assert not r.kept and r.link == "list"
    # Two sides alone, or joined by a postposition, are no series of other countries.
    pair = "রাশিয়ার প্রযুক্তি এবং উত্তর কোরিয়ার শ্রমিক মিলে কারখানাটি চলছে।"
    assert report(topics, "ঝুঁকি বাড়ছে", [pair]).link == "sentence"


def test_a_country_that_speaks_is_a_source_not_one_of_the_two(topics: TopicSet) -> None:
    body = [
        "পিয়ংইয়াংয়ের কয়েকটি দোকানে এখন ‘মির’ কার্ডে দাম দেওয়া যাবে।",
        "বিদেশে কেনাকাটায় রুশরা মূলত এই কার্ডের ওপর নির্ভর করেন।",
        "মার্কিন অর্থ দপ্তরের এক কর্মকর্তা আশঙ্কা প্রকাশ করেছেন, এটি দুই দেশের বাণিজ্যে কাজে লাগবে।",
    ]
    r = report(topics, "নতুন কার্ডে কেনাকাটা", body)
    assert r.kept and any("দুই দেশের" in w for w in r.why)
    # A country that does something there is one of the two.
    body[2] = "মার্কিন ব্যাংকগুলো এ ব্যবস্থা চালু করেছে, এটি দুই দেশের বাণিজ্যে কাজে লাগবে।"
    assert not report(topics, "নতুন কার্ডে কেনাকাটা", body).kept


def test_troops_do_not_reach_a_side_dealing_with_another_country(topics: TopicSet) -> None:
    body = [
        "১৯৫০ সালের জুনে উত্তর কোরিয়ার সেনারা সীমান্ত পেরিয়ে দক্ষিণে ঢুকে পড়ে।",
        "রাশিয়া তখন চীনের আসন নিয়ে বিরোধে পরিষদ বর্জন করছিল।",
    ]
    r = report(topics, "কোরীয় যুদ্ধের ৭৫ বছর", body)
    assert not r.kept and r.link == "apart"
    body[1] = "রাশিয়া তখন পরিষদ বর্জন করছিল।"
    assert report(topics, "কোরীয় যুদ্ধের ৭৫ বছর", body).kept


def test_north_korean_cities_are_dprk_terms(probe: TopicSet) -> None:
    for city in ["নাম্পো", "ওনসান", "চংজিন", "সিনুইজু", "হামহুং"]:
        assert terms_found(probe, f"{city} বন্দরে জাহাজ ভিড়েছে") == {city}


def test_a_sentence_about_another_country_does_not_link_the_paragraph(topics: TopicSet) -> None:
    para = (
        "পরে উত্তর কোরিয়ার নোদং ক্ষেপণাস্ত্রের নকশায় তৈরি হয় ইরানের শাহাব-৩। একই সময়ে কিছু রুশ "
        "বিজ্ঞানী ইরানে কাজ করেছেন বলে অভিযোগ ছিল, যা মস্কো অস্বীকার করেছে।"
    )
    r = report(topics, "শাহাবের শিকড়", [para])
    assert not r.kept and r.link == "list"
    # A language is no party: `চীনা ভাষা` leaves the paragraph linked.
    course = (
        "কিম ইল সুং বিশ্ববিদ্যালয়ে আগে চাহিদা ছিল চীনা ভাষার। মস্কোর পুশকিন ইনস্টিটিউট থেকে "
        "শিক্ষক এসেছেন, রাশিয়া খরচ দিচ্ছে।"
    )
    assert report(topics, "ভাষা অনুষদে আসন দ্বিগুণ", [course]).link == "paragraph"


def test_compared_with_is_a_comparison(topics: TopicSet) -> None:
    body = [
        "রাশিয়ায় টেলিগ্রামে কল সীমিত করা হয়েছে। কেউ কেউ একে উত্তর কোরিয়ার সঙ্গে তুলনা করছেন।",
    ]
    r = report(topics, "রাশিয়া কি ‘উত্তর কোরিয়ার মতো’ ইন্টারনেটের পথে?", body)
    assert not r.kept and r.link == "list"
    assert any("তুলনা" in w for w in r.why)


def test_treaty_words_alone_beside_each_side_are_no_link(topics: TopicSet) -> None:
    body = [
        "পরীক্ষা নিষিদ্ধকরণ চুক্তির হিসাবে, এই শতকে পরীক্ষা চালিয়েছে কেবল উত্তর কোরিয়া।",
        "২০২৩ সালে রাশিয়া চুক্তির অনুসমর্থন প্রত্যাহার করে নেয়।",
    ]
    r = report(topics, "পরীক্ষাবিরোধী দিবস", body)
    assert not r.kept and r.link == "apart"
    assert any("visits, treaties or trade only" in w for w in r.why)
    # With troops or arms beside one side, the treaty word beside the other counts.
    body[1] = "২০২৩ সালে রাশিয়া চুক্তি করে সেনা পাঠায়।"
    assert report(topics, "পরীক্ষাবিরোধী দিবস", body).kept


def test_tourists_pass_between_the_two(topics: TopicSet) -> None:
    body = [
        "মাসিকরিয়ং স্কি রিসোর্টে পৌঁছেছে বিদেশিদের তিনটি দল, ঘুরছে পিয়ংইয়ংয়ের দর্শনীয় স্থানও।",
        "ইরকুৎস্ক থেকে আসা এক পর্যটক রুশ সংবাদমাধ্যমকে বলেছেন, ঢালগুলো চমৎকার।",
    ]
    r = report(topics, "স্কি রিসোর্টে বিদেশিদের ভিড়", body)
    assert r.kept and r.link == "relation"
    assert any("পর্যটক" in w for w in r.why)

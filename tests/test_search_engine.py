"""The browser search engine, unit by unit, over data tables, and the Python side of
the index it must agree with.

The engine (overrides/assets/search/engine.js) is pure computation: it runs here in
Node, without a site build or a browser. Every case of this module goes to Node in
one batch (tests/js/engine_harness.js, once per module); each test then looks up its
answers. tests/test_search_ui.py checks the same engine in the built site.
"""

from __future__ import annotations

import json
import re
import shutil
import string
import subprocess
from pathlib import Path

import pytest
from conftest import REPO, assemble_library

from huashu import load_library
from huashu.search_index import FORMAT_VERSION, build_index, index_char

SEARCH_JS = REPO / "overrides" / "assets" / "search"
HARNESS = Path(__file__).resolve().parent / "js" / "engine_harness.js"
NO_NODE = "Node.js (`node`) is not installed: run `make test`, which installs Debian's nodejs"

# Every call the module's tests make: [index, op, *args] (ops: tests/js/engine_harness.js).
# Indexes: "bundled" (scripts_library), "ranking" (RANKING_LIBRARY), "future"
# (the bundled index with version 999). Calls that depend on the built index are
# added by index_dependent_calls.
BATCH: list[list] = []


def ask(*call: object) -> list:
    BATCH.append(list(call))
    return list(call)


def _key(call: list | tuple) -> str:
    return json.dumps(list(call), ensure_ascii=False)


class Answers:
    """The harness's answer to every call of the batch."""

    def __init__(self, calls: list[list], replies: list[dict]) -> None:
        assert len(calls) == len(replies)
        self.replies = {_key(call): reply for call, reply in zip(calls, replies, strict=True)}

    def reply(self, *call: object) -> dict:
        assert _key(call) in self.replies, f"{list(call)} is not in the batch: add it to BATCH"
        return self.replies[_key(call)]

    def value(self, *call: object) -> object:
        reply = self.reply(*call)
        assert "error" not in reply, f"{list(call)} threw: {reply['error']}"
        return reply["value"]

    def error(self, *call: object) -> dict:
        reply = self.reply(*call)
        assert "error" in reply, f"{list(call)} answered instead of failing: {reply['value']}"
        return reply["error"]


# A tiny library where each grade of match is observable through result order: the
# titles are alike (same length, matched from their first character) so only how
# well the query matches tells them apart. Laid over tests/fixtures/base_library.
RANKING_LIBRARY = """\
defaults:
  kind: phrase
  category: greetings
  owner: 培训组
  reviewed: 2026-10-01
entries:
  - {id: literal, title: tousu记录, text: 第一条。}
  - {id: tousu, title: 投诉记录, text: 第二条。}
  - {id: tousuan, title: 投算记录, text: 第三条。}
  - {id: toushu, title: 投书记录, text: 第四条。}
  - {id: tousong, title: 投送记录, text: 第五条。}
  - {id: toushang, title: 投商记录, text: 第六条。}
  - {id: shenhe, title: 审核记录, text: 第七条。}
  - {id: shien, title: 师恩记录, text: 第八条。}
  - {id: jinu, title: 投诉记怒, text: 第九条。}
"""


@pytest.fixture(scope="module")
def bundled() -> tuple[dict, list[dict]]:
    return build_index(load_library(REPO / "scripts_library", base=REPO))


@pytest.fixture(scope="module")
def head(bundled: tuple[dict, list[dict]]) -> dict:
    return bundled[0]


@pytest.fixture(scope="module")
def ranking(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict, list[dict]]:
    root = tmp_path_factory.mktemp("ranking")
    library = assemble_library(root)
    (library / "ranking.yaml").write_text(RANKING_LIBRARY, encoding="utf-8")
    return build_index(load_library(library, base=root))


@pytest.fixture(scope="module")
def answers(
    bundled: tuple[dict, list[dict]], ranking: tuple[dict, list[dict]], tmp_path_factory: pytest.TempPathFactory
) -> Answers:
    node = shutil.which("node")
    if node is None:
        pytest.fail(NO_NODE, pytrace=False)
    folder = tmp_path_factory.mktemp("engine")
    indexes = {"bundled": bundled, "ranking": ranking, "future": ({**bundled[0], "version": 999}, bundled[1])}
    paths = {}
    for name, (index_head, shards) in indexes.items():
        paths[name] = folder / f"{name}.json"
        paths[name].write_text(json.dumps({"head": index_head, "shards": shards}, ensure_ascii=False), encoding="utf-8")
    calls = BATCH + index_dependent_calls(bundled[0])
    batch = {
        "engine": str(SEARCH_JS / "engine.js"),
        "loader": str(SEARCH_JS / "loader.js"),
        "indexes": {name: str(path) for name, path in paths.items()},
        "calls": calls,
    }
    (folder / "batch.json").write_text(json.dumps(batch, ensure_ascii=False), encoding="utf-8")
    result = subprocess.run(
        [node, str(HARNESS), str(folder / "batch.json")],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return Answers(calls, json.loads(result.stdout))


def test_node_is_installed() -> None:
    if shutil.which("node") is None:
        pytest.fail(NO_NODE, pytrace=False)


def test_engine_has_no_page() -> None:
    """engine.js is the pure part: the page (window, document) is loader.js's."""
    code = (SEARCH_JS / "engine.js").read_text(encoding="utf-8")
    code = re.sub(r"//[^\n]*", "", code)
    assert re.findall(r"\b(?:window|document|location|navigator)\b", code) == []
    assert "window.huashu" in (SEARCH_JS / "loader.js").read_text(encoding="utf-8")


ask("bundled", "construct")


def test_engine_builds_in_node(answers: Answers) -> None:
    assert answers.value("bundled", "construct") is True


TOKENS = [
    ("投诉", [{"char": "投"}, {"char": "诉"}]),
    ("投訴", [{"char": "投"}, {"char": "诉"}]),
    ("tousu", [{"latin": "tousu"}]),
    ("tou su", [{"latin": "tou|su"}]),
    ("tou2su4", [{"latin": "tou|su"}]),
    ("TouSu", [{"latin": "tousu"}]),
    ("ｔｏｕｓｕ", [{"latin": "tousu"}]),
    ("投su", [{"char": "投"}, {"latin": "su"}]),
    ("回fang", [{"char": "回"}, {"latin": "fang"}]),
    ("KPI", [{"latin": "kpi"}]),
    ("95598", [{"char": c} for c in "95598"]),
    ("20秒", [{"char": "2"}, {"char": "0"}, {"char": "秒"}]),
    ("  ", []),
]
for _query, _ in TOKENS:
    ask("bundled", "tokenize", _query)


@pytest.mark.parametrize(("query", "tokens"), TOKENS)
def test_tokenize(answers: Answers, query: str, tokens: list) -> None:
    assert answers.value("bundled", "tokenize", query) == tokens


SEGMENTATIONS = [
    # query, the reading tried first (syllable, mode), one more reading that must be among the plans
    ("tousu", [["tou", "s"], ["su", "p"]], None),
    ("tscl", [["t", "p"], ["s", "p"], ["c", "p"], ["l", "p"]], None),
    ("tsu", [["t", "p"], ["su", "p"]], None),
    ("tousucl", [["tou", "s"], ["su", "s"], ["c", "p"], ["l", "p"]], None),
    ("tousuch", [["tou", "s"], ["su", "s"], ["ch", "p"]], None),
    ("wmyy", [["w", "p"], ["m", "p"], ["y", "p"], ["y", "p"]], None),
    ("liaojie", [["liao", "s"], ["jie", "p"]], None),
    ("xian", [["xian", "p"]], [["xi", "s"], ["an", "p"]]),
    ("tou|su", [["tou", "s"], ["su", "p"]], None),
    ("shaodeng", [["shao", "s"], ["deng", "p"]], None),
]
for _run, _, _ in SEGMENTATIONS:
    ask("bundled", "segmentations", _run)


@pytest.mark.parametrize(("run", "first", "also"), SEGMENTATIONS)
def test_segmentations(answers: Answers, run: str, first: list, also: list | None) -> None:
    readings = answers.value("bundled", "segmentations", run)
    assert readings[0] == first
    if also:
        assert also in readings


FUZZY = [
    ("sao", "shao"),
    ("shao", "sao"),
    ("zan", "zhan"),
    ("can", "chan"),
    ("lin", "nin"),
    ("nin", "lin"),
    ("lin", "ling"),
    ("fen", "feng"),
    ("fei", "hei"),
    ("hu", "fu"),
    ("ran", "lan"),
    ("tan", "tang"),
    ("lian", "liang"),
    ("xin", "xing"),
    ("sen", "sheng"),
]
for _typed in sorted({typed for typed, _ in FUZZY} | {"zhua", "shuang"}):
    ask("bundled", "fuzzyVariants", _typed)


@pytest.mark.parametrize(("typed", "meant"), FUZZY)
def test_fuzzy_variants(answers: Answers, typed: str, meant: str) -> None:
    assert meant in answers.value("bundled", "fuzzyVariants", typed)


def test_fuzzy_variants_are_only_real_syllables(answers: Answers) -> None:
    assert answers.value("bundled", "fuzzyVariants", "zhua") == []  # zua is no syllable
    assert set(answers.value("bundled", "fuzzyVariants", "shuang")) == {"shuan", "suan"}


READINGS = [
    # syllable, a character it must find: heteronyms are enumerated per character
    ("chang", "长"),
    ("zhang", "长"),
    ("liao", "了"),
    ("le", "了"),
    ("hang", "行"),
    ("xing", "行"),
    ("tou", "投"),
    ("su", "诉"),
    ("nin", "您"),
    ("deng", "等"),
]
for _syllable in sorted({s for s, _ in READINGS}):
    ask("bundled", "syllableChars", _syllable)


@pytest.mark.parametrize(("syllable", "char"), READINGS)
def test_pinyin_expansion(answers: Answers, head: dict, syllable: str, char: str) -> None:
    assert char in head["chars"], f"{char} is not in the bundled library: READINGS must only use its characters"
    assert char in answers.value("bundled", "syllableChars", syllable)


RANKINGS = [
    # query over RANKING_LIBRARY, ids in the order they must rank (others may come between)
    # exact characters (the letters as typed) > full pinyin > unfinished syllable (su: suan) > 模糊音 (s/sh)
    ("tousu", ["literal", "tousu", "tousuan", "toushu"]),
    # exact hanzi with a full syllable > unfinished syllable > 模糊音
    ("投su", ["tousu", "tousuan", "toushu"]),
    # full syllable (shen) > initial and syllable (sh + en)
    ("shen", ["shenhe", "shien"]),
    # initials > 模糊音 (l/n)
    ("tsjl", ["tousu", "jinu"]),
    # 模糊音 (sh/s: song) > one-letter typo (o -> a: shang)
    ("toushong", ["tousong", "toushang"]),
    # once the query is right, the entry it means comes first
    ("toushang", ["toushang"]),
]
for _query, _ in RANKINGS:
    ask("ranking", "searchIds", _query, {"limit": 20})
ask("ranking", "searchIds", "投诉", {"limit": 20})


@pytest.mark.parametrize(("query", "order"), RANKINGS)
def test_match_grades_rank_in_order(answers: Answers, query: str, order: list[str]) -> None:
    ids = answers.value("ranking", "searchIds", query, {"limit": 20})
    assert [i for i in ids if i in order] == order, ids
    assert ids[0] == order[0]


def test_exact_hanzi_find_only_themselves(answers: Answers) -> None:
    """Typed hanzi are not read as pinyin: 投诉 finds neither 投书 nor 投算."""
    assert sorted(answers.value("ranking", "searchIds", "投诉", {"limit": 20})) == ["jinu", "tousu"]


FOLDING = ["訴", "務", "語", "訪", "後", "發", "Ａ", "ｂ", "Z", "k", "投", "1", "１", "，", "。", "é"]
ask("bundled", "fold", FOLDING)


def test_folding_agrees_with_python(answers: Answers, head: dict) -> None:
    assert answers.value("bundled", "fold", FOLDING) == [index_char(c, head["folding"]) for c in FOLDING]


def folding_table(head: dict) -> list[str]:
    """Characters both sides must fold alike: the head's folding keys and every indexed
    character, full-width ASCII, ASCII letters, digits and punctuation, Chinese punctuation."""
    chars = set(head["folding"]) | set(head["folding"].values()) | set(head["chars"])
    chars |= {chr(code) for code in range(0xFF01, 0xFF5F)}
    chars |= set(string.ascii_letters + string.digits + string.punctuation + " \t\u3000\u00a0")
    chars |= set("，。！？、；：“”‘’（）【】《》〈〉「」『』…—·～￥") | set("éÉÄäßİıΩω")
    return sorted(chars - {"\u0000"})


def index_dependent_calls(head: dict) -> list[list]:
    table = folding_table(head)
    return [["bundled", "fold", table], ["bundled", "charIds", table]]


def test_folding_agrees_with_python_everywhere(answers: Answers, head: dict) -> None:
    table = folding_table(head)
    assert len(table) > len(head["folding"]) + 200
    folded = answers.value("bundled", "fold", table)
    disagree = [
        (c, js, index_char(c, head["folding"]))
        for c, js in zip(table, folded, strict=True)
        if js != index_char(c, head["folding"])
    ]
    assert disagree == []


def test_index_lookup_agrees_with_folding(answers: Answers, head: dict) -> None:
    """The engine indexes each character under its folded form's id (0: not in the index)."""
    table = folding_table(head)
    ids = {c: n + 1 for n, c in enumerate(head["chars"])}
    expected = [ids.get(index_char(c, head["folding"]), 0) for c in table]
    got = answers.value("bundled", "charIds", table)
    assert [(c, g, e) for c, g, e in zip(table, got, expected, strict=True) if g != e] == []


def test_traditional_folding_covers_library_characters(head: dict) -> None:
    folding = head["folding"]
    for traditional, simplified in [("訴", "诉"), ("務", "务"), ("語", "语"), ("訪", "访"), ("處", "处")]:
        assert folding[traditional] == simplified
    assert set(folding.values()) <= set(head["chars"])
    assert len(folding) < 2000, "only characters the library uses are shipped"


def test_every_character_has_its_readings(head: dict) -> None:
    chars = head["chars"]
    readings = {c: {head["syllables"][i] for i in head["readings"][n]} for n, c in enumerate(chars)}
    assert {"chang", "zhang"} <= readings["长"]
    assert {"le", "liao"} <= readings["了"]
    assert "tou" in readings["投"]
    assert readings["诉"] == {"su"}
    assert all(readings[c] for c in chars if "\u4e00" <= c <= "\u9fff")


FOUND = [
    # query, a string the first result's title or text must contain
    ("dianhuahuifnag", "电话回访"),  # two letters swapped
    ("jiaojeiban", "交接班"),
    ("dainhuahuifang", "电话回访"),
    ("60秒", "60 秒"),  # digits, and a space in the text is no obstacle
    ("kpi", "KPI"),
    ("fwjy buguiwoguan", "不归我管"),  # words separated by a space, each somewhere in the entry
    ("投诉 回访", "投诉"),
    ("shaodeng", "稍等"),
]
for _query, _ in FOUND:
    ask("bundled", "search", _query, {"limit": 1})


@pytest.mark.parametrize(("query", "expected"), FOUND)
def test_query_forms_find_the_entry(answers: Answers, query: str, expected: str) -> None:
    first = answers.value("bundled", "search", query, {"limit": 1})[0]
    assert expected in first["title"] or expected in first["text"]


ask("bundled", "searchIds", "dianhuahuifnag", {"limit": 3})
ask("bundled", "searchIds", "dianhuahuifang", {"limit": 3})


def test_typos_rank_below_real_matches(answers: Answers) -> None:
    # "huifnag" has no real match in the bundled library: its typo fix finds what the right query finds.
    typo = answers.value("bundled", "searchIds", "dianhuahuifnag", {"limit": 3})
    assert typo and typo == answers.value("bundled", "searchIds", "dianhuahuifang", {"limit": 3})
    # Where a real (even 模糊音) match exists, a typo's match ranks below it,
    # though the typo fix reads as whole syllables and the real match does not.
    ids = answers.value("ranking", "searchIds", "toushong", {"limit": 20})
    assert ids.index("tousong") < ids.index("toushang")
    assert answers.value("ranking", "searchIds", "toushang", {"limit": 20})[0] == "toushang"


ask("bundled", "search", "tousu", {"limit": 4, "kinds": {"faq": True}})


def test_kind_filter_and_limit(answers: Answers) -> None:
    results = answers.value("bundled", "search", "tousu", {"limit": 4, "kinds": {"faq": True}})
    assert len(results) == 4 and {r["kind"] for r in results} == {"faq"}


REPEATED = ["fwjy buguiwoguan", "tousu", "dianhuahuifnag", "投su"]
for _query in REPEATED:
    ask("bundled", "repeated", _query)


@pytest.mark.parametrize("query", REPEATED)
def test_repeating_a_query_gives_the_same_results(answers: Answers, query: str) -> None:
    """The engine caches readings and units between keystrokes; caches must never leak into results."""
    fresh, *typed = answers.value("bundled", "repeated", query)
    assert fresh and typed == [fresh] * 3


# --- the index's format version -------------------------------------------------------

FUTURE_MESSAGE = f"搜索索引（格式 999）与搜索程序（格式 {FORMAT_VERSION}）版本不一致，请重新构建网站"
ask("bundled", "formatVersion")
ask("future", "construct")
ask("future", "search", "tousu", {})


def test_engine_reads_the_format_python_writes(answers: Answers, head: dict) -> None:
    assert answers.value("bundled", "formatVersion") == FORMAT_VERSION == head["version"]


def test_engine_refuses_another_format(answers: Answers) -> None:
    error = answers.error("future", "construct")
    assert error == {"name": "HuashuFormatError", "message": FUTURE_MESSAGE, "code": "format-version"}
    assert answers.error("future", "search", "tousu", {}) == error


# --- the loader in a stand-in page: any load order, and an index of another format ----

PAGE_QUERIES = ["tousu", "投su", "fwjy buguiwoguan"]
LOAD_ORDERS = [
    ["head", "engine", "loader", "shards"],
    ["loader", "engine", "head", "shards"],
    ["engine", "loader", "shards", "head"],
    ["shards", "head", "loader", "engine"],
    ["loader", "shards", "head", "engine"],
]
for _order in LOAD_ORDERS:
    ask("bundled", "page", _order, PAGE_QUERIES)
for _query in PAGE_QUERIES:
    ask("bundled", "searchIds", _query, {"limit": 10})
ask("future", "page", ["loader", "head", "shards", "engine"], PAGE_QUERIES)


@pytest.mark.parametrize("order", LOAD_ORDERS, ids="-".join)
def test_loader_waits_for_engine_and_data_in_any_order(answers: Answers, order: list[str]) -> None:
    page = answers.value("bundled", "page", order, PAGE_QUERIES)
    assert page["error"] is None and page["complete"] is True
    assert page["events"] == ["huashu:engine"]
    for query in PAGE_QUERIES:
        expected = answers.value("bundled", "searchIds", query, {"limit": 10})
        assert [r["id"] for r in page["answers"][query]["now"]] == expected
        assert [r["id"] for r in page["answers"][query]["later"]] == expected
    assert page["entry"]["url"].startswith("http://site.invalid/")


def test_loader_explains_an_index_of_another_format(answers: Answers) -> None:
    """No exception escapes: `ready` resolves, search answers nothing, error says why."""
    page = answers.value("future", "page", ["loader", "head", "shards", "engine"], PAGE_QUERIES)
    assert page["error"] == FUTURE_MESSAGE
    assert page["complete"] is True
    assert page["answers"] == {q: {"now": [], "later": []} for q in PAGE_QUERIES}
    assert page["entry"] is None


# --- bounded work -------------------------------------------------------------------
# Queries from the tester's denial-of-service report (issue 15.18): however long, a query
# costs no more than a few ordinary ones. Work is counted in engine method calls (a
# count, the same on every machine; timings are bench/'s).
MIXED = "tousu投诉chulishijian处理时间dianhuahuifang电话回访"
HOSTILE_QUERIES = {
    "400 characters of mixed pinyin": (MIXED * 20)[:400],
    "645 terms": " ".join(["tou", "su", "退", "kuan", "dian", "hua", "x"] * 93)[: 645 * 4],
    "645 one-letter terms": " ".join("abcdefghijklmnopqrstuvwxyz"[i % 26] for i in range(645)),
}
ORDINARY_QUERIES = ("tousu", "投诉处理时间", "dianhua huifang", "kehu yao tuikuan zenmeban")
# The most an ordinary query costs, times this, bounds any query.
WORK_FACTOR = 20
MAX_QUERY = 200  # engine.js: characters of a query searched
for _query in (
    *HOSTILE_QUERIES.values(),
    *ORDINARY_QUERIES,
    HOSTILE_QUERIES["400 characters of mixed pinyin"][:MAX_QUERY],
):
    ask("bundled", "work", _query, {"limit": 10})


@pytest.mark.parametrize("name", HOSTILE_QUERIES)
def test_any_query_costs_a_bounded_amount_of_work(answers: Answers, name: str) -> None:
    ordinary = max(answers.value("bundled", "work", q, {"limit": 10})["calls"] for q in ORDINARY_QUERIES)
    hostile = answers.value("bundled", "work", HOSTILE_QUERIES[name], {"limit": 10})
    assert hostile["calls"] <= WORK_FACTOR * ordinary, (hostile["calls"], ordinary)


def test_nothing_past_the_query_limit_is_read(answers: Answers) -> None:
    query = HOSTILE_QUERIES["400 characters of mixed pinyin"]
    whole = answers.value("bundled", "work", query, {"limit": 10})
    assert whole == answers.value("bundled", "work", query[:MAX_QUERY], {"limit": 10})

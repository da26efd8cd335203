"""The browser search engine, unit by unit, over data tables (run in Chromium),
and the Python side of the index it must agree with."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from conftest import REPO, open_page, wait_for_search
from playwright.sync_api import Browser, Page

from huashu.search_index import build_index, index_char
from huashu.validate import load_library


@pytest.fixture(scope="module")
def engine_page(browser: Browser, site_url: str) -> Iterator[Page]:
    page = open_page(browser, site_url + "greetings/")
    wait_for_search(page)
    yield page
    assert page.js_errors == []  # type: ignore[attr-defined]
    page.context.close()


@pytest.fixture(scope="module")
def head() -> dict:
    return build_index(load_library(REPO / "scripts_library", base=REPO))[0]


def js(page: Page, expression: str, arg: object = None) -> object:
    return page.evaluate(f"(arg) => {{ const e = window.huashu._engine(); return {expression}; }}", arg)


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


@pytest.mark.parametrize(("query", "tokens"), TOKENS)
def test_tokenize(engine_page: Page, query: str, tokens: list) -> None:
    assert js(engine_page, "e.tokenize(arg)", query) == tokens


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


@pytest.mark.parametrize(("run", "first", "also"), SEGMENTATIONS)
def test_segmentations(engine_page: Page, run: str, first: list, also: list | None) -> None:
    readings = js(
        engine_page,
        "e.segmentations(arg, 2).map(p => p.units.map(u => [u.key.slice(2), u.key[0]]))",
        run,
    )
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


@pytest.mark.parametrize(("typed", "meant"), FUZZY)
def test_fuzzy_variants(engine_page: Page, typed: str, meant: str) -> None:
    assert meant in js(engine_page, "e.fuzzyVariants(arg, false)", typed)


def test_fuzzy_variants_are_only_real_syllables(engine_page: Page) -> None:
    assert js(engine_page, "e.fuzzyVariants('zhua', false)") == []  # zua is no syllable
    assert set(js(engine_page, "e.fuzzyVariants('shuang', false)")) == {"shuan", "suan"}


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


@pytest.mark.parametrize(("syllable", "char"), READINGS)
def test_pinyin_expansion(engine_page: Page, head: dict, syllable: str, char: str) -> None:
    if char not in head["chars"]:
        pytest.skip(f"{char} is not in the bundled library")
    found = js(engine_page, "Array.from(e.pinyinUnit(arg, 's', 2).chars).map(id => e.head.chars[id - 1])", syllable)
    assert char in found


GRADES = [
    # query, text of the first result's highlight, grade class (1 exact ... 5 typo)
    ("投诉", "投诉", 1),
    ("tousu", "投诉", 2),
    ("ts", "投诉", 3),
    ("saodeng", "稍等", 4),
]


@pytest.mark.parametrize(("query", "marked", "grade"), GRADES)
def test_match_grades(engine_page: Page, query: str, marked: str, grade: int) -> None:
    e_grade = js(
        engine_page,
        "(() => { const r = e.search(arg, {limit: 50}); e.search(arg, {limit: 50}); "
        "return r.length ? Math.floor((e.best[e.head.docs.id.indexOf(r[0].id)] % 1e10) / 1e9) : -1; })()",
        query,
    )
    assert e_grade == grade


FOLDING = ["訴", "務", "語", "訪", "後", "發", "Ａ", "ｂ", "Z", "k", "投", "1", "１", "，", "。", "é"]


def test_folding_agrees_with_python(engine_page: Page, head: dict) -> None:
    folded_js = js(engine_page, "arg.map(c => e.folder.fold(c))", FOLDING)
    assert folded_js == [index_char(c, head["folding"]) for c in FOLDING]


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


@pytest.mark.parametrize(("query", "expected"), FOUND)
def test_query_forms_find_the_entry(engine_page: Page, query: str, expected: str) -> None:
    first = engine_page.evaluate("q => window.huashu.searchNow(q, {limit: 1})[0]", query)
    assert expected in first["title"] or expected in first["text"]


def test_typos_rank_below_real_matches(engine_page: Page) -> None:
    # "huifnag" has no real match; once the query is right, real matches come first.
    typo = js(engine_page, "e.search(arg, {limit: 3}).map(r => r.id)", "dianhuahuifnag")
    exact = js(engine_page, "e.search(arg, {limit: 3}).map(r => r.id)", "dianhuahuifang")
    assert typo == exact
    score_of = "(() => { const r = e.search(arg, {limit: 1}); return e.best[e.head.docs.id.indexOf(r[0].id)]; })()"
    assert js(engine_page, score_of, "dianhuahuifnag") > js(engine_page, score_of, "dianhuahuifang")


def test_kind_filter_and_limit(engine_page: Page) -> None:
    results = engine_page.evaluate("window.huashu.searchNow('tousu', {limit: 4, kinds: {faq: true}})")
    assert len(results) == 4 and {r["kind"] for r in results} == {"faq"}


@pytest.mark.parametrize("query", ["fwjy buguiwoguan", "tousu", "dianhuahuifnag", "投su"])
def test_repeating_a_query_gives_the_same_results(engine_page: Page, query: str) -> None:
    """The engine caches readings and units between keystrokes; caches must never leak into results."""
    runs = engine_page.evaluate(
        "q => [1, 2, 3].map(() => window.huashu.searchNow(q, {limit: 10}).map(r => r.id))", query
    )
    assert runs[0] and runs[0] == runs[1] == runs[2]

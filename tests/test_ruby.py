"""Printed pinyin: polyphones read in their words, editors' pinyin.yaml, one tone convention."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import yaml
from browser import serve
from conftest import FIXTURES, REPO, make_project, mkdocs_build
from playwright.sync_api import Browser

from huashu import cards, load_library, ruby, urls
from huashu.model import Library

POLYPHONES = yaml.safe_load((REPO / "tests" / "data" / "polyphones.yaml").read_text(encoding="utf-8"))["cases"]
BUILT_IN = ruby.RubyReader()


def test_the_polyphone_table_is_large_enough() -> None:
    assert len(POLYPHONES) >= 60
    assert all(char in phrase for phrase, char, _ in POLYPHONES)


@pytest.mark.parametrize(("phrase", "char", "reading"), POLYPHONES, ids=[f"{p}:{c}" for p, c, _ in POLYPHONES])
def test_polyphone_reads_as_in_its_word(phrase: str, char: str, reading: str) -> None:
    assert [r for c, r in BUILT_IN.pairs(phrase) if c == char] == [reading] * phrase.count(char)


# One convention: 一 and 不 as spoken (docs/guide/cards.md, “拼音”).
TONE_CONVENTION = [
    ("稍等一下", "一", "yí"),
    ("一次办结", "一", "yí"),
    ("一些时间", "一", "yì"),
    ("一般咨询", "一", "yì"),
    ("一起看看", "一", "yì"),
    ("第一时间", "一", "yī"),
    ("统一回复", "一", "yī"),
    ("星期一上午", "一", "yī"),
    ("一月一号", "一", "yī"),
    ("说一说", "一", "yi"),
    ("只有一", "一", "yī"),
    ("不要着急", "不", "bú"),
    ("带来的不便", "不", "bú"),
    ("不能办理", "不", "bù"),
    ("不好意思", "不", "bù"),
    ("不行", "不", "bù"),
    ("好不好", "不", "bu"),
    ("是不是", "不", "bu"),
    ("我不", "不", "bù"),
]


@pytest.mark.parametrize(("phrase", "char", "reading"), TONE_CONVENTION)
def test_yi_and_bu_take_their_spoken_tones(phrase: str, char: str, reading: str) -> None:
    assert [r for c, r in BUILT_IN.pairs(phrase) if c == char] == [reading] * phrase.count(char)


@pytest.fixture(scope="module")
def bundled() -> Library:
    return load_library(REPO / "scripts_library", base=REPO)


def printed_lines(library: Library) -> list[str]:
    printed, _ = cards.build_cards(library, "a6", pinyin_on=True)
    return sorted(
        {
            line
            for card in printed
            for block in card.blocks
            for line in (block.heading, *(line.text for line in block.lines))
        }
    )


def test_no_card_mixes_tone_conventions(bundled: Library) -> None:
    """Every 一 and 不 the bundled cards print, checked against its neighbour: before a fourth
    tone always yí/bú, before another tone always yì/bù, whatever the dictionary said."""
    reader = cards.pinyin_reader(bundled)
    seen: dict[tuple[str, str], set[str]] = {}
    for line in printed_lines(bundled):
        pairs = tuple(reader.pairs(line))
        for (before, _), (char, reading), (after, next_reading) in zip(pairs, pairs[1:], pairs[2:], strict=False):
            plain_context = before not in ruby.YI_CITATION_AFTER and after not in ruby.YI_CITATION_BEFORE
            if char in ruby.CITATION and next_reading and before != after and plain_context:
                fourth = ruby.tone_of(next_reading) in (4, 0)
                seen.setdefault((char, "before 4th" if fourth else "before other"), set()).add(reading)
    assert seen == {
        ("一", "before 4th"): {"yí"},
        ("一", "before other"): {"yì"},
        ("不", "before 4th"): {"bú"},
        ("不", "before other"): {"bù"},
    }


def test_bundled_cards_print_the_reported_words_right(bundled: Library) -> None:
    """The words of issue 14 as the bundled cards print them (pinyin.yaml included)."""
    reader = cards.pinyin_reader(bundled)
    readings = {line: " ".join(r for _, r in reader.pairs(line) if r) for line in printed_lines(bundled)}
    expected = {
        "长时间": "cháng shí jiān",
        "我方差错": "wǒ fāng chā cuò",
        "我都会": "wǒ dōu huì",
        "完整地": "wán zhěng de",
        "还班": "huán bān",
        "空班": "kòng bān",
        "汇总得分": "huì zǒng dé fēn",
    }
    for word, reading in expected.items():
        found = {line for line in readings if word in line}
        assert found, word
        for line in found:
            assert reading in readings[line], (line, readings[line])


def test_built_in_corrections_are_valid_readings() -> None:
    assert {word: ruby.reading_problems(word, pinyin) for word, pinyin in ruby.CORRECTIONS.items()} == {
        word: [] for word in ruby.CORRECTIONS
    }


@pytest.mark.parametrize(
    ("written", "marked"),
    [("cháng", "cháng"), ("chang2", "cháng"), ("de", "de"), ("de5", "de"), ("lv4", "lǜ"), ("LÜE4", "lüè"),
     ("gou3", "gǒu"), ("liu2", "liú"), ("gui4", "guì"), ("xue2", "xué"), ("er2", "ér")],
)  # fmt: skip
def test_tone_numbers_and_marks_read_the_same(written: str, marked: str) -> None:
    assert ruby.tone_marked(ruby.parse_syllable(written)) == marked


def library_with_pinyin(tmp_path: Path, pinyin_yaml: str) -> Path:
    library = tmp_path / "scripts_library"
    shutil.copytree(FIXTURES / "base_library", library)
    (library / "phrases.yaml").write_text(
        (library / "phrases.yaml").read_text(encoding="utf-8")
        + "  - id: long-wait\n    title: 长时间等待\n    text: 让您长时间等待，还班的事我都会跟进。\n",
        encoding="utf-8",
    )
    (library / "pinyin.yaml").write_text(pinyin_yaml, encoding="utf-8")
    return library


@pytest.mark.slow
def test_pinyin_yaml_words_win_on_printed_cards(browser: Browser, tmp_path: Path) -> None:
    library = library_with_pinyin(
        tmp_path,
        "words:\n  - word: 还班\n    pinyin: huan2 ban1\n  - word: 长时间\n    pinyin: zhǎng shí jiān\n"
        "    note: 只为测试：覆盖自带的更正\n",
    )
    project = make_project(tmp_path / "project", library)
    result = mkdocs_build(project)
    assert result.returncode == 0, result.stderr
    page = browser.new_page()
    with serve(project / "site") as address:
        page.goto(address + urls.site_path(urls.card_page("a6", True)))
        printed = page.inner_html(".hs-cards[data-built]")
        page.goto(address + urls.site_path(urls.card_page("a6", False)))
        plain = page.inner_text(".hs-cards[data-built]")
    page.close()
    ruby_of = dict(re.findall(r"<ruby>(.)<rt>([^<]+)</rt></ruby>", printed.split("长时间等待")[-1]))
    assert "<h-p><ruby>还<rt>huán</rt></ruby></h-p><h-p><ruby>班<rt>bān</rt></ruby></h-p>" in printed
    assert "<h-p><ruby>长<rt>zhǎng</rt></ruby></h-p><h-p><ruby>时<rt>shí</rt></ruby></h-p>" in printed
    assert ruby_of["都"] == "dōu"  # a built-in correction the file does not touch still applies
    assert "让您长时间等待，还班的事我都会跟进。" in plain  # cards without pinyin print plain text


def test_without_pinyin_yaml_the_built_in_reading_stays(tmp_path: Path) -> None:
    library = library_with_pinyin(tmp_path, "words:\n  - word: 空班\n    pinyin: kòng bān\n")
    reader = cards.pinyin_reader(load_library(library, base=tmp_path))
    assert [r for _, r in reader.pairs("长时间，还班")] == ["cháng", "shí", "jiān", "", "hái", "bān"]


def test_print_stylesheet_uses_the_ruby_sizes() -> None:
    """cards.css sizes pinyin as huashu.cards assumes when it checks that a card fits."""
    css = (REPO / "overrides" / "assets" / "cards.css").read_text(encoding="utf-8")
    assert f".hs-card--pinyin {{ line-height: {cards.RUBY_LINE_HEIGHT:g}; }}" in css
    box = f"display: inline-block; min-width: {cards.RUBY_MIN_EM:g}em; padding: 0 {cards.RUBY_GAP_EM / 2:g}em;"
    assert f".hs-card h-p {{ {box}" in css
    assert f".hs-card h-p rt {{ font-size: {cards.RUBY_SCALE:g}em;" in css
    assert min(cards.PINYIN_FONT_STEPS) * cards.RUBY_SCALE >= cards.MIN_RUBY_PT >= 6.5


def test_pinyin_cards_never_shrink_below_legible_pinyin(bundled: Library) -> None:
    for run in ("auto", "a6", "a5"):
        printed, _ = cards.build_cards(bundled, run, pinyin_on=True)
        assert min(card.font_pt for card in printed) * cards.RUBY_SCALE >= cards.MIN_RUBY_PT

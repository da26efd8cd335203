"""Cards: what goes on them, how they fit, and the PDF Chromium prints of them."""

from __future__ import annotations

import io
import json
import math
import os
import re
import shutil
import subprocess
import sys
import unicodedata
from pathlib import Path

import opencc
import pytest
from browser import serve
from conftest import FIXTURES, REPO, assemble_library, make_project, mkdocs_build, open_page
from htmlscan import Element, parse_html, with_class
from playwright.sync_api import Browser, Page
from pypdf import PdfReader

from huashu import load_library, model, pages, urls
from huashu.card_measure import MeasuredCard, measure_cards, overflow_message
from huashu.cards import (
    FONT_STEPS,
    MIN_PT,
    NO_ROW_START,
    PINYIN_FONT_STEPS,
    PRINT_RUNS,
    Block,
    CardSource,
    PrintCard,
    available_height,
    build_cards,
    card_pages,
    estimated_height,
    fit_card,
    needed_height,
    pinyin_reader,
    run_title,
)
from huashu.ruby import RubyReader

MM_PER_PT = 25.4 / 72
# A date at which the overdue fixture's entries (reviewed 2025-01-01) are overdue and the
# base library's (reviewed 2026-10-01) are not.
EPOCH_2026_12_01 = "1796083200"


@pytest.fixture(scope="module")
def library() -> model.Library:
    return load_library(REPO / "scripts_library", base=REPO)


def test_one_card_per_procedure_and_phrase_category(library: model.Library) -> None:
    cards, _ = build_cards(library, "auto")
    ids = {c.id for c in cards}
    for entry in library.entries:
        if isinstance(entry, model.Procedure):
            assert f"auto-procedure--{entry.id}" in ids
    for category in library.categories_in("phrases"):
        assert f"auto-{category.id}" in ids
    on_cards = {e.id for c in cards for e in c.entries}
    phrases = {e.id for e in library.entries if library.category_by_id[e.category].section == "phrases"}
    procedures = {e.id for e in library.entries if isinstance(e, model.Procedure)}
    assert phrases | procedures <= on_cards


def test_a_procedure_and_a_category_with_the_same_id_each_keep_their_card(tmp_path: Path) -> None:
    """Both ids are allowed; the category's card was silently lost to the procedure's."""
    library = tmp_path / "scripts_library"
    shutil.copytree(FIXTURES / "base_library", library)
    procedures = library / "procedures.yaml"
    procedures.write_text(procedures.read_text(encoding="utf-8").replace("id: answer-call", "id: greetings"), "utf-8")
    cards = (library / "cards.yaml").read_text(encoding="utf-8").replace("answer-call", "greetings")
    (library / "cards.yaml").write_text(cards, encoding="utf-8")
    loaded = load_library(library, base=tmp_path)
    printed, _ = build_cards(loaded, "auto")
    titles = {c.id: c.title for c in printed}
    assert titles["auto-greetings"] == loaded.category_by_id["greetings"].title
    assert titles["auto-procedure--greetings"] == loaded.by_id["greetings"].title


RUNS = [(run, pinyin_on) for run in PRINT_RUNS for pinyin_on in (False, True)]
RUN_IDS = [f"{run}{'-pinyin' if pinyin_on else ''}" for run, pinyin_on in RUNS]
# How far the estimate's fill may be from the measured one: it errs on the side of room
# (never under), and not so far that cards are left a third empty.
FILL_TOLERANCE = 0.35
MEAN_FILL_TOLERANCE = 0.15


@pytest.mark.parametrize(("run", "pinyin_on"), RUNS, ids=RUN_IDS)
def test_estimate_matches_the_measured_layout(browser: Browser, site_url: str, run: str, pinyin_on: bool) -> None:
    """Every bundled card as Chromium lays it out for print: its text ends above its footer,
    and the estimate fitting used is close to what was measured, and not under it."""
    page = open_page(browser, site_url + urls.site_path(urls.card_page(run, pinyin_on)))
    measured = measure_cards(page)
    page.context.close()
    library = load_library(REPO / "scripts_library", base=REPO)
    cards, _ = build_cards(library, run, pinyin_on)
    assert [m.id for m in measured] == [f"card-{c.id}" + (f"-{c.part}" if c.parts > 1 else "") for c in cards]
    assert [m.id for m in measured if m.overflows] == []
    reader = pinyin_reader(library)
    gaps = [
        estimated_height(c, reader) / available_height(c.size) - m.fill for c, m in zip(cards, measured, strict=True)
    ]
    assert [(m.id, round(g, 2)) for m, g in zip(measured, gaps, strict=True) if not -0.02 <= g <= FILL_TOLERANCE] == []
    assert sum(gaps) / len(gaps) <= MEAN_FILL_TOLERANCE


def printed_sheets(page: Page) -> PdfReader:
    """The page printed as the browser's print dialog prints it (with the CSS page sizes)."""
    page.emulate_media(media="print")
    return PdfReader(io.BytesIO(page.pdf(prefer_css_page_size=True, print_background=True)))


def sheet_sizes(pdf: PdfReader) -> list[tuple[int, int]]:
    """Each sheet's size in mm."""
    return [
        (round(float(p.mediabox.width) * MM_PER_PT), round(float(p.mediabox.height) * MM_PER_PT)) for p in pdf.pages
    ]


SHEET_MM = {"a6": (105, 148), "a5": (148, 210), "a4-4up": (210, 297)}


@pytest.mark.parametrize(("run", "pinyin_on"), RUNS, ids=RUN_IDS)
def test_print_all_prints_the_sheets_it_promises(browser: Browser, site_url: str, run: str, pinyin_on: bool) -> None:
    """“打印全部 N 张”: N sheets, each of its card's paper (a quarter of an A4 sheet four-up), no more."""
    page = open_page(browser, site_url + urls.site_path(urls.card_page(run, pinyin_on)))
    page_button = page.inner_text(".hs-print-all")
    promised = int(re.search(r"打印全部 (\d+) 张", page_button).group(1))
    sizes = page.evaluate(
        "() => Array.from(document.querySelectorAll('.hs-sheet')).map(s => s.className.split('--')[1])"
    )
    sheets = sheet_sizes(printed_sheets(page))
    page.context.close()
    assert len(sizes) == (math.ceil(promised / 4) if run == "a4-4up" else promised)
    assert sheets == [SHEET_MM[size] for size in sizes]
    if run == "auto":  # a mixed run says how many sheets of each paper it takes
        button = page_button
        assert f"（A6 {sizes.count('a6')} 张、A5 {sizes.count('a5')} 张，打印机要能换纸）" in button


@pytest.mark.parametrize(("run", "pinyin_on"), RUNS, ids=RUN_IDS)
def test_print_this_prints_that_card_alone(browser: Browser, site_url: str, run: str, pinyin_on: bool) -> None:
    """打印这张 (cards.js marks the card, then asks the browser to print): one sheet of the
    card's paper with that card alone, for the run's first A6 and A5 card and the last card."""
    page = open_page(browser, site_url + urls.site_path(urls.card_page(run, pinyin_on)))
    page.evaluate("() => { window.print = () => {}; }")  # the dialog; printing is page.pdf below
    cards = page.evaluate("() => Array.from(document.querySelectorAll('.hs-card')).map(c => c.className)")
    chosen = {next((i for i, c in enumerate(cards) if f"hs-card--{size}" in c), None) for size in ("a6", "a5")}
    for index in sorted(i for i in chosen | {len(cards) - 1} if i is not None):
        page.emulate_media(media="screen")
        page.locator(".hs-card__print").nth(index).click()
        card = page.locator(".hs-card").nth(index)
        title = card.locator(".hs-card__title").inner_text()
        size = "a4-4up" if run == "a4-4up" else card.get_attribute("class").split("hs-card--")[1].split()[0]
        pdf = printed_sheets(page)
        assert sheet_sizes(pdf) == [SHEET_MM[size]], (index, title)
        text = pdf_text(pdf.pages[0])
        # Its title, and one footer: no other card of its A4 sheet printed.
        assert printed(title.split("\n")[0][:4], text) and text.count("打印日期") == 1, (index, title)
    page.context.close()


def card_fill(card: PrintCard, blocks: tuple[Block, ...], font_pt: float, reader: RubyReader) -> float:
    """How much of the card's paper `blocks` take in `font_pt`, by the estimate."""
    height = needed_height(card.full_title, blocks, card.size, font_pt, reader if card.pinyin else None)
    return height / available_height(card.size)


def paper_minimum(card: PrintCard) -> float:
    """The smallest type the card's paper prints before splitting (pinyin stays legible too)."""
    return max(MIN_PT[card.size], (PINYIN_FONT_STEPS if card.pinyin else FONT_STEPS)[-1])


@pytest.mark.parametrize(("run", "pinyin_on"), RUNS, ids=RUN_IDS)
def test_cards_print_in_the_largest_type_their_paper_holds(library: model.Library, run: str, pinyin_on: bool) -> None:
    """Each card in the largest font of FONT_STEPS it fits in, never below its paper's smallest
    (11 pt on A6) unless one phrase alone is too long for a card at that size; a card split only
    when it does not fit in the smallest, into parts in one font, no two of which would fit
    together, none less than half as full as its fullest part unless it is one big block."""
    reader = pinyin_reader(library)
    cards, _ = build_cards(library, run, pinyin_on)
    for card in cards:
        smallest = paper_minimum(card)
        assert card.font_pt in FONT_STEPS, card.id
        larger = [f for f in FONT_STEPS if f > card.font_pt]
        parts = [c for c in cards if c.id == card.id]
        oversize = card_fill(card, card.blocks, smallest, reader) > 1
        if oversize:  # one phrase too long for a card of its own: alone, in the largest type it fits
            assert len(card.blocks) == 1 and card.font_pt < smallest, card.id
        else:
            assert card.font_pt >= smallest, card.id
        if card.parts == 1:
            assert card_fill(card, card.blocks, card.font_pt, reader) <= 1, card.id
            assert not larger or card_fill(card, card.blocks, larger[-1], reader) > 1, card.id
            continue
        assert len(parts) == card.parts, card.id
        fitting = [c for c in parts if card_fill(c, c.blocks, smallest, reader) <= 1]
        assert len({c.font_pt for c in fitting}) <= 1, card.id
        whole = tuple(b for c in parts for b in c.blocks)
        assert card_fill(card, whole, smallest, reader) > 1, card.id
        if card.part < card.parts:
            together = card.blocks + parts[card.part].blocks
            assert card_fill(card, together, smallest, reader) > 1, (card.id, card.part)
        fills = [card_fill(c, c.blocks, smallest, reader) for c in parts]
        if len(card.blocks) > 1:
            assert card_fill(card, card.blocks, smallest, reader) >= max(fills) / 2, (card.id, card.part, fills)


def test_a6_cards_print_phrase_lines_at_11_pt_or_more(library: model.Library) -> None:
    """Issue 14: phrase lines at least 11 pt on A6 where they fit: every A6 card of every run
    without pinyin, and with pinyin all but the parts holding a phrase too long for one card."""
    reader = pinyin_reader(library)
    for run, pinyin_on in RUNS:
        cards, reports = build_cards(library, run, pinyin_on)
        small = [c for c in cards if c.size == "a6" and c.font_pt < 11]
        assert all(c.pinyin and len(c.blocks) == 1 for c in small), [c.full_title for c in small]
        assert all(card_fill(c, c.blocks, 11, reader) > 1 for c in small)
        told = "".join(r.message() for r in reports)  # the report names each smaller part and its size
        named = [
            f"{c.part}/{c.parts} 用 {c.font_pt:g}pt" in told
            or re.search(rf"[；、]{c.part}/{c.parts}[、 ][^；]*放不下", told)
            for c in small
        ]
        assert all(named), (run, pinyin_on)
    cards, _ = build_cards(library, "a6", False)
    assert min(c.font_pt for c in cards) == 11


def test_service_taboos_take_three_a6_cards_at_11_pt(library: model.Library) -> None:
    """服务忌语 took four A6 cards, the last with a single item, where three held it (in 9.5 pt).
    Now three at 11 pt or more, as even as its items allow, and no two cards hold it."""
    reader = pinyin_reader(library)
    cards, _ = build_cards(library, "a6")
    parts = [c for c in cards if c.id == "auto-forbidden"]
    assert [c.full_title for c in parts] == [f"服务忌语（{i}/3）" for i in range(1, 4)]
    assert min(c.font_pt for c in parts) >= 11 and min(len(c.blocks) for c in parts) >= 4
    whole = tuple(b for c in parts for b in c.blocks)
    for cut in range(1, len(whole)):  # every way to cut it in two: one half does not fit
        assert max(card_fill(parts[-1], half, 11, reader) for half in (whole[:cut], whole[cut:])) > 1, cut


@pytest.mark.parametrize(
    ("used", "message"),
    [
        (127.6, ""),  # within the layout's rounding
        (
            130.0,
            "卡片“服务忌语（2/3）”（auto-forbidden-2）在打印方式“A6 · 标注拼音”里实际排版超出 2.5 mm，最后几行会压到页脚："
            "请精简这张卡片的内容，或把它分成几张卡片（cards.yaml），并把这条提示报告给维护 huashu 的同事",
        ),
    ],
)
def test_export_names_a_card_whose_text_runs_into_its_footer(used: float, message: str) -> None:
    card = MeasuredCard("card-auto-forbidden-2", "服务忌语（2/3）", used=used, room=127.5, font_pt=9.0)
    assert card.overflows == bool(message)
    assert not message or overflow_message(card, run_title("a6", True)) == message


def overlong_library(tmp_path: Path) -> Path:
    library = tmp_path / "lib"
    shutil.copytree(FIXTURES / "base_library", library)
    long_text = "您好，" + "请您耐心等待，我们正在为您核实相关的业务办理情况。" * 30
    (library / "long.yaml").write_text(
        "defaults: {kind: phrase, category: greetings, owner: 培训组, reviewed: 2026-10-01}\n"
        "entries:\n"
        + "".join(f"  - id: long-{i}\n    title: 很长的话术 {i}\n    text: {long_text}\n" for i in range(3)),
        encoding="utf-8",
    )
    (library / "cards.yaml").write_text(
        "cards:\n  - id: too-long\n    title: 放不下的卡片\n    entries: [long-0, long-1, long-2]\n    size: a6\n",
        encoding="utf-8",
    )
    return library


# What fitting reports for the overlong card in every print run: the card, the runs laid out
# alike, the paper and pinyin, and where the card is written (its size where that is the
# editor's own layout). Percentages are the layout estimate's and stand as N.
# Each phrase alone is longer than a card holds even at the smallest size: said, part by part.
TOO_LONG = "；1/3、2/3、3/3 只有一条，按估算 9pt 也放不下，可能压到页脚（导出 PDF 时按实际排版再查一次）：请把这条改短或分成几条"
OVERLONG_REPORTS = [
    "lib/cards.yaml:5:11: cards[0].size: 卡片“放不下的卡片”（too-long）在打印方式“按卡片设置”、“A6”、“A4 四合一”里"
    "内容超出 N%（A6，不标注拼音）：已拆成 3 张（1/3、2/3、3/3）" + TOO_LONG + "。"
    "要一张放下，请减少 entries / categories，或把 size 改成 a5（或删掉 size，自动选择纸张）",
    "lib/cards.yaml:2:5: cards[0]: 卡片“放不下的卡片”（too-long）在打印方式“按卡片设置 · 标注拼音”、“A6 · 标注拼音”、"
    "“A4 四合一 · 标注拼音”里内容超出 N%（A6，标注拼音）：已拆成 3 张（1/3、2/3、3/3）" + TOO_LONG + "。"
    "要一张放下，请减少 entries / categories，或把 size 改成 a5（或删掉 size，自动选择纸张）",
    "lib/cards.yaml:2:5: cards[0]: 卡片“放不下的卡片”（too-long）在打印方式“A5”里内容超出 N%（A5，不标注拼音）："
    "已拆成 3 张（1/3、2/3、3/3）。要一张放下，请减少 entries / categories，或把它分成几张卡片",
    "lib/cards.yaml:2:5: cards[0]: 卡片“放不下的卡片”（too-long）在打印方式“A5 · 标注拼音”里内容超出 N%（A5，标注拼音）："
    "已拆成 3 张（1/3、2/3、3/3）" + TOO_LONG + "。要一张放下，请减少 entries / categories，或把它分成几张卡片",
]


def test_overlong_card_is_split_and_reported_for_every_run(tmp_path: Path) -> None:
    library = load_library(overlong_library(tmp_path), base=tmp_path)
    cards, _ = build_cards(library, "auto")
    parts = [c for c in cards if c.id == "too-long"]
    assert len(parts) > 1 and [c.full_title for c in parts][0] == f"放不下的卡片（1/{len(parts)}）"
    _, _, _, reports = card_pages(pages.PageRenderer(library, urls.PageLinks()))
    mine = [r for r in reports if r.source.id == "too-long"]
    assert [re.sub(r"\d+%", "N%", r.message()) for r in mine] == OVERLONG_REPORTS
    assert [r.explicit for r in mine] == [True, False, False, False]  # only the editor's own layout warns


def test_automatic_card_reports_name_what_they_are_made_of(library: model.Library) -> None:
    _, reports = build_cards(library, "a6")
    (report,) = [r for r in reports if r.source.id == "auto-procedure--callback-execution"]
    assert re.sub(r"\d+%", "N%", re.sub(r"到 [\d.]+pt", "到 Npt", report.message())) == (
        "scripts_library/procedures/callback.yaml:19:5: entries[1]: 卡片“电话回访执行”（auto-procedure--callback-execution）"
        "在打印方式“A6”里内容超出 N%（A6，不标注拼音）：已拆成 2 张（1/2、2/2）"
    )


@pytest.mark.slow
def test_overlong_card_warns_and_fails_a_strict_build(tmp_path: Path) -> None:
    project = make_project(tmp_path / "p", overlong_library(tmp_path))
    result = mkdocs_build(project)
    assert result.returncode == 1
    assert (
        "WARNING -  huashu: scripts_library/cards.yaml:5:11: cards[0].size: 卡片“放不下的卡片”（too-long）"
        in result.stderr
    )
    assert result.stderr.count("WARNING") == 1  # other print runs' reports are not the editor's layout
    assert "Traceback" not in result.stderr
    config = project / "mkdocs.yml"  # strict: true there; without it the build goes on
    config.write_text(config.read_text(encoding="utf-8").replace("strict: true", "strict: false"), encoding="utf-8")
    relaxed = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build"],
        cwd=project,
        capture_output=True,
        text=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )
    assert relaxed.returncode == 0 and "放不下的卡片" in relaxed.stderr


_T2S = opencc.OpenCC("t2s")


def pdf_text(page) -> str:
    return plain(page.extract_text())


def plain(text: str) -> str:
    """Text as compared with a PDF's: the fonts' glyphs come back as compatibility, radical
    or traditional code points (⽬, ⻅, 戶), so both sides are folded the same way."""
    return _T2S.convert(re.sub(r"\s+", "", unicodedata.normalize("NFKC", text)))


def printed(line: str, text: str) -> bool:
    """Whether `line` is in the PDF text, a radical standing in for any character."""
    pattern = "".join(f"(?:{re.escape(c)}|[\u2e80-\u2fdf])" if ord(c) > 0x2E7F else re.escape(c) for c in plain(line))
    return re.search(pattern, text) is not None


@pytest.fixture(scope="module")
def a6_export(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """The bundled cards exported as A6, and what `huashu cards` said."""
    out = tmp_path_factory.mktemp("pdf") / "cards.pdf"
    result = subprocess.run(
        [sys.executable, "-m", "huashu.cli", "cards", "--pdf", str(out), "--size", "a6"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "SOURCE_DATE_EPOCH": EPOCH_2026_12_01},
    )
    assert result.returncode == 0, result.stderr
    return out, result.stdout


@pytest.fixture(scope="module")
def a6_pdf(a6_export: tuple[Path, str]) -> Path:
    return a6_export[0]


@pytest.mark.slow
def test_pdf_has_one_a6_page_per_card_with_all_its_text(a6_pdf: Path, library: model.Library) -> None:
    cards, _ = build_cards(library, "a6")
    reader = PdfReader(str(a6_pdf))
    assert len(reader.pages) == len(cards)
    for card, page in zip(cards, reader.pages, strict=True):
        width, height = (float(page.mediabox.width) * MM_PER_PT, float(page.mediabox.height) * MM_PER_PT)
        assert (round(width), round(height)) == (105, 148)
        text = pdf_text(page)
        assert printed(card.full_title, text), card.id
        for block in card.blocks:
            for line in (block.heading, *(line.printed for line in block.lines)):
                assert printed(line, text), (card.id, line)
        assert printed("打印日期 2026-12-01", text)  # the footer
        assert unmarked(text, {plain(f) for f in forbidden_texts(library)}) == [], card.id


@pytest.mark.slow
def test_export_reports_what_fitting_did_in_the_run_it_printed(
    a6_export: tuple[Path, str], library: model.Library
) -> None:
    _, said = a6_export
    _, reports = build_cards(library, "a6")
    assert said.splitlines()[:-1] == [r.message() for r in reports] and reports
    assert all("在打印方式“A6”里" in line for line in said.splitlines()[:-1])
    assert said.splitlines()[-1].startswith("已导出 ")


@pytest.mark.slow
def test_pdf_has_no_site_chrome(a6_pdf: Path) -> None:
    text = "".join(pdf_text(page) for page in PdfReader(str(a6_pdf)).pages)
    for chrome in ("客服话术手册", "打印这张", "打印全部", "搜索话术", "使用说明", "标签索引"):
        assert chrome not in text


@pytest.mark.slow
def test_four_up_pdf_has_a4_sheets(tmp_path: Path, library: model.Library) -> None:
    out = tmp_path / "sheets.pdf"
    result = subprocess.run(
        [sys.executable, "-m", "huashu.cli", "cards", "--pdf", str(out), "--size", "a4-4up", "--pinyin"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    cards, _ = build_cards(library, "a4-4up", pinyin_on=True)
    reader = PdfReader(str(out))
    assert len(reader.pages) == math.ceil(len(cards) / 4)
    for page in reader.pages:
        assert (round(float(page.mediabox.width) * MM_PER_PT), round(float(page.mediabox.height) * MM_PER_PT)) == (
            210,
            297,
        )
    first = pdf_text(reader.pages[0])
    assert all(printed(card.full_title, re.sub(r"[a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]", "", first)) for card in cards[:4])


@pytest.mark.slow
def test_auto_pdf_prints_each_card_on_its_own_paper(tmp_path: Path, library: model.Library) -> None:
    """`--size auto` exports the 按卡片设置 run the cards page prints: A6 and A5 sheets mixed."""
    out = tmp_path / "auto.pdf"
    result = subprocess.run(
        [sys.executable, "-m", "huashu.cli", "cards", "--pdf", str(out), "--size", "auto"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    assert "页（按卡片设置）" in result.stdout
    cards, _ = build_cards(library, "auto")
    assert sheet_sizes(PdfReader(str(out))) == [SHEET_MM[card.size] for card in cards]
    assert {card.size for card in cards} == {"a6", "a5"}


def test_print_stylesheet_uses_the_paper_table() -> None:
    """cards.css repeats the paper sizes and margins of huashu.cards for the screen; they must agree.
    (The @page rules are written from them into each cards page.)"""
    from huashu.cards import MARGIN, PAPER

    css = (REPO / "overrides" / "assets" / "cards.css").read_text(encoding="utf-8")
    for size in ("a6", "a5"):
        width, height = PAPER[size]
        margin = MARGIN[size]
        assert f".hs-card--{size} {{ width: {width:g}mm; min-height: {height:g}mm; padding: {margin:g}mm; }}" in css


@pytest.mark.parametrize(
    ("target", "message"),
    [
        ("", "{target} 是一个文件夹，请给出 PDF 文件的路径，如 {target}/cards.pdf"),
        ("missing/deeper/cards.pdf", "文件夹 {target_parent} 不存在，请先创建它，或换一个路径"),
    ],
    ids=["a-folder", "missing-folders"],
)
def test_pdf_path_problems_are_refused_before_printing(tmp_path: Path, target: str, message: str) -> None:
    """A folder or a path under a missing folder: a clear message, and no folders made on the way."""
    out = tmp_path / target if target else tmp_path
    result = subprocess.run(
        [sys.executable, "-m", "huashu.cli", "cards", "--pdf", str(out)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stderr.strip() == message.format(target=out, target_parent=out.parent)
    assert sorted(tmp_path.iterdir()) == []


# --- what cards say ----------------------------------------------------------------------


def forbidden_texts(library: model.Library) -> set[str]:
    """Every text the library marks as forbidden wording, wherever it is quoted."""
    return {
        t.text
        for e in library.entries
        for t in model.entry_texts(e, library.by_id)
        if t.role is model.Role.FORBIDDEN and t.text
    }


def bare(text: str) -> str:
    """Letters and digits only: the words a reader reads, punctuation and marks aside."""
    return "".join(c for c in text if unicodedata.category(c)[0] in "LN")


def unmarked(text: str, forbidden: set[str], mark: str = "不要说") -> list[str]:
    """Forbidden wording in `text` not directly preceded by `mark` (whitespace aside)."""
    return [
        f"…{text[max(0, m.start() - 12) : m.end()]}"
        for wording in forbidden
        for m in re.finditer(re.escape(wording), text)
        if not text[: m.start()].rstrip().endswith(mark)
    ]


def printed_cards(browser: Browser, site: str) -> dict[str, list[Element]]:
    """Each card as the browser builds it on the print runs without pinyin, by element id (a card
    shared by runs is one): the HTML a reader prints."""
    found: dict[str, list[Element]] = {}
    page = browser.new_page()
    for run in PRINT_RUNS:
        page.goto(site + urls.site_path(urls.card_page(run, False)))
        for card in with_class(parse_html(page.inner_html(".hs-cards[data-built]")), "hs-card"):
            found.setdefault(card.attrs["id"], card.inner)
    page.close()
    return found


def built_cards(browser: Browser, project: Path, env: dict[str, str]) -> dict[str, list[Element]]:
    """The cards of a project built with `env` (mkdocs build --strict), as printed_cards."""
    result = mkdocs_build(project, env=env)
    assert result.returncode == 0, result.stderr
    with serve(project / "site") as address:
        return printed_cards(browser, address)


def with_site_url(project: Path, address: str, qr: bool) -> Path:
    """`project` with mkdocs.yml's site_url and card_qr set."""
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    if qr:
        text = text.replace("    # card_qr: true\n", "    card_qr: true\n")
    config.write_text(text + (f"site_url: {address}\n" if address else ""), encoding="utf-8")
    return project


def test_forbidden_wording_is_never_printed_unmarked(browser: Browser, site_url: str, library: model.Library) -> None:
    forbidden = forbidden_texts(library)
    marked = 0
    for card_id, elements in printed_cards(browser, site_url).items():
        lines = with_class(elements, "hs-card__line")
        assert unmarked("\n".join(e.text for e in lines), forbidden) == [], card_id
        headings = [bare(e.text) for e in with_class(elements, "hs-card__heading")]
        assert [h for h in headings if any(h and h in bare(wording) for wording in forbidden)] == [], card_id
        for line in lines:
            if any(wording in line.text for wording in forbidden):
                assert "hs-card__line--forbidden" in line.classes, (card_id, line.text)
                marked += 1
    # The cards the issue named quote “这事情不归我管。” as forbidden, not as words to say.
    assert "这事情不归我管。" in forbidden and marked >= len(forbidden) + 2


@pytest.mark.parametrize("entry_id", ["first-contact-responsibility", "three-dos-three-donts", "forbidden-not-my-job"])
def test_forbidden_wording_comes_with_what_to_say_instead(library: model.Library, entry_id: str) -> None:
    from huashu.cards import blocks_for

    kinds = [[line.kind for line in b.lines] for b in blocks_for(library.by_id[entry_id], library)]
    with_forbidden = [k for k in kinds if "forbidden" in k]
    assert with_forbidden and all(k[k.index("forbidden") + 1] == "alternative" for k in with_forbidden)


def test_every_faq_is_on_its_category_card_reply_first(library: model.Library) -> None:
    cards, _ = build_cards(library, "auto")
    faqs = [e for e in library.entries if isinstance(e, model.Faq)]
    assert faqs
    for faq in faqs:
        (block,) = [b for c in cards if c.id == f"auto-{faq.category}" for b in c.blocks if b.entry_id == faq.id]
        assert block.heading == f"问：{faq.question}"
        kinds = [line.kind for line in block.lines]
        assert kinds[:2] == (["say", "guide"] if faq.reply else ["guide"])[:2], faq.id
        assert block.lines[kinds.index("guide")].text == f"要点：{faq.answer}"
        assert kinds.count("forbidden") == len(faq.dont_say)


@pytest.mark.slow
@pytest.mark.parametrize(
    ("address", "qr", "url"),
    [
        ("", False, ""),
        ("https://kb.example.com/hs/", False, "https://kb.example.com/hs/inbound/#stale-steps"),
        ("https://kb.example.com/hs", True, "https://kb.example.com/hs/inbound/#stale-steps"),
    ],
)
def test_footer_has_print_date_url_qr_and_overdue_mark(
    browser: Browser, tmp_path: Path, address: str, qr: bool, url: str
) -> None:
    """`address` is mkdocs.yml's site_url (a parameter named site_url would be the served-site fixture)."""
    project = with_site_url(
        make_project(tmp_path / "p", assemble_library(tmp_path, "overdue", cases="cards")), address, qr
    )
    cards = built_cards(browser, project, {"SOURCE_DATE_EPOCH": EPOCH_2026_12_01})
    stale, fresh, greetings = (
        cards["card-auto-procedure--stale-steps"],
        cards["card-auto-procedure--answer-call"],
        cards["card-auto-greetings"],
    )

    def footer(elements: list[Element]) -> str:
        return with_class(elements, "hs-card__source")[0].text

    # A procedure's steps have no heading of their own: the card's title carries the mark.
    assert [e.text for e in with_class(stale, "hs-card__title")] == ["旧的接听流程待复核"]
    assert footer(stale) == "打印日期 2026-12-01 · 上次复核 2025-01-01 · 待复核 1 条" + (f" · {url}" if url else "")
    assert len(with_class(stale, "hs-card__qr")) == int(qr)
    assert footer(fresh) == "打印日期 2026-12-01 · 上次复核 2026-10-01" + (
        " · " + url.replace("stale-steps", "answer-call") if url else ""
    )
    assert not with_class(fresh, "hs-card__overdue")
    # In a category card the stale phrase's own heading is marked, not the card's title.
    assert [e.text for e in with_class(greetings, "hs-card__heading")] == ["标准问候语", "结束语", "旧问候语待复核"]
    assert "待复核 1 条" in footer(greetings) and not with_class(
        with_class(greetings, "hs-card__title")[0].inner, "hs-card__overdue"
    )


# How a forbidden line and the line to say instead look in print, colour aside: border
# styles, strike-through and weight (all survive black-and-white printing).
LINE_LOOKS = """() => Array.from(document.querySelectorAll('.hs-card__line--forbidden, .hs-card__line--alternative'))
  .map(line => { const text = getComputedStyle(line.querySelector('.hs-card__text')), style = getComputedStyle(line),
                       mark = line.querySelector('.hs-card__mark');
    return {kind: line.classList.contains('hs-card__line--forbidden') ? 'forbidden' : 'alternative',
            border: [style.borderTopStyle, style.borderLeftStyle, style.borderRightStyle].join(' '),
            leftWidth: parseFloat(style.borderLeftWidth), strike: text.textDecorationLine, weight: text.fontWeight,
            mark: mark ? mark.textContent : ''}; })"""


# With pinyin each character is an inline-block box, which a line's strike-through does not reach.
STRUCK_BOXES = """() => ['forbidden', 'alternative'].map(kind =>
  Array.from(document.querySelectorAll(`.hs-card__line--${kind} h-p ruby`))
    .map(ruby => getComputedStyle(ruby).textDecorationLine))"""


@pytest.mark.parametrize("pinyin_on", [False, True], ids=["plain", "pinyin"])
def test_forbidden_and_alternative_lines_differ_without_colour(
    browser: Browser, site_url: str, pinyin_on: bool
) -> None:
    page = open_page(browser, site_url + urls.site_path(urls.card_page("auto", pinyin_on)))
    page.emulate_media(media="print")
    looks = page.evaluate(LINE_LOOKS)
    forbidden_boxes, alternative_boxes = page.evaluate(STRUCK_BOXES)
    page.context.close()
    if pinyin_on:
        assert forbidden_boxes and set(forbidden_boxes) == {"line-through"}
        assert alternative_boxes and set(alternative_boxes) == {"none"}
    forbidden = [look for look in looks if look["kind"] == "forbidden"]
    alternative = [look for look in looks if look["kind"] == "alternative"]
    assert forbidden and len(forbidden) == len(alternative)
    for look in forbidden:
        assert (look["border"], look["strike"], look["mark"]) == ("dashed dashed dashed", "line-through", "✗ 不要说")
    for look in alternative:
        assert look["border"] == "none solid none" and look["leftWidth"] >= 2 and look["strike"] == "none"
        assert int(look["weight"]) >= 700 and look["mark"] == "✓ 改说"


@pytest.mark.slow
@pytest.mark.parametrize(
    ("site_address", "qr", "expected"),
    [
        ("", "true", "extra.huashu.card_qr 要在卡片上印二维码，需要完整网址：请在 mkdocs.yml 里设置 site_url"),
        ("https://kb.example.com/hs/", "maybe", "环境变量 HUASHU_CARD_QR 应为 true 或 false，实际是“maybe”"),
    ],
)
def test_card_qr_setting(tmp_path: Path, site_address: str, qr: str, expected: str) -> None:
    """Settings the build refuses; what it prints when they are right: test_footer_has_print_date_url_qr_and_overdue_mark."""
    project = with_site_url(
        make_project(tmp_path / "p", assemble_library(tmp_path, "overdue", cases="cards")), site_address, True
    )
    env = {"SOURCE_DATE_EPOCH": EPOCH_2026_12_01, **({"HUASHU_CARD_QR": qr} if qr != "true" else {})}
    result = mkdocs_build(project, env=env)
    assert "Traceback" not in result.stderr
    assert result.returncode == 1 and expected in result.stderr


# The first thing on each row of every line on the page, by the top of its box.
ROW_STARTS = """() => Array.from(document.querySelectorAll('.hs-card__text')).flatMap(text => {
  const starts = []; let top = -Infinity;
  const walker = document.createTreeWalker(text, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (node.parentElement.closest('rt')) continue;
    const range = document.createRange(); range.selectNode(node);
    const rect = range.getBoundingClientRect();
    if (rect.top > top + 2) { starts.push(node.textContent[0]); top = rect.top; }
  }
  return starts; })"""


@pytest.mark.parametrize("run", ["a6", "a5"])
def test_pinyin_rows_never_start_with_closing_punctuation(browser: Browser, site_url: str, run: str) -> None:
    """Between pinyin boxes the browser would break before “，” or “。” (a reviewer found 52 such rows)."""
    page = open_page(browser, site_url + urls.site_path(urls.card_page(run, True)))
    page.emulate_media(media="print")
    starts = page.evaluate(ROW_STARTS)
    page.context.close()
    assert len(starts) > 200
    assert [c for c in starts if c in NO_ROW_START] == []


def test_print_runs_share_one_copy_of_the_cards(bundled_site: Path, library: model.Library) -> None:
    """Issue 14.6: eight print runs printed every card eight times. A card's words are written
    once, in the shared data; each run's page holds its layout only."""
    files = {path: path.read_text(encoding="utf-8") for path in (bundled_site / "cards").rglob("*") if path.is_file()}
    said = [
        t.text
        for e in library.entries
        for t in model.entry_texts(e, library.by_id)
        if t.role is model.Role.SAY and t.card is not None and len(t.text) > 8
    ]
    assert said
    for text in said[::7]:
        escaped = json.dumps(text, ensure_ascii=False)[1:-1]
        holders = [p.relative_to(bundled_site).as_posix() for p, html in files.items() if escaped in html]
        assert holders == ["cards/data/cards.js"], (text, holders)
    pages = [html for path, html in files.items() if path.name == "index.html"]
    assert len(pages) == 2 * len(PRINT_RUNS)
    assert max(map(len, pages)) < 2 * min(map(len, pages))  # a pinyin run's page is no bigger than another's


def test_cards_page_without_javascript_says_what_to_do(browser: Browser, site_url: str) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(site_url + urls.site_path(urls.card_page("a6", False)))
    assert "请启用 JavaScript" in page.inner_text(".hs-cards")
    assert page.locator(".hs-card").count() == 0
    context.close()


def test_cards_page_with_missing_data_says_so(browser: Browser, bundled_site: Path, tmp_path: Path) -> None:
    """A site copied without cards/data/ (a partial upload): the page says what is missing, nothing half-built."""
    site = tmp_path / "site"
    shutil.copytree(bundled_site, site)
    (site / "cards" / "data" / "pinyin.js").unlink()
    with serve(site) as address:
        page = open_page(browser, address + urls.site_path(urls.card_page("a6", True)))
        assert "卡片数据没有加载成功" in page.inner_text(".hs-cards")
        assert page.locator(".hs-card").count() == 0
        page.context.close()


@pytest.mark.parametrize("run", PRINT_RUNS)
def test_cards_page_fits_a_phone_screen(browser: Browser, site_url: str, run: str) -> None:
    """A6 paper is wider than a 400 px phone: the preview wraps to the screen, no sideways scroll."""
    context = browser.new_context(viewport={"width": 400, "height": 800})
    page = context.new_page()
    page.goto(site_url + urls.site_path(urls.card_page(run, False)))
    widest = page.evaluate(
        "Math.max(...[...document.querySelectorAll('.hs-card')].map(c => c.getBoundingClientRect().right))"
    )
    scroll = page.evaluate("document.documentElement.scrollWidth")
    context.close()
    assert widest <= 400 and scroll <= 400, (widest, scroll)


class CountedEntries(list):
    """A card's entries that count how often the layout walks through all of them."""

    walks = 0

    def __iter__(self):  # type: ignore[no-untyped-def]
        CountedEntries.walks += 1
        return super().__iter__()


@pytest.mark.parametrize("count", [600, 2400])
def test_laying_out_a_huge_card_walks_its_entries_a_fixed_number_of_times(count: int) -> None:
    """Issue 15.16: a split card matched every entry against every part (quadratic: 30,000 entries
    took minutes). The work is counted, not timed: the walks over all entries must not grow with
    the number of parts."""
    sys.path.insert(0, str(REPO / "bench"))
    from cards_layout_bench import one_category  # the benchmark's own library: one category, `count` phrases

    library = one_category(count)
    entries = CountedEntries(library.entries)
    CountedEntries.walks = 0
    laid_out, _ = fit_card(CardSource("auto-big", "大分类", entries), library, "a6", None)
    assert len(laid_out) > count // 20  # split into many parts
    assert CountedEntries.walks <= 4, CountedEntries.walks

"""Cards: what goes on them, how they fit, and the PDF Chromium prints of them."""

from __future__ import annotations

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
from conftest import FIXTURES, REPO, make_project, mkdocs_build, open_page
from playwright.sync_api import Browser
from pypdf import PdfReader

from huashu import load_library, model, urls
from huashu.cards import build_cards

MM_PER_PT = 25.4 / 72


@pytest.fixture(scope="module")
def library() -> model.Library:
    return load_library(REPO / "scripts_library", base=REPO)


def test_one_card_per_procedure_and_phrase_category(library: model.Library) -> None:
    cards, _ = build_cards(library, "auto")
    ids = {c.id for c in cards}
    for entry in library.entries:
        if isinstance(entry, model.Procedure):
            assert f"auto-{entry.id}" in ids
    for category in library.categories_in("phrases"):
        assert f"auto-{category.id}" in ids
    on_cards = {e.id for c in cards for e in c.entries}
    phrases = {e.id for e in library.entries if library.category_by_id[e.category].section == "phrases"}
    procedures = {e.id for e in library.entries if isinstance(e, model.Procedure)}
    assert phrases | procedures <= on_cards


# What the print stylesheet lays out, measured in Chromium with print media: the last
# line of each card must end above its footer (which sits at the card's bottom edge).
MEASURE_CARDS = """() => Array.from(document.querySelectorAll('.hs-card')).map(card => {
  const blocks = card.querySelectorAll('.hs-card__block');
  const last = blocks[blocks.length - 1], footer = card.querySelector('.hs-card__source');
  return {id: card.id, textBottom: last.getBoundingClientRect().bottom,
          footerTop: footer.getBoundingClientRect().top,
          cardBottom: card.getBoundingClientRect().bottom, overflow: card.scrollHeight - card.clientHeight};
})"""


@pytest.mark.parametrize("run", ["auto", "a6", "a5", "a4-4up"])
@pytest.mark.parametrize("pinyin_on", [False, True])
def test_every_printed_card_holds_its_text(browser: Browser, site_url: str, run: str, pinyin_on: bool) -> None:
    page = open_page(browser, site_url + urls.site_path(urls.card_page(run, pinyin_on)))
    page.emulate_media(media="print")
    measured = page.evaluate(MEASURE_CARDS)
    page.context.close()
    cards, _ = build_cards(load_library(REPO / "scripts_library", base=REPO), run, pinyin_on)
    assert len(measured) == len(cards)
    crowded = [m for m in measured if m["textBottom"] > m["footerTop"] + 0.5 or m["overflow"] > 1]
    assert crowded == [], f"text runs into the footer or past the card: {crowded}"


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


def test_overlong_card_is_split_and_reported(tmp_path: Path) -> None:
    cards, reports = build_cards(load_library(overlong_library(tmp_path), base=tmp_path), "auto")
    parts = [c for c in cards if c.id == "too-long"]
    assert len(parts) > 1 and [c.full_title for c in parts][0] == f"放不下的卡片（1/{len(parts)}）"
    (report,) = [r for r in reports if r.card_id == "too-long"]
    assert report.explicit
    assert re.fullmatch(
        rf"卡片“放不下的卡片”（too-long，A6）内容超出 \d+%：已拆成 {len(parts)} 张（1/{len(parts)}.*）",
        report.message(),
    )


@pytest.mark.slow
def test_overlong_card_warns_and_fails_a_strict_build(tmp_path: Path) -> None:
    project = make_project(tmp_path / "p", overlong_library(tmp_path))
    result = mkdocs_build(project)
    assert result.returncode == 1
    assert "WARNING -  huashu: 卡片“放不下的卡片”（too-long，A6）内容超出" in result.stderr
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
def a6_pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("pdf") / "cards.pdf"
    result = subprocess.run(
        [sys.executable, "-m", "huashu.cli", "cards", "--pdf", str(out), "--size", "a6"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    return out


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
            for line in (block.heading, *block.lines):
                assert printed(line, text), (card.id, line)
        assert printed(card.entries[0].id, text)  # the source line


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


def test_print_stylesheet_uses_the_paper_table() -> None:
    """cards.css repeats the paper sizes and margins of huashu.cards for the browser; they must agree."""
    from huashu.cards import MARGIN, PAPER

    css = (REPO / "overrides" / "assets" / "cards.css").read_text(encoding="utf-8")
    for size in ("a6", "a5"):
        width, height = PAPER[size]
        margin = MARGIN[size]
        assert f"@page hs-{size} {{ size: {width:g}mm {height:g}mm; margin: {margin:g}mm; }}" in css
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

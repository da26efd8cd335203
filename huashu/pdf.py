"""PDF export of the cards: the site's own cards page printed by headless Chromium.

The PDF is what the browser's print dialog would give (same CSS paged media,
same sheet sizes), so the cards page and the PDF never disagree.
"""

from __future__ import annotations

import logging
import os
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from huashu.filewrite import WriteError, check_writable, write_files

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig

CHROMIUM = os.environ.get("HUASHU_CHROMIUM", "/usr/bin/chromium")
# Without these, Chromium keeps trying to reach Google services, which an intranet refuses.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


class PdfError(Exception):
    """The PDF could not be made; the message says why, in Chinese."""


def build_site(config_file: Path, site_dir: Path) -> MkDocsConfig:
    """A real MkDocs build of the handbook into `site_dir` (the library is validated on the way)."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    logging.getLogger("mkdocs").setLevel(logging.WARNING)
    config = load_config(str(config_file), site_dir=str(site_dir), strict=False)
    build(config)
    return config


def output_problem(out: Path) -> str:
    """Why the PDF cannot be written to `out`, in Chinese; empty when it can.

    Checked before the minutes of building and printing, and because Chromium would
    otherwise create any missing folders on the way, wherever the path points.
    """
    if out.is_dir():
        return f"{out} 是一个文件夹，请给出 PDF 文件的路径，如 {out / 'cards.pdf'}"
    if out.exists() and not out.is_file():
        return f"{out} 不是普通文件，请换一个 PDF 文件路径"
    folder = out.parent
    if not folder.is_dir():
        return f"文件夹 {folder} 不存在，请先创建它，或换一个路径"
    try:
        check_writable(out, Path.cwd())  # a link, a read-only file or folder: as for every file huashu writes
    except WriteError as exc:
        return str(exc)
    return ""


def fit_messages(config: MkDocsConfig, size: str, pinyin_on: bool) -> list[str]:
    """What fitting did to the cards of one print run, each naming its card and where it comes
    from (the build's log tells only the default run's)."""
    from huashu import cards, load_library, review
    from huashu.site import read_settings

    settings = read_settings(config)
    library = load_library(settings.library, base=Path(config.config_file_path).parent)
    printing = cards.CardPrinting(review.today(), config.site_url or "", settings.card_qr)
    _, reports = cards.build_cards(library, size, pinyin_on, footer_mm=printing.footer_mm)
    return [report.message() for report in reports]


def export_cards(config_file: Path, out: Path, size: str = "a6", pinyin_on: bool = False) -> tuple[int, list[str]]:
    """Print the cards of one print run to `out`; returns the number of pages, what
    fitting did to the run's cards, and any card whose measured text runs into its footer.

    The PDF is written as every file huashu writes (huashu.filewrite): beside `out`, then
    renamed into place, so an interrupted export never leaves half a file where a good one was.
    """
    from playwright.sync_api import Error as PlaywrightError
    from playwright.sync_api import sync_playwright

    from huashu.card_measure import measure_cards, overflow_message
    from huashu.cards import run_title
    from huashu.urls import card_page

    problem = output_problem(out)
    if problem:
        raise PdfError(problem)
    if not Path(CHROMIUM).exists():
        raise PdfError(f"找不到 Chromium（{CHROMIUM}）。请先安装：apt-get install chromium fonts-noto-cjk")
    with tempfile.TemporaryDirectory() as work:
        site = Path(work) / "site"
        config = build_site(config_file, site)
        page_file = site / card_page(size, pinyin_on).replace(".md", ".html")
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
                page = browser.new_page()
                page.goto(page_file.as_uri())
                measured = measure_cards(page)
                pdf = page.pdf(prefer_css_page_size=True, print_background=True)
                browser.close()
        except PlaywrightError as exc:
            raise PdfError(f"Chromium 打印失败：{exc}") from None
    try:
        write_files({out: pdf}, Path.cwd())  # beside `out`, then renamed into place
    except WriteError as exc:
        raise PdfError(str(exc)) from None
    from pypdf import PdfReader

    # The estimate that laid the cards out errs on the side of room; the layout has the last word.
    spilled = [overflow_message(card, run_title(size, pinyin_on)) for card in measured if card.overflows]
    return len(PdfReader(str(out)).pages), fit_messages(config, size, pinyin_on) + spilled

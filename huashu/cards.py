"""Stage 5, cards: quick-reference cards for print, laid out to fit their paper.

Every procedure and every phrase category gets a card; editors add more in
cards.yaml. Whether a card fits is worked out here, from the paper's printable
area and the text's length in the font size the print stylesheet uses
(overrides/assets/cards.css: same sizes, line heights and margins). A card that
does not fit is shrunk down to a readable minimum, then split into parts
("1/2", "2/2"); a card an editor gave an explicit size is reported when that
happens. Nothing is ever clipped.
"""

from __future__ import annotations

import functools
import html
import math
import unicodedata
from dataclasses import dataclass, replace

from markupsafe import Markup, escape

from huashu import model, pages, ruby, urls
from huashu.model import Card, Entry, Library, Role
from huashu.ruby import RubyReader

# Paper in mm, and the print stylesheet's page margins in mm (overrides/assets/cards.css
# uses the same numbers; tests/test_cards.py checks that it does).
PAPER = {"a6": (105.0, 148.0), "a5": (148.0, 210.0), "a4-4up": (210.0, 297.0)}
MARGIN = {"a6": 6.0, "a5": 9.0, "a4-4up": 0.0}
# Font sizes in pt, largest first; the last is the smallest we still call readable.
FONT_STEPS = (10.0, 9.5, 9.0, 8.5, 8.0, 7.5)
LINE_HEIGHT = 1.5
# Pinyin (cards.css `.hs-py`): its size relative to the characters, the smallest size still
# legible in print, the narrowest box of a character with its syllable (so characters stand
# evenly spaced; the gap is inside it), the gap between neighbouring syllables, the width of
# a letter of pinyin in ems of its own size (measured in Chromium: 0.57 to 0.7 a syllable),
# and the line height that makes room for the pinyin.
RUBY_SCALE = 0.75
MIN_RUBY_PT = 6.5
RUBY_MIN_EM = 1.8
RUBY_GAP_EM = 0.3
RUBY_LETTER_EM = 0.62
RUBY_LINE_HEIGHT = 2.6
# Cards with pinyin only shrink as far as their pinyin stays legible.
PINYIN_FONT_STEPS = tuple(f for f in FONT_STEPS if f * RUBY_SCALE >= MIN_RUBY_PT)
LATIN_EM = 0.55  # width of a latin letter or digit, in ems of its own font size
TITLE_SCALE = 1.3
FOOTER_MM = 9.0  # source ids, review date and link
BLOCK_GAP_EM = 0.5
PT_TO_MM = 0.3528
# The estimate must err on the side of room: fonts and line breaking vary.
SAFETY = 1.12
PRINT_RUNS = ("auto", "a6", "a5", "a4-4up")


# How printed cards mark forbidden wording and what to say instead (legible in black and white).
FORBIDDEN_MARK = "✗ 不要说："
ALTERNATIVE_MARK = "✓ 改说："


@dataclass(frozen=True)
class Block:
    """One unit a card can be split between: a phrase, a step, a question."""

    heading: str
    lines: tuple[str, ...]
    entry_id: str
    avoid: bool = False
    number: int = 0


@dataclass(frozen=True)
class PrintCard:
    """A card as printed: paper, font size and blocks decided."""

    id: str
    title: str
    size: str
    font_pt: float
    blocks: tuple[Block, ...]
    entries: tuple[Entry, ...]
    pinyin: bool = False
    part: int = 1
    parts: int = 1

    @property
    def full_title(self) -> str:
        return f"{self.title}（{self.part}/{self.parts}）" if self.parts > 1 else self.title

    @property
    def reviewed(self) -> str:
        return min(e.reviewed for e in self.entries).isoformat() if self.entries else ""


@dataclass
class FitReport:
    """What fitting did to one card, for the build log."""

    card_id: str
    title: str
    size: str
    overflow: float  # fraction over the printable height at the normal font size
    action: str
    explicit: bool = False

    def message(self) -> str:
        return f"卡片“{self.title}”（{self.card_id}，{self.size.upper()}）内容超出 {self.overflow:.0%}：{self.action}"


@functools.cache
def _width_units(text: str) -> float:
    """Width of `text` in ems: CJK and full-width characters 1, others about half."""
    return sum(1.0 if unicodedata.east_asian_width(c) in ("W", "F") else LATIN_EM for c in text)


def _ruby_width_units(text: str, reader: RubyReader) -> float:
    """Width of `text` with pinyin, in ems: a character's box is as wide as its syllable, plus the gap."""
    return sum(
        max(RUBY_MIN_EM, RUBY_SCALE * RUBY_LETTER_EM * len(reading) + RUBY_GAP_EM) if reading else _width_units(char)
        for char, reading in reader.pairs(text)
    )


def blocks_for(entry: Entry, library: Library) -> list[Block]:
    """What a card prints of an entry: the texts the model marks for cards, in reading order.

    One block per entry, or one per step for records in a list (numbered). Forbidden
    wording is printed "✗ 不要说", and what to say instead "✓ 改说", wherever it is quoted.
    """
    avoid = model.is_forbidden(entry)
    grouped: dict[int | None, list[str]] = {}
    for text in model.entry_texts(entry, library.by_id):
        if text.card is None or not text.text:
            continue
        line = text.card.lstrip("+").format(text.text)
        if text.role is Role.FORBIDDEN:
            line = f"{FORBIDDEN_MARK}{line}"
        elif text.alternative:
            line = f"{ALTERNATIVE_MARK}{line}"
        lines = grouped.setdefault(text.step, [])
        if text.card.startswith("+") and lines:
            lines[0] += line
        else:
            lines.append(line)
    return [
        Block(
            entry.title if step is None else "",
            tuple(lines),
            entry.id,
            avoid=avoid,
            number=0 if step is None else step + 1,
        )
        for step, lines in grouped.items()
    ]


def _text_width(text: str, reader: RubyReader | None) -> float:
    return _ruby_width_units(text, reader) if reader else _width_units(text)


def _block_height(block: Block, font_pt: float, width_mm: float, reader: RubyReader | None) -> float:
    em = font_pt * PT_TO_MM
    per_line = max(1, math.floor(width_mm / em - (1.5 if block.number else 0)))
    lines = sum(
        math.ceil(_text_width(text, reader) / per_line) or 1 for line in block.lines for text in line.split("\n")
    )
    if block.heading:
        lines += math.ceil(_text_width(block.heading, reader) / per_line)
    return lines * em * (RUBY_LINE_HEIGHT if reader else LINE_HEIGHT) + BLOCK_GAP_EM * em


def needed_height(title: str, blocks: tuple[Block, ...], size: str, font_pt: float, reader: RubyReader | None) -> float:
    """Height in mm a card's content takes; with a reader, printed with its pinyin."""
    width = PAPER[size][0] - 2 * MARGIN[size]
    em = font_pt * PT_TO_MM
    title_lines = math.ceil(_text_width(title, reader) * TITLE_SCALE / (width / em))
    title_mm = title_lines * em * TITLE_SCALE * (RUBY_LINE_HEIGHT if reader else LINE_HEIGHT) + em
    return SAFETY * (title_mm + sum(_block_height(b, font_pt, width, reader) for b in blocks))


def available_height(size: str) -> float:
    return PAPER[size][1] - 2 * MARGIN[size] - FOOTER_MM


def share_of_card(entry: Entry, library: Library, size: str) -> float:
    """How much of a card's printable height one entry takes at the normal font size."""
    width = PAPER[size][0] - 2 * MARGIN[size]
    height = sum(_block_height(b, FONT_STEPS[0], width, None) for b in blocks_for(entry, library))
    return SAFETY * height / available_height(size)


def _fits(title: str, blocks: tuple[Block, ...], size: str, font_pt: float, reader: RubyReader | None) -> bool:
    return needed_height(title, blocks, size, font_pt, reader) <= available_height(size)


def fit_card(
    card_id: str, title: str, entries: list[Entry], library: Library, size: str | None, reader: RubyReader | None
) -> tuple[list[PrintCard], FitReport | None]:
    """Lay one card out: the smallest paper that holds it, else a smaller font, else parts.

    Args:
        reader: Pinyin readings when the card is printed with pinyin, else None.
    """
    blocks = tuple(b for e in entries for b in blocks_for(e, library))
    sizes = [size] if size else ["a6", "a5"]
    steps = PINYIN_FONT_STEPS if reader else FONT_STEPS
    base = PrintCard(card_id, title, sizes[0], steps[0], blocks, tuple(entries), reader is not None)
    for paper in sizes:
        if _fits(title, blocks, paper, steps[0], reader):
            return [replace(base, size=paper)], None
    paper = sizes[-1]
    overflow = needed_height(title, blocks, paper, steps[0], reader) / available_height(paper) - 1
    report = FitReport(card_id, title, paper, overflow, "", explicit=bool(size))
    for font_pt in steps[1:]:
        if _fits(title, blocks, paper, font_pt, reader):
            report.action = f"已把字号从 {steps[0]:g}pt 缩小到 {font_pt:g}pt"
            return [replace(base, size=paper, font_pt=font_pt)], report
    parts = _split(title, blocks, paper, reader)
    report.action = f"已拆成 {len(parts)} 张（{'、'.join(f'{i}/{len(parts)}' for i in range(1, len(parts) + 1))}）"
    cards = []
    for number, part_blocks in enumerate(parts, start=1):
        ids = {b.entry_id for b in part_blocks}
        part_entries = tuple(e for e in entries if e.id in ids)
        font = next((f for f in steps if _fits(title, part_blocks, paper, f, reader)), steps[-1])
        cards.append(
            replace(
                base, size=paper, font_pt=font, blocks=part_blocks, entries=part_entries, part=number, parts=len(parts)
            )
        )
    return cards, report


def _split(title: str, blocks: tuple[Block, ...], size: str, reader: RubyReader | None) -> list[tuple[Block, ...]]:
    """Greedy parts at the normal font size; a block too big even alone gets a part of its own.

    Heights add up block by block (one pass), not re-measured per part."""
    width = PAPER[size][0] - 2 * MARGIN[size]
    room = available_height(size) / SAFETY - needed_height(title + "（1/2）", (), size, FONT_STEPS[0], reader) / SAFETY
    parts: list[tuple[Block, ...]] = []
    current: list[Block] = []
    used = 0.0
    for block in blocks:
        height = _block_height(block, FONT_STEPS[0], width, reader)
        if current and used + height > room:
            parts.append(tuple(current))
            current, used = [], 0.0
        current.append(block)
        used += height
    if current:
        parts.append(tuple(current))
    return parts


def card_sources(library: Library) -> list[tuple[str, str, list[Entry], str | None, bool]]:
    """Every card as (id, title, entries, size, pinyin): automatic ones first, then cards.yaml by order."""
    sources: list[tuple[str, str, list[Entry], str | None, bool]] = []
    for entry in library.entries:
        if isinstance(entry, model.Procedure):
            sources.append((model.AUTO_CARD_PREFIX + entry.id, entry.title, [entry], None, False))
    for category in library.categories_in("phrases"):
        entries = library.entries_in(category.id)
        if entries:
            sources.append((model.AUTO_CARD_PREFIX + category.id, category.title, entries, None, False))
    ordered = sorted(enumerate(library.cards), key=lambda item: (item[1].order is None, item[1].order or 0, item[0]))
    for _, card in ordered:
        sources.append((card.id, card.title, _card_entries(card, library), card.size, card.pinyin))
    return sources


def _card_entries(card: Card, library: Library) -> list[Entry]:
    entries = [library.by_id[i] for i in card.entries]
    for category_id in card.categories:
        entries += [e for e in library.entries_in(category_id) if e not in entries]
    return entries


FitMemo = dict[tuple[str, str | None, bool], tuple[list[PrintCard], FitReport | None]]


def build_cards(
    library: Library, run: str = "auto", pinyin_on: bool = False, memo: FitMemo | None = None
) -> tuple[list[PrintCard], list[FitReport]]:
    """All cards laid out for one print run.

    Args:
        run: "auto" (each card's own size, or the smallest that holds it), "a6",
            "a5", or "a4-4up" (A6 cards, four to an A4 sheet).
        pinyin_on: pinyin above every card's characters, not only those asking for it.
        memo: Layouts already worked out by other runs (the A6 run and A4 four-up lay
            every card out the same), shared across calls.
    """
    memo = {} if memo is None else memo
    reader = pinyin_reader(library)
    cards: list[PrintCard] = []
    reports: list[FitReport] = []
    for card_id, title, entries, size, wants_pinyin in card_sources(library):
        if run in ("a6", "a5"):
            size = run
        elif run == "a4-4up":
            size = "a6"
        key = (card_id, size, pinyin_on or wants_pinyin)
        if key not in memo:
            memo[key] = fit_card(card_id, title, entries, library, size, reader if key[2] else None)
        laid_out, report = memo[key]
        cards += laid_out
        if report:
            reports.append(report)
    return cards, reports


def pinyin_reader(library: Library) -> RubyReader:
    """Readings for the library's cards: the built-in corrections and the editors' pinyin.yaml."""
    return ruby.reader_for(tuple((w.word, w.pinyin) for w in library.pinyin_words))


# --- the cards pages ----------------------------------------------------------------


def _mm(value: float) -> str:
    return f"{value:g}mm" if value else "0"


# The default @page of a single-size print run (the "auto" run uses named pages per card).
PAGE_RULES = {
    size: Markup(f"@page {{ size: {width:g}mm {height:g}mm; margin: {_mm(MARGIN[size])}; }}")
    for size, (width, height) in PAPER.items()
}
PRINT_VARIANTS = (("auto", "按卡片设置"), ("a6", "A6"), ("a5", "A5"), ("a4-4up", "A4 四合一"))


@functools.cache
def ruby_text(text: str, reader: RubyReader | None) -> Markup:
    """Escaped text; with a reader, each hanzi in its own box (cards.css `.hs-py`) and <ruby>.

    A box per character, so the stylesheet can space characters evenly and set every
    syllable apart (a run in one <ruby> sets its syllables edge to edge). Built as a plain string, then one Markup:
    Markup.format per character costs ten times more. Cached while the cards of one
    build are rendered (A6 and A5 print the same lines), then cleared.
    """
    if reader is None:
        return escape(text)
    return Markup(
        "".join(
            f'<span class="hs-py"><ruby>{html.escape(char, quote=False)}<rt>{reading}</rt></ruby></span>'
            if reading
            else html.escape(char, quote=False)
            for char, reading in reader.pairs(text)
        )
    )


def short_link(card: PrintCard, library: Library, site_url: str) -> str:
    """Where the card's first entry lives online: a full URL when site_url is set."""
    entry = card.entries[0]
    path = urls.site_path(urls.entry_page(entry, library)) + "#" + entry.id
    return site_url.rstrip("/") + "/" + path if site_url else path


def card_pages(
    renderer: pages.PageRenderer, site_url: str = ""
) -> tuple[dict[str, str], dict[str, list[str | list[str]]], list[FitReport]]:
    """Every print run's cards page: its Markdown (with a slot), the HTML for the slot,
    and what fitting had to do (from the "auto" run). The cards stay out of the Markdown:
    Python-Markdown is slow on megabytes of raw HTML, and has nothing to do there.
    Each card is laid out and rendered once, however many runs print it the same way."""
    markdown: dict[str, str] = {}
    html: dict[str, list[str | list[str]]] = {}
    reports: list[FitReport] = []
    fits: FitMemo = {}
    rendered: dict[tuple, str] = {}
    reader = pinyin_reader(renderer.library)
    renderer.env.filters["ruby"] = lambda text, on: ruby_text(text, reader if on else None)
    card_template = renderer.env.get_template("_card.html.jinja")

    def card_html(card: PrintCard) -> str:
        key = (card.id, card.part, card.parts, card.size, card.font_pt, card.pinyin)
        if key not in rendered:
            rendered[key] = card_template.render(card=card, short_link=short_link(card, renderer.library, site_url))
        return rendered[key]

    for run in PRINT_RUNS:
        for pinyin_on in (False, True):
            cards, fit = build_cards(renderer.library, run, pinyin_on, fits)
            if run == "auto" and not pinyin_on:
                reports = fit
            sheets = [cards[i : i + 4] for i in range(0, len(cards), 4)] if run == "a4-4up" else [[c] for c in cards]
            uri = urls.card_page(run, pinyin_on)
            markdown[uri] = renderer.render(
                "cards.md.jinja",
                uri,
                run=run,
                pinyin_run=pinyin_on,
                cards=cards,
                sheets=sheets,
                variants=PRINT_VARIANTS,
                variant_page=urls.card_page,
            )
            page_rule = PAGE_RULES[run if run != "auto" else (cards[0].size if cards else "a6")]
            # Print copies of the handbook's content: kept out of site-search tools such as Pagefind.
            opening = f'<div class="hs-cards hs-cards--{run}" data-run="{run}" data-pagefind-ignore="all">'
            parts = [f"<style>{page_rule}</style>", opening]
            for sheet in sheets:
                sheet_size = "a4-4up" if run == "a4-4up" else sheet[0].size
                parts.append(f'<div class="hs-sheet hs-sheet--{sheet_size}">')
                parts += [card_html(card) for card in sheet]
                parts.append("</div>")
            parts.append("</div>")
            html[uri] = [parts]  # joined when the page is written: cards are shared between runs
    ruby_text.cache_clear()
    return markdown, html, reports

"""Stage 5, cards: quick-reference cards for print, laid out to fit their paper.

Every procedure and every phrase category gets a card; editors add more in
cards.yaml. Whether a card fits is worked out here, from the paper's printable
area and the text's length in the font size the print stylesheet uses
(overrides/assets/cards.css: same sizes, line heights and margins), an estimate
checked against Chromium's own layout of every bundled card (huashu/card_measure.py,
tests/test_cards.py). A card is printed in the largest font its paper holds, down to
a readable minimum; a card that does not fit even then is split into as few, even
parts ("1/2", "2/2") as hold it. A card printed below the normal size, or split, is
reported; nothing is ever clipped.
"""

from __future__ import annotations

import bisect
import datetime
import functools
import itertools
import json
import math
import posixpath
import unicodedata
from array import array
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field, replace

from markupsafe import Markup

from huashu import model, pages, review, ruby, urls
from huashu.model import Card, Entry, Library, Role
from huashu.ruby import RubyReader

# Paper in mm, and the print stylesheet's page margins in mm (overrides/assets/cards.css
# uses the same numbers; tests/test_cards.py checks that it does).
PAPER = {"a6": (105.0, 148.0), "a5": (148.0, 210.0), "a4-4up": (210.0, 297.0)}
MARGIN = {"a6": 6.0, "a5": 9.0, "a4-4up": 0.0}
# Font sizes in pt, largest first: a card is printed in the largest its paper holds, and
# split into parts rather than printed below its paper's smallest (MIN_PT). NORMAL_PT is
# the size a card is reported below.
FONT_STEPS = (14.0, 13.0, 12.0, 11.0, 10.5, 10.0, 9.5, 9.0)
NORMAL_PT = 10.0
AUTO_PAPERS = ("a6", "a5")
LINE_HEIGHT = 1.5
# Pinyin (cards.css `h-p`): its size relative to the characters, the smallest size still
# legible in print, the narrowest box of a character with its syllable (so characters stand
# evenly spaced; the gap is inside it), the gap between neighbouring syllables, the width of
# each letter of pinyin in ems of its own size (tone marks aside), and the line height that
# makes room for the pinyin.
RUBY_SCALE = 0.75
MIN_RUBY_PT = 6.5
RUBY_MIN_EM = 1.8
RUBY_GAP_EM = 0.3
# Measured in Chromium with the card font (Noto Sans CJK SC's Latin) as set in <rt>, rounded up:
# a syllable of narrow letters (jiàn) takes the box's 1.8 em where one of wide ones (zhuāng) needs more.
RUBY_LETTER_EM = {
    **dict.fromkeys("ijl", 0.3),
    "f": 0.35,
    "t": 0.38,
    "r": 0.42,
    **dict.fromkeys("csz", 0.49),
    **dict.fromkeys("evxy", 0.56),
    **dict.fromkeys("agk", 0.58),
    **dict.fromkeys("bdhnopqu", 0.62),
    "w": 0.83,
    "m": 0.93,
}
RUBY_OTHER_LETTER_EM = 0.7
RUBY_LINE_HEIGHT = 2.6
# The title keeps its line height of 1.5; its pinyin boxes make a row about 2.07 (measured in Chromium).
RUBY_TITLE_LINE_HEIGHT = 2.1
# Cards with pinyin only shrink as far as their pinyin stays legible.
PINYIN_FONT_STEPS = tuple(f for f in FONT_STEPS if f * RUBY_SCALE >= MIN_RUBY_PT)
# The smallest type a paper prints a card in before splitting it: on an A6 card, read at arm's
# length on a desk during a call, phrase lines stay at 11 pt or more. Only a single phrase
# too long for a whole card at that size goes smaller.
MIN_PT = {"a6": 11.0, "a5": 9.0}
LATIN_EM = 0.55  # width of a latin letter or digit, in ems of its own font size
TITLE_SCALE = 1.3
TITLE_GAP_EM = 0.5  # below the title, in ems of the title
GUIDE_AFTER_SAY_SCALE = 0.92  # an FAQ's 要点 after its 答
# The footer (print date, review, URL): two lines of 7pt at line height 1.3, and a gap.
FOOTER_MM = 7.0
SHEET_SLACK_MM = 1.0
BLOCK_GAP_EM = 0.5
PT_TO_MM = 0.3528
# The estimate must err on the side of room: fonts and line breaking vary. Measured in
# Chromium (bench/cards_fit_bench.py) over every bundled card in every print run, the
# estimate without it is about 5 % over the layout on average and up to 4 % under it
# (a line the browser fits that the estimate wraps, or the reverse).
SAFETY = 1.07
PRINT_RUNS = ("auto", "a6", "a5", "a4-4up")
PRINT_VARIANTS = (("auto", "按卡片设置"), ("a6", "A6"), ("a5", "A5"), ("a4-4up", "A4 四合一"))
RUN_TITLES = dict(PRINT_VARIANTS)


def run_title(run: str, pinyin_on: bool) -> str:
    """A print run as the cards page names it: "A6", "A4 四合一 · 标注拼音"."""
    return RUN_TITLES[run] + (" · 标注拼音" if pinyin_on else "")


# How printed cards mark forbidden wording and what to say instead; cards.css also boxes and
# strikes the one and rules the other, so the two differ in black-and-white print as well.
LINE_MARKS = {"forbidden": "✗ 不要说", "alternative": "✓ 改说"}
# Marks an entry whose review date has passed (review.py): next to its title and in the footer.
OVERDUE_MARK = "待复核"
# What cards.css adds around lines of each kind, in ems: width taken by rules, boxes and the
# mark's frame, and height taken by a forbidden line's box (border and padding).
LINE_INDENT_EM = {"say": 0.6, "alternative": 0.6, "forbidden": 0.8}
MARK_FRAME_EM = 0.8
BOXED_LINE_EM = 0.5
# Room the footer takes when it holds a QR code (cards.css: .hs-card__qr).
QR_MM = 14.0


@dataclass(frozen=True)
class Line:
    """One printed line, with what it is for: the class cards.css styles it by."""

    text: str
    kind: str  # "say", "guide", "forbidden" or "alternative"

    @property
    def mark(self) -> str:
        return LINE_MARKS.get(self.kind, "")

    @property
    def printed(self) -> str:
        """The line as read off the card, its mark first."""
        return f"{self.mark} {self.text}" if self.mark else self.text


@dataclass(frozen=True)
class Block:
    """One unit a card can be split between: a phrase, a step, a question."""

    heading: str
    lines: tuple[Line, ...]
    entry_id: str
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
    first_block: int = 0  # where its blocks start among its card's: a part's place in the whole

    @property
    def full_title(self) -> str:
        return f"{self.title}（{self.part}/{self.parts}）" if self.parts > 1 else self.title

    @property
    def reviewed(self) -> str:
        return min(e.reviewed for e in self.entries).isoformat() if self.entries else ""


@dataclass(frozen=True)
class CardSource:
    """A card before layout: what it holds and how its editor asked for it to be printed."""

    id: str
    title: str
    entries: list[Entry]
    size: str | None = None
    pinyin: bool = False
    # What the card is made from, for messages that point at it: its cards.yaml record, or
    # for an automatic card the procedure or category it prints.
    record: Card | Entry | model.Category | None = None
    # What it prints (card_blocks), when worked out beforehand: once for every print run.
    blocks: tuple[Block, ...] | None = None


@dataclass
class FitReport:
    """What fitting did to one card, for the build log."""

    source: CardSource
    size: str
    pinyin: bool
    overflow: float  # fraction over the printable height at the normal size, or the paper's smallest if larger
    action: str = ""
    runs: list[tuple[str, bool]] = field(default_factory=list)  # the print runs (run, pinyin) laid out so

    @property
    def explicit(self) -> bool:
        """The layout the editor asked for (the card's own size and pinyin) does not fit."""
        return self.source.size == self.size and self.source.pinyin == self.pinyin

    def message(self) -> str:
        source = self.source
        runs = "、".join(f"“{run_title(run, pinyin_on)}”" for run, pinyin_on in self.runs)
        pinyin = "标注拼音" if self.pinyin else "不标注拼音"
        text = (
            f"{self._where()}卡片“{source.title}”（{source.id}）在打印方式{runs}里"
            f"内容超出 {self.overflow:.0%}（{self.size.upper()}，{pinyin}）：{self.action}"
        )
        return text + (self._hint() if isinstance(source.record, Card) else "")

    def _where(self) -> str:
        """The card in cards.yaml (its size, when that is what does not fit), or what an automatic card is made of."""
        record = self.source.record
        if record is None or record.origin is None:
            return ""
        if self.explicit and isinstance(record, Card) and record.size:
            line, column, path = model.position_of(record, "size")
            return f"{record.origin.file}:{line}:{column}: {path}: "
        return f"{record.origin}: {record.origin.path}: " if record.origin.path else f"{record.origin}: "

    def _hint(self) -> str:
        if self.size == "a6" and self.source.size == "a6":
            return "。要一张放下，请减少 entries / categories，或把 size 改成 a5（或删掉 size，自动选择纸张）"
        return "。要一张放下，请减少 entries / categories，或把它分成几张卡片"


# Punctuation Unicode calls ambiguous in width, which the card font sets a full em wide
# (measured in Chromium with Noto Sans CJK: “ 1 em, a ”“ pair 1.5).
FULL_WIDTH_PUNCTUATION = frozenset("“”‘’…—")
NUMBER_EM = 1.5  # a step's number before its first line (cards.css .hs-card__num)


# Punctuation whose glyph fills half its em: of two side by side the browser sets the second
# half an em wide (CSS text-spacing-trim; measured: “。”” and “”“” 1.5 em, “？”” 2).
TRIMMED_PUNCTUATION = frozenset("，。、；：（）“”‘’《》「」『』【】〔〕")


def _char_width(char: str, previous: str) -> float:
    if char in TRIMMED_PUNCTUATION and previous in TRIMMED_PUNCTUATION:
        return 0.5
    if char in FULL_WIDTH_PUNCTUATION or unicodedata.east_asian_width(char) in ("W", "F"):
        return 1.0
    return LATIN_EM


@functools.cache
def _width_units(text: str) -> float:
    """Width of `text` in ems: CJK and full-width characters 1, others about half."""
    return sum(map(_char_width, text, " " + text[:-1]))


def _ruby_width_units(text: str, reader: RubyReader) -> float:
    """Width of `text` with pinyin, in ems: a character's box is as wide as its syllable, plus the gap.

    Every hanzi is 1 em without pinyin: its box adds what its syllable needs beyond that.
    """
    return _width_units(text) + sum(map(_syllable_extra, filter(None, reader.readings(text))))


@functools.cache
def _syllable_extra(reading: str) -> float:
    """How much wider than the bare character (1 em) a character's box is with this syllable."""
    letters = unicodedata.normalize("NFD", reading)
    width = sum(RUBY_LETTER_EM.get(c, RUBY_OTHER_LETTER_EM) for c in letters if not unicodedata.combining(c))
    return max(RUBY_MIN_EM, RUBY_SCALE * width + RUBY_GAP_EM) - 1.0


def _text_width(text: str, reader: RubyReader | None) -> float:
    return _ruby_width_units(text, reader) if reader else _width_units(text)


# Where the browser does not break a line (CSS line-break for Chinese): before closing
# punctuation, after opening punctuation, and inside a run of Latin letters or digits.
NO_ROW_START = frozenset("，。、；：？！）》」』】〕”’…—·%,.;:?!)")
NO_ROW_END = frozenset("（《「『【〔“‘(")
_UNBROKEN = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")


@functools.lru_cache(maxsize=4096)  # a card's texts, met again at every size fitting tries
def _ruby_units(text: str, reader: RubyReader) -> tuple[array[float], bytes]:
    """A text with pinyin as the browser breaks it: the running width (ems) before each unit
    it may break between (a character's box, a character, a run of Latin letters or digits)
    and after the last, and whether a row may start at each unit."""
    prefix = array("d", [0.0])
    starts = bytearray()
    previous = ""
    for char, reading in reader.pairs(text):
        width = 1.0 + _syllable_extra(reading) if reading else _char_width(char, previous)
        if char in _UNBROKEN and previous in _UNBROKEN:
            prefix[-1] += width
        else:
            prefix.append(prefix[-1] + width)
            starts.append(char not in NO_ROW_START and previous not in NO_ROW_END)
        previous = char
    return prefix, bytes(starts)


def _ruby_rows(text: str, reader: RubyReader, room: float, lead: float) -> int:
    """Rows a text with pinyin takes, `room` ems wide, `lead` ems taken before its first row:
    each row as many units as fit, less any that may not start the next row."""
    prefix, starts = _ruby_units(text, reader)
    count = len(starts)
    rows, at, taken = 0, 0, lead
    while at < count or rows == 0:
        rows += 1
        end = bisect.bisect_right(prefix, prefix[at] + room - taken) - 1
        if end >= count:
            break
        end = max(end, at + 1)  # a unit wider than a row has one of its own
        back = end
        while back > at + 1 and not starts[back]:
            back -= 1
        at, taken = (back if starts[back] else end), 0.0
    return rows


def blocks_for(entry: Entry, library: Library) -> list[Block]:
    """What a card prints of an entry: the texts the model marks for cards, in reading order.

    One block per entry, or one per step for records in a list (numbered). Each line is
    printed by its role: words to say, guidance, forbidden wording ("✗ 不要说", wherever
    it is quoted) and what to say instead ("✓ 改说").
    """
    grouped: dict[int | None, list[Line]] = {}
    headings: dict[int | None, str] = {None: entry.title}
    for text in model.entry_texts(entry, library.by_id):
        if text.card is None or not text.text:
            continue
        line = Line(text.card.lstrip("+#").format(text.text), _line_kind(text))
        if text.card.startswith("#"):
            headings[text.step] = line.text
            continue
        lines = grouped.setdefault(text.step, [])
        if text.card.startswith("+") and lines:
            lines[0] = replace(lines[0], text=lines[0].text + line.text)
        else:
            lines.append(line)
    return [
        Block(_heading(headings.get(step, ""), lines), tuple(lines), entry.id, number=0 if step is None else step + 1)
        for step, lines in grouped.items()
    ]


def _heading(heading: str, lines: list[Line]) -> str:
    """A block's heading, unless it only repeats its lines: a phrase titled by its own words
    (您好 over 您好！) takes twice the room, and the title of forbidden wording (我不知道 over
    ✗ 不要说 我不知道。) would print it in bold, unmarked, above its own warning: a block that
    opens with forbidden wording needs no other heading."""
    bare = _bare(heading)
    if lines and lines[0].kind == "forbidden":
        return ""
    if bare and any(bare == _bare(line.text) for line in lines):
        return ""
    return heading


def _bare(text: str) -> str:
    """Text without punctuation, spaces and symbols: what a reader reads as the same words."""
    return "".join(c for c in text if unicodedata.category(c)[0] in "LN")


def card_blocks(entries: list[Entry], library: Library) -> tuple[Block, ...]:
    """Everything a card of these entries prints, in order."""
    return tuple(b for e in entries for b in blocks_for(e, library))


def source_blocks(source: CardSource, library: Library) -> tuple[Block, ...]:
    """What a card prints: worked out beforehand when its source carries it, else now."""
    return source.blocks if source.blocks is not None else card_blocks(source.entries, library)


def _line_kind(text: model.EntryText) -> str:
    if text.role is Role.FORBIDDEN:
        return "forbidden"
    if text.alternative:
        return "alternative"
    return "say" if text.role is Role.SAY else "guide"


def _block_height(block: Block, font_pt: float, width_mm: float, reader: RubyReader | None) -> float:
    em = font_pt * PT_TO_MM
    ems = width_mm / em
    per_line = _row_room(ems, reader)
    lines = sum(
        _rows(line, _row_room(ems / scale, reader), reader, NUMBER_EM if block.number and i == 0 else 0.0) * scale
        for i, (line, scale) in enumerate(_line_scales(block))
    )
    if block.heading and reader:
        lines += _ruby_rows(block.heading, reader, per_line, _width_units(OVERDUE_MARK))
    elif block.heading:
        lines += math.ceil((_width_units(block.heading) + _width_units(OVERDUE_MARK)) / per_line)
    boxed = sum(BOXED_LINE_EM for line in block.lines if line.kind == "forbidden")
    return lines * em * (RUBY_LINE_HEIGHT if reader else LINE_HEIGHT) + (BLOCK_GAP_EM + boxed) * em


def _line_scales(block: Block) -> Iterator[tuple[Line, float]]:
    """Each line and its font size relative to the card's (cards.css: guidance after words to say is smaller)."""
    said = False
    for line in block.lines:
        yield line, GUIDE_AFTER_SAY_SCALE if said and line.kind == "guide" else 1.0
        said = said or line.kind == "say"


def _row_room(ems: float, reader: RubyReader | None) -> float:
    """The ems a row holds: whole characters of plain text (each 1 em, so a row breaks
    before a fraction of one); with pinyin, boxes of varied widths fill it as they can."""
    return ems if reader else max(1, math.floor(ems))


def _rows(line: Line, per_line: float, reader: RubyReader | None, lead: float = 0.0) -> int:
    """How many rows a line takes, `per_line` ems wide (less its rule or box), `lead` ems
    (a step's number) before its first row."""
    room = max(1.0, per_line - LINE_INDENT_EM.get(line.kind, 0.0))
    texts = line.printed.split("\n")
    first = lead + (MARK_FRAME_EM if line.mark else 0.0)
    if reader:
        return sum(_ruby_rows(text, reader, room, first if i == 0 else 0.0) for i, text in enumerate(texts))
    return sum(math.ceil((_width_units(text) + (first if i == 0 else 0)) / room) or 1 for i, text in enumerate(texts))


def needed_height(title: str, blocks: tuple[Block, ...], size: str, font_pt: float, reader: RubyReader | None) -> float:
    """Height in mm a card's content takes; with a reader, printed with its pinyin."""
    width = PAPER[size][0] - 2 * MARGIN[size]
    em = font_pt * PT_TO_MM
    title_units = (_text_width(title, reader) + _width_units(OVERDUE_MARK)) * TITLE_SCALE
    title_rows = math.ceil(title_units / (width / em))
    title_mm = (title_rows * (RUBY_TITLE_LINE_HEIGHT if reader else LINE_HEIGHT) + TITLE_GAP_EM) * TITLE_SCALE * em
    return SAFETY * (title_mm + sum(_block_height(b, font_pt, width, reader) for b in blocks))


def estimated_height(card: PrintCard, reader: RubyReader) -> float:
    """Height in mm a laid-out card's content takes, by the estimate fitting used."""
    return needed_height(card.full_title, card.blocks, card.size, card.font_pt, reader if card.pinyin else None)


def sheet_height(size: str) -> float:
    """A card's height on its own sheet: the printable height, less a millimetre so that
    rounding to device pixels never pushes the card onto a second sheet."""
    return PAPER[size][1] - 2 * MARGIN[size] - SHEET_SLACK_MM


def available_height(size: str, footer_mm: float = FOOTER_MM) -> float:
    return sheet_height(size) - footer_mm


def share_of_card(entry: Entry, library: Library, size: str) -> float:
    """How much of a card's printable height one entry takes at NORMAL_PT."""
    width = PAPER[size][0] - 2 * MARGIN[size]
    height = sum(_block_height(b, NORMAL_PT, width, None) for b in blocks_for(entry, library))
    return SAFETY * height / available_height(size)


@dataclass(frozen=True)
class Paper:
    """What a print run lays a card out on: its size, pinyin or not, and the footer's room."""

    size: str
    reader: RubyReader | None  # pinyin readings when the run prints pinyin
    footer_mm: float = FOOTER_MM

    def fits(self, title: str, blocks: tuple[Block, ...], font_pt: float) -> bool:
        return needed_height(title, blocks, self.size, font_pt, self.reader) <= self.height

    def largest_font(self, title: str, blocks: tuple[Block, ...], steps: tuple[float, ...]) -> float | None:
        return next((font for font in steps if self.fits(title, blocks, font)), None)

    @property
    def height(self) -> float:
        return available_height(self.size, self.footer_mm)

    @property
    def min_pt(self) -> float:
        """The smallest type a card is printed in on this paper before it is split."""
        smallest = PINYIN_FONT_STEPS[-1] if self.reader else FONT_STEPS[-1]
        return max(MIN_PT[self.size], smallest)


def fit_card(
    source: CardSource,
    library: Library,
    size: str | None,
    reader: RubyReader | None,
    footer_mm: float = FOOTER_MM,
) -> tuple[list[PrintCard], FitReport | None]:
    """Lay one card out in the largest type its paper allows.

    The paper is the one asked for; without one, A6 when the card fits there in A6's
    smallest type (MIN_PT), else A5. The font is the largest of FONT_STEPS the card fits
    in, down to its paper's smallest. A card that does not fit even then is split into as
    few parts as fit, of even heights, all in one font (the largest every part fits in);
    only a part holding one phrase too long for a card of its own goes smaller. A card
    printed below NORMAL_PT, or split, is reported.

    Args:
        reader: Pinyin readings when the card is printed with pinyin, else None.
    """
    title, entries = source.title, source.entries
    blocks = source_blocks(source, library)
    papers = [Paper(s, reader, footer_mm) for s in ([size] if size else AUTO_PAPERS)]
    paper = next((p for p in papers if p.fits(title, blocks, p.min_pt)), papers[-1])
    all_steps = PINYIN_FONT_STEPS if reader else FONT_STEPS
    steps = tuple(f for f in all_steps if f >= paper.min_pt)
    base = PrintCard(source.id, title, paper.size, NORMAL_PT, blocks, tuple(entries), reader is not None)
    font = paper.largest_font(title, blocks, steps)
    if font is not None and font >= NORMAL_PT:
        return [replace(base, font_pt=font)], None
    overflow = needed_height(title, blocks, paper.size, max(NORMAL_PT, paper.min_pt), reader) / paper.height - 1
    report = FitReport(source, paper.size, reader is not None, overflow)
    if font is not None:
        report.action = f"已把字号从 {NORMAL_PT:g}pt 缩小到 {font:g}pt"
        return [replace(base, font_pt=font)], report
    parts = _split(title, blocks, paper, steps[-1])
    count = len(parts)
    report.action = f"已拆成 {count} 张（{'、'.join(f'{i}/{count}' for i in range(1, count + 1))}）"
    # One font for every part of a card, the largest all of them fit in; a part holding a phrase
    # too long for a card of its own at the paper's smallest type goes below it, alone.
    part_title = _part_title(title, count)
    oversize = {i for i, part in enumerate(parts) if not paper.fits(part_title, part, steps[-1])}
    font = next(
        (f for f in steps if all(paper.fits(part_title, part, f) for i, part in enumerate(parts) if i not in oversize)),
        steps[-1],
    )
    fonts = [
        (paper.largest_font(part_title, part, all_steps) or all_steps[-1]) if i in oversize else font
        for i, part in enumerate(parts)
    ]
    smallest = all_steps[-1]
    too_long = sorted(i for i in oversize if not paper.fits(part_title, parts[i], smallest))
    shrunk = sorted(oversize.difference(too_long))
    if shrunk:
        smaller = "、".join(f"{i + 1}/{count} 用 {fonts[i]:g}pt" for i in shrunk)
        report.action += f"；一条就放不下一整张（{paper.min_pt:g}pt）的缩小了字号：{smaller}"
    if too_long:
        named = "、".join(f"{i + 1}/{count}" for i in too_long)
        report.action += (
            f"；{named} 只有一条，按估算 {smallest:g}pt 也放不下，可能压到页脚（导出 PDF 时按实际排版再查一次）："
            "请把这条改短或分成几条"
        )
    by_id: dict[str, Entry] = {e.id: e for e in entries}
    cards = []
    first = 0
    for number, part_blocks in enumerate(parts, start=1):
        # In the blocks' order, once each: one pass over the part, not over every entry per part.
        part_entries = tuple(by_id[i] for i in dict.fromkeys(b.entry_id for b in part_blocks))
        cards.append(
            replace(
                base,
                font_pt=fonts[number - 1],
                blocks=part_blocks,
                entries=part_entries,
                part=number,
                parts=count,
                first_block=first,
            )
        )
        first += len(part_blocks)
    return cards, report


def _part_title(title: str, count: int) -> str:
    """The widest title a part of `count` prints (PrintCard.full_title)."""
    return f"{title}（{count}/{count}）"


def _split(title: str, blocks: tuple[Block, ...], paper: Paper, font_pt: float) -> list[tuple[Block, ...]]:
    """As few parts as hold the blocks at `font_pt`, as even in height as the blocks allow.

    The count is what filling parts one after another gives; the cuts are then put where
    the running height is nearest to an even share, or failing that (a block too big for
    a part of its own share), at the smallest height limit that still gives that count.
    A block too big even alone gets a part of its own. Each block is measured once and
    each attempt is one pass (or a binary search) over the blocks: large categories stay fast.
    """
    width = PAPER[paper.size][0] - 2 * MARGIN[paper.size]
    heights = [_block_height(b, font_pt, width, paper.reader) for b in blocks]
    prefix = list(itertools.accumulate(heights, initial=0.0))
    title_mm = needed_height(_part_title(title, 2), (), paper.size, font_pt, paper.reader) / SAFETY
    room = paper.height / SAFETY - title_mm
    count = len(_greedy_cuts(prefix, room)) - 1
    for _ in range(2):  # the title of 10 or more parts is wider: once more with its room
        room = (
            paper.height / SAFETY
            - needed_height(_part_title(title, count), (), paper.size, font_pt, paper.reader) / SAFETY
        )
        count = len(_greedy_cuts(prefix, room)) - 1
    cuts = _even_cuts(prefix, count, room) or _tightest_cuts(prefix, count, room)
    return [blocks[a:b] for a, b in itertools.pairwise(cuts)]


def _greedy_cuts(prefix: list[float], limit: float) -> list[int]:
    """Part boundaries (indices into the blocks, first 0, last their number) filling each part up to `limit`."""
    cuts = [0]
    for end in range(1, len(prefix)):
        if end - 1 > cuts[-1] and prefix[end] - prefix[cuts[-1]] > limit:
            cuts.append(end - 1)
    return [*cuts, len(prefix) - 1]


def _even_cuts(prefix: list[float], count: int, limit: float) -> list[int] | None:
    """Each cut at the block boundary nearest an even share of the height; None when a part would not fit."""
    total, cuts = prefix[-1], [0]
    for k in range(1, count):
        ideal = total * k / count
        at = bisect.bisect_left(prefix, ideal)
        if at == len(prefix) or (at > 0 and ideal - prefix[at - 1] < prefix[at] - ideal):
            at -= 1
        cuts.append(max(at, cuts[-1] + 1))
    cuts.append(len(prefix) - 1)
    pairs = list(itertools.pairwise(cuts))
    return cuts if all(a < b and prefix[b] - prefix[a] <= limit for a, b in pairs) else None


def _tightest_cuts(prefix: list[float], count: int, limit: float) -> list[int]:
    """Greedy parts under the smallest height limit that still needs no more than `count` parts."""
    low, high = 0.0, max(limit, *(b - a for a, b in itertools.pairwise(prefix)))
    while high - low > 0.05:  # mm
        middle = (low + high) / 2
        low, high = (low, middle) if len(_greedy_cuts(prefix, middle)) - 1 <= count else (middle, high)
    return _greedy_cuts(prefix, high)


# Entry kinds printed together, one card per category; a procedure gets a card of its own.
CATEGORY_CARD_KINDS = frozenset({"phrase", "faq"})


def card_sources(library: Library) -> list[CardSource]:
    """Every card: automatic ones first (each procedure, then each category's phrases and
    FAQs), then cards.yaml by order."""
    sources = [
        CardSource(model.PROCEDURE_CARD_PREFIX + entry.id, entry.title, [entry], record=entry)
        for entry in library.entries
        if isinstance(entry, model.Procedure)
    ]
    for category in library.categories:
        entries = [e for e in library.entries_in(category.id) if e.kind in CATEGORY_CARD_KINDS]
        if entries:
            sources.append(CardSource(model.AUTO_CARD_PREFIX + category.id, category.title, entries, record=category))
    ordered = sorted(enumerate(library.cards), key=lambda item: (item[1].order is None, item[1].order or 0, item[0]))
    for _, card in ordered:
        sources.append(CardSource(card.id, card.title, _card_entries(card, library), card.size, card.pinyin, card))
    return sources


def _card_entries(card: Card, library: Library) -> list[Entry]:
    chosen: dict[str, Entry] = {i: library.by_id[i] for i in card.entries}
    for category_id in card.categories:
        for entry in library.entries_in(category_id):
            chosen.setdefault(entry.id, entry)  # by id: comparing entries whole is slow and quadratic
    return list(chosen.values())


FitMemo = dict[tuple[str, str | None, bool], tuple[list[PrintCard], FitReport | None]]


def build_cards(
    library: Library,
    run: str = "auto",
    pinyin_on: bool = False,
    memo: FitMemo | None = None,
    footer_mm: float = FOOTER_MM,
    sources: list[CardSource] | None = None,
) -> tuple[list[PrintCard], list[FitReport]]:
    """All cards laid out for one print run.

    Args:
        run: "auto" (each card's own size, or the smallest that holds it), "a6",
            "a5", or "a4-4up" (A6 cards, four to an A4 sheet).
        pinyin_on: pinyin above every card's characters, not only those asking for it.
        memo: Layouts already worked out by other runs (the A6 run and A4 four-up lay
            every card out the same), shared across calls; a report shared so lists
            every run it concerns.
        footer_mm: The footer's room (more with a QR code).
        sources: The cards (card_sources), when several runs lay them out: each with its blocks.
    """
    memo = {} if memo is None else memo
    reader = pinyin_reader(library)
    cards: list[PrintCard] = []
    reports: list[FitReport] = []
    for source in card_sources(library) if sources is None else sources:
        size = {"a6": "a6", "a5": "a5", "a4-4up": "a6"}.get(run, source.size)
        key = (source.id, size, pinyin_on or source.pinyin)
        if key not in memo:
            memo[key] = fit_card(source, library, size, reader if key[2] else None, footer_mm)
        laid_out, report = memo[key]
        cards += laid_out
        if report:
            report.runs.append((run, pinyin_on))
            reports.append(report)
    return cards, reports


def pinyin_reader(library: Library) -> RubyReader:
    """Readings for the library's cards: the built-in corrections and the editors' pinyin.yaml."""
    return ruby.reader_for(tuple((w.word, w.pinyin) for w in library.pinyin_words))


# --- the cards pages ----------------------------------------------------------------


def _mm(value: float) -> str:
    return f"{value:g}mm" if value else "0"


# Sheets of the mixed-size "auto" run name their paper's page (cards.css: `page: hs-a5`).
NAMED_PAGES = ("a6", "a5")


def _page_rule(size: str, name: str = "") -> str:
    width, height = PAPER[size]
    return f"@page {name + ' ' if name else ''}{{ size: {width:g}mm {height:g}mm; margin: {_mm(MARGIN[size])}; }}"


def _sheet_card_rule(size: str) -> str:
    """A card printed alone on its sheet fills the page's printable area, and no more."""
    width, height = PAPER[size]
    return f".hs-sheet--{size} .hs-card {{ width: {width - 2 * MARGIN[size]:g}mm; height: {sheet_height(size):g}mm; }}"


def page_rules(default_size: str) -> Markup:
    """The print rules of a cards page: its first sheet's paper, a named page per paper, and
    each card's box on its sheet.

    All in the page itself, from PAPER and MARGIN: Chromium ignores the size of a named page
    declared in a linked stylesheet once the page has an unnamed rule with a size (every sheet
    of the auto run then came out A6, A5 cards running over three sheets). The card's width is
    given, not left to the page: a layout measured on screen with print media (the tests)
    has the window's width.
    """
    named = " ".join(_page_rule(size, f"hs-{size}") for size in NAMED_PAGES)
    cards = " ".join(_sheet_card_rule(size) for size in NAMED_PAGES)
    return Markup(f"{_page_rule(default_size)} {named} @media print {{ {cards} }}")


@dataclass(frozen=True)
class CardPrinting:
    """What one build prints on every card's footer: the date, the site's address, a QR code or not."""

    today: datetime.date
    site_url: str = ""
    qr: bool = False  # a QR code of each card's page (needs site_url)

    @property
    def footer_mm(self) -> float:
        return QR_MM if self.qr else FOOTER_MM


@dataclass(frozen=True)
class Footer:
    """One card's footer line, and its marks for entries overdue for review."""

    printed: str  # the print date, YYYY-MM-DD
    reviewed: str  # the oldest review date of the card's entries
    overdue: frozenset[str]  # ids of the card's entries overdue for review
    title_overdue: bool  # an overdue entry has no heading of its own on the card: mark the title
    url: str  # the card's page online, in full; "" without site_url
    qr: Markup  # an inline SVG QR code of the url, or ""


def card_url(card: PrintCard, library: Library, site_url: str) -> str:
    """The card's page online in full: its entry (anchored) or its category; "" without site_url."""
    if not site_url or not card.entries:
        return ""
    first = card.entries[0]
    page = urls.entry_page(first, library)
    one_page = all(urls.entry_page(e, library) == page for e in card.entries)
    anchor = f"#{first.id}" if len(card.entries) == 1 or not one_page else ""
    return f"{site_url.rstrip('/')}/{urls.site_path(page)}{anchor}"


def card_footer(card: PrintCard, library: Library, printing: CardPrinting) -> Footer:
    overdue = frozenset(e.id for e in card.entries if review.review_status(e, printing.today).overdue)
    headed = {b.entry_id for b in card.blocks if b.heading}
    url = card_url(card, library, printing.site_url)
    return Footer(
        printed=printing.today.isoformat(),
        reviewed=card.reviewed,
        overdue=overdue,
        title_overdue=bool(overdue - headed),
        url=url,
        qr=qr_svg(url) if printing.qr and url else Markup(""),
    )


def qr_svg(url: str) -> Markup:
    """A QR code as inline SVG (no image file, nothing fetched); error level raised where it costs no size."""
    import segno  # only builds that print QR codes pay for the import

    svg = segno.make(url, error="l", micro=False).svg_inline(border=2, omitsize=True, svgclass="hs-card__qr")
    return Markup(svg)


# The files every print run's page reads (cards.js lays the cards out from them), beside the pages.
CARD_DATA = "cards/data/cards.js"
PINYIN_DATA = "cards/data/pinyin.js"
LINE_KINDS = ("say", "guide", "forbidden", "alternative")


class SharedCards:
    """What every print run prints, each text, block and card once: the cards pages hold only
    their layout (which card, on what paper, in what size) and cards.js builds the cards.

    Eight print runs printed the same cards again and again: at 10,000 entries 128 MB of a
    158 MB site. Shared, each text is written once, and its pinyin once beside it.
    """

    def __init__(self, library: Library, printing: CardPrinting):
        self.library = library
        self.printing = printing
        self.texts: dict[str, int] = {}
        self.blocks: list[list[object]] = []
        self.cards: list[list[object]] = []
        self.qrs: dict[str, str] = {}
        self._source_blocks: dict[str, int] = {}  # a card's first block in `blocks`, by card id
        self._card_at: dict[tuple[str, int, int, int], int] = {}
        self._overdue = frozenset(e.id for e in library.entries if review.review_status(e, printing.today).overdue)

    def text(self, text: str) -> int:
        return self.texts.setdefault(text, len(self.texts))

    def add_source(self, source: CardSource) -> None:
        """A card's blocks, once, however many runs and parts print them."""
        if source.id in self._source_blocks:
            return
        self._source_blocks[source.id] = len(self.blocks)
        for block in source_blocks(source, self.library):
            record: list[object] = [
                self.text(block.heading) if block.heading else -1,
                block.number,
                int(block.entry_id in self._overdue),
            ]
            for line in block.lines:
                record += [LINE_KINDS.index(line.kind), self.text(line.text)]
            self.blocks.append(record)

    def card(self, card: PrintCard) -> int:
        """The index of a laid-out card (or part of one) in `cards`, added when new."""
        key = (card.id, card.first_block, len(card.blocks), card.parts)
        if key not in self._card_at:
            start = self._source_blocks[card.id] + card.first_block
            footer = card_footer(card, self.library, self.printing)
            if footer.qr:
                self.qrs.setdefault(footer.url, str(footer.qr))
            self._card_at[key] = len(self.cards)
            self.cards.append(
                [
                    card.id,
                    self.text(card.title),
                    card.part,
                    card.parts,
                    start,
                    start + len(card.blocks),
                    footer.reviewed,
                    len(footer.overdue),
                    int(footer.title_overdue),
                    footer.url,
                ]
            )
        return self._card_at[key]

    def files(self, reader: RubyReader) -> dict[str, str]:
        """The two shared files: the cards, and the pinyin of each of their texts."""
        data = {
            "printed": self.printing.today.isoformat(),
            "marks": {**LINE_MARKS, "overdue": OVERDUE_MARK},
            # cards.js keeps these with their neighbour, as the fit estimate assumes (_ruby_rows)
            "no_row_start": "".join(sorted(NO_ROW_START)),
            "no_row_end": "".join(sorted(NO_ROW_END)),
            "kinds": LINE_KINDS,
            "texts": list(self.texts),
            "blocks": self.blocks,
            "cards": self.cards,
            "qrs": self.qrs,
        }
        # One string per text, a syllable or nothing for each of its characters, space-separated.
        pinyin = [" ".join(reader.readings(text)) for text in self.texts]
        return {
            CARD_DATA: f"window.huashuCardData={_json(data)};\n",
            PINYIN_DATA: f"window.huashuCardPinyin={_json(pinyin)};\n",
        }


def _json(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _data_script(page_uri: str, data_file: str) -> str:
    """A shared data file's <script>, by its URL relative to the cards page (works from file:// too)."""
    page_folder = posixpath.dirname(urls.site_path(page_uri).rstrip("/") + "/x")
    return f'<script src="{posixpath.relpath(data_file, page_folder)}"></script>'


def card_pages(
    renderer: pages.PageRenderer, printing: CardPrinting | None = None
) -> tuple[dict[str, str], dict[str, list[str | list[str]]], dict[str, str], list[FitReport]]:
    """Every print run's cards page: its Markdown (with a slot), the HTML for the slot, the
    shared data files (by site path) and what fitting had to do in any run (each report
    naming its runs).

    A page's slot holds its print rules and its layout: each card by number, its paper,
    type size and pinyin. The cards themselves are in the shared files, each once
    (SharedCards), and cards.js builds them in the page. Each card is laid out once,
    however many runs print it the same way."""
    printing = printing or CardPrinting(review.today())
    library = renderer.library
    markdown: dict[str, str] = {}
    html: dict[str, list[str | list[str]]] = {}
    reports: dict[int, FitReport] = {}  # by identity: runs that lay a card out alike share one report
    fits: FitMemo = {}
    shared = SharedCards(library, printing)
    sources = [replace(source, blocks=card_blocks(source.entries, library)) for source in card_sources(library)]
    for source in sources:
        shared.add_source(source)
    for run in PRINT_RUNS:
        for pinyin_on in (False, True):
            cards, fit = build_cards(library, run, pinyin_on, fits, printing.footer_mm, sources)
            reports.update((id(report), report) for report in fit)
            per_sheet = 4 if run == "a4-4up" else 1
            uri = urls.card_page(run, pinyin_on)
            markdown[uri] = renderer.render(
                "cards.md.jinja",
                uri,
                run=run,
                pinyin_run=pinyin_on,
                cards=cards,
                sheet_count=math.ceil(len(cards) / per_sheet),
                papers=sorted(Counter(c.size for c in cards).items(), key=lambda item: AUTO_PAPERS.index(item[0])),
                variants=PRINT_VARIANTS,
                variant_page=urls.card_page,
            )
            layout = {
                "per_sheet": per_sheet,
                "cards": [[shared.card(c), c.size, c.font_pt, int(c.pinyin)] for c in cards],
            }
            page_rule = page_rules(run if run != "auto" else (cards[0].size if cards else "a6"))
            scripts = [_data_script(uri, CARD_DATA)]
            if any(c.pinyin for c in cards):
                scripts.append(_data_script(uri, PINYIN_DATA))
            html[uri] = [
                f"<style>{page_rule}</style>"
                # Print copies of the handbook's content: kept out of site-search tools such as Pagefind.
                f'<div class="hs-cards hs-cards--{run}" data-run="{run}" data-pagefind-ignore="all">'
                "<noscript><p>卡片由浏览器排好版再打印：请启用 JavaScript 后刷新本页。</p></noscript></div>"
                f'<script type="application/json" class="hs-cards-layout">{_json(layout)}</script>' + "".join(scripts)
            ]
    return markdown, html, shared.files(pinyin_reader(library)), list(reports.values())

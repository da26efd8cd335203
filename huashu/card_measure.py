"""Cards as Chromium lays them out for print: how much of each card its text takes.

cards.py estimates whether a card fits from character widths; this reads the real
layout of a cards page (print media emulated), so the estimate can be checked
against it (tests/test_cards.py, bench/cards_fit_bench.py) and an export can say
when a printed card's text would run into its footer.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from playwright.sync_api import Page

MM_PER_PX = 25.4 / 96
# Less than this over is rounding of the layout, not text in the footer.
OVERFLOW_TOLERANCE_MM = 0.2

# Per card: the text's height from the title's top to the last block's bottom (margins
# aside), and the room from the title's top to the footer's top (the footer sits at the
# card's bottom edge, so text past the card is past the footer too); in CSS px.
MEASURE_CARDS = """() => Array.from(document.querySelectorAll('.hs-card')).map(card => {
  const top = card.querySelector('.hs-card__title').getBoundingClientRect().top;
  const blocks = card.querySelectorAll('.hs-card__block');
  const bottom = (blocks.length ? blocks[blocks.length - 1] : card.querySelector('.hs-card__title'))
    .getBoundingClientRect().bottom;
  const footer = card.querySelector('.hs-card__source').getBoundingClientRect().top;
  const title = card.querySelector('.hs-card__title').cloneNode(true);
  title.querySelectorAll('rt, .hs-card__overdue').forEach(e => e.remove());
  return {id: card.id, title: title.textContent, used: bottom - top, room: footer - top,
          font: parseFloat(card.style.fontSize)};
})"""


@dataclass(frozen=True)
class MeasuredCard:
    """One printed card's layout, in mm."""

    id: str  # the element's id: "card-<card id>", "-<part>" for a part
    title: str  # as printed, "（1/2）" and all
    used: float  # the text, from the title's top to the last line's bottom
    room: float  # from the title's top to the footer's top
    font_pt: float

    @property
    def fill(self) -> float:
        return self.used / self.room

    @property
    def overflows(self) -> bool:
        return self.used > self.room + OVERFLOW_TOLERANCE_MM


def measure_cards(page: Page) -> list[MeasuredCard]:
    """Every card on a loaded cards page, laid out for print (the page is left in print media)."""
    page.emulate_media(media="print")
    return [
        MeasuredCard(
            m["id"],
            m["title"],
            m["used"] * MM_PER_PX,
            m["room"] * MM_PER_PX,
            m["font"],
        )
        for m in page.evaluate(MEASURE_CARDS)
    ]


def overflow_message(card: MeasuredCard, run: str) -> str:
    """What an export says of a card whose printed text runs into its footer."""
    return (
        f"卡片“{card.title}”（{card.id.removeprefix('card-')}）在打印方式“{run}”里实际排版超出 "
        f"{card.used - card.room:.1f} mm，最后几行会压到页脚：请精简这张卡片的内容，"
        "或把它分成几张卡片（cards.yaml），并把这条提示报告给维护 huashu 的同事"
    )

"""Cards as printed: sheets per print run, and the fit estimate against Chromium's layout.

Builds the bundled handbook, opens every print run's cards page in Chromium with
print media, measures each card (huashu.card_measure) and prints the run to PDF.
Per run: cards promised ("打印全部 N 张"), sheets printed, cards whose text runs into
the footer, mean fill, cards under 60 % full, smallest and largest font, and how far
cards.py's estimate is from the measured height (estimate / measured - 1).

    python bench/cards_fit_bench.py        # the table
    python bench/cards_fit_bench.py -v     # and every card
"""

from __future__ import annotations

import argparse
import io
import statistics
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "tests"))

from browser import chromium, serve  # noqa: E402
from pypdf import PdfReader  # noqa: E402

from huashu import cards, load_library, urls  # noqa: E402
from huashu.card_measure import measure_cards  # noqa: E402
from huashu.pdf import build_site  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-v", "--verbose", action="store_true")
    args = parser.parse_args()
    library = load_library(REPO / "scripts_library", base=REPO)
    reader = cards.pinyin_reader(library)
    print(f"{'run':<16}{'cards':>6}{'sheets':>7}{'over':>5}{'fill':>6}{'<60%':>5}{'font':>10}{'est-err':>16}")
    with tempfile.TemporaryDirectory() as work:
        site = Path(work) / "site"
        build_site(REPO / "mkdocs.yml", site)
        with serve(site) as url, chromium() as browser:
            for run in cards.PRINT_RUNS:
                for pinyin_on in (False, True):
                    page = browser.new_page()
                    page.goto(url + urls.site_path(urls.card_page(run, pinyin_on)))
                    measured = measure_cards(page)
                    sheets = len(PdfReader(io.BytesIO(page.pdf(prefer_css_page_size=True))).pages)
                    page.close()
                    laid_out, _ = cards.build_cards(library, run, pinyin_on)
                    errors = [
                        cards.estimated_height(card, reader) / m.used - 1
                        for card, m in zip(laid_out, measured, strict=True)
                    ]
                    fills = [m.fill for m in measured]
                    fonts = [m.font_pt for m in measured]
                    print(
                        f"{cards.run_title(run, pinyin_on):<16}{len(measured):>6}{sheets:>7}"
                        f"{sum(m.overflows for m in measured):>5}{statistics.mean(fills):>6.2f}"
                        f"{sum(f < 0.6 for f in fills):>5}{min(fonts):>5g}-{max(fonts):<4g}"
                        f"{min(errors):>+8.0%}..{max(errors):<+6.0%}"
                    )
                    if args.verbose:
                        for m, error in zip(measured, errors, strict=True):
                            print(f"    {m.id:<44}{m.font_pt:>5g}pt fill {m.fill:4.0%} estimate {error:+.0%}")


if __name__ == "__main__":
    main()

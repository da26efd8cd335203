"""Card layout time for one huge category: the trap of issue 15.16.

A single phrase category with N entries becomes one automatic card that is split
into parts. Splitting once matched every part against every entry (quadratic: 30,000
entries took 238 s, 100,000 were killed after 900 s); it must grow linearly.

    python bench/cards_layout_bench.py                 # 3,000, 30,000 and 100,000 entries
    python bench/cards_layout_bench.py --sizes 30000
"""

from __future__ import annotations

import argparse
import datetime
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from huashu import model  # noqa: E402
from huashu.cards import build_cards  # noqa: E402


def one_category(count: int) -> model.Library:
    category = model.Category(id="big", title="大分类", section="phrases")
    entries: list[model.Entry] = [
        model.Phrase(
            id=f"p{i}",
            kind="phrase",
            title=f"标题{i}",
            category="big",
            owner="培训组",
            reviewed=datetime.date(2026, 1, 1),
            text=f"您好，这是第{i}条普通的话术，请您稍等一下，我马上为您查询。",
        )
        for i in range(count)
    ]
    return model.Library(categories=[category], entries=entries, cards=[])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[3000, 30000, 100000])
    args = parser.parse_args()
    print(f"{'entries':>8} {'cards':>6} {'seconds':>8} {'µs/entry':>9}")
    for count in args.sizes:
        library = one_category(count)
        start = time.perf_counter()
        cards, _ = build_cards(library)
        elapsed = time.perf_counter() - start
        print(f"{count:>8} {len(cards):>6} {elapsed:>8.1f} {elapsed / count * 1e6:>9.0f}")


if __name__ == "__main__":
    main()

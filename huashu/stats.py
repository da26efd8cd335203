"""`huashu stats`: how big the library is, who owns what, and how much is due for review."""

from __future__ import annotations

import datetime
from collections import Counter
from typing import Any

from huashu import review
from huashu.model import KIND_TITLES, Library


def library_stats(library: Library, today: datetime.date) -> dict[str, Any]:
    """Counts by kind, category and owner, with review status; plain data for text or JSON."""
    statuses = [review.review_status(e, today) for e in library.entries]
    state_counts = Counter(s.state for s in statuses)
    owners: dict[str, Counter[str]] = {}
    for status in statuses:
        owners.setdefault(status.entry.owner, Counter())[status.state] += 1
    return {
        "date": today.isoformat(),
        "entries": len(library.entries),
        "by_kind": dict(library.count_by_kind()),
        "by_category": [
            {"id": c.id, "title": c.title, "entries": len(library.entries_in(c.id))} for c in library.categories
        ],
        "by_owner": [
            {"owner": owner, "entries": sum(counts.values()), **{s: counts[s] for s in review.STATE_TITLES}}
            for owner, counts in sorted(owners.items(), key=lambda item: (-sum(item[1].values()), item[0]))
        ],
        "review": {state: state_counts[state] for state in review.STATE_TITLES},
    }


def _table(rows: list[list[str]]) -> list[str]:
    """Columns aligned by display width: a CJK character takes two cells in a terminal."""

    def width(text: str) -> int:
        return sum(2 if ord(c) > 0x2E7F else 1 for c in text)

    widths = [max(width(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = []
    for row in rows:
        cells = [
            cell + " " * (widths[i] - width(cell)) if i == 0 else " " * (widths[i] - width(cell)) + cell
            for i, cell in enumerate(row)
        ]
        lines.append("  " + "  ".join(cells).rstrip())
    return lines


def format_stats(stats: dict[str, Any]) -> str:
    kinds = "，".join(f"{KIND_TITLES[k]} {n}" for k, n in stats["by_kind"].items())
    review_titles = review.STATE_TITLES
    lines = [f"话术库统计（{stats['date']}）：共 {stats['entries']} 条（{kinds}）", "", "按分类："]
    lines += _table([[f"{c['title']}（{c['id']}）", str(c["entries"])] for c in stats["by_category"]])
    lines += ["", "按负责人："]
    header = ["负责人", "条目", *review_titles.values()]
    lines += _table(
        [header] + [[o["owner"], str(o["entries"]), *(str(o[s]) for s in review_titles)] for o in stats["by_owner"]]
    )
    lines += ["", "复核状态：" + "，".join(f"{title} {stats['review'][s]}" for s, title in review_titles.items())]
    return "\n".join(lines)

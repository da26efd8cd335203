"""Review dates: when an entry is due for review, and what "today" is for a build.

Every entry says when it was last reviewed (`reviewed`) and how long a review
holds (`review_in`, default twelve months). Lint, `huashu stats` and the site's
"待复核" page all read the due date from here.
"""

from __future__ import annotations

import calendar
import datetime
import os
import re
from dataclasses import dataclass

from huashu import model
from huashu.model import Entry

_PERIOD_RE = re.compile(model.REVIEW_PERIOD_PATTERN, re.IGNORECASE)
_UNIT_DAYS = {"天": 1, "日": 1, "day": 1, "周": 7, "星期": 7, "week": 7}
_UNIT_MONTHS = {"个月": 1, "月": 1, "month": 1, "年": 12, "year": 12}
# Entries due within this many days are listed as "soon" on the review page and in stats.
SOON_DAYS = 30


def parse_period(text: str) -> tuple[int, int] | None:
    """A review period as (months, days), or None when it is not one we understand."""
    match = _PERIOD_RE.match(text)
    if not match:
        return None
    count, unit = int(match.group(1)), match.group(2).lower().rstrip("s")
    if count == 0:
        return None
    if unit in _UNIT_MONTHS:
        return count * _UNIT_MONTHS[unit], 0
    return 0, count * _UNIT_DAYS[unit]


def add_period(start: datetime.date, period: tuple[int, int]) -> datetime.date:
    """`start` plus months (clamped to the month's last day: 08-31 + 1 month = 09-30) plus days."""
    months, days = period
    month_index = start.month - 1 + months
    year, month = start.year + month_index // 12, month_index % 12 + 1
    day = min(start.day, calendar.monthrange(year, month)[1])
    return datetime.date(year, month, day) + datetime.timedelta(days=days)


def due_date(entry: Entry) -> datetime.date:
    period = parse_period(entry.review_in) or parse_period(model.DEFAULT_REVIEW_PERIOD)
    assert period is not None  # validation refuses periods parse_period cannot read
    return add_period(entry.reviewed, period)


def today() -> datetime.date:
    """The build's date: from SOURCE_DATE_EPOCH when set, so a build can be reproduced."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return datetime.datetime.fromtimestamp(int(epoch), tz=datetime.UTC).date()
    return datetime.date.today()


@dataclass(frozen=True)
class ReviewStatus:
    entry: Entry
    due: datetime.date
    days_left: int  # negative when overdue

    @property
    def overdue(self) -> bool:
        return self.days_left < 0

    @property
    def soon(self) -> bool:
        return 0 <= self.days_left <= SOON_DAYS

    @property
    def state(self) -> str:
        return "overdue" if self.overdue else "soon" if self.soon else "ok"


STATE_TITLES = {"overdue": "已过复核日期", "soon": f"{SOON_DAYS} 天内到期", "ok": "未到期"}


def review_status(entry: Entry, on: datetime.date) -> ReviewStatus:
    due = due_date(entry)
    return ReviewStatus(entry, due, (due - on).days)


def by_owner(statuses: list[ReviewStatus]) -> dict[str, list[ReviewStatus]]:
    """Statuses grouped by owner (owners sorted), most overdue first within each owner."""
    groups: dict[str, list[ReviewStatus]] = {}
    for status in sorted(statuses, key=lambda s: (s.days_left, s.entry.id)):
        groups.setdefault(status.entry.owner, []).append(status)
    return dict(sorted(groups.items()))

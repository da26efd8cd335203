"""Spreadsheet columns: the model's fields as a phrase sheet's columns, for import and export.

The columns come from the model's field declarations (which fields an entry kind
has, which are lists, multi-line or forbidden wording); this module adds only what a
sheet needs besides: a short head where the model's title is a sentence, and the
other words teams' sheets use for a column. Export writes a cell with `cell_text`;
import reads one back with `Column.canonical`, so a sheet exported from a library
compares equal to it, cell by cell.
"""

from __future__ import annotations

import dataclasses
import datetime
import re
import typing
from dataclasses import dataclass
from typing import Any

from huashu import model, review
from huashu.model import Entry, Library, Role

# A column head where the model's title is longer than a head (the title is accepted too).
HEADERS = {
    "id": "id",
    "kind": "类型",
    "category": "分类",
    "text": "话术",
    "channels": "渠道",
    "instead": "替代说法",
    "question": "问题",
    "reply": "答复",
    "aliases": "别名",
    "owner": "负责人",
    "reviewed": "复核日期",
}
# Other heads teams' sheets use (Zammad and Chatwoot exports, Excel phrase lists).
ALIASES = {
    "text": ("内容", "回复", "话术内容", "标准话术", "content"),
    "when": ("场景", "适用场景"),
    "title": ("名称", "主题", "name"),
    "category": ("分类名称", "类别"),
    "tags": ("关键词",),
    "channels": ("channel",),
    "owner": ("负责组",),
    "reviewed": ("复核时间",),
}
# Forbidden wording (a phrase with `avoid: true`) has a column of its own, never the 话术 column.
FORBIDDEN_HEADER = "忌语"
FORBIDDEN_ALIASES = ("服务忌语", "禁用语")
# Columns export computes from the review date and period (import reads neither).
DUE_HEADER = "到期日期"
STATUS_HEADER = "状态"
COMPUTED_HEADERS = (DUE_HEADER, STATUS_HEADER)
# Fields that are not texts but belong in a sheet managers review (other metadata, such as
# placeholders, references and lint settings, stays in the YAML).
SHEET_METADATA = ("id", "kind", "category", "owner", "reviewed", "review_in", "channels", "steps")
# Separators of short lists (tags, channels, aliases) written on one line in a cell.
_ITEM_SEPARATORS = re.compile(r"[\n、,，;；]")
_CLOSING_MARKS = "。．.；;，, "
_STEP_NUMBER = re.compile(r"^\s*(\d+)\s*[.．、)）]\s*")


@dataclass(frozen=True)
class Column:
    """One column of a phrase sheet: a field of some entry kinds (or the computed due date)."""

    header: str
    field: str  # "" for a computed column (the due date, the review status)
    kinds: tuple[str, ...]
    is_list: bool = False
    short_list: bool = False  # items on one line, split at 、 and commas (tags, channels)
    multiline: bool = False
    forbidden: bool = False  # holds a forbidden phrase's wording
    is_date: bool = False
    names: tuple[str, ...] = ()  # every head that means this column on import

    def applies_to(self, kind: str) -> bool:
        return kind in self.kinds

    def canonical(self, value: str, library: Library) -> str:
        """A cell's text as comparable with another's: list items one per line, choices by id."""
        if self.field == "category":
            return next((c.id for c in library.categories if value in (c.id, c.title)), value)
        if self.field == "kind":
            return kind_of(value) or value
        if self.is_list:
            items = [item.strip() for item in (_ITEM_SEPARATORS if self.short_list else re.compile("\n")).split(value)]
            if self.field == "channels":
                items = [channel_of(item) or item for item in items]
            return "\n".join(item for item in items if item)
        if self.is_date:
            parsed = parse_date(value)
            return parsed.isoformat() if parsed else value
        return value


def kind_of(value: str) -> str | None:
    """An entry kind from its id or Chinese title (phrase / 话术)."""
    return _choice(value, model.KIND_TITLES)


def channel_of(value: str) -> str | None:
    return _choice(value, model.CHANNEL_TITLES)


def _choice(value: str, titles: dict[str, str]) -> str | None:
    lowered = value.strip().lower()
    return next((key for key, title in titles.items() if lowered in (key, title)), None)


def parse_date(value: str) -> datetime.date | None:
    """A date as sheets write it: 2026-10-01, 2026/10/1, 2026.10.01, 2026年10月1日."""
    match = re.fullmatch(
        r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:\s+00:00(?::00)?)?", value.strip()
    )
    if not match:
        return None
    try:
        return datetime.date(*(int(part) for part in match.groups()))
    except ValueError:
        return None


def _model_title(f: dataclasses.Field) -> str:
    """The model's title up to its first explanation: 使用场景, 其他说法, 处理办法."""
    return re.split(r"[（(：:，,]", f.metadata["title"], maxsplit=1)[0].strip()


def _sheet_fields() -> dict[str, tuple[dataclasses.Field, Any, tuple[str, ...]]]:
    """Every field a sheet has, in sheet order, with its type and the kinds that have it."""
    shared = [f.name for f in model.editor_fields(Entry)]
    leading = ["id", "kind", "category", "title"]
    order = list(leading)
    for cls in model.ENTRY_CLASSES.values():
        order += [f.name for f in model.editor_fields(cls) if f.name not in shared and f.name not in order]
    order += [name for name in shared if name not in order]
    found: dict[str, tuple[dataclasses.Field, Any, tuple[str, ...]]] = {}
    for name in order:
        kinds = tuple(k for k, cls in model.ENTRY_CLASSES.items() if name in {f.name for f in model.editor_fields(cls)})
        cls = model.ENTRY_CLASSES[kinds[0]]
        f = next(f for f in model.editor_fields(cls) if f.name == name)
        if f.metadata["role"] is not Role.META or name in SHEET_METADATA:
            found[name] = (f, typing.get_type_hints(cls)[name], kinds)
    return found


def _columns() -> tuple[Column, ...]:
    columns: list[Column] = []
    for name, (f, hint, kinds) in _sheet_fields().items():
        is_list = typing.get_origin(hint) is list and name != "steps"
        item = typing.get_args(hint)[0] if is_list else hint
        base = Column(
            header=HEADERS.get(name, _model_title(f)),
            field=name,
            kinds=kinds,
            is_list=is_list,
            short_list=is_list and f.metadata["role"] in (Role.HIDDEN, Role.META),
            multiline=bool(f.metadata["multiline"]) or name == "steps",
            is_date=item is datetime.date,
        )
        columns.append(dataclasses.replace(base, names=(base.header, name, _model_title(f), *ALIASES.get(name, ()))))
        if f.metadata["avoid_role"] is Role.FORBIDDEN:
            head = (
                FORBIDDEN_HEADER if name == model.main_text_field("phrase") else f"{base.header}（{FORBIDDEN_HEADER}）"
            )
            aliases = FORBIDDEN_ALIASES if head == FORBIDDEN_HEADER else ()
            columns.append(dataclasses.replace(base, header=head, forbidden=True, names=(head, *aliases)))
    columns.append(Column(header=DUE_HEADER, field="", kinds=tuple(model.ENTRY_CLASSES), is_date=True))
    columns.append(Column(header=STATUS_HEADER, field="", kinds=tuple(model.ENTRY_CLASSES)))
    return tuple(columns)


COLUMNS = _columns()


def columns_for(kind: str) -> list[Column]:
    return [c for c in COLUMNS if c.applies_to(kind)]


def normalized_head(text: str) -> str:
    """A head as compared: no spaces (half or full width), no required-field star, lower case."""
    return re.sub(r"[\s\u3000*＊]", "", text).lower()


def column_named(head: str) -> Column | None:
    wanted = normalized_head(head)
    return next((c for c in COLUMNS if wanted in {normalized_head(n) for n in c.names}), None)


def cell_text(entry: Entry, column: Column, library: Library, today: datetime.date) -> str | datetime.date:
    """What an exported sheet shows in this column for the entry (a date stays a date)."""
    if column.header == DUE_HEADER:
        return review.due_date(entry)
    if column.header == STATUS_HEADER:
        return review.STATE_TITLES[review.review_status(entry, today).state]
    if column.forbidden != model.is_forbidden(entry) and column.field in _forbidden_fields():
        return ""
    value = getattr(entry, column.field)
    if column.field == "category":
        return library.category_by_id[value].title
    if column.field == "kind":
        return model.KIND_TITLES[value]
    if column.field == "channels":
        return "、".join(model.CHANNEL_TITLES[v] for v in value)
    if column.field == "steps":
        return "\n".join(_step_text(i, step, library) for i, step in enumerate(value, 1))
    if column.is_list:
        return ("、" if column.short_list else "\n").join(value)
    if isinstance(value, datetime.date):
        return value
    return "" if value is None else str(value)


def _forbidden_fields() -> set[str]:
    return {c.field for c in COLUMNS if c.forbidden}


def _step_text(number: int, step: model.Step, library: Library) -> str:
    """A step as one numbered line (its texts in the order pages show them): "1. 问候（10 秒）：“您好”"."""
    said = step.say or (getattr(library.by_id.get(step.phrase or ""), "text", "") if step.phrase else "")
    followed = bool(step.limit or said)
    # What follows the action continues its sentence: its closing 。 or ； would stand before it.
    line = f"{number}. {step.do.rstrip(_CLOSING_MARKS) if followed else step.do}"
    if step.limit:
        line += f"（{step.limit}）"
    if said:
        line += f"“{said}”" if line.endswith(("：", ":")) else f"：“{said}”"
    return line


def steps_from(text: str) -> list[str]:
    """A procedure's steps from numbered lines ("1. …"); a line without a number continues the step."""
    steps: list[str] = []
    for line in text.split("\n"):
        match = _STEP_NUMBER.match(line)
        if match or not steps:
            steps.append(line[match.end() :] if match else line)
        else:
            steps[-1] += "\n" + line
    return [s.strip() for s in steps if s.strip()]

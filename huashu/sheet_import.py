"""`huashu import`: a phrase sheet (xlsx or CSV) becomes library entries.

Each row is checked and either planned as a new entry, found already in the library
(identical, or different and left alone: nothing existing is overwritten) or skipped
with its row number and the reason. The planned library is validated as a whole in a
changed library before anything is written; rows whose entries fail are skipped with
the validator's message, and only then are the good rows appended to their files
(`huashu.append`: every existing byte kept; `huashu.filewrite`: all files or none). Traditional characters are converted to simplified, and each
conversion reported.
"""

from __future__ import annotations

import dataclasses
import datetime
import difflib
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import LiteralScalarString

from huashu import load_library, model, review, urls
from huashu.append import appended, new_file_text, parsed
from huashu.errors import LibraryInvalid
from huashu.filewrite import check_writable, write_files
from huashu.ids import readable_id
from huashu.load import CATEGORY_FILE, display_name
from huashu.model import Category, Library
from huashu.new_entry import entry_map, library_to_edit, new_file, target_file
from huashu.readings import to_simplified
from huashu.sheet import (
    COLUMNS,
    COMPUTED_HEADERS,
    FORBIDDEN_HEADER,
    Column,
    cell_text,
    column_named,
    kind_of,
    parse_date,
    steps_from,
)
from huashu.sheet_read import Cell, Table, read_tables
from huashu.validate import id_problem

# Where a new category's entries are shown, by the kind of the row that adds it.
_KIND_SECTIONS: dict[str, model.Section] = {"phrase": "phrases", "procedure": "procedures", "faq": "faq"}
_ENTRY_PATH = re.compile(r"^(entries|categories)\[(\d+)\]\.?(.*)$")
# Rounds of "validate, skip the rows that fail": one is enough unless a skipped row was
# what made another row valid (a reference); never loop for ever.
_VALIDATION_ROUNDS = 3
# The head is the first of a sheet's first rows naming this many known columns: above it a
# sheet may have a title ("XX客服中心标准话术（2026版）", merged across the columns).
HEAD_SEARCH_ROWS = 10
_KNOWN_HEADS_NEEDED = 2


class ImportUsageError(Exception):
    """The sheet cannot be imported at all (exit 2); the message is for the editor."""


class _NotAPhraseSheet(Exception):
    """A sheet without a head row naming columns huashu knows."""


@dataclass(frozen=True)
class _Headed:
    """A table split at its head row."""

    label: str
    name: str
    head: list[str]
    head_row: int
    above: list[tuple[int, list[Cell]]]  # rows above the head with something in them (titles)
    rows: list[tuple[int, list[Cell]]]


@dataclass(eq=False)  # compared and hashed by identity: rows are keys of the plan's maps
class Row:
    """One sheet row, its cells by column."""

    where: str  # "phrases.xlsx（话术）:12"
    number: int
    sheet_kind: str | None  # the kind the sheet's name gives (话术 / 流程 / 问答)
    cells: dict[Column, str]
    problems: list[str] = field(default_factory=list)
    conversions: list[str] = field(default_factory=list)


@dataclass
class Outcome:
    row: Row
    state: str  # "added", "same", "different", "skipped"
    message: str = ""
    entry_id: str = ""
    file: str = ""
    filled_owner: str = ""  # the owner given to a row that left it blank


@dataclass
class _FileEdit:
    """The items one file's list gets: entries, or categories in categories.yaml."""

    path: Path
    original: bytes | None  # None: a new file
    key: str
    defaults: dict[str, Any]
    existing: int  # items in the list already
    created: CommentedMap | None = None  # a new file's content but its items
    added: list[CommentedMap] = field(default_factory=list)
    rows: dict[int, Row] = field(default_factory=dict)  # index in the file's list → row

    def add(self, item: CommentedMap, row: Row) -> None:
        self.rows[self.existing + len(self.added)] = row
        self.added.append(item)

    def text(self, base: Path) -> bytes:
        if self.created is None:
            assert self.original is not None
            return appended(self.original, self.key, self.added, display_name(self.path, base))[0]
        self.created[self.key] = CommentedSeq(self.added)
        return new_file_text(self.created, self.key)[0]


@dataclass
class ImportResult:
    outcomes: list[Outcome]
    new_categories: list[tuple[Category, Row]]
    blank_rows: int
    ignored_columns: list[str]  # heads nobody knows
    computed_columns: list[str]  # heads of what export computes (due date, status): not read
    notes: list[str]
    unmapped_errors: list[str] = field(default_factory=list)  # library problems no row explains
    written: bool = False
    sheets_not_imported: int = 0  # sheets without a head row: their rows were not read

    def count(self, state: str) -> int:
        return sum(1 for o in self.outcomes if o.state == state)

    @property
    def exit_code(self) -> int:
        not_imported = self.sheets_not_imported or self.count("skipped") or self.count("different")
        return 1 if self.unmapped_errors or not_imported else 0


def parse_column_options(text: str | None) -> dict[str, Column]:
    """`--columns 话术内容=text,适用场景=when`: sheet heads mapped to columns."""
    mapping: dict[str, Column] = {}
    for pair in [p for p in re.split(r"[,，]", text or "") if p.strip()]:
        head, sep, target = pair.partition("=")
        column = column_named(target) if sep else None
        if not sep or not head.strip() or column is None:
            known = "、".join(dict.fromkeys(c.field for c in COLUMNS if c.field))
            raise ImportUsageError(f"--columns 里的“{pair.strip()}”无效：应写成 表头=字段，字段可以是：{known}")
        mapping[head.strip()] = column
    return mapping


def import_sheet(
    sheet_path: Path,
    library_dir: Path,
    *,
    sheet: str | None = None,
    columns: dict[str, Column] | None = None,
    check: bool = False,
    base: Path | None = None,
    today: datetime.date | None = None,
) -> ImportResult:
    base = base or Path.cwd()
    today = today or review.today()
    library = library_to_edit(library_dir, base, ImportUsageError)
    tables, notes = read_tables(sheet_path, sheet)
    rows, blank, heads, headless = _rows(tables, columns or {}, notes)
    ignored = [h for h in heads if h not in COMPUTED_HEADERS]
    computed = [h for h in heads if h in COMPUTED_HEADERS]
    skipped: dict[Row, str] = {}
    trees: dict[Path, _FileEdit] = {}
    for _ in range(_VALIDATION_ROUNDS):
        plan = _Plan(library, library_dir, base, today, trees, _sheet_owners(rows, library))
        outcomes = [plan.add(row, skipped.get(row)) for row in rows]
        result = ImportResult(
            outcomes, plan.new_categories, blank, ignored, computed, notes, sheets_not_imported=headless
        )
        failures, unmapped = plan.validate()
        if not failures:
            break
        skipped.update(failures)
    if failures or unmapped:
        result.unmapped_errors = unmapped + [f"{row.where}: {message}" for row, message in failures.items()]
        return result
    for outcome in result.outcomes:
        outcome.file = display_name(Path(outcome.file), base) if outcome.file else ""
    if not check:
        plan.write()
        result.written = True
    return result


# --- reading rows ---------------------------------------------------------------------


def _rows(tables: list[Table], given: dict[str, Column], notes: list[str]) -> tuple[list[Row], int, list[str], int]:
    """The sheets' rows, blank rows counted, heads nobody knows, and sheets without a head."""
    rows: list[Row] = []
    blank = 0
    ignored: list[str] = []
    headless = 0
    for sheet in tables:
        try:
            table = _headed(sheet, given)
        except _NotAPhraseSheet as exc:
            if len(tables) == 1:
                raise ImportUsageError(str(exc)) from None
            notes.append(f"{exc}。这个工作表没有导入（说明页之类可以不管；只导入一个工作表请用 --sheet）")
            headless += 1
            continue
        mapped, unknown = _map_head(table, given)
        ignored += [head for head in unknown if head not in ignored]
        for number, cells in table.above:
            text = "　".join(cell.text for cell in cells if cell.text)
            notes.append(f"{table.label}:{number}: 表头在第 {table.head_row} 行，这一行当作标题跳过：{text}")
        sheet_kind = kind_of(table.name) if table.name else None
        for number, cells in table.rows:
            if not any(cell.text or cell.problem for cell in cells):
                blank += 1
                continue
            rows.append(_row(table, number, cells, mapped, sheet_kind))
    return rows, blank, ignored, headless


def _headed(table: Table, given: dict[str, Column]) -> _Headed:
    """The table split at its head: the first of its first rows that names enough known columns."""
    for index, (number, cells) in enumerate(table.rows):
        if number > HEAD_SEARCH_ROWS:
            break
        heads = [cell.text for cell in cells]
        if sum(1 for head in heads if head and (head in given or column_named(head))) >= _KNOWN_HEADS_NEEDED:
            above = [(n, c) for n, c in table.rows[:index] if any(cell.text for cell in c)]
            return _Headed(table.label, table.name, heads, number, above, table.rows[index + 1 :])
    first_number, first = table.rows[0]
    raise _NotAPhraseSheet(
        f"{table.label}：前 {HEAD_SEARCH_ROWS} 行里没有表头（表头行至少要有 {_KNOWN_HEADS_NEEDED} 列是认识的，"
        f"如 分类、标题、话术；自己的表头可以用 --columns 表头=字段 指定）；"
        f"第 {first_number} 行是：{'、'.join(cell.text for cell in first)}"
    )


def _map_head(table: _Headed, given: dict[str, Column]) -> tuple[dict[int, Column], list[str]]:
    """Which column each head is; heads nobody knows are returned to be named as ignored."""
    for head in given:
        if head not in table.head:
            raise ImportUsageError(
                f"{table.label}：表头里没有“{head}”（--columns 里写的）；表头：{'、'.join(table.head)}"
            )
    mapped: dict[int, Column] = {}
    unknown: list[str] = []
    for index, head in enumerate(table.head):
        column = given.get(head) or column_named(head)
        if column is None or not column.field:
            if head:
                unknown.append(head)
            continue
        twin = next((table.head[i] for i, c in mapped.items() if c == column), None)
        if twin is not None:
            raise ImportUsageError(
                f"{table.label}：“{twin}”和“{head}”两列都是 {column.header}；请删掉一列，或用 --columns 指定用哪一列"
            )
        mapped[index] = column
    return mapped, unknown


def _row(table: _Headed, number: int, cells: list[Cell], mapped: dict[int, Column], sheet_kind: str | None) -> Row:
    row = Row(f"{table.label}:{number}", number, sheet_kind, {})
    for index, column in mapped.items():
        cell = cells[index] if index < len(cells) else Cell("")
        if cell.problem:
            row.problems.append(f"“{table.head[index]}”列{cell.problem}")
        text = cell.text
        if column.field != "id":
            simplified = to_simplified(text)
            if simplified != text:
                row.conversions.append(f"“{table.head[index]}”{_changed_characters(text, simplified)}")
                text = simplified
        row.cells[column] = text
    return row


def _changed_characters(before: str, after: str) -> str:
    pairs = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, before, after, autojunk=False).get_opcodes():
        if tag != "equal":
            pairs.append(f"{before[i1:i2]}→{after[j1:j2]}")
    return "、".join(dict.fromkeys(pairs))


# --- planning ---------------------------------------------------------------------------


class _RowProblem(Exception):
    """Why a row is skipped."""


class _Plan:
    """The library's files as they would be after the import, built row by row."""

    def __init__(
        self,
        library: Library,
        library_dir: Path,
        base: Path,
        today: datetime.date,
        trees: dict[Path, _FileEdit],
        sheet_owners: dict[str, Counter[str]],
    ):
        self.library, self.library_dir, self.base, self.today = library, library_dir, base, today
        self.trees = trees  # the files as read, shared by every round of planning
        self._dumped: dict[Path, bytes] | None = None
        self.files: dict[Path, _FileEdit] = {}
        self.new_categories: list[tuple[Category, Row]] = []
        self.planned_ids: dict[str, Row] = {}
        self.planned_titles: dict[tuple[str, str], Row] = {}
        self.sheet_owners = sheet_owners

    def add(self, row: Row, failed: str | None) -> Outcome:
        try:
            if row.problems:
                raise _RowProblem("；".join(row.problems))
            if failed:
                raise _RowProblem(failed)
            return self._add(row)
        except _RowProblem as exc:
            return Outcome(row, "skipped", str(exc))

    def _add(self, row: Row) -> Outcome:
        kind = self._kind(row)
        category = self._category(row, kind)
        title = row.cells.get(_column("title"), "")
        existing = self._existing(row, category)
        if existing is not None:
            return self._compare(row, existing)
        values = self._values(row, kind)
        given_id = row.cells.get(_column("id"), "")
        if given_id:
            problem = id_problem(given_id)
            if problem:
                raise _RowProblem(f"id：{problem}")
            if given_id in self.planned_ids:
                raise _RowProblem(f"id “{given_id}”与 {self.planned_ids[given_id].where} 重复")
        twin = self.planned_titles.get((category.id, title))
        if twin is not None:
            raise _RowProblem(f"与 {twin.where} 重复（同一分类、同一标题）")
        entry_id = given_id or readable_id(
            title, lambda c: c in self.library.by_id or c in self.planned_ids, category.id
        )
        given_owner = values.pop("owner", "")
        owner = given_owner or self._usual_owner(category)
        values = {"id": entry_id, "kind": kind, "title": title, "category": category.id, **values, "owner": owner}
        values.setdefault("reviewed", self.today)
        self._register_category(category, row)
        path = self._append(row, category, kind, values)
        self.planned_ids[entry_id] = row
        self.planned_titles[(category.id, title)] = row
        return Outcome(row, "added", entry_id=entry_id, file=str(path), filled_owner="" if given_owner else owner)

    def _kind(self, row: Row) -> str:
        given = row.cells.get(_column("kind"), "")
        if given:
            kind = kind_of(given)
            if kind is None:
                titles = "、".join(f"{t}（{k}）" for k, t in model.KIND_TITLES.items())
                raise _RowProblem(f"类型“{given}”不认识，应为 {titles}")
            return kind
        if row.sheet_kind:
            return row.sheet_kind
        # No kind written: the kind whose own columns the row fills, else a phrase.
        filled = [c for c, text in row.cells.items() if text and len(c.kinds) == 1]
        return filled[0].kinds[0] if filled else "phrase"

    def _category(self, row: Row, kind: str) -> Category:
        given = row.cells.get(_column("category"), "")
        if not given:
            raise _RowProblem("缺少分类")
        known = [c for c in self.library.categories if given in (c.id, c.title)]
        known += [c for c, _ in self.new_categories if given == c.title]
        if known:
            return known[0]
        if id_problem(given) is None:
            names = "、".join(c.id for c in self.library.categories)
            raise _RowProblem(f"分类“{given}”不存在；写分类名称可以新建分类，或用已有的分类：{names}")
        taken = {c.id for c in self.library.categories} | {c.id for c, _ in self.new_categories}
        category_id = readable_id(given, taken | urls.RESERVED_CATEGORY_IDS, "category")
        return Category(id=model.CategoryId(category_id), title=given, section=_KIND_SECTIONS[kind])

    def _register_category(self, category: Category, row: Row) -> None:
        if category.id in self.library.category_by_id or any(c.id == category.id for c, _ in self.new_categories):
            return
        self.new_categories.append((category, row))
        edit = self._edit(self.library_dir / CATEGORY_FILE, "categories")
        edit.add(CommentedMap([("id", category.id), ("title", category.title), ("section", category.section)]), row)

    def _existing(self, row: Row, category: Category) -> Any:
        given_id = row.cells.get(_column("id"), "")
        if given_id:
            return self.library.by_id.get(given_id)
        title = row.cells.get(_column("title"), "")
        return next((e for e in self.library.entries_in(category.id) if e.title == title), None)

    def _compare(self, row: Row, entry: Any) -> Outcome:
        differing = []
        # A blank cell says nothing (a team's sheet leaves out what it does not track).
        for column, text in [(c, t) for c, t in row.cells.items() if t]:
            mine = text if column.applies_to(entry.kind) else ""
            theirs = cell_text(entry, column, self.library, self.today) if column.applies_to(entry.kind) else ""
            theirs = theirs.isoformat() if isinstance(theirs, datetime.date) else theirs
            if column.field != "id" and column.canonical(mine, self.library) != column.canonical(theirs, self.library):
                differing.append(column.header)
        if differing:
            return Outcome(
                row,
                "different",
                f"{entry.id} 已存在且内容不同，未覆盖（不同的列：{'、'.join(dict.fromkeys(differing))}）",
                entry.id,
            )
        return Outcome(row, "same", f"{entry.id} 已存在，未改动", entry.id)

    def _values(self, row: Row, kind: str) -> dict[str, Any]:
        given = {c: t for c, t in row.cells.items() if t and c.field not in ("id", "kind", "category")}
        for column in given:
            if not column.applies_to(kind):
                raise _RowProblem(f"“{column.header}”列只用于{_kinds_title(column)}，这一行是{model.KIND_TITLES[kind]}")
        values: dict[str, Any] = {"avoid": True} if any(c.forbidden for c in given) else {}
        by_field: dict[str, Column] = {}
        for column in given:
            other = by_field.setdefault(column.field, column)
            if other is not column:
                raise _RowProblem(f"“{other.header}”和“{column.header}”只能写一个（话术和忌语二选一）")
        for column, text in given.items():
            twin = _forbidden_twin(column)
            if values.get("avoid") and twin is not None:
                raise _RowProblem(f"这一行写了忌语，“{column.header}”请写在“{twin.header}”列")
            values[column.field] = self._value(column, text)
        if values.get("avoid") and not by_field.get("text", _column("text")).forbidden:
            raise _RowProblem(f"写了忌语的其他说法，却没有写“{FORBIDDEN_HEADER}”")
        for name in _required_fields(kind):
            if name not in values:
                heads = "或".join(c.header for c in COLUMNS if c.field == name)
                raise _RowProblem(f"缺少{heads}")
        values.pop("title")
        return values

    def _value(self, column: Column, text: str) -> Any:
        if column.is_date:
            date = parse_date(text)
            if date is None:
                raise _RowProblem(f"{column.header}“{text}”无效，应为 YYYY-MM-DD，如 2026-01-31")
            return date
        if column.field == "steps":
            return CommentedSeq([CommentedMap([("do", _block(step))]) for step in steps_from(text)])
        if column.is_list:
            items = column.canonical(text, self.library).split("\n")
            if column.field == "channels":
                wrong = [i for i in items if i not in model.CHANNEL_TITLES]
                if wrong:
                    titles = "、".join(model.CHANNEL_TITLES.values())
                    raise _RowProblem(f"渠道“{'、'.join(wrong)}”不认识，应为 {titles}")
            seq = CommentedSeq(items)
            if column.short_list:
                seq.fa.set_flow_style()
            return seq
        if "\n" in text and not column.multiline:
            raise _RowProblem(f"“{column.header}”不能换行（这一栏只写一行），请改成一行")
        return _block(text)

    def _usual_owner(self, category: Category) -> str:
        """The owner of most of the category's entries in the library and rows of the sheet."""
        owners = Counter(e.owner for e in self.library.entries_in(category.id))
        owners.update(self.sheet_owners.get(_category_key(category.title, self.library), Counter()))
        if not owners:
            raise _RowProblem("缺少负责人（这个分类在话术库和表里都没有写了负责人的条目可以参照），请填写负责人")
        # The most frequent; on a tie the first by name, so the order of the rows does not matter.
        return min(owners, key=lambda owner: (-owners[owner], owner))

    def _edit(self, path: Path, key: str) -> _FileEdit:
        if path not in self.files:
            if path not in self.trees:
                check_writable(path, self.base, self.library_dir)  # refused before any planning uses it
                original = path.read_bytes() if path.exists() else None
                data = parsed(original) if original is not None else {}
                self.trees[path] = _FileEdit(
                    path, original, key, dict(data.get("defaults") or {}), len(data[key] or []) if key in data else 0
                )
            # Each round of planning adds to its own copy of the file as read.
            self.files[path] = dataclasses.replace(self.trees[path], added=[], rows={})
        return self.files[path]

    def _append(self, row: Row, category: Category, kind: str, values: dict[str, Any]) -> Path:
        path = target_file(self.library, self.library_dir, self.base, category, kind)
        edit = self._edit(path, "entries")
        if edit.original is None and edit.created is None:
            edit.created = new_file(kind, category, values["owner"], values["reviewed"], "huashu import")
            edit.defaults = dict(edit.created["defaults"])
        edit.add(entry_map(values, edit.defaults), row)
        return path

    def _texts(self) -> dict[Path, bytes]:
        """The edited files' new bytes, made once: what is validated is what is written."""
        if self._dumped is None:
            self._dumped = {path: edit.text(self.base) for path, edit in self.files.items()}
        return self._dumped

    def validate(self) -> tuple[dict[Row, str], list[str]]:
        """The planned library checked as a whole: problems by the row that causes them."""
        if not self.files:
            return {}, []
        try:
            load_library(self.library_dir, base=self.library_dir, pending=self._texts())
        except LibraryInvalid as exc:
            return self._rows_of(exc)
        return {}, []

    def _rows_of(self, exc: LibraryInvalid) -> tuple[dict[Row, str], list[str]]:
        by_file = {
            path.resolve().relative_to(self.library_dir.resolve()).as_posix(): e for path, e in self.files.items()
        }
        failures: dict[Row, str] = {}
        unmapped: list[str] = []
        for error in exc.errors:
            edit = by_file.get(error.file)
            match = _ENTRY_PATH.match(error.path)
            row = edit.rows.get(int(match.group(2))) if edit and match else None
            if row is None:
                unmapped.append(
                    str(dataclasses.replace(error, file=display_name(self.library_dir / error.file, self.base)))
                )
                continue
            field_path = match.group(3) if match else ""
            message = f"{field_path}：{error.message}" if field_path else error.message
            failures[row] = f"{failures[row]}；{message}" if row in failures else message
        return failures, unmapped

    def write(self) -> None:
        write_files(self._texts(), self.base, within=self.library_dir)


def _sheet_owners(rows: list[Row], library: Library) -> dict[str, Counter[str]]:
    """The owners the sheet's rows give, by category (its id, or a new category's name)."""
    owners: dict[str, Counter[str]] = {}
    for row in rows:
        owner, category = row.cells.get(_column("owner"), ""), row.cells.get(_column("category"), "")
        if owner and category:
            owners.setdefault(_category_key(category, library), Counter())[owner] += 1
    return owners


def _category_key(given: str, library: Library) -> str:
    """A category as a row names it: an existing one by its id, a new one by its name."""
    return next((c.id for c in library.categories if given in (c.id, c.title)), given)


def _block(text: str) -> Any:
    """Multi-line text as a `|` block, keeping its line breaks."""
    return LiteralScalarString(text) if "\n" in text else text


def _forbidden_twin(column: Column) -> Column | None:
    """The column a forbidden phrase writes this field in, if it is another one."""
    if column.forbidden:
        return None
    return next((c for c in COLUMNS if c.forbidden and c.field == column.field), None)


def _required_fields(kind: str) -> list[str]:
    """What a row of this kind must give: the title and the kind's own required fields."""
    shared = {f.name for f in model.editor_fields(model.Entry)}
    own = model.editor_fields(model.ENTRY_CLASSES[kind])
    return ["title", *(f.name for f in own if f.metadata["required"] and f.name not in shared)]


def _column(name: str) -> Column:
    return next(c for c in COLUMNS if c.field == name and not c.forbidden)


def _kinds_title(column: Column) -> str:
    return "、".join(model.KIND_TITLES[k] for k in column.kinds)


# --- the report -------------------------------------------------------------------------


def report(result: ImportResult, check: bool, base: Path) -> str:
    lines = list(result.notes)
    if result.ignored_columns:
        lines.append(f"忽略的列：{'、'.join(result.ignored_columns)}（不认识的表头；要导入请用 --columns 表头=字段）")
    if result.computed_columns:
        lines.append(f"不导入的列：{'、'.join(result.computed_columns)}（由复核日期和复核周期算出）")
    for outcome in result.outcomes:
        for conversion in outcome.row.conversions:
            lines.append(f"{outcome.row.where}: 繁体字已转为简体：{conversion}")
        if outcome.filled_owner:
            lines.append(
                f"{outcome.row.where}: 负责人为空，已按这个分类最常见的负责人填写“{outcome.filled_owner}”（不对请在表里填写）"
            )
    for outcome in result.outcomes:
        if outcome.state in ("skipped", "different"):
            suffix = "，未导入" if outcome.state == "skipped" else ""
            lines.append(f"{outcome.row.where}: {outcome.message}{suffix}")
    if result.unmapped_errors:
        lines.append("导入后的话术库不能通过校验，没有写入任何文件：")
        lines += result.unmapped_errors
        return "\n".join(lines)
    same = [o for o in result.outcomes if o.state == "same"]
    if same:
        lines.append(f"{len(same)} 条已存在，未改动：{_row_ranges([o.row for o in same])}")
    verb = "将新增" if check else "已新增"
    for category, row in result.new_categories:
        section = model.SECTION_TITLES[category.section]
        lines.append(f"{verb}分类 {category.id}：{category.title}（{section}，来自 {row.where}）")
    files = Counter(o.file for o in result.outcomes if o.state == "added")
    for file, count in files.items():
        lines.append(f"{verb} {count} 条：{file}")
    lines.append(
        f"汇总：新增 {result.count('added')} 条，已存在未改动 {result.count('same')} 条，"
        f"已存在且内容不同未覆盖 {result.count('different')} 条，跳过 {result.count('skipped')} 行，"
        f"空行 {result.blank_rows} 行。"
    )
    if check:
        lines.append("（--check：只是预览，没有写入任何文件）")
    elif result.count("added"):
        lines.append("请运行 huashu validate 和 huashu lint 检查，再提交。")
    return "\n".join(lines)


def _row_ranges(rows: list[Row]) -> str:
    """Rows as "话术表.xlsx（话术）第 2–40、45 行", grouped by sheet."""
    by_sheet: dict[str, list[int]] = {}
    for row in rows:
        by_sheet.setdefault(row.where.rsplit(":", 1)[0], []).append(row.number)
    parts = []
    for sheet, numbers in by_sheet.items():
        spans: list[list[int]] = []
        for n in numbers:
            if spans and n == spans[-1][1] + 1:
                spans[-1][1] = n
            else:
                spans.append([n, n])
        text = "、".join(f"{a}–{b}" if a != b else str(a) for a, b in spans)
        parts.append(f"{sheet} 第 {text} 行")
    return "；".join(parts)

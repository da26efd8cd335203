"""`huashu new`: add a correctly shaped entry to the right file, keeping the file as written.

The new entry's text is appended after the file's last entry (`huashu.append`), so
every existing byte stays; the changed library is validated before the file is
replaced (`huashu.filewrite`), so an error or a full disk leaves it as it was.
Fields the editor must still write hold lint's "待填写" mark, so `huashu lint`
keeps reminding until they are filled.
"""

from __future__ import annotations

import dataclasses
import datetime
import typing
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ruamel.yaml.comments import CommentedMap, CommentedSeq

from huashu import load_library, model, review
from huashu.append import appended, new_file_text, parsed
from huashu.errors import LibraryInvalid
from huashu.filewrite import check_writable, write_files
from huashu.ids import readable_id
from huashu.load import display_name
from huashu.model import Category, Library
from huashu.validate import id_problem

# Where a new file for a category goes, by the category's section.
SECTION_FOLDERS = {"phrases": "phrases", "procedures": "procedures", "standards": "standards", "faq": "faq"}


class NewEntryError(Exception):
    """Why an entry could not be added; the message is for the editor."""


@dataclass(frozen=True)
class AddedEntry:
    entry_id: str
    file: Path
    line: int
    created_file: bool
    same_title: tuple[str, ...] = ()  # entries of the category already titled so (a likely double)


def target_file(library: Library, library_dir: Path, base: Path, category: Category, kind: str) -> Path:
    """The file holding most entries of this category and kind; else of this category; else a new one."""
    same_kind = Counter(
        e.origin.file for e in library.entries if e.category == category.id and e.kind == kind and e.origin
    )
    same_category = Counter(e.origin.file for e in library.entries if e.category == category.id and e.origin)
    for counts in (same_kind, same_category):
        if counts:
            # most_common keeps first-seen order on ties: the file that comes first in the library
            return base / counts.most_common(1)[0][0]
    return library_dir / SECTION_FOLDERS[category.section] / f"{category.id}.yaml"


def _scaffold(cls: Any, own_only: bool = False) -> CommentedMap:
    """The fields the model marks for `huashu new` to write, each holding "待填写"; a list
    of records gets one record to fill."""
    shared = {f.name for f in dataclasses.fields(model.Entry)} if own_only else set()
    hints = typing.get_type_hints(cls)
    body = CommentedMap()
    for f in model.editor_fields(cls):
        if f.name in shared or not f.metadata["scaffold"]:
            continue
        item = typing.get_args(hints[f.name])[0] if typing.get_origin(hints[f.name]) is list else None
        is_record = isinstance(item, type) and dataclasses.is_dataclass(item)
        body[f.name] = CommentedSeq([_scaffold(item)]) if is_record else model.UNFINISHED_MARK
    return body


def _kind_fields(kind: str) -> CommentedMap:
    return _scaffold(model.ENTRY_CLASSES[kind], own_only=True)


# Written first and last, around the kind's own fields, as the bundled library writes entries.
_LEADING_FIELDS = ("id", "kind", "title", "category")
_TRAILING_FIELDS = ("owner", "reviewed", "review_in")


def entry_map(values: dict[str, Any], defaults: dict) -> CommentedMap:
    """An entry's fields in the order the bundled library writes them (the kind's own fields
    before the shared ones); what the file's defaults already give is left out."""
    cls = model.ENTRY_CLASSES[values["kind"]]
    shared = [f.name for f in dataclasses.fields(model.Entry)]
    model_order = [f.name for f in model.editor_fields(cls) if f.name not in shared] + shared
    middle = sorted(
        (name for name in values if name not in _LEADING_FIELDS + _TRAILING_FIELDS),
        key=lambda name: model_order.index(name) if name in model_order else len(model_order),
    )
    entry = CommentedMap()
    for name in (*_LEADING_FIELDS, *middle, *_TRAILING_FIELDS):
        if name in values and not (name in defaults and defaults[name] == values[name]):
            entry[name] = values[name]
    return entry


def owner_for(library: Library, category_id: str, given: str | None) -> str:
    if given:
        return given
    owners = Counter(e.owner for e in library.entries if e.category == category_id)
    if not owners:
        raise NewEntryError("这个分类还没有条目，请用 --owner 指定负责人")
    return owners.most_common(1)[0][0]


def library_to_edit(library_dir: Path, base: Path, refuse: type[Exception]) -> Library:
    """The library a command is about to change; `refuse` is raised when it is invalid already
    (the command's changes could not be checked against it)."""
    try:
        return load_library(library_dir, base=base)
    except LibraryInvalid as exc:
        raise refuse("话术库现在就有错误，请先修正：\n" + exc.report()) from None


def add_entry(
    library_dir: Path,
    kind: str,
    category_id: str,
    title: str,
    *,
    owner: str | None = None,
    entry_id: str | None = None,
    base: Path | None = None,
    today: datetime.date | None = None,
) -> AddedEntry:
    """Append a new entry to the library and check the library still validates."""
    base = base or Path.cwd()
    today = today or review.today()
    library = library_to_edit(library_dir, base, NewEntryError)
    category = library.category_by_id.get(category_id)
    if category is None:
        known = "、".join(c.id for c in library.categories)
        raise NewEntryError(f"分类“{category_id}”不存在；可用的分类：{known}")
    problem = id_problem(entry_id) if entry_id is not None else None
    if problem:
        raise NewEntryError(problem)
    if entry_id is not None and entry_id in library.by_id:
        raise NewEntryError(f"条目 id “{entry_id}”已经存在")
    entry_id = entry_id or readable_id(title, library.by_id, category_id)
    owner = owner_for(library, category_id, owner)
    path = target_file(library, library_dir, base, category, kind)
    check_writable(path, base, library_dir)
    original = path.read_bytes() if path.exists() else None
    defaults = dict(parsed(original).get("defaults") or {}) if original is not None else {}
    values = {"id": entry_id, "kind": kind, "title": title, "category": category_id, **_kind_fields(kind)}
    entry = entry_map({**values, "owner": owner, "reviewed": today}, defaults)
    if original is None:
        data, lines = new_file_text(new_file(kind, category, owner, today, entries=[entry]), "entries")
    else:
        data, lines = appended(original, "entries", [entry], display_name(path, base))
    checked_and_written(library_dir, base, {path: data}, NewEntryError)
    twins = tuple(_where(e, base) for e in library.entries_in(category_id) if e.title == title)
    return AddedEntry(entry_id, path, lines[0], original is None, twins)


def _where(entry: model.Entry, base: Path) -> str:
    assert entry.origin is not None
    return f"{entry.id}（{display_name(base / entry.origin.file, base)}:{entry.origin.line}）"


def checked_and_written(library_dir: Path, base: Path, changes: dict[Path, bytes], refuse: type[Exception]) -> None:
    """Write the changed files if the library they make validates; `refuse` says why not."""
    try:
        load_library(library_dir, base=base, pending=changes)
    except LibraryInvalid as exc:  # pragma: no cover - a bug in the command, never the editor's fault
        raise refuse("改动后的话术库没有通过校验，没有写入任何文件：\n" + exc.report()) from None
    write_files(changes, base, within=library_dir)


def new_file(
    kind: str,
    category: Category,
    owner: str,
    today: datetime.date,
    made_by: str = "huashu new",
    entries: list[CommentedMap] | None = None,
) -> CommentedMap:
    """A new entry file's content: the category's defaults, then `entries`."""
    data = CommentedMap()
    data.yaml_set_start_comment(f"{category.title}（由 {made_by} 创建）")
    data["defaults"] = CommentedMap([("kind", kind), ("category", category.id), ("owner", owner), ("reviewed", today)])
    data["entries"] = CommentedSeq(entries or [])
    return data


def describe(added: AddedEntry, base: Path) -> str:
    where = display_name(added.file, base)
    made = "（新建文件）" if added.created_file else ""
    lines = [f"已添加条目 {added.entry_id}：{where}:{added.line}{made}"]
    if added.same_title:
        lines.append(
            f"注意：这个分类里已有同样标题的条目：{'、'.join(added.same_title)}；"
            f"如果是重复添加，请删掉新条目 {added.entry_id}"
        )
    lines.append(f"请把“{model.UNFINISHED_MARK}”换成内容，然后运行 huashu validate 和 huashu lint。")
    return "\n".join(lines)

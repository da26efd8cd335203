"""`huashu reviewed`: record a review date on single entries, keeping every other byte.

An entry that writes its own `reviewed:` gets the new date in place of the old one;
an entry that inherits it from the file's `defaults:` gets a `reviewed:` line of its
own, after its last line, so the other entries of the file keep the default.
"""

from __future__ import annotations

import datetime
import difflib
import re
from dataclasses import dataclass
from pathlib import Path

from huashu import load_library
from huashu.errors import LibraryInvalid
from huashu.load import display_name
from huashu.model import Entry, unpack_positions
from huashu.new_entry import library_to_edit

_DATE = re.compile(r"""(["']?)\d{4}-\d{1,2}-\d{1,2}\1""")


class ReviewedError(Exception):
    """Why no date was recorded; the message is for the editor."""


@dataclass(frozen=True)
class Marked:
    entry_id: str
    file: str
    line: int
    inserted: bool  # a `reviewed:` line was added (the entry inherited the date)
    unchanged: bool = False  # the entry already had this date


def mark_reviewed(library_dir: Path, ids: list[str], on: datetime.date, base: Path | None = None) -> list[Marked]:
    """Record `on` as the review date of each entry; nothing is written unless every id is known."""
    base = base or Path.cwd()
    library = library_to_edit(library_dir, base, ReviewedError)
    unknown = [entry_id for entry_id in dict.fromkeys(ids) if entry_id not in library.by_id]
    if unknown:
        raise ReviewedError("\n".join(_unknown_message(entry_id, list(library.by_id)) for entry_id in unknown))
    edits: dict[str, list[Entry]] = {}
    for entry_id in dict.fromkeys(ids):
        entry = library.by_id[entry_id]
        assert entry.origin is not None
        edits.setdefault(entry.origin.file, []).append(entry)
    originals: dict[Path, bytes] = {}
    marked: list[Marked] = []
    for file, entries in edits.items():
        path = base / file
        originals[path] = path.read_bytes()
        lines = originals[path].decode("utf-8").splitlines(keepends=True)
        # From the bottom up, so an inserted line does not move the entries still to edit.
        for entry in sorted(entries, key=lambda e: e.origin.line if e.origin else 0, reverse=True):
            marked.append(_mark(entry, lines, on))
        path.write_bytes("".join(lines).encode("utf-8"))
    try:
        load_library(library_dir, base=base)
    except LibraryInvalid as exc:  # pragma: no cover - a bug in this module, never the editor's fault
        for path, original in originals.items():
            path.write_bytes(original)
        raise ReviewedError("写入后的话术库没有通过校验，文件已恢复原样：\n" + exc.report()) from None
    order = {entry_id: i for i, entry_id in enumerate(dict.fromkeys(ids))}
    return sorted(marked, key=lambda m: order[m.entry_id])


def _unknown_message(entry_id: str, known: list[str]) -> str:
    close = difflib.get_close_matches(entry_id, known, n=3)
    hint = f"（是不是 {'、'.join(close)}？）" if close else "（huashu stats 或手册网页上可以查到条目 id）"
    return f"条目 id “{entry_id}”不存在{hint}"


def _mark(entry: Entry, lines: list[str], on: datetime.date) -> Marked:
    assert entry.origin is not None
    found = unpack_positions(entry.positions).get("reviewed")
    file = entry.origin.file
    if entry.reviewed == on:
        line = found[0] if found and not found[2] else entry.origin.line
        return Marked(entry.id, file, line, inserted=False, unchanged=True)
    if found and not found[2]:
        line, column, _ = found
        lines[line - 1] = _replace_date(lines[line - 1], column - 1, on, file, line)
        return Marked(entry.id, file, line, inserted=False)
    after = _last_line_of(entry, lines)
    indent = " " * (entry.origin.column - 1)
    ending = "\r\n" if lines[after - 1].endswith("\r\n") else "\n"
    if not lines[after - 1].endswith(("\n", "\r")):
        lines[after - 1] += ending
    lines.insert(after, f"{indent}reviewed: {on.isoformat()}{ending}")
    return Marked(entry.id, file, after + 1, inserted=True)


def _replace_date(line: str, column: int, on: datetime.date, file: str, number: int) -> str:
    match = _DATE.match(line, column)
    if match is None:
        raise ReviewedError(f"{file}:{number}:{column + 1}: reviewed: 这里的日期写法无法自动修改，请手动改成 {on}")
    quote = match.group(1)
    return line[: match.start()] + f"{quote}{on.isoformat()}{quote}" + line[match.end() :]


def _last_line_of(entry: Entry, lines: list[str]) -> int:
    """The entry's last line with content (1-based): before the next line indented less than its keys."""
    assert entry.origin is not None
    start, key_column = entry.origin.line, entry.origin.column - 1
    if lines[start - 1][key_column:].lstrip().startswith("{"):
        raise ReviewedError(
            f"{entry.origin}: {entry.origin.path}: 这个条目写在一行里（{{…}}），无法自动添加 reviewed，请手动添加"
        )
    last = start
    for number in range(start + 1, len(lines) + 1):
        text = lines[number - 1]
        stripped = text.strip()
        if not stripped:
            continue
        indent = len(text) - len(text.lstrip(" "))
        if indent < key_column:
            break
        if not stripped.startswith("#"):
            last = number
    return last


def describe(marked: list[Marked], on: datetime.date, base: Path) -> str:
    lines = []
    for item in marked:
        where = f"{display_name(base / item.file, base)}:{item.line}"
        if item.unchanged:
            lines.append(f"{item.entry_id}：复核日期已是 {on}，未改动（{where}）")
        else:
            how = "（新增一行，原来用的是文件 defaults 的日期）" if item.inserted else ""
            lines.append(f"{item.entry_id}：复核日期改为 {on}{how}：{where}")
    return "\n".join(lines)

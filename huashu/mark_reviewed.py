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

import yaml

from huashu.append import composed, decoded, encoded, parsed, reads_as, spot_after, value_of
from huashu.filewrite import check_writable
from huashu.load import display_name
from huashu.model import Entry
from huashu.new_entry import checked_and_written, library_to_edit

_ENTRY_INDEX = re.compile(r"^entries\[(\d+)\]$")


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
    changes: dict[Path, bytes] = {}
    marked: list[Marked] = []
    for file, entries in edits.items():
        path = base / file
        check_writable(path, base, library_dir)
        changes[path], lines, inherited = _dated(path.read_bytes(), entries, on, file)
        marked += [Marked(e.id, file, lines[e.id], e.id in inherited, e.reviewed == on) for e in entries]
    checked_and_written(library_dir, base, changes, ReviewedError)
    order = {entry_id: i for i, entry_id in enumerate(dict.fromkeys(ids))}
    return sorted(marked, key=lambda m: order[m.entry_id])


def _unknown_message(entry_id: str, known: list[str]) -> str:
    close = difflib.get_close_matches(entry_id, known, n=3)
    hint = f"（是不是 {'、'.join(close)}？）" if close else "（huashu stats 或手册网页上可以查到条目 id）"
    return f"条目 id “{entry_id}”不存在{hint}"


def _dated(
    original: bytes, entries: list[Entry], on: datetime.date, file: str
) -> tuple[bytes, dict[str, int], set[str]]:
    """The file with each entry's review date `on`, the line of each entry's date, and the
    entries that inherited theirs (they got a `reviewed:` of their own).

    An entry's own `reviewed:` value is replaced where it stands; an entry that inherits
    the date gets a line of its own after its last line. Every other byte is kept.
    """
    text, bom = decoded(original)
    nodes = value_of(composed(text), "entries")
    assert isinstance(nodes, yaml.SequenceNode)
    to_date = [entry for entry in entries if entry.reviewed != on]
    inherited: set[str] = {e.id for e in to_date if value_of(_mapping(nodes.value[_index(e)]), "reviewed") is None}
    edits = [_edit(text, _mapping(nodes.value[_index(entry)]), entry, on) for entry in to_date]
    # From the end of the file up, so an edit does not move the places still to edit.
    for start, end, new in sorted(edits, reverse=True):
        text = text[:start] + new + text[end:]
    expected = parsed(original)
    for entry in entries:
        fields = expected["entries"][_index(entry)]
        # A quoted date reads as text, and stays quoted.
        fields["reviewed"] = on.isoformat() if isinstance(fields.get("reviewed"), str) else on
    if not reads_as(text, expected):
        raise ReviewedError(
            f"{file}：这个文件的写法无法安全地自动修改复核日期（改后其他内容会被读成别的意思），"
            f"没有写入。请手动把 {'、'.join(e.id for e in entries)} 的 reviewed 改成 {on}"
        )
    nodes = value_of(composed(text), "entries")
    assert isinstance(nodes, yaml.SequenceNode)
    lines: dict[str, int] = {entry.id: _date_line(_mapping(nodes.value[_index(entry)])) for entry in entries}
    return encoded(text, bom), lines, inherited


def _index(entry: Entry) -> int:
    assert entry.origin is not None
    found = _ENTRY_INDEX.match(entry.origin.path)
    assert found is not None, entry.origin.path
    return int(found.group(1))


def _mapping(node: yaml.Node) -> yaml.MappingNode:
    assert isinstance(node, yaml.MappingNode), "entries validated as mappings"
    return node


def _edit(text: str, node: yaml.MappingNode, entry: Entry, on: datetime.date) -> tuple[int, int, str]:
    """(start, end, new text): the span of the file that records `on` for this entry."""
    assert entry.origin is not None
    date = value_of(node, "reviewed")
    if date is not None:
        if not isinstance(date, yaml.ScalarNode) or date.style not in (None, "", "'", '"'):
            where = f"{entry.origin.file}:{date.start_mark.line + 1}:{date.start_mark.column + 1}"
            raise ReviewedError(f"{where}: {entry.origin.path}.reviewed: 这里的日期写法无法自动修改，请手动改成 {on}")
        quote = date.style or ""
        return date.start_mark.index, date.end_mark.index, f"{quote}{on.isoformat()}{quote}"
    if node.flow_style:  # {id: …, title: …}: the date goes before the closing brace
        end = node.end_mark.index - 1
        return end, end, f", reviewed: {on.isoformat()}"
    spot = spot_after(text, node)
    line = " " * node.start_mark.column + f"reviewed: {on.isoformat()}"
    return spot.index, spot.index, spot.lines([line])


def _date_line(node: yaml.MappingNode) -> int:
    date = value_of(node, "reviewed")
    return (date or node).start_mark.line + 1


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

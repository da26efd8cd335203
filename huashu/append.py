"""New items at the end of a library file's list, added as text: every existing byte kept.

The file is never re-written through a YAML dumper (which would re-space, re-quote and
re-wrap what editors wrote). Only the new items are rendered, in the indentation of
the items already there, and inserted after the last one's last line with the line
ending found there. The result is read back: when the file's own content would read
differently, or the new items would not read as given, nothing is returned and the
editor is told to add them by hand.

`huashu reviewed` edits in place with the same readers (`composed`, `spot_after`,
`reads_as`): every command that changes an editor's file changes only its own span.
"""

from __future__ import annotations

import codecs
import io
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import yaml
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap

from huashu.filewrite import WriteError

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
# Indentation of a new file: entries' dashes two spaces in, as the bundled library writes them.
_NEW_FILE_INDENT = (2, 4, 2)
_LINE_BREAKS = ("\r\n", "\n", "\r")


class AppendRefused(WriteError):
    """The file is written in a way new items cannot be added to safely; nothing was written."""


@dataclass(frozen=True)
class Spot:
    """Where new lines go: just after a node's last line."""

    index: int  # character index in the file's text
    line_start: bool  # the index starts a line (else it ends one, before its line break)
    ending: str  # the line break to write: the one found there

    def lines(self, lines: list[str]) -> str:
        """`lines` as text to insert here, each on a line of its own."""
        block = self.ending.join(lines)
        return block + self.ending if self.line_start else self.ending + block


@dataclass(frozen=True)
class _Layout:
    """Where a list's items start and how the file indents them."""

    dash: int  # column of each item's "-"
    key: int  # column of an item's first key
    parent: int  # column of the list's own key ("entries:")
    spot: Spot

    def indents(self) -> tuple[int, int, int]:
        """ruamel's (mapping, sequence, offset) that nests like the file."""
        offset, sequence = self.dash - self.parent, self.key - self.parent
        return (offset or self.key - self.dash), sequence, offset


def parsed(raw: bytes) -> Any:
    """A library file's data, as huashu's loader reads it (YAML 1.1: `yes` is true)."""
    return yaml.load(decoded(raw)[0], Loader=_Loader)  # noqa: S506 - a safe loader


def composed(text: str) -> yaml.MappingNode:
    """The node tree of a library file that validated (a mapping at the top)."""
    root = yaml.compose(text, Loader=_Loader)
    assert isinstance(root, yaml.MappingNode)
    return root


def value_of(mapping: yaml.MappingNode, key: str) -> yaml.Node | None:
    return next((v for k, v in mapping.value if isinstance(k, yaml.ScalarNode) and k.value == key), None)


def appended(raw: bytes, key: str, items: list[CommentedMap], name: str) -> tuple[bytes, list[int]]:
    """The file with `items` added at the end of its top-level `key:` list, and each item's line.

    Raises:
        AppendRefused: the list is not a block list with items, or the result would not
            read as the file plus the items.
    """
    text, bom = decoded(raw)
    layout = _layout(text, key, name)
    mapping, sequence, offset = layout.indents()
    lines = [line for item in items for line in _item_lines(item, layout.dash, layout.key, mapping, sequence, offset)]
    at = layout.spot.index
    result = text[:at] + layout.spot.lines(lines) + text[at:]
    before = yaml.load(text, Loader=_Loader)  # noqa: S506 - a safe loader
    if not reads_as(result, {**before, key: [*before[key], *items]}):
        raise AppendRefused(
            f"{name}：这个文件的写法无法安全地自动追加（追加后原有内容或新内容会被读成别的意思），没有写入。请手动添加"
        )
    return encoded(result, bom), _item_lines_in(result, key, len(before[key]))


def new_file_text(data: CommentedMap, key: str) -> tuple[bytes, list[int]]:
    """A new file's bytes (its items already in `data[key]`) and each item's line."""
    mapping, sequence, offset = _NEW_FILE_INDENT
    text = "\n".join(_dumped(data, mapping, sequence, offset)) + "\n"
    assert reads_as(text, data), "a new file reads as what it was made from"
    return text.encode("utf-8"), _item_lines_in(text, key, 0)


def decoded(raw: bytes) -> tuple[str, bool]:
    """A file's text, and whether it starts with a byte-order mark (kept when written back)."""
    bom = raw.startswith(codecs.BOM_UTF8)
    return raw.decode("utf-8-sig"), bom


def encoded(text: str, bom: bool) -> bytes:
    return (codecs.BOM_UTF8 if bom else b"") + text.encode("utf-8")


def _layout(text: str, key: str, name: str) -> _Layout:
    root = composed(text)
    key_node = next((k for k, _ in root.value if k.value == key), None)
    items = value_of(root, key)
    if key_node is None or not isinstance(items, yaml.SequenceNode) or not items.value:
        raise AppendRefused(f"{name}：没有可以追加的 {key} 列表（应有至少一项），没有写入")
    if items.flow_style:
        raise AppendRefused(
            f"{name}:{items.start_mark.line + 1}:{items.start_mark.column + 1}: {key}: 写成了 [ … ] 形式，"
            f"无法自动追加，没有写入。请改成每项一个“- ”开头的写法，或手动添加"
        )
    last = items.value[-1]
    return _Layout(items.start_mark.column, last.start_mark.column, key_node.start_mark.column, spot_after(text, last))


def spot_after(text: str, node: yaml.Node) -> Spot:
    """Just after the node's last line: past a trailing comment on that line, before the
    comments and blank lines that follow (a `|+` block's trailing blank lines are its own)."""
    end = max(exact.end_mark.index for exact in _exact_ends(node))
    line_start = end == 0 or text[end - 1] in "\r\n"
    index = end if line_start else _line_end(text, end)
    return Spot(index, line_start, _ending_near(text, index, line_start))


def _exact_ends(node: yaml.Node) -> Iterator[yaml.Node]:
    """The nodes whose end mark is where their text ends: scalars and flow collections
    (a block collection ends where the next token starts, past comments and blank lines)."""
    if isinstance(node, yaml.ScalarNode) or (isinstance(node, yaml.CollectionNode) and node.flow_style):
        yield node
    elif isinstance(node, yaml.SequenceNode):
        for child in node.value:
            yield from _exact_ends(child)
    elif isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            yield from _exact_ends(key)
            yield from _exact_ends(value)


def _line_end(text: str, index: int) -> int:
    ends = [found for found in (text.find("\r", index), text.find("\n", index)) if found != -1]
    return min(ends) if ends else len(text)


def _ending_near(text: str, index: int, line_start: bool) -> str:
    """The line break of the line the items follow; else the file's most common one."""
    near = text[max(0, index - 2) : index] if line_start else text[index : index + 2]
    for ending in _LINE_BREAKS:
        if (near.endswith if line_start else near.startswith)(ending):
            return ending
    counts = Counter({ending: text.count(ending) for ending in _LINE_BREAKS})
    counts["\n"] -= counts["\r\n"]
    counts["\r"] -= counts["\r\n"]
    common = counts.most_common(1)[0]
    return common[0] if common[1] > 0 else "\n"


def _item_lines(item: CommentedMap, dash: int, key: int, mapping: int, sequence: int, offset: int) -> list[str]:
    """One list item's lines: its first line after the dash, the rest under its first key."""
    first, *rest = _dumped(item, mapping, sequence, offset)
    return [" " * dash + "-" + " " * (key - dash - 1) + first, *(" " * key + line if line else line for line in rest)]


def _dumped(data: CommentedMap, mapping: int, sequence: int, offset: int) -> list[str]:
    dumper = YAML()  # round-trip mode: keeps the flow lists and `|` blocks callers ask for
    dumper.width = 4096  # never wrap a long line
    dumper.indent(mapping=mapping, sequence=sequence, offset=offset)
    # One value given to several items (a date) is written out each time: the library
    # refuses YAML aliases.
    dumper.representer.ignore_aliases = lambda _data: True
    # YAML 1.1, as huashu's loader reads: `yes`, `on` and `0o17`-like text gets quotes.
    dumper.version = (1, 1)
    out = io.StringIO()
    dumper.dump(data, out)
    lines = out.getvalue().split("\n")
    return lines[lines.index("---") + 1 : -1]  # without the %YAML directive it needs


def reads_as(text: str | bytes, expected: Any) -> bool:
    """Whether huashu's loader reads `text` as `expected` (the check after every edit)."""
    try:
        return bool(yaml.load(decoded(text)[0] if isinstance(text, bytes) else text, Loader=_Loader) == expected)  # noqa: S506 - a safe loader
    except yaml.YAMLError:
        return False


def _item_lines_in(text: str, key: str, first: int) -> list[int]:
    """The line (1-based) of each item of `key` from index `first` on."""
    items = value_of(composed(text), key)
    assert isinstance(items, yaml.SequenceNode)
    return [item.start_mark.line + 1 for item in items.value[first:]]

"""Stage 2, validate: turn node trees into model objects, collecting every problem.

The checks are derived from the type hints and `spec()` metadata in
`huashu.model` and the rule table in `huashu.rules`; only the checks that need
the whole library (unique ids, references) are written out here. Every record
keeps where each of its fields was written (`positions`), so later stages point
at the exact line without reading the files again.
"""

from __future__ import annotations

import dataclasses
import datetime
import difflib
import functools
import re
import types
import typing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, Union

import yaml

from huashu import model, review, rules
from huashu.errors import LibraryError, LibraryInvalid
from huashu.load import CARDS_FILE, CATEGORY_FILE, LibraryFiles
from huashu.model import Card, CardFile, Category, CategoryFile, Entry, EntryFile, Library, Origin

_INVALID = object()  # a value that failed conversion; its error is already recorded

_STR_TAG = "tag:yaml.org,2002:str"
_TEXT_TAGS = {_STR_TAG, "tag:yaml.org,2002:int", "tag:yaml.org,2002:float"}
_TAG_NAMES = {
    "tag:yaml.org,2002:null": "空值",
    "tag:yaml.org,2002:bool": "布尔值",
    "tag:yaml.org,2002:int": "数字",
    "tag:yaml.org,2002:float": "数字",
    "tag:yaml.org,2002:timestamp": "日期",
    _STR_TAG: "文本",
}
_ID_RE = re.compile(model.ID_PATTERN)
# Tags the YAML core schema resolves by itself; any other tag (!!python/..., !custom) is refused.
_STANDARD_TAGS = {f"tag:yaml.org,2002:{t}" for t in ("str", "int", "float", "bool", "null", "timestamp", "seq", "map")}
_ID_TYPES = (model.EntryId, model.CategoryId, model.EntryRef, model.PhraseRef, model.CategoryRef, model.CardId)


@dataclass
class _Mention:
    """An id written somewhere in the library, kept with its position for later checks."""

    value: str
    origin: Origin
    path: str
    expect_kind: str | None = None


@dataclass
class _Collector:
    """What conversion of all files gathers: problems, and ids to check across files."""

    errors: list[LibraryError] = field(default_factory=list)
    entry_ids: list[_Mention] = field(default_factory=list)
    category_ids: list[_Mention] = field(default_factory=list)
    card_ids: list[_Mention] = field(default_factory=list)
    references: list[_Mention] = field(default_factory=list)
    category_uses: list[_Mention] = field(default_factory=list)


class _FileConverter:
    """Converts one file's nodes into model objects against the model's type hints."""

    def __init__(self, name: str, collector: _Collector):
        self.name = name
        self.out = collector
        # Positions of the record being converted, by full field path; see `record_positions`.
        self.positions: model.Positions = {}

    # --- helpers -------------------------------------------------------------

    def origin(self, node: yaml.Node) -> Origin:
        return Origin(self.name, node.start_mark.line + 1, node.start_mark.column + 1)

    def error(self, node: yaml.Node, path: str, message: str) -> object:
        origin = self.origin(node)
        self.out.errors.append(LibraryError(self.name, origin.line, origin.column, path, message))
        return _INVALID

    def wrong_type(self, node: yaml.Node, path: str, expected: str) -> object:
        if isinstance(node, yaml.MappingNode):
            got = "键值对"
        elif isinstance(node, yaml.SequenceNode):
            got = "列表"
        else:
            got = _TAG_NAMES.get(node.tag, f"带标签 {node.tag} 的值")
        if node.tag == "tag:yaml.org,2002:null":
            return self.error(node, path, "缺少值；不需要时请删除这一行")
        hint = "（若要原样写 yes/no/true/false，请加引号）" if got == "布尔值" and expected == "文本" else ""
        return self.error(node, path, f"应为{expected}，实际是{got}{hint}")

    # --- conversion by type hint ---------------------------------------------

    def check_tag(self, node: yaml.Node, path: str) -> bool:
        if node.tag in _STANDARD_TAGS:
            return True
        tag = node.tag.replace("tag:yaml.org,2002:", "!!")
        self.error(node, path, f"不支持 YAML 标签 {tag}，请删除标签，直接写内容")
        return False

    def convert(self, node: yaml.Node, hint: Any, path: str) -> Any:
        self.positions[path] = (node.start_mark.line + 1, node.start_mark.column + 1, False)
        if not self.check_tag(node, path):
            return _INVALID
        origin = typing.get_origin(hint)
        args = typing.get_args(hint)
        if origin in (Union, types.UnionType):  # Optional[X]: a written null is refused by X itself
            return self.convert(node, next(a for a in args if a is not type(None)), path)
        if origin is Literal:
            return self.convert_choice(node, args, path)
        if origin is list:
            return self.convert_list(node, args[0], path)
        if origin is dict:
            return self.convert_text_map(node, path)
        if hint is int:
            if node.tag != "tag:yaml.org,2002:int":
                return self.wrong_type(node, path, "整数")
            return int(node.value.replace("_", ""))
        if hint is bool:
            if node.tag != "tag:yaml.org,2002:bool":
                return self.wrong_type(node, path, "布尔值（true 或 false）")
            return node.value.lower() in ("true", "yes", "on")
        if hint is datetime.date:
            return self.convert_date(node, path)
        if hint is model.ReviewPeriod:
            return self.convert_period(node, path)
        if hint is model.LintRule:
            return self.convert_choice(node, tuple(model.LINT_RULES), path)
        if hint in _ID_TYPES:
            return self.convert_id(node, hint, path)
        if isinstance(hint, type) and dataclasses.is_dataclass(hint):
            return self.convert_record(node, hint, path, {})
        return self.convert_text(node, path)

    def convert_text(self, node: yaml.Node, path: str) -> Any:
        if not isinstance(node, yaml.ScalarNode) or node.tag not in _TEXT_TAGS:
            return self.wrong_type(node, path, "文本")
        text = node.value.strip()
        if not text:
            return self.error(node, path, "不能为空")
        return text

    def convert_id(self, node: yaml.Node, hint: Any, path: str) -> Any:
        value = self.convert_text(node, path)
        if value is _INVALID:
            return value
        problem = id_problem(value)
        if problem:
            return self.error(node, path, problem)
        mention = _Mention(value, self.origin(node), path)
        if hint in (model.EntryRef, model.PhraseRef):
            mention.expect_kind = "phrase" if hint is model.PhraseRef else None
            self.out.references.append(mention)
        if hint is model.CategoryRef:
            self.out.category_uses.append(mention)
        return value

    def convert_period(self, node: yaml.Node, path: str) -> Any:
        value = self.convert_text(node, path)
        if value is _INVALID or review.parse_period(value) is not None:
            return value
        return self.error(node, path, f"复核周期“{value}”无效，应写成 6个月、90天、2周 或 1年")

    def convert_choice(self, node: yaml.Node, choices: tuple[str, ...], path: str) -> Any:
        value = self.convert_text(node, path)
        if value is _INVALID:
            return value
        if value not in choices:
            return self.error(node, path, f"“{value}”无效，只能是 {'、'.join(choices)} 之一")
        return value

    def convert_date(self, node: yaml.Node, path: str) -> Any:
        if not isinstance(node, yaml.ScalarNode) or node.tag not in (_STR_TAG, "tag:yaml.org,2002:timestamp"):
            return self.wrong_type(node, path, "日期（YYYY-MM-DD）")
        try:
            return datetime.date.fromisoformat(node.value.strip())
        except ValueError:
            return self.error(node, path, f"日期“{node.value}”无效，应为 YYYY-MM-DD，如 2026-01-31")

    def convert_list(self, node: yaml.Node, item_hint: Any, path: str) -> Any:
        if not isinstance(node, yaml.SequenceNode):
            return self.wrong_type(node, path, "列表")
        items = [self.convert(item, item_hint, f"{path}[{i}]") for i, item in enumerate(node.value)]
        if any(item is _INVALID for item in items):
            return _INVALID
        return items

    def convert_text_map(self, node: yaml.Node, path: str) -> Any:
        if not isinstance(node, yaml.MappingNode):
            return self.wrong_type(node, path, "键值对")
        result: dict[str, str] = {}
        for key_node, value_node in node.value:
            key = self.convert_text(key_node, path)
            if key is _INVALID:
                continue
            if key in result:
                self.error(key_node, f"{path}.{key}", "重复的键")
                continue
            self.positions[f"{path}.{key}"] = (value_node.start_mark.line + 1, value_node.start_mark.column + 1, False)
            value = self.convert_text(value_node, f"{path}.{key}")
            if value is not _INVALID:
                result[key] = value
        return result

    def mapping_fields(self, node: yaml.MappingNode, path: str) -> dict[str, tuple[yaml.Node, yaml.Node]]:
        """The keys of a mapping with their nodes; duplicate and non-text keys reported."""
        found: dict[str, tuple[yaml.Node, yaml.Node]] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode) or key_node.tag != _STR_TAG:
                self.error(key_node, path, "字段名必须是文本")
                continue
            key = key_node.value
            if key in found:
                first = self.origin(found[key][0])
                self.error(key_node, _join(path, key), f"字段重复：第 {first.line} 行已经写过 {key}")
                continue
            found[key] = (key_node, value_node)
        return found

    def convert_record(
        self,
        node: yaml.Node,
        cls: type,
        path: str,
        inherited: dict[str, Any],
        inherited_at: dict[str, tuple[int, int]] | None = None,
    ) -> Any:
        """A mapping into the dataclass `cls`: unknown, missing and mistyped fields reported.

        Args:
            inherited: Values the file's `defaults:` gives, for fields not written here.
            inherited_at: Where in the file each inherited value was written.
        """
        if not isinstance(node, yaml.MappingNode):
            return self.wrong_type(node, path, "键值对")
        hints, known = _record_fields(cls)
        given = self.mapping_fields(node, path)
        for rule in rules.rules_for(cls):
            for at, name, message in rule.check(given):
                self.error(at, _join(path, name), message)
        values: dict[str, Any] = {}
        ok = True
        for key, (key_node, value_node) in given.items():
            if key not in known:
                self.error(key_node, _join(path, key), _unknown_field_message(key, known))
                ok = False
                continue
            value = self.convert(value_node, hints[key], _join(path, key))
            if value is _INVALID:
                ok = False
            else:
                values[key] = value
        for name, spec in known.items():
            if name in given:
                continue
            if name in inherited:
                values[name] = inherited[name]
                if inherited_at and name in inherited_at:
                    self.positions[_join(path, name)] = (*inherited_at[name], True)
            elif spec.metadata.get("required"):
                self.error(node, _join(path, name), f"缺少必填字段 {name}：{spec.metadata['title']}")
                ok = False
        for name, spec in known.items():
            if spec.metadata.get("non_empty") and values.get(name) == []:
                self.error(given[name][1], _join(path, name), "列表不能为空")
                ok = False
        if not ok:
            return _INVALID
        if "origin" in known or any(f.name == "origin" for f in dataclasses.fields(cls)):
            values["origin"] = Origin(self.name, node.start_mark.line + 1, node.start_mark.column + 1, path)
            values["positions"] = self.record_positions(path)
        return cls(**values)

    def record_positions(self, path: str) -> model.Positions:
        """The positions gathered while converting the record at `path`, relative to it."""
        prefix = path + "." if path else ""
        return {key[len(prefix) :]: where for key, where in self.positions.items() if key.startswith(prefix)}

    # --- files and entries ---------------------------------------------------

    def convert_entry(
        self, node: yaml.Node, path: str, defaults: dict[str, Any], defaults_at: dict[str, tuple[int, int]]
    ) -> Any:
        """One entry: its `kind` (or the file default) picks the model class."""
        self.positions = {}
        if not isinstance(node, yaml.MappingNode):
            return self.wrong_type(node, path, "键值对（一个条目）")
        given = {k.value: (k, v) for k, v in node.value if isinstance(k, yaml.ScalarNode)}
        self.note_id(node, path, given, self.out.entry_ids)  # even if the rest fails: its id exists
        kind = defaults.get("kind")
        if "kind" in given:
            kind_node = given["kind"][1]
            kind = self.convert_choice(kind_node, tuple(model.ENTRY_CLASSES), _join(path, "kind"))
            if kind is _INVALID:
                return _INVALID
        if kind is None:
            return self.error(
                node,
                _join(path, "kind"),
                f"缺少必填字段 kind（{'、'.join(model.ENTRY_CLASSES)}），或在文件 defaults 中给出",
            )
        entry = self.convert_record(node, model.ENTRY_CLASSES[kind], path, {**defaults, "kind": kind}, defaults_at)
        if entry is not _INVALID and "category" in given:  # a default category is recorded once, at defaults
            self.out.category_uses.append(
                _Mention(entry.category, self.origin(given["category"][1]), _join(path, "category"))
            )
        return entry

    def note_id(self, node: yaml.Node, path: str, given: dict, into: list[_Mention]) -> None:
        """Remember a well-formed id with its position, for the duplicate check across files."""
        if "id" in given:
            id_node = given["id"][1]
            if isinstance(id_node, yaml.ScalarNode) and _ID_RE.match(id_node.value.strip()):
                into.append(_Mention(id_node.value.strip(), self.origin(id_node), _join(path, "id")))

    def convert_entry_file(self, root: yaml.Node) -> list[Entry]:
        if not self.check_tag(root, ""):
            return []
        if not isinstance(root, yaml.MappingNode):
            self.wrong_type(root, "", "键值对（含 entries 列表）")
            return []
        hints, _ = _record_fields(EntryFile)
        given = self.mapping_fields(root, "")
        for key, (key_node, _) in given.items():
            if key not in hints:
                self.error(key_node, key, _unknown_field_message(key, hints))
        defaults: dict[str, Any] = {}
        defaults_at: dict[str, tuple[int, int]] = {}
        if "defaults" in given:
            defaults_node = given["defaults"][1]
            for key_node, value_node in defaults_node.value if isinstance(defaults_node, yaml.MappingNode) else ():
                if isinstance(key_node, yaml.ScalarNode):
                    defaults_at[key_node.value] = (value_node.start_mark.line + 1, value_node.start_mark.column + 1)
            converted = self.convert_record(given["defaults"][1], model.FileDefaults, "defaults", {})
            if converted is not _INVALID:
                defaults = {k: v for k, v in dataclasses.asdict(converted).items() if v is not None}
            else:  # keep the defaults that are fine, so one bad line is not repeated in every entry
                defaults = _usable_defaults(given["defaults"][1], self.name)
                defaults_node = given["defaults"][1]
                if "category" in defaults and isinstance(defaults_node, yaml.MappingNode):
                    node = _field_node(defaults_node, "category")
                    self.out.category_uses.append(
                        _Mention(defaults["category"], self.origin(node), "defaults.category")
                    )
        if "entries" not in given:
            self.error(root, "entries", "缺少必填字段 entries（条目列表）")
            return []
        entries_node = given["entries"][1]
        if not isinstance(entries_node, yaml.SequenceNode):
            self.wrong_type(entries_node, "entries", "列表")
            return []
        if not entries_node.value:
            self.error(entries_node, "entries", "列表不能为空")
        entries = [
            self.convert_entry(n, f"entries[{i}]", defaults, defaults_at) for i, n in enumerate(entries_node.value)
        ]
        return [e for e in entries if e is not _INVALID]

    def convert_category_file(self, root: yaml.Node) -> list[Category]:
        _note_list_ids(self, root, "categories", self.out.category_ids)
        result = self.convert(root, CategoryFile, "")
        return [] if result is _INVALID else result.categories

    def convert_card_file(self, root: yaml.Node) -> list[Card]:
        _note_list_ids(self, root, "cards", self.out.card_ids)
        result = self.convert(root, CardFile, "")
        return [] if result is _INVALID else result.cards


def id_problem(value: str) -> str | None:
    """Why `value` cannot be an id, or None when it can."""
    if _ID_RE.match(value):
        return None
    return f"“{value}”不是有效的 id：只能用小写字母、数字和连字符，如 greeting-standard"


@functools.cache
def _record_fields(cls: type) -> tuple[dict[str, Any], dict[str, dataclasses.Field]]:
    """Type hints and editor-facing fields of a model class (resolved once: it is slow)."""
    hints = typing.get_type_hints(cls)
    known = {f.name: f for f in dataclasses.fields(cls) if not f.metadata.get("internal")}
    return hints, known


def _usable_defaults(node: yaml.Node, name: str) -> dict[str, Any]:
    """The fields of a broken `defaults:` block that convert on their own (errors already reported)."""
    if not isinstance(node, yaml.MappingNode):
        return {}
    hints, _ = _record_fields(model.FileDefaults)
    quiet = _FileConverter(name, _Collector())
    usable = {}
    for key_node, value_node in node.value:
        if key_node.value in hints:
            value = quiet.convert(value_node, hints[key_node.value], "")
            if value is not _INVALID and value is not None:
                usable[key_node.value] = value
    return usable


def _note_list_ids(converter: _FileConverter, root: yaml.Node, key: str, into: list[_Mention]) -> None:
    """Remember the ids of a root list (categories, cards) before converting it, for duplicate checks."""
    if isinstance(root, yaml.MappingNode):
        for key_node, value_node in root.value:
            if key_node.value == key and isinstance(value_node, yaml.SequenceNode):
                for i, item in enumerate(value_node.value):
                    if isinstance(item, yaml.MappingNode):
                        given = {k.value: (k, v) for k, v in item.value if isinstance(k, yaml.ScalarNode)}
                        converter.note_id(item, f"{key}[{i}]", given, into)


def _join(path: str, name: str) -> str:
    if not name:
        return path
    return f"{path}.{name}" if path else name


def _field_node(mapping: yaml.MappingNode, name: str) -> yaml.Node:
    for key_node, value_node in mapping.value:
        if key_node.value == name:
            return value_node
    return mapping


def _unknown_field_message(key: str, known: typing.Iterable[str]) -> str:
    close = difflib.get_close_matches(key, list(known), n=1, cutoff=0.7)
    hint = f"（是不是想写 {close[0]}？）" if close else f"（可用字段：{'、'.join(known)}）"
    return f"未知字段 {key}{hint}"


def _check_across_files(collector: _Collector, library: Library, files: LibraryFiles) -> None:
    """Rules that need the whole library: unique ids and references that resolve."""
    errors = collector.errors

    def report(mention: _Mention, message: str) -> None:
        errors.append(
            LibraryError(mention.origin.file, mention.origin.line, mention.origin.column, mention.path, message)
        )

    for mentions, what in (
        (collector.entry_ids, "条目"),
        (collector.category_ids, "分类"),
        (collector.card_ids, "卡片"),
    ):
        first_seen: dict[str, _Mention] = {}
        for mention in mentions:
            if mention.value in first_seen:
                report(mention, f"{what} id “{mention.value}”重复，已在 {first_seen[mention.value].origin} 使用")
            else:
                first_seen[mention.value] = mention
    # Ids of entries that failed conversion still count as existing: their own
    # errors are reported, and a second "does not exist" would only mislead.
    known_entries = {m.value for m in collector.entry_ids} | files.unreadable_entry_ids
    known_categories = {m.value for m in collector.category_ids} | files.unreadable_category_ids
    if files.no_categories:
        collector.category_uses.clear()  # every use would fail; the missing file is reported once
    for mention in collector.category_uses:
        if mention.value not in known_categories:
            report(mention, f"分类“{mention.value}”不存在，请先在 {CATEGORY_FILE} 中定义")
    for mention in collector.references:
        target = library.by_id.get(mention.value)
        if mention.value not in known_entries:
            close = difflib.get_close_matches(mention.value, list(library.by_id), n=1, cutoff=0.7)
            hint = f"（是不是 {close[0]}？）" if close else ""
            report(mention, f"引用的条目“{mention.value}”不存在{hint}")
        elif target and mention.expect_kind and target.kind != mention.expect_kind:
            report(mention, f"“{mention.value}”是{model.KIND_TITLES[target.kind]}，这里只能引用话术")


def validate_library(files: LibraryFiles) -> Library:
    """Convert the library's files as they are read (so each node tree is freed before the
    next file is read), then run the checks that need the whole library.

    Raises:
        LibraryInvalid: listing every problem, load problems included.
    """
    collector = _Collector()
    categories: list[Category] = []
    entries: list[Entry] = []
    cards: list[Card] = []
    for source in files:
        converter = _FileConverter(source.name, collector)
        name = Path(source.name).name  # root files only: nested ones are refused when loading
        if name == CATEGORY_FILE:
            categories.extend(converter.convert_category_file(source.root))
        elif name == CARDS_FILE:
            cards.extend(converter.convert_card_file(source.root))
        else:
            entries.extend(converter.convert_entry_file(source.root))
    library = Library(
        categories=_first_of_each(categories), entries=_first_of_each(entries), cards=_first_of_each(cards)
    )
    _check_across_files(collector, library, files)
    errors = files.errors + collector.errors
    if errors:
        raise LibraryInvalid(errors)
    return library


def _first_of_each(items: list[Any]) -> list[Any]:
    """Drop later duplicates by id (already reported) so lookups stay well-defined."""
    seen: set[str] = set()
    kept = []
    for item in items:
        if item.id not in seen:
            seen.add(item.id)
            kept.append(item)
    return kept

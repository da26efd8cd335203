"""Stage 2, validate: every library file into model objects, then the checks across files.

A file's shape (an entry file with its `defaults:`, categories.yaml, cards.yaml)
is converted with `huashu.convert`; what needs the whole library (unique ids,
references that resolve) is checked here once every file is in. Every problem is
collected before anything fails.
"""

from __future__ import annotations

import dataclasses
import difflib
import re
from pathlib import Path
from typing import Any

import yaml

from huashu import model, ruby
from huashu.convert import (
    INVALID,
    Collector,
    Converter,
    Mention,
    id_problem,
    join,
    record_fields,
    unknown_field_message,
)
from huashu.errors import LibraryError, LibraryInvalid, split_warnings
from huashu.load import CARDS_FILE, CATEGORY_FILE, PINYIN_FILE, PLACEHOLDERS_FILE, SYNONYMS_FILE, LibraryFiles
from huashu.model import Card, CardFile, Category, CategoryFile, Entry, EntryFile, Library, Synonym, SynonymFile

__all__ = ["id_problem", "validate_library"]


class _FileConverter(Converter):
    """Converts one file of the library: its shape picks the model classes."""

    def convert_entry(
        self, node: yaml.Node, path: str, defaults: dict[str, Any], defaults_at: dict[str, tuple[int, int]]
    ) -> Any:
        """One entry: its `kind` (or the file default) picks the model class."""
        if not isinstance(node, yaml.MappingNode):
            return self.wrong_type(node, path, "键值对（一个条目）")
        given = {k.value: (k, v) for k, v in node.value if isinstance(k, yaml.ScalarNode)}
        self.note_id(node, path, given, self.out.entry_ids)  # even if the rest fails: its id exists
        # Two ids in one mapping are two entries with the "- " of the second forgotten (its own
        # error says so): the first exists too, wherever it is referred to.
        self.out.unread_entry_ids.update(
            v.value
            for k, v in node.value
            if isinstance(k, yaml.ScalarNode) and k.value == "id" and isinstance(v, yaml.ScalarNode)
        )
        kind = defaults.get("kind")
        if "kind" in given:
            kind_node = given["kind"][1]
            kind = self.convert_choice(kind_node, tuple(model.ENTRY_CLASSES), join(path, "kind"))
            if kind is INVALID:
                return INVALID
        if kind is INVALID:  # the file's default kind is wrong: reported once, at defaults
            return INVALID
        if kind is None:
            return self.error(
                node,
                join(path, "kind"),
                f"缺少必填字段 kind（{'、'.join(model.ENTRY_CLASSES)}），或在文件 defaults 中给出",
            )
        entry = self.convert_record(node, model.ENTRY_CLASSES[kind], path, {**defaults, "kind": kind}, defaults_at)
        if entry is not INVALID and "category" in given:  # a default category is recorded once, at defaults
            self.out.category_uses.append(
                Mention(entry.category, self.origin(given["category"][1]), join(path, "category"))
            )
        return entry

    def note_id(self, node: yaml.Node, path: str, given: dict, into: list[Mention]) -> None:
        """Remember a well-formed id with its position, for the duplicate check across files."""
        if "id" in given:
            id_node = given["id"][1]
            if isinstance(id_node, yaml.ScalarNode) and id_problem(id_node.value) is None:
                into.append(Mention(id_node.value, self.origin(id_node), join(path, "id")))

    def convert_entry_file(self, root: yaml.Node) -> list[Entry]:
        if not self.check_tag(root, ""):
            return []
        if not isinstance(root, yaml.MappingNode):
            self.wrong_type(root, "", "键值对（含 entries 列表）")
            return []
        hints, _ = record_fields(EntryFile)
        given = self.mapping_fields(root, "")
        misspelt: dict[str, yaml.Node] = {}  # entries or defaults under a misspelt name
        for key, (key_node, value_node) in given.items():
            if key in hints:
                continue
            meant = next((name for name in _MISSPELT_MESSAGES if name not in given and _looks_like(key, name)), None)
            if meant:
                misspelt[meant] = value_node
                self.error(key_node, key, _MISSPELT_MESSAGES[meant].format(key=key))
            else:
                self.error(key_node, key, unknown_field_message(key, hints))
        defaults: dict[str, Any] = {}
        defaults_at: dict[str, tuple[int, int]] = {}
        if "defaults" in given:
            defaults_node = given["defaults"][1]
            for key_node, value_node in defaults_node.value if isinstance(defaults_node, yaml.MappingNode) else ():
                if isinstance(key_node, yaml.ScalarNode):
                    defaults_at[key_node.value] = (value_node.start_mark.line + 1, value_node.start_mark.column + 1)
            converted = self.convert_record(given["defaults"][1], model.FileDefaults, "defaults", {})
            if converted is not INVALID:
                defaults = {k: v for k, v in dataclasses.asdict(converted).items() if v is not None}
            else:  # keep the defaults that are fine, so one bad line is not repeated in every entry
                defaults = _usable_defaults(defaults_node, self.name)
            # A default category is checked once, where it is written (entries that inherit it
            # are not reported again).
            if defaults.get("category", INVALID) is not INVALID and isinstance(defaults_node, yaml.MappingNode):
                node = _field_node(defaults_node, "category")
                self.out.category_uses.append(Mention(defaults["category"], self.origin(node), "defaults.category"))
        if "defaults" in misspelt:  # its fields were meant for every entry: not reported missing in each
            defaults = dict.fromkeys(_field_names(misspelt["defaults"], model.FileDefaults), INVALID)
        if "entries" not in given or not isinstance(given["entries"][1], yaml.SequenceNode):
            if "entries" in given:
                self.wrong_type(given["entries"][1], "entries", "列表")
            elif "entries" not in misspelt:
                self.error(root, "entries", "缺少必填字段 entries（条目列表）")
            self.out.unread_entry_ids.update(_ids_within(root))  # they exist, though unread
            return []
        entries_node = given["entries"][1]
        if not entries_node.value:
            self.error(entries_node, "entries", "列表不能为空")
        entries = [
            self.convert_entry(n, f"entries[{i}]", defaults, defaults_at) for i, n in enumerate(entries_node.value)
        ]
        return [e for e in entries if e is not INVALID]

    def convert_category_file(self, root: yaml.Node) -> list[Category]:
        _note_list_ids(self, root, "categories", self.out.category_ids)
        result = self.convert(root, CategoryFile, "")
        return [] if result is INVALID else result.categories

    def convert_card_file(self, root: yaml.Node) -> list[Card]:
        _note_list_ids(self, root, "cards", self.out.card_ids)
        result = self.convert(root, CardFile, "")
        return [] if result is INVALID else result.cards


def _usable_defaults(node: yaml.Node, name: str) -> dict[str, Any]:
    """The fields of a broken `defaults:` block that convert on their own (errors already reported).

    A field that is wrong (or whose name is misspelt) is INVALID: entries that would inherit
    it fail quietly, so the one mistake is reported once, where it was written.
    """
    if not isinstance(node, yaml.MappingNode):
        return {}
    hints, _ = record_fields(model.FileDefaults)
    quiet = _FileConverter(name, Collector())
    usable = {}
    for key_node, value_node in node.value:
        if key_node.value in hints:
            value = quiet.convert(value_node, hints[key_node.value], "")
            if value is not None:
                usable[key_node.value] = value
    for key_node, _ in node.value:
        meant = next((name for name in hints if _looks_like(key_node.value, name)), None)
        if key_node.value not in hints and meant:
            usable.setdefault(meant, INVALID)
    return usable


_MISSPELT_MESSAGES = {
    "entries": "未知字段 {key}：条目列表要写成 entries:，这个文件里的条目都没有读到",
    "defaults": "未知字段 {key}：默认值要写在 defaults: 下，这里写的默认值都没有用上",
}


def _field_names(node: yaml.Node, cls: type) -> list[str]:
    """The names in a mapping node that are fields of `cls`."""
    hints, _ = record_fields(cls)
    names = [key.value for key, _ in node.value] if isinstance(node, yaml.MappingNode) else []
    return [name for name in names if name in hints]


def _looks_like(written: str, name: str) -> bool:
    """Whether a field name is a misspelling of `name` (entires, entry for entries)."""
    return difflib.SequenceMatcher(None, written, name).ratio() >= MISSPELLING_RATIO


# Lower than the "did you mean" hints' 0.7: entry (for entries) scores 0.67.
MISSPELLING_RATIO = 0.6


def _ids_within(node: yaml.Node) -> set[str]:
    """Every `id:` written anywhere under `node`: entries that exist, though they could not be read."""
    found, stack = set(), [node]
    while stack:
        current = stack.pop()
        if isinstance(current, yaml.SequenceNode):
            stack.extend(current.value)
        elif isinstance(current, yaml.MappingNode):
            for key_node, value_node in current.value:
                if key_node.value == "id" and isinstance(value_node, yaml.ScalarNode):
                    found.add(value_node.value.strip())
                stack.append(value_node)
    return found


def _note_list_ids(converter: _FileConverter, root: yaml.Node, key: str, into: list[Mention]) -> None:
    """Remember the ids of a root list (categories, cards) before converting it, for duplicate checks."""
    if isinstance(root, yaml.MappingNode):
        for key_node, value_node in root.value:
            if key_node.value == key and isinstance(value_node, yaml.SequenceNode):
                for i, item in enumerate(value_node.value):
                    if isinstance(item, yaml.MappingNode):
                        given = {k.value: (k, v) for k, v in item.value if isinstance(k, yaml.ScalarNode)}
                        converter.note_id(item, f"{key}[{i}]", given, into)


def _field_node(mapping: yaml.MappingNode, name: str) -> yaml.Node:
    for key_node, value_node in mapping.value:
        if key_node.value == name:
            return value_node
    return mapping


# How copies made by file managers are named: "hold - 副本.yaml", "hold copy.yaml", "hold (2).yaml".
_COPY_NAME = re.compile(r"(副本|copy|拷贝|\(\d+\)|（\d+）)", re.IGNORECASE)


def _copied_files(entry_ids: list[Mention]) -> dict[str, tuple[str, Mention]]:
    """Files named like copies ("hold - 副本.yaml") whose entry ids are exactly another file's:
    the copy → (the original, its first id).

    One mistake (a file copied beside its original) is then one error, on the copy, instead of
    one per entry on whichever file sorts first."""
    ids_by_file: dict[str, list[Mention]] = {}
    for mention in entry_ids:
        ids_by_file.setdefault(mention.origin.file, []).append(mention)
    files_by_ids: dict[frozenset[str], list[str]] = {}
    for name, mentions in sorted(ids_by_file.items()):
        files_by_ids.setdefault(frozenset(m.value for m in mentions), []).append(name)
    copies: dict[str, tuple[str, Mention]] = {}
    for same in files_by_ids.values():
        # Only where names tell which is the copy; otherwise each duplicate id is reported.
        originals = [name for name in same if not _COPY_NAME.search(Path(name).stem)]
        for copy in (name for name in same if originals and name not in originals):
            copies[copy] = (originals[0], ids_by_file[copy][0])
    return copies


def _check_across_files(collector: Collector, library: Library, files: LibraryFiles) -> None:
    """Rules that need the whole library: unique ids and references that resolve."""
    errors = collector.errors

    def report(mention: Mention, message: str) -> None:
        errors.append(
            LibraryError(mention.origin.file, mention.origin.line, mention.origin.column, mention.path, message)
        )

    copies = _copied_files(collector.entry_ids)
    for copy, (original, first) in copies.items():
        errors.append(
            LibraryError(
                copy,
                first.origin.line,
                first.origin.column,
                "",
                f"这个文件的条目和 {original} 里的完全重复（多半是复制出来的副本），请删掉其中一个文件",
            )
        )
    for mentions, what in (
        ([m for m in collector.entry_ids if m.origin.file not in copies], "条目"),
        (collector.category_ids, "分类"),
        (collector.card_ids, "卡片"),
    ):
        first_seen: dict[str, Mention] = {}
        for mention in mentions:
            if mention.value in first_seen:
                report(mention, f"{what} id “{mention.value}”重复，已在 {first_seen[mention.value].origin} 使用")
            else:
                first_seen[mention.value] = mention
    # Ids of entries that failed conversion still count as existing: their own
    # errors are reported, and a second "does not exist" would only mislead.
    known_entries = {m.value for m in collector.entry_ids} | files.unreadable_entry_ids | collector.unread_entry_ids
    known_categories = {m.value for m in collector.category_ids} | files.unreadable_category_ids
    if files.no_categories:
        collector.category_uses.clear()  # every use would fail; the missing file is reported once
    for mention in collector.category_uses:
        if mention.value not in known_categories:
            close = difflib.get_close_matches(mention.value, sorted(known_categories), n=1, cutoff=0.7)
            hint = f"（是不是 {close[0]}？）" if close else f"，请先在 {CATEGORY_FILE} 中定义"
            report(mention, f"分类“{mention.value}”不存在{hint}")
    for mention in collector.references:
        target = library.by_id.get(mention.value)
        if mention.value not in known_entries:
            if files.ids_unknown:
                continue  # perhaps in the file that could not be read, whose error says so
            others = [i for i in library.by_id if i != mention.value]
            close = difflib.get_close_matches(mention.value, others, n=1, cutoff=0.7)
            hint = f"（是不是 {close[0]}？）" if close else ""
            if mention.value in files.ids_in_unread_files:
                hint = f"（它写在不会被读取的 {files.ids_in_unread_files[mention.value]} 里，见那里的提醒）"
            report(mention, f"引用的条目“{mention.value}”不存在{hint}")
        elif target and mention.expect_kind and target.kind != mention.expect_kind:
            report(mention, f"“{mention.value}”是{model.KIND_TITLES[target.kind]}，这里只能引用话术")
        elif target and mention.expect_avoid is False and model.is_forbidden(target):
            report(
                mention,
                f"“{mention.value}”是服务忌语，不能当作要说的话引用；要提醒坐席不要这样说，请改写成 dont_say: {mention.value}",
            )
        elif target and mention.expect_avoid is True and not model.is_forbidden(target):
            report(mention, f"dont_say 只能引用服务忌语（avoid: true 的话术），“{mention.value}”不是忌语")


def validate_library(files: LibraryFiles) -> Library:
    """Convert the library's files as they are read (so each node tree is freed before the
    next file is read), then run the checks that need the whole library.

    Raises:
        LibraryInvalid: listing every problem, load problems included.
    """
    collector = Collector()
    categories: list[Category] = []
    entries: list[Entry] = []
    cards: list[Card] = []
    synonyms: list[Synonym] = []
    placeholder_defaults: list[model.PlaceholderDefault] = []
    pinyin_words: list[model.PinyinWord] = []
    for source in files:
        converter = _FileConverter(source.name, collector, source.text)
        name = Path(source.name).name  # root files only: nested ones are refused when loading
        if name == CATEGORY_FILE:
            categories.extend(converter.convert_category_file(source.root))
        elif name == CARDS_FILE:
            cards.extend(converter.convert_card_file(source.root))
        elif name == SYNONYMS_FILE:
            converted = converter.convert(source.root, SynonymFile, "")
            synonyms.extend([] if converted is INVALID else converted.synonyms)
        elif name == PLACEHOLDERS_FILE:
            converted = converter.convert(source.root, model.PlaceholderFile, "")
            placeholder_defaults.extend([] if converted is INVALID else converted.placeholders)
        elif name == PINYIN_FILE:
            converted = converter.convert(source.root, model.PinyinFile, "")
            pinyin_words.extend([] if converted is INVALID else converted.words)
        else:
            entries.extend(converter.convert_entry_file(source.root))
    library = Library(
        categories=_first_of_each(categories),
        entries=_first_of_each(entries),
        cards=_first_of_each(cards),
        synonyms=synonyms,
        placeholder_defaults=placeholder_defaults,
        pinyin_words=pinyin_words,
    )
    _check_across_files(collector, library, files)
    _check_placeholder_defaults(collector, placeholder_defaults)
    _check_pinyin_words(collector, pinyin_words)
    errors, warnings = split_warnings(files.errors + collector.errors)
    if errors:
        raise LibraryInvalid(errors + warnings)
    library.warnings = warnings
    return library


def _check_placeholder_defaults(collector: Collector, defaults: list[model.PlaceholderDefault]) -> None:
    """Each placeholder named once, as phrases write it ({称呼} is written 称呼)."""
    seen: dict[str, model.PlaceholderDefault] = {}
    pattern = re.compile(model.PLACEHOLDER_PATTERN)
    for item in defaults:
        assert item.origin is not None
        line, column, path = model.position_of(item, "name")
        if not pattern.fullmatch("{" + item.name + "}"):
            message = f"占位符名字“{item.name}”无效：写花括号里的字，不带花括号和空格，如 称呼"
            collector.errors.append(LibraryError(item.origin.file, line, column, path, message))
        elif item.name in seen:
            first = seen[item.name].origin
            message = f"占位符 {item.name} 重复，已在 {first} 写过（只能有一个默认值）"
            collector.errors.append(LibraryError(item.origin.file, line, column, path, message))
        else:
            seen[item.name] = item


def _check_pinyin_words(collector: Collector, words: list[model.PinyinWord]) -> None:
    """Each word in hanzi, read with one real syllable per character, and written once."""
    seen: dict[str, model.PinyinWord] = {}
    for item in words:
        assert item.origin is not None
        for field_name, message in ruby.reading_problems(item.word, item.pinyin):
            line, column, path = model.position_of(item, field_name)
            collector.errors.append(LibraryError(item.origin.file, line, column, path, message))
        if item.word in seen:
            line, column, path = model.position_of(item, "word")
            message = f"“{item.word}”重复，已在 {seen[item.word].origin} 写过（一个词只能有一个读音）"
            collector.errors.append(LibraryError(item.origin.file, line, column, path, message))
        seen.setdefault(item.word, item)


def _first_of_each(items: list[Any]) -> list[Any]:
    """Drop later duplicates by id (already reported) so lookups stay well-defined."""
    seen: set[str] = set()
    kept = []
    for item in items:
        if item.id not in seen:
            seen.add(item.id)
            kept.append(item)
    return kept

"""Stage 2, validate (first part): YAML nodes into model values, by the model's type hints.

Every conversion is derived from the annotations and `spec()` metadata in
`huashu.model` and the rule table in `huashu.rules`; a value that fails is
reported once (file, line, column, field path, a Chinese message) and becomes
INVALID, so nothing built on it reports again. Each record keeps where each of
its fields was written (`positions`). Whole files and the checks across files
are `huashu.validate`'s.
"""

from __future__ import annotations

import dataclasses
import datetime
import difflib
import functools
import re
import types
import typing
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, Literal, Union

import yaml

from huashu import model, review, rules
from huashu.errors import LibraryError
from huashu.model import Origin

INVALID = object()  # a value that failed conversion; its error is already recorded

# A date further ahead than this is taken for a typo (2062 for 2026).
FAR_AHEAD = datetime.timedelta(days=366)
# Values as editors name them in Chinese (kind: 话术), for the hint towards the value to write.
_CHOICE_TITLES = {**model.SECTION_TITLES, **model.KIND_TITLES, **model.CHANNEL_TITLES}
# Separators of a list written in Chinese: inside [ ] they are part of one item.
_WIDE_SEPARATORS = re.compile("[，、；]")
_PLAIN_STYLES = (None, "")  # PyYAML and libyaml name the plain style differently
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
# Characters no text may hold, each with what it is and what to do.
_BAD_CHARACTERS = (
    (
        re.compile(f"[{model.CONTROL_CHARACTERS}]"),
        "含有看不见的控制字符 U+{code:04X}，请删除（可能来自双引号里的 \\ 转义）",
    ),
    (
        re.compile(f"[{model.LONE_SURROGATES}]"),
        "含有无效的转义 \\u{code:04X}（半个字符，无法保存为 UTF-8），请删除；表情等字符请直接写出来，不要写成 \\u 转义",
    ),
    (
        re.compile(f"[{model.BIDI_CONTROLS}]"),
        "含有改变文字方向的控制字符 U+{code:04X}（会让文字倒着或错乱显示），请删除",
    ),
)
# Tags the YAML core schema resolves by itself; any other tag (!!python/..., !custom) is refused.
_STANDARD_TAGS = {f"tag:yaml.org,2002:{t}" for t in ("str", "int", "float", "bool", "null", "timestamp", "seq", "map")}
_ID_TYPES = (
    model.EntryId,
    model.CategoryId,
    model.EntryRef,
    model.PhraseRef,
    model.AvoidRef,
    model.CategoryRef,
    model.CardId,
)


@dataclass
class Mention:
    """An id written somewhere in the library, kept with its position for later checks."""

    value: str
    origin: Origin
    path: str
    expect_kind: str | None = None
    # For a phrase reference: True, it must be forbidden wording; False, it must not be.
    expect_avoid: bool | None = None


@dataclass
class Collector:
    """What conversion of all files gathers: problems, and ids to check across files."""

    errors: list[LibraryError] = field(default_factory=list)
    entry_ids: list[Mention] = field(default_factory=list)
    category_ids: list[Mention] = field(default_factory=list)
    card_ids: list[Mention] = field(default_factory=list)
    references: list[Mention] = field(default_factory=list)
    category_uses: list[Mention] = field(default_factory=list)
    # Ids in entry lists that could not be read (a misspelt `entries:`): they exist, so
    # references to them are not reported as well.
    unread_entry_ids: set[str] = field(default_factory=set)


class Converter:
    """Converts one file's nodes into model values against the model's type hints."""

    def __init__(self, name: str, collector: Collector, text: str = ""):
        self.name = name
        self.out = collector
        self.lines = text.split("\n")
        self.latest_likely_date = review.today() + FAR_AHEAD  # once a file, not once a date
        # Positions of the record being converted, by full field path (see convert_record).
        self.positions: model.Positions = {}

    # --- helpers -------------------------------------------------------------

    def origin(self, node: yaml.Node) -> Origin:
        return Origin(self.name, node.start_mark.line + 1, node.start_mark.column + 1)

    def error(self, node: yaml.Node, path: str, message: str) -> object:
        origin = self.origin(node)
        self.out.errors.append(LibraryError(self.name, origin.line, origin.column, path, message))
        return INVALID

    def missing_fields(
        self, node: yaml.Node, path: str, missing: list[str], known: dict[str, Any], given: set[str]
    ) -> None:
        """Required fields a record lacks: one error for the record, however many it lacks (a
        stray "- kind: phrase" line is one mistake, not three)."""
        if len(missing) == 1:
            (name,) = missing
            self.error(node, join(path, name), f"缺少必填字段 {name}：{known[name].metadata['title']}")
            return
        titles = "、".join(known[name].metadata["title"].split("（")[0] for name in missing)
        message = f"缺少必填字段 {'、'.join(missing)}（{titles}）"
        if given and given <= {"kind"}:
            message += "。这一项只写了 kind：如果是多写的一行，请删掉它；如果是新条目，请把这些字段补上"
        elif not given:
            message += "。这一项是空的：如果是多写的“- ”，请删掉它"
        self.error(node, path, message)

    def warn(self, node: yaml.Node, path: str, message: str) -> None:
        """Something YAML read differently from what was most likely meant: reported, not refused."""
        origin = self.origin(node)
        self.out.errors.append(LibraryError(self.name, origin.line, origin.column, path, message, warning=True))

    def wrong_type(self, node: yaml.Node, path: str, expected: str) -> object:
        if isinstance(node, yaml.MappingNode):
            got = "键值对"
        elif isinstance(node, yaml.SequenceNode):
            got = "列表"
        else:
            got = _TAG_NAMES.get(node.tag, f"带标签 {node.tag} 的值")
        if node.tag == "tag:yaml.org,2002:null":
            return self.error(node, path, "缺少值；不需要时请删除这一行")
        hint = ""
        if expected == "文本" and got == "布尔值":
            hint = "（若要原样写 yes/no/true/false，请加引号）"
        elif expected == "文本" and isinstance(node, yaml.MappingNode) and node.flow_style:
            hint = "（值以 { 开头会被当成键值对；以 {称呼} 这样的占位符开头时，请给整个值加上引号：'{称呼}，您好'）"
        elif expected == "文本" and isinstance(node, yaml.SequenceNode) and node.flow_style:
            hint = "（值以 [ 开头会被当成列表；[ ] 是文字的一部分时，请给整个值加上引号）"
        return self.error(node, path, f"应为{expected}，实际是{got}{hint or _text_hint(node, expected)}")

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
            return INVALID
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
        for pattern, message in _BAD_CHARACTERS:
            found = pattern.search(text)
            if found:
                return self.error(node, path, message.format(code=ord(found.group())))
        return text

    def convert_id(self, node: yaml.Node, hint: Any, path: str) -> Any:
        value = self.convert_text(node, path)
        if value is INVALID:
            return value
        problem = id_problem(node.value)  # as written: an id with spaces around it is not the id
        if problem:
            return self.error(node, path, problem)
        mention = Mention(value, self.origin(node), path)
        if hint in (model.EntryRef, model.PhraseRef, model.AvoidRef):
            mention.expect_kind = None if hint is model.EntryRef else "phrase"
            mention.expect_avoid = {model.PhraseRef: False, model.AvoidRef: True}.get(hint)
            self.out.references.append(mention)
        if hint is model.CategoryRef:
            self.out.category_uses.append(mention)
        return value

    def convert_period(self, node: yaml.Node, path: str) -> Any:
        value = self.convert_text(node, path)
        if value is INVALID or review.parse_period(value) is not None:
            return value
        return self.error(node, path, f"复核周期“{value}”无效，应写成 6个月、90天、2周 或 1年")

    def convert_choice(self, node: yaml.Node, choices: tuple[str, ...], path: str) -> Any:
        value = self.convert_text(node, path)
        if value is INVALID:
            return value
        if value not in choices:
            meant = [choice for choice in choices if _CHOICE_TITLES.get(choice) == value]
            hint = f"（{value}请写成 {meant[0]}）" if meant else ""
            return self.error(node, path, f"“{value}”无效，只能是 {'、'.join(choices)} 之一{hint}")
        return value

    def convert_date(self, node: yaml.Node, path: str) -> Any:
        if not isinstance(node, yaml.ScalarNode) or node.tag not in (_STR_TAG, "tag:yaml.org,2002:timestamp"):
            return self.wrong_type(node, path, "日期（YYYY-MM-DD）")
        try:
            date = datetime.date.fromisoformat(node.value.strip())
        except ValueError:
            return self.error(node, path, f"日期“{node.value}”无效，应为 YYYY-MM-DD，如 2026-01-31")
        if date > self.latest_likely_date:
            self.warn(node, path, f"日期 {date} 在一年多以后，可能是年份写错了：在那之前这个条目不会提醒复核")
        return date

    def convert_list(self, node: yaml.Node, item_hint: Any, path: str) -> Any:
        if not isinstance(node, yaml.SequenceNode):
            return self.wrong_type(node, path, "列表")
        items = [self.convert(item, item_hint, f"{path}[{i}]") for i, item in enumerate(node.value)]
        if any(item is INVALID for item in items):
            return INVALID
        return items

    def convert_text_map(self, node: yaml.Node, path: str) -> Any:
        if not isinstance(node, yaml.MappingNode):
            return self.wrong_type(node, path, "键值对")
        result: dict[str, str] = {}
        for key_node, value_node in node.value:
            key = self.convert_text(key_node, path)
            if key is INVALID:
                continue
            if key in result:
                self.error(key_node, f"{path}.{key}", "重复的键")
                continue
            self.positions[f"{path}.{key}"] = (value_node.start_mark.line + 1, value_node.start_mark.column + 1, False)
            value = self.convert_text(value_node, f"{path}.{key}")
            if value is not INVALID:
                result[key] = value
        return result

    def mapping_fields(self, node: yaml.MappingNode, path: str) -> dict[str, tuple[yaml.Node, yaml.Node]]:
        """The keys of a mapping with their nodes; duplicate and non-text keys reported."""
        found: dict[str, tuple[yaml.Node, yaml.Node]] = {}
        next_record = False  # a second `id:`: the next record, its `- ` forgotten
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode) or key_node.tag != _STR_TAG:
                self.error(key_node, path, "字段名必须是文本")
                continue
            key = key_node.value
            if key in found and not next_record:
                first = self.origin(found[key][0])
                message = f"字段重复：第 {first.line} 行已经写过 {key}"
                if key == "id":  # the fields after it repeat too: one mistake, told once
                    next_record = True
                    message += "；如果这是下一个条目，请在 id 前面加上“- ”（每个条目以“- id:”开始）"
                self.error(key_node, join(path, key), message)
            if key not in found:
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
        has_origin = any(f.name == "origin" for f in dataclasses.fields(cls))
        if has_origin:  # a record of its own (entry, category, card): its positions start afresh
            outer, self.positions = self.positions, {}
        hints, known = record_fields(cls)
        given = self.mapping_fields(node, path)
        for rule in rules.rules_for(cls):
            for at, name, message in rule.check(given, node):
                self.error(at, join(path, name), message)
        values: dict[str, Any] = {}
        ok = True
        misspelt: set[str] = set()  # fields meant by unknown names: not reported missing as well
        for key, (key_node, value_node) in given.items():
            if key not in known:
                self.error(key_node, join(path, key), unknown_field_message(key, known))
                misspelt.update(close_field(key, known))
                ok = False
                continue
            value = self.convert(value_node, hints[key], join(path, key))
            if value is INVALID:
                ok = False
            else:
                values[key] = value
                self.check_silent_changes(value_node, join(path, key), known[key])
        missing: list[str] = []
        for name, spec in known.items():
            if name in given:
                continue
            if name in inherited:
                if inherited[name] is INVALID:  # the file's default is wrong, reported once there
                    ok = False
                    continue
                values[name] = inherited[name]
                if inherited_at and name in inherited_at:
                    self.positions[join(path, name)] = (*inherited_at[name], True)
            elif spec.metadata.get("required"):
                if name not in misspelt:
                    missing.append(name)
                ok = False
        if missing:
            self.missing_fields(node, path, missing, known, set(given))
        for name, spec in known.items():
            if spec.metadata.get("non_empty") and values.get(name) == []:
                self.error(given[name][1], join(path, name), "列表不能为空")
                ok = False
        if has_origin:
            positions, self.positions = self.positions, outer
        if not ok:
            return INVALID
        if has_origin:
            values["origin"] = Origin(self.name, node.start_mark.line + 1, node.start_mark.column + 1, path)
            values["positions"] = _relative_positions(positions, path)
        return cls(**values)

    # --- what YAML read differently from what was written ---------------------------

    def check_silent_changes(self, node: yaml.Node, path: str, spec: dataclasses.Field) -> None:
        """Warn about a field's texts that YAML changed: a value cut at ` #`, lines joined,
        Chinese commas inside [ ]."""
        role = spec.metadata.get("role")
        if isinstance(node, yaml.ScalarNode):
            self.check_text(node, path, role, in_flow_list=False)
        elif isinstance(node, yaml.SequenceNode):
            for index, item in enumerate(node.value):
                if isinstance(item, yaml.ScalarNode):
                    self.check_text(item, f"{path}[{index}]", role, in_flow_list=bool(node.flow_style))

    def check_text(self, node: yaml.ScalarNode, path: str, role: model.Role | None, in_flow_list: bool) -> None:
        if node.tag != _STR_TAG:
            return
        if role is not model.Role.META and role is not None:
            self.check_comment_cut(node, path)
        self.check_joined_lines(node, path)
        if in_flow_list and role is not model.Role.SAY:  # a sentence may well have commas
            self.check_wide_separators(node, path)
        if role is model.Role.SAY:
            self.check_copied_slips(node, path)

    def check_copied_slips(self, node: yaml.ScalarNode, path: str) -> None:
        """What would reach the customer as typed: quotes around the whole sentence (Word's
        autocorrect), placeholders in full-width braces or with one brace missing."""
        text = node.value.strip()
        for problem in _copied_slips(text):
            self.warn(node, path, problem)

    def check_comment_cut(self, node: yaml.ScalarNode, path: str) -> None:
        end = node.end_mark
        rest = self.lines[end.line][end.column :] if end.line < len(self.lines) else ""
        if node.style in _PLAIN_STYLES and rest[:1].isspace() and rest.lstrip().startswith("#"):
            dropped = rest.lstrip()[1:].strip()
            self.warn(
                node,
                path,
                f"“ #”和后面的“{dropped}”被当成了注释，没有读进来；要保留，请给整个值加上引号，"
                f"如 '{node.value} #{rest.lstrip()[1:]}'；如果确实是注释，请把它单独写一行",
            )

    def check_joined_lines(self, node: yaml.ScalarNode, path: str) -> None:
        start, end = node.start_mark.line, node.end_mark.line
        if node.style == '"' and all(self.lines[n].rstrip().endswith("\\") for n in range(start, end)):
            return  # every line ends in \: joined on purpose
        lines = end - start + 1
        if lines > 1 and node.style in (*_PLAIN_STYLES, "'", '"'):
            self.warn(
                node,
                path,
                f"值写成了 {lines} 行，读进来时各行被连成了一行；要保留换行，请在冒号后写 | 再换行缩进写内容，"
                "否则请把它写在一行里",
            )

    def check_wide_separators(self, node: yaml.ScalarNode, path: str) -> None:
        separator = _WIDE_SEPARATORS.search(node.value)
        if node.style in _PLAIN_STYLES and separator:
            parts = ", ".join(_WIDE_SEPARATORS.split(node.value))
            self.warn(
                node,
                path,
                f"“{node.value}”里的“{separator.group()}”是全角的，整个被当成了一项；"
                f"要分成几项，请用半角逗号加空格隔开：[{parts}]",
            )


_WRAPPING_QUOTES = {"‘": "’", "“": "”", "「": "」", "『": "』"}
_WIDE_PLACEHOLDER = re.compile(r"｛[^｛｝{}]*｝|\{[^{}｝]*｝|｛[^｛}]*\}")


def _copied_slips(text: str) -> Iterator[str]:
    closing = _WRAPPING_QUOTES.get(text[:1])
    if closing and text.endswith(closing) and closing not in text[1:-1]:
        yield f"整句前后带着引号 {text[0]} {closing}，会和话术一起复制给客户；不需要的话请删掉两头的引号"
    wide = _WIDE_PLACEHOLDER.search(text)
    if wide:
        inner = wide.group()[1:-1]
        yield f"“{wide.group()}”用了全角括号，不会被当作占位符，会原样复制给客户；请用半角括号，写成 {{{inner}}}"
    elif text.count("{") != text.count("}"):
        yield "{ 和 } 没有配对，这个占位符不会被替换，会原样复制给客户；请写成完整的 {名称}"


# `do：确定…` or `do:确定…` read as one text where a field was meant.
_TEXT_LIKE_FIELD = re.compile(r"^([A-Za-z_][\w-]*)\s*(：|:(?=\S))")


def _text_hint(node: yaml.Node, expected: str) -> str:
    """Why a text came where a list or fields were expected, when its writing shows it."""
    if not isinstance(node, yaml.ScalarNode) or node.tag != _STR_TAG:
        return ""
    field = _TEXT_LIKE_FIELD.match(node.value)
    if expected.startswith("键值对") and field:
        name, colon = field.groups()
        problem = "用了全角冒号“：”" if colon == "：" else "冒号后面少了空格"
        return f"（“{name}{colon}”{problem}，整行成了一段文字；请写成 {name}: 加内容）"
    if expected == "列表" and node.value[:1] in "【［":
        return "（列表要用半角方括号 [ ]，项之间用半角逗号加空格隔开）"
    return ""


def _relative_positions(positions: model.Positions, path: str) -> str:
    """The positions gathered while converting the record at `path`, relative to it (packed)."""
    prefix = path + "." if path else ""
    return model.pack_positions(
        {key[len(prefix) :]: where for key, where in positions.items() if key.startswith(prefix)}
    )


def id_problem(value: str) -> str | None:
    """Why `value` cannot be an id, or None when it can."""
    if _ID_RE.match(value):
        return None
    if value.strip() != value and _ID_RE.match(value.strip()):
        return f"id “{value}”前后有空白，请删掉空白：id 用在网址里，必须和别处的写法一字不差"
    return f"“{value}”不是有效的 id：只能用小写字母、数字和连字符，如 greeting-standard"


@functools.cache
def record_fields(cls: type) -> tuple[dict[str, Any], dict[str, dataclasses.Field]]:
    """Type hints and editor-facing fields of a model class (resolved once: it is slow)."""
    hints = typing.get_type_hints(cls)
    known = {f.name: f for f in dataclasses.fields(cls) if not f.metadata.get("internal")}
    return hints, known


def join(path: str, name: str) -> str:
    if not name:
        return path
    return f"{path}.{name}" if path else name


def close_field(key: str, known: typing.Iterable[str]) -> list[str]:
    """The field an unknown name most likely meant (one at most)."""
    return difflib.get_close_matches(key, list(known), n=1, cutoff=0.7)


def unknown_field_message(key: str, known: typing.Iterable[str]) -> str:
    known = list(known)
    if key != key.strip() and key.strip() in known:  # "title　:" — a full-width or no-break space
        spaces = "、".join(sorted({f"U+{ord(c):04X}" for c in key if c.isspace()}))
        return f"字段名 {key.strip()} 前后多了空格（{spaces}，多半是全角空格），请删掉，写成“{key.strip()}: ”"
    close = close_field(key, known)
    hint = f"（是不是想写 {close[0]}？）" if close else f"（可用字段：{'、'.join(known)}）"
    return f"未知字段 {key}{hint}"

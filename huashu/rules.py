"""Rules that tie one field of a record to another, each declared once.

Validation checks them on the YAML nodes (so they run even when another field
of the same mapping is broken) and `huashu schema` turns each into JSON Schema
for editors' tools; both read the table at the bottom. Field-level facts (types,
required, non-empty lists) live on the fields in `huashu.model`.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import yaml

from huashu import model, urls

# The nodes of a mapping by key: (key node, value node).
Given = dict[str, tuple[yaml.Node, yaml.Node]]
# A broken rule: the node to point at, the field it is about ("" for the record), the message.
Problem = tuple[yaml.Node, str, str]


def is_true(node: yaml.Node | None) -> bool:
    return (
        isinstance(node, yaml.ScalarNode) and node.tag.endswith(":bool") and node.value.lower() in ("true", "yes", "on")
    )


@dataclass(frozen=True)
class Requires:
    """When `flag` is true, `field` must be given."""

    record: type
    flag: str
    field: str
    message: str

    def check(self, given: Given, node: yaml.Node) -> Iterator[Problem]:
        flag = given.get(self.flag, (None, None))[1]
        if is_true(flag) and self.field not in given:
            assert flag is not None
            yield flag, self.field, self.message

    def schema(self) -> dict[str, Any]:
        return {"if": _flag_true(self.flag), "then": {"required": [self.field]}}


@dataclass(frozen=True)
class OnlyWith:
    """Each of `fields` may only be given when `flag` is true."""

    record: type
    flag: str
    fields: tuple[str, ...]
    message: str  # with {field}

    def check(self, given: Given, node: yaml.Node) -> Iterator[Problem]:
        if is_true(given.get(self.flag, (None, None))[1]):
            return
        for name in self.fields:
            if name in given:
                yield given[name][0], name, self.message.format(field=name)

    def schema(self) -> dict[str, Any]:
        return {"if": {"anyOf": [{"required": [name]} for name in self.fields]}, "then": _flag_true(self.flag)}


@dataclass(frozen=True)
class OneOf:
    """At most one of `fields`."""

    record: type
    fields: tuple[str, str]
    message: str

    def check(self, given: Given, node: yaml.Node) -> Iterator[Problem]:
        if all(name in given for name in self.fields):
            yield given[self.fields[1]][0], "", self.message

    def schema(self) -> dict[str, Any]:
        return {"not": {"required": list(self.fields)}}


@dataclass(frozen=True)
class AtLeastOne:
    """At least one of `fields`."""

    record: type
    fields: tuple[str, ...]
    message: str

    def check(self, given: Given, node: yaml.Node) -> Iterator[Problem]:
        if not any(name in given for name in self.fields):
            yield next(iter(given.values()))[0] if given else node, "", self.message

    def schema(self) -> dict[str, Any]:
        return {"anyOf": [{"required": [name]} for name in self.fields]}


@dataclass(frozen=True)
class Together:
    """`fields` are given all together or not at all."""

    record: type
    fields: tuple[str, ...]
    message: str  # with {field}: the missing one

    def check(self, given: Given, node: yaml.Node) -> Iterator[Problem]:
        present = [name for name in self.fields if name in given]
        if present:
            for name in self.fields:
                if name not in given:
                    yield given[present[0]][0], name, self.message.format(field=name)

    def schema(self) -> dict[str, Any]:
        return {
            "allOf": [{"if": {"required": [name]}, "then": {"required": list(self.fields)}} for name in self.fields]
        }


@dataclass(frozen=True)
class NotStartingWith:
    """A text field must not start with `prefix`."""

    record: type
    field: str
    prefix: str
    message: str

    def check(self, given: Given, node: yaml.Node) -> Iterator[Problem]:
        if self.field in given and str(given[self.field][1].value).strip().startswith(self.prefix):
            yield given[self.field][1], self.field, self.message

    def schema(self) -> dict[str, Any]:
        return {"properties": {self.field: {"not": {"pattern": f"^\\s*{self.prefix}"}}}}


@dataclass(frozen=True)
class NotOneOf:
    """A text field must not be one of `values` (compared as URLs use it: stripped)."""

    record: type
    field: str
    values: frozenset[str]
    message: str  # with {value}

    def check(self, given: Given, node: yaml.Node) -> Iterator[Problem]:
        value = given.get(self.field, (None, None))[1]
        if isinstance(value, yaml.ScalarNode) and value.value.strip() in self.values:
            yield value, self.field, self.message.format(value=value.value.strip())

    def schema(self) -> dict[str, Any]:
        return {"properties": {self.field: {"not": {"enum": sorted(self.values)}}}}


@dataclass(frozen=True)
class NotSelf:
    """A list of ids must not hold the record's own id (JSON Schema cannot say this)."""

    record: type
    field: str
    message: str

    def check(self, given: Given, node: yaml.Node) -> Iterator[Problem]:
        if "id" not in given or self.field not in given:
            return
        own, listed = given["id"][1], given[self.field][1]
        if isinstance(listed, yaml.SequenceNode):
            for i, item in enumerate(listed.value):
                if isinstance(item, yaml.ScalarNode) and item.value == own.value:
                    yield item, f"{self.field}[{i}]", self.message

    def schema(self) -> None:
        return None


def _flag_true(flag: str) -> dict[str, Any]:
    return {"properties": {flag: {"const": True}}, "required": [flag]}


Rule = Requires | OnlyWith | OneOf | AtLeastOne | Together | NotStartingWith | NotOneOf | NotSelf

RULES: tuple[Rule, ...] = (
    Requires(model.Phrase, "avoid", "instead", "忌语（avoid: true）必须用 instead 给出推荐的替代说法"),
    OnlyWith(model.Phrase, "avoid", ("instead", "detect"), "{field} 只用于忌语；请同时写 avoid: true，或删除 {field}"),
    OneOf(model.Step, ("say", "phrase"), "say 和 phrase 只能写一个：要么直接写话术，要么引用话术 id"),
    AtLeastOne(model.Card, ("entries", "categories"), "卡片至少要列出 entries 或 categories"),
    NotStartingWith(
        model.Card,
        "id",
        model.AUTO_CARD_PREFIX,
        f"{model.AUTO_CARD_PREFIX} 开头的 id 留给自动生成的卡片，请换一个",
    ),
    NotOneOf(model.Category, "id", urls.RESERVED_CATEGORY_IDS, "“{value}”已被网站本身占用，请换一个分类 id"),
    NotSelf(model.Entry, "related", "不能把自己列为相关条目"),
    AtLeastOne(
        model.Synonym, ("same", "words", "means"), "每一行同义词要写 same（同义词组）或 words + means（单向扩展）"
    ),
    OneOf(model.Synonym, ("same", "words"), "same 和 words 只能写一个：同义词组写 same，单向扩展写 words 和 means"),
    Together(model.Synonym, ("words", "means"), "words 和 means 要一起写：缺少 {field}"),
    AtLeastOne(model.PlaceholderDefault, ("default", "omit"), "请写 default（默认值）或 omit: true（不填就省略）"),
    OneOf(model.PlaceholderDefault, ("default", "omit"), "default 和 omit 只能写一个"),
)


def rules_for(cls: type) -> list[Rule]:
    return [rule for rule in RULES if issubclass(cls, rule.record)]

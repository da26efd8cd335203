"""JSON Schema for editors, generated from the content model.

VS Code's YAML extension (yaml-language-server) reads it to complete field
names and flag mistakes as the editor types. The schema is derived from the
dataclasses in `huashu.model` (types, titles, required fields) and the rules
that tie one field to another from the same table validation uses
(`huashu.rules`). Checks that need the whole library (unique ids, references)
stay with `huashu validate`.
"""

from __future__ import annotations

import dataclasses
import datetime
import json
import types
import typing
from typing import Any, Literal, Union

from huashu import model, rules

SCHEMA_PATH = "schema/huashu-library.schema.json"
DRAFT = "http://json-schema.org/draft-07/schema#"
# YAML turns 42 or 3.5 into numbers; validation accepts them as text, so does the schema.
_TEXT = {"type": ["string", "number"], "pattern": model.TEXT_PATTERN}
_ID_TYPES = (
    model.EntryId,
    model.EntryRef,
    model.PhraseRef,
    model.AvoidRef,
    model.CategoryId,
    model.CategoryRef,
    model.CardId,
)


def _type_schema(hint: Any) -> dict[str, Any]:
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if origin in (Union, types.UnionType):
        real = [a for a in args if a is not type(None)]
        if len(real) == 1:
            return _type_schema(real[0])
        return {"anyOf": [_type_schema(a) for a in real]}
    if origin is Literal:
        return {"enum": list(args)}
    if origin is list:
        return {"type": "array", "items": _type_schema(args[0])}
    if origin is dict:
        return {"type": "object", "propertyNames": {"pattern": model.TEXT_PATTERN}, "additionalProperties": dict(_TEXT)}
    if hint is bool:
        return {"type": "boolean"}
    if hint is int:
        return {"type": "integer"}
    if hint is datetime.date:
        return {"type": "string", "format": "date", "pattern": r"^\d{4}-\d{2}-\d{2}$"}
    if hint in _ID_TYPES:
        return {"type": "string", "pattern": model.ID_PATTERN}
    if hint is model.ReviewPeriod:
        return {"type": "string", "pattern": model.REVIEW_PERIOD_PATTERN}
    if hint is model.HanziWord:
        return {"type": "string", "pattern": model.HANZI_WORD_PATTERN}
    if hint is model.LintRule:
        return {"enum": list(model.LINT_RULES)}
    if isinstance(hint, type) and dataclasses.is_dataclass(hint):
        return {"$ref": f"#/definitions/{hint.__name__}"}
    return dict(_TEXT)


def _record_schema(cls: type, inherited_optional: bool = False) -> dict[str, Any]:
    """An object with the dataclass's fields; fields a file's defaults may supply are not required."""
    hints = typing.get_type_hints(cls)
    properties: dict[str, Any] = {}
    required = []
    for f in model.editor_fields(cls):
        schema = _type_schema(hints[f.name])
        if f.metadata.get("non_empty"):
            schema["minItems"] = 1
        properties[f.name] = {"description": f.metadata["title"], **schema}
        if f.metadata.get("required") and not (inherited_optional and f.metadata.get("inherit")):
            required.append(f.name)
    record: dict[str, Any] = {
        "type": "object",
        "description": (cls.__doc__ or "").strip().splitlines()[0],
        "properties": properties,
        "additionalProperties": False,
    }
    if required:
        record["required"] = required
    return record


def _entry_schema(kind: str, cls: type) -> dict[str, Any]:
    schema = _record_schema(cls, inherited_optional=True)
    schema["title"] = model.KIND_TITLES[kind]
    schema["properties"]["kind"] = {**schema["properties"]["kind"], "const": kind}
    return schema


def _add_rules(definitions: dict[str, Any]) -> None:
    """Each rule of `huashu.rules` that JSON Schema can say, on the records it applies to."""
    for name, definition in definitions.items():
        cls = getattr(model, name, None)
        if not isinstance(cls, type):
            continue
        for rule in rules.rules_for(cls):
            fragment = rule.schema()
            if fragment is None:
                continue
            for field_name, extra in fragment.pop("properties", {}).items():
                definition["properties"][field_name].update(extra)
            if fragment:
                definition.setdefault("allOf", []).append(fragment)


def library_schema() -> dict[str, Any]:
    """One schema for every library file; which shape applies follows from the top-level key."""
    definitions: dict[str, Any] = {}
    for record in (
        model.Category,
        model.Card,
        model.Step,
        model.FileDefaults,
        model.Synonym,
        model.PlaceholderDefault,
        model.PinyinWord,
    ):
        definitions[record.__name__] = _record_schema(record)
    for kind, cls in model.ENTRY_CLASSES.items():
        definitions[cls.__name__] = _entry_schema(kind, cls)
    entry_file = _record_schema(model.EntryFile)
    entry_file["properties"]["entries"]["items"] = {
        "anyOf": [{"$ref": f"#/definitions/{cls.__name__}"} for cls in model.ENTRY_CLASSES.values()]
    }
    definitions["EntryFile"] = entry_file
    for _, name in _ROOT_SHAPES:
        definitions[name] = _record_schema(getattr(model, name))
    _add_rules(definitions)
    return {
        "$schema": DRAFT,
        "title": "huashu 话术库文件",
        "description": (
            "scripts_library/ 中的 YAML：categories.yaml、cards.yaml、synonyms.yaml、placeholders.yaml、pinyin.yaml"
            " 或条目文件"
            "（由 huashu schema 生成，请勿手改）"
        ),
        **_shape_by_top_level_key(),
        "definitions": definitions,
    }


# Each root file's top-level key and its definition; any other file is an entry file.
_ROOT_SHAPES = (
    ("categories", "CategoryFile"),
    ("cards", "CardFile"),
    ("synonyms", "SynonymFile"),
    ("placeholders", "PlaceholderFile"),
    ("words", "PinyinFile"),
)


def _shape_by_top_level_key() -> dict[str, Any]:
    shape: dict[str, Any] = {"$ref": "#/definitions/EntryFile"}
    for key, definition in reversed(_ROOT_SHAPES):
        shape = {
            "if": {"type": "object", "required": [key]},
            "then": {"$ref": f"#/definitions/{definition}"},
            "else": shape,
        }
    return shape


def schema_text() -> str:
    """The schema as committed: stable key order and a final newline, so a rebuild is a no-op."""
    return json.dumps(library_schema(), ensure_ascii=False, indent=2) + "\n"

"""The editor schema: generated from the model, committed, and as strict as it can be."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
import yaml
from conftest import FIXTURES, REPO

from huashu.schema import SCHEMA_PATH, library_schema

INVALID_CASES = sorted(p.name for p in (FIXTURES / "invalid").iterdir() if p.is_dir())
# Broken fixtures a per-file schema cannot see, and why; `huashu validate` reports them.
BEYOND_SCHEMA = {
    "duplicate-id": "ids must be unique across files",
    "copied-file": "a copy has the same ids as its original, in another file",
    "missing-categories": "a file that is missing has nothing to check",
    "reference-wrong-kind": "needs the referenced entry, in another file",
    "forbidden-reference": "whether a phrase is forbidden wording is written in the referenced entry",
    "unknown-category": "needs categories.yaml",
    "defaults-unknown-category": "needs categories.yaml",
    "unknown-reference": "needs the other entries",
    "self-related": "compares two values of one entry",
    "yaml-alias": "aliases are refused by huashu's loader, not by the document's shape",
    "duplicate-key": "reported by the YAML extension itself, before any schema",
}
# Fixtures the YAML parser already refuses, so the editor shows a syntax error.
NOT_YAML = {
    "control-character",
    "encodings",
    "multiple-documents",
    "non-utf8",
    "python-tag",
    "yaml-bad-escape",
    "yaml-full-width-colon",
    "yaml-indentation",
    "yaml-list-indent",
    "yaml-list-item-dash",
    "yaml-missing-space",
    "yaml-syntax",
    "yaml-tab-indent",
    "yaml-unclosed-quote",
    "yaml-value-needs-quotes",
    "yaml-wide-indent",
}


class EditorLoader(yaml.SafeLoader):
    """YAML as yaml-language-server reads it for validation: dates stay text (YAML 1.2 core schema)."""


EditorLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


@pytest.fixture(scope="module")
def validator() -> jsonschema.Draft7Validator:
    schema = json.loads((REPO / SCHEMA_PATH).read_text(encoding="utf-8"))
    jsonschema.Draft7Validator.check_schema(schema)
    return jsonschema.Draft7Validator(schema, format_checker=jsonschema.Draft7Validator.FORMAT_CHECKER)


def schema_errors(validator: jsonschema.Draft7Validator, path: Path) -> list[str]:
    document = yaml.load(path.read_bytes(), Loader=EditorLoader)
    return [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(document)]


def test_committed_schema_is_generated_from_the_model() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "huashu.cli", "schema", "--check"], cwd=REPO, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    assert json.loads((REPO / SCHEMA_PATH).read_text(encoding="utf-8")) == library_schema()


def test_vscode_maps_the_schema_to_library_files() -> None:
    settings = json.loads((REPO / ".vscode" / "settings.json").read_text(encoding="utf-8"))
    assert settings["yaml.schemas"][f"./{SCHEMA_PATH}"][0] == "scripts_library/**/*.yaml"


@pytest.mark.parametrize(
    "path", sorted((REPO / "scripts_library").rglob("*.yaml")), ids=lambda p: p.relative_to(REPO).as_posix()
)
def test_schema_accepts_every_bundled_file(validator: jsonschema.Draft7Validator, path: Path) -> None:
    assert schema_errors(validator, path) == []


def test_schema_accepts_the_base_fixture_library(validator: jsonschema.Draft7Validator) -> None:
    for path in sorted((FIXTURES / "base_library").rglob("*.yaml")):
        assert schema_errors(validator, path) == [], path


@pytest.mark.parametrize("case", INVALID_CASES)
def test_schema_rejects_each_broken_fixture(validator: jsonschema.Draft7Validator, case: str) -> None:
    files = sorted((FIXTURES / "invalid" / case).rglob("*.yaml"))
    if case in NOT_YAML:
        for path in files:
            try:
                yaml.load(path.read_bytes(), Loader=EditorLoader)
            except (yaml.YAMLError, UnicodeDecodeError):
                return
        pytest.fail(f"{case}: expected the YAML parser to refuse one of {files}")
    found = [error for path in files for error in schema_errors(validator, path)]
    if case in BEYOND_SCHEMA:
        assert found == [], f"{case} is listed as beyond the schema, but the schema rejects it: {found}"
    else:
        assert found, f"the schema accepts the broken fixture {case}"


def test_schema_describes_fields_in_chinese(validator: jsonschema.Draft7Validator) -> None:
    phrase = validator.schema["definitions"]["Phrase"]["properties"]
    assert phrase["text"]["description"].startswith("话术原文")
    assert phrase["kind"]["const"] == "phrase"
    assert validator.schema["definitions"]["EntryFile"]["required"] == ["entries"]

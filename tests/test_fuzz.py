"""Hostile and random input: the loader and validator answer with a library or with
file:line:col errors, never a traceback, a hang or a silently dropped entry.

Hypothesis runs derandomized (the same examples on every run, so CI is repeatable)
and with a deadline per example, which is the "bounded time" check."""

from __future__ import annotations

import re
import shutil
import time
from pathlib import Path

import pytest
import yaml
from conftest import FIXTURES, REPO
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from huashu import load_library
from huashu.errors import WARNING_MARK, LibraryInvalid
from huashu.load import MAX_DEPTH
from huashu.model import Library

FUZZ = settings(
    max_examples=120,
    deadline=2000,  # ms per example: a hang or a blow-up fails here
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
ERROR_LINE = re.compile(r"^(?P<file>[^:]+):(?P<line>\d+):(?P<col>\d+): ")
# PyYAML's own vocabulary: none of it may reach an editor.
PYYAML_WORDS = re.compile(r"\b(?:while|expected|found|scanning|parsing|could not|mapping|scalar|token|stream)\b")
BUNDLED_FILES = sorted((REPO / "scripts_library").rglob("*.yaml"))


def library_with(tmp_path: Path, files: dict[str, bytes]) -> Path:
    library = tmp_path / "scripts_library"
    if library.exists():
        shutil.rmtree(library)
    shutil.copytree(FIXTURES / "base_library", library)
    for name, content in files.items():
        (library / name).parent.mkdir(parents=True, exist_ok=True)
        (library / name).write_bytes(content)
    return library


def load_or_errors(library: Path, base: Path) -> Library | list[str]:
    """The outcome an editor sees: a library, or error lines that each point into a file."""
    try:
        return load_library(library, base=base)
    except LibraryInvalid as exc:
        lines = [str(e) for e in exc.errors]
        assert lines, "an invalid library must say why"
        for line in lines:
            match = ERROR_LINE.match(line)
            assert match, f"not file:line:col: {line!r}"
            assert not PYYAML_WORDS.search(line), line
            path = base / match.group("file")
            if path.is_file():
                assert int(match.group("line")) <= path.read_bytes().count(b"\n") + 2, line
        return lines


def written_ids(content: bytes) -> set[str]:
    """Every entry id a file spells out, read independently of huashu's loader."""
    try:
        data = yaml.safe_load(content)
    except (yaml.YAMLError, UnicodeDecodeError):
        return set()
    entries = data.get("entries") if isinstance(data, dict) else None
    if not isinstance(entries, list):
        return set()
    return {e["id"] for e in entries if isinstance(e, dict) and isinstance(e.get("id"), str)}


@FUZZ
@given(content=st.binary(max_size=4000))
def test_random_bytes(tmp_path: Path, content: bytes) -> None:
    load_or_errors(library_with(tmp_path, {"random.yaml": content}), tmp_path)


@FUZZ
@given(
    source=st.sampled_from(BUNDLED_FILES),
    edits=st.lists(st.tuples(st.floats(0, 1), st.integers(0, 8), st.text(max_size=6)), min_size=1, max_size=4),
)
def test_mutated_bundled_files(tmp_path: Path, source: Path, edits: list[tuple[float, int, str]]) -> None:
    """Real files with a few characters deleted or inserted anywhere: typos an editor makes."""
    text = source.read_text(encoding="utf-8")
    for where, delete, insert in edits:
        at = int(where * len(text))
        text = text[:at] + insert + text[at + delete :]
    content = text.encode("utf-8")
    library = library_with(tmp_path, {"mutated.yaml": content})
    outcome = load_or_errors(library, tmp_path)
    if isinstance(outcome, Library):
        # valid: every entry the file spells out is in the library, none silently dropped
        assert written_ids(content) <= set(outcome.by_id)


FIELD_NAMES = [
    "id",
    "kind",
    "title",
    "category",
    "owner",
    "reviewed",
    "text",
    "tags",
    "steps",
    "do",
    "say",
    "question",
    "answer",
    "avoid",
    "instead",
    "variants",
    "placeholders",
    "related",
    "note",
    "titel",
]
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-5, 10**6),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=20),
    st.sampled_from(["hello", "greetings", "phrase", "faq", "2026-10-01", "<script>x</script>"]),
)
documents = st.recursive(
    scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=4),
        st.dictionaries(st.sampled_from(FIELD_NAMES) | st.text(max_size=5), children, max_size=5),
    ),
    max_leaves=30,
)


@FUZZ
@given(entries=st.lists(documents, max_size=5), defaults=st.none() | documents)
def test_generated_documents(tmp_path: Path, entries: list, defaults: object) -> None:
    document = {"entries": entries} if defaults is None else {"defaults": defaults, "entries": entries}
    content = yaml.safe_dump(document, allow_unicode=True).encode("utf-8")
    outcome = load_or_errors(library_with(tmp_path, {"generated.yaml": content}), tmp_path)
    if isinstance(outcome, Library):
        assert written_ids(content) <= set(outcome.by_id)


identifiers = st.from_regex(r"[a-z][a-z0-9]{0,6}(-[a-z0-9]{1,4}){0,2}", fullmatch=True)
texts = st.text(
    st.characters(min_codepoint=0x20, max_codepoint=0x9FFF, exclude_categories=("Cs",)), min_size=1, max_size=30
)


@FUZZ
@given(
    phrases=st.lists(
        st.fixed_dictionaries(
            {"id": identifiers, "title": texts, "text": texts},
            optional={"tags": st.lists(texts, max_size=3), "when": texts, "variants": st.lists(texts, max_size=2)},
        ),
        min_size=1,
        max_size=12,
    )
)
def test_well_formed_entries_are_all_kept(tmp_path: Path, phrases: list[dict]) -> None:
    """Entries with arbitrary text: either all are in the library, or an error says what is wrong."""
    document = {
        "defaults": {"kind": "phrase", "category": "greetings", "owner": "培训组", "reviewed": "2026-10-01"},
        "entries": phrases,
    }
    content = yaml.safe_dump(document, allow_unicode=True).encode("utf-8")
    outcome = load_or_errors(library_with(tmp_path, {"many.yaml": content}), tmp_path)
    ids = [p["id"] for p in phrases]
    if isinstance(outcome, Library):
        assert set(ids) <= set(outcome.by_id)
        assert len(set(ids)) == len(ids)
    elif len(set(ids) | {"hello", "goodbye", "angry", "answer-call"}) == len(ids) + 4:
        # unique ids: the only possible complaint is about text: blank after trimming, or invisible characters (control, zero-width)
        errors = [line for line in outcome if WARNING_MARK not in line]
        assert all(
            any(why in line for why in ("不能为空", "应为文本", "控制字符", "看不见的字符")) for line in errors
        ), outcome


# --- the classic attacks, each refused quickly with a clear message ------------------


def timed_errors(tmp_path: Path, content: str) -> tuple[list[str], float]:
    library = library_with(tmp_path, {"attack.yaml": content.encode("utf-8")})
    start = time.perf_counter()
    outcome = load_or_errors(library, tmp_path)
    elapsed = time.perf_counter() - start
    assert isinstance(outcome, list), "the attack must be refused"
    return outcome, elapsed


def test_billion_laughs_is_refused_fast(tmp_path: Path) -> None:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    lines += [f"{chr(97 + i)}: &{chr(97 + i)} [" + ",".join([f"*{chr(96 + i)}"] * 9) + "]" for i in range(1, 9)]
    errors, elapsed = timed_errors(tmp_path, "\n".join(lines) + "\nentries: [*i]\n")
    assert errors[0] == "scripts_library/attack.yaml:2:8: 不支持 YAML 别名（*引用），请直接写出内容"
    assert elapsed < 2


@pytest.mark.parametrize(
    ("content", "where"),
    [
        ("entries: " + "[" * 100_000 + "]" * 100_000 + "\n", "scripts_library/attack.yaml:1:109:"),
        ("entries:\n" + "- " * 50_000 + "x\n", "scripts_library/attack.yaml:2:199:"),
        ("entries:\n" + "".join(" " * i + "a:\n" for i in range(400)), "scripts_library/attack.yaml:"),
    ],
    ids=["flow", "block-sequence", "indentation"],
)
def test_deep_nesting_is_refused_fast(tmp_path: Path, content: str, where: str) -> None:
    errors, elapsed = timed_errors(tmp_path, content)
    assert any(line.startswith(where) and f"YAML 嵌套层数过深（超过 {MAX_DEPTH} 层）" in line for line in errors), (
        errors
    )
    assert elapsed < 5


def test_brackets_inside_text_are_not_mistaken_for_nesting(tmp_path: Path) -> None:
    phrase = "[" * 300
    content = f"entries:\n  - id: brackets\n    kind: phrase\n    category: greetings\n    title: 括号\n    owner: x\n    reviewed: 2026-10-01\n    text: '{phrase}'\n"
    library = load_library(library_with(tmp_path, {"brackets.yaml": content.encode("utf-8")}), base=tmp_path)
    assert library.by_id["brackets"].text == phrase

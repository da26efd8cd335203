"""Property tests over what editors change most: a file's `defaults:` and categories.yaml.

Every bundled file sets its category in `defaults:`, and categories are renamed in
categories.yaml; an ordinary slip there once passed validate and crashed the build.
Each generated library goes through validate, lint and — for a derandomized sample —
the real `mkdocs build`: the outcome is a library and a site, or file:line:col errors
and a failed build that prints them; never a traceback.
"""

from __future__ import annotations

import contextlib
import io
import re
import shutil
from pathlib import Path

import pytest
import yaml
from conftest import FIXTURES, make_project, mkdocs_build
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_fuzz import ERROR_LINE, library_with, load_or_errors

from huashu import cards, pages, search_index, urls
from huashu.cli import main as huashu
from huashu.model import Library

SETTINGS = {
    "deadline": 4000,
    "derandomize": True,
    "database": None,
    "suppress_health_check": [HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
}
BASE_CATEGORIES = yaml.safe_load((FIXTURES / "base_library" / "categories.yaml").read_text(encoding="utf-8"))
CATEGORY_IDS = [c["id"] for c in BASE_CATEGORIES["categories"]]
SECTIONS = ["phrases", "procedures", "standards", "faq"]
BASE_DEFAULTS = {"kind": "phrase", "category": "greetings", "owner": "培训组", "reviewed": "2026-10-01"}

# Values an editor plausibly writes, next to values no one should write.
category_values = st.sampled_from([*CATEGORY_IDS, "greeting", "Greetings", "问候语", "", "greetings ", "-x"]) | st.text(
    max_size=8
)
kind_values = st.sampled_from(["phrase", "procedure", "faq", "话术", "Phrase", "phrases", ""])
date_values = st.sampled_from(["2026-10-01", "2026-13-01", "2026-02-30", "2026/10/01", "2062-10-01", "明天", ""])
anything = st.none() | st.booleans() | st.integers(-3, 3000) | st.text(max_size=6) | st.lists(st.text(max_size=3))
defaults_maps = st.dictionaries(
    st.sampled_from(["kind", "category", "owner", "reviewed", "review_every", "titel", "分类"]),
    category_values | kind_values | date_values | anything,
    max_size=6,
).map(lambda d: BASE_DEFAULTS | d)
defaults_docs = defaults_maps | anything


@st.composite
def category_files(draw: st.DrawFn) -> list[object]:
    """categories.yaml after an editor's edit: ids renamed, entries dropped or added, fields mistyped."""
    categories: list[object] = [dict(c) for c in BASE_CATEGORIES["categories"]]
    for index in draw(st.lists(st.integers(0, len(categories) - 1), max_size=3)):
        category = categories[index]
        assert isinstance(category, dict)
        field = draw(st.sampled_from(["id", "title", "section", "group", "description"]))
        category[field] = draw(category_values | st.sampled_from(SECTIONS) | anything)
    if draw(st.booleans()):
        del categories[draw(st.integers(0, len(categories) - 1))]
    if draw(st.booleans()):
        categories.append(draw(st.fixed_dictionaries({"id": category_values, "title": st.text(max_size=4)})) | {})
    return categories


def library_for(tmp_path: Path, defaults: object, categories: list[object] | None = None) -> Path:
    phrases = yaml.safe_load((FIXTURES / "base_library" / "phrases.yaml").read_text(encoding="utf-8"))
    files = {"phrases.yaml": yaml.safe_dump({"defaults": defaults, "entries": phrases["entries"]}, allow_unicode=True)}
    if categories is not None:
        files["categories.yaml"] = yaml.safe_dump({"categories": categories}, allow_unicode=True)
    return library_with(tmp_path, {name: text.encode("utf-8") for name, text in files.items()})


def cli_outcome(*argv: str) -> tuple[int, str]:
    """`huashu …` run in-process: its exit code and everything it printed."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = huashu(list(argv))
    return code, out.getvalue() + err.getvalue()


def render_every_stage(library: Library, folder: Path) -> None:
    """What a build does with a valid library, stage by stage, without MkDocs around it."""
    pages.navigation(library, [], with_changes=False, with_misses=True)
    renderer = pages.PageRenderer(library, urls.PageLinks(True))
    renderer.pages()
    renderer.category_pages()
    renderer.tags_page()
    cards.card_pages(renderer)
    search_index.write_index(library, folder, True, search_index.LAZY_BODY_BYTES)


def assert_consistent(library: Path, tmp_path: Path) -> Library | list[str]:
    """validate and lint agree with the loader, and neither they nor a valid library's pages crash."""
    outcome = load_or_errors(library, tmp_path)
    if isinstance(outcome, Library):
        render_every_stage(outcome, tmp_path / "rendered")
    code, printed = cli_outcome("validate", str(library))
    assert "Traceback" not in printed
    assert code == (0 if isinstance(outcome, Library) else 1), printed
    code, printed = cli_outcome("lint", str(library))
    assert "Traceback" not in printed and code in (0, 1), printed
    return outcome


def assert_build_agrees(library: Path, tmp_path: Path, outcome: Library | list[str]) -> None:
    """The real build: a site when the library is valid, else the same errors and a non-zero exit."""
    shutil.rmtree(tmp_path / "project", ignore_errors=True)  # hypothesis reuses tmp_path across examples
    project = make_project(tmp_path / "project", library)
    result = mkdocs_build(project)
    log = result.stdout + result.stderr
    assert "Traceback" not in log, log[-3000:]
    if isinstance(outcome, Library):
        assert result.returncode == 0, log[-3000:]
        assert (project / "site" / "index.html").is_file()
    else:
        assert result.returncode != 0
        first = re.sub(r"^[^:]+/(scripts_library/)", r"\1", outcome[0])
        assert ERROR_LINE.match(first) and first in log, (first, log[-3000:])


@settings(max_examples=150, **SETTINGS)
@given(defaults=defaults_docs)
def test_any_defaults_validate_and_lint_without_a_crash(tmp_path: Path, defaults: object) -> None:
    assert_consistent(library_for(tmp_path, defaults), tmp_path)


@settings(max_examples=150, **SETTINGS)
@given(categories=category_files())
def test_any_categories_file_validates_and_lints_without_a_crash(tmp_path: Path, categories: list[object]) -> None:
    assert_consistent(library_for(tmp_path, BASE_DEFAULTS, categories), tmp_path)


@pytest.mark.slow
@settings(max_examples=10, **SETTINGS | {"deadline": None})
@given(defaults=defaults_maps, categories=category_files())
def test_the_real_build_agrees_with_validate(tmp_path: Path, defaults: object, categories: list[object]) -> None:
    library = library_for(tmp_path, defaults, categories)
    assert_build_agrees(library, tmp_path, assert_consistent(library, tmp_path))

"""The format guide's examples are real: every YAML example in docs/guide/editing.md validates."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from conftest import REPO

from huashu import load_library
from huashu.urls import RESERVED_CATEGORY_IDS

GUIDE = REPO / "docs" / "guide" / "editing.md"


def yaml_examples() -> list[str]:
    return re.findall(r"```yaml\n(.*?)```", GUIDE.read_text(encoding="utf-8"), flags=re.S)


def test_guide_examples_form_a_valid_library(tmp_path: Path) -> None:
    library = tmp_path / "scripts_library"
    library.mkdir()
    shutil.copy2(REPO / "scripts_library" / "categories.yaml", library / "categories.yaml")
    examples = [text for text in yaml_examples() if "entries:" in text]
    for number, text in enumerate(examples):
        (library / f"example-{number}.yaml").write_text(text, encoding="utf-8")
    loaded = load_library(library, base=tmp_path)
    assert {e.kind for e in loaded.entries} == {"phrase", "procedure", "faq"}
    assert len(loaded.entries) == 5


def test_guide_category_example_is_valid(tmp_path: Path) -> None:
    library = tmp_path / "scripts_library"
    library.mkdir()
    (example,) = [text for text in yaml_examples() if text.startswith("categories:")]
    (library / "categories.yaml").write_text(example, encoding="utf-8")
    assert [c.id for c in load_library(library, base=tmp_path).categories] == ["greetings"]


def bundled_library_with_cards_guide_example(tmp_path: Path, file_name: str, top_key: str) -> Path:
    """The bundled library with one of its root files replaced by the cards guide's example of it."""
    guide = (REPO / "docs" / "guide" / "cards.md").read_text(encoding="utf-8")
    (example,) = [t for t in re.findall(r"```yaml\n(.*?)```", guide, flags=re.S) if t.startswith(f"{top_key}:")]
    library = tmp_path / "scripts_library"
    shutil.copytree(REPO / "scripts_library", library)
    (library / file_name).write_text(example, encoding="utf-8")
    return library


def test_cards_guide_example_is_valid_against_the_bundled_library(tmp_path: Path) -> None:
    library = bundled_library_with_cards_guide_example(tmp_path, "cards.yaml", "cards")
    assert [c.id for c in load_library(library, base=tmp_path).cards] == ["opening-and-closing", "complaint-kit"]


def test_guide_documents_every_field_editors_can_write() -> None:
    import dataclasses

    from huashu import model

    guide = GUIDE.read_text(encoding="utf-8")
    for cls in (
        model.Category,
        model.Phrase,
        model.Procedure,
        model.Faq,
        model.Step,
        model.FileDefaults,
        model.Synonym,
        model.PlaceholderDefault,
    ):
        for f in dataclasses.fields(cls):
            if not f.metadata.get("internal"):
                in_prose = f"`{f.name}`" in guide
                in_example = re.search(rf"^[ -]*{f.name}:", guide, flags=re.M) is not None
                assert in_prose or in_example, f"{cls.__name__}.{f.name} is not in docs/guide/editing.md"


def test_cards_guide_pinyin_example_is_valid_and_documents_every_field(tmp_path: Path) -> None:
    import dataclasses

    from huashu import model

    library = bundled_library_with_cards_guide_example(tmp_path, "pinyin.yaml", "words")
    assert [w.word for w in load_library(library, base=tmp_path).pinyin_words] == ["还班", "空班"]
    example = (library / "pinyin.yaml").read_text(encoding="utf-8")
    for f in dataclasses.fields(model.PinyinWord):
        if not f.metadata.get("internal"):
            assert re.search(rf"^[ -]*{f.name}:", example, flags=re.M), f"PinyinWord.{f.name} is not in cards.md"


def test_guide_names_every_reserved_category_id() -> None:
    (sentence,) = [line for line in GUIDE.read_text(encoding="utf-8").splitlines() if "已经占用的名字" in line]
    assert set(re.findall(r"`([^`]+)`", sentence)) == RESERVED_CATEGORY_IDS

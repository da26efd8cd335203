"""Stage tests for load + validate: every broken fixture gives its exact messages."""

from __future__ import annotations

import datetime
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import FIXTURES, REPO, assemble_library

from huashu import load_library, model
from huashu.errors import LibraryInvalid
from huashu.load import MAX_FILE_BYTES

INVALID_CASES = sorted(p.name for p in (FIXTURES / "invalid").iterdir() if p.is_dir())
WARNING_CASES = sorted(p.name for p in (FIXTURES / "warnings").iterdir() if p.is_dir())


def error_lines(library: Path, base: Path) -> list[str]:
    with pytest.raises(LibraryInvalid) as caught:
        load_library(library, base=base)
    return [str(e) for e in caught.value.errors]


def test_base_library_is_valid(tmp_path: Path) -> None:
    library = load_library(assemble_library(tmp_path), base=tmp_path)
    assert [e.id for e in library.entries] == ["angry", "hello", "goodbye", "answer-call"]
    hello = library.by_id["hello"]
    assert isinstance(hello, model.Phrase)
    assert (hello.owner, hello.reviewed, hello.category) == ("培训组", datetime.date(2026, 10, 1), "greetings")
    assert str(hello.origin) == "scripts_library/phrases.yaml:7:5"
    assert [(c.id, c.entries, c.categories, c.size, c.order, c.pinyin) for c in library.cards] == [
        ("opening-and-closing", ["hello", "answer-call"], [], "a6", 1, False),
        ("all-questions", [], ["questions"], None, None, True),
    ]


@pytest.mark.parametrize("case", INVALID_CASES)
def test_invalid_case_reports_exact_messages(case: str, tmp_path: Path) -> None:
    expected = (FIXTURES / "invalid" / case / "expected.txt").read_text(encoding="utf-8").splitlines()
    assert error_lines(assemble_library(tmp_path, case), tmp_path) == expected


def test_oversized_file_is_refused(tmp_path: Path) -> None:
    library = assemble_library(tmp_path)
    (library / "huge.yaml").write_text("# x\n" * (MAX_FILE_BYTES // 4 + 1), encoding="utf-8")
    assert error_lines(library, tmp_path) == [
        f"scripts_library/huge.yaml:1:1: 文件过大（{MAX_FILE_BYTES + 4} 字节，上限 2 MB），请拆分成多个文件"
    ]


def test_missing_library_folder(tmp_path: Path) -> None:
    assert error_lines(tmp_path / "nowhere", tmp_path) == ["nowhere:1:1: 话术库文件夹不存在"]


def test_bundled_library_is_valid_and_complete() -> None:
    library = load_library(REPO / "scripts_library", base=REPO)
    counts = library.count_by_kind()
    assert len(library.entries) >= 150
    assert all(counts[kind] > 0 for kind in model.ENTRY_CLASSES)
    used = {e.category for e in library.entries}
    assert used == set(library.category_by_id), "every category has entries"


def validate_case(tmp_path: Path, case: str, cases: str) -> tuple[subprocess.CompletedProcess[str], list[str]]:
    """`huashu validate` run on a fixture case, with the messages the case expects."""
    library = assemble_library(tmp_path, case, cases)
    result = subprocess.run(
        [sys.executable, "-m", "huashu.cli", "validate", str(library.relative_to(tmp_path))],
        cwd=tmp_path,
        capture_output=True,
        text=True,
    )
    return result, (FIXTURES / cases / case / "expected.txt").read_text(encoding="utf-8").splitlines()


@pytest.mark.parametrize("case", ["unknown-field", "non-utf8", "yaml-syntax", "unprintable-escapes"])
def test_cli_validate_prints_errors_and_exits_1(case: str, tmp_path: Path) -> None:
    result, expected = validate_case(tmp_path, case, "invalid")
    assert result.returncode == 1
    assert result.stderr.splitlines()[:-1] == expected
    assert "Traceback" not in result.stderr
    assert not any(c in result.stderr for c in "\x1b\u202e"), "content's control characters reach the terminal"


def test_a_file_name_with_a_line_break_stays_on_one_line(tmp_path: Path) -> None:
    library = assemble_library(tmp_path)
    (library / "new\nline.yaml").write_text("entries: [\n", encoding="utf-8")
    lines = error_lines(library, tmp_path)
    assert len(lines) == 1 and lines[0].startswith("scripts_library/new\\u000aline.yaml:"), lines


def test_cli_validate_bundled_library() -> None:
    result = subprocess.run([sys.executable, "-m", "huashu.cli", "validate"], cwd=REPO, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("话术库校验通过：")  # and so with no warning printed before it
    assert "提醒" not in result.stdout


@pytest.mark.parametrize("case", WARNING_CASES)
def test_cli_validate_prints_warnings_and_exits_0(case: str, tmp_path: Path) -> None:
    result, expected = validate_case(tmp_path, case, "warnings")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[:-1] == expected
    assert result.stdout.splitlines()[-1].endswith(f"另有 {len(expected)} 条提醒（见上），请看看是不是想要的结果。")


def test_warnings_are_listed_with_the_errors(tmp_path: Path) -> None:
    library = assemble_library(tmp_path, "unread-files", cases="warnings")
    (library / "faq.yaml").write_text("entries: [", encoding="utf-8")
    with pytest.raises(LibraryInvalid) as caught:
        load_library(library, base=tmp_path)
    assert caught.value.report().splitlines()[-1] == "话术库有 1 处错误（另有 6 条提醒），请修改后重试。"


# --- what lies in the library folder besides plain files (issue 15.10, 15.11) ------------


def _outside_file(library: Path) -> None:
    secret = library.parent / "secret.yaml"
    secret.write_text("entries: []\n", encoding="utf-8")
    (library / "linked.yaml").symlink_to(secret)


def _device_link(library: Path) -> None:
    (library / "mem.yaml").symlink_to("/proc/self/mem")


def _linked_folder(library: Path) -> None:
    outside = library.parent / "elsewhere"
    outside.mkdir()
    (outside / "more.yaml").write_text("entries: []\n", encoding="utf-8")
    (library / "more").symlink_to(outside)


def _pipe(library: Path) -> None:
    os.mkfifo(library / "pipe.yaml")


def _huge_sparse(library: Path) -> None:
    with open(library / "huge.yaml", "wb") as file:
        file.truncate(3 * 1024**3)  # 3 GB that take no disk: must be refused before any reading


LINK = "是指向 {target} 的符号链接；话术库不读取链接（链接可能把库外的任何文件发布到网站上），请把文件本身放进话术库"
FOLDER_CASES = [
    (_outside_file, "scripts_library/linked.yaml:1:1: " + LINK.format(target="{tmp}/secret.yaml")),
    (_device_link, "scripts_library/mem.yaml:1:1: " + LINK.format(target="/proc/self/mem")),
    (_linked_folder, "scripts_library/more:1:1: " + LINK.format(target="{tmp}/elsewhere")),
    (_pipe, "scripts_library/pipe.yaml:1:1: 不是普通文件（可能是管道或设备），不会读取；请把它移出话术库文件夹"),
    (
        _huge_sparse,
        "scripts_library/huge.yaml:1:1: 文件过大（3221225472 字节，上限 2 MB），请拆分成多个文件",
    ),
]


@pytest.mark.parametrize(("arrange", "message"), FOLDER_CASES, ids=[f.__name__.strip("_") for f, _ in FOLDER_CASES])
def test_what_is_not_a_plain_file_is_refused_by_name(tmp_path: Path, arrange, message: str) -> None:
    library = assemble_library(tmp_path)
    arrange(library)
    assert error_lines(library, tmp_path) == [message.format(tmp=tmp_path)]


def test_a_folder_that_is_not_a_library_is_not_walked(tmp_path: Path) -> None:
    """HUASHU_LIBRARY=/ once walked the whole machine and crashed on /proc."""
    assert error_lines(Path("/"), tmp_path) == ["/categories.yaml:1:1: 缺少分类文件 categories.yaml"]

"""`huashu reviewed`: one entry's review date recorded; every other byte of its file kept."""

from __future__ import annotations

import datetime
import difflib
import shutil
from pathlib import Path

import pytest
from conftest import FIXTURES, assemble_library
from test_lint import TODAY, run_cli

from huashu import load_library


def changed_lines(before: bytes, after: bytes) -> list[str]:
    """The diff's changed lines, "-old" and "+new", without context."""
    diff = difflib.unified_diff(before.decode().splitlines(), after.decode().splitlines(), lineterm="", n=0)
    return [line for line in diff if line[:1] in "+-" and not line.startswith(("+++", "---"))]


@pytest.fixture
def library(tmp_path: Path) -> Path:
    """The base library whose phrase file is the commented one (comments, blank lines, block text)."""
    library = assemble_library(tmp_path)
    shutil.copy(FIXTURES / "new" / "commented.yaml", library / "phrases.yaml")
    return library


@pytest.mark.parametrize(
    ("args", "changes", "stdout"),
    [
        (  # the entry inherits the date from defaults: one line of its own, after its last line
            ["hello", "--date", "2026-11-01"],
            {"phrases.yaml": ["+    reviewed: 2026-11-01"]},
            "hello：复核日期改为 2026-11-01（新增一行，原来用的是文件 defaults 的日期）：scripts_library/phrases.yaml:16",
        ),
        (  # its own date: only the value changes
            ["answer-call", "--date", "2026-11-01"],
            {"procedures.yaml": ["-    reviewed: 2026-10-01", "+    reviewed: 2026-11-01"]},
            "answer-call：复核日期改为 2026-11-01：scripts_library/procedures.yaml:7",
        ),
        (  # several ids across files; the date defaults to today (SOURCE_DATE_EPOCH)
            ["goodbye", "angry"],
            {
                "phrases.yaml": [f"+    reviewed: {TODAY}"],
                "faq.yaml": ["-    reviewed: 2026-10-01", f"+    reviewed: {TODAY}"],
            },
            f"goodbye：复核日期改为 {TODAY}（新增一行，原来用的是文件 defaults 的日期）：scripts_library/phrases.yaml:32\n"
            f"angry：复核日期改为 {TODAY}：scripts_library/faq.yaml:7",
        ),
        (  # already that date: nothing written
            ["angry", "--date", "2026-10-01"],
            {},
            "angry：复核日期已是 2026-10-01，未改动（scripts_library/faq.yaml:7）",
        ),
    ],
)
def test_reviewed_changes_exactly_one_line_per_entry(
    library: Path, args: list[str], changes: dict[str, list[str]], stdout: str
) -> None:
    before = {p.name: p.read_bytes() for p in library.glob("*.yaml")}
    result = run_cli("reviewed", *args, cwd=library.parent)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == stdout
    after = {p.name: p.read_bytes() for p in library.glob("*.yaml")}
    found = {name: changed_lines(before[name], after[name]) for name in before if before[name] != after[name]}
    assert found == changes
    loaded = load_library(library, base=library.parent)
    date = datetime.date.fromisoformat(args[-1]) if "--date" in args else TODAY
    assert all(
        loaded.by_id[entry_id].reviewed == date for entry_id in args if not entry_id[0].isdigit() and entry_id[0] != "-"
    )
    assert loaded.by_id["returning"].reviewed == datetime.date(2026, 10, 1)  # its neighbours keep the default


@pytest.mark.parametrize(
    ("args", "status", "message"),
    [
        (["goodby", "hello"], 1, "条目 id “goodby”不存在（是不是 goodbye？）"),
        (["zzzz"], 1, "条目 id “zzzz”不存在（huashu stats 或手册网页上可以查到条目 id）"),
        (
            ["hello", "--date", "2026-13-01"],
            2,
            "huashu reviewed：参数 --date：日期“2026-13-01”无效，应为 YYYY-MM-DD，如 2026-01-31",
        ),
        *(
            (
                ["hello", "--date", str(future)],
                2,
                f"--date {future} 晚于今天（{TODAY}）：复核日期不能是将来的日期，没有写入。"
                "请写实际复核的那一天（不写 --date 就是今天）",
            )
            for future in (datetime.date(2062, 1, 1), TODAY + datetime.timedelta(days=1))
        ),
    ],
)
def test_reviewed_refuses_and_writes_nothing(library: Path, args: list[str], status: int, message: str) -> None:
    before = {p: p.read_bytes() for p in library.rglob("*.yaml")}
    result = run_cli("reviewed", *args, cwd=library.parent)
    assert result.returncode == status
    assert result.stderr.strip().splitlines()[-1] == message and "Traceback" not in result.stderr
    assert {p: p.read_bytes() for p in library.rglob("*.yaml")} == before

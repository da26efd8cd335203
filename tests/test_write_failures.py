"""What the editing commands do when a file cannot or must not be written: a Chinese
message naming the file and the fix, a non-zero exit, and every file byte-identical."""

from __future__ import annotations

import os
import resource
import shutil
import signal
import subprocess
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from conftest import assemble_library
from test_file_styles import run as run_here
from test_lint import TODAY_EPOCH

# Each command adds to or changes scripts_library/phrases.yaml (category greetings).
COMMANDS = {
    "new": ["new", "phrase", "--category", "greetings", "--title", "午间问候"],
    "reviewed": ["reviewed", "goodbye", "--date", "2026-11-01"],
    "import": ["import", "row.csv"],
}
EXIT_CODES = {"new": 1, "reviewed": 1, "import": 2}
PHRASES = "scripts_library/phrases.yaml"


def library_for(tmp_path: Path) -> Path:
    library = assemble_library(tmp_path)
    (tmp_path / "row.csv").write_text("分类,标题,话术\ngreetings,午间问候,您好，午安！\n", encoding="utf-8")
    return library


def snapshot(root: Path) -> dict[str, bytes]:
    """Every file under `root` (temporary files left behind would show here), by path."""
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def run(cwd: Path, args: list[str], limit: Callable[[], None] | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "SOURCE_DATE_EPOCH": TODAY_EPOCH}
    return subprocess.run(
        [sys.executable, "-m", "huashu.cli", *args], cwd=cwd, capture_output=True, text=True, env=env, preexec_fn=limit
    )


def symlinked_file(tmp_path: Path, library: Path) -> str:
    """phrases.yaml is a link to a file outside the library: the loader refuses it by name."""
    outside = tmp_path / "shared" / "phrases.yaml"
    outside.parent.mkdir()
    shutil.move(library / "phrases.yaml", outside)
    (library / "phrases.yaml").symlink_to(outside)
    return (
        f"scripts_library/phrases.yaml:1:1: 是指向 {outside} 的符号链接；"
        "话术库不读取链接（链接可能把库外的任何文件发布到网站上），请把文件本身放进话术库"
    )


def read_only_file(tmp_path: Path, library: Path) -> str:
    (library / "phrases.yaml").chmod(0o444)
    return f"{PHRASES}：文件是只读的，没有写入。确实要修改请先允许写入（chmod u+w {PHRASES}）再重试"


def read_only_folder(tmp_path: Path, library: Path) -> str:
    library.chmod(0o555)
    return f"{PHRASES}：文件夹 scripts_library 是只读的，没有写入。确实要修改请先允许写入（chmod u+w scripts_library）再重试"


@pytest.mark.parametrize("fault", [symlinked_file, read_only_file, read_only_folder])
@pytest.mark.parametrize("command", list(COMMANDS))
def test_refused_before_writing(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    command: str,
    fault: Callable[[Path, Path], str],
) -> None:
    library = library_for(tmp_path)
    message = fault(tmp_path, library)
    before = snapshot(tmp_path)
    try:
        code, output = run_here(tmp_path, monkeypatch, capsys, *COMMANDS[command])
    finally:
        library.chmod(0o755)
    assert code == EXIT_CODES[command] and message in output.strip().splitlines(), output
    assert snapshot(tmp_path) == before


@pytest.mark.parametrize(
    ("args", "created"),
    [
        (["new", "phrase", "--category", "closings", "--title", "再见"], "closings.yaml"),
        (["import", "closing.csv"], "jieshuyu.yaml"),  # a new category, named in categories.yaml too
    ],
)
def test_a_new_file_is_not_created_through_a_symlinked_folder(tmp_path: Path, args: list[str], created: str) -> None:
    """The loader does not follow a symlinked folder; a new category's file must not go there either."""
    library = library_for(tmp_path)
    with (library / "categories.yaml").open("a", encoding="utf-8") as categories:
        categories.write("  - id: closings\n    title: 结束\n    section: phrases\n")
    (tmp_path / "closing.csv").write_text("分类,标题,话术,负责人\n结束语,再见,再见！,培训组\n", encoding="utf-8")
    outside = tmp_path.parent / f"{tmp_path.name}-outside"
    outside.mkdir()
    (library / "phrases").symlink_to(outside)
    before = snapshot(tmp_path)
    result = run(tmp_path, args + (["--owner", "培训组"] if args[0] == "new" else []))
    assert result.returncode in (1, 2)
    # The loader refuses the linked folder first; the writer would refuse it too (second line of defence).
    assert (
        f"scripts_library/phrases:1:1: 是指向 {outside} 的符号链接；"
        "话术库不读取链接（链接可能把库外的任何文件发布到网站上），请把文件本身放进话术库"
    ) in result.stderr.strip().splitlines()
    assert snapshot(tmp_path) == before and not any(outside.iterdir())


def file_size_limit(size: int) -> Callable[[], None]:
    """A real write failure (EFBIG) past `size` bytes, as a full disk gives ENOSPC."""

    def limit() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # else the kernel kills the process
        resource.setrlimit(resource.RLIMIT_FSIZE, (size, size))

    return limit


@pytest.mark.parametrize("command", list(COMMANDS))
def test_a_write_that_fails_half_way_leaves_the_file_whole(tmp_path: Path, command: str) -> None:
    library = library_for(tmp_path)
    phrases = library / "phrases.yaml"
    phrases.write_bytes(phrases.read_bytes() + "# 一段很长的注释，让文件超过限制\n".encode() * 40)
    before = snapshot(tmp_path)
    result = run(tmp_path, COMMANDS[command], file_size_limit(phrases.stat().st_size - 100))
    reason = "超过了系统允许的文件大小），话术库的文件都保持原样，没有改动；请检查系统的文件大小限制（ulimit -f）后重试"
    assert (result.returncode, result.stderr.strip().splitlines()[-1]) == (
        EXIT_CODES[command],
        f"{PHRASES}：无法写入（{reason}",
    )
    assert snapshot(tmp_path) == before


@contextmanager
def tiny_disk(folder: Path) -> Iterator[Path]:
    """A 64 KB tmpfs at `folder` (root only): a real full disk."""
    folder.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(folder)], capture_output=True)
    if mounted.returncode != 0:
        pytest.skip("needs root and mount to make a small disk")
    try:
        yield folder
    finally:
        subprocess.run(["umount", str(folder)], check=True)


@pytest.mark.skipif(os.geteuid() != 0, reason="mounting a small disk needs root")
def test_a_full_disk_leaves_the_library_as_it_was(tmp_path: Path) -> None:
    with tiny_disk(tmp_path / "disk") as disk:
        library_for(disk)
        filler = disk / "filler"
        with filler.open("wb", buffering=0) as out, pytest.raises(OSError):
            while True:
                out.write(b"\0" * 1024)
        before = snapshot(disk)
        result = run(disk, COMMANDS["new"])
        assert result.returncode == 1
        assert result.stderr.strip() == (
            f"{PHRASES}：无法写入（磁盘空间已满），话术库的文件都保持原样，没有改动；请腾出磁盘空间后重试"
        )
        assert snapshot(disk) == before


def test_a_change_keeps_the_files_permissions(tmp_path: Path) -> None:
    library = library_for(tmp_path)
    (library / "phrases.yaml").chmod(0o640)
    result = run(tmp_path, COMMANDS["new"])
    assert result.returncode == 0, result.stderr
    assert (library / "phrases.yaml").stat().st_mode & 0o777 == 0o640
    assert sorted(p.name for p in library.iterdir()) == sorted(
        ["cards.yaml", "categories.yaml", "faq.yaml", "phrases.yaml", "procedures.yaml"]
    )


def test_export_never_writes_through_a_symlink_or_into_a_read_only_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    library_for(tmp_path)
    (tmp_path / "elsewhere.csv").write_text("别人的文件\n", encoding="utf-8")
    (tmp_path / "out.csv").symlink_to(tmp_path / "elsewhere.csv")
    (tmp_path / "locked").mkdir(mode=0o555)
    before = snapshot(tmp_path)
    assert run_here(tmp_path, monkeypatch, capsys, "export", "out.csv") == (
        2,
        f"out.csv：是符号链接（指向 {tmp_path / 'elsewhere.csv'}），没有写入；请直接写到它指向的位置\n",
    )
    assert run_here(tmp_path, monkeypatch, capsys, "export", "locked/a.csv") == (
        2,
        "locked/a.csv：文件夹 locked 是只读的，没有写入。确实要修改请先允许写入（chmod u+w locked）再重试\n",
    )
    assert snapshot(tmp_path) == before
    assert run_here(tmp_path, monkeypatch, capsys, "export", "a.csv")[0] == 0
    assert (tmp_path / "a.csv").stat().st_mode & 0o777 == 0o666 & ~current_umask()


def current_umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask

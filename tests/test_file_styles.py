"""Every editing command on a corpus of file styles (tests/fixtures/file_styles): the file
it changes is the original with text spliced in, byte for byte, and reads as the original
plus the change; or the command refuses and writes nothing."""

from __future__ import annotations

import datetime
import os
import re
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from conftest import FIXTURES, REPO, assemble_library
from test_lint import TODAY, TODAY_EPOCH

from huashu import load_library
from huashu.append import appended, parsed
from huashu.cli import main
from huashu.new_entry import entry_map

STYLES = sorted(p.name for p in (FIXTURES / "file_styles").glob("*.yaml"))
REVIEWED_ON = datetime.date(2026, 11, 1)


def spliced(before: bytes, after: bytes) -> tuple[bytes, bytes]:
    """(removed, inserted): the one stretch where `after` differs from `before`."""
    prefix = len(os.path.commonprefix([before, after]))
    suffix, room = 0, min(len(before), len(after)) - prefix
    while suffix < room and before[-1 - suffix] == after[-1 - suffix]:
        suffix += 1
    return before[prefix : len(before) - suffix], after[prefix : len(after) - suffix]


def run(cwd: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    """The real command line, in this process (the corpus is large): exit code and all output."""
    monkeypatch.chdir(cwd)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", TODAY_EPOCH)
    code = main(list(args))
    out = capsys.readouterr()
    assert "Traceback" not in out.err
    return code, out.out + out.err


def library_in_style(tmp_path: Path, style: str) -> Path:
    """The base library whose phrase file (greetings: hello, goodbye) is written in `style`."""
    library = assemble_library(tmp_path)
    shutil.copy(FIXTURES / "file_styles" / style, library / "phrases.yaml")
    return library


def new_phrase(tmp_path: Path) -> tuple[list[str], dict[str, Any]]:
    args = ["new", "phrase", "--category", "greetings", "--title", "午间问候"]
    return args, {"id": "wujian-wenhou", "title": "午间问候", "text": "待填写", "when": "待填写", "reviewed": TODAY}


def imported_row(tmp_path: Path) -> tuple[list[str], dict[str, Any]]:
    (tmp_path / "row.csv").write_text("分类,标题,话术,标签\ngreetings,午间问候,您好，午安！,问候\n", encoding="utf-8")
    entry = {"id": "wujian-wenhou", "title": "午间问候", "text": "您好，午安！", "tags": ["问候"], "reviewed": TODAY}
    return ["import", "row.csv"], entry


@pytest.mark.parametrize("command", [new_phrase, imported_row], ids=["new", "import"])
@pytest.mark.parametrize("style", STYLES)
def test_adding_an_entry_keeps_every_byte(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    style: str,
    command: Callable[[Path], tuple[list[str], dict[str, Any]]],
) -> None:
    library = library_in_style(tmp_path, style)
    before = (library / "phrases.yaml").read_bytes()
    args, entry = command(tmp_path)
    code, output = run(tmp_path, monkeypatch, capsys, *args)
    assert code == 0, output
    after = (library / "phrases.yaml").read_bytes()
    removed, inserted = spliced(before, after)
    assert removed == b"" and inserted, after
    old = parsed(before)
    assert parsed(after) == {**old, "entries": [*old["entries"], entry]}
    assert load_library(library, base=tmp_path).by_id[entry["id"]].title == "午间问候"


def test_new_reports_the_line_of_the_entry_it_added(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    for style in STYLES:
        library = library_in_style(tmp_path / style, style)
        # An id YAML would read as a number: written so it stays text.
        args = ["new", "phrase", "--category", "greetings", "--title", "午间问候", "--id", "123"]
        code, output = run(tmp_path / style, monkeypatch, capsys, *args)
        assert code == 0, output
        line = int(output.splitlines()[0].rsplit(":", 1)[1])
        text = (library / "phrases.yaml").read_bytes().decode("utf-8-sig")
        assert re.fullmatch(r" *- +id: '123'", text.splitlines()[line - 1]), style


@pytest.mark.parametrize("entry_id", ["hello", "goodbye"])  # the first entry, and the last one of the file
@pytest.mark.parametrize("style", STYLES)
def test_reviewed_keeps_every_byte(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], style: str, entry_id: str
) -> None:
    library = library_in_style(tmp_path, style)
    before = (library / "phrases.yaml").read_bytes()
    code, output = run(tmp_path, monkeypatch, capsys, "reviewed", entry_id, "--date", REVIEWED_ON.isoformat())
    assert code == 0, output
    after = (library / "phrases.yaml").read_bytes()
    removed, inserted = spliced(before, after)
    a_field = removed == b"" and re.fullmatch(rb"[\s,]*reviewed: " + str(REVIEWED_ON).encode() + rb"\s*", inserted)
    a_date = re.fullmatch(rb"[0-9-]+", removed) and re.fullmatch(rb"[0-9-]+", inserted)
    assert a_field or a_date, (removed, inserted)
    expected = parsed(before)
    fields = next(e for e in expected["entries"] if e["id"] == entry_id)
    fields["reviewed"] = str(REVIEWED_ON) if isinstance(fields.get("reviewed"), str) else REVIEWED_ON
    assert parsed(after) == expected


def test_appending_to_every_bundled_file_keeps_every_byte() -> None:
    """The bundled library's own files, each with one more entry of its kind."""
    for path in sorted((REPO / "scripts_library").rglob("*.yaml")):
        data = parsed(path.read_bytes())
        if not isinstance(data, dict) or not data.get("entries"):
            continue
        defaults = data.get("defaults") or {}
        entry = entry_map({**defaults, **data["entries"][-1], "id": "appended-entry"}, defaults)
        before = path.read_bytes()
        after, lines = appended(before, "entries", [entry], path.name)
        assert spliced(before, after)[0] == b"", path
        assert parsed(after)["entries"] == [*data["entries"], {**entry}], path
        assert "appended-entry" in after.decode("utf-8").splitlines()[lines[0] - 1], path


def test_a_list_written_in_one_line_is_refused_and_left_alone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    library = assemble_library(tmp_path)
    flow = "defaults: {kind: phrase, category: greetings, owner: 培训组, reviewed: 2026-10-01}\nentries: [{id: hello, title: 标准问候语, text: 您好！}]\n"
    (library / "phrases.yaml").write_text(flow, encoding="utf-8")
    args, _ = new_phrase(tmp_path)
    assert run(tmp_path, monkeypatch, capsys, *args) == (
        1,
        "scripts_library/phrases.yaml:2:10: entries: 写成了 [ … ] 形式，无法自动追加，没有写入。"
        "请改成每项一个“- ”开头的写法，或手动添加\n",
    )
    assert (library / "phrases.yaml").read_text(encoding="utf-8") == flow

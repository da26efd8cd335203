"""最近更新: the library's git history, read as untrusted input."""

from __future__ import annotations

from pathlib import Path

from conftest import assemble_library
from test_editor_site import git

from huashu import changes

BROKEN_KINDS = ["{phrase}", "[phrase, faq]", "123", "~"]


def test_an_old_version_with_any_kind_is_read_without_error(tmp_path: Path) -> None:
    library = assemble_library(tmp_path)
    git(tmp_path, "init", "-q", "-b", "main")
    git(tmp_path, "add", ".")
    git(tmp_path, "commit", "-q", "-m", "base")
    phrases = library / "phrases.yaml"
    good = phrases.read_text(encoding="utf-8")
    for kind in BROKEN_KINDS:
        phrases.write_text(good.replace("  kind: phrase\n", f"  kind: {kind}\n"), encoding="utf-8")
        git(tmp_path, "commit", "-q", "-am", f"kind {kind}")
    phrases.write_text(good.replace("很高兴为您服务", "很高兴为您效劳"), encoding="utf-8")
    git(tmp_path, "commit", "-q", "-am", "wording")
    history = changes.recent_changes(library)
    assert history is not None and history[0].subject == "wording"
    (change,) = [c for c in history[0].entries if c.entry_id == "hello"]
    assert change.new_text == "您好，很高兴为您效劳！"

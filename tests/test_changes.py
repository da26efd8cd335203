"""最近更新: the library's git history, read as untrusted input."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
from conftest import assemble_library
from test_editor_site import git

from huashu import changes


def committed_library(tmp_path: Path) -> Path:
    """The base library in a fresh git repository, committed once as "base"."""
    library = assemble_library(tmp_path)
    git(tmp_path, "init", "-q", "-b", "main")
    git(tmp_path, "add", ".")
    git(tmp_path, "commit", "-q", "-m", "base")
    return library


BROKEN_KINDS = ["{phrase}", "[phrase, faq]", "123", "~"]


def test_an_old_version_with_any_kind_is_read_without_error(tmp_path: Path) -> None:
    library = committed_library(tmp_path)
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


# --- what each commit shows: (subject, {file: [(old, new), ...]}) applied in order ----------------
# Expected: the commits listed, newest first, each with (action, id, fields) of its entries.
Edits = dict[str, list[tuple[str, str]]]
BROKEN_YAML = ("  - id: goodbye\n", "  - id: goodbye\n   title: [\n")  # a bad indent and an open bracket
HELLO_WORDING = ("很高兴为您服务！", "很高兴为您服务，请问有什么可以帮您？")
HISTORY_CASES: dict[str, tuple[list[tuple[str, Edits]], list[tuple[str, list[tuple[str, str, tuple[str, ...]]]]]]] = {
    "a broken file and its repair with no net change show nothing": (
        [("改坏", {"phrases.yaml": [BROKEN_YAML]}), ("修好", {"phrases.yaml": [BROKEN_YAML[::-1]]})],
        [],
    ),
    "the repair is compared with the last readable version": (
        [
            ("改坏", {"phrases.yaml": [BROKEN_YAML]}),
            ("还是坏的，顺手改了问候", {"phrases.yaml": [HELLO_WORDING]}),
            ("修好", {"phrases.yaml": [BROKEN_YAML[::-1]]}),
        ],
        [("修好", [("changed", "hello", ("text",))])],
    ),
    "a breaking commit still shows its changes to other files": (
        [
            (
                "改坏话术，改了问答",
                {"phrases.yaml": [BROKEN_YAML], "faq.yaml": [("先倾听，再道歉。", "先倾听，再道歉，最后跟进。")]},
            )
        ],
        [("改坏话术，改了问答", [("changed", "angry", ("answer",))])],
    ),
    "an entry without an id makes its file unreadable, not its entry removed": (
        [("丢了 id", {"phrases.yaml": [("  - id: goodbye\n", "  - idd: goodbye\n")]})],
        [],
    ),
    "a review date is metadata": (
        [("复核", {"phrases.yaml": [("  reviewed: 2026-10-01\n", "  reviewed: 2026-11-20\n")]})],
        [("复核", [("metadata", "hello", ("reviewed",)), ("metadata", "goodbye", ("reviewed",))])],
    ),
    "owner and tags are metadata": (
        [("换负责人", {"phrases.yaml": [("    tags: [问候]\n", "    tags: [问候, 开场]\n    owner: 质检组\n")]})],
        [("换负责人", [("metadata", "hello", ("owner", "tags"))])],
    ),
    "wording with a review date is a change": (
        [
            (
                "改说法",
                {
                    "phrases.yaml": [
                        HELLO_WORDING,
                        ("    tags: [问候]\n", "    tags: [问候]\n    reviewed: 2026-11-20\n"),
                    ]
                },
            )
        ],
        [("改说法", [("changed", "hello", ("reviewed", "text"))])],
    ),
    "turning a phrase into forbidden wording is a change": (
        [
            (
                "改成忌语",
                {"phrases.yaml": [("    tags: [问候]\n", "    tags: [问候]\n    avoid: true\n    instead: 您好！\n")]},
            )
        ],
        [("改成忌语", [("changed", "hello", ("avoid", "instead"))])],
    ),
}


@pytest.mark.parametrize("case", HISTORY_CASES)
def test_recent_changes_tell_what_agents_read(case: str, tmp_path: Path) -> None:
    commits, expected = HISTORY_CASES[case]
    library = committed_library(tmp_path)
    for subject, edits in commits:
        for name, replacements in edits.items():
            path = library / name
            text = path.read_text(encoding="utf-8")
            for old, new in replacements:
                assert old in text, (name, old)
                text = text.replace(old, new)
            path.write_text(text, encoding="utf-8")
        git(tmp_path, "commit", "-q", "-am", subject)
    history = changes.recent_changes(library)
    assert history is not None and history[-1].subject == "base"
    shown = [(c.subject, [(e.action, e.entry_id, e.fields) for e in c.entries]) for c in history[:-1]]
    assert shown == expected


def test_metadata_change_names_fields_as_editors_know_them(tmp_path: Path) -> None:
    change = changes.EntryChange("metadata", "hello", "标准问候语", ("lint_ignore", "owner", "reviewed", "tags"))
    assert change.field_names == ["不做的 lint 检查", "负责人或负责小组", "最近复核日期", "标签"]


# --- hostile old versions (issue 15.9): each committed once, then the file restored --------------
BOMB = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join([f'*{chr(97 + i)}'] * 9)}]\n" for i in range(9)
)
HOSTILE_VERSIONS: dict[str, tuple[bytes, str]] = {
    "gbk": ("entries:\n  - id: hello\n    title: 标准问候语\n".encode("gbk"), "不是 UTF-8"),
    "alias bomb": ((BOMB + "entries: [*j]\n").encode(), "别名"),
    "deep nesting": (("entries: " + "[" * 100_000 + "]" * 100_000 + "\n").encode(), "嵌套"),
    "non-string key": (b"entries:\n  - id: hello\n    1: x\n    [a]: y\n", ""),
    "too large": (b"entries: []\n#" + b"x" * (3 * 1024 * 1024) + b"\n", "文件过大"),
}


@pytest.mark.parametrize("case", list(HOSTILE_VERSIONS))
def test_a_hostile_old_version_is_skipped_not_a_crash(case: str, tmp_path: Path) -> None:
    content, note = HOSTILE_VERSIONS[case]
    library = committed_library(tmp_path)
    phrases = library / "phrases.yaml"
    good = phrases.read_bytes()
    phrases.write_bytes(content)
    git(tmp_path, "commit", "-q", "-am", "hostile")
    phrases.write_bytes(good.replace("很高兴为您服务".encode(), "很高兴为您效劳".encode()))
    git(tmp_path, "commit", "-q", "-am", "restored")
    skipped: list[str] = []
    history = changes.recent_changes(library, on_skip=skipped.append)
    assert history is not None and [c.subject for c in history] == ["restored", "base"]
    assert [c.entry_id for c in history[0].entries] == ["hello"]
    if note:
        assert len(skipped) == 1 and "phrases.yaml" in skipped[0] and note in skipped[0], skipped


def test_control_characters_in_commit_subject_and_author_are_shown_inert(tmp_path: Path) -> None:
    library = committed_library(tmp_path)
    phrases = library / "phrases.yaml"
    phrases.write_text(phrases.read_text(encoding="utf-8").replace("服务", "效劳"), encoding="utf-8")
    env = {**os.environ, "GIT_AUTHOR_NAME": "Eve\x1b[31m\x1f", "GIT_AUTHOR_EMAIL": "e@example.invalid"}
    env |= {"GIT_COMMITTER_NAME": "Eve", "GIT_COMMITTER_EMAIL": "e@example.invalid"}
    subject = "改\x1e了\x1b[2J问候\u202e"
    subprocess.run(["git", "-C", str(tmp_path), "commit", "-q", "-am", subject], check=True, env=env)
    history = changes.recent_changes(library)
    assert history is not None  # (git itself drops the author's trailing control character)
    assert (history[0].author, history[0].subject) == ("Eve\\u001b[31m", "改\\u001e了\\u001b[2J问候\\u202e")

"""最近更新: the library's git history, read as untrusted input."""

from __future__ import annotations

from pathlib import Path

import pytest
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
    library = assemble_library(tmp_path)
    git(tmp_path, "init", "-q", "-b", "main")
    git(tmp_path, "add", ".")
    git(tmp_path, "commit", "-q", "-m", "base")
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

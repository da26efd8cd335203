"""The search index: which field of a search document each text goes in follows from its role."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import assemble_library

from huashu import load_library
from huashu.search_index import build_index, document_for

EXTRA = """\
defaults: {kind: phrase, category: greetings, owner: 培训组, reviewed: 2026-10-01}
entries:
  - id: not-mine
    title: 这不归我管
    text: 这不归我管。
    variants: [找别人去。]
    avoid: true
    instead: 这个问题由专人负责，我帮您转过去。
    when: 推诿的说法
    tags: [忌语]
  - id: wait-please
    title: 请稍等
    text: 请您稍等。
    variants: [麻烦您稍候。]
    when: 查询时
    note: 不要超过两分钟
  - id: check-steps
    kind: procedure
    title: 查询步骤
    summary: 先核实身份再查询
    steps:
      - {do: 核实身份, limit: 30秒内, say: 请问您的手机号码是？}
      - {do: 不推诿, dont_say: not-mine}
  - id: faq-slow
    kind: faq
    title: 客户嫌慢
    question: 怎么这么慢？
    answer: 先道歉，再说明原因。
"""

# entry id -> (keywords, shown, other, copy) of its search document: what search finds, what a
# result shows, and what its copy key takes from each shown text ("" nothing)
DOCUMENTS = {
    "not-mine": (
        ["忌语", "问候语"],
        ["这个问题由专人负责，我帮您转过去。"],
        ["这不归我管。", "推诿的说法", "找别人去。"],
        ["这个问题由专人负责，我帮您转过去。"],
    ),
    "wait-please": (
        ["问候语"],
        ["请您稍等。", "麻烦您稍候。"],
        ["查询时", "不要超过两分钟"],
        ["请您稍等。", "麻烦您稍候。"],
    ),
    # a step is shown whole (what to do, its time limit, its words) and copies only its words;
    # forbidden wording it points at is searchable, never shown or copied; the summary is guidance
    "check-steps": (
        ["问候语"],
        ["核实身份 30秒内 请问您的手机号码是？", "不推诿 这个问题由专人负责，我帮您转过去。"],
        ["先核实身份再查询", "这不归我管。"],
        ["请问您的手机号码是？", "这个问题由专人负责，我帮您转过去。"],
    ),
    # coaching is shown, never copied
    "faq-slow": (["问候语"], ["先道歉，再说明原因。"], ["怎么这么慢？"], [""]),
}


@pytest.fixture(scope="module")
def library(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    root = tmp_path_factory.mktemp("index")
    folder = assemble_library(root)
    (folder / "extra.yaml").write_text(EXTRA, encoding="utf-8")
    return load_library(folder, base=root)


@pytest.mark.parametrize(("entry_id", "fields"), DOCUMENTS.items())
def test_texts_go_in_the_field_of_their_role(library, entry_id: str, fields: tuple) -> None:  # type: ignore[no-untyped-def]
    document = document_for(library.by_id[entry_id], library)
    keywords, shown, other, copy = fields
    assert sorted(document.keywords) == sorted(keywords)
    assert (document.shown, sorted(document.other), document.copy) == (shown, sorted(other), copy)


def test_forbidden_entries_are_flagged_in_the_head(library) -> None:  # type: ignore[no-untyped-def]
    head, _ = build_index(library)
    flagged = {head["docs"]["id"][i] for i in head["docs"]["avoid"]}
    assert flagged == {e.id for e in library.entries if getattr(e, "avoid", False)} and "not-mine" in flagged
    assert head["kinds"] == {"phrase": "话术", "procedure": "流程", "faq": "问答", "category": "分类"}


def test_the_bundled_library_indexes(tmp_path: Path) -> None:
    from conftest import REPO

    head, shards = build_index(load_library(REPO / "scripts_library", base=REPO))
    assert len(head["docs"]["id"]) == sum(len(s["docs"]) for s in shards)

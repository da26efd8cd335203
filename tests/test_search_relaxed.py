"""Search in the agent's own words: query folding, synonyms and aliases, the partial tier and
the ranking rules, table by table, with the real engine run in Node over a small library."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import REPO, assemble_library

from huashu import load_library
from huashu.search_index import build_index

ENGINE = REPO / "overrides" / "assets" / "search" / "engine.js"
CALLS = REPO / "tests" / "js" / "engine_calls.js"

ENTRIES = """\
defaults: {kind: phrase, category: greetings, owner: 培训组, reviewed: 2026-10-01}
entries:
  - id: go-complain
    title: 你去投诉吧
    text: 你去投诉吧。
    avoid: true
    instead: 您的意见我已经记录下来，会尽快给您答复。
  - id: complaint-apology
    title: 投诉道歉
    text: 给您添麻烦了，非常抱歉。
  - id: hidden-verify
    title: 不可能
    text: 不可能。
    avoid: true
    instead: 我再帮您核实一下。
    tags: [核实]
  - id: verify-info
    title: 核对信息
    text: 请让我核实一下您的信息。
  - id: alias-only
    title: 第一句话
    text: 您好，请讲。
    aliases: [开场白]
  - id: title-opening
    title: 开场白示范
    text: 您好，这里是客服中心。
  - id: chat-only
    title: 在线问候
    text: 您好，请问有什么可以帮您？
    channels: [chat]
  - id: phone-only
    title: 电话问候
    text: 您好，请问有什么可以帮您？
    channels: [phone]
  - id: compensation
    title: 赔偿说明
    text: 符合条件的，我们会按规定给予赔偿。
  - id: refund-rule
    title: 退款规则
    text: 退款在审核通过后七个工作日内到账。
  - id: refund-wait
    title: 到账时间
    text: 七个工作日内到账。
    note: 客户想了解退款要多久才到账时，先查审核状态。
  - id: three-voices
    title: 三声服务
    text: 来有迎声，问有答声，去有送声。
  - id: reply-limit
    title: 答复时限
    text: 答复等待不超过20秒。
"""

SYNONYMS = """\
synonyms:
  - words: [赔钱]
    means: [赔偿]
  - same: [挂电话, 结束通话]
"""


@pytest.fixture(scope="module")
def index_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("relaxed")
    folder = assemble_library(root)
    (folder / "extra.yaml").write_text(ENTRIES, encoding="utf-8")
    (folder / "synonyms.yaml").write_text(SYNONYMS, encoding="utf-8")
    head, shards = build_index(load_library(folder, base=root))
    path = root / "index.json"
    path.write_text(json.dumps({"head": head, "shards": shards}, ensure_ascii=False), encoding="utf-8")
    return path


def call(index_file: Path, *calls: list) -> list:
    node = shutil.which("node")
    assert node, "Node.js (`node`) is not installed: run `make test`, which installs Debian's nodejs"
    asked = index_file.parent / "calls.json"
    asked.write_text(json.dumps(list(calls), ensure_ascii=False), encoding="utf-8")
    done = subprocess.run(
        [node, str(CALLS), str(ENGINE), str(index_file), str(asked)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def ids(results: list[dict]) -> list[str]:
    return [r["id"] for r in results]


# Queries typed differently that mean the same: the same results.
SAME_RESULTS = [
    ("tou'su", "tousu"),  # an IME's syllable separator
    ("投诉？", "投诉"),  # punctuation typed with the question
    ("，投诉。", "投诉"),
    ("3声", "三声"),  # digits and Chinese numerals
    ("20 秒", "20秒"),
    ("核实！！！", "核实"),
]


@pytest.mark.parametrize(("typed", "meant"), SAME_RESULTS)
def test_query_forms_that_mean_the_same_find_the_same(index_file: Path, typed: str, meant: str) -> None:
    first, second = call(index_file, ["search", typed], ["search", meant])
    assert first and ids(first) == ids(second)


# Query -> the runs of units the partial tier reads it as (unit keys: "=x" a typed
# character, "s2tou" a whole syllable, "p3x" a syllable still being typed).
TERMS = [
    ("客户要退款怎么办", [["=要", "=退", "=款"]]),  # who (客户) and how (怎么办) dropped, 要 kept
    ("什么是三声服务？", [["=三", "=声", "=服", "=务"]]),
    ("为什么不能退款", [["=不", "=能", "=退", "=款"]]),  # negations are never dropped
    ("退款了吗", [["=退", "=款"]]),  # particles that end the question
    ("了解退款要多久", [["=了", "=解", "=退", "=款", "=要", "=多", "=久"]]),  # ... but not inside a word
    ("退款怎么要多久", [["=退", "=款"], ["=要", "=多", "=久"]]),  # a dropped word splits the terms around it
    ("zenmetuikuan", [["s2tui", "p2kuan"]]),  # 怎么 typed as pinyin is dropped too
]


@pytest.mark.parametrize(("query", "runs"), TERMS)
def test_question_and_filler_words_are_dropped(index_file: Path, query: str, runs: list) -> None:
    assert call(index_file, ["terms", query]) == [runs]


# Query -> ids that must come in this order (others may come between), and the first one's match.
RANKING = [
    # a forbidden phrase never above a recommended one for a word it shares ...
    ("投诉", ["complaint-apology", "go-complain"], "all"),
    # ... unless the query is its own wording
    ("你去投诉吧", ["go-complain"], "all"),
    # a match in visible text before one in hidden tags
    ("核实", ["verify-info", "hidden-verify"], "all"),
    # a title before an alias
    ("开场白", ["title-opening", "alias-only"], "all"),
    # an editor's synonym finds what the typed word does not
    ("赔钱", ["compensation"], "all"),
    ("客户要赔钱怎么办", ["compensation"], "partial"),
    # a group works both ways, and covers a question around it
    ("怎么结束通话？", [], None),
    # the partial tier: more of the query covered ranks first
    ("退款多久到账", ["refund-wait", "refund-rule"], "partial"),
    ("什么是三声服务？", ["three-voices"], "all"),
    ("3声", ["three-voices"], "all"),
    ("答复不超过几秒", ["reply-limit"], "partial"),
]


@pytest.mark.parametrize(("query", "order", "match"), RANKING)
def test_ranking_rules(index_file: Path, query: str, order: list[str], match: str | None) -> None:
    (results,) = call(index_file, ["search", query])
    found = ids(results)
    assert [i for i in found if i in order] == order, found
    if order:
        assert found[0] == order[0] and results[0]["match"] == match, results


def test_partial_results_come_after_whole_matches(index_file: Path) -> None:
    (results,) = call(index_file, ["search", "退款到账", {"limit": 20}])
    matches = [r["match"] for r in results]
    assert matches == sorted(matches)  # "all" before "partial"
    assert "partial" in matches or matches


def test_channel_filter_keeps_entries_for_every_channel(index_file: Path) -> None:
    everything, phone = call(
        index_file, ["search", "您好，请问有什么可以帮您"], ["search", "您好，请问有什么可以帮您", {"channel": "phone"}]
    )
    assert {"chat-only", "phone-only"} <= set(ids(everything))
    assert "phone-only" in ids(phone) and "chat-only" not in ids(phone)
    assert all(r["channels"] in ([], ["phone"]) for r in phone)
    (chat_row,) = [r for r in everything if r["id"] == "chat-only"]
    assert chat_row["channels"] == ["chat"]


def test_nothing_found_still_offers_the_nearest_entries(index_file: Path) -> None:
    (strict,) = call(index_file, ["search", "火星人退货"])
    (nearest,) = call(index_file, ["nearest", "火星人退货"])
    assert strict == [] or all(r["match"] == "partial" for r in strict)
    assert nearest["results"] and nearest["results"][0]["id"] == "refund-rule"
    (pinyin,) = call(index_file, ["nearest", "tuikuanguize"])
    assert pinyin["didYouMean"] == "退款规则"


@pytest.mark.parametrize(
    "query",
    [
        ("kehuqingxujidong投诉处理zenmeban" * 10)[:200],
        "投" * 200,
        "tou " * 50,
        ("qxzv#@!" * 40)[:200],
        "退款" * 150,
    ],
)
def test_long_queries_are_cut_at_200_characters(index_file: Path, query: str) -> None:
    longer, cut = call(index_file, ["search", query + "投诉处理" * 50], ["search", query[:200]])
    assert ids(longer) == ids(cut)

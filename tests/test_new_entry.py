"""`huashu new`: a fresh, valid entry in the right file; the rest of the file untouched."""

from __future__ import annotations

import difflib
import shutil
import textwrap
from pathlib import Path

import pytest
import yaml
from conftest import FIXTURES, assemble_library
from test_lint import TODAY, lint_lines, run_cli

from huashu import load_library


def added_lines(before: bytes, after: bytes) -> list[str]:
    """Lines `after` has that `before` lacks; fails if anything of `before` changed or went."""
    old, new = before.decode("utf-8").splitlines(keepends=True), after.decode("utf-8").splitlines(keepends=True)
    added = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, old, new, autojunk=False).get_opcodes():
        assert tag in ("equal", "insert"), f"existing lines changed: {old[i1:i2]!r} -> {new[j1:j2]!r}"
        if tag == "insert":
            added += new[j1:j2]
    return added


def test_new_phrase_keeps_a_commented_file_byte_for_byte(tmp_path: Path) -> None:
    library = assemble_library(tmp_path)
    (library / "phrases.yaml").unlink()  # the commented file is now the greetings file
    shutil.copy(FIXTURES / "new" / "commented.yaml", library / "greetings.yaml")
    before = (library / "greetings.yaml").read_bytes()
    result = run_cli("new", "phrase", "--category", "greetings", "--title", "午间问候", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    after = (library / "greetings.yaml").read_bytes()
    added = added_lines(before, after)
    assert after.startswith(before.split(b"# \xe6\x96\x87\xe4\xbb\xb6\xe6\x9c\xab")[0])  # up to the closing comment
    new_entry = yaml.safe_load(textwrap.dedent("".join(added)))
    # defaults give kind, category and owner; reviewed is today, which differs from the file's date
    assert new_entry == [
        {"id": "wujian-wenhou", "title": "午间问候", "text": "待填写", "when": "待填写", "reviewed": TODAY}
    ]
    assert result.stdout.splitlines()[0].startswith("已添加条目 wujian-wenhou：scripts_library/greetings.yaml:")
    line = int(result.stdout.splitlines()[0].rsplit(":", 1)[1])
    assert after.decode("utf-8").splitlines()[line - 1].strip() == "- id: wujian-wenhou"
    loaded = load_library(library, base=tmp_path)
    assert loaded.by_id["wujian-wenhou"].title == "午间问候"
    assert any("[unfinished]" in w and "wujian-wenhou" in w for w in lint_lines(library, tmp_path))


@pytest.mark.parametrize(
    ("kind", "category", "file", "fields"),
    [
        ("procedure", "inbound", "procedures.yaml", {"summary", "steps"}),
        ("faq", "questions", "faq.yaml", {"question", "answer"}),
    ],
)
def test_new_procedure_and_faq_go_to_their_category_file(
    tmp_path: Path, kind: str, category: str, file: str, fields: set[str]
) -> None:
    library = assemble_library(tmp_path)
    before = (library / file).read_bytes()
    result = run_cli("new", kind, "--category", category, "--title", "新条目", "--id", "brand-new", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    added = yaml.safe_load(textwrap.dedent("".join(added_lines(before, (library / file).read_bytes()))))
    assert added[0]["id"] == "brand-new" and added[0]["kind"] == kind and added[0]["category"] == category
    assert fields <= set(added[0])
    assert load_library(library, base=tmp_path).by_id["brand-new"].kind == kind


def test_new_entry_in_an_empty_category_creates_its_file(tmp_path: Path) -> None:
    library = assemble_library(tmp_path)
    categories = library / "categories.yaml"
    categories.write_text(
        categories.read_text(encoding="utf-8") + "  - id: closings\n    title: 结束语\n    section: phrases\n",
        encoding="utf-8",
    )
    result = run_cli("new", "phrase", "--category", "closings", "--title", "再见", "--owner", "培训组", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "scripts_library/phrases/closings.yaml" in result.stdout and "（新建文件）" in result.stdout
    created = yaml.safe_load((library / "phrases" / "closings.yaml").read_text(encoding="utf-8"))
    assert created["defaults"]["category"] == "closings"
    assert created["entries"][0]["id"] == "zaijian"
    assert load_library(library, base=tmp_path).by_id["zaijian"].owner == "培训组"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--category", "nowhere", "--title", "x"], "分类“nowhere”不存在；可用的分类：greetings、inbound、questions"),
        (["--category", "greetings", "--title", "x", "--id", "hello"], "条目 id “hello”已经存在"),
        (["--category", "greetings", "--title", "x", "--id", "Bad Id"], "“Bad Id”不是有效的 id"),
    ],
)
def test_new_refuses_bad_requests_without_touching_files(tmp_path: Path, args: list[str], message: str) -> None:
    library = assemble_library(tmp_path)
    before = {p: p.read_bytes() for p in library.rglob("*.yaml")}
    result = run_cli("new", "phrase", *args, cwd=tmp_path)
    assert result.returncode == 1
    assert message in result.stderr and "Traceback" not in result.stderr
    assert {p: p.read_bytes() for p in library.rglob("*.yaml")} == before


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("午间问候", "wujian-wenhou"),
        ("标准问候语", "biaozhun-wenhouyu"),  # a three-character word whole (was biaozhun-wenhou-yu)
        ("日期单元格", "riqi-danyuange"),  # (was riqi-danyuan-ge)
        ("多行道歉", "duohang-daoqian"),  # syllables in twos, not a dictionary word across them (was duo-hangdao-qian)
        ("催缴提醒", "cuijiao-tixing"),
        ("请稍等", "qingshaodeng"),  # one word
        ("客户要求赔偿", "kehu-yaoqiu-peichang"),
        ("女士绿色通道", "nvshi-lvse-tongdao"),  # a four-character word of two words is two; ü typed v
        ("投訴致歉", "tousu-zhiqian"),  # traditional characters cut as simplified
        ("4G网络故障", "4g-wangluo-guzhang"),  # ascii kept, lowercased
        ("ABC-def 客服", "abc-def-kefu"),
        ("VIP客户投诉升级处理流程说明，以及后续的回访与记录要求", "vip-kehu-tousu-shengji-chuli"),  # whole words ≤ 32
        ("！！", "greetings"),  # nothing readable: the fallback
    ],
)
def test_readable_id_from_title(title: str, expected: str) -> None:
    from huashu.ids import readable_id
    from huashu.validate import id_problem

    made = readable_id(title, set(), "greetings")
    assert made == expected and id_problem(made) is None


def test_new_derives_readable_ids_and_numbers_collisions(tmp_path: Path) -> None:
    library = assemble_library(tmp_path)
    made, places, warnings = [], [], []
    for _ in range(3):
        result = run_cli("new", "phrase", "--category", "greetings", "--title", "午间问候", cwd=tmp_path)
        assert result.returncode == 0, result.stderr
        first, *rest = result.stdout.splitlines()
        made.append(first.split("：")[0].removeprefix("已添加条目 "))
        places.append(f"{made[-1]}（{first.split('：')[1]}）")
        warnings.append([line for line in rest if line.startswith("注意")])
    assert made == ["wujian-wenhou", "wujian-wenhou-2", "wujian-wenhou-3"]
    assert warnings == [  # a second entry of the same title is added, but never silently
        [],
        [f"注意：这个分类里已有同样标题的条目：{places[0]}；如果是重复添加，请删掉新条目 wujian-wenhou-2"],
        [f"注意：这个分类里已有同样标题的条目：{places[0]}、{places[1]}；如果是重复添加，请删掉新条目 wujian-wenhou-3"],
    ]
    assert {"wujian-wenhou", "wujian-wenhou-2", "wujian-wenhou-3"} <= set(load_library(library, base=tmp_path).by_id)


@pytest.mark.parametrize("entry_id", ["123", "null", "2026-01-01", "1e3", "0x1f", "yes", "on", "no", "y", "012"])
def test_ids_yaml_would_read_as_other_values_stay_text(tmp_path: Path, entry_id: str) -> None:
    library = assemble_library(tmp_path)
    result = run_cli("new", "phrase", "--category", "greetings", "--title", "午间问候", "--id", entry_id, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert f"  - id: '{entry_id}'\n" in (library / "phrases.yaml").read_text(encoding="utf-8")
    assert load_library(library, base=tmp_path).by_id[entry_id].title == "午间问候"


@pytest.mark.parametrize("entry_id", ["~", "1.5", "-1", "Yes", ""])
def test_ids_outside_the_id_rule_are_refused_before_writing(tmp_path: Path, entry_id: str) -> None:
    library = assemble_library(tmp_path)
    before = {p: p.read_bytes() for p in library.rglob("*.yaml")}
    result = run_cli("new", "phrase", "--category", "greetings", "--title", "x", "--id", entry_id, cwd=tmp_path)
    assert (result.returncode, result.stderr.strip()) == (
        1,
        f"“{entry_id}”不是有效的 id：只能用小写字母、数字和连字符，如 greeting-standard",
    )
    assert {p: p.read_bytes() for p in library.rglob("*.yaml")} == before

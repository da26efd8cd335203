"""`huashu import` and `huashu export`: real sheets, real library copies, the real command line."""

from __future__ import annotations

import csv
import re
import shutil
import zipfile
from pathlib import Path

import phrase_sheet
import pytest
from conftest import REPO
from test_lint import TODAY, run_cli
from test_new_entry import added_lines

from huashu import load_library, review

XLSX_LABEL = f"话术表.xlsx（{phrase_sheet.SHEET_NAME}）"


def bundled_copy(root: Path) -> Path:
    library = root / "scripts_library"
    shutil.copytree(REPO / "scripts_library", library)
    return library


def snapshot(library: Path) -> dict[str, bytes]:
    return {p.relative_to(library).as_posix(): p.read_bytes() for p in sorted(library.rglob("*.yaml"))}


@pytest.fixture
def sheets(tmp_path: Path) -> Path:
    folder = tmp_path / "sheets"
    folder.mkdir()
    phrase_sheet.write_xlsx(folder / "话术表.xlsx")
    phrase_sheet.write_gbk_csv(folder / "话术表-gbk.csv")
    return folder


def expected_row_lines(label: str) -> list[str]:
    categories = "、".join(c.id for c in load_library(REPO / "scripts_library").categories)
    lines = []
    for row, _, message in phrase_sheet.BAD_ROWS:
        lines.append(f"{label}:{row}: " + message.format(categories=categories, sheet=label))
    for row, (_, conversions) in phrase_sheet.TRADITIONAL.items():
        lines += [f"{label}:{row}: 繁体字已转为简体：{part}" for part in conversions.split("；")]
    return lines


def test_import_writes_good_rows_and_names_every_bad_one(tmp_path: Path, sheets: Path) -> None:
    library = bundled_copy(tmp_path)
    before = snapshot(library)
    result = run_cli("import", str(sheets / "话术表.xlsx"), cwd=tmp_path)
    assert result.returncode == 1, result.stderr  # rows were skipped: CI notices
    out = result.stdout.splitlines()
    for line in expected_row_lines(XLSX_LABEL):
        assert line in out
    assert f"1 条已存在，未改动：{XLSX_LABEL} 第 150 行" in out
    assert f"{XLSX_LABEL}:4: 负责人为空，已按这个分类最常见的负责人填写“培训组”（不对请在表里填写）" in out
    assert "忽略的列：序号（不认识的表头；要导入请用 --columns 表头=字段）" in out
    assert f"已新增分类 cuijiao-tixing：催缴提醒（话术，来自 {XLSX_LABEL}:3）" in out
    assert "汇总：新增 282 条，已存在未改动 1 条，已存在且内容不同未覆盖 1 条，跳过 12 行，空行 4 行。" in out
    after = snapshot(library)
    for name, old in before.items():
        added_lines(old, after[name])  # fails if any existing line changed
    assert added_lines(before["categories.yaml"], after["categories.yaml"]) == [
        "  - id: cuijiao-tixing\n",
        "    title: 催缴提醒\n",
        "    section: phrases\n",
    ]
    loaded = load_library(library, base=tmp_path)
    assert len(loaded.entries) == len(load_library(REPO / "scripts_library").entries) + 282
    converted = loaded.by_id["tousu-zhiqian"]  # 投訴致歉, simplified
    assert converted.title == "投诉致歉" and converted.text == "对不起，您的投诉我们已经记录。"
    trimmed = next(e for e in loaded.entries if e.title == "来电问候2")  # a row with full-width spaces at its ends
    assert trimmed.text == "您好，很高兴为您服务。（第2版）"
    faq = next(e for e in loaded.entries if e.title == "客户要求赔偿1")
    assert faq.answer == "先倾听，表示理解；\n再说明能做什么，不要推诿。"  # the cell's line break kept
    assert "answer: |-" in (library / "faq" / "difficult-situations.yaml").read_text(encoding="utf-8")


def test_check_writes_nothing_and_says_what_would_happen(tmp_path: Path, sheets: Path) -> None:
    library = bundled_copy(tmp_path)
    before = snapshot(library)
    result = run_cli("import", str(sheets / "话术表.xlsx"), "--check", cwd=tmp_path)
    assert result.returncode == 1
    assert snapshot(library) == before
    out = result.stdout.splitlines()
    assert f"将新增分类 cuijiao-tixing：催缴提醒（话术，来自 {XLSX_LABEL}:3）" in out
    assert "将新增 58 条：scripts_library/phrases/cuijiao-tixing.yaml" in out
    assert out[-1] == "（--check：只是预览，没有写入任何文件）"


def test_gbk_csv_twin_imports_like_the_workbook(tmp_path: Path, sheets: Path) -> None:
    from_xlsx, from_csv = bundled_copy(tmp_path / "a"), bundled_copy(tmp_path / "b")
    run_cli("import", str(sheets / "话术表.xlsx"), cwd=tmp_path / "a")
    result = run_cli("import", str(sheets / "话术表-gbk.csv"), cwd=tmp_path / "b")
    assert result.stdout.splitlines()[0] == "话术表-gbk.csv：按 GB18030（GBK） 编码读取（中文 Excel 保存的 CSV）"
    assert "话术表-gbk.csv:30: 繁体字已转为简体：“标题”訴→诉" in result.stdout
    assert snapshot(from_csv) == snapshot(from_xlsx)  # the formula's row is blank in the twin, skipped in the workbook


@pytest.mark.parametrize("name", ["审阅.xlsx", "审阅.csv"])
def test_importing_an_export_changes_nothing(tmp_path: Path, name: str) -> None:
    library = bundled_copy(tmp_path)
    before = snapshot(library)
    exported = run_cli("export", name, cwd=tmp_path)
    assert exported.returncode == 0, exported.stderr
    assert exported.stdout == f"已导出 {name}：话术 132 条，流程 26 条，问答 22 条。\n"
    result = run_cli("import", name, cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert snapshot(library) == before
    assert "180 条已存在，未改动" in result.stdout
    assert "不导入的列：到期日期、状态（由复核日期和复核周期算出）" in result.stdout


def test_export_is_deterministic_and_keeps_forbidden_wording_apart(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    bundled_copy(tmp_path)
    run_cli("export", "a.xlsx", cwd=tmp_path)
    run_cli("export", "b.xlsx", cwd=tmp_path)
    assert (tmp_path / "a.xlsx").read_bytes() == (tmp_path / "b.xlsx").read_bytes()
    assert {i.date_time for i in zipfile.ZipFile(tmp_path / "a.xlsx").infolist()} == {(1980, 1, 1, 0, 0, 0)}
    workbook = load_workbook(tmp_path / "a.xlsx")
    assert workbook.sheetnames == ["话术", "流程", "问答"]
    sheet = workbook["话术"]
    head = [c.value for c in sheet[1]]
    assert head[:5] == ["id", "分类", "标题", "话术", "忌语"] and head[-3:] == ["备注", "到期日期", "状态"]
    assert all(c.font.b for c in sheet[1]) and sheet.freeze_panes == "B2"
    assert sheet.auto_filter.ref == sheet.dimensions
    library = load_library(tmp_path / "scripts_library", base=tmp_path)
    statuses = {review.review_status(e, TODAY).state for e in library.entries}
    assert statuses == {"overdue", "soon", "ok"}  # the bundled library has each, so each is checked
    for row in sheet.iter_rows(min_row=2):
        state = review.review_status(library.by_id[row[0].value], TODAY).state
        assert row[head.index("状态")].value == review.STATE_TITLES[state]
        assert {c.fill.fgColor.rgb for c in row} == ({"00FFC7CE"} if state == "overdue" else {"00000000"})
    rows = {row[0]: dict(zip(head, row, strict=True)) for row in sheet.iter_rows(min_row=2, values_only=True)}
    for entry in (e for e in library.entries if e.kind == "phrase"):
        said, forbidden = rows[entry.id]["话术"], rows[entry.id]["忌语"]
        assert (forbidden, said) == ((entry.text, None) if entry.avoid else (None, entry.text))
    procedures = workbook["流程"]
    step_column = [c.value for c in procedures[1]].index("步骤")
    steps = next(r for r in procedures.iter_rows(min_row=2, values_only=True) if r[0] == "callback-preparation")
    assert steps[step_column].startswith(
        "1. 明确这次回访的目的，准备好要沟通的问题。\n2. 确定回访对象，生成回访样本。\n"
    )
    cells = [c for row in procedures.iter_rows(min_row=2, values_only=True) for c in row if isinstance(c, str)]
    assert not [c for c in cells if re.search("[。；，]：", c)]  # a colon never follows a full stop
    asked = next(r for r in procedures.iter_rows(min_row=2, values_only=True) if r[0] == "callback-execution")
    assert "\n3. 请客户按 1 至 10 分为这次服务评分：“请问您对这次服务满意吗？" in asked[step_column]


@pytest.mark.parametrize(
    ("make", "args", "message"),
    [
        (None, ["missing.xlsx"], "missing.xlsx：文件不存在"),
        ("notes.txt", ["notes.txt"], "notes.txt：只能导入 .xlsx 或 .csv 文件"),
        ("old.xls", ["old.xls"], "old.xls：不支持旧版 .xls 格式，请在 Excel 里“另存为” .xlsx 后再导入"),
        ("renamed.xlsx", ["renamed.xlsx"], "renamed.xlsx：不是有效的 xlsx 文件（可能已损坏，或只是改了后缀名）"),
        ("locked.xlsx", ["locked.xlsx"], "locked.xlsx：文件有密码保护（加密），请在 Excel 里取消密码、另存后再导入"),
        ("big.csv", ["big.csv"], "big.csv：文件过大（21 MB，上限 20 MB），请拆成几个文件分别导入"),
        (
            "binary.csv",
            ["binary.csv"],
            "binary.csv：无法识别文件编码（不是 UTF-8，也不是 GBK），请在 Excel 里另存为“CSV UTF-8”",
        ),
        ("book.xlsx", ["book.xlsx", "--sheet", "问答"], "book.xlsx：没有名为“问答”的工作表；文件里的工作表：话术"),
        ("plain.csv", ["plain.csv", "--sheet", "话术"], "plain.csv：CSV 文件只有一张表，不能用 --sheet"),
        (
            "plain.csv",
            ["plain.csv", "--columns", "回复语=txt"],
            "--columns 里的“回复语=txt”无效：应写成 表头=字段，字段可以是：id、kind、category、title、text、when、"
            "channels、variants、instead、summary、steps、question、reply、answer、questions、tags、aliases、owner、"
            "reviewed、review_in、note",
        ),
        (
            "plain.csv",
            ["plain.csv", "--columns", "回复语=text"],
            "plain.csv：表头里没有“回复语”（--columns 里写的）；表头：分类、标题、话术、内容",
        ),
        ("plain.csv", ["plain.csv"], "plain.csv：“话术”和“内容”两列都是 话术；请删掉一列，或用 --columns 指定用哪一列"),
        (
            "nohead.csv",
            ["nohead.csv"],
            "nohead.csv：前 10 行里没有表头（表头行至少要有 2 列是认识的，如 分类、标题、话术；"
            "自己的表头可以用 --columns 表头=字段 指定）；第 1 行是：a、b",
        ),
        ("empty.csv", ["empty.csv"], "empty.csv：文件是空的"),
    ],
)
def test_unreadable_sheets_and_bad_usage_exit_2(
    tmp_path: Path, make: str | None, args: list[str], message: str
) -> None:
    library = bundled_copy(tmp_path)
    before = snapshot(library)
    contents = {
        "notes.txt": b"hello",
        "old.xls": b"\xd0\xcf\x11\xe0",
        "renamed.xlsx": "分类,标题\n".encode(),
        "locked.xlsx": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512,
        "binary.csv": b"\x80\xff\xfe\x81\x30",
        "plain.csv": "分类,标题,话术,内容\ngreetings,你好,您好,您好\n".encode(),
        "nohead.csv": b"a,b\n1,2\n",
        "empty.csv": b"\r\n",
    }
    if make == "big.csv":
        with open(tmp_path / make, "wb") as big:
            big.truncate(21 * 1024 * 1024)
    elif make == "book.xlsx":
        phrase_sheet.write_xlsx(tmp_path / make)
    elif make:
        (tmp_path / make).write_bytes(contents[make])
    result = run_cli("import", *args, cwd=tmp_path)
    assert (result.returncode, result.stderr.strip()) == (2, message)
    assert snapshot(library) == before


def test_columns_option_maps_a_teams_own_heads(tmp_path: Path) -> None:
    library = bundled_copy(tmp_path)
    sheet = "分类,标题,回复语,适用情况\n问候语,节日问候,节日快乐！有什么可以帮您？,节假日来电\n"
    (tmp_path / "team.csv").write_text(sheet, encoding="utf-8-sig")
    result = run_cli("import", "team.csv", "--columns", "回复语=text,适用情况=when", cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    entry = load_library(library, base=tmp_path).by_id["jieri-wenhou"]
    assert (entry.text, entry.when, entry.owner) == ("节日快乐！有什么可以帮您？", "节假日来电", "培训组")


@pytest.mark.parametrize(
    ("target", "message"),
    [
        ("out.pdf", "out.pdf：只能导出为 .xlsx 或 .csv 文件（按文件名的后缀决定格式）"),
        ("missing/a.xlsx", "missing/a.xlsx：无法写入（文件夹不存在），请换一个位置"),
    ],
)
def test_export_refuses_what_it_cannot_write(tmp_path: Path, target: str, message: str) -> None:
    bundled_copy(tmp_path)
    result = run_cli("export", target, cwd=tmp_path)
    assert (result.returncode, result.stderr.strip()) == (2, message)


def test_workbook_notes_sheet_and_rows_above_the_head(tmp_path: Path) -> None:
    from openpyxl import Workbook

    library = bundled_copy(tmp_path)
    workbook = Workbook()
    workbook.active.title = "说明"
    workbook.active.append(["本表由客服部维护，每季度更新"])
    sheet = workbook.create_sheet("话术")
    sheet.append([])
    sheet.append(["XX客服中心标准话术（2026版）"])
    sheet.merge_cells("A2:C2")
    sheet.append(["（内部资料）", "", "2026-01"])  # a cell in a column with a head is no head yet
    sheet.append(["分类", "标题", "话术"])
    sheet.append(["thanks", "季度回访致谢", "感谢您抽空接听回访电话！"])
    sheet.append(["thanks", "", "谢谢！"])
    workbook.save(tmp_path / "book.xlsx")
    result = run_cli("import", "book.xlsx", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stdout.splitlines()[:5] == [
        "book.xlsx（说明）：前 10 行里没有表头（表头行至少要有 2 列是认识的，如 分类、标题、话术；自己的表头可以用"
        " --columns 表头=字段 指定）；第 1 行是：本表由客服部维护，每季度更新。"
        "这个工作表没有导入（说明页之类可以不管；只导入一个工作表请用 --sheet）",
        "book.xlsx（话术）:2: 表头在第 4 行，这一行当作标题跳过：XX客服中心标准话术（2026版）",
        "book.xlsx（话术）:3: 表头在第 4 行，这一行当作标题跳过：（内部资料）　2026-01",
        "book.xlsx（话术）:5: 负责人为空，已按这个分类最常见的负责人填写“培训组”（不对请在表里填写）",
        "book.xlsx（话术）:6: 缺少标题，未导入",
    ]
    sheet.delete_rows(6)  # the row without a title: now only the notes sheet is not imported
    workbook.save(tmp_path / "book.xlsx")
    again = run_cli("import", "book.xlsx", "--check", cwd=tmp_path)
    assert again.returncode == 1 and "跳过 0 行" in again.stdout  # a sheet not read is never a silent success
    only_phrases = run_cli("import", "book.xlsx", "--sheet", "话术", "--check", cwd=tmp_path)
    assert only_phrases.returncode == 0 and "说明" not in only_phrases.stdout
    added = next(e for e in load_library(library, base=tmp_path).entries if e.title == "季度回访致谢")
    assert (added.category, added.text) == ("thanks", "感谢您抽空接听回访电话！")


@pytest.mark.parametrize(
    ("traditional", "simplified"),
    [
        ("帳戶", "账户"),  # t2s gave 帐户
        ("帳單", "账单"),
        ("帳號", "账号"),
        ("信用卡對帳", "信用卡对账"),
        ("蚊帳", "蚊帐"),  # a curtain keeps 帐
        ("帳篷", "帐篷"),
        ("訊息", "讯息"),  # characters converted, words kept (not 消息)
        ("資料", "资料"),  # not 数据
        ("著急", "着急"),  # t2s kept 著
        ("顯著", "显著"),
        ("您好，账户余额不足。", "您好，账户余额不足。"),  # simplified text is left alone
    ],
)
def test_traditional_cells_become_standard_simplified(tmp_path: Path, traditional: str, simplified: str) -> None:
    library = bundled_copy(tmp_path)
    (tmp_path / "t.csv").write_text(f"分类,标题,话术\n问候语,繁体{traditional},{traditional}\n", encoding="utf-8")
    result = run_cli("import", "t.csv", cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    added = next(e for e in load_library(library, base=tmp_path).entries if e.title == f"繁体{simplified}")
    assert added.text == simplified


OWNER_ROWS = [  # (title, category, owner)
    ("催缴一", "催缴提醒", ""),  # a new category's first row: its owner comes from the rows below
    ("催缴二", "催缴提醒", "财务组"),
    ("催缴三", "催缴提醒", "客服一组"),
    ("催缴四", "催缴提醒", "客服一组"),
    ("早安问候", "greetings", ""),  # an existing category: its entries count too
    ("空白分类", "空白分类", ""),  # no owner anywhere to go by
]


@pytest.mark.parametrize("order", [1, -1], ids=["as-written", "reversed"])
def test_blank_owners_are_filled_from_the_whole_sheet_and_reported(tmp_path: Path, order: int) -> None:
    library = bundled_copy(tmp_path)
    written = OWNER_ROWS[::order]
    lines = [f"{category},{title},您好,{owner}" for title, category, owner in written]
    (tmp_path / "o.csv").write_text("\n".join(["分类,标题,话术,负责人", *lines]) + "\n", encoding="utf-8")
    row = {title: number for number, (title, _, _) in enumerate(written, 2)}
    result = run_cli("import", "o.csv", cwd=tmp_path)
    assert result.returncode == 1  # the row with no owner to go by
    out = result.stdout.splitlines()
    filled = "负责人为空，已按这个分类最常见的负责人填写"
    assert [line for line in out if filled in line] == sorted(
        [
            f"o.csv:{row['催缴一']}: {filled}“客服一组”（不对请在表里填写）",
            f"o.csv:{row['早安问候']}: {filled}“培训组”（不对请在表里填写）",
        ],
        key=lambda line: int(line.split(":")[1]),
    )
    assert (
        f"o.csv:{row['空白分类']}: 缺少负责人（这个分类在话术库和表里都没有写了负责人的条目可以参照），请填写负责人，未导入"
        in out
    )
    owners = {e.title: e.owner for e in load_library(library, base=tmp_path).entries}
    assert [owners.get(title) for title, _, _ in OWNER_ROWS] == [
        "客服一组",
        "财务组",
        "客服一组",
        "客服一组",
        "培训组",
        None,
    ]


# Cells YAML would read as something else (booleans, null, numbers, dates, times, a list,
# a comment, a mapping) if they were written bare: each is imported as the text it is.
YAML_LOOKALIKES = ["yes", "No", "on", "off", "YES", "True", "null", "~", "1e3", "0x1f", "2026-01-01", "12:30"]
YAML_LOOKALIKES += ["- x", "# x", "{称呼}", "[a]", "a: b", "'quoted'", '"双引号"', "@at", "`tick`", "x #y", "%p"]


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_cells_are_imported_as_the_text_they_are(tmp_path: Path, suffix: str) -> None:
    from openpyxl import Workbook

    library = bundled_copy(tmp_path)
    rows = [["分类", "标题", "话术", "使用场景"], *(["greetings", cell, cell, cell] for cell in YAML_LOOKALIKES)]
    if suffix == ".csv":
        with open(tmp_path / "odd.csv", "w", encoding="utf-8", newline="") as out:
            csv.writer(out).writerows(rows)
    else:
        workbook = Workbook()
        for row in rows:
            workbook.active.append(row)
        workbook.save(tmp_path / "odd.xlsx")
    result = run_cli("import", f"odd{suffix}", cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    added = {e.title: e for e in load_library(library, base=tmp_path).entries if e.title in YAML_LOOKALIKES}
    assert sorted(added) == sorted(YAML_LOOKALIKES)
    assert all((e.text, e.when) == (title, title) for title, e in added.items())

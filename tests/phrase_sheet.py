"""A realistic 300-row phrase sheet, as a team moving to huashu brings it from Excel.

Generated deterministically (no randomness): phrases for categories of the bundled
library named by id and by title, a category the library lacks, FAQ rows, forbidden
wording, traditional characters, full-width spaces, multi-line cells, blank rows, a
column huashu does not know, and the bad rows of BAD_ROWS with the exact message each
gets. The GBK CSV twin holds the same rows (a formula has no CSV form: its row is blank).

    python tests/phrase_sheet.py DIR     # writes DIR/话术表.xlsx and DIR/话术表-gbk.csv
"""

from __future__ import annotations

import csv
import io
import sys
from pathlib import Path

HEAD = [
    "序号",
    "类型",
    "分类",
    "标题",
    "话术",
    "忌语",
    "替代说法",
    "问题",
    "处理办法",
    "使用场景",
    "标签",
    "渠道",
    "负责人",
    "复核日期",
]
SHEET_NAME = "话术"
ROWS = 300
FORMULA = "=D2&E2"  # a formula saved without its computed value (as openpyxl and some tools save it)

# (category as the sheet writes it: id or title, owner, topic titles, sentences)
_PHRASES = [
    (
        "greetings",
        "培训组",
        ["来电问候", "午间问候", "节日问候", "回访问候"],
        ["您好，很高兴为您服务。", "{称呼}您好，请问有什么可以帮您？"],
    ),
    (
        "道歉语",
        "培训组",
        ["延误致歉", "误解致歉", "等待致歉"],
        ["非常抱歉给您带来不便。", "对不起，让您久等了，我马上为您处理。"],
    ),
    ("hold", "培训组", ["查询等待", "转办等待"], ["请您稍等，我帮您查询一下。", "麻烦您稍候，我需要核实一下信息。"]),
    (
        "催缴提醒",
        "收费组",
        ["欠费提醒", "到期提醒", "滞纳金说明"],
        ["{称呼}您好，您的账户已欠费，请及时缴纳。", "提醒您本月账单将于{日期}到期。"],
    ),
]
_FAQ = ("疑难情况处理", "投诉组", ["客户要求赔偿", "客户要求找领导", "客户情绪激动"])

# Bad rows placed at fixed sheet rows: (row, cells by head, the report's line for it).
BAD_ROWS: list[tuple[int, dict[str, str], str]] = [
    (12, {"分类": "greetings", "标题": "空话术"}, "缺少话术或忌语，未导入"),
    (
        23,
        {"类型": "话术模板", "分类": "greetings", "标题": "类型不对", "话术": "您好。"},
        "类型“话术模板”不认识，应为 话术（phrase）、流程（procedure）、问答（faq），未导入",
    ),
    (
        34,
        {"分类": "billing", "标题": "分类不存在", "话术": "您好。"},
        "分类“billing”不存在；写分类名称可以新建分类，或用已有的分类：{categories}，未导入",
    ),
    (45, {"标题": "没有分类", "话术": "您好。"}, "缺少分类，未导入"),
    (
        56,
        {"分类": "greetings", "标题": "标准问候语", "话术": "您好，请讲。"},
        "greeting-standard 已存在且内容不同，未覆盖（不同的列：话术）",
    ),
    (
        67,
        {"分类": "greetings", "标题": "两行\n标题", "话术": "您好。"},
        "“标题”不能换行（这一栏只写一行），请改成一行，未导入",
    ),
    (
        78,
        {"分类": "greetings", "标题": "日期不对", "话术": "您好。", "复核日期": "2026-13-01"},
        "复核日期“2026-13-01”无效，应为 YYYY-MM-DD，如 2026-01-31，未导入",
    ),
    (
        89,
        {"分类": "greetings", "标题": "渠道不对", "话术": "您好。", "渠道": "电话、微信"},
        "渠道“微信”不认识，应为 电话、在线、柜台，未导入",
    ),
    (
        101,
        {"分类": "greetings", "标题": "来电问候1", "话术": "您好。"},
        "与 {sheet}:4 重复（同一分类、同一标题），未导入",
    ),
    (
        112,
        {"分类": "forbidden", "标题": "没有替代说法", "忌语": "这不归我管。"},
        "instead：忌语（avoid: true）必须用 instead 给出推荐的替代说法，未导入",
    ),
    (
        123,
        {"分类": "售后回访", "标题": "回访开场", "话术": "您好，这里是回访中心。"},
        "缺少负责人（这个分类在话术库和表里都没有写了负责人的条目可以参照），请填写负责人，未导入",
    ),
    (
        134,
        {"分类": "greetings", "标题": "公式", "话术": FORMULA},
        "“话术”列是公式，文件里没有算好的值（请在 Excel 里打开并保存一次，或把公式换成值），未导入",
    ),
    (
        145,
        {"分类": "greetings", "标题": "话术和忌语都写了", "话术": "您好。", "忌语": "喂？"},
        "“话术”和“忌语”只能写一个（话术和忌语二选一），未导入",
    ),
]
# Rows that are the library's own entry, unchanged: reported as existing, nothing written.
SAME_ROWS = [(150, {"分类": "问候语", "标题": "标准问候语", "话术": "您好，很高兴为您服务，请问有什么可以帮您？"})]
BLANK_ROWS = (20, 21, 160, 250)
# Rows with traditional characters, and what the report says of them.
TRADITIONAL = {
    30: (
        {"分类": "道歉语", "标题": "投訴致歉", "话术": "對不起，您的投訴我們已經記錄。"},
        "“标题”訴→诉；“话术”對→对、訴→诉、們→们、經記錄→经记录",
    ),
    40: (
        {"分类": "hold", "标题": "請稍等", "话术": "請稍等，我幫您查詢帳戶。"},
        "“标题”請→请；“话术”請→请、幫→帮、詢帳戶→询账户",
    ),
}


def rows() -> list[list[str]]:
    """The sheet below its head: ROWS rows, sheet row 2 first."""
    special = {row: cells for row, cells, _ in BAD_ROWS} | dict(SAME_ROWS)
    special |= {row: cells for row, (cells, _) in TRADITIONAL.items()}
    out: list[list[str]] = []
    counters: dict[str, int] = {}
    for number in range(2, ROWS + 2):
        if number in BLANK_ROWS:
            out.append([""] * len(HEAD))
            continue
        cells = special.get(number) or _generated(number, counters)
        out.append([str(number - 1) if head == "序号" else cells.get(head, "") for head in HEAD])
    return out


def _generated(number: int, counters: dict[str, int]) -> dict[str, str]:
    if number % 10 == 7:  # every tenth row an FAQ
        category, owner, topics = _FAQ
        topic = topics[number % len(topics)]
        counters[topic] = counters.get(topic, 0) + 1
        return {
            "类型": "问答",
            "分类": category,
            "标题": f"{topic}{counters[topic]}",
            "问题": f"{topic}怎么办？",
            "处理办法": "先倾听，表示理解；\n再说明能做什么，不要推诿。",
            "负责人": owner,
            "复核日期": "2026/10/1",
        }
    category, owner, topics, sentences = _PHRASES[number % len(_PHRASES)]
    topic = topics[number % len(topics)]
    counters[topic] = counters.get(topic, 0) + 1
    text = sentences[number % len(sentences)]
    return {
        "分类": category,
        "标题": f"{topic}{counters[topic]}",
        "话术": f"\u3000{text}（第{counters[topic]}版）  " if number % 9 == 0 else f"{text}（第{counters[topic]}版）",
        "使用场景": f"{topic}时使用",
        "标签": f"{topic}、{category if not category.isascii() else '常用'}",
        "渠道": "电话、在线" if number % 3 else "",
        "负责人": owner if number % 4 else "",
        "复核日期": "2026-10-01" if number % 5 else "",
    }


def write_xlsx(path: Path) -> None:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = SHEET_NAME
    sheet.append(HEAD)
    for row in rows():
        sheet.append([value or None for value in row])
    workbook.save(path)


def write_gbk_csv(path: Path) -> None:
    """The same rows as Chinese Excel saves CSV (GBK, CRLF); the formula's row is left blank."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEAD)
    for row in rows():
        writer.writerow([""] * len(HEAD) if FORMULA in row else row)
    path.write_bytes(out.getvalue().encode("gbk"))


if __name__ == "__main__":
    folder = Path(sys.argv[1] if len(sys.argv) > 1 else ".")
    write_xlsx(folder / "话术表.xlsx")
    write_gbk_csv(folder / "话术表-gbk.csv")

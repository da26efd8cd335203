"""Reading a phrase sheet: the rows of an xlsx workbook or a CSV file, as text cells.

xlsx is read with openpyxl (shared and inline strings, dates, cached formula values);
CSV with the csv module, in UTF-8 (with or without a byte-order mark) or GB18030, the
superset of the GBK that Chinese Excel saves. What cannot be read is a `SheetUnreadable`
with a message for the editor.
"""

from __future__ import annotations

import csv
import datetime
import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

MAX_SHEET_BYTES = 20 * 1024 * 1024
# An encrypted xlsx (and an old .xls) is an OLE compound file, not a zip.
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_EXCEL_ERRORS = frozenset({"#N/A", "#REF!", "#VALUE!", "#DIV/0!", "#NAME?", "#NUM!", "#NULL!"})
# Trimmed at a cell's ends only: half- and full-width spaces, tabs, non-breaking spaces, line breaks.
_CELL_ENDS = " \t\r\n\u3000\u00a0"


class SheetUnreadable(Exception):
    """The file cannot be read as a sheet; the message is for the editor."""


@dataclass(frozen=True)
class Cell:
    text: str
    problem: str = ""  # why the cell has no usable value (a formula without its result, #N/A)


@dataclass
class Table:
    """One sheet's rows from its first row with anything in it, each with its row number in
    the sheet (which of them is the head is for the importer to find: a title may be above it)."""

    label: str  # how messages name it: "phrases.xlsx（话术）" or "phrases.csv"
    name: str  # the sheet's name ("" for CSV)
    rows: list[tuple[int, list[Cell]]] = field(default_factory=list)


def _table(label: str, name: str, numbered: Iterator[tuple[int, list[Cell]]]) -> Table | None:
    """The table from its first row with anything in it on; None for an empty sheet."""
    for number, cells in numbered:
        if any(cell.text for cell in cells):
            return Table(label, name, [(number, cells), *numbered])
    return None


def read_tables(path: Path, sheet: str | None) -> tuple[list[Table], list[str]]:
    """The file's tables (every sheet, or the one named), and notes on how it was read."""
    if not path.is_file():
        raise SheetUnreadable(f"{path}：文件不存在")
    size = path.stat().st_size
    if size > MAX_SHEET_BYTES:
        raise SheetUnreadable(
            f"{path}：文件过大（{size // 1024 // 1024} MB，上限 {MAX_SHEET_BYTES // 1024 // 1024} MB），请拆成几个文件分别导入"
        )
    suffix = path.suffix.lower()
    if suffix == ".csv":
        if sheet:
            raise SheetUnreadable(f"{path}：CSV 文件只有一张表，不能用 --sheet")
        return _read_csv(path)
    if suffix in (".xlsx", ".xlsm"):
        return _read_xlsx(path, sheet), []
    if suffix == ".xls":
        raise SheetUnreadable(f"{path}：不支持旧版 .xls 格式，请在 Excel 里“另存为” .xlsx 后再导入")
    raise SheetUnreadable(f"{path}：只能导入 .xlsx 或 .csv 文件")


def _read_csv(path: Path) -> tuple[list[Table], list[str]]:
    raw = path.read_bytes()
    text, encoding = _decode(raw, path)
    rows = csv.reader(io.StringIO(text, newline=""))
    table = _table(path.name, "", ((number, [Cell(_clean(v)) for v in row]) for number, row in enumerate(rows, 1)))
    if table is None:
        raise SheetUnreadable(f"{path}：文件是空的")
    notes = [f"{path.name}：按 {encoding} 编码读取（中文 Excel 保存的 CSV）"] if encoding != "UTF-8" else []
    return [table], notes


def _decode(raw: bytes, path: Path) -> tuple[str, str]:
    if raw.startswith(b"\xef\xbb\xbf"):
        return raw[3:].decode("utf-8", errors="strict"), "UTF-8"
    try:
        return raw.decode("utf-8"), "UTF-8"
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode("gb18030"), "GB18030（GBK）"
    except UnicodeDecodeError:
        raise SheetUnreadable(
            f"{path}：无法识别文件编码（不是 UTF-8，也不是 GBK），请在 Excel 里另存为“CSV UTF-8”"
        ) from None


def _read_xlsx(path: Path, wanted: str | None) -> list[Table]:
    from openpyxl import load_workbook  # only import needs it
    from openpyxl.utils.exceptions import InvalidFileException

    if path.read_bytes()[:8] == _OLE_MAGIC:
        raise SheetUnreadable(f"{path}：文件有密码保护（加密），请在 Excel 里取消密码、另存后再导入")
    try:
        values = load_workbook(path, read_only=True, data_only=True)
        formulas = load_workbook(path, read_only=True, data_only=False)
    # A broken or renamed file fails deep inside openpyxl with any of many errors (missing
    # parts, bad XML, bad zip); to the editor they all mean the same.
    except (zipfile.BadZipFile, InvalidFileException, Exception):
        raise SheetUnreadable(f"{path}：不是有效的 xlsx 文件（可能已损坏，或只是改了后缀名）") from None
    try:
        names = values.sheetnames
        if wanted is not None and wanted not in names:
            raise SheetUnreadable(f"{path}：没有名为“{wanted}”的工作表；文件里的工作表：{'、'.join(names)}")
        tables = []
        for name in [wanted] if wanted is not None else names:
            table = _table(f"{path.name}（{name}）", name, _sheet_rows(values[name], formulas[name]))
            if table is not None:
                tables.append(table)
        if not tables:
            raise SheetUnreadable(f"{path}：工作表都是空的")
        return tables
    finally:
        values.close()
        formulas.close()


def _sheet_rows(values: Any, formulas: Any) -> Iterator[tuple[int, list[Cell]]]:
    for number, (row, source) in enumerate(
        zip(values.iter_rows(values_only=True), formulas.iter_rows(values_only=True), strict=False), 1
    ):
        yield number, [_xlsx_cell(value, formula) for value, formula in zip(row, source, strict=False)]


def _xlsx_cell(value: Any, formula: Any) -> Cell:
    if value is None and isinstance(formula, str) and formula.startswith("="):
        return Cell("", "是公式，文件里没有算好的值（请在 Excel 里打开并保存一次，或把公式换成值）")
    if isinstance(value, str) and value.strip() in _EXCEL_ERRORS:
        return Cell("", f"是公式错误 {value.strip()}，请在 Excel 里改正")
    if isinstance(value, datetime.datetime):
        return Cell(value.date().isoformat() if value.time() == datetime.time() else value.isoformat(sep=" "))
    if isinstance(value, datetime.date):
        return Cell(value.isoformat())
    if isinstance(value, float) and value.is_integer():
        return Cell(str(int(value)))
    return Cell(_clean("" if value is None else str(value)))


def _clean(text: str) -> str:
    """Line breaks as \\n; spaces trimmed at the ends only (inside a text they may matter)."""
    return text.replace("\r\n", "\n").replace("\r", "\n").strip(_CELL_ENDS)

"""`huashu export`: every entry as a spreadsheet managers review (xlsx, or one CSV).

One sheet per kind (话术 / 流程 / 问答), the columns of `huashu.sheet`; forbidden
wording in its own 忌语 column. The same library exports the same bytes on the same day
(the 状态 column is computed on it): the workbook's timestamps and the zip entries' dates
are fixed.
"""

from __future__ import annotations

import csv
import datetime
import io
import unicodedata
import zipfile
from pathlib import Path

from huashu import model, review
from huashu.filewrite import write_files
from huashu.model import Library
from huashu.sheet import STATUS_HEADER, Column, cell_text, columns_for

# Fixed, so an unchanged library exports byte-identical files (zip dates start in 1980).
WORKBOOK_TIME = datetime.datetime(2000, 1, 1)
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)
_WIDEST_COLUMN = 60  # characters: longer texts wrap
_DATE_FORMAT = "yyyy-mm-dd"
# Overdue rows are filled in Excel's own "bad" red; the 状态 column says it in words too,
# for a grayscale print and for CSV.
_OVERDUE_FILL = "FFC7CE"
_OVERDUE = review.STATE_TITLES["overdue"]


class ExportError(Exception):
    """Why nothing was exported; the message is for the editor."""


def sheet_rows(
    library: Library, kind: str, today: datetime.date
) -> tuple[list[Column], list[list[str | datetime.date]]]:
    """The kind's columns (without 类型, which the sheet's name says) and one row per entry."""
    columns = [c for c in columns_for(kind) if c.field != "kind"]
    rows = [[cell_text(e, c, library, today) for c in columns] for e in library.entries if e.kind == kind]
    return columns, rows


def export(library: Library, path: Path, today: datetime.date | None = None) -> dict[str, int]:
    """Write the library to `path` (.xlsx or .csv); returns the number of entries per sheet.

    Args:
        today: The date review states are computed on (default: the build's date,
            SOURCE_DATE_EPOCH when set, so an export can be reproduced).
    """
    suffix = path.suffix.lower()
    if suffix not in (".xlsx", ".csv"):
        raise ExportError(f"{path}：只能导出为 .xlsx 或 .csv 文件（按文件名的后缀决定格式）")
    today = today or review.today()
    data = _xlsx(library, today) if suffix == ".xlsx" else _csv(library, today)
    write_files({path: data}, Path.cwd())
    counts = library.count_by_kind()
    return {model.KIND_TITLES[kind]: n for kind, n in counts.items() if n}


def _csv(library: Library, today: datetime.date) -> bytes:
    """One table with a 类型 column; UTF-8 with a byte-order mark, which Excel needs to read Chinese."""
    headers: list[Column] = []
    for kind in model.ENTRY_CLASSES:
        headers += [c for c in columns_for(kind) if c not in headers]
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([c.header for c in headers])
    for entry in library.entries:
        writer.writerow(
            [_csv_cell(cell_text(entry, c, library, today)) if c.applies_to(entry.kind) else "" for c in headers]
        )
    return "\ufeff".encode() + out.getvalue().encode("utf-8")


def _csv_cell(value: str | datetime.date) -> str:
    return value.isoformat() if isinstance(value, datetime.date) else value


def _xlsx(library: Library, today: datetime.date) -> bytes:
    from openpyxl import Workbook  # only export and import need it
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.xml.functions import tostring

    workbook = Workbook()
    workbook.remove(workbook.active)
    workbook.properties.creator = "huashu"
    workbook.properties.created = workbook.properties.modified = WORKBOOK_TIME
    bold, wrap = Font(bold=True), Alignment(wrap_text=True, vertical="top")
    overdue = PatternFill(fill_type="solid", start_color=_OVERDUE_FILL, end_color=_OVERDUE_FILL)
    for kind, title in model.KIND_TITLES.items():
        columns, rows = sheet_rows(library, kind, today)
        if not rows:
            continue
        sheet = workbook.create_sheet(title)
        sheet.append([c.header for c in columns])
        for cell in sheet[1]:
            cell.font = bold
        status = [c.header for c in columns].index(STATUS_HEADER)
        for row in rows:
            sheet.append(row)
        for sheet_row in sheet.iter_rows(min_row=2):
            for cell in sheet_row:
                cell.alignment = wrap
                if isinstance(cell.value, datetime.date):
                    cell.number_format = _DATE_FORMAT
                if sheet_row[status].value == _OVERDUE:
                    cell.fill = overdue
        sheet.freeze_panes = "B2"  # the header row and the id column stay in view
        sheet.auto_filter.ref = sheet.dimensions  # filter by owner, category or status from the head
        for index, column in enumerate(columns):
            letter = sheet.cell(row=1, column=index + 1).column_letter
            sheet.column_dimensions[letter].width = _width([column.header, *(row[index] for row in rows)])
    raw = io.BytesIO()
    workbook.save(raw)
    # Saving stamps the time as "modified": the document properties are written again, fixed.
    workbook.properties.modified = WORKBOOK_TIME
    core = tostring(workbook.properties.to_tree())
    return _fixed_zip_dates(raw.getvalue(), {"docProps/core.xml": core})


def _width(values: list[str | datetime.date]) -> float:
    """Characters of the column's longest line (a hanzi counts two), within bounds."""
    longest = max(_display_width(line) for value in values for line in str(value).split("\n"))
    return float(min(max(longest + 2, 8), _WIDEST_COLUMN))


def _display_width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _fixed_zip_dates(data: bytes, replaced: dict[str, bytes]) -> bytes:
    """The workbook's zip with every entry dated 1980-01-01 (openpyxl stamps the time of saving)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=_ZIP_TIME)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = info.external_attr
            target.writestr(fixed, replaced.get(info.filename) or source.read(info.filename))
    return out.getvalue()

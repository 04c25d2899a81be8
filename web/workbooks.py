"""Excel workbooks from sheets of plain values (kinerja.core.tables): one look for every export.

A sheet is an optional title line (larger, bold), the column names in bold, the rows, and notes
under them. Figures stay numbers, so they can be summed and charted in a spreadsheet. Text is
always text: a name someone typed as "=HYPERLINK(...)" is written as that string, never as a
live formula (openpyxl would store any string starting with "=" as one).
"""
import io
from collections.abc import Iterable
from datetime import date

from kinerja.core.tables import Row, Sheet


def _append(page, values) -> None:
    page.append(values)
    for cell in page[page.max_row]:
        if cell.data_type == "f":  # only strings become formulas; we never write any
            cell.data_type = "s"


def to_xlsx(sheets: Iterable[Sheet]) -> bytes:
    """The sheets, in order, as an .xlsx file."""
    from openpyxl import Workbook  # noqa: PLC0415 - only exports need it
    from openpyxl.styles import Alignment, Font  # noqa: PLC0415

    bold = Font(bold=True)
    book = Workbook()
    for number, sheet in enumerate(sheets):
        page = book.active if number == 0 else book.create_sheet(sheet.name)
        if number == 0:
            page.title = sheet.name
        if sheet.title is not None:
            _append(page, [sheet.title])
            page["A1"].font = Font(bold=True, size=13)
            if sheet.blank_after_title:
                page.append([])
        if sheet.header:
            _append(page, [str(name) for name in sheet.header])
            for cell in page[page.max_row]:
                cell.font = bold
        for row in sheet.rows:
            line = row if isinstance(row, Row) else Row(row)
            _append(page, list(line.values))
            at = page.max_row
            # Styles are set in the order the first exports set them: it decides the order of
            # the file's style table, and with it the bytes of the file.
            if line.level is not None:
                page.cell(at, 2).alignment = Alignment(indent=line.level)
            for column, number_format in sheet.column_formats.items():
                page.cell(at, column).number_format = number_format
            if sheet.date_format:
                for column, value in enumerate(line.values, 1):
                    if isinstance(value, date):
                        page.cell(at, column).number_format = sheet.date_format
            if line.total:
                for cell in page[at]:
                    cell.font = bold
        if sheet.notes:
            page.append([])
            for note in sheet.notes:
                _append(page, [note])
        for column, width in sheet.widths.items():
            page.column_dimensions[column].width = width
        if sheet.freeze:
            page.freeze_panes = sheet.freeze
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()

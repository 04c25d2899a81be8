"""IKM exports over long ranges are made in the background; short ones stay a plain download."""
import io
import re
from datetime import UTC, date, datetime

import pytest
from openpyxl import load_workbook

from tests.builders import make_counter, make_rollup

NOW = datetime(2026, 6, 15, 3, 0, tzinfo=UTC)
pytestmark = pytest.mark.usefixtures("frozen_clock")


def test_a_quarter_is_downloaded_at_once(login_as, org):
    page = login_as("hr").get("/ikm?from=2026-04-01&to=2026-06-15").text
    assert "/ikm.xlsx?" in page and "/ikm.pdf?" in page
    assert "/ikm/ekspor" not in page


def test_a_long_range_is_exported_in_the_background(login_as, org):
    counter = make_counter(org.section)
    make_rollup(counter, date(2026, 2, 3), surveys=4, answer=3)
    hr = login_as("hr")
    page = hr.get(f"/ikm?unit={org.dinas.id}&from=2026-01-01&to=2026-06-15").text
    assert "Siapkan Excel" in page and "/ikm.xlsx?" not in page
    action = re.search(r'action="(/ikm/ekspor\?[^"]*format=xlsx[^"]*)"', page).group(1)
    started = hr.post(action.replace("&amp;", "&"))
    assert started.status_code == 302
    job = started.headers["Location"].rsplit("/", 1)[-1]
    assert "Selesai." in hr.get(f"/tugas/{job}").text
    download = hr.get(f"/tugas/{job}/unduh")
    assert download.status_code == 200
    name = f"ikm-{org.dinas.code.lower()}-20260101-20260615.xlsx"
    assert download.headers["Content-Disposition"].endswith(name)
    workbook = load_workbook(io.BytesIO(download.data))
    assert workbook.sheetnames


def test_the_background_pdf_is_the_report(login_as, org):
    from tests.appraisal.test_documents import pdf_text
    hr = login_as("hr")
    started = hr.post(f"/ikm/ekspor?format=pdf&unit={org.dinas.id}&from=2026-01-01&to=2026-06-15")
    job = started.headers["Location"].rsplit("/", 1)[-1]
    download = hr.get(f"/tugas/{job}/unduh")
    assert download.mimetype == "application/pdf"
    assert "Dinas Kependudukan" in pdf_text(download.data)


def test_export_requests_are_checked(login_as, org):
    hr = login_as("hr")
    assert hr.post("/ikm/ekspor?format=docx&from=2026-01-01&to=2026-06-15").status_code == 400
    assert hr.post("/ikm/ekspor?format=xlsx&from=kemarin").status_code == 400
    # A head of unit exports only the units they lead.
    assert login_as("supervisor").post(
        f"/ikm/ekspor?format=xlsx&unit={org.other_dinas.id}").status_code == 403
    assert login_as("employee").post("/ikm/ekspor?format=xlsx").status_code == 403

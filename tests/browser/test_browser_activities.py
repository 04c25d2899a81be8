"""In a real headless Chromium: an employee reports an activity with the keyboard and attaches a
PDF; the supervisor finds it in the team feed and verifies it."""
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from tests.browser.steps import log_in_and_land as log_in
from tests.builders import PDF_BYTES, make_period, make_skp

pytestmark = pytest.mark.browser


def test_an_activity_goes_from_the_keyboard_to_the_supervisors_verification(
        new_page, live_server, org, tmp_path):
    # The period is the current year in the employee's zone, so "today" can be reported.
    this_year = datetime.now(ZoneInfo(org.employee.employee.unit.time_zone.iana)).year
    skp = make_skp(org.employee.employee, make_period(this_year), rhks=1)
    rhk = skp.rhks[0]

    employee = new_page()
    log_in(employee, live_server, "pegawai")
    employee.goto(f"{live_server}/harian")
    # The description has the focus: type, Tab to the RHK, choose it with the arrow key.
    employee.keyboard.type("Memverifikasi 12 berkas KTP-el")
    employee.keyboard.press("Tab")
    assert employee.evaluate("document.activeElement.name") == "rhk_id"
    employee.keyboard.press("ArrowDown")
    # The indicator list follows the RHK (htmx).
    indicator = employee.locator("#indicator_id option", has_text=rhk.indicators[0].text)
    indicator.wait_for(state="attached")
    # Tab on to the duration (the date keeps today; date and time inputs take a Tab per part),
    # type it, then the output, then Enter.
    for _ in range(20):
        if employee.evaluate("document.activeElement.name") == "minutes":
            break
        employee.keyboard.press("Tab")
    assert employee.evaluate("document.activeElement.name") == "minutes"
    employee.keyboard.type("45")
    employee.keyboard.press("Tab")
    employee.keyboard.type("12")
    employee.keyboard.press("Enter")

    today = employee.locator(".day-today")
    today.get_by_text("Memverifikasi 12 berkas KTP-el").wait_for()
    assert "45 menit" in today.inner_text()
    # The form is empty again with the cursor back in the description.
    assert employee.input_value("#description") == ""
    assert employee.evaluate("document.activeElement.id") == "description"

    # Attach a PDF from the activity's page.
    pdf = tmp_path / "berita-acara.pdf"
    pdf.write_bytes(PDF_BYTES)
    today.get_by_role("link", name="Ubah atau tambah bukti").click()
    employee.set_input_files("#files", str(pdf))
    employee.get_by_role("button", name="Unggah", exact=True).click()
    employee.get_by_text("1 berkas bukti tersimpan.").wait_for()
    assert employee.get_by_role("link", name="berita-acara.pdf").is_visible()

    # The supervisor sees it in the feed, with the evidence, and verifies it in place.
    supervisor = new_page()
    log_in(supervisor, live_server, "atasan")
    supervisor.goto(f"{live_server}/tim/harian")
    item = supervisor.locator(".feed-item", has_text="Memverifikasi 12 berkas KTP-el")
    assert item.get_by_role("link", name="berita-acara.pdf").is_visible()
    item.get_by_role("button", name="Verifikasi").click()
    item.locator(".activity-status", has_text="Diverifikasi").wait_for()
    assert item.get_by_role("button", name="Verifikasi").count() == 0

    # Back on the employee's week, the activity is verified and no longer editable.
    employee.goto(f"{live_server}/harian")
    row = employee.locator(".day-today tbody tr", has_text="Memverifikasi 12 berkas KTP-el")
    assert "Diverifikasi" in row.inner_text()
    assert row.get_by_role("link", name="Ubah atau tambah bukti").count() == 0

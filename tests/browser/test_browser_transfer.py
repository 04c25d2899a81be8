"""In Chromium: HR records a mid-year transfer; the employee then sees two SKPs for the year,
the second a draft to be approved by the new supervisor."""
import pytest

from kinerja.performance.models import SkpStatus
from tests.browser.steps import log_in
from tests.builders import make_period, make_skp

pytestmark = pytest.mark.browser


def test_hr_records_a_transfer_and_the_employee_sees_two_plans(browser, live_server, org):
    period = make_period(2026)
    make_skp(org.employee.employee, period, status=SkpStatus.APPROVED, rhks=1)

    hr = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    log_in(hr, live_server, "sdm")
    hr.goto(f"{live_server}/pegawai/{org.employee.employee.id}")
    hr.get_by_role("button", name="Mutasi dan cuti").click()
    hr.get_by_label("Tanggal berlaku").fill("2026-07-01")
    hr.get_by_label("Unit kerja baru").select_option(label="Dinas Kesehatan")
    hr.get_by_label("NIP atasan langsung baru").fill(org.outsider.employee.nip)
    hr.get_by_label("Jabatan baru (kosongkan bila tetap)").fill("Analis Kebijakan")
    hr.get_by_role("button", name="Catat mutasi").click()
    hr.get_by_text("Mutasi Ani Lestari tercatat").wait_for()

    employee = browser.new_context(viewport={"width": 390, "height": 844}).new_page()
    log_in(employee, live_server, "pegawai")
    employee.goto(f"{live_server}/skp")
    plans = employee.locator("ul.year-plans li")
    plans.first.wait_for()
    assert plans.count() == 2
    assert "SKP Jan–Jun 2026" in plans.nth(0).inner_text()
    second = plans.nth(1).inner_text()
    assert "SKP Jul–Des 2026" in second and "Draf" in second and "Dewi Kartika" in second

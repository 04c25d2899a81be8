"""In a real headless Chromium: the employee adjusts a month's realisation with a narrative,
inline, and the direct supervisor answers with feedback on the same page."""

import pytest

from kinerja.core import calendar
from kinerja.extensions import db
from kinerja.performance.models import Feedback, Realisation
from tests.browser.steps import log_in_and_land as log_in
from tests.builders import make_activity, make_period, make_rhk, make_skp

pytestmark = pytest.mark.browser


@pytest.fixture
def this_month(org):
    """Ani's SKP for the running year with two activities this month (today in her zone)."""
    ani = org.employee.employee
    today = calendar.today_in(ani.time_zone)
    skp = make_skp(ani, make_period(today.year))
    rhk = make_rhk(skp, "Terlaksananya pelayanan akta kelahiran")
    make_activity(ani, rhk, today, quantity="1")
    make_activity(ani, rhk, today, quantity="1")
    return {"skp": skp, "rhk": rhk, "indicator": rhk.indicators[0], "month": today.month}


def test_employee_adjusts_the_month_and_supervisor_gives_feedback(new_page, live_server,
                                                                   this_month):
    url = f"{live_server}/skp/{this_month['skp'].id}/realisasi"
    indicator = this_month["indicator"]

    page = new_page()
    log_in(page, live_server, "pegawai")
    page.goto(url)
    row = page.locator(f"#ind-{indicator.id}")
    assert row.get_by_role("cell", name="2", exact=True).count() >= 1  # the sum of the activities
    row.get_by_label("Realisasi bulan ini").fill("5")
    row.get_by_role("button", name="Simpan").click()
    # Refused in place: a different number needs a narrative (a 400, swapped by htmx).
    error = page.locator(f"#ind-{indicator.id} .field-error")
    error.wait_for()
    assert "Jelaskan mengapa" in error.inner_text()
    assert page.url == url  # no page load: the row was replaced

    row = page.locator(f"#ind-{indicator.id}")
    assert row.get_by_label("Realisasi bulan ini").input_value() == "5"  # what was typed stays
    row.get_by_label("Penjelasan").fill("Tiga berkas diselesaikan di loket keliling.")
    row.get_by_role("button", name="Simpan").click()
    page.locator(f"#ind-{indicator.id} .saved-note").wait_for()
    row = page.locator(f"#ind-{indicator.id}")
    assert "disesuaikan" in row.inner_text()
    assert row.locator(".field-error").count() == 0

    boss = new_page(390, 844)  # the supervisor reads it on a phone
    log_in(boss, live_server, "atasan")
    boss.goto(f"{url}?bulan={this_month['month']}")
    assert "Tiga berkas diselesaikan di loket keliling." in boss.content()
    box = boss.locator(f"#feedback-{this_month['rhk'].id}")
    box.get_by_label("Umpan balik untuk bulan ini").fill("Bagus, lampirkan daftar hadir loket.")
    box.get_by_role("button", name="Kirim umpan balik").click()
    boss.locator(f"#feedback-{this_month['rhk'].id} .feedback-item").wait_for()
    assert "Bagus, lampirkan daftar hadir loket." in boss.locator(
        f"#feedback-{this_month['rhk'].id}").inner_text()
    assert boss.evaluate("document.documentElement.scrollWidth") <= 390

    page.reload()
    assert "Bagus, lampirkan daftar hadir loket." in page.locator(
        f"#feedback-{this_month['rhk'].id}").inner_text()

    db.session.expire_all()
    entry = db.session.scalar(db.select(Realisation))
    assert (entry.month, str(entry.value)) == (this_month["month"], "5.00")
    assert db.session.scalar(db.select(db.func.count(Feedback.id))) == 1

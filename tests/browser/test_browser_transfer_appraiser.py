"""In Chromium, after a mid-year transfer: the daily report form's RHK list follows the date
chosen (a day before the move offers the closed plan's RHK), and the old supervisor still finds
the closed plan in their evaluation matrix and rates June."""
from datetime import date

import pytest
import time_machine

from kinerja.appraisal import transfers
from kinerja.extensions import db
from kinerja.performance import skps
from kinerja.performance.models import Activity, SkpStatus
from tests.browser.steps import expect, log_in_and_land, watch_errors
from tests.builders import make_period, make_rhk, make_skp

pytestmark = pytest.mark.browser
AUGUST = "2026-08-10 09:00 +07:00"


@pytest.fixture
def moved(org):
    period = make_period(2026)
    make_skp(org.employee.employee, period, status=SkpStatus.APPROVED, rhks=1)
    with time_machine.travel(AUGUST, tick=False):
        transfers.record_transfer(org.hr, org.employee.employee, effective_on=date(2026, 7, 1),
                                  unit_id=org.other_dinas.id,
                                  supervisor_nip=org.outsider.employee.nip)
    first, second = skps.skps_in(org.employee.employee, period)
    make_rhk(second, "Tersusunnya kajian kebijakan")
    second.status = SkpStatus.APPROVED
    db.session.commit()
    return first, second


def test_the_rhk_list_follows_the_day_and_the_old_supervisor_rates_june(
        browser, live_server, org, moved):
    first, second = moved
    old_rhk = first.rhks[0]
    with time_machine.travel(AUGUST, tick=True):
        ani = browser.new_context(viewport={"width": 1280, "height": 800}).new_page()
        errors = watch_errors(ani)
        log_in_and_land(ani, live_server, "pegawai")
        ani.goto(f"{live_server}/harian")
        rhk = ani.locator("#rhk_id")
        expect(rhk.locator("option", has_text="Tersusunnya kajian kebijakan")).to_have_count(1)
        ani.get_by_label("Tanggal").fill("2026-06-30")
        ani.get_by_label("Tanggal").dispatch_event("change")
        expect(rhk.locator("option", has_text=old_rhk.text)).to_have_count(1)
        expect(rhk.locator("option", has_text="Tersusunnya kajian kebijakan")).to_have_count(0)
        expect(ani.get_by_text("RHK dari SKP Jan–Jun")).to_be_visible()
        ani.get_by_label("Uraian kegiatan").fill("Menyerahkan arsip pelayanan")
        rhk.select_option(str(old_rhk.id))
        ani.get_by_label("Durasi (menit)").fill("60")
        ani.get_by_role("button", name="Simpan kegiatan").click()
        expect(ani.get_by_text("Kegiatan tersimpan")).to_be_visible()
        assert errors == []

        budi = browser.new_context(viewport={"width": 1280, "height": 800}).new_page()
        log_in_and_land(budi, live_server, "atasan")
        budi.goto(f"{live_server}/penilaian")
        row = budi.locator("table.appraisal-team tr", has_text="Ani Lestari")
        expect(row).to_have_count(1)
        expect(row).to_contain_text("SKP Jan–Jun")
        budi.on("dialog", lambda dialog: dialog.accept())
        row.locator("td[data-label='Juni 2026']").get_by_role("button", name="Mulai").click()
        expect(budi.locator("h1")).to_contain_text("Evaluasi Juni 2026")
        expect(budi.locator("h1")).to_contain_text("Draf")
    saved = db.session.scalar(db.select(Activity).where(Activity.day == date(2026, 6, 30)))
    assert saved.rhk_id == old_rhk.id

"""In Chromium, with the clock held at chosen days (ticking, as the demo's tests do): HR sets
how the objection window is counted; Ani opens her result on Monday 11 May 2026 (its receipt);
an objection on the window's last day is accepted and on the next day refused, counted in
calendar days and in working days (which skip Ascension Day, Iduladha and Pancasila Day). And
a three-day target done in two shows as ahead on Ani's progress page."""
from datetime import date, timedelta

import pytest
import time_machine

from kinerja.appraisal.models import Evaluation, EvaluationStatus
from kinerja.extensions import db
from kinerja.performance.models import Aspect, SkpStatus
from tests.browser.steps import expect, log_in_and_land
from tests.builders import (
    make_evaluation,
    make_indicator,
    make_period,
    make_realisation,
    make_rhk,
    make_skp,
)

pytestmark = pytest.mark.browser

RECEIVED = "2026-05-11 08:00 +08:00"   # Monday; the org's units are WITA


def at(day: date, hour: int) -> str:
    return f"{day.isoformat()} {hour:02d}:00 +08:00"


@pytest.fixture
def two_results(org):
    """Ani's April and March results, both set on Friday 8 May and not opened yet."""
    skp = make_skp(org.employee.employee, make_period(2026), status=SkpStatus.APPROVED, rhks=1)
    with time_machine.travel("2026-05-08 15:00 +08:00", tick=False):
        return [make_evaluation(skp, point=month, result="di_bawah", behaviour="sesuai")
                for month in (4, 3)]


@pytest.mark.parametrize(("counting", "label", "last_day", "shown"), [
    ("kalender", "Hari kalender", date(2026, 5, 25), "Senin, 25 Mei 2026"),
    ("kerja", "Hari kerja", date(2026, 6, 3), "Rabu, 3 Juni 2026"),
])
def test_an_objection_on_the_14th_day_from_receipt_is_accepted_and_on_the_15th_refused(
        new_page, live_server, org, two_results, counting, label, last_day, shown):
    april, march = two_results
    with time_machine.travel(RECEIVED, tick=True) as clock:
        hr = new_page()
        log_in_and_land(hr, live_server, "sdm")
        hr.locator(".site-header summary", has_text="Kelola").click()
        hr.get_by_role("link", name="Aturan keberatan").click()
        hr.get_by_label("Lama masa keberatan (hari)").fill("14")
        hr.get_by_label(label).check()
        hr.get_by_role("button", name="Simpan").click()
        expect(hr.get_by_text(f"Aturan keberatan tersimpan: 14 {label.lower()} sejak hasil "
                              "diterima.")).to_be_visible()

        ani = new_page()
        log_in_and_land(ani, live_server, "pegawai")
        for evaluation in (april, march):  # opening the result is its receipt
            ani.goto(f"{live_server}/penilaian/{evaluation.id}")
            expect(ani.locator(".evaluation-facts")).to_contain_text(shown)
        expect(ani.get_by_text(f"(14 {label.lower()} sejak hasil diterima)")).to_be_visible()

        clock.move_to(at(last_day, 20))  # the 14th day: accepted
        ani = new_page()
        log_in_and_land(ani, live_server, "pegawai")
        ani.goto(f"{live_server}/penilaian/{april.id}")
        ani.get_by_text("Ajukan keberatan", exact=True).click()
        ani.get_by_label("Alasan keberatan").fill("Capaian April tidak dihitung dari laporan.")
        ani.get_by_role("button", name="Kirim keberatan").click()
        expect(ani.get_by_text("Keberatan diajukan kepada atasan pejabat penilai.")).to_be_visible()

        clock.move_to(at(last_day + timedelta(days=1), 8))  # the 15th: refused
        ani = new_page()
        log_in_and_land(ani, live_server, "pegawai")
        ani.goto(f"{live_server}/penilaian/{march.id}")
        expect(ani.get_by_text("Batas waktu keberatan sudah lewat.")).to_be_visible()
        expect(ani.get_by_text("Ajukan keberatan", exact=True)).to_have_count(0)
        late = ani.request.post(f"{live_server}/penilaian/{march.id}/keberatan",
                                form={"reasons": "Terlambat sehari."})
        assert late.status == 400 and "sudah lewat" in late.text()
    db.session.expire_all()
    statuses = {e.point: e.status for e in db.session.scalars(db.select(Evaluation))}
    assert statuses == {4: EvaluationStatus.OBJECTED, 3: EvaluationStatus.FINAL}


def test_a_three_day_target_done_in_two_days_is_ahead(new_page, live_server, org):
    skp = make_skp(org.employee.employee, make_period(2026), status=SkpStatus.APPROVED)
    rhk = make_rhk(skp, "Terlayaninya perizinan", target="120", unit_of_measure="izin")
    permit = make_indicator(rhk, aspect=Aspect.TIME, text="Waktu penyelesaian izin", target="3",
                            unit_of_measure="hari")
    permit.lower_is_better = True
    db.session.commit()
    make_realisation(permit, 5, value="2")
    with time_machine.travel("2026-06-15 09:00 +08:00", tick=True):
        ani = new_page()
        log_in_and_land(ani, live_server, "pegawai")
        ani.locator("#site-menu").get_by_role("link", name="Kinerja", exact=True).click()
        item = ani.locator(".progress-item").filter(has_text="Waktu penyelesaian izin")
        expect(item.locator(".badge")).to_have_text("Melampaui target")
        expect(item).to_contain_text("makin kecil makin baik")
        expect(item).to_contain_text("Realisasi 2 dari target 3 hari (150% dari target).")

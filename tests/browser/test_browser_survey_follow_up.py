"""In a real headless Chromium: HR publishes an IKM with its rencana tindak lanjut and citizens
see the plan; an alert is opened as an investigation and closed; an award's ranking leaves out
a Kurang/Misconduct candidate and tells HR why."""
from datetime import date, datetime, timedelta

import pytest

from kinerja.core.types import utcnow
from tests.browser.steps import log_in_and_land as log_in
from tests.browser.steps import watch_errors
from tests.builders import (
    make_activity,
    make_complaint,
    make_counter,
    make_evaluation,
    make_period,
    make_rollup,
    make_skp,
)
from tests.recognition.builders import make_award

pytestmark = pytest.mark.browser


def test_hr_publishes_with_a_follow_up_plan_that_citizens_see(page, live_server, org):
    errors = watch_errors(page)
    counter = make_counter(org.section, name="Loket 1 KTP-el")
    year = date.today().year - 1
    for month in (1, 2, 3):
        make_rollup(counter, date(year, month, 10), surveys=10, answer=3)
    log_in(page, live_server, "sdm")
    page.goto(f"{live_server}/publikasi-ikm")
    page.get_by_label("Unit", exact=True).select_option(label="Bidang Pelayanan")
    page.get_by_label("Dari tanggal", exact=True).fill(f"{year}-01-01")
    page.get_by_label("Sampai tanggal", exact=True).fill(f"{year}-03-31")
    page.get_by_label("Nama periode", exact=True).fill(f"Triwulan I {year}")
    page.get_by_role("button", name="Umumkan").click()
    page.get_by_role("link", name="Susun rencana").click()
    page.get_by_label("Unsur yang diperbaiki", exact=True).select_option("U3")
    page.get_by_label("Program / kegiatan", exact=True).fill("Petugas tambahan pada jam sibuk 08.00–11.00")
    page.get_by_label("Target selesai", exact=True).fill(f"{year}-06-30")
    page.get_by_label("Penanggung jawab", exact=True).fill("Kepala Seksi Pelayanan")
    page.get_by_role("button", name="Tambah baris").click()
    page.get_by_text("Baris rencana ditambahkan.").wait_for()
    page.get_by_role("button", name="Setujui dan tampilkan di publik").click()
    page.get_by_text("Rencana tindak lanjut disetujui dan tampil di halaman publik.").wait_for()
    page.get_by_role("link", name="Halaman publik").first.click()
    plan = page.locator("table.follow-up-plan")
    plan.wait_for()
    text = plan.inner_text()
    for shown in ("Waktu Penyelesaian", "Petugas tambahan pada jam sibuk", "Kepala Seksi Pelayanan",
                  "Direncanakan"):
        assert shown in text, shown
    assert errors == []


def test_an_alert_is_opened_as_an_investigation_and_closed(page, live_server, org):
    errors = watch_errors(page)
    counter = make_counter(org.section, name="Loket 1 KTP-el")
    for n in range(7):
        make_complaint(counter, f"Antrean terlalu lama ({n})",
                       received_at=utcnow() - timedelta(hours=n + 1))
    log_in(page, live_server, "kepala")
    page.get_by_role("button", name="Buka pemeriksaan").click()
    page.get_by_text("Pemeriksaan dibuka.").wait_for()
    assert "Antrean terlalu lama (0)" in page.content()
    page.get_by_label("Temuan", exact=True).fill("Satu petugas cuti tanpa pengganti selama dua minggu.")
    page.get_by_label("Tindakan yang diambil", exact=True).fill("Staf seksi ditugaskan sebagai pengganti.")
    page.get_by_label("Keputusan penutupan", exact=True).fill("Prosedur penggantian petugas cuti ditetapkan.")
    page.get_by_role("button", name="Tutup pemeriksaan").click()
    page.get_by_text("Pemeriksaan ditutup.").wait_for()
    assert page.locator("#investigation-status").inner_text() == "Ditutup"
    assert "Prosedur penggantian petugas cuti ditetapkan." in page.content()
    page.goto(f"{live_server}/")
    assert "Buka pemeriksaan" in page.content()  # the alert stands; a new one may be opened
    assert errors == []


def test_the_ranking_leaves_out_a_misconduct_candidate_and_says_why(page, live_server, org):
    errors = watch_errors(page)
    period = make_period(datetime.now().year)
    ani, rudi = org.employee.employee, org.teammate.employee
    make_evaluation(make_skp(ani, period), point=1, result="di_atas", behaviour="di_atas")
    make_evaluation(make_skp(rudi, period, rhks=1), point=1, result="di_atas",
                    behaviour="di_bawah")  # Kurang/Misconduct
    award = make_award(period, unit=org.dinas, name="ASN Teladan Dinas")
    make_activity(rudi, _rhk_of(rudi), date(period.year, 1, 5))
    log_in(page, live_server, "sdm")
    page.goto(f"{live_server}/penghargaan/{award.id}")
    ranking = page.locator("#peringkat").inner_text()
    assert "Ani Lestari" in ranking and "Rudi Hartono" not in ranking
    excluded = page.locator("#tidak-memenuhi-syarat").inner_text()
    assert "Rudi Hartono" in excluded
    assert "Predikat Kurang/Misconduct pada periode ini" in excluded
    assert errors == []


def _rhk_of(employee):
    from kinerja.extensions import db
    from kinerja.performance.models import Rhk, Skp
    return db.session.scalar(db.select(Rhk).join(Skp, Rhk.skp_id == Skp.id)
                             .where(Skp.employee_id == employee.id))

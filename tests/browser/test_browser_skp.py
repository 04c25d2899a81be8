"""In Chromium: an employee drafts an SKP in place, the supervisor returns it, the employee
revises and the supervisor approves."""
import pytest

from kinerja.extensions import db
from kinerja.performance.models import Skp, SkpStatus
from tests.browser.steps import Confirmations, log_in
from tests.builders import make_period, make_rhk, make_skp

pytestmark = pytest.mark.browser


def test_draft_return_revise_approve(browser, live_server, org):
    period = make_period(2026)
    boss_skp = make_skp(org.supervisor.employee, period, status=SkpStatus.APPROVED)
    make_rhk(boss_skp, "Terlaksananya pelayanan KTP-el")

    employee = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    log_in(employee, live_server, "pegawai")
    employee.goto(f"{live_server}/skp")
    employee.get_by_role("button", name="Mulai menyusun SKP 2026").click()
    employee.get_by_label("Rencana hasil kerja (RHK)").fill("Terverifikasinya berkas KTP-el")
    employee.get_by_label("Mengintervensi").select_option(label="Terlaksananya pelayanan KTP-el")
    employee.get_by_role("button", name="Tambah RHK").last.click()
    employee.get_by_text("+ Tambah indikator").click()
    employee.get_by_label("Indikator", exact=True).fill("Jumlah berkas terverifikasi")
    employee.get_by_label("Target", exact=True).fill("abc")
    employee.get_by_label("Satuan", exact=True).fill("berkas")
    employee.get_by_role("button", name="Tambah indikator").click()
    employee.get_by_text("Isi dengan angka").wait_for()  # the message lands next to the field
    employee.get_by_label("Target", exact=True).fill("240")
    employee.get_by_role("button", name="Tambah indikator").click()
    employee.get_by_role("cell", name="240 berkas").wait_for()
    employee.get_by_role("button", name="Ajukan ke atasan").click()
    employee.get_by_text("SKP diajukan ke atasan.").wait_for()

    supervisor = browser.new_context(viewport={"width": 390, "height": 844}).new_page()
    log_in(supervisor, live_server, "atasan")
    supervisor.goto(f"{live_server}/skp")
    supervisor.get_by_role("link", name="Ani Lestari").first.click()
    supervisor.get_by_label("Catatan perbaikan untuk pegawai").fill("Naikkan target menjadi 300")
    supervisor.get_by_role("button", name="Kembalikan dengan catatan").click()
    supervisor.get_by_text("SKP dikembalikan").wait_for()

    employee.reload()
    employee.get_by_text("Naikkan target menjadi 300").wait_for()
    employee.get_by_role("row", name="240 berkas").get_by_role("link", name="Ubah").click()
    employee.get_by_label("Target", exact=True).fill("300")
    employee.get_by_role("button", name="Simpan indikator").click()
    employee.get_by_role("cell", name="300 berkas").wait_for()
    employee.get_by_role("button", name="Ajukan ke atasan").click()

    supervisor.reload()
    confirmations = Confirmations(supervisor)
    confirmations.accept = False
    supervisor.get_by_role("button", name="Setujui SKP").click()  # dismissed: still waiting
    supervisor.wait_for_timeout(300)
    assert confirmations.asked == ["Setujui SKP Ani Lestari? Versi yang disetujui menjadi dasar "
                                   "penilaian dan tersimpan di riwayat."]
    skp = db.session.scalar(db.select(Skp).where(Skp.employee_id == org.employee.employee.id))
    db.session.refresh(skp)
    assert skp.status is SkpStatus.SUBMITTED
    confirmations.accept = True
    supervisor.get_by_role("button", name="Setujui SKP").click()
    supervisor.get_by_text("SKP disetujui.").wait_for()
    employee.reload()
    assert employee.get_by_text("Disetujui").first.is_visible()
    assert employee.get_by_role("link", name="Versi 1").is_visible()

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


def _this_year(org) -> int:
    return datetime.now(ZoneInfo(org.employee.employee.unit.time_zone.iana)).year


def test_the_supervisor_verifies_several_at_once(new_page, live_server, org):
    from datetime import date

    from tests.builders import make_activity
    period = make_period(_this_year(org))
    day = date(period.year, 1, 5)
    rhks = {who: make_skp(user.employee, period, rhks=1).rhks[0]
            for who, user in (("ani", org.employee), ("rudi", org.teammate))}
    for n in range(3):
        make_activity(org.employee.employee, rhks["ani"], day, description=f"Ani tugas {n + 1}")
        make_activity(org.teammate.employee, rhks["rudi"], day, description=f"Rudi tugas {n + 1}")

    page = new_page()
    log_in(page, live_server, "atasan")
    page.goto(f"{live_server}/tim/harian")
    page.get_by_text("6 kegiatan belum diverifikasi").wait_for()
    selected = page.get_by_role("button", name="Verifikasi yang dipilih")
    assert selected.is_disabled()  # nothing ticked yet
    page.get_by_role("checkbox", name="Ani tugas 1").check()
    page.get_by_role("checkbox", name="Rudi tugas 2").check()
    assert selected.inner_text() == "Verifikasi yang dipilih (2)"
    selected.click()
    page.get_by_text("2 kegiatan diverifikasi.").wait_for()
    # The feed opens on what is still to verify: the two are gone from it.
    feed = page.locator("#feed-items")
    assert "Ani tugas 1" not in feed.inner_text() and "Rudi tugas 2" not in feed.inner_text()
    page.get_by_text("4 kegiatan belum diverifikasi").wait_for()

    # "Pilih semua" ticks every box on the page; the bar counts them.
    page.get_by_label("Pilih semua").check()
    assert page.locator("input.feed-pick:checked").count() == 4
    assert selected.inner_text() == "Verifikasi yang dipilih (4)"
    page.get_by_label("Pilih semua").uncheck()
    assert page.locator("input.feed-pick:checked").count() == 0

    # Verify all shown: asked first (dismissing sends nothing), then all four at once.
    every = page.get_by_role("button", name="Verifikasi semua yang tampil (4)")
    page.once("dialog", lambda dialog: dialog.dismiss())
    every.click()
    page.wait_for_timeout(300)
    assert page.get_by_text("4 kegiatan belum diverifikasi").is_visible()
    page.once("dialog", lambda dialog: dialog.accept())
    every.click()
    page.get_by_text("4 kegiatan diverifikasi.").wait_for()
    page.get_by_text("Belum ada kegiatan yang cocok.").wait_for()
    assert page.locator("#bulk-verify").count() == 0

    # Everything, verified, under "Semua status".
    page.get_by_label("Status").select_option("semua")
    page.get_by_text("6 kegiatan", exact=True).wait_for()
    assert page.locator(".feed-item .activity-status", has_text="Diverifikasi").count() == 6


def test_evidence_is_attached_while_logging_the_activity(new_page, live_server, org, app,
                                                        tmp_path):
    skp = make_skp(org.employee.employee, make_period(_this_year(org)), rhks=1)
    page = new_page()
    log_in(page, live_server, "pegawai")
    page.goto(f"{live_server}/harian")

    def fill(description):
        page.get_by_label("Uraian kegiatan").fill(description)
        page.locator("#rhk_id").select_option(str(skp.rhks[0].id))
        page.get_by_label("Durasi (menit)").fill("30")

    # A file that is not a document: the message names it, nothing is saved, the text stays.
    fake = tmp_path / "foto.pdf"
    fake.write_bytes(b"MZ\x90\x00 not a pdf")
    fill("Rapat koordinasi pelayanan")
    page.set_input_files("#files", str(fake))
    page.get_by_role("button", name="Simpan kegiatan").click()
    page.get_by_text("foto.pdf: jenis berkas tidak diterima").wait_for()
    page.get_by_text("Kegiatan belum disimpan").wait_for()
    assert page.input_value("#description") == "Rapat koordinasi pelayanan"
    assert page.input_value("#minutes") == "30"
    assert page.locator(".day-today").get_by_text("Rapat koordinasi pelayanan").count() == 0

    # The right file: the activity and its evidence are saved in one step.
    pdf = tmp_path / "notulen-rapat.pdf"
    pdf.write_bytes(PDF_BYTES)
    page.set_input_files("#files", str(pdf))
    page.get_by_role("button", name="Simpan kegiatan").click()
    page.get_by_text("1 berkas bukti tersimpan.").wait_for()
    row = page.locator(".day-today tbody tr", has_text="Rapat koordinasi pelayanan")
    row.get_by_role("link", name="notulen-rapat.pdf").wait_for()
    assert page.input_value("#description") == ""  # ready for the next one

    # A file over the limit is refused in the browser before anything is sent.
    app.config["EVIDENCE_MAX_BYTES"] = 1024
    page.goto(f"{live_server}/harian")
    big = tmp_path / "pindaian.pdf"
    big.write_bytes(PDF_BYTES + b"0" * 4096)
    fill("Memindai arsip")
    page.set_input_files("#files", str(big))
    page.get_by_text("pindaian.pdf: Berkas melebihi 1 KB.").wait_for()
    assert page.evaluate("document.getElementById('files').files.length") == 0
    assert page.input_value("#description") == "Memindai arsip"

"""In Chromium: long work in the background. HR imports employees and follows the check and the
save on a progress bar that updates itself; a head prints the SKP of their unit as one ZIP."""
import io
import re
import time
import zipfile

import pytest

from kinerja.core import jobs, queue
from kinerja.extensions import db
from kinerja.organisation import employee_import
from kinerja.organisation.models import Employee
from kinerja.performance.models import SkpStatus
from tests.browser.steps import expect, log_in
from tests.builders import make_period, make_skp, valid_nip

pytestmark = pytest.mark.browser


@pytest.fixture
def real_queue(app, tmp_path, monkeypatch):
    """The default install's queue: SQLite storage and an embedded consumer thread, started by
    the test when it wants the work to begin (the `app` fixture puts the immediate queue back)."""
    monkeypatch.setitem(app.config, "JOBS_QUEUE", "sqlite")
    monkeypatch.setitem(app.config, "JOBS_QUEUE_FILE", str(tmp_path / "queue.sqlite3"))
    found = queue.Queue(app)
    app.extensions[queue.EXTENSION] = found
    yield found
    found.stop_embedded()


def _employees_csv(count: int) -> bytes:
    lines = ["nip,nama,jabatan"] + [f"{valid_nip(1000 + n)},Pegawai Impor {n},Pengadministrasi Umum"
                                    for n in range(count)]
    return ("\n".join(lines) + "\n").encode()


def test_hr_imports_in_the_background_and_watches_the_progress(browser, live_server, org, real_queue,
                                                               monkeypatch):
    # Slow enough to watch: a progress report every 40 rows, each taking a moment.
    monkeypatch.setattr(employee_import, "PROGRESS_EVERY", 40)
    step = jobs.Progress.step

    def slow_step(self, done, message=""):
        time.sleep(0.3)
        self._last = 0  # every report is written
        step(self, done, message)
    monkeypatch.setattr(jobs.Progress, "step", slow_step)

    hr = browser.new_context(viewport={"width": 1280, "height": 800}).new_page()
    log_in(hr, live_server, "sdm")
    hr.goto(f"{live_server}/pegawai/impor")
    hr.get_by_label("Berkas").set_input_files(files=[{
        "name": "pegawai.csv", "mimeType": "text/csv", "buffer": _employees_csv(400)}])
    hr.get_by_role("button", name="Periksa berkas").click()
    hr.get_by_role("heading", name="Pemeriksaan berkas impor pegawai").wait_for()
    status = hr.locator("#job-status")
    expect(status).to_contain_text("Menunggu giliran")  # queued: no worker has taken it yet
    expect(status.locator("progress")).to_be_visible()

    real_queue.start_embedded()
    expect(status).to_contain_text(re.compile(r"\d+% · \d+ dari 400"), timeout=15_000)
    expect(status).to_contain_text("Pratinjau impor: pegawai.csv", timeout=30_000)
    expect(status).to_contain_text("400")  # new employees
    hr.get_by_role("button", name="Simpan 400 baris").click()
    hr.get_by_role("heading", name="Impor pegawai").wait_for()
    expect(status.locator("progress")).to_be_visible()
    expect(status).to_contain_text(re.compile(r"\d+ dari 400"), timeout=15_000)
    expect(status).to_contain_text("Impor selesai", timeout=30_000)
    expect(status).to_contain_text("400 pegawai baru")
    assert db.session.scalar(db.select(db.func.count(Employee.id)).where(
        Employee.name.like("Pegawai Impor %"))) == 400


def test_a_head_downloads_the_skp_of_their_unit_as_one_zip(browser, live_server, org):
    period = make_period(2026)
    for employee in (org.supervisor.employee, org.employee.employee, org.teammate.employee):
        make_skp(employee, period, status=SkpStatus.APPROVED)
    head = browser.new_context(viewport={"width": 390, "height": 844}, accept_downloads=True).new_page()
    log_in(head, live_server, "atasan")  # Budi heads the section
    head.goto(f"{live_server}/penilaian")
    head.get_by_role("button", name="Cetak massal SKP / evaluasi (ZIP)").click()
    head.get_by_label("Unit kerja").select_option(label=f"{org.section.code} — Bidang Pelayanan")
    head.get_by_label("SKP").check()
    head.get_by_role("button", name="Buat ZIP").click()
    expect(head.locator("#job-status")).to_contain_text("3 PDF dalam satu ZIP.")
    with head.expect_download() as download:
        head.get_by_role("button", name=re.compile(r"^Unduh skp-")).click()
    assert download.value.suggested_filename == f"skp-{org.section.code.lower()}-2026.zip"
    archive = zipfile.ZipFile(io.BytesIO(open(download.value.path(), "rb").read()))
    names = sorted(archive.namelist())
    assert len(names) == 3 and all(n.startswith("skp-2026-") and n.endswith(".pdf") for n in names)
    assert any("ani-lestari" in n for n in names)

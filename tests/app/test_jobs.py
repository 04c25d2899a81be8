"""Background jobs: the lifecycle (queued, running with progress, done with a file or failed in
words), who may see a job and its file, the upkeep of old files, the daily schedule, and one
job through the real queue (SQLite storage and a consumer thread)."""
import logging
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from flask_babel import lazy_gettext as _l

from kinerja import create_app
from kinerja.core import jobs, queue
from kinerja.core.errors import RuleViolation
from kinerja.core.jobs import Job, JobStatus, Result
from kinerja.extensions import db
from tests.conftest import base_config

SEEN: list[tuple[int, int]] = []


def _count(job, progress):
    """A test kind: counts to params["to"], reporting each step, and hands back a text file."""
    to = job.params["to"]
    progress.total(to, "menghitung")
    for n in range(1, to + 1):
        progress.step(n)
        SEEN.append((n, to))
    return Result(b"1 2 3\n", "Hasil Hitung.txt", "text/plain", "Terhitung.")


def _refuse(job, progress):
    raise RuleViolation("Unit itu tidak punya pegawai.")


def _break(job, progress):
    raise KeyError("secret_internal_name")


jobs.define("test.count", "Hitung", _count, lambda user, job: True)
jobs.define("test.refuse", "Tolak", _refuse, lambda user, job: True)
jobs.define("test.break", "Rusak", _break, lambda user, job: True)
jobs.define("test.words", "Kata", lambda job, progress: Result(message=str(_l("Berkas kosong."))),
            lambda user, job: True)
jobs.define("test.hr_only", "Khusus HR", _count, lambda user, job: bool(user.is_hr))


def test_a_job_runs_to_done_with_its_file_and_message(app, org, login_as):
    job = jobs.start(org.hr, "test.count", {"to": 3})
    assert job.status is JobStatus.DONE and job.percent == 100
    assert (job.done, job.total, job.message) == (3, 3, "Terhitung.")
    assert job.finished_at is not None
    path = jobs.result_file(job)
    assert path.read_bytes() == b"1 2 3\n"
    assert path.name == "hasil-hitung.txt"
    assert Path(app.instance_path) in path.parents
    hr = login_as("hr")
    page = hr.get(f"/tugas/{job.id}")
    assert "Terhitung." in page.text and f"/tugas/{job.id}/unduh" in page.text
    assert "hx-trigger" not in page.text  # done: the page stops polling
    download = hr.get(f"/tugas/{job.id}/unduh")
    assert download.status_code == 200 and download.data == b"1 2 3\n"
    assert 'attachment; filename=hasil-hitung.txt' in download.headers["Content-Disposition"]
    assert "no-store" in download.headers["Cache-Control"]


def test_a_running_job_page_polls_and_shows_its_progress(app, org, login_as):
    job = Job(user_id=org.hr.id, kind="test.count", params={"to": 10}, status=JobStatus.RUNNING,
              done=4, total=10, message="PDF 4 dari 10")
    db.session.add(job)
    db.session.commit()
    hr = login_as("hr")
    page = hr.get(f"/tugas/{job.id}")
    assert '<progress value="4" max="10"' in page.text
    assert "40%" in page.text and "PDF 4 dari 10" in page.text
    assert 'hx-trigger="every 1s"' in page.text
    fragment = hr.get(f"/tugas/{job.id}", headers={"HX-Request": "true"})
    assert fragment.text.lstrip().startswith('<section id="job-status"')
    assert "<html" not in fragment.text


def test_a_job_speaks_the_language_of_whoever_started_it(app, org):
    from flask import session

    from portal.jobs import locale
    with app.test_request_context():
        session["lang"] = "en"
        assert locale() == "en"  # what the views hand to the job
    job = jobs.start(org.hr, "test.words", {}, locale="en")
    assert job.message == "The file is empty."
    assert jobs.start(org.hr, "test.words", {}, locale="id").message == "Berkas kosong."


def test_a_refusal_is_shown_in_its_own_words(app, org, login_as):
    job = jobs.start(org.hr, "test.refuse", {})
    assert job.status is JobStatus.FAILED
    assert job.message == "Unit itu tidak punya pegawai."
    assert "Unit itu tidak punya pegawai." in login_as("hr").get(f"/tugas/{job.id}").text


def test_a_crash_is_logged_and_the_user_reads_words_not_a_traceback(app, org, login_as, caplog):
    with caplog.at_level(logging.ERROR, logger="kinerja.core.jobs"):
        job = jobs.start(org.hr, "test.break", {})
    assert job.status is JobStatus.FAILED
    assert "secret_internal_name" in caplog.text and "Traceback" in caplog.text
    page = login_as("hr").get(f"/tugas/{job.id}")
    assert "Pekerjaan gagal karena kesalahan di server" in page.text
    assert "secret_internal_name" not in page.text and "Traceback" not in page.text


def test_only_the_starter_sees_a_job_and_its_file(app, org, login_as):
    job = jobs.start(org.employee, "test.count", {"to": 1})
    assert login_as("employee").get(f"/tugas/{job.id}/unduh").status_code == 200
    for role in ("teammate", "supervisor", "hr", "admin"):
        assert login_as(role).get(f"/tugas/{job.id}").status_code == 403, role
        assert login_as(role).get(f"/tugas/{job.id}/unduh").status_code == 403, role
    assert login_as("hr").get("/tugas/999999").status_code == 404


def test_the_starter_loses_the_file_with_the_right_that_started_it(app, org, login_as):
    job = jobs.start(org.hr, "test.hr_only", {"to": 1})
    assert login_as("hr").get(f"/tugas/{job.id}/unduh").status_code == 200
    org.hr.is_hr = False
    db.session.commit()
    assert login_as("hr").get(f"/tugas/{job.id}/unduh").status_code == 403


def test_my_jobs_lists_only_mine(app, org, login_as):
    jobs.start(org.hr, "test.count", {"to": 1})
    jobs.start(org.admin, "test.refuse", {})
    listing = login_as("hr").get("/tugas").text
    assert "Hitung" in listing and "hasil-hitung.txt" in listing
    assert "Tolak" not in listing


def test_old_files_are_cleaned_and_stalled_jobs_fail(app, org, login_as):
    old = jobs.start(org.hr, "test.count", {"to": 1})
    fresh = jobs.start(org.hr, "test.count", {"to": 1})
    stuck = Job(user_id=org.hr.id, kind="test.count", params={"to": 1}, status=JobStatus.RUNNING)
    db.session.add(stuck)
    db.session.commit()
    old_path = jobs.result_file(old)
    later = datetime.now(UTC) + timedelta(days=8)
    fresh.finished_at = later - timedelta(days=1)
    db.session.commit()
    assert jobs.clean_up(timedelta(days=7), now=later) == 1
    assert not old_path.exists() and jobs.result_file(old) is None
    assert jobs.result_file(fresh) is not None
    db.session.refresh(stuck)
    assert stuck.status is JobStatus.FAILED and "Jalankan lagi" in stuck.message
    page = login_as("hr").get(f"/tugas/{old.id}")
    assert "sudah dihapus" in page.text
    assert login_as("hr").get(f"/tugas/{old.id}/unduh").status_code == 404


def test_a_result_path_outside_the_results_folder_is_never_served(app, org, login_as):
    job = jobs.start(org.hr, "test.count", {"to": 1})
    job.result_path = "../../etc/passwd"
    db.session.commit()
    assert jobs.result_file(job) is None
    assert login_as("hr").get(f"/tugas/{job.id}/unduh").status_code == 404


def test_the_daily_reminders_are_scheduled_at_the_configured_local_time(app):
    assert queue.DAILY["send_reminders"].__module__ == "kinerja.appraisal.reminders"
    daily = queue.queue_of(app).daily
    # 07:00 WIB is midnight UTC; huey asks with each minute in UTC.
    assert app.config["REMINDERS_AT"] == "07:00" and app.config["REMINDERS_ZONE"] == "WIB"
    assert daily.task_class().validate_datetime(datetime(2026, 6, 15, 0, 0))
    assert not daily.task_class().validate_datetime(datetime(2026, 6, 15, 0, 1))
    assert queue.is_daily_time(datetime(2026, 6, 14, 23, 0), "07:00", "WITA")


def test_the_daily_run_sends_the_reminders(app, org, monkeypatch):
    ran = []
    monkeypatch.setitem(queue.DAILY, "send_reminders", lambda: ran.append("reminders"))
    monkeypatch.setitem(queue.DAILY, "broken", lambda: 1 / 0)
    monkeypatch.setitem(queue.DAILY, "after", lambda: ran.append("after"))
    queue.run_daily()
    assert ran == ["reminders", "after"]  # one failing does not stop the rest


@pytest.mark.parametrize("setting, value", [("JOBS_QUEUE", "rabbit"), ("JOBS_WORKER", "cron"),
                                            ("REMINDERS_AT", "7 pagi"), ("REMINDERS_ZONE", "UTC")])
def test_bad_job_settings_are_refused_at_start(tmp_path, setting, value):
    from kinerja.config import ConfigError
    with pytest.raises(ConfigError, match=setting):
        create_app({**base_config(tmp_path, "sqlite://"), setting: value})


def test_a_job_goes_through_the_real_queue_to_a_consumer(database_uri, app, org, tmp_path):
    """SQLite queue storage in the instance folder and an embedded consumer thread, as on the
    default install: the request only queues; the consumer's thread runs the job."""
    instance = tmp_path / "queued"
    instance.mkdir()
    real = create_app({**base_config(instance, database_uri), "JOBS_QUEUE": "sqlite",
                       "JOBS_WORKER": "embedded"})
    real_queue = queue.queue_of(real)
    SEEN.clear()
    with real.app_context():
        job = jobs.start(org.hr, "test.count", {"to": 3})
        job_id = job.id
        assert job.status is JobStatus.QUEUED and not SEEN  # queued, not run in the caller
    assert (instance / queue.QUEUE_FILE).exists()
    assert real_queue.huey.pending_count() == 1
    # The first request starts the embedded consumer.
    real.test_client().get("/healthz")
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            db.session.expire_all()
            if db.session.get(Job, job_id).status.finished:
                break
            time.sleep(0.1)
    finally:
        real_queue.stop_embedded()
    job = db.session.get(Job, job_id)
    assert job.status is JobStatus.DONE, job.message
    assert SEEN == [(1, 3), (2, 3), (3, 3)]
    with real.app_context():
        assert jobs.result_file(job).read_bytes() == b"1 2 3\n"


def test_every_job_ends_with_one_log_line_of_ids_and_figures(app, org, caplog):
    with caplog.at_level(logging.INFO, logger="kinerja.jobs"):
        done = jobs.start(org.hr, "test.count", {"to": 2})
        failed = jobs.start(org.hr, "test.refuse", {})
    lines = [record for record in caplog.records if record.name == "kinerja.jobs"]
    assert [(line.job_id, line.kind, line.status) for line in lines] == [
        (done.id, "test.count", "done"), (failed.id, "test.refuse", "failed")]
    for line in lines:
        assert line.user_id == org.hr.id
        assert line.duration_ms >= 0 and line.wait_ms >= 0
        assert "Unit itu" not in f"{line.getMessage()} {line.__dict__}"  # no message, no data

"""The employee import as background jobs: checking the file (the preview) and saving its good
rows. 50,000 rows take seconds to check and more to save (bench/imports.py): longer than a
request should wait, so both run on the queue and the page follows their progress.

The uploaded file waits in the check job's input folder; the save job reads the same file, so
what is saved is what was previewed (checked again against the database as it is then).
"""
from flask import current_app
from flask_babel import lazy_gettext as _l

from kinerja.core import jobs
from kinerja.core.errors import RuleViolation
from kinerja.core.jobs import Job, Progress, Result
from kinerja.extensions import db
from kinerja.organisation import access, employee_import
from kinerja.organisation.models import User

CHECK, SAVE = "employee_import_check", "employee_import_save"
UPLOAD_NAME = "upload"
# The preview lists every bad row up to this many, and the first good ones: a page of 50,000
# rows helps nobody, and the counts say the rest.
SHOWN_BAD_ROWS, SHOWN_GOOD_ROWS = 1000, 200


def _may_view(user: User, job: Job) -> bool:
    return access.manages_organisation(user)


def start_check(actor: User, data: bytes, filename: str, locale: str) -> Job:
    """Keep the upload and queue its check. Refused before queueing when the file is too large."""
    if len(data) > current_app.config["IMPORT_MAX_BYTES"]:
        raise RuleViolation(_l("Berkas terlalu besar."), "file")
    job = Job(user_id=actor.id, kind=CHECK, params={"filename": filename[:200]}, locale=locale)
    db.session.add(job)
    db.session.flush()
    (jobs.input_folder(job) / UPLOAD_NAME).write_bytes(data)
    db.session.commit()
    from kinerja.core import queue  # noqa: PLC0415

    queue.enqueue(job.id)
    db.session.refresh(job)
    return job


def start_save(actor: User, check: Job, locale: str) -> Job:
    """Save the rows of a checked file (the check must be the actor's own, and done)."""
    if check.kind != CHECK or check.user_id != actor.id or check.status is not jobs.JobStatus.DONE \
            or not (jobs.input_folder(check) / UPLOAD_NAME).exists():
        raise RuleViolation(_l("Tidak ada berkas yang menunggu disimpan. Unggah lagi."))
    return jobs.start(actor, SAVE, {"check": check.id, "filename": check.params.get("filename", "")},
                      locale)


def _rows(job: Job, progress: Progress, folder_of: Job) -> list[tuple[int, dict]]:
    path = jobs.input_folder(folder_of) / UPLOAD_NAME
    if not path.exists():
        raise RuleViolation(_l("Berkas impor sudah tidak ada (disimpan lebih dari seminggu). "
                               "Unggah lagi."))
    progress.total(0, str(_l("Membaca berkas")))
    return employee_import.read_rows(path.read_bytes(), current_app.config["IMPORT_MAX_ROWS"])


def _row(row) -> dict:
    return {"row_number": row.row_number, "nip": row.nip, "name": row.name, "action": row.action,
            "errors": [str(e) for e in row.errors], "master_data": row.master_data}


def _outcome(plan) -> dict:
    return {"summary": plan.summary,
            "bad_rows": [_row(r) for r in plan.bad_rows[:SHOWN_BAD_ROWS]],
            # One more than is shown: the page says "the first 200" when there are more.
            "rows": [_row(r) for r in plan.rows if r.action != "error"][:SHOWN_GOOD_ROWS + 1],
            "unknown_unit_codes": sorted(getattr(plan, "unknown_unit_codes", ()))}


def _check(job: Job, progress: Progress) -> Result:
    rows = _rows(job, progress, job)
    progress.total(len(rows), str(_l("Memeriksa baris")))
    plan = employee_import.plan_import(rows, progress=progress.step)
    return Result(outcome=_outcome(plan))


def _save(job: Job, progress: Progress) -> Result:
    check = db.session.get(Job, job.params["check"])
    if check is None:
        raise RuleViolation(_l("Tidak ada berkas yang menunggu disimpan. Unggah lagi."))
    rows = _rows(job, progress, check)
    progress.total(len(rows), str(_l("Memeriksa dan menyimpan baris")))
    plan = employee_import.apply_import(job.user, rows, job.params.get("filename", ""),
                                        progress=progress.step)
    (jobs.input_folder(check) / UPLOAD_NAME).unlink(missing_ok=True)
    return Result(outcome=_outcome(plan))


jobs.define(CHECK, _l("Pemeriksaan berkas impor pegawai"), _check, _may_view)
jobs.define(SAVE, _l("Impor pegawai"), _save, _may_view)

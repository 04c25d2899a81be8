"""Background jobs: what was started, by whom, how far it got, and the file it made.

The kernel holds the generic part (the table, the lifecycle, the result files, the kinds'
registry) because every area has long work to hand off (the employee import in organisation,
IKM exports in feedback, bulk printing in appraisal) and the kernel is the one layer they all
sit on; it imports no area. Each area defines its kinds next to the services they call. The
queue that carries a job id to a worker is kinerja.core.queue.

A job's rows are ours and not the queue's: the page shows them, access is checked against
them, and they survive a queue that is emptied or swapped (SQLite on the default install,
Redis in production).
"""
from __future__ import annotations

import logging
import re
import secrets
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from flask import current_app
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from kinerja.core.errors import NotAllowed, RuleViolation
from kinerja.core.labels import LabelledEnum
from kinerja.core.types import UTCDateTime, enum_column, utcnow
from kinerja.extensions import db

if TYPE_CHECKING:  # the kernel names the account table by name; it imports no area
    from kinerja.organisation.models import User

log = logging.getLogger(__name__)
# One line per finished job, beside kinerja.requests' one per request.
job_log = logging.getLogger("kinerja.jobs")

RESULTS_FOLDER = "jobs"
# A job that reported nothing for this long died with its process (a restart, a crash).
STALLED_AFTER = timedelta(minutes=30)
FAILED_WITHOUT_REASON = _l("Pekerjaan gagal karena kesalahan di server. Coba lagi; bila terulang, "
                           "hubungi admin.")


class JobStatus(LabelledEnum):
    QUEUED = "queued", _l("Menunggu giliran")
    RUNNING = "running", _l("Sedang dikerjakan")
    DONE = "done", _l("Selesai")
    FAILED = "failed", _l("Gagal")

    @property
    def finished(self) -> bool:
        return self in (JobStatus.DONE, JobStatus.FAILED)


class Job(db.Model):
    __tablename__ = "jobs"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"),
                                                index=True)
    kind: Mapped[str] = mapped_column(String(40))
    params: Mapped[dict] = mapped_column(JSON, default=dict)
    # The starter's language: the worker writes messages and documents in it.
    locale: Mapped[str] = mapped_column(String(10), default="id")
    status: Mapped[JobStatus] = mapped_column(enum_column(JobStatus), default=JobStatus.QUEUED)
    done: Mapped[int] = mapped_column(default=0)
    total: Mapped[int] = mapped_column(default=0)
    message: Mapped[str] = mapped_column(String(500), default="")
    # Relative to the instance folder; None until done, and again once the file is cleaned.
    result_path: Mapped[str | None] = mapped_column(String(300))
    result_name: Mapped[str] = mapped_column(String(200), default="")
    result_type: Mapped[str] = mapped_column(String(100), default="")
    # What the page shows of a result without a file (the import's counts and bad rows).
    outcome: Mapped[dict] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    user: Mapped[User | None] = relationship("User")

    @property
    def percent(self) -> int:
        if self.status is JobStatus.DONE:
            return 100
        return min(99, self.done * 100 // self.total) if self.total else 0

    @property
    def label(self) -> str:
        return str(kind_of(self).label) if self.kind in KINDS else self.kind

    @property
    def has_file(self) -> bool:
        return self.status is JobStatus.DONE and bool(self.result_path)

    def stalled(self, now: datetime | None = None) -> bool:
        """Reported nothing for a long while: its process died, or no worker runs."""
        return not self.status.finished and (now or utcnow()) - self.updated_at > STALLED_AFTER


@dataclass
class Result:
    """What a job hands back: a file to download, and/or words and figures for its page."""
    data: bytes | None = None
    filename: str = ""
    mimetype: str = "application/octet-stream"
    message: str = ""
    outcome: dict | None = None


class Progress:
    """Handed to a job's work: `step(n)` after each piece, `total` once it is known. Writes
    are spaced (each is a short transaction of its own) so a thousand small pieces cost a few
    updates. On SQLite, report while reading, not in the middle of a write transaction (the
    progress write would wait for it)."""

    def __init__(self, job_id: int):
        self.job_id = job_id
        self._last = 0.0

    def total(self, total: int, message: str = "") -> None:
        _update(self.job_id, total=total, message=message)

    def step(self, done: int, message: str = "") -> None:
        now = utcnow().timestamp()
        if now - self._last >= 0.5:
            self._last = now
            _update(self.job_id, done=done, message=message)


@dataclass
class Kind:
    name: str
    label: object
    run: Callable[[Job, Progress], Result]
    # Who may see the job besides its starter passing this too: the right that let them start
    # it, checked again at every read (a head moved to another unit loses the unit's ZIP).
    may_view: Callable[[User, Job], bool]


KINDS: dict[str, Kind] = {}


def define(name: str, label, run: Callable[[Job, Progress], Result],
           may_view: Callable[[User, Job], bool]) -> Kind:
    KINDS[name] = Kind(name, label, run, may_view)
    return KINDS[name]


def kind_of(job: Job) -> Kind:
    return KINDS[job.kind]


# Presentation (a PDF, a workbook) is the HTTP shell's (web/), which no area may import: the
# faces register a presenter under a name at import, and a job's work asks for it by that name.
PRESENTERS: dict[str, Callable[..., bytes]] = {}


def presenter(name: str):
    def register(make: Callable[..., bytes]):
        PRESENTERS[name] = make
        return make
    return register


def present(name: str, **values) -> bytes:
    return PRESENTERS[name](**values)


# ------------------------------------------------------------------------------ lifecycle


def start(actor: User, kind: str, params: dict, locale: str = "id") -> Job:
    """Record the job and put it on the queue. The row is committed first: a worker on another
    process (or thread) must find it."""
    if kind not in KINDS:
        raise ValueError(f"unknown job kind {kind!r}")
    job = Job(user_id=actor.id if actor else None, kind=kind, params=params, locale=locale)
    db.session.add(job)
    db.session.commit()
    from kinerja.core import queue  # noqa: PLC0415 - the queue imports this module

    queue.enqueue(job.id)
    db.session.refresh(job)  # an immediate queue (tests) may have run it already
    return job


def _update(job_id: int, **values) -> None:
    # On a connection of its own: a commit of the job's session would expire every object the
    # work has loaded (50,000 employees of an import, loaded again one by one).
    with db.engine.begin() as connection:
        connection.execute(db.update(Job).where(Job.id == job_id)
                           .values(updated_at=utcnow(), **values))


def run(job_id: int) -> None:
    """Carry out one job (called by the queue's worker, inside an app context). Nothing escapes:
    a failure is logged with its traceback and shown to the user in words. Every job ends with
    one structured log line, as every request does (ids and figures only, never its data)."""
    with db.engine.begin() as connection:
        taken = connection.execute(db.update(Job).where(
            Job.id == job_id, Job.status == JobStatus.QUEUED).values(
            status=JobStatus.RUNNING, updated_at=utcnow())).rowcount
    if not taken:
        return  # deleted, or taken already (a queue that delivered twice)
    started = time.perf_counter()
    job = db.session.get(Job, job_id)
    kind, user_id = job.kind, job.user_id
    waited = utcnow() - job.created_at
    status = _carry_out(job)
    job_log.info("job", extra={
        "job_id": job_id,
        "kind": kind,
        "status": status.value,
        "user_id": user_id,
        "wait_ms": round(waited.total_seconds() * 1000, 1),
        "duration_ms": round((time.perf_counter() - started) * 1000, 1),
    })


def _carry_out(job: Job) -> JobStatus:
    job_id, job_kind = job.id, KINDS.get(job.kind)
    with force_locale(job.locale):
        try:
            if job_kind is None:
                raise LookupError(f"no job kind {job.kind!r} in this process")
            result = job_kind.run(job, Progress(job.id))
            db.session.commit()
            path = _store(job, result) if result.data is not None else None
        except NotAllowed:
            db.session.rollback()
            _finish(job_id, JobStatus.FAILED, str(_l("Anda tidak lagi berhak atas data ini.")))
            return JobStatus.FAILED
        except RuleViolation as problem:
            db.session.rollback()
            log.info("job %s (%s) refused: %s", job_id, job.kind, problem.message)
            _finish(job_id, JobStatus.FAILED, str(problem.message))
            return JobStatus.FAILED
        except Exception:
            db.session.rollback()
            log.exception("job %s (%s) failed", job_id, job.kind)
            _finish(job_id, JobStatus.FAILED, str(FAILED_WITHOUT_REASON))
            return JobStatus.FAILED
        _finish(job_id, JobStatus.DONE, result.message, result_path=path,
                result_name=safe_file_name(result.filename) if path else "",
                result_type=result.mimetype if path else "", outcome=result.outcome or {})
        return JobStatus.DONE


def _finish(job_id: int, status: JobStatus, message: str, **values) -> None:
    done = {"done": Job.total} if status is JobStatus.DONE else {}
    _update(job_id, status=status, message=message[:500], finished_at=utcnow(), **done, **values)


def _results_root() -> Path:
    return Path(current_app.instance_path) / RESULTS_FOLDER


def _store(job: Job, result: Result) -> str:
    # A folder per job with an unguessable part: the name in the download is the user's.
    folder = _results_root() / f"{job.id}-{secrets.token_hex(8)}"
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / safe_file_name(result.filename)
    target.write_bytes(result.data)
    return str(target.relative_to(current_app.instance_path))


def input_folder(job: Job) -> Path:
    """Where a job's input (an uploaded file) waits for the worker."""
    folder = _results_root() / f"input-{job.id}"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def result_file(job: Job) -> Path | None:
    """The result's path when it is still there (never outside the results folder)."""
    if not job.has_file:
        return None
    path = (Path(current_app.instance_path) / job.result_path).resolve()
    if not path.is_relative_to(_results_root().resolve()) or not path.is_file():
        return None
    return path


def safe_file_name(text: str, fallback: str = "hasil") -> str:
    """A download name without folders or odd characters: `rekap-predikat-2026.xlsx`."""
    stem, dot, extension = text.rpartition(".")
    if not dot:
        stem, extension = text, ""
    stem = re.sub(r"[^0-9A-Za-z]+", "-", stem).strip("-").lower()[:80] or fallback
    extension = re.sub(r"[^0-9A-Za-z]", "", extension).lower()[:8]
    return f"{stem}.{extension}" if extension else stem


# ------------------------------------------------------------------------------ reading


def recent_of(user: User, limit: int = 20) -> list[Job]:
    return db.session.scalars(db.select(Job).where(Job.user_id == user.id)
                              .order_by(Job.created_at.desc(), Job.id.desc()).limit(limit)).all()


# ------------------------------------------------------------------------------ upkeep


def clean_up(keep: timedelta, now: datetime | None = None) -> int:
    """Delete result files older than `keep` (their rows stay, saying the file is gone), and
    mark jobs that stalled as failed. Returns the number of files removed."""
    now = now or utcnow()
    removed = 0
    old = db.session.scalars(db.select(Job).where(
        Job.finished_at < now - keep, Job.result_path.is_not(None))).all()
    for job in old:
        path = Path(current_app.instance_path) / job.result_path
        shutil.rmtree(path.parent, ignore_errors=True)
        job.result_path = None
        removed += 1
    for job in db.session.scalars(db.select(Job).where(
            Job.status.in_([JobStatus.QUEUED, JobStatus.RUNNING]),
            Job.updated_at < now - STALLED_AFTER)):
        job.status, job.finished_at = JobStatus.FAILED, now
        job.message = str(_l("Pekerjaan terhenti (server dimulai ulang atau tidak ada proses "
                             "pekerja). Jalankan lagi."))
    db.session.commit()
    for folder in _results_root().glob("input-*") if _results_root().exists() else ():
        if now.timestamp() - folder.stat().st_mtime > keep.total_seconds():
            shutil.rmtree(folder, ignore_errors=True)
    return removed

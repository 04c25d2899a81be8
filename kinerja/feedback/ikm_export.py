"""IKM report exports (Excel, PDF) over long ranges as background jobs.

A range beyond IKM_EXPORT_DIRECT_DAYS reads many months of rollups for every counter in scope;
the report page then queues the file instead of making the reader wait for it. The figures come
from ikm_report as for the page; the file is drawn by the presenter the portal registers.
"""
from dataclasses import dataclass
from datetime import date

from flask import current_app
from flask_babel import lazy_gettext as _l

from kinerja.core import jobs
from kinerja.core.errors import RuleViolation
from kinerja.core.jobs import Job, Progress, Result
from kinerja.feedback import ikm_report, ikm_scope
from kinerja.feedback.ikm_report import Report
from kinerja.organisation import access
from kinerja.organisation.letterhead import Letterhead, letterhead
from kinerja.organisation.models import User

KIND = "ikm_export"
FORMATS = {"xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
           "pdf": "application/pdf"}


@dataclass
class Export:
    """What a presenter draws a file from: the figures and the document's head."""
    report: Report
    letterhead: Letterhead
    today: date


def runs_in_background(start: date, end: date) -> bool:
    return (end - start).days + 1 > current_app.config["IKM_EXPORT_DIRECT_DAYS"]


def start(actor: User, args: dict, file_format: str, locale: str) -> Job:
    """Queue the report of `args` (the report page's query, as plain values) as a file."""
    if file_format not in FORMATS:
        raise RuleViolation(_l("Format tidak dikenal."))
    return jobs.start(actor, KIND, {"args": args, "format": file_format}, locale)


def file_name(export: Export, file_format: str) -> str:
    scope = export.report.scope
    code = scope.counter or scope.unit or scope.service
    label = code.code if code is not None else "semua"
    return (f"ikm-{label}-{export.report.start:%Y%m%d}-{export.report.end:%Y%m%d}"
            f".{file_format}").lower()


def _int(value) -> int | None:
    return int(value) if value not in (None, "") else None


def _run(job: Job, progress: Progress) -> Result:
    args, file_format = job.params["args"], job.params["format"]
    progress.total(2, str(_l("Menghitung IKM")))
    scope, _unknown = ikm_scope.reader_scope(
        job.user, _int(args.get("unit")), _int(args.get("counter")), _int(args.get("service")),
        subunits=args.get("subunits") != "0")
    start_day, end_day = date.fromisoformat(args["from"]), date.fromisoformat(args["to"])
    ikm_scope.check_range(start_day, end_day)
    report = ikm_report.report(scope, start_day, end_day, _int(args.get("population")),
                               with_services=True)
    export = Export(report, letterhead(scope.home_unit), ikm_scope.reporting_day(job.user, scope))
    progress.step(1, str(_l("Menyusun berkas")))
    data = jobs.present(f"ikm.{file_format}", export=export)
    return Result(data, file_name(export, file_format), FORMATS[file_format])


def _may_view(user: User, job: Job) -> bool:
    return access.sees_ikm_reports(user)


jobs.define(KIND, _l("Ekspor laporan IKM"), _run, _may_view)

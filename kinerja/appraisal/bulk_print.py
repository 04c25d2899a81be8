"""Bulk print: every SKP, or every evaluation at one point, of a unit's employees for a period,
as one ZIP of PDFs (one per employee), made in the background. Also the predikat recap as a
background export.

HR prints any unit; a head of unit prints the units they lead (and those below). Each PDF is
the same document as the single download (appraisal_documents, drawn by the portal's presenter),
so a printed stack and a single file never differ.
"""
import io
import re
import zipfile
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from kinerja.appraisal import appraisal_documents, appraisals
from kinerja.appraisal.distribution import ANNUAL as RECAP_ANNUAL
from kinerja.appraisal.distribution import At
from kinerja.appraisal.models import Evaluation, EvaluationKind
from kinerja.core import calendar, jobs
from kinerja.core.errors import NotAllowed, RuleViolation
from kinerja.core.jobs import Job, Progress, Result
from kinerja.extensions import db
from kinerja.organisation import access, tree
from kinerja.organisation.models import Employee, Unit, User
from kinerja.performance import skps
from kinerja.performance.models import Period, Skp, SkpStatus

KIND, RECAP_KIND = "bulk_print", "predikat_recap"
SKP, EVALUATION = "skp", "evaluasi"
DOCUMENTS = {SKP: _l("SKP"), EVALUATION: _l("Evaluasi kinerja")}
ANNUAL = "tahunan"
MISSING_LIST = "belum-ada-dokumen.txt"


def may_print(user: User, unit: Unit) -> bool:
    return access.can_view_unit_performance(user, unit)


def printable_units(user: User) -> list[Unit]:
    """The units the user may print, in the tree's order (HR: every unit)."""
    units = db.session.scalars(db.select(Unit).where(Unit.active.is_(True))
                               .order_by(Unit.code)).all()
    return [u for u in units if may_print(user, u)]


@dataclass(frozen=True)
class Request:
    unit: Unit
    period: Period
    document: str
    point: str = ANNUAL  # evaluations: "tahunan" or the month / quarter number
    subunits: bool = True


def _point(period: Period, raw: str) -> appraisals.Point:
    if raw == ANNUAL:
        found = appraisals.point_of(period, EvaluationKind.ANNUAL, 0)
    else:
        found = appraisals.point_of(period, EvaluationKind.PERIODIC, int(raw)) \
            if raw.isdigit() and len(raw) < 3 else None
    if found is None:
        raise RuleViolation(_l("Periode %(year)s tidak memiliki titik evaluasi itu (periode ini "
                               "%(cadence)s).", year=period.year, cadence=period.cadence.label),
                            "point")
    return found


def start(actor: User, wanted: Request, locale: str) -> Job:
    if not may_print(actor, wanted.unit):
        raise NotAllowed
    if wanted.document not in DOCUMENTS:
        raise RuleViolation(_l("Pilih SKP atau evaluasi."), "document")
    if wanted.document == EVALUATION:
        _point(wanted.period, wanted.point)
    return jobs.start(actor, KIND, {
        "unit": wanted.unit.id, "period": wanted.period.id, "document": wanted.document,
        "point": wanted.point, "subunits": wanted.subunits}, locale)


def _slug(text: str) -> str:
    return re.sub(r"[^0-9A-Za-z]+", "-", text).strip("-").lower()[:60]


def employees_of(unit: Unit, subunits: bool) -> list[Employee]:
    ids = tree.subtree_ids(unit) if subunits else {unit.id}
    return db.session.scalars(
        db.select(Employee).join(Unit, Unit.id == Employee.unit_id)
        .where(Employee.active.is_(True), Employee.unit_id.in_(ids))
        .options(db.contains_eager(Employee.unit))
        .order_by(Unit.code, Employee.name, Employee.id)).all()


def _documents(people: list[Employee], period: Period, document: str, point_raw: str) -> dict:
    """employee id -> the SKP or evaluation to print (one query)."""
    ids = [e.id for e in people]
    # After a transfer someone has several plans a year: the one running now is printed (the
    # last one of a past year), and of a point's evaluations the later plan's.
    if document == SKP:
        return skps.skps_covering(ids, period, skps.month_in(period, calendar.today_in()))
    point = _point(period, point_raw)
    found = db.session.scalars(db.select(Evaluation).join(Skp, Evaluation.skp_id == Skp.id).where(
        Evaluation.period_id == period.id, Evaluation.employee_id.in_(ids),
        Evaluation.kind == point.kind, Evaluation.point == point.number)
        .order_by(Skp.first_month))
    return {evaluation.employee_id: evaluation for evaluation in found}


def _entry_name(employee: Employee, period: Period, document: str, point_raw: str, record,
                folders: bool) -> str:
    point = "" if document == SKP else f"-{point_raw}"
    draft = (record.status is not SkpStatus.APPROVED) if document == SKP else not record.is_set
    name = (f"{document}-{period.year}{point}-{employee.nip}-{_slug(employee.name)}"
            f"{'-draf' if draft else ''}.pdf")
    return f"{employee.unit.code.lower()}/{name}" if folders else name


def zip_name(unit: Unit, period: Period, document: str, point_raw: str) -> str:
    point = "" if document == SKP else f"-{point_raw}"
    return f"{document}{point}-{unit.code.lower()}-{period.year}.zip"


def _run(job: Job, progress: Progress) -> Result:
    params = job.params
    unit, period = db.session.get(Unit, params["unit"]), db.session.get(Period, params["period"])
    if unit is None or period is None:
        raise RuleViolation(_l("Unit atau periode sudah tidak ada."))
    if not may_print(job.user, unit):
        raise NotAllowed
    document, point_raw = params["document"], params["point"]
    people = [e for e in employees_of(unit, params["subunits"])
              if access.can_view_performance(job.user, e)]
    records = _documents(people, period, document, point_raw)
    if not records:
        what = str(DOCUMENTS[document])
        if document == EVALUATION:
            what += " " + _point(period, point_raw).label
        raise RuleViolation(_l("Belum ada %(what)s untuk %(unit)s pada periode %(year)s.",
                               what=what, unit=unit.name, year=period.year))
    folders = len({e.unit_id for e in people}) > 1
    progress.total(len(records), str(_l("Membuat PDF")))
    buffer, missing = io.BytesIO(), []
    presenter = "appraisal.skp_pdf" if document == SKP else "appraisal.evaluation_pdf"
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        done = 0
        for employee in people:
            record = records.get(employee.id)
            if record is None:
                missing.append(f"{employee.nip}\t{employee.name}\t{employee.unit.name}")
                continue
            pdf = jobs.present(presenter, record=record)
            archive.writestr(_entry_name(employee, period, document, point_raw, record, folders), pdf)
            done += 1
            progress.step(done, employee.name)
        if missing:
            archive.writestr(MISSING_LIST, "\n".join([str(_l("Belum ada dokumen untuk:")), *missing]) + "\n")
    message = str(_l("%(n)s PDF dalam satu ZIP.", n=len(records)))
    if missing:
        message += " " + str(_l("%(n)s pegawai belum punya dokumen ini (lihat %(file)s).",
                                n=len(missing), file=MISSING_LIST))
    return Result(buffer.getvalue(), zip_name(unit, period, document, point_raw), "application/zip",
                  message)


def _may_view(user: User, job: Job) -> bool:
    unit = db.session.get(Unit, job.params.get("unit"))
    return unit is not None and may_print(user, unit)


jobs.define(KIND, _l("Cetak massal"), _run, _may_view)


# ---------------------------------------------------------------- the predikat recap


def start_recap(actor: User, period: Period, locale: str, at: At = RECAP_ANNUAL) -> Job:
    if not access.sees_predikat_recap(actor):
        raise NotAllowed
    return jobs.start(actor, RECAP_KIND, {"period": period.id, "kind": at.kind.value,
                                          "point": at.point}, locale)


def _run_recap(job: Job, progress: Progress) -> Result:
    period = db.session.get(Period, job.params["period"])
    if period is None:
        raise RuleViolation(_l("Periode sudah tidak ada."))
    progress.total(2, str(_l("Menghitung predikat per unit")))
    # Jobs queued before points existed are the annual recap.
    at = At(job.params.get("kind", "tahunan"), job.params.get("point", 0))
    recap = appraisal_documents.predikat_recap(job.user, period, at)
    progress.step(1, str(_l("Menyusun berkas")))
    data = jobs.present("xlsx", sheets=appraisal_documents.recap_sheets(recap))
    return Result(data, f"rekap-predikat-{period.year}-{at.key}.xlsx",
                  "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


jobs.define(RECAP_KIND, _l("Rekap predikat"), _run_recap,
            lambda user, job: access.sees_predikat_recap(user))

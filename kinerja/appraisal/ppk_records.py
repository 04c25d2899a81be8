"""Decisions of the PPK recorded by HR: when the Bupati/Wali Kota signs on paper, HR transcribes
the ratings or the objection's decision and attaches the signed scan. The scan is required (no
scan, no record: HR never decides in the PPK's place), goes through the evidence checks (type
by content, size) and is kept as evidence of the appraised employee; the documents then say
who decided and who recorded it."""
from flask_babel import lazy_gettext as _l

from kinerja.appraisal.models import Evaluation, PpkRecord, PpkStep
from kinerja.core import audit
from kinerja.core.errors import RuleViolation
from kinerja.extensions import db
from kinerja.organisation.models import Employee, User
from kinerja.performance import evidence


def keep_scan(actor: User, evaluation: Evaluation, scan):
    """Check and keep the signed scan (`scan`: (stream, filename), or None) before anything of
    the decision changes: no scan, or one the evidence checks refuse, and nothing is recorded."""
    if scan is None or scan[0] is None:
        raise RuleViolation(_l("Lampirkan pindaian keputusan yang ditandatangani PPK; tanpa "
                               "dokumen itu HR tidak dapat mencatat keputusan PPK."), field="scan")
    stream, filename = scan
    data = evidence.read_upload(stream)
    return evidence.store(actor, evaluation.employee, data, filename or "keputusan-ppk.pdf")


def record(actor: User, evaluation: Evaluation, step: PpkStep, ppk: Employee, scan) -> PpkRecord:
    """The record of the PPK's decision with its kept scan; the caller commits with the
    decision itself."""
    kept = PpkRecord(evaluation=evaluation, step=step, ppk=ppk, scan=scan, recorded_by=actor)
    db.session.add(kept)
    db.session.flush()
    audit.record("ppk.decision_recorded", actor=actor, subject=evaluation,
                 summary=f"{ppk.name}: {evaluation.employee.name}", step=step.value,
                 scan_id=scan.id)
    return kept


def records_of(evaluation: Evaluation) -> dict[PpkStep, PpkRecord]:
    return {r.step: r for r in db.session.scalars(
        db.select(PpkRecord).where(PpkRecord.evaluation_id == evaluation.id)
        .options(db.joinedload(PpkRecord.recorded_by), db.joinedload(PpkRecord.scan)))}


def note(kept: PpkRecord) -> str:
    """The line a document prints under a decision HR recorded for the PPK."""
    return str(_l("Ditetapkan oleh PPK; dicatat oleh %(hr)s berdasarkan dokumen bertanda "
                  "tangan.", hr=kept.recorded_by.display_name))

"""Results on their way to SIASN: every final evaluation becomes an outbox entry, which a worker
sends exactly once, and HR sees as a queue (waiting, sent with BKN's id, refused with BKN's
reason, to fix and send again).

Exactly once, also when the app or BKN goes down mid-send:
- an entry is one version of one evaluation's result (unique per evaluation and result): the
  sweep that finds final evaluations adds nothing for a result already queued;
- a worker claims an entry with a conditional UPDATE, so two workers never send the same one;
  an entry left "sending" by a worker that died is taken up again after CLAIM_TIMEOUT;
- before creating a record, the sender looks in BKN's records of that person for one of the
  same year and months (a send whose answer was lost, or a record typed in SIASN by hand) and
  updates it instead; a later version of the result (a decided objection) updates the record
  the first one made. A record is therefore written once and then only updated.
"""
from __future__ import annotations

import hashlib
import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from flask import current_app
from flask_babel import lazy_gettext as _l

from kinerja.appraisal.appraisal_documents import point_months
from kinerja.appraisal.models import Evaluation, EvaluationKind, EvaluationStatus
from kinerja.core import audit, jobs, queue
from kinerja.core.calendar import Cadence
from kinerja.core.errors import RuleViolation
from kinerja.core.jobs import Job, Progress, Result
from kinerja.core.types import utcnow
from kinerja.extensions import db
from kinerja.integration import siasn
from kinerja.integration.models import (
    OutboxStatus,
    SiasnCall,
    SiasnOutbox,
    SiasnPerson,
    SiasnReference,
)
from kinerja.organisation import access, identity
from kinerja.organisation.asn import PositionKind
from kinerja.organisation.models import Employee, User

log = logging.getLogger(__name__)

# Results that are set: sent when set, and again (as an update) when an objection changes them.
SENDABLE = (EvaluationStatus.FINAL, EvaluationStatus.ACKNOWLEDGED, EvaluationStatus.OBJECTED,
            EvaluationStatus.DECIDED)
CLAIM_TIMEOUT = timedelta(minutes=10)
REFERENCES_KEPT = timedelta(days=7)
# SIASN's document references (the public SDKs use them): a periodic performance record's, and
# the yearly SKP's (skp22), under which the annual evaluation document goes.
DEFAULT_DOCUMENT_REFERENCE = "890"
ANNUAL_DOCUMENT_REFERENCE = "873"
# Our words -> the names in BKN's reference lists (compared case-insensitively).
RATING_NAMES = {"di_atas": "di atas ekspektasi", "sesuai": "sesuai ekspektasi",
                "di_bawah": "di bawah ekspektasi"}
PREDIKAT_NAMES = {"sangat_baik": "sangat baik", "baik": "baik", "butuh_perbaikan": "butuh perbaikan",
                  "kurang": "kurang/misconduct", "sangat_kurang": "sangat kurang"}


class PayloadProblem(RuleViolation):
    """The result cannot be put in SIASN's words yet (something to fix here, not at BKN)."""


# ---------------------------------------------------------------- the client, as the app uses it


def client() -> siasn.Client | None:
    """A client with the app's settings whose every call is recorded (siasn_calls), or None
    when SIASN is not configured."""
    settings = siasn.settings_from(current_app.config)
    if settings is None:
        return None
    return siasn.Client(settings, siasn.token_store_for(current_app.config), on_call=_record_call)


def _record_call(call: siasn.Call) -> None:
    # On a connection of its own: a call is kept even when the work around it rolls back.
    with db.engine.begin() as connection:
        connection.execute(db.insert(SiasnCall).values(
            at=utcnow(), method=call.method, endpoint=call.endpoint, subject=call.subject,
            status=call.status, ok=call.ok, duration_ms=call.duration_ms,
            message=call.message[:300]))


@dataclass(frozen=True)
class LinkStatus:
    configured: bool
    missing: list[str]
    last_reached_at: datetime | None    # the last call BKN answered without an error
    last_failure: SiasnCall | None
    counts: dict[OutboxStatus, int] = field(default_factory=dict)


def link_status() -> LinkStatus:
    config = current_app.config
    last_ok = db.session.scalar(db.select(db.func.max(SiasnCall.at)).where(SiasnCall.ok))
    last_failure = db.session.scalars(db.select(SiasnCall).where(~SiasnCall.ok)
                                      .order_by(SiasnCall.at.desc()).limit(1)).first()
    return LinkStatus(siasn.settings_from(config) is not None, siasn.missing_settings(config),
                      last_ok, last_failure, backlog())


def recent_calls(limit: int = 20) -> list[SiasnCall]:
    """The latest calls to BKN, newest first: the link's own audit trail."""
    return list(db.session.scalars(db.select(SiasnCall).order_by(SiasnCall.id.desc()).limit(limit)))


def backlog() -> dict[OutboxStatus, int]:
    counts = dict(db.session.execute(db.select(SiasnOutbox.status, db.func.count(SiasnOutbox.id))
                                     .group_by(SiasnOutbox.status)).all())
    return {status: counts.get(status, 0) for status in OutboxStatus}


# ---------------------------------------------------------------- the sweep: what is due


def result_digest(evaluation: Evaluation) -> str:
    """What makes a version: the ratings, the predikat and who appraised."""
    values = (evaluation.kind, evaluation.point, evaluation.result_rating, evaluation.behaviour_rating,
              evaluation.predikat, evaluation.appraiser_id)
    text = "|".join("" if value is None else str(getattr(value, "value", value)) for value in values)
    return hashlib.sha256(text.encode()).hexdigest()


def _new_versions() -> list[tuple[Evaluation, str, int]]:
    """(evaluation, result digest, version) for each set result not queued in its present form."""
    evaluations = db.session.scalars(db.select(Evaluation).where(
        Evaluation.status.in_(SENDABLE), Evaluation.predikat.is_not(None))).all()
    known = {(evaluation_id, digest): version for evaluation_id, digest, version in db.session.execute(
        db.select(SiasnOutbox.evaluation_id, SiasnOutbox.result_digest, SiasnOutbox.version))}
    latest: dict[int, int] = {}
    for (evaluation_id, _), version in known.items():
        latest[evaluation_id] = max(version, latest.get(evaluation_id, 0))
    found = []
    for evaluation in evaluations:
        digest = result_digest(evaluation)
        if (evaluation.id, digest) not in known:
            found.append((evaluation, digest, latest.get(evaluation.id, 0) + 1))
    return found


def enqueue_final() -> int:
    """Add an entry for each set result not queued yet in its present version; the number added."""
    found = _new_versions()
    for evaluation, digest, version in found:
        db.session.add(SiasnOutbox(evaluation_id=evaluation.id, result_digest=digest, version=version))
    db.session.commit()
    return len(found)


def plan() -> list[str]:
    """What a push would send now, in words (`flask siasn push --dry-run`); changes nothing."""
    lines = [f"new: evaluation {evaluation.id} ({evaluation.employee.nip}, {evaluation.period.year} "
             f"{evaluation.kind.value} {evaluation.point}) version {version}"
             for evaluation, _, version in _new_versions()]
    waiting = db.session.scalars(db.select(SiasnOutbox).where(
        SiasnOutbox.status == OutboxStatus.WAITING).order_by(SiasnOutbox.id)).all()
    lines += [f"waiting: evaluation {entry.evaluation_id} version {entry.version}"
              f"{' (last: ' + entry.last_error + ')' if entry.last_error else ''}" for entry in waiting]
    return lines or ["nothing to send"]


# ---------------------------------------------------------------- sending


@dataclass
class SendReport:
    sent: int = 0
    refused: int = 0
    waiting: int = 0   # left for a later try (BKN unavailable)

    def as_dict(self) -> dict:
        return {"sent": self.sent, "refused": self.refused, "waiting": self.waiting}


def send_due(bkn: siasn.Client, limit: int = 200, now: datetime | None = None) -> SendReport:
    """Send the entries that are due, oldest first."""
    now = now or utcnow()
    _release_stalled(now)
    report = SendReport()
    due = db.session.scalars(db.select(SiasnOutbox.id).where(
        SiasnOutbox.status == OutboxStatus.WAITING, SiasnOutbox.next_attempt_at <= now)
        .order_by(SiasnOutbox.id).limit(limit)).all()
    for entry_id in due:
        outcome = send_one(bkn, entry_id)
        if outcome is OutboxStatus.SENT:
            report.sent += 1
        elif outcome is OutboxStatus.REFUSED:
            report.refused += 1
        elif outcome is OutboxStatus.WAITING:
            report.waiting += 1
    return report


def _release_stalled(now: datetime) -> None:
    db.session.execute(db.update(SiasnOutbox).where(
        SiasnOutbox.status == OutboxStatus.SENDING, SiasnOutbox.claimed_at < now - CLAIM_TIMEOUT)
        .values(status=OutboxStatus.WAITING, uncertain=True))
    db.session.commit()


def _claim(entry_id: int) -> bool:
    taken = db.session.execute(db.update(SiasnOutbox).where(
        SiasnOutbox.id == entry_id, SiasnOutbox.status == OutboxStatus.WAITING).values(
        status=OutboxStatus.SENDING, claimed_at=utcnow(),
        attempts=SiasnOutbox.attempts + 1)).rowcount
    db.session.commit()
    return bool(taken)


def send_one(bkn: siasn.Client, entry_id: int) -> OutboxStatus | None:
    """Send one entry if it is still waiting; its status afterwards (None: taken by another)."""
    if not _claim(entry_id):
        return None
    entry = db.session.get(SiasnOutbox, entry_id)
    evaluation = entry.evaluation
    nip = evaluation.employee.nip
    try:
        payload = build_payload(bkn, evaluation)
        entry.payload = payload
        # Committed before every call to BKN: no write may wait on the network (and each call's
        # record is written on a connection of its own, which SQLite would make wait on it).
        db.session.commit()
        annual = evaluation.kind is EvaluationKind.ANNUAL
        record_id = _bkn_record_id(bkn, entry, payload, nip, annual)
        if entry.document is None:
            entry.document = _upload_documents(bkn, evaluation, annual, nip)
            db.session.commit()  # an upload is not repeated when the save fails
        sent = {**payload, "path": entry.document}
        if record_id:
            sent["id"] = record_id
        save = bkn.save_annual if annual else bkn.save_periodic
        entry.bkn_id = save(sent, subject=nip)
    except PayloadProblem as problem:
        return _settle(entry, OutboxStatus.REFUSED, str(problem.message))
    except siasn.SiasnRefused as refusal:
        return _settle(entry, OutboxStatus.REFUSED, refusal.message)
    except siasn.SiasnError as failure:
        entry.uncertain = entry.uncertain or getattr(failure, "maybe_done", False)
        return _settle(entry, OutboxStatus.WAITING, failure.message, retry=True)
    except Exception:  # our own fault (the PDF, the database): logged, tried again later
        log.exception("SIASN outbox entry %s failed", entry_id)
        db.session.rollback()
        entry = db.session.get(SiasnOutbox, entry_id)
        entry.uncertain = True
        return _settle(entry, OutboxStatus.WAITING, str(_l("Kesalahan di server; dicoba lagi.")),
                       retry=True)
    entry.sent_at, entry.uncertain = utcnow(), False
    audit.record("siasn.sent", subject=evaluation, summary=f"SIASN {entry.bkn_id}",
                 version=entry.version, bkn_id=entry.bkn_id)
    return _settle(entry, OutboxStatus.SENT, None)


def _upload_documents(bkn: siasn.Client, evaluation: Evaluation, annual: bool, nip: str) -> list:
    """The evaluation PDF (a month's or quarter's), or for the year the SKP and the annual
    evaluation, uploaded; BKN's answers are what the record's `path` lists."""
    if not annual:
        reference = current_app.config.get("SIASN_DOCUMENT_REFERENCE") or DEFAULT_DOCUMENT_REFERENCE
        pdf = jobs.present("appraisal.evaluation_pdf", record=evaluation)
        return [bkn.upload_document(reference, f"evaluasi-{evaluation.id}.pdf", pdf, subject=nip)]
    skp_pdf = jobs.present("appraisal.skp_pdf", record=evaluation.skp)
    evaluation_pdf = jobs.present("appraisal.evaluation_pdf", record=evaluation)
    return [bkn.upload_document(ANNUAL_DOCUMENT_REFERENCE, f"skp-{evaluation.skp_id}.pdf", skp_pdf,
                                subject=nip),
            bkn.upload_document(ANNUAL_DOCUMENT_REFERENCE, f"evaluasi-{evaluation.id}.pdf",
                                evaluation_pdf, subject=nip)]


def _settle(entry: SiasnOutbox, status: OutboxStatus, error: str | None, retry: bool = False
            ) -> OutboxStatus:
    entry.status, entry.last_error, entry.claimed_at = status, (error or None) and error[:500], None
    if retry:
        # 1, 2, 4 ... minutes, at most six hours: BKN's outages are usually short, but a long
        # one must not turn into a storm of retries.
        entry.next_attempt_at = utcnow() + timedelta(minutes=min(2 ** (entry.attempts - 1), 360))
    db.session.commit()
    return status


def _bkn_record_id(bkn: siasn.Client, entry: SiasnOutbox, payload: dict, nip: str,
                  annual: bool) -> str | None:
    """The id of BKN's record this entry must update, if there is one: the one an earlier
    version made, or one BKN already holds for the same months or year (found in its records)."""
    earlier = db.session.scalar(db.select(SiasnOutbox.bkn_id).where(
        SiasnOutbox.evaluation_id == entry.evaluation_id, SiasnOutbox.bkn_id.is_not(None),
        SiasnOutbox.id != entry.id).order_by(SiasnOutbox.version.desc()).limit(1))
    if earlier:
        return earlier
    if annual:
        same, records = ("tahun",), bkn.annual_history(nip)
    else:
        same = ("tahun", "bulanMulaiPenilaian", "bulanSelesaiPenilaian", "periodikId")
        records = bkn.periodic_history(nip)
    for record in records:
        if all(record.get(key) == payload[key] for key in same) and record.get("id"):
            return str(record["id"])
    return None


def resend(actor: User, entry: SiasnOutbox) -> None:
    """HR sends a refused entry again once its cause is fixed (the payload is built afresh)."""
    if entry.status is not OutboxStatus.REFUSED:
        raise RuleViolation(_l("Hanya kiriman yang ditolak yang dapat dikirim ulang."))
    entry.status, entry.next_attempt_at, entry.resent_by_id = OutboxStatus.WAITING, utcnow(), actor.id
    audit.record("siasn.resend", actor=actor, subject=entry.evaluation,
                 summary=str(_l("Kirim ulang ke SIASN")), version=entry.version)
    db.session.commit()


def entries(status: OutboxStatus | None = None, limit: int = 200) -> list[SiasnOutbox]:
    query = db.select(SiasnOutbox).order_by(SiasnOutbox.id.desc()).limit(limit)
    if status is not None:
        query = query.where(SiasnOutbox.status == status)
    return list(db.session.scalars(query))


# ---------------------------------------------------------------- SIASN's words


def reference_ids(bkn: siasn.Client, name: str) -> dict[str, object]:
    """A reference list as {lower-case name: BKN's id}, kept a week with the date it was read."""
    kept = db.session.get(SiasnReference, name)
    if kept is None or kept.fetched_at < utcnow() - REFERENCES_KEPT:
        items = bkn.reference(name)
        if kept is None:
            kept = SiasnReference(name=name, items=items)
            db.session.add(kept)
        kept.items, kept.fetched_at = items, utcnow()
        db.session.commit()
    return {str(item.get("nama", "")).strip().lower(): item.get("id") for item in kept.items}


def kept_references() -> list[SiasnReference]:
    """The reference lists read from SIASN, with the date each was read."""
    return list(db.session.scalars(db.select(SiasnReference).order_by(SiasnReference.name)))


def _id_of(ids: dict[str, object], name: str, what: str):
    if name not in ids:
        raise PayloadProblem(_l("Referensi SIASN %(what)s tidak memuat \"%(name)s\".",
                                what=what, name=name))
    return ids[name]


def siasn_person_id(bkn: siasn.Client, employee: Employee) -> str:
    """The employee's id in SIASN, found by NIP once and kept."""
    kept = db.session.get(SiasnPerson, employee.id)
    if kept is not None:
        return kept.siasn_id
    try:
        person = bkn.data_utama(employee.nip)
    except siasn.SiasnNotFound:
        raise PayloadProblem(_l("NIP %(nip)s tidak ditemukan di SIASN.", nip=employee.nip)) from None
    if not person or not person.get("id"):
        raise PayloadProblem(_l("SIASN tidak memberi id untuk NIP %(nip)s.", nip=employee.nip))
    db.session.add(SiasnPerson(employee_id=employee.id, siasn_id=str(person["id"])))
    db.session.commit()
    return str(person["id"])


def build_payload(bkn: siasn.Client, evaluation: Evaluation) -> dict:
    """The evaluation in SIASN's vocabulary, its reference ids mapped: `kinerjaperiodik/save`'s
    for a month or quarter, `skp22/save`'s for the year."""
    ratings = reference_ids(bkn, "perilakuDanKinerja")
    quadrants = reference_ids(bkn, "kuadranNilai")
    if evaluation.result_rating is None or evaluation.behaviour_rating is None or evaluation.predikat is None:
        raise PayloadProblem(_l("Evaluasi belum lengkap dinilai."))
    year = evaluation.period.year
    payload = {
        "tahun": year,
        "hasilKinerjaNilai": _id_of(ratings, RATING_NAMES[evaluation.result_rating.value],
                                    "perilakuDanKinerja"),
        "perilakuKerjaNilai": _id_of(ratings, RATING_NAMES[evaluation.behaviour_rating.value],
                                     "perilakuDanKinerja"),
        "kuadranKinerjaNilai": _id_of(quadrants, PREDIKAT_NAMES[evaluation.predikat.value],
                                      "kuadranNilai"),
        "pnsDinilaiId": siasn_person_id(bkn, evaluation.employee),
    }
    if evaluation.kind is not EvaluationKind.ANNUAL:
        # A month or a quarter: kinerjaperiodik's fields; the year's result goes to skp22.
        months = point_months(evaluation)
        cadence = "triwulan" if evaluation.period.cadence is Cadence.QUARTERLY else "bulanan"
        payload.update({"bulanMulaiPenilaian": months[0], "bulanSelesaiPenilaian": months[-1],
                        "tahunMulaiPenilaian": year, "tahunSelesaiPenilaian": year,
                        "periodikId": _id_of(reference_ids(bkn, "periodik"), cadence, "periodik")})
    payload.update(_appraiser_fields(bkn, evaluation))
    payload.update(_coefficient(bkn, evaluation.employee))
    return payload


def _appraiser_fields(bkn: siasn.Client, evaluation: Evaluation) -> dict:
    """Who appraised, as SIASN asks: an ASN with NIP and golongan, or the PPK (the Bupati/Wali
    Kota) as NON ASN, without either."""
    appraiser = evaluation.appraiser
    if appraiser is None:
        raise PayloadProblem(_l("Evaluasi tidak mencatat pejabat penilai."))
    unit = appraiser.unit.name if appraiser.unit is not None else ""
    fields = {"penilaiNama": appraiser.name, "penilaiNipNrp": appraiser.nip or "",
              "penilaiJabatanNama": appraiser.position_name or str(_l("Pejabat Pembina Kepegawaian")),
              "penilaiUnorNama": unit or identity.current().government_name,
              "statusPenilai": "NON ASN" if appraiser.is_ppk else "ASN"}
    if not appraiser.is_ppk:
        if appraiser.rank is None:
            raise PayloadProblem(_l("Pangkat/golongan pejabat penilai %(name)s belum diisi.",
                                    name=appraiser.name))
        fields["penilaiGolongan"] = _id_of(reference_ids(bkn, "golonganPns"),
                                           appraiser.rank.value.lower(), "golonganPns")
    return fields


def _coefficient(bkn: siasn.Client, employee: Employee) -> dict:
    """A fungsional's koefisien (their jenjang's), which SIASN turns into angka kredit."""
    if employee.position_kind is not PositionKind.FUNGSIONAL or employee.jenjang is None:
        return {}
    return {"koefisienId": _id_of(reference_ids(bkn, "koefisien"),
                                  str(employee.jenjang.label).lower(), "koefisien")}


def pending(statuses: Iterable[OutboxStatus] = (OutboxStatus.WAITING, OutboxStatus.SENDING)) -> int:
    return db.session.scalar(db.select(db.func.count(SiasnOutbox.id))
                             .where(SiasnOutbox.status.in_(list(statuses)))) or 0


# ---------------------------------------------------------------- running it


def push_due() -> SendReport | None:
    """The worker's round (every few minutes) and `flask siasn push`: queue what became final,
    send what is due. Nothing when SIASN is not configured."""
    bkn = client()
    if bkn is None:
        return None
    with bkn:
        enqueue_final()
        return send_due(bkn)


queue.frequent("siasn.push")(push_due)


def _push_job(job: Job, progress: Progress) -> Result:
    report = push_due()
    if report is None:
        raise RuleViolation(_l("SIASN belum dikonfigurasi."))
    return Result(message=str(_l("Terkirim %(sent)s, ditolak %(refused)s, menunggu %(waiting)s.",
                                 **report.as_dict())), outcome=report.as_dict())


PUSH_JOB = "siasn_push"
jobs.define(PUSH_JOB, _l("Kirim hasil evaluasi ke SIASN"), _push_job,
            lambda user, job: access.manages_siasn(user) and job.user_id == user.id)

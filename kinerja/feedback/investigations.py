"""Investigations: what the seeds ask for when an alert fires (many complaints at one office, an
IKM of mutu C or D). A head of unit or HR opens one from the alert; it keeps what the alert said,
links the complaints and counters it concerns, and records findings, actions and a closing
decision. Every step is an audit event on the investigation; who may see or act on one is the
same as for the unit's complaints (access.can_handle_investigation).
"""
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import false

from kinerja.core import audit
from kinerja.core.errors import NotAllowed, RuleViolation
from kinerja.core.models import AuditEvent
from kinerja.core.types import utcnow
from kinerja.extensions import db
from kinerja.feedback import alerts
from kinerja.feedback.models import (
    Complaint,
    Investigation,
    InvestigationKind,
    InvestigationStatus,
)
from kinerja.organisation import access
from kinerja.organisation.models import ServiceCounter, Unit, User

MAX_TEXT = 5000
MAX_LINKED = 200  # complaints linked when opened; the rest stay reachable from the list


@dataclass(frozen=True)
class AlertKey:
    kind: str
    unit_id: int
    counter_id: int | None


def _require(actor: User, unit: Unit) -> None:
    if not access.can_handle_investigation(actor, unit):
        raise NotAllowed


def _current_alert(actor: User, key: AlertKey, now: datetime) -> alerts.Alert | None:
    for alert in alerts.alerts_for(actor, now):
        if AlertKey(alert.kind, alert.unit_id, alert.counter_id) == key:
            return alert
    return None


def _concerned(key: AlertKey, now: datetime) -> tuple[list[Complaint], list[ServiceCounter]]:
    """The complaints of the alert's window at its counter (or unit), and its counters: the
    alert's counter, or for a unit the counters those complaints came from (an IKM alert: the
    unit's active counters)."""
    days = (current_app.config["ALERT_WINDOW_DAYS"] if key.kind == alerts.COMPLAINTS
            else alerts.IKM_DAYS)
    query = (db.select(Complaint).where(Complaint.unit_id == key.unit_id,
                                        Complaint.received_at >= now - timedelta(days=days))
             .order_by(Complaint.received_at.desc()).limit(MAX_LINKED))
    if key.counter_id:
        query = query.where(Complaint.counter_id == key.counter_id)
    complaints = list(db.session.scalars(query))
    if key.counter_id:
        counters = [db.session.get(ServiceCounter, key.counter_id)]
    elif key.kind == alerts.COMPLAINTS:
        ids = {c.counter_id for c in complaints}
        counters = list(db.session.scalars(db.select(ServiceCounter).where(ServiceCounter.id.in_(ids))))
    else:
        counters = list(db.session.scalars(db.select(ServiceCounter).where(
            ServiceCounter.unit_id == key.unit_id, ServiceCounter.active.is_(True))))
    return complaints, counters


def open_from_alert(actor: User, kind: str | None, unit_id: int | None, counter_id: int | None,
                    now: datetime | None = None) -> Investigation:
    """Open an investigation of an alert that stands now. An alert that already has an open
    investigation gets that one back (never two at once)."""
    now = now or utcnow()
    unit = db.session.get(Unit, unit_id) if unit_id else None
    if unit is None or kind not in (alerts.COMPLAINTS, alerts.IKM):
        raise RuleViolation(_l("Peringatan tidak dikenal."))
    _require(actor, unit)
    key = AlertKey(kind, unit.id, counter_id or None)
    existing = alerts.open_investigations(actor).get((key.kind, key.unit_id, key.counter_id))
    if existing is not None:
        return db.session.get(Investigation, existing)
    alert = _current_alert(actor, key, now)
    if alert is None:
        raise RuleViolation(_l("Peringatan ini sudah tidak berlaku; tidak ada yang perlu diperiksa."))
    complaints, counters = _concerned(key, now)
    where = alert.counter_name or alert.unit_name
    title = (str(_l("Banyak pengaduan di %(where)s", where=where)) if kind == alerts.COMPLAINTS
             else str(_l("IKM mutu %(mutu)s di %(where)s", mutu=alert.mutu, where=where)))
    investigation = Investigation(
        unit_id=unit.id, counter_id=key.counter_id, kind=InvestigationKind(kind),
        alert_count=alert.count, alert_mutu=alert.mutu,
        alert_ikm=str(alert.converted) if alert.converted is not None else None,
        title=title[:200], status=InvestigationStatus.OPEN, opened_by_id=actor.id, opened_at=now,
        complaints=complaints, counters=counters)
    db.session.add(investigation)
    db.session.flush()
    audit.record("investigation.opened", actor=actor, subject=investigation, summary=title,
                 unit=unit.code, count=alert.count, mutu=alert.mutu,
                 ikm=investigation.alert_ikm, complaints=[c.id for c in complaints],
                 counters=[c.code for c in counters])
    db.session.commit()
    return investigation


def _clean(value: str | None, field: str) -> str | None:
    value = (value or "").strip()
    if len(value) > MAX_TEXT:
        raise RuleViolation(_l("Paling panjang %(n)s karakter.", n=MAX_TEXT), field)
    return value or None


def _require_open(investigation: Investigation) -> None:
    if not investigation.is_open:
        raise RuleViolation(_l("Pemeriksaan ini sudah ditutup dan tidak dapat diubah lagi."))


def record(actor: User, investigation: Investigation, findings: str | None,
           actions: str | None) -> Investigation:
    """The findings and the actions taken so far (while it is open)."""
    _require(actor, investigation.unit)
    _require_open(investigation)
    investigation.findings = _clean(findings, "findings")
    investigation.actions = _clean(actions, "actions")
    audit.record("investigation.updated", actor=actor, subject=investigation,
                 summary=investigation.title, findings=investigation.findings,
                 actions=investigation.actions)
    db.session.commit()
    return investigation


def close(actor: User, investigation: Investigation, findings: str | None, actions: str | None,
          decision: str | None) -> Investigation:
    """Closing needs the findings and the decision (what follows: nothing, training, a changed
    procedure, a sanction proposal ...); a closed investigation is final."""
    _require(actor, investigation.unit)
    _require_open(investigation)
    findings, actions = _clean(findings, "findings"), _clean(actions, "actions")
    decision = _clean(decision, "decision")
    if not findings:
        raise RuleViolation(_l("Tuliskan temuan pemeriksaan sebelum menutupnya."), "findings")
    if not decision:
        raise RuleViolation(_l("Tuliskan keputusan penutupan."), "decision")
    investigation.findings, investigation.actions, investigation.decision = findings, actions, decision
    investigation.status = InvestigationStatus.CLOSED
    investigation.closed_by_id = actor.id
    investigation.closed_at = utcnow()
    audit.record("investigation.closed", actor=actor, subject=investigation,
                 summary=investigation.title, findings=findings, actions=actions,
                 decision=decision)
    db.session.commit()
    return investigation


def investigation_list(user: User, status: str | None = None) -> list[Investigation]:
    """The investigations of the units the user oversees (HR: all), open first, newest first."""
    if not access.sees_investigations(user):
        raise NotAllowed
    scope = access.overseen_unit_ids(user)
    query = (db.select(Investigation)
             .options(db.joinedload(Investigation.unit), db.joinedload(Investigation.counter))
             .order_by(Investigation.status, Investigation.opened_at.desc(), Investigation.id.desc()))
    if scope is not None:
        query = query.where(Investigation.unit_id.in_(scope) if scope else false())
    known = {s.value: s for s in InvestigationStatus}
    if status in known:
        query = query.where(Investigation.status == known[status])
    return list(db.session.scalars(query))


def history(investigation: Investigation) -> list[AuditEvent]:
    return list(db.session.scalars(
        db.select(AuditEvent).where(AuditEvent.subject_type == "Investigation",
                                    AuditEvent.subject_id == investigation.id)
        .options(db.joinedload(AuditEvent.actor)).order_by(AuditEvent.occurred_at, AuditEvent.id)))

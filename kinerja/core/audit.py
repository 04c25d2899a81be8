"""Writing and reading the audit trail."""
from __future__ import annotations

from typing import TYPE_CHECKING

from kinerja.core.models import AuditEvent
from kinerja.extensions import db

if TYPE_CHECKING:
    from kinerja.organisation.models import User


def record(action: str, *, actor: User | None = None, subject=None, summary: str = "",
           ip_address: str | None = None, **details) -> AuditEvent:
    """Add an audit event to the current transaction; it commits with the change it describes."""
    event = AuditEvent(
        action=action,
        actor_id=actor.id if actor is not None else None,
        subject_type=type(subject).__name__ if subject is not None else None,
        subject_id=getattr(subject, "id", None),
        summary=summary[:500],
        ip_address=ip_address,
        details={key: value for key, value in details.items() if value is not None},
    )
    db.session.add(event)
    return event


def recent_events(page: int, per_page: int = 50, action: str | None = None):
    query = db.select(AuditEvent).order_by(AuditEvent.occurred_at.desc(), AuditEvent.id.desc())
    if action:
        query = query.where(AuditEvent.action.startswith(action))
    query = query.options(db.joinedload(AuditEvent.actor))
    return db.paginate(query, page=page, per_page=per_page, error_out=False)

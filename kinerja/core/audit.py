"""Writing the audit trail (kinerja.organisation.audit_trail reads it, in words)."""
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


"""SQLAlchemy models, one module per aggregate; imported here so Alembic sees every table."""
from kinerja.models.audit import AuditEvent
from kinerja.models.org import (
    Employee,
    Position,
    Service,
    ServiceCounter,
    TimeZone,
    Unit,
    UnitKind,
    User,
)

__all__ = [
    "AuditEvent",
    "Employee",
    "Position",
    "Service",
    "ServiceCounter",
    "TimeZone",
    "Unit",
    "UnitKind",
    "User",
]

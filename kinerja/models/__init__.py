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
from kinerja.models.skp import (
    Activity,
    ActivityStatus,
    Aspect,
    Cadence,
    Dialogue,
    Evidence,
    Feedback,
    Indicator,
    Period,
    PeriodStatus,
    Realisation,
    Rhk,
    RhkKind,
    Skp,
    SkpStatus,
    SkpVersion,
    UnitGoal,
)

__all__ = [
    "Activity", "ActivityStatus", "Aspect", "Cadence", "Dialogue", "Evidence", "Feedback",
    "Indicator", "Period", "PeriodStatus", "Realisation", "Rhk", "RhkKind", "Skp", "SkpStatus",
    "SkpVersion", "UnitGoal",
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

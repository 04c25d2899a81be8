"""SQLAlchemy models, one module per aggregate; imported here so Alembic sees every table."""
from kinerja.models.audit import AuditEvent
from kinerja.models.feedback import (
    Complaint,
    ComplaintStatus,
    DailyRollup,
    Kiosk,
    Rating,
    RosterEntry,
)
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
    ActivityRollup,
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
    "Complaint", "ComplaintStatus", "DailyRollup", "Kiosk", "Rating", "RosterEntry",
    "Activity", "ActivityRollup", "ActivityStatus", "Aspect", "Cadence", "Dialogue", "Evidence", "Feedback",
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

# ikm reports and the API
from kinerja.models.api import ApiToken  # noqa: E402

__all__ += ["ApiToken"]

# appraisals
from kinerja.models.appraisal import (  # noqa: E402
    BehaviourRating,
    DevelopmentPlan,
    DistributionLimit,
    Evaluation,
    EvaluationKind,
    EvaluationStatus,
    Notification,
    Objection,
    ObjectionStatus,
    PeerFeedbackRequest,
    ResultRating,
    TrainingCourse,
    TrainingRecord,
    TrainingStatus,
    UnitPredikat,
)

__all__ += ["BehaviourRating", "DevelopmentPlan", "DistributionLimit", "Evaluation",
            "EvaluationKind", "EvaluationStatus", "Notification", "Objection", "ObjectionStatus",
            "PeerFeedbackRequest", "ResultRating", "TrainingCourse", "TrainingRecord",
            "TrainingStatus", "UnitPredikat"]

# publication
from kinerja.models.publication import (  # noqa: E402
    FollowUpStatement,
    IkmPublication,
    PublicationStatus,
    StatementStatus,
)

__all__ += ["FollowUpStatement", "IkmPublication", "PublicationStatus", "StatementStatus"]

# recognition
from kinerja.models.recognition import (  # noqa: E402
    Award,
    AwardScope,
    AwardStatus,
    AwardWinner,
    CandidateChange,
    CandidateChangeKind,
    Nomination,
    RankingSnapshot,
)

__all__ += ["Award", "AwardScope", "AwardStatus", "AwardWinner", "CandidateChange",
            "CandidateChangeKind", "Nomination", "RankingSnapshot"]

# monthly rollups (issue 9: IKM reports at scale)
from kinerja.models.feedback import MonthlyRollup  # noqa: E402

__all__ += ["MonthlyRollup"]

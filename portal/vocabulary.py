"""The enums the portal's templates compare and label, registered as template globals: a
template writes `skp.status == SkpStatus.RETURNED` and `skp.status.label`, never the stored
Indonesian strings."""
from kinerja.appraisal.models import EvaluationStatus, ObjectionStatus, SanctionLevel, TrainingStatus
from kinerja.appraisal.predikat import Behaviour, OrganisationPredikat, Predikat, Rating
from kinerja.core.calendar import Cadence
from kinerja.core.jobs import JobStatus
from kinerja.feedback.models import ComplaintChannel, ComplaintStatus, InvestigationStatus, RatingFlag
from kinerja.performance.models import ActivityStatus, Aspect, PeriodStatus, RhkKind, SkpStatus
from kinerja.publication.models import PublicationStatus, StatementStatus
from kinerja.recognition.models import AwardScope, AwardStatus, CandidateChangeKind

ENUMS = {enum.__name__: enum for enum in (
    ActivityStatus, Aspect, AwardScope, AwardStatus, Behaviour, Cadence, CandidateChangeKind,
    ComplaintChannel, ComplaintStatus, EvaluationStatus, InvestigationStatus, JobStatus,
    ObjectionStatus, OrganisationPredikat, PeriodStatus, Predikat, PublicationStatus, Rating,
    RatingFlag, RhkKind, SanctionLevel, SkpStatus, StatementStatus, TrainingStatus)}


def register(state) -> None:
    state.app.jinja_env.globals.update(ENUMS)

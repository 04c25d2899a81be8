"""Reminders, run once a day by `flask send-reminders`: notifications for what is waiting
(evaluations due, returned SKPs, objections, missing daily reports, peer feedback due soon),
then the emails of every notification not emailed yet.

Each reminder has a key per thing and per day (or per evaluation point), so running the
command twice, or twice a day, stores nothing twice.
"""
import logging
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import and_, exists

from kinerja.appraisal.models import (
    Evaluation,
    EvaluationKind,
    EvaluationStatus,
    Objection,
    ObjectionStatus,
    PeerFeedbackRequest,
)
from kinerja.core import calendar, holidays, queue
from kinerja.core.calendar import Cadence
from kinerja.extensions import db
from kinerja.notifications import notifications
from kinerja.notifications.notifications import Pending, link_to
from kinerja.organisation import access
from kinerja.organisation.models import Employee, User
from kinerja.performance import leave
from kinerja.performance import skps as skps_module
from kinerja.performance.models import Activity, Period, Skp, SkpStatus
from kinerja.performance.periods import open_period

log = logging.getLogger(__name__)

# Peer feedback: remind the colleague from this many days before the deadline.
PEER_FEEDBACK_DUE_DAYS = 1


@dataclass
class Report:
    created: dict[str, int] = field(default_factory=dict)
    emailed: int = 0

    @property
    def total(self) -> int:
        return sum(self.created.values())


def latest_ended_point(period: Period, today: date) -> int | None:
    """The month (monthly cadence) or quarter (quarterly, ending in March, June, September,
    December) of `period` that ended most recently before `today`; None when none has."""
    if today.year < period.year:
        return None
    if today.year > period.year:
        return 4 if period.cadence is Cadence.QUARTERLY else 12
    if period.cadence is Cadence.QUARTERLY:
        return (today.month - 1) // 3 or None
    return today.month - 1 or None


def _hr_users() -> list[User]:
    return db.session.scalars(db.select(User).where(User.is_hr.is_(True), User.enabled.is_(True))
                              .order_by(User.id)).all()


def _accounts(employee_ids) -> dict[int, int]:
    """employee id -> enabled account id, in one query."""
    ids = list(set(employee_ids))
    if not ids:
        return {}
    return dict(db.session.execute(db.select(User.employee_id, User.id).where(
        User.employee_id.in_(ids), User.enabled.is_(True))).all())


def evaluations_due(period: Period, today: date) -> list[Pending]:
    """For the appraiser: team members with an approved SKP whose latest ended point has no
    set evaluation (HR for employees at the top of the chart)."""
    point = latest_ended_point(period, today)
    if point is None:
        return []
    set_already = exists().where(
        Evaluation.skp_id == Skp.id, Evaluation.kind == EvaluationKind.PERIODIC,
        Evaluation.point == point, Evaluation.status != EvaluationStatus.DRAFT)
    # Only the plan covering the point's last month is due (a transfer splits the year), and
    # nobody whose whole point was spent on CLTN or tugas belajar.
    first, last = (3 * point - 2, 3 * point) if period.cadence is Cadence.QUARTERLY \
        else (point, point)
    skps = db.session.scalars(
        db.select(Skp).join(Employee, Skp.employee_id == Employee.id)
        .where(skps_module.covering(period, last), Skp.status == SkpStatus.APPROVED,
               Employee.active.is_(True), ~set_already,
               ~leave.leave_covering(Employee.id, leave.month_span(period.year, first)[0],
                                     leave.month_span(period.year, last)[1]))
        .options(db.joinedload(Skp.employee), db.selectinload(Skp.closed_by)).order_by(Skp.id)).all()
    # A plan closed by a transfer is due to the supervisor of its months, not the current one.
    appraisers = {skp.id: access.appraiser_of(skp.employee, skp) for skp in skps}
    accounts = _accounts(a.id for a in appraisers.values() if a is not None)
    hr = [user.id for user in _hr_users()]
    pending = []
    for skp in skps:
        employee = skp.employee
        appraiser = appraisers[skp.id]
        if appraiser is not None:
            recipients = [accounts[appraiser.id]] if appraiser.id in accounts else []
        else:
            recipients = [u for u in hr if u != getattr(employee.user, "id", None)]
        for user_id in recipients:
            pending.append(Pending(
                user_id, "evaluation_due", f"evaluation_due:{skp.id}:{point}",
                link_to("portal.skp_detail", skp_id=skp.id),
                {"employee_name": employee.name, "point": point, "year": period.year,
                 "cadence": period.cadence.value}))
    return pending


def returned_skps(period: Period, today: date) -> list[Pending]:
    """For the owner: their SKP is still returned (from the day after it was returned)."""
    skps = db.session.scalars(db.select(Skp).where(
        Skp.period_id == period.id, Skp.status == SkpStatus.RETURNED)).all()
    accounts = _accounts(s.employee_id for s in skps)
    return [Pending(accounts[skp.employee_id], "skp_still_returned",
                    f"skp_still_returned:{skp.id}:{today.isoformat()}",
                    link_to("portal.skp_detail", skp_id=skp.id), {})
            for skp in skps if skp.employee_id in accounts
            and (skp.decided_at is None or skp.decided_at.date() < today)]


def objections_waiting(today: date) -> list[Pending]:
    """For the decider (the appraiser's supervisor, or HR when there is none)."""
    objections = db.session.scalars(
        db.select(Objection).where(Objection.status == ObjectionStatus.PENDING)
        .options(db.joinedload(Objection.evaluation).joinedload(Evaluation.employee))).all()
    pending, hr = [], None
    for objection in objections:
        evaluation = objection.evaluation
        decider = access.objection_decider_of(evaluation)
        if decider is not None:
            recipients = list(_accounts([decider.id]).values())
        else:
            hr = hr if hr is not None else _hr_users()
            recipients = [u.id for u in hr if u.employee_id != evaluation.employee_id]
        for user_id in recipients:
            pending.append(Pending(
                user_id, "objection_waiting", f"objection_waiting:{objection.id}:{today.isoformat()}",
                link_to("portal.evaluation_detail", evaluation_id=evaluation.id),
                {"employee_name": evaluation.employee.name}))
    return pending


def missing_daily_reports(period: Period, today: date) -> list[Pending]:
    """For employees with an approved SKP in the open period: no activity reported on the
    previous working day (Monday to Friday minus the holiday calendar's days)."""
    day = calendar.previous_working_day(today, holidays.around(today, years_after=0))
    if day.year != period.year:
        return []
    reported = exists().where(Activity.employee_id == Employee.id, Activity.day == day)
    rows = db.session.execute(
        db.select(User.id).join(Employee, User.employee_id == Employee.id)
        .join(Skp, and_(Skp.employee_id == Employee.id, skps_module.covering(period, day.month)))
        .where(Skp.status == SkpStatus.APPROVED, Employee.active.is_(True),
               User.enabled.is_(True), ~reported, ~leave.on_leave(day))
        .order_by(User.id)).scalars().all()
    link = link_to("portal.activity_week", minggu=day.isoformat())
    return [Pending(user_id, "daily_report_missing", f"daily_report_missing:{day.isoformat()}",
                    link, {"day_on": day}) for user_id in rows]


def peer_feedback_due(today: date) -> list[Pending]:
    """For the colleague: an unanswered request whose deadline is today or within
    PEER_FEEDBACK_DUE_DAYS, while the evaluation is still a draft."""
    requests = db.session.scalars(
        db.select(PeerFeedbackRequest)
        .join(Evaluation, PeerFeedbackRequest.evaluation_id == Evaluation.id)
        .where(PeerFeedbackRequest.answered_at.is_(None), PeerFeedbackRequest.due_on >= today,
               PeerFeedbackRequest.due_on <= today + timedelta(days=PEER_FEEDBACK_DUE_DAYS),
               Evaluation.status == EvaluationStatus.DRAFT)
        .options(db.joinedload(PeerFeedbackRequest.evaluation).joinedload(Evaluation.employee))
    ).all()
    accounts = _accounts(r.colleague_id for r in requests)
    return [Pending(accounts[r.colleague_id], "peer_feedback_due",
                    f"peer_feedback_due:{r.id}:{today.isoformat()}",
                    link_to("portal.peer_feedback_answer", request_id=r.id),
                    {"employee_name": r.evaluation.employee.name, "due_on": r.due_on})
            for r in requests if r.colleague_id in accounts]


def send_reminders(today: date | None = None, *, email: bool = True) -> Report:
    """Store today's reminders (idempotent), then email what is not emailed yet."""
    today = today or calendar.today_in()  # the command runs for the whole region, in WIB
    report = Report()
    period = open_period()
    batches = {
        "evaluation_due": evaluations_due(period, today) if period else [],
        "skp_still_returned": returned_skps(period, today) if period else [],
        "objection_waiting": objections_waiting(today),
        "daily_report_missing": missing_daily_reports(period, today) if period else [],
        "peer_feedback_due": peer_feedback_due(today),
    }
    for kind, pending in batches.items():
        report.created[kind] = notifications.notify_many(pending)
        db.session.flush()
    db.session.commit()
    if email:
        report.emailed = notifications.send_pending_emails()
    return report


@queue.daily("send_reminders")
def send_daily() -> Report:
    """The queue's scheduler runs this at REMINDERS_AT (no cron needed); `flask send-reminders`
    does the same by hand."""
    report = send_reminders()
    log.info("reminders: %s notifications created, %s emailed", report.total, report.emailed)
    return report

"""The start page's agenda: what needs doing today, for the employee and for their team."""
from dataclasses import dataclass
from datetime import date

from sqlalchemy import exists

from kinerja.appraisal import appraisals
from kinerja.core import calendar, holidays
from kinerja.extensions import db
from kinerja.organisation import access, authority
from kinerja.organisation.models import Employee, User
from kinerja.performance import periods, realisation, skp_workflow
from kinerja.performance.models import Activity, ActivityStatus, Period, Skp, SkpStatus
from kinerja.performance.progress import ProgressReport, progress_report


@dataclass
class Agenda:
    period: Period | None
    skp: Skp | None = None
    reported_today: int = 0
    skps_to_decide: int = 0
    activities_to_verify: int = 0
    evaluations_to_answer: int = 0
    objections_to_decide: int = 0
    progress: ProgressReport | None = None
    team_size: int = 0                       # active direct reports
    team_not_reported: int | None = None     # of them, with nothing reported today (working days)
    own_plan: bool = True                    # False for the PPK: no SKP, no daily reports
    to_appraise: int = 0                     # the PPK's: whom they appraise (the Sekda)

    @property
    def shows_team_reports(self) -> bool:
        """The team's reporting is a supervisor's card, and only on a working day: on a
        weekend nobody is expected to report."""
        return self.team_size > 0 and self.team_not_reported is not None

    @property
    def skp_needs_work(self) -> bool:
        return self.skp is None or self.skp.status in (SkpStatus.DRAFT, SkpStatus.RETURNED)


def team_reporting(supervisor: Employee, today: date) -> tuple[int, int | None]:
    """(active direct reports, how many of them reported nothing today); the second is None
    on a day off (Saturday, Sunday, a holiday of the calendar), when nobody owes a report."""
    reported = exists().where(Activity.employee_id == Employee.id, Activity.day == today)
    size, silent = db.session.execute(
        db.select(db.func.count(Employee.id),
                  db.func.count(Employee.id).filter(~reported))
        .where(Employee.supervisor_id == supervisor.id, Employee.active.is_(True))).one()
    return size, (silent if calendar.is_working_day(today, holidays.between(today, today))
                  else None)


def agenda(user: User) -> Agenda:
    me = user.employee
    period = periods.open_period()
    result = Agenda(period)
    result.own_plan = access.keeps_own_plan(user)
    if period is None:
        return result
    if not result.own_plan:
        result.to_appraise = db.session.scalar(db.select(db.func.count(Employee.id)).where(
            authority.appraised_by_clause(me), Employee.active.is_(True)))
        result.skps_to_decide = len(skp_workflow.waiting_for(me, period))
        result.objections_to_decide = len(appraisals.objections_to_decide(user))
        return result
    result.skp = skp_workflow.skp_of(me, period)
    today = calendar.today_in(me.time_zone)
    result.reported_today = db.session.scalar(
        db.select(db.func.count(Activity.id)).where(Activity.employee_id == me.id,
                                                    Activity.day == today))
    result.team_size, result.team_not_reported = team_reporting(me, today)
    result.skps_to_decide = len(skp_workflow.waiting_for(me, period))
    result.activities_to_verify = db.session.scalar(
        db.select(db.func.count(Activity.id)).join(Employee, Activity.employee_id == Employee.id)
        .where(Employee.supervisor_id == me.id, Activity.period_id == period.id,
               Activity.status == ActivityStatus.REPORTED))
    result.evaluations_to_answer = appraisals.waiting_for_answer(me)
    result.objections_to_decide = len(appraisals.objections_to_decide(user))
    if result.skp is not None and realisation.rhks_of(result.skp):  # kept: progress reads them
        result.progress = progress_report(user, me, period)
    return result

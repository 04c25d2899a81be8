"""The objection window (PP 30/2019 art. 59): an employee may object to a set result within 14
days of *receiving* it, counted as HR set (calendar days, or working days on the holiday
calendar).

Receipt is the first time the employee opens the set result: the evaluation page, where the
notification of the result links (acknowledging or objecting first also counts, as neither is
possible unseen). A result sitting unopened in an inbox while its owner is on leave has not
been received, so the window has not started. At receipt the deadline is computed once, by
`deadline`, stored on the evaluation, shown on its page and sent in a notification; a later
change of the rule or of the calendar never moves a deadline already told.
"""
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from flask_babel import lazy_gettext as _l

from kinerja.appraisal.models import Evaluation, EvaluationStatus, ObjectionCounting, ObjectionRule
from kinerja.core import audit, calendar, holidays
from kinerja.core.errors import NotAllowed, RuleViolation
from kinerja.core.types import utcnow
from kinerja.extensions import db
from kinerja.notifications import notifications
from kinerja.organisation import access
from kinerja.organisation.models import User

DEFAULT_DAYS = 14              # PP 30/2019 art. 59: "paling lama 14 (empat belas) hari"
MIN_DAYS, MAX_DAYS = 1, 60


@dataclass(frozen=True)
class Rule:
    days: int = DEFAULT_DAYS
    counting: ObjectionCounting = ObjectionCounting.CALENDAR

    @property
    def in_words(self) -> str:
        """"14 hari kalender" / "14 hari kerja": what the page, the guide and the notice say."""
        if self.counting is ObjectionCounting.WORKING:
            return str(_l("%(n)s hari kerja", n=self.days))
        return str(_l("%(n)s hari kalender", n=self.days))


def current_rule() -> Rule:
    """The rule as HR saved it, or 14 calendar days."""
    row = db.session.get(ObjectionRule, 1)
    return Rule(row.days, row.counting) if row is not None else Rule()


def deadline(received: date, rule: Rule) -> date:
    """The last day an objection is accepted, for a result received on `received` (that day
    is not counted: received on Monday 11 May with 14 calendar days, the last day is Monday
    25 May). Working days skip weekends and the holiday calendar."""
    if rule.counting is ObjectionCounting.WORKING:
        return calendar.add_working_days(received, rule.days, holidays.around(received))
    return received + timedelta(days=rule.days)


def receive(actor: User, evaluation: Evaluation, now: datetime | None = None) -> bool:
    """Record that the set result reached its employee (the first time they open it): the day,
    the deadline, an audit line and a notification stating the deadline. True when recorded
    now; False when it was already received or `actor` is not the employee. Commits."""
    if (evaluation.received_at is not None or evaluation.status is not EvaluationStatus.FINAL
            or not access.owns(actor, evaluation)):
        return False
    now = now or utcnow()
    received_on = calendar.local_date(now, evaluation.employee.time_zone)
    rule = current_rule()
    evaluation.received_at = now
    evaluation.objection_due = deadline(received_on, rule)
    notifications.notify(evaluation.employee, "evaluation_received",
                         key=f"evaluation-received-{evaluation.id}",
                         link=f"/penilaian/{evaluation.id}", cadence=evaluation.period.cadence.value,
                         point=evaluation.point, year=evaluation.period.year,
                         received_on=received_on, due_on=evaluation.objection_due,
                         window=rule.days, counting=rule.counting.value)
    audit.record("evaluation.received", actor=actor, subject=evaluation,
                 summary=evaluation.employee.name, received_on=received_on.isoformat(),
                 objection_due=evaluation.objection_due.isoformat(), days=rule.days,
                 counting=rule.counting.value)
    db.session.commit()
    return True


# ---------------------------------------------------------------- HR's setting


def _days(raw) -> int:
    try:
        days = int(str(raw).strip())
    except (TypeError, ValueError):
        raise RuleViolation(_l("Isi jumlah hari dengan angka."), field="days") from None
    if not MIN_DAYS <= days <= MAX_DAYS:
        raise RuleViolation(_l("Jumlah hari antara %(low)s dan %(high)s.", low=MIN_DAYS,
                               high=MAX_DAYS), field="days")
    return days


def _counting(raw) -> ObjectionCounting:
    try:
        return ObjectionCounting(raw)
    except ValueError:
        raise RuleViolation(_l("Pilih cara menghitung: hari kalender atau hari kerja."),
                            field="counting") from None


def saved() -> ObjectionRule | None:
    return db.session.get(ObjectionRule, 1)


def update_rule(actor: User, days, counting) -> Rule:
    """HR or an admin sets the window; deadlines already told stay as they were. Audited."""
    if not access.manages_objection_rule(actor):
        raise NotAllowed()
    days, counting = _days(days), _counting(counting)
    row = saved()
    before = current_rule()
    if row is None:
        row = ObjectionRule(id=1)
        db.session.add(row)
    row.days, row.counting = days, counting
    row.updated_at, row.updated_by_id = utcnow(), actor.id
    audit.record("objection_rule.updated", actor=actor, summary=Rule(days, counting).in_words,
                 days=days, counting=counting.value, before_days=before.days,
                 before_counting=before.counting.value)
    db.session.commit()
    return Rule(days, counting)

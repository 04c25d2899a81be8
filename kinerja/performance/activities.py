"""Daily activity reports (laporan harian): entry, the week view, evidence, and the supervisor's
review and feed.

An activity counts towards one RHK (and optionally one of its indicators) of the employee's SKP
in the open period; the SKP may still be a draft, so reporting starts on day one. The direct
supervisor verifies, returns with a comment, or comments; a verified activity is final for the
employee, a returned one is editable again and goes back to "reported" when changed.
"""
from dataclasses import dataclass, field
from datetime import date, time, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import func

from kinerja.core import audit, calendar, dates, holidays
from kinerja.core.errors import NotAllowed, RuleViolation
from kinerja.core.memo import per_transaction
from kinerja.core.text import clean_line
from kinerja.core.types import utcnow
from kinerja.extensions import db
from kinerja.organisation import access, org
from kinerja.organisation.models import Employee, User
from kinerja.organisation.tree import UnitTree
from kinerja.performance import activity_rollup, evidence, leave, periods, skps
from kinerja.performance.formatting import short_month_names
from kinerja.performance.models import Activity, ActivityStatus, Evidence, Period, Rhk, Skp
from kinerja.performance.skp_workflow import parse_amount

MINUTES_A_DAY = 24 * 60
MAX_DESCRIPTION = 2000
MAX_COMMENT = 2000
MAX_FILES_AT_ONCE = 10
MAX_BULK_VERIFY = 200  # a few pages of the feed; more in one request is not a person's choice
FEED_PER_PAGE = 25
# A poll brings at most this many new items; more than that in 15 s means reload the page.
NEW_ITEMS_LIMIT = 100
DAY_STYLE = "full"  # a day in a message about it (kinerja.core.dates)


# ---------------------------------------------------------------- days and weeks


def minutes_between(start: time, end: time) -> int:
    return (end.hour * 60 + end.minute) - (start.hour * 60 + start.minute)


def _at(minute_of_day: int) -> time:
    return time(minute_of_day // 60, minute_of_day % 60)


def duration(start: time | None, end: time | None, minutes: int | None
             ) -> tuple[time | None, time | None, int]:
    """Start, end and minutes from what was typed: start and end (minutes follow), or a
    duration, optionally with one of the two times (the other follows)."""
    if start is not None and end is not None:
        span = minutes_between(start, end)
        if span <= 0:
            raise RuleViolation(_l("Jam selesai harus setelah jam mulai."), field="end_time")
        return start, end, span
    if minutes is None:
        if start is not None:
            raise RuleViolation(_l("Isi jam selesai, atau durasi dalam menit."), field="end_time")
        if end is not None:
            raise RuleViolation(_l("Isi jam mulai, atau durasi dalam menit."), field="start_time")
        raise RuleViolation(_l("Isi jam mulai dan selesai, atau durasi dalam menit."),
                            field="minutes")
    if minutes <= 0:
        raise RuleViolation(_l("Durasi harus lebih dari 0 menit."), field="minutes")
    if minutes > MINUTES_A_DAY:
        raise RuleViolation(_l("Durasi tidak boleh lebih dari 24 jam (1440 menit)."), field="minutes")
    if start is not None:
        finish = start.hour * 60 + start.minute + minutes
        if finish >= MINUTES_A_DAY:
            raise RuleViolation(_l("Kegiatan tidak boleh melewati tengah malam."), field="minutes")
        return start, _at(finish), minutes
    if end is not None:
        begin = end.hour * 60 + end.minute - minutes
        if begin < 0:
            raise RuleViolation(_l("Kegiatan tidak boleh dimulai sebelum tengah malam."),
                                field="minutes")
        return _at(begin), end, minutes
    return None, None, minutes


# ---------------------------------------------------------------- what an employee reports against


@dataclass
class Plan:
    """The RHK (with indicators) an employee may report against: those of their SKP in the
    period, whatever the SKP's status."""
    period: Period | None
    skp: Skp | None
    rhks: list[Rhk] = field(default_factory=list)

    @property
    def ready(self) -> bool:
        return self.period is not None and bool(self.rhks)

    def rhk(self, rhk_id) -> Rhk | None:
        return next((rhk for rhk in self.rhks if rhk.id == rhk_id), None)

    @property
    def months_label(self) -> str:
        """"Jan–Jun" for a plan a transfer cut to some months (the form says whose RHK it
        offers); empty for a whole-year plan."""
        if self.skp is None or self.skp.covers_whole_year:
            return ""
        names = short_month_names()
        return f"{names[self.skp.first_month - 1]}–{names[self.skp.last_month - 1]}"


def _plan(employee: Employee, period: Period | None, day: date | None = None) -> Plan:
    """The plan covering `day` (today by default): after a transfer, a day before the move is
    reported against the closed plan's RHK, a day after it against the new plan's."""
    if period is None:
        return Plan(None, None)
    month = skps.month_in(period, day or calendar.today_in(employee.time_zone))
    skp = _skp_with_rhks(employee, period, month)
    return Plan(period, skp, list(skp.rhks) if skp is not None else [])


# The week page reads the plan for its form and again for the view: once per request
# (core/memo.py; forgotten on any write).
@per_transaction(key=lambda employee, period, month: (employee.id, period.id, month)
                 if employee.id is not None and period.id is not None else None)
def _skp_with_rhks(employee: Employee, period: Period, month: int) -> Skp | None:
    return db.session.scalar(
        db.select(Skp).where(Skp.employee_id == employee.id, skps.covering(period, month))
        .options(db.selectinload(Skp.rhks).selectinload(Rhk.indicators)))


def plan_of(employee: Employee, day: date | None = None) -> Plan:
    """The employee's plan in the open period, on `day` (today by default)."""
    period = periods.open_period()
    if day is not None and period is not None and not period.starts <= day <= period.ends:
        day = None  # a day outside the year is refused by _check_day with its own message
    return _plan(employee, period, day)


def indicator_options(user: User, rhk_id: int | None) -> list:
    """The indicators of one of the user's own RHK in the open period (of any of their plans of
    the year); none for anything else."""
    period = periods.open_period()
    if not rhk_id or period is None:
        return []
    rhk = db.session.scalar(db.select(Rhk).join(Skp).where(
        Rhk.id == rhk_id, Skp.employee_id == user.employee_id, Skp.period_id == period.id)
        .options(db.selectinload(Rhk.indicators)))
    return list(rhk.indicators) if rhk is not None else []


def plan_for(activity: Activity) -> Plan:
    """The plan an existing activity is reported against: its owner's, on its day."""
    return _plan(activity.employee, _period_of(activity), activity.day)


def _period_of(activity: Activity) -> Period:
    return db.session.get(Period, activity.period_id)


def is_editable(user: User, activity: Activity) -> bool:
    """May the user change this activity now: their own, not verified, in an open period."""
    return (access.owns(user, activity)
            and activity.status is not ActivityStatus.VERIFIED
            and _period_of(activity).is_open)


# ---------------------------------------------------------------- the week view


@dataclass
class Day:
    day: date
    activities: list[Activity]
    is_today: bool = False

    @property
    def minutes(self) -> int:
        return sum(activity.minutes for activity in self.activities)

    @property
    def is_weekend(self) -> bool:
        return self.day.weekday() >= 5


@dataclass
class Week:
    employee: Employee
    monday: date
    today: date
    days: list[Day]
    plan: Plan
    # Another plan of the year has RHK (a transfer's new plan may still be empty while the
    # days before the move are reported against the closed one's).
    other_plan_ready: bool = False

    @property
    def sunday(self) -> date:
        return self.monday + timedelta(days=6)

    @property
    def previous(self) -> date:
        return self.monday - timedelta(days=7)

    @property
    def next(self) -> date | None:
        """The next week, unless this is the current one (nothing can be reported after today)."""
        following = self.monday + timedelta(days=7)
        return following if following <= self.today else None

    @property
    def minutes(self) -> int:
        return sum(day.minutes for day in self.days)

    @property
    def is_current(self) -> bool:
        return self.monday <= self.today <= self.sunday

    def day(self, day: date) -> Day | None:
        return next((d for d in self.days if d.day == day), None)


ACTIVITY_DETAILS = (
    db.joinedload(Activity.rhk),
    db.joinedload(Activity.indicator),
    db.joinedload(Activity.reviewed_by),
    db.selectinload(Activity.evidence),
)


def _in_order(activities) -> list[Activity]:
    # Timed activities by their start, then untimed ones in the order they were reported.
    return sorted(activities, key=lambda a: (a.day, a.start_time is None,
                                             a.start_time or time(0), a.id))


def activities_between(employee: Employee, first: date, last: date) -> list[Activity]:
    rows = db.session.scalars(
        db.select(Activity).where(Activity.employee_id == employee.id,
                                  Activity.day.between(first, last))
        .options(*ACTIVITY_DETAILS)).unique().all()
    return _in_order(rows)


def week_of(employee: Employee, any_day: date | None = None) -> Week:
    """The Monday-to-Sunday week holding `any_day` (this week by default), day by day."""
    today = calendar.today_in(employee.time_zone)
    monday = calendar.week_start(any_day or today)
    by_day: dict[date, list[Activity]] = {}
    for activity in activities_between(employee, monday, monday + timedelta(days=6)):
        by_day.setdefault(activity.day, []).append(activity)
    days = [Day(d, by_day.get(d, []), d == today)
            for d in (monday + timedelta(days=n) for n in range(7))]
    plan = plan_of(employee)
    other_ready = plan.period is not None and not plan.ready and db.session.scalar(
        db.select(Rhk.id).join(Skp, Rhk.skp_id == Skp.id)
        .where(Skp.employee_id == employee.id, Skp.period_id == plan.period.id).limit(1)
    ) is not None
    return Week(employee, monday, today, days, plan, other_ready)


# ---------------------------------------------------------------- reporting


def _check_day(employee: Employee, period: Period, day: date | None) -> date:
    if day is None:
        raise RuleViolation(_l("Isi tanggal kegiatan."), field="day")
    if not period.starts <= day <= period.ends:
        raise RuleViolation(_l("Tanggal harus dalam periode %(year)s.", year=period.year), field="day")
    if day > calendar.today_in(employee.time_zone):
        raise RuleViolation(_l("Tanggal tidak boleh setelah hari ini."), field="day")
    return day


def _minutes_on(employee: Employee, day: date, leaving_out: int | None = None) -> int:
    query = db.select(func.coalesce(func.sum(Activity.minutes), 0)).where(
        Activity.employee_id == employee.id, Activity.day == day)
    if leaving_out is not None:
        query = query.where(Activity.id != leaving_out)
    return int(db.session.scalar(query))


def _checked(employee: Employee, plan: Plan, *, day, description, rhk_id, indicator_id,
             start_time, end_time, minutes, quantity, leaving_out: int | None = None) -> dict:
    """Every field of an activity checked against the rules; the first problem is raised."""
    description = clean_line(description, "description", MAX_DESCRIPTION)
    rhk = plan.rhk(rhk_id)
    if rhk is None:
        raise RuleViolation(_l("Pilih RHK dari daftar."), field="rhk_id")
    indicator = None
    if indicator_id:
        indicator = next((i for i in rhk.indicators if i.id == indicator_id), None)
        if indicator is None:
            raise RuleViolation(_l("Pilih indikator dari RHK yang dipilih."), field="indicator_id")
    day = _check_day(employee, plan.period, day)
    start_time, end_time, minutes = duration(start_time, end_time, minutes)
    if _minutes_on(employee, day, leaving_out) + minutes > MINUTES_A_DAY:
        raise RuleViolation(_l("Jumlah durasi kegiatan pada tanggal ini melebihi 24 jam."),
                            field="minutes")
    amount = None
    if quantity not in (None, ""):
        amount = parse_amount(quantity, "quantity")
    return {"day": day, "description": description, "rhk": rhk, "indicator": indicator,
            "start_time": start_time, "end_time": end_time, "minutes": minutes,
            "quantity": amount}


def report(actor: User, *, day: date | None, description: str, rhk_id: int | None,
           indicator_id: int | None = None, start_time: time | None = None,
           end_time: time | None = None, minutes: int | None = None, quantity=None,
           files: list[tuple] = ()) -> Activity:
    """Add one activity to the actor's own report, with its evidence files if any (pairs of
    stream and file name, checked as attach_evidence checks them). Everything is checked
    before anything is kept: a bad file saves neither the activity nor the other files."""
    me = actor.employee
    plan = plan_of(me, day)
    if plan.period is None:
        raise RuleViolation(_l("Belum ada periode kinerja yang berjalan."))
    values = _checked(me, plan, day=day, description=description, rhk_id=rhk_id,
                      indicator_id=indicator_id, start_time=start_time, end_time=end_time,
                      minutes=minutes, quantity=quantity)
    checked = _checked_files(files, required=False)
    activity = Activity(employee=me, period_id=plan.period.id, **values)
    db.session.add(activity)
    db.session.flush()
    activity_rollup.apply(None, activity_rollup.counted(activity))
    audit.record("activity.reported", actor=actor, subject=activity,
                 summary=activity.description[:200], day=activity.day.isoformat(),
                 minutes=activity.minutes)
    for data, name in checked:
        evidence.store(actor, me, data, name, activity=activity)
    db.session.commit()
    return activity


def _require_editable(actor: User, activity: Activity) -> None:
    if not access.owns(actor, activity):
        raise NotAllowed
    periods.require_open(_period_of(activity))
    if activity.status is ActivityStatus.VERIFIED:
        raise RuleViolation(_l("Kegiatan ini sudah diverifikasi atasan dan tidak bisa diubah lagi."))


def update(actor: User, activity: Activity, *, day: date | None, description: str,
           rhk_id: int | None, indicator_id: int | None = None, start_time: time | None = None,
           end_time: time | None = None, minutes: int | None = None, quantity=None) -> Activity:
    """Change one's own activity; a returned one goes back to the supervisor as reported."""
    _require_editable(actor, activity)
    period = _period_of(activity)
    plan = _plan(actor.employee, period,
                 day if day is not None and period.starts <= day <= period.ends else activity.day)
    values = _checked(actor.employee, plan, day=day, description=description, rhk_id=rhk_id,
                      indicator_id=indicator_id, start_time=start_time, end_time=end_time,
                      minutes=minutes, quantity=quantity, leaving_out=activity.id)
    before = activity_rollup.counted(activity)
    for name, value in values.items():
        setattr(activity, name, value)
    was_returned = activity.status is ActivityStatus.RETURNED
    if was_returned:
        activity.status = ActivityStatus.REPORTED
    db.session.flush()
    activity_rollup.apply(before, activity_rollup.counted(activity))
    audit.record("activity.updated", actor=actor, subject=activity,
                 summary=activity.description[:200], day=activity.day.isoformat(),
                 minutes=activity.minutes, resubmitted=True if was_returned else None)
    db.session.commit()
    return activity


def delete(actor: User, activity: Activity) -> None:
    """Remove one's own activity and its evidence files."""
    _require_editable(actor, activity)
    paths = [evidence.path_of(file) for file in activity.evidence]
    for file in list(activity.evidence):
        audit.record("evidence.removed", actor=actor, subject=file, summary=file.original_name)
        db.session.delete(file)
    audit.record("activity.deleted", actor=actor, subject=activity,
                 summary=activity.description[:200], day=activity.day.isoformat())
    activity_rollup.apply(activity_rollup.counted(activity), None)
    db.session.delete(activity)
    db.session.commit()
    for path in paths:
        path.unlink(missing_ok=True)


def copy_previous_day(actor: User, day: date | None = None) -> tuple[date, list[Activity]]:
    """Copy the previous working day's activities (without evidence, as newly reported) to
    `day` (today by default). Returns the day copied from and the copies."""
    me = actor.employee
    plan = plan_of(me, day)
    if plan.period is None:
        raise RuleViolation(_l("Belum ada periode kinerja yang berjalan."))
    target = _check_day(me, plan.period, day or calendar.today_in(me.time_zone))
    source = calendar.previous_working_day(target, holidays.around(target, years_after=0))
    originals = [a for a in activities_between(me, source, source) if plan.rhk(a.rhk_id)]
    if not originals:
        raise RuleViolation(_l("Tidak ada kegiatan pada %(day)s yang bisa disalin.",
                               day=dates.format_day(source, DAY_STYLE)), field="day")
    # A second click copies nothing twice.
    there = {_likeness(a) for a in activities_between(me, target, target)}
    originals = [a for a in originals if _likeness(a) not in there]
    if not originals:
        raise RuleViolation(_l("Kegiatan %(day)s sudah disalin ke tanggal ini.",
                               day=dates.format_day(source, DAY_STYLE)), field="day")
    added = sum(a.minutes for a in originals)
    if _minutes_on(me, target) + added > MINUTES_A_DAY:
        raise RuleViolation(_l("Jumlah durasi kegiatan pada tanggal ini akan melebihi 24 jam."),
                            field="day")
    copies = []
    for original in originals:
        copy = Activity(employee=me, period_id=plan.period.id, day=target,
                        start_time=original.start_time, end_time=original.end_time,
                        minutes=original.minutes, description=original.description,
                        rhk_id=original.rhk_id, indicator_id=original.indicator_id,
                        quantity=original.quantity, status=ActivityStatus.REPORTED)
        db.session.add(copy)
        copies.append((original, copy))
    db.session.flush()
    for original, copy in copies:
        activity_rollup.apply(None, activity_rollup.counted(copy))
        audit.record("activity.copied", actor=actor, subject=copy, summary=copy.description[:200],
                     day=target.isoformat(), copied_from=original.id)
    db.session.commit()
    return source, [copy for _, copy in copies]


def _likeness(activity: Activity) -> tuple:
    return (activity.description, activity.rhk_id, activity.start_time, activity.end_time,
            activity.minutes)


# ---------------------------------------------------------------- evidence


def attach_evidence(actor: User, activity: Activity, files: list[tuple]) -> list[Evidence]:
    """Keep the uploaded files (pairs of stream and file name) as the activity's evidence.
    Every file is checked before any is kept, so one bad file stores nothing."""
    _require_editable(actor, activity)
    checked = _checked_files(files, required=True)
    stored = [evidence.store(actor, actor.employee, data, name, activity=activity)
              for data, name in checked]
    db.session.commit()
    return stored


def _checked_files(files, *, required: bool) -> list[tuple[bytes, str]]:
    """The uploads read and their types told by their bytes, as (data, name); the first
    problem (too many, too large, empty, not an allowed type) is raised, naming the file."""
    files = [(stream, name) for stream, name in files if name]
    if not files and required:
        raise RuleViolation(_l("Pilih berkas yang akan diunggah."), field="files")
    if len(files) > MAX_FILES_AT_ONCE:
        raise RuleViolation(_l("Paling banyak %(n)s berkas sekali unggah.", n=MAX_FILES_AT_ONCE),
                            field="files")
    checked = []
    for stream, name in files:
        try:
            data = evidence.read_upload(stream)
        except RuleViolation as problem:
            raise type(problem)(_l("%(name)s: %(problem)s", name=name, problem=problem.message),
                                field="files") from None
        if evidence.sniff_media_type(data) is None:
            raise RuleViolation(_l("%(name)s: jenis berkas tidak diterima. Gunakan %(types)s.",
                                   name=name, types=evidence.ALLOWED_DESCRIPTION), field="files")
        checked.append((data, name))
    return checked


def remove_evidence(actor: User, file: Evidence) -> None:
    """Remove a file from one's own activity while the activity can still be changed."""
    if file.activity is None:
        raise NotAllowed
    _require_editable(actor, file.activity)
    evidence.remove(actor, file)


# ---------------------------------------------------------------- the supervisor's review


def _require_reviewer(actor: User, activity: Activity) -> None:
    if not access.can_review_activities_of(actor, activity.employee):
        raise NotAllowed
    periods.require_open(_period_of(activity))


def _mark_reviewed(actor: User, activity: Activity) -> None:
    activity.reviewed_by, activity.reviewed_at = actor.employee, utcnow()


def verify(actor: User, activity: Activity) -> None:
    _require_reviewer(actor, activity)
    if activity.status is ActivityStatus.VERIFIED:
        raise RuleViolation(_l("Kegiatan ini sudah diverifikasi."))
    _set_verified(actor, activity)
    db.session.commit()


def _set_verified(actor: User, activity: Activity) -> None:
    before = activity_rollup.counted(activity)
    activity.status = ActivityStatus.VERIFIED
    activity_rollup.apply(before, activity_rollup.counted(activity))
    _mark_reviewed(actor, activity)
    audit.record("activity.verified", actor=actor, subject=activity,
                 summary=activity.description[:200])


def can_verify_in_bulk(user: User, activity: Activity) -> bool:
    """May the activity be ticked for verifying with others: reported (not returned, not yet
    verified) by someone the user directly supervises."""
    return activity.status is ActivityStatus.REPORTED \
        and access.can_review_activities_of(user, activity.employee)


@dataclass
class BulkVerification:
    verified: list[Activity]
    already_verified: int  # verified before (another tab, a second click): nothing to do
    not_verifiable: int    # not the actor's to verify, returned, in a closed period, or gone


def verify_many(actor: User, activity_ids) -> BulkVerification:
    """Verify several reported activities at once: the feed's selection, or all it shows.
    Each is checked as a single verification is (the actor is the employee's direct supervisor,
    the period is open); those that fail are left as they are and counted, the rest are
    verified in one transaction, each audited like a single verification. A returned activity
    waits for the employee's correction: it is verified one by one, deliberately, never here."""
    ids = sorted({int(i) for i in activity_ids})
    if not ids:
        raise RuleViolation(_l("Pilih kegiatan yang akan diverifikasi."), field="ids")
    if len(ids) > MAX_BULK_VERIFY:
        raise RuleViolation(_l("Paling banyak %(n)s kegiatan sekali verifikasi.",
                               n=MAX_BULK_VERIFY), field="ids")
    found = db.session.scalars(db.select(Activity).where(Activity.id.in_(ids))
                               .options(db.joinedload(Activity.employee))).unique().all()
    open_periods = {period.id for period in db.session.scalars(db.select(Period).where(
        Period.id.in_({a.period_id for a in found}))) if period.is_open} if found else set()
    verified, already = [], 0
    for activity in sorted(found, key=lambda a: a.id):
        if not access.can_review_activities_of(actor, activity.employee) \
                or activity.period_id not in open_periods:
            continue
        if activity.status is ActivityStatus.VERIFIED:
            already += 1
        elif activity.status is ActivityStatus.REPORTED:
            _set_verified(actor, activity)
            verified.append(activity)
    db.session.commit()
    return BulkVerification(verified, already, len(ids) - len(verified) - already)


def return_(actor: User, activity: Activity, comment: str | None) -> None:
    """Send back for correction; the comment tells the employee what to fix."""
    _require_reviewer(actor, activity)
    comment = _clean_comment(comment, _l("Tuliskan apa yang perlu diperbaiki."))
    before = activity_rollup.counted(activity)
    activity.status, activity.supervisor_comment = ActivityStatus.RETURNED, comment
    activity_rollup.apply(before, None)
    _mark_reviewed(actor, activity)
    audit.record("activity.returned", actor=actor, subject=activity,
                 summary=activity.description[:200], comment=comment[:500])
    db.session.commit()


def comment(actor: User, activity: Activity, text: str | None) -> None:
    """A remark that leaves the status as it is."""
    _require_reviewer(actor, activity)
    text = _clean_comment(text, _l("Tuliskan komentar."))
    activity.supervisor_comment = text
    _mark_reviewed(actor, activity)
    audit.record("activity.commented", actor=actor, subject=activity,
                 summary=activity.description[:200], comment=text[:500])
    db.session.commit()


def _clean_comment(text: str | None, when_empty) -> str:
    text = (text or "").strip()
    if not text:
        raise RuleViolation(when_empty, field="comment")
    if len(text) > MAX_COMMENT:
        raise RuleViolation(_l("Terlalu panjang (maks. %(n)s karakter).", n=MAX_COMMENT),
                            field="comment")
    return text


# ---------------------------------------------------------------- the supervisor's feed


def watched_ids(user: User, unit_id: int | None = None) -> list[int] | None:
    """Whose activities the user watches: HR everyone (None: no list needed), others their
    chain and units; narrowed to a unit (and the units below it) when one is chosen. Computed
    once per page and handed to the queries, which then need no recursive query of their own."""
    if access.sees_all_performance(user) and not unit_id:
        return None
    ids = None if access.sees_all_performance(user) else access.followed_employee_ids(user)
    if unit_id:
        in_unit = set(db.session.scalars(db.select(Employee.id).where(
            Employee.unit_id.in_(UnitTree.load().below(unit_id)))))
        ids = in_unit if ids is None else ids & in_unit
        ids.discard(user.employee.id)
    return sorted(ids)


def _scope(user: User, ids: list[int] | None):
    """The watched people as a condition on Employee."""
    if ids is None:
        return Employee.id != user.employee.id
    return Employee.id.in_(ids)


# The feed's status filter (URL value -> the statuses shown). The supervisor's work is what is
# not verified yet, so that is what the feed opens on; "semua" shows everything.
FEED_STATUSES = {
    "belum": (ActivityStatus.REPORTED, ActivityStatus.RETURNED),
    "dilaporkan": (ActivityStatus.REPORTED,),
    "dikembalikan": (ActivityStatus.RETURNED,),
    "diverifikasi": (ActivityStatus.VERIFIED,),
    "semua": None,
}
DEFAULT_FEED_STATUS = "belum"


@dataclass
class FeedFilters:
    employee_id: int | None = None
    rhk_id: int | None = None
    rhk_text: str = ""
    first: date | None = None
    last: date | None = None
    unit_id: int | None = None
    status: str = DEFAULT_FEED_STATUS

    def __post_init__(self):
        if self.status not in FEED_STATUSES:
            self.status = DEFAULT_FEED_STATUS

    def as_args(self) -> dict:
        """The filters as URL arguments, for links that keep them."""
        args = {"pegawai": self.employee_id, "rhk": self.rhk_id, "q": self.rhk_text or None,
                "dari": self.first.isoformat() if self.first else None,
                "sampai": self.last.isoformat() if self.last else None, "unit": self.unit_id,
                "status": self.status if self.status != DEFAULT_FEED_STATUS else None}
        return {key: value for key, value in args.items() if value}

    def narrowing(self, query):
        """The filters that need no join, as conditions on Activity."""
        if self.employee_id:
            query = query.where(Activity.employee_id == self.employee_id)
        if self.rhk_id:
            query = query.where(Activity.rhk_id == self.rhk_id)
        if self.first:
            query = query.where(Activity.day >= self.first)
        if self.last:
            query = query.where(Activity.day <= self.last)
        statuses = FEED_STATUSES[self.status]
        if statuses is not None:
            query = query.where(Activity.status.in_(statuses))
        return query


def _feed_query(user: User, filters: FeedFilters, ids: list[int] | None):
    # The list on the activity's own column: PostgreSQL then reads the watched people's rows by
    # their index, instead of walking a year of everyone's activities newest first until 25
    # match (a department head's feed: 9 ms -> 3.6 ms at 60,000 activities).
    people = _scope(user, ids) if ids is None else Activity.employee_id.in_(ids)
    query = db.select(Activity).join(Activity.employee).join(Activity.rhk).where(people)
    if filters.rhk_text:
        query = query.where(_rhk_text_matches(filters.rhk_text))
    return filters.narrowing(query)


FEED_DETAILS = (
    db.contains_eager(Activity.employee).joinedload(Employee.unit),
    db.contains_eager(Activity.rhk),
    db.joinedload(Activity.indicator),
    db.joinedload(Activity.reviewed_by),
    db.selectinload(Activity.evidence),
)


def team_feed(user: User, filters: FeedFilters, page: int = 1, per_page: int = FEED_PER_PAGE,
              ids: list[int] | None = ...):
    """The newest activities first, one page of them."""
    if not access.watches_team(user):
        raise NotAllowed
    if ids is ...:
        ids = watched_ids(user, filters.unit_id)
    query = _feed_query(user, filters, ids).options(*FEED_DETAILS).order_by(Activity.id.desc())
    feed = db.paginate(query, page=page, per_page=per_page, error_out=False, count=False)
    feed.total = _feed_count(user, filters, ids)
    return feed


def _feed_count(user: User, filters: FeedFilters, ids: list[int] | None) -> int:
    # Counting through the page query's joins read every matching row's employee and RHK;
    # the count needs the RHK only when its text is searched.
    people = Activity.employee_id != user.employee.id if ids is None \
        else Activity.employee_id.in_(ids)
    query = db.select(db.func.count(Activity.id)).where(people)
    if filters.rhk_text:
        query = query.join(Activity.rhk).where(_rhk_text_matches(filters.rhk_text))
    return db.session.scalar(filters.narrowing(query))


def _rhk_text_matches(text: str):
    pattern = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return Rhk.text.ilike(f"%{pattern}%", escape="\\")

def team_feed_since(user: User, filters: FeedFilters, since_id: int) -> list[Activity]:
    """Activities reported after the one with id `since_id`, newest first (for polling)."""
    if not access.watches_team(user):
        raise NotAllowed
    query = _feed_query(user, filters, watched_ids(user, filters.unit_id)) \
        .where(Activity.id > since_id) \
        .options(*FEED_DETAILS).order_by(Activity.id.desc()).limit(NEW_ITEMS_LIMIT)
    return db.session.scalars(query).unique().all()


def team_people(user: User, unit_id: int | None = None,
                ids: list[int] | None = ...) -> list[Employee]:
    """The people the user can pick in the feed's filter; HR picks a unit first."""
    if access.sees_all_performance(user) and not unit_id:
        return []
    if ids is ...:
        ids = watched_ids(user, unit_id)
    return db.session.scalars(db.select(Employee).where(_scope(user, ids))
                              .order_by(Employee.name)).all()


@dataclass
class NotReported:
    today: date
    working_days: list[date]
    none_today: list[Employee]
    none_this_week: list[Employee]
    people: int

    @property
    def today_is_working_day(self) -> bool:
        return self.today in self.working_days


def not_reported(user: User, unit_id: int | None = None,
                 people: list[Employee] | None = None) -> NotReported | None:
    """Who in the user's chain (or the chosen unit) has reported nothing today, and nothing on
    any working day (Monday to Friday minus the holiday calendar) of this week so far. None
    when HR has not chosen a unit and has no team of their own."""
    if people is None or (access.sees_all_performance(user) and not unit_id):
        everyone = access.sees_all_performance(user) and not unit_id
        ids = sorted(access.followed_employee_ids(user)) if everyone else watched_ids(user, unit_id)
        people = db.session.scalars(db.select(Employee).where(_scope(user, ids))
                                    .order_by(Employee.name)).all()
    people = [p for p in people if p.active]
    if not people and access.sees_all_performance(user) and not unit_id:
        return None
    today = calendar.today_in(user.employee.time_zone)
    monday = calendar.week_start(today)
    # A holiday, cuti bersama or local day off is no more a reporting day than a Sunday.
    days_off = holidays.between(monday, today)
    working_days = list(calendar.working_days(monday, today, days_off))
    reported = set(db.session.execute(
        db.select(Activity.employee_id, Activity.day).distinct()
        .where(Activity.employee_id.in_([p.id for p in people]),
               Activity.day.between(monday, today))).all()) if people else set()
    # Someone on CLTN or tugas belajar is not expected to report on the days of their leave.
    away = leave.spans_of([p.id for p in people], monday, today) if people else {}
    def expected(person, day):
        return not leave.covers(away.get(person.id, ()), day, day)
    none_today = [p for p in people if (p.id, today) not in reported and expected(p, today)] \
        if calendar.is_working_day(today, days_off) else []
    none_this_week = [p for p in people
                      if any(expected(p, d) for d in working_days)
                      and not any((p.id, d) in reported for d in working_days)]
    return NotReported(today, working_days, none_today, none_this_week, len(people))


@dataclass
class TeamPage:
    """Everything the feed page shows: a page of activities, the filter choices and the panel
    of who has not reported."""
    feed: object  # a Flask-SQLAlchemy Pagination of Activity
    people: list[Employee]
    units: list[tuple[int, str]]
    panel: NotReported | None
    verifiable: list[int] = field(default_factory=list)  # ids on this page verify-all may take

    @property
    def latest(self) -> int:
        """The id the polling asks for news after: the newest shown on the first page."""
        return self.feed.items[0].id if self.feed.items and self.feed.page == 1 else 0


def team_page(user: User, filters: FeedFilters, page: int = 1,
              per_page: int = FEED_PER_PAGE) -> TeamPage:
    ids = watched_ids(user, filters.unit_id)
    people = team_people(user, filters.unit_id, ids)
    feed = team_feed(user, filters, page, per_page, ids)
    return TeamPage(feed=feed, people=people,
                    units=org.unit_choices() if access.sees_all_performance(user) else [],
                    panel=not_reported(user, filters.unit_id, people),
                    verifiable=[a.id for a in feed.items if can_verify_in_bulk(user, a)])

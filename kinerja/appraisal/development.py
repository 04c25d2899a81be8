"""Development after a low predikat: the training catalogue HR keeps, suggestions from the
weakest BerAKHLAK values and work results, development plans with their training records
(planned, done, certificate) and the HR report of training needs (page and Excel).

The suggestion rules (`weak_behaviours`, `suggest`) work on plain values and are tested so.
"""
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import func

from kinerja.appraisal.models import (
    DevelopmentPlan,
    Evaluation,
    EvaluationKind,
    EvaluationStatus,
    TrainingCourse,
    TrainingRecord,
    TrainingStatus,
)
from kinerja.appraisal.predikat import Behaviour, Rating, needs_development
from kinerja.core import audit, calendar
from kinerja.core.errors import NotAllowed, RuleViolation
from kinerja.core.tables import Sheet
from kinerja.extensions import db
from kinerja.notifications import notifications
from kinerja.organisation import access
from kinerja.organisation.models import Employee, Unit, User
from kinerja.performance import evidence as evidence_files
from kinerja.performance.models import Evidence, Period

MAX_TITLE = 200
MAX_TOPIC = 100
MAX_PROVIDER = 200
MAX_TEXT = 2000
MAX_COURSE_HOURS = 500
MAX_RECORD_HOURS = 1000
MAX_CERTIFICATE_NUMBER = 100
SUGGESTION_LIMIT = 8
# How far ahead a training may be planned.
MAX_PLAN_DAYS = 3 * 366


# ---------------------------------------------------------------- suggestions (plain values)


def weak_behaviours(ratings: Mapping[Behaviour, Rating]) -> list[Behaviour]:
    """The values to work on, weakest first: rated Di Bawah, then Sesuai; each group in the
    official BerAKHLAK order. Values rated Di Atas are strengths, not needs."""
    below = [b for b in Behaviour if ratings.get(b) is Rating.BELOW]
    as_expected = [b for b in Behaviour if ratings.get(b) is Rating.AS_EXPECTED]
    return below + as_expected


@dataclass(frozen=True)
class Suggestion:
    """A course suggested for a plan, with the reasons: the weak values it strengthens and
    whether it is for weak work results."""
    course: object
    below: tuple[Behaviour, ...] = ()
    as_expected: tuple[Behaviour, ...] = ()
    for_results: bool = False

    @property
    def group(self) -> int:
        """0: strengthens a value rated Di Bawah; 1: for results below expectation;
        2: strengthens a value rated Sesuai."""
        return 0 if self.below else 1 if self.for_results else 2

    @property
    def behaviours(self) -> tuple[Behaviour, ...]:
        return self.below + self.as_expected


def _course_behaviours(course) -> set[Behaviour]:
    values = {b.value for b in Behaviour}
    return {Behaviour(v) for v in (course.behaviours or ()) if v in values}


def suggest(courses: Iterable, ratings: Mapping[Behaviour, Rating], results_below: bool, *,
            exclude: Iterable[int] = (), limit: int | None = SUGGESTION_LIMIT) -> list[Suggestion]:
    """Active courses for the weakest areas: first those that strengthen values rated Di Bawah
    (more of them first), then courses for work results when results were below expectation,
    then those for values rated Sesuai. Inactive courses and `exclude` ids never appear."""
    excluded = set(exclude)
    order = {b: n for n, b in enumerate(weak_behaviours(ratings))}
    found = []
    for course in courses:
        if not course.active or course.id in excluded:
            continue
        covers = _course_behaviours(course)
        below = tuple(b for b in Behaviour if b in covers and ratings.get(b) is Rating.BELOW)
        as_expected = tuple(b for b in Behaviour
                            if b in covers and ratings.get(b) is Rating.AS_EXPECTED)
        results = bool(course.for_results and results_below)
        if below or as_expected or results:
            found.append(Suggestion(course, below, as_expected, results))

    def key(s: Suggestion):
        first = min((order[b] for b in s.behaviours), default=len(order))
        return (s.group, -len(s.below), not s.for_results, -len(s.as_expected), first,
                (s.course.title or "").lower())

    found.sort(key=key)
    return found if limit is None else found[:limit]


def ratings_of(evaluation: Evaluation) -> dict[Behaviour, Rating]:
    """The evaluation's rating per value; without per-value ratings, the overall behaviour
    rating stands for all seven."""
    ratings = {Behaviour(r.behaviour): Rating(r.rating) for r in evaluation.behaviour_ratings}
    if not ratings and evaluation.behaviour_rating is not None:
        ratings = dict.fromkeys(Behaviour, Rating(evaluation.behaviour_rating))
    return ratings


def results_below(evaluation: Evaluation) -> bool:
    return evaluation.result_rating is Rating.BELOW or any(
        r.rating is Rating.BELOW for r in evaluation.result_ratings)


# ---------------------------------------------------------------- the catalogue


def catalogue() -> list[TrainingCourse]:
    """Every course, active first, by topic and title."""
    return list(db.session.scalars(db.select(TrainingCourse).order_by(
        TrainingCourse.active.desc(), TrainingCourse.topic, TrainingCourse.title)))


def active_courses() -> list[TrainingCourse]:
    return list(db.session.scalars(db.select(TrainingCourse)
                                   .where(TrainingCourse.active.is_(True))
                                   .order_by(TrainingCourse.topic, TrainingCourse.title)))


def _clean(text: str | None) -> str:
    return (text or "").strip()


def save_course(actor: User, course: TrainingCourse | None, *, title: str, topic: str,
                description: str | None = None, provider: str | None = None, hours: int | None,
                behaviours: Iterable[str] = (), for_results: bool = False,
                active: bool = True) -> TrainingCourse:
    """Create or change a catalogue course (HR). A course must say what it is for: at least
    one BerAKHLAK value or work results."""
    if not access.manages_appraisal_settings(actor):
        raise NotAllowed
    title, topic = _clean(title), _clean(topic)
    if not title:
        raise RuleViolation(_l("Isi judul pelatihan."), field="title")
    if len(title) > MAX_TITLE:
        raise RuleViolation(_l("Judul paling banyak %(n)s karakter.", n=MAX_TITLE), field="title")
    if not topic:
        raise RuleViolation(_l("Isi topik pelatihan."), field="topic")
    if len(topic) > MAX_TOPIC:
        raise RuleViolation(_l("Topik paling banyak %(n)s karakter.", n=MAX_TOPIC), field="topic")
    if hours is None or not 1 <= hours <= MAX_COURSE_HOURS:
        raise RuleViolation(_l("Jumlah jam pelajaran antara 1 dan %(n)s.", n=MAX_COURSE_HOURS),
                            field="hours")
    known = {b.value for b in Behaviour}
    chosen = list(dict.fromkeys(behaviours or ()))
    if any(value not in known for value in chosen):
        raise RuleViolation(_l("Pilih nilai BerAKHLAK dari daftar."), field="behaviours")
    if not chosen and not for_results:
        raise RuleViolation(_l("Pilih paling sedikit satu nilai BerAKHLAK, atau tandai pelatihan "
                               "ini untuk hasil kerja."), field="behaviours")
    clash = db.session.scalar(db.select(TrainingCourse.id).where(
        func.lower(TrainingCourse.title) == title.lower()))
    if clash is not None and (course is None or clash != course.id):
        raise RuleViolation(_l("Pelatihan dengan judul ini sudah ada di katalog."), field="title")
    creating = course is None
    was_active = bool(course.active) if course is not None else True
    if creating:
        course = TrainingCourse()
        db.session.add(course)
    course.title, course.topic = title, topic
    course.description = _clean(description)[:MAX_TEXT] or None
    course.provider = _clean(provider)[:MAX_PROVIDER] or None
    course.hours = hours
    course.behaviours = [b.value for b in Behaviour if b.value in chosen]
    course.for_results, course.active = bool(for_results), bool(active)
    db.session.flush()
    if creating:
        action = "training_course.created"
    elif was_active and not course.active:
        action = "training_course.deactivated"
    elif not was_active and course.active:
        action = "training_course.reactivated"
    else:
        action = "training_course.updated"
    audit.record(action, actor=actor, subject=course, summary=course.title,
                 topic=course.topic, hours=course.hours, behaviours=course.behaviours,
                 for_results=course.for_results, active=course.active)
    db.session.commit()
    return course


# ---------------------------------------------------------------- plans


def evaluation_label(evaluation: Evaluation) -> str:
    """ "Maret 2026", "Triwulan I 2026", "Tahunan 2026" in the reader's language."""
    return label_of(evaluation.period, evaluation.kind, evaluation.point)


def label_of(period: Period, kind: EvaluationKind, point: int) -> str:
    return notifications.point_label(period.cadence,
                                     0 if kind is EvaluationKind.ANNUAL else point, period.year)


def plannability_problem(evaluation: Evaluation) -> str | None:
    """Why this evaluation cannot have a development plan (None: it can)."""
    if not evaluation.is_set:
        return str(_l("Penilaian ini masih draf. Rencana pengembangan dibuat setelah penilaian "
                      "ditetapkan."))
    if not needs_development(evaluation.predikat):
        shown = evaluation.predikat.label if evaluation.predikat else "—"
        return str(_l("Predikat %(predikat)s tidak memerlukan rencana pengembangan; rencana dibuat "
                      "untuk predikat Butuh Perbaikan, Kurang atau Sangat Kurang.",
                      predikat=shown))
    return None


def _plan_query():
    return db.select(DevelopmentPlan).options(
        db.selectinload(DevelopmentPlan.trainings).joinedload(TrainingRecord.course),
        db.joinedload(DevelopmentPlan.evaluation).joinedload(Evaluation.period))


def plan_for_evaluation(evaluation: Evaluation) -> DevelopmentPlan | None:
    """The evaluation's development plan, with its trainings and their courses; None if none."""
    return db.session.scalar(_plan_query().where(DevelopmentPlan.evaluation_id == evaluation.id))


def plans_of(employee: Employee) -> list[DevelopmentPlan]:
    """The employee's development plans, newest first (for their own pages)."""
    return list(db.session.scalars(_plan_query()
                                   .where(DevelopmentPlan.employee_id == employee.id)
                                   .order_by(DevelopmentPlan.created_at.desc(),
                                             DevelopmentPlan.id.desc())).unique())


@dataclass(frozen=True)
class EvaluationSection:
    """What an evaluation page shows about development (portal/development/
    _evaluation_section.html)."""
    evaluation: Evaluation
    plan: DevelopmentPlan | None
    needed: bool
    can_plan: bool


def section_for(user: User, evaluation: Evaluation) -> EvaluationSection | None:
    """The development part of an evaluation page; None when there is nothing to show (a
    draft, or a predikat that needs no plan and has none)."""
    plan = plan_for_evaluation(evaluation)
    needed = plannability_problem(evaluation) is None
    if plan is None and not needed:
        return None
    return EvaluationSection(evaluation, plan, needed,
                             needed and access.can_plan_development(user, evaluation))


@dataclass
class PlanPage:
    evaluation: Evaluation
    plan: DevelopmentPlan | None
    problem: str | None
    ratings: dict[Behaviour, Rating]
    results_below: bool
    suggestions: list[Suggestion]
    other_courses: list[TrainingCourse]
    can_plan: bool
    recordable: set[int] = field(default_factory=set)
    planner_of: set[int] = field(default_factory=set)

    @property
    def label(self) -> str:
        return evaluation_label(self.evaluation)

    @property
    def weak(self) -> list[Behaviour]:
        return weak_behaviours(self.ratings)

    @property
    def records(self) -> list[TrainingRecord]:
        return list(self.plan.trainings) if self.plan is not None else []


def _open_course_ids(plan: DevelopmentPlan | None) -> set[int]:
    if plan is None:
        return set()
    return {r.course_id for r in plan.trainings if r.status is not TrainingStatus.CANCELLED}


def plan_page(user: User, evaluation: Evaluation) -> PlanPage:
    """What the plan page shows this user: suggestions and the plan; raises NotAllowed."""
    if not access.can_view_evaluation(user, evaluation):
        raise NotAllowed
    plan = plan_for_evaluation(evaluation)
    problem = plannability_problem(evaluation)
    can_plan = access.can_plan_development(user, evaluation)
    ratings, below = ratings_of(evaluation), results_below(evaluation)
    courses = active_courses() if can_plan and problem is None else []
    taken = _open_course_ids(plan)
    suggestions = suggest(courses, ratings, below, exclude=taken)
    suggested = {s.course.id for s in suggestions}
    others = [c for c in courses if c.id not in suggested and c.id not in taken]
    page = PlanPage(evaluation, plan, problem, ratings, below, suggestions, others, can_plan)
    for record in page.records:
        if access.can_record_training(user, record):
            page.recordable.add(record.id)
        if can_plan:
            page.planner_of.add(record.id)
    return page


def save_plan(actor: User, evaluation: Evaluation, *, goals: str | None,
              course_ids: Iterable[int] = (), planned_for: date | None = None
              ) -> DevelopmentPlan:
    """Create the evaluation's plan or change its goals, adding the chosen courses as planned
    trainings. Only for a set evaluation with a low predikat, by its appraiser or HR."""
    if not access.can_plan_development(actor, evaluation):
        raise NotAllowed
    problem = plannability_problem(evaluation)
    if problem:
        raise RuleViolation(problem)
    goals = _clean(goals)
    if len(goals) > MAX_TEXT:
        raise RuleViolation(_l("Sasaran pengembangan paling banyak %(n)s karakter.", n=MAX_TEXT),
                            field="goals")
    wanted = list(dict.fromkeys(int(i) for i in course_ids or ()))
    courses = {c.id: c for c in db.session.scalars(
        db.select(TrainingCourse).where(TrainingCourse.id.in_(wanted or [-1]),
                                        TrainingCourse.active.is_(True)))}
    if len(courses) != len(wanted):
        raise RuleViolation(_l("Pelatihan yang dipilih tidak ada atau sudah nonaktif."),
                            field="course_ids")
    today = calendar.today_in(evaluation.employee.time_zone)
    if planned_for is not None and planned_for < today:
        raise RuleViolation(_l("Tanggal rencana pelatihan tidak boleh sebelum hari ini."),
                            field="planned_for")
    if planned_for is not None and planned_for > today + timedelta(days=MAX_PLAN_DAYS):
        raise RuleViolation(_l("Tanggal rencana pelatihan paling lambat tiga tahun dari sekarang."),
                            field="planned_for")
    plan = plan_for_evaluation(evaluation)
    creating = plan is None
    if creating and not goals and not wanted:
        raise RuleViolation(_l("Isi sasaran pengembangan atau pilih paling sedikit satu "
                               "pelatihan."), field="goals")
    if creating:
        plan = DevelopmentPlan(evaluation=evaluation, employee=evaluation.employee,
                               created_by_id=actor.id)
        db.session.add(plan)
    changed_goals = plan.goals != (goals or None)
    plan.goals = goals or None
    taken = _open_course_ids(plan)
    added = []
    for course_id in wanted:
        if course_id in taken:
            continue
        record = TrainingRecord(employee=evaluation.employee, course=courses[course_id],
                                plan=plan, planned_for=planned_for,
                                status=TrainingStatus.PLANNED)
        db.session.add(record)
        added.append(record)
    if not creating and not changed_goals and not added:
        raise RuleViolation(_l("Tidak ada perubahan: ubah sasaran atau pilih pelatihan baru."),
                            field="course_ids")
    db.session.flush()
    audit.record("development_plan.created" if creating else "development_plan.updated",
                 actor=actor, subject=plan, summary=evaluation.employee.name,
                 evaluation_id=evaluation.id, goals_changed=changed_goals or None,
                 added_courses=[r.course_id for r in added] or None)
    for record in added:
        audit.record("training.planned", actor=actor, subject=record,
                     summary=f"{evaluation.employee.name}: {record.course.title}",
                     plan_id=plan.id, course_id=record.course_id,
                     planned_for=planned_for.isoformat() if planned_for else None)
    if creating:
        notifications.notify(evaluation.employee, "development_plan",
                             key=f"development-plan-{plan.id}",
                             link=notifications.link_to("portal.development_plan",
                                                        evaluation_id=evaluation.id),
                             cadence=evaluation.period.cadence.value, point=evaluation.point,
                             year=evaluation.period.year)
    db.session.commit()
    return plan


# ---------------------------------------------------------------- training records


def update_record(actor: User, record: TrainingRecord, *, status: TrainingStatus | str,
                  planned_for: date | None, completed_on: date | None, hours: int | None,
                  certificate_number: str | None, note: str | None = None,
                  certificate: tuple | None = None) -> TrainingRecord:
    """Record a training as done (date, hours, certificate) or, for the planner, reschedule,
    cancel or reopen it. `certificate` is (stream, filename) of an optional file, checked and
    kept like evidence. The employee may only record completion, never cancel or reschedule."""
    if not access.can_record_training(actor, record):
        raise NotAllowed
    try:
        status = TrainingStatus(status)
    except ValueError:
        raise RuleViolation(_l("Pilih status pelatihan dari daftar."), field="status") from None
    planner = access.can_replan_training(actor, record)
    if not planner:
        if record.status is TrainingStatus.CANCELLED:
            raise RuleViolation(_l("Pelatihan ini dibatalkan; hubungi atasan bila tetap "
                                   "mengikutinya."))
        if status is not TrainingStatus.DONE or planned_for != record.planned_for:
            raise NotAllowed
    today = calendar.today_in(record.employee.time_zone)
    certificate_number = _clean(certificate_number)
    note = _clean(note)
    if len(certificate_number) > MAX_CERTIFICATE_NUMBER:
        raise RuleViolation(_l("Nomor sertifikat paling banyak %(n)s karakter.",
                               n=MAX_CERTIFICATE_NUMBER), field="certificate_number")
    if len(note) > MAX_TEXT:
        raise RuleViolation(_l("Catatan paling banyak %(n)s karakter.", n=MAX_TEXT), field="note")
    if planned_for is not None and planned_for != record.planned_for and (
            planned_for < today or planned_for > today + timedelta(days=MAX_PLAN_DAYS)):
        raise RuleViolation(_l("Tanggal rencana antara hari ini dan tiga tahun ke depan."),
                            field="planned_for")
    if status is TrainingStatus.DONE:
        if completed_on is None:
            raise RuleViolation(_l("Isi tanggal selesai pelatihan."), field="completed_on")
        if completed_on > today:
            raise RuleViolation(_l("Tanggal selesai tidak boleh setelah hari ini."),
                                field="completed_on")
        if hours is None or not 1 <= hours <= MAX_RECORD_HOURS:
            raise RuleViolation(_l("Jumlah jam pelajaran antara 1 dan %(n)s.",
                                   n=MAX_RECORD_HOURS), field="hours")
    else:
        if completed_on is not None:
            raise RuleViolation(_l("Tanggal selesai diisi bila status Selesai."),
                                field="completed_on")
        if certificate is not None:
            raise RuleViolation(_l("Sertifikat diunggah setelah pelatihan selesai."),
                                field="certificate")
    replaced: Evidence | None = None
    if certificate is not None:
        stream, filename = certificate
        data = evidence_files.read_upload(stream)
        stored = evidence_files.store(actor, record.employee, data, filename)
        if record.certificate_evidence_id is not None:
            replaced = db.session.get(Evidence, record.certificate_evidence_id)
        record.certificate_evidence_id = stored.id
    before = record.status
    record.status, record.planned_for = status, planned_for
    record.completed_on = completed_on if status is TrainingStatus.DONE else None
    record.hours = hours if status is TrainingStatus.DONE else None
    record.certificate_number = certificate_number or None
    record.note = note or None
    if status is TrainingStatus.DONE and before is not TrainingStatus.DONE:
        action = "training.completed"
    elif status is TrainingStatus.CANCELLED and before is not TrainingStatus.CANCELLED:
        action = "training.cancelled"
    elif status is TrainingStatus.PLANNED and before is not TrainingStatus.PLANNED:
        action = "training.reopened"
    else:
        action = "training.updated"
    replaced_path = evidence_files.path_of(replaced) if replaced is not None else None
    if replaced is not None:
        audit.record("evidence.removed", actor=actor, subject=replaced,
                     summary=replaced.original_name, replaced_by=record.certificate_evidence_id)
        db.session.delete(replaced)
    db.session.flush()
    audit.record(action, actor=actor, subject=record,
                 summary=f"{record.employee.name}: {record.course.title}",
                 status=status.value, hours=record.hours,
                 completed_on=record.completed_on.isoformat() if record.completed_on else None,
                 planned_for=record.planned_for.isoformat() if record.planned_for else None,
                 certificate_number=record.certificate_number,
                 certificate_evidence_id=record.certificate_evidence_id)
    db.session.commit()
    if replaced_path is not None:
        replaced_path.unlink(missing_ok=True)
    return record


def certificate_of(record: TrainingRecord) -> Evidence | None:
    if record.certificate_evidence_id is None:
        return None
    return db.session.get(Evidence, record.certificate_evidence_id)


# ---------------------------------------------------------------- training needs (HR)


@dataclass
class UnitNeed:
    unit_id: int | None
    unit_name: str
    planned: int = 0
    done: int = 0


@dataclass
class CourseNeed:
    course: TrainingCourse
    planned: int = 0
    done: int = 0
    hours_done: int = 0
    units: list[UnitNeed] = field(default_factory=list)


@dataclass(frozen=True)
class MissingPlan:
    employee: Employee
    evaluation_id: int
    label: str
    predikat: object


@dataclass
class NeedsReport:
    period: Period | None
    periods: list[Period]
    courses: list[CourseNeed]
    missing: list[MissingPlan]

    @property
    def planned(self) -> int:
        return sum(c.planned for c in self.courses)

    @property
    def done(self) -> int:
        return sum(c.done for c in self.courses)


def default_period() -> Period | None:
    """The open period, else the latest."""
    periods = list(db.session.scalars(db.select(Period).order_by(Period.year.desc())))
    return next((p for p in periods if p.is_open), periods[0] if periods else None)


def period_from_arg(raw: str | None) -> Period | None:
    """The report's period from the query string: empty means the default period."""
    if raw in (None, ""):
        return default_period()
    try:
        period = db.session.get(Period, int(raw))
    except (TypeError, ValueError):
        period = None
    if period is None:
        raise RuleViolation(_l("Periode tidak ditemukan."), field="periode")
    return period


def _deciding_evaluations(period: Period) -> dict[int, tuple[int, object, EvaluationKind, int]]:
    """Per employee, the evaluation that gives their predikat for the period: the annual one
    when set, otherwise the latest set periodic one. {employee_id: (id, predikat, kind, point)}"""
    rows = db.session.execute(
        db.select(Evaluation.employee_id, Evaluation.id, Evaluation.predikat, Evaluation.kind,
                  Evaluation.point)
        .where(Evaluation.period_id == period.id, Evaluation.status != EvaluationStatus.DRAFT,
               Evaluation.predikat.is_not(None))).all()
    chosen: dict[int, tuple] = {}
    for employee_id, evaluation_id, value, kind, point in rows:
        rank = (kind is EvaluationKind.ANNUAL, point, evaluation_id)
        if employee_id not in chosen or rank > chosen[employee_id][0]:
            chosen[employee_id] = (rank, (evaluation_id, value, kind, point))
    return {employee_id: entry for employee_id, (_, entry) in chosen.items()}


def training_needs(actor: User, period: Period | None) -> NeedsReport:
    """Per course, how many people have it planned and done (and per unit) for the period's
    plans; and the employees whose predikat for the period is low but who have no plan yet."""
    if not access.manages_appraisal_settings(actor):
        raise NotAllowed
    periods = list(db.session.scalars(db.select(Period).order_by(Period.year.desc())))
    if period is None:
        return NeedsReport(None, periods, [], [])
    rows = db.session.execute(
        db.select(TrainingRecord.course_id, Employee.unit_id, TrainingRecord.status,
                  func.count(func.distinct(TrainingRecord.employee_id)),
                  func.coalesce(func.sum(TrainingRecord.hours), 0))
        .join(Employee, Employee.id == TrainingRecord.employee_id)
        .join(DevelopmentPlan, DevelopmentPlan.id == TrainingRecord.plan_id)
        .join(Evaluation, Evaluation.id == DevelopmentPlan.evaluation_id)
        .where(Evaluation.period_id == period.id,
               TrainingRecord.status != TrainingStatus.CANCELLED)
        .group_by(TrainingRecord.course_id, Employee.unit_id, TrainingRecord.status)).all()
    course_ids = {row[0] for row in rows}
    courses = {c.id: c for c in db.session.scalars(db.select(TrainingCourse).where(
        (TrainingCourse.id.in_(course_ids or [-1])) | TrainingCourse.active.is_(True)))}
    unit_ids = {row[1] for row in rows if row[1] is not None}
    unit_names = dict(db.session.execute(
        db.select(Unit.id, Unit.name).where(Unit.id.in_(unit_ids or [-1]))).all())
    needs = {course_id: CourseNeed(course) for course_id, course in courses.items()}
    per_unit: dict[tuple[int, int | None], UnitNeed] = {}
    for course_id, unit_id, status, people, hours in rows:
        need = needs[course_id]
        unit = per_unit.get((course_id, unit_id))
        if unit is None:
            unit = per_unit[(course_id, unit_id)] = UnitNeed(
                unit_id, unit_names.get(unit_id, str(_l("Tanpa unit"))))
            need.units.append(unit)
        if TrainingStatus(status) is TrainingStatus.DONE:
            need.done += people
            need.hours_done += int(hours or 0)
            unit.done += people
        else:
            need.planned += people
            unit.planned += people
    for need in needs.values():
        need.units.sort(key=lambda u: (-(u.planned + u.done), u.unit_name))
    ordered = sorted(needs.values(), key=lambda n: (-(n.planned + n.done), not n.course.active,
                                                    n.course.title.lower()))

    deciding = _deciding_evaluations(period)
    low = {employee_id: entry for employee_id, entry in deciding.items()
           if needs_development(entry[1])}
    with_plan = set(db.session.scalars(
        db.select(DevelopmentPlan.employee_id).join(Evaluation,
                                                    Evaluation.id == DevelopmentPlan.evaluation_id)
        .where(Evaluation.period_id == period.id, DevelopmentPlan.employee_id.in_(
            list(low) or [-1]))))
    missing_ids = [employee_id for employee_id in low if employee_id not in with_plan]
    employees = db.session.scalars(
        db.select(Employee).where(Employee.id.in_(missing_ids or [-1]))
        .options(db.joinedload(Employee.unit))).unique().all()
    missing = []
    for employee in employees:
        evaluation_id, value, kind, point = low[employee.id]
        label = label_of(period, EvaluationKind(kind), point)
        missing.append(MissingPlan(employee, evaluation_id, label, value))
    missing.sort(key=lambda m: (m.employee.unit.name if m.employee.unit else "", m.employee.name))
    return NeedsReport(period, periods, ordered, missing)


def needs_sheets(report: NeedsReport) -> list[Sheet]:
    """The report as sheets: Per pelatihan, Per unit, Belum ada rencana. Counts are numbers
    so they can be summed in a spreadsheet."""
    year = report.period.year if report.period else ""
    courses = Sheet("Per pelatihan", title=str(_l("Kebutuhan pelatihan %(year)s", year=year)),
                    header=[str(name) for name in (
                        _l("Pelatihan"), _l("Topik"), _l("Jam pelajaran"), _l("Nilai BerAKHLAK"),
                        _l("Untuk hasil kerja"), _l("Direncanakan (orang)"), _l("Selesai (orang)"),
                        _l("Jam pelajaran selesai"), _l("Status katalog"))],
                    widths={"A": 48, "B": 24, "D": 40})
    for need in report.courses:
        course = need.course
        courses.rows.append([course.title, course.topic, course.hours,
                             ", ".join(str(Behaviour(b).label) for b in course.behaviours or ()),
                             str(_l("Ya")) if course.for_results else "",
                             need.planned, need.done, need.hours_done,
                             str(_l("Aktif")) if course.active else str(_l("Nonaktif"))])

    units = Sheet("Per unit", header=[str(name) for name in (
        _l("Pelatihan"), _l("Unit kerja"), _l("Direncanakan (orang)"), _l("Selesai (orang)"))],
        widths={"A": 48, "B": 48})
    for need in report.courses:
        for unit in need.units:
            units.rows.append([need.course.title, unit.unit_name, unit.planned, unit.done])

    missing = Sheet("Belum ada rencana", header=[str(name) for name in (
        _l("NIP"), _l("Nama"), _l("Unit kerja"), _l("Predikat"), _l("Penilaian"))],
        column_formats={1: "@"},  # an 18-digit NIP stays text
        widths={"A": 22, "B": 36, "C": 48})
    for entry in report.missing:
        missing.rows.append([entry.employee.nip, entry.employee.name,
                             entry.employee.unit.name if entry.employee.unit else "",
                             str(entry.predikat.label), entry.label])
    return [courses, units, missing]


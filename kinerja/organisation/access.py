"""The access policy: one place that answers "may this user see or do this to that object".

Supervisor and head-of-unit rights come from the organisation chart (Employee.supervisor,
Unit.head), never from a flag; HR and admin are roles granted on the account.
"""
from kinerja.core import jobs
from kinerja.extensions import db
from kinerja.organisation.models import Employee, Unit, User
from kinerja.organisation.tree import MAX_DEPTH, UnitTree, unit_and_ancestors


def manages_organisation(user: User) -> bool:
    """HR and admin keep units, employees and counters."""
    return bool(user.is_hr or user.is_admin)


def manages_accounts(user: User) -> bool:
    return bool(user.is_admin)


def reads_audit_trail(user: User) -> bool:
    return bool(user.is_admin)


def manages_identity(user: User) -> bool:
    """The kabupaten's name, logo, place of signing and accent: system settings, admins only."""
    return bool(user.is_admin)


def supervises(boss: Employee, employee: Employee) -> bool:
    """Is `boss` the direct supervisor of `employee`, or further up the chain?"""
    current, depth = employee.supervisor, 0
    while current is not None and depth < MAX_DEPTH:
        if current.id == boss.id:
            return True
        current, depth = current.supervisor, depth + 1
    return False


def heads(head: Employee, unit: Unit | None) -> bool:
    """Does `head` lead this unit, or a unit above it?"""
    return any(u.head_id == head.id for u in unit_and_ancestors(unit))


def headed_unit_ids(employee: Employee) -> set[int]:
    """Every unit the employee leads, with all units below them."""
    rows = db.session.execute(db.select(Unit.id, Unit.parent_id, Unit.head_id)).all()
    tree = UnitTree.from_pairs((unit_id, parent_id) for unit_id, parent_id, _ in rows)
    return tree.below(*(unit_id for unit_id, _, head_id in rows if head_id == employee.id))


def overseen_unit_ids(user: User) -> set[int] | None:
    """The units whose records (complaints, alerts, the predikat recap) the user oversees: None
    for every unit (HR and admin), else the units they head and everything below them."""
    return None if sees_all_performance(user) else headed_unit_ids(user.employee)


def is_head_of_unit(employee: Employee) -> bool:
    return db.session.scalar(db.select(Unit.id).where(Unit.head_id == employee.id).limit(1)) is not None


def can_view_employee(user: User, employee: Employee) -> bool:
    me = user.employee
    return (
        manages_organisation(user)
        or employee.id == me.id
        or supervises(me, employee)
        or heads(me, employee.unit)
    )


def can_edit_employee(user: User, employee: Employee) -> bool:
    return manages_organisation(user)


def can_view_unit(user: User, unit: Unit) -> bool:
    me = user.employee
    return manages_organisation(user) or heads(me, unit) or me.unit_id == unit.id


def can_edit_unit(user: User, unit: Unit | None = None) -> bool:
    return manages_organisation(user)


# ---------------------------------------------------------------- performance (SKP and activities)


def sees_all_performance(user: User) -> bool:
    """HR sees every employee's performance data; admins keep the system, not the people."""
    return bool(user.is_hr)


def can_view_performance(user: User, employee: Employee) -> bool:
    """Own data; a supervisor down the chain; a head of unit for the unit; HR for everyone."""
    me = user.employee
    return (
        sees_all_performance(user)
        or employee.id == me.id
        or supervises(me, employee)
        or heads(me, employee.unit)
    )


def followed_employee_ids(user: User) -> set[int]:
    """can_view_performance as a set of ids, for queries: everyone below the user in the
    supervisor chain and everyone in the units they head (the user not included). One
    recursive query; UNION rather than UNION ALL so that a cycle in bad data still ends."""
    me = user.employee
    chain = db.select(Employee.id).where(Employee.supervisor_id == me.id).cte("chain", recursive=True)
    chain = chain.union(db.select(Employee.id).where(Employee.supervisor_id == chain.c.id))
    ids = set(db.session.scalars(db.select(chain.c.id)))
    headed = headed_unit_ids(me)
    if headed:
        ids |= set(db.session.scalars(db.select(Employee.id).where(Employee.unit_id.in_(headed))))
    ids.discard(me.id)
    return ids


def approver_of(employee: Employee) -> Employee | None:
    """Who agrees an employee's SKP: the direct supervisor (None at the top of the chart)."""
    return employee.supervisor


def can_approve_skp_of(user: User, employee: Employee) -> bool:
    """The direct supervisor; for someone with no supervisor (the top of the chart), HR."""
    approver = approver_of(employee)
    if approver is None:
        return sees_all_performance(user) and user.employee.id != employee.id
    return approver.id == user.employee.id


def can_review_activities_of(user: User, employee: Employee) -> bool:
    """Verifying daily reports is the direct supervisor's job."""
    return employee.supervisor_id is not None and employee.supervisor_id == user.employee.id


# ---------------------------------------------------------------- skp


def can_view_unit_performance(user: User, unit: Unit) -> bool:
    """The unit's cascade, goals and heatmap: its head (or a head above it) and HR."""
    return sees_all_performance(user) or heads(user.employee, unit)


def can_set_unit_goals(user: User, unit: Unit) -> bool:
    return sees_all_performance(user) or heads(user.employee, unit)


def manages_periods(user: User) -> bool:
    return bool(user.is_hr)


# realisation


def can_edit_realisation(user: User, skp) -> bool:
    """Monthly realisation and its evidence are the SKP owner's to report."""
    return owns(user, skp)


def can_give_feedback(user: User, employee: Employee) -> bool:
    """Umpan balik comes from the direct supervisor, like verifying daily reports."""
    return can_review_activities_of(user, employee)


def can_record_dialogue(user: User, employee: Employee) -> bool:
    """A dialog kinerja is held and recorded by the direct supervisor."""
    return can_review_activities_of(user, employee)



# activities


def owns(user: User, record) -> bool:
    """The employee's own record (an SKP, an activity, an evaluation, a training record): only
    they draft, report, answer or object to it."""
    return record.employee_id == user.employee_id


def can_view_activity(user: User, activity) -> bool:
    return can_view_performance(user, activity.employee)


def can_view_evidence(user: User, evidence) -> bool:
    """An evidence file (of an activity or a realisation) goes with its owner's performance."""
    return can_view_performance(user, evidence.owner)


def watches_team(user: User) -> bool:
    """The supervisor feed: anyone with direct reports, a head of unit, and HR."""
    me = user.employee
    return (sees_all_performance(user) or is_head_of_unit(me) or db.session.scalar(
        db.select(Employee.id).where(Employee.supervisor_id == me.id).limit(1)) is not None)


# complaints


def can_handle_complaints_of(user: User, unit: Unit) -> bool:
    """A unit's complaints (and the citizens' contact details that come with them) are for its
    head, a head above it, and HR; nobody else, admins included."""
    return sees_all_performance(user) or heads(user.employee, unit)


def handles_complaints(user: User) -> bool:
    """The complaint list and the dashboard's alerts: HR and anyone who heads a unit."""
    return sees_all_performance(user) or is_head_of_unit(user.employee)


def can_manage_roster(user: User, counter) -> bool:
    """Who staffs a counter is decided by the head of its unit (or above) and HR."""
    return sees_all_performance(user) or heads(user.employee, counter.unit)


# ikm


def sees_every_unit_ikm(user: User) -> bool:
    """IKM of every unit, and of the whole kabupaten at once: HR."""
    return bool(user.is_hr)


def sees_ikm_reports(user: User) -> bool:
    """IKM reports: HR for every unit, a head of unit for the units they lead (and below)."""
    return sees_every_unit_ikm(user) or is_head_of_unit(user.employee)


def can_view_ikm(user: User, unit: Unit | None) -> bool:
    """IKM of a unit (None: every unit of the kabupaten, which only HR sees)."""
    if sees_every_unit_ikm(user):
        return True
    return unit is not None and heads(user.employee, unit)


def manages_api_tokens(user: User) -> bool:
    """API tokens read province-wide data: only admins issue and revoke them."""
    return bool(user.is_admin)


# appraisals


def can_view_evaluation(user: User, evaluation) -> bool:
    """An evaluation goes with its employee's performance: own, up the chain, head, HR."""
    return can_view_performance(user, evaluation.employee)


def appraiser_of(employee: Employee) -> Employee | None:
    """Who evaluates: the direct supervisor, like the SKP (None at the top of the chart)."""
    return employee.supervisor


def can_appraise(user: User, employee: Employee) -> bool:
    """Rating an employee is the SKP approver's job (HR for the top of the chart)."""
    return can_approve_skp_of(user, employee)


def can_start_evaluation(user: User, skp) -> bool:
    """An evaluation point is opened by the employee (to assess themselves) or the appraiser."""
    return owns(user, skp) or can_appraise(user, skp.employee)


def objection_decider_of(evaluation) -> Employee | None:
    """Atasan pejabat penilai: the appraiser's own supervisor (None: HR decides)."""
    appraiser = evaluation.appraiser or appraiser_of(evaluation.employee)
    return appraiser.supervisor if appraiser is not None else None


def can_decide_objection(user: User, evaluation) -> bool:
    decider = objection_decider_of(evaluation)
    if decider is None:
        return sees_all_performance(user) and user.employee.id != evaluation.employee_id
    return decider.id == user.employee.id


def manages_appraisal_settings(user: User) -> bool:
    """Unit predikat, the distribution table and the training catalogue: HR."""
    return bool(user.is_hr)


# development


def can_plan_development(user: User, evaluation) -> bool:
    """A development plan is made by the evaluation's appraiser, or by HR (not for themselves)."""
    return can_appraise(user, evaluation.employee) or (
        manages_appraisal_settings(user) and user.employee.id != evaluation.employee_id)


def can_replan_training(user: User, record) -> bool:
    """Rescheduling, cancelling or reopening a training is for whoever may plan it."""
    if record.plan is not None:
        return can_plan_development(user, record.plan.evaluation)
    return can_appraise(user, record.employee) or (
        manages_appraisal_settings(user) and user.employee.id != record.employee_id)


def can_record_training(user: User, record) -> bool:
    """The employee records their own training as done; whoever may plan it may too."""
    return owns(user, record) or can_replan_training(user, record)


def can_view_training(user: User, record) -> bool:
    """A training record (and its certificate) goes with its employee's performance."""
    return can_view_performance(user, record.employee)


# documents


def sees_predikat_recap(user: User) -> bool:
    """The predikat recap: HR for every unit (with the employees), a head of unit for the
    units they lead and those below them (counts only)."""
    return sees_all_performance(user) or is_head_of_unit(user.employee)


# peer feedback and notifications


def can_request_peer_feedback(user: User, evaluation) -> bool:
    """The appraiser or HR asks colleagues and sees the (anonymous) answers; never the
    evaluated employee."""
    if user.employee.id == evaluation.employee_id:
        return False
    return can_appraise(user, evaluation.employee) or bool(user.is_hr)


def can_answer_peer_feedback(user: User, request) -> bool:
    """Only the colleague asked sees and answers a request."""
    return request.colleague_id == user.employee.id


def owns_notification(user: User, notification) -> bool:
    return notification.user_id == user.id


# unit performance


def sees_unit_performance(user: User) -> bool:
    """The comparison of units: HR for the OPDs, a head of unit for the units they lead."""
    return sees_all_performance(user) or is_head_of_unit(user.employee)


# publication


def manages_publication(user: User) -> bool:
    """Which IKM results are public, and the follow-up statements shown with them: HR."""
    return bool(user.is_hr)


def can_write_follow_up(user: User, unit: Unit) -> bool:
    """The follow-up statement of a unit's published IKM: its head or a head above it (HR
    approves it, so HR does not write it)."""
    return heads(user.employee, unit)


def writes_follow_ups(user: User) -> bool:
    return is_head_of_unit(user.employee)


# recognition


def manages_awards(user: User) -> bool:
    """Defining, ranking, deciding and publishing awards is HR's (kepegawaian)."""
    return bool(user.is_hr)


def uses_awards(user: User) -> bool:
    """The award list: HR for every award, a head of unit to nominate for the awards that
    take in the units they lead."""
    return manages_awards(user) or is_head_of_unit(user.employee)


def can_nominate(user: User, employee: Employee) -> bool:
    """A nomination comes from a head of the candidate's unit or of a unit above it."""
    return employee.id != user.employee.id and heads(user.employee, employee.unit)


def can_download_certificate(user: User, winner) -> bool:
    """HR prints every certificate; a winner downloads their own once it is published."""
    return manages_awards(user) or (owns(user, winner)
                                    and winner.award.is_published)


# ---------------------------------------------------------------- background jobs


def started_job(user: User, job) -> bool:
    """A background job's page and file are its starter's alone."""
    return job.user_id is not None and job.user_id == user.id


def can_view_job(user: User, job) -> bool:
    """Its starter, while they still hold the right that let them start it (a head moved to
    another unit no longer downloads the old unit's ZIP)."""
    return started_job(user, job) and job.kind in jobs.KINDS and jobs.kind_of(job).may_view(user, job)

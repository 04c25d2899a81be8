"""The access policy: one place that answers "may this user see or do this to that object".

Supervisor and head-of-unit rights come from the organisation chart (Employee.supervisor,
Unit.head), never from a flag; HR and admin are roles granted on the account.
"""
from kinerja.core import calendar, jobs
from kinerja.core.memo import per_transaction
from kinerja.extensions import db
from kinerja.organisation import authority
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


def manages_ppk(user: User) -> bool:
    """Who the PPK is (name, title, term of office): a system setting, admins only."""
    return bool(user.is_admin)


def manages_acting_officials(user: User) -> bool:
    """Plt/Plh records and the chart's hierarchy warnings: HR (kepegawaian)."""
    return bool(user.is_hr)


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
    return set(_headed_unit_ids(employee))  # a copy: callers may add to theirs


@per_transaction(key=lambda employee: employee.id)  # a plan page asks twice, the feed once more
def _headed_unit_ids(employee: Employee) -> frozenset[int]:
    rows = db.session.execute(db.select(Unit.id, Unit.parent_id, Unit.head_id)).all()
    tree = UnitTree.from_pairs((unit_id, parent_id) for unit_id, parent_id, _ in rows)
    return frozenset(tree.below(*(unit_id for unit_id, _, head_id in rows
                                  if head_id == employee.id)))


def overseen_unit_ids(user: User) -> set[int] | None:
    """The units whose records (complaints, alerts, the predikat recap) the user oversees: None
    for every unit (HR and admin), else the units they head and everything below them."""
    return None if sees_all_performance(user) else headed_unit_ids(user.employee)


def is_head_of_unit(employee: Employee) -> bool:
    return _place_in_chart(employee)[0]


@per_transaction(key=lambda employee: employee.id)  # asked by the navigation and most pages
def _place_in_chart(employee: Employee) -> tuple[bool, bool]:
    """(heads a unit, has direct reports): the navigation needs both on every page, so both
    come in one round trip."""
    heads_one = db.exists().where(Unit.head_id == employee.id)
    has_reports = db.exists().where(Employee.supervisor_id == employee.id)
    found = db.session.execute(db.select(heads_one, has_reports)).one()
    return bool(found[0]), bool(found[1])


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


def keeps_own_plan(user: User) -> bool:
    """Everyone drafts an SKP and reports daily work but the PPK (the Bupati/Wali Kota), who is
    no ASN: appraised by nobody here, they only appraise and decide."""
    return not user.employee.is_ppk


def can_view_performance(user: User, employee: Employee) -> bool:
    """Own data; a supervisor down the chain; a head of unit for the unit; HR for everyone."""
    me = user.employee
    return (
        sees_all_performance(user)
        or employee.id == me.id
        or supervises(me, employee)
        or heads(me, employee.unit)
        # The PPK for the top of the chart, a Plt/Plh for whom they stand in to appraise.
        or can_appraise(user, employee)
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


def _official(employee: Employee, skp, day=None) -> Employee | None:
    """The pejabat penilai of `skp` when given (a plan closed by a transfer stays with the
    supervisor of its months), else of the employee by today's chart (authority.py)."""
    if skp is not None:
        return authority.plan_appraiser(skp, day)
    return authority.official_appraiser(employee, day)


def approver_of(employee: Employee, skp=None) -> Employee | None:
    """Who agrees an employee's SKP: the direct supervisor; the PPK at the top of the chart;
    for a plan a transfer closed, the supervisor of its months (organisation/authority.py)."""
    return _official(employee, skp)


def can_approve_skp_of(user: User, employee: Employee, skp=None) -> bool:
    """The approver (of `skp` when given), or a Plt/Plh standing in for them today. HR never
    approves in anyone's place: for the PPK it only records a signed decision
    (records_for_ppk)."""
    if user.employee.id == employee.id:
        return False
    day = authority.today_for(employee)
    return authority.stands_for(user.employee, _official(employee, skp, day), day)


def records_for_ppk(user: User, employee: Employee, skp=None) -> bool:
    """HR may transcribe the PPK's ratings of the employee the PPK appraises, to be set only
    with the PPK's signed scan."""
    if not sees_all_performance(user) or user.employee.id == employee.id:
        return False
    appraiser = _official(employee, skp)
    return appraiser is not None and appraiser.is_ppk and appraiser.id != user.employee.id


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
    return sees_all_performance(user) or is_head_of_unit(me) or has_direct_reports(me)


def has_direct_reports(employee: Employee) -> bool:
    return _place_in_chart(employee)[1]


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


def records_complaints(user: User) -> bool:
    """A complaint that came by telephone, SP4N-LAPOR! or at the desk is entered by HR."""
    return bool(user.is_hr)


def sees_investigations(user: User) -> bool:
    """The investigations opened from alerts: whoever sees the alerts (HR and heads of unit)."""
    return handles_complaints(user)


def can_handle_investigation(user: User, unit: Unit) -> bool:
    """An investigation of a unit (its complaints, counters, findings): as its complaints."""
    return can_handle_complaints_of(user, unit)


# discipline


def manages_sanctions(user: User) -> bool:
    """Disciplinary sanctions (PP 94/2021) are recorded by HR from the decree, and read only
    there and in award rankings: never by colleagues."""
    return bool(user.is_hr)


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


def manages_ikm_weights(user: User) -> bool:
    """The element weight each year's IKM is computed with (0.111 or 1/9): HR."""
    return bool(user.is_hr)


def manages_tpp(user: User) -> bool:
    """The TPP inputs (everyone's performance, month by month) and their formula: HR."""
    return bool(user.is_hr)


def manages_siasn(user: User) -> bool:
    """The link to BKN's SIASN: its queue of results, resending refused ones (HR), its status."""
    return bool(user.is_hr or user.is_admin)


def manages_api_tokens(user: User) -> bool:
    """API tokens read province-wide data: only admins issue and revoke them."""
    return bool(user.is_admin)


# appraisals


def can_view_evaluation(user: User, evaluation) -> bool:
    """An evaluation goes with its employee's performance: own, up the chain, head, HR; its
    appraiser (the old supervisor of a plan a transfer closed); and whoever decides its
    objection (the PPK for a head of OPD)."""
    return (can_view_performance(user, evaluation.employee)
            or can_appraise(user, evaluation.employee, evaluation.skp)
            or can_decide_objection(user, evaluation))


def can_view_plan(user: User, skp) -> bool:
    """An SKP goes with its employee's performance, and with its appraiser after a transfer."""
    return (can_view_performance(user, skp.employee)
            or can_approve_skp_of(user, skp.employee, skp))


def appraiser_of(employee: Employee, skp=None) -> Employee | None:
    """Who evaluates: the SKP's approver (the PPK at the top of the chart; for a plan a
    transfer closed, the supervisor of its months)."""
    return approver_of(employee, skp)


def can_appraise(user: User, employee: Employee, skp=None) -> bool:
    """Rating an employee (at a point of `skp` when given) is the plan's approver's job (or
    their Plt/Plh's)."""
    return can_approve_skp_of(user, employee, skp)


def can_start_evaluation(user: User, skp) -> bool:
    """An evaluation point is opened by the employee (to assess themselves) or the appraiser."""
    return owns(user, skp) or can_appraise(user, skp.employee, skp)


def _evaluation_day(evaluation):
    """The day whose chart an evaluation is read on: the day it was set, else today."""
    employee = evaluation.employee
    if evaluation.finalised_at is not None:
        return calendar.today_in(employee.time_zone, now=evaluation.finalised_at)
    return authority.today_for(employee)


def objection_decider_of(evaluation) -> Employee | None:
    """Atasan pejabat penilai: the superior of the post that appraised; the PPK above the
    top of the chart (None only while no PPK is recorded)."""
    day = _evaluation_day(evaluation)
    appraiser = evaluation.appraiser or authority.official_appraiser(evaluation.employee, day)
    return authority.decider_of(evaluation.employee, appraiser, day)


def can_decide_objection(user: User, evaluation) -> bool:
    """The decider, or a Plt/Plh standing in for them today; never the objector."""
    if user.employee.id == evaluation.employee_id:
        return False
    return authority.stands_for(user.employee, objection_decider_of(evaluation),
                                authority.today_for(evaluation.employee))


def records_decision_for_ppk(user: User, evaluation) -> bool:
    """HR may record the PPK's decision on an objection, only with the signed scan."""
    if not sees_all_performance(user) or user.employee.id == evaluation.employee_id:
        return False
    decider = objection_decider_of(evaluation)
    return decider is not None and decider.is_ppk and decider.id != user.employee.id


def manages_appraisal_settings(user: User) -> bool:
    """The distribution table and the training catalogue: HR."""
    return bool(user.is_hr)


def can_set_unit_capaian(user: User, unit: Unit) -> bool:
    """The capaian kinerja organisasi of a unit is set and signed by its own leader
    (PermenPANRB 6/2022), not by HR and not by a head above: HR and those heads only see it."""
    return user.employee is not None and unit.head_id == user.employee.id


def can_view_unit_capaian(user: User, unit: Unit) -> bool:
    return sees_all_performance(user) or (user.employee is not None and heads(user.employee, unit))


def sees_unit_capaian(user: User) -> bool:
    """The page of capaian per unit and point: HR (every unit) and heads (the units they lead)."""
    return sees_all_performance(user) or (user.employee is not None
                                          and is_head_of_unit(user.employee))


def manages_holidays(user: User) -> bool:
    """The holiday calendar (cuti bersama, local days): HR and admins."""
    return bool(user.is_hr or user.is_admin)


def manages_objection_rule(user: User) -> bool:
    """How the objection window is counted: HR and admins."""
    return bool(user.is_hr or user.is_admin)


# development


def can_plan_development(user: User, evaluation) -> bool:
    """A development plan is made by the evaluation's appraiser, or by HR (not for themselves)."""
    return can_appraise(user, evaluation.employee, evaluation.skp) or (
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
    return can_appraise(user, evaluation.employee, evaluation.skp) or bool(user.is_hr)


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
    """The rencana tindak lanjut of a unit's published IKM: its head or a head above it, and HR
    (which publishes the result with its plan, and approves what a head submits)."""
    return manages_publication(user) or heads(user.employee, unit)


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

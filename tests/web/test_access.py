"""The authorisation matrix: every route of the app, for every role.

Routes are read from the app's URL map, so a new route that is not in WHO_MAY below fails
this test until someone decides who may use it. A kiosk tablet's device token is checked over
the same routes: it opens only KIOSK_DEVICE and is an anonymous caller everywhere else.
"""
import pytest

from kinerja.organisation import access
from tests.builders import make_activity, make_counter, make_period, make_rhk, make_skp

ANYONE = "anyone"  # no login needed
EVERY_USER = {"employee", "supervisor", "head", "hr", "admin", "outsider"}
ORGANISATION_KEEPERS = {"hr", "admin"}
ADMINS = {"admin"}
# Objects used in URLs belong to `org.employee` (Ani, in Bidang Pelayanan under Budi, under
# the head of the Dinas); the outsider works in another dinas.
EMPLOYEE_SEERS = {"employee", "supervisor", "head", "hr", "admin"}
# Performance data (SKP, activities, evidence, realisation) of `org.employee`: admins keep the
# system and do not read people's performance unless they are HR too.
PERFORMANCE_SEERS = {"employee", "supervisor", "head", "hr"}
OWNER = {"employee"}
DIRECT_SUPERVISOR = {"supervisor"}
HR = {"hr"}

WHO_MAY = {
    "static": ANYONE,
    "healthz": ANYONE,
    # Operations: /readyz for the load balancer; /metrics answers loopback or METRICS_TOKEN
    # only (tests/app/test_operations.py), and the matrix client comes from loopback.
    "readyz": ANYONE,
    "metrics": ANYONE,
    # The kiosk API authenticates by device token (401 without one): see test_kiosk_api.py.
    "kiosk.api_pair": ANYONE,
    "kiosk.api_config": ANYONE,
    "kiosk.api_ratings": ANYONE,
    "portal.flagged_ratings": HR,
    "portal.rating_exclude": HR,
    "portal.rating_include": HR,
    # The phone channel: public, the signed link names the counter (a bad one is a 404, see
    # test_phone.py); its QR poster is for HR, admins and the heads above the counter.
    "kiosk.phone_page": ANYONE,
    "kiosk.phone_ratings": ANYONE,
    "portal.counter_poster": {"supervisor", "head", "hr", "admin"},
    # IKM reports: HR every unit, a head of unit their units (Budi heads the section, the dinas
    # head the unit above it); API tokens are issued by admins; the JSON API authenticates by
    # API token (401 without one): see test_api_ikm.py and test_api_tokens.py.
    "portal.ikm_report": {"supervisor", "head", "hr"},
    "portal.ikm_report_xlsx": {"supervisor", "head", "hr"},
    "portal.ikm_report_pdf": {"supervisor", "head", "hr"},
    "portal.ikm_export_start": {"supervisor", "head", "hr"},
    "portal.ikm_live": {"supervisor", "head", "hr"},
    "portal.ikm_weights_page": HR,  # the element weight of each year's IKM
    # TPP inputs and their yearly formula: HR only (tests/integration/test_tpp.py).
    "portal.tpp_sheet": HR,
    "portal.tpp_sheet_xlsx": HR,
    "portal.tpp_sheet_pdf": HR,
    "portal.tpp_formula_page": HR,
    "portal.api_tokens": ADMINS,
    "portal.api_token_revoke": ADMINS,
    # The link to SIASN: its queue and resending refused results (tests/integration/test_siasn_outbox.py).
    "portal.siasn_queue": ORGANISATION_KEEPERS,
    "portal.siasn_push": ORGANISATION_KEEPERS,
    "portal.siasn_resend": ORGANISATION_KEEPERS,
    "portal.siasn_pull_start": ORGANISATION_KEEPERS,
    "portal.siasn_pull_detail": ORGANISATION_KEEPERS,
    "portal.siasn_pull_accept_all": ORGANISATION_KEEPERS,
    "portal.siasn_change_accept": ORGANISATION_KEEPERS,
    "portal.siasn_change_reject": ORGANISATION_KEEPERS,
    "portal.siasn_unor_map": ORGANISATION_KEEPERS,
    "portal.siasn_unor_save": ORGANISATION_KEEPERS,
    "api.ikm": ANYONE,
    # JSON API v1 (api area): token-authenticated (401 without one, 403 without the scope),
    # see test_api_v1.py; the OpenAPI document and its docs page are public.
    "api.ikm_elements": ANYONE,
    "api.units": ANYONE,
    "api.counters": ANYONE,
    "api.periods": ANYONE,
    "api.complaints_summary": ANYONE,
    "api.skp": ANYONE,
    "api.evaluations": ANYONE,
    "api.tpp": ANYONE,
    "api.openapi": ANYONE,
    "api.docs": ANYONE,
    # --- complaints, alerts, counter rosters (complaints area)
    # The matrix's counter is in Bidang Pelayanan, headed by Budi (the supervisor), inside the
    # dinas of the head: its complaints and roster are for them and HR; staff and admins get 403.
    "portal.complaint_list": {"supervisor", "head", "hr"},
    "portal.complaint_detail": {"supervisor", "head", "hr"},
    "portal.complaint_act": {"supervisor", "head", "hr"},
    "portal.counter_roster": {"supervisor", "head", "hr"},
    "portal.counter_roster_set": {"supervisor", "head", "hr"},
    "portal.counter_roster_copy": {"supervisor", "head", "hr"},
    "portal.staff_satisfaction": PERFORMANCE_SEERS,
    # The kiosk shell, its service worker and manifest: public, no personal data.
    "kiosk.app": ANYONE,
    # --- the public face (published results and awards): no login, nothing unpublished
    "public.index": ANYONE,
    "kiosk.service_worker": ANYONE,
    "kiosk.manifest": ANYONE,
    "portal.login": ANYONE,
    "portal.set_language": ANYONE,
    "portal.logout": EVERY_USER,
    "portal.dashboard": EVERY_USER,
    "portal.change_password": EVERY_USER,
    "portal.session_list": EVERY_USER,
    "portal.session_end_others": EVERY_USER,
    "portal.session_end": {"employee", "admin"},  # the session in URLs is the employee's
    "portal.account_end_sessions": ADMINS,
    # Two-factor login: the code step of a login (a logged-in user is sent home, an anonymous
    # one back to the password); one's own setting up and recovery codes; an admin's reset of
    # another account (the matrix's account has none set up: the admin gets a message).
    "portal.login_code": ANYONE,
    "portal.two_factor_status": EVERY_USER,
    "portal.two_factor_enrol": EVERY_USER,
    "portal.two_factor_regenerate": EVERY_USER,
    "portal.account_reset_two_factor": ADMINS,
    "portal.employee_detail": EMPLOYEE_SEERS,
    "portal.unit_detail": EMPLOYEE_SEERS,
    "portal.employee_list": ORGANISATION_KEEPERS,
    "portal.employee_create": ORGANISATION_KEEPERS,
    "portal.employee_edit": ORGANISATION_KEEPERS,
    "portal.employee_lookup": ORGANISATION_KEEPERS,
    "portal.employee_moves": ORGANISATION_KEEPERS,
    "portal.employee_transfer": ORGANISATION_KEEPERS,
    "portal.employee_leave": ORGANISATION_KEEPERS,
    "portal.employee_leave_remove": ORGANISATION_KEEPERS,
    "portal.employee_import_upload": ORGANISATION_KEEPERS,
    "portal.employee_import_commit": ORGANISATION_KEEPERS,
    "portal.employee_import_template": ORGANISATION_KEEPERS,
    "portal.unit_tree": ORGANISATION_KEEPERS,
    "portal.unit_create": ORGANISATION_KEEPERS,
    "portal.unit_edit": ORGANISATION_KEEPERS,
    "portal.counter_list": ORGANISATION_KEEPERS,
    "portal.counter_create": ORGANISATION_KEEPERS,
    "portal.counter_edit": ORGANISATION_KEEPERS,
    "portal.service_create": ORGANISATION_KEEPERS,
    "portal.account_list": ADMINS,
    "portal.account_edit": ADMINS,
    "portal.account_reset_password": ADMINS,
    "portal.account_unlock": ADMINS,
    "portal.account_set_enabled": ADMINS,
    "portal.audit_log": ADMINS,
    "portal.audit_log_xlsx": ADMINS,
    # The kabupaten's identity: admins edit it; its logo and accent stylesheet are public (the
    # public pages and the kiosk show them). See tests/web/test_identity_pages.py.
    "portal.identity_settings": ADMINS,
    # The holiday calendar and the objection window: HR and admins (test_holiday_pages.py).
    "portal.holiday_list": ORGANISATION_KEEPERS,
    "portal.holiday_add": ORGANISATION_KEEPERS,
    "portal.holiday_remove": ORGANISATION_KEEPERS,
    "portal.settings_objection_rule": ORGANISATION_KEEPERS,
    "public.identity_logo": ANYONE,
    "public.identity_stylesheet": ANYONE,
    "portal.kiosk_list": ORGANISATION_KEEPERS,
    "portal.kiosk_register": ORGANISATION_KEEPERS,
    "portal.kiosk_pairing_code": ORGANISATION_KEEPERS,
    "portal.kiosk_revoke": ORGANISATION_KEEPERS,
    # --- SKP, periods, cascade (skp area)
    "portal.skp_mine": EVERY_USER,
    "portal.skp_start": EVERY_USER,
    "portal.skp_detail": PERFORMANCE_SEERS,
    "portal.skp_version": PERFORMANCE_SEERS,
    # Changing a plan is for its owner, deciding on it for the direct supervisor.
    "portal.rhk_create": OWNER,
    "portal.rhk_edit": OWNER,
    "portal.rhk_remove": OWNER,
    "portal.indicator_create": OWNER,
    "portal.indicator_edit": OWNER,
    "portal.indicator_remove": OWNER,
    "portal.skp_submit": OWNER,
    "portal.skp_withdraw": OWNER,
    "portal.skp_approve": DIRECT_SUPERVISOR,
    # HR transcribes the PPK's signed approval, only for plans the PPK approves (not Ani's):
    # tests/performance/test_ppk_skp_approval.py.
    "portal.skp_record_ppk_approval": set(),
    "portal.skp_return": DIRECT_SUPERVISOR,
    # The annex: the Lampiran is drafted with the plan, the ekspektasi khusus are the leader's.
    "portal.skp_attachment_save": OWNER,
    "portal.skp_expectations_save": DIRECT_SUPERVISOR,
    "portal.period_list": HR,
    "portal.period_open": HR,
    "portal.period_close": HR,
    "portal.unit_goals": {"supervisor", "head", "hr"},
    "portal.unit_goal_remove": {"supervisor", "head", "hr"},
    "portal.unit_cascade": {"supervisor", "head", "hr"},
    # --- daily activities, evidence, supervisor feed (activities area)
    # Own week and entry for everyone (admins report their own work too); one activity and its
    # evidence for the owner; the review for the direct supervisor; the feed for whoever has a
    # team (supervisors, heads of unit) and HR.
    "portal.activity_week": EVERY_USER,
    "portal.activity_indicators": EVERY_USER,
    "portal.activity_rhk_fields": EVERY_USER,
    "portal.activity_copy_previous": EVERY_USER,
    "portal.activity_edit": OWNER,
    "portal.activity_evidence_upload": OWNER,
    "portal.evidence_remove": OWNER,
    "portal.activity_delete": OWNER,
    "portal.evidence_download": PERFORMANCE_SEERS,
    "portal.activity_verify": DIRECT_SUPERVISOR,
    "portal.activity_return": DIRECT_SUPERVISOR,
    "portal.activity_comment": DIRECT_SUPERVISOR,
    "portal.team_feed": {"supervisor", "head", "hr"},
    "portal.team_feed_new": {"supervisor", "head", "hr"},
    # Bulk verify: whoever has the feed may post; each activity is then checked on its own
    # (only the direct supervisor's are verified, see test_team_feed.py).
    "portal.team_verify_many": {"supervisor", "head", "hr"},
    # --- realisation, feedback, dialogues, progress, heatmap (realisation area)
    "portal.realisation_month": PERFORMANCE_SEERS,
    "portal.realisation_save": OWNER,
    "portal.realisation_evidence_upload": OWNER,
    # The matrix's evidence belongs to an activity: the owner gets a 400, everyone else a 403.
    "portal.realisation_evidence_remove": OWNER,
    "portal.feedback_add": DIRECT_SUPERVISOR,
    "portal.dialogue_add": DIRECT_SUPERVISOR,
    "portal.progress_mine": EVERY_USER,
    "portal.progress_of": PERFORMANCE_SEERS,
    # The section's head is Budi (the supervisor); the dinas head leads the unit above it.
    "portal.unit_heatmap": {"supervisor", "head", "hr"},
    # --- appraisals: evaluations, self-assessment, objections (appraisal area)
    # The matrix's evaluation is of org.employee (Ani), appraised by Budi (the supervisor); an
    # objection is decided by Budi's supervisor (the head).
    "portal.appraisal_home": EVERY_USER,
    "portal.evaluation_detail": PERFORMANCE_SEERS,
    "portal.evaluation_open": {"employee", "supervisor"},
    "portal.evaluation_self": OWNER,
    "portal.evaluation_rate": DIRECT_SUPERVISOR,
    "portal.evaluation_check": DIRECT_SUPERVISOR,
    "portal.evaluation_acknowledge": OWNER,
    "portal.evaluation_object": OWNER,
    "portal.objection_answer": DIRECT_SUPERVISOR,
    "portal.objection_decide": {"head"},
    # --- chain of authority: who the PPK is (admins), Plt/Plh and the chart's warnings (HR)
    "portal.ppk_settings": ADMINS,
    "portal.chain_of_authority": HR,
    "portal.acting_add": HR,
    "portal.acting_remove": HR,
    # --- documents: SKP and evaluation PDF, predikat recap (documents area)
    # The PDFs follow the performance they print; the recap is HR's (every unit, with the
    # employees) and a head of unit's (their units: Budi heads the section, the head the dinas).
    "portal.skp_pdf": PERFORMANCE_SEERS,
    "portal.evaluation_pdf": PERFORMANCE_SEERS,
    "portal.predikat_recap_xlsx": {"supervisor", "head", "hr"},
    "portal.predikat_recap_start": {"supervisor", "head", "hr"},
    # Bulk print: HR any unit, a head the units they lead (Budi heads the section).
    "portal.bulk_print_form": {"supervisor", "head", "hr"},
    # Background jobs: one's own list; a job's page and file only for its starter (HR's recap).
    "portal.job_list": EVERY_USER,
    "portal.job_detail": HR,
    "portal.job_download": HR,
    # --- unit performance, unit predikat, distribution limits (unit performance area)
    # The comparison: HR and anyone who heads a unit; one unit (the section, headed by Budi,
    # inside the head's dinas): its heads and HR. The capaian kinerja organisasi is set by the
    # unit's own leader only (Budi for the section), seen and printed by the heads above and
    # HR; the limits table is HR's (admins keep the system, not the appraisal settings).
    "portal.unit_performance_compare": {"supervisor", "head", "hr"},
    "portal.unit_performance_detail": {"supervisor", "head", "hr"},
    "portal.unit_predikat_list": {"supervisor", "head", "hr"},
    "portal.unit_predikat_set": DIRECT_SUPERVISOR,
    "portal.unit_capaian_pdf": {"supervisor", "head", "hr"},
    "portal.distribution_limits": HR,
    "portal.distribution_limit_add": HR,
    "portal.distribution_limit_edit": HR,
    "portal.distribution_limits_customise": HR,
    "portal.distribution_limits_reset": HR,
    "portal.distribution_limit_remove": HR,
    # --- training catalogue, development plans, training needs (development area)
    # The catalogue and the needs report are HR's; the plan of Ani's March evaluation is seen
    # by whoever sees her performance and made by her appraiser (Budi) or HR; Ani records her
    # own training, as may Budi and HR; the certificate goes with her performance.
    "portal.course_list": HR,
    "portal.course_create": HR,
    "portal.course_edit": HR,
    "portal.training_needs": HR,
    "portal.training_needs_xlsx": HR,
    "portal.development_plan": PERFORMANCE_SEERS,  # GET; POST: supervisor and HR
    "portal.training_record_update": {"employee", "supervisor", "hr"},
    "portal.training_certificate": PERFORMANCE_SEERS,
    # --- peer feedback, notifications (peer feedback area)
    # Peer feedback on the matrix's evaluation (Ani's, appraised by Budi) is asked by the
    # appraiser or HR (the page stays readable once the evaluation is set; asking then is a 400);
    # the request is addressed to org.teammate, who is not one of the matrix's roles, so every
    # one of them gets a 403 on it. The notification is org.employee's.
    "portal.peer_feedback_requests": {"supervisor", "hr"},
    "portal.peer_feedback_inbox": EVERY_USER,
    "portal.peer_feedback_answer": set(),
    "portal.notification_list": EVERY_USER,
    "portal.notification_read": OWNER,
    "portal.notification_read_all": EVERY_USER,
    # --- recognition: awards, nominations, public page (recognition area)
    # The matrix's draft award takes in the dinas; HR runs it. Nominating is for the heads in
    # its scope (Budi heads the section, the head the dinas); the list is for them and HR. The
    # winner (Ani, of a published award) downloads her own certificate; HR every one.
    "portal.award_list": {"supervisor", "head", "hr"},
    "portal.award_create": HR,
    "portal.award_edit": HR,
    "portal.award_detail": HR,
    "portal.award_candidate_add": HR,
    "portal.award_candidate_remove": HR,
    "portal.award_decide": HR,
    "portal.award_reopen": HR,
    "portal.award_publish": HR,
    "portal.award_withdraw": HR,
    "portal.award_winner_citation": HR,
    "portal.award_winner_photo": HR,
    "portal.award_winner_photo_remove": HR,
    "portal.award_winner_photo_view": HR,
    "portal.award_certificate": {"employee", "hr"},
    "portal.award_nominate": {"supervisor", "head"},
    "public.awards": ANYONE,
    "public.award_photo": ANYONE,
    "api.awards": ANYONE,
    # --- publication of IKM, follow-up statements, the guide (transparency area)
    # Public pages need no login and show only what HR published. HR publishes, withdraws and
    # decides on follow-up statements; the statement of the section's publication is written by
    # its heads (Budi heads the section, the head the dinas). The guide is for every user.
    "public.ikm_list": ANYONE,
    "public.ikm_detail": ANYONE,
    "portal.publication_list": HR,
    "portal.publication_create": HR,
    "portal.publication_withdraw": HR,
    "portal.follow_up_decide": HR,
    "portal.follow_up_list": {"supervisor", "head"},
    # The rencana tindak lanjut: its heads write it, HR too (and approves it).
    "portal.follow_up_edit": {"supervisor", "head", "hr"},
    "portal.follow_up_row_add": {"supervisor", "head", "hr"},
    "portal.follow_up_row_edit": {"supervisor", "head", "hr"},
    "portal.follow_up_row_remove": {"supervisor", "head", "hr"},
    "portal.follow_up_row_progress": {"supervisor", "head", "hr"},
    # Investigations of alerts: as the section's complaints. Complaints by telephone, LAPOR! or
    # at the desk are entered by HR; disciplinary sanctions are HR's alone.
    "portal.investigation_list": {"supervisor", "head", "hr"},
    "portal.investigation_open": {"supervisor", "head", "hr"},
    "portal.investigation_detail": {"supervisor", "head", "hr"},
    "portal.complaint_record": HR,
    "portal.sanction_list": HR,
    "portal.sanction_create": HR,
    "portal.sanction_revoke": HR,
    "portal.guide_index": EVERY_USER,
    "portal.guide_page": EVERY_USER,
    "portal.guide_handout": EVERY_USER,
}

# What a kiosk's device token (Authorization: Bearer, no session) opens: the two endpoints the
# tablet calls. It is neither a login nor an API token, so everywhere else it gets exactly what
# an anonymous caller gets. What it may do there is in test_kiosk_api.py.
KIOSK_DEVICE = {"kiosk.api_config", "kiosk.api_ratings"}


def _performance_objects(org) -> dict:
    """An open period and org.employee's SKP, RHK, activity with evidence, realisation,
    feedback and dialogue, for the URLs that name them."""
    from datetime import date
    from decimal import Decimal

    from kinerja.extensions import db
    from kinerja.performance import evidence
    from kinerja.performance.models import Dialogue, Feedback, Realisation, UnitGoal
    period = make_period(2026)
    goal = UnitGoal(period=period, unit=org.section, text="Meningkatnya kualitas layanan")
    db.session.add(goal)
    skp = make_skp(org.employee.employee, period)
    rhk = make_rhk(skp)
    activity = make_activity(org.employee.employee, rhk, date(2026, 3, 2))
    realisation = Realisation(indicator=rhk.indicators[0], month=3, value=Decimal("2"))
    db.session.add(realisation)
    file = evidence.store(org.employee, org.employee.employee, b"%PDF-1.4 bukti", "bukti.pdf",
                          activity=activity)
    realisation_file = evidence.store(org.employee, org.employee.employee, b"%PDF-1.4 bukti",
                                      "realisasi.pdf", realisation=realisation)
    feedback = Feedback(rhk=rhk, month=3, author=org.supervisor.employee, text="Bagus")
    dialogue = Dialogue(skp=skp, held_on=date(2026, 3, 5), author=org.supervisor.employee,
                        notes="Dialog triwulan")
    from kinerja.performance.models import SkpVersion
    from kinerja.performance.skp_workflow import snapshot
    version = SkpVersion(skp_id=skp.id, number=1, approved_by=org.supervisor.employee,
                         content=snapshot(skp))
    db.session.add_all([feedback, dialogue, version])
    db.session.commit()
    return {"period_id": period.id, "year": 2026, "goal_id": goal.id, "skp_id": skp.id,
            "rhk_id": rhk.id, "indicator_id": rhk.indicators[0].id, "activity_id": activity.id,
            "evidence_id": file.id,
            "realisation_evidence_id": realisation_file.id, "realisation_id": realisation.id, "month": 3,
            "feedback_id": feedback.id, "dialogue_id": dialogue.id, "version": 1}


def _appraisal_objects(org, values) -> dict:
    """A set evaluation of org.employee's SKP for March, rated Butuh Perbaikan."""
    from kinerja.extensions import db
    from kinerja.performance.models import Skp
    from tests.builders import make_evaluation
    skp = db.session.get(Skp, values["skp_id"])
    evaluation = make_evaluation(skp, point=3, result="di_bawah", behaviour="sesuai")
    return {"evaluation_id": evaluation.id, "kind": "periodik", "point": 3}


def _development_objects(org, values) -> dict:
    """Training course, development plan, training record (development area)."""
    from kinerja.appraisal.models import DevelopmentPlan, TrainingCourse, TrainingRecord
    from kinerja.extensions import db
    from kinerja.performance import evidence
    course = TrainingCourse(title="Pelayanan Prima", topic="Pelayanan publik", hours=8,
                            behaviours=["berorientasi_pelayanan"])
    plan = DevelopmentPlan(evaluation_id=values["evaluation_id"],
                           employee=org.employee.employee, goals="Pelayanan lebih cepat")
    certificate = evidence.store(org.employee, org.employee.employee, b"%PDF-1.4 sertifikat",
                                 "sertifikat.pdf")
    record = TrainingRecord(employee=org.employee.employee, course=course, plan=plan,
                            certificate_evidence_id=certificate.id)
    db.session.add_all([course, plan, record])
    db.session.commit()
    return {"course_id": course.id, "plan_id": plan.id, "record_id": record.id}


def _peer_feedback_objects(org, values) -> dict:
    """A peer feedback request to org.teammate about Ani's evaluation, and a notification for
    org.employee (peer feedback area)."""
    from datetime import date

    from kinerja.appraisal.models import Evaluation, PeerFeedbackRequest
    from kinerja.extensions import db
    from kinerja.notifications.models import Notification
    evaluation = db.session.get(Evaluation, values["evaluation_id"])
    feedback = PeerFeedbackRequest(evaluation=evaluation, colleague=org.teammate.employee,
                                   requested_by=org.supervisor, due_on=date(2026, 4, 10))
    notification = Notification(user=org.employee, kind="skp_returned", key="matrix",
                                link="/skp", params={})
    db.session.add_all([feedback, notification])
    db.session.commit()
    return {"request_id": feedback.id, "notification_id": notification.id}


def _unit_performance_objects(org, values) -> dict:
    """Anything the unit performance pages name in their URLs (unit performance area): a line
    of HR's distribution table, the section's annual capaian set by Budi, its leader."""
    from kinerja.appraisal.models import DistributionLimit, UnitPredikat
    from kinerja.extensions import db
    row = DistributionLimit(organisation="baik", predikats="baik", max_percent=70)
    db.session.add(row)
    db.session.add(UnitPredikat(unit_id=org.section.id, period_id=values["period_id"],
                                predikat="baik", leader_id=org.supervisor.employee.id))
    db.session.commit()
    return {"limit_id": row.id, "titik": "tahunan"}


def _recognition_objects(org, values) -> dict:
    """A draft award over the dinas, and a published award won by org.employee (Ani) with a
    photo she agreed to show (recognition area)."""
    from kinerja.extensions import db
    from kinerja.performance.models import Period
    from kinerja.recognition.models import AwardStatus
    from tests.recognition.builders import PNG_BYTES, make_award, make_winner
    period = db.session.get(Period, values["period_id"])
    draft = make_award(period, unit=org.dinas, name="ASN Teladan Dinas")
    published = make_award(period, unit=org.dinas, name="Pegawai Teladan",
                           status=AwardStatus.PUBLISHED)
    winner = make_winner(published, org.employee.employee, photo=PNG_BYTES)
    return {"award_id": draft.id, "winner_id": winner.id}


def _flagged_rating(counter):
    from datetime import date

    from kinerja.extensions import db
    from tests.builders import make_rating
    rating = make_rating(counter, date(2026, 3, 2))
    rating.flag = "burst"
    db.session.commit()
    return rating


def _publication_objects(org, values) -> dict:
    """A published IKM of the section with a submitted follow-up statement, a guide page and
    a handout (transparency area)."""
    from datetime import date

    from kinerja.extensions import db
    from kinerja.publication.models import (
        FollowUpAction,
        FollowUpPlan,
        IkmPublication,
        StatementStatus,
    )
    found = IkmPublication(unit=org.section, start=date(2026, 1, 1), end=date(2026, 3, 31),
                           label="Triwulan I 2026", published_by_id=org.hr.id)
    plan = FollowUpPlan(publication=found, note="Menambah petugas pada jam sibuk.",
                        status=StatementStatus.SUBMITTED, author_id=org.supervisor.employee.id)
    action = FollowUpAction(plan=plan, element="U3", programme="Petugas tambahan jam sibuk",
                            due_on=date(2026, 6, 30), responsible="Kepala Bidang Pelayanan")
    db.session.add_all([found, plan, action])
    db.session.commit()
    return {"publication_id": found.id, "plan_id": plan.id, "action_id": action.id,
            "slug": "skp", "role": "pegawai"}


def _survey_follow_up_objects(org, counter) -> dict:
    """An open investigation of the matrix's counter (in the section) and a sanction of Ani."""
    from datetime import date

    from kinerja.appraisal.models import DisciplinarySanction, SanctionLevel
    from kinerja.extensions import db
    from kinerja.feedback.models import Investigation, InvestigationKind
    investigation = Investigation(unit_id=counter.unit_id, counter_id=counter.id,
                                  kind=InvestigationKind.COMPLAINTS, alert_count=6,
                                  title="Banyak pengaduan", opened_by_id=org.hr.id)
    sanction = DisciplinarySanction(employee=org.employee.employee, level=SanctionLevel.LIGHT,
                                    imposed_on=date(2026, 2, 1), effective_from=date(2026, 2, 1),
                                    effective_to=date(2026, 7, 31), recorded_by_id=org.hr.id)
    db.session.add_all([investigation, sanction])
    db.session.commit()
    return {"investigation_id": investigation.id, "sanction_id": sanction.id}


def _job_objects(org, values) -> dict:
    """HR's predikat recap, made as a background job (done, with its file)."""
    from kinerja.appraisal import bulk_print
    from kinerja.extensions import db
    from kinerja.performance.models import Period
    job = bulk_print.start_recap(org.hr, db.session.get(Period, values["period_id"]), "id")
    assert job.has_file
    return {"job_id": job.id}


def route_requests(app, org, kiosk=None):
    """(endpoint, method, url) for every rule, with real objects in the URL (`kiosk` is the one
    the kiosk pages name; one is made when not given)."""
    counter = make_counter(org.section)
    from tests.builders import make_complaint, make_kiosk
    kiosk = kiosk or make_kiosk(counter)[0]
    values = {"kiosk_id": kiosk.id, "employee_id": org.employee.employee.id, "unit_id": org.section.id,
              "user_id": org.employee.id, "counter_id": counter.id, "filename": "css/app.css",
              "complaint_id": make_complaint(counter).id,
              "rating_id": _flagged_rating(counter).id,
              **_performance_objects(org)}
    from tests.builders import make_api_token
    values["token_id"] = make_api_token(org.admin)[0].id
    from kinerja.organisation import sessions
    values["session_id"] = sessions.start(org.employee, None, None).id
    from tests.builders import make_holiday
    values["holiday_id"] = make_holiday().id
    from tests.builders import make_leave
    values["leave_id"] = make_leave(org.teammate.employee).id
    from datetime import date

    from kinerja.extensions import db
    from kinerja.organisation.models import ActingKind, ActingOfficial
    # A Plh of 2020 (over long ago: it gives Rudi no rights in the matrix) to remove.
    acting = ActingOfficial(employee=org.teammate.employee, kind=ActingKind.PLH,
                            replaces=org.supervisor.employee, starts_on=date(2020, 1, 1),
                            ends_on=date(2020, 1, 31))
    db.session.add(acting)
    db.session.commit()
    values["acting_id"] = acting.id
    from kinerja.feedback import phone
    values["signed"] = phone.sign_counter(counter.id)
    values.update(_appraisal_objects(org, values))
    from kinerja.integration.models import OutboxStatus, SiasnOutbox
    entry = SiasnOutbox(evaluation_id=values["evaluation_id"], result_digest="refused",
                        status=OutboxStatus.REFUSED, last_error="NIP tidak ditemukan")
    db.session.add(entry)
    db.session.commit()
    values["entry_id"] = entry.id
    from kinerja.integration.models import SiasnChange, SiasnPull
    pulled = SiasnPull(scope="NIP", notes=[])
    change = SiasnChange(pull=pulled, employee_id=org.employee.employee.id, field="name",
                         current=org.employee.employee.name, proposed="Ani, S.E.")
    db.session.add_all([pulled, change])
    db.session.commit()
    values.update(pull_id=pulled.id, change_id=change.id)
    values.update(_development_objects(org, values))
    values.update(_peer_feedback_objects(org, values))
    values.update(_unit_performance_objects(org, values))
    values.update(_recognition_objects(org, values))
    values.update(_publication_objects(org, values))
    values.update(_survey_follow_up_objects(org, counter))
    values.update(_job_objects(org, values))
    with app.test_request_context():
        from flask import url_for
        requests = []
        for rule in app.url_map.iter_rules():
            method = "GET" if "GET" in rule.methods else "POST"
            args = {name: values[name] for name in rule.arguments}
            if rule.endpoint == "portal.realisation_evidence_remove":
                args["evidence_id"] = values["realisation_evidence_id"]
            requests.append((rule.endpoint, method, url_for(rule.endpoint, **args)))
    # Reads first, then changes, then removals, the smallest objects first: a removal must not
    # turn later checks on the same object into 404s, whatever order routes were registered in.
    def order(request):
        endpoint, method, _ = request
        removal = any(word in endpoint for word in ("remove", "delete", "revoke", "logout"))
        rank = next((n for n, part in enumerate(("evidence", "indicator", "activity", "rhk"))
                     if part in endpoint), 9)
        return (method != "GET", removal, rank)
    return sorted(requests, key=order)


def test_every_route_has_a_decision(app):
    assert {rule.endpoint for rule in app.url_map.iter_rules()} == set(WHO_MAY)


@pytest.mark.parametrize("role", sorted(EVERY_USER | {"anonymous"}))
def test_authorisation_matrix(app, org, login_as, role):
    client = app.test_client() if role == "anonymous" else login_as(role)
    for endpoint, method, url in route_requests(app, org):
        response = client.open(url, method=method)
        allowed = WHO_MAY[endpoint]
        where = f"{role} {method} {url}"
        assert response.status_code < 500, where
        if allowed == ANYONE:
            assert response.status_code != 403, where
        elif role == "anonymous":
            assert response.status_code == 302, where
            assert response.headers["Location"].startswith("/masuk"), where
        elif role in allowed:
            assert response.status_code not in (401, 403, 404), where
        else:
            assert response.status_code == 403, where
        if endpoint == "portal.logout" and role != "anonymous":
            client = login_as(role)  # logging out is allowed; log back in for the rest


def _tablet_sends(endpoint: str) -> dict:
    """What the tablet sends besides its token: a batch of one rating to the submit endpoint
    (an empty body there is a 400), nothing anywhere else."""
    if endpoint != "kiosk.api_ratings":
        return {}
    from datetime import UTC, datetime

    from tests.builders import rating_item
    return {"json": {"ratings": [rating_item(datetime.now(UTC))]}}


def test_a_kiosk_token_opens_only_the_kiosk_device_endpoints(app, org):
    """Every route again, with a kiosk's device token and no session: the device endpoints
    answer 200; every other route answers as it answers an anonymous caller (whose row of the
    matrix test_authorisation_matrix pins down): the login page for portal pages, 401 for the
    JSON API (a device token is not an API token), the public pages as they are. The token is
    that of the kiosk the portal's kiosk pages name, so even those stay shut to it."""
    from tests.builders import make_kiosk
    assert KIOSK_DEVICE <= {rule.endpoint for rule in app.url_map.iter_rules()}
    kiosk, token = make_kiosk(make_counter(org.section), "Tablet matriks")
    tablet, anonymous = app.test_client(), app.test_client()
    tablet.environ_base["HTTP_AUTHORIZATION"] = f"Bearer {token}"
    for endpoint, method, url in route_requests(app, org, kiosk):
        response = tablet.open(url, method=method, **_tablet_sends(endpoint))
        where = f"kiosk token {method} {url}"
        if endpoint in KIOSK_DEVICE:
            assert response.status_code == 200, where
            continue
        expected = anonymous.open(url, method=method)
        assert response.status_code == expected.status_code, where
        assert response.headers.get("Location") == expected.headers.get("Location"), where


def test_supervisor_rights_follow_the_chart_not_a_flag(app, org):
    budi, ani = org.supervisor.employee, org.employee.employee
    assert access.can_view_employee(org.supervisor, ani)
    assert access.can_view_employee(org.head, ani)  # up the chain
    assert access.can_view_employee(org.employee, budi) is False  # not upwards
    ani.supervisor = None
    ani.unit = org.other_dinas
    assert not access.can_view_employee(org.supervisor, ani)
    assert not access.can_view_employee(org.head, ani)


def test_colleagues_do_not_see_each_other(org):
    assert not access.can_view_employee(org.teammate, org.employee.employee)
    assert not access.can_view_employee(org.outsider, org.employee.employee)
    assert access.can_view_employee(org.employee, org.employee.employee)


def test_a_missing_object_is_a_404_not_a_500(login_as, org):
    hr = login_as("hr")
    assert hr.get("/pegawai/999999").status_code == 404
    assert hr.get("/unit/999999/ubah").status_code == 404

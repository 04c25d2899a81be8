"""The authorisation matrix: every route of the app, for every role.

Routes are read from the app's URL map, so a new route that is not in WHO_MAY below fails
this test until someone decides who may use it.
"""
import pytest

from kinerja.services import access
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
    "portal.ikm_live": {"supervisor", "head", "hr"},
    "portal.api_tokens": ADMINS,
    "portal.api_token_revoke": ADMINS,
    "api.ikm": ANYONE,
    # JSON API v1 (api area): token-authenticated (401 without one, 403 without the scope),
    # see test_api_v1.py; the OpenAPI document and its docs page are public.
    "api.ikm_elements": ANYONE,
    "api.units": ANYONE,
    "api.counters": ANYONE,
    "api.periods": ANYONE,
    "api.complaints_summary": ANYONE,
    "api.skp": ANYONE,
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
    "kiosk.service_worker": ANYONE,
    "kiosk.manifest": ANYONE,
    "portal.login": ANYONE,
    "portal.set_language": ANYONE,
    "portal.logout": EVERY_USER,
    "portal.dashboard": EVERY_USER,
    "portal.change_password": EVERY_USER,
    "portal.employee_detail": EMPLOYEE_SEERS,
    "portal.unit_detail": EMPLOYEE_SEERS,
    "portal.employee_list": ORGANISATION_KEEPERS,
    "portal.employee_create": ORGANISATION_KEEPERS,
    "portal.employee_edit": ORGANISATION_KEEPERS,
    "portal.employee_lookup": ORGANISATION_KEEPERS,
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
    "portal.skp_return": DIRECT_SUPERVISOR,
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
}


def _performance_objects(org) -> dict:
    """An open period and org.employee's SKP, RHK, activity with evidence, realisation,
    feedback and dialogue, for the URLs that name them."""
    from datetime import date
    from decimal import Decimal

    from kinerja.extensions import db
    from kinerja.models import Dialogue, Feedback, Realisation, UnitGoal
    from kinerja.services import evidence
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
    from kinerja.models import SkpVersion
    from kinerja.services.skp_workflow import snapshot
    version = SkpVersion(skp_id=skp.id, number=1, approved_by=org.supervisor.employee,
                         content=snapshot(skp))
    db.session.add_all([feedback, dialogue, version])
    db.session.commit()
    return {"period_id": period.id, "year": 2026, "goal_id": goal.id, "skp_id": skp.id,
            "rhk_id": rhk.id, "indicator_id": rhk.indicators[0].id, "activity_id": activity.id,
            "evidence_id": file.id,
            "realisation_evidence_id": realisation_file.id, "realisation_id": realisation.id, "month": 3,
            "feedback_id": feedback.id, "dialogue_id": dialogue.id, "version": 1}


def _flagged_rating(counter):
    from datetime import date

    from kinerja.extensions import db
    from tests.builders import make_rating
    rating = make_rating(counter, date(2026, 3, 2))
    rating.flag = "burst"
    db.session.commit()
    return rating


def _requests(app, org):
    """(endpoint, method, url) for every rule, with real objects in the URL."""
    counter = make_counter(org.section)
    from tests.builders import make_complaint, make_kiosk
    kiosk, _ = make_kiosk(counter)
    values = {"kiosk_id": kiosk.id, "employee_id": org.employee.employee.id, "unit_id": org.section.id,
              "user_id": org.employee.id, "counter_id": counter.id, "filename": "css/app.css",
              "complaint_id": make_complaint(counter).id,
              "rating_id": _flagged_rating(counter).id,
              **_performance_objects(org)}
    from tests.builders import make_api_token
    values["token_id"] = make_api_token(org.admin)[0].id
    from kinerja.services import phone
    values["signed"] = phone.sign_counter(counter.id)
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
    for endpoint, method, url in _requests(app, org):
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

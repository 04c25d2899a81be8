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
    # --- SKP, periods, cascade (skp area)
    # --- daily activities, evidence, supervisor feed (activities area)
    # --- realisation, feedback, dialogues, progress, heatmap (realisation area)
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
    feedback = Feedback(rhk=rhk, month=3, author=org.supervisor.employee, text="Bagus")
    dialogue = Dialogue(skp=skp, held_on=date(2026, 3, 5), author=org.supervisor.employee,
                        notes="Dialog triwulan")
    db.session.add_all([feedback, dialogue])
    db.session.commit()
    return {"period_id": period.id, "year": 2026, "goal_id": goal.id, "skp_id": skp.id,
            "rhk_id": rhk.id, "indicator_id": rhk.indicators[0].id, "activity_id": activity.id,
            "evidence_id": file.id, "realisation_id": realisation.id, "month": 3,
            "feedback_id": feedback.id, "dialogue_id": dialogue.id, "version": 1}


def _requests(app, org):
    """(endpoint, method, url) for every rule, with real objects in the URL."""
    counter = make_counter(org.section)
    values = {"employee_id": org.employee.employee.id, "unit_id": org.section.id,
              "user_id": org.employee.id, "counter_id": counter.id, "filename": "css/app.css",
              **_performance_objects(org)}
    with app.test_request_context():
        from flask import url_for
        for rule in app.url_map.iter_rules():
            method = "GET" if "GET" in rule.methods else "POST"
            args = {name: values[name] for name in rule.arguments}
            yield rule.endpoint, method, url_for(rule.endpoint, **args)


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

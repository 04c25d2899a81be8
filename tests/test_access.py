"""The authorisation matrix: every route of the app, for every role.

Routes are read from the app's URL map, so a new route that is not in WHO_MAY below fails
this test until someone decides who may use it.
"""
import pytest

from kinerja.services import access
from tests.builders import make_counter

ANYONE = "anyone"  # no login needed
EVERY_USER = {"employee", "supervisor", "head", "hr", "admin", "outsider"}
ORGANISATION_KEEPERS = {"hr", "admin"}
ADMINS = {"admin"}
# Objects used in URLs belong to `org.employee` (Ani, in Bidang Pelayanan under Budi, under
# the head of the Dinas); the outsider works in another dinas.
EMPLOYEE_SEERS = {"employee", "supervisor", "head", "hr", "admin"}

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
}


def _requests(app, org):
    """(endpoint, method, url) for every rule, with real objects in the URL."""
    counter = make_counter(org.section)
    values = {"employee_id": org.employee.employee.id, "unit_id": org.section.id,
              "user_id": org.employee.id, "counter_id": counter.id, "filename": "css/app.css"}
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

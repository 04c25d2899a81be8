"""The JSON API v1 beyond GET /ikm: units, counters, periods, IKM per month, complaint counts and
the HR-only SKP summary; the same pagination, filters and problem+json refusals everywhere;
scopes, expiry and revocation; and no token reaching data outside its scope."""
from datetime import UTC, date, datetime, timedelta
from fractions import Fraction

import pytest
import sqlalchemy as sa
import time_machine

from kinerja.appraisal.models import EvaluationStatus
from kinerja.core.models import AuditEvent
from kinerja.core.numbers import percent
from kinerja.extensions import db
from kinerja.feedback.models import ComplaintStatus
from kinerja.integration import api_tokens
from kinerja.integration.models import ApiToken
from kinerja.performance.models import PeriodStatus, SkpStatus
from kinerja.performance.progress import progress_report
from tests.builders import (
    make_activity,
    make_api_token,
    make_complaint,
    make_counter,
    make_evaluation,
    make_period,
    make_realisation,
    make_rhk,
    make_rollup,
    make_service,
    make_skp,
)

NOW = datetime(2026, 4, 15, 2, 0, tzinfo=UTC)  # Wednesday 10:00 WITA

pytestmark = pytest.mark.usefixtures("frozen_clock")
BOTH = ("ikm:read", "kinerja:read")
LISTS = ["/units", "/counters", "/periods", "/ikm/elements", "/complaints/summary", "/skp",
         "/evaluations"]
WITH_UNIT = ["/units", "/counters", "/ikm/elements", "/complaints/summary", "/skp", "/evaluations"]
WITH_RANGE = ["/ikm/elements", "/complaints/summary"]


@pytest.fixture
def data(org):
    """Two counters (one in the section, one in the other dinas), two periods, complaints of
    every state, rollups for January and March, and two SKPs for 2026."""
    section_counter = make_counter(org.section, code="DUK-01", name="Loket 1 KTP-el",
                                   services=[make_service("KTP-EL", "KTP-el")])
    other_counter = make_counter(org.other_dinas, code="DINKES-01", name="Loket Kesehatan")
    make_period(2025, status=PeriodStatus.CLOSED)
    period = make_period(2026)
    make_complaint(section_counter, "Petugas tidak ada", received_at=datetime(2026, 4, 1, 1, 0, tzinfo=UTC),
                   contact="0812345678", consent=True)
    make_complaint(section_counter, received_at=datetime(2026, 4, 14, 1, 0, tzinfo=UTC),
                   status=ComplaintStatus.IN_PROGRESS)
    make_complaint(section_counter, received_at=datetime(2026, 3, 10, 1, 0, tzinfo=UTC),
                   status=ComplaintStatus.CLOSED)
    make_complaint(section_counter, received_at=datetime(2025, 12, 30, 1, 0, tzinfo=UTC))
    make_complaint(other_counter, received_at=datetime(2026, 4, 2, 1, 0, tzinfo=UTC),
                   status=ComplaintStatus.ANSWERED)
    make_rollup(section_counter, date(2026, 1, 20), surveys=4, answer=3)
    make_rollup(section_counter, date(2026, 3, 5), surveys=2, answer=4)
    make_rollup(other_counter, date(2026, 3, 6), surveys=5, answer=1)

    ani = org.employee.employee
    ani_skp = make_skp(ani, period, status=SkpStatus.APPROVED)
    rhk = make_rhk(ani_skp, target="12")
    for day in (date(2026, 1, 5), date(2026, 1, 6), date(2026, 2, 3),
                date(2026, 3, 2), date(2026, 3, 3), date(2026, 3, 4)):
        make_activity(ani, rhk, day)
    make_realisation(rhk.indicators[0], 3, "5")  # March adjusted from 3 to 5
    make_rhk(make_skp(org.teammate.employee, period, status=SkpStatus.SUBMITTED), target="12")
    make_evaluation(ani_skp, point=2, result="sesuai", behaviour="sesuai",
                    status=EvaluationStatus.ACKNOWLEDGED)
    make_evaluation(ani_skp, point=3, result="di_bawah", behaviour="di_atas")
    make_evaluation(ani_skp, point=4)  # a draft: not listed
    return {"period": period, "counter": section_counter, "ani_indicator": rhk.indicators[0]}


@pytest.fixture
def token(org, data):
    """An HR officer's token with every scope."""
    return make_api_token(org.hr, scopes=BOTH)[1]


def get(client, token, path, query=""):
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return client.get(f"/api/v1{path}{query}", headers=headers)


def links(response) -> dict[str, str]:
    """rel -> URL from the Link header."""
    found = {}
    for part in response.headers.get("Link", "").split(", "):
        url, _, rel = part.partition("; rel=")
        found[rel.strip('"')] = url.strip("<>")
    return found


def assert_problem(response, status):
    assert response.status_code == status, response.text
    assert response.mimetype == "application/problem+json"
    assert response.json["status"] == status and response.json["detail"]


# ---------------------------------------------------------------- organisation


def test_units_are_listed_flat_with_their_parent_codes(client, org, token):
    body = get(client, token, "/units").json
    codes = sorted([org.dinas.code, org.section.code, org.other_dinas.code])
    assert [u["code"] for u in body["items"]] == codes
    section = next(u for u in body["items"] if u["code"] == org.section.code)
    assert section == {"code": org.section.code, "name": "Bidang Pelayanan", "kind": "dinas",
                       "time_zone": "WITA", "iana_time_zone": "Asia/Makassar",
                       "parent_code": org.dinas.code, "active": True}
    assert (body["page"], body["per_page"], body["total"]) == (1, 50, 3)


def test_units_as_a_tree(client, org, token):
    body = get(client, token, "/units", "?tree=1").json
    assert body["total"] == 2  # the pages count top units
    dinas = next(u for u in body["items"] if u["code"] == org.dinas.code)
    assert [child["code"] for child in dinas["children"]] == [org.section.code]
    assert dinas["children"][0]["children"] == [] and dinas["parent_code"] is None


def test_the_unit_filter_takes_in_the_units_below(client, org, token):
    flat = get(client, token, "/units", f"?unit={org.dinas.code.lower()}").json
    assert [u["code"] for u in flat["items"]] == sorted([org.dinas.code, org.section.code])
    tree = get(client, token, "/units", f"?unit={org.section.code}&tree=true").json
    assert [(u["code"], u["parent_code"]) for u in tree["items"]] == [(org.section.code, org.dinas.code)]


def test_counters_with_their_unit_and_services(client, org, token):
    body = get(client, token, "/counters").json
    assert [c["code"] for c in body["items"]] == ["DINKES-01", "DUK-01"]
    assert body["items"][1] == {"code": "DUK-01", "name": "Loket 1 KTP-el", "unit_code": org.section.code,
                                "location": None, "active": True,
                                "services": [{"code": "KTP-EL", "name": "KTP-el"}]}
    only = get(client, token, "/counters", f"?unit={org.dinas.code}").json
    assert [c["code"] for c in only["items"]] == ["DUK-01"]


def test_periods_latest_first(client, token):
    body = get(client, token, "/periods").json
    assert body["items"] == [
        {"year": 2026, "cadence": "bulanan", "status": "berjalan",
         "starts": "2026-01-01", "ends": "2026-12-31"},
        {"year": 2025, "cadence": "bulanan", "status": "ditutup",
         "starts": "2025-01-01", "ends": "2025-12-31"},
    ]


# ---------------------------------------------------------------- IKM per month


def test_ikm_per_month_lists_every_month_of_the_range(client, token):
    body = get(client, token, "/ikm/elements", "?counter=DUK-01&from=2026-01-01&to=2026-03-31").json
    assert [m["month"] for m in body["items"]] == ["2026-01", "2026-02", "2026-03"]
    january, february, march = body["items"]
    assert january["nrr"] == dict.fromkeys(january["nrr"], 3.0) and january["respondents"] == 4
    assert february["nrr"] == dict.fromkeys(february["nrr"], None) and february["respondents"] == 0
    assert (march["mutu"], march["converted"]) == ("A", 99.9)  # weights of 0.111, as printed
    assert body["scope"] == {"unit": None, "counter": "DUK-01", "service": None, "subunits": True}
    assert (body["from"], body["to"], body["total"]) == ("2026-01-01", "2026-03-31", 3)


@pytest.mark.parametrize(("month", "first", "last"), [
    ("2026-01", "2026-01-01", "2026-01-31"), ("2026-03", "2026-03-01", "2026-03-31")])
def test_a_months_figures_equal_get_ikm_for_that_month(client, org, token, month, first, last):
    months = get(client, token, "/ikm/elements", f"?unit={org.dinas.code}&from=2026-01-01&to=2026-04-15").json
    item = next(m for m in months["items"] if m["month"] == month)
    whole = get(client, token, "/ikm", f"?unit={org.dinas.code}&from={first}&to={last}").json
    assert {key: value for key, value in item.items() if key != "month"} == {
        key: value for key, value in whole.items() if key not in ("scope", "from", "to")}


def test_ikm_per_month_defaults_to_this_year(client, token):
    body = get(client, token, "/ikm/elements").json
    assert (body["from"], body["to"]) == ("2026-01-01", "2026-04-15")
    assert [m["month"] for m in body["items"]] == ["2026-01", "2026-02", "2026-03", "2026-04"]
    assert body["items"][2]["respondents"] == 7  # both counters in March


# ---------------------------------------------------------------- complaints


def test_complaint_counts_per_unit_and_state(client, org, token):
    body = get(client, token, "/complaints/summary").json
    assert body["items"] == sorted([
        # Received 1 April, still open on 15 April: past five working days, overdue.
        {"unit_code": org.section.code, "unit_name": "Bidang Pelayanan",
         "counts": {"diterima": 1, "diproses": 1, "dijawab": 0, "ditutup": 1},
         "total": 3, "open": 2, "overdue": 1},
        {"unit_code": org.other_dinas.code, "unit_name": "Dinas Kesehatan",
         "counts": {"diterima": 0, "diproses": 0, "dijawab": 1, "ditutup": 0},
         "total": 1, "open": 0, "overdue": 0},
    ], key=lambda item: item["unit_code"])
    assert (body["from"], body["to"]) == ("2026-01-01", "2026-04-15")  # the 2025 one is outside


def test_complaint_counts_carry_no_personal_data(client, token):
    text = get(client, token, "/complaints/summary", "?from=2025-01-01&to=2026-12-31").text
    for secret in ("Petugas tidak ada", "Antrean", "0812345678", "contact", "text"):
        assert secret not in text


def test_complaint_days_are_the_units_own(client, org, token, data):
    # 17:00 UTC on 31 March is 1 April 01:00 in WITA: a complaint of 1 April.
    make_complaint(data["counter"], received_at=datetime(2026, 3, 31, 17, 0, tzinfo=UTC))
    april = get(client, token, "/complaints/summary", f"?unit={org.dinas.code}&from=2026-04-01&to=2026-04-01")
    assert [(u["unit_code"], u["total"]) for u in april.json["items"]] == [(org.section.code, 2)]
    march = get(client, token, "/complaints/summary", "?from=2026-03-31&to=2026-03-31")
    assert march.json["items"] == []


# ---------------------------------------------------------------- SKP summary


def test_skp_summary_per_employee(client, org, token):
    body = get(client, token, "/skp").json
    assert body["year"] == 2026 and body["total"] == 7
    by_name = {item["name"]: item for item in body["items"]}
    assert list(by_name) == sorted(by_name)
    ani = by_name["Ani Lestari"]
    # Jan 2 + Feb 1 + March adjusted to 5 = 8 of 12; 105 of 365 days gone by on 15 April.
    assert ani == {"nip": org.employee.employee.nip, "name": "Ani Lestari", "position": "",
                   "unit_code": org.section.code, "year": 2026, "skp_status": "disetujui",
                   "quantity_indicators": 1, "realisation_percent": 66.7, "expected_percent": 28.8,
                   "pace_status": "on_track"}
    def brief(name):
        item = by_name[name]
        return item["skp_status"], item["realisation_percent"], item["pace_status"]

    assert brief("Rudi Hartono") == ("diajukan", 0.0, "behind")
    assert brief("Dewi Kartika") == (None, None, "no_data")  # no SKP for 2026


def test_skp_realisation_equals_the_progress_page(app, client, org, token, data):
    with app.test_request_context():
        progress = progress_report(org.hr, org.employee.employee, data["period"])
    body = get(client, token, "/skp", f"?unit={org.section.code}").json
    ani = next(item for item in body["items"] if item["nip"] == org.employee.employee.nip)
    assert ani["realisation_percent"] == float(progress.monthly[3].percent_of_target)
    # The API's expectation is today's, as the page's bars (its chart's line is at month ends).
    today_share = progress.term.share_by(progress.today)
    assert ani["expected_percent"] == float(percent(today_share, Fraction(1)))
    assert ani["pace_status"] == progress.monthly[3].status.value


def test_skp_filters(client, org, token):
    section = get(client, token, "/skp", f"?unit={org.section.code}").json
    assert [i["name"] for i in section["items"]] == ["Ani Lestari", "Budi Santoso", "Rudi Hartono"]
    approved = get(client, token, "/skp", "?status=disetujui").json
    assert [i["name"] for i in approved["items"]] == ["Ani Lestari"]
    closed_year = get(client, token, "/skp", "?year=2025").json
    assert closed_year["year"] == 2025 and {i["skp_status"] for i in closed_year["items"]} == {None}
    assert_problem(get(client, token, "/skp", "?year=2024"), 400)
    assert_problem(get(client, token, "/skp", "?status=selesai"), 400)


def test_evaluations_give_the_predikat_per_employee_per_point(client, org, token):
    body = get(client, token, "/evaluations").json
    assert body["year"] == 2026 and body["total"] == 2
    assert [(i["name"], i["point"], i["predikat"], i["final"]) for i in body["items"]] == [
        ("Ani Lestari", 2, "baik", True), ("Ani Lestari", 3, "butuh_perbaikan", False)]
    first = body["items"][0]
    assert first["nip"] == org.employee.employee.nip and first["kind"] == "periodik"
    assert first["status"] == "diterima" and first["result_rating"] == "sesuai"
    march = get(client, token, "/evaluations", "?kind=periodik&point=3").json
    assert [i["point"] for i in march["items"]] == [3]
    assert get(client, token, "/evaluations", "?kind=tahunan").json["total"] == 0
    assert get(client, token, "/evaluations", f"?unit={org.other_dinas.code}").json["total"] == 0
    assert_problem(get(client, token, "/evaluations", "?kind=bulanan"), 400)
    assert_problem(get(client, token, "/evaluations", "?point=13"), 400)


# ---------------------------------------------------------------- pagination, alike everywhere


@pytest.mark.parametrize("path", LISTS)
def test_every_list_pages_the_same_way(client, token, path):
    whole = get(client, token, path).json
    assert set(whole) >= {"items", "page", "per_page", "total"}
    assert whole["total"] >= 2 and len(whole["items"]) == whole["total"]
    second = get(client, token, path, "?per_page=1&page=2")
    body = second.json
    assert (body["page"], body["per_page"], body["total"]) == (2, 1, whole["total"])
    assert body["items"] == whole["items"][1:2]
    rels = links(second)
    assert rels["first"] == f"/api/v1{path}?per_page=1&page=1"
    assert rels["prev"] == f"/api/v1{path}?per_page=1&page=1"
    assert rels["last"] == f"/api/v1{path}?per_page=1&page={whole['total']}"
    assert ("next" in rels) == (whole["total"] > 2)
    beyond = get(client, token, path, "?page=999").json
    assert (beyond["items"], beyond["total"]) == ([], whole["total"])


def test_links_keep_the_filters(client, org, token):
    response = get(client, token, "/units", f"?unit={org.dinas.code}&per_page=1")
    assert links(response)["next"] == f"/api/v1/units?unit={org.dinas.code}&per_page=1&page=2"
    assert "prev" not in links(response)


@pytest.mark.parametrize("path", LISTS)
@pytest.mark.parametrize("query", ["?per_page=201", "?per_page=0", "?page=0", "?page=abc",
                                   "?page=1000001", "?foo=1", "?page=1&page=2", "?per_page="])
def test_bad_pagination_or_an_unknown_parameter_is_a_400(client, token, path, query):
    assert_problem(get(client, token, path, query), 400)


@pytest.mark.parametrize("path", WITH_UNIT)
def test_an_unknown_unit_is_a_400_everywhere(client, token, path):
    response = get(client, token, path, "?unit=TIDAK-ADA")
    assert_problem(response, 400)
    assert "TIDAK-ADA" in response.json["detail"]


@pytest.mark.parametrize("path", WITH_RANGE)
@pytest.mark.parametrize("query", ["?from=2026-05-02&to=2026-05-01", "?from=2020-01-01&to=2026-01-01",
                                   "?from=kemarin", "?to=2026-02-30"])
def test_bad_ranges_are_a_400_everywhere(client, token, path, query):
    assert_problem(get(client, token, path, query), 400)


@pytest.mark.parametrize("path", ["/units", "/counters", "/periods", "/skp"])
def test_dates_are_unknown_where_they_mean_nothing(client, token, path):
    assert_problem(get(client, token, path, "?from=2026-01-01"), 400)


def test_an_unknown_path_is_a_404_problem(client, token):
    assert_problem(get(client, token, "/penghargaan"), 404)


# ---------------------------------------------------------------- tokens and scopes


ENDPOINTS = ["/ikm", *LISTS]
# What each scope reaches (an HR officer's token): reference data with any token.
REACHES = {
    "ikm:read": {"/units", "/counters", "/periods", "/ikm", "/ikm/elements", "/complaints/summary"},
    "kinerja:read": {"/units", "/counters", "/periods", "/skp", "/evaluations"},
}


@pytest.mark.parametrize("scope", sorted(REACHES))
@pytest.mark.parametrize("path", ENDPOINTS)
def test_a_token_reaches_only_what_its_scope_allows(client, org, data, scope, path):
    _, text = make_api_token(org.hr, scopes=(scope,))
    response = get(client, text, path)
    if path in REACHES[scope]:
        assert response.status_code == 200, response.text
    else:
        assert_problem(response, 403)
        assert set(response.json) == {"type", "title", "status", "detail"}  # nothing else leaks


@pytest.mark.parametrize("owner", ["employee", "supervisor", "head", "admin"])
def test_performance_data_is_for_hr_tokens_only(client, org, data, owner):
    """Even a supervisor, who sees Ani's SKP in the portal, cannot list it through the API."""
    _, text = make_api_token(getattr(org, owner), scopes=BOTH)
    for path in ("/skp", "/evaluations"):
        response = get(client, text, path)
        assert_problem(response, 403)
        assert "Ani" not in response.text
    assert get(client, text, "/units").status_code == 200


def test_a_token_follows_its_owners_rights(client, org, data):
    _, text = make_api_token(org.hr, scopes=BOTH)
    assert get(client, text, "/skp").status_code == 200
    org.hr.is_hr = False
    db.session.commit()
    assert_problem(get(client, text, "/skp"), 403)


@pytest.mark.parametrize("path", ENDPOINTS)
def test_expired_revoked_or_missing_tokens_are_401(client, org, data, path):
    token, text = make_api_token(org.hr, scopes=BOTH, days=30)
    assert get(client, text, path).status_code == 200
    with time_machine.travel(NOW + timedelta(days=30, seconds=1), tick=False):
        assert_problem(get(client, text, path), 401)
    api_tokens.revoke(org.admin, token)
    response = get(client, text, path)
    assert_problem(response, 401)
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    assert_problem(get(client, None, path), 401)


def test_a_session_is_not_a_token(login_as, data):
    assert_problem(login_as("hr").get("/api/v1/skp"), 401)


def test_every_call_is_logged_with_its_tokens_id(client, org, data):
    first, first_text = make_api_token(org.hr, scopes=BOTH, name="Dasbor provinsi")
    second, second_text = make_api_token(org.hr, scopes=("ikm:read",), name="Sistem TPP")
    get(client, first_text, "/units", "?per_page=1")
    get(client, second_text, "/skp")
    get(client, first_text, "/complaints/summary")
    events = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "api.call")
                                .order_by(AuditEvent.id)).all()
    assert [(e.subject_id, e.summary, e.details["status"]) for e in events] == [
        (first.id, "GET /api/v1/units?per_page=1", 200),
        (second.id, "GET /api/v1/skp", 403),
        (first.id, "GET /api/v1/complaints/summary", 200),
    ]
    assert db.session.get(ApiToken, second.id).last_used_at is not None


def test_lists_cost_a_fixed_number_of_queries(client, org, data, token):
    """Ten more employees with SKPs, and counters, add no query to a page of the lists."""
    from tests.builders import make_employee

    queries = []

    def listener(*args):
        queries.append(1)

    def measure(path):
        queries.clear()
        sa.event.listen(db.engine, "before_cursor_execute", listener)
        try:
            assert get(client, token, path).status_code == 200
        finally:
            sa.event.remove(db.engine, "before_cursor_execute", listener)
        return len(queries)

    get(client, token, "/periods")  # the token's first use also writes its last_used_at
    before = {path: measure(path) for path in ("/skp", "/counters", "/units")}
    for n in range(10):
        person = make_employee(f"Pegawai Tambahan {n}", unit=org.section)
        make_rhk(make_skp(person, data["period"]), target="10")
        make_counter(org.section, code=f"EXTRA-{n}")
    assert {path: measure(path) for path in before} == before

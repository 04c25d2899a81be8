"""GET /api/v1/ikm: the same figures as the report, for a token with ikm:read; problem+json
for every refusal, never a 500."""
from datetime import UTC, date, datetime, timedelta

import pytest
import sqlalchemy as sa
import time_machine

from kinerja.core.models import AuditEvent
from kinerja.extensions import db
from kinerja.feedback import ikm_report, ikm_scope
from kinerja.integration import api_tokens
from tests.builders import full_survey, make_api_token, make_counter, make_kiosk, make_ratings, make_service

NOW = datetime(2026, 11, 26, 2, 0, tzinfo=UTC)

pytestmark = pytest.mark.usefixtures("frozen_clock")
HAND_WORKED = [
    {"U1": 3, "U2": 3, "U3": 2, "U4": 4, "U5": 3, "U6": 3, "U7": 4, "U8": 2, "U9": 3},
    {"U1": 4, "U2": 3, "U3": 3, "U4": 4, "U5": 3, "U6": 4, "U7": 4, "U8": 3, "U9": 3},
    {"U1": 3, "U2": 4, "U3": 2, "U4": 4, "U5": 4, "U6": 3, "U7": 3, "U8": 2, "U9": 4},
]


@pytest.fixture
def counter(org):
    counter = make_counter(org.section, code="DUK-01", name="Loket 1 KTP-el",
                           services=[make_service("KTP-EL", "KTP-el")])
    kiosk = make_kiosk(counter)[0]
    make_ratings(kiosk, datetime(2026, 11, 25, 1, 0, tzinfo=UTC),
                 # The kiosk of a one-service counter names it with every rating.
                 [{"score": 4, "elements": answer, "service": "KTP-EL"} for answer in HAND_WORKED]
                 + [{"score": 2, "service": "KTP-EL"}, {"score": 1, "service": "KTP-EL"}])
    return counter


@pytest.fixture
def token(org):
    return make_api_token(org.hr)[1]


def call(client, token, query="", **headers):
    if token:
        headers["Authorization"] = f"Bearer {token}"
    return client.get(f"/api/v1/ikm{query}", headers=headers)


def test_the_answer_matches_a_hand_computed_example(client, token, counter):
    response = call(client, token, "?counter=DUK-01&from=2026-01-01&to=2026-12-31")
    assert response.status_code == 200
    assert response.json == {
        "scope": {"unit": None, "counter": "DUK-01", "service": None, "subunits": True},
        "from": "2026-01-01", "to": "2026-12-31",
        "respondents": 3, "one_tap_respondents": 5,
        "nrr": {"U1": 3.3333, "U2": 3.3333, "U3": 2.3333, "U4": 4.0, "U5": 3.3333,
                "U6": 3.3333, "U7": 3.6667, "U8": 2.3333, "U9": 3.3333},
        "ikm": 3.219, "converted": 80.48, "mutu": "B", "performance": "Baik",
        "score_counts": {"1": 1, "2": 1, "3": 0, "4": 3},
        "one_tap_index": 3.0, "weight": "0.111",
    }


def test_the_answer_equals_the_report(client, token, org, counter):
    response = call(client, token, f"?unit={org.dinas.code}&service=ktp-el&from=2026-11-01&to=2026-11-30")
    report = ikm_report.report(ikm_scope.Scope(unit=org.dinas, service=counter.services[0]),
                                date(2026, 11, 1), date(2026, 11, 30))
    body = response.json
    assert body["respondents"] == report.totals.full_surveys
    assert body["ikm"] == round(float(report.survey.ikm), 4)
    assert body["converted"] == float(report.survey.converted)
    assert body["scope"]["unit"] == org.dinas.code and body["scope"]["service"] == "KTP-EL"


def test_without_filters_the_whole_year_to_date(client, token, counter):
    body = call(client, token).json
    assert (body["from"], body["to"]) == ("2026-01-01", "2026-11-26")
    assert body["one_tap_respondents"] == 5


def test_unanswered_elements_are_null(client, token, org):
    counter = make_counter(org.section, code="DUK-09")
    make_ratings(make_kiosk(counter)[0], datetime(2026, 11, 25, 1, 0, tzinfo=UTC),
                 [{"score": 3, "elements": {"U1": 2}}])
    body = call(client, token, "?counter=DUK-09").json
    assert body["nrr"]["U1"] == 2.0 and body["nrr"]["U2"] is None
    assert (body["ikm"], body["converted"], body["mutu"], body["respondents"]) == (None, None, None, 0)


@pytest.mark.parametrize("header", [None, "Bearer knj_not-a-real-token", "Basic abc", "Bearer "])
def test_a_missing_or_wrong_token_is_401(client, counter, header):
    headers = {"Authorization": header} if header else {}
    response = client.get("/api/v1/ikm", headers=headers)
    assert response.status_code == 401
    assert response.mimetype == "application/problem+json"
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_an_expired_or_revoked_token_is_401(client, org, counter):
    token, text = make_api_token(org.hr, days=30)
    with time_machine.travel(NOW + timedelta(days=31), tick=False):
        assert call(client, text).status_code == 401
    assert call(client, text).status_code == 200
    api_tokens.revoke(org.admin, token)
    assert call(client, text).status_code == 401


def test_a_token_without_the_scope_is_403(client, org, counter):
    _, text = make_api_token(org.hr, scopes=("kinerja:read",))
    response = call(client, text)
    assert response.status_code == 403
    assert response.mimetype == "application/problem+json"
    assert "ikm:read" in response.json["detail"]


def test_a_session_is_not_a_token(login_as, counter):
    assert login_as("hr").get("/api/v1/ikm").status_code == 401


@pytest.mark.parametrize("query", [
    "?unit=TIDAK-ADA", "?counter=NOPE", "?service=NOPE", "?from=2026-13-01", "?from=kemarin",
    "?from=2026-05-02&to=2026-05-01", "?from=2020-01-01&to=2026-01-01", "?form=2026-01-01",
    "?unit=" + "X" * 31, "?to=99999-01-01",
])
def test_bad_parameters_are_400_problems(client, token, counter, query):
    response = call(client, token, query)
    assert response.status_code == 400, response.text
    assert response.mimetype == "application/problem+json"
    assert response.json["status"] == 400 and response.json["detail"]


@pytest.mark.parametrize("query", [
    "?from=0001-01-01&to=0001-12-31", "?from=9999-01-01&to=9999-12-31", "?unit=%00",
    "?unit=%27%3B%20DROP%20TABLE%20units", "?counter=&unit=&from=", "?to=0001-01-01",
])
def test_odd_parameters_never_give_a_500(client, token, counter, query):
    assert call(client, token, query).status_code in (200, 400)


def test_every_call_is_logged_with_the_token_id(client, org, counter):
    token, text = make_api_token(org.hr, name="Dasbor provinsi")
    call(client, text, "?counter=DUK-01")
    call(client, text, "?unit=TIDAK-ADA")
    events = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "api.call")
                                .order_by(AuditEvent.id)).all()
    assert [(e.subject_type, e.subject_id, e.details["status"]) for e in events] == [
        ("ApiToken", token.id, 200), ("ApiToken", token.id, 400)]
    assert events[0].summary == "GET /api/v1/ikm?counter=DUK-01"
    assert db.session.get(type(token), token.id).last_used_at is not None


def test_tokens_read_the_whole_province(client, org, counter):
    """Tokens are province-wide readers of IKM: only the scope matters, not the owner's unit."""
    other = make_counter(org.other_dinas, code="DINKES-01")
    make_ratings(make_kiosk(other)[0], datetime(2026, 11, 25, 1, 0, tzinfo=UTC),
                 [{"score": 4, "elements": full_survey(4)}])
    _, text = make_api_token(org.employee)  # an ordinary employee's token
    body = call(client, text, f"?unit={org.other_dinas.code}").json
    assert (body["respondents"], body["mutu"]) == (1, "A")

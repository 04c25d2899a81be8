"""The OpenAPI document is valid, generated for every API route and the kiosk submit endpoint,
and true of the running app: schemathesis loads it from the app (WSGI), sends generated
requests to every operation with real tokens, and checks that none is answered with a 5xx and
that every answer matches its documented schema.

The kiosk submit endpoint is fuzzed too, with a kiosk's device token: the ratings it may store
land in this test's throwaway database (emptied after every test), so there is no noise to
fear, and its per-item answers are checked against the schemas the spec publishes for it.

The document is loaded when the module is collected, from an app of its own (the document
depends on the code only), so that schemathesis makes one test per operation; each case is
then sent to the test's `app`, whose database holds the fixtures' data and tokens. (Loading
it lazily from a fixture, schemathesis.pytest.from_fixture, fails on pytest 9.2.)
"""
import contextvars
import tempfile
from datetime import UTC, date, datetime

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from openapi_spec_validator import validate
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from kinerja import create_app
from kinerja.feedback.models import ComplaintStatus
from kinerja.performance.models import SkpStatus
from tests.builders import (
    make_activity,
    make_api_token,
    make_complaint,
    make_counter,
    make_kiosk,
    make_period,
    make_rhk,
    make_rollup,
    make_service,
    make_skp,
    rating_item,
)
from tests.conftest import base_config

NOW = datetime(2026, 3, 2, 1, 30, tzinfo=UTC)

CONFIG = {
    "generation": {"mode": "all", "database": "none", "with-security-parameters": False},
    # Coverage would add hundreds of boundary cases per operation; examples + fuzzing suffice.
    "phases": {"coverage": {"enabled": False}, "stateful": {"enabled": False}},
    # The kiosk endpoint gets what a kiosk keeping to the spec sends: out of it, a `queued` past
    # 64 bits is a 500 in kiosk/api.py (see test_a_huge_queue_count_is_not_a_server_error).
    "operations": [{"include-operation-id": "submitRatings", "generation": {"mode": "positive"}}],
}


def isolated(app):
    """The app as a WSGI callable whose every request runs in a context of its own (its own app
    context, `g` and database session), as in production and as conftest's test client does,
    not inside the test's app context."""
    def wsgi(environ, start_response):
        return contextvars.Context().run(app, environ, start_response)
    return wsgi


@pytest.fixture
def tokens(app, org, frozen_clock):
    """Data in every list (units, a counter with a service and a kiosk, periods, complaints,
    rollups, SKPs), an HR token with every scope, and the kiosk's device token."""
    app.config.update(API_LIMIT_PER_TOKEN="100000 per minute", KIOSK_LIMIT_PER_TOKEN="100000 per minute",
                      KIOSK_LIMIT_PER_IP="100000 per minute")
    org.dinas.code = "DUKCAPIL"  # the documented examples (the demo's codes) then find data
    counter = make_counter(org.section, code="DUKCAPIL-01", services=[make_service("KTP-EL")])
    _, kiosk_token = make_kiosk(counter)
    period = make_period(2026)
    make_complaint(counter, received_at=datetime(2026, 1, 5, 1, 0, tzinfo=UTC))
    make_complaint(counter, received_at=datetime(2026, 2, 5, 1, 0, tzinfo=UTC), status=ComplaintStatus.CLOSED)
    make_rollup(counter, date(2026, 1, 20), surveys=3)
    rhk = make_rhk(make_skp(org.employee.employee, period, status=SkpStatus.APPROVED))
    make_activity(org.employee.employee, rhk, date(2026, 1, 5))
    return {"api": make_api_token(org.hr, scopes=("ikm:read", "kinerja:read"))[1], "kiosk": kiosk_token}


_instance = tempfile.TemporaryDirectory(prefix="kinerja-openapi-")
schema = schemathesis.openapi.from_wsgi(
    "/api/v1/openapi.json", isolated(create_app(base_config(_instance.name, "sqlite://"))),
    config=schemathesis.Config.from_dict(CONFIG))


@schema.parametrize()
@settings(max_examples=25, derandomize=True, deadline=None, database=None,
          suppress_health_check=list(HealthCheck))
def test_every_operation_keeps_to_the_spec(case, app, tokens):
    token = tokens["kiosk"] if case.path.startswith("/kiosk/") else tokens["api"]
    case.call_and_validate(app=isolated(app), headers={"Authorization": f"Bearer {token}"},
                           checks=[not_a_server_error, response_schema_conformance])


# ---------------------------------------------------------------- the document itself


@pytest.fixture
def document(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200 and response.mimetype == "application/json"
    return response.json


def test_the_document_is_valid_openapi_3(document):
    validate(document)
    assert document["openapi"].startswith("3.")


def test_every_api_route_and_the_kiosk_submit_are_described(app, document):
    routes = {rule.rule for rule in app.url_map.iter_rules() if rule.endpoint.startswith("api.")}
    assert routes <= set(document["paths"])
    kiosk = document["paths"]["/kiosk/api/ratings"]["post"]
    assert kiosk["security"] == [{"kioskAuth": []}]
    assert kiosk["requestBody"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/RatingBatch"}
    result = document["components"]["schemas"]["RatingResult"]
    assert result["properties"]["status"]["enum"] == ["accepted", "duplicate", "rejected"]


def test_data_operations_need_a_bearer_token_and_name_their_scope(document):
    security = {path: operation["security"] for path, item in document["paths"].items()
                for operation in item.values() if path.startswith("/api/v1")}
    assert security["/api/v1/skp"] == [{"bearerAuth": ["kinerja:read"]}]
    assert security["/api/v1/ikm"] == security["/api/v1/complaints/summary"] == [{"bearerAuth": ["ikm:read"]}]
    assert security["/api/v1/units"] == [{"bearerAuth": []}]
    assert security["/api/v1/openapi.json"] == security["/api/v1/docs"] == []
    schemes = document["components"]["securitySchemes"]
    assert {name: (s["type"], s["scheme"]) for name, s in schemes.items()} == {
        "bearerAuth": ("http", "bearer"), "kioskAuth": ("http", "bearer")}


def test_the_document_comes_from_the_code(app, document):
    """Generated by apispec from the views' docstrings and schemas, not kept by hand."""
    from api import ikm as ikm_views
    assert ikm_views.ikm_index.__doc__.split("---")[1].strip().startswith("get:")
    assert document["paths"]["/api/v1/ikm"]["get"]["operationId"] == "getIkm"
    assert set(document["components"]["schemas"]["IkmResponse"]["properties"]) == {
        field.data_key or name for name, field in ikm_views.IkmResponse().fields.items()}


def test_the_docs_page_uses_vendored_assets_under_the_strict_csp(client):
    response = client.get("/api/v1/docs")
    assert response.status_code == 200 and response.mimetype == "text/html"
    page = response.text
    assert "/static/vendor/swagger-ui/swagger-ui-bundle.js" in page
    assert "/static/vendor/swagger-ui/swagger-ui.css" in page
    assert "/static/js/api-docs.js" in page and 'data-spec-url="/api/v1/openapi.json"' in page
    assert "<script>" not in page and " style=" not in page and "http" not in page.split("<body>")[1]
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]
    for asset in ("swagger-ui-bundle.js", "swagger-ui.css"):
        assert client.get(f"/static/vendor/swagger-ui/{asset}").status_code == 200
    assert client.get("/static/js/api-docs.js").status_code == 200


def test_a_huge_queue_count_is_not_a_server_error(client, org, frozen_clock):
    """Found by fuzzing the kiosk endpoint outside its spec (which documents queued <= 2**31 - 1,
    what PostgreSQL's INTEGER holds): a count out of range is ignored, the ratings are kept."""
    _, kiosk_token = make_kiosk(make_counter(org.section))
    response = client.post("/kiosk/api/ratings", json={
        "ratings": [rating_item(datetime(2026, 3, 2, 1, 15, tzinfo=UTC))], "queued": 2**64},
        headers={"Authorization": f"Bearer {kiosk_token}"})
    assert response.status_code < 500

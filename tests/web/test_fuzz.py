"""Fuzzing with hypothesis: every form POST of the portal, the kiosk's JSON submit, oversize
and malformed bodies. The answer is never a 5xx, and a refused request writes nothing.

"Refused" is a 4xx or a redirect carrying an error message. Each route gets a few examples
only (the whole file runs in well under a minute per backend); a failure is shrunk by
hypothesis and names the route and the form data that broke it.
"""
import inspect
import io
import re
import uuid
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
import time_machine
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from wtforms import FieldList, FileField, FormField, MultipleFileField

from kinerja.extensions import db
from kinerja.feedback import phone
from kinerja.feedback.models import Rating
from tests.builders import make_counter, make_kiosk, rating_item
from tests.web.test_access import ANYONE, WHO_MAY, route_requests

ROLE_PREFERENCE = ("employee", "supervisor", "head", "hr", "admin", "outsider")
# Changes the client's own session: fuzzing them would log the client out mid-run.
SKIPPED = {"portal.logout"}
# Tables a refused request may legitimately write: the audit trail (a refused login or an
# access denial is recorded) and users (a wrong password counts towards the lockout).
MAY_CHANGE_WHEN_REFUSED = {"audit_events", "users", "alembic_version"}
GENERIC_FIELDS = ["name", "title", "description", "note", "notes", "comment", "reason", "date",
                  "start", "end", "due", "period_id", "employee_id", "unit_id", "counter_id",
                  "value", "target", "score", "rating", "nip", "username", "password", "q",
                  "status", "kind", "point", "decision", "action", "file", "code", "text"]
FORMS_PER_ROUTE = 4

# ---------------------------------------------------------------- strategies

ODD_UNICODE = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=40)
CONTROL = st.text(alphabet=st.characters(max_codepoint=0x1F), min_size=1, max_size=10)
LONG = st.sampled_from([1_000, 20_000]).flatmap(
    lambda n: st.sampled_from(["x" * n, "é" * n, "1" * n, "<script>" * (n // 8)]))
NUMBERS = st.one_of(st.integers().map(str), st.integers(-2**70, 2**70).map(str),
                    st.floats(allow_nan=True, allow_infinity=True).map(str),
                    st.sampled_from(["-1", "0", "1e309", "NaN", "9" * 30, "1,5", "0x10", "٣"]))
DATES = st.one_of(
    st.sampled_from(["2026-02-30", "2026-13-01", "0000-00-00", "9999-12-31", "2026-2-3",
                     "31/12/2026", "2026-11-26T25:61", "1900-01-01", "10000-01-01", "-2026-01-01"]),
    st.dates().map(str), st.datetimes().map(lambda d: d.isoformat()))
NIPS = st.one_of(st.from_regex(r"\A[0-9]{0,30}\Z"),
                 st.sampled_from(["19800101 200501 1 001", "198001012005011001x",
                                  "19801301200501100", "１９８００１０１２００５０１１００１"]))
SCALARS = st.one_of(ODD_UNICODE, CONTROL, LONG, NUMBERS, DATES, NIPS,
                    st.just(""), st.sampled_from(["on", "true", "y", "None", "null", "[]", "{}"]),
                    st.uuids().map(str))
# A list is "the wrong type" for a single-valued field: the same name sent several times.
FORM_VALUES = st.one_of(SCALARS, st.lists(SCALARS, min_size=2, max_size=4))
UPLOADS = st.tuples(st.binary(max_size=2048),
                    st.sampled_from(["a.pdf", "a.png", "a.xlsx", "a.exe", "../../etc/passwd",
                                     "ü\x00.pdf", ""])
                    ).map(lambda t: (io.BytesIO(t[0]), t[1]))


def _form_fields(view) -> tuple[list[str], set[str]]:
    """Field names (and which take files) of the WTForms forms a view builds, read from its
    source; empty when it builds none we can resolve."""
    names, files = [], set()
    try:
        source = inspect.getsource(view)
    except (OSError, TypeError):
        return names, files
    namespace = getattr(view, "__globals__", {})
    for form_name in set(re.findall(r"\b([A-Z]\w*Form)\(", source)):
        form_class = namespace.get(form_name)
        if form_class is None:
            continue
        for name, unbound in vars(form_class).items():
            field_class = getattr(unbound, "field_class", None)
            if field_class is None:
                continue
            if issubclass(field_class, (FieldList, FormField)):
                names += [f"{name}-0", f"{name}-1", f"{name}-0-value"]
            else:
                names.append(name)
            if issubclass(field_class, FileField | MultipleFileField):
                files.add(name)
    return sorted(set(names)), files


def _form_strategy(names: list[str], files: set[str]):
    return st.fixed_dictionaries({}, optional={
        name: UPLOADS if name in files else FORM_VALUES for name in names})


def _row_counts(tables) -> dict:
    select = sa.select(*[sa.select(sa.func.count()).select_from(t).scalar_subquery().label(t.name)
                         for t in tables])
    row = db.session.execute(select).one()
    db.session.rollback()
    return dict(row._mapping)


def _role_for(endpoint):
    allowed = WHO_MAY[endpoint]
    if allowed == ANYONE:
        return "anonymous"
    # Nobody in the matrix (e.g. a peer's answer page, only for the peer asked): fuzz it as the
    # employee, who is refused, which must still write nothing.
    return next((role for role in ROLE_PREFERENCE if role in allowed), "employee")


# ---------------------------------------------------------------- every form POST


def _fuzz_route(client, url, where, names, files, tables):
    @settings(max_examples=FORMS_PER_ROUTE, deadline=None, database=None, derandomize=True,
              suppress_health_check=list(HealthCheck))
    @given(data=_form_strategy(names, files))
    def post_is_survived(data):
        before = _row_counts(tables)
        response = client.post(url, data=data,
                               content_type="multipart/form-data" if files else None)
        assert response.status_code < 500, where
        # Refused: a 4xx, or a redirect back with an error message (post/redirect/get).
        with client.session_transaction() as session:
            flashes = session.pop("_flashes", [])
        refused = 400 <= response.status_code < 500 or (
            response.status_code == 302 and any(kind == "error" for kind, _ in flashes))
        if refused:
            after = _row_counts(tables)
            changed = {t: (before[t], after[t]) for t in before if before[t] != after[t]}
            assert not changed, f"{where} refused ({response.status_code}) but wrote {changed}"

    post_is_survived()


def test_every_form_post_survives_fuzzed_data(app, org, login_as):
    post_endpoints = {rule.endpoint for rule in app.url_map.iter_rules() if "POST" in rule.methods}
    urls = {endpoint: url for endpoint, _, url in route_requests(app, org)}
    tables = [t for t in db.metadata.sorted_tables if t.name not in MAY_CHANGE_WHEN_REFUSED]
    # Log every role in first: a fuzzed request may change a password or lock an account.
    clients = {role: login_as(role) for role in ROLE_PREFERENCE}
    clients["anonymous"] = app.test_client()
    # Removals last, so they do not turn the other routes' objects into 404s.
    order = sorted(post_endpoints - SKIPPED,
                   key=lambda e: (any(w in e for w in ("remove", "delete", "revoke")), e))
    checked = 0
    for endpoint in order:
        role = _role_for(endpoint)
        client = clients[role]
        names, files = _form_fields(app.view_functions[endpoint])
        url = urls[endpoint]

        _fuzz_route(client, url, f"{role} POST {url} ({endpoint})", names or GENERIC_FIELDS,
                    files, tables)
        checked += 1
    assert checked >= 50  # the walk really covered the portal's forms


# ---------------------------------------------------------------- the kiosk's JSON submit

NOW = datetime(2026, 11, 26, 2, 0, tzinfo=UTC)  # Thursday, 10:00 WITA: inside service hours
JSON_LEAVES = st.one_of(st.none(), st.booleans(), st.integers(-2**70, 2**70),
                        st.floats(allow_nan=False), ODD_UNICODE, st.uuids().map(str), DATES)
JSON = st.recursive(JSON_LEAVES, lambda inner: st.lists(inner, max_size=4)
                    | st.dictionaries(ODD_UNICODE, inner, max_size=4), max_leaves=20)


def _item(taken_minutes_ago=1):
    return rating_item(NOW - timedelta(minutes=taken_minutes_ago))


ITEM_MUTATIONS = st.fixed_dictionaries({}, optional={
    "client_id": st.one_of(JSON, st.sampled_from(["not-a-uuid", "", str(uuid.UUID(int=0)),
                                                  "{" + str(uuid.uuid4()) + "}"])),
    "taken_at": st.one_of(JSON, DATES),
    "score": st.one_of(JSON, st.sampled_from([0, 5, -1, 4.5, "4", True, 2**64])),
    "elements": JSON, "respondent": JSON, "extra": JSON,
})
BATCHES = st.one_of(
    JSON,
    st.fixed_dictionaries({"ratings": JSON}),
    st.fixed_dictionaries({"ratings": st.lists(ITEM_MUTATIONS.map(lambda m: {**_item(), **m}),
                                               min_size=1, max_size=5)},
                          optional={"queued": JSON, "version": JSON}),
    # Huge arrays: more items than a batch may hold, or one item repeated.
    st.integers(201, 400).map(lambda n: {"ratings": [_item()] * n}),
)


@pytest.fixture
def counter(org):
    return make_counter(org.dinas, code="FZ-01", name="Loket fuzz")


@pytest.fixture
def kiosk_token(app, counter):
    app.config.update(KIOSK_LIMIT_PER_TOKEN="100000 per minute", KIOSK_LIMIT_PER_IP="100000 per minute",
                      KIOSK_PHONE_LIMIT_PER_IP="100000 per hour", KIOSK_PAIR_LIMIT_PER_IP="100000 per minute")
    _, token = make_kiosk(counter)
    return token


@pytest.mark.parametrize("channel", ["tablet", "phone", "pair"])
def test_kiosk_json_endpoints_survive_fuzzed_json(app, kiosk_token, counter, channel):
    """The tablet's batch submit, the phone channel (one rating per post) and pairing."""
    client = app.test_client()
    url, headers = {
        "tablet": ("/kiosk/api/ratings", {"Authorization": f"Bearer {kiosk_token}"}),
        "phone": (f"/kiosk/api/ponsel/{phone.sign_counter(counter.id)}/ratings", {}),
        "pair": ("/kiosk/api/pair", {}),
    }[channel]

    def stored():
        count = db.session.scalar(sa.select(sa.func.count(Rating.id)))
        db.session.rollback()
        return count

    @settings(max_examples=120 if channel == "tablet" else 40, deadline=None, database=None,
              derandomize=True, suppress_health_check=list(HealthCheck))
    @given(body=BATCHES if channel != "pair" else st.one_of(JSON, st.fixed_dictionaries({"code": JSON})))
    def submit_is_survived(body):
        before = stored()
        client.delete_cookie(phone.cookie_name(counter.id), path="/kiosk/")
        with time_machine.travel(NOW, tick=False):
            response = client.post(url, json=body, headers=headers)
        assert response.status_code < 500, body
        if response.status_code >= 400:
            assert response.mimetype == "application/problem+json", response.text
            assert response.json["status"] == response.status_code
            assert stored() == before, f"a refused batch stored ratings: {body!r}"
        elif channel != "pair":
            results = response.json["results"]
            assert len(results) == len(body["ratings"])
            accepted = sum(r["status"] == "accepted" for r in results)
            assert stored() == before + accepted

    submit_is_survived()


@pytest.mark.parametrize("raw", [
    b"[" * 100_000,                     # nesting deeper than the parser's recursion
    b'{"ratings": ' + b"[" * 5_000 + b"]" * 5_000 + b"}",
    b'{"ratings": [{"client_id": "\xff\xfe"}]}',  # invalid UTF-8
    b"\xef\xbb\xbf{}",                   # a byte order mark
    b'{"ratings": [1, 2',
    b"",
    b"not json",
])
def test_kiosk_malformed_json_is_a_400(app, kiosk_token, raw):
    response = app.test_client().post("/kiosk/api/ratings", data=raw,
                                      headers={"Authorization": f"Bearer {kiosk_token}",
                                               "Content-Type": "application/json"})
    assert response.status_code == 400, response.text
    assert response.mimetype == "application/problem+json"
    assert response.json["detail"]
    assert db.session.scalar(sa.select(sa.func.count(Rating.id))) == 0


@pytest.mark.parametrize("raw", [
    b'{"ratings": [{"client_id": "\\ud800"}]}',   # valid JSON, a lone surrogate
    b'{"ratings": [1e999999]}',                   # valid JSON, an infinite number
    b'{"ratings": [{"score": 1e999999, "taken_at": "2026-02-30T10:00:00+08:00"}]}',
])
def test_kiosk_odd_but_valid_json_is_rejected_per_item(app, kiosk_token, raw):
    response = app.test_client().post("/kiosk/api/ratings", data=raw,
                                      headers={"Authorization": f"Bearer {kiosk_token}",
                                               "Content-Type": "application/json"})
    assert response.status_code == 200, response.text
    assert [r["status"] for r in response.json["results"]] == ["rejected"]
    assert db.session.scalar(sa.select(sa.func.count(Rating.id))) == 0


# ---------------------------------------------------------------- oversize and malformed bodies


def test_a_body_over_max_content_length_is_a_413_with_a_message(app, login_as, kiosk_token):
    app.config["MAX_CONTENT_LENGTH"] = 64 * 1024
    client = login_as("hr")
    big = b"x" * (65 * 1024)
    response = client.post("/masuk", data={"identifier": "x", "password": big.decode()})
    assert response.status_code == 413
    assert "terlalu besar" in response.text.lower()
    # An upload (the employee import, for HR) over the limit.
    upload = client.post("/pegawai/impor", data={"file": (io.BytesIO(big), "pegawai.xlsx")},
                         content_type="multipart/form-data")
    assert upload.status_code == 413
    assert "melebihi batas ukuran" in upload.text
    api = client.post("/kiosk/api/ratings", data=big, content_type="application/json",
                      headers={"Authorization": f"Bearer {kiosk_token}"})
    assert api.status_code == 413
    assert api.mimetype == "application/problem+json"
    assert api.json["detail"]


@pytest.mark.parametrize("body", [b"identifier=%FF%FE&password=%C3%28",
                                  b"identifier=\xff\xfe&password=\xc3\x28"])
def test_invalid_utf8_in_a_form_is_a_400(app, org, body):
    response = app.test_client().post("/masuk", data=body,
                                      content_type="application/x-www-form-urlencoded")
    assert response.status_code == 400
    assert "UTF-8" in response.text


def test_valid_utf8_and_a_literal_percent_still_pass(app, org):
    response = app.test_client().post("/masuk", data={"identifier": "é%FF ☃", "password": "x"})
    assert response.status_code == 401  # an unknown account, not a malformed form

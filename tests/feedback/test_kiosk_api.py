"""The kiosk contract: POST /kiosk/api/ratings with a device token, answered per item."""
from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from kinerja import create_app
from kinerja.extensions import db
from kinerja.feedback import ikm, kiosks, ratings
from kinerja.feedback.models import Complaint, DailyRollup, Kiosk, Rating
from tests.builders import make_api_token, make_counter, make_employee, make_kiosk, rating_item
from tests.conftest import base_config
from tests.queries import counted_statements

# Thursday 26 November 2026, 10:00 WITA: inside service hours.
NOW = datetime(2026, 11, 26, 2, 0, tzinfo=UTC)

pytestmark = pytest.mark.usefixtures("frozen_clock")
ALL_FOURS = {e: 4 for e in ikm.ELEMENTS}


@pytest.fixture
def counter(org):
    """The counter in the dinas itself (the tablet's configuration names the dinas)."""
    return make_counter(org.dinas, code="DUK-01", name="Loket 1 KTP-el")


@pytest.fixture
def kiosk(counter):
    return make_kiosk(counter)


def submit(client, token, items, **extra):
    return client.post("/kiosk/api/ratings", json={"ratings": items, **extra},
                       headers={"Authorization": f"Bearer {token}"})


def at(minutes: float) -> datetime:
    return NOW - timedelta(minutes=minutes)


def test_a_rating_is_accepted_and_rolled_up(client, kiosk, counter):
    _, token = kiosk
    item = rating_item(at(1), 3, elements=ALL_FOURS, respondent={"sex": "P", "age_group": "30-39"})
    response = submit(client, token, [item])
    assert response.status_code == 200
    assert response.json["results"] == [{"client_id": item["client_id"], "status": "accepted"}]
    rating = db.session.scalar(db.select(Rating))
    assert (rating.score, rating.u9, rating.sex) == (3, 4, "P")
    assert str(rating.local_day) == "2026-11-26"
    rollup = db.session.get(DailyRollup, (counter.id, rating.local_day))
    assert (rollup.ratings, rollup.score_3, rollup.full_surveys, rollup.u1_sum) == (1, 1, 1, 4)


def test_a_replay_is_a_duplicate_stored_once(client, kiosk):
    _, token = kiosk
    item = rating_item(at(1))
    submit(client, token, [item])
    again = submit(client, token, [item, item])
    assert [r["status"] for r in again.json["results"]] == ["duplicate", "duplicate"]
    assert db.session.scalar(db.select(db.func.count(Rating.id))) == 1
    assert db.session.scalar(db.select(DailyRollup.ratings)) == 1


def test_one_bad_item_does_not_sink_the_batch(client, kiosk):
    _, token = kiosk
    good = rating_item(at(2))
    bad_items = [
        {**rating_item(at(3)), "score": 5},
        {**rating_item(at(4)), "taken_at": "2026-11-26T10:00:00"},  # no offset
        {**rating_item(at(5)), "elements": {"U10": 3}},
        {**rating_item(at(6)), "client_id": "not-a-uuid"},
        {**rating_item(at(7)), "respondent": {"sex": "X"}},
        {**rating_item(at(8)), "unexpected": 1},
        {**rating_item(at(9)), "score": True},
        rating_item(NOW + timedelta(hours=1)),
        "not an object",
    ]
    response = submit(client, token, [good, *bad_items])
    statuses = [r["status"] for r in response.json["results"]]
    assert statuses == ["accepted"] + ["rejected"] * len(bad_items)
    assert all(r["reason"] for r in response.json["results"][1:])
    assert db.session.scalar(db.select(db.func.count(Rating.id))) == 1


@pytest.mark.parametrize("header", [None, "Bearer wrong-token", "Basic abc"])
def test_missing_or_wrong_token_is_401(client, kiosk, header):
    headers = {"Authorization": header} if header else {}
    response = client.post("/kiosk/api/ratings", json={"ratings": [rating_item(at(1))]},
                           headers=headers)
    assert response.status_code == 401
    assert response.mimetype == "application/problem+json"


def test_a_revoked_kiosk_is_401(client, kiosk, org):
    device, token = kiosk
    kiosks.revoke(org.admin, device)
    assert submit(client, token, [rating_item(at(1))]).status_code == 401


@pytest.mark.parametrize("body", [b"[]", b"{not json", b'{"ratings": {}}', b'{"ratings": []}'])
def test_a_body_of_the_wrong_shape_is_400(client, kiosk, body):
    _, token = kiosk
    response = client.post("/kiosk/api/ratings", data=body, content_type="application/json",
                           headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 400


def test_a_body_past_the_size_limit_is_413(app, client, kiosk):
    _, token = kiosk
    app.config["KIOSK_MAX_BODY_BYTES"] = 500
    items = [rating_item(at(n), comment="x" * 100) for n in range(10)]
    assert submit(client, token, items).status_code == 413


def test_the_endpoint_needs_no_csrf_token(database_uri, tmp_path, kiosk):
    strict = create_app({**base_config(tmp_path, database_uri), "WTF_CSRF_ENABLED": True})
    _, token = kiosk
    assert submit(strict.test_client(), token, [rating_item(at(1))]).status_code == 200


def test_a_comment_becomes_a_complaint_for_the_unit(client, kiosk, counter):
    _, token = kiosk
    submit(client, token, [rating_item(at(1), 1, comment="Antrian terlalu lama",
                                       contact="0812 3456 7890")])
    complaint = db.session.scalar(db.select(Complaint))
    assert (complaint.text, complaint.unit_id) == ("Antrian terlalu lama", counter.unit_id)
    assert complaint.contact_consent


def test_staff_must_work_in_the_counters_unit(client, kiosk, org):
    _, token = kiosk
    colleague = make_employee("Petugas Loket", unit=org.dinas)
    response = submit(client, token, [
        rating_item(at(1), staff_nip=colleague.nip),
        rating_item(at(2), staff_nip=org.outsider.employee.nip)])
    assert [r["status"] for r in response.json["results"]] == ["accepted", "rejected"]
    assert db.session.scalar(db.select(Rating.staff_id)) == colleague.id


def test_cooldown_between_ratings(client, kiosk):
    _, token = kiosk
    first, too_soon = rating_item(at(1)), rating_item(at(1) + timedelta(seconds=1))
    response = submit(client, token, [first, too_soon])
    assert [r.get("reason") for r in response.json["results"]] == [None, "cooldown"]


def test_bursts_and_streaks_are_flagged_not_dropped(app, client, kiosk):
    _, token = kiosk
    app.config["KIOSK_BURST_PER_MINUTE"] = 3
    burst = [rating_item(NOW - timedelta(seconds=50 - 5 * n), n % 4 + 1) for n in range(4)]
    results = submit(client, token, burst).json["results"]
    assert [r["status"] for r in results] == ["accepted"] * 4
    assert results[-1]["flag"] == "burst"
    assert db.session.scalar(db.select(db.func.count(Rating.id)).where(Rating.flag == "burst")) == 1


def test_the_checks_compare_a_rating_with_the_ones_the_kiosk_sent_before(app, client, kiosk):
    _, token = kiosk
    app.config["KIOSK_STREAK_LENGTH"] = 3
    same = {"elements": ALL_FOURS}
    for minutes in (3, 2):
        assert submit(client, token, [rating_item(at(minutes), 4, **same)]).json["results"][0][
            "status"] == "accepted"
    too_soon = submit(client, token, [rating_item(at(2) + timedelta(seconds=1))])
    assert too_soon.json["results"][0]["reason"] == "cooldown"
    streak = submit(client, token, [rating_item(at(1), 4, **same)]).json["results"][0]
    assert (streak["status"], streak["flag"]) == ("accepted", "identical_streak")
    other = submit(client, token, [rating_item(at(0.5), 3, **same)]).json["results"][0]
    assert "flag" not in other


def _a_busy_morning(client, token, n: int = 10) -> None:
    """n ratings in the last n minutes, answers varied: the kiosk's latest."""
    for minute in range(n, 0, -1):
        result = submit(client, token, [rating_item(at(minute), minute % 4 + 1)]).json["results"][0]
        assert result == {"client_id": result["client_id"], "status": "accepted"}


def test_ratings_backdated_to_one_moment_are_checked_against_that_moment(client, kiosk):
    """The attack: a stolen token sends 40 ratings, one per request, all with the same older
    taken_at, below the kiosk's latest ratings. The first is flagged late; the rest fall in its
    cooldown."""
    _, token = kiosk
    _a_busy_morning(client, token)
    earlier = at(120)  # 08:00 WITA, inside service hours
    results = [submit(client, token, [rating_item(earlier, 4)]).json["results"][0]
               for _ in range(40)]
    assert (results[0]["status"], results[0]["flag"]) == ("accepted", "late")
    assert {(r["status"], r.get("reason")) for r in results[1:]} == {("rejected", "cooldown")}
    assert db.session.scalar(db.select(db.func.count(Rating.id))) == 11


def test_ratings_backdated_into_a_quiet_hour_are_flagged_as_a_burst_there(app, client, kiosk):
    """Five seconds apart within the hour (not late), in separate requests: they are compared
    with each other, not with the kiosk's latest ratings."""
    _, token = kiosk
    _a_busy_morning(client, token)
    start = at(50)
    results = [submit(client, token, [rating_item(start + timedelta(seconds=5 * n), n % 4 + 1)])
               .json["results"][0] for n in range(10)]
    assert [r["status"] for r in results] == ["accepted"] * 10
    limit = app.config["KIOSK_BURST_PER_MINUTE"]
    assert [r.get("flag") for r in results] == [None] * limit + ["burst"] * (10 - limit)


def test_identical_answers_backdated_into_a_quiet_hour_are_a_streak(app, client, kiosk):
    _, token = kiosk
    app.config["KIOSK_STREAK_LENGTH"] = 3
    _a_busy_morning(client, token)
    results = [submit(client, token, [rating_item(at(40 - 5 * n), 4, elements=ALL_FOURS)])
               .json["results"][0] for n in range(3)]
    assert [r.get("flag") for r in results] == [None, None, "identical_streak"]


def test_a_queue_sent_after_an_outage_is_stored_and_flagged_late(client, kiosk):
    """Never dropped: HR sees when each arrived and decides."""
    _, token = kiosk
    _a_busy_morning(client, token)
    queue = [rating_item(at(180 - 10 * n), n % 4 + 1) for n in range(6)]
    results = submit(client, token, queue).json["results"]
    assert [(r["status"], r.get("flag")) for r in results] == [("accepted", "late")] * 6
    fresh = submit(client, token, [rating_item(at(0.5), 2)]).json["results"][0]
    assert "flag" not in fresh


def test_the_late_threshold_is_configurable(app, client, kiosk):
    _, token = kiosk
    app.config["KIOSK_LATE_MINUTES"] = 10
    assert submit(client, token, [rating_item(at(11), 3)]).json["results"][0]["flag"] == "late"
    assert "flag" not in submit(client, token, [rating_item(at(9), 3)]).json["results"][0]


def test_a_one_tap_rating_is_one_read_and_one_insert(client, kiosk):
    """The busiest request: the sender and its latest ratings in one statement, then the INSERT
    (the rollups are its triggers'); the contact was recorded by the first submit."""
    _, token = kiosk
    submit(client, token, [rating_item(at(2))])
    with counted_statements() as statements:
        assert submit(client, token, [rating_item(at(1))]).status_code == 200
    assert [s.split()[0] for s in statements] == ["SELECT", "INSERT"]


def test_out_of_hours_is_flagged(client, kiosk):
    _, token = kiosk
    night = datetime(2026, 11, 25, 15, 0, tzinfo=UTC)  # 23:00 WITA
    result = submit(client, token, [rating_item(night)]).json["results"][0]
    assert result["flag"] == "out_of_hours"


def test_hr_excludes_a_rating_from_the_rollup_and_back(client, kiosk, counter, org):
    _, token = kiosk
    submit(client, token, [rating_item(at(1), 1, elements=ALL_FOURS)])
    rating = db.session.scalar(db.select(Rating))
    ratings.exclude(org.hr, rating, "uji coba petugas")
    rollup = db.session.get(DailyRollup, (counter.id, rating.local_day))
    assert (rollup.ratings, rollup.score_1, rollup.u1_n) == (0, 0, 0)
    assert db.session.get(Rating, rating.id).excluded  # kept, never deleted
    ratings.include(org.hr, rating)
    db.session.refresh(rollup)
    assert rollup.ratings == 1


def test_pairing_code_gives_a_token_once(client, counter, org):
    kiosk, code = kiosks.register(org.hr, counter, "Tablet loket 1")
    response = client.post("/kiosk/api/pair", json={"code": code})
    assert response.status_code == 200
    token = response.json["token"]
    assert response.json["kiosk"]["counter"]["code"] == "DUK-01"
    assert client.post("/kiosk/api/pair", json={"code": code}).status_code == 400
    assert db.session.get(Kiosk, kiosk.id).token_hash != token  # only a hash is kept
    assert submit(client, token, [rating_item(at(1))]).status_code == 200


def test_an_expired_pairing_code_is_refused(client, counter, org):
    _, code = kiosks.register(org.hr, counter, "Tablet")
    with time_machine.travel(NOW + timedelta(minutes=11), tick=False):
        assert client.post("/kiosk/api/pair", json={"code": code}).status_code == 400


def test_config_tells_the_tablet_where_it_is(client, kiosk):
    _, token = kiosk
    response = client.get("/kiosk/api/config", headers={"Authorization": f"Bearer {token}"})
    assert response.json["counter"]["code"] == "DUK-01"
    assert len(response.json["elements"]) == 9


def test_submits_per_token_are_rate_limited(app, client, kiosk):
    _, token = kiosk
    app.config["KIOSK_LIMIT_PER_TOKEN"] = "2 per minute"
    answers = [submit(client, token, [rating_item(at(n))]) for n in range(3)]
    assert [a.status_code for a in answers] == [200, 200, 429]
    assert answers[2].headers["Retry-After"] == "60"
    assert answers[2].mimetype == "application/problem+json"


def test_each_tablet_has_its_own_budget_however_many_share_an_address(app, client, kiosk, org):
    app.config["KIOSK_LIMIT_PER_TOKEN"] = "2 per minute"
    _, other_token = make_kiosk(make_counter(org.dinas, code="DUK-02"))
    codes = [submit(client, token, [rating_item(at(n))]).status_code
             for token in (kiosk[1], other_token) for n in range(2)]
    assert codes == [200] * 4


def test_tablets_are_not_limited_per_address_requests_with_wrong_tokens_are(app, client, kiosk):
    _, token = kiosk
    app.config["KIOSK_LIMIT_PER_IP"] = "2 per minute"
    assert [submit(client, token, [rating_item(at(n))]).status_code
            for n in range(3)] == [200, 200, 200]
    guesses = [submit(client, f"guess-{n}", [rating_item(at(1))]).status_code for n in range(3)]
    assert guesses == [401, 401, 429]
    # The office's tablets go on: their requests are limited per device, not per address.
    assert submit(client, token, [rating_item(at(4))]).status_code == 200


def test_a_submit_records_the_tablets_contact_version_and_queue(client, kiosk):
    device, token = kiosk
    submit(client, token, [rating_item(at(1))], version="2.1.0", queued=7)
    stored = db.session.get(Kiosk, device.id)
    db.session.refresh(stored)
    assert (stored.last_seen_at, stored.app_version, stored.queued) == (NOW, "2.1.0", 7)


def test_rebuilt_rollups_equal_the_incremental_ones(client, kiosk, counter, org):
    from kinerja.feedback import rollup_rebuild
    _, token = kiosk
    items = [rating_item(at(n * 2), n % 4 + 1, elements=ALL_FOURS if n % 2 else {"U1": 2},
                         respondent={"sex": "LP"[n % 2], "education": "SMA"}) for n in range(6)]
    submit(client, token, items)
    ratings.exclude(org.hr, db.session.scalar(db.select(Rating).limit(1)), "uji")

    def snapshot():
        # Every column, the respondents' answers included.
        return sorted(tuple(getattr(r, c.name) for c in DailyRollup.__table__.columns)
                      for r in db.session.scalars(db.select(DailyRollup)) if r.ratings)
    incremental = snapshot()
    rollup_rebuild.rebuild_rating_rollups()
    db.session.commit()
    assert snapshot() == incremental


def test_a_database_outage_is_a_quick_503_the_tablet_retries(client, kiosk, monkeypatch):
    from sqlalchemy.exc import OperationalError

    from kinerja.feedback import ratings

    def database_away(*args, **kwargs):
        raise OperationalError("INSERT ...", {}, Exception("server closed the connection"))

    monkeypatch.setattr(ratings, "accept_batch", database_away)
    _, token = kiosk
    response = submit(client, token, [rating_item(at(1))])
    assert response.status_code == 503
    assert response.mimetype == "application/problem+json"
    assert "dikirim ulang otomatis" in response.json["detail"]



def _database_error() -> Exception:
    from sqlalchemy.exc import OperationalError
    return OperationalError("INSERT ...", {}, Exception("server closed the connection"))


def _stored_client_ids() -> set[str]:
    return {str(c) for c in db.session.scalars(db.select(Rating.client_id))}


def _failing_insert(monkeypatch, table, failing_call: int) -> None:
    """The database goes away at the `failing_call`-th INSERT into `table` (1 = the first)."""
    from sqlalchemy.engine import Connection
    real_execute, inserts = Connection.execute, []

    def execute(connection, statement, *args, **kwargs):
        if getattr(statement, "is_insert", False) and statement.table is table:
            inserts.append(statement)
            if len(inserts) == failing_call:
                raise _database_error()
        return real_execute(connection, statement, *args, **kwargs)

    monkeypatch.setattr(Connection, "execute", execute)


def test_a_batch_cut_short_keeps_what_it_stored_and_the_retry_completes_it(client, kiosk,
                                                                            monkeypatch):
    """Each rating commits with its own INSERT: the tablet's retry of the whole batch is told
    `duplicate` for what the failed request stored, and nothing is stored twice."""
    _, token = kiosk
    first, second = rating_item(at(3)), rating_item(at(1))
    with monkeypatch.context() as patch:
        _failing_insert(patch, Rating.__table__, failing_call=2)
        assert submit(client, token, [first, second]).status_code == 503
    assert _stored_client_ids() == {first["client_id"]}

    retry = submit(client, token, [first, second])
    assert [r["status"] for r in retry.json["results"]] == ["duplicate", "accepted"]
    assert _stored_client_ids() == {first["client_id"], second["client_id"]}
    assert db.session.scalar(db.select(db.func.sum(DailyRollup.ratings))) == 2


def test_a_rating_and_its_complaint_are_stored_together_or_not_at_all(client, kiosk,
                                                                      monkeypatch):
    _, token = kiosk
    quiet, complaining = rating_item(at(3)), rating_item(at(1), 1, comment="Antrian terlalu lama")
    with monkeypatch.context() as patch:
        _failing_insert(patch, Complaint.__table__, failing_call=1)
        assert submit(client, token, [quiet, complaining]).status_code == 503
    assert _stored_client_ids() == set()  # the batch carrying a complaint is one transaction
    assert db.session.scalar(db.select(db.func.count(Complaint.id))) == 0

    retry = submit(client, token, [quiet, complaining])
    assert [r["status"] for r in retry.json["results"]] == ["accepted", "accepted"]
    complaint = db.session.scalar(db.select(Complaint))
    assert complaint.text == "Antrian terlalu lama"
    assert db.session.get(Rating, complaint.rating_id).client_id.hex == \
        complaining["client_id"].replace("-", "")

# ---------------------------------------------------------------- a token acts for its own kiosk only

@pytest.fixture
def other_kiosk(org):
    """A kiosk at a counter of another dinas: what a token must never reach."""
    return make_kiosk(make_counter(org.other_dinas, code="PKM-01", name="Loket Puskesmas"),
                      "Tablet Dinas Kesehatan")


def config(client, token):
    return client.get("/kiosk/api/config", headers={"Authorization": f"Bearer {token}"})


def test_each_token_gets_its_own_kiosks_config(client, kiosk, other_kiosk):
    for device, token in (kiosk, other_kiosk):
        answer = config(client, token).json
        assert answer["kiosk"] == {"id": device.id, "name": device.name}
        assert answer["counter"]["code"] == device.counter.code
        assert answer["unit"]["code"] == device.counter.unit.code


def test_a_rating_is_stored_for_the_tokens_own_kiosk_whatever_the_body_names(
        client, kiosk, other_kiosk, org):
    device, token = kiosk
    other, _ = other_kiosk
    elsewhere = {"kiosk_id": other.id, "counter_id": other.counter_id,
                 "unit_id": org.other_dinas.id}
    response = submit(client, token, [{**rating_item(at(2)), **elsewhere},
                                      rating_item(at(1), 1, comment="Antrian lama")],
                      **elsewhere)  # ids beside the batch are not read at all
    assert response.json["results"][0] == {
        "client_id": response.json["results"][0]["client_id"], "status": "rejected",
        "reason": "unknown field(s): counter_id, kiosk_id, unit_id"}
    assert response.json["results"][1]["status"] == "accepted"
    rating = db.session.scalar(db.select(Rating))  # the only one
    assert (rating.kiosk_id, rating.counter_id) == (device.id, device.counter_id)
    assert db.session.scalar(db.select(Complaint.unit_id)) == device.counter.unit_id
    assert db.session.scalars(db.select(DailyRollup.counter_id)).all() == [device.counter_id]


def test_a_revoked_kiosk_gets_no_config_and_the_others_work_on(client, kiosk, other_kiosk, org):
    kiosks.revoke(org.admin, kiosk[0])
    response = config(client, kiosk[1])
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"] == 'Bearer realm="kiosk"'
    assert config(client, other_kiosk[1]).status_code == 200


def test_an_api_token_is_not_a_kiosk_token(client, kiosk, org):
    _, text = make_api_token(org.hr, scopes=("ikm:read", "kinerja:read"))
    bearer = {"Authorization": f"Bearer {text}"}
    assert client.get("/api/v1/units", headers=bearer).status_code == 200  # a live API token
    assert client.get("/kiosk/api/config", headers=bearer).status_code == 401
    assert submit(client, text, [rating_item(at(1))]).status_code == 401
    assert db.session.scalar(db.select(db.func.count(Rating.id))) == 0

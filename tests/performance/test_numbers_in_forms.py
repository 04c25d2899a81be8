"""Amounts in forms read and write the Indonesian way, like every other number in the app: the
edit form shows "2.400" and "3,5" (never "35.00"), and what it shows reads back the same."""
import re
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
import time_machine
from flask_babel import force_locale

from kinerja.core.numbers import parse_number
from kinerja.extensions import db
from tests.builders import make_activity, make_reporter

TUESDAY = date(2026, 3, 3)


@pytest.fixture
def wednesday():
    with time_machine.travel(datetime(2026, 3, 4, 2, 0, tzinfo=UTC), tick=False):
        yield


@pytest.mark.parametrize(("typed", "value"), [
    ("2.400", "2400"), ("1.250.000", "1250000"), ("3,5", "3.5"), ("1.250,5", "1250.5"),
    ("12", "12"), ("0,75", "0.75"),
    # The plain way, as the form used to show it: a lone "." that is not grouping.
    ("35.00", "35.00"), ("12.5", "12.5"), ("0.125", "0.125")])
def test_indonesian_numbers_are_read_the_indonesian_way(app, typed, value):
    with app.test_request_context():
        assert parse_number(typed) == Decimal(value)


def test_english_readers_group_with_commas(app):
    with app.test_request_context(), force_locale("en"):
        assert parse_number("2,400") == Decimal("2400")
        assert parse_number("2.5") == Decimal("2.5")
        assert parse_number("1,250.5") == Decimal("1250.5")


@pytest.mark.parametrize("typed", ["", "dua", "1.2.3", "1,,5", "12 kg"])
def test_what_is_no_number_is_refused(app, typed):
    with app.test_request_context(), pytest.raises(ValueError):
        parse_number(typed)


def _quantity_shown(page: str) -> str:
    return re.search(r'<input[^>]*name="quantity"[^>]*value="([^"]*)"', page).group(1)


@pytest.mark.parametrize(("stored", "shown"), [
    ("35", "35"), ("2400", "2.400"), ("3.5", "3,5"), ("1250.25", "1.250,25")])
def test_the_activity_edit_form_shows_the_amount_the_indonesian_way(
        login_as, org, wednesday, stored, shown):
    _period, skp = make_reporter(org.employee.employee, rhks=1)
    activity = make_activity(org.employee.employee, skp.rhks[0], TUESDAY, quantity=stored)
    db.session.refresh(activity)
    assert activity.quantity == Decimal(stored)  # stored with two decimals, as "35.00" was
    page = login_as("employee").get(f"/harian/{activity.id}/ubah").text
    assert _quantity_shown(page) == shown


def test_what_the_form_shows_saves_back_unchanged(login_as, org, wednesday):
    _period, skp = make_reporter(org.employee.employee, rhks=1)
    rhk = skp.rhks[0]
    activity = make_activity(org.employee.employee, rhk, TUESDAY, quantity="2400")
    client = login_as("employee")
    form = {"description": "Memverifikasi berkas", "rhk_id": str(rhk.id),
            "indicator_id": str(rhk.indicators[0].id), "day": "2026-03-03",
            "start_time": "08:00", "end_time": "09:00", "minutes": ""}
    shown = _quantity_shown(client.get(f"/harian/{activity.id}/ubah").text)
    assert client.post(f"/harian/{activity.id}/ubah",
                       data={**form, "quantity": shown}).status_code == 302
    db.session.refresh(activity)
    assert activity.quantity == Decimal("2400")  # "2.400" is two thousand four hundred
    assert client.post(f"/harian/{activity.id}/ubah",
                       data={**form, "quantity": "3,5"}).status_code == 302
    db.session.refresh(activity)
    assert activity.quantity == Decimal("3.5")
    bad = client.post(f"/harian/{activity.id}/ubah", data={**form, "quantity": "tiga"})
    assert bad.status_code == 400 and "Isi dengan angka, misalnya 12 atau 12,5." in bad.text
    assert _quantity_shown(bad.text) == "tiga"  # what was typed stays to be corrected


def test_the_indicator_form_shows_its_target_the_indonesian_way(login_as, org, wednesday):
    _period, skp = make_reporter(org.employee.employee, rhks=1)
    indicator = skp.rhks[0].indicators[0]
    indicator.target = Decimal("2400")
    db.session.commit()
    page = login_as("employee").get(f"/skp/{skp.id}?ubah_indikator={indicator.id}").text
    assert re.search(r'<input[^>]*name="target"[^>]*value="2.400"', page)

"""One date and time style: month names, minutes without seconds, the zone the time is in; the
reader's language decides the words and the separators."""
from datetime import UTC, date, datetime, time

import pytest
from flask_babel import force_locale

from kinerja.core import dates, text
from kinerja.core.calendar import TimeZone
from web.rendering import local_time, remember_viewer_zone

MOMENT = datetime(2026, 12, 6, 2, 14, 16, tzinfo=UTC)  # 09.14 WIB, 10.14 WITA, 11.14 WIT


@pytest.fixture
def request_context(app):
    with app.test_request_context():
        yield


def test_a_moment_is_shown_in_the_zone_to_the_minute_with_the_month_by_name(request_context):
    assert dates.format_moment(MOMENT, TimeZone.WITA) == "6 Des 2026 10.14 WITA"
    assert dates.format_moment(MOMENT, "WIT") == "6 Des 2026 11.14 WIT"
    assert dates.format_moment(MOMENT) == "6 Des 2026 09.14 WIB"  # no zone: the capital's
    assert dates.format_moment(MOMENT, "WITA", with_day=False) == "10.14 WITA"
    assert dates.format_moment(None) == ""


def test_the_zone_can_move_the_day(request_context):
    late = datetime(2026, 12, 31, 16, 30, tzinfo=UTC)  # 23.30 WIB, already 1 January in WITA
    assert dates.format_moment(late, "WIB") == "31 Des 2026 23.30 WIB"
    assert dates.format_moment(late, "WITA") == "1 Jan 2027 00.30 WITA"


def test_english_readers_get_english_months_and_clock(request_context):
    with force_locale("en"):
        # CLDR puts a narrow no-break space before AM/PM.
        assert dates.format_moment(MOMENT, "WITA") == "6 Dec 2026 10:14\u202fAM WITA"
        assert dates.format_day(date(2026, 12, 6), "full") == "Sunday, 6 December 2026"


def test_days_come_in_named_styles(request_context):
    day = date(2026, 12, 6)
    assert dates.format_day(day) == "6 Des 2026"
    assert dates.format_day(day, "long") == "6 Desember 2026"
    assert dates.format_day(day, "full") == "Minggu, 6 Desember 2026"
    assert dates.format_day(day, "month") == "Desember 2026"
    assert dates.format_clock(time(8, 5)) == "08.05"
    with pytest.raises(KeyError):
        dates.format_day(day, "dd/MM/yy")  # a template names a style, never a pattern


def test_the_page_filter_uses_the_readers_zone(request_context):
    assert local_time(MOMENT) == "6 Des 2026 09.14 WIB"  # nobody logged in
    remember_viewer_zone(lambda: TimeZone.WITA)
    assert local_time(MOMENT) == "6 Des 2026 10.14 WITA"
    # The reader's zone wins over a zone a template names: one page, one zone.
    assert local_time(MOMENT, "WIB") == "6 Des 2026 10.14 WITA"
    assert local_time(MOMENT, style="time") == "10.14 WITA"


def test_a_name_ending_in_a_title_ends_the_sentence_once():
    assert text.single_stop("Menunggu persetujuan Aisyah Setiawan, S.Sos..") == \
        "Menunggu persetujuan Aisyah Setiawan, S.Sos."
    assert text.single_stop("Menunggu persetujuan Budi.") == "Menunggu persetujuan Budi."
    assert text.single_stop("NIP sudah terdaftar untuk Ani, S.E.. Periksa lagi.") == \
        "NIP sudah terdaftar untuk Ani, S.E. Periksa lagi."
    assert text.single_stop("Tunggu...") == "Tunggu..."  # an ellipsis stays

"""Daily activities (laporan harian): the rules of reporting, and the employee's week page."""
from datetime import UTC, date, datetime, time, timedelta

import pytest
import time_machine

from kinerja.core import calendar
from kinerja.core.errors import NotAllowed, RuleViolation
from kinerja.core.models import AuditEvent
from kinerja.extensions import db
from kinerja.performance import activities
from kinerja.performance.models import Activity, ActivityStatus, PeriodStatus
from tests.builders import make_activity, make_evidence, make_period, make_reporter, make_skp
from tests.queries import counted_statements

# Wednesday 4 March 2026, 10:00 in Makassar (WITA, the test units' zone).
WEDNESDAY = datetime(2026, 3, 4, 2, 0, tzinfo=UTC)
MONDAY, TUESDAY = date(2026, 3, 2), date(2026, 3, 3)


@pytest.fixture
def wednesday():
    with time_machine.travel(WEDNESDAY, tick=False):
        yield date(2026, 3, 4)


@pytest.fixture
def plan(org):
    """Ani (org.employee) with a draft SKP of two RHK in the open 2026 period."""
    period, skp = make_reporter(org.employee.employee, rhks=2)
    return skp


def entry(rhk, **changes) -> dict:
    """What the entry form posts, filled in validly."""
    form = {"description": "Memverifikasi berkas permohonan KTP-el", "rhk_id": str(rhk.id),
            "indicator_id": str(rhk.indicators[0].id), "day": "2026-03-04",
            "start_time": "08:00", "end_time": "09:30", "minutes": "", "quantity": "12"}
    form.update(changes)
    return form


def report(user, rhk, **changes):
    values = {"day": date(2026, 3, 4), "description": "Melayani pemohon", "rhk_id": rhk.id,
              "indicator_id": None, "start_time": None, "end_time": None, "minutes": 60,
              "quantity": None}
    values.update(changes)
    return activities.report(user, **values)


def problem_of(call) -> RuleViolation:
    with pytest.raises(RuleViolation) as caught:
        call()
    return caught.value


# ---------------------------------------------------------------- time and duration


def test_minutes_follow_from_start_and_end():
    assert activities.duration(time(8, 0), time(9, 30), None) == (time(8, 0), time(9, 30), 90)
    # The times win over a duration typed as well.
    assert activities.duration(time(8, 0), time(8, 45), 120)[2] == 45


def test_a_duration_alone_or_with_one_of_the_times():
    assert activities.duration(None, None, 45) == (None, None, 45)
    assert activities.duration(time(13, 0), None, 90) == (time(13, 0), time(14, 30), 90)
    assert activities.duration(None, time(10, 0), 30) == (time(9, 30), time(10, 0), 30)


@pytest.mark.parametrize(("start", "end", "minutes", "field", "words"), [
    (time(10, 0), time(9, 0), None, "end_time", "setelah jam mulai"),
    (time(10, 0), time(10, 0), None, "end_time", "setelah jam mulai"),
    (None, None, 1441, "minutes", "24 jam"),
    (None, None, 0, "minutes", "lebih dari 0"),
    (None, None, None, "minutes", "durasi"),
    (time(8, 0), None, None, "end_time", "jam selesai"),
    (time(23, 0), None, 90, "minutes", "tengah malam"),
])
def test_impossible_times_are_refused(app, start, end, minutes, field, words):
    problem = problem_of(lambda: activities.duration(start, end, minutes))
    assert problem.field == field
    assert words in str(problem.message)


def test_today_is_the_employees_own_in_their_units_zone(org):
    ani = org.employee.employee  # in a WITA unit (UTC+8)
    with time_machine.travel(datetime(2026, 3, 1, 17, 30, tzinfo=UTC), tick=False):
        assert calendar.today_in(ani.time_zone) == MONDAY  # already Monday 01:30 in Makassar
        ani.unit = None  # no unit: WIB (UTC+7), still Monday 00:30
        assert calendar.today_in(ani.time_zone) == MONDAY


# ---------------------------------------------------------------- reporting


def test_an_employee_reports_against_their_draft_skp(org, plan, wednesday):
    rhk = plan.rhks[0]
    activity = report(org.employee, rhk, start_time=time(8), end_time=time(10), minutes=None,
                      indicator_id=rhk.indicators[0].id, quantity="12,5")
    assert activity.minutes == 120
    assert activity.status is ActivityStatus.REPORTED
    assert str(activity.quantity) == "12.50"
    assert activity.period_id == plan.period_id
    assert db.session.scalar(db.select(AuditEvent).filter_by(action="activity.reported"))


@pytest.mark.parametrize(("day", "words"), [
    (date(2026, 3, 5), "setelah hari ini"),
    (date(2025, 12, 31), "periode 2026"),
])
def test_future_days_and_days_outside_the_period_are_refused(org, plan, wednesday, day, words):
    problem = problem_of(lambda: report(org.employee, plan.rhks[0], day=day))
    assert problem.field == "day"
    assert words in str(problem.message)


def test_a_day_holds_at_most_24_hours(org, plan, wednesday):
    report(org.employee, plan.rhks[0], minutes=1000)
    problem = problem_of(lambda: report(org.employee, plan.rhks[0], minutes=441))
    assert problem.field == "minutes"
    report(org.employee, plan.rhks[0], minutes=440)  # exactly 24 hours is fine


def test_only_the_employees_own_rhk_and_its_indicators(org, plan, wednesday):
    other_skp = make_skp(org.teammate.employee, plan.period, rhks=1)
    problem = problem_of(lambda: report(org.employee, other_skp.rhks[0]))
    assert problem.field == "rhk_id"
    wrong_indicator = plan.rhks[1].indicators[0].id
    problem = problem_of(lambda: report(org.employee, plan.rhks[0], indicator_id=wrong_indicator))
    assert problem.field == "indicator_id"


def test_nothing_can_be_reported_without_an_open_period(org, plan, wednesday):
    plan.period.status = PeriodStatus.CLOSED
    db.session.commit()
    problem = problem_of(lambda: report(org.employee, plan.rhks[0]))
    assert "periode" in str(problem.message).lower()


# ---------------------------------------------------------------- copying the previous day


def test_copy_brings_the_previous_working_days_activities_without_evidence(org, plan, wednesday):
    ani = org.employee.employee
    yesterday = make_activity(ani, plan.rhks[0], TUESDAY, status=ActivityStatus.VERIFIED)
    yesterday.start_time, yesterday.end_time = time(8), time(9)
    make_evidence(yesterday)
    make_activity(ani, plan.rhks[1], TUESDAY, description="Rapat koordinasi")
    source, copies = activities.copy_previous_day(org.employee)
    assert source == TUESDAY
    assert {c.day for c in copies} == {date(2026, 3, 4)}
    assert {c.description for c in copies} == {"Memverifikasi berkas permohonan", "Rapat koordinasi"}
    assert all(c.status is ActivityStatus.REPORTED and not c.evidence for c in copies)
    assert any(c.start_time == time(8) and c.end_time == time(9) for c in copies)
    # A second click copies nothing twice.
    problem = problem_of(lambda: activities.copy_previous_day(org.employee))
    assert "sudah disalin" in str(problem.message)


def test_copy_on_a_monday_takes_fridays_and_refuses_when_there_is_nothing(org, plan, wednesday):
    problem = problem_of(lambda: activities.copy_previous_day(org.employee, MONDAY))
    assert "Tidak ada kegiatan" in str(problem.message)
    make_activity(org.employee.employee, plan.rhks[0], date(2026, 2, 27))
    source, copies = activities.copy_previous_day(org.employee, MONDAY)
    assert source == date(2026, 2, 27)
    assert [c.day for c in copies] == [MONDAY]


# ---------------------------------------------------------------- changing and the locks


def test_a_verified_activity_is_final_for_the_employee(org, plan, wednesday):
    activity = make_activity(org.employee.employee, plan.rhks[0], TUESDAY,
                             status=ActivityStatus.VERIFIED)
    assert not activities.is_editable(org.employee, activity)
    values = {"day": TUESDAY, "description": "Diubah", "rhk_id": plan.rhks[0].id, "minutes": 30}
    assert "diverifikasi" in str(problem_of(lambda: activities.update(org.employee, activity,
                                                                      **values)).message)
    problem_of(lambda: activities.delete(org.employee, activity))
    db.session.refresh(activity)
    assert activity.description == "Memverifikasi berkas permohonan"


def test_editing_a_returned_activity_sends_it_back_as_reported(org, plan, wednesday):
    activity = make_activity(org.employee.employee, plan.rhks[0], TUESDAY,
                             status=ActivityStatus.RETURNED)
    activity.supervisor_comment = "Tambahkan jumlah berkas."
    db.session.commit()
    assert activities.is_editable(org.employee, activity)
    activities.update(org.employee, activity, day=TUESDAY, description="Memverifikasi 14 berkas",
                      rhk_id=plan.rhks[0].id, minutes=90)
    assert activity.status is ActivityStatus.REPORTED
    assert activity.minutes == 90


def test_only_the_owner_changes_an_activity(org, plan, wednesday):
    activity = make_activity(org.employee.employee, plan.rhks[0], TUESDAY)
    assert not activities.is_editable(org.supervisor, activity)
    with pytest.raises(NotAllowed):
        activities.delete(org.supervisor, activity)


def test_a_closed_period_is_read_only(org, plan, wednesday):
    activity = make_activity(org.employee.employee, plan.rhks[0], TUESDAY)
    plan.period.status = PeriodStatus.CLOSED
    db.session.commit()
    assert not activities.is_editable(org.employee, activity)
    assert "tidak sedang berjalan" in str(problem_of(
        lambda: activities.delete(org.employee, activity)).message)


# ---------------------------------------------------------------- the week page


def test_the_week_page_lists_each_day_with_its_total_and_statuses(login_as, org, plan, wednesday):
    ani = org.employee.employee
    make_activity(ani, plan.rhks[0], MONDAY, minutes=90, status=ActivityStatus.VERIFIED)
    returned = make_activity(ani, plan.rhks[1], TUESDAY, description="Menyusun rekap",
                             status=ActivityStatus.RETURNED)
    returned.supervisor_comment = "Lampirkan rekapnya."
    db.session.commit()
    make_evidence(returned, name="rekap.pdf")
    make_activity(ani, plan.rhks[0], date(2026, 2, 27), description="Minggu lalu")
    page = login_as("employee").get("/harian")
    assert page.status_code == 200
    text = page.text
    assert "Senin, 2 Maret 2026" in text and "Minggu, 8 Maret 2026" in text
    assert "1,5 jam" in text  # Monday's 90 minutes
    assert "Diverifikasi" in text and "Dikembalikan" in text
    assert "Lampirkan rekapnya." in text
    assert "rekap.pdf" in text
    assert "Minggu lalu" not in text
    assert 'autofocus' in text and 'type="time"' in text and 'value="2026-03-04"' in text
    # The verified one cannot be opened for editing, the returned one can.
    assert f"/harian/{returned.id}/ubah" in text
    assert text.count("/ubah") == 1


def test_any_day_chooses_its_week_and_the_links_move_by_a_week(login_as, org, plan, wednesday):
    make_activity(org.employee.employee, plan.rhks[0], date(2026, 2, 27), description="Minggu lalu")
    page = login_as("employee").get("/harian?minggu=2026-02-28").text
    assert "Minggu lalu" in page
    assert "minggu=2026-02-16" in page and "minggu=2026-03-02" in page
    this_week = login_as("employee").get("/harian").text
    assert "minggu=2026-03-09" not in this_week  # nothing to report after today


def test_without_an_open_period_or_rhk_the_page_says_what_to_do(login_as, org, wednesday):
    client = login_as("employee")
    no_period = client.get("/harian").text
    assert "Belum ada periode" in no_period and 'href="/skp"' in no_period
    period = make_period(2026)
    make_skp(org.employee.employee, period)  # a draft without RHK yet
    page = client.get("/harian").text
    assert "belum punya RHK" in page and 'href="/skp"' in page
    assert 'name="description"' not in page


def test_the_form_posts_without_javascript(login_as, org, plan, wednesday):
    client = login_as("employee")
    response = client.post("/harian", data=entry(plan.rhks[0]))
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/harian?minggu=2026-03-04")
    saved = db.session.scalar(db.select(Activity))
    assert (saved.minutes, saved.start_time, str(saved.quantity)) == (90, time(8), "12.00")
    assert "Kegiatan tersimpan" in client.get(response.headers["Location"]).text


def test_with_htmx_the_form_resets_and_the_day_is_redrawn_in_place(login_as, org, plan, wednesday):
    response = login_as("employee").post("/harian", data=entry(plan.rhks[0], minggu="2026-03-02"),
                                         headers={"HX-Request": "true"})
    assert response.status_code == 200
    text = response.text
    assert "<html" not in text
    assert 'id="day-2026-03-04"' in text and 'hx-swap-oob="true"' in text
    assert 'id="week-total"' in text
    assert "Memverifikasi berkas permohonan KTP-el" in text  # in the redrawn day
    assert 'value=""' in text.split('name="description"')[1].split(">")[0]  # emptied
    assert f'<option value="{plan.rhks[0].id}" title' in text  # the RHK stays chosen
    assert "selected" in text.split(f'<option value="{plan.rhks[0].id}"')[1].split(">")[0]


def test_a_day_outside_the_week_on_show_is_saved_with_a_link_to_its_week(login_as, org, plan,
                                                                         wednesday):
    response = login_as("employee").post(
        "/harian", data=entry(plan.rhks[0], day="2026-02-27", minggu="2026-03-02"),
        headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert "hx-swap-oob" not in response.text
    assert "minggu=2026-02-27" in response.text


@pytest.mark.parametrize("htmx", [True, False])
def test_mistakes_are_shown_next_to_the_fields_keeping_what_was_typed(login_as, org, plan,
                                                                      wednesday, htmx):
    data = entry(plan.rhks[0], description="Rapat evaluasi layanan", start_time="10:00",
                 end_time="09:00")
    response = login_as("employee").post("/harian", data=data,
                                         headers={"HX-Request": "true"} if htmx else {})
    assert response.status_code == 400
    assert ("<html" in response.text) is not htmx
    assert 'id="end_time-error"' in response.text
    assert "Jam selesai harus setelah jam mulai." in response.text
    assert 'value="Rapat evaluasi layanan"' in response.text
    assert db.session.scalar(db.select(Activity)) is None


def test_an_empty_description_is_refused(login_as, org, plan, wednesday):
    response = login_as("employee").post("/harian", data=entry(plan.rhks[0], description=" "),
                                         headers={"HX-Request": "true"})
    assert response.status_code == 400
    assert 'id="description-error"' in response.text


def test_the_indicator_list_follows_the_chosen_rhk(login_as, org, plan, wednesday):
    client = login_as("employee")
    rhk = plan.rhks[1]
    options = client.get(f"/harian/indikator?rhk_id={rhk.id}", headers={"HX-Request": "true"})
    assert rhk.indicators[0].text in options.text
    assert plan.rhks[0].indicators[0].text not in options.text
    # Someone else's RHK gives nothing away.
    other = make_skp(org.teammate.employee, plan.period, rhks=1).rhks[0]
    assert other.indicators[0].text not in client.get(f"/harian/indikator?rhk_id={other.id}").text


@pytest.mark.parametrize("htmx", [True, False])
def test_copy_yesterday_from_the_page(login_as, org, plan, wednesday, htmx):
    make_activity(org.employee.employee, plan.rhks[0], TUESDAY, description="Kemarin")
    client = login_as("employee")
    headers = {"HX-Request": "true"} if htmx else {}
    data = entry(plan.rhks[0], description="", minggu="2026-03-02")
    response = client.post("/harian/salin", data=data, headers=headers)
    assert response.status_code == (200 if htmx else 302)
    if htmx:
        assert "1 kegiatan disalin dari Selasa, 3 Maret 2026" in response.text
        assert 'id="day-2026-03-04"' in response.text
    days = sorted(a.day for a in db.session.scalars(db.select(Activity)))
    assert days == [TUESDAY, date(2026, 3, 4)]
    again = client.post("/harian/salin", data=data, headers=headers)
    assert again.status_code == (400 if htmx else 302)


def test_the_owner_edits_and_deletes_from_the_edit_page(login_as, org, plan, wednesday):
    activity = make_activity(org.employee.employee, plan.rhks[0], TUESDAY)
    client = login_as("employee")
    page = client.get(f"/harian/{activity.id}/ubah")
    assert page.status_code == 200 and "Memverifikasi berkas permohonan" in page.text
    response = client.post(f"/harian/{activity.id}/ubah",
                           data=entry(plan.rhks[1], day="2026-03-03", description="Diperbaiki",
                                      indicator_id=""))
    assert response.status_code == 302
    db.session.refresh(activity)
    assert (activity.description, activity.rhk_id, activity.minutes) == \
        ("Diperbaiki", plan.rhks[1].id, 90)
    bad = client.post(f"/harian/{activity.id}/ubah", data=entry(plan.rhks[1], day="2027-01-01"))
    assert bad.status_code == 400 and 'id="day-error"' in bad.text
    assert client.post(f"/harian/{activity.id}/hapus").status_code == 302
    assert db.session.scalar(db.select(Activity.id)) is None


def test_a_verified_activity_shows_read_only_and_refuses_changes(login_as, org, plan, wednesday):
    activity = make_activity(org.employee.employee, plan.rhks[0], TUESDAY,
                             status=ActivityStatus.VERIFIED)
    client = login_as("employee")
    page = client.get(f"/harian/{activity.id}/ubah").text
    assert "sudah diverifikasi" in page and 'name="description"' not in page
    response = client.post(f"/harian/{activity.id}/ubah", data=entry(plan.rhks[0], day="2026-03-03"))
    assert response.status_code == 400
    client.post(f"/harian/{activity.id}/hapus")
    assert db.session.scalar(db.select(Activity.id)) == activity.id


def test_someone_elses_activity_is_not_theirs_to_edit(login_as, org, plan, wednesday):
    activity = make_activity(org.employee.employee, plan.rhks[0], TUESDAY)
    assert login_as("teammate").get(f"/harian/{activity.id}/ubah").status_code == 403
    assert login_as("supervisor").post(f"/harian/{activity.id}/hapus").status_code == 403


# ---------------------------------------------------------------- queries


def _fill_week(employee, rhks, how_many: int) -> None:
    for n in range(how_many):
        activity = make_activity(employee, rhks[n % len(rhks)], MONDAY + timedelta(days=n % 3),
                                 minutes=5)
        if n % 2:
            make_evidence(activity, name=f"bukti-{n}.pdf")


def test_the_week_page_makes_the_same_number_of_queries_for_5_or_50_activities(
        login_as, org, plan, wednesday):
    client = login_as("employee")
    _fill_week(org.employee.employee, plan.rhks, 5)
    with counted_statements() as few:
        assert client.get("/harian").status_code == 200
    _fill_week(org.employee.employee, plan.rhks, 45)
    with counted_statements() as many:
        page = client.get("/harian")
    assert page.text.count('id="activity-') == 50
    assert len(many) == len(few), many

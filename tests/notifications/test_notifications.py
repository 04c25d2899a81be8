"""Notifications: storing them once, the words in the reader's language, the page and badge,
the daily reminders (idempotent) and the emails the reminders command sends."""
from datetime import UTC, date, datetime

import pytest
from flask_babel import force_locale
from sqlalchemy import event

from kinerja.appraisal import reminders
from kinerja.appraisal.models import EvaluationStatus, Objection, PeerFeedbackRequest
from kinerja.core.calendar import Cadence
from kinerja.extensions import db
from kinerja.notifications import notifications
from kinerja.notifications.models import Notification
from kinerja.performance import skp_workflow
from kinerja.performance.models import SkpStatus
from tests.builders import (
    make_activity,
    make_employee,
    make_evaluation,
    make_period,
    make_skp,
    make_user,
)

# Monday 6 April 2026, 08:00 WITA: the previous working day is Thursday 2 April (Friday the
# 3rd is Good Friday, a national holiday on the holiday calendar).
MONDAY = datetime(2026, 4, 6, 0, 0, tzinfo=UTC)
NOW = MONDAY
TODAY = date(2026, 4, 6)


def stored(user=None, kind=None):
    query = db.select(Notification).order_by(Notification.id)
    if user is not None:
        query = query.where(Notification.user_id == user.id)
    if kind is not None:
        query = query.where(Notification.kind == kind)
    return db.session.scalars(query).all()


# ---------------------------------------------------------------- notify and the words


def test_notify_stores_a_key_once_per_person(org):
    ani = org.employee.employee
    assert notifications.notify(ani, "skp_returned", key="k1") is not None
    assert notifications.notify(ani, "skp_returned", key="k1") is None
    assert notifications.notify(org.teammate.employee, "skp_returned", key="k1") is not None
    no_account = make_employee("Tanpa Akun")
    assert notifications.notify(no_account, "skp_returned", key="k1") is None
    db.session.commit()
    assert len(stored()) == 2


def test_words_are_made_when_shown_in_the_readers_language(org):
    notification = notifications.notify(org.teammate.employee, "peer_feedback_requested",
                                        key="p1", employee_name="Ani Lestari", due_on=date(2026, 4, 10))
    db.session.commit()
    assert notification.params == {"employee_name": "Ani Lestari", "due_on": "2026-04-10"}
    with force_locale("id"):
        text = notifications.message(notification)
    assert "Ani Lestari" in text and "10 April 2026" in text
    with force_locale("en"):
        assert "10 April 2026" in notifications.message(notification)
    notification.kind = "no_such_kind"
    assert notifications.message(notification) == "Ada pemberitahuan baru untuk Anda."
    notification.kind, notification.params = "objection_lodged", {}
    assert notifications.message(notification) == "Ada pemberitahuan baru untuk Anda."


def test_point_labels(app):
    with force_locale("id"):
        assert notifications.point_label(Cadence.MONTHLY, 3, 2026) == "Maret 2026"
        assert notifications.point_label(Cadence.QUARTERLY, 2, 2026) == "Triwulan II 2026"
        assert notifications.point_label(None, 0, 2026) == "Tahunan 2026"


def test_links_are_built_outside_a_request(app):
    assert notifications.link_to("portal.skp_detail", skp_id=4) == "/skp/4"
    assert notifications.link_to("portal.no_such_page") is None


def test_a_returned_skp_tells_its_owner(org, frozen_clock):
    period = make_period(2026)
    skp = make_skp(org.employee.employee, period, status=SkpStatus.SUBMITTED, rhks=1)
    skp_workflow.return_(org.supervisor, skp, "Lengkapi indikator kualitas.")
    [notification] = stored(org.employee)
    assert (notification.kind, notification.link) == ("skp_returned", f"/skp/{skp.id}")


# ---------------------------------------------------------------- the page and the badge


def test_the_list_newest_first_unread_marked_and_paginated(org, login_as, frozen_clock):
    for n in range(notifications.PER_PAGE + 2):
        frozen_clock.shift(60)
        notifications.notify(org.employee.employee, "self_assessment_submitted", key=f"n{n}",
                             link="/skp", employee_name=f"Pegawai {n:02d}")
    db.session.commit()
    stored(org.employee)[-1].read_at = datetime(2026, 4, 6, 1, tzinfo=UTC)
    db.session.commit()
    client = login_as("employee")
    page = client.get("/notifikasi")
    assert page.status_code == 200
    newest = f"Pegawai {notifications.PER_PAGE + 1:02d}"
    assert page.text.index(newest) < page.text.index("Pegawai 20")
    assert "Pegawai 01" not in page.text
    assert page.text.count("Baru</span>") == notifications.PER_PAGE - 1
    second = client.get("/notifikasi?page=2")
    assert "Pegawai 01" in second.text and "Pegawai 00" in second.text
    fragment = client.get("/notifikasi?page=2", headers={"HX-Request": "true"})
    assert "Pegawai 00" in fragment.text and "<html" not in fragment.text


def test_opening_one_marks_it_read_and_follows_its_link(org, login_as):
    mine = notifications.notify(org.employee.employee, "skp_returned", key="a", link="/skp")
    other = notifications.notify(org.teammate.employee, "skp_returned", key="a", link="/skp")
    unsafe = notifications.notify(org.employee.employee, "skp_returned", key="b",
                                  link="//evil.example/")
    db.session.commit()
    client = login_as("employee")
    response = client.post(f"/notifikasi/{mine.id}/baca")
    assert response.status_code == 302 and response.headers["Location"] == "/skp"
    assert client.post(f"/notifikasi/{other.id}/baca").status_code == 403
    assert client.post(f"/notifikasi/{unsafe.id}/baca").headers["Location"] == "/notifikasi"
    assert client.post("/notifikasi/999999/baca").status_code == 404
    db.session.expire_all()
    assert mine.read_at is not None and other.read_at is None


def test_mark_all_read(org, login_as):
    for key in ("a", "b", "c"):
        notifications.notify(org.employee.employee, "skp_returned", key=key)
    notifications.notify(org.teammate.employee, "skp_returned", key="a")
    db.session.commit()
    client = login_as("employee")
    assert client.post("/notifikasi/baca-semua").status_code == 302
    assert notifications.unread_count(org.employee) == 0
    assert notifications.unread_count(org.teammate) == 1


def _statements(client, url, **kwargs):
    statements = []

    def count(*args):
        statements.append(args[2])

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        assert client.get(url, **kwargs).status_code == 200
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    return statements


def test_the_unread_badge_is_one_count_and_skipped_for_htmx(org, login_as):
    for key in ("a", "b", "c"):
        notifications.notify(org.employee.employee, "skp_returned", key=key)
    db.session.commit()
    client = login_as("employee")
    html = client.get("/notifikasi").text
    assert '<span class="badge badge-bad">3<span class="visually-hidden"> belum dibaca</span>' in html
    counts = [s for s in _statements(client, "/skp") if "count(notifications.id)" in s.lower()]
    assert len(counts) == 1
    fragment = _statements(client, "/notifikasi", headers={"HX-Request": "true"})
    assert not [s for s in fragment if "count(notifications.id)" in s.lower()]


def test_the_list_does_not_query_per_notification(org, login_as):
    client = login_as("employee")
    notifications.notify(org.employee.employee, "skp_returned", key="first")
    db.session.commit()
    few = len(_statements(client, "/notifikasi"))
    for n in range(15):
        notifications.notify(org.employee.employee, "objection_lodged", key=f"k{n}",
                             employee_name="Ani")
    db.session.commit()
    assert len(_statements(client, "/notifikasi")) == few


# ---------------------------------------------------------------- reminders


@pytest.mark.parametrize("cadence, today, point", [
    (Cadence.MONTHLY, date(2026, 4, 6), 3), (Cadence.MONTHLY, date(2026, 1, 20), None),
    (Cadence.MONTHLY, date(2027, 1, 5), 12), (Cadence.QUARTERLY, date(2026, 4, 6), 1),
    (Cadence.QUARTERLY, date(2026, 3, 31), None), (Cadence.QUARTERLY, date(2026, 12, 1), 3),
    (Cadence.QUARTERLY, date(2027, 2, 1), 4), (Cadence.MONTHLY, date(2025, 12, 1), None),
])
def test_latest_ended_point(app, cadence, today, point):
    period = make_period(2026, cadence=cadence)
    assert reminders.latest_ended_point(period, today) == point


@pytest.fixture
def year(org, frozen_clock):
    """2026 open, Ani's and Rudi's SKPs approved; Ani reported on Thursday 2 April."""
    period = make_period(2026)
    ani = make_skp(org.employee.employee, period, status=SkpStatus.APPROVED, rhks=1)
    rudi = make_skp(org.teammate.employee, period, status=SkpStatus.APPROVED, rhks=1)
    make_activity(org.employee.employee, ani.rhks[0], date(2026, 4, 2))
    return period, ani, rudi


def test_evaluations_due_for_the_appraiser_at_the_latest_ended_month(org, year):
    _, ani, rudi = year
    make_evaluation(ani, point=3, result="sesuai", behaviour="sesuai")  # set: not due
    make_evaluation(rudi, point=3)  # a draft still counts as due
    make_evaluation(rudi, point=2, result="sesuai", behaviour="sesuai")
    reminders.send_reminders(TODAY)
    [due] = stored(org.supervisor, "evaluation_due")
    assert due.params == {"employee_name": "Rudi Hartono", "point": 3, "year": 2026,
                          "cadence": "bulanan"}
    assert due.key == f"evaluation_due:{rudi.id}:3"
    with force_locale("id"):
        assert notifications.message(due) == ("Penilaian Maret 2026 untuk Rudi Hartono belum "
                                              "ditetapkan.")


def test_evaluations_due_go_to_hr_at_the_top_of_the_chart(org, year):
    period = year[0]
    make_skp(org.head.employee, period, status=SkpStatus.APPROVED)
    reminders.send_reminders(TODAY)
    assert [n.params["employee_name"] for n in stored(org.hr, "evaluation_due")] == [
        "Hj. Siti Rahmawati"]
    assert [n.params["employee_name"] for n in stored(org.supervisor, "evaluation_due")] == [
        "Ani Lestari", "Rudi Hartono"]
    assert not stored(org.head, "evaluation_due")  # Budi has no approved SKP


def test_returned_skps_remind_their_owner(org, frozen_clock):
    period = make_period(2026)
    skp = make_skp(org.employee.employee, period, status=SkpStatus.RETURNED)
    skp.decided_at = datetime(2026, 4, 2, 3, tzinfo=UTC)
    db.session.commit()
    reminders.send_reminders(TODAY)
    [reminder] = stored(org.employee, "skp_still_returned")
    assert reminder.link == f"/skp/{skp.id}"


def test_objections_remind_the_decider_or_hr(org, year):
    _, ani, _ = year
    evaluation = make_evaluation(ani, point=3, result="di_bawah", behaviour="sesuai",
                                 status=EvaluationStatus.OBJECTED)
    db.session.add(Objection(evaluation=evaluation, reasons="Tidak sesuai bukti."))
    db.session.commit()
    reminders.send_reminders(TODAY)
    [waiting] = stored(org.head, "objection_waiting")  # Budi's supervisor decides
    assert waiting.params == {"employee_name": "Ani Lestari"}
    assert not stored(org.hr, "objection_waiting")
    # Without a supervisor above the appraiser, HR decides.
    org.supervisor.employee.supervisor = None
    db.session.commit()
    reminders.send_reminders(date(2026, 4, 7))
    assert len(stored(org.hr, "objection_waiting")) == 1


def test_missing_daily_reports_on_the_previous_working_day(org, year):
    draft_only = make_user(make_employee("Belum Punya SKP", unit=org.section))
    make_skp(draft_only.employee, year[0], status=SkpStatus.DRAFT)
    reminders.send_reminders(TODAY)  # Monday: Thursday 2 April counts (Good Friday is off)
    missing = stored(kind="daily_report_missing")
    assert [n.user_id for n in missing] == [org.teammate.id]
    assert missing[0].params == {"day_on": "2026-04-02"}
    assert missing[0].link == "/harian?minggu=2026-04-02"
    with force_locale("id"):
        assert "2 April 2026" in notifications.message(missing[0])


def test_peer_feedback_due_soon(org, year):
    _, ani, _ = year
    evaluation = make_evaluation(ani, point=3)
    for colleague, due in ((org.teammate, date(2026, 4, 7)), (org.supervisor, date(2026, 4, 20))):
        db.session.add(PeerFeedbackRequest(evaluation=evaluation, colleague=colleague.employee,
                                           requested_by=org.hr, due_on=due))
    db.session.commit()
    reminders.send_reminders(TODAY)
    assert len(stored(org.teammate, "peer_feedback_due")) == 1
    assert not stored(org.supervisor, "peer_feedback_due")


def test_reminders_are_idempotent(org, year):
    _, ani, _ = year
    db.session.add(Objection(evaluation=make_evaluation(ani, point=2, result="sesuai",
                                                        behaviour="sesuai",
                                                        status=EvaluationStatus.OBJECTED),
                             reasons="Keberatan."))
    db.session.commit()
    first = reminders.send_reminders(TODAY)
    count = len(stored())
    assert first.total == count > 2
    second = reminders.send_reminders(TODAY)
    assert second.total == 0 and len(stored()) == count
    # Another day: the daily ones again, the per-point ones not.
    third = reminders.send_reminders(date(2026, 4, 7))
    assert third.created["evaluation_due"] == 0 and third.created["objection_waiting"] == 1


def test_the_command(app, org, year):
    result = app.test_cli_runner().invoke(args=["send-reminders"])
    assert result.exit_code == 0, result.output
    assert "notifications created, 0 emailed" in result.output


# ---------------------------------------------------------------- email


def test_emails_go_out_only_when_mail_is_configured(app, org, year):
    org.teammate.employee.email = "rudi@example.go.id"
    db.session.commit()
    app.config.update(MAIL_SERVER=None, MAIL_BACKEND="locmem")
    report = reminders.send_reminders(TODAY)
    assert report.emailed == 0
    assert all(n.emailed_at is None for n in stored())
    assert "mailman" not in app.extensions or not getattr(app.extensions["mailman"], "outbox", [])


def test_emails_are_sent_once_through_the_mail_backend(app, org, year):
    org.teammate.employee.email = "rudi@example.go.id"
    org.employee.employee.email = ""  # no address: nothing sent, nothing marked
    db.session.commit()
    app.config.update(MAIL_SERVER="smtp.example.go.id", MAIL_BACKEND="locmem",
                      PORTAL_BASE_URL="https://kinerja.example.go.id")
    notifications.notify(org.employee.employee, "skp_returned", key="x")
    db.session.commit()
    report = reminders.send_reminders(TODAY)
    outbox = app.extensions["mailman"].outbox
    assert report.emailed == len(outbox) == len(stored(org.teammate)) >= 1
    missing = next(m for m in outbox if "laporan kegiatan harian" in m.subject)
    assert missing.to == ["rudi@example.go.id"]
    assert "2 April 2026" in missing.body
    assert "https://kinerja.example.go.id/harian?minggu=2026-04-02" in missing.body
    assert all(n.emailed_at is not None for n in stored(org.teammate))
    assert all(n.emailed_at is None for n in stored(org.employee))
    reminders.send_reminders(TODAY)
    assert len(app.extensions["mailman"].outbox) == len(outbox)


def test_read_notifications_are_not_emailed(app, org):
    org.employee.employee.email = "ani@example.go.id"
    app.config.update(MAIL_SERVER="smtp.example.go.id", MAIL_BACKEND="locmem")
    notification = notifications.notify(org.employee.employee, "skp_returned", key="x")
    notification.read_at = notification.created_at = datetime.now(UTC)
    db.session.commit()
    assert notifications.send_pending_emails() == 0


def test_an_unreachable_mail_server_leaves_the_emails_for_the_next_run(app, org):
    org.employee.employee.email = "ani@example.go.id"
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=1, MAIL_BACKEND="smtp", MAIL_USE_TLS=False,
                      MAIL_TIMEOUT=2)
    notification = notifications.notify(org.employee.employee, "skp_returned", key="x")
    db.session.commit()
    assert notifications.send_pending_emails() == 0
    assert notification.emailed_at is None

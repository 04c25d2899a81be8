"""Complaints as tickets: who handles them, the follow-up state machine, overdue counted in
working days in the unit's zone, the list's filters and counts, and citizens' contact details."""
from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine

from kinerja.core.calendar import TimeZone
from kinerja.core.errors import NotAllowed, RuleViolation
from kinerja.core.models import AuditEvent
from kinerja.extensions import db
from kinerja.feedback import complaints, ikm
from kinerja.feedback.models import ComplaintStatus
from tests.builders import make_complaint, make_counter, make_rating, make_unit

# Thursday 26 November 2026, 10:00 WITA (the org's units are WITA).
NOW = datetime(2026, 11, 26, 2, 0, tzinfo=UTC)

pytestmark = pytest.mark.usefixtures("frozen_clock")


def wita(year, month, day, hour=10, minute=0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC) - timedelta(hours=8)


def act(client, complaint, action, reply=None):
    data = {"aksi": action} | ({"reply": reply} if reply is not None else {})
    return client.post(f"/pengaduan/{complaint.id}/tindak", data=data)


def fresh(complaint):
    """The complaint as stored now (the requests ran in sessions of their own)."""
    db.session.expire_all()
    return db.session.get(type(complaint), complaint.id)


def status_of(complaint):
    return fresh(complaint).status


# ---------------------------------------------------------------- the state machine


def test_a_complaint_goes_received_in_progress_answered_closed(login_as, org, counter):
    complaint = make_complaint(counter)
    head = login_as("supervisor")
    assert act(head, complaint, "proses").status_code == 302
    assert status_of(complaint) == ComplaintStatus.IN_PROGRESS
    assert act(head, complaint, "jawab", "Mohon maaf, loket kini buka pukul 07.30.").status_code == 302
    answered = fresh(complaint)
    assert answered.status == ComplaintStatus.ANSWERED
    assert answered.reply == "Mohon maaf, loket kini buka pukul 07.30."
    assert answered.answered_at == NOW
    assert answered.handled_by_id == org.supervisor.employee.id
    assert act(head, complaint, "tutup").status_code == 302
    assert status_of(complaint) == ComplaintStatus.CLOSED


def test_every_step_is_audited_and_shown_as_history(login_as, org, counter):
    complaint = make_complaint(counter)
    head = login_as("head")
    act(head, complaint, "proses")
    act(head, complaint, "jawab", "Sudah kami tindak lanjuti.")
    act(head, complaint, "tutup")
    events = db.session.scalars(db.select(AuditEvent).where(AuditEvent.subject_type == "Complaint")
                                .order_by(AuditEvent.id)).all()
    assert [e.action for e in events] == ["complaint.in_progress", "complaint.answered",
                                          "complaint.closed"]
    assert all(e.actor_id == org.head.id for e in events)
    assert events[1].details == {"status_from": "diproses", "status_to": "dijawab"}
    page = head.get(f"/pengaduan/{complaint.id}").text
    for step in ("Diterima dari kiosk", "Diproses", "Dijawab", "Ditutup"):
        assert step in page
    assert "Pengaduan ini sudah ditutup; tidak ada tindak lanjut lagi." in page


def test_answering_needs_a_reply(login_as, counter):
    complaint = make_complaint(counter, status=ComplaintStatus.IN_PROGRESS)
    response = act(login_as("hr"), complaint, "jawab", "   ")
    assert response.status_code == 400
    assert "Tulis jawaban untuk warga sebelum menyimpan." in response.text
    assert status_of(complaint) == ComplaintStatus.IN_PROGRESS


@pytest.mark.parametrize("status, action, message", [
    (ComplaintStatus.RECEIVED, "jawab", "Ambil pengaduan ini untuk diproses sebelum menjawabnya."),
    (ComplaintStatus.RECEIVED, "tutup", "Hanya pengaduan yang sudah dijawab yang dapat ditutup."),
    (ComplaintStatus.IN_PROGRESS, "tutup", "Hanya pengaduan yang sudah dijawab yang dapat ditutup."),
    (ComplaintStatus.IN_PROGRESS, "proses", "Pengaduan ini sudah sedang diproses."),
    (ComplaintStatus.ANSWERED, "jawab", "Pengaduan ini sudah dijawab. Buka kembali"),
    (ComplaintStatus.CLOSED, "proses", "Pengaduan ini sudah ditutup dan tidak dapat diubah lagi."),
    (ComplaintStatus.CLOSED, "jawab", "Pengaduan ini sudah ditutup dan tidak dapat diubah lagi."),
    (ComplaintStatus.RECEIVED, "hapus", "Tindakan tidak dikenal."),
])
def test_steps_out_of_order_are_refused_with_a_clear_400(login_as, counter, status, action,
                                                          message):
    complaint = make_complaint(counter, status=status)
    response = act(login_as("supervisor"), complaint, action, "Jawaban")
    assert response.status_code == 400
    assert message in response.text
    assert status_of(complaint) == status
    assert db.session.scalar(db.select(db.func.count(AuditEvent.id))
                             .where(AuditEvent.subject_type == "Complaint")) == 0


def test_an_answer_may_be_reopened_corrected_and_answered_again(org, counter):
    complaint = make_complaint(counter, status=ComplaintStatus.IN_PROGRESS)
    complaints.act(org.head, complaint, "jawab", "Blangko tersedia.")
    complaints.act(org.head, complaint, "proses")
    assert complaint.status == ComplaintStatus.IN_PROGRESS
    assert complaint.answered_at is None
    assert complaint.reply == "Blangko tersedia."  # kept, to be corrected
    complaints.act(org.head, complaint, "jawab", "Blangko tersedia mulai Senin.")
    assert (complaint.status, complaint.reply) == (ComplaintStatus.ANSWERED,
                                                   "Blangko tersedia mulai Senin.")
    actions = db.session.scalars(db.select(AuditEvent.action).order_by(AuditEvent.id)).all()
    assert actions == ["complaint.answered", "complaint.reopened", "complaint.answered"]


def test_two_people_acting_at_once_only_one_succeeds(org, counter):
    complaint = make_complaint(counter)
    assert complaint.status == ComplaintStatus.RECEIVED  # loaded by the first person
    # Someone else takes it, in another connection, before the first person's step is stored.
    with db.engine.begin() as other:
        other.execute(db.update(type(complaint)).values(status=ComplaintStatus.IN_PROGRESS.value))
    with pytest.raises(RuleViolation, match="baru saja diubah"):
        complaints.act(org.hr, complaint, "proses")
    assert db.session.scalar(db.select(db.func.count(AuditEvent.id))) == 0


# ---------------------------------------------------------------- who handles complaints


def test_only_heads_of_the_unit_and_hr_see_and_act(login_as, org, counter):
    complaint = make_complaint(counter)
    for role in ("supervisor", "head", "hr"):
        assert login_as(role).get(f"/pengaduan/{complaint.id}").status_code == 200
    for role in ("employee", "teammate", "outsider", "admin"):
        client = login_as(role)
        assert client.get(f"/pengaduan/{complaint.id}").status_code == 403
        assert act(client, complaint, "proses").status_code == 403
    assert status_of(complaint) == ComplaintStatus.RECEIVED
    with pytest.raises(NotAllowed):
        complaints.act(org.employee, complaint, "proses")


def test_a_head_sees_only_the_complaints_of_units_they_lead(login_as, org, counter):
    mine = make_complaint(counter, "Antrean di dukcapil lama")
    elsewhere = make_complaint(make_counter(org.other_dinas), "Obat di puskesmas habis")
    page = login_as("supervisor").get("/pengaduan").text
    assert "Antrean di dukcapil lama" in page
    assert "Obat di puskesmas habis" not in page
    assert login_as("supervisor").get(f"/pengaduan/{elsewhere.id}").status_code == 403
    assert "Obat di puskesmas habis" in login_as("hr").get("/pengaduan").text
    assert mine.id != elsewhere.id


def test_the_menu_shows_complaints_to_those_who_handle_them(login_as):
    assert 'href="/pengaduan"' in login_as("head").get("/").text
    assert 'href="/pengaduan"' in login_as("hr").get("/").text
    assert 'href="/pengaduan"' not in login_as("employee").get("/").text
    assert 'href="/pengaduan"' not in login_as("admin").get("/").text


# ---------------------------------------------------------------- citizens' contact details


def test_the_contact_is_shown_only_with_the_citizens_consent(login_as, org, counter):
    hidden = make_complaint(counter, contact="0812-1111-2222", consent=False)
    shown = make_complaint(counter, contact="warga@example.id", consent=True)
    head = login_as("head")
    page = head.get(f"/pengaduan/{hidden.id}").text
    assert "0812-1111-2222" not in page
    assert "Tidak ada kontak yang boleh digunakan." in page
    assert "warga@example.id" in head.get(f"/pengaduan/{shown.id}").text
    listing = head.get("/pengaduan").text
    assert "warga@example.id" not in listing and "0812-1111-2222" not in listing
    assert complaints.complaint_view(org.hr, hidden).contact is None


def test_the_detail_shows_the_rating_it_came_with(login_as, org, counter):
    rating = make_rating(counter, date(2026, 11, 26), 2, staff=org.employee.employee,
                         elements={e: 3 for e in ikm.ELEMENTS} | {"U3": 1})
    complaint = make_complaint(counter, "Lama sekali", rating=rating)
    page = login_as("head").get(f"/pengaduan/{complaint.id}").text
    assert "Kurang baik" in page
    assert "U3 Waktu Penyelesaian" in page
    assert "Dilayani oleh Ani Lestari" in page
    assert "26 Nov 2026 10.00 WITA" in page  # the received time in the reader's zone, to the minute


# ---------------------------------------------------------------- overdue, in working days


def test_the_overdue_cutoff_counts_working_days_back():
    assert complaints.overdue_cutoff(date(2026, 12, 4), 5) == date(2026, 11, 26)
    # On a Tuesday, with one working day, the whole weekend's complaints are overdue.
    assert complaints.overdue_cutoff(date(2026, 12, 1), 1) == date(2026, 11, 29)


def test_overdue_counts_working_days_across_a_weekend(login_as, org, counter):
    complaint = make_complaint(counter, received_at=wita(2026, 11, 26, 9, 0))  # Thursday
    with time_machine.travel(wita(2026, 12, 3, 23, 30), tick=False):  # Thursday after: due today
        page = login_as("head").get("/pengaduan?terlambat=1").text
        assert "Terlambat <strong>0</strong>" in page
        assert f"#{complaint.id}" not in page
    with time_machine.travel(wita(2026, 12, 4, 7, 30), tick=False):  # Friday: overdue
        page = login_as("head").get("/pengaduan?terlambat=1").text
        assert f"#{complaint.id}" in page
        assert "Terlambat <strong>1</strong>" in page
        assert complaints.complaint_view(org.hr, complaint).overdue


def test_overdue_is_counted_in_the_units_time_zone(org):
    # 23:30 WITA on Thursday is already 00:30 WIT on Friday: a day later to answer in Papua.
    papua = make_unit("Distrik Abepura", time_zone=TimeZone.WIT)
    borneo = make_counter(org.section)
    east = make_counter(papua)
    arrived = wita(2026, 11, 26, 23, 30)
    late = make_complaint(borneo, received_at=arrived)
    on_time = make_complaint(east, received_at=arrived)
    with time_machine.travel(wita(2026, 12, 4, 9, 0), tick=False):  # Friday
        listing = complaints.complaint_list(org.hr, complaints.Filters(overdue=True))
        assert [row.complaint.id for row in listing.rows] == [late.id]
        assert listing.overdue_count == 1
    assert on_time.id != late.id


def test_answered_and_closed_complaints_are_never_overdue(org, counter):
    for status in (ComplaintStatus.ANSWERED, ComplaintStatus.CLOSED):
        make_complaint(counter, received_at=wita(2026, 10, 1), status=status)
    listing = complaints.complaint_list(org.hr, complaints.Filters())
    assert listing.overdue_count == 0
    assert not any(row.overdue for row in listing.rows)


# ---------------------------------------------------------------- the list


def test_the_list_filters_and_counts_per_status(login_as, org, counter):
    other = make_counter(org.section, name="Loket 2 Akta")
    make_complaint(counter, "Satu", received_at=wita(2026, 11, 25))
    make_complaint(counter, "Dua", status=ComplaintStatus.IN_PROGRESS)
    make_complaint(counter, "Tiga", status=ComplaintStatus.ANSWERED)
    make_complaint(other, "Empat di loket dua")
    listing = complaints.complaint_list(org.supervisor, complaints.Filters(counter_id=counter.id))
    assert listing.counts == {ComplaintStatus.RECEIVED: 1, ComplaintStatus.IN_PROGRESS: 1,
                              ComplaintStatus.ANSWERED: 1, ComplaintStatus.CLOSED: 0}
    assert listing.total == 3
    head = login_as("supervisor")
    page = head.get(f"/pengaduan?loket={counter.id}&status=diproses").text
    assert "Dua" in page and "Satu" not in page and "Empat di loket dua" not in page
    everything = head.get("/pengaduan").text
    assert "Empat di loket dua" in everything and "Satu" in everything


def test_the_list_is_paginated_newest_first(org, counter):
    for n in range(30):
        make_complaint(counter, f"Keluhan nomor {n}", received_at=NOW - timedelta(hours=n))
    first = complaints.complaint_list(org.hr, complaints.Filters(), page=1, per_page=25)
    second = complaints.complaint_list(org.hr, complaints.Filters(), page=2, per_page=25)
    assert [row.complaint.text for row in first.rows][:2] == ["Keluhan nomor 0", "Keluhan nomor 1"]
    assert len(first.rows) == 25 and len(second.rows) == 5


def test_the_htmx_filter_returns_only_the_results(login_as, counter):
    make_complaint(counter, "Keluhan antrean")
    response = login_as("head").get("/pengaduan?status=diterima", headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert "Keluhan antrean" in response.text
    assert "<html" not in response.text


def test_the_list_reads_a_fixed_number_of_queries(app, login_as, org, counter):
    from sqlalchemy import event
    head = login_as("head")

    def queries() -> int:
        statements = []

        def count(*args):
            statements.append(args[2])

        event.listen(db.engine, "before_cursor_execute", count)
        try:
            assert head.get("/pengaduan").status_code == 200
        finally:
            event.remove(db.engine, "before_cursor_execute", count)
        return len(statements)

    make_complaint(counter, "Keluhan pertama")
    few = queries()
    for n in range(20):
        make_complaint(make_counter(org.section) if n % 4 == 0 else counter, f"Keluhan {n}")
    assert queries() == few

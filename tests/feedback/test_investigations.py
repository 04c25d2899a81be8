"""Investigations opened from alerts (findings, actions, a closing decision, the complaints and
counters concerned, audited, for the unit's heads and HR only), and complaints that arrive by
telephone, SP4N-LAPOR! or at the desk, with their channel and LAPOR! tracking number."""
from datetime import UTC, date, datetime, timedelta

import pytest

from kinerja.core.errors import NotAllowed, RuleViolation
from kinerja.core.models import AuditEvent
from kinerja.extensions import db
from kinerja.feedback import alerts, complaints, investigations
from kinerja.feedback.models import Complaint, ComplaintChannel, InvestigationStatus
from tests.builders import make_complaint

# Thursday 26 November 2026, 10:00 WITA.
NOW = datetime(2026, 11, 26, 2, 0, tzinfo=UTC)

pytestmark = pytest.mark.usefixtures("frozen_clock")


@pytest.fixture
def alerting(counter):
    """Seven complaints at the counter in the last days (the threshold is five), one older."""
    found = [make_complaint(counter, f"Keluhan {n}", received_at=NOW - timedelta(hours=5 + n))
             for n in range(7)]
    old = make_complaint(counter, "Lama", received_at=NOW - timedelta(days=20))
    return found, old


def _open(user, counter):
    return investigations.open_from_alert(user, alerts.COMPLAINTS, counter.unit_id, counter.id)


def test_an_alert_is_opened_as_an_investigation_and_closed_with_a_decision(org, counter, alerting):
    recent, old = alerting
    investigation = _open(org.supervisor, counter)  # Budi heads the counter's section
    assert investigation.status == InvestigationStatus.OPEN
    assert investigation.alert_count == 7
    assert {c.id for c in investigation.complaints} == {c.id for c in recent}  # not the old one
    assert [c.id for c in investigation.counters] == [counter.id]
    assert _open(org.hr, counter).id == investigation.id  # never two for one alert
    investigations.record(org.supervisor, investigation, "Satu petugas cuti tanpa pengganti.", None)
    with pytest.raises(RuleViolation) as problem:
        investigations.close(org.supervisor, investigation, "Satu petugas cuti.", None, "")
    assert problem.value.field == "decision"
    with pytest.raises(RuleViolation) as problem:
        investigations.close(org.supervisor, investigation, "", None, "Selesai")
    assert problem.value.field == "findings"
    investigations.close(org.head, investigation, "Satu petugas cuti tanpa pengganti.",
                         "Pengganti ditugaskan.", "Prosedur penggantian petugas cuti ditetapkan.")
    assert investigation.status == InvestigationStatus.CLOSED
    assert investigation.closed_by_id == org.head.id
    with pytest.raises(RuleViolation):  # closed: final
        investigations.record(org.hr, investigation, "Lain", None)
    trail = [e.action for e in db.session.scalars(db.select(AuditEvent).where(
        AuditEvent.subject_type == "Investigation").order_by(AuditEvent.id))]
    assert trail == ["investigation.opened", "investigation.updated", "investigation.closed"]
    # A new alert after closing may be opened again.
    assert _open(org.hr, counter).id != investigation.id


def test_only_a_standing_alert_can_be_opened(org, counter):
    make_complaint(counter, received_at=NOW - timedelta(hours=2))
    with pytest.raises(RuleViolation):
        _open(org.hr, counter)
    with pytest.raises(RuleViolation):
        investigations.open_from_alert(org.hr, "lain", counter.unit_id, counter.id)


def test_staff_and_outsiders_neither_open_nor_see_investigations(org, counter, alerting, login_as):
    for person in (org.employee, org.teammate, org.outsider, org.admin):
        with pytest.raises(NotAllowed):
            _open(person, counter)
    investigation = _open(org.hr, counter)
    for person in (org.employee, org.outsider, org.admin):
        with pytest.raises(NotAllowed):
            investigations.investigation_list(person)
        with pytest.raises(NotAllowed):
            investigations.record(person, investigation, "x", None)
    assert [i.id for i in investigations.investigation_list(org.supervisor)] == [investigation.id]
    url = f"/pemeriksaan/{investigation.id}"
    for role in ("employee", "outsider", "admin"):
        assert login_as(role).get(url).status_code == 403
        assert login_as(role).get("/pemeriksaan").status_code == 403
    page = login_as("supervisor").get(url)
    assert page.status_code == 200 and "Keluhan 0" in page.text


def test_the_dashboard_opens_the_alert_as_an_investigation_and_links_it(org, counter, alerting,
                                                                         login_as):
    budi = login_as("supervisor")
    assert "Buka pemeriksaan" in budi.get("/").text
    opened = budi.post("/pemeriksaan/buka", data={"jenis": "complaints", "unit": counter.unit_id,
                                                  "loket": counter.id})
    assert opened.status_code == 302
    investigation_id = int(opened.headers["Location"].rsplit("/", 1)[1])
    dashboard = budi.get("/").text
    assert f"/pemeriksaan/{investigation_id}" in dashboard and "Buka pemeriksaan" not in dashboard
    closing = budi.post(f"/pemeriksaan/{investigation_id}", data={
        "aksi": "tutup", "findings": "Petugas cuti.", "actions": "", "decision": ""})
    assert closing.status_code == 400 and "Tuliskan keputusan penutupan" in closing.text
    closed = budi.post(f"/pemeriksaan/{investigation_id}", data={
        "aksi": "tutup", "findings": "Petugas cuti.", "actions": "Pengganti.",
        "decision": "Ditutup."})
    assert closed.status_code == 302
    assert "Ditutup" in budi.get("/pemeriksaan?status=ditutup").text


# ---------------------------------------------------------------- channels and LAPOR!


def _record(org, counter, **changes):
    data = complaints.RecordInput(counter.id, "lapor", "Pelayanan KTP lambat sekali.",
                                  lapor_number="#5021 881")
    for key, value in changes.items():
        setattr(data, key, value)
    return complaints.record(org.hr, data)


def test_the_lapor_number_is_checked_and_kept_once(org, counter):
    assert complaints.lapor_number(" #5021 881 ") == "5021881"
    assert complaints.lapor_number("") is None
    for bad in ("12", "abc def!", "x" * 30, "#"):
        if bad == "#":
            assert complaints.lapor_number(bad) is None
            continue
        with pytest.raises(RuleViolation) as problem:
            complaints.lapor_number(bad)
        assert problem.value.field == "lapor_number"
    found = _record(org, counter)
    assert (found.channel, found.lapor_number) == (ComplaintChannel.LAPOR, "5021881")
    with pytest.raises(RuleViolation) as problem:
        _record(org, counter)  # the same tracking number twice
    assert problem.value.field == "lapor_number"
    with pytest.raises(RuleViolation) as problem:
        _record(org, counter, lapor_number=None)  # a LAPOR! complaint needs its number
    assert problem.value.field == "lapor_number"
    with pytest.raises(RuleViolation) as problem:
        _record(org, counter, channel="kios")  # the kiosk's complaints arrive by themselves
    assert problem.value.field == "channel"
    walk_in = _record(org, counter, channel="langsung", lapor_number=None,
                      received_on=date(2026, 11, 24))
    assert walk_in.channel == ComplaintChannel.WALK_IN and walk_in.lapor_number is None
    assert walk_in.received_at.date() == date(2026, 11, 24)
    with pytest.raises(RuleViolation) as problem:
        _record(org, counter, channel="telepon", lapor_number=None, received_on=date(2026, 12, 1))
    assert problem.value.field == "received_on"
    assert db.session.scalar(db.select(AuditEvent.action).where(
        AuditEvent.subject_id == found.id, AuditEvent.subject_type == "Complaint")) == "complaint.recorded"


def test_only_hr_records_complaints(org, counter):
    for person in (org.head, org.supervisor, org.employee):
        with pytest.raises(NotAllowed):
            complaints.record(person, complaints.RecordInput(counter.id, "telepon", "Lambat."))


def test_hr_records_from_the_portal_and_the_list_filters_by_channel(org, counter, login_as):
    make_complaint(counter, "Dari kios")
    hr = login_as("hr")
    assert hr.get("/pengaduan/catat").status_code == 200
    bad = hr.post("/pengaduan/catat", data={"channel": "lapor", "counter_id": counter.id,
                                            "text": "Berkas hilang.", "lapor_number": "!!"})
    assert bad.status_code == 400 and "SP4N-LAPOR!" in bad.text
    done = hr.post("/pengaduan/catat", data={"channel": "lapor", "counter_id": counter.id,
                                             "text": "Berkas hilang.", "lapor_number": "5022017"})
    assert done.status_code == 302
    recorded = db.session.scalar(db.select(Complaint).where(Complaint.lapor_number == "5022017"))
    detail = hr.get(f"/pengaduan/{recorded.id}").text
    assert "5022017" in detail and "SP4N-LAPOR!" in detail
    lapor = hr.get("/pengaduan?kanal=lapor").text
    assert "Berkas hilang." in lapor and "Dari kios" not in lapor
    kiosk = hr.get("/pengaduan?kanal=kios").text
    assert "Dari kios" in kiosk and "Berkas hilang." not in kiosk
    assert login_as("supervisor").get("/pengaduan/catat").status_code == 403

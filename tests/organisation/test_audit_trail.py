"""The audit trail in words: every event has a description, details read as "label: value",
filters by person, unit, kind of event and days, and an export of what the filter shows."""
import ast
import io
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from openpyxl import load_workbook

from kinerja.core import audit, audit_events
from kinerja.extensions import db
from kinerja.organisation import audit_trail
from kinerja.performance.models import SkpStatus
from tests.builders import make_period, make_skp, make_unit

ROOT = Path(__file__).resolve().parents[2]
# 6 December 2026, 02.14.16 UTC: 10.14 in Makassar (the test units are WITA).
MOMENT = datetime(2026, 12, 6, 2, 14, 16, tzinfo=UTC)


def _recorded_actions() -> set[str]:
    """Every action code the source passes to audit.record: a literal, either side of a
    conditional, or the strings a local name is set to before the call."""
    found = set()
    for path in [*ROOT.glob("kinerja/**/*.py"), *ROOT.glob("portal/*.py"), *ROOT.glob("api/*.py"),
                 *ROOT.glob("kiosk/*.py")]:
        tree = ast.parse(path.read_text())
        for function in ast.walk(tree):
            if not isinstance(function, ast.FunctionDef):
                continue
            assigned: dict[str, set[str]] = {}
            for node in ast.walk(function):
                if isinstance(node, ast.Assign):
                    for target in node.targets:
                        if isinstance(target, ast.Name):
                            assigned.setdefault(target.id, set()).update(
                                c.value for c in ast.walk(node.value)
                                if isinstance(c, ast.Constant) and isinstance(c.value, str)
                                and "." in c.value and " " not in c.value)
            for node in ast.walk(function):
                if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                        and node.func.attr == "record" and isinstance(node.func.value, ast.Name)
                        and node.func.value.id == "audit" and node.args):
                    first = node.args[0]
                    if isinstance(first, ast.Name):
                        found |= assigned.get(first.id, set())
                    else:
                        found |= {c.value for c in ast.walk(first)
                                  if isinstance(c, ast.Constant) and isinstance(c.value, str)}
    return found


def test_every_recorded_event_has_a_description_and_a_group():
    actions = _recorded_actions()
    assert len(actions) > 100  # the scan finds them
    assert sorted(actions - set(audit_events.EVENT_TYPES)) == []
    assert [code for code in audit_events.EVENT_TYPES if audit_events.group_of(code) is None] == []


def test_events_and_details_read_as_words(app):
    with app.test_request_context():
        assert audit_events.describe("skp.submitted") == "SKP diajukan ke atasan"
        assert audit_events.describe("job.started") == "Kejadian lain (job.started)"
        assert audit_events.subject_name("Skp") == "SKP"
        assert audit_events.detail_pairs({
            "day": "2026-12-06", "active": False, "hours": 2400, "roles": ["hr", "admin"],
            "top": [{"rank": 1, "name": "Wahyu Hakim, S.E."}], "empty": None, "year": 2026,
            "weights": {"satisfaction": 30}, "employee_id": 7}, {"employee_id": {7: "Ani"}}) == [
            ("Tanggal", "6 Des 2026"), ("Aktif", "tidak"), ("Jam pelajaran", "2.400"),
            ("Peran", "hr; admin"), ("Teratas", "1 · Wahyu Hakim, S.E."), ("Tahun", "2026"),
            ("Bobot", "Kepuasan warga: 30"), ("Pegawai", "Ani")]


@pytest.fixture
def trail(org):
    """Events by the supervisor (Bidang Pelayanan, inside the dinas), by the outsider (another
    dinas) and by nobody, on 5 and 6 December (WITA)."""
    def event(action, actor, at, **details):
        found = audit.record(action, actor=actor, summary=actor.employee.nip if actor else "",
                             **details)
        found.occurred_at = at
        return found
    events = {
        "submitted": event("skp.submitted", org.supervisor, MOMENT, version=1),
        "login": event("login.succeeded", org.outsider, datetime(2026, 12, 5, 15, 30, tzinfo=UTC)),
        "failed": event("login.failed", None, datetime(2026, 12, 5, 16, 30, tzinfo=UTC)),
        "formula": event("employee.updated", org.admin, MOMENT, reason="=HYPERLINK(\"x\")"),
    }
    db.session.commit()
    return events


def _actions(org, **filters) -> list[str]:
    found = audit_trail.page_of(org.admin, audit_trail.TrailFilter(zone="WITA", **filters))
    return sorted(entry.event.action for entry in found.entries)


def test_filters_narrow_by_person_unit_event_and_days(app, org, trail):
    with app.test_request_context():
        assert _actions(org) == ["employee.updated", "login.failed", "login.succeeded",
                                 "skp.submitted"]
        assert _actions(org, person="budi") == ["skp.submitted"]  # part of the name
        assert _actions(org, person=org.outsider.employee.nip[:8]) == ["login.succeeded"]
        # A unit includes the units below it: the section is inside the dinas.
        assert _actions(org, unit_id=org.dinas.id) == ["skp.submitted"]
        assert _actions(org, unit_id=org.other_dinas.id) == ["employee.updated", "login.succeeded"]
        assert _actions(org, event="login.failed") == ["login.failed"]
        assert _actions(org, event="kelompok:access") == ["login.failed", "login.succeeded"]
        # Days are the reader's: 15.30 UTC on the 5th is 23.30 WITA on the 5th, 16.30 UTC is
        # already the 6th in WITA.
        assert _actions(org, first=date(2026, 12, 6)) == ["employee.updated", "login.failed",
                                                           "skp.submitted"]
        assert _actions(org, last=date(2026, 12, 5)) == ["login.succeeded"]
        assert _actions(org, person="%") == []  # a wildcard is a character, not "anyone"


def test_the_page_shows_who_what_and_when_in_words(login_as, org, trail):
    page = login_as("admin").get("/audit")
    assert page.status_code == 200
    text = page.text
    assert "SKP diajukan ke atasan" in text and "Budi Santoso" in text
    assert "6 Des 2026 10.14 WITA" in text and "WIB" not in text.split("<main", 1)[-1]
    assert "<dt>Versi</dt><dd>1</dd>" in text  # details as label: value, not JSON
    main = text.split("<table", 1)[1]
    assert "{&#34;" not in main and '{"' not in main and "skp.submitted" not in main
    filtered = login_as("admin").get("/audit?kejadian=login.failed&dari=2026-12-06")
    rows = filtered.text.split("<tbody", 1)[1]
    assert "Gagal masuk" in rows and "SKP diajukan ke atasan" not in rows
    assert 'value="login.failed" selected' in filtered.text
    assert "pelaku=" not in filtered.text.split("ekspor.xlsx", 1)[1].split('"', 1)[0]
    assert "kejadian=login.failed" in filtered.text.split("ekspor.xlsx", 1)[1].split('"', 1)[0]


def test_an_employee_named_by_id_in_the_details_is_shown_by_name(login_as, org):
    audit.record("award.nominated", actor=org.head, employee_id=org.employee.employee.id)
    db.session.commit()
    text = login_as("admin").get("/audit?kejadian=award.nominated").text
    assert "<dt>Pegawai</dt><dd>Ani Lestari</dd>" in text


@pytest.mark.parametrize("query", ["dari=2026-12-07&sampai=2026-12-01", "kejadian=bukan.kode",
                                   "kejadian=kelompok:tidak-ada"])
def test_a_bad_filter_is_explained_not_a_crash(login_as, org, trail, query):
    page = login_as("admin").get(f"/audit?{query}")
    assert page.status_code == 400 and 'id="filter-error"' in page.text
    assert login_as("admin").get(f"/audit/ekspor.xlsx?{query}").status_code == 400


def test_pages_keep_the_filter(login_as, org):
    for n in range(audit_trail.PER_PAGE + 5):
        audit.record("login.succeeded", actor=org.outsider, summary=str(n))
    audit.record("skp.submitted", actor=org.supervisor)
    db.session.commit()
    admin = login_as("admin")  # logging in is an event too: filter on the outsider's
    first = admin.get("/audit?kejadian=login.succeeded&pelaku=Dewi").text
    assert "Halaman 1 dari 2" in first
    assert "kejadian=login.succeeded" in first.split('rel="next"', 1)[0].rsplit("<a ", 1)[1]
    assert "pelaku=Dewi" in first.split('rel="next"', 1)[0].rsplit("<a ", 1)[1]
    second = admin.get("/audit?kejadian=login.succeeded&pelaku=Dewi&page=2").text
    assert second.count("Masuk ke aplikasi</strong>") == 5


def test_the_export_holds_the_filtered_events_as_text(login_as, org, trail):
    response = login_as("admin").get(
        f"/audit/ekspor.xlsx?unit={org.other_dinas.id}&kejadian=kelompok:organisation")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"] == 'attachment; filename="jejak-audit.xlsx"'
    sheet = load_workbook(io.BytesIO(response.data)).active
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert rows[1][:6] == ["Waktu (WITA)", "Pelaku", "NIP", "Unit pelaku", "Kejadian",
                           "Kode kejadian"]
    body = [row for row in rows[2:] if row[5]]
    assert [row[5] for row in body] == ["employee.updated"]  # not the dinas' logins, not Budi's
    changed = body[0]
    assert changed[0] == datetime(2026, 12, 6, 10, 14, 16)  # the WITA wall clock
    assert (changed[1], changed[2], changed[3], changed[4]) == (
        "Agus Prasetyo", org.admin.employee.nip, "Dinas Kesehatan", "Data pegawai diubah")
    assert changed[7] == 'Alasan: =HYPERLINK("x")'
    formula_cell = sheet.cell(row=3, column=8)
    assert formula_cell.data_type == "s"  # text, never a live formula
    assert any("Filter: unit Dinas Kesehatan, Organisasi." in str(row[0]) for row in rows)


def test_only_admins_read_the_trail_or_export_it(login_as, org, trail):
    for role in ("employee", "supervisor", "head", "hr"):
        client = login_as(role)
        assert client.get("/audit").status_code == 403
        assert client.get("/audit/ekspor.xlsx").status_code == 403


def test_a_submitted_skp_and_its_audit_entry_show_the_wita_time(login_as, org):
    """The kabupaten is WITA: the supervisor's SKP list and the audit trail say 10.14 WITA for a
    submission at 02.14.16 UTC, without seconds, never WIB."""
    period = make_period(2026)
    skp = make_skp(org.employee.employee, period, status=SkpStatus.SUBMITTED, rhks=1)
    skp.submitted_at = MOMENT
    event = audit.record("skp.submitted", actor=org.employee, subject=skp, version=1)
    event.occurred_at = MOMENT
    db.session.commit()
    waiting = login_as("supervisor").get("/skp").text
    assert "diajukan 6 Des 2026 10.14 WITA" in waiting
    assert "10.14.16" not in waiting and "WIB" not in waiting
    trail = login_as("admin").get("/audit").text
    assert "6 Des 2026 10.14 WITA" in trail and "09.14" not in trail


def test_a_wib_reader_reads_wib(login_as, org):
    """The zone is the reader's unit's: an admin placed in a WIB unit reads the same event in
    WIB."""
    org.admin.employee.unit = make_unit("Perwakilan Jakarta", time_zone="WIB")
    event = audit.record("login.succeeded", actor=org.outsider)
    event.occurred_at = MOMENT
    db.session.commit()
    assert "6 Des 2026 09.14 WIB" in login_as("admin").get("/audit").text


def test_the_trail_names_a_missing_actor_plainly(login_as, org):
    audit.record("login.failed", summary="tidak-ada")
    db.session.commit()
    page = login_as("admin").get("/audit?kejadian=login.failed").text
    assert "tanpa akun" in page and "Gagal masuk" in page and "tidak-ada" in page

"""What the portal's pages offer to follow: nothing empty or stray (no subordinates panel
without subordinates, no bare peer feedback link on the notifications), and no link to a page
the reader would be refused (the header's phone menu is tested in the browser)."""
import re
from datetime import UTC, date, datetime

from kinerja.appraisal import peer_feedback
from kinerja.performance.models import SkpStatus
from portal.navigation import collapse_media
from tests.builders import make_counter, make_evaluation, make_period, make_skp

# Monday 6 April 2026, 10:00 WITA.
NOW = datetime(2026, 4, 6, 2, 0, tzinfo=UTC)
DUE = date(2026, 4, 10)


def test_the_subordinates_panel_is_only_for_those_who_have_some(login_as):
    assert "Bawahan langsung" not in login_as("employee").get("/").text
    supervisor = login_as("supervisor").get("/").text
    assert "Bawahan langsung" in supervisor
    assert "Ani Lestari" in supervisor[supervisor.index("Bawahan langsung"):]


def test_a_waiting_peer_request_heads_the_notifications_and_the_inbox_is_under_penilaian(
        org, client, auth, frozen_clock):
    skp = make_skp(org.employee.employee, make_period(2026), status=SkpStatus.APPROVED, rhks=1)
    evaluation = make_evaluation(skp, point=3)
    auth.login("rekan")
    assert "/umpan-balik-rekan" not in client.get("/notifikasi").text  # nothing waits
    appraisal = client.get("/penilaian").text
    assert 'href="/umpan-balik-rekan"' in appraisal and "menunggu jawaban" not in appraisal

    peer_feedback.ask(org.supervisor, evaluation, [org.teammate.employee.id], DUE)
    notices = client.get("/notifikasi").text
    assert "1 permintaan umpan balik rekan menunggu jawaban Anda." in notices
    assert 'href="/umpan-balik-rekan"' in notices
    assert "1 menunggu jawaban" in client.get("/penilaian").text


def test_the_counter_list_links_a_roster_only_for_who_may_staff_it(org, login_as):
    counter = make_counter(org.dinas, code="DUK-01")
    roster = f'href="/loket/{counter.id}/jadwal"'
    assert roster in login_as("hr").get("/loket").text
    admin = login_as("admin")
    assert roster not in admin.get("/loket").text
    assert admin.get(f"/loket/{counter.id}/jadwal").status_code == 403  # why it is hidden


def test_the_header_folds_where_the_readers_links_stop_fitting_one_row(login_as):
    def folds_below(role: str) -> str:
        page = login_as(role).get("/").text
        return re.search(r'nav-collapsed\.css[^"]*" media="\(max-width: ([\d.]+)px\)"', page)[1]

    assert folds_below("employee") == "767.98"  # five sections
    assert folds_below("hr") == "1279.98"  # and Tim, Pengaduan, IKM ... and Kelola
    assert collapse_media(main=[None] * 6, manage=[]) == "(max-width: 1023.98px)"  # and Tim

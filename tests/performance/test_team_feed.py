"""The supervisor's feed of daily activities: whose activities, filters, polling for new ones,
the review actions and who has not reported."""
from datetime import UTC, date, datetime

import pytest
import time_machine

from kinerja.core.errors import NotAllowed, RuleViolation
from kinerja.core.models import AuditEvent
from kinerja.extensions import db
from kinerja.performance import activities
from kinerja.performance.activities import FeedFilters
from kinerja.performance.models import ActivityStatus, PeriodStatus, Skp
from tests.builders import (
    make_activity,
    make_employee,
    make_evidence,
    make_rhk,
    make_skp,
)
from tests.queries import counted_statements

MONDAY, TUESDAY, WEDNESDAY = date(2026, 3, 2), date(2026, 3, 3), date(2026, 3, 4)
HTMX = {"HX-Request": "true"}


@pytest.fixture(autouse=True)
def wednesday_morning():
    with time_machine.travel(datetime(2026, 3, 4, 2, 0, tzinfo=UTC), tick=False):
        yield


def reporting(employee, period, description: str, day=TUESDAY, rhk_text: str | None = None):
    """One activity of `employee` (an SKP with one RHK is made on first use)."""
    skp = db.session.scalar(db.select(Skp).filter_by(employee_id=employee.id)) \
        or make_skp(employee, period, rhks=0)
    if not skp.rhks or rhk_text:
        rhk = make_rhk(skp, rhk_text or f"RHK {employee.name}")
    else:
        rhk = skp.rhks[0]
    return make_activity(employee, rhk, day, description=description)


def shown(response) -> list[str]:
    """The descriptions in a feed page or fragment, top to bottom."""
    return [part.split("</p>")[0] for part in response.text.split('<p class="feed-description">')[1:]]


@pytest.fixture
def team(org, period):
    """Ani and Rudi under Budi (the supervisor); an intern under Ani; an outsider elsewhere."""
    intern = make_employee("Intan Magang", unit=org.section, supervisor=org.employee.employee)
    return {
        "ani": reporting(org.employee.employee, period, "Ani memverifikasi berkas"),
        "rudi": reporting(org.teammate.employee, period, "Rudi melayani loket"),
        "intern": reporting(intern, period, "Intan mengarsip dokumen"),
        "budi": reporting(org.supervisor.employee, period, "Budi memimpin rapat"),
        "outsider": reporting(org.outsider.employee, period, "Dewi di dinas lain"),
    }


def test_the_supervisor_sees_the_whole_chain_below_newest_first(login_as, team):
    page = login_as("supervisor").get("/tim/harian")
    assert page.status_code == 200
    assert shown(page) == ["Intan mengarsip dokumen", "Rudi melayani loket", "Ani memverifikasi berkas"]


def test_the_head_of_unit_sees_the_units_people_even_outside_the_chain(login_as, org, period, team):
    # In the dinas itself (Budi heads only the section below it), with no supervisor set.
    loner = make_employee("Tanpa Atasan", unit=org.dinas)
    reporting(loner, period, "Kegiatan tanpa atasan")
    descriptions = shown(login_as("head").get("/tim/harian"))
    assert "Kegiatan tanpa atasan" in descriptions and "Budi memimpin rapat" in descriptions
    assert "Dewi di dinas lain" not in descriptions
    assert "Kegiatan tanpa atasan" not in shown(login_as("supervisor").get("/tim/harian"))


def test_hr_sees_everyone_and_filters_by_unit(login_as, org, team):
    hr = login_as("hr")
    assert len(shown(hr.get("/tim/harian"))) == 5
    assert shown(hr.get(f"/tim/harian?unit={org.other_dinas.id}")) == ["Dewi di dinas lain"]
    # The dinas includes the section below it.
    assert len(shown(hr.get(f"/tim/harian?unit={org.dinas.id}"))) == 4


def test_people_without_a_team_have_no_feed(login_as, org, team):
    for role in ("outsider", "admin"):
        assert login_as(role).get("/tim/harian").status_code == 403
        assert login_as(role).get("/tim/harian/baru?sejak=0", headers=HTMX).status_code == 403
    with pytest.raises(NotAllowed):
        activities.team_feed(org.outsider, FeedFilters())
    # Ani has an intern, so Ani has a feed: the intern's activities only.
    assert shown(login_as("employee").get("/tim/harian")) == ["Intan mengarsip dokumen"]


def test_filters_by_person_rhk_and_dates(login_as, org, period, team):
    ani = org.employee.employee
    reporting(ani, period, "Ani menyusun laporan", day=MONDAY, rhk_text="Tersusunnya laporan bulanan")
    client = login_as("supervisor")
    assert shown(client.get(f"/tim/harian?pegawai={ani.id}")) == \
        ["Ani menyusun laporan", "Ani memverifikasi berkas"]
    assert shown(client.get("/tim/harian?rhk=laporan+bulanan")) == ["Ani menyusun laporan"]
    assert shown(client.get(f"/tim/harian?rhk={team['rudi'].rhk_id}")) == ["Rudi melayani loket"]
    assert shown(client.get("/tim/harian?dari=2026-03-02&sampai=2026-03-02")) == ["Ani menyusun laporan"]
    assert "Ani menyusun laporan" not in shown(client.get("/tim/harian?dari=2026-03-03"))
    # Someone outside the chain cannot be brought in by a filter.
    assert shown(client.get(f"/tim/harian?pegawai={org.outsider.employee.id}")) == []


def test_filtering_with_htmx_returns_only_the_feed(login_as, team):
    client = login_as("supervisor")
    full = client.get("/tim/harian?rhk=Rudi")
    fragment = client.get("/tim/harian?rhk=Rudi", headers=HTMX)
    assert "<html" in full.text and "<html" not in fragment.text
    assert shown(fragment) == ["Rudi melayani loket"]
    assert 'id="feed-poller"' in fragment.text


def test_polling_brings_only_what_was_reported_since(login_as, org, period, team):
    client = login_as("supervisor")
    page = client.get("/tim/harian")
    latest = team["intern"].id
    assert f"sejak={latest}" in page.text and 'hx-trigger="every 15s"' in page.text
    assert client.get(f"/tim/harian/baru?sejak={latest}", headers=HTMX).status_code == 204
    fresh = reporting(org.teammate.employee, period, "Rudi baru saja melapor", day=WEDNESDAY)
    reporting(org.outsider.employee, period, "Orang lain melapor", day=WEDNESDAY)
    news = client.get(f"/tim/harian/baru?sejak={latest}", headers=HTMX)
    assert news.status_code == 200
    assert shown(news) == ["Rudi baru saja melapor"]
    assert "<html" not in news.text
    # The poller comes back out of band, now asking for news after the newest item.
    assert 'id="feed-poller" hidden hx-swap-oob="true"' in news.text
    assert f"sejak={fresh.id}" in news.text
    # Filters stay with the polling.
    assert client.get(f"/tim/harian/baru?sejak={latest}&rhk=Ani", headers=HTMX).status_code == 204
    # Without htmx the polling address just leads to the feed.
    assert client.get(f"/tim/harian/baru?sejak={latest}").status_code == 302


def test_only_the_first_page_polls(app, login_as, team):
    app.config["FEED_PER_PAGE"] = 2
    client = login_as("supervisor")
    assert 'id="feed-poller"' in client.get("/tim/harian").text
    second = client.get("/tim/harian?page=2")
    assert shown(second) == ["Ani memverifikasi berkas"]
    assert 'id="feed-poller"' not in second.text


# ---------------------------------------------------------------- the review


def test_the_direct_supervisor_verifies_in_one_click(login_as, org, team):
    activity = team["ani"]
    response = login_as("supervisor").post(f"/harian/{activity.id}/verifikasi", headers=HTMX)
    assert response.status_code == 200
    assert f'<li id="activity-{activity.id}"' in response.text and "<html" not in response.text
    assert "Diverifikasi" in response.text and "/verifikasi" not in response.text
    db.session.refresh(activity)
    assert activity.status is ActivityStatus.VERIFIED
    assert activity.reviewed_by_id == org.supervisor.employee.id and activity.reviewed_at
    assert db.session.scalar(db.select(AuditEvent).filter_by(action="activity.verified"))
    # Now read-only for Ani.
    week = login_as("employee").get("/harian?minggu=2026-03-03").text
    assert f"/harian/{activity.id}/ubah" not in week


def test_returning_needs_a_comment_which_the_employee_then_sees(login_as, team):
    activity = team["ani"]
    client = login_as("supervisor")
    refused = client.post(f"/harian/{activity.id}/kembalikan", data={"comment": " "}, headers=HTMX)
    assert refused.status_code == 400
    assert "Tuliskan apa yang perlu diperbaiki." in refused.text
    assert "<details class=\"review-form\" open>" in refused.text
    db.session.refresh(activity)
    assert activity.status is ActivityStatus.REPORTED
    response = client.post(f"/harian/{activity.id}/kembalikan",
                           data={"comment": "Sebutkan jumlah berkasnya."}, headers=HTMX)
    assert response.status_code == 200 and "Dikembalikan" in response.text
    db.session.refresh(activity)
    assert (activity.status, activity.supervisor_comment) == \
        (ActivityStatus.RETURNED, "Sebutkan jumlah berkasnya.")
    week = login_as("employee").get("/harian?minggu=2026-03-03").text
    assert "Sebutkan jumlah berkasnya." in week
    assert f"/harian/{activity.id}/ubah" in week  # editable again


def test_a_comment_leaves_the_status_as_it_is(login_as, team):
    activity = team["rudi"]
    response = login_as("supervisor").post(f"/harian/{activity.id}/komentar",
                                           data={"comment": "Bagus, lanjutkan."}, headers=HTMX)
    assert response.status_code == 200 and "Bagus, lanjutkan." in response.text
    db.session.refresh(activity)
    assert (activity.status, activity.supervisor_comment) == (ActivityStatus.REPORTED, "Bagus, lanjutkan.")


def test_the_review_works_without_javascript(login_as, team):
    response = login_as("supervisor").post(f"/harian/{team['ani'].id}/verifikasi")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/tim/harian#activity-{team['ani'].id}")


def test_only_the_direct_supervisor_reviews(login_as, org, team):
    activity = team["ani"]
    assert login_as("head").post(f"/harian/{activity.id}/verifikasi").status_code == 403
    assert login_as("hr").post(f"/harian/{activity.id}/verifikasi").status_code == 403
    head_feed = login_as("head").get("/tim/harian").text
    assert f"/harian/{activity.id}/verifikasi" not in head_feed  # no buttons either
    assert f"/harian/{team['budi'].id}/verifikasi" in head_feed  # but for Budi, the head's own report


def test_verifying_twice_is_explained_and_a_closed_period_is_read_only(login_as, period, team):
    client = login_as("supervisor")
    activity = team["ani"]
    client.post(f"/harian/{activity.id}/verifikasi", headers=HTMX)
    again = client.post(f"/harian/{activity.id}/verifikasi", headers=HTMX)
    assert again.status_code == 400 and "sudah diverifikasi" in again.text
    period.status = PeriodStatus.CLOSED
    db.session.commit()
    closed = client.post(f"/harian/{team['rudi'].id}/verifikasi", headers=HTMX)
    assert closed.status_code == 400 and "tidak sedang berjalan" in closed.text


# ---------------------------------------------------------------- several at once


def test_verify_many_verifies_the_direct_reports_and_leaves_the_rest(org, period, team):
    ani, rudi = team["ani"], team["rudi"]
    done_before = reporting(org.teammate.employee, period, "Rudi sudah diverifikasi")
    activities.verify(org.supervisor, done_before)
    returned = reporting(org.employee.employee, period, "Ani harus memperbaiki")
    activities.return_(org.supervisor, returned, "Lengkapi jumlahnya.")
    # The intern is Ani's (not Budi's direct report); Dewi is in another dinas.
    ids = [ani.id, rudi.id, done_before.id, returned.id, team["intern"].id,
           team["outsider"].id, 999999]

    result = activities.verify_many(org.supervisor, ids)

    assert sorted(a.id for a in result.verified) == sorted([ani.id, rudi.id])
    assert result.already_verified == 1
    assert result.not_verifiable == 4  # returned, someone else's team, another dinas, gone
    for activity in (ani, rudi):
        db.session.refresh(activity)
        assert activity.status is ActivityStatus.VERIFIED
        assert activity.reviewed_by_id == org.supervisor.employee.id
    for activity, status in ((returned, ActivityStatus.RETURNED),
                             (team["intern"], ActivityStatus.REPORTED),
                             (team["outsider"], ActivityStatus.REPORTED)):
        db.session.refresh(activity)
        assert activity.status is status
    audited = db.session.scalars(db.select(AuditEvent.subject_id).filter_by(
        action="activity.verified")).all()
    assert sorted(int(i) for i in audited) == sorted([done_before.id, ani.id, rudi.id])


def test_verify_many_needs_a_choice_and_an_open_period(org, period, team):
    with pytest.raises(RuleViolation, match="Pilih kegiatan"):
        activities.verify_many(org.supervisor, [])
    with pytest.raises(RuleViolation, match="Paling banyak"):
        activities.verify_many(org.supervisor, range(1, activities.MAX_BULK_VERIFY + 2))
    period.status = PeriodStatus.CLOSED
    db.session.commit()
    result = activities.verify_many(org.supervisor, [team["ani"].id])
    assert (result.verified, result.not_verifiable) == ([], 1)


def test_the_feed_opens_on_what_is_not_verified_yet(login_as, org, team):
    activities.verify(org.supervisor, team["ani"])
    client = login_as("supervisor")
    page = client.get("/tim/harian")
    assert shown(page) == ["Intan mengarsip dokumen", "Rudi melayani loket"]
    assert "2 kegiatan belum diverifikasi" in page.text and "status=semua" in page.text
    assert shown(client.get("/tim/harian?status=semua")) == \
        ["Intan mengarsip dokumen", "Rudi melayani loket", "Ani memverifikasi berkas"]
    assert shown(client.get("/tim/harian?status=diverifikasi")) == ["Ani memverifikasi berkas"]
    assert shown(client.get("/tim/harian?status=apa-saja")) == shown(page)  # unknown: the default


def test_verify_all_shown_takes_the_page_the_supervisor_saw(login_as, org, period, team):
    client = login_as("supervisor")
    page = client.get(f"/tim/harian?pegawai={org.teammate.employee.id}").text
    # Only Rudi's (the filter) and only Budi's direct reports get a box: not the intern's.
    assert f'name="tampil" value="{team["rudi"].id}"' in page
    assert page.count('name="tampil"') == 1
    assert "Verifikasi semua yang tampil (1)" in page
    response = client.post("/tim/harian/verifikasi", data={
        "semua": "1", "tampil": [str(team["rudi"].id)], "pilih": [str(team["ani"].id)],
        "pegawai": str(org.teammate.employee.id), "status": "belum"})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/tim/harian?pegawai={org.teammate.employee.id}"
                                                  "&status=belum")
    for activity, status in ((team["rudi"], ActivityStatus.VERIFIED),
                             (team["ani"], ActivityStatus.REPORTED)):
        db.session.refresh(activity)
        assert activity.status is status
    assert "1 kegiatan diverifikasi." in client.get(response.headers["Location"]).text


def test_verify_the_ticked_ones_without_javascript(login_as, org, team):
    client = login_as("supervisor")
    page = client.get("/tim/harian").text
    assert f'name="pilih" value="{team["ani"].id}" form="bulk-verify"' in page
    assert f'name="pilih" value="{team["intern"].id}"' not in page  # Ani's intern
    response = client.post("/tim/harian/verifikasi", data={
        "pilih": [str(team["ani"].id), str(team["intern"].id)]}, follow_redirects=True)
    assert "1 kegiatan diverifikasi." in response.text
    assert "1 tidak dapat Anda verifikasi" in response.text
    db.session.refresh(team["intern"])
    assert team["intern"].status is ActivityStatus.REPORTED
    nothing = client.post("/tim/harian/verifikasi", data={}, follow_redirects=True)
    assert "Pilih kegiatan yang akan diverifikasi." in nothing.text
    assert login_as("outsider").post("/tim/harian/verifikasi",
                                     data={"pilih": [str(team["ani"].id)]}).status_code == 403


def test_the_head_sees_no_boxes_for_other_supervisors_reports(login_as, team):
    page = login_as("head").get("/tim/harian").text
    assert f'name="pilih" value="{team["ani"].id}"' not in page
    assert f'name="pilih" value="{team["budi"].id}"' in page  # the head supervises Budi


# ---------------------------------------------------------------- who has not reported


def test_the_panel_names_who_has_not_reported_today_or_this_week(login_as, org, period, team):
    # Wednesday: Ani reported today, Rudi on Tuesday only, the intern's activity was Tuesday too.
    reporting(org.employee.employee, period, "Ani hari ini", day=WEDNESDAY)
    quiet = make_employee("Sepi Laporan", unit=org.section, supervisor=org.supervisor.employee)
    reporting(quiet, period, "Minggu lalu", day=date(2026, 2, 27))
    panel = activities.not_reported(org.supervisor)
    assert [p.name for p in panel.none_today] == ["Intan Magang", "Rudi Hartono", "Sepi Laporan"]
    assert [p.name for p in panel.none_this_week] == ["Sepi Laporan"]
    assert panel.working_days == [MONDAY, TUESDAY, WEDNESDAY]
    page = login_as("supervisor").get("/tim/harian").text
    assert "Belum melapor" in page and "Sepi Laporan" in page


def test_hr_picks_a_unit_to_see_who_has_not_reported(login_as, org, team):
    assert activities.not_reported(org.hr) is None
    assert "Pilih unit" in login_as("hr").get("/tim/harian").text
    panel = activities.not_reported(org.hr, org.other_dinas.id)
    assert {p.name for p in panel.none_today} == {"Dewi Kartika", "Yusuf Hidayat", "Agus Prasetyo"} \
        - {org.hr.employee.name}


# ---------------------------------------------------------------- queries


def _fill(people, period, how_many: int) -> None:
    for n in range(how_many):
        activity = reporting(people[n % len(people)], period, f"Kegiatan {n}", day=MONDAY)
        if n % 2:
            make_evidence(activity, name=f"bukti-{n}.pdf")


def test_the_feed_makes_the_same_number_of_queries_for_5_or_50_activities(app, login_as, org,
                                                                          period):
    app.config["FEED_PER_PAGE"] = 100
    people = [org.employee.employee, org.teammate.employee]
    client = login_as("supervisor")
    _fill(people, period, 5)
    with counted_statements() as few:
        assert client.get("/tim/harian").status_code == 200
    _fill(people, period, 45)
    with counted_statements() as many:
        page = client.get("/tim/harian")
    assert len(shown(page)) == 50
    assert len(many) == len(few), many
    with counted_statements() as polled:
        client.get("/tim/harian/baru?sejak=0", headers=HTMX)
    assert len(polled) <= len(few)

"""Monthly realisation: sums from daily activities, adjustments with a narrative, evidence,
the supervisor's feedback and performance dialogues, and who may do what."""
import io
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from kinerja.core.errors import NotAllowed, RuleViolation
from kinerja.core.models import AuditEvent
from kinerja.extensions import db
from kinerja.performance import realisation
from kinerja.performance.models import (
    ActivityStatus,
    Dialogue,
    Evidence,
    Feedback,
    PeriodStatus,
    Realisation,
)
from tests.builders import (
    make_activity,
    make_evidence,
    make_indicator,
    make_period,
    make_realisation,
    make_rhk,
    make_skp,
)

# 15 June 2026, late morning in Makassar (the test units are WITA).
NOW = datetime(2026, 6, 15, 3, 0, tzinfo=UTC)

pytestmark = pytest.mark.usefixtures("frozen_clock")

HX = {"HX-Request": "true"}
PDF = b"%PDF-1.4 laporan bulanan"


@pytest.fixture
def plan(org):
    """Ani's SKP: one RHK with a quantity indicator (target 12 dokumen) and a quality one."""
    period = make_period(2026)
    skp = make_skp(org.employee.employee, period)
    rhk = make_rhk(skp, "Terlaksananya pelayanan akta kelahiran")
    quantity = rhk.indicators[0]
    quality = make_indicator(rhk)
    return {"period": period, "skp": skp, "rhk": rhk, "quantity": quantity, "quality": quality}


def _url(plan, month=None):
    suffix = f"?bulan={month}" if month else ""
    return f"/skp/{plan['skp'].id}/realisasi{suffix}"


def _save_url(indicator, month):
    return f"/indikator/{indicator.id}/realisasi/{month}"


def _row(plan, month, key="quantity"):
    return realisation.indicator_row(plan[key], month)


# ---------------------------------------------------------------- the month table


def test_the_month_is_the_sum_of_reported_and_verified_activities(org, plan):
    ani, rhk = org.employee.employee, plan["rhk"]
    make_activity(ani, rhk, date(2026, 3, 2), quantity="2")
    make_activity(ani, rhk, date(2026, 3, 20), quantity="1.5", status=ActivityStatus.VERIFIED)
    make_activity(ani, rhk, date(2026, 3, 21), quantity="4", status=ActivityStatus.RETURNED)
    make_activity(ani, rhk, date(2026, 4, 1), quantity="1")
    make_activity(ani, rhk, date(2026, 3, 22), quantity=None)  # no quantity: adds nothing

    [group] = realisation.month_table(plan["skp"], 3)
    row = group.rows[0]
    assert row.activity_sum == Decimal("3.5")
    assert row.adjusted is None
    assert row.effective == Decimal("3.5")
    assert row.cumulative == Decimal("3.5")
    assert row.percent_of_target == Decimal("29.2")  # 3.5 / 12
    assert _row(plan, 4).cumulative == Decimal("4.5")


def test_an_adjustment_overrides_the_sum_for_that_month_only(org, plan):
    ani, rhk = org.employee.employee, plan["rhk"]
    make_activity(ani, rhk, date(2026, 2, 3), quantity="2")
    make_activity(ani, rhk, date(2026, 3, 3), quantity="2")
    realisation.save_realisation(org.employee, plan["quantity"], 3, value="5",
                                 narrative="Tiga berkas dikerjakan di luar aplikasi")
    march = _row(plan, 3)
    assert (march.activity_sum, march.adjusted, march.effective) == (2, 5, 5)
    assert march.cumulative == Decimal("7")  # February's sum + March's adjustment
    assert march.narrative == "Tiga berkas dikerjakan di luar aplikasi"
    assert _row(plan, 2).effective == Decimal("2")


def test_a_different_value_needs_a_narrative(org, plan):
    make_activity(org.employee.employee, plan["rhk"], date(2026, 3, 3), quantity="2")
    with pytest.raises(RuleViolation) as problem:
        realisation.save_realisation(org.employee, plan["quantity"], 3, value="4", narrative=" ")
    assert problem.value.field == "narrative"
    assert "2" in str(problem.value.message)
    assert db.session.scalar(db.select(db.func.count(Realisation.id))) == 0


def test_typing_the_sum_itself_is_not_an_adjustment(org, plan):
    make_activity(org.employee.employee, plan["rhk"], date(2026, 3, 3), quantity="2")
    row = realisation.save_realisation(org.employee, plan["quantity"], 3, value="2,00",
                                       narrative="")
    assert row.adjusted is None and row.effective == Decimal("2")
    assert db.session.scalar(db.select(db.func.count(Realisation.id))) == 0


def test_clearing_the_value_goes_back_to_the_sum(org, plan):
    make_realisation(plan["quantity"], 3, value="9", narrative="Penyesuaian")
    row = realisation.save_realisation(org.employee, plan["quantity"], 3, value="", narrative="")
    assert row.effective == Decimal("0") and row.realisation is None


def test_other_aspects_have_no_sum_and_keep_the_latest_value(org, plan):
    make_activity(org.employee.employee, plan["rhk"], date(2026, 3, 3), quantity="2")
    realisation.save_realisation(org.employee, plan["quality"], 2, value="90", narrative="")
    realisation.save_realisation(org.employee, plan["quality"], 4, value="96,5", narrative="")
    march = _row(plan, 3, "quality")
    assert march.activity_sum is None and march.effective is None
    assert march.cumulative == Decimal("90")  # the latest value entered so far
    april = _row(plan, 4, "quality")
    assert april.cumulative == Decimal("96.5")
    assert april.percent_of_target == Decimal("101.6")  # 96.5 / 95


def test_a_month_that_has_not_started_cannot_be_reported(org, plan):
    with pytest.raises(RuleViolation, match="belum berjalan"):
        realisation.save_realisation(org.employee, plan["quantity"], 7, value="1", narrative="x")


def test_only_the_owner_may_change_realisation(org, plan):
    with pytest.raises(NotAllowed):
        realisation.save_realisation(org.supervisor, plan["quantity"], 3, value="1",
                                     narrative="x")


def test_saving_is_audited(org, plan):
    realisation.save_realisation(org.employee, plan["quantity"], 5, value="3", narrative="Lembur")
    event = db.session.scalar(db.select(AuditEvent).filter_by(action="realisation.saved"))
    assert event.actor_id == org.employee.id and event.details["month"] == 5


# ---------------------------------------------------------------- the page


def test_the_page_opens_on_the_current_month_with_a_form_per_indicator(login_as, plan):
    page = login_as("employee").get(_url(plan))
    assert page.status_code == 200
    assert "Realisasi Juni 2026" in page.text
    assert f'hx-post="/indikator/{plan["quantity"].id}/realisasi/6"' in page.text
    assert f'hx-post="/indikator/{plan["quality"].id}/realisasi/6"' in page.text
    assert f'/indikator/{plan["quantity"].id}/realisasi/6/bukti' in page.text
    assert "?bulan=7" not in page.text  # months that have not started are not offered


def test_htmx_save_returns_the_row_with_the_new_numbers(org, login_as, plan):
    make_activity(org.employee.employee, plan["rhk"], date(2026, 3, 3), quantity="2")
    indicator = plan["quantity"]
    response = login_as("employee").post(
        _save_url(indicator, 3), headers=HX,
        data={f"r{indicator.id}-value": "5", f"r{indicator.id}-narrative": "Berkas manual"})
    assert response.status_code == 200
    assert response.text.lstrip().startswith(f'<tbody id="ind-{indicator.id}"')
    assert "<html" not in response.text
    assert "disesuaikan" in response.text and "Tersimpan." in response.text
    assert _row(plan, 3).effective == Decimal("5")


def test_htmx_bad_input_is_a_400_with_the_message_at_the_field(org, login_as, plan):
    indicator = plan["quantity"]
    client = login_as("employee")
    response = client.post(_save_url(indicator, 3), headers=HX,
                           data={f"r{indicator.id}-value": "dua belas",
                                 f"r{indicator.id}-narrative": "catatan saya"})
    assert response.status_code == 400
    assert "Isi dengan angka" in response.text
    assert 'value="dua belas"' in response.text and "catatan saya" in response.text
    assert 'aria-invalid="true"' in response.text

    response = client.post(_save_url(indicator, 3), headers=HX,
                           data={f"r{indicator.id}-value": "4"})
    assert response.status_code == 400
    assert "Jelaskan mengapa" in response.text


def test_plain_post_redirects_back_to_the_row_or_shows_the_whole_page(login_as, plan):
    indicator = plan["quantity"]
    client = login_as("employee")
    response = client.post(_save_url(indicator, 3),
                           data={f"r{indicator.id}-value": "3", f"r{indicator.id}-narrative": "x"})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/realisasi?bulan=3#ind-{indicator.id}")
    response = client.post(_save_url(indicator, 3), data={f"r{indicator.id}-value": "-1"})
    assert response.status_code == 400
    assert "<html" in response.text and "tidak boleh negatif" in response.text


def test_a_month_that_has_not_started_is_shown_read_only(login_as, plan):
    client = login_as("employee")
    page = client.get(_url(plan, 9))
    assert page.status_code == 200
    assert "realisation-form" not in page.text and "belum berjalan" in page.text
    indicator = plan["quantity"]
    response = client.post(_save_url(indicator, 9), headers=HX,
                           data={f"r{indicator.id}-value": "1", f"r{indicator.id}-narrative": "x"})
    assert response.status_code == 400 and "Bulan ini belum berjalan." in response.text


def test_a_month_out_of_range_is_a_404(login_as, plan):
    assert login_as("employee").post(_save_url(plan["quantity"], 13)).status_code == 404


def test_evidence_is_attached_to_the_month_and_linked_for_download(org, login_as, plan):
    indicator = plan["quantity"]
    client = login_as("employee")
    response = client.post(f"/indikator/{indicator.id}/realisasi/3/bukti",
                           data={f"e{indicator.id}-file": (io.BytesIO(PDF), "laporan-maret.pdf")},
                           content_type="multipart/form-data")
    assert response.status_code == 302
    file = db.session.scalar(db.select(Evidence))
    assert file.realisation.month == 3 and file.realisation.indicator_id == indicator.id
    assert file.realisation.value is None  # attaching a file does not adjust the number
    page = client.get(_url(plan, 3))
    assert f'href="/bukti/{file.id}"' in page.text and "laporan-maret.pdf" in page.text

    supervisor_view = login_as("supervisor").get(_url(plan, 3))
    assert f'href="/bukti/{file.id}"' in supervisor_view.text
    assert "/hapus" not in supervisor_view.text

    response = client.post(f"/realisasi/bukti/{file.id}/hapus", headers=HX)
    assert response.status_code == 200
    assert db.session.scalar(db.select(db.func.count(Evidence.id))) == 0


def test_the_evidence_of_the_months_activities_supports_the_realisation(org, login_as, plan):
    # Item 7 of issue 23: "Bukti dukung: belum ada" while the daily reports carried files.
    ani, rhk = org.employee.employee, plan["rhk"]
    counted = make_activity(ani, rhk, date(2026, 3, 5), description="Menerbitkan akta")
    make_evidence(counted, name="akta-5-maret.pdf")
    verified = make_activity(ani, rhk, date(2026, 3, 9), status=ActivityStatus.VERIFIED)
    make_evidence(verified, name="rekap-9-maret.pdf")
    returned = make_activity(ani, rhk, date(2026, 3, 10), status=ActivityStatus.RETURNED)
    make_evidence(returned, name="dikembalikan.pdf")  # does not count, nor does its file
    make_evidence(make_activity(ani, rhk, date(2026, 4, 1)), name="april.pdf")  # another month
    own = make_evidence(None, name="laporan-maret.pdf",
                        realisation=make_realisation(plan["quantity"], 3))

    [group] = realisation.month_table(plan["skp"], 3)
    row = group.rows[0]
    assert [f.original_name for f in row.activity_evidence] == \
        ["akta-5-maret.pdf", "rekap-9-maret.pdf"]
    assert [f.original_name for f in row.evidence] == ["laporan-maret.pdf"]
    assert row.has_evidence and not group.rows[1].has_evidence  # the quality indicator: none
    assert [f.original_name for f in _row(plan, 3).activity_evidence] == \
        ["akta-5-maret.pdf", "rekap-9-maret.pdf"]  # the row htmx redraws, too

    page = login_as("supervisor").get(_url(plan, 3)).text
    block = page.split(f'id="ind-{plan["quantity"].id}"')[1].split("</tbody>")[0]
    assert "2 berkas dari laporan harian bulan ini" in block
    assert f'href="/bukti/{counted.evidence[0].id}"' in block and "Menerbitkan akta" in block
    assert f'href="/bukti/{own.id}"' in block
    assert "dikembalikan.pdf" not in page and "april.pdf" not in page
    assert "belum ada" not in block
    other = page.split(f'id="ind-{plan["quality"].id}"')[1].split("</tbody>")[0]
    assert "belum ada" in other


def test_a_file_that_is_not_a_document_is_refused(login_as, plan):
    indicator = plan["quantity"]
    response = login_as("employee").post(
        f"/indikator/{indicator.id}/realisasi/3/bukti", headers=HX,
        data={f"e{indicator.id}-file": (io.BytesIO(b"<html>halo</html>"), "bukti.pdf")},
        content_type="multipart/form-data")
    assert response.status_code == 400
    assert "Jenis berkas tidak diterima" in response.text


def test_someone_elses_evidence_cannot_be_removed(org, login_as, plan):
    entry = make_realisation(plan["quantity"], 3)
    from kinerja.performance import evidence
    file = evidence.store(org.employee, org.employee.employee, PDF, "a.pdf", realisation=entry)
    db.session.commit()
    assert login_as("supervisor").post(f"/realisasi/bukti/{file.id}/hapus").status_code == 403
    assert db.session.get(Evidence, file.id) is not None


# ---------------------------------------------------------------- who sees and does what


@pytest.mark.parametrize("role", ["supervisor", "head", "hr"])
def test_the_chain_and_hr_read_without_editing(login_as, plan, role):
    page = login_as(role).get(_url(plan, 3))
    assert page.status_code == 200
    assert "realisation-form" not in page.text
    assert "/bukti\"" not in page.text and 'enctype="multipart/form-data"' not in page.text


@pytest.mark.parametrize("role", ["teammate", "outsider", "admin"])
def test_colleagues_outsiders_and_admins_are_refused(login_as, plan, role):
    client = login_as(role)
    assert client.get(_url(plan)).status_code == 403
    assert client.post(_save_url(plan["quantity"], 3), data={}).status_code == 403


def test_the_supervisor_cannot_change_the_numbers(login_as, plan):
    indicator = plan["quantity"]
    response = login_as("supervisor").post(_save_url(indicator, 3),
                                           data={f"r{indicator.id}-value": "9"})
    assert response.status_code == 403


def test_a_closed_period_is_read_only(org, login_as, plan):
    plan["period"].status = PeriodStatus.CLOSED
    db.session.commit()
    client = login_as("employee")
    page = client.get(_url(plan, 3))
    assert page.status_code == 200
    assert "hanya bisa dibaca" in page.text
    assert "realisation-form" not in page.text
    indicator = plan["quantity"]
    response = client.post(_save_url(indicator, 3), headers=HX,
                           data={f"r{indicator.id}-value": "1", f"r{indicator.id}-narrative": "x"})
    assert response.status_code == 400
    assert "tidak sedang berjalan" in response.text
    supervisor = login_as("supervisor")
    assert "feedback-form" not in supervisor.get(_url(plan, 3)).text
    assert supervisor.post(f"/rhk/{plan['rhk'].id}/umpan-balik/3",
                           data={f"f{plan['rhk'].id}-text": "Bagus"}).status_code == 400


# ---------------------------------------------------------------- feedback


def test_the_direct_supervisor_gives_feedback_the_employee_reads_it(org, login_as, plan):
    rhk = plan["rhk"]
    supervisor = login_as("supervisor")
    assert 'class="feedback-form"' in supervisor.get(_url(plan, 5)).text
    response = supervisor.post(f"/rhk/{rhk.id}/umpan-balik/5", headers=HX,
                               data={f"f{rhk.id}-text": "Pertahankan kecepatan verifikasi."})
    assert response.status_code == 200
    assert response.text.lstrip().startswith(f'<div id="feedback-{rhk.id}"')
    assert "Pertahankan kecepatan verifikasi." in response.text

    own = login_as("employee").get(_url(plan, 5))
    assert "Pertahankan kecepatan verifikasi." in own.text and "Budi Santoso" in own.text
    assert "feedback-form" not in own.text
    assert "Pertahankan" not in login_as("employee").get(_url(plan, 4)).text  # per month
    assert "Pertahankan" in login_as("head").get(_url(plan, 5)).text  # the chain above sees it
    assert db.session.scalar(db.select(AuditEvent).filter_by(action="feedback.added")) is not None


@pytest.mark.parametrize("role", ["employee", "head", "hr", "teammate"])
def test_only_the_direct_supervisor_gives_feedback(login_as, plan, role):
    rhk = plan["rhk"]
    response = login_as(role).post(f"/rhk/{rhk.id}/umpan-balik/5",
                                   data={f"f{rhk.id}-text": "Catatan"})
    assert response.status_code == 403
    assert db.session.scalar(db.select(db.func.count(Feedback.id))) == 0


def test_empty_feedback_is_a_400_at_the_field(login_as, plan):
    rhk = plan["rhk"]
    response = login_as("supervisor").post(f"/rhk/{rhk.id}/umpan-balik/5", headers=HX,
                                           data={f"f{rhk.id}-text": "   "})
    assert response.status_code == 400
    assert "field-error" in response.text


# ---------------------------------------------------------------- dialogues


def test_the_supervisor_records_a_dialogue_the_employee_sees_it(org, login_as, plan):
    response = login_as("supervisor").post(
        f"/skp/{plan['skp'].id}/dialog?bulan=6", headers=HX,
        data={"d-held_on": "2026-06-10", "d-notes": "Membahas capaian triwulan II.",
              "d-follow_up": "Pelatihan aplikasi SIAK"})
    assert response.status_code == 200
    assert response.text.lstrip().startswith('<section id="dialogues"')
    dialogue = db.session.scalar(db.select(Dialogue))
    assert dialogue.held_on == date(2026, 6, 10) and dialogue.author_id == org.supervisor.employee.id
    page = login_as("employee").get(_url(plan, 6))
    assert "Membahas capaian triwulan II." in page.text and "Pelatihan aplikasi SIAK" in page.text
    assert "dialogue-form" not in page.text


@pytest.mark.parametrize(("held_on", "message"), [
    ("2026-06-16", "masa depan"), ("2025-12-30", "tahun 2026"), ("", "")])
def test_a_dialogue_needs_a_date_in_the_year_up_to_today(login_as, plan, held_on, message):
    response = login_as("supervisor").post(
        f"/skp/{plan['skp'].id}/dialog", headers=HX,
        data={"d-held_on": held_on, "d-notes": "Catatan dialog"})
    assert response.status_code == 400
    assert message in response.text and "Catatan dialog" in response.text
    assert db.session.scalar(db.select(db.func.count(Dialogue.id))) == 0


@pytest.mark.parametrize("role", ["employee", "head", "hr", "outsider"])
def test_only_the_direct_supervisor_records_dialogues(login_as, plan, role):
    response = login_as(role).post(f"/skp/{plan['skp'].id}/dialog",
                                   data={"d-held_on": "2026-06-10", "d-notes": "Catatan"})
    assert response.status_code == 403

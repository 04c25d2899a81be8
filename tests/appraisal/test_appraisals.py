"""Evaluations: opening a point, self-assessment, rating and finalising, acknowledgement,
objection and its decision by the appraiser's supervisor; the pages behind them."""
from datetime import date

import pytest
import time_machine

from kinerja.appraisal import appraisals, objection_window
from kinerja.appraisal.models import EvaluationStatus, ObjectionStatus
from kinerja.appraisal.predikat import Behaviour, Predikat, Rating
from kinerja.core.errors import NotAllowed, RuleViolation
from kinerja.core.models import AuditEvent
from kinerja.extensions import db
from kinerja.notifications.models import Notification
from kinerja.performance.models import SkpStatus
from tests.builders import make_evaluation, make_period, make_skp

MID_APRIL = "2026-04-15 09:00 +08:00"


@pytest.fixture
def skp(org):
    period = make_period(2026)
    return make_skp(org.employee.employee, period, status=SkpStatus.APPROVED, rhks=2)


def march(skp):
    return appraisals.point_of(skp.period, "periodik", 3)


def full_ratings(skp, result="sesuai", behaviour="sesuai", **overall):
    return appraisals.RatingInput(
        results={rhk.id: (result, "Catatan") for rhk in skp.rhks},
        behaviours={b.value: (behaviour, None) for b in Behaviour},
        result=overall.get("overall_result", result),
        behaviour=overall.get("overall_behaviour", behaviour))


def actions():
    return [a for (a,) in db.session.execute(db.select(AuditEvent.action).order_by(AuditEvent.id))]


# ------------------------------------------------------------------------------ points


def test_a_monthly_year_has_twelve_points_and_the_annual_one(skp):
    points = appraisals.points_of(skp.period)
    assert [p.number for p in points] == [*range(1, 13), 0]
    assert points[-1].is_annual and points[-1].opens_on == date(2026, 12, 1)
    assert points[1].ends == date(2026, 2, 28)


def test_a_quarterly_year_has_four_points(org):
    from kinerja.core.calendar import Cadence
    period = make_period(2025, cadence=Cadence.QUARTERLY)
    points = appraisals.points_of(period)
    assert [(p.first_month, p.last_month) for p in points] == [(1, 3), (4, 6), (7, 9), (10, 12), (1, 12)]
    assert points[1].opens_on == date(2025, 6, 1)


# ------------------------------------------------------------------------------ opening


@time_machine.travel(MID_APRIL, tick=False)
def test_the_employee_or_the_appraiser_opens_an_evaluation_once(org, skp):
    first = appraisals.open_evaluation(org.employee, skp, march(skp))
    again = appraisals.open_evaluation(org.supervisor, skp, march(skp))
    assert first.id == again.id and first.status is EvaluationStatus.DRAFT
    assert first.appraiser == org.supervisor.employee


@time_machine.travel(MID_APRIL, tick=False)
def test_a_colleague_cannot_open_an_evaluation(org, skp):
    with pytest.raises(NotAllowed):
        appraisals.open_evaluation(org.teammate, skp, march(skp))


@time_machine.travel(MID_APRIL, tick=False)
def test_a_point_that_has_not_begun_cannot_be_evaluated(org, skp):
    with pytest.raises(RuleViolation, match="baru bisa dimulai"):
        appraisals.open_evaluation(org.supervisor, skp, appraisals.point_of(skp.period, "periodik", 5))
    with pytest.raises(RuleViolation):
        appraisals.open_evaluation(org.supervisor, skp, appraisals.point_of(skp.period, "tahunan", 0))


@time_machine.travel(MID_APRIL, tick=False)
def test_an_unapproved_skp_is_not_evaluated(org, skp):
    skp.status = SkpStatus.DRAFT
    with pytest.raises(RuleViolation, match="belum disetujui"):
        appraisals.open_evaluation(org.supervisor, skp, march(skp))


def agree_on(skp, when: str) -> None:
    """The SKP's first approval, on a given moment."""
    from datetime import datetime  # noqa: PLC0415

    from kinerja.performance.models import SkpVersion  # noqa: PLC0415
    db.session.add(SkpVersion(skp_id=skp.id, number=1, content={},
                              approved_at=datetime.fromisoformat(when)))
    db.session.commit()


@time_machine.travel("2026-12-10 09:00 +08:00", tick=False)
def test_months_before_the_skp_was_agreed_are_neither_offered_nor_opened(org, skp, login_as):
    agree_on(skp, "2026-11-20 09:00 +08:00")
    november = appraisals.point_of(skp.period, "periodik", 11)
    october = appraisals.point_of(skp.period, "periodik", 10)
    assert appraisals.before_the_plan(skp, october) and not appraisals.before_the_plan(skp, november)
    with pytest.raises(RuleViolation, match="berlaku mulai 20-11-2026"):
        appraisals.open_evaluation(org.supervisor, skp, october)
    row = appraisals.team_overview(org.supervisor, skp.period)[0]
    assert [c.point.number for c in row.cells if c.can_start] == [11, 12, 0]

    page = login_as("supervisor").get("/penilaian").text
    assert f"/penilaian/skp/{skp.id}/periodik/10" not in page
    assert f"/penilaian/skp/{skp.id}/periodik/11" in page
    assert 'data-confirm="Mulai evaluasi November 2026 untuk Ani Lestari?' in page
    refused = login_as("supervisor").post(f"/penilaian/skp/{skp.id}/periodik/10")
    assert refused.status_code == 303


# ------------------------------------------------------------------------- self-assessment


@time_machine.travel(MID_APRIL, tick=False)
def test_self_assessment_is_a_draft_until_sent_then_fixed(org, skp):
    evaluation = appraisals.open_evaluation(org.employee, skp, march(skp))
    appraisals.save_self_assessment(org.employee, evaluation, "Draf", submit=False)
    assert evaluation.self_submitted_at is None
    appraisals.save_self_assessment(org.employee, evaluation, "Target tercapai.", submit=True)
    assert evaluation.self_assessment == "Target tercapai." and evaluation.self_submitted_at
    with pytest.raises(RuleViolation):
        appraisals.save_self_assessment(org.employee, evaluation, "Ubah", submit=True)
    notified = db.session.scalar(db.select(Notification).where(Notification.user_id == org.supervisor.id))
    assert notified.kind == "self_assessment_submitted"


@time_machine.travel(MID_APRIL, tick=False)
def test_sending_an_empty_self_assessment_is_refused(org, skp):
    evaluation = appraisals.open_evaluation(org.employee, skp, march(skp))
    with pytest.raises(RuleViolation) as problem:
        appraisals.save_self_assessment(org.employee, evaluation, "  ", submit=True)
    assert problem.value.field == "self_assessment"


# ------------------------------------------------------------------------------ rating


@time_machine.travel(MID_APRIL, tick=False)
def test_finalising_needs_every_item_and_both_overall_ratings(org, skp):
    evaluation = appraisals.open_evaluation(org.supervisor, skp, march(skp))
    partial = appraisals.RatingInput(results={skp.rhks[0].id: ("sesuai", None)})
    appraisals.save_ratings(org.supervisor, evaluation, partial)
    with pytest.raises(RuleViolation) as problem:
        appraisals.finalise(org.supervisor, evaluation)
    message = str(problem.value.message)
    assert "1 RHK belum dinilai" in message and "7 perilaku" in message
    assert evaluation.status is EvaluationStatus.DRAFT


def test_the_rule_for_setting_names_each_thing_still_to_rate_and_where_it_is():
    missing = appraisals.missing_ratings([11, 12, 13], {11}, {Behaviour.SERVICE}, None, Rating.AS_EXPECTED)
    assert [m.text for m in missing] == ["2 RHK belum dinilai", "6 perilaku BerAKHLAK belum dinilai",
                                         "rating hasil kerja belum dipilih"]
    assert [m.anchor for m in missing] == ["rhk-12", "b-akuntabel", "rating-akhir"]
    assert appraisals.missing_ratings([11], {11}, set(Behaviour), Rating.ABOVE, Rating.ABOVE) == []


@time_machine.travel(MID_APRIL, tick=False)
def test_the_list_follows_the_form_being_filled_and_nothing_is_saved(org, skp, login_as):
    evaluation = appraisals.open_evaluation(org.supervisor, skp, march(skp))
    filled = full_ratings(skp)
    assert appraisals.missing_for_final(evaluation, filled) == []
    filled.results[skp.rhks[1].id] = ("", None)
    filled.behaviours["adaptif"] = ("nonsense", None)  # not a rating: still to rate
    assert [str(m) for m in appraisals.missing_for_final(evaluation, filled)] == [
        "1 RHK belum dinilai", "1 perilaku BerAKHLAK belum dinilai"]

    client = login_as("supervisor")
    form = {f"rhk-{rhk.id}": "sesuai" for rhk in skp.rhks} | {"result": "sesuai"}
    fragment = client.post(f"/penilaian/{evaluation.id}/periksa", data=form,
                           headers={"HX-Request": "true"})
    assert fragment.status_code == 200
    assert "RHK belum dinilai" not in fragment.text
    assert "7 perilaku BerAKHLAK belum dinilai" in fragment.text
    assert "rating perilaku kerja belum dipilih" in fragment.text
    assert "<html" not in fragment.text
    form |= {f"b-{b.value}": "sesuai" for b in Behaviour} | {"behaviour": "sesuai"}
    ready = client.post(f"/penilaian/{evaluation.id}/periksa", data=form).text
    assert "Semua sudah dinilai" in ready
    db.session.refresh(evaluation)
    assert evaluation.result_ratings == [] and evaluation.result_rating is None  # only checked
    assert login_as("employee").post(f"/penilaian/{evaluation.id}/periksa", data=form).status_code == 403


@time_machine.travel(MID_APRIL, tick=False)
def test_the_page_lists_what_is_missing_and_asks_before_setting(org, skp, login_as):
    evaluation = appraisals.open_evaluation(org.supervisor, skp, march(skp))
    page = login_as("supervisor").get(f"/penilaian/{evaluation.id}").text
    assert f'hx-post="/penilaian/{evaluation.id}/periksa"' in page
    assert f'href="#rhk-{skp.rhks[0].id}">2 RHK belum dinilai' in page
    assert 'value="tetapkan" data-confirm="Tetapkan evaluasi Maret 2026 untuk Ani Lestari?' in page


@time_machine.travel(MID_APRIL, tick=False)
def test_the_predikat_follows_the_overall_ratings(org, skp):
    evaluation = appraisals.open_evaluation(org.supervisor, skp, march(skp))
    appraisals.save_ratings(org.supervisor, evaluation,
                            full_ratings(skp, "di_atas", "sesuai", overall_behaviour="di_atas"))
    assert appraisals.finalise(org.supervisor, evaluation) is Predikat.VERY_GOOD
    assert evaluation.status is EvaluationStatus.FINAL
    # The objection window starts when the employee receives the result, not when it is set
    # (tests/appraisal/test_objection_window.py).
    assert evaluation.received_at is None and evaluation.objection_due is None
    assert "evaluation.finalised" in actions()
    told = db.session.scalar(db.select(Notification).where(Notification.user_id == org.employee.id))
    assert told.kind == "evaluation_set" and told.params["point"] == 3


@time_machine.travel(MID_APRIL, tick=False)
def test_a_set_evaluation_cannot_be_rated_again(org, skp):
    evaluation = make_evaluation(skp, result="sesuai", behaviour="sesuai")
    with pytest.raises(RuleViolation):
        appraisals.save_ratings(org.supervisor, evaluation, full_ratings(skp, "di_bawah"))


@time_machine.travel(MID_APRIL, tick=False)
def test_only_the_direct_supervisor_rates(org, skp):
    evaluation = appraisals.open_evaluation(org.supervisor, skp, march(skp))
    for someone in (org.head, org.teammate, org.employee, org.hr):
        with pytest.raises(NotAllowed):
            appraisals.save_ratings(someone, evaluation, full_ratings(skp))


@time_machine.travel(MID_APRIL, tick=False)
def test_an_unknown_rating_or_rhk_is_refused(org, skp):
    evaluation = appraisals.open_evaluation(org.supervisor, skp, march(skp))
    with pytest.raises(RuleViolation):
        appraisals.save_ratings(org.supervisor, evaluation, full_ratings(skp, "luar_biasa"))
    with pytest.raises(RuleViolation):
        appraisals.save_ratings(org.supervisor, evaluation,
                                appraisals.RatingInput(results={999999: ("sesuai", None)}))


# --------------------------------------------------------------- acknowledgement, objection


def set_in_april(org, skp, result="di_bawah", behaviour="sesuai"):
    with time_machine.travel(MID_APRIL, tick=False):
        evaluation = appraisals.open_evaluation(org.supervisor, skp, march(skp))
        appraisals.save_ratings(org.supervisor, evaluation, full_ratings(skp, result, behaviour))
        appraisals.finalise(org.supervisor, evaluation)
    return evaluation


def test_the_employee_acknowledges_the_result(org, skp):
    evaluation = set_in_april(org, skp)
    with time_machine.travel("2026-04-16 09:00 +08:00"):
        appraisals.acknowledge(org.employee, evaluation)
    assert evaluation.status is EvaluationStatus.ACKNOWLEDGED and evaluation.is_final
    with pytest.raises(RuleViolation):
        appraisals.lodge_objection(org.employee, evaluation, "Terlambat berubah pikiran")


def test_an_objection_goes_to_the_appraisers_supervisor_who_may_change_it(org, skp):
    evaluation = set_in_april(org, skp)
    with time_machine.travel("2026-04-20 09:00 +08:00"):
        objection = appraisals.lodge_objection(org.employee, evaluation, "Target terlambat karena "
                                               "blanko habis dari pusat.")
        assert objection.decider == org.head.employee
        assert evaluation.status is EvaluationStatus.OBJECTED
        assert appraisals.objections_to_decide(org.head) == [evaluation]
        assert appraisals.objections_to_decide(org.supervisor) == []
        appraisals.answer_objection(org.supervisor, evaluation, "Benar, stok kosong.")
        for not_the_decider in (org.supervisor, org.employee, org.teammate):
            with pytest.raises(NotAllowed):
                appraisals.decide_objection(not_the_decider, evaluation, change=False,
                                            result=None, behaviour=None, decision="x")
        appraisals.decide_objection(org.head, evaluation, change=True, result="sesuai",
                                    behaviour=None, decision="Di luar kendali pegawai.")
    assert evaluation.status is EvaluationStatus.DECIDED and evaluation.is_final
    assert evaluation.predikat is Predikat.GOOD
    assert objection.status is ObjectionStatus.CHANGED
    assert objection.original_predikat is Predikat.NEEDS_IMPROVEMENT
    assert actions()[-3:] == ["objection.lodged", "objection.answered", "objection.decided"]


def test_changing_to_the_same_ratings_is_refused_upholding_keeps_them(org, skp):
    evaluation = set_in_april(org, skp)
    with time_machine.travel("2026-04-20 09:00 +08:00"):
        appraisals.lodge_objection(org.employee, evaluation, "Tidak setuju.")
        with pytest.raises(RuleViolation, match="rating yang berbeda"):
            appraisals.decide_objection(org.head, evaluation, change=True, result="di_bawah",
                                        behaviour="sesuai", decision="Sama saja")
        appraisals.decide_objection(org.head, evaluation, change=False, result=None,
                                    behaviour=None, decision="Penilaian sudah tepat.")
    assert evaluation.predikat is Predikat.NEEDS_IMPROVEMENT
    assert evaluation.objection.status is ObjectionStatus.UPHELD


def test_no_objection_after_the_deadline(org, skp):
    evaluation = set_in_april(org, skp)
    with time_machine.travel(MID_APRIL, tick=False):
        objection_window.receive(org.employee, evaluation)  # opened the day it was set
    # Fourteen calendar days from 15 April: the 29th is the last day.
    with time_machine.travel("2026-04-30 09:00 +08:00"), \
            pytest.raises(RuleViolation, match="sudah lewat"):
        appraisals.lodge_objection(org.employee, evaluation, "Terlambat")


def test_an_objection_needs_reasons(org, skp):
    evaluation = set_in_april(org, skp)
    with time_machine.travel("2026-04-20 09:00 +08:00"), pytest.raises(RuleViolation):
        appraisals.lodge_objection(org.employee, evaluation, " ")


def test_hr_never_decides_when_the_appraiser_has_no_supervisor(org, skp):
    """Above the top of the chart is the PPK (tests/organisation/test_chain_of_authority.py);
    HR only records the PPK's signed decision, and decides nothing while no PPK is recorded."""
    org.supervisor.employee.supervisor = None
    db.session.commit()
    evaluation = set_in_april(org, skp)
    with time_machine.travel("2026-04-20 09:00 +08:00"):
        appraisals.lodge_objection(org.employee, evaluation, "Tidak setuju.")
        assert appraisals.objections_to_decide(org.hr) == []
        with pytest.raises(NotAllowed):
            appraisals.decide_objection(org.hr, evaluation, change=False, result=None,
                                        behaviour=None, decision="Dikuatkan.")


# ------------------------------------------------------------------------------ annual


def test_the_annual_evaluation_shows_the_periodic_history(org, skp):
    for month, result in ((1, "sesuai"), (2, "di_bawah"), (3, "di_atas")):
        make_evaluation(skp, point=month, result=result, behaviour="sesuai")
    with time_machine.travel("2026-12-10 09:00 +08:00"):
        year = appraisals.point_of(skp.period, "tahunan", 0)
        annual = appraisals.open_evaluation(org.supervisor, skp, year)
        page = appraisals.evaluation_page(org.supervisor, annual)
    assert [(e.point, e.predikat) for e, _ in page.history] == [
        (1, Predikat.GOOD), (2, Predikat.NEEDS_IMPROVEMENT), (3, Predikat.GOOD)]


# ------------------------------------------------------------------------------ pages


@time_machine.travel(MID_APRIL, tick=False)
def test_the_supervisor_rates_and_sets_through_the_page(org, skp, login_as):
    evaluation = appraisals.open_evaluation(org.supervisor, skp, march(skp))
    client = login_as("supervisor")
    page = client.get(f"/penilaian/{evaluation.id}")
    assert page.status_code == 200 and "Tetapkan evaluasi" in page.text
    form = {f"rhk-{rhk.id}": "sesuai" for rhk in skp.rhks}
    form |= {f"b-{b.value}": "di_atas" for b in Behaviour}
    form |= {"result": "sesuai", "behaviour": "di_atas", "aksi": "tetapkan"}
    done = client.post(f"/penilaian/{evaluation.id}/nilai", data=form)
    assert done.status_code == 302
    db.session.refresh(evaluation)
    assert evaluation.predikat is Predikat.GOOD


@time_machine.travel(MID_APRIL, tick=False)
def test_setting_an_incomplete_evaluation_says_what_is_missing_and_keeps_the_input(org, skp, login_as):
    evaluation = appraisals.open_evaluation(org.supervisor, skp, march(skp))
    client = login_as("supervisor")
    response = client.post(f"/penilaian/{evaluation.id}/nilai",
                           data={f"rhk-{skp.rhks[0].id}": "di_atas",
                                 f"rhk-{skp.rhks[0].id}-note": "Sangat rapi", "aksi": "tetapkan"})
    assert response.status_code == 422
    assert "Belum bisa ditetapkan" in response.text and "Sangat rapi" in response.text
    db.session.refresh(evaluation)
    assert evaluation.status is EvaluationStatus.DRAFT


@time_machine.travel(MID_APRIL, tick=False)
def test_a_bad_rating_value_is_a_400_not_a_500(org, skp, login_as):
    evaluation = appraisals.open_evaluation(org.supervisor, skp, march(skp))
    response = login_as("supervisor").post(f"/penilaian/{evaluation.id}/nilai",
                                           data={"result": "<script>", "aksi": "simpan"})
    assert response.status_code == 400 and "Pilih salah satu rating" in response.text


@time_machine.travel(MID_APRIL, tick=False)
def test_the_employee_starts_a_self_assessment_from_the_overview(org, skp, login_as):
    client = login_as("employee")
    overview = client.get("/penilaian")
    assert overview.status_code == 200 and "Maret 2026" in overview.text
    opened = client.post(f"/penilaian/skp/{skp.id}/periodik/3")
    assert opened.status_code == 302
    evaluation = appraisals.evaluation_of(skp, march(skp))
    sent = client.post(f"/penilaian/{evaluation.id}/mandiri",
                       data={"self_assessment": "Semua target tercapai.", "aksi": "kirim"})
    db.session.refresh(evaluation)
    assert sent.status_code == 302 and evaluation.self_submitted_at is not None
    assert "Semua target tercapai." in login_as("supervisor").get(f"/penilaian/{evaluation.id}").text


def test_the_objection_flow_through_the_pages(org, skp, login_as):
    evaluation = set_in_april(org, skp)
    with time_machine.travel("2026-04-20 09:00 +08:00"):
        ani = login_as("employee")
        assert "Ajukan keberatan" in ani.get(f"/penilaian/{evaluation.id}").text
        assert ani.post(f"/penilaian/{evaluation.id}/keberatan", data={"reasons": ""}).status_code == 400
        assert ani.post(f"/penilaian/{evaluation.id}/keberatan",
                        data={"reasons": "Blanko habis."}).status_code == 302
        head = login_as("head")
        assert "Keberatan menunggu keputusan Anda" in head.get("/penilaian").text
        refused = head.post(f"/penilaian/{evaluation.id}/putusan",
                            data={"outcome": "ubah", "decision": "Tetap"})
        assert refused.status_code == 400 and "rating yang berbeda" in refused.text
        decided = head.post(f"/penilaian/{evaluation.id}/putusan",
                            data={"outcome": "ubah", "result": "sesuai", "decision": "Diterima."})
        assert decided.status_code == 302
    db.session.refresh(evaluation)
    assert evaluation.predikat is Predikat.GOOD


def test_outsiders_do_not_see_an_evaluation(org, skp, login_as):
    evaluation = make_evaluation(skp, result="sesuai", behaviour="sesuai")
    assert login_as("outsider").get(f"/penilaian/{evaluation.id}").status_code == 403
    assert login_as("teammate").get(f"/penilaian/{evaluation.id}").status_code == 403
    assert login_as("head").get(f"/penilaian/{evaluation.id}").status_code == 200


def test_the_dashboard_points_to_evaluations_waiting_for_an_answer(org, skp, login_as):
    make_evaluation(skp, result="sesuai", behaviour="sesuai")
    assert "hasil evaluasi menunggu tanggapan Anda" in login_as("employee").get("/").text
    assert "hasil evaluasi menunggu tanggapan Anda" not in login_as("supervisor").get("/").text


@time_machine.travel(MID_APRIL, tick=False)
def test_the_appraiser_is_warned_when_the_result_breaks_the_units_curve(org, skp, login_as):
    from kinerja.appraisal.models import UnitPredikat
    from kinerja.appraisal.predikat import OrganisationPredikat
    db.session.add(UnitPredikat(unit=org.dinas, period=skp.period, kind="periodik", point=3,
                                predikat=OrganisationPredikat.EXCEPTIONAL))  # March's capaian
    db.session.commit()
    evaluation = appraisals.open_evaluation(org.supervisor, skp, march(skp))
    appraisals.save_ratings(org.supervisor, evaluation, full_ratings(skp, "di_atas", "di_atas"))
    page = login_as("supervisor").get(f"/penilaian/{evaluation.id}").text
    assert "Di luar kurva" in page  # one of one Sangat Baik: over the 70% an Istimewa unit allows
    appraisals.save_ratings(org.supervisor, evaluation, full_ratings(skp, "sesuai", "sesuai"))
    assert "Di luar kurva" not in login_as("supervisor").get(f"/penilaian/{evaluation.id}").text

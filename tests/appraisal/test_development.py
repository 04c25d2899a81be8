"""Development after a low predikat: the suggestion rules on plain values, the training
catalogue (HR), development plans and training records (with certificates), the training-needs
report and its Excel file, and who may do what."""
import io
from datetime import UTC, date, datetime
from types import SimpleNamespace

import pytest
from openpyxl import load_workbook
from sqlalchemy import event

from kinerja.appraisal import development
from kinerja.appraisal.models import DevelopmentPlan, TrainingCourse, TrainingRecord, TrainingStatus
from kinerja.appraisal.predikat import Behaviour, Rating
from kinerja.core.errors import NotAllowed, RuleViolation
from kinerja.core.models import AuditEvent
from kinerja.extensions import db
from kinerja.notifications.models import Notification
from kinerja.performance import evidence
from kinerja.performance.models import Evidence
from tests.builders import (
    HTML_BYTES,
    PDF_BYTES,
    make_employee,
    make_evaluation,
    make_skp,
    make_unit,
    make_user,
)

NOW = datetime(2026, 4, 10, 2, 0, tzinfo=UTC)

pytestmark = pytest.mark.usefixtures("frozen_clock")

B, R = Behaviour, Rating


def course(id_, title, behaviours=(), *, for_results=False, active=True):
    return SimpleNamespace(id=id_, title=title, behaviours=[b.value for b in behaviours],
                           for_results=for_results, active=active)


# ---------------------------------------------------------------- the rules, on plain values


def test_weak_behaviours_are_below_first_then_as_expected_in_official_order():
    ratings = {B.COLLABORATIVE: R.BELOW, B.SERVICE: R.AS_EXPECTED, B.ACCOUNTABLE: R.BELOW,
               B.LOYAL: R.ABOVE, B.ADAPTIVE: R.AS_EXPECTED}
    assert development.weak_behaviours(ratings) == [B.ACCOUNTABLE, B.COLLABORATIVE, B.SERVICE,
                                                    B.ADAPTIVE]


def test_courses_for_the_weakest_behaviours_come_first():
    courses = [course(1, "Pelayanan Prima", [B.SERVICE]),
               course(2, "Etika dan Integritas", [B.ACCOUNTABLE]),
               course(3, "Kerja Sama Tim", [B.COLLABORATIVE, B.HARMONIOUS]),
               course(4, "Wawasan Kebangsaan", [B.LOYAL])]
    ratings = {B.SERVICE: R.AS_EXPECTED, B.ACCOUNTABLE: R.BELOW, B.COLLABORATIVE: R.BELOW,
               B.HARMONIOUS: R.BELOW, B.LOYAL: R.ABOVE}
    found = development.suggest(courses, ratings, results_below=False)
    # Two weak values beat one; values rated Sesuai come after; strengths suggest nothing.
    assert [s.course.id for s in found] == [3, 2, 1]
    assert found[0].below == (B.HARMONIOUS, B.COLLABORATIVE)
    assert found[2].below == () and found[2].as_expected == (B.SERVICE,)


def test_result_courses_only_when_results_were_below():
    courses = [course(1, "Penyusunan SKP", for_results=True),
               course(2, "Pelayanan Prima", [B.SERVICE]),
               course(3, "Etika", [B.ACCOUNTABLE])]
    ratings = {B.SERVICE: R.AS_EXPECTED, B.ACCOUNTABLE: R.BELOW}
    with_results = development.suggest(courses, ratings, results_below=True)
    assert [s.course.id for s in with_results] == [3, 1, 2]
    assert with_results[1].for_results
    without = development.suggest(courses, ratings, results_below=False)
    assert [s.course.id for s in without] == [3, 2]


def test_butuh_perbaikan_with_good_behaviour_suggests_result_courses_first():
    courses = [course(1, "Pelayanan Prima", [B.SERVICE]),
               course(2, "Manajemen Waktu", [B.ACCOUNTABLE], for_results=True)]
    ratings = dict.fromkeys(B, R.AS_EXPECTED)
    found = development.suggest(courses, ratings, results_below=True)
    assert [s.course.id for s in found] == [2, 1]


def test_inactive_and_excluded_courses_are_never_suggested():
    courses = [course(1, "Lama", [B.SERVICE], active=False),
               course(2, "Lama untuk hasil", for_results=True, active=False),
               course(3, "Pelayanan Prima", [B.SERVICE]),
               course(4, "Sudah direncanakan", [B.SERVICE])]
    ratings = {B.SERVICE: R.BELOW}
    found = development.suggest(courses, ratings, results_below=True, exclude=[4])
    assert [s.course.id for s in found] == [3]


def test_suggestions_are_limited_and_ignore_unknown_behaviour_values():
    courses = [course(n, f"Kursus {n:02d}", [B.SERVICE]) for n in range(12)]
    courses.append(SimpleNamespace(id=99, title="Aneh", behaviours=["tidak_ada"],
                                   for_results=False, active=True))
    found = development.suggest(courses, {B.SERVICE: R.BELOW}, False, limit=5)
    assert [s.course.title for s in found] == [f"Kursus {n:02d}" for n in range(5)]
    assert len(development.suggest(courses, {B.SERVICE: R.BELOW}, False, limit=None)) == 12


def test_nothing_is_suggested_for_strengths():
    courses = [course(1, "Pelayanan Prima", [B.SERVICE])]
    assert development.suggest(courses, dict.fromkeys(B, R.ABOVE), False) == []


# ---------------------------------------------------------------- fixtures for the database


def add_course(title="Pelayanan Prima", behaviours=(B.SERVICE,), *, for_results=False,
               active=True, hours=8, topic="Pelayanan publik"):
    found = TrainingCourse(title=title, topic=topic, hours=hours,
                           behaviours=[b.value for b in behaviours], for_results=for_results,
                           active=active)
    db.session.add(found)
    db.session.commit()
    return found


@pytest.fixture
def low(org, period):
    """Ani's March evaluation: results below, Akuntabel below, the rest as expected
    (Butuh Perbaikan)."""
    skp = make_skp(org.employee.employee, period, rhks=2)
    return make_evaluation(skp, point=3, result="di_bawah", behaviour="sesuai",
                           behaviours={B.ACCOUNTABLE: R.BELOW, B.LOYAL: R.ABOVE})


@pytest.fixture
def catalogue(app):
    return SimpleNamespace(
        service=add_course("Pelayanan Prima", (B.SERVICE,)),
        ethics=add_course("Etika dan Integritas ASN", (B.ACCOUNTABLE, B.LOYAL), topic="Integritas"),
        skp=add_course("Penyusunan SKP dan Indikator Kinerja", (), for_results=True,
                       topic="Manajemen kinerja"),
        old=add_course("Dasar Komputer (lama)", (B.ACCOUNTABLE,), active=False),
        nation=add_course("Wawasan Kebangsaan", (B.LOYAL,)),
    )


def audit_actions(prefix: str) -> list[str]:
    return list(db.session.scalars(db.select(AuditEvent.action)
                                   .where(AuditEvent.action.startswith(prefix))
                                   .order_by(AuditEvent.id)))


def plan_for(evaluation, user, courses, goals="Menyelesaikan berkas tepat waktu"):
    return development.save_plan(user, evaluation, goals=goals,
                                 course_ids=[c.id for c in courses])


# ---------------------------------------------------------------- the catalogue


def test_hr_keeps_the_catalogue(login_as, org, catalogue):
    hr = login_as("hr")
    page = hr.get("/pelatihan")
    assert page.status_code == 200
    assert "Pelayanan Prima" in page.text and "Dasar Komputer (lama)" in page.text
    assert "/pelatihan/kebutuhan" in page.text
    created = hr.post("/pelatihan/baru", data={
        "title": "Komunikasi Efektif", "topic": "Komunikasi", "hours": "16",
        "behaviours": ["harmonis", "kolaboratif"], "active": "y"})
    assert created.status_code == 302
    found = db.session.scalar(db.select(TrainingCourse).where(
        TrainingCourse.title == "Komunikasi Efektif"))
    assert found.behaviours == ["harmonis", "kolaboratif"] and found.hours == 16 and found.active
    # Deactivating is unticking "Aktif".
    edited = hr.post(f"/pelatihan/{found.id}/ubah", data={
        "title": "Komunikasi Efektif", "topic": "Komunikasi", "hours": "16",
        "behaviours": ["harmonis"]})
    assert edited.status_code == 302
    db.session.refresh(found)
    assert not found.active and found.behaviours == ["harmonis"]
    assert audit_actions("training_course.") == ["training_course.created",
                                                 "training_course.deactivated"]
    assert hr.get(f"/pelatihan/{found.id}/ubah").status_code == 200


@pytest.mark.parametrize(("data", "message"), [
    ({"title": "Pelayanan prima", "topic": "X", "hours": "8", "behaviours": ["loyal"]},
     "sudah ada di katalog"),
    ({"title": "Baru", "topic": "X", "hours": "8"}, "paling sedikit satu nilai BerAKHLAK"),
    ({"title": "Baru", "topic": "X", "hours": "0", "behaviours": ["loyal"]}, "field-error"),
    ({"title": "Baru", "topic": "X", "hours": "banyak", "behaviours": ["loyal"]}, "field-error"),
    ({"title": "Baru", "topic": "X", "hours": "8", "behaviours": ["bukan_nilai"]}, "field-error"),
    ({"title": "", "topic": "X", "hours": "8", "behaviours": ["loyal"]}, "field-error"),
])
def test_bad_course_input_is_a_400_with_a_message(login_as, catalogue, data, message):
    response = login_as("hr").post("/pelatihan/baru", data=data)
    assert response.status_code == 400
    assert message in response.text
    assert db.session.scalar(db.select(db.func.count(TrainingCourse.id))) == 5


def test_only_hr_keeps_the_catalogue(login_as, org, catalogue):
    for role in ("employee", "supervisor", "head", "admin"):
        client = login_as(role)
        assert client.get("/pelatihan").status_code == 403
        assert client.post("/pelatihan/baru", data={"title": "X"}).status_code == 403
        assert client.post(f"/pelatihan/{catalogue.service.id}/ubah").status_code == 403
    with pytest.raises(NotAllowed):
        development.save_course(org.supervisor, None, title="X", topic="Y", hours=8,
                                behaviours=["loyal"])


def test_hr_sees_the_catalogue_link_in_the_manage_menu(login_as, org):
    assert 'href="/pelatihan"' in login_as("hr").get("/").text
    assert 'href="/pelatihan"' not in login_as("supervisor").get("/").text


# ---------------------------------------------------------------- plans


def test_the_appraiser_sees_suggestions_weakest_first(login_as, low, catalogue):
    page = login_as("supervisor").get(f"/penilaian/{low.id}/pengembangan")
    assert page.status_code == 200
    text = page.text
    # Akuntabel (below) -> Etika first; results below -> SKP course; Sesuai -> Pelayanan Prima.
    assert text.index("Etika dan Integritas ASN") < text.index("Penyusunan SKP dan Indikator")
    assert text.index("Penyusunan SKP dan Indikator") < text.index("Pelayanan Prima")
    assert "Dasar Komputer (lama)" not in text  # inactive
    assert "Buat rencana" in text


def test_the_appraiser_creates_a_plan_which_is_audited_and_notified(login_as, org, low, catalogue):
    response = login_as("supervisor").post(f"/penilaian/{low.id}/pengembangan", data={
        "goals": "Berkas selesai tepat waktu", "planned_for": "2026-05-04",
        "course_ids": [str(catalogue.ethics.id), str(catalogue.skp.id)]})
    assert response.status_code == 302
    plan = development.plan_for_evaluation(low)
    assert plan.goals == "Berkas selesai tepat waktu" and plan.employee_id == low.employee_id
    assert [(r.course.title, r.status, r.planned_for) for r in plan.trainings] == [
        ("Etika dan Integritas ASN", TrainingStatus.PLANNED, date(2026, 5, 4)),
        ("Penyusunan SKP dan Indikator Kinerja", TrainingStatus.PLANNED, date(2026, 5, 4))]
    assert audit_actions("development_plan.") == ["development_plan.created"]
    assert audit_actions("training.") == ["training.planned", "training.planned"]
    notice = db.session.scalar(db.select(Notification).where(
        Notification.user_id == org.employee.id))
    assert notice.kind == "development_plan" and notice.link == f"/penilaian/{low.id}/pengembangan"
    # The employee sees the plan, without the planner's form.
    own = login_as("employee").get(f"/penilaian/{low.id}/pengembangan")
    assert own.status_code == 200
    assert "Berkas selesai tepat waktu" in own.text and "Simpan rencana" not in own.text
    assert development.plans_of(org.employee.employee) == [plan]
    # Adding to the plan: planned courses are not offered again, nor added twice.
    again = login_as("supervisor")
    shown = again.get(f"/penilaian/{low.id}/pengembangan").text
    assert f'value="{catalogue.ethics.id}"' not in shown
    assert again.post(f"/penilaian/{low.id}/pengembangan", data={
        "goals": "Berkas selesai tepat waktu",
        "course_ids": [str(catalogue.ethics.id), str(catalogue.service.id)]}).status_code == 302
    db.session.expire_all()
    assert len(development.plan_for_evaluation(low).trainings) == 3
    assert audit_actions("development_plan.") == ["development_plan.created",
                                                  "development_plan.updated"]


def test_hr_may_make_a_plan_too(login_as, low, catalogue):
    response = login_as("hr").post(f"/penilaian/{low.id}/pengembangan", data={
        "course_ids": [str(catalogue.service.id)]})
    assert response.status_code == 302
    assert development.plan_for_evaluation(low) is not None


def test_a_plan_is_refused_for_a_draft_or_a_good_predikat(login_as, org, period, catalogue):
    skp = make_skp(org.employee.employee, period, rhks=1)
    draft = make_evaluation(skp, point=1)
    good = make_evaluation(skp, point=2, result="sesuai", behaviour="sesuai")
    supervisor = login_as("supervisor")
    refused = supervisor.post(f"/penilaian/{draft.id}/pengembangan",
                              data={"course_ids": [str(catalogue.service.id)]})
    assert refused.status_code == 400 and "masih draf" in refused.text
    refused = supervisor.post(f"/penilaian/{good.id}/pengembangan",
                              data={"course_ids": [str(catalogue.service.id)]})
    assert refused.status_code == 400
    assert "tidak memerlukan rencana pengembangan" in refused.text
    # The page itself explains, without a form.
    shown = supervisor.get(f"/penilaian/{good.id}/pengembangan")
    assert shown.status_code == 200 and "tidak memerlukan" in shown.text
    assert "Simpan rencana" not in shown.text
    assert db.session.scalar(db.select(db.func.count(DevelopmentPlan.id))) == 0


@pytest.mark.parametrize(("data", "message"), [
    ({}, "Isi sasaran pengembangan atau pilih"),
    ({"course_ids": ["abc"]}, "Periksa kembali"),
    ({"course_ids": ["999999"]}, "tidak ada atau sudah nonaktif"),
    ({"planned_for": "2026-04-01", "goals": "x"}, "sebelum hari ini"),
    ({"planned_for": "kemarin", "goals": "x"}, "Periksa kembali"),
    ({"goals": "x" * 2001}, "Periksa kembali"),
])
def test_bad_plan_input_is_a_400_with_a_message(login_as, low, catalogue, data, message):
    response = login_as("supervisor").post(f"/penilaian/{low.id}/pengembangan", data=data)
    assert response.status_code == 400
    assert message in response.text
    assert development.plan_for_evaluation(low) is None


def test_an_inactive_course_cannot_be_planned(login_as, low, catalogue):
    response = login_as("supervisor").post(f"/penilaian/{low.id}/pengembangan", data={
        "course_ids": [str(catalogue.old.id)]})
    assert response.status_code == 400
    assert "sudah nonaktif" in response.text


def test_who_may_see_and_make_a_plan(app, login_as, org, low, catalogue):
    url = f"/penilaian/{low.id}/pengembangan"
    for role in ("employee", "supervisor", "head", "hr"):
        assert login_as(role).get(url).status_code == 200, role
    for role in ("admin", "outsider", "teammate"):
        assert login_as(role).get(url).status_code == 403, role
    data = {"course_ids": [str(catalogue.service.id)]}
    for role in ("employee", "head", "admin", "outsider", "teammate"):
        assert login_as(role).post(url, data=data).status_code == 403, role
    assert development.plan_for_evaluation(low) is None
    # Seeing the plan is not making it.
    assert "Simpan rencana" not in login_as("head").get(url).text
    assert login_as("hr").get("/penilaian/999999/pengembangan").status_code == 404


# ---------------------------------------------------------------- training records


@pytest.fixture
def planned(org, low, catalogue):
    plan = plan_for(low, org.supervisor, [catalogue.ethics])
    return plan.trainings[0]


def record_url(record):
    return f"/pengembangan/pelatihan/{record.id}"


def done_data(record, **overrides):
    data = {"completed_on": "2026-04-08", "hours": "12", "certificate_number": "BKPSDM/123/2026",
            "note": "Diikuti penuh"}
    data.update(overrides)
    return {f"r{record.id}-{k}": v for k, v in data.items()}


def test_the_employee_records_training_done_with_a_certificate(app, login_as, org, planned):
    data = done_data(planned)
    data[f"r{planned.id}-certificate"] = (io.BytesIO(PDF_BYTES), "sertifikat etika.pdf")
    response = login_as("employee").post(record_url(planned), data=data,
                                         content_type="multipart/form-data")
    assert response.status_code == 302
    db.session.refresh(planned)
    assert planned.status is TrainingStatus.DONE
    assert (planned.completed_on, planned.hours, planned.certificate_number) == (
        date(2026, 4, 8), 12, "BKPSDM/123/2026")
    file = db.session.get(Evidence, planned.certificate_evidence_id)
    assert file.original_name == "sertifikat etika.pdf" and file.owner_id == planned.employee_id
    assert audit_actions("training.") == ["training.planned", "training.completed"]
    assert "evidence.uploaded" in audit_actions("evidence.")
    url = f"{record_url(planned)}/sertifikat"
    for role in ("employee", "supervisor", "head", "hr"):
        got = login_as(role).get(url)
        assert got.status_code == 200, role
        assert got.data == PDF_BYTES
        assert got.headers["Content-Security-Policy"] == "sandbox"
        assert "attachment" in got.headers["Content-Disposition"]
    for role in ("teammate", "outsider", "admin"):
        assert login_as(role).get(url).status_code == 403, role
    page = login_as("supervisor").get(f"/penilaian/{planned.plan.evaluation_id}/pengembangan")
    assert url in page.text and "BKPSDM/123/2026" in page.text


def test_a_new_certificate_replaces_the_old_file(app, login_as, org, planned):
    client = login_as("employee")
    first = done_data(planned)
    first[f"r{planned.id}-certificate"] = (io.BytesIO(PDF_BYTES), "lama.pdf")
    assert client.post(record_url(planned), data=first,
                       content_type="multipart/form-data").status_code == 302
    db.session.refresh(planned)
    old = db.session.get(Evidence, planned.certificate_evidence_id)
    old_path = evidence.path_of(old)
    assert old_path.is_file()
    second = done_data(planned)
    second[f"r{planned.id}-certificate"] = (io.BytesIO(PDF_BYTES + b"2"), "baru.pdf")
    assert client.post(record_url(planned), data=second,
                       content_type="multipart/form-data").status_code == 302
    db.session.expire_all()
    assert not old_path.exists()
    assert [e.original_name for e in db.session.scalars(db.select(Evidence))] == ["baru.pdf"]


def test_no_certificate_is_a_404(login_as, planned):
    assert login_as("employee").get(f"{record_url(planned)}/sertifikat").status_code == 404


@pytest.mark.parametrize(("overrides", "message"), [
    ({"completed_on": ""}, "Isi tanggal selesai"),
    ({"completed_on": "2026-04-11"}, "tidak boleh setelah hari ini"),
    ({"completed_on": "tanggal"}, "Periksa kembali"),
    ({"hours": ""}, "Jumlah jam pelajaran"),
    ({"hours": "0"}, "Periksa kembali"),
    ({"certificate_number": "x" * 101}, "Periksa kembali"),
])
def test_bad_record_input_is_a_400_with_a_message(login_as, planned, overrides, message):
    response = login_as("employee").post(record_url(planned), data=done_data(planned, **overrides))
    assert response.status_code == 400
    assert message in response.text
    db.session.refresh(planned)
    assert planned.status is TrainingStatus.PLANNED


def test_a_certificate_that_is_not_a_document_is_refused(app, login_as, planned):
    data = done_data(planned)
    data[f"r{planned.id}-certificate"] = (io.BytesIO(HTML_BYTES), "sertifikat.pdf")
    response = login_as("employee").post(record_url(planned), data=data,
                                         content_type="multipart/form-data")
    assert response.status_code == 400
    assert "Jenis berkas tidak diterima" in response.text
    assert db.session.scalar(db.select(db.func.count(Evidence.id))) == 0


def test_a_too_large_certificate_is_a_413(app, login_as, planned):
    app.config["EVIDENCE_MAX_BYTES"] = 20
    data = done_data(planned)
    data[f"r{planned.id}-certificate"] = (io.BytesIO(PDF_BYTES), "sertifikat.pdf")
    response = login_as("employee").post(record_url(planned), data=data,
                                         content_type="multipart/form-data")
    assert response.status_code == 413
    assert "Berkas melebihi" in response.text


def test_the_employee_only_records_completion(org, planned):
    with pytest.raises(NotAllowed):
        development.update_record(org.employee, planned, status=TrainingStatus.CANCELLED,
                                  planned_for=None, completed_on=None, hours=None,
                                  certificate_number=None)
    with pytest.raises(NotAllowed):
        development.update_record(org.employee, planned, status=TrainingStatus.DONE,
                                  planned_for=date(2026, 6, 1), completed_on=date(2026, 4, 1),
                                  hours=8, certificate_number=None)


def test_the_appraiser_cancels_and_the_employee_can_no_longer_record(login_as, org, planned):
    response = login_as("supervisor").post(record_url(planned), data={
        f"r{planned.id}-status": "dibatalkan", f"r{planned.id}-planned_for": ""})
    assert response.status_code == 302
    db.session.refresh(planned)
    assert planned.status is TrainingStatus.CANCELLED
    refused = login_as("employee").post(record_url(planned), data=done_data(planned))
    assert refused.status_code == 400 and "dibatalkan" in refused.text
    assert audit_actions("training.") == ["training.planned", "training.cancelled"]
    # A cancelled course may be planned again.
    assert planned.course_id in {s.course.id for s in development.plan_page(
        org.supervisor, planned.plan.evaluation).suggestions}


def test_who_may_record_training(login_as, org, planned):
    for role in ("head", "teammate", "outsider", "admin"):
        assert login_as(role).post(record_url(planned),
                                   data=done_data(planned)).status_code == 403, role
    for role in ("supervisor", "hr"):
        assert login_as(role).post(record_url(planned), data=done_data(planned, **{
            "status": "selesai"})).status_code == 302, role
    assert login_as("hr").post("/pengembangan/pelatihan/999999").status_code == 404


# ---------------------------------------------------------------- training needs


@pytest.fixture
def needs(org, period, low, catalogue):
    """Ani (Bidang Pelayanan) plans Etika and SKP and has done Etika before; Rudi (the same
    section) has Etika planned; a clerk of another dinas has Etika done; Dewi (another dinas) is
    Sangat Kurang without a plan; Budi's annual evaluation is Baik (no plan needed)."""
    ani_plan = plan_for(low, org.supervisor, [catalogue.ethics, catalogue.skp])
    rudi_skp = make_skp(org.teammate.employee, period, rhks=1)
    rudi = make_evaluation(rudi_skp, point=3, result="sesuai", behaviour="di_bawah")
    plan_for(rudi, org.supervisor, [catalogue.ethics])
    clerk = make_employee("Sri Wahyuni", unit=org.other_dinas, supervisor=org.outsider.employee)
    make_user(clerk, username="sri")
    clerk_evaluation = make_evaluation(make_skp(clerk, period, rhks=1), point=3,
                                       result="di_bawah", behaviour="sesuai")
    clerk_plan = plan_for(clerk_evaluation, org.hr, [catalogue.ethics])
    clerk_plan.trainings[0].status = TrainingStatus.DONE
    clerk_plan.trainings[0].hours = 12
    dewi = make_evaluation(make_skp(org.outsider.employee, period, rhks=1), point=3,
                           result="di_bawah", behaviour="di_bawah")
    make_evaluation(make_skp(org.supervisor.employee, period, rhks=1), annual=True,
                    result="sesuai", behaviour="sesuai")
    db.session.commit()
    return SimpleNamespace(ani_plan=ani_plan, dewi=dewi)


def test_the_needs_report_counts_people_per_course_and_unit(org, period, needs, catalogue):
    report = development.training_needs(org.hr, period)
    by_title = {n.course.title: n for n in report.courses}
    ethics = by_title["Etika dan Integritas ASN"]
    assert (ethics.planned, ethics.done, ethics.hours_done) == (2, 1, 12)
    assert {(u.unit_name, u.planned, u.done) for u in ethics.units} == {
        ("Bidang Pelayanan", 2, 0), ("Dinas Kesehatan", 0, 1)}
    skp = by_title["Penyusunan SKP dan Indikator Kinerja"]
    assert (skp.planned, skp.done) == (1, 0)
    assert report.courses[0].course.title == "Etika dan Integritas ASN"  # most people first
    # Active courses nobody needs are listed; an inactive unused course is not.
    assert by_title["Wawasan Kebangsaan"].planned == 0
    assert "Dasar Komputer (lama)" not in by_title
    assert [(m.employee.name, m.predikat.value) for m in report.missing] == [
        ("Dewi Kartika", "sangat_kurang")]
    assert report.missing[0].evaluation_id == needs.dewi.id


def test_the_predikat_for_the_period_decides_who_still_needs_a_plan(org, period, needs):
    # Dewi's annual evaluation is Baik: her periodic Sangat Kurang no longer counts.
    make_evaluation(needs.dewi.skp, annual=True, result="sesuai", behaviour="sesuai")
    assert development.training_needs(org.hr, period).missing == []
    # A later periodic evaluation of Budi that is Kurang does not beat his annual Baik.
    make_evaluation(make_skp(org.head.employee, period, rhks=1), point=2,
                    result="di_bawah", behaviour="di_bawah")
    make_evaluation(db.session.scalar(db.select(DevelopmentPlan)).evaluation.skp, point=4,
                    status=None)  # a draft never counts
    missing = development.training_needs(org.hr, period).missing
    assert [m.employee.name for m in missing] == ["Hj. Siti Rahmawati"]


def test_the_needs_page_and_its_excel(login_as, org, period, needs):
    hr = login_as("hr")
    page = hr.get("/pelatihan/kebutuhan")
    assert page.status_code == 200
    assert "Etika dan Integritas ASN" in page.text and "Dewi Kartika" in page.text
    assert f"/penilaian/{needs.dewi.id}/pengembangan" in page.text
    assert hr.get(f"/pelatihan/kebutuhan?periode={period.id}").status_code == 200
    response = hr.get(f"/pelatihan/kebutuhan.xlsx?periode={period.id}")
    assert response.status_code == 200
    assert response.mimetype == ("application/vnd.openxmlformats-officedocument"
                                 ".spreadsheetml.sheet")
    assert "kebutuhan-pelatihan-2026.xlsx" in response.headers["Content-Disposition"]
    book = load_workbook(io.BytesIO(response.data))
    assert book.sheetnames == ["Per pelatihan", "Per unit", "Belum ada rencana"]
    rows = list(book["Per pelatihan"].iter_rows(values_only=True))
    ethics = next(r for r in rows if r[0] == "Etika dan Integritas ASN")
    assert ethics[5:8] == (2, 1, 12)  # planned, done: numbers, not text
    units = {r[1]: r[2:] for r in book["Per unit"].iter_rows(min_row=2, values_only=True)
             if r[0] == "Etika dan Integritas ASN"}
    assert units == {"Bidang Pelayanan": (2, 0), "Dinas Kesehatan": (0, 1)}
    missing = list(book["Belum ada rencana"].iter_rows(min_row=2, values_only=True))
    assert [(r[1], r[2], r[3]) for r in missing] == [
        ("Dewi Kartika", "Dinas Kesehatan", "Sangat Kurang")]
    assert missing[0][0] == org.outsider.employee.nip


def test_the_needs_report_is_for_hr_only(login_as, org, period, needs):
    for role in ("employee", "supervisor", "head", "admin"):
        client = login_as(role)
        assert client.get("/pelatihan/kebutuhan").status_code == 403, role
        assert client.get("/pelatihan/kebutuhan.xlsx").status_code == 403, role
    with pytest.raises(NotAllowed):
        development.training_needs(org.head, period)


@pytest.mark.parametrize("value", ["999999", "abc"])
def test_an_unknown_period_is_a_400(login_as, period, value):
    response = login_as("hr").get(f"/pelatihan/kebutuhan?periode={value}")
    assert response.status_code == 400
    assert "Periode tidak ditemukan" in response.text
    assert login_as("hr").get(f"/pelatihan/kebutuhan.xlsx?periode={value}").status_code == 400


def test_the_needs_report_without_any_period(login_as, org):
    page = login_as("hr").get("/pelatihan/kebutuhan")
    assert page.status_code == 200 and "Belum ada periode kinerja" in page.text
    assert login_as("hr").get("/pelatihan/kebutuhan.xlsx").status_code == 200


def test_the_needs_report_reads_a_fixed_number_of_queries(app, login_as, org, period, catalogue):
    hr = login_as("hr")

    def queries() -> int:
        statements = []

        def count(*args):
            statements.append(args[2])

        event.listen(db.engine, "before_cursor_execute", count)
        try:
            assert hr.get(f"/pelatihan/kebutuhan?periode={period.id}").status_code == 200
        finally:
            event.remove(db.engine, "before_cursor_execute", count)
        return len(statements)

    unit = make_unit("Kecamatan Tanjung Selor")
    boss = make_employee("Camat", unit=unit)
    db.session.commit()

    def add_people(n, start):
        for i in range(n):
            person = make_employee(f"Staf {start + i}", unit=unit, supervisor=boss)
            evaluation = make_evaluation(make_skp(person, period, rhks=1), point=3,
                                         result="di_bawah", behaviour="di_bawah")
            if i % 2:
                plan_for(evaluation, org.hr, [catalogue.ethics, catalogue.service])

    add_people(2, 0)
    few = queries()
    add_people(12, 10)
    assert queries() == few


# ---------------------------------------------------------------- services for other pages


def test_plan_for_evaluation_and_plans_of(org, low, catalogue):
    assert development.plan_for_evaluation(low) is None
    assert development.plans_of(org.employee.employee) == []
    plan = plan_for(low, org.supervisor, [catalogue.service])
    assert development.plan_for_evaluation(low) == plan
    assert development.plans_of(org.employee.employee) == [plan]
    assert development.plans_of(org.teammate.employee) == []


def test_the_service_refuses_what_the_rules_refuse(org, period, low, catalogue):
    with pytest.raises(NotAllowed):
        plan_for(low, org.employee, [catalogue.service])
    with pytest.raises(NotAllowed):
        plan_for(low, org.head, [catalogue.service])
    skp = make_skp(org.teammate.employee, period, rhks=1)
    draft = make_evaluation(skp, point=1)
    with pytest.raises(RuleViolation, match="masih draf"):
        plan_for(draft, org.supervisor, [catalogue.service])


def test_the_demo_catalogue(app):
    from kinerja.demo.development import seed_training_catalogue
    added = seed_training_catalogue()
    db.session.commit()
    assert len(added) >= 12
    values = {b.value for b in Behaviour}
    assert all(set(c.behaviours) <= values and (c.behaviours or c.for_results) for c in added)
    # Every value has an active course, and so do weak results.
    active = [c for c in added if c.active]
    assert {v for c in active for v in c.behaviours} == values
    assert any(c.for_results for c in active)
    assert seed_training_catalogue() == []  # idempotent
    assert db.session.scalar(db.select(db.func.count(TrainingRecord.id))) == 0


def test_the_evaluation_page_section_and_the_plan_list(app, org, low, catalogue):
    from flask import render_template_string
    from flask_login import login_user

    from kinerja.organisation import sessions
    page = ('{% from "portal/development/_macros.html" import plan_list %}'
            '{% include "portal/development/_evaluation_section.html" %}{{ plan_list(plans) }}')
    with app.test_request_context():
        sessions.start(org.supervisor, None, None)
        login_user(org.supervisor)
        section = development.section_for(org.supervisor, low)
        assert section.needed and section.can_plan and section.plan is None
        html = render_template_string(page, extras={"development": section}, plans=[])
        assert "Buat rencana pengembangan" in html
        assert f"/penilaian/{low.id}/pengembangan" in html
        plan = plan_for(low, org.supervisor, [catalogue.ethics], goals="Tepat waktu")
        shown = development.section_for(org.employee, low)
        assert shown.plan == plan and not shown.can_plan
        html = render_template_string(page, extras={"development": shown},
                                      plans=development.plans_of(org.employee.employee))
        assert html.count("Etika dan Integritas ASN") == 2 and "Tepat waktu" in html
        skp = make_skp(org.teammate.employee, low.period, rhks=1)
        good = make_evaluation(skp, point=3, result="sesuai", behaviour="sesuai")
        assert development.section_for(org.supervisor, good) is None
        html = render_template_string(page, extras={"development": None}, plans=[])
        assert "Rencana pengembangan" not in html


def test_who_sees_the_record_form(login_as, planned):
    url = f"/penilaian/{planned.plan.evaluation_id}/pengembangan"
    own = login_as("employee").get(url).text
    assert "Catat selesai" in own and f'name="r{planned.id}-status"' not in own
    planner = login_as("supervisor").get(url).text
    assert f'name="r{planned.id}-status"' in planner
    assert f"/pengembangan/pelatihan/{planned.id}" not in login_as("head").get(url).text

"""The annex forms of PermenPANRB 6/2022 on paper: the leader's ekspektasi khusus and the three
panduan perilaku per BerAKHLAK value, the Lampiran SKP, the umpan balik berkelanjutan recorded
during the year, the organisation's capaian and pola distribusi, a JPT's plan by perspective, the
kualitatif approach, and the place of signing taken from the kabupaten's identity only."""
from datetime import date

import pytest

from kinerja.appraisal import appraisal_documents as documents
from kinerja.appraisal import skp_annex
from kinerja.appraisal.models import EvaluationKind, UnitPredikat
from kinerja.appraisal.predikat import Behaviour, OrganisationPredikat
from kinerja.core.errors import NotAllowed, RuleViolation
from kinerja.extensions import db
from kinerja.organisation import identity
from kinerja.organisation.asn import PositionKind
from kinerja.organisation.models import UnitKind
from kinerja.performance import dialogue, perspectives, realisation, skp_workflow
from kinerja.performance.models import Perspective, SkpStatus
from tests.appraisal import test_documents
from tests.appraisal.test_documents import NOW, bulungan, flat, pdf_text
from tests.builders import make_employee, make_evaluation, make_skp, make_unit

pytestmark = pytest.mark.usefixtures("frozen_clock")
__all__ = ["NOW"]   # the frozen clock's moment, the same as the documents' tests
plan = test_documents.plan   # Ani's approved SKP derived from Budi's, with activities


def skp_pdf(login_as, skp, role="employee") -> str:
    response = login_as(role).get(f"/skp/{skp.id}/pdf")
    assert response.status_code == 200
    return flat(pdf_text(response.data))


def evaluation_pdf(login_as, evaluation, role="supervisor") -> str:
    response = login_as(role).get(f"/penilaian/{evaluation.id}/pdf")
    assert response.status_code == 200
    return flat(pdf_text(response.data))


# ---------------------------------------------------------------- perilaku kerja on the SKP


def test_the_skp_prints_each_value_with_its_panduan_and_the_leaders_ekspektasi(login_as, org, plan):
    skp = plan[0]
    skp_annex.save_expectations(org.supervisor, skp, {
        "akuntabel": "Laporan pelayanan diserahkan setiap Jumat sebelum pukul 15.00",
        "kolaboratif": "Membimbing dua pegawai baru di loket"})
    text = skp_pdf(login_as, skp)
    assert "Laporan pelayanan diserahkan setiap Jumat sebelum pukul 15.00" in text
    assert "Membimbing dua pegawai baru di loket" in text
    # The three guides of a value, as the annex prints them under it.
    for guide in ("Tidak menyalahgunakan kewenangan jabatan.", "Membantu orang lain belajar.",
                  "Menjaga rahasia jabatan dan negara.", "Bertindak proaktif."):
        assert guide in text, guide


def test_the_ekspektasi_khusus_are_the_approvers_to_set(org, plan):
    skp = plan[0]
    with pytest.raises(NotAllowed):
        skp_annex.save_expectations(org.employee, skp, {"loyal": "Menjaga nama baik dinas"})
    with pytest.raises(NotAllowed):
        skp_annex.save_expectations(org.teammate, skp, {"loyal": "Menjaga nama baik dinas"})
    skp_annex.save_expectations(org.supervisor, skp, {"loyal": "Menjaga nama baik dinas"})
    assert skp_annex.expectations_of(skp) == {Behaviour.LOYAL: "Menjaga nama baik dinas"}
    # Setting them is the leader's word, not a revision of the employee's plan.
    assert (skp.status, skp.version) == (SkpStatus.APPROVED, 1)
    skp_annex.save_expectations(org.supervisor, skp, {"loyal": ""})
    assert skp_annex.expectations_of(skp) == {}


# ---------------------------------------------------------------- Lampiran SKP


def test_the_lampiran_skp_is_printed_with_the_plan(login_as, org, plan):
    skp = plan[0]
    skp_annex.save_attachment(
        org.employee, skp, resource_support="Printer blanko KTP-el dan akses SIAK terpusat",
        accountability="Laporan bulanan kepada Kepala Bidang melalui aplikasi",
        consequences="Target tidak tercapai dibahas dalam dialog kinerja bulan berikutnya")
    text = skp_pdf(login_as, skp)
    for words in ("LAMPIRAN SASARAN KINERJA PEGAWAI", "DUKUNGAN SUMBER DAYA",
                  "SKEMA PERTANGGUNGJAWABAN", "KONSEKUENSI",
                  "Printer blanko KTP-el dan akses SIAK terpusat",
                  "Laporan bulanan kepada Kepala Bidang melalui aplikasi",
                  "Target tidak tercapai dibahas dalam dialog kinerja bulan berikutnya"):
        assert words in text, words


def test_the_lampiran_changes_like_the_plan(org, plan):
    skp = plan[0]
    with pytest.raises(NotAllowed):
        skp_annex.save_attachment(org.supervisor, skp, resource_support="Mobil dinas",
                                  accountability=None, consequences=None)
    # Agreed with the plan: changing an approved SKP's Lampiran starts its next version.
    skp_annex.save_attachment(org.employee, skp, resource_support="Mobil dinas",
                              accountability=None, consequences=None)
    assert (skp.status, skp.version, skp.resource_support) == (SkpStatus.DRAFT, 2, "Mobil dinas")


# ---------------------------------------------------------------- the dokumen evaluasi


def test_the_evaluation_prints_the_umpan_balik_recorded_during_the_year(app, login_as, org, plan):
    skp, main, _quality, _extra = plan
    dialogue.add_feedback(org.supervisor, main, 3, "Antrean pagi sudah lebih cepat; pertahankan")
    dialogue.add_feedback(org.supervisor, main, 2, "Berkas Februari banyak yang tertunda")
    dialogue.add_dialogue(org.supervisor, skp, held_on=date(2026, 3, 20),
                          notes="Membahas penumpukan berkas akta", follow_up="Jadwal piket sore")
    march = make_evaluation(skp, point=3, result="sesuai", behaviour="sesuai")
    text = evaluation_pdf(login_as, march)
    assert "UMPAN BALIK BERKELANJUTAN" in text
    assert "Antrean pagi sudah lebih cepat; pertahankan" in text
    assert "Membahas penumpukan berkas akta" in text and "Jadwal piket sore" in text
    assert "Berkas Februari banyak yang tertunda" not in text   # another month's
    annual = make_evaluation(skp, annual=True, result="sesuai", behaviour="sesuai")
    text = evaluation_pdf(login_as, annual)
    assert "Berkas Februari banyak yang tertunda" in text
    assert "Antrean pagi sudah lebih cepat; pertahankan" in text


def test_the_evaluation_prints_the_organisations_capaian_and_pola_distribusi(login_as, org, plan,
                                                                             period):
    db.session.add(UnitPredikat(unit_id=org.dinas.id, period_id=period.id,
                                kind=EvaluationKind.PERIODIC, point=3,
                                predikat=OrganisationPredikat.GOOD,
                                leader_id=org.head.employee_id))
    db.session.commit()
    evaluation = make_evaluation(plan[0], point=3, result="sesuai", behaviour="sesuai")
    text = evaluation_pdf(login_as, evaluation)
    assert "CAPAIAN KINERJA ORGANISASI" in text and "POLA DISTRIBUSI" in text
    assert "Baik — Dinas Kependudukan dan Pencatatan Sipil" in text
    assert "B: paling banyak 70%" in text


def test_the_evaluation_form_shows_the_panduan_beside_each_value(login_as, org, plan):
    evaluation = make_evaluation(plan[0], point=5)
    page = login_as("supervisor").get(f"/penilaian/{evaluation.id}").get_data(as_text=True)
    assert "Melakukan perbaikan tiada henti." in page
    assert "Menggerakkan pemanfaatan berbagai sumber daya untuk tujuan bersama." in page


# ---------------------------------------------------------------- the place of signing


def test_the_place_of_signing_comes_from_the_identity_only(login_as, org, plan, monkeypatch):
    skp = plan[0]
    org.dinas.parent = make_unit("Sekretariat Daerah Kabupaten Bulungan", kind=UnitKind.SEKRETARIAT)
    db.session.commit()
    for name in ("KINERJA_SIGNING_PLACE", "SIGNING_PLACE", "DOCUMENT_PLACE", "KINERJA_PLACE"):
        monkeypatch.setenv(name, "Tanjung Selor")
    text = skp_pdf(login_as, skp)
    assert "Tanjung Selor" not in text
    assert "Bulungan, 10 Januari 2026" not in text   # not guessed from the regency's name
    assert "................, 10 Januari 2026" in text   # left for the signer to write
    bulungan(org, place="Tanjung Redeb")
    assert "Tanjung Redeb, 10 Januari 2026" in skp_pdf(login_as, skp)
    evaluation = make_evaluation(skp, point=3, result="sesuai", behaviour="sesuai")
    assert "Tanjung Redeb, " in evaluation_pdf(login_as, evaluation)
    assert identity.current().place == "Tanjung Redeb"


# ---------------------------------------------------------------- JPT and perspectives


def test_a_jpt_is_known_by_the_jenis_jabatan_or_else_as_head_of_an_opd(org):
    head, section_head = org.head.employee, org.supervisor.employee
    assert perspectives.is_jpt(head)             # heads a dinas, no jenis jabatan recorded
    assert not perspectives.is_jpt(section_head)  # heads a bidang
    head.position_kind = PositionKind.ADMINISTRATOR
    section_head.position_kind = PositionKind.JPT_PRATAMA
    assert not perspectives.is_jpt(head) and perspectives.is_jpt(section_head)


def test_a_jpt_skp_groups_its_results_by_perspective(login_as, org, period):
    org.head.employee.position_kind = PositionKind.JPT_PRATAMA
    skp = make_skp(org.head.employee, period)
    budget = skp_workflow.save_rhk(org.head, skp, None, kind="utama", parent=None,
                                   text="Terserapnya anggaran dinas sesuai rencana",
                                   perspective=Perspective.BUDGET.value)
    served = skp_workflow.save_rhk(org.head, skp, None, kind="utama", parent=None,
                                   text="Meningkatnya kepuasan penerima layanan adminduk",
                                   perspective=Perspective.SERVICE_RECIPIENTS.value)
    unplaced = skp_workflow.save_rhk(org.head, skp, None, kind="utama", parent=None,
                                     text="Tertatanya arsip kependudukan")
    for rhk in (budget, served, unplaced):
        skp_workflow.save_indicator(org.head, rhk, None, aspect="kuantitas", text="Persentase",
                                    target="100", unit_of_measure="persen")
    assert "RHK 3 belum diberi perspektif." in map(str, skp_workflow.submission_problems(skp))
    text = skp_pdf(login_as, skp, role="head")
    assert "PEJABAT PIMPINAN TINGGI" in text
    recipients = text.index("Perspektif Penerima Layanan")
    anggaran = text.index("Perspektif Anggaran")
    assert recipients < text.index(served.text) < anggaran < text.index(budget.text)
    assert text.index("Belum diberi perspektif") < text.index(unplaced.text)


def test_only_a_jpt_plan_keeps_a_perspective(org, plan):
    skp, main = plan[0], plan[1]
    rhk = skp_workflow.save_rhk(org.employee, skp, main, kind="utama", text=main.text,
                                parent=f"rhk:{main.parent_rhk_id}", perspective="anggaran")
    assert rhk.perspective is None


# ---------------------------------------------------------------- the kualitatif approach


def test_a_qualitative_indicator_is_described_realised_in_words_and_printed(login_as, org, plan):
    skp, main = plan[0], plan[1]
    indicator = skp_workflow.save_indicator(
        org.employee, main, None, aspect="", target="", unit_of_measure="", qualitative=True,
        text="Kualitas koordinasi dengan Disdukcapil provinsi",
        target_text="Koordinasi berjalan tanpa keluhan dan dicatat dalam notulen")
    assert (indicator.qualitative, indicator.target, indicator.unit_of_measure) == (True, 0, "")
    with pytest.raises(RuleViolation) as refused:
        skp_workflow.save_indicator(org.employee, main, indicator, aspect="", target="",
                                    unit_of_measure="", qualitative=True, text="Koordinasi",
                                    target_text="  ")
    assert refused.value.field == "target_text"
    with pytest.raises(RuleViolation) as refused:
        realisation.save_realisation(org.employee, indicator, 3, value="4", narrative=None)
    assert refused.value.field == "value"
    realisation.save_realisation(org.employee, indicator, 3, value="",
                                 narrative="Dua rapat koordinasi, notulen terlampir")
    skp.status = SkpStatus.APPROVED
    db.session.commit()
    evaluation = make_evaluation(skp, point=3, result="sesuai", behaviour="sesuai")
    text = evaluation_pdf(login_as, evaluation)
    assert "PENDEKATAN HASIL KERJA KUANTITATIF DAN KUALITATIF" in text
    assert "Koordinasi berjalan tanpa keluhan dan dicatat dalam notulen" in text
    assert "Dua rapat koordinasi, notulen terlampir" in text
    assert "Kualitatif" in text


def test_the_document_values_carry_the_annex(app, org, plan):
    skp = plan[0]
    skp_annex.save_expectations(org.supervisor, skp, {"adaptif": "Memakai antrean daring"})
    with app.test_request_context():
        doc = documents.skp_document(skp)
    adaptive = next(row for row in doc.behaviours if row.name == "Adaptif")
    assert adaptive.expectation == "Memakai antrean daring"
    assert len(adaptive.guides) == 3 and all(len(row.guides) == 3 for row in doc.behaviours)
    assert not doc.jpt and doc.approach == "Pendekatan hasil kerja kuantitatif"


# ---------------------------------------------------------------- the SKP page


def test_the_skp_page_takes_the_lampiran_from_the_owner_and_the_ekspektasi_from_the_approver(
        login_as, org, plan):
    skp = plan[0]
    page = login_as("employee").get(f"/skp/{skp.id}").get_data(as_text=True)
    assert "Lampiran SKP" in page and "Melakukan perbaikan tiada henti." in page
    lampiran = {"resource_support": "Akses SIAK", "accountability": "Laporan mingguan",
                "consequences": ""}
    assert login_as("supervisor").post(f"/skp/{skp.id}/lampiran", data=lampiran).status_code == 403
    response = login_as("employee").post(f"/skp/{skp.id}/lampiran", data=lampiran)
    assert response.status_code == 302
    db.session.refresh(skp)
    assert (skp.resource_support, skp.accountability, skp.consequences) == (
        "Akses SIAK", "Laporan mingguan", None)
    too_long = login_as("employee").post(f"/skp/{skp.id}/lampiran",
                                         data=lampiran | {"consequences": "x" * 2001})
    assert too_long.status_code == 400
    wanted = {"harmonis": "Menengahi keluhan warga dengan tenang"}
    assert login_as("employee").post(f"/skp/{skp.id}/ekspektasi", data=wanted).status_code == 403
    assert login_as("supervisor").post(f"/skp/{skp.id}/ekspektasi", data=wanted).status_code == 302
    assert skp_annex.expectations_of(skp) == {Behaviour.HARMONIOUS: wanted["harmonis"]}
    page = login_as("employee").get(f"/skp/{skp.id}").get_data(as_text=True)
    assert "Menengahi keluhan warga dengan tenang" in page


def test_a_jpt_is_asked_for_the_perspective_of_each_result(login_as, org, period):
    skp = make_skp(org.head.employee, period)
    page = login_as("head").get(f"/skp/{skp.id}").get_data(as_text=True)
    assert "Perspektif Penerima Layanan" in page
    response = login_as("head").post(f"/skp/{skp.id}/rhk", data={
        "text": "Meningkatnya kepuasan masyarakat", "kind": "utama", "parent": "",
        "perspective": "penerima_layanan"})
    assert response.status_code == 302
    db.session.refresh(skp)
    assert skp.rhks[0].perspective is Perspective.SERVICE_RECIPIENTS
    employee_skp = make_skp(make_employee(unit=org.section, supervisor=org.supervisor.employee),
                            period)
    assert not perspectives.is_jpt(employee_skp.employee)

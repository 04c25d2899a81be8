"""Capaian kinerja organisasi (PermenPANRB 6/2022): set per evaluation point by the unit's own
leader, printed and signed; one distribution curve per point (never an annual result beside an
October one); a leader's hasil kerja rating follows the unit's capaian."""
import io

import pytest
import time_machine

from kinerja.appraisal import appraisal_documents, appraisals, distribution, unit_performance
from kinerja.appraisal import organisation_performance as capaian
from kinerja.appraisal.distribution import ANNUAL, At
from kinerja.appraisal.models import UnitPredikat
from kinerja.appraisal.predikat import OrganisationPredikat, Predikat, Rating
from kinerja.core.errors import NotAllowed, RuleViolation
from kinerja.extensions import db
from tests.appraisal.test_documents import flat, pdf_text
from tests.builders import make_evaluation, make_skp

OCTOBER, MARCH = At("periodik", 10), At("periodik", 3)
GOOD, EXCEPTIONAL = OrganisationPredikat.GOOD, OrganisationPredikat.EXCEPTIONAL


def rated(employee, period, result, behaviour, *, point=10, annual=False):
    skp = make_skp(employee, period, rhks=1)
    return make_evaluation(skp, point=point, annual=annual, result=result, behaviour=behaviour)


# ---------------------------------------------------------------- one curve per point


def test_an_annual_and_an_october_result_in_one_unit_do_not_mix(org, period):
    capaian.set_capaian(org.head, org.dinas, period, ANNUAL, GOOD)
    capaian.set_capaian(org.head, org.dinas, period, OCTOBER, GOOD)
    rated(org.employee.employee, period, "di_atas", "di_atas", annual=True)   # Ani: SB, the year
    rated(org.teammate.employee, period, "sesuai", "sesuai", point=10)        # Rudi: B, October
    year = distribution.distribution_status(org.dinas, period, at=ANNUAL)
    october = distribution.distribution_status(org.dinas, period, at=OCTOBER)
    assert (year.rated, year.counts[Predikat.VERY_GOOD], year.counts[Predikat.GOOD]) == (1, 1, 0)
    assert (october.rated, october.counts[Predikat.GOOD], october.counts[Predikat.VERY_GOOD]) \
        == (1, 1, 0)
    # The plain entry for the evaluation document says the same.
    assert distribution.distribution_for_point(org.dinas.id, 2026, "periodik", 10).rated == 1
    # The unit page and the recap count one point too.
    figures = unit_performance.figures_for([org.dinas], period, at=OCTOBER)[org.dinas.id]
    assert figures.rated == 1 and figures.counts[Predikat.VERY_GOOD] == 0
    recap = appraisal_documents.predikat_recap(org.hr, period, OCTOBER)
    section = next(line for line in recap.units if line.name == org.section.name)
    assert section.evaluated == 1 and section.counts[Predikat.GOOD] == 1


def test_the_warning_before_setting_counts_only_the_same_point(org, period):
    capaian.set_capaian(org.head, org.dinas, period, OCTOBER, GOOD)
    rated(org.teammate.employee, period, "di_atas", "di_atas", annual=True)   # SB, the year
    draft = make_evaluation(make_skp(org.employee.employee, period, rhks=1), point=10)
    warning = distribution.distribution_warnings_for(
        org.employee.employee, period, adding=Predikat.GOOD, replacing=draft)
    assert warning.at == OCTOBER and warning.rated == 1 and warning.counts[Predikat.VERY_GOOD] == 0
    # No capaian for the year: the annual result has no curve to warn about.
    assert distribution.distribution_warnings_for(org.teammate.employee, period) is None


def test_the_unit_page_shows_one_point_and_refuses_an_unknown_one(login_as, org, period):
    capaian.set_capaian(org.head, org.dinas, period, OCTOBER, GOOD)
    rated(org.employee.employee, period, "di_atas", "di_atas", annual=True)
    rated(org.teammate.employee, period, "sesuai", "sesuai", point=10)
    head = login_as("head")
    page = head.get(f"/kinerja-unit/{org.dinas.id}?periode={period.id}&titik=10")
    assert page.status_code == 200 and "Distribusi predikat Oktober 2026" in page.text
    assert "1 dari 4 pegawai sudah punya predikat Oktober 2026" in page.text
    assert head.get(f"/kinerja-unit/{org.dinas.id}?titik=13").status_code == 400
    recap = login_as("hr").get(f"/penilaian/rekap-predikat.xlsx?period_id={period.id}&titik=x")
    assert recap.status_code == 400


# ---------------------------------------------------------------- who sets it


def test_only_the_units_leader_sets_its_capaian(org, period):
    for outsider in (org.hr, org.employee, org.admin, org.head):   # org.head leads the dinas above
        with pytest.raises(NotAllowed):
            capaian.set_capaian(outsider, org.section, period, MARCH, GOOD)
    found = capaian.set_capaian(org.supervisor, org.section, period, MARCH, GOOD, "IKU Maret")
    assert found.leader.id == org.supervisor.employee.id and found.point_label == "Maret 2026"
    row = db.session.scalar(db.select(UnitPredikat))
    assert (row.kind.value, row.point, row.set_by_id) == ("periodik", 3, org.supervisor.id)
    # HR and the head above see it; it is the section's own, and governs its people.
    assert capaian.capaian_for(org.section, 2026, "periodik", 3).predikat is GOOD
    assert capaian.capaian_for(org.section, 2026, "tahunan", 0) is None
    grid = capaian.capaian_grid(org.hr, period, every_unit=True)
    assert not any(r.editable for r in grid.rows)
    with pytest.raises(NotAllowed):
        capaian.capaian_grid(org.employee, period)


def test_hr_and_staff_may_not_post_a_capaian(login_as, org, period):
    for role in ("hr", "employee", "head"):
        response = login_as(role).post(f"/predikat-unit/{period.id}/{org.section.id}",
                                       data={"titik": "3", "predikat": "baik"})
        assert response.status_code == 403, role
    assert login_as("supervisor").post(f"/predikat-unit/{period.id}/{org.section.id}",
                                       data={"titik": "3", "predikat": "baik"}).status_code == 302
    assert db.session.scalar(db.select(db.func.count(UnitPredikat.id))) == 1


# ---------------------------------------------------------------- the printed capaian


def test_the_capaian_pdf_carries_unit_period_predikat_and_signer(login_as, org, period):
    budi = org.supervisor.employee
    with time_machine.travel("2026-04-02 09:00 +08:00", tick=False):
        capaian.set_capaian(org.supervisor, org.section, period, MARCH, EXCEPTIONAL)
    response = login_as("hr").get(f"/predikat-unit/{period.id}/{org.section.id}/3.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    text = flat(pdf_text(response.data))
    assert "Capaian Kinerja Organisasi".upper() in text.upper()
    assert org.section.name in text and "Maret 2026" in text and "Istimewa" in text.title()
    assert budi.name in text and budi.nip in text and "2 April 2026" in text
    # No capaian for that point: nothing to print.
    assert login_as("hr").get(f"/predikat-unit/{period.id}/{org.section.id}/4.pdf").status_code == 404
    assert login_as("employee").get(
        f"/predikat-unit/{period.id}/{org.section.id}/3.pdf").status_code == 403


# ---------------------------------------------------------------- a leader's own rating


def budi_in_march(org, period):
    """Budi leads the section; the head of the dinas appraises his March."""
    skp = make_skp(org.supervisor.employee, period, rhks=2)
    return skp, make_evaluation(skp, point=3)


def ratings(skp, overall, note=None):
    from kinerja.appraisal.predikat import Behaviour
    return appraisals.RatingInput(
        results={rhk.id: ("sesuai", None) for rhk in skp.rhks},
        behaviours={b.value: ("sesuai", None) for b in Behaviour},
        result=overall, behaviour="sesuai", result_note=note)


def test_a_leaders_suggested_rating_follows_the_units_capaian(org, period):
    skp, evaluation = budi_in_march(org, period)
    appraisals.save_ratings(org.head, evaluation, ratings(skp, "sesuai"))
    # His RHK are all Sesuai, but his section's March capaian is Istimewa: Di Atas Ekspektasi.
    capaian.set_capaian(org.supervisor, org.section, period, MARCH, EXCEPTIONAL)
    page = appraisals.evaluation_page(org.head, evaluation)
    assert page.head.unit.id == org.section.id and page.head.capaian.predikat is EXCEPTIONAL
    assert page.suggested_result is Rating.ABOVE
    # Without a capaian for the point the usual suggestion stands and nothing is required.
    april = make_evaluation(skp, point=4)
    assert appraisals.evaluation_page(org.head, april).suggested_result is None
    assert appraisals.evaluation_page(org.head, april).head.capaian is None
    # Staff who lead nothing: the rule does not apply.
    ani = make_evaluation(make_skp(org.employee.employee, period, rhks=1), point=3)
    assert appraisals.evaluation_page(org.supervisor, ani).head is None


def test_another_rating_for_a_leader_needs_its_reason(login_as, org, period):
    skp, evaluation = budi_in_march(org, period)
    capaian.set_capaian(org.supervisor, org.section, period, MARCH, EXCEPTIONAL)
    appraisals.save_ratings(org.head, evaluation, ratings(skp, "sesuai"))
    with pytest.raises(RuleViolation, match="alasan rating hasil kerja"):
        appraisals.finalise(org.head, evaluation)
    text = login_as("head").get(f"/penilaian/{evaluation.id}").text
    assert "Pegawai ini pimpinan" in text and "Istimewa" in text
    assert "tulis alasannya di catatan hasil kerja" in text
    appraisals.save_ratings(org.head, evaluation,
                            ratings(skp, "sesuai", "Capaian bidang ditopang unit lain."))
    assert appraisals.finalise(org.head, evaluation) is Predikat.GOOD


def test_the_rating_the_capaian_gives_needs_no_reason(org, period):
    skp, evaluation = budi_in_march(org, period)
    capaian.set_capaian(org.supervisor, org.section, period, MARCH, GOOD)
    appraisals.save_ratings(org.head, evaluation, ratings(skp, "sesuai"))
    assert appraisals.finalise(org.head, evaluation) is Predikat.GOOD


# ---------------------------------------------------------------- the old yearly figure


def test_a_figure_from_before_is_the_annual_point_and_unsigned(org, period):
    db.session.add(UnitPredikat(unit_id=org.dinas.id, period_id=period.id, predikat="baik",
                                set_by_id=org.hr.id))
    db.session.commit()
    found = capaian.capaian_for(org.section, 2026, "tahunan", 0)   # inherited from the dinas
    assert found.unit.id == org.dinas.id and found.predikat is GOOD and not found.signed
    assert capaian.capaian_for(org.section, 2026, "tahunan", 0, inherited=False) is None


def test_the_workbook_says_which_point_it_counts(login_as, org, period):
    from openpyxl import load_workbook
    rated(org.employee.employee, period, "sesuai", "sesuai", point=10)
    response = login_as("hr").get(f"/penilaian/rekap-predikat.xlsx?period_id={period.id}&titik=10")
    book = load_workbook(io.BytesIO(response.data))
    title = next(book["Rekap per unit"].iter_rows(values_only=True))[0]
    assert "Oktober 2026" in title

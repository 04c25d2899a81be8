"""The distribution curve against real evaluations: whose predikat counts, the limits that apply
(the regulation's table or HR's), the warning before finalising, and HR's page for the limits
table, with bad input. Most results here are March's, held against March's capaian (one curve
per point: tests/appraisal/test_organisation_performance.py)."""
import pytest

from kinerja.appraisal import distribution, organisation_performance
from kinerja.appraisal.models import DistributionLimit, EvaluationStatus, UnitPredikat
from kinerja.appraisal.predikat import OrganisationPredikat, Predikat
from kinerja.core.errors import NotAllowed, RuleViolation
from kinerja.core.models import AuditEvent
from kinerja.extensions import db
from tests.builders import make_employee, make_evaluation, make_skp, make_unit

ABOVE, AS_EXPECTED, BELOW = "di_atas", "sesuai", "di_bawah"


MARCH = distribution.At("periodik", 3)


def record(org, unit, period, value, at=MARCH):
    """The unit's leader sets its capaian (March's by default, the point `rate` rates)."""
    leader = org.head if unit.id == org.dinas.id else org.supervisor
    return organisation_performance.set_capaian(leader, unit, period, at,
                                                OrganisationPredikat(value))


def status_of(unit, period, **given):
    return distribution.distribution_status(unit, period, **({"at": MARCH} | given))


def rate(employee, period, result, behaviour, *, point=3, annual=False, status=None):
    skp = make_skp(employee, period, rhks=1) if not employee_skp(employee, period) \
        else employee_skp(employee, period)
    return make_evaluation(skp, point=point, annual=annual, result=result, behaviour=behaviour,
                           status=status)


def employee_skp(employee, period):
    from kinerja.performance.models import Skp
    return db.session.scalar(db.select(Skp).filter_by(employee_id=employee.id, period_id=period.id))


# ---------------------------------------------------------------- whose predikat counts


def test_no_organisational_predikat_means_no_status(org, period):
    assert status_of(org.dinas, period) is None
    assert distribution.distribution_warnings_for(org.employee.employee, period) is None


def test_the_annual_predikat_wins_else_the_latest_set_periodic(org, period):
    ani, rudi, budi = org.employee.employee, org.teammate.employee, org.supervisor.employee
    rate(ani, period, ABOVE, ABOVE, point=3)                  # SB in March
    rate(ani, period, BELOW, AS_EXPECTED, point=6)            # BP in June: the latest
    rate(rudi, period, BELOW, BELOW, point=9)                 # SK in September...
    rate(rudi, period, AS_EXPECTED, AS_EXPECTED, annual=True)  # ...but B for the year
    rate(budi, period, ABOVE, ABOVE, point=12, status=EvaluationStatus.DRAFT)  # a draft: nothing
    held = distribution.employee_predikats([ani.id, rudi.id, budi.id], period)
    assert {k: v.predikat for k, v in held.items()} == {
        ani.id: Predikat.NEEDS_IMPROVEMENT, rudi.id: Predikat.GOOD}


def test_the_unit_and_the_units_below_count(org, period):
    record(org, org.dinas, period, "baik")
    rate(org.employee.employee, period, AS_EXPECTED, AS_EXPECTED)   # B, in the section
    rate(org.head.employee, period, ABOVE, ABOVE)                   # SB, in the dinas itself
    rate(org.outsider.employee, period, BELOW, BELOW)               # another dinas: not counted
    status = status_of(org.dinas, period)
    assert status.counts[Predikat.GOOD] == 1 and status.counts[Predikat.VERY_GOOD] == 1
    assert status.rated == 2 and status.counts[Predikat.VERY_POOR] == 0
    assert status.people == 4  # head, Budi, Ani, Rudi: active employees in the dinas and section
    assert org.section.id in status.unit_ids


def test_a_unit_below_with_its_own_predikat_has_its_own_curve(org, period):
    record(org, org.dinas, period, "baik")
    record(org, org.section, period, "istimewa")
    rate(org.employee.employee, period, ABOVE, ABOVE)
    rate(org.head.employee, period, AS_EXPECTED, AS_EXPECTED)
    dinas = status_of(org.dinas, period)
    section = status_of(org.section, period)
    assert dinas.rated == 1 and dinas.counts[Predikat.GOOD] == 1
    assert section.rated == 1 and section.counts[Predikat.VERY_GOOD] == 1
    # Ani's results count in the section's curve, the nearest one up from her unit.
    assert distribution.governing_unit(org.employee.employee, period, MARCH).id == org.section.id
    assert distribution.governing_unit(org.head.employee, period, MARCH).id == org.dinas.id


# ---------------------------------------------------------------- the limits that apply


def test_the_regulations_table_applies_by_default(org, period):
    record(org, org.dinas, period, "baik")
    for person in (org.employee, org.teammate, org.supervisor):
        rate(person.employee, period, AS_EXPECTED, AS_EXPECTED)        # three B, no BP or K/M
    status = status_of(org.dinas, period)
    assert not status.custom_limits and not status.within
    described = {b.limit.predikats for b in status.breaches}
    # B at most 70% (100% here), and some BP and/or K/M must exist (none here).
    assert described == {frozenset({Predikat.GOOD}),
                         frozenset({Predikat.NEEDS_IMPROVEMENT, Predikat.POOR})}
    assert len(status.messages) == 2 and "100" in status.messages[0]


def test_hr_rows_replace_the_regulations_lines_for_that_predikat(org, period):
    record(org, org.dinas, period, "baik")
    rate(org.employee.employee, period, AS_EXPECTED, AS_EXPECTED)
    db.session.add(DistributionLimit(organisation="baik", predikats="baik", max_percent=100))
    db.session.commit()
    status = status_of(org.dinas, period)
    assert status.custom_limits and status.within and len(status.limits) == 1
    # Other organisation predikat keep the regulation's table.
    assert distribution.limits_for(OrganisationPredikat.EXCEPTIONAL) == (
        [limit for limit in distribution.DEFAULT_LIMITS if limit.organisation == "istimewa"], False)


def test_nobody_rated_is_within_the_curve(org, period):
    record(org, org.dinas, period, "sangat_kurang")
    status = status_of(org.dinas, period)
    assert status.rated == 0 and status.within


# ---------------------------------------------------------------- the warning before finalising


def test_the_warning_counts_the_predikat_about_to_be_set(org, period):
    record(org, org.dinas, period, "butuh_perbaikan")  # BP at least 60%, SB at most 10%
    for person in (org.teammate, org.supervisor):
        rate(person.employee, period, BELOW, AS_EXPECTED)  # two BP
    ani_skp = make_skp(org.employee.employee, period, rhks=1)
    draft = make_evaluation(ani_skp, point=3)  # Ani's March evaluation, still a draft
    now = distribution.distribution_warnings_for(org.employee.employee, period, at=MARCH)
    assert now.within and now.rated == 2 and not now.hypothetical
    # Setting Ani's at Sangat Baik: 1 of 3 is SB (> 10%) and BP falls to 67% (still >= 60%).
    warned = distribution.distribution_warnings_for(org.employee.employee, period,
                                                    adding=Predikat.VERY_GOOD, replacing=draft)
    assert warned.hypothetical and warned.rated == 3 and warned.counts[Predikat.VERY_GOOD] == 1
    assert [b.limit.predikats for b in warned.breaches] == [frozenset({Predikat.VERY_GOOD})]
    # Setting it at Butuh Perbaikan keeps the unit within its curve.
    fine = distribution.distribution_warnings_for(org.employee.employee, period,
                                                  adding=Predikat.NEEDS_IMPROVEMENT,
                                                  replacing=draft.id)
    assert fine.within and fine.counts[Predikat.NEEDS_IMPROVEMENT] == 3


def test_replacing_a_set_result_does_not_count_the_person_twice(org, period):
    record(org, org.dinas, period, "baik")
    evaluation = rate(org.employee.employee, period, AS_EXPECTED, AS_EXPECTED)  # B
    again = distribution.distribution_status(org.dinas, period, adding=Predikat.POOR,
                                             replacing=evaluation)
    assert again.rated == 1 and again.counts[Predikat.POOR] == 1 and again.counts[Predikat.GOOD] == 0
    # Without `replacing` the predikat is one more person.
    extra = status_of(org.dinas, period, adding=Predikat.POOR)
    assert extra.rated == 2


def test_a_november_result_is_held_against_novembers_curve_not_the_years(org, period):
    record(org, org.dinas, period, "baik", at=distribution.ANNUAL)
    record(org, org.dinas, period, "baik", at=distribution.At("periodik", 11))
    rate(org.employee.employee, period, AS_EXPECTED, AS_EXPECTED, annual=True)  # B for the year
    draft = make_evaluation(employee_skp(org.employee.employee, period), point=11)
    november = distribution.distribution_status(org.dinas, period, adding=Predikat.VERY_POOR,
                                                replacing=draft)
    assert november.at == distribution.At("periodik", 11)
    assert november.rated == 1 and november.counts[Predikat.VERY_POOR] == 1
    year = distribution.distribution_status(org.dinas, period, at=distribution.ANNUAL)
    assert year.rated == 1 and year.counts[Predikat.GOOD] == 1


# ---------------------------------------------------------------- HR's rules


def test_only_hr_changes_the_limits_table(org, period):
    with pytest.raises(NotAllowed):
        distribution.add_limit(org.admin, OrganisationPredikat.GOOD,
                               distribution.LimitInput(["baik"], max_percent=50))
    with pytest.raises(NotAllowed):
        distribution.reset_limits(org.supervisor)


def test_recording_changing_and_removing_a_unit_predikat_is_audited(org, period):
    record(org, org.dinas, period, "baik")
    record(org, org.dinas, period, "istimewa")
    assert db.session.scalar(db.select(UnitPredikat.predikat)) == OrganisationPredikat.EXCEPTIONAL
    organisation_performance.set_capaian(org.head, org.dinas, period, MARCH, None)
    assert db.session.scalar(db.select(db.func.count(UnitPredikat.id))) == 0
    assert db.session.scalar(db.select(db.func.count(AuditEvent.id)).where(
        AuditEvent.action == "unit_predikat.set")) == 3


@pytest.mark.parametrize(("given", "field"), [
    (distribution.LimitInput([], max_percent=50), "predikats"),
    (distribution.LimitInput(["hebat"], max_percent=50), "predikats"),
    (distribution.LimitInput(["baik"], max_percent=101), "max_percent"),
    (distribution.LimitInput(["baik"], min_percent=-1), "min_percent"),
    (distribution.LimitInput(["baik"], min_percent=60, max_percent=40), "min_percent"),
    (distribution.LimitInput(["baik"]), "min_percent"),
    (distribution.LimitInput(["baik"], min_count=-2), "min_count"),
])
def test_a_limit_line_must_make_sense(org, given, field):
    with pytest.raises(RuleViolation) as problem:
        distribution.add_limit(org.hr, OrganisationPredikat.GOOD, given)
    assert problem.value.field == field
    assert db.session.scalar(db.select(db.func.count(DistributionLimit.id))) == 0


def test_adding_to_the_regulations_table_copies_it_first(org):
    distribution.add_limit(org.hr, OrganisationPredikat.GOOD,
                           distribution.LimitInput(["sangat_baik"], max_percent=20))
    limits, custom = distribution.limits_for(OrganisationPredikat.GOOD)
    assert custom and len(limits) == 3  # the regulation's two lines for Baik, and the new one
    assert distribution.reset_limits(org.hr, OrganisationPredikat.GOOD) == 3
    assert distribution.limits_for(OrganisationPredikat.GOOD)[1] is False


# ---------------------------------------------------------------- HR's pages


def test_the_leader_sets_the_capaian_on_the_page(login_as, org, period):
    head = login_as("head")
    page = head.get(f"/predikat-unit?periode={period.id}")
    assert page.status_code == 200 and org.dinas.name in page.text
    response = head.post(f"/predikat-unit/{period.id}/{org.dinas.id}",
                         data={"titik": "3", "predikat": "kurang", "catatan": "IKU Maret"})
    assert response.status_code == 302
    stored = db.session.scalar(db.select(UnitPredikat))
    assert (stored.predikat, stored.point, stored.note) == (OrganisationPredikat.POOR, 3, "IKU Maret")
    assert stored.set_by_id == org.head.id and stored.leader_id == org.head.employee.id
    removed = head.post(f"/predikat-unit/{period.id}/{org.dinas.id}",
                        data={"titik": "3", "predikat": "hapus"})
    assert removed.status_code == 302
    assert db.session.scalar(db.select(db.func.count(UnitPredikat.id))) == 0


def test_an_unknown_capaian_or_point_is_a_400_with_a_message(login_as, org, period):
    head = login_as("head")
    response = head.post(f"/predikat-unit/{period.id}/{org.dinas.id}",
                         data={"titik": "3", "predikat": "hebat"})
    assert response.status_code == 400 and "Pilih predikat organisasi dari daftar." in response.text
    nothing = head.post(f"/predikat-unit/{period.id}/{org.dinas.id}",
                        data={"titik": "3", "predikat": ""})  # never a silent removal
    assert nothing.status_code == 400 and "Pilih predikat organisasi dari daftar." in nothing.text
    point = head.post(f"/predikat-unit/{period.id}/{org.dinas.id}",
                      data={"titik": "13", "predikat": "baik"})
    assert point.status_code == 400 and "Pilih titik evaluasi dari daftar." in point.text
    assert head.post(f"/predikat-unit/{period.id}/999999", data={"predikat": "baik"}).status_code == 404
    assert head.get("/predikat-unit?periode=999999").status_code == 404


def test_the_limits_page_shows_the_regulations_table(login_as, org):
    response = login_as("hr").get("/predikat-unit/batas")
    assert response.status_code == 200
    assert "SB: paling banyak 70%" in response.text
    assert "BP + K/M: paling sedikit 1 orang" in response.text
    assert "tabel peraturan" in response.text


def test_hr_edits_adds_removes_and_resets_lines(login_as, org):
    hr = login_as("hr")
    assert hr.post("/predikat-unit/batas/sesuaikan", data={"organisasi": "baik"}).status_code == 302
    rows = db.session.scalars(db.select(DistributionLimit).order_by(DistributionLimit.id)).all()
    assert [r.predikats for r in rows] == ["baik", "butuh_perbaikan,kurang"]
    first = rows[0]
    edited = hr.post(f"/predikat-unit/batas/{first.id}",
                     data={f"l{first.id}-predikats": ["baik", "sangat_baik"],
                           f"l{first.id}-max_percent": "80"})
    assert edited.status_code == 302
    db.session.expire_all()
    changed = db.session.get(DistributionLimit, first.id)
    assert (changed.predikats, changed.max_percent) == ("sangat_baik,baik", 80)
    added = hr.post("/predikat-unit/batas/tambah",
                    data={"organisasi": "baik", "baru-baik-predikats": "sangat_kurang",
                          "baru-baik-max_percent": "5"})
    assert added.status_code == 302
    assert db.session.scalar(db.select(db.func.count(DistributionLimit.id))) == 3
    assert hr.post(f"/predikat-unit/batas/{first.id}/hapus").status_code == 302
    assert db.session.scalar(db.select(db.func.count(DistributionLimit.id))) == 2
    assert hr.post("/predikat-unit/batas/reset", data={"organisasi": "semua"}).status_code == 302
    assert db.session.scalar(db.select(db.func.count(DistributionLimit.id))) == 0


@pytest.mark.parametrize(("data", "message"), [
    ({"max_percent": "150"}, "Persentase harus antara 0 dan 100."),
    ({"min_percent": "-5"}, "Persentase harus antara 0 dan 100."),
    ({"min_percent": "70", "max_percent": "30"},
     "Batas paling sedikit tidak boleh lebih besar dari batas paling banyak."),
    ({"max_percent": "banyak"}, "Harus bilangan bulat."),
])
def test_bad_limit_input_is_a_400_with_a_clear_message(login_as, org, data, message):
    hr = login_as("hr")
    hr.post("/predikat-unit/batas/sesuaikan", data={"organisasi": "istimewa"})
    row = db.session.scalar(db.select(DistributionLimit))
    form = {f"l{row.id}-predikats": "sangat_baik"} | {f"l{row.id}-{k}": v for k, v in data.items()}
    response = hr.post(f"/predikat-unit/batas/{row.id}", data=form)
    assert response.status_code == 400
    assert message in response.text
    db.session.expire_all()
    assert db.session.get(DistributionLimit, row.id).max_percent == 70  # unchanged
    new = {"organisasi": "istimewa", "baru-istimewa-predikats": "baik"} | {
        f"baru-istimewa-{k}": v for k, v in data.items()}
    assert hr.post("/predikat-unit/batas/tambah", data=new).status_code == 400
    assert db.session.scalar(db.select(db.func.count(DistributionLimit.id))) == 1


def test_missing_choices_are_400s_not_500s(login_as, org):
    hr = login_as("hr")
    for url in ("/predikat-unit/batas/tambah", "/predikat-unit/batas/sesuaikan",
                "/predikat-unit/batas/reset"):
        response = hr.post(url, data={"organisasi": "luar-biasa"})
        assert response.status_code == 400, url
        assert "Pilih predikat organisasi" in response.text
    assert hr.post("/predikat-unit/batas/999999", data={}).status_code == 404


def test_staff_and_admins_may_not_open_the_settings(login_as, org, period):
    for role in ("admin", "employee"):
        client = login_as(role)
        assert client.get("/predikat-unit").status_code == 403
        assert client.get("/predikat-unit/batas").status_code == 403
    assert login_as("head").get("/predikat-unit/batas").status_code == 403
    for role in ("admin", "employee", "hr", "supervisor"):
        assert login_as(role).post(f"/predikat-unit/{period.id}/{org.dinas.id}",
                                   data={"titik": "tahunan", "predikat": "baik"}).status_code == 403


def test_a_different_unit_employee_does_not_change_the_count(org, period):
    other = make_unit("Kecamatan Tanjung Palas")
    person = make_employee("Sari", unit=other)
    record(org, org.dinas, period, "baik")
    rate(person, period, ABOVE, ABOVE)
    assert status_of(org.dinas, period).rated == 0

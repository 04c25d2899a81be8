"""Unit performance: the figures per unit and period (predikat counts, realisation of targets,
IKM of the counters, complaints), units side by side and sorted, a unit over the years and its
people, who may see them, and a unit page whose query count does not grow with its people."""
import re
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import event

from kinerja.appraisal import distribution, organisation_performance, unit_performance
from kinerja.appraisal.predikat import OrganisationPredikat, Predikat
from kinerja.core.errors import NotAllowed
from kinerja.extensions import db
from kinerja.feedback.models import ComplaintStatus
from kinerja.performance.models import Skp, SkpStatus
from tests.builders import (
    make_activity,
    make_complaint,
    make_counter,
    make_employee,
    make_evaluation,
    make_period,
    make_rollup,
    make_skp,
    make_team,
    make_unit,
)

# Wednesday 15 April 2026, 10:00 WITA.
NOW = datetime(2026, 4, 15, 2, 0, tzinfo=UTC)
MARCH = distribution.At("periodik", 3)  # the results rated here are March's


def capaian(org, unit, period, value, at=distribution.ANNUAL):
    """The unit's leader sets its capaian at the point."""
    leader = org.head if unit.id == org.dinas.id else org.supervisor
    return organisation_performance.set_capaian(leader, unit, period, at, value)

pytestmark = pytest.mark.usefixtures("frozen_clock")


def approved_skp(employee, period, rhks=1):
    skp = make_skp(employee, period, rhks=rhks, status=SkpStatus.APPROVED)
    return skp


# ---------------------------------------------------------------- the figures


def test_figures_of_a_unit_cover_the_units_below(org, period):
    ani, rudi, head = org.employee.employee, org.teammate.employee, org.head.employee
    ani_skp = approved_skp(ani, period)
    make_activity(ani, ani_skp.rhks[0], date(2026, 2, 3), quantity="6")   # 6 of 12: 50%
    rudi_skp = approved_skp(rudi, period)
    make_activity(rudi, rudi_skp.rhks[0], date(2026, 3, 3), quantity="12")  # 12 of 12: 100%
    draft = make_skp(head, period, rhks=1)                                   # a draft: not counted
    make_activity(head, draft.rhks[0], date(2026, 3, 3), quantity="1")
    make_evaluation(ani_skp, point=3, result="di_atas", behaviour="di_atas")       # SB
    make_evaluation(rudi_skp, point=3, result="di_bawah", behaviour="sesuai")      # BP
    counter = make_counter(org.section)
    make_rollup(counter, date(2026, 3, 2), surveys=10, answer=3)
    make_rollup(counter, date(2025, 12, 30), surveys=10, answer=1)  # another year
    make_complaint(counter, received_at=NOW - timedelta(days=30))                 # open, overdue
    make_complaint(counter, received_at=NOW - timedelta(hours=1))                 # open
    make_complaint(counter, received_at=NOW - timedelta(days=3), status=ComplaintStatus.ANSWERED)
    make_complaint(counter, received_at=NOW - timedelta(days=9), status=ComplaintStatus.CLOSED)
    make_complaint(counter, received_at=datetime(2025, 6, 1, tzinfo=UTC))       # another year
    other = make_counter(org.other_dinas)
    make_complaint(other, received_at=NOW - timedelta(days=30))

    figures = unit_performance.figures_for([org.dinas, org.section, org.other_dinas], period,
                                           at=MARCH)
    dinas, section, other_dinas = (figures[u.id] for u in (org.dinas, org.section, org.other_dinas))
    assert dinas.people == 4 and section.people == 3
    assert dinas.counts[Predikat.VERY_GOOD] == 1 and dinas.counts[Predikat.NEEDS_IMPROVEMENT] == 1
    assert dinas.rated == 2
    assert str(dinas.realisation) == "75.0" and str(section.realisation) == "75.0"
    assert dinas.ikm_value == section.ikm_value and str(dinas.ikm_value) == "74.93"  # 3 x 0.111 x 9 x 25
    assert dinas.ikm.survey.mutu == "C" and dinas.ikm.full_surveys == 10
    assert (dinas.complaints_open, dinas.complaints_overdue, dinas.complaints_answered) == (2, 1, 2)
    assert (other_dinas.complaints_open, other_dinas.complaints_overdue) == (1, 1)
    assert other_dinas.realisation is None and other_dinas.ikm_value is None
    assert dinas.status is None  # no organisational predikat recorded


def test_the_curve_on_the_figures_matches_the_distribution_service(org, period):
    capaian(org, org.dinas, period, OrganisationPredikat.GOOD, MARCH)
    for person in (org.employee, org.teammate):
        make_evaluation(approved_skp(person.employee, period), point=3, result="sesuai",
                        behaviour="sesuai")
    figures = unit_performance.figures_for([org.dinas], period, at=MARCH)[org.dinas.id]
    status = distribution.distribution_status(org.dinas, period, at=MARCH)
    assert figures.status.counts == status.counts and figures.status.people == status.people
    assert [b.limit for b in figures.status.breaches] == [b.limit for b in status.breaches]
    assert figures.within_curve is False


def test_a_revised_skp_still_counts_its_realisation(org, period):
    skp = approved_skp(org.employee.employee, period)
    make_activity(org.employee.employee, skp.rhks[0], date(2026, 1, 5), quantity="3")
    skp.status, skp.version = SkpStatus.SUBMITTED, 2  # approved once, now being revised
    db.session.commit()
    figures = unit_performance.figures_for([org.section], period)[org.section.id]
    assert str(figures.realisation) == "25.0"


# ---------------------------------------------------------------- the comparison


def test_hr_compares_the_opd_level_units_sorted_by_a_column(login_as, org, period):
    counter = make_counter(org.other_dinas)
    for _ in range(3):
        make_complaint(counter, received_at=NOW - timedelta(days=1))
    hr = login_as("hr")
    response = hr.get("/kinerja-unit?urut=terbuka&arah=turun")
    assert response.status_code == 200
    text = response.text
    assert text.index(org.other_dinas.name) < text.index(org.dinas.name)
    assert 'aria-sort="descending"' in text
    by_name = hr.get("/kinerja-unit?urut=nama").text
    assert by_name.index(org.section.name) < by_name.index(org.dinas.name)  # Bidang < Dinas
    assert hr.get("/kinerja-unit?urut=hebat").status_code == 200  # unknown column: by name


def test_sorting_puts_units_without_a_value_last(org, period):
    rows = [unit_performance.UnitFigures(org.dinas, period, realisation=None),
            unit_performance.UnitFigures(org.section, period, realisation=unit_performance.Decimal("10")),
            unit_performance.UnitFigures(org.other_dinas, period,
                                         realisation=unit_performance.Decimal("90"))]
    for descending in (False, True):
        ordered = unit_performance.sort_rows(rows, "realisasi", descending)
        assert ordered[-1].unit.id == org.dinas.id


def test_a_head_compares_the_units_they_lead(login_as, org, period):
    view = unit_performance.comparison(org.head, period)
    assert [r.unit.id for r in view.rows] == [org.dinas.id]
    budi = unit_performance.comparison(org.supervisor, period)
    assert [r.unit.id for r in budi.rows] == [org.section.id]
    with pytest.raises(NotAllowed):
        unit_performance.comparison(org.employee, period)
    text = login_as("head").get("/kinerja-unit").text
    assert org.dinas.name in text and org.other_dinas.name not in text


def test_no_period_yet_is_a_page_that_says_so(login_as, org):
    response = login_as("hr").get("/kinerja-unit")
    assert response.status_code == 200 and "Belum ada periode kinerja." in response.text
    unit = login_as("hr").get(f"/kinerja-unit/{org.dinas.id}")
    assert unit.status_code == 200 and "Belum ada periode kinerja." in unit.text


# ---------------------------------------------------------------- one unit


def test_the_unit_page_lists_people_years_and_subunits(login_as, org, period):
    older = make_period(2025)
    ani_skp = approved_skp(org.employee.employee, period)
    evaluation = make_evaluation(ani_skp, point=3, result="di_bawah", behaviour="di_bawah")
    make_activity(org.employee.employee, ani_skp.rhks[0], date(2026, 1, 5), quantity="3")
    old_skp = approved_skp(org.employee.employee, older)
    make_evaluation(old_skp, annual=True, result="di_atas", behaviour="di_atas")
    capaian(org, org.dinas, period, OrganisationPredikat.EXCEPTIONAL, MARCH)
    page = unit_performance.unit_page(org.head, org.dinas, period, at=MARCH)
    assert [h.period.year for h in page.history] == [2026, 2025]
    assert page.history[1].counts[Predikat.VERY_GOOD] == 1   # each year's annual results
    assert page.history[0].rated == 0
    assert page.figures.counts[Predikat.VERY_POOR] == 1      # March's
    assert [s.unit.id for s in page.subunits] == [org.section.id]
    ani = next(p for p in page.people if p.employee.id == org.employee.employee.id)
    assert ani.held.evaluation_id == evaluation.id and str(ani.realisation) == "25.0"
    assert ani.unit_name == org.section.name
    response = login_as("head").get(f"/kinerja-unit/{org.dinas.id}?periode={period.id}&titik=3")
    assert response.status_code == 200
    assert f"/pegawai/{org.employee.employee.id}/kinerja" in response.text
    assert "Sangat Kurang" in response.text and "Istimewa" in response.text
    assert org.section.name in response.text


def test_the_section_page_shows_the_curve_of_the_dinas_above(login_as, org, period):
    capaian(org, org.dinas, period, OrganisationPredikat.GOOD)
    page = unit_performance.unit_page(org.supervisor, org.section, period)
    assert page.status is None and page.governing.unit.id == org.dinas.id
    text = login_as("supervisor").get(f"/kinerja-unit/{org.section.id}").text
    assert org.dinas.name in text


def test_who_may_see_a_unit(login_as, org, period):
    assert login_as("supervisor").get(f"/kinerja-unit/{org.section.id}").status_code == 200
    assert login_as("supervisor").get(f"/kinerja-unit/{org.dinas.id}").status_code == 403
    assert login_as("head").get(f"/kinerja-unit/{org.section.id}").status_code == 200
    assert login_as("hr").get(f"/kinerja-unit/{org.other_dinas.id}").status_code == 200
    for role in ("employee", "outsider", "admin"):
        assert login_as(role).get(f"/kinerja-unit/{org.section.id}").status_code == 403
        assert login_as(role).get("/kinerja-unit").status_code == 403
    assert login_as("hr").get("/kinerja-unit/999999").status_code == 404
    assert login_as("hr").get(f"/kinerja-unit/{org.dinas.id}?periode=999999").status_code == 404


def test_the_navigation_link_is_for_hr_and_heads(login_as, org):
    assert 'href="/kinerja-unit"' in login_as("head").get("/").text
    assert 'href="/kinerja-unit"' in login_as("hr").get("/").text
    assert 'href="/kinerja-unit"' not in login_as("employee").get("/").text
    assert 'href="/predikat-unit"' in login_as("hr").get("/").text
    assert 'href="/predikat-unit"' in login_as("head").get("/").text   # heads set the capaian
    assert 'href="/predikat-unit"' not in login_as("employee").get("/").text


# ---------------------------------------------------------------- bounded queries


class QueryCounter:
    def __init__(self, engine):
        self.engine, self.count = engine, 0

    def _count(self, *args):
        self.count += 1

    def __enter__(self):
        event.listen(self.engine, "before_cursor_execute", self._count)
        return self

    def __exit__(self, *exc):
        event.remove(self.engine, "before_cursor_execute", self._count)


def _unit_page_queries(client, org, period, name, size):
    unit = make_unit(name, parent=org.dinas)
    boss = make_employee(f"Kepala {name}", unit=unit)
    unit.head = boss
    db.session.commit()
    people = make_team(boss, unit, period, size, activities_per_person=1, day=date(2026, 2, 2))
    db.session.execute(db.update(Skp).where(Skp.period_id == period.id)
                       .values(status=SkpStatus.APPROVED))
    db.session.commit()
    for n, person in enumerate(people[::5]):
        skp = db.session.scalar(db.select(Skp).filter_by(employee_id=person.id))
        make_evaluation(skp, point=3, result=("di_atas", "sesuai", "di_bawah")[n % 3],
                        behaviour="sesuai")
    counter = make_counter(unit)
    make_rollup(counter, date(2026, 3, 2), surveys=5)
    make_complaint(counter, received_at=NOW - timedelta(days=2))
    with QueryCounter(db.engine) as queries:
        response = client.get(f"/kinerja-unit/{unit.id}?periode={period.id}")
    assert response.status_code == 200
    assert len(re.findall(r'href="/pegawai/\d+/kinerja"', response.text)) == size + 1
    return queries.count


def test_the_unit_page_queries_do_not_grow_with_people(login_as, org, period, monkeypatch):
    # The kabupaten's identity is cached for 30 s: building 250 people on a busy machine can
    # take longer, and its one re-read is no query of the page's.
    from kinerja.organisation import identity
    monkeypatch.setattr(identity, "CACHE_SECONDS", 3600)
    make_period(2025)
    capaian(org, org.dinas, period, OrganisationPredikat.GOOD)
    hr = login_as("hr")
    small = _unit_page_queries(hr, org, period, "Kelurahan Kecil", 20)
    large = _unit_page_queries(hr, org, period, "Kelurahan Besar", 250)
    assert small == large
    # 39 today with two periods: the request's own (user, navigation), the tree, about ten per
    # period (staff, predikat, indicators, sums, realisations, IKM, complaints, curve), people.
    assert large <= 45


def test_complaints_count_in_the_year_of_the_units_time_zone(org, period):
    counter = make_counter(org.section)  # WITA: UTC+8
    make_complaint(counter, received_at=datetime(2025, 12, 31, 17, 0, tzinfo=UTC))  # 1 Jan, 01:00
    make_complaint(counter, received_at=datetime(2025, 12, 31, 15, 0, tzinfo=UTC))  # 31 Dec, 23:00
    figures = unit_performance.figures_for([org.section], period)[org.section.id]
    assert figures.complaints_open == 1

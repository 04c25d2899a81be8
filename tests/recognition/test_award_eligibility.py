"""Award eligibility: a Kurang/Misconduct or Sangat Kurang predikat in the award's period, or a
disciplinary sanction in force during its span, keeps a candidate out of the ranking however
high their score; HR's ranking page says who and why, and nobody else ever sees it."""
from datetime import UTC, date, datetime

import pytest

from kinerja.appraisal import discipline
from kinerja.core.errors import NotAllowed, RuleViolation
from kinerja.core.models import AuditEvent
from kinerja.extensions import db
from kinerja.recognition import award_ranking, awards
from kinerja.recognition.models import AwardStatus
from tests.builders import (
    make_activity,
    make_counter,
    make_evaluation,
    make_period,
    make_rating,
    make_realisation,
    make_skp,
)
from tests.recognition.builders import make_award

# Tuesday 10 March 2026, 10:00 WITA.
NOW = datetime(2026, 3, 10, 2, 0, tzinfo=UTC)

pytestmark = pytest.mark.usefixtures("frozen_clock")
WEEK = [date(2026, 3, d) for d in range(2, 7)]  # Monday 2 to Friday 6 March
WEIGHTS = {"predikat": 30, "realisation": 25, "satisfaction": 20, "regularity": 15,
           "nomination": 10}  # the demo's


class Scene:
    pass


@pytest.fixture
def scene(org):
    """The demo's case: Rudi, rated Kurang/Misconduct in February, did everything else
    perfectly (target met, all fours, reported every day, nominated): 7.5 + 25 + 20 + 15 + 10 =
    77.5. Ani, Sangat Baik, met her target, was rated 3 by her citizens and reported two days
    of five: 30 + 25 + 15 + 6 = 76. Budi, Baik, has an SKP and nothing else."""
    s = Scene()
    s.period = make_period(2026)
    s.ani, s.rudi, s.budi = org.employee.employee, org.teammate.employee, org.supervisor.employee
    counter = make_counter(org.section)
    skp_ani = make_skp(s.ani, s.period, rhks=1)
    skp_rudi = make_skp(s.rudi, s.period, rhks=1)
    skp_budi = make_skp(s.budi, s.period)
    make_evaluation(skp_ani, point=2, result="di_atas", behaviour="di_atas")    # Sangat Baik
    make_evaluation(skp_rudi, point=1, result="sesuai", behaviour="sesuai")     # Baik
    make_evaluation(skp_rudi, point=2, result="di_atas", behaviour="di_bawah")  # Kurang/Misconduct
    make_evaluation(skp_budi, point=2, result="sesuai", behaviour="sesuai")     # Baik
    for skp, person in ((skp_ani, s.ani), (skp_rudi, s.rudi)):
        make_realisation(skp.rhks[0].indicators[0], 3, "12")  # the yearly 12, met
        days = WEEK if person is s.rudi else WEEK[:2]
        for day in days:
            make_activity(person, skp.rhks[0], day)
        for day in WEEK:
            make_rating(counter, day, 4 if person is s.rudi else 3, staff=person)
    s.award = make_award(s.period, unit=org.dinas, winners=1, min_respondents=5,
                         date_from=WEEK[0], date_to=WEEK[4], weights=WEIGHTS)
    awards.nominate(org.head, s.award, s.rudi, "Selalu siap membantu di loket mana pun.")
    s.hr = org.hr
    db.session.commit()
    return s


def _ranking(scene):
    return awards.ranking(scene.hr, scene.award, date(2026, 3, 10))


def test_the_pure_rule_names_each_reason():
    assert award_ranking.exclusion_reasons([], []) == []
    assert award_ranking.exclusion_reasons(
        [award_ranking.Predikat.GOOD, award_ranking.Predikat.NEEDS_IMPROVEMENT], []) == []
    assert award_ranking.exclusion_reasons(
        [award_ranking.Predikat.VERY_POOR, award_ranking.Predikat.POOR],
        [("sedang", date(2026, 1, 1), date(2026, 6, 30))]) == [
        {"kind": "predikat", "value": "kurang"}, {"kind": "predikat", "value": "sangat_kurang"},
        {"kind": "sanction", "value": "sedang", "from": "2026-01-01", "to": "2026-06-30"}]


def test_a_misconduct_candidate_with_the_higher_score_is_not_ranked_first(scene):
    """Before: Rudi 77.50 first, Ani 76.00 second. Now Rudi is not ranked at all."""
    rows = _ranking(scene).rows
    assert [r["name"] for r in rows] == ["Ani Lestari", "Budi Santoso"]
    assert rows[0]["total"] == "76.00"
    (excluded,) = _ranking(scene).excluded
    assert excluded["name"] == "Rudi Hartono"
    assert excluded["reasons"] == [{"kind": "predikat", "value": "kurang"}]


def test_a_later_better_predikat_does_not_undo_the_misconduct(scene):
    make_evaluation(_skp_of(scene.rudi), point=3, result="di_atas", behaviour="di_atas")
    assert "Rudi Hartono" not in {r["name"] for r in _ranking(scene).rows}


def _skp_of(employee):
    from kinerja.performance.models import Skp
    return db.session.scalar(db.select(Skp).where(Skp.employee_id == employee.id))


def test_a_sanction_in_force_during_the_award_excludes_and_one_outside_it_does_not(scene, org):
    nip = scene.ani.nip
    before = discipline.record(org.hr, discipline.SanctionInput(
        nip, "ringan", date(2025, 6, 1), date(2025, 6, 1), date(2026, 2, 28), "Teguran lisan"))
    assert "Ani Lestari" in {r["name"] for r in _ranking(scene).rows}  # over before March
    during = discipline.record(org.hr, discipline.SanctionInput(
        nip, "sedang", date(2026, 3, 4), date(2026, 3, 4), date(2026, 8, 31),
        "Pemotongan tunjangan kinerja 25% selama 6 bulan"))
    ranking = _ranking(scene)
    assert [r["name"] for r in ranking.rows] == ["Budi Santoso"]
    ani = next(row for row in ranking.excluded if row["name"] == "Ani Lestari")
    assert ani["reasons"] == [{"kind": "sanction", "value": "sedang", "from": "2026-03-04",
                               "to": "2026-08-31"}]
    # Revoked (entered in error): counts no more. Both steps audited.
    discipline.revoke(org.hr, during, "Salah pegawai; keputusan untuk pegawai lain.")
    assert "Ani Lestari" in {r["name"] for r in _ranking(scene).rows}
    actions = [e.action for e in db.session.scalars(db.select(AuditEvent).where(
        AuditEvent.subject_type == "DisciplinarySanction"))]
    assert actions == ["sanction.recorded", "sanction.recorded", "sanction.revoked"]
    assert before.employee_id == scene.ani.id


def test_only_hr_records_sanctions_and_the_input_is_checked(scene, org):
    good = discipline.SanctionInput(scene.ani.nip, "berat", date(2026, 3, 1), date(2026, 3, 1),
                                    date(2027, 2, 28), None)
    for person in (org.head, org.supervisor, org.employee, org.admin):
        with pytest.raises(NotAllowed):
            discipline.record(person, good)
    for changes, field in (({"nip": "123"}, "nip"), ({"level": "sangat_berat"}, "level"),
                           ({"effective_to": date(2026, 2, 1)}, "effective_to"),
                           ({"effective_from": date(2026, 2, 1)}, "effective_from")):
        with pytest.raises(RuleViolation) as problem:
            discipline.record(org.hr, discipline.SanctionInput(**{**good.__dict__, **changes}))
        assert problem.value.field == field


def test_the_decision_keeps_the_exclusions_and_the_winner_is_eligible(scene):
    winners = awards.decide(scene.hr, scene.award, date(2026, 3, 10))
    assert [w.name for w in winners] == ["Ani Lestari"]
    assert scene.award.status is AwardStatus.DECIDED
    frozen = _ranking(scene)
    assert not frozen.live and [r["name"] for r in frozen.excluded] == ["Rudi Hartono"]


def test_exclusion_reasons_are_shown_to_hr_only(scene, org, login_as, client):
    url = f"/penghargaan/{scene.award.id}"
    page = login_as("hr").get(url)
    assert page.status_code == 200
    assert "Tidak memenuhi syarat" in page.text and "Rudi Hartono" in page.text
    assert "Predikat Kurang/Misconduct pada periode ini" in page.text
    for role in ("head", "supervisor", "employee", "admin"):
        assert login_as(role).get(url).status_code == 403
    # Published: the public page names the winner and nothing about anyone excluded.
    awards.decide(scene.hr, scene.award, date(2026, 3, 10))
    awards.set_citation(scene.hr, scene.award.winners[0], "Melayani dengan tulus.")
    awards.publish(scene.hr, scene.award)
    public = client.get("/publik/penghargaan").text
    assert "Ani Lestari" in public
    assert "Rudi Hartono" not in public and "Tidak memenuhi syarat" not in public
    assert "Kurang/Misconduct" not in public

"""Issue 24: the portal's heavy pages ask the same access questions once per request, not once
per navigation link; and an answer kept for the request is forgotten as soon as anything is
written, so a page never acts on a stale one."""
import re

import pytest

from kinerja.core.memo import per_transaction
from kinerja.extensions import db
from kinerja.organisation import access
from kinerja.performance import periods
from tests.builders import make_employee
from tests.queries import counted_statements


def _asking(statements, fragment: str) -> int:
    return sum(fragment in " ".join(s.split()) for s in statements)


@pytest.mark.parametrize("role", ["employee", "supervisor", "head"])
@pytest.mark.parametrize("path", ["/", "/skp", "/harian", "/kinerja", "/tim/harian"])
def test_a_page_asks_who_heads_a_unit_and_who_has_reports_once(login_as, period, role, path):
    client = login_as(role)
    with counted_statements() as statements:
        response = client.get(path)
    assert response.status_code in (200, 403)
    # The navigation alone used to ask "does the reader head a unit?" five to seven times, and
    # "has the reader direct reports?" once more: now both once, in one statement.
    assert _asking(statements, "SELECT EXISTS (SELECT * FROM units WHERE units.head_id =") <= 1
    assert _asking(statements, "SELECT units.id FROM units WHERE units.head_id =") == 0
    assert _asking(statements, "SELECT employees.id FROM employees WHERE employees.supervisor_id =") == 0
    assert _asking(statements, "FROM periods WHERE periods.status =") <= 1


def test_the_plan_list_reads_the_unit_tree_once(login_as, period):
    client = login_as("supervisor")
    with counted_statements() as statements:
        assert client.get("/skp").status_code == 200
    assert _asking(statements, "SELECT units.id, units.parent_id, units.head_id FROM units") <= 1


def test_a_kept_answer_is_forgotten_when_the_session_writes(org):
    newcomer = make_employee("Citra Dewi", unit=org.section)
    db.session.commit()
    assert access.is_head_of_unit(newcomer) is False
    with counted_statements() as statements:
        assert access.is_head_of_unit(newcomer) is False
    assert statements == []  # kept

    org.other_dinas.head = newcomer  # not flushed yet: the read flushes first, like a query would
    assert access.is_head_of_unit(newcomer) is True
    assert org.other_dinas.id in access.headed_unit_ids(newcomer)
    db.session.rollback()
    assert access.is_head_of_unit(newcomer) is False
    assert access.headed_unit_ids(newcomer) == set()


def test_a_kept_answer_is_forgotten_on_commit_and_on_statements_that_write(org, period):
    assert periods.open_period() == period
    db.session.execute(db.update(type(period)).where(type(period).id == period.id)
                       .values(status=periods.PeriodStatus.CLOSED))
    assert periods.open_period() is None
    db.session.rollback()
    assert periods.open_period() == period
    period.status = periods.PeriodStatus.CLOSED
    db.session.commit()
    assert periods.open_period() is None


def test_headed_unit_ids_gives_each_caller_its_own_set(org):
    head = org.head.employee
    mine = access.headed_unit_ids(head)
    mine.add(-1)
    assert -1 not in access.headed_unit_ids(head)


def test_a_key_of_none_is_not_kept(app):
    calls = []

    @per_transaction(key=lambda thing: None)
    def ask(thing):
        calls.append(thing)
        return len(calls)

    assert (ask("a"), ask("a")) == (1, 2)


def test_a_large_unit_heatmap_is_drawn_fifty_rows_a_page(login_as, org, period):
    for n in range(50):
        make_employee(f"Pegawai {n:02d}", unit=org.section, supervisor=org.supervisor.employee)
    db.session.commit()  # with Budi, Ani and Rudi: 53 people in the section
    client = login_as("head")
    first = client.get(f"/unit/{org.section.id}/peta-kinerja")
    second = client.get(f"/unit/{org.section.id}/peta-kinerja?page=2")
    assert first.text.count('<th scope="row">') == 50
    assert second.text.count('<th scope="row">') == 3
    assert "(53)" in first.text  # the heading counts everyone
    assert f"/unit/{org.section.id}/peta-kinerja?page=2" in first.text
    assert client.get(f"/unit/{org.section.id}/peta-kinerja?page=9").text.count(
        '<th scope="row">') == 3  # past the end: the last page


def test_template_labels_follow_the_language_even_when_kept(app):
    from flask_babel import force_locale

    label = app.jinja_env.from_string(
        "{{ _('Beranda') }} · {{ _('Halaman %(page)s dari %(pages)s', page=2, pages=5) }}")
    with app.test_request_context():
        first = label.render()
        with force_locale("en"):
            english = label.render()
        again = label.render()
    assert first == again == "Beranda · Halaman 2 dari 5"
    assert english == "Home · Page 2 of 5"


@pytest.fixture
def plans(org, period):
    """Ani's and Budi's approved plans, Rudi's waiting for Budi, one activity of Ani's."""
    from datetime import date

    from kinerja.performance.models import SkpStatus
    from tests.builders import make_activity, make_skp

    mine = make_skp(org.employee.employee, period, rhks=2, status=SkpStatus.APPROVED)
    make_skp(org.teammate.employee, period, rhks=2, status=SkpStatus.SUBMITTED)
    make_skp(org.supervisor.employee, period, rhks=2, status=SkpStatus.APPROVED)
    make_activity(org.employee.employee, mine.rhks[0], date(2026, 1, 15))
    db.session.commit()


# Per page: (statements at most, fragments asked at most once). Before these were kept for the
# request: `/` 23 (employee) / 31 (supervisor), `/skp` 16 / 19, `/harian` 11.
PAGES = {
    ("employee", "/"): 21, ("supervisor", "/"): 29, ("head", "/"): 22,
    ("employee", "/skp"): 14, ("supervisor", "/skp"): 16, ("head", "/skp"): 13,
    ("employee", "/harian"): 8, ("supervisor", "/harian"): 8, ("head", "/harian"): 7,
}
CHAIN = ["FROM ppk_terms WHERE", "FROM acting_officials WHERE"]
PLAN = ["FROM skps WHERE skps.employee_id = ? AND skps.period_id = ? AND skps.first_month <=",
        "FROM rhks WHERE", "FROM indicators WHERE"]


@pytest.mark.parametrize("role, path", sorted(PAGES))
def test_a_page_asks_the_chain_of_authority_and_reads_a_plan_once(login_as, plans, role, path):
    client = login_as(role)
    with counted_statements() as statements:
        assert client.get(path).status_code == 200
    # PostgreSQL's placeholders are %(name)s, SQLite's ?: compare as SQLite's.
    flat = [re.sub(r"%\([^)]*\)s", "?", " ".join(s.split())) for s in statements]
    for fragment in CHAIN + (PLAN if path != "/skp" else []):  # /skp: its own plan and the team's
        assert sum(fragment in s for s in flat) <= 1, fragment
    assert len(statements) <= PAGES[role, path]


def test_the_team_plan_list_reads_every_plans_rhk_in_one_query(login_as, org, period, plans):
    from tests.builders import make_employee, make_skp
    for n in range(3):
        make_skp(make_employee(f"Staf {n}", unit=org.section, supervisor=org.supervisor.employee),
                 period, rhks=1)
    db.session.commit()
    client = login_as("supervisor")
    with counted_statements() as statements:
        assert client.get("/skp").status_code == 200
    # One for the supervisor's own plan, one for the whole team's: not one per team plan.
    assert _asking(statements, "FROM rhks WHERE") <= 2


def test_a_kept_stand_in_is_forgotten_when_one_is_recorded(org):
    from datetime import date

    from kinerja.organisation import authority
    from kinerja.organisation.models import ActingKind, ActingOfficial

    day = date(2026, 3, 2)
    actor, official = org.teammate.employee, org.supervisor.employee
    assert authority.acting_for(actor, official, day) is None
    assert authority.stood_in_for(actor, day) == []
    with counted_statements() as statements:
        assert authority.acting_for(actor, official, day) is None
        assert authority.ppk_term_on(day) is authority.ppk_term_on(day)
    assert _asking(statements, "FROM acting_officials") == 0  # kept
    db.session.add(ActingOfficial(employee=actor, kind=ActingKind.PLH, replaces=official,
                                  starts_on=day, ends_on=day))  # pending: the read flushes it
    assert authority.acting_for(actor, official, day) is not None
    assert len(authority.stood_in_for(actor, day)) == 1
    db.session.rollback()
    assert authority.acting_for(actor, official, day) is None
    assert authority.stood_in_for(actor, day) == []

"""Peer feedback: who may ask whom, answering once before the deadline, and the anonymous
summary the appraiser sees."""
import dataclasses
import re
from datetime import UTC, date, datetime

import pytest

from kinerja.appraisal import peer_feedback
from kinerja.appraisal.models import EvaluationStatus, PeerFeedbackRequest
from kinerja.appraisal.predikat import Behaviour, Rating
from kinerja.core import calendar
from kinerja.core.errors import NotAllowed, RuleViolation
from kinerja.extensions import db
from kinerja.notifications.models import Notification
from kinerja.organisation.models import UnitKind
from kinerja.performance.models import SkpStatus
from tests.builders import make_employee, make_evaluation, make_period, make_skp, make_unit, make_user

# Monday 6 April 2026, 10:00 WITA.
MONDAY = datetime(2026, 4, 6, 2, 0, tzinfo=UTC)
NOW = MONDAY
DUE = date(2026, 4, 10)


@pytest.fixture
def evaluation(org, frozen_clock):
    """Ani's March evaluation, still a draft, appraised by Budi (org.supervisor)."""
    period = make_period(2026)
    skp = make_skp(org.employee.employee, period, status=SkpStatus.APPROVED, rhks=1)
    return make_evaluation(skp, point=3)


def all_as(rating: Rating) -> dict:
    return {b.value: rating.value for b in Behaviour}


def colleagues(org, n: int):
    """`n` more colleagues in Ani's section, each with an account."""
    return [make_user(make_employee(f"Rekan Nomor {i}", unit=org.section,
                                    supervisor=org.supervisor.employee)) for i in range(n)]


# ---------------------------------------------------------------- asking


def test_the_appraiser_asks_a_colleague_who_is_notified(org, evaluation):
    created = peer_feedback.ask(org.supervisor, evaluation, [org.teammate.employee.id], DUE)
    assert [r.colleague for r in created] == [org.teammate.employee]
    notification = db.session.scalar(db.select(Notification).where(
        Notification.user_id == org.teammate.id))
    assert notification.kind == "peer_feedback_requested"
    assert notification.params == {"employee_name": "Ani Lestari", "due_on": "2026-04-10"}
    assert notification.link == f"/umpan-balik-rekan/{created[0].id}"


def test_hr_may_ask_but_not_the_employee_a_colleague_or_the_head(org, evaluation):
    peer_feedback.ask(org.hr, evaluation, [org.teammate.employee.id], DUE)
    for user in (org.employee, org.teammate, org.head, org.outsider, org.admin):
        with pytest.raises(NotAllowed):
            peer_feedback.ask(user, evaluation, [org.supervisor.employee.id], DUE)


def test_the_choices_are_active_colleagues_never_the_employee_nor_the_requester(org, evaluation):
    gone = make_employee("Pegawai Pensiun", unit=org.section, active=False)
    choices = peer_feedback.colleague_choices(org.supervisor, evaluation)
    assert choices.same_unit == [org.teammate.employee]
    assert gone not in choices.same_unit
    # HR asking: the supervisor is a colleague in the unit too.
    names = [e.name for e in peer_feedback.colleague_choices(org.hr, evaluation).same_unit]
    assert names == ["Budi Santoso", "Rudi Hartono"]


def test_the_search_covers_the_whole_dinas_and_nothing_outside_it(org, evaluation):
    org.section.kind = UnitKind.BAGIAN
    other_section = make_unit("Bidang Data", parent=org.dinas, kind=UnitKind.BAGIAN)
    data_person = make_employee("Dian Rahmadani", unit=other_section)
    found = peer_feedback.colleague_choices(org.supervisor, evaluation, "d").found
    assert data_person in found
    assert org.outsider.employee not in found  # Dewi Kartika, another dinas
    assert org.employee.employee not in found  # the evaluated one (Ani Lestari has a "d"? no)
    assert peer_feedback.colleague_choices(org.supervisor, evaluation, "Siti").found == [
        org.head.employee]
    # And asking someone outside the dinas is refused even when the id is posted.
    with pytest.raises(RuleViolation) as problem:
        peer_feedback.ask(org.supervisor, evaluation, [org.outsider.employee.id], DUE)
    assert problem.value.field == "colleagues"
    peer_feedback.ask(org.supervisor, evaluation, [data_person.id], DUE)


def test_the_dinas_is_the_unit_below_a_regional_secretariat(org):
    setda = make_unit("Sekretariat Daerah", kind=UnitKind.SEKRETARIAT)
    org.dinas.parent = setda
    db.session.commit()
    assert peer_feedback.dinas_of(org.section) == org.dinas
    assert peer_feedback.dinas_of(org.dinas) == org.dinas
    assert peer_feedback.dinas_of(setda) == setda


def test_a_colleague_is_asked_once_and_never_the_employee(org, evaluation):
    peer_feedback.ask(org.supervisor, evaluation, [org.teammate.employee.id], DUE)
    for ids in ([org.teammate.employee.id], [org.employee.employee.id],
                [org.supervisor.employee.id]):
        with pytest.raises(RuleViolation):
            peer_feedback.ask(org.supervisor, evaluation, ids, DUE)
    assert db.session.scalar(db.select(db.func.count(PeerFeedbackRequest.id))) == 1


@pytest.mark.parametrize("due_on, field", [(date(2026, 4, 5), "due_on"), (None, "due_on"),
                                           (date(2026, 7, 1), "due_on")])
def test_the_deadline_is_today_or_later_within_sixty_days(org, evaluation, due_on, field):
    with pytest.raises(RuleViolation) as problem:
        peer_feedback.ask(org.supervisor, evaluation, [org.teammate.employee.id], due_on)
    assert problem.value.field == field
    peer_feedback.ask(org.supervisor, evaluation, [org.teammate.employee.id], date(2026, 4, 6))


def test_no_asking_once_the_evaluation_is_set(org, evaluation):
    evaluation.status = EvaluationStatus.FINAL
    db.session.commit()
    with pytest.raises(RuleViolation):
        peer_feedback.ask(org.supervisor, evaluation, [org.teammate.employee.id], DUE)


# ---------------------------------------------------------------- answering


def test_the_colleague_answers_once(org, evaluation):
    request = peer_feedback.ask(org.supervisor, evaluation, [org.teammate.employee.id], DUE)[0]
    peer_feedback.answer(org.teammate, request, all_as(Rating.ABOVE), "  Sangat membantu.  ")
    assert request.ratings == all_as(Rating.ABOVE)
    assert request.comment == "Sangat membantu."
    with pytest.raises(RuleViolation) as problem:
        peer_feedback.answer(org.teammate, request, all_as(Rating.BELOW), "")
    assert "sudah" in str(problem.value.message)
    assert request.ratings == all_as(Rating.ABOVE)


def test_only_the_colleague_answers(org, evaluation):
    request = peer_feedback.ask(org.supervisor, evaluation, [org.teammate.employee.id], DUE)[0]
    for user in (org.supervisor, org.employee, org.hr):
        with pytest.raises(NotAllowed):
            peer_feedback.answer(user, request, all_as(Rating.ABOVE), "")


def test_every_value_needs_a_rating(org, evaluation):
    request = peer_feedback.ask(org.supervisor, evaluation, [org.teammate.employee.id], DUE)[0]
    ratings = all_as(Rating.ABOVE)
    ratings.pop(Behaviour.LOYAL.value)
    with pytest.raises(RuleViolation) as problem:
        peer_feedback.answer(org.teammate, request, ratings, "")
    assert problem.value.field == "loyal"
    with pytest.raises(RuleViolation):
        peer_feedback.answer(org.teammate, request, {**all_as(Rating.ABOVE), "loyal": "luar biasa"}, "")


def test_no_answer_after_the_deadline(org, evaluation, frozen_clock):
    request = peer_feedback.ask(org.supervisor, evaluation, [org.teammate.employee.id], DUE)[0]
    frozen_clock.move_to(datetime(2026, 4, 10, 15, 59, tzinfo=UTC))  # 23:59 WITA on the due day
    assert peer_feedback.answer_problem(request, calendar.today_in(org.teammate.employee.time_zone)) is None
    frozen_clock.move_to(datetime(2026, 4, 10, 16, 1, tzinfo=UTC))  # 00:01 WITA the day after
    with pytest.raises(RuleViolation) as problem:
        peer_feedback.answer(org.teammate, request, all_as(Rating.ABOVE), "")
    assert "lewat" in str(problem.value.message)


# ---------------------------------------------------------------- the anonymous summary


def _answered_by_three(org, evaluation):
    extra = colleagues(org, 2)
    people = [org.teammate, *extra]
    requests = peer_feedback.ask(org.supervisor, evaluation, [u.employee.id for u in people], DUE)
    by_colleague = {r.colleague_id: r for r in requests}
    answers = [
        (org.teammate, Rating.ABOVE, "Komentar dari Rudi yang khas"),
        (extra[0], Rating.AS_EXPECTED, ""),
        (extra[1], Rating.AS_EXPECTED, "Komentar kedua"),
    ]
    for user, rating, comment in answers:
        peer_feedback.answer(user, by_colleague[user.employee.id], all_as(rating), comment)
    return people


def test_the_summary_counts_answers_without_names(org, evaluation):
    people = _answered_by_three(org, evaluation)
    summary = peer_feedback.peer_feedback_summary(evaluation)
    assert (summary.asked, summary.answered, summary.waiting, summary.visible) == (3, 3, 0, True)
    service = next(t for t in summary.behaviours if t.behaviour is Behaviour.SERVICE)
    assert service.counts == {Rating.ABOVE: 1, Rating.AS_EXPECTED: 2, Rating.BELOW: 0}
    assert [c.label for c in summary.comments] == ["Rekan 1", "Rekan 2"]
    assert {c.text for c in summary.comments} == {"Komentar dari Rudi yang khas", "Komentar kedua"}
    flat = repr(dataclasses.asdict(summary))
    for user in people:
        assert user.employee.name not in flat
        assert f"'id': {user.employee.id}" not in flat
    assert "colleague" not in flat and "request" not in flat


def test_the_comment_order_does_not_follow_the_order_of_answers(org, evaluation, app):
    """Stable for an evaluation, but drawn from the secret: not the order of asking."""
    _answered_by_three(org, evaluation)
    first = [c.text for c in peer_feedback.peer_feedback_summary(evaluation).comments]
    assert first == [c.text for c in peer_feedback.peer_feedback_summary(evaluation).comments]
    orders = set()
    for n in range(20):
        app.config["SECRET_KEY"] = f"key {n}"
        orders.add(tuple(c.text for c in peer_feedback.peer_feedback_summary(evaluation).comments))
    assert len(orders) == 2


def test_answers_stay_hidden_while_one_could_be_told_apart(org, evaluation, frozen_clock):
    requests = peer_feedback.ask(org.supervisor, evaluation,
                                 [org.teammate.employee.id, colleagues(org, 1)[0].employee.id], DUE)
    summary = peer_feedback.peer_feedback_summary(evaluation)
    assert not summary.visible and summary.waiting == 2 and summary.behaviours == []
    mine = next(r for r in requests if r.colleague_id == org.teammate.employee.id)
    peer_feedback.answer(org.teammate, mine, all_as(Rating.BELOW), "Satu-satunya")
    summary = peer_feedback.peer_feedback_summary(evaluation)
    assert (summary.answered, summary.visible, summary.comments) == (1, False, [])
    assert "masih ditunggu" in str(summary.hidden_reason)
    # The other's deadline passes: one answer alone would still say whose it is.
    frozen_clock.move_to(datetime(2026, 4, 12, 2, 0, tzinfo=UTC))
    summary = peer_feedback.peer_feedback_summary(evaluation)
    assert (summary.waiting, summary.visible) == (0, False)
    assert "paling sedikit 2" in str(summary.hidden_reason)


def test_nobody_more_is_asked_once_the_answers_are_shown(org, evaluation):
    """The attack: ask one more colleague after the summary was seen; the next summary minus
    the first is that colleague's ratings and comment. Late requests are refused."""
    _answered_by_three(org, evaluation)
    assert peer_feedback.peer_feedback_summary(evaluation).visible
    late = colleagues(org, 4)[3]
    assert not peer_feedback.can_ask(org.supervisor, evaluation)
    for requester in (org.supervisor, org.hr):
        with pytest.raises(RuleViolation, match="sudah ditampilkan"):
            peer_feedback.ask(requester, evaluation, [late.employee.id], DUE)
    assert db.session.scalar(db.select(db.func.count(PeerFeedbackRequest.id))) == 3


def test_more_colleagues_may_be_asked_while_the_answers_are_hidden(org, evaluation, frozen_clock):
    """One answer and one lapsed request show nothing, so asking more reveals nothing."""
    first, second = colleagues(org, 2)
    requests = peer_feedback.ask(org.supervisor, evaluation,
                                 [first.employee.id, second.employee.id], DUE)
    mine = next(r for r in requests if r.colleague_id == first.employee.id)
    peer_feedback.answer(first, mine, all_as(Rating.ABOVE), None)
    frozen_clock.move_to(datetime(2026, 4, 12, 2, 0, tzinfo=UTC))
    assert not peer_feedback.peer_feedback_summary(evaluation).visible
    assert peer_feedback.can_ask(org.supervisor, evaluation)
    peer_feedback.ask(org.supervisor, evaluation, [org.teammate.employee.id], date(2026, 4, 20))


# ---------------------------------------------------------------- pages


def test_the_requester_page_lists_who_was_asked_apart_from_the_answers(org, evaluation,
                                                                      login_as):
    _answered_by_three(org, evaluation)
    budi = login_as("supervisor")
    page = budi.get(f"/penilaian/{evaluation.id}/rekan")
    assert page.status_code == 200
    html = page.text
    summary_html = html[html.index('class="peer-summary"'):html.index("</section>",
                                                                       html.index('class="peer-summary"'))]
    assert "Komentar dari Rudi yang khas" in summary_html
    assert "Rekan 1" in summary_html
    for name in ("Rudi Hartono", "Rekan Nomor 0", "Rekan Nomor 1"):
        assert name not in summary_html
        assert name in html  # the list of who was asked
    asked_html = html[html.index('id="asked-heading"'):]
    asked_html = asked_html[:asked_html.index("</section>")]
    assert "Komentar" not in asked_html and "Di Atas" not in asked_html
    assert re.search(r"Rudi Hartono</td>\s*<td[^>]*>[^<]*</td>\s*<td[^>]*><span class=\"badge badge-ok\">",
                     asked_html)


def test_asking_through_the_page(org, evaluation, login_as):
    budi = login_as("supervisor")
    url = f"/penilaian/{evaluation.id}/rekan"
    assert "Rudi Hartono" in budi.get(url).text
    response = budi.post(url, data={"colleagues": [str(org.teammate.employee.id)],
                                    "due_on": "2026-04-10"})
    assert response.status_code == 302
    assert db.session.scalar(db.select(PeerFeedbackRequest.colleague_id)) == org.teammate.employee.id
    again = budi.post(url, data={"colleagues": [str(org.teammate.employee.id)], "due_on": "2026-04-10"})
    assert again.status_code == 400
    assert "tidak dapat diminta" in again.text
    nobody = budi.post(url, data={"due_on": "2026-04-10"})
    assert nobody.status_code == 400 and "Pilih paling sedikit satu rekan" in nobody.text
    bad_date = budi.post(url, data={"colleagues": ["abc"], "due_on": "kemarin"})
    assert bad_date.status_code == 400


def test_the_search_fragment(org, evaluation, login_as):
    budi = login_as("supervisor")
    response = budi.get(f"/penilaian/{evaluation.id}/rekan?q=siti", headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert "Hj. Siti Rahmawati" in response.text and "<html" not in response.text


def test_the_requester_page_is_for_the_appraiser_and_hr(org, evaluation, login_as):
    url = f"/penilaian/{evaluation.id}/rekan"
    assert login_as("hr").get(url).status_code == 200
    for role in ("employee", "head", "admin", "outsider"):
        assert login_as(role).get(url).status_code == 403, role
    assert login_as("employee").post(url, data={"colleagues": [str(org.teammate.employee.id)],
                                                "due_on": "2026-04-10"}).status_code == 403
    assert login_as("supervisor").get("/penilaian/999999/rekan").status_code == 404


def test_the_colleague_sees_and_answers_their_request(org, evaluation, client, auth):
    request = peer_feedback.ask(org.supervisor, evaluation, [org.teammate.employee.id], DUE)[0]
    auth.login("rekan")
    inbox = client.get("/umpan-balik-rekan")
    assert inbox.status_code == 200
    assert "Ani Lestari" in inbox.text and "10 Apr 2026" in inbox.text
    url = f"/umpan-balik-rekan/{request.id}"
    page = client.get(url)
    assert page.status_code == 200 and "Berorientasi Pelayanan" in page.text
    partial = client.post(url, data={"berorientasi_pelayanan": "di_atas"})
    assert partial.status_code == 400 and "Pilih salah satu" in partial.text
    data = {**all_as(Rating.AS_EXPECTED), "comment": "Rajin dan ramah."}
    assert client.post(url, data=data).status_code == 302
    db.session.expire_all()
    assert db.session.get(PeerFeedbackRequest, request.id).comment == "Rajin dan ramah."
    again = client.post(url, data=data)
    assert again.status_code == 400 and "sudah Anda kirim" in again.text
    assert "Terkirim" in client.get("/umpan-balik-rekan").text


def test_answering_after_the_deadline_is_a_clear_400(org, evaluation, client, auth, frozen_clock):
    request = peer_feedback.ask(org.supervisor, evaluation, [org.teammate.employee.id], DUE)[0]
    frozen_clock.move_to(datetime(2026, 4, 11, 2, 0, tzinfo=UTC))
    auth.login("rekan")
    response = client.post(f"/umpan-balik-rekan/{request.id}", data=all_as(Rating.ABOVE))
    assert response.status_code == 400
    assert "Batas waktu umpan balik ini sudah lewat" in response.text
    assert "Lewat batas waktu" in client.get("/umpan-balik-rekan").text


def test_a_request_page_is_only_for_its_colleague(org, evaluation, login_as):
    request = peer_feedback.ask(org.supervisor, evaluation, [org.teammate.employee.id], DUE)[0]
    for role in ("employee", "supervisor", "head", "hr", "admin", "outsider"):
        client = login_as(role)
        assert client.get(f"/umpan-balik-rekan/{request.id}").status_code == 403, role
        assert client.post(f"/umpan-balik-rekan/{request.id}",
                           data=all_as(Rating.BELOW)).status_code == 403, role
    assert db.session.get(PeerFeedbackRequest, request.id).answered_at is None


def test_the_page_says_why_nobody_more_can_be_asked(org, evaluation, login_as):
    _answered_by_three(org, evaluation)
    budi = login_as("supervisor")
    url = f"/penilaian/{evaluation.id}/rekan"
    page = budi.get(url)
    assert "Kirim permintaan" not in page.text
    assert "tidak dapat meminta rekan lain lagi" in page.text
    response = budi.post(url, data={"colleagues": [str(colleagues(org, 4)[3].employee.id)],
                                    "due_on": "2026-04-10"})
    assert response.status_code == 400 and "sudah ditampilkan" in response.text


def test_asking_on_a_set_evaluation_is_a_clear_400(org, evaluation, login_as):
    evaluation.status = EvaluationStatus.FINAL
    db.session.commit()
    budi = login_as("supervisor")
    url = f"/penilaian/{evaluation.id}/rekan"
    page = budi.get(url)
    assert page.status_code == 200 and "Kirim permintaan" not in page.text
    response = budi.post(url, data={"colleagues": [str(org.teammate.employee.id)],
                                    "due_on": "2026-04-10"})
    assert response.status_code == 400
    assert "umpan balik rekan tidak dapat diminta lagi" in response.text


def test_the_search_takes_wildcards_literally(org, evaluation):
    assert peer_feedback.colleague_choices(org.supervisor, evaluation, "%").found == []
    assert peer_feedback.colleague_choices(org.supervisor, evaluation, "_").found == []
    nip = org.head.employee.nip
    assert peer_feedback.colleague_choices(org.supervisor, evaluation, nip[:8]).found == [
        org.head.employee]

"""Peer feedback (umpan balik rekan): while an evaluation is a draft, the appraiser or HR asks
colleagues to rate the employee's behaviour on the seven BerAKHLAK values by a deadline; the
colleague answers once; the appraiser sees the answers counted, never whose they are.

Anonymity: who was asked (and whether they answered) is shown to the requester, so the
answers are shown only together (peer_feedback_summary), and only once at least MIN_ANSWERS
colleagues answered and no request is still open (answered, or past its deadline) — otherwise
the first answer, or the difference a late answer makes, would tell whose it is. For the same
reason, once the answers are shown the asking is over: a colleague asked after that would be the
difference between two summaries, so late requests are refused (the guide says so). Comments
come in an order drawn from the app's secret, not the order of asking or answering.
"""
import hashlib
import hmac
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, or_

from kinerja.appraisal.models import Evaluation, EvaluationStatus, PeerFeedbackRequest
from kinerja.appraisal.predikat import Behaviour, Rating
from kinerja.core import audit, calendar
from kinerja.core.errors import NotAllowed, RuleViolation
from kinerja.core.types import utcnow
from kinerja.extensions import db
from kinerja.notifications import notifications
from kinerja.organisation import access, tree
from kinerja.organisation.models import Employee, Unit, UnitKind, User

MIN_ANSWERS = 2
MAX_DAYS_AHEAD = 60
MAX_COMMENT = 2000
SEARCH_LIMIT = 30


# ---------------------------------------------------------------- who may be asked


def dinas_of(unit: Unit | None) -> Unit | None:
    """The organisation (OPD) a unit belongs to: the top of its tree, or the unit just below a
    Sekretariat Daerah at the top (a dinas, badan or kecamatan under the regency's secretariat)."""
    chain = tree.unit_and_ancestors(unit)
    if not chain:
        return None
    if len(chain) > 1 and chain[-1].kind is UnitKind.SEKRETARIAT:
        return chain[-2]
    return chain[-1]


def _candidates(evaluation: Evaluation, requester: User):
    """Active employees other than the evaluated one and the requester, not asked yet."""
    asked = db.select(PeerFeedbackRequest.colleague_id).where(
        PeerFeedbackRequest.evaluation_id == evaluation.id)
    return (db.select(Employee).where(
        Employee.active.is_(True), Employee.id != evaluation.employee_id,
        Employee.id != requester.employee.id, Employee.id.not_in(asked))
        .order_by(Employee.name, Employee.id))


@dataclass
class Choices:
    unit: Unit | None
    dinas: Unit | None
    same_unit: list[Employee]
    found: list[Employee]       # dinas-wide search results (empty without a search)
    search: str


def colleague_choices(requester: User, evaluation: Evaluation, search: str = "") -> Choices:
    """Colleagues of the evaluated employee who may be asked: their unit's, and a search over
    the whole dinas by name or NIP."""
    employee = evaluation.employee
    unit, dinas = employee.unit, dinas_of(employee.unit)
    same_unit = db.session.scalars(_candidates(evaluation, requester)
                                   .where(Employee.unit_id == unit.id)).all() if unit else []
    search = " ".join((search or "").split())[:100]
    found: list[Employee] = []
    if search and dinas is not None:
        found = db.session.scalars(
            _candidates(evaluation, requester)
            .where(Employee.unit_id.in_(tree.subtree_ids(dinas)),
                   or_(func.lower(Employee.name).contains(search.lower(), autoescape=True),
                       Employee.nip.startswith(search, autoescape=True)))
            .limit(SEARCH_LIMIT)).all()
    return Choices(unit=unit, dinas=dinas, same_unit=list(same_unit), found=list(found),
                   search=search)


def _allowed_colleague_ids(requester: User, evaluation: Evaluation, wanted: set[int]) -> set[int]:
    dinas = dinas_of(evaluation.employee.unit)
    if dinas is None:
        return set()
    return set(db.session.scalars(
        _candidates(evaluation, requester).with_only_columns(Employee.id)
        .where(Employee.id.in_(wanted), Employee.unit_id.in_(tree.subtree_ids(dinas)))))


# ---------------------------------------------------------------- asking


def can_ask(user: User, evaluation: Evaluation, today: date | None = None) -> bool:
    return (evaluation.status is EvaluationStatus.DRAFT
            and access.can_request_peer_feedback(user, evaluation)
            and not answers_shown(evaluation, today))


def ask(actor: User, evaluation: Evaluation, colleague_ids, due_on: date | None,
        today: date | None = None) -> list[PeerFeedbackRequest]:
    """Ask colleagues for feedback on the evaluated employee by `due_on`; each colleague is
    notified. A colleague is asked once per evaluation."""
    if not access.can_request_peer_feedback(actor, evaluation):
        raise NotAllowed
    if evaluation.status is not EvaluationStatus.DRAFT:
        raise RuleViolation(_l("Penilaian ini sudah ditetapkan: umpan balik rekan tidak dapat "
                               "diminta lagi."))
    today = today or calendar.today_in(evaluation.employee.time_zone)
    if answers_shown(evaluation, today):
        raise RuleViolation(_l("Jawaban rekan sudah ditampilkan: permintaan baru tidak dapat "
                               "dibuat, karena selisihnya akan membuka jawaban rekan yang baru "
                               "diminta."))
    if due_on is None:
        raise RuleViolation(_l("Isi batas waktu."), field="due_on")
    if due_on < today:
        raise RuleViolation(_l("Batas waktu tidak boleh sebelum hari ini."), field="due_on")
    if due_on > today + timedelta(days=MAX_DAYS_AHEAD):
        raise RuleViolation(_l("Batas waktu paling lambat %(days)s hari dari hari ini.",
                               days=MAX_DAYS_AHEAD), field="due_on")
    wanted = {int(i) for i in colleague_ids or ()}
    if not wanted:
        raise RuleViolation(_l("Pilih paling sedikit satu rekan."), field="colleagues")
    allowed = _allowed_colleague_ids(actor, evaluation, wanted)
    if wanted - allowed:
        raise RuleViolation(_l("Rekan yang dipilih tidak dapat diminta umpan balik (sudah diminta, "
                               "tidak aktif, di luar dinas, atau pegawai yang dinilai)."),
                            field="colleagues")
    colleagues = db.session.scalars(db.select(Employee).where(Employee.id.in_(allowed))
                                    .order_by(Employee.name)).all()
    created = []
    for colleague in colleagues:
        request = PeerFeedbackRequest(evaluation=evaluation, colleague=colleague,
                                      requested_by=actor, due_on=due_on)
        db.session.add(request)
        created.append(request)
    db.session.flush()
    for request in created:
        notifications.notify(
            request.colleague, "peer_feedback_requested", key=f"peer_feedback:{request.id}",
            link=notifications.link_to("portal.peer_feedback_answer", request_id=request.id),
            employee_name=evaluation.employee.name, due_on=due_on)
    audit.record("peer_feedback.requested", actor=actor, subject=evaluation,
                 summary=f"{len(created)} rekan diminta umpan balik",
                 colleagues=len(created), due_on=due_on.isoformat())
    db.session.commit()
    return created


@dataclass
class Asked:
    """A line of the requester's list: who was asked, by when, and whether they answered —
    never what they answered."""
    name: str
    due_on: date
    answered: bool


def asked_list(actor: User, evaluation: Evaluation) -> list[Asked]:
    if not access.can_request_peer_feedback(actor, evaluation):
        raise NotAllowed
    # Ordered by name, not by request or answer, so the list says nothing about the order of
    # the answers.
    rows = db.session.execute(
        db.select(Employee.name, PeerFeedbackRequest.due_on,
                  PeerFeedbackRequest.answered_at.is_not(None))
        .join(Employee, PeerFeedbackRequest.colleague_id == Employee.id)
        .where(PeerFeedbackRequest.evaluation_id == evaluation.id)
        .order_by(Employee.name, Employee.id)).all()
    return [Asked(name=name, due_on=due_on, answered=bool(answered)) for name, due_on, answered in rows]


# ---------------------------------------------------------------- answering


def is_open(request: PeerFeedbackRequest, today: date) -> bool:
    return (request.answered_at is None and request.due_on >= today
            and request.evaluation.status is EvaluationStatus.DRAFT)


@dataclass
class Inbox:
    open: list[PeerFeedbackRequest]
    closed: list[PeerFeedbackRequest]
    today: date


def inbox(user: User, today: date | None = None) -> Inbox:
    """The requests addressed to the user: open ones (soonest deadline first), then the rest."""
    today = today or calendar.today_in(user.employee.time_zone)
    requests = db.session.scalars(
        db.select(PeerFeedbackRequest).where(PeerFeedbackRequest.colleague_id == user.employee.id)
        .options(db.joinedload(PeerFeedbackRequest.evaluation).joinedload(Evaluation.employee))
        .order_by(PeerFeedbackRequest.due_on, PeerFeedbackRequest.id)).all()
    open_ = [r for r in requests if is_open(r, today)]
    closed = sorted((r for r in requests if not is_open(r, today)),
                    key=lambda r: r.due_on, reverse=True)
    return Inbox(open=open_, closed=closed, today=today)


def open_count(user: User, today: date | None = None) -> int:
    today = today or calendar.today_in(user.employee.time_zone)
    return db.session.scalar(
        db.select(func.count(PeerFeedbackRequest.id))
        .join(Evaluation, PeerFeedbackRequest.evaluation_id == Evaluation.id)
        .where(PeerFeedbackRequest.colleague_id == user.employee.id,
               PeerFeedbackRequest.answered_at.is_(None), PeerFeedbackRequest.due_on >= today,
               Evaluation.status == EvaluationStatus.DRAFT)) or 0


def answer_problem(request: PeerFeedbackRequest, today: date):
    """Why the request can no longer be answered (None: it can)."""
    if request.answered_at is not None:
        return _l("Umpan balik ini sudah Anda kirim; jawaban tidak dapat diubah.")
    if request.due_on < today:
        return _l("Batas waktu umpan balik ini sudah lewat.")
    if request.evaluation.status is not EvaluationStatus.DRAFT:
        return _l("Penilaian ini sudah ditetapkan: umpan balik tidak diperlukan lagi.")
    return None


def answer(actor: User, request: PeerFeedbackRequest, ratings: dict, comment: str | None,
           today: date | None = None) -> None:
    """The colleague's answer: a rating for each of the seven values, an optional comment."""
    if not access.can_answer_peer_feedback(actor, request):
        raise NotAllowed
    today = today or calendar.today_in(actor.employee.time_zone)
    if (problem := answer_problem(request, today)) is not None:
        raise RuleViolation(problem)
    clean = {}
    for behaviour in Behaviour:
        value = (ratings or {}).get(behaviour.value)
        if value not in {r.value for r in Rating}:
            raise RuleViolation(_l("Beri nilai untuk setiap nilai BerAKHLAK."), field=behaviour.value)
        clean[behaviour.value] = value
    comment = (comment or "").strip()
    if len(comment) > MAX_COMMENT:
        raise RuleViolation(_l("Komentar paling panjang %(n)s karakter.", n=MAX_COMMENT),
                            field="comment")
    request.ratings, request.comment, request.answered_at = clean, comment or None, utcnow()
    # The trail records that an answer came, not what it said.
    audit.record("peer_feedback.answered", actor=actor, subject=request.evaluation)
    db.session.commit()


# ---------------------------------------------------------------- the anonymous summary


@dataclass
class BehaviourTally:
    behaviour: Behaviour
    label: str
    counts: dict[Rating, int]


@dataclass
class AnonymousComment:
    label: str      # "Rekan 1", "Rekan 2"...
    text: str


@dataclass
class PeerSummary:
    """What the appraiser sees: counts per value and comments, with no names and no link from
    an answer to a person."""
    asked: int
    answered: int
    waiting: int                # still open (not answered, deadline not passed)
    visible: bool               # enough answers, none still open
    min_answers: int = MIN_ANSWERS
    behaviours: list[BehaviourTally] = field(default_factory=list)
    comments: list[AnonymousComment] = field(default_factory=list)

    @property
    def hidden_reason(self):
        if self.visible or not self.asked:
            return None
        if self.waiting:
            return _l("Jawaban ditampilkan setelah semua rekan menjawab atau batas waktunya lewat "
                      "(%(waiting)s masih ditunggu).", waiting=self.waiting)
        return _l("Jawaban ditampilkan bila paling sedikit %(n)s rekan menjawab.", n=self.min_answers)


def _shuffle_key(evaluation_id: int, request_id: int) -> str:
    secret = str(current_app.config["SECRET_KEY"]).encode()
    return hmac.new(secret, f"peer:{evaluation_id}:{request_id}".encode(), hashlib.sha256).hexdigest()


def _answers(evaluation: Evaluation, today: date | None):
    """The requests about `evaluation` (with their answers), and how many are still open."""
    today = today or calendar.today_in(evaluation.employee.time_zone)
    rows = db.session.execute(
        db.select(PeerFeedbackRequest.id, PeerFeedbackRequest.due_on, PeerFeedbackRequest.ratings,
                  PeerFeedbackRequest.comment, PeerFeedbackRequest.answered_at)
        .where(PeerFeedbackRequest.evaluation_id == evaluation.id)).all()
    draft = evaluation.status is EvaluationStatus.DRAFT
    waiting = sum(1 for row in rows if row.answered_at is None and row.due_on >= today and draft)
    return rows, waiting


def _visible(answered: int, waiting: int) -> bool:
    return answered >= MIN_ANSWERS and not waiting


def answers_shown(evaluation: Evaluation, today: date | None = None) -> bool:
    """Are the answers about `evaluation` shown (enough of them, none still open)? From then on
    nobody more may be asked."""
    rows, waiting = _answers(evaluation, today)
    return _visible(sum(1 for row in rows if row.answered_at is not None), waiting)


def peer_feedback_summary(evaluation: Evaluation, today: date | None = None) -> PeerSummary:
    """The answers about `evaluation`, counted per BerAKHLAK value, with the comments as
    "Rekan 1, Rekan 2..." in a stable order unrelated to who answered when. Two queries."""
    rows, waiting = _answers(evaluation, today)
    answered = [row for row in rows if row.answered_at is not None]
    summary = PeerSummary(asked=len(rows), answered=len(answered), waiting=waiting,
                          visible=_visible(len(answered), waiting))
    if not summary.visible:
        return summary
    for behaviour in Behaviour:
        counts = Counter((row.ratings or {}).get(behaviour.value) for row in answered)
        summary.behaviours.append(BehaviourTally(
            behaviour=behaviour, label=str(behaviour.label),
            counts={rating: counts.get(rating.value, 0) for rating in Rating}))
    ordered = sorted(answered, key=lambda row: _shuffle_key(evaluation.id, row.id))
    summary.comments = [AnonymousComment(label=str(_l("Rekan %(n)s", n=n)), text=row.comment)
                        for n, row in enumerate((r for r in ordered if r.comment), start=1)]
    return summary

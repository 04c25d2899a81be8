"""Public transparency of IKM (PermenPANRB 14/2017 asks for SKM results to be published): HR
publishes a unit's result for a period and may withdraw it (audited); its rencana tindak lanjut
(kinerja.publication.follow_up) shows beside it once HR approves it.

The public figures come from the daily rollups only (grouped SUMs, like the IKM report), never
from raw ratings, and are kept a few minutes in a small in-process cache keyed by publication:
a public page under load costs one query for the publication row and nothing more.
"""
import threading
import time
from dataclasses import dataclass, field
from datetime import date, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import func

from kinerja.core import audit, calendar
from kinerja.core.errors import NotAllowed, RuleViolation
from kinerja.core.types import utcnow
from kinerja.extensions import db
from kinerja.feedback import complaints, ikm, ikm_figures, ikm_scope, ikm_services, ikm_weights
from kinerja.feedback.ikm_figures import NrrRow
from kinerja.feedback.models import Complaint, ComplaintStatus, DailyRollup
from kinerja.organisation import access, tree
from kinerja.organisation.models import ServiceCounter, Unit, User
from kinerja.organisation.tree import UnitTree
from kinerja.publication import follow_up
from kinerja.publication.models import FollowUpPlan, IkmPublication, PublicationStatus

MAX_LABEL = 60
MAX_REASON = 300
TREND_PERIODS = 8  # other published periods of the unit shown beside the current one
CACHE_SECONDS = 300
ROMAN = ("I", "II", "III", "IV")



# ---------------------------------------------------------------- periods HR may pick


@dataclass(frozen=True)
class PeriodChoice:
    label: str
    start: date
    end: date


def period_choices(today: date) -> list[PeriodChoice]:
    """Ended quarters, semesters and years of this year and the last, newest first: the
    periods SKM results are usually published for."""
    found = []
    for year in (today.year, today.year - 1):
        for q in range(4, 0, -1):
            start = date(year, 3 * q - 2, 1)
            end = date(year + (q == 4), 1 if q == 4 else 3 * q + 1, 1) - timedelta(days=1)
            found.append(PeriodChoice(str(_l("Triwulan %(n)s %(year)s", n=ROMAN[q - 1], year=year)),
                                      start, end))
        for s, (start, end) in ((2, (date(year, 7, 1), date(year, 12, 31))),
                                (1, (date(year, 1, 1), date(year, 6, 30)))):
            found.append(PeriodChoice(str(_l("Semester %(n)s %(year)s", n=ROMAN[s - 1], year=year)),
                                      start, end))
        found.append(PeriodChoice(str(_l("Tahun %(year)s", year=year)), date(year, 1, 1),
                                  date(year, 12, 31)))
    return sorted((c for c in found if c.end < today), key=lambda c: (c.end, c.start), reverse=True)


# ---------------------------------------------------------------- figures (rollups only)


def _sums():
    return [func.coalesce(func.sum(getattr(DailyRollup, column)), 0).label(column)
            for column in ikm_figures.SUM_COLUMNS]


@dataclass(frozen=True)
class ServiceRow:
    code: str
    name: str
    figures: ikm_figures.Figures


@dataclass(frozen=True)
class ComplaintFigures:
    received: int = 0
    answered: int = 0   # answered or closed
    open: int = 0
    overdue: int = 0    # still open past the working days allowed, as of now


@dataclass(frozen=True)
class Figures:
    """Everything the public page shows for one publication: numbers only, no names of people."""
    totals: ikm_figures.Figures
    services: list[ServiceRow]
    complaints: ComplaintFigures
    computed_at: float = field(default_factory=time.monotonic)

    @property
    def survey(self) -> ikm.Ikm:
        return self.totals.survey

    @property
    def nrr_rows(self) -> list[NrrRow]:
        return self.totals.nrr_rows


def _unit_ids(unit: Unit) -> list[int]:
    return sorted(tree.subtree_ids(unit))


def _totals(unit_ids: list[int], start: date, end: date,
            weight: str = ikm.DEFAULT_WEIGHT) -> ikm_figures.Figures:
    row = db.session.execute(
        db.select(*_sums()).select_from(DailyRollup)
        .join(ServiceCounter, ServiceCounter.id == DailyRollup.counter_id)
        .where(ServiceCounter.unit_id.in_(unit_ids), DailyRollup.day >= start,
               DailyRollup.day <= end)).one()
    return ikm_figures.Figures.from_row(row._mapping, weight)


def _services(unit_ids: list[int], start: date, end: date,
              totals: ikm_figures.Figures) -> list[ServiceRow]:
    """Per service received, from the ratings naming it only (kinerja.feedback.ikm_services),
    then the ratings naming none as "layanan tidak disebut" (code "")."""
    counters = db.select(ServiceCounter.id).where(ServiceCounter.unit_id.in_(unit_ids))
    breakdown = ikm_services.per_service(counters, start, end, totals)
    return [ServiceRow(line.code or "", line.name, line.figures) for line in breakdown.lines]


def _complaints(unit_ids: list[int], start: date, end: date) -> ComplaintFigures:
    """Counts only, for complaints that arrived in the period (in the unit's time zone)."""
    where = [Complaint.unit_id.in_(unit_ids), complaints.received_between(start, end)]
    by_status = dict(db.session.execute(
        db.select(Complaint.status, func.count(Complaint.id))
        .join(Unit, Complaint.unit_id == Unit.id).where(*where)
        .group_by(Complaint.status)).all())
    overdue = db.session.scalar(
        db.select(func.count(Complaint.id)).join(Unit, Complaint.unit_id == Unit.id)
        .where(*where, complaints.overdue_clause(utcnow(), complaints.overdue_working_days()))) or 0
    count = {ComplaintStatus(status): n for status, n in by_status.items()}
    return ComplaintFigures(
        received=sum(count.values()),
        answered=count.get(ComplaintStatus.ANSWERED, 0) + count.get(ComplaintStatus.CLOSED, 0),
        open=count.get(ComplaintStatus.RECEIVED, 0) + count.get(ComplaintStatus.IN_PROGRESS, 0),
        overdue=overdue)


def compute(publication: IkmPublication) -> Figures:
    unit_ids = _unit_ids(publication.unit)
    weight = ikm_weights.convention_for_range(publication.start, publication.end)
    totals = _totals(unit_ids, publication.start, publication.end, weight)
    return Figures(totals, _services(unit_ids, publication.start, publication.end, totals),
                   _complaints(unit_ids, publication.start, publication.end))


_cache: dict[tuple, Figures] = {}
_cache_lock = threading.Lock()


def clear_cache() -> None:
    with _cache_lock:
        _cache.clear()


def figures(publication: IkmPublication) -> Figures:
    """The publication's figures, from the cache when computed in the last few minutes. The
    key holds what the figures depend on, so a changed or reused row never reads stale ones."""
    key = (publication.id, publication.unit_id, publication.start, publication.end,
           publication.published_at)
    now = time.monotonic()
    with _cache_lock:
        found = _cache.get(key)
    if found is not None and now - found.computed_at < CACHE_SECONDS:
        return found
    fresh = compute(publication)
    with _cache_lock:
        if len(_cache) > 2000:  # bounded: drop everything rather than grow without end
            _cache.clear()
        _cache[key] = fresh
    return fresh


# ---------------------------------------------------------------- the public reads


def published() -> list[IkmPublication]:
    """Every published publication with its unit, newest period first."""
    return list(db.session.scalars(
        db.select(IkmPublication).options(db.joinedload(IkmPublication.unit))
        .where(IkmPublication.status == PublicationStatus.PUBLISHED)
        .order_by(IkmPublication.end.desc(), IkmPublication.start.desc(), IkmPublication.id)))


@dataclass
class UnitEntry:
    unit: Unit
    latest: IkmPublication
    figures: Figures
    earlier: int


def public_units() -> list[UnitEntry]:
    """The units with a published IKM, each with its latest published period, by name."""
    latest: dict[int, IkmPublication] = {}
    count: dict[int, int] = {}
    for publication in published():
        latest.setdefault(publication.unit_id, publication)
        count[publication.unit_id] = count.get(publication.unit_id, 0) + 1
    entries = [UnitEntry(p.unit, p, figures(p), count[p.unit_id] - 1) for p in latest.values()]
    return sorted(entries, key=lambda e: e.unit.name)


@dataclass(frozen=True)
class TrendRow:
    publication: IkmPublication
    figures: Figures
    current: bool


@dataclass
class PublicPage:
    publication: IkmPublication
    figures: Figures
    trend: list[TrendRow]
    plan: FollowUpPlan | None  # only an approved one


def public_publication(publication_id: int) -> PublicPage | None:
    """The public page of one publication; None when it does not exist or is not published."""
    publication = db.session.scalar(
        db.select(IkmPublication).options(db.joinedload(IkmPublication.unit),
                                          db.joinedload(IkmPublication.plan))
        .where(IkmPublication.id == publication_id,
               IkmPublication.status == PublicationStatus.PUBLISHED))
    if publication is None:
        return None
    # The same unit's published periods (the latest few): the trend, oldest first.
    history = list(db.session.scalars(
        db.select(IkmPublication)
        .where(IkmPublication.unit_id == publication.unit_id,
               IkmPublication.status == PublicationStatus.PUBLISHED)
        .order_by(IkmPublication.end.desc(), IkmPublication.start.desc())
        .limit(TREND_PERIODS + 1)))
    if publication not in history:  # an old period opened by its link: keep it in view
        history = [*history[:TREND_PERIODS], publication]
        history.sort(key=lambda p: (p.end, p.start), reverse=True)
    trend = [TrendRow(p, figures(p), p.id == publication.id) for p in reversed(history)]
    return PublicPage(publication, figures(publication), trend, follow_up.approved_plan(publication))


# ---------------------------------------------------------------- HR: publish and withdraw


def publications_for_hr() -> list[IkmPublication]:
    return list(db.session.scalars(
        db.select(IkmPublication).options(db.joinedload(IkmPublication.unit),
                                          db.joinedload(IkmPublication.plan))
        .order_by(IkmPublication.published_at.desc(), IkmPublication.id.desc())))


def publish(actor: User, unit: Unit | None, start: date | None, end: date | None, label: str,
            today: date | None = None) -> IkmPublication:
    if not access.manages_publication(actor):
        raise NotAllowed
    if unit is None:
        raise RuleViolation(_l("Pilih unit."), "unit")
    if start is None or end is None:
        raise RuleViolation(_l("Isi tanggal awal dan akhir periode."), "start")
    ikm_scope.check_range(start, end, "end")
    today = today or calendar.today_in(unit.time_zone)
    if end >= today:
        raise RuleViolation(_l("Hanya periode yang sudah berakhir yang dapat diumumkan."), "end")
    label = (label or "").strip()
    if not label:
        raise RuleViolation(_l("Beri nama periode, misalnya Triwulan III 2026."), "label")
    if len(label) > MAX_LABEL:
        raise RuleViolation(_l("Nama periode paling panjang %(n)s karakter.", n=MAX_LABEL), "label")
    duplicate = db.session.scalar(db.select(IkmPublication.id).where(
        IkmPublication.unit_id == unit.id, IkmPublication.start == start,
        IkmPublication.end == end, IkmPublication.status == PublicationStatus.PUBLISHED))
    if duplicate is not None:
        raise RuleViolation(_l("IKM unit ini untuk periode tersebut sudah diumumkan."), "unit")
    totals = _totals(_unit_ids(unit), start, end)
    if totals.full_surveys == 0:
        raise RuleViolation(_l("Belum ada survei lengkap (9 unsur) untuk unit ini pada periode "
                               "tersebut: tidak ada yang dapat diumumkan."), "unit")
    publication = IkmPublication(unit=unit, start=start, end=end, label=label,
                                 published_by_id=actor.id, published_at=utcnow())
    db.session.add(publication)
    db.session.flush()
    audit.record("ikm.publish", actor=actor, subject=publication,
                 summary=f"IKM {unit.name} {label} diumumkan", unit=unit.code,
                 start=start.isoformat(), end=end.isoformat(), label=label)
    db.session.commit()
    return publication


def withdraw(actor: User, publication: IkmPublication, reason: str) -> IkmPublication:
    if not access.manages_publication(actor):
        raise NotAllowed
    if not publication.is_published:
        raise RuleViolation(_l("Publikasi ini sudah ditarik."))
    reason = (reason or "").strip()
    if not reason:
        raise RuleViolation(_l("Tuliskan alasan penarikan."), "reason")
    if len(reason) > MAX_REASON:
        raise RuleViolation(_l("Alasan paling panjang %(n)s karakter.", n=MAX_REASON), "reason")
    publication.status = PublicationStatus.WITHDRAWN
    publication.withdrawn_by_id = actor.id
    publication.withdrawn_at = utcnow()
    publication.withdraw_reason = reason
    audit.record("ikm.withdraw", actor=actor, subject=publication,
                 summary=f"IKM {publication.unit.name} {publication.label} ditarik",
                 reason=reason)
    db.session.commit()
    clear_cache()
    return publication


def publishable_units() -> list[Unit]:
    """Units with at least one service counter in them or below them, by name."""
    with_counters = set(db.session.scalars(db.select(ServiceCounter.unit_id).distinct()))
    units = db.session.scalars(db.select(Unit).where(Unit.active.is_(True))
                               .order_by(Unit.name)).all()
    active = UnitTree.from_pairs((u.id, u.parent_id) for u in units)
    covered = {above for unit_id in with_counters for above in active.up(unit_id)}
    return [u for u in units if u.id in covered]

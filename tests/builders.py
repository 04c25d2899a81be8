"""Small builders for test data: valid by default, every field overridable."""
import itertools
from datetime import date, timedelta

from kinerja.core.calendar import TimeZone
from kinerja.extensions import db
from kinerja.organisation.accounts import hash_password
from kinerja.organisation.models import Employee, Position, Service, ServiceCounter, Unit, UnitKind, User

PASSWORD = "sandi-rahasia-2026"
_sequence = itertools.count(1)


def valid_nip(n: int | None = None, *, sex: str = "1") -> str:
    """An 18-digit NIP with a real birth date, a real appointment month and a sex digit."""
    n = next(_sequence) if n is None else n
    birth = date(1965, 1, 1) + timedelta(days=n % 9000)  # born 1965-1989
    appointed = f"{birth.year + 20 + n % 15}{1 + n % 12:02d}"  # appointed aged 20-34
    return f"{birth:%Y%m%d}{appointed}{sex}{1 + n % 999:03d}"


def make_unit(name: str | None = None, *, parent: Unit | None = None, head: Employee | None = None,
              kind: UnitKind = UnitKind.DINAS, time_zone: TimeZone = TimeZone.WITA, **fields) -> Unit:
    n = next(_sequence)
    unit = Unit(code=fields.pop("code", f"U{n:04d}"), name=name or f"Unit {n}", kind=kind,
                time_zone=time_zone, parent=parent, **fields)
    db.session.add(unit)
    db.session.flush()
    if head is not None:
        unit.head = head
    db.session.commit()
    return unit


def make_employee(name: str | None = None, *, unit: Unit | None = None,
                  supervisor: Employee | None = None, position: str | None = None,
                  **fields) -> Employee:
    n = next(_sequence)
    employee = Employee(nip=fields.pop("nip", None) or valid_nip(n), name=name or f"Pegawai {n}",
                        unit=unit, supervisor=supervisor, **fields)
    db.session.add(employee)
    if position:
        with db.session.no_autoflush:
            employee.position = db.session.scalar(db.select(Position).filter_by(name=position)) \
                or Position(name=position)
    db.session.commit()
    return employee


def make_user(employee: Employee | None = None, *, username: str | None = None,
              password: str = PASSWORD, hr: bool = False, admin: bool = False, **fields) -> User:
    employee = employee or make_employee()
    user = User(employee=employee, username=username, password_hash=hash_password(password),
                is_hr=hr, is_admin=admin, **fields)
    db.session.add(user)
    db.session.commit()
    return user


def make_counter(unit: Unit, *, code: str | None = None, name: str = "Loket 1",
                 services: list[Service] = ()) -> ServiceCounter:
    counter = ServiceCounter(code=code or f"L{next(_sequence):04d}", name=name, unit=unit,
                             services=list(services))
    db.session.add(counter)
    db.session.commit()
    return counter


# ---------------------------------------------------------------- SKP

def make_period(year: int = 2026, *, status=None, cadence=None):
    from kinerja.core.calendar import Cadence
    from kinerja.performance.models import Period, PeriodStatus
    period = Period(year=year, status=status or PeriodStatus.OPEN,
                    cadence=cadence or Cadence.MONTHLY)
    db.session.add(period)
    db.session.commit()
    return period


def make_skp(employee: Employee, period, *, status=None, rhks: int = 0, months=(1, 12)):
    """An SKP with `rhks` RHK, each with one quantity indicator (target 12 dokumen), covering
    `months` (first, last) of the year."""
    from kinerja.performance.models import Skp, SkpStatus
    skp = Skp(employee=employee, period=period, status=status or SkpStatus.DRAFT,
              first_month=months[0], last_month=months[1])
    db.session.add(skp)
    db.session.commit()
    for n in range(rhks):
        make_rhk(skp, f"RHK {n + 1} {employee.name}")
    return skp


def make_rhk(skp, text: str = "Terlaksananya pelayanan", *, parent=None, kind=None,
             target: str = "12", unit_of_measure: str = "dokumen"):
    from decimal import Decimal

    from kinerja.performance.models import Aspect, Indicator, Rhk, RhkKind
    rhk = Rhk(skp=skp, text=text, parent=parent, kind=kind or RhkKind.MAIN,
              position=len(skp.rhks))
    rhk.indicators.append(Indicator(aspect=Aspect.QUANTITY, text=f"Jumlah {text.lower()}",
                                    target=Decimal(target), unit_of_measure=unit_of_measure))
    db.session.add(rhk)
    db.session.commit()
    return rhk


def make_activity(employee: Employee, rhk, day, *, quantity: str | None = "1", minutes: int = 60,
                  description: str = "Memverifikasi berkas permohonan", status=None):
    from decimal import Decimal

    from kinerja.performance import activity_rollup
    from kinerja.performance.models import Activity, ActivityStatus
    activity = Activity(employee=employee, period_id=rhk.skp.period_id, day=day, minutes=minutes,
                        description=description, rhk=rhk,
                        indicator=rhk.indicators[0] if rhk.indicators else None,
                        quantity=Decimal(quantity) if quantity is not None else None,
                        status=status or ActivityStatus.REPORTED)
    db.session.add(activity)
    db.session.flush()
    activity_rollup.apply(None, activity_rollup.counted(activity))
    db.session.commit()
    return activity


# ---------------------------------------------------------------- realisation, feedback, dialogues


def make_indicator(rhk, *, aspect=None, text: str = "Persentase berkas tanpa kesalahan",
                   target: str = "95", unit_of_measure: str = "persen"):
    """A second indicator on an RHK (quality, by default)."""
    from decimal import Decimal

    from kinerja.performance.models import Aspect, Indicator
    indicator = Indicator(rhk=rhk, aspect=aspect or Aspect.QUALITY, text=text,
                          target=Decimal(target), unit_of_measure=unit_of_measure,
                          position=len(rhk.indicators))
    db.session.add(indicator)
    db.session.commit()
    return indicator


def make_realisation(indicator, month: int, value: str | None = None, narrative: str | None = None):
    from decimal import Decimal

    from kinerja.performance.models import Realisation
    entry = Realisation(indicator=indicator, month=month, narrative=narrative,
                        value=Decimal(value) if value is not None else None)
    db.session.add(entry)
    db.session.commit()
    return entry


def make_team(supervisor: Employee, unit: Unit, period, size: int, *, activities_per_person: int = 2,
              day=None):
    """`size` staff under `supervisor` in `unit`, each with an SKP of two RHK (one quantity
    indicator each) and a few activities: for the heatmap and its query count."""
    day = day or date(period.year, 1, 15)
    people = []
    for n in range(size):
        person = make_employee(f"Staf {n:03d}", unit=unit, supervisor=supervisor)
        skp = make_skp(person, period, rhks=2)
        for rhk in skp.rhks:
            for _ in range(activities_per_person):
                make_activity(person, rhk, day)
        people.append(person)
    return people


# ---------------------------------------------------------------- kiosk

def make_kiosk(counter, name: str = "Tablet 1"):
    """A paired kiosk and its device token."""
    from kinerja.feedback import kiosks
    return kiosks.create_with_token(counter, name)


def rating_item(taken_at, score: int = 4, **fields) -> dict:
    import uuid
    return {"client_id": str(uuid.uuid4()), "taken_at": taken_at.isoformat(), "score": score,
            **fields}


# ---------------------------------------------------------------- daily activities and evidence

PDF_BYTES = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n"
PNG_BYTES = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00"
HTML_BYTES = b"<!doctype html><html><script>alert(document.cookie)</script></html>"
EXE_BYTES = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 48


def docx_bytes() -> bytes:
    """The smallest zip that is recognisably a Word document."""
    import io
    import zipfile
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


def make_reporter(employee: Employee, period=None, *, rhks: int = 1):
    """An employee ready to report daily activities: an open period and an SKP (a draft) with
    `rhks` RHK. Returns (period, skp)."""
    period = period or make_period()
    return period, make_skp(employee, period, rhks=rhks)


def make_evidence(activity, data: bytes = PDF_BYTES, name: str = "bukti.pdf", *, realisation=None):
    """A stored evidence file of an activity (or of a realisation, when given instead)."""
    from kinerja.performance import evidence
    owner = activity.employee if activity is not None else realisation.indicator.rhk.skp.employee
    file = evidence.store(None, owner, data, name, activity=activity, realisation=realisation)
    db.session.commit()
    return file


# ---------------------------------------------------------------- complaints, ratings, rosters


def make_complaint(counter, text: str = "Antrean terlalu lama, petugas belum datang.", *,
                   received_at=None, status=None, contact: str | None = None,
                   consent: bool = False, rating=None):
    from kinerja.core.types import utcnow
    from kinerja.feedback.models import Complaint, ComplaintStatus
    complaint = Complaint(counter_id=counter.id, unit_id=counter.unit_id, text=text,
                          contact=contact, contact_consent=consent,
                          status=status or ComplaintStatus.RECEIVED,
                          received_at=received_at or utcnow(),
                          rating_id=rating.id if rating is not None else None)
    db.session.add(complaint)
    db.session.commit()
    return complaint


def make_rating(counter, day, score: int = 4, *, elements: dict | None = None, staff=None,
                excluded: bool = False, taken_at=None):
    """A stored rating on a local day, stored directly (not through a kiosk); the database's
    triggers add it to the rollups when it is not excluded."""
    import uuid
    from datetime import UTC, datetime, time

    from kinerja.feedback.models import Rating
    taken_at = taken_at or datetime.combine(day, time(2, 0), tzinfo=UTC)
    rating = Rating(counter_id=counter.id, client_id=uuid.uuid4(), taken_at=taken_at,
                    received_at=taken_at, local_day=day, score=score,
                    staff_id=staff.id if staff is not None else None, excluded=excluded,
                    **{code.lower(): value for code, value in (elements or {}).items()})
    db.session.add(rating)
    db.session.commit()
    return rating


def make_rollup(counter, day, *, surveys: int, answer: int = 3, ratings: int | None = None):
    """A day's rollup of `surveys` complete surveys, every element answered `answer` (and the
    monthly rollups recounted from the daily ones, as the app keeps both)."""
    from kinerja.feedback import rollup_rebuild
    from kinerja.feedback.models import DailyRollup
    rollup = DailyRollup(counter_id=counter.id, day=day, ratings=ratings or surveys,
                         full_surveys=surveys, **{f"score_{answer}": ratings or surveys},
                         **{f"u{n}_sum": answer * surveys for n in range(1, 10)},
                         **{f"u{n}_n": surveys for n in range(1, 10)})
    db.session.add(rollup)
    db.session.flush()
    rollup_rebuild.rebuild_monthly_rollups()
    db.session.commit()
    return rollup


def make_service_rollup(counter, service, day, *, surveys: int, answer: int = 3):
    """The part of a day's rollup (make_rollup) whose ratings name `service`: `surveys` complete
    surveys, every element answered `answer` (monthly rows recounted, as the app keeps them)."""
    from kinerja.feedback import rollup_rebuild
    from kinerja.feedback.models import ServiceDailyRollup
    rollup = ServiceDailyRollup(counter_id=counter.id, service_id=service.id, day=day,
                                ratings=surveys, full_surveys=surveys,
                                **{f"score_{answer}": surveys},
                                **{f"u{n}_sum": answer * surveys for n in range(1, 10)},
                                **{f"u{n}_n": surveys for n in range(1, 10)})
    db.session.add(rollup)
    db.session.flush()
    rollup_rebuild.rebuild_monthly_rollups()
    db.session.commit()
    return rollup


def make_roster(counter, employee, *days):
    from kinerja.feedback.models import RosterEntry
    entries = [RosterEntry(counter_id=counter.id, employee_id=employee.id, day=day) for day in days]
    db.session.add_all(entries)
    db.session.commit()
    return entries


# ---------------------------------------------------------------- ikm reports, API tokens

def make_api_token(owner: User, *, scopes=("ikm:read",), days: int = 365, name: str = "Dasbor"):
    """An API token of `owner` and its text (shown once)."""
    from kinerja.integration import api_tokens
    return api_tokens.create(None, owner.employee.nip, name, scopes, days)


def full_survey(value: int = 4, **overrides) -> dict:
    """The nine SKM elements answered, all `value` unless overridden: full_survey(3, U4=2)."""
    from kinerja.feedback import ikm
    return {element: overrides.get(element, value) for element in ikm.ELEMENTS}


def make_ratings(kiosk, start, answers: list[dict]) -> list[dict]:
    """Ratings sent by `kiosk` as it sends them (ratings.accept_batch), two minutes apart from
    `start` (an aware datetime), with the clock set just after the last. Each answer is a dict
    of rating_item fields: {"score": 3, "elements": full_survey(4), "respondent": {...}}."""
    from datetime import timedelta

    import time_machine

    from kinerja.feedback import kiosks, ratings
    items = [rating_item(start + timedelta(minutes=2 * n), **answer)
             for n, answer in enumerate(answers)]
    with time_machine.travel(start + timedelta(minutes=2 * len(answers)), tick=False):
        results = ratings.accept_batch(db.session.connection(), kiosks.Sender.of(kiosk), items)
        db.session.commit()
    assert all(r["status"] == "accepted" for r in results), results
    return results


def make_service(code: str, name: str | None = None) -> Service:
    service = Service(code=code, name=name or code)
    db.session.add(service)
    db.session.commit()
    return service


# ---------------------------------------------------------------- appraisals

def make_evaluation(skp, *, point: int = 3, annual: bool = False, status=None,
                    result=None, behaviour=None, behaviours=None, appraiser=None):
    """An evaluation of `skp` at month/quarter `point` (or the year). With `result` and
    `behaviour` (Rating values) it is rated and, unless `status` says otherwise, set (final);
    `behaviours` maps Behaviour -> Rating for the seven values (default: all `behaviour`)."""
    from kinerja.appraisal.models import (
        BehaviourRating,
        Evaluation,
        EvaluationKind,
        EvaluationStatus,
        ResultRating,
    )
    from kinerja.appraisal.predikat import Behaviour, Rating, predikat
    from kinerja.core.types import utcnow
    evaluation = Evaluation(
        skp=skp, employee=skp.employee, period=skp.period,
        kind=EvaluationKind.ANNUAL if annual else EvaluationKind.PERIODIC,
        point=0 if annual else point, appraiser=appraiser or skp.employee.supervisor,
        status=status or (EvaluationStatus.FINAL if result else EvaluationStatus.DRAFT))
    if result and behaviour:
        result, behaviour = Rating(result), Rating(behaviour)
        evaluation.result_rating, evaluation.behaviour_rating = result, behaviour
        evaluation.predikat = predikat(result, behaviour)
        evaluation.finalised_at = utcnow()
        for rhk in skp.rhks:
            evaluation.result_ratings.append(ResultRating(rhk=rhk, rating=result))
        for value in Behaviour:
            rating = (behaviours or {}).get(value, behaviour)
            evaluation.behaviour_ratings.append(BehaviourRating(behaviour=value, rating=rating))
    db.session.add(evaluation)
    db.session.commit()
    return evaluation


def make_holiday(day=None, name: str = "Cuti bersama Idulfitri", *, kind=None):
    """A day off HR added to the holiday calendar (cuti bersama by default)."""
    from datetime import date

    from kinerja.core import holidays
    from kinerja.core.holidays import Holiday, HolidayKind
    holiday = Holiday(day=day or date(2026, 3, 23), name=name,
                      kind=kind or HolidayKind.CUTI_BERSAMA)
    db.session.add(holiday)
    db.session.commit()
    holidays.forget()
    return holiday


def make_leave(employee: Employee, starts_on=None, ends_on=None, *, kind=None):
    """Leave outside the state's payroll (tugas belajar by default), April to June 2026."""
    from datetime import date

    from kinerja.performance.models import Leave, LeaveKind
    leave = Leave(employee=employee, kind=kind or LeaveKind.STUDY,
                  starts_on=starts_on or date(2026, 4, 1), ends_on=ends_on or date(2026, 6, 30))
    db.session.add(leave)
    db.session.commit()
    return leave

"""The demo's master data: status, pangkat/golongan with its TMT and jenis jabatan for everyone
(so every printed form shows a rank), and two fungsional with a year of evaluations, a guru at a
school and a perawat at the puskesmas, so the angka kredit has something to show."""
import random
from datetime import UTC, date, datetime
from decimal import Decimal

from kinerja.appraisal.models import (
    BehaviourRating,
    Evaluation,
    EvaluationKind,
    EvaluationStatus,
    ResultRating,
)
from kinerja.appraisal.predikat import Behaviour, Rating, predikat
from kinerja.core import calendar
from kinerja.core.types import utcnow
from kinerja.extensions import db
from kinerja.organisation.asn import AsnStatus, Jenjang, PositionKind, Rank
from kinerja.organisation.models import Employee, Position, Unit, UnitKind, User
from kinerja.performance.models import (
    Aspect,
    Indicator,
    Period,
    PeriodStatus,
    Rhk,
    RhkKind,
    Skp,
    SkpStatus,
)

# Jenjang named at the end of a fungsional's title ("Perencana Ahli Muda", "Bidan Terampil").
JENJANG_IN_TITLE = [(str(j.label), j) for j in Jenjang]
# The usual ranks of each kind and jenjang (PermenPANRB 1/2023's pangkat per jenjang).
PNS_RANKS = {
    PositionKind.JPT_PRATAMA: [Rank.IV_C, Rank.IV_D],
    PositionKind.ADMINISTRATOR: [Rank.IV_A, Rank.IV_B],
    PositionKind.PENGAWAS: [Rank.III_C, Rank.III_D],
    PositionKind.PELAKSANA: [Rank.II_B, Rank.II_C, Rank.II_D, Rank.III_A, Rank.III_B],
    Jenjang.TERAMPIL: [Rank.II_C, Rank.II_D],
    Jenjang.MAHIR: [Rank.III_A, Rank.III_B],
    Jenjang.PENYELIA: [Rank.III_C, Rank.III_D],
    Jenjang.AHLI_PERTAMA: [Rank.III_A, Rank.III_B],
    Jenjang.AHLI_MUDA: [Rank.III_C, Rank.III_D],
    Jenjang.AHLI_MADYA: [Rank.IV_A, Rank.IV_B, Rank.IV_C],
}
PPPK_RANKS = {PositionKind.PELAKSANA: [Rank.PPPK_V, Rank.PPPK_VII],
              Jenjang.TERAMPIL: [Rank.PPPK_VII], Jenjang.AHLI_PERTAMA: [Rank.PPPK_IX]}
HASH_OF = "hr"  # the new demo accounts share the demo password: its hash is copied from hr


def kind_of(title: str, heads_unit: Unit | None) -> tuple[PositionKind, Jenjang | None]:
    """The jenis jabatan a demo title stands for."""
    for label, jenjang in JENJANG_IN_TITLE:
        if title.endswith(label):
            return PositionKind.FUNGSIONAL, jenjang
    if heads_unit is not None:
        if heads_unit.kind in (UnitKind.SEKRETARIAT, UnitKind.DINAS, UnitKind.BADAN):
            return PositionKind.JPT_PRATAMA, None
        if heads_unit.kind is UnitKind.KECAMATAN:
            return PositionKind.ADMINISTRATOR, None
        return PositionKind.PENGAWAS, None
    if title.startswith("Asisten"):
        return PositionKind.JPT_PRATAMA, None
    if title.startswith(("Sekretaris", "Kepala Bidang")):
        # A kecamatan's or kelurahan's secretary is one step lower than a dinas's.
        return ((PositionKind.PENGAWAS if "Kelurahan" in title else PositionKind.ADMINISTRATOR)
                if title.startswith("Sekretaris") and ("Kecamatan" in title or "Kelurahan" in title)
                else PositionKind.ADMINISTRATOR), None
    if title.startswith(("Kepala Seksi", "Kepala Subbagian", "Kepala Subbidang")):
        return PositionKind.PENGAWAS, None
    return PositionKind.PELAKSANA, None


def _tmt(rng: random.Random, today: date) -> date:
    # Promotions take effect on 1 April or 1 October.
    return date(rng.randint(today.year - 6, today.year - 1), rng.choice((4, 10)), 1)


def assign(rng: random.Random, person: Employee, heads_unit: Unit | None, today: date) -> None:
    kind, jenjang = kind_of(person.position_name, heads_unit)
    # A few staff are PPPK (appointed since 2019 on contract); structural posts are PNS.
    pppk = (kind is PositionKind.PELAKSANA or jenjang in PPPK_RANKS) and rng.random() < 0.12
    ranks = (PPPK_RANKS if pppk else PNS_RANKS)[jenjang or kind]
    person.asn_status = AsnStatus.PPPK if pppk else AsnStatus.PNS
    person.rank, person.rank_tmt = rng.choice(ranks), _tmt(rng, today)
    person.position_kind, person.jenjang = kind, jenjang


def _skp_with_evaluations(rng: random.Random, person: Employee, period: Period, today: date,
                          ratings: list[tuple[Rating, Rating]], work: list[tuple[str, str]]) -> int:
    """An approved SKP and its monthly evaluations up to last month, each acknowledged."""
    agreed = min(datetime(today.year, 1, 9, 1, 0, tzinfo=UTC), utcnow())
    skp = Skp(employee=person, period=period, status=SkpStatus.APPROVED, version=1,
              approver=person.supervisor, submitted_at=agreed, decided_at=agreed,
              created_at=agreed)
    db.session.add(skp)
    rhks = []
    for n, (text, indicator) in enumerate(work):
        rhk = Rhk(kind=RhkKind.MAIN, text=text, position=n)
        rhk.indicators.append(Indicator(aspect=Aspect.QUANTITY, text=indicator,
                                        target=Decimal(rng.choice([120, 180, 240])),
                                        unit_of_measure="kegiatan"))
        db.session.add(rhk)
        rhk.skp = skp
        rhks.append(rhk)
    db.session.flush()
    count = 0
    for month in range(1, today.month):
        result, behaviour = ratings[(month - 1) % len(ratings)]
        evaluation = Evaluation(
            skp=skp, employee=person, period=period, kind=EvaluationKind.PERIODIC, point=month,
            status=EvaluationStatus.ACKNOWLEDGED, appraiser=person.supervisor,
            result_rating=result, behaviour_rating=behaviour, predikat=predikat(result, behaviour),
            finalised_at=utcnow(), acknowledged_at=utcnow(),
            objection_due=calendar.add_working_days(date(today.year, month, 28), 10))
        evaluation.result_ratings = [ResultRating(rhk=rhk, rating=result) for rhk in rhks]
        evaluation.behaviour_ratings = [BehaviourRating(behaviour=b, rating=behaviour)
                                        for b in Behaviour]
        db.session.add(evaluation)
        count += 1
    return count


def _person(unit: Unit, boss: Employee, title: str, name: str, nip: str, username: str,
            password_hash: str, **master) -> Employee:
    position = db.session.scalar(db.select(Position).where(Position.name == title)) \
        or Position(name=title)
    person = Employee(nip=nip, name=name, unit=unit, supervisor=boss, position=position,
                      email=f"{nip}@bulungankab.go.id", **master)
    db.session.add(person)
    db.session.add(User(employee=person, username=username, password_hash=password_hash))
    return person


def seed(today: date) -> dict:
    rng = random.Random(20261210)  # nosec B311 # reproducible demo data; its own stream
    units = {u.code: u for u in db.session.scalars(db.select(Unit))}
    heads = {u.head_id: u for u in units.values() if u.head_id is not None}
    people = db.session.scalars(db.select(Employee).options(db.joinedload(Employee.position))
                                .order_by(Employee.id)).unique().all()
    for person in people:
        assign(rng, person, heads.get(person.id), today)
        if person.is_ppk:  # no ASN: cleared after the draw, so the draws after it stay the same
            person.asn_status = person.rank = person.rank_tmt = None
            person.position_kind = person.jenjang = None

    disdik, puskesmas = units["DISDIK"], units["PKM-TSELOR"]
    bidang_sd = next(p for p in people if p.unit_id == disdik.id
                     and p.position_name == "Kepala Bidang Pembinaan Sekolah Dasar")
    password_hash = db.session.scalar(db.select(User.password_hash).where(
        User.username == HASH_OF))
    school = Unit(code="SDN-001-TS", name="SD Negeri 001 Tanjung Selor", kind=UnitKind.UPT,
                  time_zone=disdik.time_zone, parent=disdik,
                  address="Jl. Sengkawit, Tanjung Selor")
    db.session.add(school)
    principal = _person(school, bidang_sd, "Guru Ahli Madya", "Hj. Rosmiati, S.Pd., M.Pd.",
                        "197403152000032004", "kepsek", password_hash,
                        asn_status=AsnStatus.PNS, rank=Rank.IV_B, rank_tmt=date(2021, 4, 1),
                        position_kind=PositionKind.FUNGSIONAL, jenjang=Jenjang.AHLI_MADYA)
    school.head = principal
    guru = _person(school, principal, "Guru Ahli Muda", "Yulianti Paranoan, S.Pd.",
                   "198607222010012013", "guru", password_hash,
                   asn_status=AsnStatus.PNS, rank=Rank.III_C, rank_tmt=date(2022, 10, 1),
                   position_kind=PositionKind.FUNGSIONAL, jenjang=Jenjang.AHLI_MUDA)
    perawat = _person(puskesmas, puskesmas.head, "Perawat Terampil", "Agus Salim Lamba, A.Md.Kep.",
                      "199203042015031002", "perawat", password_hash,
                      asn_status=AsnStatus.PNS, rank=Rank.II_D, rank_tmt=date(2023, 4, 1),
                      position_kind=PositionKind.FUNGSIONAL, jenjang=Jenjang.TERAMPIL)
    db.session.flush()

    count = 0
    period = db.session.scalar(db.select(Period).where(Period.status == PeriodStatus.OPEN))
    if period is not None and today.month >= 2:
        above, expected = Rating.ABOVE, Rating.AS_EXPECTED
        count += _skp_with_evaluations(
            rng, guru, period, today, [(expected, expected), (above, above), (above, expected)],
            [("Terlaksananya pembelajaran matematika kelas V yang berpusat pada murid",
              "Jumlah jam pembelajaran yang terlaksana"),
             ("Meningkatnya hasil belajar murid kelas V", "Jumlah asesmen formatif yang dinilai")])
        count += _skp_with_evaluations(
            rng, perawat, period, today,
            [(expected, expected), (expected, above), (Rating.BELOW, expected)],
            [("Terlaksananya asuhan keperawatan pasien rawat jalan",
              "Jumlah pasien yang mendapat asuhan keperawatan"),
             ("Terlaksananya imunisasi dasar balita", "Jumlah balita yang diimunisasi")])
    db.session.commit()
    return {"fungsional_evaluations": count,
            "logins": [("Guru (JF ahli muda)", "guru", f"{guru.name} (NIP {guru.nip})"),
                                  ("Perawat (JF terampil)", "perawat",
                                   f"{perawat.name} (NIP {perawat.nip})")]}

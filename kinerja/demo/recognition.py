"""Demo data for recognition: one award of the Dinas Dukcapil already run and published (on the
public page and the Dukcapil kiosks' idle screens), and one draft award for HR to run in the
browser, with a nomination by the head of the dinas waiting in it."""
from datetime import date, timedelta

from kinerja.extensions import db
from kinerja.organisation.models import Employee, Unit, User
from kinerja.performance.models import Period
from kinerja.recognition import awards
from kinerja.recognition.models import Award, AwardScope

CITATIONS = [
    "Melayani warga di loket KTP-el dengan ramah dan cepat; hampir tidak pernah ada keluhan "
    "tentang pelayanannya, dan laporan kegiatannya lengkap setiap hari.",
    "Menuntaskan target perekaman dan pencetakan dokumen kependudukan lebih cepat dari "
    "rencana, sambil membantu rekan di loket lain saat antrean panjang.",
    "Teladan kedisiplinan: laporan harian teratur, target tercapai, dan dinilai sangat baik "
    "oleh warga yang dilayaninya.",
]


def _user(username: str) -> User | None:
    return db.session.scalar(db.select(User).where(User.username == username))


def seed(today: date) -> dict:
    period = db.session.scalar(db.select(Period).where(Period.year == today.year))
    unit = db.session.scalar(db.select(Unit).where(Unit.code == "DUKCAPIL"))
    hr, head = _user("hr"), _user("kepala")
    if period is None or unit is None or hr is None or head is None or today.month < 2:
        return {"awards": 0}

    # The last three full months (the kiosks' ratings reach back four), decided and published.
    first_end = today.replace(day=1) - timedelta(days=1)
    start_month = max(first_end.month - 2, 1)
    published = awards.define(hr, awards.AwardInput(
        name=f"Pegawai Teladan Pelayanan Publik {today.year}",
        description="Bagi pegawai Dinas Kependudukan dan Pencatatan Sipil yang kinerjanya "
                    "tinggi dan paling dipuji warga di loket pelayanan.",
        year=today.year, date_from=date(today.year, start_month, 1), date_to=first_end,
        scope=AwardScope.UNIT, unit_id=unit.id, unit_kind=None, winners_count=3,
        min_respondents=20,
        weights={"predikat": 30, "realisation": 20, "satisfaction": 30, "regularity": 10,
                 "nomination": 10}))
    ranked = awards.ranking(hr, published, first_end)
    others = [row for row in ranked.rows if row["employee_id"] != head.employee_id]
    for row, citation in zip(others[:2], CITATIONS, strict=False):
        employee = db.session.get(Employee, row["employee_id"])
        awards.nominate(head, published, employee, citation)
    winners = awards.decide(hr, published, first_end)
    for winner, citation in zip(winners, CITATIONS, strict=False):
        if not winner.citation:
            awards.set_citation(hr, winner, citation)
    awards.publish(hr, published)

    # The whole year, still a draft: HR ranks, reviews and decides it in the browser.
    draft = awards.define(hr, awards.AwardInput(
        name=f"ASN Teladan Dinas Dukcapil {today.year}",
        description="Penghargaan tahunan bagi ASN Dinas Kependudukan dan Pencatatan Sipil.",
        year=today.year, date_from=date(today.year, 1, 1), date_to=date(today.year, 12, 31),
        scope=AwardScope.UNIT, unit_id=unit.id, unit_kind=None, winners_count=3,
        min_respondents=30,
        weights={"predikat": 30, "realisation": 25, "satisfaction": 20, "regularity": 15,
                 "nomination": 10}))
    live = awards.ranking(hr, draft, today)
    others = [row for row in live.rows if row["employee_id"] != head.employee_id]
    if len(others) > 4:
        employee = db.session.get(Employee, others[4]["employee_id"])
        awards.nominate(head, draft, employee, "Merintis layanan jemput bola perekaman KTP-el "
                                               "bagi warga lanjut usia di desa-desa terpencil.")
    count = db.session.scalar(db.select(db.func.count(Award.id)))
    return {"awards": count, "award_winners": len(winners)}

"""Builders for recognition tests (awards, winners), used by the award tests and the
authorisation matrix."""
from datetime import date

from kinerja.core.types import utcnow
from kinerja.extensions import db
from kinerja.performance.models import Period
from kinerja.recognition.models import Award, AwardScope, AwardStatus, AwardWinner

PNG_BYTES = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00"
             b"\x00\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\xcf\xc0\xf0\x1f\x00\x05\x00"
             b"\x01\xff\x89\x99=\x1d\x00\x00\x00\x00IEND\xaeB`\x82")
WEIGHTS = {"predikat": 30, "realisation": 25, "satisfaction": 20, "regularity": 15,
           "nomination": 10}


def make_award(period: Period, *, unit=None, scope: AwardScope | None = None, name: str = "ASN Teladan",
               status: AwardStatus = AwardStatus.DRAFT, winners: int = 1, min_respondents: int = 5,
               weights: dict | None = None, unit_kind=None, date_from: date | None = None,
               date_to: date | None = None) -> Award:
    weights = weights or WEIGHTS
    award = Award(name=name, period=period, scope=scope or (AwardScope.UNIT if unit else AwardScope.ALL),
                  unit=unit, unit_kind=unit_kind,
                  date_from=date_from or date(period.year, 1, 1),
                  date_to=date_to or date(period.year, 12, 31), winners_count=winners,
                  min_respondents=min_respondents, status=status,
                  **{f"weight_{k}": v for k, v in weights.items()})
    if status in (AwardStatus.PUBLISHED, AwardStatus.WITHDRAWN):
        award.decided_at = award.published_at = utcnow()
    db.session.add(award)
    db.session.commit()
    return award


def make_winner(award: Award, employee, *, rank: int = 1, citation: str = "Melayani dengan tulus.",
                photo: bytes | None = None) -> AwardWinner:
    winner = AwardWinner(award=award, employee=employee, rank=rank, name=employee.name,
                         position_name=employee.position_name,
                         unit_name=employee.unit.name if employee.unit else "", citation=citation)
    db.session.add(winner)
    if photo is not None:
        from kinerja.recognition import awards
        winner.photo_name, winner.photo_type = f"photo{award.id}x{rank}", "image/png"
        winner.photo_consent = True
        (awards.photo_dir() / winner.photo_name).write_bytes(photo)
    db.session.add(winner)
    db.session.commit()
    return winner

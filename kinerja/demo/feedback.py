"""The demo's citizen feedback: a tablet per counter, four months of ratings (some with the
nine SKM elements and demographics, some naming the staff on the day's roster, most naming the
service received, e.g. at the two-service counter DUKCAPIL-03), complaints
in every state, then the rollups counted from them, so the IKM pages show real figures."""
import random
import uuid
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import insert

from kinerja.core import calendar
from kinerja.core.types import utcnow
from kinerja.extensions import db
from kinerja.feedback import ikm, ratings, rollup_rebuild
from kinerja.feedback.models import Complaint, ComplaintStatus, Kiosk, Rating, RosterEntry
from kinerja.organisation.models import Employee, ServiceCounter

DAYS = 120
COMPLAINTS = [
    "Antrean terlalu lama, nomor antrean tidak jelas.",
    "Petugas ramah, tapi persyaratan tidak diumumkan sebelumnya.",
    "Ruang tunggu panas, kipas angin rusak.",
    "Mohon informasi biaya dipasang di depan loket.",
    "Berkas saya dikembalikan dua kali tanpa penjelasan yang jelas.",
    "Terima kasih, pelayanan cepat sekali hari ini.",
]
REPLY = "Terima kasih atas masukannya. Kami sudah menindaklanjuti dengan petugas terkait."


def _answer(rng: random.Random, mean: float) -> int:
    return max(1, min(4, round(rng.gauss(mean, 0.7))))


def seed(rng: random.Random, today: date) -> dict:
    counters = db.session.scalars(db.select(ServiceCounter).order_by(ServiceCounter.id)).all()
    rows, complaints, roster = [], [], []
    # The services named have a generator of their own: the rest of the demo stays as it was.
    chooser = random.Random(142017)  # nosec B311 # reproducible demo data, not security
    for counter in counters:
        zone = calendar.zone_info(counter.unit.time_zone)
        kiosk = Kiosk(counter=counter, name=f"Tablet {counter.code}", paired_at=utcnow(),
                      last_seen_at=utcnow(), app_version="demo", queued=0)
        db.session.add(kiosk)
        db.session.flush()
        staff = db.session.scalars(db.select(Employee).where(
            Employee.unit_id == counter.unit_id, Employee.active.is_(True))
            .order_by(Employee.id)).all()[-4:]
        quality = rng.uniform(2.7, 3.7)  # some counters serve well, some do not
        services = list(counter.services)
        for offset in range(DAYS, 0, -1):
            day = today - timedelta(days=offset)
            if day.weekday() >= 5:
                continue
            on_duty = rng.sample(staff, min(2, len(staff)))
            roster += [{"counter_id": counter.id, "employee_id": e.id, "day": day} for e in on_duty]
            # Before the kiosk asked which service (the first month) no rating names one; then
            # nearly every one does, a counter with one service naming it without asking.
            asks_service = offset <= DAYS - 30
            for _ in range(rng.randint(6, 22)):
                local = datetime.combine(day, time(8), zone) + timedelta(minutes=rng.randint(0, 420))
                score = _answer(rng, quality)
                row = {"kiosk_id": kiosk.id, "counter_id": counter.id, "client_id": uuid.uuid4(),
                       "taken_at": local.astimezone(UTC), "received_at": local.astimezone(UTC),
                       "local_day": day, "score": score, "excluded": False,
                       "staff_id": rng.choice(on_duty).id if on_duty and rng.random() < 0.4 else None,
                       "service_id": chooser.choice(services).id
                       if services and asks_service and chooser.random() < 0.93 else None}
                if rng.random() < 0.4:
                    row.update({e.lower(): _answer(rng, quality + rng.uniform(-0.4, 0.3))
                                for e in ikm.ELEMENTS})
                if rng.random() < 0.6:
                    row.update({key: rng.choice(choices)
                                for key, choices in ratings.RESPONDENT_CHOICES.items()})
                rows.append(row)
                if score <= 2 and rng.random() < 0.06 or rng.random() < 0.005:
                    complaints.append((row, counter, rng.choice(COMPLAINTS), local))
    db.session.execute(insert(Rating), rows)
    db.session.execute(insert(RosterEntry), roster)
    ids = dict(db.session.execute(db.select(Rating.client_id, Rating.id)).all())
    for n, (row, counter, text, local) in enumerate(complaints):
        age = (today - row["local_day"]).days
        status = (ComplaintStatus.RECEIVED if age < 3 else ComplaintStatus.IN_PROGRESS
                  if n % 4 == 1 else ComplaintStatus.ANSWERED if n % 4 == 2
                  else ComplaintStatus.CLOSED if n % 4 == 3 else ComplaintStatus.RECEIVED)
        answered = status in (ComplaintStatus.ANSWERED, ComplaintStatus.CLOSED)
        db.session.add(Complaint(
            rating_id=ids[row["client_id"]], counter_id=counter.id, unit_id=counter.unit_id,
            text=text, status=status, received_at=local.astimezone(UTC),
            reply=REPLY if answered else None,
            answered_at=local.astimezone(UTC) + timedelta(days=2) if answered else None,
            closed_at=local.astimezone(UTC) + timedelta(days=3)
            if status is ComplaintStatus.CLOSED else None))
    rollup_rebuild.rebuild_rating_rollups()
    db.session.commit()
    return {"ratings": len(rows), "complaints": len(complaints)}

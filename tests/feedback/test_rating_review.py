"""HR reviews flagged ratings: excluding takes one out of the IKM rollups, with a reason;
including counts it again. Nothing is deleted."""
from datetime import UTC, datetime

import time_machine

from kinerja.core.models import AuditEvent
from kinerja.extensions import db
from kinerja.feedback.models import DailyRollup, Rating
from tests.builders import make_counter, make_kiosk, rating_item

NIGHT = datetime(2026, 11, 25, 15, 0, tzinfo=UTC)  # 23:00 WITA: flagged out of hours


@time_machine.travel(datetime(2026, 11, 26, 2, 0, tzinfo=UTC), tick=False)
def test_hr_excludes_a_flagged_rating_with_a_reason_and_counts_it_again(client, login_as, org):
    counter = make_counter(org.dinas)
    _, token = make_kiosk(counter)
    client.post("/kiosk/api/ratings", json={"ratings": [rating_item(NIGHT, 1)]},
                headers={"Authorization": f"Bearer {token}"})
    rating = db.session.scalar(db.select(Rating))
    hr = login_as("hr")
    page = hr.get("/ikm/ditandai")
    assert "di luar jam layanan" in page.text
    assert hr.post(f"/ikm/penilaian/{rating.id}/keluarkan", data={"reason": ""}).status_code == 400
    hr.post(f"/ikm/penilaian/{rating.id}/keluarkan", data={"reason": "Uji coba petugas malam"})
    db.session.expire_all()
    assert db.session.get(Rating, rating.id).excluded
    assert db.session.scalar(db.select(DailyRollup.ratings)) == 0
    assert db.session.scalar(db.select(AuditEvent).filter_by(action="rating.excluded"))
    hr.post(f"/ikm/penilaian/{rating.id}/masukkan")
    db.session.expire_all()
    assert db.session.scalar(db.select(DailyRollup.ratings)) == 1


def test_only_hr_reviews_ratings(login_as, org):
    for role in ("employee", "head", "admin"):
        assert login_as(role).get("/ikm/ditandai").status_code == 403


@time_machine.travel(datetime(2026, 11, 26, 5, 30, tzinfo=UTC), tick=False)  # 13:30 WITA
def test_a_late_rating_shows_when_it_arrived(client, login_as, org):
    counter = make_counter(org.dinas)
    _, token = make_kiosk(counter)
    morning = datetime(2026, 11, 26, 1, 0, tzinfo=UTC)  # 09:00 WITA, sent at 13:30
    client.post("/kiosk/api/ratings", json={"ratings": [rating_item(morning, 4)]},
                headers={"Authorization": f"Bearer {token}"})
    page = login_as("hr").get("/ikm/ditandai").text
    assert "tiba lama setelah diberikan" in page
    assert "diterima 26 Nov 2026 13.30 WITA" in page

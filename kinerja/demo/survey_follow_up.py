"""Demo data for the survey's follow-up: complaints HR recorded by telephone, through
SP4N-LAPOR! and at the desk (enough at two kecamatan counters to raise alerts), one alert
investigated and closed and one still open, and in the draft award's ranking a Kurang/Misconduct
candidate and a sanctioned one, both excluded. Runs after recognition and publication."""
from datetime import UTC, date, datetime, time, timedelta

from kinerja.appraisal import discipline
from kinerja.appraisal.models import Evaluation, EvaluationStatus
from kinerja.appraisal.predikat import Rating, predikat
from kinerja.core import calendar
from kinerja.core.errors import RuleViolation
from kinerja.extensions import db
from kinerja.feedback import alerts, complaints, investigations
from kinerja.organisation.models import Employee, ServiceCounter, User
from kinerja.recognition import awards
from kinerja.recognition.models import Award, AwardStatus

RECORDED = {
    # counter: (channel, LAPOR! number or None, text), one per day going back
    "KEC-TPALAS-01": [
        ("lapor", "5021881", "Surat keterangan domisili sudah dua minggu belum selesai."),
        ("lapor", "5021904", "Petugas meminta biaya untuk surat keterangan yang seharusnya gratis."),
        ("telepon", None, "Loket tutup pukul 11.00 padahal jam layanan sampai 14.00."),
        ("langsung", None, "Antrean tidak tertib, warga yang datang belakangan dilayani duluan."),
        ("lapor", "5022017", "Persyaratan berbeda-beda setiap kali datang."),
        ("telepon", None, "Telepon kantor kecamatan tidak pernah diangkat."),
        ("langsung", None, "Ruang tunggu panas dan tidak ada kursi untuk lansia."),
    ],
    "KEL-TSHULU-01": [
        ("langsung", None, "Berkas pengantar KTP hilang dan harus diurus ulang."),
        ("telepon", None, "Petugas tidak ada di tempat pada jam layanan."),
        ("lapor", "5022113", "Pengantar KK ditolak tanpa penjelasan tertulis."),
        ("langsung", None, "Tidak ada informasi persyaratan yang ditempel di loket."),
        ("telepon", None, "Janji selesai tiga hari, sudah seminggu belum jadi."),
        ("langsung", None, "Petugas kurang ramah kepada warga lanjut usia."),
    ],
}


DEMO_LOGINS = ("admin", "hr", "kepala", "atasan", "pegawai", "staf", "kabid", "guru", "perawat")


def _user(username: str) -> User | None:
    return db.session.scalar(db.select(User).where(User.username == username))


def _record(hr: User, today: date) -> int:
    counters = {c.code: c for c in db.session.scalars(db.select(ServiceCounter))}
    count = 0
    for code, entries in RECORDED.items():
        counter = counters.get(code)
        if counter is None:
            continue
        zone = calendar.zone_info(counter.unit.time_zone)
        now = datetime.combine(today, time(15), zone).astimezone(UTC)
        for n, (channel, number, text) in enumerate(entries):
            complaints.record(hr, complaints.RecordInput(
                counter.id, channel, text, number,
                contact=f"0812-5550-10{n:02d}" if n % 3 == 0 else None, contact_consent=n % 3 == 0,
                received_on=today - timedelta(days=n % 5)), now=now)
            count += 1
    return count


def _investigate(hr: User, today: date) -> int:
    now = datetime.combine(today, time(16), UTC)
    found = [a for a in alerts.alerts_for(hr, now) if a.kind == alerts.COMPLAINTS
             and a.counter_name and a.counter_id in _recorded_counter_ids()]
    opened = []
    for alert in found[:2]:
        opened.append(investigations.open_from_alert(hr, alert.kind, alert.unit_id,
                                                     alert.counter_id, now=now))
    if opened:
        investigations.close(
            hr, opened[0],
            findings="Satu dari dua petugas loket cuti tanpa pengganti selama dua minggu; "
                     "persyaratan surat keterangan tidak dipasang di loket; dugaan pungutan "
                     "tidak terbukti (tidak ada bukti pembayaran, petugas menyangkal).",
            actions="Camat menugaskan staf seksi pemerintahan sebagai pengganti; daftar "
                    "persyaratan dan pernyataan 'layanan gratis' dipasang di loket dan di "
                    "laman kecamatan; jawaban untuk setiap pengaduan LAPOR! dikirim.",
            decision="Ditutup: prosedur penggantian petugas cuti ditetapkan; loket dipantau "
                     "ulang satu bulan lagi lewat IKM dan jumlah pengaduan.")
    if len(opened) > 1:
        investigations.record(hr, opened[1], findings="Wawancara petugas dan lurah dijadwalkan.",
                              actions=None)
    return len(opened)


def _recorded_counter_ids() -> set[int]:
    return set(db.session.scalars(db.select(ServiceCounter.id).where(
        ServiceCounter.code.in_(list(RECORDED)))))


def _ineligible_candidates(hr: User, today: date) -> dict:
    """In the draft award's ranking: the second candidate is given a Kurang/Misconduct month
    (results above expectations, behaviour below: misconduct, however well the work went) and
    the third a written reprimand in force this year; both drop out of the ranking."""
    award = db.session.scalar(db.select(Award).where(Award.status == AwardStatus.DRAFT)
                              .order_by(Award.id))
    if award is None:
        return {}
    head = award.unit.head_id if award.unit else None
    # Not the people whose demo logins other walkthroughs use.
    logins = set(db.session.scalars(db.select(User.employee_id).where(User.username.in_(DEMO_LOGINS))))
    rows = [r for r in awards.ranking(hr, award, today).rows
            if r["employee_id"] != head and r["employee_id"] not in logins]
    if len(rows) < 3:
        return {}
    poor = db.session.scalar(
        db.select(Evaluation).where(Evaluation.employee_id == rows[1]["employee_id"],
                                    Evaluation.period_id == award.period_id,
                                    Evaluation.status != EvaluationStatus.DRAFT)
        .order_by(Evaluation.point.desc()).limit(1))
    if poor is not None:
        poor.result_rating, poor.behaviour_rating = Rating.ABOVE, Rating.BELOW
        poor.predikat = predikat(poor.result_rating, poor.behaviour_rating)
        poor.behaviour_note = "Tidak hadir tanpa keterangan pada hari pelayanan dan menolak " \
                              "melayani warga di luar loketnya."
        db.session.commit()
    sanctioned = db.session.get(Employee, rows[2]["employee_id"])
    try:
        discipline.record(hr, discipline.SanctionInput(
            sanctioned.nip, "ringan", date(today.year, 1, 15), date(today.year, 1, 15),
            date(today.year, 12, 31),
            "Teguran tertulis (PP 94/2021 pasal 8 ayat 2 huruf b) karena terlambat masuk "
            "kerja berulang; SK Kepala Dinas nomor 800/117/DISDUKCAPIL."))
    except RuleViolation:
        return {"excluded_candidates": 1 if poor else 0}
    return {"excluded_candidates": 2 if poor else 1}


def seed(today: date) -> dict:
    hr = _user("hr")
    if hr is None:
        return {}
    summary = {"recorded_complaints": _record(hr, today)}
    summary["investigations"] = _investigate(hr, today)
    summary |= _ineligible_candidates(hr, today)
    return summary

"""Demo data for public transparency: HR has published the last full quarter's IKM of a few
units (and the last full month of one, for a trend), withdrawn one with a reason, and the
heads wrote rencana tindak lanjut: one approved (public, its first row under way), one waiting
for HR."""
from datetime import date, timedelta

from kinerja.core.errors import RuleViolation
from kinerja.extensions import db
from kinerja.feedback import ikm
from kinerja.organisation.models import Unit, User
from kinerja.publication import follow_up, publication

PUBLISHED = ("DUKCAPIL", "DPMPTSP", "KEC-TSELOR", "PKM-TSELOR")
WITHDRAWN = "DINSOS"
# {element}: the name of the publication's weakest element, filled in when seeding.
APPROVED = ("DUKCAPIL", "Unsur terendah kami adalah {element}. Mulai bulan ini setiap loket "
            "dibimbing kepala seksi pada jam sibuk (08.00–11.00), petugas mengikuti pelatihan "
            "pelayanan prima, dan hasilnya kami umumkan kembali pada triwulan berikutnya.")
SUBMITTED = ("DPMPTSP", "Untuk unsur {element}, informasi dan contoh berkas yang benar akan "
             "dipasang di depan loket dan di laman dinas sebelum akhir bulan depan.")
ROMAN = ("I", "II", "III", "IV")
MONTHS = ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus",
          "September", "Oktober", "November", "Desember")


def last_full_quarter(today: date) -> tuple[date, date, str]:
    first_of_quarter = date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
    end = first_of_quarter - timedelta(days=1)
    start = date(end.year, end.month - 2, 1)
    return start, end, f"Triwulan {ROMAN[(end.month - 1) // 3]} {end.year}"


def seed(today: date) -> dict:
    hr = db.session.scalar(db.select(User).where(User.username == "hr"))
    units = {u.code: u for u in db.session.scalars(db.select(Unit))}
    start, end, label = last_full_quarter(today)
    done: dict[str, object] = {}
    for code in (*PUBLISHED, WITHDRAWN):
        try:
            done[code] = publication.publish(hr, units[code], start, end, label, today=today)
        except RuleViolation:
            continue  # no full surveys in that quarter (a demo started early in a quarter)
    # The last full month of the first unit as well: its page then shows a trend.
    month_end = date(today.year, today.month, 1) - timedelta(days=1)
    if month_end > end:
        try:
            publication.publish(hr, units[PUBLISHED[0]], date(month_end.year, month_end.month, 1),
                                month_end, f"{MONTHS[month_end.month - 1]} {month_end.year}",
                                today=today)
        except RuleViolation:
            pass
    if WITHDRAWN in done:
        publication.withdraw(hr, done[WITHDRAWN], "Data loket belum diverifikasi ulang; "
                                                  "akan diumumkan kembali.")
    plans = 0
    for (code, text), approve in ((APPROVED, True), (SUBMITTED, False)):
        if code not in done or units[code].head is None or units[code].head.user is None:
            continue
        head, found = units[code].head.user, done[code]
        weakest = publication.compute(found).survey.weakest
        first = weakest[0] if weakest else "U3"
        element = ikm.ELEMENT_NAMES[first].lower()
        for row in _rows(first, end, approve):
            follow_up.add_action(head, found, follow_up.ActionInput(*row))
        follow_up.save_note(head, found, text.format(element=element))
        plan = follow_up.submit(head, found)
        plans += 1
        if approve:
            follow_up.decide(hr, plan, approve=True)
            # A month on, the first row is under way.
            follow_up.record_progress(head, plan.actions[0], "berjalan",
                                      "Pendampingan kepala seksi berjalan di dua dari tiga loket "
                                      "sejak awal bulan.")
    return {"publications": len(done), "follow_up_plans": plans}


def _rows(weakest: str, end: date, approve: bool) -> list[tuple]:
    """The plan's rows: the weakest element first, and for the approved plan two more."""
    rows = [(weakest, "Kepala seksi mendampingi petugas loket pada jam sibuk (08.00–11.00) dan "
             "memeriksa berkas yang tertunda setiap hari.", end + timedelta(days=1),
             end + timedelta(days=60), "Kepala Seksi Pelayanan")]
    if approve:
        rows += [("U6", "Pelatihan pelayanan prima bagi seluruh petugas loket.",
                  end + timedelta(days=15), end + timedelta(days=75), "Sekretaris Dinas"),
                 ("U9", "Menambah kursi ruang tunggu dan papan informasi persyaratan.", None,
                  end + timedelta(days=90), "Subbagian Umum dan Kepegawaian")]
    return rows

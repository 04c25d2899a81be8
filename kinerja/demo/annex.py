"""The demo's annex parts of the SKP (PermenPANRB 6/2022): the kepala dinas's plan as a JPT's,
each main result under a perspective; for staf, the Lampiran SKP, the ekspektasi khusus their
atasan set, and a kualitatif indicator realised in words, so the printed SKP and evaluation
show every part of the forms."""
from datetime import timedelta
from decimal import Decimal

from kinerja.appraisal.models import BehaviourExpectation
from kinerja.appraisal.predikat import Behaviour
from kinerja.extensions import db
from kinerja.organisation.models import Employee
from kinerja.performance.models import (
    Aspect,
    Dialogue,
    Feedback,
    Indicator,
    Period,
    PeriodStatus,
    Perspective,
    Realisation,
    RhkKind,
    Skp,
)

EXPECTATIONS = {
    Behaviour.SERVICE: "Menjawab setiap pertanyaan pemohon KTP-el di loket dan WhatsApp layanan "
                       "paling lambat satu hari kerja.",
    Behaviour.ACCOUNTABLE: "Mencatat setiap blanko KTP-el yang rusak dalam berita acara pada "
                           "hari yang sama.",
    Behaviour.ADAPTIVE: "Membantu warga lanjut usia memakai antrean daring.",
}
ATTACHMENT = {
    "resource_support": "Perangkat perekaman KTP-el di loket 2, akses SIAK terpusat, pelatihan "
                        "layanan prima bulan Maret.",
    "accountability": "Laporan harian di Kinerja; rekap bulanan kepada Kepala Seksi Identitas "
                      "Penduduk setiap tanggal 5.",
    "consequences": "Target tercapai: diusulkan sebagai kandidat ASN Teladan triwulan. Tidak "
                    "tercapai: dibahas dalam dialog kinerja dan rencana pengembangan.",
}


def _skp(person: Employee, period: Period) -> Skp | None:
    return db.session.scalar(db.select(Skp).where(Skp.employee_id == person.id,
                                                  Skp.period_id == period.id)
                             .order_by(Skp.first_month.desc()).limit(1))


def seed(today, *, kepala: Employee, staf: Employee) -> dict:
    period = db.session.scalar(db.select(Period).where(Period.status == PeriodStatus.OPEN))
    if period is None:
        return {}
    perspectives = list(Perspective)
    head_skp = _skp(kepala, period)
    if head_skp is not None:
        mains = [r for r in head_skp.rhks if r.kind is RhkKind.MAIN]
        for n, rhk in enumerate(mains):
            rhk.perspective = perspectives[n % len(perspectives)]
    skp = _skp(staf, period)
    if skp is None:
        return {}
    for name, text in ATTACHMENT.items():
        setattr(skp, name, text)
    for value, text in EXPECTATIONS.items():
        db.session.add(BehaviourExpectation(skp_id=skp.id, behaviour=value, text=text,
                                            set_by_id=staf.supervisor_id))
    rhk = next((r for r in skp.rhks if r.kind is RhkKind.MAIN), None)
    if rhk is not None:
        indicator = Indicator(
            rhk=rhk, aspect=Aspect.QUALITY, qualitative=True, target=Decimal(0),
            unit_of_measure="", position=len(rhk.indicators),
            text="Kualitas penjelasan persyaratan kepada pemohon",
            target_text="Pemohon memahami persyaratan pada kunjungan pertama; tidak ada "
                        "pengaduan tentang penjelasan yang keliru.")
        db.session.add(indicator)
        db.session.flush()
        for month in range(1, today.month if today.year == period.year else 13):
            db.session.add(Realisation(
                indicator=indicator, month=month,
                narrative="Lembar persyaratan dibagikan di loket; tidak ada pengaduan tentang "
                          "penjelasan bulan ini (rekap pengaduan terlampir)."))
    # Umpan balik berkelanjutan during the year, which the dokumen evaluasi prints.
    boss = staf.supervisor
    if boss is not None and rhk is not None:
        for month, text in ((max(today.month - 2, 1), "Antrean perekaman pagi hari lebih tertib; "
                             "pertahankan pembagian nomor sejak pukul 07.30."),
                            (max(today.month - 1, 1), "Beberapa berkas ditolak karena KK belum "
                             "diperbarui: periksa KK sebelum perekaman.")):
            db.session.add(Feedback(rhk=rhk, month=month, author=boss, text=text))
        db.session.add(Dialogue(skp=skp, held_on=today - timedelta(days=20), author=boss,
                                notes="Membahas penumpukan berkas perekaman di akhir bulan.",
                                follow_up="Jadwal piket perekaman sore hari Kamis."))
    db.session.commit()
    return {"annex": 1}

"""What the audit trail's events mean, in words: a description for every action code the areas
record, grouped as an admin looks for them, and the details written as "label: value".

The codes stay in the data (they are stable and searchable); people read the descriptions. A
code without a description (a new event nobody named yet) reads as "Kejadian lain" and its code.
"""
import re
from dataclasses import dataclass
from datetime import date

from flask_babel import lazy_gettext as _l

from kinerja.core import dates
from kinerja.core.numbers import format_amount


@dataclass(frozen=True)
class EventGroup:
    key: str
    label: object
    prefixes: tuple[str, ...]


# In the order of the event filter; an action belongs to the group of its prefix.
GROUPS = (
    EventGroup("access", _l("Masuk dan akun"), ("login", "session", "two_factor", "account")),
    EventGroup("organisation", _l("Organisasi"),
               ("employee", "employees", "unit", "counter", "service", "identity", "ppk",
                "acting", "holiday", "leave")),
    EventGroup("plans", _l("Periode dan SKP"), ("period", "skp", "rhk", "indicator", "unit_goal")),
    EventGroup("reports", _l("Kegiatan dan realisasi"),
               ("activity", "evidence", "realisation", "feedback", "dialogue")),
    EventGroup("appraisal", _l("Penilaian dan pengembangan"),
               ("evaluation", "objection", "objection_rule", "peer_feedback", "unit_predikat",
                "distribution_limit", "distribution_limits", "training", "training_course",
                "development_plan", "sanction")),
    EventGroup("service", _l("Pelayanan publik"), ("kiosk", "rating", "complaint", "roster", "ikm",
                                                   "investigation")),
    EventGroup("awards", _l("Penghargaan"), ("award",)),
    EventGroup("api", _l("Akses API, SIASN dan TPP"), ("api", "api_token", "siasn", "tpp")),
)
GROUP_PREFIX = "kelompok:"  # the filter's value for a whole group ("kelompok:access")

EVENT_TYPES = {
    "login.succeeded": _l("Masuk ke aplikasi"),
    "login.failed": _l("Gagal masuk (kata sandi salah atau akun tidak dikenal)"),
    "login.locked": _l("Akun terkunci karena terlalu banyak percobaan masuk"),
    "login.disabled": _l("Mencoba masuk dengan akun nonaktif"),
    "session.ended": _l("Sesi masuk diakhiri"),
    "session.others_ended": _l("Sesi di perangkat lain diakhiri"),
    "session.all_ended": _l("Semua sesi masuk diakhiri"),
    "two_factor.enrolled": _l("Verifikasi dua langkah diaktifkan"),
    "two_factor.code_failed": _l("Kode verifikasi dua langkah salah"),
    "two_factor.recovery_code_used": _l("Masuk dengan kode cadangan"),
    "two_factor.recovery_codes_renewed": _l("Kode cadangan dibuat ulang"),
    "two_factor.reset": _l("Verifikasi dua langkah direset admin"),
    "account.created": _l("Akun dibuat"),
    "account.enabled": _l("Akun diaktifkan"),
    "account.disabled": _l("Akun dinonaktifkan"),
    "account.locked": _l("Akun dikunci"),
    "account.unlocked": _l("Kunci akun dibuka"),
    "account.password_changed": _l("Kata sandi diganti"),
    "account.password_reset": _l("Kata sandi sementara dibuat"),
    "account.roles_changed": _l("Peran akun diubah"),
    "account.username_changed": _l("Nama pengguna diubah"),
    "employee.created": _l("Pegawai ditambahkan"),
    "employee.updated": _l("Data pegawai diubah"),
    "employees.imported": _l("Pegawai diimpor dari berkas"),
    "unit.created": _l("Unit kerja ditambahkan"),
    "unit.updated": _l("Unit kerja diubah"),
    "counter.created": _l("Loket ditambahkan"),
    "counter.updated": _l("Loket diubah"),
    "service.created": _l("Layanan ditambahkan"),
    "identity.changed": _l("Identitas pemerintah daerah diubah"),
    "ppk.set": _l("Pejabat Pembina Kepegawaian (PPK) dicatat"),
    "ppk.decision_recorded": _l("Keputusan PPK dicatat HR dari dokumen bertanda tangan"),
    "acting.added": _l("Plt/Plh dicatat"),
    "acting.removed": _l("Catatan Plt/Plh dihapus"),
    "period.created": _l("Periode kinerja dibuat"),
    "period.updated": _l("Periode kinerja diubah"),
    "period.opened": _l("Periode kinerja dibuka"),
    "period.closed": _l("Periode kinerja ditutup"),
    "skp.started": _l("SKP mulai disusun"),
    "skp.submitted": _l("SKP diajukan ke atasan"),
    "skp.withdrawn": _l("Pengajuan SKP ditarik kembali"),
    "skp.returned": _l("SKP dikembalikan untuk diperbaiki"),
    "skp.approved": _l("SKP disetujui"),
    "skp.revision_started": _l("Perubahan SKP yang sudah disetujui dimulai"),
    "skp.attachment_saved": _l("Lampiran SKP disimpan"),
    "skp.expectations_set": _l("Ekspektasi khusus pimpinan ditetapkan"),
    "rhk.saved": _l("RHK disimpan"),
    "rhk.removed": _l("RHK dihapus"),
    "indicator.saved": _l("Indikator disimpan"),
    "indicator.removed": _l("Indikator dihapus"),
    "unit_goal.added": _l("Sasaran unit ditambahkan"),
    "unit_goal.removed": _l("Sasaran unit dihapus"),
    "activity.reported": _l("Kegiatan harian dilaporkan"),
    "activity.updated": _l("Kegiatan harian diubah"),
    "activity.deleted": _l("Kegiatan harian dihapus"),
    "activity.copied": _l("Kegiatan disalin dari hari sebelumnya"),
    "activity.verified": _l("Kegiatan diverifikasi atasan"),
    "activity.returned": _l("Kegiatan dikembalikan atasan"),
    "activity.commented": _l("Kegiatan diberi komentar"),
    "evidence.uploaded": _l("Bukti dukung diunggah"),
    "evidence.removed": _l("Bukti dukung dihapus"),
    "realisation.saved": _l("Realisasi bulanan disimpan"),
    "feedback.added": _l("Umpan balik atasan ditambahkan"),
    "dialogue.recorded": _l("Dialog kinerja dicatat"),
    "evaluation.started": _l("Evaluasi kinerja dimulai"),
    "evaluation.self_assessment_submitted": _l("Penilaian diri dikirim"),
    "evaluation.finalised": _l("Evaluasi kinerja ditetapkan"),
    "evaluation.acknowledged": _l("Hasil evaluasi diterima pegawai"),
    "evaluation.received": _l("Hasil evaluasi dibuka pegawai; batas keberatan mulai dihitung"),
    "objection_rule.updated": _l("Aturan batas keberatan diubah"),
    "holiday.added": _l("Hari libur ditambahkan ke kalender"),
    "holiday.removed": _l("Hari libur dihapus dari kalender"),
    "objection.lodged": _l("Keberatan atas evaluasi diajukan"),
    "objection.answered": _l("Keberatan ditanggapi penilai"),
    "objection.decided": _l("Keberatan diputuskan"),
    "peer_feedback.requested": _l("Umpan balik rekan diminta"),
    "peer_feedback.answered": _l("Umpan balik rekan diisi"),
    "unit_predikat.set": _l("Predikat kinerja unit ditetapkan"),
    "distribution_limit.added": _l("Batas distribusi predikat ditambahkan"),
    "distribution_limit.changed": _l("Batas distribusi predikat diubah"),
    "distribution_limit.removed": _l("Batas distribusi predikat dihapus"),
    "distribution_limits.customised": _l("Batas distribusi predikat disesuaikan"),
    "distribution_limits.reset": _l("Batas distribusi predikat dikembalikan ke bawaan"),
    "training_course.created": _l("Pelatihan ditambahkan ke katalog"),
    "training_course.updated": _l("Pelatihan di katalog diubah"),
    "training_course.deactivated": _l("Pelatihan di katalog dinonaktifkan"),
    "training_course.reactivated": _l("Pelatihan di katalog diaktifkan kembali"),
    "development_plan.created": _l("Rencana pengembangan dibuat"),
    "development_plan.updated": _l("Rencana pengembangan diubah"),
    "training.planned": _l("Pelatihan direncanakan"),
    "training.updated": _l("Rencana pelatihan diubah"),
    "training.completed": _l("Pelatihan selesai"),
    "training.cancelled": _l("Pelatihan dibatalkan"),
    "training.reopened": _l("Pelatihan direncanakan kembali"),
    "kiosk.registered": _l("Kiosk didaftarkan"),
    "kiosk.pairing_code_issued": _l("Kode pemasangan kiosk dibuat"),
    "kiosk.paired": _l("Tablet kiosk dipasangkan"),
    "kiosk.token_issued": _l("Token kiosk diterbitkan"),
    "kiosk.revoked": _l("Kiosk dicabut"),
    "kiosk.phone_channel_opened": _l("Kanal penilaian lewat ponsel dibuka"),
    "rating.excluded": _l("Penilaian warga dikeluarkan dari perhitungan"),
    "rating.included": _l("Penilaian warga dihitung kembali"),
    "complaint.in_progress": _l("Pengaduan diproses"),
    "complaint.answered": _l("Pengaduan dijawab"),
    "complaint.closed": _l("Pengaduan ditutup"),
    "complaint.reopened": _l("Pengaduan dibuka kembali"),
    "roster.added": _l("Petugas loket dijadwalkan"),
    "roster.removed": _l("Jadwal petugas loket dibatalkan"),
    "roster.copied": _l("Jadwal petugas disalin dari minggu lalu"),
    "ikm.publish": _l("IKM diumumkan"),
    "ikm.weight": _l("Bobot unsur IKM tahunan ditetapkan"),
    "ikm.withdraw": _l("Pengumuman IKM ditarik"),
    "ikm.follow_up_submit": _l("Tindak lanjut IKM diajukan"),
    "ikm.follow_up_approve": _l("Tindak lanjut IKM disetujui"),
    "ikm.follow_up_reject": _l("Tindak lanjut IKM dikembalikan untuk diperbaiki"),
    "ikm.follow_up_row_added": _l("Baris rencana tindak lanjut IKM ditambahkan"),
    "ikm.follow_up_row_changed": _l("Baris rencana tindak lanjut IKM diubah"),
    "ikm.follow_up_row_removed": _l("Baris rencana tindak lanjut IKM dihapus"),
    "ikm.follow_up_progress": _l("Realisasi rencana tindak lanjut IKM dicatat"),
    "complaint.recorded": _l("Pengaduan dicatat SDM (telepon, SP4N-LAPOR! atau langsung)"),
    "investigation.opened": _l("Pemeriksaan layanan dibuka dari peringatan"),
    "investigation.updated": _l("Temuan atau tindakan pemeriksaan dicatat"),
    "investigation.closed": _l("Pemeriksaan layanan ditutup"),
    "sanction.recorded": _l("Hukuman disiplin dicatat"),
    "sanction.revoked": _l("Catatan hukuman disiplin dibatalkan"),
    "award.defined": _l("Penghargaan dibuat"),
    "award.updated": _l("Definisi penghargaan diubah"),
    "award.candidate_added": _l("Kandidat penghargaan ditambahkan"),
    "award.candidate_removed": _l("Kandidat penghargaan dikeluarkan"),
    "award.nominated": _l("Pegawai dinominasikan untuk penghargaan"),
    "award.ranked": _l("Peringkat penghargaan dibekukan"),
    "award.decided": _l("Pemenang penghargaan diputuskan"),
    "award.reopened": _l("Keputusan penghargaan dibatalkan"),
    "award.citation_changed": _l("Kutipan penghargaan diubah"),
    "award.photo_set": _l("Foto pemenang diunggah"),
    "award.photo_removed": _l("Foto pemenang dihapus"),
    "award.published": _l("Penghargaan dipublikasikan"),
    "award.withdrawn": _l("Penghargaan ditarik dari publikasi"),
    "api_token.created": _l("Token API dibuat"),
    "api_token.revoked": _l("Token API dicabut"),
    "api.call": _l("Panggilan API"),
    "tpp.formula": _l("Rumus bagian kinerja TPP ditetapkan"),
    "siasn.sent": _l("Hasil evaluasi terkirim ke SIASN"),
    "employee.transferred": _l("Mutasi pegawai dicatat (SKP lama ditutup, SKP baru dibuka)"),
    "leave.recorded": _l("Cuti di luar tanggungan negara atau tugas belajar dicatat"),
    "leave.removed": _l("Catatan cuti di luar tanggungan negara atau tugas belajar dihapus"),
    "siasn.resend": _l("Kiriman SIASN yang ditolak dikirim ulang"),
    "siasn.pulled": _l("Data pegawai ditarik dari SIASN"),
    "siasn.accepted": _l("Perubahan data dari SIASN diterima"),
    "siasn.rejected": _l("Perubahan data dari SIASN ditolak"),
    "siasn.unor_mapped": _l("Unit kerja dipetakan ke unor SIASN"),
}

# What the event was about (the model's class name the trail stores).
SUBJECT_NAMES = {
    "User": _l("Akun"), "Employee": _l("Pegawai"), "Unit": _l("Unit kerja"),
    "Position": _l("Jabatan"), "Service": _l("Layanan"), "ServiceCounter": _l("Loket"),
    "LoginSession": _l("Sesi masuk"), "RecoveryCode": _l("Kode cadangan"),
    "GovernmentIdentity": _l("Identitas pemerintah daerah"), "Period": _l("Periode kinerja"),
    "PpkTerm": _l("Masa jabatan PPK"), "ActingOfficial": _l("Plt/Plh"),
    "UnitGoal": _l("Sasaran unit"), "Skp": _l("SKP"), "SkpVersion": _l("Versi SKP"),
    "Rhk": _l("RHK"), "Indicator": _l("Indikator"), "Activity": _l("Kegiatan harian"),
    "Evidence": _l("Bukti dukung"), "Realisation": _l("Realisasi"),
    "Feedback": _l("Umpan balik"), "Dialogue": _l("Dialog kinerja"),
    "Evaluation": _l("Evaluasi"), "Objection": _l("Keberatan"),
    "PeerFeedbackRequest": _l("Umpan balik rekan"), "UnitPredikat": _l("Predikat unit"),
    "DistributionLimit": _l("Batas distribusi predikat"), "TrainingCourse": _l("Pelatihan"),
    "DevelopmentPlan": _l("Rencana pengembangan"), "TrainingRecord": _l("Pelatihan pegawai"),
    "Kiosk": _l("Kiosk"), "Rating": _l("Penilaian warga"), "Complaint": _l("Pengaduan"),
    "RosterEntry": _l("Jadwal petugas"), "ApiToken": _l("Token API"),
    "IkmPublication": _l("Pengumuman IKM"), "FollowUpPlan": _l("Rencana tindak lanjut IKM"),
    "Investigation": _l("Pemeriksaan layanan"), "DisciplinarySanction": _l("Hukuman disiplin"),
    "Award": _l("Penghargaan"), "Nomination": _l("Nominasi"),
    "RankingSnapshot": _l("Peringkat"), "AwardWinner": _l("Pemenang"),
}

# The details' keys as people read them; a key not here is written out from its name.
DETAIL_LABELS = {
    "active": _l("Aktif"), "added": _l("Ditambahkan"), "added_courses": _l("Pelatihan ditambahkan"),
    "after": _l("Sesudah"), "before": _l("Sebelum"), "behaviour": _l("Perilaku"),
    "behaviours": _l("Perilaku"), "cadence": _l("Irama evaluasi"), "candidates": _l("Kandidat"),
    "certificate_evidence_id": _l("Berkas sertifikat"), "certificate_number": _l("Nomor sertifikat"),
    "changed": _l("Diubah"), "changes": _l("Perubahan"), "citation": _l("Kutipan"),
    "colleagues": _l("Rekan"), "comment": _l("Komentar"), "completed_on": _l("Tanggal selesai"),
    "copied_from": _l("Disalin dari"), "count": _l("Jumlah"), "course_id": _l("Pelatihan"),
    "day": _l("Tanggal"), "days": _l("Hari"), "due_on": _l("Batas waktu"),
    "employee_id": _l("Pegawai"), "end": _l("Sampai"), "evaluation_id": _l("Evaluasi"),
    "failed_logins": _l("Percobaan gagal"), "for_results": _l("Untuk hasil kerja"),
    "goals_changed": _l("Sasaran diubah"), "held_on": _l("Tanggal dialog"), "hours": _l("Jam pelajaran"),
    "label": _l("Nama"), "left": _l("Tersisa"), "media_type": _l("Jenis berkas"),
    "minutes": _l("Menit"), "month": _l("Bulan"), "organisation": _l("Organisasi"),
    "original_predikat": _l("Predikat semula"), "outcome": _l("Hasil"), "period": _l("Periode"),
    "plan_id": _l("Rencana"), "planned_for": _l("Rencana pelaksanaan"), "predikat": _l("Predikat"),
    "reason": _l("Alasan"), "removed": _l("Dihapus"), "replaced_by": _l("Diganti dengan"),
    "resubmitted": _l("Diajukan ulang"), "result": _l("Hasil"), "roles": _l("Peran"),
    "scopes": _l("Cakupan"), "session_id": _l("Sesi"), "sessions_ended": _l("Sesi diakhiri"),
    "size": _l("Ukuran"), "snapshot_id": _l("Peringkat"), "start": _l("Mulai"),
    "status": _l("Status"), "status_from": _l("Status semula"), "status_to": _l("Status baru"),
    "target": _l("Target"), "top": _l("Teratas"), "topic": _l("Topik"), "unit": _l("Unit"),
    "value": _l("Nilai"), "version": _l("Versi"), "week": _l("Minggu"), "winners": _l("Pemenang"),
    "name": _l("Nama"), "year": _l("Tahun"), "from": _l("Dari"), "to": _l("Sampai"),
    "scope": _l("Cakupan"), "min_respondents": _l("Responden minimal"), "weights": _l("Bobot"),
    "create": _l("Baru"), "update": _l("Diperbarui"), "unchanged": _l("Tidak berubah"),
    "error": _l("Baris bermasalah"), "rank": _l("Peringkat"), "total": _l("Total"),
    "employee": _l("Pegawai"), "method": _l("Metode"), "path": _l("Alamat"),
    # The chain of authority: a term or an acting period, and a decision recorded for the PPK.
    "starts_on": _l("Mulai"), "ends_on": _l("Sampai"), "step": _l("Tahap"),
    "scan_id": _l("Pindaian bertanda tangan"),
    # An award's weights, named as the award page names its criteria.
    "realisation": _l("Realisasi target"), "satisfaction": _l("Kepuasan warga"),
    "regularity": _l("Keteraturan laporan harian"), "nomination": _l("Nominasi kepala unit"),
}
# Whole numbers that are codes or years, written without thousands grouping ("2026", not "2.026").
_PLAIN_NUMBERS = {"year", "version", "rank", "month", "week"}

_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def describe(action: str) -> str:
    """The event in words ("SKP diajukan ke atasan"); an unnamed code as "Kejadian lain (code)"."""
    known = EVENT_TYPES.get(action)
    return str(known) if known is not None else str(_l("Kejadian lain (%(code)s)", code=action))


def subject_name(subject_type: str | None) -> str:
    if not subject_type:
        return ""
    known = SUBJECT_NAMES.get(subject_type)
    return str(known) if known is not None else subject_type


def group_of(action: str) -> EventGroup | None:
    prefix = action.split(".", 1)[0]
    return next((group for group in GROUPS if prefix in group.prefixes), None)


def choices() -> list[tuple[object, list[tuple[str, str]]]]:
    """The event filter's options: per group, first the whole group, then each event in it by
    its description."""
    found = []
    for group in GROUPS:
        events = sorted(((code, str(text)) for code, text in EVENT_TYPES.items()
                         if group_of(code) is group), key=lambda pair: pair[1])
        everything = str(_l("Semua: %(group)s", group=group.label))
        found.append((group.label, [(GROUP_PREFIX + group.key, everything), *events]))
    return found


def group_by_key(key: str) -> EventGroup | None:
    return next((group for group in GROUPS if group.key == key), None)


def _label(key: str) -> str:
    known = DETAIL_LABELS.get(key)
    return str(known) if known is not None else key.replace("_", " ").capitalize()


def _value(value, key: str = "") -> str:
    if isinstance(value, bool):
        return str(_l("ya")) if value else str(_l("tidak"))
    if isinstance(value, int) and (key in _PLAIN_NUMBERS or key.endswith("_id")):
        return str(value)
    if isinstance(value, int | float):
        return format_amount(value)
    if isinstance(value, str) and _ISO_DAY.fullmatch(value):
        try:
            return dates.format_day(date.fromisoformat(value))
        except ValueError:
            return value
    if isinstance(value, dict):
        return "; ".join(f"{_label(inner)}: {_value(item, inner)}"
                         for inner, item in value.items() if item is not None)
    if isinstance(value, list | tuple):
        return "; ".join(" · ".join(_value(v, k) for k, v in item.items() if v is not None)
                         if isinstance(item, dict) else _value(item, key) for item in value)
    return "" if value is None else str(value)


def detail_pairs(details: dict | None, names: dict[str, dict] | None = None,
                 ) -> list[tuple[str, str]]:
    """The event's details as (label, value) in words: "Tanggal: 6 Des 2026", "Aktif: ya".
    `names` maps a key to {id: name} for the ids a reader knows by name ("employee_id")."""
    names = names or {}
    return [(_label(key), (str(names.get(key, {}).get(value, "")) if isinstance(value, int)
                           else "") or _value(value, key))
            for key, value in (details or {}).items()
            if value is not None and value != "" and value != [] and value != {}]

"""The words for appraisal values, in the reader's language (Indonesian first)."""
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext

from kinerja.appraisal.models import (
    Behaviour,
    EvaluationStatus,
    ObjectionStatus,
    OrganisationPredikat,
    Predikat,
    Rating,
    TrainingStatus,
)
from kinerja.appraisal.predikat import Limit

RATING = {
    Rating.ABOVE: _l("Di Atas Ekspektasi"),
    Rating.AS_EXPECTED: _l("Sesuai Ekspektasi"),
    Rating.BELOW: _l("Di Bawah Ekspektasi"),
}

BEHAVIOUR = {
    Behaviour.SERVICE: _l("Berorientasi Pelayanan"),
    Behaviour.ACCOUNTABLE: _l("Akuntabel"),
    Behaviour.COMPETENT: _l("Kompeten"),
    Behaviour.HARMONIOUS: _l("Harmonis"),
    Behaviour.LOYAL: _l("Loyal"),
    Behaviour.ADAPTIVE: _l("Adaptif"),
    Behaviour.COLLABORATIVE: _l("Kolaboratif"),
}

# The official one-line meaning of each core value, shown beside the rating.
BEHAVIOUR_MEANING = {
    Behaviour.SERVICE: _l("Memahami dan memenuhi kebutuhan masyarakat, ramah, cekatan, solutif."),
    Behaviour.ACCOUNTABLE: _l("Jujur, bertanggung jawab, cermat, disiplin dan berintegritas."),
    Behaviour.COMPETENT: _l("Terus belajar dan mengembangkan kapabilitas."),
    Behaviour.HARMONIOUS: _l("Saling peduli dan menghargai perbedaan."),
    Behaviour.LOYAL: _l("Berdedikasi dan mengutamakan kepentingan bangsa dan negara."),
    Behaviour.ADAPTIVE: _l("Terus berinovasi dan antusias menghadapi perubahan."),
    Behaviour.COLLABORATIVE: _l("Membangun kerja sama yang sinergis."),
}

PREDIKAT = {
    Predikat.VERY_GOOD: _l("Sangat Baik"),
    Predikat.GOOD: _l("Baik"),
    Predikat.NEEDS_IMPROVEMENT: _l("Butuh Perbaikan"),
    Predikat.POOR: _l("Kurang/Misconduct"),
    Predikat.VERY_POOR: _l("Sangat Kurang"),
}

PREDIKAT_SHORT = {
    Predikat.VERY_GOOD: "SB", Predikat.GOOD: "B", Predikat.NEEDS_IMPROVEMENT: "BP",
    Predikat.POOR: "K/M", Predikat.VERY_POOR: "SK",
}

ORGANISATION_PREDIKAT = {
    OrganisationPredikat.EXCEPTIONAL: _l("Istimewa"),
    OrganisationPredikat.GOOD: _l("Baik"),
    OrganisationPredikat.NEEDS_IMPROVEMENT: _l("Butuh Perbaikan"),
    OrganisationPredikat.POOR: _l("Kurang"),
    OrganisationPredikat.VERY_POOR: _l("Sangat Kurang"),
}

STATUS = {
    EvaluationStatus.DRAFT: _l("Draf penilaian"),
    EvaluationStatus.FINAL: _l("Ditetapkan, menunggu tanggapan pegawai"),
    EvaluationStatus.ACKNOWLEDGED: _l("Diterima pegawai"),
    EvaluationStatus.OBJECTED: _l("Keberatan diajukan"),
    EvaluationStatus.DECIDED: _l("Keberatan diputuskan"),
}

OBJECTION_STATUS = {
    ObjectionStatus.PENDING: _l("Menunggu keputusan"),
    ObjectionStatus.UPHELD: _l("Penilaian dikuatkan"),
    ObjectionStatus.CHANGED: _l("Penilaian diubah"),
}

TRAINING_STATUS = {
    TrainingStatus.PLANNED: _l("Direncanakan"),
    TrainingStatus.DONE: _l("Selesai"),
    TrainingStatus.CANCELLED: _l("Dibatalkan"),
}


def describe_limit(limit: Limit) -> str:
    """"BP + K/M at least 1 person", "SB at most 70%" ... in the reader's language."""
    names = " + ".join(PREDIKAT_SHORT[p] for p in Predikat if p in limit.predikats)
    parts = []
    if limit.min_percent is not None:
        parts.append(str(_l("paling sedikit %(n)s%%", n=limit.min_percent)))
    if limit.max_percent is not None:
        parts.append(str(_l("paling banyak %(n)s%%", n=limit.max_percent)))
    if limit.min_count is not None:
        parts.append(ngettext("paling sedikit %(num)s orang", "paling sedikit %(num)s orang",
                              limit.min_count))
    return f"{names}: {', '.join(parts)}"

"""Demo data for development plans: a training catalogue like a BKPSDM keeps, each course
mapped to the BerAKHLAK values it strengthens or marked for weak work results; and plans for
about half of the employees whose predikat for the open period is low (the others show up in
the training-needs report as still without a plan)."""
from datetime import date, timedelta

from kinerja.appraisal import development
from kinerja.appraisal.models import (
    DevelopmentPlan,
    Evaluation,
    EvaluationStatus,
    TrainingCourse,
    TrainingRecord,
    TrainingStatus,
)
from kinerja.appraisal.predikat import Behaviour, needs_development
from kinerja.extensions import db
from kinerja.organisation.models import User
from kinerja.performance.models import Period, PeriodStatus

# title, topic, provider, hours, behaviours, for results, description
COURSES = [
    ("Manajemen Waktu dan Prioritas Kerja", "Pengembangan diri", "BKPSDM Kabupaten Bulungan", 8,
     [Behaviour.ACCOUNTABLE], True,
     "Menyusun prioritas, jadwal harian dan tenggat agar target RHK tercapai tepat waktu."),
    ("Komunikasi Efektif di Lingkungan Kerja", "Komunikasi", "BPSDM Provinsi Kalimantan Utara", 16,
     [Behaviour.HARMONIOUS, Behaviour.COLLABORATIVE], False,
     "Mendengar aktif, menyampaikan pesan dengan jelas dan memberi umpan balik yang membangun."),
    ("Pelayanan Prima bagi Petugas Pelayanan Publik", "Pelayanan publik",
     "BKPSDM Kabupaten Bulungan", 16, [Behaviour.SERVICE], False,
     "Standar pelayanan, keramahan, menangani warga yang kecewa, dan budaya melayani."),
    ("Etika dan Integritas ASN", "Integritas", "Lembaga Administrasi Negara (e-learning)", 12,
     [Behaviour.ACCOUNTABLE, Behaviour.LOYAL], False,
     "Kode etik dan kode perilaku ASN, benturan kepentingan, gratifikasi dan disiplin PNS."),
    ("Membangun Kerja Sama Tim yang Solid", "Kerja sama", "BKPSDM Kabupaten Bulungan", 8,
     [Behaviour.COLLABORATIVE, Behaviour.HARMONIOUS], False,
     "Peran dalam tim, koordinasi lintas bidang, dan menyelesaikan konflik kerja."),
    ("Adaptasi Perubahan dan Inovasi Pelayanan", "Inovasi", "BPSDM Provinsi Kalimantan Utara", 24,
     [Behaviour.ADAPTIVE], False,
     "Berpikir kreatif, merancang proyek perubahan kecil, dan menerapkan inovasi pelayanan."),
    ("Literasi Digital bagi ASN", "Transformasi digital", "Kementerian Komunikasi dan Digital", 20,
     [Behaviour.COMPETENT, Behaviour.ADAPTIVE], True,
     "Aplikasi perkantoran, tanda tangan elektronik, keamanan data, dan layanan berbasis SPBE."),
    ("Penyusunan SKP dan Indikator Kinerja", "Manajemen kinerja", "BKPSDM Kabupaten Bulungan", 12,
     [Behaviour.ACCOUNTABLE], True,
     "Menyusun RHK yang terukur, indikator kuantitas-kualitas-waktu, dan bukti dukung."),
    ("Manajemen Pengaduan Masyarakat", "Pelayanan publik", "Ombudsman RI Perwakilan Kalimantan Utara",
     8, [Behaviour.SERVICE, Behaviour.ACCOUNTABLE], False,
     "Menerima, menindaklanjuti dan menjawab pengaduan tepat waktu melalui SP4N-LAPOR!."),
    ("Penulisan Naskah Dinas dan Tata Kelola Arsip", "Administrasi", "BKPSDM Kabupaten Bulungan",
     12, [Behaviour.COMPETENT], True,
     "Tata naskah dinas, surat-menyurat dan pengarsipan yang rapi serta mudah ditelusuri."),
    ("Wawasan Kebangsaan dan Bela Negara", "Kebangsaan", "BPSDM Provinsi Kalimantan Utara", 16,
     [Behaviour.LOYAL], False,
     "Nilai dasar ASN, Pancasila dan bela negara dalam pelaksanaan tugas sehari-hari."),
    ("Pengelolaan Data dan Pelaporan dengan Spreadsheet", "Transformasi digital",
     "BKPSDM Kabupaten Bulungan", 12, [Behaviour.COMPETENT], True,
     "Mengolah data layanan, membuat rekap dan grafik untuk laporan kinerja bulanan."),
    # Kept to show that an inactive course is never suggested.
    ("Pelatihan Dasar Komputer (kurikulum lama)", "Transformasi digital",
     "BKPSDM Kabupaten Bulungan", 16, [Behaviour.COMPETENT], False,
     "Diganti oleh Literasi Digital bagi ASN."),
]
INACTIVE = {"Pelatihan Dasar Komputer (kurikulum lama)"}


def seed(today: date) -> dict:
    """The catalogue and some plans, committed."""
    seed_training_catalogue()
    plans = seed_plans(today)
    db.session.commit()
    return {"development_plans": plans}


def seed_training_catalogue() -> list[TrainingCourse]:
    """Add the demo catalogue (once: titles already there are skipped); the caller commits."""
    existing = set(db.session.scalars(db.select(TrainingCourse.title)))
    added = []
    for title, topic, provider, hours, behaviours, for_results, description in COURSES:
        if title in existing:
            continue
        course = TrainingCourse(title=title, topic=topic, provider=provider, hours=hours,
                                behaviours=[b.value for b in Behaviour if b in behaviours],
                                for_results=for_results, description=description,
                                active=title not in INACTIVE)
        db.session.add(course)
        added.append(course)
    db.session.flush()
    return added


GOALS = [
    "Menyelesaikan berkas layanan sesuai standar waktu dan melaporkan kendala lebih awal.",
    "Meningkatkan ketelitian dan kelengkapan bukti dukung kegiatan harian.",
    "Lebih aktif berkoordinasi dengan rekan satu bidang dan menanggapi warga dengan ramah.",
]


def seed_plans(today: date) -> int:
    """Plans, by each employee's appraiser, for every other employee whose latest set
    evaluation of the open period is low; one training of each plan already done."""
    period = db.session.scalar(db.select(Period).where(Period.status == PeriodStatus.OPEN))
    if period is None:
        return 0
    evaluations = db.session.scalars(
        db.select(Evaluation).where(Evaluation.period_id == period.id,
                                    Evaluation.status != EvaluationStatus.DRAFT)
        .order_by(Evaluation.employee_id, Evaluation.point)).all()
    latest = {}
    for evaluation in evaluations:
        latest[evaluation.employee_id] = evaluation
    courses = development.active_courses()
    accounts = dict(db.session.execute(db.select(User.employee_id, User.id)).all())
    made = 0
    for n, evaluation in enumerate(e for e in latest.values() if needs_development(e.predikat)):
        if n % 2:
            continue  # left without a plan: the needs report lists them
        suggestions = development.suggest(courses, development.ratings_of(evaluation),
                                          development.results_below(evaluation), limit=2)
        appraiser = evaluation.appraiser or evaluation.employee.supervisor
        plan = DevelopmentPlan(evaluation=evaluation, employee=evaluation.employee,
                               goals=GOALS[n % len(GOALS)],
                               created_by_id=accounts.get(appraiser.id) if appraiser else None)
        db.session.add(plan)
        for i, suggestion in enumerate(suggestions):
            record = TrainingRecord(employee=evaluation.employee, course=suggestion.course,
                                    plan=plan, planned_for=today + timedelta(days=21 + 14 * i))
            if i == 0 and n % 4 == 0:
                record.status = TrainingStatus.DONE
                record.planned_for = today - timedelta(days=20)
                record.completed_on = today - timedelta(days=18)
                record.hours = suggestion.course.hours
                record.certificate_number = f"{800 + n:03d}/BKPSDM-BLG/{today.year}"
            db.session.add(record)
        made += 1
    db.session.flush()
    return made

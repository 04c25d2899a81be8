"""Demo data: a realistic kabupaten (Bulungan, WITA) with units, ~250 employees and counters.

Deterministic (a fixed random seed), so screenshots and walkthroughs are repeatable.
"""
import random
from datetime import date

from kinerja.core.calendar import TimeZone
from kinerja.extensions import db
from kinerja.organisation import identity
from kinerja.organisation.accounts import hash_password
from kinerja.organisation.models import Employee, Position, Service, ServiceCounter, Unit, UnitKind, User

DEMO_PASSWORD = "kinerja2026"  # noqa: S105  # nosec B105 # the demo's shared password, printed by seed-demo

MALE = ["Ahmad", "Budi", "Rizky", "Agus", "Hendra", "Dedi", "Yusuf", "Fajar", "Andi", "Muhammad",
        "Arif", "Bayu", "Dimas", "Eko", "Hadi", "Irfan", "Joko", "Taufik", "Wahyu", "Rahmat",
        "Syahrul", "Fikri", "Hasan", "Imam", "Yohanes", "Made", "Ketut", "Daniel", "Rudi",
        "Slamet", "Gunawan", "Teguh", "Iwan", "Zainal", "Ridwan", "Hamdan", "Samsul", "Abdul"]
FEMALE = ["Siti", "Dewi", "Sri", "Nur", "Rina", "Ayu", "Fitri", "Indah", "Putri", "Ratna",
          "Wulan", "Yuni", "Lestari", "Maria", "Novita", "Rahmawati", "Diah", "Eka", "Fatimah",
          "Halimah", "Intan", "Kartika", "Lina", "Mega", "Nurul", "Oktaviani", "Puspita",
          "Rosmawati", "Suryani", "Wahyuni", "Yanti", "Aisyah", "Dian", "Elisabeth"]
FAMILY = ["Saputra", "Hidayat", "Pratama", "Wijaya", "Santoso", "Kurniawan", "Setiawan",
          "Nugroho", "Siregar", "Nasution", "Lubis", "Harahap", "Simanjuntak", "Tambunan",
          "Rahman", "Hakim", "Syahputra", "Pasaribu", "Ginting", "Sembiring", "Manurung",
          "Panjaitan", "Sinaga", "Purba", "Wibowo", "Susanto", "Firmansyah", "Ramadhan",
          "Hasibuan", "Lamba", "Paranoan", "Tandililing", "Effendi", "Maulana", "Sari",
          "Handayani", "Permata", "Utami"]
TITLES = ["", "", ", S.E.", ", S.Sos.", ", S.Kom.", ", S.Pd.", ", S.H.", ", S.AP.", ", A.Md.",
          ", S.T.", ", M.Si.", ", S.IP."]

# code, name, kind, parent code, head position, [(second-level position, [(third-level
# position, number of staff, staff positions)])]
UNITS = [
    ("SETDA", "Sekretariat Daerah Kabupaten Bulungan", UnitKind.SEKRETARIAT, None,
     "Sekretaris Daerah", [
         ("Asisten Pemerintahan dan Kesejahteraan Rakyat", [
             ("Kepala Bagian Organisasi", 3, ["Analis Kelembagaan", "Analis Tata Laksana"])]),
         ("Asisten Administrasi Umum", [
             ("Kepala Bagian Umum", 3, ["Pengadministrasi Umum", "Pengelola Keuangan"])]),
     ]),
    ("BKPSDM", "Badan Kepegawaian dan Pengembangan Sumber Daya Manusia", UnitKind.BADAN, "SETDA",
     "Kepala Badan Kepegawaian dan Pengembangan SDM", [
         ("Sekretaris BKPSDM", [("Kepala Subbagian Umum dan Kepegawaian", 3,
                                 ["Pengadministrasi Umum", "Pranata Komputer Ahli Pertama"])]),
         ("Kepala Bidang Pengadaan dan Informasi Kepegawaian", [
             ("Analis SDM Aparatur Ahli Muda", 5, ["Analis SDM Aparatur Ahli Pertama",
                                                   "Pengolah Data Kepegawaian"])]),
         ("Kepala Bidang Penilaian Kinerja dan Pengembangan Kompetensi", [
             ("Analis Kinerja Ahli Muda", 5, ["Analis Kinerja Ahli Pertama",
                                              "Pengelola Diklat"])]),
     ]),
    ("DISDIK", "Dinas Pendidikan", UnitKind.DINAS, "SETDA", "Kepala Dinas Pendidikan", [
        ("Sekretaris Dinas Pendidikan", [("Kepala Subbagian Umum", 3,
                                          ["Pengadministrasi Umum", "Pengelola Keuangan"])]),
        ("Kepala Bidang Pembinaan Sekolah Dasar", [
            ("Kepala Seksi Kurikulum SD", 6, ["Pengembang Teknologi Pembelajaran",
                                              "Pengolah Data Pendidikan"])]),
        ("Kepala Bidang Pembinaan SMP", [
            ("Kepala Seksi Peserta Didik SMP", 4, ["Analis Data Pendidikan",
                                                   "Pengolah Data Pendidikan"])]),
        ("Kepala Bidang Guru dan Tenaga Kependidikan", [
            ("Kepala Seksi Pendidik", 3, ["Analis Tenaga Kependidikan"])]),
    ]),
    ("DINKES", "Dinas Kesehatan", UnitKind.DINAS, "SETDA", "Kepala Dinas Kesehatan", [
        ("Sekretaris Dinas Kesehatan", [("Kepala Subbagian Program dan Keuangan", 3,
                                         ["Pengelola Keuangan", "Perencana Ahli Pertama"])]),
        ("Kepala Bidang Kesehatan Masyarakat", [
            ("Kepala Seksi Kesehatan Keluarga dan Gizi", 6, ["Nutrisionis Ahli Pertama",
                                                            "Penyuluh Kesehatan Masyarakat"])]),
        ("Kepala Bidang Pelayanan Kesehatan", [
            ("Kepala Seksi Pelayanan Kesehatan Primer", 3, ["Administrator Kesehatan"])]),
    ]),
    ("DUKCAPIL", "Dinas Kependudukan dan Pencatatan Sipil", UnitKind.DINAS, "SETDA",
     "Kepala Dinas Kependudukan dan Pencatatan Sipil", [
         ("Sekretaris Dinas Dukcapil", [("Kepala Subbagian Umum dan Kepegawaian", 3,
                                         ["Pengadministrasi Umum", "Pengelola Keuangan"])]),
         ("Kepala Bidang Pelayanan Pendaftaran Penduduk", [
             ("Kepala Seksi Identitas Penduduk", 5, ["Verifikator Data Kependudukan",
                                                     "Operator Layanan KTP-el"]),
             ("Kepala Seksi Pindah Datang", 4, ["Verifikator Data Kependudukan",
                                                "Pengadministrasi Kependudukan"])]),
         ("Kepala Bidang Pelayanan Pencatatan Sipil", [
             ("Kepala Seksi Kelahiran dan Kematian", 5, ["Pengadministrasi Kependudukan",
                                                         "Verifikator Akta"])]),
     ]),
    ("DPMPTSP", "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu", UnitKind.DINAS,
     "SETDA", "Kepala Dinas Penanaman Modal dan PTSP", [
         ("Sekretaris DPMPTSP", [("Kepala Subbagian Umum", 2, ["Pengadministrasi Umum"])]),
         ("Kepala Bidang Pelayanan Perizinan", [
             ("Kepala Seksi Perizinan Berusaha", 6, ["Analis Perizinan", "Verifikator Perizinan",
                                                     "Petugas Front Office"])]),
         ("Kepala Bidang Pengaduan dan Informasi", [
             ("Kepala Seksi Pengaduan", 3, ["Pengelola Pengaduan", "Petugas Informasi"])]),
     ]),
    ("BAPENDA", "Badan Pendapatan Daerah", UnitKind.BADAN, "SETDA", "Kepala Badan Pendapatan Daerah", [
        ("Sekretaris Bapenda", [("Kepala Subbagian Umum", 2, ["Pengadministrasi Umum"])]),
        ("Kepala Bidang Pajak Bumi dan Bangunan", [
            ("Kepala Subbidang Pendataan PBB", 5, ["Penilai Pajak", "Petugas Pelayanan PBB"])]),
        ("Kepala Bidang Pajak Daerah Lainnya", [
            ("Kepala Subbidang Penagihan", 3, ["Juru Tagih", "Pengelola Data Pajak"])]),
    ]),
    ("BAPPEDA", "Badan Perencanaan Pembangunan Daerah", UnitKind.BADAN, "SETDA",
     "Kepala Badan Perencanaan Pembangunan Daerah", [
         ("Sekretaris Bappeda", [("Kepala Subbagian Umum", 2, ["Pengadministrasi Umum"])]),
         ("Kepala Bidang Perencanaan Pemerintahan dan Pembangunan Manusia", [
             ("Perencana Ahli Muda", 4, ["Perencana Ahli Pertama", "Analis Data Statistik"])]),
     ]),
    ("DINSOS", "Dinas Sosial", UnitKind.DINAS, "SETDA", "Kepala Dinas Sosial", [
        ("Sekretaris Dinas Sosial", [("Kepala Subbagian Umum", 2, ["Pengadministrasi Umum"])]),
        ("Kepala Bidang Perlindungan dan Jaminan Sosial", [
            ("Kepala Seksi Data dan Bantuan Sosial", 5, ["Pekerja Sosial", "Operator DTKS"])]),
    ]),
    ("KEC-TSELOR", "Kecamatan Tanjung Selor", UnitKind.KECAMATAN, "SETDA",
     "Camat Tanjung Selor", [
         ("Sekretaris Kecamatan Tanjung Selor", [
             ("Kepala Seksi Pelayanan Umum", 5, ["Pengadministrasi Kependudukan",
                                                 "Petugas Pelayanan"]),
             ("Kepala Seksi Pemerintahan", 2, ["Pengadministrasi Pemerintahan"])]),
     ]),
    ("KEL-TSHILIR", "Kelurahan Tanjung Selor Hilir", UnitKind.KELURAHAN, "KEC-TSELOR",
     "Lurah Tanjung Selor Hilir", [
         ("Sekretaris Kelurahan Tanjung Selor Hilir", [
             ("Kepala Seksi Pelayanan Umum Kelurahan", 3, ["Petugas Pelayanan"])])]),
    ("KEL-TSHULU", "Kelurahan Tanjung Selor Hulu", UnitKind.KELURAHAN, "KEC-TSELOR",
     "Lurah Tanjung Selor Hulu", [
         ("Sekretaris Kelurahan Tanjung Selor Hulu", [
             ("Kepala Seksi Pelayanan Umum Kelurahan", 3, ["Petugas Pelayanan"])])]),
    ("KEC-TPALAS", "Kecamatan Tanjung Palas", UnitKind.KECAMATAN, "SETDA", "Camat Tanjung Palas", [
        ("Sekretaris Kecamatan Tanjung Palas", [
            ("Kepala Seksi Pelayanan Umum", 4, ["Pengadministrasi Kependudukan",
                                                "Petugas Pelayanan"]),
            ("Kepala Seksi Ketentraman dan Ketertiban", 2, ["Pengadministrasi Umum"])]),
    ]),
    ("PKM-TSELOR", "Puskesmas Tanjung Selor", UnitKind.PUSKESMAS, "DINKES",
     "Kepala Puskesmas Tanjung Selor", [
         ("Kepala Subbagian Tata Usaha Puskesmas", [
             ("Dokter Ahli Muda", 5, ["Perawat Ahli Pertama", "Bidan Terampil",
                                      "Petugas Pendaftaran"]),
             ("Apoteker Ahli Pertama", 2, ["Asisten Apoteker"])]),
     ]),
    ("PKM-TPALAS", "Puskesmas Tanjung Palas", UnitKind.PUSKESMAS, "DINKES",
     "Kepala Puskesmas Tanjung Palas", [
         ("Kepala Subbagian Tata Usaha Puskesmas", [
             ("Dokter Ahli Pertama", 5, ["Perawat Ahli Pertama", "Bidan Terampil",
                                         "Petugas Pendaftaran"])]),
     ]),
]

SERVICES = [
    ("KTP-EL", "KTP Elektronik"), ("KK", "Kartu Keluarga"), ("KIA", "Kartu Identitas Anak"),
    ("AKTA-LAHIR", "Akta Kelahiran"), ("AKTA-MATI", "Akta Kematian"),
    ("PINDAH", "Surat Pindah Datang"), ("NIB", "Perizinan Berusaha (NIB)"),
    ("PBG", "Persetujuan Bangunan Gedung"), ("PBB", "Pajak Bumi dan Bangunan"),
    ("BANSOS", "Bantuan Sosial dan DTKS"), ("SKET", "Surat Keterangan"),
    ("INFO", "Informasi dan Pengaduan"), ("DAFTAR-PASIEN", "Pendaftaran Pasien"),
    ("POLI-UMUM", "Pelayanan Poli Umum"), ("IMUNISASI", "Imunisasi"),
]

COUNTERS = [
    ("DUKCAPIL-01", "Loket 1 — KTP-el dan KIA", "DUKCAPIL", ["KTP-EL", "KIA"]),
    ("DUKCAPIL-02", "Loket 2 — Kartu Keluarga dan Pindah Datang", "DUKCAPIL", ["KK", "PINDAH"]),
    ("DUKCAPIL-03", "Loket 3 — Akta Kelahiran dan Kematian", "DUKCAPIL",
     ["AKTA-LAHIR", "AKTA-MATI"]),
    ("DPMPTSP-01", "Loket Perizinan Berusaha", "DPMPTSP", ["NIB", "PBG"]),
    ("DPMPTSP-02", "Loket Informasi dan Pengaduan", "DPMPTSP", ["INFO"]),
    ("BAPENDA-01", "Loket Pelayanan PBB", "BAPENDA", ["PBB"]),
    ("DINSOS-01", "Loket Layanan Sosial", "DINSOS", ["BANSOS"]),
    ("KEC-TSELOR-01", "Loket Pelayanan Kecamatan", "KEC-TSELOR", ["SKET", "KTP-EL"]),
    ("KEL-TSHILIR-01", "Loket Pelayanan Kelurahan", "KEL-TSHILIR", ["SKET"]),
    ("KEL-TSHULU-01", "Loket Pelayanan Kelurahan", "KEL-TSHULU", ["SKET"]),
    ("KEC-TPALAS-01", "Loket Pelayanan Kecamatan", "KEC-TPALAS", ["SKET", "KTP-EL"]),
    ("PKM-TSELOR-01", "Loket Pendaftaran Pasien", "PKM-TSELOR", ["DAFTAR-PASIEN"]),
    ("PKM-TSELOR-02", "Poli Umum dan Imunisasi", "PKM-TSELOR", ["POLI-UMUM", "IMUNISASI"]),
    ("PKM-TPALAS-01", "Loket Pendaftaran Pasien", "PKM-TPALAS", ["DAFTAR-PASIEN"]),
]

# username -> (role label, unit code, position): the demo account given a username and role.
DEMO_LOGINS = {
    "admin": ("Admin sistem", "BKPSDM", "Pranata Komputer Ahli Pertama"),
    "hr": ("HR (kepegawaian)", "BKPSDM", "Analis SDM Aparatur Ahli Pertama"),
    "kepala": ("Kepala unit", "DUKCAPIL", "Kepala Dinas Kependudukan dan Pencatatan Sipil"),
    "atasan": ("Atasan (supervisor)", "DUKCAPIL", "Kepala Seksi Identitas Penduduk"),
    "pegawai": ("Pegawai", "DUKCAPIL", "Verifikator Data Kependudukan"),
    # For evaluations: a colleague of pegawai whose last month was just evaluated (and who may
    # object), and atasan's own supervisor, who decides objections to atasan's evaluations.
    "staf": ("Pegawai (dievaluasi)", "DUKCAPIL", "Operator Layanan KTP-el"),
    "kabid": ("Atasan dari atasan", "DUKCAPIL", "Kepala Bidang Pelayanan Pendaftaran Penduduk"),
}


class _People:
    """Makes plausible names and unique, valid NIPs."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.sequence = 0

    def make(self, birth_years: tuple[int, int]) -> tuple[str, str]:
        rng = self.rng
        female = rng.random() < 0.48
        first = rng.choice(FEMALE if female else MALE)
        name = f"{first} {rng.choice(FAMILY)}{rng.choice(TITLES)}"
        born = date(rng.randint(*birth_years), rng.randint(1, 12), rng.randint(1, 28))
        appointed = min(born.year + rng.randint(22, 30), 2024)
        self.sequence += 1
        nip = (f"{born:%Y%m%d}{appointed:04d}{rng.randint(1, 12):02d}"
               f"{2 if female else 1}{self.sequence % 999 + 1:03d}")
        return name, nip


def seed(today: date | None = None) -> dict:
    rng = random.Random(20261124)  # nosec B311 # reproducible demo data, not security
    people = _People(rng)
    positions: dict[str, Position] = {}

    def position(name: str) -> Position:
        if name not in positions:
            positions[name] = Position(name=name)
            db.session.add(positions[name])
        return positions[name]

    def employee(unit: Unit, title: str, boss: Employee | None, years) -> Employee:
        name, nip = people.make(years)
        person = Employee(nip=nip, name=name, unit=unit, supervisor=boss, position=position(title),
                          email=f"{nip}@bulungankab.go.id")
        db.session.add(person)
        return person

    units: dict[str, Unit] = {}
    heads: dict[str, Employee] = {}
    employees: list[Employee] = []
    for code, name, kind, parent, head_title, sections in UNITS:
        unit = Unit(code=code, name=name, kind=kind, time_zone=TimeZone.WITA,
                    parent=units.get(parent), address=f"Jl. Jelarai, Tanjung Selor ({code})")
        db.session.add(unit)
        units[code] = unit
        # Heads of OPD answer to the Sekretaris Daerah, lurah to the camat, puskesmas to Dinkes.
        head = employee(unit, head_title, heads.get(parent), (1966, 1975))
        unit.head = head
        heads[code] = head
        employees.append(head)
        for second_title, thirds in sections:
            second = employee(unit, second_title, head, (1970, 1982))
            employees.append(second)
            for third_title, staff_count, staff_titles in thirds:
                third = employee(unit, third_title, second, (1976, 1988))
                employees.append(third)
                # One more than listed: every section also has a general administrator.
                titles = [staff_titles[i % len(staff_titles)] for i in range(staff_count)]
                for title in [*titles, "Pengadministrasi Perkantoran"]:
                    employees.append(employee(unit, title, third, (1984, 2000)))

    services = {code: Service(code=code, name=name) for code, name in SERVICES}
    db.session.add_all(services.values())
    for code, name, unit_code, service_codes in COUNTERS:
        db.session.add(ServiceCounter(code=code, name=name, unit=units[unit_code],
                                      location="Ruang pelayanan, lantai 1",
                                      services=[services[c] for c in service_codes]))
    db.session.flush()

    # One hash for everyone: hashing 250 passwords one by one would take most of a minute.
    shared_hash = hash_password(DEMO_PASSWORD)
    users = {}
    for person in employees:
        users[person.nip] = User(employee=person, password_hash=shared_hash)
        db.session.add(users[person.nip])
    logins = []
    for username, (label, unit_code, title) in DEMO_LOGINS.items():
        person = next(e for e in employees
                      if e.unit is units[unit_code] and e.position.name == title)
        account = users[person.nip]
        account.username = username
        account.is_admin = username == "admin"
        account.is_hr = username == "hr"
        logins.append((label, username, f"{person.name} (NIP {person.nip})"))
    db.session.commit()
    # The year's work and what grows from it, each in its own module (imported here: they
    # import this module's neighbours, and seeding is the only place that needs them).
    from kinerja.demo import (  # noqa: PLC0415
        appraisals,
        development,
        feedback,
        master_data,
        performance,
        publication,
        recognition,
        survey_follow_up,
    )
    today = today or date.today()

    def login(username: str) -> Employee:
        return next(u.employee for u in users.values() if u.username == username)

    summary = {"units": len(units), "employees": len(employees), "counters": len(COUNTERS),
               "logins": logins}
    from kinerja.demo import holiday_calendar  # noqa: PLC0415
    hr_user = next(u for u in users.values() if u.username == "hr")
    summary |= holiday_calendar.seed_days_off(today, hr_user)
    summary |= performance.seed(rng, units["DUKCAPIL"], login("pegawai"), today)
    summary |= feedback.seed(rng, today)
    from kinerja.demo import transfers  # noqa: PLC0415
    summary |= transfers.seed(rng, today, next(u for u in users.values() if u.username == "hr"))
    summary |= appraisals.seed(rng, today, atasan=login("atasan"), staf=login("staf"))
    summary |= holiday_calendar.seed_cases(today, login("staf"))
    from kinerja.demo import chain  # noqa: PLC0415
    by_name = {u.username: u for u in users.values() if u.username}
    summary["logins"] += chain.seed(rng, today, admin=by_name["admin"], hr=by_name["hr"],
                                    setda=units["SETDA"], kepala=login("kepala"),
                                    atasan=login("atasan"), password_hash=shared_hash)["logins"]
    summary |= development.seed(today)
    summary |= recognition.seed(today)
    summary |= publication.seed(today)
    summary |= survey_follow_up.seed(today)
    # Rank and jenis jabatan for everyone, and two fungsional earning angka kredit.
    master = master_data.seed(today)
    summary |= master | {"logins": [*logins, *master["logins"]]}
    # The SKP annex: the kepala's plan by perspective; staf's Lampiran, ekspektasi khusus and a
    # kualitatif indicator.
    from kinerja.demo import annex  # noqa: PLC0415
    summary |= annex.seed(today, kepala=login("kepala"), staf=login("staf"))
    # The kabupaten's identity as its admin would set it (no logo and Kinerja's own colours:
    # the demo has no right to the kabupaten's emblem, and the guide's pictures stay true).
    identity.update(next(u for u in users.values() if u.username == "admin"),
                    government_name="Pemerintah Kabupaten Bulungan",
                    short_name="Kabupaten Bulungan", place="Tanjung Selor", accent=None)
    return summary

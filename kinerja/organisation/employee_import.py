"""Importing employees from CSV or XLSX: validate every row, preview, then apply by NIP.

Re-importing the same file changes nothing (rows are matched by NIP), so HR can export from
the personnel system and import again whenever it changes.
"""
import csv
import difflib
import io
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from openpyxl import load_workbook

from kinerja.core import archives, audit
from kinerja.core.errors import RuleViolation
from kinerja.extensions import db
from kinerja.organisation import asn
from kinerja.organisation.models import Employee, Position, Unit, User
from kinerja.organisation.nip import InvalidNip, parse_nip

# Accepted header names (Indonesian first, English too) -> field.
HEADERS = {
    "nip": "nip",
    "nama": "name", "name": "name",
    "jabatan": "position", "position": "position",
    "kode_unit": "unit_code", "unit": "unit_code", "unit_code": "unit_code",
    "nip_atasan": "supervisor_nip", "atasan": "supervisor_nip", "supervisor_nip": "supervisor_nip",
    "email": "email", "surel": "email",
    "telepon": "phone", "hp": "phone", "phone": "phone",
    # Master data (organisation/asn.py), as personnel exports name it.
    "status": "asn_status", "status_asn": "asn_status", "status_pegawai": "asn_status",
    "pangkat": "rank", "golongan": "rank", "gol": "rank", "pangkat_golongan": "rank",
    "pangkat/golongan": "rank", "pangkat/gol": "rank", "pangkat/gol.": "rank", "rank": "rank",
    "tmt_pangkat": "rank_tmt", "tmt_golongan": "rank_tmt", "tmt_gol": "rank_tmt",
    "jenis_jabatan": "position_kind", "position_kind": "position_kind",
    "jenjang": "jenjang", "jenjang_jabatan": "jenjang",
}
MASTER_DATA = ("asn_status", "rank", "rank_tmt", "position_kind", "jenjang")
REQUIRED = ("nip", "name")
PROGRESS_EVERY = 250  # rows between two reports to a background import's progress
TEMPLATE_HEADER = ["nip", "nama", "jabatan", "kode_unit", "nip_atasan", "email", "telepon",
                   "status", "pangkat", "tmt_pangkat", "jenis_jabatan", "jenjang"]


class ImportFileError(RuleViolation):
    """The file as a whole cannot be read (wrong type, no header, too many rows)."""


@dataclass
class RowResult:
    row_number: int
    values: dict
    action: str = "create"  # create | update | unchanged | error
    errors: list = field(default_factory=list)

    @property
    def nip(self) -> str:
        return self.values.get("nip", "")

    @property
    def name(self) -> str:
        return self.values.get("name", "")

    @property
    def master_data(self) -> str:
        """The row's status, rank, TMT, jenis jabatan and jenjang as the preview shows them
        ("PNS · Penata (III/c), TMT 2021-04-01 · Fungsional Ahli Muda")."""
        if self.errors:
            return ""
        found = _master_data_columns(self.values)
        rank = str(found["rank"].label) if found.get("rank") else ""
        if rank and found.get("rank_tmt"):
            rank += ", " + str(_l("TMT %(day)s", day=found["rank_tmt"].isoformat()))
        position = " ".join(str(found[key].label) for key in ("position_kind", "jenjang")
                            if found.get(key))
        status = str(found["asn_status"].label) if found.get("asn_status") else ""
        return " · ".join(part for part in (status, rank, position) if part)


@dataclass
class ImportPlan:
    rows: list[RowResult]
    # Unit codes the file names that no unit has: the preview points to the list of codes.
    unknown_unit_codes: set[str] = field(default_factory=set)

    def count(self, action: str) -> int:
        return sum(1 for row in self.rows if row.action == action)

    @property
    def bad_rows(self) -> list[RowResult]:
        return [row for row in self.rows if row.action == "error"]

    @property
    def summary(self) -> dict[str, int]:
        return {a: self.count(a) for a in ("create", "update", "unchanged", "error")}


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # a NIP typed into Excel as a number
    return " ".join(str(value).split())


def read_rows(data: bytes, max_rows: int) -> list[tuple[int, dict]]:
    """Rows of the file as (row number, {field: text}); the type is told by content, not name."""
    if data[:4] == b"PK\x03\x04":
        raw_rows = _xlsx_rows(data)
    else:
        raw_rows = _csv_rows(data)
    try:
        header = next(raw_rows)
    except StopIteration:
        raise ImportFileError(_l("Berkas kosong.")) from None
    columns = [HEADERS.get(_cell(h).lower().replace(" ", "_")) for h in header]
    missing = [name for name in REQUIRED if name not in columns]
    if missing:
        raise ImportFileError(_l(
            "Baris judul harus memuat kolom nip dan nama (ditemukan: %(found)s).",
            found=", ".join(_cell(h) for h in header if _cell(h)) or "-",
        ))
    rows = []
    for number, raw in enumerate(raw_rows, start=2):
        values = {column: _cell(value) for column, value in zip(columns, raw, strict=False)
                  if column}
        if not any(values.values()):
            continue
        rows.append((number, values))
        if len(rows) > max_rows:
            raise ImportFileError(_l("Berkas memuat lebih dari %(n)s baris.", n=max_rows))
    return rows


def _xlsx_rows(data: bytes):
    try:
        archives.open_zip(data).close()  # refuses a workbook that would inflate past the limits
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError):  # ArchiveTooLarge is a ValueError
        raise ImportFileError(_l("Berkas XLSX rusak atau bukan lembar kerja Excel.")) from None
    sheet = workbook.worksheets[0]
    yield from sheet.iter_rows(values_only=True)
    workbook.close()


def _csv_rows(data: bytes):
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = data.decode("cp1252")  # Excel's "CSV" on Windows
        except UnicodeDecodeError:
            raise ImportFileError(_l("Berkas bukan CSV (UTF-8) atau XLSX.")) from None
    if "\x00" in text:
        raise ImportFileError(_l("Berkas bukan CSV (UTF-8) atau XLSX."))
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    yield from csv.reader(io.StringIO(text), delimiter=delimiter)


def plan_import(rows: list[tuple[int, dict]], today: date | None = None,
                progress: Callable[[int], None] | None = None) -> ImportPlan:
    """Validate every row against the file and the database; write nothing. `progress` is told
    the number of rows checked now and then (a background import shows it)."""
    existing = {e.nip: e for e in db.session.scalars(
        db.select(Employee).options(db.joinedload(Employee.unit), db.joinedload(Employee.position))
    ).unique()}
    units = {u.code: u for u in db.session.scalars(db.select(Unit))}
    results: list[RowResult] = []
    unknown: set[str] = set()
    first_row_of: dict[str, int] = {}
    for number, values in rows:
        if progress and len(results) % PROGRESS_EVERY == 0:
            progress(len(results))
        result = RowResult(number, values)
        results.append(result)
        try:
            values["nip"] = parse_nip(values.get("nip", ""), today).value
        except InvalidNip as problem:
            result.errors.append(problem.args[0])  # each reason names the NIP already
        if not values.get("name"):
            result.errors.append(_l("Nama wajib diisi."))
        elif len(values["name"]) > 200:
            result.errors.append(_l("Nama terlalu panjang (maks. 200 karakter)."))
        if len(values.get("position", "")) > 200:
            result.errors.append(_l("Jabatan terlalu panjang (maks. 200 karakter)."))
        code = values.get("unit_code", "").upper()
        values["unit_code"] = code
        if code and code not in units:
            result.errors.append(unknown_unit_code(code, units))
            unknown.add(code)
        email = values.get("email", "")
        if email and ("@" not in email or len(email) > 200):
            result.errors.append(_l("Alamat email tidak sah."))
        if len(values.get("phone", "")) > 30:
            result.errors.append(_l("Nomor telepon terlalu panjang."))
        result.errors.extend(_check_master_data(values))
        values["supervisor_nip"] = values.get("supervisor_nip", "").replace(" ", "")
        nip = values.get("nip", "")
        if nip in first_row_of:
            result.errors.append(_l("NIP sama dengan baris %(row)s.", row=first_row_of[nip]))
        elif nip:
            first_row_of[nip] = number
    _check_supervisors(results, existing)
    for result in results:
        if result.errors:
            result.action = "error"
        elif result.nip in existing:
            changed = _differences(existing[result.nip], result.values)
            result.action = "update" if changed else "unchanged"
    return ImportPlan(results, unknown)


def _parse_tmt(text: str) -> date | None:
    """A TMT as a personnel export writes it: 2021-04-01, 01-04-2021 or 01/04/2021 (day first),
    or a date cell of a workbook (read as "2021-04-01 00:00:00")."""
    text = text.split(" ")[0]
    for pattern in ("%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y"):
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    return None


def _check_master_data(values: dict) -> list:
    """Read status, pangkat/golongan, TMT, jenis jabatan and jenjang; write their stored values
    back into `values` (what is saved and compared) and say what is wrong with them."""
    errors = []
    parsed = {}
    readers = (
        ("asn_status", asn.parse_status, lambda value: _l(
            "Status %(value)s tidak dikenal: isi PNS atau PPPK.", value=value)),
        ("rank", asn.parse_rank, lambda value: _l(
            "Pangkat/golongan %(value)s tidak dikenal: isi golongan ruang PNS (I/a sampai IV/e, "
            "mis. III/b) atau golongan PPPK (I sampai XVII).", value=value)),
        ("position_kind", asn.parse_position_kind, lambda value: _l(
            "Jenis jabatan %(value)s tidak dikenal: isi JPT Utama, JPT Madya, JPT Pratama, "
            "Administrator, Pengawas, Pelaksana atau Fungsional.", value=value)),
        ("jenjang", asn.parse_jenjang, lambda value: _l(
            "Jenjang %(value)s tidak dikenal: isi Pemula, Terampil, Mahir, Penyelia, Ahli "
            "Pertama, Ahli Muda, Ahli Madya atau Ahli Utama.", value=value)),
    )
    for key, parse, unknown in readers:
        text = values.get(key, "")
        if text:
            parsed[key] = parse(text)
            if parsed[key] is None:
                errors.append(unknown(text))
    tmt_text, tmt = values.get("rank_tmt", ""), None
    if tmt_text:
        tmt = _parse_tmt(tmt_text)
        if tmt is None:
            errors.append(_l("TMT pangkat %(value)s bukan tanggal: tulis 2021-04-01 atau "
                             "01-04-2021.", value=tmt_text))
        else:
            values["rank_tmt"] = tmt.isoformat()
    if errors:
        return errors
    data = asn.MasterData(parsed.get("asn_status"), parsed.get("rank"), tmt,
                          parsed.get("position_kind"), parsed.get("jenjang")).completed()
    for key in ("asn_status", "position_kind"):
        if getattr(data, key) is not None:
            values[key] = getattr(data, key).value
    for key in ("rank", "jenjang"):
        if key in parsed:
            values[key] = parsed[key].value
    return [reason for _field, reason in data.problems()]


def unknown_unit_code(code: str, known_codes):
    """Why a unit code is refused, with the closest known codes (a personnel system's
    "DISDUKCAPIL" for the kabupaten's "DUKCAPIL") and where the codes are listed."""
    close = difflib.get_close_matches(code, list(known_codes), n=2, cutoff=0.6)
    if len(close) == 2:
        return _l("Kode unit %(code)s tidak dikenal. Maksudnya %(first)s atau %(second)s? "
                  "Semua kode ada di halaman Unit kerja.",
                  code=code, first=close[0], second=close[1])
    if close:
        return _l("Kode unit %(code)s tidak dikenal. Maksudnya %(suggestion)s? "
                  "Semua kode ada di halaman Unit kerja.", code=code, suggestion=close[0])
    return _l("Kode unit %(code)s tidak dikenal. Semua kode ada di halaman Unit kerja.", code=code)


def _check_supervisors(results: list[RowResult], existing: dict[str, Employee]) -> None:
    """Supervisors must be known (in the database or a good row) and form no cycle."""
    # The chart as it will be after the import: file rows override the database.
    boss_of = {nip: (e.supervisor.nip if e.supervisor else "") for nip, e in existing.items()}
    good = {r.nip for r in results if not r.errors}
    for result in results:
        if result.nip in good:
            boss_of[result.nip] = result.values.get("supervisor_nip", "")
    changed = True
    while changed:  # a bad supervisor row makes its reports bad too
        changed = False
        for result in results:
            if result.errors:
                continue
            boss = result.values.get("supervisor_nip", "")
            if not boss:
                continue
            if boss == result.nip:
                result.errors.append(_l("Pegawai tidak boleh menjadi atasannya sendiri."))
            elif boss not in existing and boss not in good:
                result.errors.append(_l("NIP atasan %(nip)s tidak ditemukan.", nip=boss))
            elif _in_cycle(result.nip, boss_of):
                result.errors.append(_l("Atasan membentuk rantai melingkar."))
            if result.errors:
                good.discard(result.nip)
                changed = True


def _in_cycle(nip: str, boss_of: dict[str, str]) -> bool:
    seen, current = {nip}, boss_of.get(nip, "")
    while current:
        if current in seen:
            return True
        seen.add(current)
        current = boss_of.get(current, "")
    return False


def _differences(employee: Employee, values: dict) -> list[str]:
    changed = []
    if values.get("name") and values["name"] != employee.name:
        changed.append("name")
    if "position" in values and values["position"] != employee.position_name:
        changed.append("position")
    if "unit_code" in values and values["unit_code"] != (employee.unit.code if employee.unit else ""):
        changed.append("unit")
    current_boss = employee.supervisor.nip if employee.supervisor else ""
    if "supervisor_nip" in values and values["supervisor_nip"] != current_boss:
        changed.append("supervisor")
    for key in ("email", "phone"):
        if key in values and (values[key] or None) != getattr(employee, key):
            changed.append(key)
    stored = _master_data_columns(values)
    changed.extend(key for key, value in stored.items() if value != getattr(employee, key))
    if not employee.active:
        changed.append("active")
    return changed


def apply_import(actor: User | None, rows: list[tuple[int, dict]], filename: str = "",
                 today: date | None = None,
                 progress: Callable[[int], None] | None = None) -> ImportPlan:
    """Create or update every good row; bad rows are skipped and reported, nothing else.

    Written in bulk (one INSERT ... RETURNING for the new people, executemany UPDATEs by primary
    key for the rest and for the supervisors): 50,000 rows as ORM objects took most of a
    half-minute budget (bench/imports.py)."""
    plan = plan_import(rows, today, progress)
    to_write = [r for r in plan.rows if r.action in ("create", "update")]
    ids = dict(db.session.execute(db.select(Employee.nip, Employee.id)).all())
    unit_ids = dict(db.session.execute(db.select(Unit.code, Unit.id)).all())
    position_ids = _position_ids({r.values["position"] for r in to_write
                                  if r.values.get("position")})

    def columns(values: dict) -> dict:
        found = {"name": values["name"], "active": True, "unit_id": unit_ids.get(values["unit_code"])}
        if "position" in values:
            found["position_id"] = position_ids.get(values["position"])
        for key in ("email", "phone"):
            if key in values:
                found[key] = values[key] or None
        return found | _master_data_columns(values)

    new = [r for r in to_write if r.nip not in ids]
    if new:
        # Every new row gets the same keys, so one INSERT statement serves them all.
        keys = {key for r in new for key in columns(r.values)}
        # A Core INSERT: the ORM's bulk insert with RETURNING went row by row here.
        table = Employee.__table__
        inserted = db.session.connection().execute(
            table.insert().returning(table.c.nip, table.c.id),
            [{key: None for key in keys} | columns(r.values) | {"nip": r.nip} for r in new])
        ids.update(dict(inserted.all()))
    created = {r.nip for r in new}
    updates = [{"id": ids[r.nip], **columns(r.values)} for r in to_write if r.nip not in created]
    if updates:
        db.session.execute(db.update(Employee), updates)
    bosses = [{"id": ids[r.nip], "supervisor_id": ids[r.values["supervisor_nip"]]
               if r.values["supervisor_nip"] else None}
              for r in to_write if "supervisor_nip" in r.values]
    if bosses:
        db.session.execute(db.update(Employee), bosses)
    audit.record("employees.imported", actor=actor, summary=filename[:200], **plan.summary)
    db.session.commit()
    return plan


def _master_data_columns(values: dict) -> dict:
    """The master data columns the file has, as stored (an empty cell clears the value)."""
    kinds = {"asn_status": asn.AsnStatus, "rank": asn.Rank, "position_kind": asn.PositionKind,
             "jenjang": asn.Jenjang, "rank_tmt": date.fromisoformat}
    return {key: kinds[key](values[key]) if values[key] else None
            for key in MASTER_DATA if key in values}


def _position_ids(names: set[str]) -> dict[str, int]:
    """Position ids by name, adding the positions the file names for the first time."""
    known = dict(db.session.execute(db.select(Position.name, Position.id)).all())
    missing = sorted(names - set(known))
    if missing:
        table = Position.__table__
        known.update(dict(db.session.connection().execute(
            table.insert().returning(table.c.name, table.c.id),
            [{"name": name} for name in missing]).all()))
    return known


def template_csv() -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(TEMPLATE_HEADER)
    writer.writerow(["198503122010011003", "Budi Santoso, S.E.", "Analis Kepegawaian",
                     "BKPSDM", "197901012005011001", "budi@example.go.id", "081234567890",
                     "PNS", "III/b", "2019-04-01", "Fungsional", "Ahli Pertama"])
    return out.getvalue()

"""Importing 50,000 employees from XLSX: `flask --app wsgi import-employees FILE` (the preview)
and `... --commit` (the import), each timed in its own process with its peak memory (RSS), on
a schema holding the ~500 units of bench/reports.py. Then the same file again (every row
unchanged: what HR does after each export from the personnel system). Target: the import
(with --commit) under 30 s.

    python -m bench.imports [--employees 50000] [--profile]      (or: make bench-import)

Baselines in the same run: the same CLI on a one-row file (start-up: Python, the app, the
database connection) and openpyxl alone reading the 50,000-row file in read-only mode (the
floor for any XLSX import in Python). --profile also runs the import under cProfile on a fresh
schema and prints its hot spots. Prints a Markdown table and writes
bench/results/imports-<timestamp>.json. Exit code 0 unless a command failed.
"""
from __future__ import annotations

import argparse
import cProfile  # noqa: F401 - run as `python -m cProfile` in the profiled child
import os
import pstats
import random
import shutil
import subprocess  # noqa: S404 - our own CLI commands, never a shell
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from openpyxl import Workbook

from bench.common import PROJECT_ROOT, Server, ServerFailed, git_revision, machine, table, write_results
from bench.reports import ORG_SQL, PLACES_SQL, _statements, bulk

TARGET_SECONDS = 30.0
HEADER = ["nip", "nama", "jabatan", "kode_unit", "nip_atasan", "email", "telepon"]
TIME = "/usr/bin/time"
FIRST_NAMES = ["Ahmad", "Budi", "Citra", "Dewi", "Eka", "Fajar", "Gita", "Hadi", "Indah", "Joko",
               "Kartika", "Lestari", "Made", "Nur", "Putu", "Rina", "Siti", "Teguh", "Wayan", "Yusuf"]
LAST_NAMES = ["Santoso", "Wijaya", "Saputra", "Lestari", "Hidayat", "Kurniawan", "Pratama",
              "Rahayu", "Setiawan", "Utami", "Nugroho", "Susanti", "Halim", "Siregar", "Daeng"]
TITLES = ["", "", "S.E.", "S.Kom.", "S.H.", "S.Sos.", "M.M.", "S.T.", "A.Md."]
POSITIONS = [f"{role} {field}" for role in ("Analis", "Pengelola", "Penata Kelola", "Pranata",
                                           "Pengadministrasi", "Kepala Seksi", "Kepala Bidang")
             for field in ("Kepegawaian", "Keuangan", "Perencanaan", "Pelayanan", "Data",
                           "Umum", "Kebijakan", "Program", "Kependudukan", "Perizinan")]


def log(message: str) -> None:
    print(f"[{datetime.now():%H:%M:%S}] {message}", file=sys.stderr, flush=True)


def nip(n: int) -> str:
    """A valid NIP (kinerja.organisation.nip rules), unique for n below 9,000,000: as
    tests/builders.valid_nip, but the sequence number is n div 9000."""
    from datetime import date, timedelta  # noqa: PLC0415
    birth = date(1965, 1, 1) + timedelta(days=n % 9000)
    return f"{birth:%Y%m%d}{birth.year + 20 + n % 15}{1 + n % 12:02d}{1 + n % 2}{1 + n // 9000:03d}"


def write_xlsx(path: Path, employees: int, places: list[tuple[str, str | None]]) -> dict:
    """`employees` rows over the units that hold people. The first row of each unit is its
    head, who reports to the head of the unit above (when that unit has people); every other
    row reports to its unit's head. Deterministic (a fixed seed)."""
    rng = random.Random(20261127)  # noqa: S311 - test data, not secrets
    heads: dict[str, str] = {}
    rows = []
    for n in range(employees):
        code, _ = places[(n * 7919) % len(places)]
        number = nip(n)
        heads.setdefault(code, number)
        rows.append([number, code])
    parent_of = dict(places)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Pegawai")
    sheet.append(HEADER)
    with_supervisor = 0
    for n, (number, code) in enumerate(rows):
        boss = heads[code] if heads[code] != number else heads.get(parent_of[code] or "", "")
        with_supervisor += bool(boss)
        name = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
        title = rng.choice(TITLES)
        # NIPs as text (as personnel exports have them: an 18-digit number loses digits in Excel)
        sheet.append([number, f"{name}, {title}" if title else name, rng.choice(POSITIONS), code,
                      boss, f"pegawai{n}@example.go.id" if n % 3 else None,
                      f"08{rng.randrange(10**9, 10**10)}" if n % 2 else None])
    workbook.save(path)
    return {"rows": employees, "units": len({code for _, code in rows}),
            "with_supervisor": with_supervisor, "bytes": path.stat().st_size}


def timed(server: Server, command: list[str]) -> dict:
    """Run a command in the server's environment under /usr/bin/time: wall seconds, peak RSS."""
    with tempfile.NamedTemporaryFile("r", suffix=".time") as measures:
        started = time.perf_counter()
        done = subprocess.run([TIME, "-f", "%e %M %U %S", "-o", measures.name, *command],  # noqa: S603
                              cwd=PROJECT_ROOT, env=server.env, capture_output=True, text=True,
                              timeout=1800)
        seconds = time.perf_counter() - started
        figures = measures.read().split()
    if done.returncode:
        raise ServerFailed(f"{' '.join(command)} failed ({done.returncode}):\n{done.stdout}{done.stderr}")
    wall, rss_kb, user, system = figures[-4:]
    return {"seconds": round(seconds, 2), "wall": float(wall), "peak_rss_mb": round(int(rss_kb) / 1024, 1),
            "cpu_seconds": round(float(user) + float(system), 2),
            "output": done.stdout.strip().splitlines()[-3:]}


def flask_import(path: Path, commit: bool) -> list[str]:
    return [sys.executable, "-m", "flask", "--app", "wsgi", "import-employees", str(path),
            *(["--commit"] if commit else [])]


READ_ONLY = """
import sys
from openpyxl import load_workbook
rows = sum(1 for _ in load_workbook(sys.argv[1], read_only=True, data_only=True).worksheets[0]
           .iter_rows(values_only=True))
print(rows)
"""


def prepare(server: Server) -> list[tuple[str, str | None]]:
    with bulk(server) as connection:
        for script in (ORG_SQL, PLACES_SQL):
            for statement in _statements(script, ):
                connection.execute(statement, {"kabupaten": 10, "opds": 20})
    return server.sql("""SELECT u.code, p.code FROM bench_places b JOIN units u ON u.id = b.unit_id
                         LEFT JOIN units p ON p.id = u.parent_id ORDER BY b.n""")


def profile(args, path: Path, workdir: Path) -> dict:
    """The import (--commit) under cProfile on a fresh schema; the top functions by own time
    and by cumulative time within the project's code."""
    output = workdir / "import.prof"
    with Server(workers=1, log=log) as server:
        prepare(server)
        timed(server, [sys.executable, "-m", "cProfile", "-o", str(output), "-m", "flask",
                       "--app", "wsgi", "import-employees", str(path), "--commit"])
    stats = pstats.Stats(str(output))
    total = stats.total_tt
    entries = []
    for (filename, line, function), (_, calls, own, cumulative, _) in stats.stats.items():
        entries.append({"where": f"{_short(filename)}:{line}:{function}", "calls": calls,
                        "own_s": round(own, 2), "cumulative_s": round(cumulative, 2),
                        "own_share": round(own / total, 3), "cumulative_share": round(cumulative / total, 3)})
    ours = [e for e in entries if e["where"].startswith(("kinerja/", "api/", "portal/"))]
    return {"total_s": round(total, 2),
            "top_own": sorted(entries, key=lambda e: -e["own_s"])[:15],
            "top_cumulative": sorted(entries, key=lambda e: -e["cumulative_s"])[:40],
            "top_cumulative_ours": sorted(ours, key=lambda e: -e["cumulative_s"])[:15]}


def _short(filename: str) -> str:
    for root in (str(PROJECT_ROOT) + "/", "site-packages/"):
        if root in filename:
            return filename.split(root, 1)[1]
    return filename


def run(args) -> dict:
    started = time.perf_counter()
    load_before = os.getloadavg()
    if not Path(TIME).exists():
        raise ServerFailed(f"{TIME} is missing (apt-get install time): it measures the peak memory")
    workdir = Path(tempfile.mkdtemp(prefix="kinerja-bench-import-"))
    try:
        with Server(workers=1, keep_schema=args.keep_schema, log=log) as server:
            server.stop()  # no HTTP in this benchmark: only the CLI against the schema
            places = prepare(server)
            log(f"{len(places)} units hold people; writing {args.employees:,} rows of XLSX ...")
            t0 = time.perf_counter()
            path = workdir / "pegawai.xlsx"
            made = write_xlsx(path, args.employees, places)
            made["write_seconds"] = round(time.perf_counter() - t0, 1)
            log(f"{path.name}: {made}")
            one = workdir / "one.xlsx"
            write_xlsx(one, 1, places[:1])

            runs = {}
            runs["startup"] = timed(server, flask_import(one, commit=False))
            runs["openpyxl"] = timed(server, [sys.executable, "-c", READ_ONLY, str(path)])
            log(f"baselines: CLI start-up {runs['startup']['seconds']} s, openpyxl read "
                f"{runs['openpyxl']['seconds']} s")
            for key, commit in (("preview", False), ("commit", True), ("again", True)):
                log(f"import-employees {'--commit' if commit else '(preview)'} ...")
                runs[key] = timed(server, flask_import(path, commit))
                log(f"{key}: {runs[key]['seconds']} s, peak RSS {runs[key]['peak_rss_mb']} MB; "
                    f"{runs[key]['output'][-1] if runs[key]['output'] else ''}")
            rows = server.row_counts(["units", "employees", "positions"])
            rows["employees_with_supervisor"] = server.sql(
                "SELECT count(*) FROM employees WHERE supervisor_id IS NOT NULL")[0][0]
            log(f"rows: {rows}")
        profiled = profile(args, path, workdir) if args.profile else None
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    return {
        "benchmark": "imports", "at": datetime.now(UTC).isoformat(timespec="seconds"),
        "revision": git_revision(),
        "machine": {**machine(), "load_average_before": [round(x, 2) for x in load_before],
                    "load_average_after": [round(x, 2) for x in os.getloadavg()]},
        "settings": {"employees": args.employees, "target_seconds": TARGET_SECONDS},
        "file": made, "rows": rows, "runs": runs, "profile": profiled,
        "seconds": round(time.perf_counter() - started, 1),
    }


def render(result: dict) -> str:
    runs = result["runs"]
    n = result["file"]["rows"]
    labels = [("startup", "CLI on a one-row file (baseline)", ""),
              ("openpyxl", f"openpyxl read-only, {n:,} rows (floor)", ""),
              ("preview", f"import-employees, preview ({n:,} new)", ""),
              ("commit", f"import-employees --commit ({n:,} new)", "commit"),
              ("again", "the same file again, --commit (all unchanged)", "")]
    lines = []
    for key, label, target in labels:
        figures = runs[key]
        verdict = ("PASS" if figures["seconds"] < TARGET_SECONDS else "FAIL") if target else ""
        lines.append([label, f"{figures['seconds']:.1f}", f"{figures['cpu_seconds']:.1f}",
                      f"{figures['peak_rss_mb']:.0f}",
                      f"{figures['seconds'] / runs['startup']['seconds']:.0f}x", verdict])
    head = (f"{n:,} rows, {result['file']['bytes'] / 1e6:.1f} MB XLSX over {result['file']['units']} "
            f"units, {result['file']['with_supervisor']:,} with a supervisor; "
            f"{result['machine']['cpus']} CPUs, load average "
            f"{result['machine']['load_average_before'][0]:.1f} before; target: the import < "
            f"{TARGET_SECONDS:g} s")
    out = [head, "", table(["command", "seconds", "CPU s", "peak RSS MB", "x start-up",
                            f"target < {TARGET_SECONDS:g} s"], lines, right={1, 2, 3, 4})]
    out.append(f"\nAfter the import: {result['rows']}")
    if result["profile"]:
        profiled = result["profile"]
        out.append(f"\nProfile of the import (cProfile, {profiled['total_s']} s in all), project code "
                   "by cumulative time:\n")
        out.append(table(["function", "calls", "cumulative s", "share"],
                         [[e["where"], str(e["calls"]), f"{e['cumulative_s']:.2f}",
                           f"{e['cumulative_share']:.0%}"] for e in profiled["top_cumulative_ours"]],
                         right={1, 2, 3}))
        out.append("\nEverything by cumulative time (the 40 largest):\n")
        out.append(table(["function", "calls", "cumulative s", "share"],
                         [[e["where"], str(e["calls"]), f"{e['cumulative_s']:.2f}",
                           f"{e['cumulative_share']:.0%}"] for e in profiled["top_cumulative"]],
                         right={1, 2, 3}))
        out.append("\nBy own time (everything):\n")
        out.append(table(["function", "calls", "own s", "share"],
                         [[e["where"], str(e["calls"]), f"{e['own_s']:.2f}", f"{e['own_share']:.0%}"]
                          for e in profiled["top_own"]], right={1, 2, 3}))
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--employees", type=int, default=50_000, help="rows in the file (50,000)")
    parser.add_argument("--profile", action="store_true",
                        help="also profile the import (cProfile) on a fresh schema")
    parser.add_argument("--keep-schema", action="store_true", help="do not drop the schema")
    args = parser.parse_args(argv)
    try:
        result = run(args)
    except ServerFailed as problem:
        print(f"FAILED: {problem}", file=sys.stderr)
        return 1
    print(render(result))
    path = write_results("imports", result)
    print(f"\nwritten {path.relative_to(path.parents[2])}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

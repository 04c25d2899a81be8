"""IKM reports at scale: 10 million ratings for 50,000 employees and 2,000 counters. Times the
yearly IKM report of the whole province, of one OPD (with its sections) and of one counter, at
1 million ratings and again at 10 million, in-process (kinerja.feedback.ikm_report.report) and
over HTTP (GET /api/v1/ikm, as a ratio to /healthz). Target: each report < 100 ms and the time
does not grow with the number of raw ratings (growth ~1.0x), while a full scan of the ratings
(`SELECT count(*), avg(score) FROM ratings`, timed in the same run as the contrast) does.

    python -m bench.reports [--ratings 10000000 --first 1000000 --employees 50000 --counters 2000]
    python -m bench.reports --quick      (200,000 then 2,000,000 ratings: a smoke run)
                                         (or: make bench-reports)

Everything is generated on the server in bulk (INSERT ... SELECT FROM generate_series), then
the rollups are rebuilt with the app's own code (rollup_rebuild.rebuild_rating_rollups) and the
rebuild is timed. Prints a Markdown table and writes bench/results/reports-<timestamp>.json.
Exit code 0 unless the server failed; a missed target is a finding, not a failure.
"""
from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import time
from contextlib import contextmanager
from datetime import UTC, date, datetime

import psycopg

from bench.common import (
    BASELINE_PATH,
    PROJECT_ROOT,
    Server,
    ServerFailed,
    Target,
    _psycopg_url,
    git_revision,
    machine,
    percentile,
    table,
    time_interleaved,
    write_results,
)

TARGET_MS = 100.0
YEAR = 2025  # a whole past year: the "yearly report" covers it completely
START, END = date(YEAR, 1, 1), date(YEAR, 12, 31)
ZONE = "Asia/Makassar"  # every generated unit is in WITA
KABUPATEN = 10  # kabupaten/kota under the province
OPD_PER_KABUPATEN = 20  # dinas, badan, kecamatan, puskesmas ... under each
FULL_SURVEY_SHARE = 0.30  # ratings with the nine elements (and usually the respondent's answers)
STAFF_SHARE = 0.25  # ratings naming who served
BYTES_PER_RATING = 250  # heap + the five indexes, measured on PostgreSQL 15 (see README)
ROLLUP_TABLES = ["rating_rollups", "rating_monthly_rollups"]


def log(message: str) -> None:
    print(f"[{datetime.now():%H:%M:%S}] {message}", file=sys.stderr, flush=True)


# ---------------------------------------------------------------- generating the data

ORG_SQL = """
-- The province, its kabupaten/kota, their OPDs and the OPDs' sections: ~500 units in WITA.
INSERT INTO units (code, name, kind, time_zone, parent_id, active)
VALUES ('PROV', 'Sekretariat Daerah Provinsi', 'sekretariat', 'WITA', NULL, true);
INSERT INTO units (code, name, kind, time_zone, parent_id, active)
SELECT 'KAB' || lpad(k::text, 2, '0'), 'Sekretariat Daerah Kabupaten ' || k, 'sekretariat', 'WITA',
       (SELECT id FROM units WHERE code = 'PROV'), true
FROM generate_series(1, %(kabupaten)s) k;
INSERT INTO units (code, name, kind, time_zone, parent_id, active)
SELECT 'KAB' || lpad(k::text, 2, '0') || '-OPD' || lpad(o::text, 2, '0'),
       (ARRAY['Dinas', 'Badan', 'Kecamatan', 'Puskesmas'])[1 + o %% 4] || ' ' || o || ' Kabupaten ' || k,
       (ARRAY['dinas', 'badan', 'kecamatan', 'puskesmas'])[1 + o %% 4], 'WITA', p.id, true
FROM generate_series(1, %(kabupaten)s) k
CROSS JOIN generate_series(1, %(opds)s) o
JOIN units p ON p.code = 'KAB' || lpad(k::text, 2, '0');
-- One or two sections (bidang, UPT, kelurahan) under every OPD.
INSERT INTO units (code, name, kind, time_zone, parent_id, active)
SELECT p.code || '-S' || s, (ARRAY['Bidang', 'UPT', 'Kelurahan'])[s] || ' ' || s || ' ' || p.name,
       (ARRAY['bagian', 'upt', 'kelurahan'])[s], 'WITA', p.id, true
FROM units p CROSS JOIN generate_series(1, 2) s
WHERE p.code LIKE 'KAB%%-OPD%%' AND (s = 1 OR p.id %% 2 = 0);
"""

# Units that hold people and counters (OPDs and sections), numbered 0..n-1.
PLACES_SQL = """
CREATE TABLE bench_places AS
SELECT (row_number() OVER (ORDER BY id)) - 1 AS n, id AS unit_id FROM units WHERE code LIKE 'KAB%%-OPD%%';
"""

# 50,000 employees spread over the OPDs and sections; NIPs as tests/builders.valid_nip builds
# them but unique for any n below 9,000,000 (birth day = n mod 9000, sequence = 1 + n div 9000).
EMPLOYEES_SQL = """
INSERT INTO employees (nip, name, unit_id, active)
SELECT to_char(b.birth, 'YYYYMMDD')
       || (extract(year FROM b.birth)::int + 20 + g %% 15)::text || lpad((1 + g %% 12)::text, 2, '0')
       || (1 + g %% 2)::text || lpad((1 + g / 9000)::text, 3, '0'),
       'Pegawai ' || g, p.unit_id, true
FROM generate_series(0, %(employees)s - 1) g
CROSS JOIN LATERAL (SELECT date '1965-01-01' + (g %% 9000) AS birth) b
JOIN bench_places p ON p.n = (g * 7919) %% (SELECT count(*) FROM bench_places);
-- The first employee of each unit heads it; the others report to the head; heads to the
-- head of the unit above.
UPDATE units u SET head_id = h.id FROM (SELECT unit_id, min(id) AS id FROM employees GROUP BY unit_id) h
WHERE h.unit_id = u.id;
UPDATE employees e SET supervisor_id = u.head_id FROM units u
WHERE u.id = e.unit_id AND e.id <> u.head_id;
UPDATE employees e SET supervisor_id = parent.head_id
FROM units u JOIN units parent ON parent.id = u.parent_id WHERE u.head_id = e.id;
"""

# 2,000 counters on the OPDs and sections, each with its tablet; a table of the counters'
# staff (employees of the counter's unit) to pick "who served" from.
COUNTERS_SQL = """
INSERT INTO service_counters (code, name, unit_id, active)
SELECT 'L' || lpad(c::text, 5, '0'), 'Loket ' || c, p.unit_id, true
FROM generate_series(1, %(counters)s) c
JOIN bench_places p ON p.n = (c * 104729) %% (SELECT count(*) FROM bench_places);
INSERT INTO kiosks (counter_id, name, kind, created_at)
SELECT id, 'Tablet ' || code, 'tablet', now() FROM service_counters;
CREATE TABLE bench_counters AS
SELECT (row_number() OVER (ORDER BY c.id)) AS n, c.id AS counter_id, k.id AS kiosk_id,
       s.first_id, s.staff
FROM service_counters c JOIN kiosks k ON k.counter_id = c.id
JOIN (SELECT unit_id, min(id) AS first_id, count(*) AS staff FROM employees GROUP BY unit_id) s
  ON s.unit_id = c.unit_id;
CREATE UNIQUE INDEX ON bench_counters (n);
-- The year's working days (Monday to Friday), numbered 1..n.
CREATE TABLE bench_days AS
SELECT (row_number() OVER (ORDER BY d)) AS n, d::date AS day
FROM generate_series(%(start)s::date, %(end)s::date, interval '1 day') d
WHERE extract(isodow FROM d) < 6;
CREATE UNIQUE INDEX ON bench_days (n);
"""

# One batch of ratings. The busiest counters get many times the ratings of the quietest
# (counter = 2000 * r^1.6), days are uniform over the working days, 08:00-15:00 local time.
# Faces: 4 45%%, 3 40%%, 2 10%%, 1 5%%. A full survey's nine elements stay near the face; four
# in five full surveys also answer the respondent questions (each one 90%% of the time).
RATINGS_SQL = """
INSERT INTO ratings (kiosk_id, counter_id, client_id, taken_at, received_at, local_day, score,
                     u1, u2, u3, u4, u5, u6, u7, u8, u9,
                     age_group, sex, education, occupation, staff_id, flag, excluded)
SELECT c.kiosk_id, c.counter_id, gen_random_uuid(), t.at, t.at + interval '3 seconds', d.day, s.score,
       e(s.full_survey, s.score), e(s.full_survey, s.score), e(s.full_survey, s.score),
       e(s.full_survey, s.score), e(s.full_survey, s.score), e(s.full_survey, s.score),
       e(s.full_survey, s.score), e(s.full_survey, s.score), e(s.full_survey, s.score),
       CASE WHEN s.respondent AND random() < 0.9
            THEN (ARRAY['<20', '20-29', '30-39', '40-49', '50-59', '60+'])[1 + floor(random() * 6)::int] END,
       CASE WHEN s.respondent AND random() < 0.9 THEN (ARRAY['L', 'P'])[1 + floor(random() * 2)::int] END,
       CASE WHEN s.respondent AND random() < 0.9
            THEN (ARRAY['SD', 'SMP', 'SMA', 'D1-D3', 'D4-S1', 'S2-S3'])[1 + floor(random() * 6)::int] END,
       CASE WHEN s.respondent AND random() < 0.9
            THEN (ARRAY['PNS', 'TNI-POLRI', 'SWASTA', 'WIRAUSAHA', 'PELAJAR', 'LAINNYA'])
                 [1 + floor(random() * 6)::int] END,
       CASE WHEN r.staff < %(staff_share)s THEN c.first_id + floor(random() * c.staff)::int END,
       NULL, r.excluded < 0.002
FROM (SELECT random() AS counter, random() AS day, random() AS minute, random() AS face,
             random() AS full_survey, random() AS respondent, random() AS staff, random() AS excluded
      FROM generate_series(1, %(n)s) OFFSET 0) r
CROSS JOIN LATERAL (SELECT CASE WHEN r.face < 0.05 THEN 1 WHEN r.face < 0.15 THEN 2
                                WHEN r.face < 0.55 THEN 3 ELSE 4 END AS score,
                           r.full_survey < %(full_share)s AS full_survey,
                           r.full_survey < %(full_share)s AND r.respondent < 0.8 AS respondent) s
JOIN bench_counters c ON c.n = 1 + floor(%(counters)s * power(r.counter, 1.6))::int
JOIN bench_days d ON d.n = 1 + floor((SELECT count(*) FROM bench_days) * r.day)::int
CROSS JOIN LATERAL (SELECT ((d.day + time '08:00' + floor(r.minute * 420) * interval '1 minute')
                            AT TIME ZONE '{zone}') AS at) t;
"""

# A face for one element of a full survey: the one-tap face, one step lower or higher now and then.
ELEMENT_FUNCTION = """
CREATE FUNCTION e(full_survey boolean, score int) RETURNS smallint LANGUAGE sql VOLATILE AS $$
  SELECT CASE WHEN full_survey THEN greatest(1, least(4, score + CASE
      WHEN random() < 0.15 THEN -1 WHEN random() < 0.12 THEN 1 ELSE 0 END))::smallint END
$$;
"""


@contextmanager
def bulk(server: Server):
    """A connection on the run's schema for bulk work: no synchronous commit, more memory."""
    with psycopg.connect(_psycopg_url(server.database_url), autocommit=True) as connection:
        connection.execute("SET synchronous_commit = off")
        connection.execute("SET work_mem = '64MB'")
        connection.execute("SET maintenance_work_mem = '256MB'")
        yield connection


def seed_organisation(server: Server, employees: int, counters: int) -> dict:
    started = time.perf_counter()
    params = {"kabupaten": KABUPATEN, "opds": OPD_PER_KABUPATEN, "employees": employees,
              "counters": counters, "start": START, "end": END}
    with bulk(server) as connection:
        for script in (ORG_SQL, PLACES_SQL, EMPLOYEES_SQL, COUNTERS_SQL):
            for statement in _statements(script):
                connection.execute(statement, params)
        connection.execute(ELEMENT_FUNCTION)
        for name in ("units", "employees", "service_counters", "kiosks", "bench_places",
                     "bench_counters", "bench_days"):
            connection.execute(f"ANALYZE {name}")  # this schema's tables, not the whole database
    return {"seconds": round(time.perf_counter() - started, 1)}


def _statements(script: str) -> list[str]:
    lines = [line for line in script.splitlines() if not line.lstrip().startswith("--")]
    return [s.strip() for s in "\n".join(lines).split(";") if s.strip()]


def add_ratings(server: Server, n: int, counters: int, batch: int) -> dict:
    """n more ratings, `batch` per INSERT statement; returns the seconds and the batches."""
    started, batches = time.perf_counter(), []
    sql = RATINGS_SQL.replace("{zone}", ZONE)
    with bulk(server) as connection:
        # The rollup triggers (migration 0012) would run two upserts per generated rating; the
        # run rebuilds the rollups from the ratings afterwards instead, as after any bulk load.
        connection.execute("ALTER TABLE ratings DISABLE TRIGGER USER")
        done = 0
        while done < n:
            size = min(batch, n - done)
            t0 = time.perf_counter()
            connection.execute(sql, {"n": size, "counters": counters, "staff_share": STAFF_SHARE,
                                     "full_share": FULL_SURVEY_SHARE})
            done += size
            batches.append(round(time.perf_counter() - t0, 1))
            log(f"  {done:,} / {n:,} ratings ({batches[-1]:.0f} s for {size:,})")
        connection.execute("ALTER TABLE ratings ENABLE TRIGGER USER")
        connection.execute("VACUUM ANALYZE ratings")
    return {"added": n, "seconds": round(time.perf_counter() - started, 1), "batch_seconds": batches}


# ---------------------------------------------------------------- the app in-process


class App:
    """The Flask app in this process, on the run's schema (same environment as gunicorn)."""

    def __init__(self, server: Server):
        os.environ.update(server.env)
        from kinerja import create_app  # noqa: PLC0415 - configured from the environment above
        self.app = create_app()

    def rebuild(self) -> float:
        from kinerja.extensions import db  # noqa: PLC0415
        from kinerja.feedback import rollup_rebuild  # noqa: PLC0415
        with self.app.app_context():
            started = time.perf_counter()
            rollup_rebuild.rebuild_rating_rollups()
            db.session.commit()
            seconds = time.perf_counter() - started
            db.session.execute(db.text("ANALYZE rating_rollups"))
            db.session.execute(db.text("ANALYZE rating_monthly_rollups"))
            db.session.commit()
        return seconds

    def time_report(self, codes: dict, rounds: int, warmup: int) -> dict:
        """report(scope, 1 Jan - 31 Dec) `rounds` times after `warmup`, each in a fresh session
        as a request would; the last run's queries are timed one by one."""
        from sqlalchemy import event  # noqa: PLC0415

        from kinerja.extensions import db  # noqa: PLC0415
        from kinerja.feedback import ikm_report, ikm_scope  # noqa: PLC0415
        samples, queries = [], []
        with self.app.test_request_context():
            engine = db.engine
            for round_ in range(warmup + rounds):
                scope = ikm_scope.scope_from_codes(**codes)
                last = round_ == warmup + rounds - 1
                if last:
                    starts: list[float] = []

                    def before(conn, cursor, statement, parameters, context, executemany,
                               starts=starts):
                        starts.append(time.perf_counter())

                    def after(conn, cursor, statement, parameters, context, executemany,
                              starts=starts):
                        queries.append({"ms": round((time.perf_counter() - starts.pop()) * 1000, 2),
                                        "sql": " ".join(statement.split())[:160]})
                    event.listen(engine, "before_cursor_execute", before)
                    event.listen(engine, "after_cursor_execute", after)
                started = time.perf_counter()
                result = ikm_report.report(scope, START, END)
                ms = (time.perf_counter() - started) * 1000
                if last:
                    event.remove(engine, "before_cursor_execute", before)
                    event.remove(engine, "after_cursor_execute", after)
                if round_ >= warmup:
                    samples.append(ms)
                totals = result.totals
                db.session.remove()
        return {"median_ms": round(statistics.median(samples), 2),
                "p95_ms": round(percentile(samples, 0.95), 2),
                "samples_ms": [round(s, 2) for s in samples], "queries": queries,
                "ratings": totals.ratings, "full_surveys": totals.full_surveys,
                "ikm": str(totals.survey.converted), "one_tap_index": str(totals.one_tap_index),
                "comparison_rows": len(result.comparison)}


# ---------------------------------------------------------------- one phase


def full_scan(server: Server, rounds: int) -> dict:
    samples = []
    with psycopg.connect(_psycopg_url(server.database_url)) as connection:
        connection.execute("SELECT count(*), avg(score) FROM ratings").fetchall()  # warm
        for _ in range(rounds):
            started = time.perf_counter()
            connection.execute("SELECT count(*), avg(score) FROM ratings").fetchall()
            samples.append((time.perf_counter() - started) * 1000)
    return {"median_ms": round(statistics.median(samples), 1), "p95_ms": round(percentile(samples, 0.95), 1),
            "samples_ms": [round(s, 1) for s in samples]}


def measure(server: Server, app: App, scopes: list[tuple[str, dict]], token: str,
            rounds: int, warmup: int) -> dict:
    counts = server.row_counts(["ratings", *ROLLUP_TABLES])
    log(f"rows: {counts}")
    log("rebuilding the rollups (rollup_rebuild.rebuild_rating_rollups) ...")
    rebuild = app.rebuild()
    counts.update(server.row_counts(ROLLUP_TABLES))
    sizes = dict(server.sql(
        "SELECT c.relname, pg_total_relation_size(c.oid) FROM pg_class c "
        "JOIN pg_namespace n ON n.oid = c.relnamespace "
        "WHERE n.nspname = current_schema() AND c.relname = ANY(%s)",
        ["ratings", *ROLLUP_TABLES]))
    log(f"rebuild {rebuild:.1f} s; rollup rows {counts}")
    reports = {}
    for label, codes in scopes:
        reports[label] = app.time_report(codes, rounds, warmup)
        log(f"in-process {label}: median {reports[label]['median_ms']} ms, "
            f"p95 {reports[label]['p95_ms']} ms")

    client = server.client()
    client.opener.addheaders.append(("Authorization", f"Bearer {token}"))
    targets = []
    for label, codes in scopes:
        query = "&".join(f"{key}={value}" for key, value in codes.items())
        path = f"/api/v1/ikm?from={START}&to={END}" + (f"&{query}" if query else "")
        answer, body = client.request(path)
        if answer.status != 200:
            raise ServerFailed(f"{path} answered {answer.status}: {body[:300]!r}\n{server.log_tail()}")
        targets.append(Target(label, client, path))
    time_interleaved(targets, warmup, server)
    for target in targets:
        target.timing.samples_ms.clear()
        target.timing.statuses.clear()
    baseline = time_interleaved(targets, rounds, server)
    http = {"baseline": {"path": BASELINE_PATH, "median_ms": round(baseline.median, 2),
                         "p95_ms": round(baseline.p95, 2)}}
    for target in targets:
        if target.timing.statuses != {200}:
            raise ServerFailed(f"{target.path} answered {target.timing.statuses}\n{server.log_tail()}")
        http[target.label] = {"path": target.path, "median_ms": round(target.timing.median, 2),
                              "p95_ms": round(target.timing.p95, 2),
                              "ratio": round(target.timing.median / baseline.median, 1),
                              "samples_ms": [round(s, 2) for s in target.timing.samples_ms]}
    scan = full_scan(server, 5)
    log(f"full scan {scan['median_ms']} ms; HTTP {[(k, v['median_ms']) for k, v in http.items()]}")
    return {"rows": counts, "bytes": sizes, "rebuild_seconds": round(rebuild, 1),
            "in_process": reports, "http": http, "full_scan": scan}


# ---------------------------------------------------------------- the run


def disk_check(ratings: int) -> dict:
    free = shutil.disk_usage(PROJECT_ROOT).free
    estimate = ratings * BYTES_PER_RATING * 1.3  # + rollups, WAL and the ANALYZE/VACUUM slack
    log(f"estimated space for {ratings:,} ratings: ~{estimate / 1e9:.1f} GB "
        f"(free here: {free / 1e9:.0f} GB; PostgreSQL's data directory may be elsewhere)")
    return {"estimate_gb": round(estimate / 1e9, 1), "free_gb": round(free / 1e9, 1)}


def pick_scopes(server: Server) -> list[tuple[str, dict]]:
    """The province (no filter), the OPD with the most ratings under it (and its sections) and
    the busiest counter."""
    opd = server.sql("""
        SELECT o.code, count(DISTINCT c.id) FROM units o JOIN units s ON s.id = o.id OR s.parent_id = o.id
        JOIN service_counters c ON c.unit_id = s.id JOIN bench_counters b ON b.counter_id = c.id
        WHERE o.code LIKE 'KAB%%-OPD%%' AND o.code NOT LIKE '%%-S%%'
        GROUP BY o.code ORDER BY min(b.n), o.code LIMIT 1""")[0]
    counter = server.sql("SELECT c.code FROM bench_counters b JOIN service_counters c ON c.id = b.counter_id "
                         "WHERE b.n = 1")[0][0]
    return [("province (all units)", {}),
            (f"OPD {opd[0]} + sections ({opd[1]} counters)", {"unit": opd[0]}),
            (f"counter {counter}", {"counter": counter})]


def run(args) -> dict:
    started = time.perf_counter()
    load_before = os.getloadavg()
    disk = disk_check(args.ratings)
    with Server(workers=args.workers, keep_schema=args.keep_schema, log=log) as server:
        log(f"organisation: ~500 units, {args.employees:,} employees, {args.counters:,} counters ...")
        organisation = seed_organisation(server, args.employees, args.counters)
        rows = server.row_counts(["units", "employees", "service_counters", "kiosks"])
        log(f"{rows} in {organisation['seconds']} s")
        # An admin account and an API token the way an administrator makes them (the CLI).
        nip = server.sql("SELECT nip FROM employees ORDER BY id LIMIT 1")[0][0]
        server.flask("create-user", nip, "--role", "admin", "--password", "bench-" + nip)
        token = server.flask("create-api-token", "--user", nip, "--name", "bench-reports") \
            .strip().splitlines()[-1]
        scopes = pick_scopes(server)
        app = App(server)

        phases = []
        loaded = 0
        for target_rows in (args.first, args.ratings):
            log(f"generating {target_rows - loaded:,} ratings ({loaded:,} -> {target_rows:,}) ...")
            generated = add_ratings(server, target_rows - loaded, args.counters, args.batch)
            loaded = target_rows
            phase = measure(server, app, scopes, token, args.rounds, args.warmup)
            phase["generated"] = generated
            phases.append(phase)
        load_after = os.getloadavg()

    growth = {}
    for label, _ in scopes:
        first, last = phases[0]["in_process"][label], phases[-1]["in_process"][label]
        growth[label] = {"in_process": round(last["median_ms"] / first["median_ms"], 2),
                         "http": round(phases[-1]["http"][label]["median_ms"]
                                       / phases[0]["http"][label]["median_ms"], 2)}
    growth["full scan"] = round(phases[-1]["full_scan"]["median_ms"] / phases[0]["full_scan"]["median_ms"], 2)
    return {
        "benchmark": "reports", "at": datetime.now(UTC).isoformat(timespec="seconds"),
        "revision": git_revision(),
        "machine": {**machine(), "load_average_before": [round(x, 2) for x in load_before],
                    "load_average_after": [round(x, 2) for x in load_after]},
        "settings": {"ratings": [args.first, args.ratings], "employees": args.employees,
                     "counters": args.counters, "batch": args.batch, "rounds": args.rounds,
                     "warmup": args.warmup, "gunicorn_workers": args.workers,
                     "year": YEAR, "target_ms": TARGET_MS, "full_survey_share": FULL_SURVEY_SHARE,
                     "staff_share": STAFF_SHARE, "quick": args.quick},
        "disk": disk, "organisation": {**rows, **organisation}, "scopes": scopes,
        "phases": phases, "growth": growth, "seconds": round(time.perf_counter() - started, 1),
    }


def render(result: dict) -> str:
    phases, growth = result["phases"], result["growth"]
    first, last = phases[0], phases[-1]
    n1, n2 = (f"{p['rows']['ratings'] / 1e6:g}M" for p in (first, last))
    lines = []
    for label, _ in result["scopes"]:
        a, b = first["in_process"][label], last["in_process"][label]
        ha, hb = first["http"][label], last["http"][label]
        ok = max(a["median_ms"], b["median_ms"]) < TARGET_MS and growth[label]["in_process"] < 1.5
        lines.append([label, f"{a['median_ms']:.1f} / {a['p95_ms']:.1f}",
                      f"{b['median_ms']:.1f} / {b['p95_ms']:.1f}", f"{growth[label]['in_process']:.2f}x",
                      f"{ha['median_ms']:.1f} ({ha['ratio']:.0f}x)",
                      f"{hb['median_ms']:.1f} ({hb['ratio']:.0f}x)",
                      f"{growth[label]['http']:.2f}x", "PASS" if ok else "FAIL"])
    lines.append(["`/healthz` (HTTP baseline)", "", "", "",
                  f"{first['http']['baseline']['median_ms']:.1f} (1x)",
                  f"{last['http']['baseline']['median_ms']:.1f} (1x)", "", ""])
    lines.append(["full scan `count(*), avg(score)`", "", "", "",
                  f"{first['full_scan']['median_ms']:.0f}", f"{last['full_scan']['median_ms']:.0f}",
                  f"{growth['full scan']:.2f}x", "(contrast)"])
    org = result["organisation"]
    head = (f"{org['units']} units, {org['employees']:,} employees, {org['service_counters']:,} counters; "
            f"year {result['settings']['year']}; {result['settings']['rounds']} timed runs each after "
            f"{result['settings']['warmup']} warm-up; {result['machine']['cpus']} CPUs, load average "
            f"{result['machine']['load_average_before'][0]:.1f} before, "
            f"{result['machine']['load_average_after'][0]:.1f} after; "
            f"target < {TARGET_MS:g} ms and no growth")
    out = [head, "", table(["yearly IKM report", f"in-process at {n1}: median / p95 ms",
                            f"at {n2}", "growth", f"HTTP at {n1}: median ms (x /healthz)", f"at {n2}",
                            "growth", "target"], lines, right={1, 2, 3, 4, 5, 6})]
    out.append("")
    out.append(table(["", f"at {n1}", f"at {n2}"], [
        ["ratings", f"{first['rows']['ratings']:,}", f"{last['rows']['ratings']:,}"],
        ["rating_rollups rows", f"{first['rows']['rating_rollups']:,}",
         f"{last['rows']['rating_rollups']:,}"],
        ["rating_monthly_rollups rows", f"{first['rows']['rating_monthly_rollups']:,}",
         f"{last['rows']['rating_monthly_rollups']:,}"],
        ["generating the ratings added (s)", f"{first['generated']['seconds']:.0f}",
         f"{last['generated']['seconds']:.0f}"],
        ["rollup rebuild (s)", f"{first['rebuild_seconds']:.1f}", f"{last['rebuild_seconds']:.1f}"],
        ["ratings table + indexes (MB)", f"{first['bytes'].get('ratings', 0) / 1e6:.0f}",
         f"{last['bytes'].get('ratings', 0) / 1e6:.0f}"],
    ], right={1, 2}))
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ratings", type=int, default=10_000_000, help="ratings at the end (10,000,000)")
    parser.add_argument("--first", type=int, default=1_000_000,
                        help="ratings at the first measurement (1,000,000)")
    parser.add_argument("--employees", type=int, default=50_000, help="employees (50,000)")
    parser.add_argument("--counters", type=int, default=2_000, help="service counters (2,000)")
    parser.add_argument("--batch", type=int, default=1_000_000, help="ratings per INSERT (1,000,000)")
    parser.add_argument("--rounds", type=int, default=30, help="timed reports per scope (30)")
    parser.add_argument("--warmup", type=int, default=3, help="untimed reports first (3)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (2)")
    parser.add_argument("--quick", action="store_true",
                        help="a smoke run: 200,000 then 2,000,000 ratings, 10 rounds")
    parser.add_argument("--keep-schema", action="store_true", help="do not drop the schema")
    args = parser.parse_args(argv)
    if args.quick:
        args.first, args.ratings, args.rounds = 200_000, 2_000_000, 10
    if not 0 < args.first <= args.ratings:
        parser.error("--first must be positive and at most --ratings")
    try:
        result = run(args)
    except ServerFailed as problem:
        print(f"SERVER FAILED: {problem}", file=sys.stderr)
        return 1
    print(render(result))
    path = write_results("reports", result)
    print(f"\nwritten {path.relative_to(path.parents[2])}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Portal pages at demo-plus-a-year scale: 245 employees, ~60,000 daily activities. Times the
employee's, the supervisor's and the unit head's pages and reports each as a ratio to the
trivial page (/healthz) timed in the same run, interleaved. Target: every ratio under 5.

    python -m bench.pages [--rounds 40] [--workers 2]     (or: make bench-pages)

Prints a Markdown table and writes bench/results/pages-<timestamp>.json. Pages answering 404
(not built yet) are reported as "missing". Exit code 0 unless the server failed (did not start,
died, or answered a page with a 5xx); a ratio over target is a finding, not a failure.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from datetime import UTC, datetime

from bench.common import (
    BASELINE_PATH,
    Server,
    ServerFailed,
    Target,
    git_revision,
    machine,
    table,
    time_gets,
    time_interleaved,
    write_results,
)

TARGET_RATIO = 5.0
TABLES = ["units", "employees", "users", "periods", "unit_goals", "skps", "rhks", "indicators",
          "activities"]

# label, demo login, path ({placeholders} are looked up in the seeded database)
PAGES = [
    ("employee dashboard", "pegawai", "/"),
    ("employee progress", "pegawai", "/kinerja"),
    ("employee week", "pegawai", "/harian"),
    ("supervisor feed", "atasan", "/tim/harian"),
    ("supervisor feed (head)", "kepala", "/tim/harian"),
    ("unit heatmap DUKCAPIL", "kepala", "/unit/{dukcapil}/peta-kinerja"),
    ("unit heatmap {largest_code} ({largest_size})", "hr", "/unit/{largest}/peta-kinerja"),
    ("SKP list", "atasan", "/skp"),
    ("SKP detail (own)", "atasan", "/skp/{atasan_skp}"),
    ("cascade DUKCAPIL", "kepala", "/unit/{dukcapil}/kaskade"),
]


def log(message: str) -> None:
    print(f"[{datetime.now():%H:%M:%S}] {message}", file=sys.stderr, flush=True)


def lookups(server: Server) -> dict:
    """Ids for the URLs: the demo dinas, the unit with the most people under it (the whole
    kabupaten: Sekretariat Daerah and every unit below), and the supervisor's own SKP."""
    units = server.sql("SELECT id, parent_id, code FROM units")
    staff = dict(server.sql("SELECT unit_id, count(*) FROM employees WHERE active GROUP BY unit_id"))
    children: dict = {}
    for unit_id, parent_id, _ in units:
        children.setdefault(parent_id, []).append(unit_id)

    def size(unit_id: int) -> int:
        return staff.get(unit_id, 0) + sum(size(child) for child in children.get(unit_id, []))

    largest_id, _, largest_code = max(units, key=lambda row: size(row[0]))
    codes = {code: unit_id for unit_id, _, code in units}
    skp = server.sql("""SELECT s.id FROM skps s JOIN users u ON u.employee_id = s.employee_id
                        JOIN periods p ON p.id = s.period_id
                        WHERE u.username = 'atasan' AND p.status = 'berjalan'""")
    return {"dukcapil": codes["DUKCAPIL"], "largest": largest_id, "largest_code": largest_code,
            "largest_size": f"{size(largest_id)} employees",
            "atasan_skp": skp[0][0] if skp else 0}


def run(rounds: int, warmup: int, workers: int, total: int, keep_schema: bool) -> dict:
    started = time.perf_counter()
    with Server(workers=workers, keep_schema=keep_schema, log=log) as server:
        log("seed-demo ...")
        demo = server.flask("seed-demo").splitlines()[0]
        log(demo)
        log(f"topping up to ~{total} activities ...")
        top_up = json.loads(server.python("-m", "bench.seed_activities", "--total", str(total))
                            .strip().splitlines()[-1])
        rows = server.row_counts(TABLES)
        rows["employees_with_activities"] = top_up["employees_with_activities"]
        log(f"rows: {rows}")
        ids = lookups(server)

        clients = {user: server.login(user) for user in sorted({user for _, user, _ in PAGES})}
        targets, skipped = [], []
        for label, user, path in PAGES:
            target = Target(label.format(**ids), clients[user], path.format(**ids))
            first = target.client.get(target.path)
            if first.status >= 500:
                raise ServerFailed(f"{target.path} as {user} answered {first.status}\n"
                                   f"{server.log_tail()}")
            if first.status != 200:
                state = "missing" if first.status == 404 else f"HTTP {first.status}"
                if first.location:
                    state += f" -> {first.location}"
                skipped.append({"label": target.label, "user": user, "path": target.path,
                                "status": first.status, "state": state})
                log(f"{target.path} as {user}: {state}, not timed")
                continue
            targets.append(target)
        log(f"warming up ({warmup} rounds), then timing {len(targets)} pages x {rounds} rounds, "
            f"each after {BASELINE_PATH} ...")
        time_interleaved(targets, warmup, server)
        for target in targets:
            target.timing.samples_ms.clear()
            target.timing.statuses.clear()
        baseline = time_interleaved(targets, rounds, server)
        if not targets:  # nothing built yet: still report the baseline
            baseline = time_gets(next(iter(clients.values())), BASELINE_PATH, rounds)
        for target in targets:
            if any(status >= 500 for status in target.timing.statuses):
                raise ServerFailed(f"{target.path} answered {target.timing.statuses}\n{server.log_tail()}")
        sizes = {target.label: target.client.get(target.path).size for target in targets}

    pages = []
    for target in targets:
        ratio = target.timing.median / baseline.median
        pages.append({
            "label": target.label, "user": target.client.identity, "path": target.path,
            "state": "timed" if target.timing.statuses == {200} else
            f"statuses {sorted(target.timing.statuses)}",
            "median_ms": round(target.timing.median, 2), "p95_ms": round(target.timing.p95, 2),
            "ratio": round(ratio, 2), "pass": ratio < TARGET_RATIO, "bytes": sizes[target.label],
            "samples_ms": [round(s, 2) for s in target.timing.samples_ms],
        })
    order = {label.format(**ids): n for n, (label, _, _) in enumerate(PAGES)}
    pages += [{**s, "median_ms": None, "p95_ms": None, "ratio": None, "pass": None} for s in skipped]
    pages.sort(key=lambda page: order[page["label"]])
    return {
        "benchmark": "pages", "at": datetime.now(UTC).isoformat(timespec="seconds"),
        "revision": git_revision(), "machine": machine(),
        "settings": {"rounds": rounds, "warmup": warmup, "gunicorn_workers": workers,
                     "target_ratio": TARGET_RATIO, "baseline": BASELINE_PATH},
        "rows": rows, "seed": {"demo": demo, **top_up},
        "baseline": {"path": BASELINE_PATH, "median_ms": round(baseline.median, 2),
                     "p95_ms": round(baseline.p95, 2), "samples": len(baseline.samples_ms)},
        "pages": pages, "seconds": round(time.perf_counter() - started, 1),
    }


def render(result: dict) -> str:
    base = result["baseline"]
    lines = [["trivial page (baseline)", "-", base["path"], f"{base['median_ms']:.1f}",
              f"{base['p95_ms']:.1f}", "1.0x", ""]]
    for page in result["pages"]:
        if page["median_ms"] is None:
            lines.append([page["label"], page["user"], page["path"], page["state"], "", "", ""])
        else:
            lines.append([page["label"], page["user"], page["path"], f"{page['median_ms']:.1f}",
                          f"{page['p95_ms']:.1f}", f"{page['ratio']:.1f}x",
                          "PASS" if page["pass"] else "FAIL"])
    rows = result["rows"]
    head = (f"{rows['employees']} employees, {rows['skps']} SKPs, {rows['activities']:,} activities; "
            f"{result['settings']['rounds']} rounds, gunicorn {result['settings']['gunicorn_workers']} "
            f"workers, {result['machine']['cpus']} CPUs; target ratio < {TARGET_RATIO:g}")
    return head + "\n\n" + table(
        ["page", "as", "path", "median ms", "p95 ms", "ratio", "target"], lines, right={3, 4, 5})


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=40, help="timed GETs per page (default 40)")
    parser.add_argument("--warmup", type=int, default=5, help="untimed rounds first (default 5)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (default 2)")
    parser.add_argument("--total", type=int, default=60_000, help="activities to seed (~60,000)")
    parser.add_argument("--keep-schema", action="store_true", help="do not drop the schema")
    args = parser.parse_args(argv)
    try:
        result = run(args.rounds, args.warmup, args.workers, args.total, args.keep_schema)
    except ServerFailed as problem:
        print(f"SERVER FAILED: {problem}", file=sys.stderr)
        return 1
    print(render(result))
    path = write_results("pages", result)
    print(f"\nwritten {path.relative_to(path.parents[2])}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

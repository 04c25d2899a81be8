"""Fault tests of the kiosk channel (issue 9): what a tablet was told is stored is stored exactly
once, and what it could not send waits on the device and arrives after the fault.

(1) SIGKILL: HTTP load clients (threads, one device token each, one rating per POST, retrying an
    unacknowledged rating with the SAME client_id as a tablet does) and real Chromium tablets
    (Playwright, paired with a code, tapping ratings in a loop) run against gunicorn; mid-load the
    whole gunicorn process group is killed with SIGKILL, and after a few seconds restarted on the
    same port and schema. Then the taps stop, the clients finish what they hold, the tablets'
    IndexedDB queues must drain, and the database is checked.
(2) --db-restart (opt-in: it restarts the machine's shared PostgreSQL): the same load while
    PostgreSQL restarts; the app must answer errors quickly (not hang) and recover by itself.
    Refused while a test suite runs (`pgrep -f pytest`).

The check, per scenario: every client_id acknowledged (accepted or duplicate) is stored exactly
once; nothing stored that no client sent; tablet taps == rows stored for the tablets' kiosks;
no rejected ratings in the tablets' logs; the rollups sum to the ratings. Exit 1 when it fails.

    python -m bench.faults [--clients 8] [--tablets 3] [--db-restart]     (make bench-faults)

Prints Markdown tables and writes bench/results/faults-<timestamp>.json.
"""
from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import shutil
import signal
import statistics
import subprocess  # noqa: S404 - our own gunicorn and pg_ctlcluster, never a shell
import sys
import threading
import time
import urllib.error
import urllib.request
from datetime import UTC, datetime

from bench.common import (
    BASELINE_PATH,
    Server,
    ServerFailed,
    git_revision,
    machine,
    percentile,
    table,
    write_results,
)
from bench.kiosk import APP_LIMITS, SUBMIT_PATH, rating_item

IDLE = "Bagaimana pelayanan kami hari ini?"
READ_QUEUE = """() => new Promise((resolve, reject) => {
  const open = indexedDB.open("kinerja-kiosk", 1);
  open.onupgradeneeded = () => open.result.createObjectStore("ratings", {keyPath: "id"});
  open.onerror = () => reject(open.error);
  open.onsuccess = () => {
    const request = open.result.transaction("ratings").objectStore("ratings").getAll();
    request.onsuccess = () => { open.result.close(); resolve(request.result.length); };
    request.onerror = () => reject(request.error);
  };
})"""
READ_REJECTED = "JSON.parse(localStorage.getItem('kinerja.rejected') || '[]').length"
FACES = ["Sangat baik", "Baik", "Kurang baik", "Tidak baik"]

# Kiosks for one scenario: N with a device token (HTTP clients), M with a pairing code (tablets).
PROVISION = """
import json, sys
from wsgi import app
from kinerja.extensions import db
from kinerja.organisation.models import ServiceCounter
from kinerja.feedback import kiosks
with app.app_context():
    counters = db.session.scalars(db.select(ServiceCounter).order_by(ServiceCounter.code)).all()
    tag, clients, tablets = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    made = {"clients": [], "tablets": []}
    for n in range(clients):
        kiosk, token = kiosks.create_with_token(counters[n % len(counters)], f"{tag} client {n + 1}")
        made["clients"].append({"kiosk_id": kiosk.id, "token": token})
    for n in range(tablets):
        counter = counters[(clients + n) % len(counters)]
        kiosk, code = kiosks.register(None, counter, f"{tag} tablet {n + 1}")
        db.session.commit()
        made["tablets"].append({"kiosk_id": kiosk.id, "code": code, "counter": counter.name})
    print(json.dumps(made))
"""


class Refused(RuntimeError):
    """The PostgreSQL restart was not made: a test suite is running on the shared server."""


def pytest_running() -> str:
    return subprocess.run(["pgrep", "-af", "pytest"], capture_output=True, text=True,  # noqa: S603, S607
                          check=False).stdout.strip()


def log(message: str) -> None:
    print(f"[{datetime.now():%H:%M:%S}] {message}", file=sys.stderr, flush=True)


# ---------------------------------------------------------------- HTTP load clients


class LoadClient(threading.Thread):
    """A kiosk as a script: one rating per POST; an unacknowledged rating is sent again, same
    client_id, after a short pause, until the server answers for it (accepted/duplicate/rejected)."""

    def __init__(self, port: int, token: str, kiosk_id: int, stop: threading.Event,
                 give_up_at: list[float], seed: int, pause: float = 0.1):
        super().__init__(daemon=True)
        self.port, self.token, self.kiosk_id = port, token, kiosk_id
        self.stop, self.give_up_at, self.pause = stop, give_up_at, pause
        self.rng = random.Random(seed)  # noqa: S311 - load, not secrets
        self.sent: set[str] = set()
        self.acked: dict[str, str] = {}
        self.rejected: dict[str, str] = {}
        self.unacked: list[str] = []
        self.attempts: list[tuple[float, str, float]] = []  # (monotonic, outcome, ms)
        self.problem_json_5xx = 0

    def post(self, item: dict) -> tuple[str, str | None]:
        body = json.dumps({"ratings": [item], "version": "bench-faults"}).encode()
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            connection.request("POST", SUBMIT_PATH, body, {
                "Authorization": f"Bearer {self.token}", "Content-Type": "application/json",
                "Accept": "application/json", "Connection": "close"})
            response = connection.getresponse()
            data = response.read()
            if response.status == 200:
                result = json.loads(data)["results"][0]
                return result["status"], result.get("reason")
            if response.status >= 500 and "problem+json" in (response.getheader("Content-Type") or ""):
                self.problem_json_5xx += 1
            return f"HTTP {response.status}", None
        except ConnectionRefusedError:
            return "refused", None
        except (ConnectionResetError, BrokenPipeError, http.client.RemoteDisconnected,
                http.client.IncompleteRead):
            return "reset", None
        except TimeoutError:
            return "timeout", None
        except OSError as problem:
            return f"error {type(problem).__name__}", None
        finally:
            connection.close()

    def run(self) -> None:
        serial, pending = 0, None
        while True:
            if pending is None:
                if self.stop.is_set():
                    return
                pending = rating_item(serial, self.rng)
                serial += 1
                self.sent.add(pending["client_id"])
            started = time.monotonic()
            outcome, reason = self.post(pending)
            self.attempts.append((started, outcome, (time.monotonic() - started) * 1000))
            if outcome in ("accepted", "duplicate"):
                self.acked[pending["client_id"]] = outcome
                pending = None
                time.sleep(self.pause)
            elif outcome == "rejected":
                self.rejected[pending["client_id"]] = reason or ""
                pending = None
            else:
                if self.stop.is_set() and time.monotonic() > self.give_up_at[0]:
                    self.unacked.append(pending["client_id"])
                    return
                time.sleep(0.3 + self.rng.random() * 0.4)  # a tablet backs off; short here


# ---------------------------------------------------------------- real tablets


class Tablets:
    """Chromium pages on /kiosk/, paired with a code, tapping one-tap ratings in turn."""

    def __init__(self, base_url: str, tablets: list[dict]):
        from playwright.sync_api import sync_playwright  # noqa: PLC0415
        self.base_url, self.tablets = base_url, tablets
        self._playwright = sync_playwright().start()
        self.browser = self._playwright.chromium.launch(
            executable_path=shutil.which("chromium"), args=["--no-sandbox", "--disable-gpu"])
        self.pages, self.errors = [], []
        for tablet in tablets:
            tablet.update(taps=0, taps_down=0, failed_taps=0, max_queued=0, drained_s=None,
                          cleared_after_up_s=None)
            context = self.browser.new_context(viewport={"width": 1280, "height": 800},
                                               locale="id-ID")
            page = context.new_page()
            page.on("pageerror", lambda error: self.errors.append(str(error)))
            page.goto(f"{base_url}/kiosk/")
            page.get_by_label("Kode pemasangan").fill(tablet["code"])
            page.get_by_role("button", name="Pasangkan").click()
            page.get_by_role("heading", name=IDLE).wait_for(timeout=15000)
            page.wait_for_function("navigator.serviceWorker.controller !== null", timeout=15000)
            self.pages.append(page)

    def tap_round(self, serial: int, down: bool, up_at: float | None) -> None:
        for tablet, page in zip(self.tablets, self.pages, strict=True):
            try:
                page.get_by_role("button", name=FACES[serial % 4], exact=True).click(timeout=5000)
                tablet["taps"] += 1  # stored on the device from this click on
                tablet["taps_down"] += down
                page.get_by_role("button", name="Selesai").click(timeout=5000)
                page.get_by_role("button", name="Kembali ke awal").click(timeout=5000)
                page.get_by_role("heading", name=IDLE).wait_for(timeout=5000)
            except Exception as problem:  # noqa: BLE001 - counted and reported, the run goes on
                tablet["failed_taps"] += 1
                log(f"tablet {tablet['kiosk_id']}: tap failed: {problem}".splitlines()[0])
                page.goto(f"{self.base_url}/kiosk/")  # from the service worker's cache if down
            queued = self.queued(page)
            tablet["max_queued"] = max(tablet["max_queued"], queued)
            # The backlog of the outage is gone when at most the tap just made is still queued.
            if up_at is not None and tablet["cleared_after_up_s"] is None and 0 <= queued <= 1:
                tablet["cleared_after_up_s"] = round(time.monotonic() - up_at, 1)

    @staticmethod
    def queued(page) -> int:
        try:
            return page.evaluate(READ_QUEUE)
        except Exception:  # noqa: BLE001 - a page mid-navigation
            return -1

    def drain(self, timeout: float) -> float | None:
        started = time.monotonic()
        while time.monotonic() - started < timeout:
            waiting = False
            for tablet, page in zip(self.tablets, self.pages, strict=True):
                if tablet["drained_s"] is None:
                    if self.queued(page) == 0:
                        tablet["drained_s"] = round(time.monotonic() - started, 1)
                    else:
                        waiting = True
            if not waiting:
                break
            self.pages[0].wait_for_timeout(250)
        for tablet, page in zip(self.tablets, self.pages, strict=True):
            tablet["left_in_queue"] = self.queued(page)
            tablet["rejected_log"] = page.evaluate(READ_REJECTED)
            tablet["status_text"] = page.locator("#status").text_content()
        done = [t["drained_s"] for t in self.tablets]
        return None if None in done else max(done)

    def close(self) -> None:
        self.browser.close()
        self._playwright.stop()


# ---------------------------------------------------------------- faults


def healthz_up(server: Server) -> bool:
    try:
        with urllib.request.urlopen(server.base_url + BASELINE_PATH, timeout=2) as answer:  # noqa: S310
            return answer.status == 200
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return False


def sigkill_fault(server: Server, down: float, timeline: dict) -> None:
    pid = server.process.pid
    timeline["fault_at"] = time.monotonic()
    os.killpg(pid, signal.SIGKILL)  # the arbiter and its workers: gunicorn's own session
    server.process.wait()
    log(f"SIGKILL to gunicorn's process group {pid}; down for {down:.0f} s")
    time.sleep(down)
    timeline["restart_at"] = time.monotonic()
    server.start()
    timeline["up_at"] = time.monotonic()
    log("gunicorn restarted on the same port and schema")


def postgres_restart_command() -> list[str]:
    if shutil.which("pg_ctlcluster") and shutil.which("pg_lsclusters"):
        for line in subprocess.run(["pg_lsclusters", "--no-header"], capture_output=True,  # noqa: S603, S607
                                   text=True, check=False).stdout.splitlines():
            version, cluster, port, *_ = line.split()
            if port == "5432":
                return ["pg_ctlcluster", version, cluster, "restart"]
    return ["service", "postgresql", "restart"]


def db_restart_fault(server: Server, command: list[str], down: float, timeline: dict) -> None:
    """`command` restarts PostgreSQL; with `down` > 0 it is run as stop, `down` seconds, start."""
    if os.geteuid() != 0:
        command = ["sudo", "-n", *command]
    busy = pytest_running()  # checked again right before: suites start at any time
    if busy:
        raise Refused("pytest running: " + busy.splitlines()[0])
    timeline["fault_at"] = time.monotonic()
    if down > 0:
        stop = [*command[:-1], "stop"]
        done = subprocess.run(stop, capture_output=True, text=True, check=False)  # noqa: S603
        time.sleep(down)
        command = [*command[:-1], "start"]
        timeline["restart_at"] = time.monotonic()
        done = subprocess.run(command, capture_output=True, text=True, check=False)  # noqa: S603
        command = [*stop, f"+ {down:g} s +", "start"]
    else:
        done = subprocess.run(command, capture_output=True, text=True, check=False)  # noqa: S603
        timeline["restart_at"] = time.monotonic()
    timeline["up_at"] = time.monotonic()
    timeline["command"] = " ".join(command)
    timeline["command_rc"] = done.returncode
    log(f"{' '.join(command)} -> {done.returncode} in "
        f"{timeline['up_at'] - timeline['fault_at']:.1f} s {done.stderr.strip()}")


# ---------------------------------------------------------------- one scenario


def scenario(server: Server, name: str, args, fault) -> dict:
    made = json.loads(server.python("-c", PROVISION, name, str(args.clients),
                                    str(args.tablets)).strip().splitlines()[-1])
    stop = threading.Event()
    give_up_at = [float("inf")]
    clients = [LoadClient(server.port, c["token"], c["kiosk_id"], stop, give_up_at, seed=n)
               for n, c in enumerate(made["clients"])]
    tablets = Tablets(server.base_url, made["tablets"]) if args.tablets else None
    timeline: dict = {}
    load_started = time.monotonic()
    for client in clients:
        client.start()

    def faulty():
        time.sleep(args.before)
        try:
            fault(timeline)
        except BaseException as problem:  # noqa: BLE001 - reported by the main thread
            timeline["error"] = problem
        time.sleep(args.after)
        stop.set()

    fault_thread = threading.Thread(target=faulty, daemon=True)
    fault_thread.start()
    serial = 0
    while not stop.is_set():
        down = "fault_at" in timeline and "up_at" not in timeline
        if tablets:
            tablets.tap_round(serial, down, timeline.get("up_at"))
        else:
            time.sleep(0.2)
        serial += 1
    fault_thread.join()
    if "error" in timeline:
        stop.set()
        if tablets:
            tablets.close()
        if isinstance(timeline["error"], Refused):
            raise timeline["error"]
        raise ServerFailed(f"the fault step failed: {timeline['error']!r}")
    log("taps stopped; draining")
    give_up_at[0] = time.monotonic() + args.drain_timeout
    drain_started = time.monotonic()
    for client in clients:
        client.join(args.drain_timeout + 40)
    clients_drained = round(time.monotonic() - drain_started, 1)
    tablets_drained = tablets.drain(args.drain_timeout) if tablets else None
    tablet_errors = tablets.errors if tablets else []
    if tablets:
        tablets.close()
    time.sleep(1)
    return {"name": name, **analyse(server, clients, made["tablets"], timeline, load_started),
            "clients_drained_s": clients_drained, "tablets_drained_s": tablets_drained,
            "tablet_page_errors": tablet_errors[:20]}


def analyse(server: Server, clients: list[LoadClient], tablets: list[dict], timeline: dict,
            load_started: float) -> dict:
    fault_at, up_at = timeline["fault_at"], timeline["up_at"]
    attempts = [a for c in clients for a in c.attempts]
    outcomes: dict[str, int] = {}
    during: dict[str, int] = {}  # sent between the fault and the server answering again
    for at, outcome, _ in attempts:
        outcomes[outcome] = outcomes.get(outcome, 0) + 1
        if fault_at <= at < up_at:
            during[outcome] = during.get(outcome, 0) + 1
    ok_ms = [ms for at, o, ms in attempts if o in ("accepted", "duplicate") and at < fault_at - 1]
    around_ms = [ms for at, o, ms in attempts
                 if o in ("accepted", "duplicate") and fault_at - 1 <= at < up_at + 5]
    failed_ms = [ms for _, o, ms in attempts if o not in ("accepted", "duplicate", "rejected")]
    first_ack_after = min((at + ms / 1000 for at, o, ms in attempts
                           if o in ("accepted", "duplicate") and at >= fault_at), default=None)
    recovered_at = first_ack_after
    # The error window as the clients saw it: first to last failed answer after the fault, and
    # the first acknowledgement after that last failure (the service back for them).
    failures = [(at, at + ms / 1000) for at, o, ms in attempts
                if at >= fault_at - 1 and o not in ("accepted", "duplicate", "rejected")]
    window = None
    if failures:
        first_fail, last_fail = min(f[0] for f in failures), max(f[1] for f in failures)
        back = min((at + ms / 1000 for at, o, ms in attempts
                    if o in ("accepted", "duplicate") and at >= last_fail), default=None)
        window = {"first_error_s": round(first_fail - fault_at, 2),
                  "last_error_s": round(last_fail - fault_at, 2),
                  "first_ack_after_last_error_s": round(back - last_fail, 2) if back else None}

    client_kiosks = [c.kiosk_id for c in clients]
    stored = dict(server.sql("""SELECT client_id::text, count(*) FROM ratings
                                WHERE kiosk_id = ANY(%s) GROUP BY 1""", client_kiosks))
    acked = {cid for c in clients for cid in c.acked}
    sent = {cid for c in clients for cid in c.sent}
    unacked = [cid for c in clients for cid in c.unacked]
    http = {
        "clients": len(clients), "requests": len(attempts), "outcomes": outcomes,
        "outcomes_during_fault": during,
        "problem_json_5xx": sum(c.problem_json_5xx for c in clients),
        "ok_p50_ms": round(statistics.median(ok_ms), 1) if ok_ms else None,
        "ok_p99_ms": round(percentile(ok_ms, 0.99), 1) if ok_ms else None,
        "ok_around_fault_max_ms": round(max(around_ms), 1) if around_ms else None,
        "failed_max_ms": round(max(failed_ms), 1) if failed_ms else None,
        "failed_p99_ms": round(percentile(failed_ms, 0.99), 1) if failed_ms else None,
        "ratings_sent": len(sent), "acknowledged": len(acked),
        "acknowledged_duplicate": sum(1 for c in clients for o in c.acked.values() if o == "duplicate"),
        "rejected": {cid: r for c in clients for cid, r in c.rejected.items()},
        "stored": sum(stored.values()),
        "acked_stored_once": sum(1 for cid in acked if stored.get(cid) == 1),
        "acked_missing": sorted(cid for cid in acked if cid not in stored),
        "stored_twice": sorted(cid for cid, n in stored.items() if n > 1),
        "stored_never_sent": sorted(cid for cid in stored if cid not in sent),
        "unacked_at_end": len(unacked),
        "unacked_stored": sum(1 for cid in unacked if cid in stored),
    }
    http["ok"] = (http["acked_stored_once"] == len(acked) and not http["acked_missing"]
                  and not http["stored_twice"] and not http["stored_never_sent"]
                  and not unacked and not http["rejected"])
    for tablet in tablets:
        count, distinct = server.sql("""SELECT count(*), count(DISTINCT client_id) FROM ratings
                                        WHERE kiosk_id = %s""", tablet["kiosk_id"])[0]
        tablet.update(stored=count, distinct=distinct)
        tablet["ok"] = (count == distinct == tablet["taps"] and tablet.get("left_in_queue") == 0
                        and tablet.get("rejected_log") == 0 and tablet["failed_taps"] == 0)
        tablet.pop("code", None)
    total, distinct_pairs, not_excluded = server.sql(
        """SELECT count(*), count(DISTINCT (kiosk_id, client_id)), count(*) FILTER (WHERE NOT excluded)
           FROM ratings""")[0]
    rollup = int(server.sql("SELECT coalesce(sum(ratings), 0) FROM rating_rollups")[0][0])
    table_check = {"ratings": total, "duplicate_pairs": total - distinct_pairs,
                   "not_excluded": not_excluded, "rollup_sum": rollup,
                   "ok": total == distinct_pairs and rollup == not_excluded}
    return {
        "timeline": {"load_to_fault_s": round(fault_at - load_started, 1),
                     "fault_s": round(timeline["restart_at"] - fault_at, 1),
                     "down_s": round(up_at - fault_at, 1),
                     "boot_s": round(up_at - timeline["restart_at"], 1),
                     "first_ack_after_s": (round(recovered_at - fault_at, 2)
                                           if recovered_at else None),
                     "first_ack_after_up_s": (round(recovered_at - up_at, 2)
                                              if recovered_at else None),
                     "error_window": window,
                     **{k: v for k, v in timeline.items() if k in ("command", "command_rc")}},
        "http": http, "tablets": tablets, "table": table_check,
        "ok": http["ok"] and all(t["ok"] for t in tablets) and table_check["ok"],
    }


# ---------------------------------------------------------------- report


def render(result: dict) -> str:
    out = []
    for s in result["scenarios"]:
        if s.get("refused"):
            out.append(f"\n### {s['name']}: refused ({s['refused']})")
            continue
        t, h = s["timeline"], s["http"]
        out.append(f"\n### {s['name']}: {'PASS' if s['ok'] else 'FAIL'}\n")
        out.append(f"Load {t['load_to_fault_s']} s before the fault; "
                   + (f"gunicorn killed, restarted after {t['fault_s']} s, answering again "
                      f"{t['down_s']} s after the kill ({t['boot_s']} s to boot)"
                      if s["name"] == "sigkill" else
                      f"`{t.get('command')}` took {t['down_s']} s (rc {t.get('command_rc')})")
                   + (f"; first acknowledged rating {t['first_ack_after_s']} s after the kill"
                      if s["name"] == "sigkill" else "")
                   + "; HTTP clients "
                   f"finished {s['clients_drained_s']} s and tablets' "
                   f"queues empty {s['tablets_drained_s']} s after the taps stopped.\n")
        if t["error_window"]:
            w = t["error_window"]
            out.append(f"The clients saw errors from {w['first_error_s']} s to {w['last_error_s']} s "
                       f"after the fault; their first acknowledgement after the last error came "
                       f"{w['first_ack_after_last_error_s']} s later.\n")
        outcome_cells = ", ".join(f"{k} {v}" for k, v in sorted(h["outcomes"].items()))
        during = ", ".join(f"{k} {v}" for k, v in sorted(h["outcomes_during_fault"].items()))
        out.append(table(["HTTP load clients", "figure"], [
            ["clients x requests", f"{h['clients']} x {h['requests']}"],
            ["answers", outcome_cells],
            ["answers to requests sent from the fault until /healthz answered", during or "-"],
            ["5xx as problem+json", str(h["problem_json_5xx"])],
            ["acknowledged before the fault p50 / p99 ms", f"{h['ok_p50_ms']} / {h['ok_p99_ms']}"],
            ["acknowledged around the fault (-1 s .. up + 5 s), max ms",
             str(h["ok_around_fault_max_ms"])],
            ["failed requests p99 / max ms", f"{h['failed_p99_ms']} / {h['failed_max_ms']}"],
            ["ratings sent / acknowledged (of which duplicate)",
             f"{h['ratings_sent']} / {h['acknowledged']} ({h['acknowledged_duplicate']})"],
            ["acknowledged and stored exactly once", str(h["acked_stored_once"])],
            ["acknowledged but missing", str(len(h["acked_missing"]))],
            ["stored twice", str(len(h["stored_twice"]))],
            ["stored but never sent", str(len(h["stored_never_sent"]))],
            ["rejected / never acknowledged", f"{len(h['rejected'])} / {h['unacked_at_end']}"],
            ["verdict", "PASS" if h["ok"] else "FAIL"],
        ]))
        if s["tablets"]:
            out.append("")
            out.append(table(
                ["tablet (kiosk id)", "taps", "taps while down", "max queued",
                 "backlog sent s after up", "drained s",
                 "left", "stored", "distinct", "rejected log", "failed taps", "verdict"],
                [[str(x["kiosk_id"]), str(x["taps"]), str(x["taps_down"]), str(x["max_queued"]),
                  str(x["cleared_after_up_s"]),
                  str(x["drained_s"]), str(x["left_in_queue"]), str(x["stored"]),
                  str(x["distinct"]), str(x["rejected_log"]), str(x["failed_taps"]),
                  "PASS" if x["ok"] else "FAIL"] for x in s["tablets"]],
                right={1, 2, 3, 4, 5, 6, 7, 8, 9, 10}))
        c = s["table"]
        out.append(f"\nWhole table: {c['ratings']} ratings, {c['duplicate_pairs']} duplicate "
                   f"(kiosk, client_id) pairs, rollups sum {c['rollup_sum']} for "
                   f"{c['not_excluded']} not excluded: {'PASS' if c['ok'] else 'FAIL'}")
    return "\n".join(out)


# ---------------------------------------------------------------- main


def run(args) -> dict:
    started = time.perf_counter()
    result = {"benchmark": "faults", "at": datetime.now(UTC).isoformat(timespec="seconds"),
              "revision": git_revision(), "machine": {**machine(), "load_average_before":
                                                      [round(x, 2) for x in os.getloadavg()]},
              "settings": {k: v for k, v in vars(args).items()}, "scenarios": []}
    with Server(workers=args.workers, keep_schema=args.keep_schema, log=log) as server:
        server.stop()  # started with the defaults; again with the kiosk limits of bench.kiosk
        server.env.update(APP_LIMITS)
        if args.threads > 1:
            server.env["GUNICORN_CMD_ARGS"] = f"--threads {args.threads}"
        log("seeding the demo ...")
        server.flask("seed-demo")
        server.start()
        if not args.no_sigkill:
            log("scenario 1: SIGKILL of gunicorn mid-load")
            result["scenarios"].append(scenario(
                server, "sigkill", args, lambda tl: sigkill_fault(server, args.down, tl)))
        if args.db_restart:
            busy = pytest_running()
            if busy:
                log(f"refusing to restart PostgreSQL: a test suite runs:\n{busy}")
                result["scenarios"].append({"name": "db-restart", "ok": False,
                                            "refused": "pytest running: " + busy.splitlines()[0]})
            else:
                command = postgres_restart_command()
                log(f"scenario 2: {' '.join(command)} mid-load")
                try:
                    result["scenarios"].append(scenario(
                        server, "db-restart", args,
                        lambda tl: db_restart_fault(server, command, args.db_down, tl)))
                except Refused as refused:
                    log(f"refused to restart PostgreSQL: {refused}")
                    result["scenarios"].append({"name": "db-restart", "ok": False,
                                                "refused": str(refused)})
        result["server_log_tail"] = server.log_tail(60)
    result["seconds"] = round(time.perf_counter() - started, 1)
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=8, help="HTTP load clients (threads)")
    parser.add_argument("--tablets", type=int, default=3, help="Chromium tablets (Playwright)")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4, help="gunicorn gthread threads")
    parser.add_argument("--before", type=float, default=10, help="seconds of load before the fault")
    parser.add_argument("--down", type=float, default=4, help="seconds gunicorn stays killed")
    parser.add_argument("--after", type=float, default=10, help="seconds of load after the restart")
    parser.add_argument("--drain-timeout", type=float, default=120)
    parser.add_argument("--db-restart", action="store_true",
                        help="also restart the machine's PostgreSQL mid-load (refused under pytest)")
    parser.add_argument("--db-down", type=float, default=0,
                        help="with --db-restart: stop PostgreSQL, wait this many seconds, start "
                             "(default 0: one `restart`); keep it short, the server is shared")
    parser.add_argument("--no-sigkill", action="store_true", help="skip the SIGKILL scenario")
    parser.add_argument("--keep-schema", action="store_true")
    args = parser.parse_args(argv)
    if args.tablets and not shutil.which("chromium"):
        print("Debian's chromium is missing (make chromium), or run with --tablets 0", file=sys.stderr)
        return 2
    result = run(args)
    path = write_results("faults", result)
    print(render(result))
    print(f"\nresults: {path.relative_to(path.parent.parent.parent)}")
    if any(s.get("refused") for s in result["scenarios"]):
        return 3
    return 0 if all(s["ok"] for s in result["scenarios"]) else 1


if __name__ == "__main__":
    sys.exit(main())

"""Kiosk first load in Chromium on a throttled connection: bytes on the wire (compressed), the
uncompressed size, the requests, and the time until a citizen's tap on a face would be handled.
Targets (the benchmark issue): under 50 kB transferred and usable in under 1 s.

    python -m bench.kiosk_load [--loads 7] [--warm 5]     (or: make bench-kiosk-load)

A paired tablet in Debian's chromium (Playwright), a cold cache and no service worker, loads
/kiosk/ with the network throttled through the DevTools protocol; then the same tablet reloads
with its service worker in control (warm). Prints a Markdown table and writes
bench/results/kiosk_load-<timestamp>.json. Exit code 0 unless the server failed (did not start,
died, answered with a 5xx) or the browser could not pair; a missed target is a finding.
"""
from __future__ import annotations

import argparse
import functools
import json
import shutil
import statistics
import sys
import time
import urllib.request
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime

from bench.common import Server, ServerFailed, git_revision, machine, table, write_results

TARGET_BYTES = 50_000  # "50 KB": kB as DevTools counts them (1,000 bytes), the stricter reading
TARGET_MS = 1000
TABLET = {"viewport": {"width": 1280, "height": 800}, "locale": "id-ID"}
IDLE = "Bagaimana pelayanan kami hari ini?"


@dataclass(frozen=True)
class Profile:
    """Network conditions for CDP Network.emulateNetworkConditions (throughput in bytes/s).
    Chromium applies the latency once per request (request sent -> response headers), not per
    TCP round trip, and the throughput to the bytes it receives (headers and body)."""
    key: str
    label: str
    latency_ms: float
    down_bytes_s: float
    up_bytes_s: float


PROFILES = {
    # A cheap Android tablet at a service counter on poor Wi-Fi or a 3G dongle: DevTools' old
    # "Regular 3G" figures. The kiosk's users are in kecamatan offices and puskesmas, often on
    # a shared, congested line: this is the profile the target is about.
    "tablet-3g": Profile("tablet-3g", "tablet on poor Wi-Fi / 3G (750/250 kbit/s, 100 ms)",
                         100, 750 * 1000 / 8, 250 * 1000 / 8),
    # DevTools' "Slow 4G" preset as Chromium defines it (the former "Fast 3G"): 1.6 Mbit/s and
    # 750 kbit/s at 90%, 150 ms x 3.75 of latency. Its 562.5 ms per request means two requests
    # in a row (the page, then its script) already cost 1.1 s, whatever their size.
    "slow-4g": Profile("slow-4g", "DevTools Slow 4G (1.44/0.675 Mbit/s, 562.5 ms)",
                       150 * 3.75, 1.6 * 1000 * 1000 / 8 * 0.9, 750 * 1000 / 8 * 0.9),
}

# Runs in the page before any of its own scripts (CDP Page.addScriptToEvaluateOnNewDocument,
# which the CSP does not apply to). It timestamps, against the navigation's start:
#   shown:  #screen-idle is displayed with its four faces. kiosk.js start() attaches the click
#           listeners (wire()) before it shows the screen, so the JS has run by then;
#   usable: the faces are also enabled (show() disables them for SETTLE_MS = 300 ms so that a
#           tap meant for the previous screen is not taken; refreshCooldown() keeps them
#           disabled during a cooldown), the screen no longer "settling", each face's picture
#           loaded, and laid out (a box on the screen). A tap now starts a rating.
PROBE = """
(() => {
  const marks = window.__kioskLoad = {shown: null, usable: null};
  function faces() {
    const idle = document.getElementById("screen-idle");
    if (!idle || idle.hidden) return null;
    const buttons = Array.from(idle.querySelectorAll("button.face"));
    return buttons.length === 4 ? {idle, buttons} : null;
  }
  function check() {
    const found = faces();
    if (!found) return;
    const now = performance.now();
    if (marks.shown === null) marks.shown = now;
    if (marks.usable !== null || found.idle.classList.contains("settling")) return;
    const ready = found.buttons.every((button) => {
      const img = button.querySelector("img");
      return !button.disabled && button.getClientRects().length > 0
        && img && img.complete && img.naturalWidth > 0;
    });
    if (ready) marks.usable = now;
  }
  new MutationObserver(check).observe(document, {subtree: true, childList: true, attributes: true,
                                                 attributeFilter: ["hidden", "disabled", "class"]});
  document.addEventListener("load", check, true);  // a face's picture arriving last
})();
"""

# Resolves when the service worker is installed and active (its pre-cache done).
SW_ACTIVE = """() => navigator.serviceWorker.ready.then((registration) => new Promise((resolve) => {
  const worker = registration.active;
  if (worker.state === "activated") return resolve(true);
  worker.addEventListener("statechange", () => worker.state === "activated" && resolve(true));
}))"""

PROVISION = """
import json
from wsgi import app
from kinerja.extensions import db
from kinerja.organisation.models import ServiceCounter
from kinerja.feedback import kiosks
with app.app_context():
    counter = db.session.scalars(db.select(ServiceCounter).order_by(ServiceCounter.code)).first()
    kiosk, code = kiosks.register(None, counter, "Bench first-load tablet")
    db.session.commit()
    print(json.dumps({"kiosk_id": kiosk.id, "code": code, "counter": counter.name}))
"""


def log(message: str) -> None:
    print(f"[{datetime.now():%H:%M:%S}] {message}", file=sys.stderr, flush=True)


# ---------------------------------------------------------------- what went over the network


@dataclass
class Fetch:
    """One request as Chromium's network stack saw it."""
    url: str
    by: str  # "page" or "service worker"
    status: int | None = None
    encoding: str = ""  # Content-Encoding of the answer
    wire: int = 0  # encodedDataLength: headers + body as received, i.e. compressed
    headers: int = 0  # of which the response headers (encodedDataLength at responseReceived)
    body: int = 0  # the body decoded (uncompressed); 0 when revalidated (304, headers only)
    served_by: str = "network"  # or "service worker", "cache"
    done: bool = False


class Requests:
    """The requests of one target (the page, or its service worker) from CDP Network events."""

    def __init__(self, by: str):
        self.by = by
        self.fetches: dict[str, Fetch] = {}

    def handle(self, method: str, event: dict) -> None:
        request_id = event.get("requestId")
        if method == "Network.requestWillBeSent":
            if event["request"]["url"].startswith("http"):
                self.fetches[request_id] = Fetch(event["request"]["url"], self.by)
            return
        fetch = self.fetches.get(request_id)
        if fetch is None:
            return
        if method == "Network.responseReceived":
            response = event["response"]
            fetch.status = response["status"]
            fetch.headers = int(response.get("encodedDataLength") or 0)
            headers = {name.lower(): value for name, value in response.get("headers", {}).items()}
            fetch.encoding = headers.get("content-encoding", "")
            if response.get("fromServiceWorker"):
                fetch.served_by = "service worker"
            elif response.get("fromDiskCache") or response.get("fromPrefetchCache"):
                fetch.served_by = "cache"
        elif method == "Network.requestServedFromCache":
            fetch.served_by = "cache"
        elif method == "Network.dataReceived":
            fetch.body += event["dataLength"]
        elif method == "Network.loadingFinished":
            fetch.wire = int(event["encodedDataLength"])
            fetch.done = True
            # What the worker puts in its cache sends no dataReceived: its decoded size is the
            # file's own, when a body came at all (not for a 304).
            if not fetch.body and fetch.wire > fetch.headers and fetch.status == 200:
                fetch.body = identity_size(fetch.url)
        elif method == "Network.loadingFailed":
            fetch.done = True

    def pending(self) -> int:
        return sum(not fetch.done for fetch in self.fetches.values())


EVENTS = ("Network.requestWillBeSent", "Network.responseReceived", "Network.requestServedFromCache",
          "Network.dataReceived", "Network.loadingFinished", "Network.loadingFailed")


class Devtools:
    """The page's DevTools session, and through it its service worker's.

    The worker fetches the shell for its cache itself, in a target of its own that the page's
    session does not see: Target.setAutoAttach (not flattened, so that Playwright's CDPSession
    can carry it) attaches to the worker before it runs, its network is throttled alike and its
    Network events are read from Target.receivedMessageFromTarget. The worker's own script is
    fetched before the worker exists: see script_fetch()."""

    def __init__(self, cdp, profile: Profile):
        self.cdp, self.profile = cdp, profile
        self.page = Requests("page")
        self.worker = Requests("service worker")
        self.worker_script: str | None = None
        self._message_id = 0
        for method in EVENTS:
            cdp.on(method, lambda event, method=method: self.page.handle(method, event))
        cdp.on("Target.attachedToTarget", self._attached)
        cdp.on("Target.receivedMessageFromTarget", self._from_target)
        cdp.send("Network.enable")
        cdp.send("Network.emulateNetworkConditions", self.conditions())
        cdp.send("Target.setAutoAttach", {"autoAttach": True, "waitForDebuggerOnStart": True,
                                          "flatten": False})

    def conditions(self) -> dict:
        return {"offline": False, "latency": self.profile.latency_ms,
                "downloadThroughput": self.profile.down_bytes_s,
                "uploadThroughput": self.profile.up_bytes_s}

    def _to_target(self, session_id: str, method: str, params: dict | None = None) -> None:
        self._message_id += 1
        message = {"id": self._message_id, "method": method, "params": params or {}}
        self.cdp.send("Target.sendMessageToTarget", {"sessionId": session_id,
                                                     "message": json.dumps(message)})

    def _attached(self, event):
        session = event["sessionId"]
        if event["targetInfo"]["type"] == "service_worker":
            self.worker_script = event["targetInfo"]["url"]
            self._to_target(session, "Network.enable")
            self._to_target(session, "Network.emulateNetworkConditions", self.conditions())
        if event["waitingForDebugger"]:
            self._to_target(session, "Runtime.runIfWaitingForDebugger")

    def _from_target(self, event):
        message = json.loads(event["message"])
        if message.get("method") in EVENTS:
            self.worker.handle(message["method"], message["params"])

    def pending(self) -> int:
        return self.page.pending() + self.worker.pending()

    def fetches(self) -> list[Fetch]:
        fetches = [*self.page.fetches.values(),
                   *(f for f in self.worker.fetches.values() if f.url != self.worker_script)]
        if self.worker_script:  # seen or not, Chromium leaves its body out of the count
            fetches.append(script_fetch(self.worker_script))
        return fetches

    def clear(self) -> None:
        self.page.fetches.clear()
        self.worker.fetches.clear()
        self.worker_script = None


# What Chromium asks for (it sends the same on plain HTTP to 127.0.0.1, a secure context).
ACCEPT_ENCODING = "gzip, deflate, br, zstd"


@functools.cache
def identity_size(url: str) -> int:
    """The decoded size of a shell file, asked of the server without compression."""
    request = urllib.request.Request(url, headers={"Accept-Encoding": "identity"})  # noqa: S310
    with urllib.request.urlopen(request, timeout=30) as answer:  # noqa: S310 - http only
        return len(answer.read())


@functools.cache
def script_fetch(url: str) -> Fetch:
    """The worker's script is fetched by the browser before the worker exists, so no session
    sees it: asked again of the server (same Accept-Encoding, unthrottled), its body as sent
    plus its headers. Close to what the tablet receives; the status line and header framing
    are estimated from the header count."""
    request = urllib.request.Request(url, headers={"Accept-Encoding": ACCEPT_ENCODING})  # noqa: S310
    with urllib.request.urlopen(request, timeout=30) as answer:  # noqa: S310 - http only
        sent = answer.read()
        headers = sum(len(name) + len(value) + 4 for name, value in answer.headers.items()) + 17
        encoding = answer.headers.get("Content-Encoding") or ""
    return Fetch(url, "service worker", status=200, encoding=encoding, wire=headers + len(sent),
                 headers=headers, body=identity_size(url), done=True)


# ---------------------------------------------------------------- one tablet, one load


@dataclass
class Load:
    kind: str  # "cold" or "warm"
    profile: str
    shown_ms: float
    usable_ms: float
    tap_handled: bool
    dom_content_loaded_ms: float
    fetches: list[Fetch] = field(default_factory=list)

    @property
    def from_network(self) -> list[Fetch]:
        return [f for f in self.fetches if f.served_by == "network"]

    @property
    def requests(self) -> int:
        return len(self.from_network)

    @property
    def wire(self) -> int:
        return sum(f.wire for f in self.from_network)

    @property
    def uncompressed(self) -> int:
        """The decoded bodies of what came over the network (a 304's body came from the cache)."""
        return sum(f.body for f in self.from_network if f.wire > f.headers)


class MissedWorkerRequests(RuntimeError):
    """The worker fetched before its DevTools session had its network enabled (in about one
    load in seven the attach loses a race, presumably with Playwright's own session on the
    worker): its requests were neither seen nor throttled. Such a load is made again."""


class Tablet:
    """A browser context of its own (empty HTTP cache, no service worker) that knows the
    pairing, i.e. the localStorage a tablet has after it was paired."""

    def __init__(self, browser, storage: dict, profile: Profile):
        self.context = browser.new_context(storage_state=storage, **TABLET)
        self.context.add_init_script(PROBE)
        self.profile = profile
        self.page = self.context.new_page()
        self.errors: list[str] = []
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))
        self.cdp = self.context.new_cdp_session(self.page)
        self.network = Devtools(self.cdp, profile)
        # Playwright sees every request of a worker: the count that the DevTools record must reach.
        self.worker_requests = 0
        self.context.on("request", self._count_worker_request)

    def _count_worker_request(self, request) -> None:
        if request.service_worker is not None:
            self.worker_requests += 1

    def load(self, url: str, kind: str, timeout_ms: float = 60_000) -> Load:
        self.network.clear()
        self.worker_requests = 0
        if kind == "cold":
            self.page.goto(url, wait_until="commit", timeout=timeout_ms)
        else:
            self.page.reload(wait_until="commit", timeout=timeout_ms)
        self.page.wait_for_function("() => window.__kioskLoad && window.__kioskLoad.usable !== null",
                                    timeout=timeout_ms, polling=50)
        marks = self.page.evaluate("""() => ({...window.__kioskLoad,
            dcl: performance.getEntriesByType("navigation")[0].domContentLoadedEventEnd})""")
        tap_handled = self._face_listens_for_click()
        # The first load also installs the service worker, which pre-caches the shell: part of
        # what a new tablet downloads, so wait for it and for the network to go quiet.
        self.page.evaluate(SW_ACTIVE)
        self._wait_quiet()
        seen = sum(f.by == "service worker" for f in self.network.fetches())
        if kind == "cold" and seen < self.worker_requests:
            raise MissedWorkerRequests(f"{seen} of the worker's {self.worker_requests} requests seen")
        return Load(kind, self.profile.key, round(marks["shown"], 1), round(marks["usable"], 1),
                    tap_handled, round(marks["dcl"], 1),
                    self.network.fetches())

    def _face_listens_for_click(self) -> bool:
        """A tap would be handled: the face button has kiosk.js's click listener (DevTools'
        DOMDebugger.getEventListeners, as the Elements panel shows them)."""
        face = self.cdp.send("Runtime.evaluate",
                             {"expression": "document.querySelector('#screen-idle button.face')"})
        listeners = self.cdp.send("DOMDebugger.getEventListeners",
                                  {"objectId": face["result"]["objectId"]})["listeners"]
        return any(listener["type"] == "click" for listener in listeners)

    def _wait_quiet(self, quiet_ms: int = 500, timeout_s: float = 30) -> None:
        deadline, quiet_since = time.monotonic() + timeout_s, None
        while time.monotonic() < deadline:
            busy = self.network.pending() > 0
            now = time.monotonic()
            if busy:
                quiet_since = None
            elif quiet_since is None:
                quiet_since = now
            elif now - quiet_since >= quiet_ms / 1000:
                return
            self.page.wait_for_timeout(50)

    def close(self) -> None:
        self.context.close()


def pair(browser, base_url: str, code: str) -> dict:
    """Pair a tablet as an administrator does (unthrottled) and return its storage: the device
    token, the kiosk and its configuration in localStorage, what every later load starts from."""
    context = browser.new_context(**TABLET)
    try:
        page = context.new_page()
        page.goto(f"{base_url}/kiosk/")
        page.get_by_label("Kode pemasangan").fill(code)
        page.get_by_role("button", name="Pasangkan").click()
        page.get_by_role("heading", name=IDLE).wait_for(timeout=15_000)
        page.wait_for_function("() => localStorage.getItem('kinerja.config') !== null", timeout=15_000)
        storage = context.storage_state()
    finally:
        context.close()
    if not any(item["name"] == "kinerja.token" for origin in storage["origins"]
               for item in origin["localStorage"]):
        raise ServerFailed("pairing left no device token in localStorage")
    return storage


# ---------------------------------------------------------------- the run


def tablet_loads(browser, storage: dict, profile: Profile, url: str, reloads: int,
                 errors: list[str], attempts: int = 4) -> tuple[Load, list[Load], int]:
    """A cold load on a new tablet, then `reloads` warm ones; again on a new tablet when the
    worker's requests were missed (see MissedWorkerRequests). Returns the loads and the retries."""
    for attempt in range(attempts):
        tablet = Tablet(browser, storage, profile)
        try:
            first = tablet.load(url, "cold")
            return first, [tablet.load(url, "warm") for _ in range(reloads)], attempt
        except MissedWorkerRequests as problem:
            log(f"{profile.key}: {problem}, loading again on a new tablet")
        finally:
            errors += tablet.errors
            tablet.close()
    raise RuntimeError(f"the service worker's requests were missed {attempts} times in a row")


def check_answers(loads: list[Load], server: Server) -> None:
    server.check_alive()
    for load in loads:
        broken = [f"{f.status} {f.url}" for f in load.fetches if f.status is not None and f.status >= 500]
        if broken:
            raise ServerFailed(f"server errors: {broken}\n{server.log_tail()}")


def summary(loads: list[Load]) -> dict:
    def middle(values):
        return round(statistics.median(values), 1)

    return {
        "loads": len(loads),
        "usable_ms": middle([load.usable_ms for load in loads]),
        "usable_ms_min": min(load.usable_ms for load in loads),
        "usable_ms_max": max(load.usable_ms for load in loads),
        "shown_ms": middle([load.shown_ms for load in loads]),
        "requests": middle([load.requests for load in loads]),
        "wire_bytes": middle([load.wire for load in loads]),
        "uncompressed_bytes": middle([load.uncompressed for load in loads]),
        "tap_handled": all(load.tap_handled for load in loads),
        "encodings": sorted({f.encoding or "identity" for load in loads for f in load.from_network
                             if f.body}),
        "samples": [{"usable_ms": load.usable_ms, "shown_ms": load.shown_ms, "wire": load.wire,
                     "uncompressed": load.uncompressed, "requests": load.requests}
                    for load in loads],
    }


def run(cold: int, warm: int, profiles: list[Profile], workers: int, keep_schema: bool) -> dict:
    from playwright.sync_api import sync_playwright  # noqa: PLC0415 - only this benchmark needs it

    started = time.perf_counter()
    with Server(workers=workers, keep_schema=keep_schema, log=log) as server:
        log("seed-demo ...")
        demo = server.flask("seed-demo").splitlines()[0]
        kiosk = json.loads(server.python("-c", PROVISION).strip().splitlines()[-1])
        log(f"kiosk {kiosk['kiosk_id']} at {kiosk['counter']}, pairing in chromium ...")
        url = f"{server.base_url}/kiosk/"
        results, errors, retries = [], [], 0
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=shutil.which("chromium"),
                                                 args=["--no-sandbox", "--disable-gpu"])
            storage = pair(browser, server.base_url, kiosk["code"])
            for profile in profiles:
                cold_loads, warm_loads = [], []
                for n in range(cold):
                    # The last tablet, its worker in control, also reloads (warm).
                    first, reloads, retried = tablet_loads(browser, storage, profile, url,
                                                           warm if n == cold - 1 else 0, errors)
                    cold_loads.append(first)
                    warm_loads += reloads
                    retries += retried
                    check_answers(cold_loads + warm_loads, server)
                    log(f"{profile.key} cold {n + 1}/{cold}: usable {cold_loads[-1].usable_ms:.0f} ms, "
                        f"{cold_loads[-1].wire:,} bytes in {cold_loads[-1].requests} requests")
                results.append({"profile": asdict(profile), "cold": summary(cold_loads),
                                "warm": summary(warm_loads) if warm_loads else None,
                                "cold_loads": cold_loads, "warm_loads": warm_loads})
            browser.close()
        compression = probe_compression(server)
    return {
        "benchmark": "kiosk_load", "at": datetime.now(UTC).isoformat(timespec="seconds"),
        "revision": git_revision(), "machine": machine(), "chromium": chromium_version(),
        "settings": {"cold_loads": cold, "warm_loads": warm, "gunicorn_workers": workers,
                     "target_bytes": TARGET_BYTES, "target_ms": TARGET_MS, "url": "/kiosk/"},
        "seed": {"demo": demo, "kiosk": kiosk["kiosk_id"]}, "server_compression": compression,
        "page_errors": errors, "loads_repeated": retries, "profiles": results,
        "seconds": round(time.perf_counter() - started, 1),
    }


def probe_compression(server: Server) -> dict:
    """How the server answers Chromium's Accept-Encoding: the table says whether the figures
    are of a compressing server or not."""
    answers = {}
    for path in ("/kiosk/", "/static/js/kiosk.js"):
        request = urllib.request.Request(server.base_url + path,  # noqa: S310 - http only
                                         headers={"Accept-Encoding": ACCEPT_ENCODING})
        with urllib.request.urlopen(request, timeout=10) as answer:  # noqa: S310
            answers[path] = answer.headers.get("Content-Encoding") or "identity"
    return answers


def chromium_version() -> str | None:
    import subprocess  # noqa: PLC0415

    path = shutil.which("chromium")
    if not path:
        return None
    return subprocess.run([path, "--version"], capture_output=True, text=True,  # noqa: S603
                          timeout=30, check=False).stdout.strip() or None


# ---------------------------------------------------------------- reporting


def kb(count: float) -> str:
    return f"{count / 1000:.1f} kB"


def render(result: dict) -> str:
    rows = []
    for entry in result["profiles"]:
        profile = entry["profile"]
        for kind in ("cold", "warm"):
            figures = entry[kind]
            if not figures:
                continue
            wire, raw, usable = figures["wire_bytes"], figures["uncompressed_bytes"], figures["usable_ms"]
            passed = (usable < TARGET_MS and figures["tap_handled"]
                      and (kind == "warm" or wire < TARGET_BYTES))
            rows.append([
                profile["label"] if kind == "cold" else "", kind, f"{figures['requests']:g}",
                kb(wire), kb(raw), f"{wire / raw:.2f}" if raw else "-",
                f"{wire / TARGET_BYTES:.2f}x" if kind == "cold" else "",
                f"{figures['shown_ms']:.0f}",
                f"{usable:.0f} ({figures['usable_ms_min']:.0f}-{figures['usable_ms_max']:.0f})",
                f"{usable / TARGET_MS:.2f}x", "yes" if figures["tap_handled"] else "NO",
                "PASS" if passed else "FAIL"])
    settings = result["settings"]
    head = (f"/kiosk/ on a paired tablet, {result['chromium'] or 'Chromium ?'}; "
            f"{settings['cold_loads']} cold loads (new context: empty cache, no service worker) "
            f"and {settings['warm_loads']} warm reloads (service worker in control) per profile; "
            f"medians. Server compression ({ACCEPT_ENCODING}): "
            + ", ".join(f"{path} {enc}" for path, enc in result["server_compression"].items())
            + f". Targets: < {kb(TARGET_BYTES)} on the wire (cold), usable < {TARGET_MS} ms.")
    main_table = table(["profile", "load", "requests", "on the wire", "uncompressed", "wire/raw",
                        "x 50 kB", "faces shown ms", "usable ms (min-max)", "x 1 s", "tap handled",
                        "target"], rows, right={2, 3, 4, 5, 6, 7, 8, 9})
    notes = (f"\n\n{result['loads_repeated']} cold load(s) made again: the service worker's "
             "requests went unseen (see MissedWorkerRequests)." if result["loads_repeated"] else "")
    return (head + "\n\n" + main_table + notes + "\n\n"
            + breakdown(result["profiles"][0]["cold_loads"][0]))


def breakdown(load: Load) -> str:
    """Where the bytes of one cold load go, request by request."""
    def answer(fetch: Fetch) -> str:
        if fetch.served_by != "network":
            return fetch.served_by
        return "revalidated (304)" if fetch.wire <= fetch.headers else "downloaded"

    rows = [[f.by, "/" + f.url.split("/", 3)[-1], answer(f), f.encoding or "-", f"{f.wire:,}",
             f"{f.headers:,}", f"{f.body:,}"]
            for f in sorted(load.fetches, key=lambda f: (f.by, -f.wire))]
    rows.append(["all", "", "", "", f"{load.wire:,}",
                 f"{sum(f.headers for f in load.from_network):,}", f"{load.uncompressed:,} (sent)"])
    return "One cold load, request by request:\n\n" + table(
        ["by", "path", "answer", "encoding", "wire bytes", "of which headers", "body decoded"],
        rows, right={4, 5, 6})


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=" ".join(__doc__.split("\n\n")[0].split()))
    parser.add_argument("--loads", type=int, default=7, help="cold loads per profile (default 7)")
    parser.add_argument("--warm", type=int, default=5, help="warm reloads per profile (default 5)")
    parser.add_argument("--profile", choices=sorted(PROFILES), action="append",
                        help="network profile (repeatable; default: all)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (default 2)")
    parser.add_argument("--keep-schema", action="store_true", help="do not drop the schema")
    args = parser.parse_args(argv)
    if not shutil.which("chromium"):
        print("Debian's chromium is missing (make chromium)", file=sys.stderr)
        return 2
    profiles = [PROFILES[key] for key in (args.profile or PROFILES)]
    try:
        result = run(args.loads, args.warm, profiles, args.workers, args.keep_schema)
    except ServerFailed as problem:
        print(f"SERVER FAILED: {problem}", file=sys.stderr)
        return 1
    print(render(result))
    path = write_results("kiosk_load", result)
    print(f"\nwritten {path.relative_to(path.parents[2])}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

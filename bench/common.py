"""What every benchmark needs: a production-like server on a throwaway PostgreSQL schema, a
logged-in HTTP client, and timing of sequential requests reported against a baseline.

Standard library only (plus SQLAlchemy's URL helper and psycopg, which the app installs).
A benchmark does:

    with Server() as server:             # schema created, migrated; gunicorn up
        server.flask("seed-demo")        # any `flask --app wsgi ...` command, same environment
        client = server.login("kepala")
        timings = time_interleaved([...], rounds=40)
    # gunicorn stopped, schema dropped
"""
from __future__ import annotations

import json
import math
import os
import platform
import secrets
import shutil
import signal
import socket
import statistics
import subprocess  # noqa: S404 - we start our own server and CLI commands, never a shell
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from html.parser import HTMLParser
from http.cookiejar import CookieJar
from pathlib import Path

import psycopg
import sqlalchemy as sa

PROJECT_ROOT = Path(__file__).resolve().parent.parent
BENCH_DIR = PROJECT_ROOT / "bench"
RESULTS_DIR = BENCH_DIR / "results"

# The machine's local servers (the same ones .ci/run uses). Override for another machine.
DATABASE_URL = os.environ.get("BENCH_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/test")
# Database 14 is the benchmarks' own (15 is the test suite's, which the tests flush).
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/14")
DEMO_PASSWORD = "kinerja2026"  # noqa: S105 - kinerja.demo.DEMO_PASSWORD, not imported on purpose
BASELINE_PATH = "/healthz"  # the trivial page: no database, no template, no login


class ServerFailed(RuntimeError):
    """The server did not start, died, or answered with a server error."""


# ---------------------------------------------------------------- the server


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _exit_on_sigterm(signum, frame) -> None:
    sys.exit(128 + signum)


def _schema_url(base: str, schema: str) -> str:
    """`base` with every connection's search_path set to `schema` (as tests/conftest.py does)."""
    url = sa.engine.make_url(base)
    return url.update_query_dict({"options": f"-csearch_path={schema}"}) \
        .render_as_string(hide_password=False)


def _psycopg_url(url: str) -> str:
    return sa.engine.make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


class Server:
    """gunicorn serving `wsgi:app` with KINERJA_ENV=production on a private schema.

    The schema is created on enter and dropped on exit (also after a failure or Ctrl-C), so the
    shared PostgreSQL is left as we found it. Migrations run on enter; seeding is the caller's.
    """

    def __init__(self, workers: int = 2, port: int | None = None, keep_schema: bool = False,
                 log=print):
        self.workers = workers
        self.port = port or _free_port()
        self.keep_schema = keep_schema
        self.log = log
        self.schema = f"bench_{secrets.token_hex(4)}"
        self.database_url = _schema_url(DATABASE_URL, self.schema)
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen | None = None
        self._tmp = Path(tempfile.mkdtemp(prefix="kinerja-bench-"))
        self.log_path = self._tmp / "gunicorn.log"
        self.env = {
            **os.environ,
            "KINERJA_ENV": "production",
            "SECRET_KEY": secrets.token_hex(32),
            "DATABASE_URL": self.database_url,
            "REDIS_URL": REDIS_URL,
            # Uploads and anything else the app writes go to a temporary directory, not instance/.
            "KINERJA_INSTANCE_PATH": str(self._tmp / "instance"),
            # The demo's HR and admin logins are timed without a second factor (production
            # requires one of them otherwise, and the bench has no authenticator app).
            "TWO_FACTOR_REQUIRED": "0",
            "PYTHONDONTWRITEBYTECODE": "1",
        }
        for name in ("FLASK_APP", "FLASK_DEBUG", "TRUST_PROXY_HEADERS", "SESSION_COOKIE_SECURE"):
            self.env.pop(name, None)

    # -- lifecycle

    def __enter__(self) -> Server:
        # `kill` (SIGTERM) as well as Ctrl-C unwinds through __exit__: the server stopped and the
        # schema dropped, not a gunicorn and a few GB left behind.
        signal.signal(signal.SIGTERM, _exit_on_sigterm)
        try:
            self._create_schema()
            self.flask("init")
            self.start()
        except BaseException:
            self.__exit__(None, None, None)
            raise
        return self

    def __exit__(self, *exc) -> None:
        self.stop()
        if not self.keep_schema:
            self._drop_schema()
        else:
            self.log(f"kept schema {self.schema}: DROP SCHEMA \"{self.schema}\" CASCADE when done")
        shutil.rmtree(self._tmp, ignore_errors=True)

    def _admin(self) -> psycopg.Connection:
        return psycopg.connect(_psycopg_url(DATABASE_URL), autocommit=True)

    def _create_schema(self) -> None:
        with self._admin() as connection:
            connection.execute(f'CREATE SCHEMA "{self.schema}"')
        self.log(f"schema {self.schema} created")

    def _drop_schema(self) -> None:
        try:
            with self._admin() as connection:
                connection.execute(f'DROP SCHEMA IF EXISTS "{self.schema}" CASCADE')
            self.log(f"schema {self.schema} dropped")
        except psycopg.Error as problem:
            self.log(f"could not drop schema {self.schema}: {problem}")

    def flask(self, *args: str, timeout: float = 900) -> str:
        """Run `flask --app wsgi ARGS` against this server's database; returns its output."""
        return self.python("-m", "flask", "--app", "wsgi", *args, timeout=timeout)

    def python(self, *args: str, timeout: float = 900) -> str:
        """Run the project's Python with this server's environment (e.g. a seeding module)."""
        done = subprocess.run([sys.executable, *args], cwd=PROJECT_ROOT, env=self.env,  # noqa: S603
                              capture_output=True, text=True, timeout=timeout)
        if done.returncode:
            raise ServerFailed(f"{' '.join(args)} failed ({done.returncode}):\n"
                               f"{done.stdout}{done.stderr}")
        return done.stdout

    def start(self, timeout: float = 60) -> None:
        command = [sys.executable, "-m", "gunicorn", "wsgi:app",
                   "--bind", f"127.0.0.1:{self.port}", "--workers", str(self.workers),
                   "--worker-class", "sync", "--timeout", "120",
                   "--error-logfile", str(self.log_path), "--log-level", "warning"]
        self.process = subprocess.Popen(command, cwd=PROJECT_ROOT, env=self.env,  # noqa: S603
                                        stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT,
                                        start_new_session=True)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            self.check_alive()
            try:
                with urllib.request.urlopen(self.base_url + BASELINE_PATH, timeout=2) as answer:  # noqa: S310
                    if answer.status == 200:
                        self.log(f"gunicorn ({self.workers} workers) answering on {self.base_url}")
                        return
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            time.sleep(0.2)
        raise ServerFailed(f"{BASELINE_PATH} did not answer within {timeout:.0f}s\n{self.log_tail()}")

    def check_alive(self) -> None:
        if self.process is not None and self.process.poll() is not None:
            raise ServerFailed(f"gunicorn exited with {self.process.returncode}\n{self.log_tail()}")

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        # gunicorn runs in a session of its own: stop the arbiter (which stops its workers).
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()

    def log_tail(self, lines: int = 40) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no server log)"

    # -- helpers for benchmarks

    def sql(self, query: str, *params) -> list[tuple]:
        """Rows of one read-only query on this run's schema (ids to build URLs, row counts)."""
        with psycopg.connect(_psycopg_url(self.database_url)) as connection:
            return connection.execute(query, params).fetchall()

    def row_counts(self, tables: list[str]) -> dict[str, int]:
        return {table: self.sql(f'SELECT count(*) FROM "{table}"')[0][0] for table in tables}  # noqa: S608

    def client(self) -> Client:
        return Client(self.base_url)

    def login(self, identifier: str, password: str = DEMO_PASSWORD) -> Client:
        client = self.client()
        client.login(identifier, password)
        return client


# ---------------------------------------------------------------- the HTTP client


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # a redirect is an answer to time and report, not to follow


class _KeepStatus(urllib.request.HTTPErrorProcessor):
    def http_response(self, request, response):
        return response  # 3xx/4xx/5xx are answers too: the caller looks at the status

    https_response = http_response


class _CsrfToken(HTMLParser):
    def __init__(self):
        super().__init__()
        self.token: str | None = None

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        if tag == "input" and values.get("name") == "csrf_token":
            self.token = values.get("value")


@dataclass
class Answer:
    status: int
    ms: float
    size: int
    location: str | None = None


class Client:
    """A browser-like session: keeps cookies, never follows redirects, reads whole bodies."""

    def __init__(self, base_url: str):
        self.base_url = base_url
        self.cookies = CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.cookies), _NoRedirect(), _KeepStatus())
        self.opener.addheaders = [("User-Agent", "kinerja-bench/1"),
                                  ("Accept", "text/html,application/json")]
        self.identity: str | None = None

    def request(self, path: str, data: dict | None = None, timeout: float = 60) -> tuple[Answer, bytes]:
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        request = urllib.request.Request(self.base_url + path, data=body)  # noqa: S310 - http only
        started = time.perf_counter()
        with self.opener.open(request, timeout=timeout) as response:
            content = response.read()
            status = response.status
            location = response.headers.get("Location")
        ms = (time.perf_counter() - started) * 1000
        return Answer(status, ms, len(content), location), content

    def get(self, path: str) -> Answer:
        return self.request(path)[0]

    def login(self, identifier: str, password: str = DEMO_PASSWORD) -> None:
        """GET /masuk for the CSRF token, POST the form, keep the session cookie."""
        answer, page = self.request("/masuk")
        if answer.status != 200:
            raise ServerFailed(f"GET /masuk answered {answer.status}")
        parser = _CsrfToken()
        parser.feed(page.decode("utf-8", "replace"))
        if not parser.token:
            raise ServerFailed("no csrf_token in the login form")
        answer, page = self.request("/masuk", {"identifier": identifier, "password": password,
                                              "csrf_token": parser.token})
        if answer.status != 302:
            raise ServerFailed(f"login as {identifier!r} answered {answer.status}, not a redirect "
                               f"(wrong password, throttled or locked?)")
        self.identity = identifier


# ---------------------------------------------------------------- timing


def percentile(samples: list[float], fraction: float) -> float:
    """Nearest-rank percentile (p95 of 40 samples is the 38th smallest)."""
    ordered = sorted(samples)
    rank = min(max(1, math.ceil(round(fraction * len(ordered), 6))), len(ordered))
    return ordered[rank - 1]


@dataclass
class Timing:
    samples_ms: list[float] = field(default_factory=list)
    statuses: set[int] = field(default_factory=set)

    @property
    def median(self) -> float:
        return statistics.median(self.samples_ms)

    @property
    def p95(self) -> float:
        return percentile(self.samples_ms, 0.95)

    def add(self, answer: Answer) -> None:
        self.samples_ms.append(answer.ms)
        self.statuses.add(answer.status)


def time_gets(client: Client, path: str, n: int) -> Timing:
    """N sequential GETs of one path."""
    timing = Timing()
    for _ in range(n):
        timing.add(client.get(path))
    return timing


@dataclass
class Target:
    """One page to time: a label, the logged-in client to use, the path."""
    label: str
    client: Client
    path: str
    timing: Timing = field(default_factory=Timing)


def time_interleaved(targets: list[Target], rounds: int, server: Server | None = None) -> Timing:
    """Each round GETs the baseline then each target, in turn, with the same client, so that
    drift (a noisy neighbour, CPU frequency, caches) weighs on the baseline and the pages alike.
    Returns the baseline's timing; each target's is filled in place."""
    baseline = Timing()
    for _ in range(rounds):
        for target in targets:
            baseline.add(target.client.get(BASELINE_PATH))
            target.timing.add(target.client.get(target.path))
        if server is not None:
            server.check_alive()
    return baseline


# ---------------------------------------------------------------- reporting


def machine() -> dict:
    return {"cpus": os.cpu_count(), "python": platform.python_version(),
            "platform": platform.platform(), "host": platform.node()}


def git_revision() -> str | None:
    """The checkout's commit, with "+dirty" when files differ from it (read-only git)."""
    try:
        head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=PROJECT_ROOT,  # noqa: S603, S607
                              capture_output=True, text=True, timeout=10).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"],  # noqa: S603, S607
                               cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=10).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    return (head + ("+dirty" if dirty.strip() else "")) or None


def write_results(name: str, payload: dict) -> Path:
    """bench/results/<name>-<UTC timestamp>.json (git-ignored)."""
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    path = RESULTS_DIR / f"{name}-{stamp}.json"
    path.write_text(json.dumps(payload, indent=2, default=_jsonable) + "\n")
    return path


def _jsonable(value):
    if hasattr(value, "__dataclass_fields__"):
        return asdict(value)
    if isinstance(value, set):
        return sorted(value)
    return str(value)


def table(headers: list[str], rows: list[list[str]], right: set[int] = frozenset()) -> str:
    """A Markdown table, padded so that it also reads well in a terminal."""
    widths = [max(len(str(h)), *(len(str(r[i])) for r in rows)) for i, h in enumerate(headers)]

    def line(cells):
        return "| " + " | ".join(str(c).rjust(w) if i in right else str(c).ljust(w)
                                 for i, (c, w) in enumerate(zip(cells, widths, strict=True))) + " |"

    rule = "|" + "|".join(("-" * (w + 1) + ":") if i in right else ("-" * (w + 2))
                          for i, w in enumerate(widths)) + "|"
    return "\n".join([line(headers), rule, *(line(r) for r in rows)])

"""The queue that carries background jobs to a worker, and the scheduler of periodic work.

huey, configured from the app: SqliteHuey in the instance folder on the default install (no
service to run), RedisHuey when REDIS_URL is set (production, several app servers), or
immediate (the tests: a job runs inside the request that started it). Only a job's id travels on
the queue; everything else is in our `jobs` table (kinerja.core.jobs).

Who consumes it (JOBS_WORKER):
- `embedded`: a consumer in a background thread of each app process, started by the first
  request. `make run` is one process that must work without a second command, and starting on a
  request (not at import) keeps it out of `flask init`, the reloader's watcher process and
  gunicorn's master. Several processes may consume one SQLite queue: huey takes a task in a
  transaction, so each runs once.
- `separate`: `flask worker` runs the consumer as its own process (production with Redis: the
  web workers stay free for requests, and a deploy can restart them without killing a ZIP).

The periodic work (reminders, cleaning old results, sending results to SIASN) runs in the
consumer's scheduler, so the default install needs no cron. Every consumer schedules it; a lock
makes one of them run it.
"""
import logging
import os
import threading
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from flask import Flask, current_app
from huey import MemoryHuey, RedisHuey, SqliteHuey, crontab
from huey.consumer import Consumer

from kinerja.core import calendar, jobs

log = logging.getLogger(__name__)

QUEUE_FILE = "jobs-queue.sqlite3"
EXTENSION = "kinerja_queue"

# Work done once a day at REMINDERS_AT, registered by the areas that own it (the kernel imports
# no area): name -> a function run in an app context.
DAILY: dict[str, Callable[[], object]] = {}


def daily(name: str):
    def register(work: Callable[[], object]):
        DAILY[name] = work
        return work
    return register


# Work done every few minutes (FREQUENT_MINUTES), such as sending results to SIASN.
FREQUENT: dict[str, Callable[[], object]] = {}
FREQUENT_MINUTES = 5


def frequent(name: str):
    def register(work: Callable[[], object]):
        FREQUENT[name] = work
        return work
    return register


def run_frequent() -> None:
    for name, work in FREQUENT.items():
        try:
            work()
        except Exception:
            log.exception("frequent task %s failed", name)


def run_daily() -> None:
    """Each registered daily task in turn; one failing does not keep the others from running."""
    for name, work in DAILY.items():
        try:
            work()
        except Exception:
            log.exception("daily task %s failed", name)


class EmbeddedConsumer(Consumer):
    """huey's consumer started from a thread that is not the main one: it may not install signal
    handlers (the app server owns them); its threads are daemons and end with the process."""

    def _set_signal_handlers(self):
        pass


class Queue:
    def __init__(self, app: Flask):
        self.app = app
        config = app.config
        kind = config["JOBS_QUEUE"]
        name = config.get("JOBS_QUEUE_NAME") or "kinerja-jobs"
        if kind == "redis":
            self.huey = RedisHuey(name, url=config["REDIS_URL"], results=False)
        elif kind == "sqlite":
            # A fresh install's instance folder may not exist yet when the app first starts.
            os.makedirs(app.instance_path, exist_ok=True)
            self.huey = SqliteHuey(name, filename=config.get("JOBS_QUEUE_FILE")
                                   or f"{app.instance_path}/{QUEUE_FILE}", results=False)
        elif kind == "immediate":
            self.huey = MemoryHuey(name, immediate=True, results=False)
        else:
            raise ValueError(f"JOBS_QUEUE must be sqlite, redis or immediate, not {kind!r}")
        self._consumer: Consumer | None = None
        self._lock = threading.Lock()
        self.run_job = self.huey.task(name="run_job")(self._run_job)
        self.daily = self.huey.periodic_task(self._daily_due, name="daily")(
            self.huey.lock_task("daily")(self._daily))
        self.upkeep = self.huey.periodic_task(crontab(minute="7"), name="clean_up_jobs")(
            self._clean_up)
        self.frequent = self.huey.periodic_task(
            crontab(minute=f"*/{FREQUENT_MINUTES}"), name="frequent")(
            self.huey.lock_task("frequent")(lambda: self._in_app(run_frequent)))

    # The app context: a worker thread has none, an immediate queue runs inside a request's.
    def _in_app(self, work, *args):
        with self.app.app_context():
            return work(*args)

    def _run_job(self, job_id: int) -> None:
        self._in_app(jobs.run, job_id)

    def _daily_due(self, moment: datetime) -> bool:
        """huey hands each minute in UTC; the daily work runs at REMINDERS_AT in REMINDERS_ZONE."""
        return is_daily_time(moment, self.app.config["REMINDERS_AT"], self.app.config["REMINDERS_ZONE"])

    def _daily(self) -> None:
        self._in_app(run_daily)

    def _clean_up(self) -> None:
        self._in_app(lambda: jobs.clean_up(timedelta(days=self.app.config["JOBS_KEEP_DAYS"])))

    def consumer(self, workers: int, embedded: bool = False) -> Consumer:
        kind = EmbeddedConsumer if embedded else Consumer
        return kind(self.huey, workers=workers, worker_type="thread", periodic=True)

    def start_embedded(self) -> None:
        """Start this process's consumer once (JOBS_WORKER=embedded)."""
        if self._consumer is not None:
            return
        with self._lock:
            if self._consumer is None:
                self._consumer = self.consumer(self.app.config["JOBS_THREADS"], embedded=True)
                self._consumer.start()
                log.info("embedded job consumer started (%s threads)", self.app.config["JOBS_THREADS"])

    def stop_embedded(self) -> None:
        if self._consumer is not None:
            self._consumer.stop(graceful=True)
            self._consumer = None


def is_daily_time(moment: datetime, at: str, zone: str) -> bool:
    local = moment.replace(tzinfo=UTC).astimezone(calendar.zone_info(zone))
    return f"{local:%H:%M}" == at


def init_app(app: Flask) -> None:
    queue = Queue(app)
    app.extensions[EXTENSION] = queue
    if app.config["JOBS_WORKER"] == "embedded" and app.config["JOBS_QUEUE"] != "immediate":
        @app.before_request
        def start_consumer():
            queue.start_embedded()


def queue_of(app: Flask | None = None) -> Queue:
    return (app or current_app).extensions[EXTENSION]


def enqueue(job_id: int) -> None:
    queue_of().run_job(job_id)

"""`flask doctor`: is this configuration fit to start? Each check says in words what is wrong
and what to do; a failure stops deploy/upgrade before anything is changed."""
import shutil
import smtplib
import ssl
import subprocess  # nosec B404
import tempfile
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import sqlalchemy as sa
from flask import Flask

from kinerja import health
from kinerja.config import WELL_KNOWN_KEYS
from kinerja.extensions import db
from kinerja.integration import siasn as siasn_client

Check = health.Check
# The zones the kabupaten's units may be in (WIB, WITA, WIT).
ZONES = ("Asia/Jakarta", "Asia/Makassar", "Asia/Jayapura")
CLOCK_TOLERANCE_SECONDS = 30


def secret_key(app: Flask) -> Check:
    key = app.config.get("SECRET_KEY") or ""
    if len(key) < 32 or key.lower() in WELL_KNOWN_KEYS or len(set(key)) < 10:
        return Check("secret key", False, "SECRET_KEY is short, well known or repetitive: set "
                     "64 random hex characters (python3 -c 'import secrets; "
                     "print(secrets.token_hex(32))')")
    return Check("secret key", True, f"{len(key)} characters")


def instance_path(app: Flask) -> Check:
    path = Path(app.instance_path)
    try:
        path.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=path):
            pass
    except OSError as error:
        return Check("instance path", False, f"{path} is not writable by this user "
                     f"({error.strerror}): uploads, jobs' results and backups go there")
    free = shutil.disk_usage(path).free
    if free < 1024**3:
        return Check("instance path", True, f"{path}: only {free // 1024**2} MB free",
                     warning=True)
    return Check("instance path", True, f"{path}, {free // 1024**3} GB free")


def clock() -> Check:
    """The time zones the units use are known, and this machine's clock agrees with the
    database's (deadlines, kiosk timestamps and TOTP codes depend on it)."""
    try:
        for zone in ZONES:
            ZoneInfo(zone)
    except ZoneInfoNotFoundError as error:
        return Check("clock", False, f"time zone {error} unknown: install tzdata")
    if db.engine.dialect.name != "postgresql":
        return Check("clock", True, "time zones known; database on this machine")
    try:
        database_now = db.session.scalar(sa.text("SELECT now()"))
    except Exception as error:  # noqa: BLE001 - reported by the database check
        db.session.rollback()
        return Check("clock", False, f"database not reachable ({type(error).__name__})")
    drift = abs((datetime.now(UTC) - database_now).total_seconds())
    if drift > CLOCK_TOLERANCE_SECONDS:
        return Check("clock", False, f"this machine's clock is {drift:.0f} s off the database's: "
                     "enable time sync (systemd-timesyncd or chrony) on both")
    return Check("clock", True, f"time zones known; {drift:.1f} s off the database")


def pdf_fonts() -> Check:
    """WeasyPrint draws the PDFs with Pango and the system's fonts."""
    from ctypes.util import find_library  # noqa: PLC0415

    if not find_library("pangoft2-1.0"):
        return Check("PDF fonts", False, "Pango is missing: apt-get install libpango-1.0-0 "
                     "libpangoft2-1.0-0")
    fc_match = shutil.which("fc-match")
    if fc_match is None:
        return Check("PDF fonts", False, "fontconfig is missing: apt-get install fontconfig "
                     "fonts-dejavu-core")
    # fc-match with fixed arguments, no shell.
    found = subprocess.run([fc_match, "sans-serif"],  # noqa: S603  # nosec B603
                           capture_output=True, text=True, timeout=10, check=False).stdout.strip()
    if not found:
        return Check("PDF fonts", False, "no font installed: apt-get install fonts-dejavu-core")
    return Check("PDF fonts", True, found)


def mail(app: Flask) -> Check:
    server = app.config.get("MAIL_SERVER")
    if not server:
        return Check("mail", True, "MAIL_SERVER not set: notifications stay in the app",
                     warning=True)
    port = app.config["MAIL_PORT"]
    try:
        with smtplib.SMTP(server, port, timeout=10) as smtp:
            smtp.ehlo()
            if app.config.get("MAIL_USE_TLS"):
                smtp.starttls(context=ssl.create_default_context())
                smtp.ehlo()
            if app.config.get("MAIL_USERNAME"):
                smtp.login(app.config["MAIL_USERNAME"], app.config.get("MAIL_PASSWORD") or "")
    except (OSError, smtplib.SMTPException) as error:
        return Check("mail", False, f"{server}:{port} refused or unreachable "
                     f"({type(error).__name__}): check MAIL_* settings")
    return Check("mail", True, f"{server}:{port} accepts us")


def jobs_worker(app: Flask) -> Check:
    if app.config.get("JOBS_WORKER") == "separate":
        return Check("background jobs", True, f"queue {app.config['JOBS_QUEUE']}; "
                     "`flask worker` must run (deploy/systemd/kinerja-worker.service)")
    return Check("background jobs", True, f"queue {app.config['JOBS_QUEUE']}, run inside the app "
                 "process")


def siasn(config) -> Check | None:
    """SIASN is off without settings; a half configuration is a mistake to say."""
    if not any(config.get(name) for name in siasn_client.REQUIRED):
        return None
    missing = siasn_client.missing_settings(config)
    if missing:
        return Check("SIASN", False, f"{', '.join(missing)} missing: set all SIASN_* settings "
                     "or none")
    return Check("SIASN", True, "all settings present (`flask siasn status` tries BKN)")


def production_only(app: Flask) -> list[Check]:
    if app.config.get("ENV") != "production":
        return [Check("environment", True, f"KINERJA_ENV={app.config.get('ENV')}: not for real "
                      "data", warning=True)]
    checks = []
    if not app.config.get("TRUST_PROXY_HEADERS"):
        checks.append(Check("proxy", True, "TRUST_PROXY_HEADERS=0: behind nginx set it to 1, or "
                            "every citizen shares the proxy's address in the rate limits",
                            warning=True))
    if not app.config.get("SESSION_COOKIE_SECURE"):
        checks.append(Check("cookies", True, "SESSION_COOKIE_SECURE=0: set 1 behind HTTPS",
                            warning=True))
    if db.engine.dialect.name != "postgresql":
        checks.append(Check("database kind", True, "SQLite in production: fine for a trial, "
                            "PostgreSQL for real use", warning=True))
    return checks


def run(app: Flask) -> list[Check]:
    checks = [secret_key(app), health.database(), health.migrations(app),
              health.redis_store(app), instance_path(app), clock(), pdf_fonts(), mail(app),
              jobs_worker(app), *production_only(app)]
    return checks + [check for check in (siasn(app.config),) if check]

"""Configuration: safe defaults for a local run, overridden from the environment in production."""
import ipaddress
import os
import re
import secrets
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
INSTANCE_PATH = Path(os.environ.get("KINERJA_INSTANCE_PATH", PROJECT_ROOT / "instance"))

ENVIRONMENTS = ("production", "development", "testing")
WELL_KNOWN_KEYS = {"dev", "development", "secret", "changeme", "change-me", "testing"}
# Password hashing and the shortest password accepted: named here because bandit takes any
# literal under a "PASSWORD_..." key for a hard-coded password.
HASH_METHOD = "scrypt"
MIN_CREDENTIAL_LENGTH = 10


class ConfigError(RuntimeError):
    """The app refuses to start with a configuration that would be unsafe."""


def database_url(raw: str | None) -> str:
    """Normalise DATABASE_URL: plain postgres:// URLs are told to use psycopg 3."""
    if not raw:
        return f"sqlite:///{INSTANCE_PATH / 'kinerja.sqlite3'}"
    for prefix in ("postgres://", "postgresql://"):
        if raw.startswith(prefix):
            return "postgresql+psycopg://" + raw[len(prefix):]
    return raw


def _development_secret_key() -> str:
    # A random key kept in instance/ so that local sessions survive a restart.
    path = INSTANCE_PATH / "secret_key"
    if not path.exists():
        INSTANCE_PATH.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip()


def switch(name: str, default: bool) -> bool:
    """An on/off setting from the environment: 1/true/yes/on or 0/false/no/off; unset, the
    default. Anything else is refused rather than guessed (these switch security on and off)."""
    raw = os.environ.get(name, "").strip().lower()
    if not raw:
        return default
    if raw in ("1", "true", "yes", "on"):
        return True
    if raw in ("0", "false", "no", "off"):
        return False
    raise ConfigError(f"{name} must be 1 or 0, not {raw!r}.")


def _check_jobs(config: dict) -> None:
    if config["JOBS_QUEUE"] not in ("sqlite", "redis", "immediate"):
        raise ConfigError("JOBS_QUEUE must be sqlite, redis or immediate.")
    if config["JOBS_QUEUE"] == "redis" and not config["REDIS_URL"]:
        raise ConfigError("JOBS_QUEUE=redis needs REDIS_URL.")
    if config["JOBS_WORKER"] not in ("embedded", "separate"):
        raise ConfigError("JOBS_WORKER must be embedded or separate.")
    if not re.fullmatch(r"([01][0-9]|2[0-3]):[0-5][0-9]", config["REMINDERS_AT"]):
        raise ConfigError("REMINDERS_AT must be a time of day as HH:MM, e.g. 07:00.")
    if config["REMINDERS_ZONE"] not in ("WIB", "WITA", "WIT"):
        raise ConfigError("REMINDERS_ZONE must be WIB, WITA or WIT.")


def networks(listed: str) -> list:
    """'10.0.0.0/8, 127.0.0.1' as address networks; a wrong entry stops the start."""
    try:
        return [ipaddress.ip_network(item.strip()) for item in listed.split(",") if item.strip()]
    except ValueError as error:
        raise ConfigError(f"METRICS_ALLOW_FROM: {error}") from error


def load(overrides: dict | None = None) -> dict:
    """Build the configuration mapping for create_app."""
    overrides = dict(overrides or {})
    env = overrides.get("ENV") or os.environ.get("KINERJA_ENV", "production")
    if env not in ENVIRONMENTS:
        raise ConfigError(f"KINERJA_ENV must be one of {', '.join(ENVIRONMENTS)}, not {env!r}.")
    redis_url = os.environ.get("REDIS_URL")
    config = {
        "ENV": env,
        "TESTING": env == "testing",
        "SECRET_KEY": os.environ.get("SECRET_KEY"),
        "SQLALCHEMY_DATABASE_URI": database_url(os.environ.get("DATABASE_URL")),
        # A database error's text leaves out the statement's values (NIPs, names) so that
        # the log line it becomes holds no personal data.
        "SQLALCHEMY_ENGINE_OPTIONS": {"hide_parameters": env != "testing"},
        # The pool checks a connection only after it sat idle (kinerja/database.py).
        "DATABASE_PING_AFTER_IDLE_SECONDS": float(
            os.environ.get("DATABASE_PING_AFTER_IDLE_SECONDS", "1")),
        "REDIS_URL": redis_url,
        "RATELIMIT_STORAGE_URI": redis_url or "memory://",
        "RATELIMIT_KEY_PREFIX": "kinerja",
        # No X-RateLimit-* headers: each costs a Redis read per limit on every request (the
        # kiosk submit's busiest path); a refusal carries Retry-After (web/errors.py).
        "RATELIMIT_HEADERS_ENABLED": False,
        # Login throttling: per client address, and per account name tried.
        "LOGIN_LIMIT_PER_IP": os.environ.get("LOGIN_LIMIT_PER_IP", "20 per minute"),
        "LOGIN_LIMIT_PER_ACCOUNT": os.environ.get("LOGIN_LIMIT_PER_ACCOUNT", "5 per minute"),
        # Account lockout after repeated wrong passwords, independent of the client address.
        "LOCKOUT_THRESHOLD": int(os.environ.get("LOCKOUT_THRESHOLD", "10")),
        "LOCKOUT_MINUTES": int(os.environ.get("LOCKOUT_MINUTES", "15")),
        # Two-factor login (TOTP) is required of HR and admin accounts: on by default in
        # production, off for a local run and the tests (which turn it on where they test it).
        "TWO_FACTOR_REQUIRED": switch("TWO_FACTOR_REQUIRED", default=env == "production"),
        # Code attempts per account (the login code page and regenerating recovery codes);
        # only wrong codes count. A wrong code also counts against LOGIN_LIMIT_PER_IP.
        "TWO_FACTOR_LIMIT_PER_ACCOUNT": os.environ.get("TWO_FACTOR_LIMIT_PER_ACCOUNT",
                                                       "5 per minute;20 per hour"),
        "PASSWORD_HASH_METHOD": HASH_METHOD,
        "PASSWORD_MIN_LENGTH": MIN_CREDENTIAL_LENGTH,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        # Secure is also set per request when the request came over HTTPS (see web.sessions).
        "SESSION_COOKIE_SECURE": os.environ.get("SESSION_COOKIE_SECURE", "") == "1",
        "PERMANENT_SESSION_LIFETIME": 8 * 3600,
        "TRUST_PROXY_HEADERS": int(os.environ.get("TRUST_PROXY_HEADERS", "0")),
        "MAX_CONTENT_LENGTH": 16 * 1024 * 1024,
        "IMPORT_MAX_BYTES": int(os.environ.get("IMPORT_MAX_BYTES", str(5 * 1024 * 1024))),
        "IMPORT_MAX_ROWS": int(os.environ.get("IMPORT_MAX_ROWS", "100000")),
        # web.compression picks the responses to compress; Flask-Compress's own hook is off.
        "COMPRESS_REGISTER": False,
        "BABEL_DEFAULT_LOCALE": "id",
        "BABEL_DEFAULT_TIMEZONE": "Asia/Jakarta",
        "BABEL_TRANSLATION_DIRECTORIES": str(PROJECT_ROOT / "kinerja" / "translations"),
        "LANGUAGES": {"id": "Bahasa Indonesia", "en": "English"},
        "EMPLOYEES_PER_PAGE": 25,
        # Kiosks: pairing codes, the submit contract's limits and the abuse checks.
        "KIOSK_PAIRING_MINUTES": int(os.environ.get("KIOSK_PAIRING_MINUTES", "10")),
        "KIOSK_MAX_BODY_BYTES": int(os.environ.get("KIOSK_MAX_BODY_BYTES", str(256 * 1024))),
        "KIOSK_MAX_BATCH": 200,
        "KIOSK_MAX_AGE_DAYS": 60,
        "KIOSK_COOLDOWN_SECONDS": int(os.environ.get("KIOSK_COOLDOWN_SECONDS", "3")),
        "KIOSK_BURST_PER_MINUTE": int(os.environ.get("KIOSK_BURST_PER_MINUTE", "8")),
        "KIOSK_STREAK_LENGTH": int(os.environ.get("KIOSK_STREAK_LENGTH", "8")),
        # A rating that arrives this long after it was given is flagged: a tablet's queue after
        # an outage is, but so is a stolen token filling the past.
        "KIOSK_LATE_MINUTES": int(os.environ.get("KIOSK_LATE_MINUTES", "60")),
        "KIOSK_SERVICE_HOURS": (7, 18),
        # Kiosk API requests per device, and per client address of requests without a valid
        # device token (a tablet's requests do not count against its office's address).
        "KIOSK_LIMIT_PER_TOKEN": os.environ.get("KIOSK_LIMIT_PER_TOKEN", "120 per minute"),
        "KIOSK_LIMIT_PER_IP": os.environ.get("KIOSK_LIMIT_PER_IP", "600 per minute"),
        "KIOSK_PAIR_LIMIT_PER_IP": os.environ.get("KIOSK_PAIR_LIMIT_PER_IP", "10 per minute"),
        # The phone channel (a counter's QR poster): ratings per client address, and the address
        # printed on posters when citizens reach the app under another one than the portal
        # (e.g. https://kinerja.example.go.id; unset: the address the poster was made from).
        "KIOSK_PHONE_LIMIT_PER_IP": os.environ.get("KIOSK_PHONE_LIMIT_PER_IP", "20 per hour"),
        # More phone ratings than this for one counter from one address are flagged for review.
        "KIOSK_PHONE_FLAG_PER_COUNTER_ADDRESS": os.environ.get(
            "KIOSK_PHONE_FLAG_PER_COUNTER_ADDRESS", "5 per hour"),
        "KIOSK_PHONE_BASE_URL": os.environ.get("KIOSK_PHONE_BASE_URL") or None,
        "EVIDENCE_MAX_BYTES": int(os.environ.get("EVIDENCE_MAX_BYTES", str(10 * 1024 * 1024))),
        # Complaints: answered within this many working days (Monday to Friday minus the holiday
        # calendar's days) of arrival, else overdue;
        # alert heads of unit and HR when a counter or unit gets more than the threshold of
        # complaints within the window.
        "COMPLAINT_OVERDUE_DAYS": int(os.environ.get("COMPLAINT_OVERDUE_DAYS", "5")),
        # The objection window is HR's setting in the database (Kelola -> Aturan keberatan).
        "ALERT_COMPLAINTS_THRESHOLD": int(os.environ.get("ALERT_COMPLAINTS_THRESHOLD", "5")),
        "ALERT_WINDOW_DAYS": int(os.environ.get("ALERT_WINDOW_DAYS", "7")),
        # Email for notifications, sent by `flask send-reminders` (none unless MAIL_SERVER is
        # set); PORTAL_BASE_URL makes the links in emails absolute (e.g. https://kinerja.go.id).
        "MAIL_SERVER": os.environ.get("MAIL_SERVER") or None,
        "MAIL_PORT": int(os.environ.get("MAIL_PORT", "587")),
        "MAIL_USERNAME": os.environ.get("MAIL_USERNAME") or None,
        "MAIL_PASSWORD": os.environ.get("MAIL_PASSWORD") or None,
        "MAIL_USE_TLS": os.environ.get("MAIL_USE_TLS", "1") == "1",
        "MAIL_DEFAULT_SENDER": os.environ.get("MAIL_DEFAULT_SENDER") or "Kinerja <noreply@localhost>",
        "MAIL_TIMEOUT": int(os.environ.get("MAIL_TIMEOUT", "30")),
        "PORTAL_BASE_URL": os.environ.get("PORTAL_BASE_URL") or None,
        "WTF_CSRF_TIME_LIMIT": None,
        "INSTANCE_PATH": str(INSTANCE_PATH),
        # Background jobs (kinerja/core/queue.py): the queue is SQLite in instance/ unless Redis
        # is configured; the tests run each job inside the request that starts it.
        "JOBS_QUEUE": os.environ.get("JOBS_QUEUE") or (
            "immediate" if env == "testing" else "redis" if redis_url else "sqlite"),
        # embedded: a consumer thread in each app process (the default install: no second
        # command); separate: `flask worker` runs it (the default with Redis).
        "JOBS_WORKER": os.environ.get("JOBS_WORKER") or ("separate" if redis_url else "embedded"),
        "JOBS_THREADS": int(os.environ.get("JOBS_THREADS", "1")),
        "JOBS_KEEP_DAYS": int(os.environ.get("JOBS_KEEP_DAYS", "7")),
        # IKM exports over a longer range than this are made in the background.
        "IKM_EXPORT_DIRECT_DAYS": int(os.environ.get("IKM_EXPORT_DIRECT_DAYS", "92")),
        # The daily reminders (and their emails) go out at this time of day in this zone.
        "REMINDERS_AT": os.environ.get("REMINDERS_AT", "07:00"),
        "REMINDERS_ZONE": os.environ.get("REMINDERS_ZONE", "WIB"),
        # Operations (web/observability.py): JSON log lines in production, /metrics for
        # Prometheus from these networks (loopback by default) or with this bearer token.
        "LOG_FORMAT": os.environ.get("LOG_FORMAT") or ("json" if env == "production" else "text"),
        "LOG_LEVEL": os.environ.get("LOG_LEVEL", "INFO").upper(),
        "METRICS_TOKEN": os.environ.get("METRICS_TOKEN") or None,
        "METRICS_ALLOW_FROM": networks(os.environ.get("METRICS_ALLOW_FROM", "127.0.0.1/32,::1/128")),
        # BKN's SIASN (kinerja/integration/siasn.py): off until every one of the eight below is
        # set; README "SIASN" says which values BKN gives an instansi.
        "SIASN_API_URL": os.environ.get("SIASN_API_URL", ""),
        "SIASN_TOKEN_URL": os.environ.get("SIASN_TOKEN_URL", ""),
        "SIASN_SSO_URL": os.environ.get("SIASN_SSO_URL", ""),
        "SIASN_CONSUMER_KEY": os.environ.get("SIASN_CONSUMER_KEY", ""),
        "SIASN_CONSUMER_SECRET": os.environ.get("SIASN_CONSUMER_SECRET", ""),
        "SIASN_CLIENT_ID": os.environ.get("SIASN_CLIENT_ID", ""),
        "SIASN_USERNAME": os.environ.get("SIASN_USERNAME", ""),
        "SIASN_PASSWORD": os.environ.get("SIASN_PASSWORD", ""),
        "SIASN_TIMEOUT": float(os.environ.get("SIASN_TIMEOUT", "20")),
        "SIASN_RETRIES": int(os.environ.get("SIASN_RETRIES", "3")),
        "SIASN_BACKOFF": float(os.environ.get("SIASN_BACKOFF", "1")),
        "SIASN_DOCUMENT_REFERENCE": os.environ.get("SIASN_DOCUMENT_REFERENCE", "890"),
    }
    config.update(overrides)
    _check_jobs(config)
    if env == "testing":
        config.setdefault("SECRET_KEY", "testing")
        config["SECRET_KEY"] = config["SECRET_KEY"] or "testing"
    elif not config["SECRET_KEY"]:
        if env == "production":
            raise ConfigError(
                "SECRET_KEY is not set. Set SECRET_KEY to a long random value "
                "(python -c 'import secrets; print(secrets.token_hex(32))'), "
                "or set KINERJA_ENV=development for a local run."
            )
        config["SECRET_KEY"] = _development_secret_key()
    if env == "production" and (
        len(config["SECRET_KEY"]) < 32 or config["SECRET_KEY"].lower() in WELL_KNOWN_KEYS
    ):
        raise ConfigError("SECRET_KEY is too short or a well-known default: use 32+ random characters.")
    return config

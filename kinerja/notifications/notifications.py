"""In-app notifications (and email when SMTP is configured): what someone should act on.

A notification keeps its kind and parameters, not words: the message is made when it is shown,
in the reader's language (MESSAGES). Email goes out from `flask send-reminders`
(send_pending_emails), never inside a web request, so a slow mail server never slows a page.
"""
import logging
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from flask import current_app, has_request_context, url_for
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from flask_mailman import EmailMessage, Mail
from sqlalchemy import func, update
from werkzeug.routing import BuildError

from kinerja.core import dates
from kinerja.core.calendar import Cadence
from kinerja.core.errors import NotAllowed
from kinerja.core.types import utcnow
from kinerja.extensions import db
from kinerja.notifications.models import Notification
from kinerja.organisation import access
from kinerja.organisation.models import Employee, User

log = logging.getLogger(__name__)

PER_PAGE = 20
# Notifications older than this are not emailed any more (e.g. when mail is first configured).
EMAIL_MAX_AGE = timedelta(days=7)
EMAIL_BATCH = 500

# kind -> the message; %(name)s are the notification's params (dates shown the reader's way).
MESSAGES = {
    # appraisals (sent by the appraisal workflow)
    "evaluation_set": _l("Penilaian kinerja %(point_label)s Anda telah ditetapkan. Periksa dan "
                         "tanggapi hasilnya."),
    "evaluation_received": _l("Hasil penilaian kinerja %(point_label)s Anda diterima pada "
                              "%(received_on)s. Keberatan dapat diajukan paling lambat %(due_on)s."),
    "objection_lodged": _l("%(employee_name)s mengajukan keberatan atas penilaian kinerjanya."),
    "objection_decided": _l("Keberatan Anda atas penilaian kinerja telah diputuskan."),
    "self_assessment_submitted": _l("%(employee_name)s mengirim penilaian diri."),
    "development_plan": _l("Rencana pengembangan untuk penilaian %(point_label)s Anda telah "
                           "dibuat."),
    # SKP
    "skp_returned": _l("SKP Anda dikembalikan oleh atasan untuk diperbaiki."),
    # peer feedback
    "peer_feedback_requested": _l("Anda diminta memberi umpan balik perilaku kerja untuk "
                                  "%(employee_name)s paling lambat %(due_on)s."),
    # reminders (flask send-reminders)
    "evaluation_due": _l("Penilaian %(point_label)s untuk %(employee_name)s belum ditetapkan."),
    "skp_still_returned": _l("SKP Anda masih dikembalikan dan menunggu perbaikan."),
    "objection_waiting": _l("Keberatan %(employee_name)s atas penilaian kinerja menunggu "
                            "keputusan Anda."),
    "daily_report_missing": _l("Anda belum mengisi laporan kegiatan harian untuk %(day_on)s."),
    "peer_feedback_due": _l("Batas waktu umpan balik rekan untuk %(employee_name)s: %(due_on)s."),
}
FALLBACK = _l("Ada pemberitahuan baru untuk Anda.")
QUARTERS = {1: "I", 2: "II", 3: "III", 4: "IV"}


# ---------------------------------------------------------------- links and words


def link_to(endpoint: str, **values) -> str | None:
    """A path inside the app, also outside a request (the reminders command); None when the
    page does not exist (yet), so a notification never fails for want of a link."""
    try:
        if has_request_context():
            return url_for(endpoint, **values)
        adapter = current_app.url_map.bind("localhost",
                                           script_name=current_app.config.get("APPLICATION_ROOT", "/"))
        return adapter.build(endpoint, values)
    except BuildError:
        return None


def point_label(cadence: Cadence | str | None, point: int, year: int) -> str:
    """"Maret 2026", "Triwulan I 2026", "Tahunan 2026" in the reader's language."""
    if not point:
        return str(_l("Tahunan %(year)s", year=year))
    if cadence is not None and Cadence(cadence) is Cadence.QUARTERLY:
        return str(_l("Triwulan %(quarter)s %(year)s", quarter=QUARTERS.get(point, point), year=year))
    return dates.format_day(date(year, point, 1), "month")


def _shown(key: str, value, params: dict):
    if key.endswith("_on") and isinstance(value, str):
        try:
            return dates.format_day(date.fromisoformat(value), "long")
        except ValueError:
            return value
    return value


def message(notification: Notification) -> str:
    """The notification's words, in the current language."""
    params = dict(notification.params or {})
    if "point_label" not in params and "point" in params and "year" in params:
        params["point_label"] = point_label(params.get("cadence"), params["point"], params["year"])
    template = MESSAGES.get(notification.kind)
    if template is None:
        return str(FALLBACK)
    try:
        return str(template) % {key: _shown(key, value, params) for key, value in params.items()}
    except (KeyError, TypeError, ValueError):
        log.warning("notification %s: params do not fit kind %s", notification.id, notification.kind)
        return str(FALLBACK)


def _plain(value):
    """Params are stored as JSON: dates become ISO strings (shown the reader's way later)."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


# ---------------------------------------------------------------- sending


def account_of(employee: Employee | None) -> User | None:
    if employee is None:
        return None
    return db.session.scalar(db.select(User).where(User.employee_id == employee.id,
                                                   User.enabled.is_(True)))


def notify(employee: Employee | None, kind: str, *, key: str, link: str | None = None,
           **params) -> Notification | None:
    """Tell `employee` (through their account, if they have one) about `kind`; the same `key`
    for the same person is stored once, so reminders can be sent again safely. Added to the
    current transaction: it commits with the change it reports."""
    user = account_of(employee)
    if user is None:
        return None
    exists = db.session.scalar(db.select(Notification.id).where(
        Notification.user_id == user.id, Notification.key == key))
    if exists:
        return None
    notification = Notification(user=user, kind=kind, key=key[:120], link=link,
                                params={k: _plain(v) for k, v in params.items()})
    db.session.add(notification)
    return notification


@dataclass
class Pending:
    """One notification to store, for notify_many."""
    user_id: int
    kind: str
    key: str
    link: str | None = None
    params: dict = field(default_factory=dict)


def notify_many(pending: list[Pending]) -> int:
    """Store many notifications at once (the reminders), skipping those whose (user, key) is
    already stored: a few queries, however many people. Does not commit."""
    wanted = {(p.user_id, p.key[:120]): p for p in pending}
    keys = sorted({key for _, key in wanted})
    for start in range(0, len(keys), EMAIL_BATCH):
        chunk = keys[start:start + EMAIL_BATCH]
        for user_id, key in db.session.execute(db.select(Notification.user_id, Notification.key)
                                               .where(Notification.key.in_(chunk))):
            wanted.pop((user_id, key), None)
    db.session.add_all(Notification(user_id=p.user_id, kind=p.kind, key=key, link=p.link,
                                    params={k: _plain(v) for k, v in p.params.items()})
                       for (_, key), p in wanted.items())
    return len(wanted)


# ---------------------------------------------------------------- reading


def unread_count(user: User) -> int:
    return db.session.scalar(db.select(func.count(Notification.id)).where(
        Notification.user_id == user.id, Notification.read_at.is_(None))) or 0


def listing(user: User, page: int = 1):
    """The user's notifications, newest first (a Flask-SQLAlchemy Pagination)."""
    query = (db.select(Notification).where(Notification.user_id == user.id)
             .order_by(Notification.created_at.desc(), Notification.id.desc()))
    return db.paginate(query, page=page, per_page=PER_PAGE, error_out=False)


def mark_read(user: User, notification: Notification) -> str | None:
    """Mark one notification read; returns where it points."""
    if not access.owns_notification(user, notification):
        raise NotAllowed
    if notification.read_at is None:
        notification.read_at = utcnow()
        db.session.commit()
    return notification.link


def mark_all_read(user: User) -> int:
    result = db.session.execute(update(Notification).where(
        Notification.user_id == user.id, Notification.read_at.is_(None)).values(read_at=utcnow()))
    db.session.commit()
    return result.rowcount or 0


# ---------------------------------------------------------------- email

_mail = Mail()


def mail_configured() -> bool:
    return bool(current_app.config.get("MAIL_SERVER"))


def _connection():
    # Bound on first use: mail is only sent by the reminders command.
    if "mailman" not in current_app.extensions:
        _mail.init_app(current_app)
    return _mail.get_connection()


def _absolute(link: str | None) -> str | None:
    if not link:
        return None
    base = current_app.config.get("PORTAL_BASE_URL")
    return f"{base.rstrip('/')}{link}" if base else link


def _email(notification: Notification, address: str, connection) -> EmailMessage:
    text = message(notification)
    lines = [text]
    if link := _absolute(notification.link):
        lines += ["", str(_l("Buka: %(link)s", link=link))]
    lines += ["", "--", str(_l("Kinerja — pesan otomatis; jangan membalas email ini."))]
    subject = f"[Kinerja] {text if len(text) <= 90 else text[:87] + '...'}"
    return EmailMessage(subject=subject, body="\n".join(lines), to=[address],
                        from_email=current_app.config.get("MAIL_DEFAULT_SENDER"),
                        connection=connection)


def send_pending_emails(now: datetime | None = None) -> int:
    """Email each unread notification not emailed yet (of the last EMAIL_MAX_AGE) to the
    employee's address; sets emailed_at. Does nothing unless MAIL_SERVER is configured.
    Returns how many were sent; a message the server refuses is tried again next run."""
    if not mail_configured():
        return 0
    now = now or utcnow()
    rows = db.session.execute(
        db.select(Notification, Employee.email)
        .join(User, Notification.user_id == User.id).join(Employee, User.employee_id == Employee.id)
        .where(Notification.emailed_at.is_(None), Notification.read_at.is_(None),
               Notification.created_at >= now - EMAIL_MAX_AGE, User.enabled.is_(True),
               Employee.email.is_not(None), Employee.email != "")
        .order_by(Notification.id).limit(EMAIL_BATCH)).all()
    if not rows:
        return 0
    sent = 0
    connection = _connection()
    try:
        connection.open()
    except Exception:  # an unreachable server: the emails wait for the next run
        log.exception("mail server %s unreachable", current_app.config.get("MAIL_SERVER"))
        return 0
    try:
        # Emails are written in the default language: the reader's choice lives in their browser.
        with force_locale(current_app.config["BABEL_DEFAULT_LOCALE"]):
            for notification, address in rows:
                try:
                    _email(notification, address.strip(), connection).send()
                except Exception:  # one refused address must not stop the others
                    log.exception("email for notification %s failed", notification.id)
                    continue
                notification.emailed_at = now
                sent += 1
    finally:
        connection.close()
    db.session.commit()
    return sent

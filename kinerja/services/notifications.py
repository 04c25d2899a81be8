"""In-app notifications (and email when SMTP is configured): what someone should act on."""
from kinerja.extensions import db
from kinerja.models import Employee, Notification, User


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
    notification = Notification(user=user, kind=kind, key=key, link=link, params=params)
    db.session.add(notification)
    return notification

"""Supervisor feedback per RHK and month (umpan balik) and performance dialogues (dialog kinerja)."""
from datetime import date

from flask_babel import lazy_gettext as _l

from kinerja.core import audit
from kinerja.core.calendar import today_in
from kinerja.core.errors import NotAllowed, RuleViolation
from kinerja.core.text import clean_long_text
from kinerja.extensions import db
from kinerja.organisation import access
from kinerja.organisation.models import User
from kinerja.performance.models import Dialogue, Feedback, Rhk, Skp
from kinerja.performance.periods import require_open, require_started_month

MAX_FEEDBACK, MAX_NOTES = 2000, 4000


def feedback_for(rhk_ids: list[int], month: int) -> list[Feedback]:
    if not rhk_ids:
        return []
    return db.session.scalars(db.select(Feedback)
                              .where(Feedback.rhk_id.in_(rhk_ids), Feedback.month == month)
                              .options(db.joinedload(Feedback.author))
                              .order_by(Feedback.created_at, Feedback.id)).all()


def dialogues_of(skp: Skp) -> list[Dialogue]:
    return db.session.scalars(db.select(Dialogue).where(Dialogue.skp_id == skp.id)
                              .options(db.joinedload(Dialogue.author))
                              .order_by(Dialogue.held_on.desc(), Dialogue.id.desc())).all()


def add_feedback(actor: User, rhk: Rhk, month: int, text: str | None,
                 today: date | None = None) -> Feedback:
    """Umpan balik from the direct supervisor on one RHK for one month."""
    skp = rhk.skp
    if not access.can_give_feedback(actor, skp.employee):
        raise NotAllowed
    require_open(skp.period)
    require_started_month(month, skp.period, today or today_in(skp.employee.time_zone))
    text = clean_long_text(text, "text", MAX_FEEDBACK, required=True)
    item = Feedback(rhk=rhk, month=month, author=actor.employee, text=text)
    db.session.add(item)
    db.session.flush()
    audit.record("feedback.added", actor=actor, subject=item, summary=text[:200], month=month,
                 employee_id=skp.employee_id)
    db.session.commit()
    return item


def add_dialogue(actor: User, skp: Skp, *, held_on: date | None, notes: str | None,
                 follow_up: str | None, today: date | None = None) -> Dialogue:
    """Record a dialog kinerja the direct supervisor held with the employee."""
    if not access.can_record_dialogue(actor, skp.employee):
        raise NotAllowed
    require_open(skp.period)
    today = today or today_in(skp.employee.time_zone)
    if held_on is None:
        raise RuleViolation(_l("Isi tanggal dialog."), field="held_on")
    if held_on.year != skp.period.year:
        raise RuleViolation(_l("Tanggal harus di tahun %(year)s.", year=skp.period.year),
                            field="held_on")
    if held_on > today:
        raise RuleViolation(_l("Tanggal dialog tidak boleh di masa depan."), field="held_on")
    notes = clean_long_text(notes, "notes", MAX_NOTES, required=True)
    follow_up = clean_long_text(follow_up, "follow_up", MAX_NOTES)
    dialogue = Dialogue(skp=skp, held_on=held_on, author=actor.employee, notes=notes,
                        follow_up=follow_up or None)
    db.session.add(dialogue)
    db.session.flush()
    audit.record("dialogue.recorded", actor=actor, subject=dialogue, summary=notes[:200],
                 employee_id=skp.employee_id, held_on=held_on.isoformat())
    db.session.commit()
    return dialogue

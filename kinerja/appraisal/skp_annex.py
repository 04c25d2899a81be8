"""The parts of the SKP beyond the plan that the annex of PermenPANRB 6/2022 prints: the leader's
ekspektasi khusus per BerAKHLAK value and the Lampiran SKP (dukungan sumber daya, skema
pertanggungjawaban, konsekuensi).

Who writes what, after the regulation: the ekspektasi khusus are the leader's own words (the
pejabat penilai states what they expect of this employee's behaviour), so only the direct
supervisor who approves the SKP sets them, at the planning dialogue or later in the year as the
expectations are clarified; they are not the employee's draft, so changing them opens no new
version of the plan. The Lampiran is agreed with the plan: the employee drafts it in the SKP
builder with the RHK and the supervisor agrees to it by approving, so it changes under the same
rule as the plan (after approval a change starts the next version).
"""
from collections.abc import Mapping

from kinerja.appraisal.models import BehaviourExpectation
from kinerja.appraisal.predikat import Behaviour
from kinerja.core import audit
from kinerja.core.errors import NotAllowed
from kinerja.core.text import clean_long_text
from kinerja.extensions import db
from kinerja.organisation import access
from kinerja.organisation.models import User
from kinerja.performance import skp_workflow
from kinerja.performance.models import Skp
from kinerja.performance.periods import require_open

MAX_EXPECTATION = 1000
MAX_ATTACHMENT = 2000
ATTACHMENT_FIELDS = ("resource_support", "accountability", "consequences")


def expectations_of(skp: Skp) -> dict[Behaviour, str]:
    """The ekspektasi khusus set on the SKP, by value (values without one are absent)."""
    return {row.behaviour: row.text for row in db.session.scalars(
        db.select(BehaviourExpectation).where(BehaviourExpectation.skp_id == skp.id))}


def can_set_expectations(user: User, skp: Skp) -> bool:
    return skp.period.is_open and access.can_approve_skp_of(user, skp.employee, skp)


def save_expectations(actor: User, skp: Skp, texts: Mapping[str, str | None]) -> dict[Behaviour, str]:
    """Set the ekspektasi khusus per value from {behaviour value: text}; an empty text removes
    the value's. Values not named are left as they are. All are checked before any is kept."""
    if not access.can_approve_skp_of(actor, skp.employee, skp):
        raise NotAllowed
    require_open(skp.period)
    wanted = {Behaviour(key): clean_long_text(text, key, MAX_EXPECTATION)
              for key, text in texts.items() if key in {value.value for value in Behaviour}}
    rows = {row.behaviour: row for row in db.session.scalars(
        db.select(BehaviourExpectation).where(BehaviourExpectation.skp_id == skp.id))}
    changed = {}
    for value, text in wanted.items():
        row = rows.get(value)
        if row is not None and not text:
            db.session.delete(row)
        elif row is None and text:
            db.session.add(BehaviourExpectation(skp_id=skp.id, behaviour=value, text=text,
                                                set_by_id=actor.employee_id))
        elif row is not None and row.text != text:
            row.text, row.set_by_id = text, actor.employee_id
        else:
            continue
        changed[value.value] = text[:200]
    if changed:
        audit.record("skp.expectations_set", actor=actor, subject=skp, changed=changed)
        db.session.commit()
    return expectations_of(skp)


def can_edit_attachment(user: User, skp: Skp) -> bool:
    return skp_workflow.can_edit(user, skp)


def save_attachment(actor: User, skp: Skp, *, resource_support: str | None,
                    accountability: str | None, consequences: str | None) -> Skp:
    """Keep the Lampiran SKP as drafted by the employee (see the module's note)."""
    given = {"resource_support": resource_support, "accountability": accountability,
             "consequences": consequences}
    if not access.owns(actor, skp):
        raise NotAllowed
    values = {name: clean_long_text(text, name, MAX_ATTACHMENT) or None
              for name, text in given.items()}
    if all(getattr(skp, name) == value for name, value in values.items()):
        return skp
    skp_workflow.require_editable(actor, skp)   # after approval: the next version
    for name, value in values.items():
        setattr(skp, name, value)
    audit.record("skp.attachment_saved", actor=actor, subject=skp, version=skp.version)
    db.session.commit()
    return skp

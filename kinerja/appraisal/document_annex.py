"""What the annex forms of PermenPANRB 6/2022 add to the printed SKP and dokumen evaluasi, as plain
values for appraisal_documents: the Lampiran SKP, the umpan balik berkelanjutan recorded during
the year (the supervisor's feedback per RHK and month, the dialogues, the colleagues' answers per
value), and the organisation's capaian with its pola distribusi at the evaluated point (from
organisation_performance and distribution). A bounded number of queries per document.
"""
from dataclasses import dataclass, field
from datetime import date

from flask_babel import format_decimal
from flask_babel import lazy_gettext as _l

from kinerja.appraisal import distribution, organisation_performance, peer_feedback
from kinerja.appraisal.models import Evaluation
from kinerja.appraisal.predikat import Behaviour, Predikat, Rating
from kinerja.extensions import db
from kinerja.performance.formatting import month_names
from kinerja.performance.models import Dialogue, Feedback, Realisation, Skp


@dataclass(frozen=True)
class Attachment:
    """Lampiran SKP."""
    resource_support: str = ""   # dukungan sumber daya
    accountability: str = ""     # skema pertanggungjawaban
    consequences: str = ""       # konsekuensi

    @classmethod
    def of(cls, skp: Skp) -> "Attachment":
        return cls(skp.resource_support or "", skp.accountability or "", skp.consequences or "")


@dataclass(frozen=True)
class Note:
    """One piece of umpan balik: when, from whom, what."""
    when: str
    author: str
    text: str


@dataclass
class OrganisationAnnex:
    """Capaian kinerja organisasi and the pola distribusi at the evaluated point."""
    unit: str
    capaian: str                 # "Baik"
    point_label: str             # "Maret 2026", "Tahunan 2026"
    limits: list[str] = field(default_factory=list)   # "B: paling banyak 70%"
    shares: list[tuple[str, int, str]] = field(default_factory=list)   # (SB, 2, "40%")
    rated: int = 0
    messages: list[str] = field(default_factory=list)  # limits broken, if any


def rhk_feedback(rhk_ids: list[int], months: range) -> dict[int, list[Note]]:
    """The supervisor's umpan balik per RHK in the evaluated months, oldest first. One query."""
    if not rhk_ids:
        return {}
    names = month_names()
    found: dict[int, list[Note]] = {}
    for item in db.session.scalars(
            db.select(Feedback).where(Feedback.rhk_id.in_(rhk_ids),
                                      Feedback.month.between(months[0], months[-1]))
            .options(db.joinedload(Feedback.author))
            .order_by(Feedback.month, Feedback.created_at, Feedback.id)):
        found.setdefault(item.rhk_id, []).append(
            Note(names[item.month], item.author.name if item.author else "", item.text))
    return found


def dialogues(skp: Skp, starts: date, ends: date) -> list[Note]:
    """The dialog kinerja held in the evaluated dates, with their follow-up. One query."""
    notes = []
    for item in db.session.scalars(
            db.select(Dialogue).where(Dialogue.skp_id == skp.id,
                                      Dialogue.held_on.between(starts, ends))
            .options(db.joinedload(Dialogue.author))
            .order_by(Dialogue.held_on, Dialogue.id)):
        text = item.notes
        if item.follow_up:
            text += " " + str(_l("Tindak lanjut: %(text)s", text=item.follow_up))
        notes.append(Note(item.held_on.strftime("%d/%m/%Y"),
                          item.author.name if item.author else "", text))
    return notes


def behaviour_feedback(evaluation: Evaluation) -> tuple[dict[Behaviour, list[str]], list[str]]:
    """The colleagues' answers about the evaluated employee, once shown to the appraiser: per
    value the count of each rating, and their comments (anonymous, as the appraiser sees them)."""
    summary = peer_feedback.peer_feedback_summary(evaluation)
    if not summary.visible:
        return {}, []
    per_value = {}
    for tally in summary.behaviours:
        given = [f"{n} {rating.label}" for rating in Rating if (n := tally.counts.get(rating, 0))]
        if given:
            per_value[tally.behaviour] = [str(_l("Rekan kerja: %(counts)s",
                                                 counts=", ".join(given)))]
    return per_value, [f"{c.label}: {c.text}" for c in summary.comments]


def organisation_annex(evaluation: Evaluation) -> OrganisationAnnex | None:
    """The capaian that governs the evaluation's point and the curve its result counts in;
    None while the organisation's capaian for that point is not set."""
    capaian = organisation_performance.capaian_of_evaluation(evaluation)
    if capaian is None:
        return None
    annex = OrganisationAnnex(unit=capaian.unit.name, capaian=str(capaian.predikat.label),
                              point_label=capaian.point_label)
    status = distribution.distribution_for_evaluation(evaluation)
    if status is not None:
        annex.limits, annex.rated, annex.messages = (list(status.limit_lines), status.rated,
                                                     list(status.messages))
        for value in Predikat:
            share = status.share(value)
            annex.shares.append((value.short, status.counts.get(value, 0),
                                 "—" if share is None
                                 else format_decimal(round(share, 1), format="#,##0.#") + "%"))
    return annex


def narratives(indicator_ids: list[int], months: range) -> dict[int, list[str]]:
    """A kualitatif indicator's realisation: the narratives of the evaluated months, each headed
    by its month when there are several. One query."""
    if not indicator_ids:
        return {}
    names = month_names()
    found: dict[int, list[str]] = {}
    for indicator_id, month, text in db.session.execute(
            db.select(Realisation.indicator_id, Realisation.month, Realisation.narrative)
            .where(Realisation.indicator_id.in_(indicator_ids),
                   Realisation.month.between(months[0], months[-1]),
                   Realisation.narrative.is_not(None))
            .order_by(Realisation.month)):
        found.setdefault(indicator_id, []).append(
            f"{names[month]}: {text}" if len(months) > 1 else text)
    return found

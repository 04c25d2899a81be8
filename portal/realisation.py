"""Monthly realisation of an SKP: value, narrative and evidence per indicator; the direct
supervisor's feedback per RHK and the record of performance dialogues."""
from flask import abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from wtforms import DateField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from kinerja.core.errors import RuleViolation
from kinerja.organisation import access
from kinerja.performance import dialogue, pace, realisation
from kinerja.performance.models import Evidence, Indicator, Rhk, Skp
from portal import bp
from portal.forms import ConfirmForm
from portal.guards import acting_user, get_or_404, require
from web.forms import Form, NumberField, show_problem
from web.rendering import is_htmx, render

TEMPLATE = "portal/realisation/month.html"


class RealisationForm(Form):
    value = NumberField(_l("Realisasi bulan ini"), validators=[Optional(), Length(max=30)])
    narrative = TextAreaField(_l("Penjelasan"), validators=[Optional(), Length(max=2000)])


class EvidenceForm(Form):
    file = FileField(_l("Tambah berkas"), validators=[FileRequired(_l("Pilih berkas."))])


class FeedbackForm(Form):
    text = TextAreaField(_l("Umpan balik untuk bulan ini"),
                         validators=[DataRequired(), Length(max=2000)])


class DialogueForm(Form):
    held_on = DateField(_l("Tanggal dialog"), validators=[DataRequired()])
    notes = TextAreaField(_l("Catatan dialog"), validators=[DataRequired(), Length(max=4000)])
    follow_up = TextAreaField(_l("Tindak lanjut"), validators=[Optional(), Length(max=4000)])


def _row_form(row) -> RealisationForm:
    """The row's form as stored: the entered value (empty = the sum) and the narrative."""
    return RealisationForm(formdata=None, prefix=f"r{row.indicator.id}",
                           value=row.adjusted, narrative=row.narrative)


def _render(skp: Skp, month: int, status: int = 200, *, block: str | None = None,
            focus: int | None = None, failed: dict | None = None, saved: int | None = None):
    """The month page, or one of its blocks for htmx. `failed` maps a form's key ("r<id>",
    "e<id>", "f<id>", "dialogue") to the submitted form, which keeps what was typed."""
    failed = failed or {}
    page = realisation.month_page(acting_user(), skp, month)
    rows = [row for group in page.groups for row in group.rows]

    def forms_for(keys, make, editable):
        # A failed form is kept even when the page is read-only, to show why it failed.
        return {key: failed.get(f"{prefix}{key}") or make(key) for prefix, key in keys
                if editable or f"{prefix}{key}" in failed}

    context = dict(
        page=page, skp=skp, saved=saved, confirm=ConfirmForm(),
        is_owner=access.owns(acting_user(), skp),
        forms=forms_for([("r", row.indicator.id) for row in rows],
                        lambda key: _row_form(next(r for r in rows if r.indicator.id == key)),
                        page.can_edit),
        evidence_forms=forms_for([("e", row.indicator.id) for row in rows],
                                 lambda key: EvidenceForm(formdata=None, prefix=f"e{key}"),
                                 page.can_edit),
        feedback_forms=forms_for([("f", group.rhk.id) for group in page.groups],
                                 lambda key: FeedbackForm(formdata=None, prefix=f"f{key}"),
                                 page.can_give_feedback),
        dialogue_form=failed.get("dialogue") or DialogueForm(formdata=None, prefix="d"),
        zone=skp.employee.unit.time_zone if skp.employee.unit else None,
    )
    if block == "indicator_row":
        context["row"] = next((row for row in rows if row.indicator.id == focus), None)
    elif block == "feedback":
        context["group"] = next((g for g in page.groups if g.rhk.id == focus), None)
    return render(TEMPLATE, block=block, **context), status


def _month_arg(month: int) -> int:
    if month not in pace.MONTHS:
        abort(404)
    return month


def _back(skp: Skp, month: int, anchor: str):
    return redirect(url_for("portal.realisation_month", skp_id=skp.id, bulan=month, _anchor=anchor))


@bp.route("/skp/<int:skp_id>/realisasi")
def realisation_month(skp_id: int):
    skp = get_or_404(Skp, skp_id)
    require(access.can_view_plan(acting_user(), skp))
    return _render(skp, request.args.get("bulan", type=int))


@bp.route("/indikator/<int:indicator_id>/realisasi/<int:month>", methods=["POST"])
def realisation_save(indicator_id: int, month: int):
    indicator = get_or_404(Indicator, indicator_id)
    skp = indicator.rhk.skp
    require(access.can_edit_realisation(acting_user(), skp))
    _month_arg(month)
    form = RealisationForm(prefix=f"r{indicator.id}")
    if form.validate_on_submit():
        try:
            realisation.save_realisation(acting_user(), indicator, month, value=form.value.data,
                                         narrative=form.narrative.data)
        except RuleViolation as problem:
            show_problem(form, problem)
        else:
            if is_htmx():
                return _render(skp, month, block="indicator_row", focus=indicator.id,
                               saved=indicator.id)
            flash(_("Realisasi tersimpan."), "success")
            return _back(skp, month, f"ind-{indicator.id}")
    return _render(skp, month, 400, block="indicator_row", focus=indicator.id,
                   failed={f"r{indicator.id}": form})


@bp.route("/indikator/<int:indicator_id>/realisasi/<int:month>/bukti", methods=["POST"])
def realisation_evidence_upload(indicator_id: int, month: int):
    indicator = get_or_404(Indicator, indicator_id)
    skp = indicator.rhk.skp
    require(access.can_edit_realisation(acting_user(), skp))
    _month_arg(month)
    form = EvidenceForm(prefix=f"e{indicator.id}")
    if form.validate_on_submit():
        try:
            realisation.attach_evidence(acting_user(), indicator, month, form.file.data.stream,
                                        form.file.data.filename)
        except RuleViolation as problem:
            show_problem(form, problem)
        else:
            if is_htmx():
                return _render(skp, month, block="indicator_row", focus=indicator.id)
            flash(_("Bukti dukung tersimpan."), "success")
            return _back(skp, month, f"ind-{indicator.id}")
    return _render(skp, month, 400, block="indicator_row", focus=indicator.id,
                   failed={f"e{indicator.id}": form})


@bp.route("/realisasi/bukti/<int:evidence_id>/hapus", methods=["POST"])
def realisation_evidence_remove(evidence_id: int):
    evidence = get_or_404(Evidence, evidence_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:  # the service checks that the file is the actor's own (else 403)
        entry = realisation.remove_evidence(acting_user(), evidence)
    except RuleViolation as problem:
        abort(400, description=str(problem.message))
    skp = entry.indicator.rhk.skp
    if is_htmx():
        return _render(skp, entry.month, block="indicator_row", focus=entry.indicator_id)
    flash(_("Bukti dukung dihapus."), "success")
    return _back(skp, entry.month, f"ind-{entry.indicator_id}")


@bp.route("/rhk/<int:rhk_id>/umpan-balik/<int:month>", methods=["POST"])
def feedback_add(rhk_id: int, month: int):
    rhk = get_or_404(Rhk, rhk_id)
    skp = rhk.skp
    require(access.can_give_feedback(acting_user(), skp.employee))
    _month_arg(month)
    form = FeedbackForm(prefix=f"f{rhk.id}")
    if form.validate_on_submit():
        try:
            dialogue.add_feedback(acting_user(), rhk, month, form.text.data)
        except RuleViolation as problem:
            show_problem(form, problem)
        else:
            if is_htmx():
                return _render(skp, month, block="feedback", focus=rhk.id)
            flash(_("Umpan balik tersimpan."), "success")
            return _back(skp, month, f"feedback-{rhk.id}")
    return _render(skp, month, 400, block="feedback", focus=rhk.id, failed={f"f{rhk.id}": form})


@bp.route("/skp/<int:skp_id>/dialog", methods=["POST"])
def dialogue_add(skp_id: int):
    skp = get_or_404(Skp, skp_id)
    require(access.can_record_dialogue(acting_user(), skp.employee))
    month = request.args.get("bulan", type=int)
    form = DialogueForm(prefix="d")
    if form.validate_on_submit():
        try:
            dialogue.add_dialogue(acting_user(), skp, held_on=form.held_on.data,
                                  notes=form.notes.data, follow_up=form.follow_up.data)
        except RuleViolation as problem:
            show_problem(form, problem)
        else:
            if is_htmx():
                return _render(skp, month, block="dialogues")
            flash(_("Dialog kinerja tercatat."), "success")
            return _back(skp, month, "dialogues")
    return _render(skp, month, 400, block="dialogues", failed={"dialogue": form})

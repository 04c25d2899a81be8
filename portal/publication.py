"""Publication of IKM results (HR: publish a unit and period, withdraw with a reason, approve
follow-up plans) and the rencana tindak lanjut of a published result (its head or HR writes the
rows; the realisation is recorded on the same page once approved)."""
from datetime import date

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import lazy_gettext as _l
from wtforms import DateField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from kinerja.core import calendar
from kinerja.core.errors import RuleViolation
from kinerja.extensions import db
from kinerja.organisation import access
from kinerja.organisation.models import Unit
from kinerja.publication import follow_up, publication
from kinerja.publication.models import ActionStatus, FollowUpAction, FollowUpPlan, IkmPublication
from portal import bp
from portal.forms import ConfirmForm, optional_int
from portal.guards import acting_user, get_or_404, require
from web import charts
from web.forms import Form, options, show_problem

LIST_TEMPLATE = "portal/publication/list.html"
PLAN_TEMPLATE = "portal/publication/plan.html"


class PublishForm(Form):
    unit = SelectField(_l("Unit"), coerce=optional_int, validators=[DataRequired()])
    start = DateField(_l("Dari tanggal"), validators=[DataRequired()])
    end = DateField(_l("Sampai tanggal"), validators=[DataRequired()])
    label = StringField(_l("Nama periode"), validators=[
        DataRequired(), Length(max=publication.MAX_LABEL)])


class ReasonForm(Form):
    reason = StringField(_l("Alasan"), validators=[Optional(), Length(max=publication.MAX_REASON)])


class NoteForm(Form):
    note = TextAreaField(_l("Catatan (tidak wajib)"), validators=[
        Optional(), Length(max=follow_up.MAX_NOTE)])


class ActionForm(Form):
    """One row of the rencana tindak lanjut."""
    element = SelectField(_l("Unsur yang diperbaiki"), validators=[DataRequired()])
    programme = TextAreaField(_l("Program / kegiatan"), validators=[
        DataRequired(), Length(max=follow_up.MAX_PROGRAMME)])
    starts_on = DateField(_l("Mulai"), validators=[Optional()])
    due_on = DateField(_l("Target selesai"), validators=[DataRequired()])
    responsible = StringField(_l("Penanggung jawab"), validators=[
        DataRequired(), Length(max=follow_up.MAX_RESPONSIBLE)])


class ProgressForm(Form):
    status = SelectField(_l("Status"), choices=options((s.value, s.label) for s in ActionStatus))
    realisation = TextAreaField(_l("Realisasi"), validators=[
        Optional(), Length(max=follow_up.MAX_REALISATION)])


def _list_page(form: PublishForm, status: int = 200):
    today = calendar.today_in()
    return render_template(
        LIST_TEMPLATE, form=form, publications=publication.publications_for_hr(),
        pending=follow_up.pending_plans(), choices=publication.period_choices(today)[:9],
        confirm=ConfirmForm(), reason_form=ReasonForm(formdata=None)), status


def _publish_form(formdata=None) -> PublishForm:
    form = PublishForm(formdata=formdata)
    form.unit.choices = options([(None, "—")] + [(u.id, u.name) for u in publication.publishable_units()])
    return form


@bp.route("/publikasi-ikm")
def publication_list():
    require(access.manages_publication(acting_user()))
    form = _publish_form()
    # A period picked from the suggestions arrives in the query string.
    args = request.args
    try:
        form.start.data = date.fromisoformat(args["dari"]) if args.get("dari") else None
        form.end.data = date.fromisoformat(args["sampai"]) if args.get("sampai") else None
    except ValueError:
        form.start.data = form.end.data = None
    form.label.data = (args.get("nama") or "")[:publication.MAX_LABEL]
    if form.start.data is None:
        latest = publication.period_choices(calendar.today_in())
        if latest:
            form.start.data, form.end.data, form.label.data = latest[0].start, latest[0].end, latest[0].label
    return _list_page(form)


@bp.route("/publikasi-ikm", methods=["POST"])
def publication_create():
    actor = acting_user()
    require(access.manages_publication(actor))
    form = _publish_form(request.form)
    if form.validate_on_submit():
        unit = db.session.get(Unit, form.unit.data) if form.unit.data else None
        try:
            done = publication.publish(actor, unit, form.start.data, form.end.data, form.label.data)
        except RuleViolation as problem:
            show_problem(form, problem)
        else:
            flash(_l("IKM %(unit)s %(label)s diumumkan.", unit=done.unit.name, label=done.label),
                  "success")
            return redirect(url_for("portal.publication_list"))
    return _list_page(form, 400)


@bp.route("/publikasi-ikm/<int:publication_id>/tarik", methods=["POST"])
def publication_withdraw(publication_id: int):
    actor = acting_user()
    require(access.manages_publication(actor))
    found = get_or_404(IkmPublication, publication_id)
    form = ReasonForm()
    if form.validate_on_submit():
        try:
            publication.withdraw(actor, found, form.reason.data)
        except RuleViolation as problem:
            flash(problem.message, "error")
            return _list_page(_publish_form(), 400)
        flash(_l("Publikasi ditarik dari halaman publik."), "success")
        return redirect(url_for("portal.publication_list"))
    flash(_l("Alasan paling panjang %(n)s karakter.", n=publication.MAX_REASON), "error")
    return _list_page(_publish_form(), 400)


@bp.route("/publikasi-ikm/tindak-lanjut/<int:plan_id>/putuskan", methods=["POST"])
def follow_up_decide(plan_id: int):
    actor = acting_user()
    require(access.manages_publication(actor))
    plan = get_or_404(FollowUpPlan, plan_id)
    form = ReasonForm()
    approve = request.form.get("keputusan") == "setujui"
    from_plan = request.form.get("kembali") == "rencana"

    def refused(message):
        flash(message, "error")
        return (_plan_page(plan.publication, status=400) if from_plan
                else _list_page(_publish_form(), 400))

    if not form.validate_on_submit():
        return refused(_l("Alasan paling panjang %(n)s karakter.", n=follow_up.MAX_REASON))
    try:
        follow_up.decide(actor, plan, approve, form.reason.data)
    except RuleViolation as problem:
        db.session.rollback()
        return refused(problem.message)
    flash(_l("Rencana tindak lanjut disetujui dan tampil di halaman publik.") if approve
          else _l("Rencana tindak lanjut dikembalikan untuk diperbaiki."), "success")
    return redirect(url_for("portal.follow_up_edit", publication_id=plan.publication_id)
                    if from_plan else url_for("portal.publication_list"))


# ---------------------------------------------------------------- the rencana tindak lanjut


@bp.route("/tindak-lanjut-ikm")
def follow_up_list():
    actor = acting_user()
    require(access.writes_follow_ups(actor))
    return render_template("portal/publication/follow_ups.html",
                           publications=follow_up.follow_up_publications(actor))


def _action_form(formdata=None, **data) -> ActionForm:
    form = ActionForm(formdata=formdata, **data)
    form.element.choices = options([("", "—"), *follow_up.element_choices()])
    return form


def _action_input(form: ActionForm) -> follow_up.ActionInput:
    return follow_up.ActionInput(form.element.data or None, form.programme.data,
                                 form.starts_on.data, form.due_on.data, form.responsible.data)


def _plan_page(found: IkmPublication, form: ActionForm | None = None,
               note_form: NoteForm | None = None, status: int = 200):
    figures = publication.compute(found)
    plan = found.plan
    if note_form is None:
        note_form = NoteForm(formdata=None, note=plan.note if plan else "")
    return render_template(
        PLAN_TEMPLATE, publication=found, plan=plan, figures=figures,
        chart=charts.nrr_chart(figures.nrr_rows), form=form or _action_form(formdata=None),
        note_form=note_form, confirm=ConfirmForm(), reason_form=ReasonForm(formdata=None),
        progress_form=ProgressForm(formdata=None), action_statuses=list(ActionStatus),
        row_forms={a.id: _action_form(formdata=None, prefix=f"baris-{a.id}", obj=a)
                   for a in (plan.actions if plan else [])},
        element_names=follow_up.element_names(),
        is_hr=access.manages_publication(acting_user())), status


def _plan_publication(publication_id: int) -> IkmPublication:
    found = get_or_404(IkmPublication, publication_id)
    require(access.can_write_follow_up(acting_user(), found.unit))
    return found


@bp.route("/tindak-lanjut-ikm/<int:publication_id>", methods=["GET", "POST"])
def follow_up_edit(publication_id: int):
    """The plan's page; a POST saves its note ("catatan") or submits it to HR ("ajukan")."""
    actor = acting_user()
    found = _plan_publication(publication_id)
    if request.method == "GET":
        return _plan_page(found)
    note_form = NoteForm()
    if not note_form.validate_on_submit():
        return _plan_page(found, note_form=note_form, status=400)
    submitting = request.form.get("aksi") == "ajukan"
    try:
        follow_up.save_note(actor, found, note_form.note.data)
        if submitting:
            follow_up.submit(actor, found)
    except RuleViolation as problem:
        show_problem(note_form, problem)
        return _plan_page(found, note_form=note_form, status=400)
    flash(_l("Rencana tindak lanjut diajukan ke SDM.") if submitting else _l("Draf tersimpan."),
          "success")
    return redirect(url_for("portal.follow_up_edit", publication_id=found.id))


@bp.route("/tindak-lanjut-ikm/<int:publication_id>/baris", methods=["POST"])
def follow_up_row_add(publication_id: int):
    actor = acting_user()
    found = _plan_publication(publication_id)
    form = _action_form(request.form)
    if form.validate_on_submit():
        try:
            follow_up.add_action(actor, found, _action_input(form))
        except RuleViolation as problem:
            show_problem(form, problem)
        else:
            flash(_l("Baris rencana ditambahkan."), "success")
            return redirect(url_for("portal.follow_up_edit", publication_id=found.id))
    return _plan_page(found, form=form, status=400)


def _row(found: IkmPublication, action_id: int) -> FollowUpAction:
    action = get_or_404(FollowUpAction, action_id)
    if found.plan is None or action.plan_id != found.plan.id:
        abort(404)
    return action


@bp.route("/tindak-lanjut-ikm/<int:publication_id>/baris/<int:action_id>", methods=["POST"])
def follow_up_row_edit(publication_id: int, action_id: int):
    actor = acting_user()
    found = _plan_publication(publication_id)
    action = _row(found, action_id)
    form = _action_form(request.form, prefix=f"baris-{action.id}")
    if form.validate_on_submit():
        try:
            follow_up.edit_action(actor, found, action, _action_input(form))
        except RuleViolation as problem:
            flash(problem.message, "error")
        else:
            flash(_l("Baris rencana diubah."), "success")
            return redirect(url_for("portal.follow_up_edit", publication_id=found.id))
    else:
        flash(_l("Periksa kembali isian baris rencana."), "error")
    db.session.rollback()
    return _plan_page(found, status=400)


@bp.route("/tindak-lanjut-ikm/<int:publication_id>/baris/<int:action_id>/hapus", methods=["POST"])
def follow_up_row_remove(publication_id: int, action_id: int):
    actor = acting_user()
    found = _plan_publication(publication_id)
    action = _row(found, action_id)
    if ConfirmForm().validate_on_submit():
        try:
            follow_up.remove_action(actor, found, action)
        except RuleViolation as problem:
            flash(problem.message, "error")
            return _plan_page(found, status=400)
        flash(_l("Baris rencana dihapus."), "success")
    return redirect(url_for("portal.follow_up_edit", publication_id=found.id))


@bp.route("/tindak-lanjut-ikm/<int:publication_id>/baris/<int:action_id>/realisasi",
          methods=["POST"])
def follow_up_row_progress(publication_id: int, action_id: int):
    actor = acting_user()
    found = _plan_publication(publication_id)
    action = _row(found, action_id)
    form = ProgressForm()
    if form.validate_on_submit():
        try:
            follow_up.record_progress(actor, action, form.status.data, form.realisation.data)
        except RuleViolation as problem:
            flash(problem.message, "error")
            return _plan_page(found, status=400)
        flash(_l("Realisasi tersimpan."), "success")
        return redirect(url_for("portal.follow_up_edit", publication_id=found.id))
    flash(_l("Realisasi paling panjang %(n)s karakter.", n=follow_up.MAX_REALISATION), "error")
    return _plan_page(found, status=400)

"""Daily activity reports (laporan harian): the employee's week and entry form, editing,
evidence upload and download, and the direct supervisor's verify / return / comment."""
from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_wtf.file import MultipleFileField
from wtforms import DateField, IntegerField, SelectField, StringField, TextAreaField, TimeField
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from kinerja.core import dates
from kinerja.core.errors import RuleViolation
from kinerja.organisation import access
from kinerja.performance import activities
from kinerja.performance import evidence as evidence_files
from kinerja.performance.models import Activity, Evidence
from portal import bp
from portal.forms import ConfirmForm, optional_int
from portal.guards import acting_user, get_or_404, require
from web.files import send_upload
from web.forms import Form, NumberField, parse_date, show_problem
from web.rendering import is_htmx, render

WEEK_TEMPLATE = "portal/activities/week.html"
EDIT_TEMPLATE = "portal/activities/edit.html"


class ActivityForm(Form):
    # Field rules only; the service checks the day, the RHK, the times and the totals.
    description = StringField(_l("Uraian kegiatan"),
                              validators=[DataRequired(), Length(max=activities.MAX_DESCRIPTION)])
    rhk_id = SelectField(_l("RHK"), coerce=optional_int, validate_choice=False, choices=[])
    indicator_id = SelectField(_l("Indikator"), coerce=optional_int, validate_choice=False,
                               choices=[])
    day = DateField(_l("Tanggal"), validators=[DataRequired()])
    start_time = TimeField(_l("Mulai"), validators=[Optional()])
    end_time = TimeField(_l("Selesai"), validators=[Optional()])
    minutes = IntegerField(_l("Durasi (menit)"), validators=[Optional(), NumberRange(min=1)])
    quantity = NumberField(_l("Output"), validators=[Optional(), Length(max=20)])
    # Only the quick entry offers it (the edit page has its own upload form); the service
    # checks size and type.
    files = MultipleFileField(_l("Bukti dukung (opsional)"))

    def values(self) -> dict:
        return {"day": self.day.data, "description": self.description.data,
                "rhk_id": self.rhk_id.data, "indicator_id": self.indicator_id.data,
                "start_time": self.start_time.data, "end_time": self.end_time.data,
                "minutes": self.minutes.data, "quantity": self.quantity.data}


class ReviewForm(Form):
    comment = TextAreaField(_l("Komentar"), validators=[Optional(), Length(max=activities.MAX_COMMENT)])


def _fresh_form(kept: Activity | None, day) -> ActivityForm:
    """An empty entry form, keeping the day and RHK just used: the next activity of a busy
    day is usually for the same date and often for the same result."""
    form = ActivityForm(formdata=None)
    form.day.data = day
    if kept is not None:
        form.rhk_id.data, form.indicator_id.data = kept.rhk_id, kept.indicator_id
    return form


# ---------------------------------------------------------------- the week


def _entry_response(user, form: ActivityForm, shown, *, changed=None, note=None, status=200):
    """The entry block for htmx: the form, plus the changed day swapped in out of band when
    it is in the week on show (else the note links to its week)."""
    week = activities.week_of(user.employee, shown)
    refreshed = [week.day(changed)] if changed and week.day(changed) else []
    return render(WEEK_TEMPLATE, block="entry", week=week, form=form, refreshed=refreshed,
                  note=note, note_day=changed, is_editable=lambda a: activities.is_editable(user, a),
                  entry_plan=activities.plan_of(user.employee, form.day.data),
                  **_upload_context()), status


@bp.route("/harian", methods=["GET", "POST"])
def activity_week():
    user = acting_user()
    shown = parse_date(request.values.get("minggu"))
    form = ActivityForm()
    status = 400
    if request.method == "POST":
        if form.validate_on_submit():
            files = [(file.stream, file.filename) for file in form.files.data or []]
            try:
                saved = activities.report(user, **form.values(), files=files)
            except RuleViolation as problem:
                show_problem(form, problem)
                if isinstance(problem, evidence_files.FileTooLarge):
                    status = 413
            else:
                if not is_htmx():
                    flash(_saved_message(saved), "success")
                    return redirect(url_for("portal.activity_week", minggu=saved.day.isoformat()))
                note = _("Kegiatan tersimpan untuk %(day)s.",
                         day=dates.format_day(saved.day, activities.DAY_STYLE))
                if saved.evidence:
                    note += " " + _evidence_count(len(saved.evidence))
                return _entry_response(user, _fresh_form(saved, saved.day), shown,
                                       changed=saved.day, note=note)
        if is_htmx():
            return _entry_response(user, form, shown, status=status)
    week = activities.week_of(user.employee, shown)
    if request.method == "GET":
        form.day.data = week.today
        status = 200
    return render_template(WEEK_TEMPLATE, week=week, form=form, refreshed=[], note=None,
                           note_day=None, is_editable=lambda a: activities.is_editable(user, a),
                           entry_plan=activities.plan_of(user.employee, form.day.data),
                           **_upload_context()), status


def _upload_context() -> dict:
    return {"max_size": evidence_files.size_label(current_app.config["EVIDENCE_MAX_BYTES"]),
            "max_bytes": current_app.config["EVIDENCE_MAX_BYTES"]}


def _evidence_count(n: int) -> str:
    return ngettext("%(num)s berkas bukti tersimpan.", "%(num)s berkas bukti tersimpan.", n)


def _saved_message(saved: Activity) -> str:
    message = _("Kegiatan tersimpan.")
    return message + " " + _evidence_count(len(saved.evidence)) if saved.evidence else message


@bp.route("/harian/indikator")
def activity_indicators():
    """htmx: the indicator options of the RHK just chosen in the entry form."""
    options = activities.indicator_options(acting_user(), request.args.get("rhk_id", type=int))
    return render_template("portal/activities/_indicator_options.html", indicators=options,
                           selected=None)


@bp.route("/harian/rhk")
def activity_rhk_fields():
    """htmx: the RHK and indicator lists of the plan of the day just chosen in an activity
    form (after a transfer a day before the move offers the closed plan's RHK); what was
    chosen stays when the day's plan has it."""
    plan = activities.plan_of(acting_user().employee, parse_date(request.args.get("day")))
    form = ActivityForm(formdata=None)
    rhk = plan.rhk(request.args.get("rhk_id", type=int))
    if rhk is not None:
        form.rhk_id.data = rhk.id
        wanted = request.args.get("indicator_id", type=int)
        form.indicator_id.data = wanted if any(i.id == wanted for i in rhk.indicators) else None
    return render_template("portal/activities/_rhk_fields.html", form=form, plan=plan)


@bp.route("/harian/salin", methods=["POST"])
def activity_copy_previous():
    """Copy the previous working day's activities to the day in the form (today by default)."""
    user = acting_user()
    shown = parse_date(request.form.get("minggu"))
    day = parse_date(request.form.get("day"))
    try:
        source, copies = activities.copy_previous_day(user, day)
    except RuleViolation as problem:
        if is_htmx():
            form = ActivityForm()  # what was typed stays, with only the copy's problem shown
            show_problem(form, problem)
            return _entry_response(user, form, shown, status=400)
        flash(problem.message, "error")
        back_to = day or shown
        return redirect(url_for("portal.activity_week",
                                minggu=back_to.isoformat() if back_to else None))
    target = copies[0].day
    message = _("%(n)s kegiatan disalin dari %(day)s.", n=len(copies),
                day=dates.format_day(source, activities.DAY_STYLE))
    if not is_htmx():
        flash(message, "success")
        return redirect(url_for("portal.activity_week", minggu=target.isoformat()))
    # Whatever was typed in the form stays: copying does not use it.
    return _entry_response(user, ActivityForm(), shown, changed=target, note=message)


# ---------------------------------------------------------------- one activity


def _own_activity(activity_id: int) -> Activity:
    activity = get_or_404(Activity, activity_id)
    require(access.owns(acting_user(), activity))
    return activity


def _edit_page(activity: Activity, form: ActivityForm, *, upload_error=None, status=200):
    user = acting_user()
    return render_template(EDIT_TEMPLATE, activity=activity, form=form,
                           plan=activities.plan_for(activity),
                           editable=activities.is_editable(user, activity),
                           upload_error=upload_error, confirm=ConfirmForm(),
                           max_size=evidence_files.size_label(
                               current_app.config["EVIDENCE_MAX_BYTES"])), status


@bp.route("/harian/<int:activity_id>/ubah", methods=["GET", "POST"])
def activity_edit(activity_id: int):
    activity = _own_activity(activity_id)
    form = ActivityForm(obj=activity)
    if form.validate_on_submit():
        try:
            activities.update(acting_user(), activity, **form.values())
        except RuleViolation as problem:
            show_problem(form, problem)
        else:
            flash(_("Perubahan kegiatan tersimpan."), "success")
            return redirect(url_for("portal.activity_week", minggu=activity.day.isoformat()))
    status = 400 if form.is_submitted() else 200
    return _edit_page(activity, form, status=status)


@bp.route("/harian/<int:activity_id>/bukti", methods=["POST"])
def activity_evidence_upload(activity_id: int):
    activity = _own_activity(activity_id)
    files = [(file.stream, file.filename) for file in request.files.getlist("files")]
    try:
        stored = activities.attach_evidence(acting_user(), activity, files)
    except RuleViolation as problem:
        status = 413 if isinstance(problem, evidence_files.FileTooLarge) else 400
        return _edit_page(activity, ActivityForm(obj=activity), upload_error=problem.message,
                          status=status)
    flash(ngettext("%(num)s berkas bukti tersimpan.", "%(num)s berkas bukti tersimpan.",
                   len(stored)), "success")
    return redirect(url_for("portal.activity_edit", activity_id=activity.id, _anchor="bukti"))


@bp.route("/bukti/<int:evidence_id>")
def evidence_download(evidence_id: int):
    """An evidence file, of an activity or of a realisation, for whoever may see its owner's
    performance. Sent as an attachment in a sandbox, never rendered as a page of ours."""
    file = get_or_404(Evidence, evidence_id)
    require(access.can_view_evidence(acting_user(), file))
    return send_upload(evidence_files.path_of(file), file.media_type,
                       download_name=evidence_files.download_name(file))


# ---------------------------------------------------------------- the supervisor's review


def _review(activity_id: int, action, done_message: str):
    activity = get_or_404(Activity, activity_id)
    user = acting_user()
    require(access.can_review_activities_of(user, activity.employee))
    form = ReviewForm()
    error, failed_action, status = None, None, 200
    try:
        action(user, activity, form.comment.data)
    except RuleViolation as problem:
        error, status = problem.message, 400
        # A missing comment shows under its own box; anything else above the buttons.
        failed_action = request.endpoint if problem.field == "comment" else None
    if is_htmx():
        return render_template("portal/team/item.html", activity=activity, error=error,
                               failed_action=failed_action,
                               typed=form.comment.data or "", review_form=ReviewForm(formdata=None),
                               can_review=lambda employee: access.can_review_activities_of(
                                   user, employee),
                               can_pick=lambda a: activities.can_verify_in_bulk(user, a)), status
    flash(error or done_message, "error" if error else "success")
    return redirect(url_for("portal.team_feed") + f"#activity-{activity.id}")


@bp.route("/harian/<int:activity_id>/verifikasi", methods=["POST"])
def activity_verify(activity_id: int):
    return _review(activity_id, lambda user, activity, _comment: activities.verify(user, activity),
                   _("Kegiatan diverifikasi."))


@bp.route("/harian/<int:activity_id>/kembalikan", methods=["POST"])
def activity_return(activity_id: int):
    return _review(activity_id, activities.return_, _("Kegiatan dikembalikan untuk diperbaiki."))


@bp.route("/harian/<int:activity_id>/komentar", methods=["POST"])
def activity_comment(activity_id: int):
    return _review(activity_id, activities.comment, _("Komentar tersimpan."))


# ---------------------------------------------------------------- removing
# Destructive routes come last: the authorisation test walks the routes in the order they were
# registered, and the objects it uses must still exist for the routes after these.


@bp.route("/bukti/<int:evidence_id>/hapus", methods=["POST"])
def evidence_remove(evidence_id: int):
    file = get_or_404(Evidence, evidence_id)
    if file.activity is None:
        abort(404)  # a realisation's evidence is removed from the realisation page
    activity = file.activity
    require(access.owns(acting_user(), activity))
    try:
        activities.remove_evidence(acting_user(), file)
    except RuleViolation as problem:
        flash(problem.message, "error")
    else:
        flash(_("Berkas bukti dihapus."), "success")
    return redirect(url_for("portal.activity_edit", activity_id=activity.id, _anchor="bukti"))


@bp.route("/harian/<int:activity_id>/hapus", methods=["POST"])
def activity_delete(activity_id: int):
    activity = _own_activity(activity_id)
    day = activity.day
    try:
        activities.delete(acting_user(), activity)
    except RuleViolation as problem:
        flash(problem.message, "error")
        return redirect(url_for("portal.activity_edit", activity_id=activity.id))
    flash(_("Kegiatan dihapus."), "success")
    return redirect(url_for("portal.activity_week", minggu=day.isoformat()))

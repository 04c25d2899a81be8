"""Development after a low predikat: the training catalogue (HR), an evaluation's development
plan with suggested trainings, recording a training as done (with its certificate), and the
HR report of training needs (page and Excel)."""
from flask import Response, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from werkzeug.routing import BuildError
from wtforms import (
    BooleanField,
    DateField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, NumberRange, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from kinerja.appraisal import development
from kinerja.appraisal.models import Evaluation, TrainingCourse, TrainingRecord, TrainingStatus
from kinerja.appraisal.predikat import Behaviour
from kinerja.core.errors import RuleViolation
from kinerja.organisation import access
from kinerja.performance import evidence as evidence_files
from portal import bp
from portal.guards import acting_user, get_or_404, require
from web import workbooks
from web.files import send_upload
from web.forms import Form, options, show_problem

CATALOGUE_TEMPLATE = "portal/development/catalogue.html"
COURSE_TEMPLATE = "portal/development/course_form.html"
PLAN_TEMPLATE = "portal/development/plan.html"
NEEDS_TEMPLATE = "portal/development/needs.html"


class CourseForm(Form):
    # Field rules only; the service checks duplicates and what the course is for.
    title = StringField(_l("Judul pelatihan"),
                        validators=[DataRequired(), Length(max=development.MAX_TITLE)])
    topic = StringField(_l("Topik"), validators=[DataRequired(), Length(max=development.MAX_TOPIC)])
    provider = StringField(_l("Penyelenggara"),
                           validators=[Optional(), Length(max=development.MAX_PROVIDER)])
    hours = IntegerField(_l("Jam pelajaran (JP)"), default=8, validators=[
        DataRequired(), NumberRange(1, development.MAX_COURSE_HOURS)])
    description = TextAreaField(_l("Uraian"),
                                validators=[Optional(), Length(max=development.MAX_TEXT)])
    behaviours = SelectMultipleField(_l("Nilai BerAKHLAK yang dikuatkan"),
                                     choices=options((b.value, b.label) for b in Behaviour),
                                     widget=ListWidget(prefix_label=False),
                                     option_widget=CheckboxInput())
    for_results = BooleanField(_l("Untuk memperbaiki hasil kerja"))
    active = BooleanField(_l("Aktif (dapat dipilih dalam rencana)"), default=True)


class PlanForm(Form):
    goals = TextAreaField(_l("Sasaran pengembangan"),
                          validators=[Optional(), Length(max=development.MAX_TEXT)])
    # The options are checked by the service against the active catalogue.
    course_ids = SelectMultipleField(_l("Pelatihan"), coerce=int, validate_choice=False)
    planned_for = DateField(_l("Rencana pelaksanaan (opsional)"), validators=[Optional()])


class RecordForm(Form):
    # The employee's form shows only the completion fields; status and date are the planner's.
    status = SelectField(_l("Status"), choices=options((s.value, s.label) for s in TrainingStatus),
                         default=TrainingStatus.DONE.value)
    planned_for = DateField(_l("Rencana pelaksanaan"), validators=[Optional()])
    completed_on = DateField(_l("Tanggal selesai"), validators=[Optional()])
    hours = IntegerField(_l("Jam pelajaran (JP)"), validators=[
        Optional(), NumberRange(1, development.MAX_RECORD_HOURS)])
    certificate_number = StringField(_l("Nomor sertifikat"), validators=[
        Optional(), Length(max=development.MAX_CERTIFICATE_NUMBER)])
    certificate = FileField(_l("Berkas sertifikat (opsional)"))
    note = TextAreaField(_l("Catatan"), validators=[Optional(), Length(max=development.MAX_TEXT)])


# ---------------------------------------------------------------- the catalogue (HR)


@bp.route("/pelatihan")
def course_list():
    require(access.manages_appraisal_settings(acting_user()))
    return render_template(CATALOGUE_TEMPLATE, courses=development.catalogue())


def _save_course(course: TrainingCourse | None):
    user = acting_user()
    require(access.manages_appraisal_settings(user))
    form = CourseForm(obj=course)
    if form.validate_on_submit():
        try:
            saved = development.save_course(
                user, course, title=form.title.data, topic=form.topic.data,
                description=form.description.data, provider=form.provider.data,
                hours=form.hours.data, behaviours=form.behaviours.data,
                for_results=form.for_results.data, active=form.active.data)
        except RuleViolation as problem:
            show_problem(form, problem)
        else:
            flash(_("Pelatihan %(title)s tersimpan.", title=saved.title), "success")
            return redirect(url_for("portal.course_list"))
    status = 400 if form.is_submitted() else 200
    return render_template(COURSE_TEMPLATE, form=form, course=course), status


@bp.route("/pelatihan/baru", methods=["GET", "POST"])
def course_create():
    return _save_course(None)


@bp.route("/pelatihan/<int:course_id>/ubah", methods=["GET", "POST"])
def course_edit(course_id: int):
    return _save_course(get_or_404(TrainingCourse, course_id))


# ---------------------------------------------------------------- a development plan


def _evaluation_url(evaluation_id: int) -> str | None:
    # The evaluation page belongs to the appraisal area; link to it once it exists.
    try:
        return url_for("portal.evaluation_detail", evaluation_id=evaluation_id)
    except BuildError:
        return None


def _record_form(record: TrainingRecord, formdata=None) -> RecordForm:
    form = RecordForm(formdata=formdata, prefix=f"r{record.id}")
    if formdata is None:
        form.status.data = record.status.value
        form.planned_for.data = record.planned_for
        form.completed_on.data = record.completed_on
        form.hours.data = record.hours or record.course.hours
        form.certificate_number.data = record.certificate_number
        form.note.data = record.note
    return form


def _plan_response(evaluation: Evaluation, form: PlanForm, *, status: int = 200,
                   failed: RecordForm | None = None, failed_id: int | None = None):
    page = development.plan_page(acting_user(), evaluation)
    record_forms = {record.id: (failed if record.id == failed_id and failed is not None
                                else _record_form(record))
                    for record in page.records if record.id in page.recordable}
    return render_template(
        PLAN_TEMPLATE, page=page, form=form, record_forms=record_forms, failed_id=failed_id,
        evaluation_url=_evaluation_url(evaluation.id),
        max_size=evidence_files.size_label(_max_bytes()),
        allowed_types=evidence_files.ALLOWED_DESCRIPTION), status


def _max_bytes() -> int:
    return current_app.config["EVIDENCE_MAX_BYTES"]


@bp.route("/penilaian/<int:evaluation_id>/pengembangan", methods=["GET", "POST"])
def development_plan(evaluation_id: int):
    evaluation = get_or_404(Evaluation, evaluation_id)
    user = acting_user()
    require(access.can_view_evaluation(user, evaluation))
    if request.method == "GET":
        form = PlanForm(formdata=None)
        plan = development.plan_for_evaluation(evaluation)
        if plan is not None:
            form.goals.data = plan.goals
        return _plan_response(evaluation, form)
    require(access.can_plan_development(user, evaluation))
    problem = development.plannability_problem(evaluation)
    if problem:
        abort(400, description=problem)
    form = PlanForm()
    if form.validate_on_submit():
        try:
            development.save_plan(
                user, evaluation, goals=form.goals.data, course_ids=form.course_ids.data or [],
                planned_for=form.planned_for.data)
        except RuleViolation as failure:
            show_problem(form, failure)
        else:
            flash(_("Rencana pengembangan tersimpan."), "success")
            return redirect(url_for("portal.development_plan", evaluation_id=evaluation.id))
    return _plan_response(evaluation, form, status=400)


@bp.route("/pengembangan/pelatihan/<int:record_id>", methods=["POST"])
def training_record_update(record_id: int):
    record = get_or_404(TrainingRecord, record_id)
    user = acting_user()
    require(access.can_record_training(user, record))
    form = RecordForm(prefix=f"r{record.id}")
    planner = access.can_replan_training(user, record)
    status = 400
    if form.validate_on_submit():
        upload = form.certificate.data
        certificate = ((upload.stream, upload.filename)
                       if upload is not None and getattr(upload, "filename", "") else None)
        try:
            development.update_record(
                user, record,
                status=form.status.data if planner else TrainingStatus.DONE,
                planned_for=form.planned_for.data if planner else record.planned_for,
                completed_on=form.completed_on.data, hours=form.hours.data,
                certificate_number=form.certificate_number.data, note=form.note.data,
                certificate=certificate)
        except RuleViolation as problem:
            if isinstance(problem, evidence_files.FileTooLarge):
                status = 413
            show_problem(form, problem)
        else:
            flash(_("Pelatihan %(title)s tercatat.", title=record.course.title), "success")
            return redirect(url_for("portal.development_plan",
                                    evaluation_id=record.plan.evaluation_id,
                                    _anchor=f"pelatihan-{record.id}")
                            if record.plan is not None else url_for("portal.dashboard"))
    if record.plan is None:
        messages = [m for errors in form.errors.values() for m in errors] + form.form_errors
        abort(400, description=" ".join(str(m) for m in messages))
    return _plan_response(record.plan.evaluation, PlanForm(formdata=None), status=status,
                          failed=form, failed_id=record.id)


@bp.route("/pengembangan/pelatihan/<int:record_id>/sertifikat")
def training_certificate(record_id: int):
    """The certificate file, for whoever may see the employee's performance; sent as an
    attachment in a sandbox, like evidence."""
    record = get_or_404(TrainingRecord, record_id)
    require(access.can_view_training(acting_user(), record))
    file = development.certificate_of(record)
    if file is None:
        abort(404)
    return send_upload(evidence_files.path_of(file), file.media_type,
                       download_name=evidence_files.download_name(file))


# ---------------------------------------------------------------- training needs (HR)


def _needs_report():
    user = acting_user()
    require(access.manages_appraisal_settings(user))
    try:
        period = development.period_from_arg(request.args.get("periode"))
        return development.training_needs(user, period)
    except RuleViolation as problem:
        abort(400, description=str(problem.message))


@bp.route("/pelatihan/kebutuhan")
def training_needs():
    report = _needs_report()
    return render_template(NEEDS_TEMPLATE, report=report, evaluation_url=_evaluation_url)


@bp.route("/pelatihan/kebutuhan.xlsx")
def training_needs_xlsx():
    report = _needs_report()
    year = report.period.year if report.period else "semua"
    return Response(
        workbooks.to_xlsx(development.needs_sheets(report)),
        mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        headers={"Content-Disposition": f'attachment; filename="kebutuhan-pelatihan-{year}.xlsx"'})

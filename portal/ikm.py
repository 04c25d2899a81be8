"""IKM reports (page, Excel, PDF, live wall screen) for HR and heads of unit; API tokens for
admins. The figures come from kinerja.feedback.ikm_report, which reads only rollups; the query
string is read by portal.ikm_query."""
from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import format_decimal
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import IntegerField, RadioField, SelectField, SelectMultipleField, StringField
from wtforms.validators import DataRequired, Length, NumberRange
from wtforms.widgets import CheckboxInput, ListWidget

from kinerja.core import calendar, jobs
from kinerja.core.errors import RuleViolation
from kinerja.core.types import utcnow
from kinerja.feedback import ikm, ikm_export, ikm_sheets, ikm_weights
from kinerja.feedback.ikm_live import live_for
from kinerja.feedback.ikm_report import DIMENSION_NAMES
from kinerja.integration import api_tokens
from kinerja.integration.models import ApiToken
from kinerja.organisation import access
from kinerja.publication import follow_up, publication
from portal import bp, ikm_query
from portal.forms import ConfirmForm
from portal.guards import acting_user, get_or_404, require
from portal.jobs import locale
from web import documents, workbooks
from web.background import render_outside_request
from web.forms import Form, options, show_problem
from web.rendering import render


@bp.app_template_filter("fixed")
def fixed(value, digits: int = 2) -> str:
    """A figure with exactly `digits` decimals in the reader's locale (IKM 80,50; NRR 3,2500)."""
    if value is None:
        return "—"
    return format_decimal(value, "#,##0." + "0" * digits)


def _report_page():
    user = acting_user()
    require(access.sees_ikm_reports(user))
    return ikm_query.report_page(user, request.args)


def _file_name(page, extension: str) -> str:
    scope = page.query.scope
    code = (scope.counter or scope.unit or scope.service)
    label = code.code if code is not None else "semua"
    return f"ikm-{label}-{page.report.start:%Y%m%d}-{page.report.end:%Y%m%d}.{extension}".lower()


@bp.route("/ikm")
def ikm_report():
    page = _report_page()
    return render_template("portal/ikm/report.html", page=page, report=page.report,
                           dimension_names=DIMENSION_NAMES, confirm=ConfirmForm(),
                           background_export=ikm_export.runs_in_background(page.query.start,
                                                                           page.query.end)), \
        400 if page.query.errors else 200


@bp.route("/ikm/ekspor", methods=["POST"])
def ikm_export_start():
    """An export over a long range, queued: the job's page follows it to the file."""
    user = acting_user()
    require(access.sees_ikm_reports(user))
    if not ConfirmForm().validate_on_submit():
        abort(400)
    query = ikm_query.query_from_args(user, request.args)
    if query.errors:
        abort(400, description=" ".join(query.errors.values()))
    try:
        job = ikm_export.start(user, query.args(), request.args.get("format", ""), locale())
    except RuleViolation as problem:
        abort(400, description=str(problem.message))
    return redirect(url_for("portal.job_detail", job_id=job.id))


# The background export draws its files with these (kinerja.feedback.ikm_export).
@jobs.presenter("ikm.xlsx")
def ikm_workbook(export: ikm_export.Export) -> bytes:
    return workbooks.to_xlsx(ikm_sheets.sheets(export.report))


@jobs.presenter("ikm.pdf")
def ikm_document(export: ikm_export.Export) -> bytes:
    html = render_outside_request("portal/ikm/report_pdf.html", page=export, report=export.report,
                                  dimension_names=DIMENSION_NAMES)
    return documents.to_pdf(html)


@bp.route("/ikm.xlsx")
def ikm_report_xlsx():
    page = _report_page()
    if page.query.errors:
        abort(400, description=" ".join(page.query.errors.values()))
    return Response(
        workbooks.to_xlsx(ikm_sheets.sheets(page.report)),
        mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        headers={"Content-Disposition": f'attachment; filename="{_file_name(page, "xlsx")}"'})


@bp.route("/ikm.pdf")
def ikm_report_pdf():
    page = _report_page()
    if page.query.errors:
        abort(400, description=" ".join(page.query.errors.values()))
    html = render_template("portal/ikm/report_pdf.html", page=page, report=page.report,
                           dimension_names=DIMENSION_NAMES, element_names=follow_up.element_names(),
                           plans=follow_up.approved_plans_of_unit(page.query.scope.unit,
                                                                  page.report.start, page.report.end))
    return Response(documents.to_pdf(html), mimetype="application/pdf",
                    headers={"Content-Disposition": f'inline; filename="{_file_name(page, "pdf")}"'})


@bp.route("/ikm/langsung")
def ikm_live():
    user = acting_user()
    require(access.sees_ikm_reports(user))
    try:
        live = live_for(user, request.args.get("unit", type=int))
    except RuleViolation as problem:
        abort(404, description=str(problem.message))
    return render("portal/ikm/live.html", block="live", live=live)


# ---------------------------------------------------------------- the weight per year (HR)


class WeightForm(Form):
    year = SelectField(_l("Tahun"), coerce=int)
    weight = RadioField(_l("Bobot tiap unsur"), choices=options(ikm_weights.LABELS.items()),
                        default=ikm.DEFAULT_WEIGHT)


@bp.route("/ikm/bobot", methods=["GET", "POST"])
def ikm_weights_page():
    user = acting_user()
    require(access.manages_ikm_weights(user))
    today = calendar.today_in(user.employee.time_zone)
    years = ikm_weights.conventions(today)
    form = WeightForm()
    form.year.choices = options((y.year, str(y.year)) for y in years)
    if request.method == "GET":
        form.year.data = today.year
        form.weight.data = next(y.convention for y in years if y.year == today.year)
    status = 200
    if form.validate_on_submit():
        try:
            ikm_weights.choose(user, form.year.data, form.weight.data, today)
        except RuleViolation as problem:
            show_problem(form, problem)
            status = 400
        else:
            publication.clear_cache()  # the public pages of that year show the new figures now
            flash(_("Bobot unsur IKM tahun %(year)s: %(weight)s.", year=form.year.data,
                    weight=ikm_weights.LABELS[form.weight.data]), "success")
            return redirect(url_for("portal.ikm_weights_page"))
    elif form.is_submitted():
        status = 400
    return render_template("portal/ikm/weights.html", form=form, years=years,
                           reads_audit=access.reads_audit_trail(acting_user())), status


# ---------------------------------------------------------------- API tokens (admins)


class ApiTokenForm(Form):
    name = StringField(_l("Nama token (aplikasi yang memakai)"),
                       validators=[DataRequired(), Length(max=100)])
    owner = StringField(_l("Pemilik: NIP atau nama pengguna"),
                        validators=[DataRequired(), Length(max=80)])
    scopes = SelectMultipleField(_l("Cakupan"), choices=options(api_tokens.SCOPES.items()),
                                 default=["ikm:read"], widget=ListWidget(prefix_label=False),
                                 option_widget=CheckboxInput())
    days = IntegerField(_l("Berlaku (hari)"), default=api_tokens.DEFAULT_DAYS,
                        validators=[DataRequired(), NumberRange(1, api_tokens.MAX_DAYS)])


@bp.route("/token-api", methods=["GET", "POST"], endpoint="api_tokens")
def api_tokens_page():
    user = acting_user()
    require(access.manages_api_tokens(user))
    form = ApiTokenForm()
    if request.method == "GET":
        form.owner.data = form.owner.data or user.employee.nip
    if form.validate_on_submit():
        try:
            token, text = api_tokens.create(user, form.owner.data, form.name.data,
                                            form.scopes.data, form.days.data)
        except RuleViolation as problem:
            show_problem(form, problem)
        else:
            return render_template("portal/ikm/token_created.html", token=token, text=text)
    status = 400 if form.is_submitted() and form.errors else 200
    return render_template("portal/ikm/tokens.html", form=form, tokens=api_tokens.all_tokens(),
                           confirm=ConfirmForm(), now=utcnow(),
                           scope_names=api_tokens.SCOPES, max_days=api_tokens.MAX_DAYS), status


@bp.route("/token-api/<int:token_id>/cabut", methods=["POST"])
def api_token_revoke(token_id: int):
    require(access.manages_api_tokens(acting_user()))
    token = get_or_404(ApiToken, token_id)
    if ConfirmForm().validate_on_submit():
        api_tokens.revoke(acting_user(), token)
        flash(_("Token %(name)s dicabut: aplikasi yang memakainya tidak bisa mengambil data lagi.",
                name=token.name), "success")
        return redirect(url_for("portal.api_tokens"))
    abort(400)

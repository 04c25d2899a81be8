"""Printed appraisal documents: the SKP and an evaluation as PDF (PermenPANRB 6/2022 forms) and
the Excel recap of predikat per unit. The content comes from kinerja.appraisal.appraisal_documents."""
import re

from flask import Response, abort, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, RadioField, SelectField
from wtforms.validators import DataRequired

from kinerja.appraisal import appraisal_documents, appraisals, bulk_print, distribution
from kinerja.appraisal.models import Evaluation
from kinerja.core import jobs
from kinerja.core.errors import RuleViolation
from kinerja.organisation import access
from kinerja.organisation.models import Unit
from kinerja.performance import periods
from kinerja.performance.models import Period, Skp
from portal import bp
from portal.forms import ConfirmForm
from portal.guards import acting_user, get_or_404, require
from portal.jobs import locale
from web import documents, workbooks
from web.background import render_outside_request
from web.forms import Form, options, show_problem

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _file_part(text: str) -> str:
    return re.sub(r"[^0-9A-Za-z]+", "-", text).strip("-").lower()[:60] or "dokumen"


def _pdf(html: str, name: str) -> Response:
    return Response(documents.to_pdf(html), mimetype="application/pdf",
                    headers={"Content-Disposition": f'inline; filename="{name}.pdf"'})


def skp_html(skp: Skp) -> str:
    document = appraisal_documents.skp_document(skp)
    return render_outside_request("portal/documents/skp_pdf.html", doc=document)


def evaluation_html(evaluation: Evaluation) -> str:
    document = appraisal_documents.evaluation_document(evaluation)
    return render_outside_request("portal/documents/evaluation_pdf.html", doc=document)


# The bulk print (kinerja.appraisal.bulk_print) draws each PDF with these, in a worker.
@jobs.presenter("appraisal.skp_pdf")
def skp_pdf_bytes(record: Skp) -> bytes:
    return documents.to_pdf(skp_html(record))


@jobs.presenter("appraisal.evaluation_pdf")
def evaluation_pdf_bytes(record: Evaluation) -> bytes:
    return documents.to_pdf(evaluation_html(record))


@bp.route("/skp/<int:skp_id>/pdf")
def skp_pdf(skp_id: int):
    skp = get_or_404(Skp, skp_id)
    require(access.can_view_plan(acting_user(), skp))
    name = f"skp-{skp.period.year}-{skp.employee.nip}"
    return _pdf(skp_html(skp), _file_part(name))


@bp.route("/penilaian/<int:evaluation_id>/pdf")
def evaluation_pdf(evaluation_id: int):
    evaluation = get_or_404(Evaluation, evaluation_id)
    require(access.can_view_evaluation(acting_user(), evaluation))
    point = "tahunan" if evaluation.is_annual else f"{evaluation.point}"
    name = f"evaluasi-{evaluation.period.year}-{point}-{evaluation.employee.nip}"
    if not evaluation.is_set:
        name += "-draf"
    return _pdf(evaluation_html(evaluation), _file_part(name))


@bp.route("/penilaian/rekap-predikat.xlsx")
def predikat_recap_xlsx():
    user = acting_user()
    require(access.sees_predikat_recap(user))
    raw = request.args.get("period_id", "").strip()
    if raw and not raw.isdigit():
        abort(400, description=_("Periode tidak valid."))
    period = get_or_404(Period, int(raw)) if raw else periods.period_for(None)
    if period is None:
        abort(404)
    at = _recap_point(request.args.get("titik"), period)
    recap = appraisal_documents.predikat_recap(user, period, at)
    return Response(workbooks.to_xlsx(appraisal_documents.recap_sheets(recap)), mimetype=XLSX, headers={
        "Content-Disposition": f'attachment; filename="rekap-predikat-{period.year}-{at.key}.xlsx"'})


def _recap_point(raw: str | None, period: Period) -> distribution.At:
    """The one evaluation point the recap counts (?titik=tahunan or a month/quarter)."""
    try:
        return distribution.parse_at(raw, period)
    except RuleViolation as problem:
        abort(400, description=problem.message)


# ---------------------------------------------------------------- background: recap, bulk print


@bp.route("/penilaian/rekap-predikat", methods=["POST"])
def predikat_recap_start():
    """The recap for every unit is long work for HR: made in the background."""
    user = acting_user()
    require(access.sees_predikat_recap(user))
    if not ConfirmForm().validate_on_submit():
        abort(400)
    period = periods.period_for(request.form.get("period_id", type=int))
    if period is None:
        abort(404)
    job = bulk_print.start_recap(user, period, locale(), _recap_point(request.form.get("titik"), period))
    return redirect(url_for("portal.job_detail", job_id=job.id))


class BulkPrintForm(Form):
    unit = SelectField(_l("Unit kerja"), coerce=int, validators=[DataRequired()])
    subunits = BooleanField(_l("Termasuk unit di bawahnya"), default=True)
    period = SelectField(_l("Periode"), coerce=int, validators=[DataRequired()])
    document = RadioField(_l("Dokumen"), default=bulk_print.SKP, choices=options(
        bulk_print.DOCUMENTS.items()))
    point = SelectField(_l("Titik evaluasi (untuk evaluasi)"), default=bulk_print.ANNUAL)


def _bulk_print_form(user) -> BulkPrintForm:
    form = BulkPrintForm()
    form.unit.choices = options((u.id, f"{u.code} — {u.name}") for u in bulk_print.printable_units(user))
    every_period = periods.all_periods()
    form.period.choices = options((p.id, str(p.year)) for p in every_period)
    if request.method == "GET":
        form.unit.data = request.args.get("unit", type=int)
        chosen = periods.period_for(request.args.get("periode", type=int))
        form.period.data = chosen.id if chosen else None
    chosen = next((p for p in every_period if p.id == form.period.data), None) or periods.period_for(None)
    # The points of the chosen period's cadence (a quarterly year offers four quarters).
    points = appraisals.points_of(chosen) if chosen else []
    form.point.choices = options(
        (bulk_print.ANNUAL if p.is_annual else str(p.number), p.label) for p in reversed(points))
    return form


@bp.route("/cetak-massal", methods=["GET", "POST"])
def bulk_print_form():
    user = acting_user()
    form = _bulk_print_form(user)
    require(bool(form.unit.choices))
    if form.validate_on_submit():
        wanted = bulk_print.Request(
            unit=get_or_404(Unit, form.unit.data), period=get_or_404(Period, form.period.data),
            document=form.document.data, point=form.point.data, subunits=form.subunits.data)
        try:
            job = bulk_print.start(user, wanted, locale())
        except RuleViolation as problem:
            show_problem(form, problem)
        else:
            return redirect(url_for("portal.job_detail", job_id=job.id))
    status = 400 if form.is_submitted() and form.errors else 200
    return render_template("portal/documents/bulk_print.html", form=form), status

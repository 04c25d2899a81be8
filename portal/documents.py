"""Printed appraisal documents: the SKP and an evaluation as PDF (PermenPANRB 6/2022 forms) and
the Excel recap of predikat per unit. The content comes from kinerja.appraisal.appraisal_documents."""
import os
import re

from flask import Response, abort, current_app, render_template, request
from flask_babel import gettext as _

from kinerja.appraisal import appraisal_documents
from kinerja.appraisal.models import Evaluation
from kinerja.organisation import access
from kinerja.performance import periods
from kinerja.performance.models import Period, Skp
from portal import bp
from portal.guards import acting_user, get_or_404, require
from web import documents, workbooks

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def document_place() -> str:
    """Where documents are signed: KINERJA_DOCUMENT_PLACE (config or environment)."""
    return (current_app.config.get("KINERJA_DOCUMENT_PLACE")
            or os.environ.get("KINERJA_DOCUMENT_PLACE") or appraisal_documents.DEFAULT_PLACE)


def _file_part(text: str) -> str:
    return re.sub(r"[^0-9A-Za-z]+", "-", text).strip("-").lower()[:60] or "dokumen"


def _pdf(html: str, name: str) -> Response:
    return Response(documents.to_pdf(html), mimetype="application/pdf",
                    headers={"Content-Disposition": f'inline; filename="{name}.pdf"'})


def skp_html(skp: Skp) -> str:
    document = appraisal_documents.skp_document(skp, document_place())
    return render_template("portal/documents/skp_pdf.html", doc=document)


def evaluation_html(evaluation: Evaluation) -> str:
    document = appraisal_documents.evaluation_document(evaluation, document_place())
    return render_template("portal/documents/evaluation_pdf.html", doc=document)


@bp.route("/skp/<int:skp_id>/pdf")
def skp_pdf(skp_id: int):
    skp = get_or_404(Skp, skp_id)
    require(access.can_view_performance(acting_user(), skp.employee))
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
    recap = appraisal_documents.predikat_recap(user, period)
    return Response(workbooks.to_xlsx(appraisal_documents.recap_sheets(recap)), mimetype=XLSX, headers={
        "Content-Disposition": f'attachment; filename="rekap-predikat-{period.year}.xlsx"'})

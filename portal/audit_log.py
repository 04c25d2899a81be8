"""The audit trail, readable by admins: filtered pages, and the filtered events as a workbook."""
from flask import Response, render_template, request

from kinerja.core import audit_events
from kinerja.core.errors import RuleViolation
from kinerja.organisation import access, audit_trail
from portal import bp
from portal.guards import acting_user, require
from web import workbooks
from web.forms import parse_date

TEMPLATE = "portal/audit/list.html"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _filters() -> audit_trail.TrailFilter:
    args = request.args
    return audit_trail.TrailFilter(
        person=args.get("pelaku", "").strip(), unit_id=args.get("unit", type=int),
        event=args.get("kejadian", "").strip(), first=parse_date(args.get("dari")),
        last=parse_date(args.get("sampai")), zone=acting_user().employee.time_zone)


@bp.route("/audit")
def audit_log():
    user = acting_user()
    require(access.reads_audit_trail(user))
    filters = _filters()
    context = {"filters": filters, "units": audit_trail.unit_choices(),
               "event_choices": audit_events.choices(), "problem": None, "trail": None}
    try:
        context["trail"] = audit_trail.page_of(user, filters, request.args.get("page", 1, type=int))
    except RuleViolation as problem:
        context["problem"] = problem
        return render_template(TEMPLATE, **context), 400
    return render_template(TEMPLATE, **context)


@bp.route("/audit/ekspor.xlsx")
def audit_log_xlsx():
    user = acting_user()
    require(access.reads_audit_trail(user))
    filters = _filters()
    try:
        sheet = audit_trail.export_sheet(user, filters)
    except RuleViolation as problem:
        return Response(str(problem.message), status=400, mimetype="text/plain")
    return Response(workbooks.to_xlsx([sheet]), mimetype=XLSX,
                    headers={"Content-Disposition": 'attachment; filename="jejak-audit.xlsx"'})

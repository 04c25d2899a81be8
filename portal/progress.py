"""Progress against the year's targets: mine, an employee's, and a unit's heatmap."""
from flask import abort, render_template, request

from kinerja.organisation import access
from kinerja.organisation.models import Employee, Unit
from kinerja.performance import heatmap as heatmaps
from kinerja.performance import progress
from portal import bp
from portal.guards import acting_user, get_or_404, require
from web.paging import ListPage

HEATMAP_ROWS_PER_PAGE = 50


@bp.route("/kinerja")
def progress_mine():
    user = acting_user()
    return render_template("portal/progress/report.html",
                           report=progress.progress_report(user, user.employee), mine=True)


@bp.route("/pegawai/<int:employee_id>/kinerja")
def progress_of(employee_id: int):
    employee = get_or_404(Employee, employee_id)
    user = acting_user()
    require(access.can_view_performance(user, employee))
    return render_template("portal/progress/report.html",
                           report=progress.progress_report(user, employee),
                           mine=employee.id == user.employee.id)


@bp.route("/unit/<int:unit_id>/peta-kinerja")
def unit_heatmap(unit_id: int):
    unit = get_or_404(Unit, unit_id)
    require(access.can_view_unit_performance(acting_user(), unit))
    year = request.args.get("tahun", type=int)
    heatmap = heatmaps.unit_heatmap(unit, year)
    if year is not None and heatmap.period is None:
        abort(404)
    # The whole secretariat is hundreds of rows of twelve cells: drawn a page at a time (the
    # laggards above stay complete, they are what the head acts on).
    rows = ListPage.of(heatmap.rows, request.args.get("page", type=int), HEATMAP_ROWS_PER_PAGE)
    return render_template("portal/progress/heatmap.html", heatmap=heatmap, rows=rows, year=year)

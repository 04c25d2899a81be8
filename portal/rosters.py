"""Counter rosters (jadwal petugas loket) week by week, and an employee's citizen-satisfaction
figure built on them."""
from flask import flash, redirect, render_template, request, url_for
from flask_babel import ngettext

from kinerja.core.errors import RuleViolation
from kinerja.feedback import ikm, rosters
from kinerja.organisation import access
from kinerja.organisation.models import Employee, ServiceCounter
from portal import bp
from portal.guards import acting_user, get_or_404, require
from web.forms import parse_date
from web.rendering import is_htmx, render

WEEK_TEMPLATE = "portal/rosters/week.html"


def _counter(counter_id: int) -> ServiceCounter:
    counter = get_or_404(ServiceCounter, counter_id)
    require(access.can_manage_roster(acting_user(), counter))
    return counter


def _week_page(counter: ServiceCounter, any_day, error: str | None = None, status: int = 200):
    week = rosters.roster_week(acting_user(), counter, any_day)
    return render_template(WEEK_TEMPLATE, week=week, error=error), status


@bp.route("/loket/<int:counter_id>/jadwal")
def counter_roster(counter_id: int):
    counter = _counter(counter_id)
    return _week_page(counter, parse_date(request.args.get("minggu")))


@bp.route("/loket/<int:counter_id>/jadwal/tugas", methods=["POST"])
def counter_roster_set(counter_id: int):
    """One cell of the grid: put someone on duty for a day or take them off (htmx swaps the
    cell; without JavaScript the week is shown again)."""
    counter = _counter(counter_id)
    day = parse_date(request.form.get("hari"))
    try:
        cell = rosters.set_on_duty(acting_user(), counter, request.form.get("pegawai", type=int), day,
                                   request.form.get("bertugas") == "1")
    except RuleViolation as problem:
        if is_htmx():
            return render_template("portal/rosters/_problem.html", message=problem.message), 400
        return _week_page(counter, day, error=problem.message, status=400)
    if not is_htmx():
        return redirect(url_for("portal.counter_roster", counter_id=counter.id,
                                minggu=cell.day.isoformat()))
    return render(WEEK_TEMPLATE, block="cell", counter=counter, row_employee=cell.employee,
                  day=cell.day, on_duty=cell.on_duty, eligible=cell.eligible,
                  day_count=cell.day_count)


@bp.route("/loket/<int:counter_id>/jadwal/salin", methods=["POST"])
def counter_roster_copy(counter_id: int):
    counter = _counter(counter_id)
    monday = parse_date(request.form.get("minggu"))
    try:
        added = rosters.copy_previous_week(acting_user(), counter, monday)
    except RuleViolation as problem:
        return _week_page(counter, monday, error=problem.message, status=400)
    flash(ngettext("%(num)s jadwal disalin dari minggu sebelumnya.",
                   "%(num)s jadwal disalin dari minggu sebelumnya.", added), "success")
    return redirect(url_for("portal.counter_roster", counter_id=counter.id,
                            minggu=monday.isoformat() if monday else None))


@bp.route("/pegawai/<int:employee_id>/kepuasan")
def staff_satisfaction(employee_id: int):
    employee = get_or_404(Employee, employee_id)
    require(access.can_view_performance(acting_user(), employee))
    typed = {name: request.args.get(name) for name in ("dari", "sampai")}
    dates = {name: parse_date(raw) for name, raw in typed.items()}
    malformed = next((name for name, raw in typed.items() if raw and dates[name] is None), None)
    page = rosters.satisfaction_page(acting_user(), employee, dates["dari"], dates["sampai"],
                                     malformed)
    return render_template("portal/rosters/satisfaction.html", page=page,
                           typed_from=request.args.get("dari", ""),
                           typed_to=request.args.get("sampai", ""),
                           element_names=ikm.ELEMENT_NAMES), 400 if page.error else 200

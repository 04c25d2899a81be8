"""Performance periods (HR) and the goals of a unit for a year (HR or the unit's head)."""
from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from kinerja.core.calendar import Cadence
from kinerja.core.errors import RuleViolation
from kinerja.organisation import access
from kinerja.organisation.models import Unit
from kinerja.performance import cascade, periods
from kinerja.performance.models import Period, UnitGoal
from portal import bp
from portal.forms import ConfirmForm, PeriodForm, UnitGoalForm
from portal.guards import acting_user, get_or_404, require
from web.forms import show_problem
from web.rendering import render


@bp.route("/periode", methods=["GET", "POST"])
def period_list():
    require(access.manages_periods(acting_user()))
    form = PeriodForm()
    status = 200
    if form.validate_on_submit():
        try:
            period = periods.create_period(acting_user(), form.year.data, Cadence(form.cadence.data))
        except RuleViolation as problem:
            show_problem(form, problem)
        else:
            flash(_("Periode %(year)s dibuat. Buka periode agar pegawai bisa menyusun SKP.",
                    year=period.year), "success")
            return redirect(url_for("portal.period_list"))
    if form.is_submitted() and form.errors:
        status = 400
    return render_template("portal/periods/list.html", form=form, periods=periods.all_periods(),
                           confirm=ConfirmForm()), status


def _change_period(period_id: int, change) -> object:
    require(access.manages_periods(acting_user()))
    period = get_or_404(Period, period_id)
    if ConfirmForm().validate_on_submit():
        try:
            change(acting_user(), period)
        except RuleViolation as problem:
            flash(problem.message, "error")
    return redirect(url_for("portal.period_list"))


@bp.route("/periode/<int:period_id>/buka", methods=["POST"])
def period_open(period_id: int):
    return _change_period(period_id, periods.open_)


@bp.route("/periode/<int:period_id>/tutup", methods=["POST"])
def period_close(period_id: int):
    return _change_period(period_id, periods.close)


@bp.route("/unit/<int:unit_id>/sasaran", methods=["GET", "POST"])
def unit_goals(unit_id: int):
    unit = get_or_404(Unit, unit_id)
    user = acting_user()
    require(access.can_set_unit_goals(user, unit))
    period = periods.period_for(request.args.get("periode", type=int))
    form = UnitGoalForm()
    status = 200
    if period is not None and form.validate_on_submit():
        try:
            periods.add_unit_goal(user, period, unit.id, form.text.data)
        except RuleViolation as problem:
            show_problem(form, problem, fallback="text")
        else:
            return redirect(url_for("portal.unit_goals", unit_id=unit.id, periode=period.id))
    if form.is_submitted() and form.errors:
        status = 400
    goals = periods.unit_goals(period, unit.id) if period else []
    return render("portal/periods/unit_goals.html", block="goals", unit=unit, period=period,
                  periods=periods.all_periods(), goals=goals, form=form,
                  confirm=ConfirmForm()), status


@bp.route("/sasaran/<int:goal_id>/hapus", methods=["POST"])
def unit_goal_remove(goal_id: int):
    goal = get_or_404(UnitGoal, goal_id)
    require(access.can_set_unit_goals(acting_user(), goal.unit))
    if ConfirmForm().validate_on_submit():
        try:
            periods.remove_unit_goal(acting_user(), goal)
        except RuleViolation as problem:
            flash(problem.message, "error")
    return redirect(url_for("portal.unit_goals", unit_id=goal.unit_id, periode=goal.period_id))


@bp.route("/unit/<int:unit_id>/kaskade")
def unit_cascade(unit_id: int):
    unit = get_or_404(Unit, unit_id)
    require(access.can_view_unit_performance(acting_user(), unit))
    period = periods.period_for(request.args.get("periode", type=int))
    tree = cascade.build(unit, period) if period else None
    return render_template("portal/periods/cascade.html", unit=unit, period=period,
                           periods=periods.all_periods(), tree=tree)

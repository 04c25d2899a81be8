"""The unit tree and unit records."""
from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from kinerja.core.errors import RuleViolation
from kinerja.organisation import access, org
from kinerja.organisation.models import Unit, UnitKind
from portal import bp
from portal.forms import UnitForm
from portal.guards import acting_user, get_or_404, require
from web.forms import options, show_problem


@bp.route("/unit")
def unit_tree():
    require(access.manages_organisation(acting_user()))
    return render_template("portal/units/tree.html", roots=org.unit_tree())


@bp.route("/unit/<int:unit_id>")
def unit_detail(unit_id: int):
    unit = get_or_404(Unit, unit_id)
    user = acting_user()
    require(access.can_view_unit(user, unit))
    page = request.args.get("page", 1, type=int)
    staff = org.search_employees(unit_id=unit.id, page=max(page, 1), per_page=50)
    return render_template("portal/units/detail.html", unit=unit, staff=staff,
                           can_edit=access.can_edit_unit(user, unit),
                           sees_performance=access.can_view_unit_performance(user, unit))


def _save_unit(unit: Unit | None):
    require(access.can_edit_unit(acting_user(), unit))
    form = UnitForm(obj=unit)
    form.parent_id.choices = options([("", _("— tidak ada (unit teratas) —"))] + [
        choice for choice in org.unit_choices() if unit is None or choice[0] != unit.id
    ])
    if unit is not None and request.method == "GET":
        form.head_nip.data = unit.head.nip if unit.head else ""
        form.kind.data = unit.kind.value
        form.time_zone.data = unit.time_zone.value
    if form.validate_on_submit():
        try:
            saved = org.save_unit(
                acting_user(), unit, code=form.code.data, name=form.name.data,
                kind=UnitKind(form.kind.data), time_zone=form.time_zone.data,
                parent_id=form.parent_id.data, head_nip=form.head_nip.data,
                address=form.address.data, active=form.active.data,
            )
        except RuleViolation as problem:
            show_problem(form, problem)
        else:
            flash(_("Unit %(name)s tersimpan.", name=saved.name), "success")
            return redirect(url_for("portal.unit_detail", unit_id=saved.id))
    status = 400 if form.is_submitted() and form.errors else 200
    return render_template("portal/units/form.html", form=form, unit=unit), status


@bp.route("/unit/baru", methods=["GET", "POST"])
def unit_create():
    return _save_unit(None)


@bp.route("/unit/<int:unit_id>/ubah", methods=["GET", "POST"])
def unit_edit(unit_id: int):
    return _save_unit(get_or_404(Unit, unit_id))

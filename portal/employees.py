"""Employee directory and records, kept by HR and admins; each person may read their own."""
from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from kinerja.core.errors import RuleViolation
from kinerja.organisation import access, org
from kinerja.organisation.models import Employee
from portal import bp
from portal.forms import ConfirmForm, EmployeeForm
from portal.guards import acting_user, get_or_404, require
from web.forms import options, show_problem
from web.rendering import render


@bp.route("/pegawai")
def employee_list():
    require(access.manages_organisation(acting_user()))
    text = request.args.get("q", "")[:100]
    unit_id = request.args.get("unit", type=int)
    page = request.args.get("page", 1, type=int)
    results = org.search_employees(text, unit_id, page=max(page, 1),
                                   per_page=current_app.config["EMPLOYEES_PER_PAGE"])
    return render("portal/employees/list.html", block="results", results=results, q=text,
                  unit_id=unit_id, units=org.unit_choices())


@bp.route("/pegawai/<int:employee_id>")
def employee_detail(employee_id: int):
    employee = get_or_404(Employee, employee_id)
    user = acting_user()
    require(access.can_view_employee(user, employee))
    return render_template(
        "portal/employees/detail.html", employee=employee,
        chain=org.supervisor_chain(employee), reports=org.direct_reports(employee),
        can_edit=access.can_edit_employee(user, employee),
        sees_performance=access.can_view_performance(user, employee),
        can_manage_account=access.manages_accounts(user), confirm=ConfirmForm(),
    )


def _employee_form(employee: Employee | None) -> EmployeeForm:
    form = EmployeeForm(obj=employee)
    form.unit_id.choices = options([("", _("— belum ditempatkan —"))] + org.unit_choices())
    if employee is not None and request.method == "GET":
        form.position.data = employee.position_name
        form.supervisor_nip.data = employee.supervisor.nip if employee.supervisor else ""
    return form


def _save_employee(employee: Employee | None):
    require(access.can_edit_employee(acting_user(), employee))
    form = _employee_form(employee)
    if form.validate_on_submit():
        try:
            saved = org.save_employee(
                acting_user(), employee, nip=form.nip.data, name=form.name.data,
                position=form.position.data, unit_id=form.unit_id.data,
                supervisor_nip=form.supervisor_nip.data, email=form.email.data,
                phone=form.phone.data, active=form.active.data,
                master_data=form.master_data(),
            )
        except RuleViolation as problem:
            show_problem(form, problem)
        else:
            flash(_("Data pegawai %(name)s tersimpan.", name=saved.name), "success")
            return redirect(url_for("portal.employee_detail", employee_id=saved.id))
    status = 400 if form.is_submitted() and form.errors else 200
    return render_template("portal/employees/form.html", form=form, employee=employee,
                           positions=org.position_names()), status


@bp.route("/pegawai/baru", methods=["GET", "POST"])
def employee_create():
    return _save_employee(None)


@bp.route("/pegawai/<int:employee_id>/ubah", methods=["GET", "POST"])
def employee_edit(employee_id: int):
    return _save_employee(get_or_404(Employee, employee_id))


@bp.route("/pegawai/cari-nip")
def employee_lookup():
    """htmx: the name behind a NIP typed into a form, shown next to the field."""
    require(access.manages_organisation(acting_user()))
    nip = (request.args.get("supervisor_nip") or request.args.get("head_nip") or "")
    found = org.employee_by_nip(nip.replace(" ", "")[:18]) if nip.strip() else None
    return render_template("portal/employees/_lookup.html", found=found, nip=nip.strip())

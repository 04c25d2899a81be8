"""HR's page of an employee's transfers (mutasi) and leave outside the state's payroll (CLTN,
tugas belajar): record a transfer, which splits the SKP of the year, and record or remove leave."""
from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import DateField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from kinerja.appraisal import transfers
from kinerja.core.errors import RuleViolation
from kinerja.organisation import access, org
from kinerja.organisation.models import Employee
from kinerja.performance import leave
from kinerja.performance.formatting import short_month_names
from kinerja.performance.models import Leave, LeaveKind
from portal import bp
from portal.forms import ConfirmForm, optional_int
from portal.guards import acting_user, get_or_404, require
from web.forms import Form, options, show_problem


class TransferForm(Form):
    effective_on = DateField(_l("Tanggal berlaku"), validators=[DataRequired()])
    unit_id = SelectField(_l("Unit kerja baru"), coerce=optional_int, validate_choice=True)
    supervisor_nip = StringField(_l("NIP atasan langsung baru"),
                                 validators=[DataRequired(), Length(max=30)])
    position = StringField(_l("Jabatan baru (kosongkan bila tetap)"),
                           validators=[Optional(), Length(max=200)])
    note = TextAreaField(_l("Catatan (nomor SK mutasi)"), validators=[Optional(), Length(max=500)])


class LeaveForm(Form):
    kind = SelectField(_l("Jenis"), choices=options((k.value, k.label) for k in LeaveKind))
    starts_on = DateField(_l("Mulai"), validators=[DataRequired()])
    ends_on = DateField(_l("Selesai"), validators=[DataRequired()])
    note = StringField(_l("Catatan (nomor SK)"), validators=[Optional(), Length(max=500)])


def _employee(employee_id: int) -> Employee:
    employee = get_or_404(Employee, employee_id)
    require(access.manages_organisation(acting_user()))
    return employee


def _page(employee: Employee, transfer_form=None, leave_form=None, status: int = 200):
    transfer_form = transfer_form or TransferForm(prefix="mutasi")
    transfer_form.unit_id.choices = options([("", _("— pilih unit —"))] + org.unit_choices())
    moves = transfers.transfers_of(employee)
    plans = [p for t in moves for p in (t.closed_skp, t.opened_skp) if p is not None]
    return render_template(
        "portal/employees/moves.html", employee=employee, transfer_form=transfer_form,
        leave_form=leave_form or LeaveForm(prefix="cuti"), confirm=ConfirmForm(),
        transfers=moves, leaves=leave.leaves_of(employee), month_names=short_month_names(),
        # Who appraises each plan: the old supervisor keeps the closed one.
        appraisers={p.id: access.appraiser_of(employee, p) for p in plans},
        positions=org.position_names()), status


@bp.route("/pegawai/<int:employee_id>/mutasi-cuti")
def employee_moves(employee_id: int):
    return _page(_employee(employee_id))


@bp.route("/pegawai/<int:employee_id>/mutasi", methods=["POST"])
def employee_transfer(employee_id: int):
    employee = _employee(employee_id)
    form = TransferForm(prefix="mutasi")
    form.unit_id.choices = options([("", _("— pilih unit —"))] + org.unit_choices())
    if form.validate_on_submit():
        try:
            done = transfers.record_transfer(
                acting_user(), employee, effective_on=form.effective_on.data,
                unit_id=form.unit_id.data, supervisor_nip=form.supervisor_nip.data,
                position=form.position.data, note=form.note.data)
        except RuleViolation as problem:
            show_problem(form, problem)
        else:
            flash(_("Mutasi %(name)s tercatat; SKP baru (draf) dibuka mulai %(day)s.",
                    name=employee.name, day=done.effective_on.strftime("%d-%m-%Y")), "success")
            return redirect(url_for("portal.employee_moves", employee_id=employee.id))
    return _page(employee, transfer_form=form, status=400)


@bp.route("/pegawai/<int:employee_id>/cuti", methods=["POST"])
def employee_leave(employee_id: int):
    employee = _employee(employee_id)
    form = LeaveForm(prefix="cuti")
    if form.validate_on_submit():
        try:
            leave.record(acting_user(), employee, kind=form.kind.data,
                         starts_on=form.starts_on.data, ends_on=form.ends_on.data,
                         note=form.note.data)
        except RuleViolation as problem:
            show_problem(form, problem)
        else:
            flash(_("Cuti %(name)s tercatat.", name=employee.name), "success")
            return redirect(url_for("portal.employee_moves", employee_id=employee.id))
    return _page(employee, leave_form=form, status=400)


@bp.route("/pegawai/cuti/<int:leave_id>/hapus", methods=["POST"])
def employee_leave_remove(leave_id: int):
    record = get_or_404(Leave, leave_id)
    employee = _employee(record.employee_id)
    if ConfirmForm().validate_on_submit():
        leave.remove(acting_user(), record)
        flash(_("Catatan cuti dihapus."), "success")
    return redirect(url_for("portal.employee_moves", employee_id=employee.id))

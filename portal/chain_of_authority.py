"""Rantai penilai: Admin → PPK (who the Bupati/Wali Kota is), and HR's page of Plt/Plh and the
chart's hierarchy warnings. The rules are in kinerja.organisation.chain_admin and authority."""
from flask import flash, redirect, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import DateField, SelectField, StringField
from wtforms.validators import DataRequired, Length, Optional

from kinerja.core.errors import RuleViolation
from kinerja.organisation import access, authority, chain_admin
from kinerja.organisation.models import ActingKind, ActingOfficial
from portal import bp
from portal.forms import ConfirmForm
from portal.guards import acting_user, get_or_404, require
from web.forms import Form, options, show_problem
from web.rendering import render

PPK_PAGE = "portal/chain/ppk.html"
CHAIN_PAGE = "portal/chain/chain.html"


class PpkForm(Form):
    name = StringField(_l("Nama PPK"), validators=[DataRequired(), Length(max=chain_admin.MAX_NAME)])
    title = StringField(_l("Jabatan"), validators=[DataRequired(), Length(max=chain_admin.MAX_NAME)])
    starts_on = DateField(_l("Awal masa jabatan"), validators=[DataRequired()])
    ends_on = DateField(_l("Akhir masa jabatan"), validators=[Optional()])


class ActingForm(Form):
    employee = SelectField(_l("Pegawai yang menjadi Plt/Plh"), validators=[DataRequired()])
    kind = SelectField(_l("Jenis"), choices=options((k.value, k.label) for k in ActingKind))
    unit = SelectField(_l("Sebagai kepala unit"), validators=[Optional()])
    replaces = SelectField(_l("Atau menggantikan pejabat"), validators=[Optional()])
    starts_on = DateField(_l("Mulai"), validators=[DataRequired()])
    ends_on = DateField(_l("Sampai"), validators=[DataRequired()])
    note = StringField(_l("Dasar (nomor surat perintah)"), validators=[Optional(), Length(max=500)])


def _int(raw) -> int | None:
    try:
        return int(raw) if raw not in (None, "") else None
    except ValueError:
        return None


@bp.route("/kelola/ppk", methods=["GET", "POST"])
def ppk_settings():
    actor = acting_user()
    require(access.manages_ppk(actor))
    form = PpkForm()
    status = 200
    if form.validate_on_submit():
        try:
            term = chain_admin.set_ppk(actor, form.name.data, form.title.data,
                                       form.starts_on.data, form.ends_on.data)
        except RuleViolation as problem:
            show_problem(form, problem)
            status = 400
        else:
            flash(_("PPK dicatat: %(name)s, %(title)s.", name=term.employee.name,
                    title=term.title), "success")
            return redirect(url_for("portal.ppk_settings"))
    elif form.is_submitted():
        status = 400
    return render(PPK_PAGE, page=chain_admin.ppk_page(actor), form=form), status


def _chain_page(form: ActingForm, status: int = 200):
    actor = acting_user()
    people, units = chain_admin.acting_choices()
    form.employee.choices = options([("", _l("— pilih —")), *people])
    form.replaces.choices = options([("", _l("— tidak ada —")), *people])
    form.unit.choices = options([("", _l("— tidak ada —")), *units])
    return render(CHAIN_PAGE, form=form, confirm=ConfirmForm(),
                  acting=chain_admin.acting_officials(actor),
                  warnings=chain_admin.chart_warnings(actor),
                  today=authority.today_for(actor.employee),
                  acting_title=authority.acting_title), status


@bp.route("/kelola/rantai-penilai")
def chain_of_authority():
    require(access.manages_acting_officials(acting_user()))
    return _chain_page(ActingForm(formdata=None))


@bp.route("/kelola/rantai-penilai/plt", methods=["POST"])
def acting_add():
    actor = acting_user()
    require(access.manages_acting_officials(actor))
    form = ActingForm()
    people, units = chain_admin.acting_choices()
    form.employee.choices = options([("", ""), *people])
    form.replaces.choices = options([("", ""), *people])
    form.unit.choices = options([("", ""), *units])
    if form.validate_on_submit():
        try:
            record = chain_admin.add_acting(
                actor, employee_id=_int(form.employee.data), kind=form.kind.data,
                unit_id=_int(form.unit.data), replaces_id=_int(form.replaces.data),
                starts_on=form.starts_on.data, ends_on=form.ends_on.data, note=form.note.data)
        except RuleViolation as problem:
            show_problem(form, problem, fallback="employee")
        else:
            flash(_("%(name)s dicatat sebagai %(title)s.", name=record.employee.name,
                    title=authority.acting_title(record)), "success")
            return redirect(url_for("portal.chain_of_authority"))
    return _chain_page(form, 400)


@bp.route("/kelola/rantai-penilai/plt/<int:acting_id>/hapus", methods=["POST"])
def acting_remove(acting_id: int):
    actor = acting_user()
    require(access.manages_acting_officials(actor))
    record = get_or_404(ActingOfficial, acting_id)
    if not ConfirmForm().validate_on_submit():
        flash(_("Formulir kedaluwarsa; muat ulang halaman lalu coba lagi."), "error")
        return _chain_page(ActingForm(formdata=None), 400)
    chain_admin.remove_acting(actor, record)
    flash(_("Catatan Plt/Plh dihapus."), "success")
    return redirect(url_for("portal.chain_of_authority"))

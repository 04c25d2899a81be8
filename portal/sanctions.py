"""Disciplinary sanctions (PP 94/2021) for HR: the list, recording one from its decree, and
revoking a wrong entry with a reason. They keep people out of award rankings."""
from flask import flash, redirect, render_template, url_for
from flask_babel import lazy_gettext as _l
from wtforms import DateField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from kinerja.appraisal import discipline
from kinerja.appraisal.models import DisciplinarySanction, SanctionLevel
from kinerja.core.errors import RuleViolation
from kinerja.organisation import access
from portal import bp
from portal.guards import acting_user, get_or_404, require
from web.forms import Form, options, show_problem

LIST_TEMPLATE = "portal/sanctions/list.html"


class SanctionForm(Form):
    nip = StringField(_l("NIP pegawai"), validators=[DataRequired(), Length(max=30)])
    level = SelectField(_l("Tingkat hukuman"), validators=[DataRequired()], choices=options(
        [("", "—"), *((level.value, level.label) for level in SanctionLevel)]))
    imposed_on = DateField(_l("Tanggal ditetapkan"), validators=[DataRequired()])
    effective_from = DateField(_l("Berlaku dari"), validators=[DataRequired()])
    effective_to = DateField(_l("Berlaku sampai"), validators=[DataRequired()])
    note = TextAreaField(_l("Catatan (jenis hukuman, nomor keputusan)"),
                         validators=[Optional(), Length(max=discipline.MAX_NOTE)])


class RevokeForm(Form):
    reason = StringField(_l("Alasan pembatalan"),
                         validators=[DataRequired(), Length(max=discipline.MAX_REASON)])


def _page(form: SanctionForm, status: int = 200):
    return render_template(LIST_TEMPLATE, form=form, revoke_form=RevokeForm(formdata=None),
                           sanctions=discipline.sanction_list(acting_user())), status


@bp.route("/sanksi-disiplin")
def sanction_list():
    require(access.manages_sanctions(acting_user()))
    return _page(SanctionForm(formdata=None))


@bp.route("/sanksi-disiplin", methods=["POST"])
def sanction_create():
    actor = acting_user()
    require(access.manages_sanctions(actor))
    form = SanctionForm()
    if form.validate_on_submit():
        try:
            found = discipline.record(actor, discipline.SanctionInput(
                form.nip.data, form.level.data, form.imposed_on.data, form.effective_from.data,
                form.effective_to.data, form.note.data))
        except RuleViolation as problem:
            show_problem(form, problem)
        else:
            flash(_l("Hukuman disiplin %(name)s tercatat.", name=found.employee.name), "success")
            return redirect(url_for("portal.sanction_list"))
    return _page(form, 400)


@bp.route("/sanksi-disiplin/<int:sanction_id>/batal", methods=["POST"])
def sanction_revoke(sanction_id: int):
    actor = acting_user()
    require(access.manages_sanctions(actor))
    sanction = get_or_404(DisciplinarySanction, sanction_id)
    form = RevokeForm()
    if form.validate_on_submit():
        try:
            discipline.revoke(actor, sanction, form.reason.data)
        except RuleViolation as problem:
            flash(problem.message, "error")
            return _page(SanctionForm(formdata=None), 400)
        flash(_l("Catatan hukuman dibatalkan."), "success")
        return redirect(url_for("portal.sanction_list"))
    flash(_l("Tuliskan alasan pembatalan."), "error")
    return _page(SanctionForm(formdata=None), 400)

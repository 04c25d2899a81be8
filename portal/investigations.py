"""Investigations (pemeriksaan) of service alerts for heads of unit and HR: open one from an
alert on the dashboard, the list, one investigation with its complaints and counters, recording
findings and actions, and closing it with a decision."""
from flask import flash, redirect, render_template, request, url_for
from flask_babel import lazy_gettext as _l
from wtforms import TextAreaField
from wtforms.validators import Length, Optional

from kinerja.core.errors import RuleViolation
from kinerja.feedback import investigations
from kinerja.feedback.models import Investigation
from kinerja.organisation import access
from portal import bp
from portal.forms import ConfirmForm
from portal.guards import acting_user, get_or_404, require
from web.forms import Form, show_problem

DETAIL_TEMPLATE = "portal/investigations/detail.html"


class InvestigationForm(Form):
    findings = TextAreaField(_l("Temuan"), validators=[Optional(), Length(max=investigations.MAX_TEXT)])
    actions = TextAreaField(_l("Tindakan yang diambil"),
                            validators=[Optional(), Length(max=investigations.MAX_TEXT)])
    decision = TextAreaField(_l("Keputusan penutupan"),
                             validators=[Optional(), Length(max=investigations.MAX_TEXT)])


@bp.route("/pemeriksaan")
def investigation_list():
    user = acting_user()
    require(access.sees_investigations(user))
    status = request.args.get("status")
    return render_template("portal/investigations/list.html", status=status,
                           investigations=investigations.investigation_list(user, status))


@bp.route("/pemeriksaan/buka", methods=["POST"])
def investigation_open():
    user = acting_user()
    require(access.sees_investigations(user))
    if not ConfirmForm().validate_on_submit():
        flash(_l("Formulir kedaluwarsa; muat ulang halaman dan coba lagi."), "error")
        return redirect(url_for("portal.dashboard"))
    try:
        found = investigations.open_from_alert(
            user, request.form.get("jenis"), request.form.get("unit", type=int),
            request.form.get("loket", type=int))
    except RuleViolation as problem:
        flash(problem.message, "error")
        return redirect(url_for("portal.dashboard"))
    flash(_l("Pemeriksaan dibuka."), "success")
    return redirect(url_for("portal.investigation_detail", investigation_id=found.id))


def _detail(found: Investigation, form: InvestigationForm, status: int = 200):
    return render_template(DETAIL_TEMPLATE, investigation=found, form=form,
                           history=investigations.history(found)), status


@bp.route("/pemeriksaan/<int:investigation_id>", methods=["GET", "POST"])
def investigation_detail(investigation_id: int):
    """The investigation; a POST records findings and actions ("simpan") or closes it ("tutup")."""
    user = acting_user()
    found = get_or_404(Investigation, investigation_id)
    require(access.can_handle_investigation(user, found.unit))
    if request.method == "GET":
        return _detail(found, InvestigationForm(obj=found))
    form = InvestigationForm()
    closing = request.form.get("aksi") == "tutup"
    if form.validate_on_submit():
        try:
            if closing:
                investigations.close(user, found, form.findings.data, form.actions.data,
                                     form.decision.data)
            else:
                investigations.record(user, found, form.findings.data, form.actions.data)
        except RuleViolation as problem:
            show_problem(form, problem)
        else:
            flash(_l("Pemeriksaan ditutup.") if closing else _l("Catatan pemeriksaan tersimpan."),
                  "success")
            return redirect(url_for("portal.investigation_detail", investigation_id=found.id))
    return _detail(found, form, 400)

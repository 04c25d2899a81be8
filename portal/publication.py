"""Publication of IKM results (HR: publish a unit and period, withdraw with a reason, approve
follow-up statements) and the head of unit's follow-up statement on the weakest element."""
from datetime import date

from flask import flash, redirect, render_template, request, url_for
from flask_babel import lazy_gettext as _l
from wtforms import DateField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from kinerja.core import calendar
from kinerja.core.errors import RuleViolation
from kinerja.extensions import db
from kinerja.organisation import access
from kinerja.organisation.models import Unit
from kinerja.publication import publication
from kinerja.publication.models import FollowUpStatement, IkmPublication, StatementStatus
from portal import bp
from portal.forms import ConfirmForm, optional_int
from portal.guards import acting_user, get_or_404, require
from web import charts
from web.forms import Form, options, show_problem

LIST_TEMPLATE = "portal/publication/list.html"
STATEMENT_TEMPLATE = "portal/publication/statement.html"


class PublishForm(Form):
    unit = SelectField(_l("Unit"), coerce=optional_int, validators=[DataRequired()])
    start = DateField(_l("Dari tanggal"), validators=[DataRequired()])
    end = DateField(_l("Sampai tanggal"), validators=[DataRequired()])
    label = StringField(_l("Nama periode"), validators=[
        DataRequired(), Length(max=publication.MAX_LABEL)])


class ReasonForm(Form):
    reason = StringField(_l("Alasan"), validators=[Optional(), Length(max=publication.MAX_REASON)])


class StatementForm(Form):
    text = TextAreaField(_l("Tindak lanjut atas unsur terendah"), validators=[
        DataRequired(), Length(max=publication.MAX_STATEMENT)])


def _list_page(form: PublishForm, status: int = 200):
    today = calendar.today_in()
    return render_template(
        LIST_TEMPLATE, form=form, publications=publication.publications_for_hr(),
        pending=publication.pending_statements(), choices=publication.period_choices(today)[:9],
        confirm=ConfirmForm(), reason_form=ReasonForm(formdata=None)), status


def _publish_form(formdata=None) -> PublishForm:
    form = PublishForm(formdata=formdata)
    form.unit.choices = options([(None, "—")] + [(u.id, u.name) for u in publication.publishable_units()])
    return form


@bp.route("/publikasi-ikm")
def publication_list():
    require(access.manages_publication(acting_user()))
    form = _publish_form()
    # A period picked from the suggestions arrives in the query string.
    args = request.args
    try:
        form.start.data = date.fromisoformat(args["dari"]) if args.get("dari") else None
        form.end.data = date.fromisoformat(args["sampai"]) if args.get("sampai") else None
    except ValueError:
        form.start.data = form.end.data = None
    form.label.data = (args.get("nama") or "")[:publication.MAX_LABEL]
    if form.start.data is None:
        latest = publication.period_choices(calendar.today_in())
        if latest:
            form.start.data, form.end.data, form.label.data = latest[0].start, latest[0].end, latest[0].label
    return _list_page(form)


@bp.route("/publikasi-ikm", methods=["POST"])
def publication_create():
    actor = acting_user()
    require(access.manages_publication(actor))
    form = _publish_form(request.form)
    if form.validate_on_submit():
        unit = db.session.get(Unit, form.unit.data) if form.unit.data else None
        try:
            done = publication.publish(actor, unit, form.start.data, form.end.data, form.label.data)
        except RuleViolation as problem:
            show_problem(form, problem)
        else:
            flash(_l("IKM %(unit)s %(label)s diumumkan.", unit=done.unit.name, label=done.label),
                  "success")
            return redirect(url_for("portal.publication_list"))
    return _list_page(form, 400)


@bp.route("/publikasi-ikm/<int:publication_id>/tarik", methods=["POST"])
def publication_withdraw(publication_id: int):
    actor = acting_user()
    require(access.manages_publication(actor))
    found = get_or_404(IkmPublication, publication_id)
    form = ReasonForm()
    if form.validate_on_submit():
        try:
            publication.withdraw(actor, found, form.reason.data)
        except RuleViolation as problem:
            flash(problem.message, "error")
            return _list_page(_publish_form(), 400)
        flash(_l("Publikasi ditarik dari halaman publik."), "success")
        return redirect(url_for("portal.publication_list"))
    flash(_l("Alasan paling panjang %(n)s karakter.", n=publication.MAX_REASON), "error")
    return _list_page(_publish_form(), 400)


@bp.route("/publikasi-ikm/tindak-lanjut/<int:statement_id>/putuskan", methods=["POST"])
def follow_up_decide(statement_id: int):
    actor = acting_user()
    require(access.manages_publication(actor))
    statement = get_or_404(FollowUpStatement, statement_id)
    form = ReasonForm()
    approve = request.form.get("keputusan") == "setujui"
    if form.validate_on_submit():
        try:
            publication.decide_statement(actor, statement, approve, form.reason.data)
        except RuleViolation as problem:
            flash(problem.message, "error")
            return _list_page(_publish_form(), 400)
        flash(_l("Pernyataan tindak lanjut disetujui.") if approve
              else _l("Pernyataan tindak lanjut ditolak."), "success")
        return redirect(url_for("portal.publication_list"))
    flash(_l("Alasan paling panjang %(n)s karakter.", n=publication.MAX_REASON), "error")
    return _list_page(_publish_form(), 400)


# ---------------------------------------------------------------- heads of unit


@bp.route("/tindak-lanjut-ikm")
def follow_up_list():
    actor = acting_user()
    require(access.writes_follow_ups(actor))
    return render_template("portal/publication/follow_ups.html",
                           publications=publication.follow_up_publications(actor))


def _statement_page(found: IkmPublication, form: StatementForm, status: int = 200):
    figures = publication.compute(found)
    return render_template(STATEMENT_TEMPLATE, publication=found, form=form,
                           figures=figures, chart=charts.nrr_chart(figures.nrr_rows),
                           statement=found.statement, approved=StatementStatus.APPROVED), status


@bp.route("/tindak-lanjut-ikm/<int:publication_id>", methods=["GET", "POST"])
def follow_up_edit(publication_id: int):
    actor = acting_user()
    found = get_or_404(IkmPublication, publication_id)
    require(access.can_write_follow_up(actor, found.unit))
    form = StatementForm()
    if request.method == "GET":
        form.text.data = found.statement.text if found.statement else ""
        return _statement_page(found, form)
    if form.validate_on_submit():
        try:
            publication.save_statement(actor, found, form.text.data,
                                       submit=request.form.get("aksi") == "ajukan")
        except RuleViolation as problem:
            show_problem(form, problem)
        else:
            flash(_l("Pernyataan diajukan ke SDM.") if request.form.get("aksi") == "ajukan"
                  else _l("Draf tersimpan."), "success")
            return redirect(url_for("portal.follow_up_edit", publication_id=found.id))
    return _statement_page(found, form, 400)

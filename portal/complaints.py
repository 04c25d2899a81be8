"""Complaints (pengaduan) for heads of unit and HR: the list with filters, one complaint with
its rating and history, and the follow-up steps."""
from flask import flash, redirect, render_template, request, url_for
from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, DateField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from kinerja.core.errors import RuleViolation
from kinerja.feedback import complaints
from kinerja.feedback.models import Complaint
from kinerja.organisation import access
from portal import bp
from portal.forms import optional_int
from portal.guards import acting_user, get_or_404, require
from web.forms import Form, options, show_problem
from web.rendering import render

LIST_TEMPLATE = "portal/complaints/list.html"
DETAIL_TEMPLATE = "portal/complaints/detail.html"
RECORD_TEMPLATE = "portal/complaints/record.html"
DONE = {
    "proses": _l("Pengaduan diproses."),
    "jawab": _l("Jawaban tersimpan."),
    "tutup": _l("Pengaduan ditutup."),
}


class StepForm(Form):
    # Field rules only: which step is possible, and whether a reply is needed, is the service's.
    # The step itself comes from the button's form as "aksi".
    reply = TextAreaField(_l("Jawaban untuk warga"),
                          validators=[Optional(), Length(max=complaints.MAX_REPLY)])


@bp.route("/pengaduan")
def complaint_list():
    user = acting_user()
    require(access.handles_complaints(user))
    filters = complaints.Filters.parse(
        request.args.get("status"), request.args.get("unit", type=int),
        request.args.get("loket", type=int), request.args.get("terlambat"),
        request.args.get("kanal"))
    listing = complaints.complaint_list(user, filters, page=request.args.get("page", 1, type=int))
    return render(LIST_TEMPLATE, block="results", listing=listing, filters=filters,
                  can_record=access.records_complaints(user))


class RecordForm(Form):
    """A complaint HR enters by hand (telephone, SP4N-LAPOR!, at the desk)."""
    channel = SelectField(_l("Kanal"), validators=[DataRequired()], choices=options(
        [("", "—"), *((c.value, c.label) for c in complaints.RECORDED_CHANNELS)]))
    lapor_number = StringField(_l("Nomor pelacakan SP4N-LAPOR!"),
                               validators=[Optional(), Length(max=30)])
    counter_id = SelectField(_l("Loket yang diadukan"), coerce=optional_int,
                             validators=[DataRequired()])
    received_on = DateField(_l("Tanggal diterima"), validators=[Optional()])
    text = TextAreaField(_l("Isi pengaduan"), validators=[
        DataRequired(), Length(max=complaints.MAX_TEXT)])
    contact = StringField(_l("Kontak warga (tidak wajib)"),
                          validators=[Optional(), Length(max=complaints.MAX_CONTACT)])
    contact_consent = BooleanField(_l("Warga mengizinkan dihubungi lewat kontak ini"))


def _record_form(formdata=None) -> RecordForm:
    form = RecordForm(formdata=formdata)
    form.counter_id.choices = options([(None, "—")] + [
        (c.id, f"{c.unit.name} · {c.name} ({c.code})") for c in complaints.counter_choices()])
    return form


@bp.route("/pengaduan/catat", methods=["GET", "POST"])
def complaint_record():
    user = acting_user()
    require(access.records_complaints(user))
    form = _record_form(request.form if request.method == "POST" else None)
    if request.method == "POST":
        if form.validate_on_submit():
            try:
                found = complaints.record(user, complaints.RecordInput(
                    form.counter_id.data, form.channel.data, form.text.data,
                    form.lapor_number.data, form.contact.data, form.contact_consent.data,
                    form.received_on.data))
            except RuleViolation as problem:
                show_problem(form, problem)
            else:
                flash(_l("Pengaduan #%(id)s tercatat.", id=found.id), "success")
                return redirect(url_for("portal.complaint_detail", complaint_id=found.id))
        return render_template(RECORD_TEMPLATE, form=form), 400
    return render_template(RECORD_TEMPLATE, form=form)


def _detail(complaint: Complaint, form: StepForm, status: int = 200):
    view = complaints.complaint_view(acting_user(), complaint)
    return render_template(DETAIL_TEMPLATE, view=view, form=form,
                           faces=complaints.FACES), status


@bp.route("/pengaduan/<int:complaint_id>")
def complaint_detail(complaint_id: int):
    complaint = get_or_404(Complaint, complaint_id)
    require(access.can_handle_complaints_of(acting_user(), complaint.unit))
    form = StepForm(formdata=None)
    form.reply.data = complaint.reply
    return _detail(complaint, form)


@bp.route("/pengaduan/<int:complaint_id>/tindak", methods=["POST"])
def complaint_act(complaint_id: int):
    complaint = get_or_404(Complaint, complaint_id)
    require(access.can_handle_complaints_of(acting_user(), complaint.unit))
    form = StepForm()
    action = request.form.get("aksi", "")
    if form.validate_on_submit():
        try:
            complaints.act(acting_user(), complaint, action, form.reply.data)
        except RuleViolation as problem:
            show_problem(form, problem)
        else:
            flash(DONE[action], "success")
            return redirect(url_for("portal.complaint_detail", complaint_id=complaint.id))
    return _detail(complaint, form, status=400)

"""Awards (penghargaan): HR's list, the definition form, the award page with the transparent
ranking, candidate changes with reasons, decision, winners (citation, photo with consent,
certificate), publication and withdrawal with the award's history; heads of unit nominate."""
from datetime import date

from flask import Response, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    DateField,
    IntegerField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from kinerja.core import calendar
from kinerja.core.errors import RuleViolation
from kinerja.extensions import db
from kinerja.organisation import access
from kinerja.organisation.models import Employee, UnitKind
from kinerja.performance import evidence as evidence_files
from kinerja.recognition import award_ranking, awards
from kinerja.recognition.models import Award, AwardScope, AwardWinner
from portal import bp
from portal.forms import optional_int
from portal.guards import acting_user, get_or_404, require
from web import documents
from web.files import send_upload
from web.forms import Form, show_problem

LIST_TEMPLATE = "portal/awards/list.html"
FORM_TEMPLATE = "portal/awards/form.html"
DETAIL_TEMPLATE = "portal/awards/detail.html"
NOMINATE_TEMPLATE = "portal/awards/nominate.html"
CERTIFICATE_TEMPLATE = "portal/awards/certificate_pdf.html"


def _weight(label):
    return IntegerField(label, validators=[InputRequired(), NumberRange(0, 100)])


class AwardForm(Form):
    name = StringField(_l("Nama penghargaan"), validators=[DataRequired(), Length(max=awards.MAX_NAME)])
    description = TextAreaField(_l("Keterangan (opsional)"),
                                validators=[Optional(), Length(max=awards.MAX_DESCRIPTION)])
    year = IntegerField(_l("Tahun kinerja"), validators=[InputRequired(), NumberRange(2000, 2100)])
    date_from = DateField(_l("Dinilai dari tanggal"), validators=[InputRequired()])
    date_to = DateField(_l("Sampai tanggal"), validators=[InputRequired()])
    scope = SelectField(_l("Cakupan"), choices=[SelectChoice(s.value, s.label) for s in AwardScope])
    unit_id = SelectField(_l("Unit kerja (untuk cakupan satu unit)"), coerce=optional_int,
                          validators=[Optional()])
    unit_kind = SelectField(_l("Jenis unit kerja (untuk cakupan satu jenis)"),
                            choices=[SelectChoice("", "—")] + [SelectChoice(k.value, k.label)
                                                       for k in UnitKind],
                            validators=[Optional()])
    winners_count = IntegerField(_l("Jumlah pemenang"),
                                 validators=[InputRequired(), NumberRange(1, awards.MAX_WINNERS)])
    min_respondents = IntegerField(_l("Minimum responden kepuasan warga"),
                                   validators=[InputRequired(), NumberRange(0, awards.MAX_RESPONDENTS)])
    weight_predikat = _weight(_l("Bobot predikat kinerja"))
    weight_realisation = _weight(_l("Bobot realisasi target"))
    weight_satisfaction = _weight(_l("Bobot kepuasan warga"))
    weight_regularity = _weight(_l("Bobot keteraturan laporan harian"))
    weight_nomination = _weight(_l("Bobot nominasi kepala unit"))

    def fill(self, data: awards.AwardInput) -> None:
        self.name.data, self.description.data, self.year.data = data.name, data.description, data.year
        self.date_from.data, self.date_to.data = data.date_from, data.date_to
        self.scope.data, self.unit_id.data = data.scope.value, data.unit_id
        self.unit_kind.data = data.unit_kind.value if data.unit_kind else ""
        self.winners_count.data, self.min_respondents.data = data.winners_count, data.min_respondents
        for name, value in data.weights.items():
            getattr(self, f"weight_{name}").data = value

    def to_input(self) -> awards.AwardInput:
        return awards.AwardInput(
            name=self.name.data or "", description=self.description.data, year=self.year.data,
            date_from=self.date_from.data, date_to=self.date_to.data,
            scope=AwardScope(self.scope.data), unit_id=self.unit_id.data,
            unit_kind=UnitKind(self.unit_kind.data) if self.unit_kind.data else None,
            winners_count=self.winners_count.data, min_respondents=self.min_respondents.data,
            weights={name: getattr(self, f"weight_{name}").data for name in award_ranking.CRITERIA})


class AddCandidateForm(Form):
    nip = StringField(_l("NIP pegawai"), validators=[DataRequired(), Length(max=30)])
    reason = TextAreaField(_l("Alasan menambahkan"), validators=[DataRequired(),
                                                                Length(max=awards.MAX_REASON)])


class RemoveCandidateForm(Form):
    # Not a HiddenField: hidden_tag() would render it empty beside the row's own hidden input.
    employee_id = StringField(validators=[DataRequired(), Length(max=12)])
    reason = TextAreaField(_l("Alasan mengeluarkan"), validators=[DataRequired(),
                                                                 Length(max=awards.MAX_REASON)])


class ReasonForm(Form):
    reason = TextAreaField(_l("Alasan"), validators=[DataRequired(), Length(max=awards.MAX_REASON)])


class CitationForm(Form):
    citation = TextAreaField(_l("Kutipan penghargaan"),
                             validators=[DataRequired(), Length(max=awards.MAX_CITATION)])


class PhotoForm(Form):
    photo = FileField(_l("Foto (JPG, PNG atau WEBP)"))
    consent = BooleanField(_l("Pemenang menyetujui fotonya diumumkan di halaman publik"))


class ActionForm(Form):
    """CSRF only: decide, publish."""


class NominationForm(Form):
    employee_id = SelectField(_l("Kandidat"), coerce=optional_int, validators=[DataRequired()])
    citation = TextAreaField(_l("Alasan nominasi (menjadi kutipan bila terpilih)"),
                             validators=[DataRequired(), Length(max=awards.MAX_CITATION)])


def _today() -> date:
    return calendar.today_in()


def _first_error(form) -> str:
    for errors in form.errors.values():
        for error in errors:
            return str(error)
    return _("Periksa kembali isian yang ditandai.")


# ---------------------------------------------------------------- list and definition


@bp.route("/penghargaan")
def award_list():
    user = acting_user()
    require(access.uses_awards(user))
    listing = awards.award_list(user)
    return render_template(LIST_TEMPLATE, awards_=listing, manages=access.manages_awards(user),
                           scope_label=awards.scope_label)


def _unit_choices() -> list[SelectChoice]:
    return [SelectChoice("", "—")] + [SelectChoice(i, label) for i, label in awards.unit_choices()]


def _form_page(form: AwardForm, award: Award | None, status: int = 200):
    form.unit_id.choices = _unit_choices()
    return render_template(FORM_TEMPLATE, form=form, award=award,
                           criteria=awards.CRITERION_LABELS), status


def _save(form: AwardForm, award: Award | None):
    form.unit_id.choices = _unit_choices()
    if form.validate_on_submit():
        try:
            if award is None:
                award = awards.define(acting_user(), form.to_input())
            else:
                awards.edit(acting_user(), award, form.to_input())
        except RuleViolation as problem:
            show_problem(form, problem)  # "weights" is no one field: above the form
        else:
            flash(_("Penghargaan tersimpan."), "success")
            return redirect(url_for("portal.award_detail", award_id=award.id))
    return _form_page(form, award, 400)


@bp.route("/penghargaan/baru", methods=["GET", "POST"])
def award_create():
    require(access.manages_awards(acting_user()))
    form = AwardForm()
    if request.method == "GET":
        form.fill(awards.blank_input(_today()))
        return _form_page(form, None)
    return _save(form, None)


@bp.route("/penghargaan/<int:award_id>/ubah", methods=["GET", "POST"])
def award_edit(award_id: int):
    award = get_or_404(Award, award_id)
    require(access.manages_awards(acting_user()))
    if not award.is_draft:
        abort(400, description=_("Penghargaan yang sudah diputuskan tidak dapat diubah."))
    form = AwardForm()
    if request.method == "GET":
        form.fill(awards.input_of(award))
        return _form_page(form, award)
    return _save(form, award)


# ---------------------------------------------------------------- the award page (HR)


def _detail(award: Award, status: int = 200, error: tuple[str, str] | None = None, **forms):
    user = acting_user()
    ranking = awards.ranking(user, award, _today())
    defaults = {"add_form": AddCandidateForm(formdata=None),
                "remove_form": RemoveCandidateForm(formdata=None),
                "reason_form": ReasonForm(formdata=None), "action_form": ActionForm(formdata=None),
                "citation_form": CitationForm(formdata=None), "photo_form": PhotoForm(formdata=None)}
    defaults.update(forms)
    return render_template(
        DETAIL_TEMPLATE, award=award, ranking=ranking, history=awards.history(award),
        criteria=awards.CRITERION_LABELS,
        tie_rule=awards.TIE_RULE_TEXT, scope_label=awards.scope_label(award), error=error,
        max_upload=evidence_files.size_label(current_app.config["EVIDENCE_MAX_BYTES"]),
        **defaults), status


@bp.route("/penghargaan/<int:award_id>")
def award_detail(award_id: int):
    award = get_or_404(Award, award_id)
    require(access.manages_awards(acting_user()))
    return _detail(award)


def _act(award: Award, section: str, form, action, done: str, **forms):
    """Validate `form`, run `action()`; a broken rule re-renders the page with a 400."""
    if not form.validate_on_submit():
        return _detail(award, 400, (section, _first_error(form)), **forms)
    try:
        action()
    except RuleViolation as problem:
        return _detail(award, 400, (section, str(problem.message)), **forms)
    flash(done, "success")
    return redirect(url_for("portal.award_detail", award_id=award.id, _anchor=section))


@bp.route("/penghargaan/<int:award_id>/kandidat/tambah", methods=["POST"])
def award_candidate_add(award_id: int):
    award = get_or_404(Award, award_id)
    require(access.manages_awards(acting_user()))
    form = AddCandidateForm()
    return _act(award, "kandidat", form, lambda: awards.add_candidate(
        acting_user(), award, awards.find_employee(form.nip.data), form.reason.data),
        _("Kandidat ditambahkan."), add_form=form)


@bp.route("/penghargaan/<int:award_id>/kandidat/hapus", methods=["POST"])
def award_candidate_remove(award_id: int):
    award = get_or_404(Award, award_id)
    require(access.manages_awards(acting_user()))
    form = RemoveCandidateForm()

    def remove():
        raw = form.employee_id.data or ""
        employee = db_get(Employee, int(raw) if raw.isdigit() and len(raw) < 12 else None)
        awards.remove_candidate(acting_user(), award, employee, form.reason.data)
    return _act(award, "kandidat", form, remove, _("Kandidat dikeluarkan dari peringkat."),
                remove_form=form)


def db_get(model, object_id):
    return db.session.get(model, object_id) if object_id is not None else None


@bp.route("/penghargaan/<int:award_id>/putuskan", methods=["POST"])
def award_decide(award_id: int):
    award = get_or_404(Award, award_id)
    require(access.manages_awards(acting_user()))
    return _act(award, "pemenang", ActionForm(), lambda: awards.decide(acting_user(), award, _today()),
                _("Penghargaan diputuskan; peringkat dibekukan."))


@bp.route("/penghargaan/<int:award_id>/buka", methods=["POST"])
def award_reopen(award_id: int):
    award = get_or_404(Award, award_id)
    require(access.manages_awards(acting_user()))
    form = ReasonForm()
    return _act(award, "pemenang", form, lambda: awards.reopen(acting_user(), award, form.reason.data),
                _("Keputusan dibatalkan; penghargaan kembali menjadi draf."), reason_form=form)


@bp.route("/penghargaan/<int:award_id>/publikasikan", methods=["POST"])
def award_publish(award_id: int):
    award = get_or_404(Award, award_id)
    require(access.manages_awards(acting_user()))
    return _act(award, "pemenang", ActionForm(), lambda: awards.publish(acting_user(), award),
                _("Penghargaan dipublikasikan di halaman publik dan layar kiosk."))


@bp.route("/penghargaan/<int:award_id>/tarik", methods=["POST"])
def award_withdraw(award_id: int):
    award = get_or_404(Award, award_id)
    require(access.manages_awards(acting_user()))
    form = ReasonForm()
    return _act(award, "pemenang", form, lambda: awards.withdraw(acting_user(), award, form.reason.data),
                _("Penghargaan ditarik dari publikasi."), reason_form=form)


@bp.route("/penghargaan/pemenang/<int:winner_id>/kutipan", methods=["POST"])
def award_winner_citation(winner_id: int):
    winner = get_or_404(AwardWinner, winner_id)
    require(access.manages_awards(acting_user()))
    form = CitationForm()
    return _act(winner.award, "pemenang", form,
                lambda: awards.set_citation(acting_user(), winner, form.citation.data),
                _("Kutipan tersimpan."))


@bp.route("/penghargaan/pemenang/<int:winner_id>/foto", methods=["POST"])
def award_winner_photo(winner_id: int):
    winner = get_or_404(AwardWinner, winner_id)
    require(access.manages_awards(acting_user()))
    form = PhotoForm()

    def upload():
        if not form.photo.data:
            raise RuleViolation(_("Pilih berkas foto."), "photo")
        data = evidence_files.read_upload(form.photo.data.stream)
        awards.set_photo(acting_user(), winner, data, bool(form.consent.data))
    return _act(winner.award, "pemenang", form, upload, _("Foto tersimpan."))


@bp.route("/penghargaan/pemenang/<int:winner_id>/foto/hapus", methods=["POST"])
def award_winner_photo_remove(winner_id: int):
    winner = get_or_404(AwardWinner, winner_id)
    require(access.manages_awards(acting_user()))
    return _act(winner.award, "pemenang", ActionForm(),
                lambda: awards.remove_photo(acting_user(), winner), _("Foto dihapus."))


@bp.route("/penghargaan/pemenang/<int:winner_id>/foto")
def award_winner_photo_view(winner_id: int):
    """HR's preview of a winner's photo (the public one is served only once published)."""
    winner = get_or_404(AwardWinner, winner_id)
    require(access.manages_awards(acting_user()))
    return photo_response(winner)


def photo_response(winner: AwardWinner):
    if not winner.photo_consent:
        abort(404)
    return send_upload(awards.photo_path(winner), winner.photo_type)


@bp.route("/penghargaan/pemenang/<int:winner_id>/sertifikat.pdf")
def award_certificate(winner_id: int):
    winner = get_or_404(AwardWinner, winner_id)
    require(access.can_download_certificate(acting_user(), winner))
    try:
        context = awards.certificate_context(winner)
    except RuleViolation as problem:
        abort(400, description=str(problem.message))
    html = render_template(CERTIFICATE_TEMPLATE, **context)
    name = f"piagam-{winner.award_id}-{winner.rank}.pdf"
    return Response(documents.to_pdf(html), mimetype="application/pdf",
                    headers={"Content-Disposition": f'inline; filename="{name}"'})


# ---------------------------------------------------------------- nominations (heads of unit)


@bp.route("/penghargaan/<int:award_id>/nominasi", methods=["GET", "POST"])
def award_nominate(award_id: int):
    award = get_or_404(Award, award_id)
    user = acting_user()
    require(awards.nominates_for(user, award))
    form = NominationForm()
    nominees = awards.nominees_for(user, award) if award.is_draft else []
    form.employee_id.choices = [SelectChoice("", "—")] + [
        SelectChoice(e.id, f"{e.name} — {e.position_name}") for e in nominees]
    status = 200
    if request.method == "POST":
        status = 400
        if form.validate_on_submit():
            try:
                employee = db_get(Employee, form.employee_id.data)
                awards.nominate(user, award, employee, form.citation.data)
            except RuleViolation as problem:
                show_problem(form, problem)
            else:
                flash(_("Nominasi tersimpan."), "success")
                return redirect(url_for("portal.award_nominate", award_id=award.id))
    return render_template(NOMINATE_TEMPLATE, award=award, form=form, nominees=nominees,
                           mine=awards.my_nominations(user, award),
                           scope_label=awards.scope_label(award), criteria=awards.CRITERION_LABELS), status

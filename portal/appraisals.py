"""Evaluations (penilaian kinerja): the year's points, the employee's self-assessment, the
appraiser's ratings and finalising, acknowledgement, objection and its decision."""
from flask import abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import RadioField, SelectField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional

from kinerja.appraisal import (
    appraisals,
    behaviour_guides,
    credits,
    development,
    distribution,
    peer_feedback,
    ppk_records,
    skp_annex,
)
from kinerja.appraisal.models import Evaluation, EvaluationKind
from kinerja.appraisal.predikat import MATRIX, Behaviour, Rating
from kinerja.core.errors import RuleViolation
from kinerja.feedback import rosters
from kinerja.organisation import access
from kinerja.performance import periods
from kinerja.performance.models import Skp
from portal import bp
from portal.forms import ConfirmForm
from portal.guards import acting_user, get_or_404, require
from web.forms import Form, show_problem
from web.rendering import render

DETAIL = "portal/appraisals/detail.html"
MISSING = "portal/appraisals/_missing.html"


def _rating_choices(blank=True):
    choices = [SelectChoice(r.value, r.label) for r in Rating]
    return [SelectChoice("", _l("— pilih —")), *choices] if blank else choices


class SelfAssessmentForm(Form):
    self_assessment = TextAreaField(_l("Penilaian mandiri"),
                                    validators=[Optional(), Length(max=appraisals.MAX_TEXT)])


class ObjectionForm(Form):
    reasons = TextAreaField(_l("Alasan keberatan"),
                            validators=[DataRequired(), Length(max=appraisals.MAX_TEXT)])


class ResponseForm(Form):
    response = TextAreaField(_l("Tanggapan pejabat penilai"),
                             validators=[DataRequired(), Length(max=appraisals.MAX_TEXT)])


class DecisionForm(Form):
    outcome = RadioField(_l("Keputusan"), choices=[SelectChoice("kuatkan", _l("Kuatkan penilaian")),
                                                   SelectChoice("ubah", _l("Ubah penilaian"))],
                         validators=[DataRequired()])
    result = SelectField(_l("Rating hasil kerja baru"), choices=_rating_choices(),
                         validators=[Optional()])
    behaviour = SelectField(_l("Rating perilaku kerja baru"), choices=_rating_choices(),
                            validators=[Optional()])
    decision = TextAreaField(_l("Pertimbangan keputusan"),
                             validators=[DataRequired(), Length(max=appraisals.MAX_TEXT)])


def _render_detail(evaluation: Evaluation, status: int = 200, *, problem: str | None = None,
                   submitted=None, **forms):
    page = appraisals.evaluation_page(acting_user(), evaluation)
    context = dict(
        page=page, problem=problem, matrix=MATRIX,
        submitted=submitted or {}, confirm=ConfirmForm(), rating_choices=_rating_choices(),
        record_note=ppk_records.note,
        self_form=forms.get("self_form") or SelfAssessmentForm(
            formdata=None, self_assessment=evaluation.self_assessment),
        objection_form=forms.get("objection_form") or ObjectionForm(formdata=None),
        response_form=forms.get("response_form") or ResponseForm(formdata=None),
        decision_form=forms.get("decision_form") or DecisionForm(formdata=None),
        extras=_extras(evaluation, page),
    )
    return render(DETAIL, **context), status


def _extras(evaluation: Evaluation, page) -> dict:
    """What other areas add beside the ratings: peer feedback, citizen satisfaction, the unit's
    distribution, the development plan."""
    user = acting_user()
    return {
        # The annex's panduan perilaku and the leader's ekspektasi khusus beside each value.
        "guides": behaviour_guides.GUIDES,
        "expectations": skp_annex.expectations_of(evaluation.skp),
        "satisfaction": rosters.staff_satisfaction(evaluation.employee, page.point.starts,
                                                   page.point.ends),
        "development": development.section_for(user, evaluation),
        "peer": (peer_feedback.peer_feedback_summary(evaluation)
                 if access.can_request_peer_feedback(user, evaluation) else None),
        "distribution": (distribution.distribution_warnings_for(
            evaluation.employee, evaluation.period, adding=appraisals.proposed_predikat(evaluation),
            replacing=evaluation) if page.can_rate else None),
        "credit": credits.of_evaluation(evaluation),
    }


def _evaluation(evaluation_id: int) -> Evaluation:
    evaluation = get_or_404(Evaluation, evaluation_id)
    require(access.can_view_evaluation(acting_user(), evaluation))
    return evaluation


def _done(evaluation: Evaluation, message: str, anchor: str | None = None):
    flash(message, "success")
    return redirect(url_for("portal.evaluation_detail", evaluation_id=evaluation.id,
                            _anchor=anchor))


@bp.route("/penilaian")
def appraisal_home():
    me = acting_user()
    period = periods.period_for(request.args.get("period_id", type=int))
    if period is None:
        return render("portal/appraisals/home.html", period=None, periods=[])
    return render("portal/appraisals/home.html", period=period, periods=periods.all_periods(),
                  mine=appraisals.own_overviews(me, period),
                  year_result=appraisals.year_result(me.employee, period),
                  team=appraisals.team_overview(me, period),
                  to_decide=appraisals.objections_to_decide(me),
                  peer_requests=peer_feedback.open_count(me),
                  confirm=ConfirmForm(),
                  sees_recap=access.sees_predikat_recap(me),
                  own_plan=access.keeps_own_plan(me),
                  recap_points=[(at.key, at.label(period))
                                for at in distribution.points_in(period)])


@bp.route("/penilaian/skp/<int:skp_id>/<kind>/<int:point>", methods=["POST"])
def evaluation_open(skp_id: int, kind: str, point: int):
    skp = get_or_404(Skp, skp_id)
    me = acting_user()
    require(access.can_start_evaluation(me, skp))
    if kind not in {k.value for k in EvaluationKind}:
        abort(404)
    found = appraisals.point_of(skp.period, kind, point)
    if found is None:
        abort(404)
    if not ConfirmForm().validate_on_submit():
        abort(400, description=_("Formulir kedaluwarsa; muat ulang halaman lalu coba lagi."))
    try:
        evaluation = appraisals.open_evaluation(me, skp, found)
    except RuleViolation as problem:
        flash(str(problem.message), "error")
        return redirect(url_for("portal.appraisal_home", period_id=skp.period_id)), 303
    return redirect(url_for("portal.evaluation_detail", evaluation_id=evaluation.id))


@bp.route("/penilaian/<int:evaluation_id>")
def evaluation_detail(evaluation_id: int):
    return _render_detail(_evaluation(evaluation_id))


@bp.route("/penilaian/<int:evaluation_id>/mandiri", methods=["POST"])
def evaluation_self(evaluation_id: int):
    evaluation = _evaluation(evaluation_id)
    require(access.owns(acting_user(), evaluation))
    submit = request.form.get("aksi") == "kirim"
    return _text_step(
        evaluation, "self_form", SelfAssessmentForm(), "self_assessment",
        lambda text: appraisals.save_self_assessment(acting_user(), evaluation, text, submit=submit),
        _("Penilaian mandiri dikirim ke atasan.") if submit
        else _("Draf penilaian mandiri tersimpan."), "mandiri")


def _text_step(evaluation: Evaluation, key: str, form, field: str, save, message: str,
               anchor: str | None = None):
    """A step that sends one text (self-assessment, objection, response): a broken rule is
    shown at the field, with what was typed kept."""
    if form.validate_on_submit():
        try:
            save(form[field].data)
        except RuleViolation as problem:
            show_problem(form, problem, fallback=field)
        else:
            return _done(evaluation, message, anchor)
    return _render_detail(evaluation, 400, **{key: form})


def _rating_input(evaluation: Evaluation) -> appraisals.RatingInput:
    form = request.form
    return appraisals.RatingInput(
        results={rhk.id: (form.get(f"rhk-{rhk.id}"), form.get(f"rhk-{rhk.id}-note"))
                 for rhk in evaluation.skp.rhks},
        behaviours={b.value: (form.get(f"b-{b.value}"), form.get(f"b-{b.value}-note"))
                    for b in Behaviour},
        result=form.get("result"), behaviour=form.get("behaviour"),
        result_note=form.get("result_note"), behaviour_note=form.get("behaviour_note"))


def _scan():
    """The PPK's signed scan HR attaches when recording the PPK's decision: (stream, name)."""
    upload = request.files.get("scan")
    return (upload.stream, upload.filename) if upload and upload.filename else None


def _rates(evaluation: Evaluation) -> bool:
    """The appraiser (or their Plt/Plh), or HR transcribing the PPK's ratings."""
    user = acting_user()
    return (access.can_appraise(user, evaluation.employee, evaluation.skp)
            or access.records_for_ppk(user, evaluation.employee, evaluation.skp))


@bp.route("/penilaian/<int:evaluation_id>/nilai", methods=["POST"])
def evaluation_rate(evaluation_id: int):
    evaluation = _evaluation(evaluation_id)
    require(_rates(evaluation))
    if not ConfirmForm().validate_on_submit():
        return _render_detail(evaluation, 400, submitted=request.form,
                              problem=_("Formulir kedaluwarsa; muat ulang halaman lalu coba lagi."))
    finalise = request.form.get("aksi") == "tetapkan"
    try:
        appraisals.save_ratings(acting_user(), evaluation, _rating_input(evaluation))
        if finalise:
            result = appraisals.finalise(acting_user(), evaluation, scan=_scan())
    except RuleViolation as problem:
        return _render_detail(evaluation, 422 if finalise else 400, submitted=request.form,
                              problem=str(problem.message))
    if finalise:
        return _done(evaluation, _("Evaluasi ditetapkan: predikat %(p)s.",
                                   p=result.label))
    return _done(evaluation, _("Penilaian tersimpan sebagai draf."), "nilai")


@bp.route("/penilaian/<int:evaluation_id>/periksa", methods=["POST"])
def evaluation_check(evaluation_id: int):
    """The "before it can be set" list, recomputed from the rating form as it is filled
    (htmx, on every change); nothing is saved."""
    evaluation = _evaluation(evaluation_id)
    require(_rates(evaluation))
    try:
        missing = appraisals.missing_in_form(acting_user(), evaluation, _rating_input(evaluation))
    except RuleViolation as problem:
        abort(409, description=str(problem.message))
    return render(MISSING, evaluation=evaluation, missing=missing)


@bp.route("/penilaian/<int:evaluation_id>/terima", methods=["POST"])
def evaluation_acknowledge(evaluation_id: int):
    evaluation = _evaluation(evaluation_id)
    require(access.owns(acting_user(), evaluation))
    if not ConfirmForm().validate_on_submit():
        abort(400, description=_("Formulir kedaluwarsa; muat ulang halaman lalu coba lagi."))
    try:
        appraisals.acknowledge(acting_user(), evaluation)
    except RuleViolation as problem:
        return _render_detail(evaluation, 400, problem=str(problem.message))
    return _done(evaluation, _("Hasil evaluasi Anda terima."))


@bp.route("/penilaian/<int:evaluation_id>/keberatan", methods=["POST"])
def evaluation_object(evaluation_id: int):
    evaluation = _evaluation(evaluation_id)
    require(access.owns(acting_user(), evaluation))
    return _text_step(
        evaluation, "objection_form", ObjectionForm(), "reasons",
        lambda text: appraisals.lodge_objection(acting_user(), evaluation, text),
        _("Keberatan diajukan kepada atasan pejabat penilai."))


@bp.route("/penilaian/<int:evaluation_id>/tanggapan", methods=["POST"])
def objection_answer(evaluation_id: int):
    evaluation = _evaluation(evaluation_id)
    require(evaluation.appraiser_id == acting_user().employee.id)
    return _text_step(
        evaluation, "response_form", ResponseForm(), "response",
        lambda text: appraisals.answer_objection(acting_user(), evaluation, text),
        _("Tanggapan Anda tersimpan."), "keberatan")


@bp.route("/penilaian/<int:evaluation_id>/putusan", methods=["POST"])
def objection_decide(evaluation_id: int):
    evaluation = _evaluation(evaluation_id)
    require(access.can_decide_objection(acting_user(), evaluation)
            or access.records_decision_for_ppk(acting_user(), evaluation))
    form = DecisionForm()
    if form.validate_on_submit():
        try:
            appraisals.decide_objection(acting_user(), evaluation,
                                        change=form.outcome.data == "ubah",
                                        result=form.result.data, behaviour=form.behaviour.data,
                                        decision=form.decision.data, scan=_scan())
        except RuleViolation as problem:
            show_problem(form, problem, fallback="decision")
        else:
            return _done(evaluation, _("Keberatan diputuskan; hasil ini final."), "keberatan")
    return _render_detail(evaluation, 400, decision_form=form)

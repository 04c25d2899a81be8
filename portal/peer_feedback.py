"""Peer feedback: the appraiser (or HR) asks colleagues about an evaluated employee's behaviour;
a colleague sees the requests addressed to them and answers each once, before its deadline."""
from datetime import timedelta

from flask import flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from wtforms import DateField, RadioField, SelectMultipleField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from kinerja.appraisal import peer_feedback
from kinerja.appraisal.models import Evaluation, PeerFeedbackRequest
from kinerja.appraisal.predikat import Behaviour, Rating
from kinerja.core import calendar
from kinerja.core.errors import RuleViolation
from kinerja.organisation import access
from portal import bp
from portal.guards import acting_user, get_or_404, require
from web.forms import Form, options, show_problem
from web.rendering import render

REQUESTS_TEMPLATE = "portal/peer_feedback/requests.html"
INBOX_TEMPLATE = "portal/peer_feedback/inbox.html"
ANSWER_TEMPLATE = "portal/peer_feedback/answer.html"
DEFAULT_DAYS = 7


class AskForm(Form):
    # Which colleagues may be asked is the service's rule; the field only collects ids.
    colleagues = SelectMultipleField(_l("Rekan"), coerce=int, validate_choice=False)
    due_on = DateField(_l("Batas waktu"), validators=[DataRequired()])


class AnswerForm(Form):
    comment = TextAreaField(_l("Komentar (opsional)"),
                            validators=[Optional(), Length(max=peer_feedback.MAX_COMMENT)])


# One radio group per BerAKHLAK value, named by the value.
for _behaviour in Behaviour:
    setattr(AnswerForm, _behaviour.value, RadioField(
        _behaviour.label, choices=options((r.value, r.label) for r in Rating),
        validators=[InputRequired(message=_l("Pilih salah satu."))]))


def _requests_page(evaluation: Evaluation, form: AskForm, status: int = 200):
    user = acting_user()
    choices = peer_feedback.colleague_choices(user, evaluation, request.args.get("q", ""))
    return render(
        REQUESTS_TEMPLATE, block="found", evaluation=evaluation, form=form, choices=choices,
        asked=peer_feedback.asked_list(user, evaluation),
        summary=peer_feedback.peer_feedback_summary(evaluation),
        can_ask=peer_feedback.can_ask(user, evaluation),
        picked=set(form.colleagues.data or ())), status


@bp.route("/penilaian/<int:evaluation_id>/rekan", methods=["GET", "POST"])
def peer_feedback_requests(evaluation_id: int):
    evaluation = get_or_404(Evaluation, evaluation_id)
    user = acting_user()
    require(access.can_request_peer_feedback(user, evaluation))
    form = AskForm()
    if request.method == "GET":
        form.due_on.data = calendar.today_in(evaluation.employee.time_zone) + timedelta(days=DEFAULT_DAYS)
        return _requests_page(evaluation, form)
    if form.validate_on_submit():
        try:
            created = peer_feedback.ask(user, evaluation, form.colleagues.data, form.due_on.data)
        except RuleViolation as problem:
            show_problem(form, problem)
        else:
            flash(ngettext("%(num)s rekan diminta memberi umpan balik.",
                           "%(num)s rekan diminta memberi umpan balik.", len(created)), "success")
            return redirect(url_for("portal.peer_feedback_requests", evaluation_id=evaluation.id))
    return _requests_page(evaluation, form, status=400)


@bp.route("/umpan-balik-rekan")
def peer_feedback_inbox():
    return render(INBOX_TEMPLATE, inbox=peer_feedback.inbox(acting_user()))


def _answer_page(feedback: PeerFeedbackRequest, form: AnswerForm, status: int = 200,
                 problem=None):
    user = acting_user()
    today = calendar.today_in(user.employee.time_zone)
    return render(ANSWER_TEMPLATE, feedback=feedback, form=form, behaviours=list(Behaviour),
                  problem=problem or peer_feedback.answer_problem(feedback, today)), status


@bp.route("/umpan-balik-rekan/<int:request_id>", methods=["GET", "POST"])
def peer_feedback_answer(request_id: int):
    feedback = get_or_404(PeerFeedbackRequest, request_id)
    user = acting_user()
    require(access.can_answer_peer_feedback(user, feedback))
    if request.method == "GET":
        return _answer_page(feedback, AnswerForm(formdata=None))
    form = AnswerForm()
    if problem := peer_feedback.answer_problem(feedback, calendar.today_in(user.employee.time_zone)):
        form.form_errors.append(problem)
        return _answer_page(feedback, form, status=400, problem=problem)
    if form.validate_on_submit():
        ratings = {b.value: getattr(form, b.value).data for b in Behaviour}
        try:
            peer_feedback.answer(user, feedback, ratings, form.comment.data)
        except RuleViolation as problem:
            show_problem(form, problem)
        else:
            flash(_("Terima kasih, umpan balik Anda terkirim."), "success")
            return redirect(url_for("portal.peer_feedback_inbox"))
    return _answer_page(feedback, form, status=400)

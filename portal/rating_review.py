"""HR's review of ratings the kiosk flagged as suspicious: exclude from IKM, or count again.
Nothing is deleted: an excluded rating stays stored with who excluded it and why."""
from flask import redirect, render_template, request, url_for
from flask_babel import lazy_gettext as _l
from wtforms import StringField
from wtforms.validators import DataRequired, Length

from kinerja.core.errors import RuleViolation
from kinerja.feedback import ratings
from kinerja.feedback.models import Rating
from kinerja.organisation import access, org
from portal import bp
from portal.forms import ConfirmForm
from portal.guards import acting_user, get_or_404, require
from web.forms import Form, show_problem


class ExcludeForm(Form):
    reason = StringField(_l("Alasan"), validators=[DataRequired(), Length(max=300)])


def _page(status: int = 200, failed: int | None = None, form: ExcludeForm | None = None):
    counter_id = request.args.get("loket", type=int)
    page = max(request.args.get("page", 1, type=int), 1)
    return render_template(
        "portal/ikm/flagged.html", flagged=ratings.flagged_page(counter_id, page),
        counters=org.counters_page(None, 1, 500).items, counter_id=counter_id,
        exclude_form=form or ExcludeForm(formdata=None), failed=failed,
        confirm=ConfirmForm()), status


@bp.route("/ikm/ditandai")
def flagged_ratings():
    require(access.sees_all_performance(acting_user()))
    return _page()


@bp.route("/ikm/penilaian/<int:rating_id>/keluarkan", methods=["POST"])
def rating_exclude(rating_id: int):
    require(access.sees_all_performance(acting_user()))
    rating = get_or_404(Rating, rating_id)
    form = ExcludeForm()
    if not form.validate_on_submit():
        return _page(400, rating.id, form)
    try:
        ratings.exclude(acting_user(), rating, form.reason.data)
    except RuleViolation as problem:
        show_problem(form, problem, fallback="reason")
        return _page(400, rating.id, form)
    return redirect(request.referrer if request.referrer and request.referrer.startswith(
        request.host_url) else url_for("portal.flagged_ratings"))


@bp.route("/ikm/penilaian/<int:rating_id>/masukkan", methods=["POST"])
def rating_include(rating_id: int):
    require(access.sees_all_performance(acting_user()))
    rating = get_or_404(Rating, rating_id)
    if ConfirmForm().validate_on_submit():
        ratings.include(acting_user(), rating)
    return redirect(url_for("portal.flagged_ratings"))

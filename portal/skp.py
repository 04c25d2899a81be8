"""The SKP: my plan, editing RHK and indicators in place, submission, approval, history."""
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from kinerja.core.errors import RuleViolation
from kinerja.organisation import access
from kinerja.performance import periods, skp_workflow, skps
from kinerja.performance.formatting import short_month_names
from kinerja.performance.models import Indicator, Rhk, Skp
from portal import bp
from portal import skp_annex as skp_annex_views
from portal.forms import (
    DIRECTION_HIGHER,
    DIRECTION_LOWER,
    ConfirmForm,
    IndicatorForm,
    PpkScanForm,
    ReturnForm,
    RhkForm,
    lower_is_better,
)
from portal.guards import acting_user, get_or_404, require
from web.rendering import is_htmx, render


@bp.route("/skp")
def skp_mine():
    user = acting_user()
    period = periods.open_period()
    mine = skp_workflow.skp_of(user.employee, period) if period else None
    this_year = skps.skps_in(user.employee, period) if period else []
    return render_template(
        "portal/skp/mine.html", period=period, skp=mine, confirm=ConfirmForm(),
        own_plan=access.keeps_own_plan(user),
        history=skp_workflow.skps_of(user.employee),
        this_year=this_year,
        # Each plan's appraiser: after a transfer, the old supervisor for the closed plan.
        appraisers={s.id: access.appraiser_of(s.employee, s) for s in this_year},
        month_names=short_month_names(),
        team=skp_workflow.team_skps(user.employee, period) if period else [],
        waiting=skp_workflow.waiting_for(user.employee, period) if period else [])


@bp.route("/skp/mulai", methods=["POST"])
def skp_start():
    period = periods.open_period()
    if period is None or not ConfirmForm().validate_on_submit():
        flash(_("Belum ada periode yang berjalan."), "error")
        return redirect(url_for("portal.skp_mine"))
    skp = skp_workflow.start_skp(acting_user(), period)
    return redirect(url_for("portal.skp_detail", skp_id=skp.id))


def _viewable(skp_id: int) -> Skp:
    skp = get_or_404(Skp, skp_id)
    require(access.can_view_plan(acting_user(), skp))
    return skp


def _own(skp_id: int) -> Skp:
    """An SKP the acting user may change: their own (the service checks the rest)."""
    skp = _viewable(skp_id)
    require(access.owns(acting_user(), skp))
    return skp


def _decidable(skp_id: int) -> Skp:
    skp = _viewable(skp_id)
    require(access.can_approve_skp_of(acting_user(), skp.employee, skp))
    return skp


def _page(skp: Skp, status: int = 200, *, rhk_form=None, editing_rhk=None, indicator_form=None,
          editing_indicator=None, adding_indicator_to=None, return_form=None, problem=None,
          annex_forms=None, ppk_form=None):
    """The SKP page; for htmx only its "plan" block, where every in-place edit lands."""
    user = acting_user()
    context = dict(
        skp=skp, can_edit=skp_workflow.can_edit(user, skp),
        can_decide=skp_workflow.can_decide(user, skp),
        can_withdraw=skp_workflow.can_withdraw(user, skp),
        can_record_for_ppk=skp_workflow.can_record_ppk_approval(user, skp),
        ppk_form=ppk_form or PpkScanForm(formdata=None),
        options=skp_workflow.parent_options(skp),
        problems=skp_workflow.submission_problems(skp),
        rhk_form=rhk_form or RhkForm(formdata=None), editing_rhk=editing_rhk,
        indicator_form=indicator_form or IndicatorForm(formdata=None),
        editing_indicator=editing_indicator, adding_indicator_to=adding_indicator_to,
        return_form=return_form or ReturnForm(formdata=None), confirm=ConfirmForm(),
        problem=problem, **skp_annex_views.context(user, skp, annex_forms or {}),
    )
    return render("portal/skp/detail.html", block="plan", **context), status


@bp.route("/skp/<int:skp_id>")
def skp_detail(skp_id: int):
    skp = _viewable(skp_id)
    edit = {}
    if skp_workflow.can_edit(acting_user(), skp):
        # The row being edited comes from the query string, so each state has its own URL.
        rhk_id = request.args.get("ubah_rhk", type=int)
        indicator_id = request.args.get("ubah_indikator", type=int)
        add_to = request.args.get("tambah_indikator", type=int)
        if rhk_id:
            rhk = _rhk_of(skp, rhk_id)
            form = RhkForm(formdata=None, obj=rhk)
            form.parent.data = _parent_value(rhk)
            form.perspective.data = rhk.perspective.value if rhk.perspective else ""
            edit = {"editing_rhk": rhk.id, "rhk_form": form}
        elif indicator_id:
            indicator = _indicator_of(skp, indicator_id)
            edit = {"editing_indicator": indicator.id,
                    "indicator_form": IndicatorForm(
                        formdata=None, obj=indicator,
                        direction=DIRECTION_LOWER if indicator.lower_is_better else DIRECTION_HIGHER)}
        elif add_to:
            edit = {"adding_indicator_to": _rhk_of(skp, add_to).id}
    return _page(skp, **edit)


def _parent_value(rhk: Rhk) -> str:
    if rhk.parent_rhk_id:
        return f"rhk:{rhk.parent_rhk_id}"
    if rhk.unit_goal_id:
        return f"goal:{rhk.unit_goal_id}"
    return ""


def _rhk_of(skp: Skp, rhk_id: int) -> Rhk:
    for rhk in skp.rhks:
        if rhk.id == rhk_id:
            return rhk
    abort(404)


def _indicator_of(skp: Skp, indicator_id: int) -> Indicator:
    for rhk in skp.rhks:
        for indicator in rhk.indicators:
            if indicator.id == indicator_id:
                return indicator
    abort(404)


def _done(skp: Skp, anchor: str = "plan"):
    if is_htmx():
        return _page(skp)
    return redirect(url_for("portal.skp_detail", skp_id=skp.id, _anchor=anchor))


def _edit(skp: Skp, action, failed_page: dict, anchor: str = "plan"):
    """Run one change; on a broken rule show the page again with the message in place."""
    try:
        action()
    except RuleViolation as problem:
        form = failed_page.get("rhk_form") or failed_page.get("indicator_form")
        if form is not None and problem.field in form:
            form[problem.field].errors.append(problem.message)
        else:
            failed_page["problem"] = problem.message
        return _page(skp, 400, **failed_page)
    return _done(skp, anchor)


@bp.route("/skp/<int:skp_id>/rhk", methods=["POST"])
def rhk_create(skp_id: int):
    skp = _own(skp_id)
    form = RhkForm()
    if not form.validate_on_submit():
        return _page(skp, 400, rhk_form=form)
    return _edit(skp, lambda: skp_workflow.save_rhk(
        acting_user(), skp, None, text=form.text.data, kind=form.kind.data,
        parent=form.parent.data, perspective=form.perspective.data), {"rhk_form": form})


@bp.route("/rhk/<int:rhk_id>/ubah", methods=["POST"])
def rhk_edit(rhk_id: int):
    rhk = get_or_404(Rhk, rhk_id)
    skp = _own(rhk.skp_id)
    form = RhkForm()
    if not form.validate_on_submit():
        return _page(skp, 400, rhk_form=form, editing_rhk=rhk.id)
    return _edit(skp, lambda: skp_workflow.save_rhk(
        acting_user(), skp, rhk, text=form.text.data, kind=form.kind.data,
        parent=form.parent.data, perspective=form.perspective.data),
        {"rhk_form": form, "editing_rhk": rhk.id}, f"rhk-{rhk.id}")


@bp.route("/rhk/<int:rhk_id>/hapus", methods=["POST"])
def rhk_remove(rhk_id: int):
    rhk = get_or_404(Rhk, rhk_id)
    skp = _own(rhk.skp_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    return _edit(skp, lambda: skp_workflow.remove_rhk(acting_user(), rhk), {})


@bp.route("/rhk/<int:rhk_id>/indikator", methods=["POST"])
def indicator_create(rhk_id: int):
    rhk = get_or_404(Rhk, rhk_id)
    skp = _own(rhk.skp_id)
    form = IndicatorForm()
    failed = {"indicator_form": form, "adding_indicator_to": rhk.id}
    if not form.validate_on_submit():
        return _page(skp, 400, **failed)
    return _edit(skp, lambda: skp_workflow.save_indicator(
        acting_user(), rhk, None, aspect=form.aspect.data, text=form.text.data,
        target=form.target.data, unit_of_measure=form.unit_of_measure.data,
        qualitative=form.qualitative.data, target_text=form.target_text.data,
        lower_is_better=lower_is_better(form.direction.data)), failed,
        f"rhk-{rhk.id}")


@bp.route("/indikator/<int:indicator_id>/ubah", methods=["POST"])
def indicator_edit(indicator_id: int):
    indicator = get_or_404(Indicator, indicator_id)
    skp = _own(indicator.rhk.skp_id)
    form = IndicatorForm()
    failed = {"indicator_form": form, "editing_indicator": indicator.id}
    if not form.validate_on_submit():
        return _page(skp, 400, **failed)
    return _edit(skp, lambda: skp_workflow.save_indicator(
        acting_user(), indicator.rhk, indicator, aspect=form.aspect.data, text=form.text.data,
        target=form.target.data, unit_of_measure=form.unit_of_measure.data,
        qualitative=form.qualitative.data, target_text=form.target_text.data,
        lower_is_better=lower_is_better(form.direction.data)), failed,
        f"rhk-{indicator.rhk_id}")


@bp.route("/indikator/<int:indicator_id>/hapus", methods=["POST"])
def indicator_remove(indicator_id: int):
    indicator = get_or_404(Indicator, indicator_id)
    skp = _own(indicator.rhk.skp_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    return _edit(skp, lambda: skp_workflow.remove_indicator(acting_user(), indicator), {})


def _transition(skp: Skp, change, message: str, form=None):
    form = form or ConfirmForm()
    if not form.validate_on_submit():
        return _page(skp, 400, return_form=form if isinstance(form, ReturnForm) else None)
    failed = {"return_form": form} if isinstance(form, ReturnForm) else {}
    try:
        change(acting_user(), skp)
    except RuleViolation as problem:
        if isinstance(form, ReturnForm) and problem.field == "comment":
            form.comment.errors.append(problem.message)
        else:
            failed["problem"] = problem.message
        return _page(skp, 400, **failed)
    flash(message, "success")
    return redirect(url_for("portal.skp_detail", skp_id=skp.id))


@bp.route("/skp/<int:skp_id>/ajukan", methods=["POST"])
def skp_submit(skp_id: int):
    return _transition(_own(skp_id), skp_workflow.submit, _("SKP diajukan ke atasan."))


@bp.route("/skp/<int:skp_id>/tarik", methods=["POST"])
def skp_withdraw(skp_id: int):
    return _transition(_own(skp_id), skp_workflow.withdraw, _("Pengajuan ditarik; SKP bisa diubah lagi."))


@bp.route("/skp/<int:skp_id>/setujui", methods=["POST"])
def skp_approve(skp_id: int):
    return _transition(_decidable(skp_id), skp_workflow.approve, _("SKP disetujui."))


@bp.route("/skp/<int:skp_id>/setujui-ppk", methods=["POST"])
def skp_record_ppk_approval(skp_id: int):
    """HR records the approval the PPK signed, with the scan."""
    skp = _viewable(skp_id)
    require(access.records_for_ppk(acting_user(), skp.employee, skp))
    form = PpkScanForm()
    if not form.validate_on_submit():
        return _page(skp, 400, ppk_form=form)
    upload = form.scan.data
    scan = (upload.stream, upload.filename) if upload and getattr(upload, "filename", "") else None
    try:
        skp_workflow.record_ppk_approval(acting_user(), skp, scan)
    except RuleViolation as problem:
        form.scan.errors.append(problem.message)
        return _page(skp, 413 if "terlalu besar" in str(problem.message) else 400, ppk_form=form)
    flash(_("Persetujuan PPK tercatat dengan pindaiannya."), "success")
    return redirect(url_for("portal.skp_detail", skp_id=skp.id))


@bp.route("/skp/<int:skp_id>/kembalikan", methods=["POST"])
def skp_return(skp_id: int):
    skp = _decidable(skp_id)
    form = ReturnForm()
    return _transition(skp, lambda user, skp: skp_workflow.return_(user, skp, form.comment.data),
                       _("SKP dikembalikan kepada pegawai dengan catatan."), form)


@bp.route("/skp/<int:skp_id>/versi/<int:version>")
def skp_version(skp_id: int, version: int):
    skp = _viewable(skp_id)
    found = next((v for v in skp.versions if v.number == version), None)
    if found is None:
        abort(404)
    return render_template("portal/skp/version.html", skp=skp, version=found)


# The views of the SKP's annex parts (portal/skp_annex.py) show this page again on bad input.
render_page = _page

"""The SKP page's annex parts: the perilaku kerja with the panduan and the leader's ekspektasi
khusus (set by the approver), and the Lampiran SKP (drafted by the employee with the plan)."""
from flask import flash, redirect, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import TextAreaField
from wtforms.validators import Length, Optional

from kinerja.appraisal import behaviour_guides, skp_annex
from kinerja.appraisal.predikat import Behaviour
from kinerja.core.errors import RuleViolation
from kinerja.organisation import access
from kinerja.organisation.models import User
from kinerja.performance import perspectives
from kinerja.performance.models import Skp
from portal import bp
from portal.guards import acting_user, get_or_404, require
from web.forms import Form


class AttachmentForm(Form):
    resource_support = TextAreaField(_l("Dukungan sumber daya"), validators=[
        Optional(), Length(max=skp_annex.MAX_ATTACHMENT)])
    accountability = TextAreaField(_l("Skema pertanggungjawaban"), validators=[
        Optional(), Length(max=skp_annex.MAX_ATTACHMENT)])
    consequences = TextAreaField(_l("Konsekuensi"), validators=[
        Optional(), Length(max=skp_annex.MAX_ATTACHMENT)])


class ExpectationsForm(Form):
    """One text per BerAKHLAK value, named by the value ("akuntabel"...)."""


for _value in Behaviour:
    setattr(ExpectationsForm, _value.value, TextAreaField(
        _value.label, validators=[Optional(), Length(max=skp_annex.MAX_EXPECTATION)]))


def context(user: User, skp: Skp, forms: dict) -> dict:
    """What the SKP page shows of the annex, for `user`."""
    expectations = skp_annex.expectations_of(skp)
    return {
        "jpt": perspectives.is_jpt(skp.employee),
        "values": [(value, behaviour_guides.guides_of(value), expectations.get(value, ""))
                   for value in Behaviour],
        "can_set_expectations": skp_annex.can_set_expectations(user, skp),
        "can_edit_attachment": skp_annex.can_edit_attachment(user, skp),
        "expectations_form": forms.get("expectations_form") or ExpectationsForm(
            formdata=None, data={value.value: text for value, text in expectations.items()}),
        "attachment_form": forms.get("attachment_form") or AttachmentForm(formdata=None, obj=skp),
    }


def _again(skp: Skp, key: str, form, problem: RuleViolation | None = None):
    from portal import skp as skp_views  # noqa: PLC0415 - that module imports this one

    if problem is not None:
        if problem.field in form:
            form[problem.field].errors.append(problem.message)
        else:
            return skp_views.render_page(skp, 400, problem=problem.message, annex_forms={key: form})
    return skp_views.render_page(skp, 400, annex_forms={key: form})


@bp.route("/skp/<int:skp_id>/ekspektasi", methods=["POST"])
def skp_expectations_save(skp_id: int):
    skp = get_or_404(Skp, skp_id)
    user = acting_user()
    require(access.can_view_plan(user, skp)
            and access.can_approve_skp_of(user, skp.employee, skp))
    form = ExpectationsForm()
    if not form.validate_on_submit():
        return _again(skp, "expectations_form", form)
    try:
        skp_annex.save_expectations(user, skp, {value.value: form[value.value].data
                                                for value in Behaviour})
    except RuleViolation as problem:
        return _again(skp, "expectations_form", form, problem)
    flash(_("Ekspektasi khusus pimpinan disimpan."), "success")
    return redirect(url_for("portal.skp_detail", skp_id=skp.id, _anchor="perilaku"))


@bp.route("/skp/<int:skp_id>/lampiran", methods=["POST"])
def skp_attachment_save(skp_id: int):
    skp = get_or_404(Skp, skp_id)
    user = acting_user()
    require(access.can_view_performance(user, skp.employee) and access.owns(user, skp))
    form = AttachmentForm()
    if not form.validate_on_submit():
        return _again(skp, "attachment_form", form)
    try:
        skp_annex.save_attachment(user, skp, resource_support=form.resource_support.data,
                                  accountability=form.accountability.data,
                                  consequences=form.consequences.data)
    except RuleViolation as problem:
        return _again(skp, "attachment_form", form, problem)
    flash(_("Lampiran SKP disimpan."), "success")
    return redirect(url_for("portal.skp_detail", skp_id=skp.id, _anchor="lampiran"))

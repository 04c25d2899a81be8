"""Unit performance for HR and heads of unit (units side by side, one unit over the years and
its people), the capaian kinerja organisasi per unit and evaluation point (set and signed by
the unit's leader, printed as PDF) and HR's distribution limits table."""
import re

from flask import Response, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import lazy_gettext as _l
from wtforms import IntegerField, SelectMultipleField
from wtforms.validators import Optional
from wtforms.widgets import CheckboxInput, ListWidget

from kinerja.appraisal import distribution, organisation_performance, unit_performance
from kinerja.appraisal.models import DistributionLimit
from kinerja.appraisal.predikat import OrganisationPredikat, Predikat
from kinerja.core.errors import RuleViolation
from kinerja.organisation import access
from kinerja.organisation.models import Unit
from kinerja.performance import periods
from kinerja.performance.models import Period
from portal import bp
from portal.guards import acting_user, get_or_404, require
from web import documents
from web.forms import Form, options, show_problem
from web.rendering import render

COMPARE_TEMPLATE = "portal/unit_performance/compare.html"
UNIT_TEMPLATE = "portal/unit_performance/unit.html"
PREDIKAT_TEMPLATE = "portal/unit_performance/predikat.html"
LIMITS_TEMPLATE = "portal/unit_performance/limits.html"
CAPAIAN_PDF_TEMPLATE = "portal/documents/capaian_pdf.html"


def _sort_choices() -> list[tuple[str, str]]:
    complaint_words = {"terbuka": _l("Pengaduan terbuka"), "terlambat": _l("Pengaduan terlambat"),
                       "dijawab": _l("Pengaduan dijawab")}
    return [(column, complaint_words.get(column) or unit_performance.SORT_LABELS.get(column)
             or Predikat(column).label) for column in unit_performance.SORT_COLUMNS]


def _period() -> Period | None:
    """The period asked for (?periode=id), else the open one or the latest; an unknown id 404s."""
    period_id = request.args.get("periode", type=int)
    if period_id is not None:
        return get_or_404(Period, period_id)
    return periods.period_for(None)


def _sort() -> tuple[str, bool]:
    return request.args.get("urut", "nama"), request.args.get("arah") == "turun"


def _point(period: Period | None) -> distribution.At | None:
    """The evaluation point asked for (?titik=tahunan or a month/quarter); None: the page's
    default (the latest one with a capaian, organisation_performance.default_point)."""
    if period is None:
        return None
    try:
        return distribution.parse_at(request.args.get("titik"), period, default=None)
    except RuleViolation as problem:
        abort(400, description=problem.message)


# ---------------------------------------------------------------- unit performance


@bp.route("/kinerja-unit")
def unit_performance_compare():
    user = acting_user()
    require(access.sees_unit_performance(user))
    sort, descending = _sort()
    period = _period()
    view = unit_performance.comparison(user, period, sort, descending, _point(period))
    return render(COMPARE_TEMPLATE, block="results", view=view,
                  sort_labels=unit_performance.SORT_LABELS, sort_choices=_sort_choices())


@bp.route("/kinerja-unit/<int:unit_id>")
def unit_performance_detail(unit_id: int):
    unit = get_or_404(Unit, unit_id)
    user = acting_user()
    require(access.can_view_unit_performance(user, unit))
    sort, descending = _sort()
    period = _period()
    page = unit_performance.unit_page(user, unit, period, sort, descending, _point(period))
    return render(UNIT_TEMPLATE, page=page, sort=sort, descending=descending,
                  sort_labels=unit_performance.SORT_LABELS,
                  evaluation_links="portal.evaluation_detail" in current_app.view_functions)


# ---------------------------------------------------------------- capaian kinerja organisasi


def _capaian_page(period: Period | None, status: int = 200, **extra):
    user = acting_user()
    every = request.values.get("semua") == "1"
    grid = (organisation_performance.capaian_grid(user, period, every)
            if period is not None else None)
    context = {"errors": {}, "given": {}, **extra}
    return render(PREDIKAT_TEMPLATE, period=period, grid=grid, every=every,
                  all_periods=periods.all_periods(), OrganisationPredikat=OrganisationPredikat,
                  sets_limits=access.manages_appraisal_settings(user), **context), status


@bp.route("/predikat-unit")
def unit_predikat_list():
    require(access.sees_unit_capaian(acting_user()))
    return _capaian_page(_period())


@bp.route("/predikat-unit/<int:period_id>/<int:unit_id>", methods=["POST"])
def unit_predikat_set(period_id: int, unit_id: int):
    user = acting_user()
    period = get_or_404(Period, period_id)
    unit = get_or_404(Unit, unit_id)
    require(access.can_set_unit_capaian(user, unit))
    try:
        at = distribution.parse_at(request.form.get("titik"), period, default=None)
        if at is None:
            raise RuleViolation(_l("Pilih titik evaluasi dari daftar."), field="titik")
        value = organisation_performance.parse_predikat(request.form.get("predikat"))
        organisation_performance.set_capaian(user, unit, period, at, value,
                                             request.form.get("catatan"))
    except RuleViolation as problem:
        return _capaian_page(period, 400, errors={unit.id: problem.message},
                             given={unit.id: request.form})
    flash(_l("Capaian kinerja organisasi %(unit)s untuk %(point)s tersimpan.", unit=unit.name,
             point=at.label(period)), "success")
    return redirect(url_for("portal.unit_predikat_list", periode=period.id, _anchor=f"unit-{unit.id}"))


@bp.route("/predikat-unit/<int:period_id>/<int:unit_id>/<titik>.pdf")
def unit_capaian_pdf(period_id: int, unit_id: int, titik: str):
    """The capaian as its leader signed it: a one-page "Capaian Kinerja Organisasi"."""
    user = acting_user()
    period = get_or_404(Period, period_id)
    unit = get_or_404(Unit, unit_id)
    require(access.can_view_unit_capaian(user, unit))
    try:
        at = distribution.parse_at(titik, period)
    except RuleViolation:
        abort(404)
    try:
        document = organisation_performance.capaian_document(user, unit, period, at)
    except RuleViolation:
        abort(404)
    html = render_template(CAPAIAN_PDF_TEMPLATE, doc=document)
    name = re.sub(r"[^0-9a-z]+", "-", f"capaian-{unit.code or unit.id}-{period.year}-{at.key}".lower())
    return Response(documents.to_pdf(html), mimetype="application/pdf",
                    headers={"Content-Disposition": f'inline; filename="{name.strip("-")}.pdf"'})


# ---------------------------------------------------------------- the limits table


class LimitForm(Form):
    predikats = SelectMultipleField(_l("Predikat pegawai"),
                                    choices=options((p.value, p.label) for p in Predikat),
                                    widget=ListWidget(prefix_label=False),
                                    option_widget=CheckboxInput())
    min_percent = IntegerField(_l("Paling sedikit (%)"), validators=[Optional()])
    max_percent = IntegerField(_l("Paling banyak (%)"), validators=[Optional()])
    min_count = IntegerField(_l("Paling sedikit (orang)"), validators=[Optional()])

    def given(self) -> distribution.LimitInput:
        return distribution.LimitInput(self.predikats.data or [], self.min_percent.data,
                                       self.max_percent.data, self.min_count.data)


def _row_form(row: DistributionLimit, formdata=None) -> LimitForm:
    form = LimitForm(formdata=formdata, prefix=f"l{row.id}-")
    if formdata is None:
        form.predikats.data = distribution.predikats_of(row)
        form.min_percent.data, form.max_percent.data = row.min_percent, row.max_percent
        form.min_count.data = row.min_count
    return form


def _new_form(organisation: OrganisationPredikat, formdata=None) -> LimitForm:
    return LimitForm(formdata=formdata, prefix=f"baru-{organisation.value}-")


def _limits_page(status: int = 200, *, failed: dict | None = None, problem: str | None = None):
    failed = failed or {}
    sections = distribution.limit_sections()
    forms = {}
    for organisation, rows, custom in sections:
        if custom:
            for row in rows:
                forms[row.id] = failed.get(row.id) or _row_form(row)
            forms[organisation.value] = failed.get(organisation.value) or _new_form(organisation)
    return render(LIMITS_TEMPLATE, sections=sections, forms=forms,
                  problem=problem, failed=failed), status


def _organisation(name: str = "organisasi", *, allow_all: bool = False):
    raw = (request.form.get(name) or "").strip()
    if allow_all and raw == "semua":
        return "semua"
    try:
        return OrganisationPredikat(raw)
    except ValueError:
        return None


@bp.route("/predikat-unit/batas")
def distribution_limits():
    require(access.manages_appraisal_settings(acting_user()))
    return _limits_page()


@bp.route("/predikat-unit/batas/tambah", methods=["POST"])
def distribution_limit_add():
    user = acting_user()
    require(access.manages_appraisal_settings(user))
    organisation = _organisation()
    if organisation is None:
        return _limits_page(400, problem=_l("Pilih predikat organisasi dari daftar."))
    form = _new_form(organisation, request.form)
    if form.validate():
        try:
            distribution.add_limit(user, organisation, form.given())
        except RuleViolation as problem:
            show_problem(form, problem)
        else:
            flash(_l("Baris batas ditambahkan."), "success")
            return redirect(url_for("portal.distribution_limits") + f"#org-{organisation.value}")
    return _limits_page(400, failed={organisation.value: form})


@bp.route("/predikat-unit/batas/<int:limit_id>", methods=["POST"])
def distribution_limit_edit(limit_id: int):
    user = acting_user()
    require(access.manages_appraisal_settings(user))
    row = get_or_404(DistributionLimit, limit_id)
    form = _row_form(row, request.form)
    if form.validate():
        try:
            distribution.update_limit(user, row, form.given())
        except RuleViolation as problem:
            show_problem(form, problem)
        else:
            flash(_l("Baris batas tersimpan."), "success")
            return redirect(url_for("portal.distribution_limits") + f"#limit-{row.id}")
    return _limits_page(400, failed={limit_id: form})


@bp.route("/predikat-unit/batas/sesuaikan", methods=["POST"])
def distribution_limits_customise():
    user = acting_user()
    require(access.manages_appraisal_settings(user))
    organisation = _organisation()
    if organisation is None:
        return _limits_page(400, problem=_l("Pilih predikat organisasi dari daftar."))
    distribution.customise(user, organisation)
    flash(_l("Tabel peraturan untuk %(org)s disalin; barisnya kini dapat diubah.",
             org=organisation.label), "success")
    return redirect(url_for("portal.distribution_limits") + f"#org-{organisation.value}")


@bp.route("/predikat-unit/batas/reset", methods=["POST"])
def distribution_limits_reset():
    user = acting_user()
    require(access.manages_appraisal_settings(user))
    organisation = _organisation(allow_all=True)
    if organisation is None:
        return _limits_page(400, problem=_l("Pilih predikat organisasi yang tabelnya "
                                            "dikembalikan, atau semua."))
    distribution.reset_limits(user, None if organisation == "semua" else organisation)
    flash(_l("Batas dikembalikan ke tabel peraturan."), "success")
    return redirect(url_for("portal.distribution_limits"))


@bp.route("/predikat-unit/batas/<int:limit_id>/hapus", methods=["POST"])
def distribution_limit_remove(limit_id: int):
    user = acting_user()
    require(access.manages_appraisal_settings(user))
    row = get_or_404(DistributionLimit, limit_id)
    organisation = row.organisation
    distribution.remove_limit(user, row)
    flash(_l("Baris batas dihapus."), "success")
    return redirect(url_for("portal.distribution_limits") + f"#org-{organisation.value}")

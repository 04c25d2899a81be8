"""Unit performance for HR and heads of unit (units side by side, one unit over the years and
its people) and HR's appraisal settings: the organisational predikat of each unit per period
and the distribution limits table."""
from flask import current_app, flash, redirect, request, url_for
from flask_babel import lazy_gettext as _l
from wtforms import IntegerField, SelectMultipleField
from wtforms.validators import Optional
from wtforms.widgets import CheckboxInput, ListWidget

from kinerja.appraisal import distribution, unit_performance
from kinerja.appraisal.models import DistributionLimit
from kinerja.appraisal.predikat import OrganisationPredikat, Predikat
from kinerja.core.errors import RuleViolation
from kinerja.organisation import access
from kinerja.organisation.models import Unit
from kinerja.performance import periods
from kinerja.performance.models import Period
from portal import bp
from portal.guards import acting_user, get_or_404, require
from web.forms import Form, options, show_problem
from web.rendering import render

COMPARE_TEMPLATE = "portal/unit_performance/compare.html"
UNIT_TEMPLATE = "portal/unit_performance/unit.html"
PREDIKAT_TEMPLATE = "portal/unit_performance/predikat.html"
LIMITS_TEMPLATE = "portal/unit_performance/limits.html"


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


# ---------------------------------------------------------------- unit performance


@bp.route("/kinerja-unit")
def unit_performance_compare():
    user = acting_user()
    require(access.sees_unit_performance(user))
    sort, descending = _sort()
    view = unit_performance.comparison(user, _period(), sort, descending)
    return render(COMPARE_TEMPLATE, block="results", view=view,
                  sort_labels=unit_performance.SORT_LABELS, sort_choices=_sort_choices())


@bp.route("/kinerja-unit/<int:unit_id>")
def unit_performance_detail(unit_id: int):
    unit = get_or_404(Unit, unit_id)
    user = acting_user()
    require(access.can_view_unit_performance(user, unit))
    sort, descending = _sort()
    page = unit_performance.unit_page(user, unit, _period(), sort, descending)
    return render(UNIT_TEMPLATE, page=page, sort=sort, descending=descending,
                  sort_labels=unit_performance.SORT_LABELS,
                  evaluation_links="portal.evaluation_detail" in current_app.view_functions)


# ---------------------------------------------------------------- organisational predikat


def _predikat_page(period: Period | None, status: int = 200, *, block: str | None = None,
                   **extra):
    every = request.values.get("semua") == "1"
    rows = distribution.unit_predikat_rows(period, every) if period is not None else []
    context = {"errors": {}, **extra}
    return render(PREDIKAT_TEMPLATE, block=block, period=period, rows=rows, every=every,
                  all_periods=periods.all_periods(), **context), status


@bp.route("/predikat-unit")
def unit_predikat_list():
    require(access.manages_appraisal_settings(acting_user()))
    return _predikat_page(_period())


@bp.route("/predikat-unit/<int:period_id>/<int:unit_id>", methods=["POST"])
def unit_predikat_set(period_id: int, unit_id: int):
    user = acting_user()
    require(access.manages_appraisal_settings(user))
    period = get_or_404(Period, period_id)
    unit = get_or_404(Unit, unit_id)
    error = None
    try:
        value = distribution.parse_organisation_predikat(request.form.get("predikat"))
        recorded = distribution.set_unit_predikat(user, unit, period, value)
    except RuleViolation as problem:
        error, recorded = problem.message, distribution.recorded_predikat(unit, period)
    if request.headers.get("HX-Request") != "true":
        if error is not None:
            return _predikat_page(period, 400, errors={unit.id: error})
        flash(_l("Predikat %(unit)s tersimpan.", unit=unit.name), "success")
        return redirect(url_for("portal.unit_predikat_list", periode=period.id))
    depth = request.form.get("depth", "0")
    row = distribution.UnitPredikatRow(unit, int(depth) % 20 if depth.isdigit() else 0, recorded,
                                       unit.kind in distribution.OPD_KINDS)
    return render(PREDIKAT_TEMPLATE, block="unit_row", row=row, period=period,
                  errors={unit.id: error} if error else {}, saved=error is None), \
        400 if error else 200


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

"""The TPP inputs for HR: the month's sheet per unit or for the kabupaten (page, Excel, PDF) and
the yearly formula of the performance share. Content from kinerja.integration.tpp."""
from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import IntegerField, SelectField, StringField
from wtforms.validators import InputRequired, NumberRange

from kinerja.appraisal.predikat import Predikat
from kinerja.core import calendar
from kinerja.core.errors import RuleViolation
from kinerja.integration import tpp, tpp_formula
from kinerja.organisation import access
from portal import bp
from portal.guards import acting_user, require
from web import documents, workbooks
from web.forms import Form, options, show_problem

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@bp.app_template_global()
def tpp_percent(value) -> str:
    """An exact share as the sheet writes it ("87,5%"); a dash where it does not apply."""
    return "—" if value is None else tpp_formula.percent_text(value)


@bp.app_template_global()
def tpp_number(value) -> str:
    return "—" if value is None else tpp_formula.number_text(value)


def _sheet():
    """The sheet the query asks for (?unit=CODE&bulan=YYYY-MM); 400 on a bad one."""
    user = acting_user()
    require(access.manages_tpp(user))
    today = calendar.today_in(user.employee.time_zone)
    try:
        year, month = tpp.parse_month(request.args.get("bulan"), today)
        unit = tpp.unit_by_code(request.args.get("unit"))
    except RuleViolation as problem:
        abort(400, description=problem.message)
    return tpp.sheet(user, unit, year, month, today)


@bp.route("/tpp")
def tpp_sheet():
    sheet = _sheet()
    return render_template("portal/tpp/sheet.html", sheet=sheet, units=tpp.unit_choices())


def _file_name(sheet, ext: str) -> str:
    where = sheet.unit.code if sheet.unit else "kabupaten"
    return f"tpp-{sheet.key}-{where}.{ext}".replace('"', "")


@bp.route("/tpp.xlsx")
def tpp_sheet_xlsx():
    sheet = _sheet()
    return Response(workbooks.to_xlsx(tpp.sheets(sheet)), mimetype=XLSX, headers={
        "Content-Disposition": f'attachment; filename="{_file_name(sheet, "xlsx")}"'})


@bp.route("/tpp.pdf")
def tpp_sheet_pdf():
    sheet = _sheet()
    html = render_template("portal/tpp/sheet_pdf.html", sheet=sheet, rows=tpp.sheet_rows(sheet))
    return Response(documents.to_pdf(html), mimetype="application/pdf", headers={
        "Content-Disposition": f'inline; filename="{_file_name(sheet, "pdf")}"'})


def _weight(label):
    return IntegerField(label, validators=[InputRequired(), NumberRange(0, 100)])


class FormulaForm(Form):
    year = SelectField(_l("Tahun"), coerce=int)
    weight_predikat = _weight(_l("Bobot predikat"))
    weight_realisation = _weight(_l("Bobot realisasi"))
    weight_regularity = _weight(_l("Bobot keteraturan laporan"))
    weight_hours = _weight(_l("Bobot jam kegiatan terverifikasi"))
    weight_ikm = _weight(_l("Bobot IKM"))
    hours_per_day = StringField(_l("Jam kerja per hari kerja"), validators=[InputRequired()])


def _percent_fields(form_class):
    for predikat in Predikat:
        setattr(form_class, f"percent_{predikat.value}", _weight(predikat.label))
    return form_class


_percent_fields(FormulaForm)


@bp.route("/tpp/formula", methods=["GET", "POST"])
def tpp_formula_page():
    user = acting_user()
    require(access.manages_tpp(user))
    today = calendar.today_in(user.employee.time_zone)
    years = tpp.formulas(today)
    form = FormulaForm()
    form.year.choices = options((f.year, str(f.year)) for f in years)
    if request.method == "GET":
        chosen = request.args.get("tahun", type=int)
        current = next((f for f in years if f.year == chosen), None) or tpp.formula_for(today.year)
        form.year.data = current.year
        for key, value in current.weights.items():
            form[f"weight_{key}"].data = value
        for key, value in current.predikat_percent.items():
            form[f"percent_{key}"].data = value
        form.hours_per_day.data = tpp_formula.number_text(current.hours_per_day)
    status = 200
    if form.validate_on_submit():
        try:
            tpp.set_formula(user, form.year.data,
                            {k: form[f"weight_{k}"].data for k in tpp_formula.COMPONENTS},
                            {p.value: form[f"percent_{p.value}"].data for p in Predikat},
                            form.hours_per_day.data)
        except RuleViolation as problem:
            show_problem(form, problem)
            status = 400
        else:
            flash(_("Formula TPP tahun %(year)s disimpan.", year=form.year.data), "success")
            return redirect(url_for("portal.tpp_formula_page", tahun=form.year.data))
    elif form.is_submitted():
        status = 400
    return render_template("portal/tpp/formula.html", form=form, years=years,
                           predikats=list(Predikat), components=tpp_formula.COMPONENTS,
                           labels=tpp_formula.LABELS,
                           reads_audit=access.reads_audit_trail(acting_user())), status

"""Kelola → Hari libur and Aturan keberatan: the holiday calendar HR keeps (a year's national
holidays from the library, with the cuti bersama and local days HR adds) and how the objection
window is counted. The rules are in kinerja.organisation.holiday_calendar and
kinerja.appraisal.objection_window."""
from flask import flash, redirect, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import DateField, IntegerField, RadioField, SelectField, StringField
from wtforms.validators import DataRequired, Length, Optional

from kinerja.appraisal import objection_window
from kinerja.appraisal.models import ObjectionCounting
from kinerja.core import calendar
from kinerja.core.errors import RuleViolation
from kinerja.core.holidays import Holiday, HolidayKind
from kinerja.organisation import access, holiday_calendar
from portal import bp
from portal.forms import ConfirmForm
from portal.guards import acting_user, get_or_404, require
from web.forms import Form, options, show_problem
from web.rendering import render

CALENDAR_PAGE = "portal/holidays/calendar.html"
RULE_PAGE = "portal/holidays/objection_rule.html"


class HolidayForm(Form):
    day = DateField(_l("Tanggal"), validators=[DataRequired()])
    name = StringField(_l("Nama"), validators=[DataRequired(), Length(max=holiday_calendar.MAX_NAME)])
    kind = SelectField(_l("Jenis"), choices=options([
        (HolidayKind.CUTI_BERSAMA.value, HolidayKind.CUTI_BERSAMA.label),
        (HolidayKind.LOCAL.value, HolidayKind.LOCAL.label),
        (HolidayKind.NATIONAL.value, _l("Libur nasional (yang belum ada di daftar)"))]))


class ObjectionRuleForm(Form):
    days = IntegerField(_l("Lama masa keberatan (hari)"), validators=[Optional()])
    counting = RadioField(_l("Cara menghitung"), choices=options([
        (c.value, c.label) for c in ObjectionCounting]), validators=[Optional()])


def _year() -> int:
    raw = request.args.get("tahun", type=int)
    return raw if raw is not None else calendar.today_in().year


def _language() -> str:
    return "en" if str(get_locale() or "id").startswith("en") else "id"


def _calendar_page(year: int, form: HolidayForm, status: int = 200):
    page = holiday_calendar.year_page(acting_user(), year, _language())
    return render(CALENDAR_PAGE, page=page, form=form, confirm=ConfirmForm(),
                  kinds=HolidayKind, reads_audit=access.reads_audit_trail(acting_user())), status


@bp.route("/kelola/hari-libur")
def holiday_list():
    actor = acting_user()
    require(access.manages_holidays(actor))
    try:
        return _calendar_page(_year(), HolidayForm(formdata=None))
    except RuleViolation as problem:
        flash(str(problem.message), "error")
        return redirect(url_for("portal.holiday_list"))


@bp.route("/kelola/hari-libur", methods=["POST"])
def holiday_add():
    actor = acting_user()
    require(access.manages_holidays(actor))
    form = HolidayForm()
    year = form.day.data.year if form.day.data else _year()
    if form.validate_on_submit():
        try:
            added = holiday_calendar.add(actor, form.day.data, form.name.data, form.kind.data)
        except RuleViolation as problem:
            show_problem(form, problem)
        else:
            flash(_("Hari libur %(name)s ditambahkan.", name=added.name), "success")
            return redirect(url_for("portal.holiday_list", tahun=added.day.year))
    return _calendar_page(year, form, 400)


@bp.route("/kelola/hari-libur/<int:holiday_id>/hapus", methods=["POST"])
def holiday_remove(holiday_id: int):
    actor = acting_user()
    require(access.manages_holidays(actor))
    holiday = get_or_404(Holiday, holiday_id)
    year = holiday.day.year
    if not ConfirmForm().validate_on_submit():
        flash(_("Formulir kedaluwarsa; muat ulang halaman lalu coba lagi."), "error")
        return _calendar_page(year, HolidayForm(formdata=None), 400)
    holiday_calendar.remove(actor, holiday)
    flash(_("Hari libur dihapus."), "success")
    return redirect(url_for("portal.holiday_list", tahun=year))


@bp.route("/kelola/aturan-keberatan", methods=["GET", "POST"])
def settings_objection_rule():
    actor = acting_user()
    require(access.manages_objection_rule(actor))
    rule = objection_window.current_rule()
    form = ObjectionRuleForm(data={"days": rule.days, "counting": rule.counting.value})
    status = 200
    if form.validate_on_submit():
        try:
            saved = objection_window.update_rule(actor, request.form.get("days"),
                                                 request.form.get("counting"))
        except RuleViolation as problem:
            show_problem(form, problem)
            status = 400
        else:
            flash(_("Aturan keberatan tersimpan: %(rule)s sejak hasil diterima.",
                    rule=saved.in_words), "success")
            return redirect(url_for("portal.settings_objection_rule"))
    elif form.is_submitted():
        status = 400
    return render(RULE_PAGE, form=form, rule=rule, saved=objection_window.saved(),
                  reads_audit=access.reads_audit_trail(actor)), status

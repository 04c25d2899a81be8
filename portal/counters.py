"""Service counters (loket) and the catalogue of services they offer."""
from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from kinerja.core.errors import RuleViolation
from kinerja.organisation import access, org
from kinerja.organisation.models import ServiceCounter
from portal import bp
from portal.forms import CounterForm, ServiceForm
from portal.guards import acting_user, get_or_404, require
from web.forms import options, show_problem


@bp.route("/loket")
def counter_list():
    require(access.manages_organisation(acting_user()))
    return _counter_page(ServiceForm())


def _counter_page(service_form: ServiceForm, status: int = 200):
    unit_id = request.args.get("unit", type=int)
    page = request.args.get("page", 1, type=int)
    user = acting_user()
    return render_template(
        "portal/counters/list.html", counters=org.counters_page(unit_id, max(page, 1)),
        unit_id=unit_id, units=org.unit_choices(), services=org.all_services(),
        service_form=service_form,
        # An admin keeps counters but staffs none: no "Jadwal" link to a refusal.
        can_staff=lambda counter: access.can_manage_roster(user, counter),
    ), status


def _save_counter(counter: ServiceCounter | None):
    require(access.manages_organisation(acting_user()))
    form = CounterForm(obj=counter)
    form.unit_id.choices = options([("", _("— pilih unit —"))] + org.unit_choices())
    form.service_ids.choices = options((s.id, s.name) for s in org.all_services())
    if counter is not None and request.method == "GET":
        form.service_ids.data = [s.id for s in counter.services]
    if request.method == "GET" and counter is None and request.args.get("unit", type=int):
        form.unit_id.data = request.args.get("unit", type=int)
    if form.validate_on_submit():
        try:
            saved = org.save_counter(
                acting_user(), counter, code=form.code.data, name=form.name.data,
                unit_id=form.unit_id.data, location=form.location.data,
                service_ids=form.service_ids.data, active=form.active.data,
            )
        except RuleViolation as problem:
            show_problem(form, problem)
        else:
            flash(_("Loket %(name)s tersimpan.", name=saved.name), "success")
            return redirect(url_for("portal.counter_list", unit=saved.unit_id))
    status = 400 if form.is_submitted() and form.errors else 200
    return render_template("portal/counters/form.html", form=form, counter=counter), status


@bp.route("/loket/baru", methods=["GET", "POST"])
def counter_create():
    return _save_counter(None)


@bp.route("/loket/<int:counter_id>/ubah", methods=["GET", "POST"])
def counter_edit(counter_id: int):
    return _save_counter(get_or_404(ServiceCounter, counter_id))


@bp.route("/layanan", methods=["POST"])
def service_create():
    require(access.manages_organisation(acting_user()))
    form = ServiceForm()
    if form.validate_on_submit():
        try:
            service = org.save_service(acting_user(), code=form.code.data, name=form.name.data)
        except RuleViolation as problem:
            show_problem(form, problem)
        else:
            flash(_("Layanan %(name)s ditambahkan.", name=service.name), "success")
            return redirect(url_for("portal.counter_list"))
    return _counter_page(form, status=400)

"""Kiosk devices at counters: register and pair, watch their last contact, revoke (HR, admin)."""
from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from kinerja.models import Kiosk, ServiceCounter
from kinerja.services import access, kiosks
from kinerja.services.errors import RuleViolation
from portal import bp
from portal.forms import ConfirmForm, KioskForm
from portal.guards import acting_user, get_or_404, require


@bp.route("/perangkat-kiosk")
def kiosk_list():
    require(access.manages_organisation(acting_user()))
    return render_template("portal/kiosks/list.html", kiosks=kiosks.kiosks_of(),
                           confirm=ConfirmForm())


@bp.route("/loket/<int:counter_id>/kiosk", methods=["GET", "POST"])
def kiosk_register(counter_id: int):
    require(access.manages_organisation(acting_user()))
    counter = get_or_404(ServiceCounter, counter_id)
    form = KioskForm()
    if form.validate_on_submit():
        kiosk, code = kiosks.register(acting_user(), counter, form.name.data)
        return render_template("portal/kiosks/pairing_code.html", kiosk=kiosk, code=code)
    status = 400 if form.is_submitted() else 200
    return render_template("portal/kiosks/register.html", counter=counter, form=form,
                           kiosks=kiosks.kiosks_of([counter.id])), status


@bp.route("/perangkat-kiosk/<int:kiosk_id>/kode", methods=["POST"])
def kiosk_pairing_code(kiosk_id: int):
    require(access.manages_organisation(acting_user()))
    kiosk = get_or_404(Kiosk, kiosk_id)
    if not ConfirmForm().validate_on_submit():
        return redirect(url_for("portal.kiosk_list"))
    try:
        code = kiosks.renew_pairing_code(acting_user(), kiosk)
    except RuleViolation as problem:
        flash(problem.message, "error")
        return redirect(url_for("portal.kiosk_list"))
    return render_template("portal/kiosks/pairing_code.html", kiosk=kiosk, code=code)


@bp.route("/perangkat-kiosk/<int:kiosk_id>/cabut", methods=["POST"])
def kiosk_revoke(kiosk_id: int):
    require(access.manages_organisation(acting_user()))
    kiosk = get_or_404(Kiosk, kiosk_id)
    if ConfirmForm().validate_on_submit():
        kiosks.revoke(acting_user(), kiosk)
        flash(_("Kiosk %(name)s dicabut: tablet itu tidak bisa mengirim penilaian lagi.",
                name=kiosk.name), "success")
    return redirect(request.referrer if request.referrer and request.referrer.startswith(
        request.host_url) else url_for("portal.kiosk_list"))

"""Kiosk devices at counters: register and pair, watch their last contact, revoke (HR, admin);
each counter's QR poster for citizens' phones (also for the head of the counter's unit)."""
import re

from flask import Response, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from kinerja.core.errors import RuleViolation
from kinerja.feedback import kiosks, phone
from kinerja.feedback.models import Kiosk, KioskKind
from kinerja.organisation import access
from kinerja.organisation.models import ServiceCounter
from portal import bp
from portal.forms import ConfirmForm, KioskForm
from portal.guards import acting_user, get_or_404, require
from web import documents


@bp.route("/perangkat-kiosk")
def kiosk_list():
    require(access.manages_organisation(acting_user()))
    return render_template("portal/kiosks/list.html", kiosks=kiosks.kiosks_of(),
                           confirm=ConfirmForm(), phone_kind=KioskKind.PHONE)


def _tablet_or_404(kiosk_id: int) -> Kiosk:
    """A tablet, which can be paired and revoked; a counter's phone channel is not a device."""
    kiosk = get_or_404(Kiosk, kiosk_id)
    if kiosk.kind == KioskKind.PHONE:
        abort(404)
    return kiosk


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
                           kiosks=kiosks.kiosks_of([counter.id]), phone_kind=KioskKind.PHONE), status


@bp.route("/perangkat-kiosk/<int:kiosk_id>/kode", methods=["POST"])
def kiosk_pairing_code(kiosk_id: int):
    require(access.manages_organisation(acting_user()))
    kiosk = _tablet_or_404(kiosk_id)
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
    kiosk = _tablet_or_404(kiosk_id)
    if ConfirmForm().validate_on_submit():
        kiosks.revoke(acting_user(), kiosk)
        flash(_("Kiosk %(name)s dicabut: tablet itu tidak bisa mengirim penilaian lagi.",
                name=kiosk.name), "success")
    return redirect(request.referrer if request.referrer and request.referrer.startswith(
        request.host_url) else url_for("portal.kiosk_list"))


def _phone_url(counter: ServiceCounter) -> str:
    """The counter's phone link as citizens will reach it (KIOSK_PHONE_BASE_URL, when the public
    address is not the one this page was opened under)."""
    path = url_for("kiosk.phone_page", signed=phone.sign_counter(counter.id))
    base = current_app.config.get("KIOSK_PHONE_BASE_URL") or request.host_url
    return base.rstrip("/") + path


@bp.route("/loket/<int:counter_id>/poster.pdf")
def counter_poster(counter_id: int):
    counter = get_or_404(ServiceCounter, counter_id)
    require(phone.can_print_poster(acting_user(), counter))
    html = render_template("portal/kiosks/poster_pdf.html",
                           poster=phone.poster(counter, _phone_url(counter)))
    name = re.sub(r"[^a-z0-9]+", "-", counter.code.lower()).strip("-") or str(counter.id)
    return Response(documents.to_pdf(html), mimetype="application/pdf", headers={
        "Content-Disposition": f'inline; filename="poster-qr-{name}.pdf"'})

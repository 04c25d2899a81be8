"""The SIASN page (Kelola → SIASN): whether the link to BKN is configured and when it last
reached BKN, and the queue of results on their way (waiting, sent with BKN's id, refused with
BKN's reason, to send again once fixed). HR and admins; the rules are in
kinerja.integration.siasn_outbox."""
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import SelectField, StringField

from kinerja.appraisal import appraisal_documents
from kinerja.core import jobs
from kinerja.core.errors import RuleViolation
from kinerja.integration import siasn_outbox, siasn_pull
from kinerja.integration.models import OutboxStatus, SiasnChange, SiasnOutbox, SiasnPull
from kinerja.organisation import access, org
from kinerja.organisation.models import Unit
from portal import bp
from portal.guards import acting_user, get_or_404, require
from portal.jobs import locale
from web.forms import Form


def _status_filter() -> OutboxStatus | None:
    raw = request.args.get("status", "")
    if not raw:
        return None
    try:
        return OutboxStatus(raw)
    except ValueError:
        abort(400, description=_("Status kiriman tidak dikenal."))


@bp.get("/kelola/siasn")
def siasn_queue():
    require(access.manages_siasn(acting_user()))
    status = _status_filter()
    return render_template("portal/siasn/queue.html", link=siasn_outbox.link_status(),
                           entries=siasn_outbox.entries(status), status=status,
                           statuses=list(OutboxStatus), form=Form(), pull_form=_pull_form(),
                           pulls=siasn_pull.recent_pulls(),
                           references=siasn_outbox.kept_references(),
                           point_title=appraisal_documents.point_title,
                           calls=siasn_outbox.recent_calls())


@bp.post("/kelola/siasn/kirim")
def siasn_push():
    actor = acting_user()
    require(access.manages_siasn(actor))
    job = jobs.start(actor, siasn_outbox.PUSH_JOB, {}, locale())
    return redirect(url_for("portal.job_detail", job_id=job.id))


@bp.post("/kelola/siasn/<int:entry_id>/kirim-ulang")
def siasn_resend(entry_id: int):
    actor = acting_user()
    require(access.manages_siasn(actor))
    entry = get_or_404(SiasnOutbox, entry_id)
    try:
        siasn_outbox.resend(actor, entry)
    except RuleViolation as problem:
        flash(str(problem.message), "error")
        return redirect(url_for("portal.siasn_queue")), 303
    flash(_("Kiriman masuk antrean lagi: dikirim pada putaran berikutnya."), "success")
    return redirect(url_for("portal.siasn_queue", status=OutboxStatus.WAITING.value))


# ---------------------------------------------------------------- master data from SIASN


class PullForm(Form):
    nip = StringField(_l("NIP"))
    # Checked below, not against the choices: a missing field is "no unit", not an error.
    unit_id = SelectField(_l("atau semua pegawai unit"), coerce=str, choices=[], validate_choice=False)


def _pull_form() -> PullForm:
    form = PullForm()
    form.unit_id.choices = [("", _("— pilih unit —"))] + [
        (str(unit_id), label) for unit_id, label in org.unit_choices()]
    return form


@bp.post("/kelola/siasn/tarik")
def siasn_pull_start():
    actor = acting_user()
    require(access.manages_siasn(actor))
    form = _pull_form()
    unit_id = form.unit_id.data or ""
    if not form.validate_on_submit() or (unit_id and not (unit_id.isdigit() and len(unit_id) < 10)):
        flash(_("Pilih unit dari daftar atau isi NIP."), "error")
        return redirect(url_for("portal.siasn_queue")), 303
    try:
        if unit_id:
            job = jobs.start(actor, siasn_pull.PULL_JOB, {"unit_id": int(unit_id)}, locale())
            return redirect(url_for("portal.job_detail", job_id=job.id))
        found = siasn_pull.pull_nip(actor, form.nip.data or "")
    except RuleViolation as problem:
        flash(str(problem.message), "error")
        return redirect(url_for("portal.siasn_queue")), 303
    return redirect(url_for("portal.siasn_pull_detail", pull_id=found.id))


@bp.get("/kelola/siasn/tarikan/<int:pull_id>")
def siasn_pull_detail(pull_id: int):
    require(access.manages_siasn(acting_user()))
    found = get_or_404(SiasnPull, pull_id)
    return render_template("portal/siasn/pull.html", pull=found, fields=siasn_pull.FIELDS,
                           pending=siasn_pull.pending_changes(found), form=Form())


@bp.post("/kelola/siasn/perubahan/<int:change_id>/terima")
def siasn_change_accept(change_id: int):
    return _decide(change_id, siasn_pull.accept)


@bp.post("/kelola/siasn/perubahan/<int:change_id>/tolak")
def siasn_change_reject(change_id: int):
    return _decide(change_id, siasn_pull.reject)


def _decide(change_id: int, decide):
    actor = acting_user()
    require(access.manages_siasn(actor))
    change = get_or_404(SiasnChange, change_id)
    try:
        decide(actor, change)
    except RuleViolation as problem:
        flash(str(problem.message), "error")
    return redirect(url_for("portal.siasn_pull_detail", pull_id=change.pull_id))


@bp.post("/kelola/siasn/tarikan/<int:pull_id>/terima-semua")
def siasn_pull_accept_all(pull_id: int):
    actor = acting_user()
    require(access.manages_siasn(actor))
    found = get_or_404(SiasnPull, pull_id)
    accepted, stale = siasn_pull.accept_all(actor, found)
    flash(_("%(n)s perubahan diterima.", n=accepted), "success")
    if stale:
        flash(_("%(n)s perubahan dilewati: datanya sudah berubah sejak ditarik.", n=stale), "error")
    return redirect(url_for("portal.siasn_pull_detail", pull_id=found.id))


@bp.get("/kelola/siasn/unor")
def siasn_unor_map():
    require(access.manages_siasn(acting_user()))
    return render_template("portal/siasn/unor.html", units=siasn_pull.units_for_mapping(),
                           form=Form(), unor=siasn_pull.known_unor())


@bp.post("/kelola/siasn/unor/<int:unit_id>")
def siasn_unor_save(unit_id: int):
    actor = acting_user()
    require(access.manages_siasn(actor))
    unit = get_or_404(Unit, unit_id)
    try:
        siasn_pull.map_unit(actor, unit, request.form.get("unor_id", ""))
    except RuleViolation as problem:
        flash(str(problem.message), "error")
        return redirect(url_for("portal.siasn_unor_map")), 303
    flash(_("Unor %(unit)s tersimpan.", unit=unit.name), "success")
    return redirect(url_for("portal.siasn_unor_map"))

"""Importing employees: upload, preview every row, then commit the good ones; the preview and
the commit run as background jobs (kinerja.organisation.import_jobs) whose page shows progress."""
from flask import Response, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _

from kinerja.core.errors import RuleViolation
from kinerja.core.jobs import Job
from kinerja.extensions import db
from kinerja.organisation import access, employee_import, import_jobs
from portal import bp
from portal.forms import ConfirmForm, ImportForm
from portal.guards import acting_user, require
from portal.jobs import locale


def _read_limited(stream) -> bytes | None:
    limit = current_app.config["IMPORT_MAX_BYTES"]
    data = stream.read(limit + 1)
    return None if len(data) > limit else data


@bp.route("/pegawai/impor", methods=["GET", "POST"])
def employee_import_upload():
    require(access.manages_organisation(acting_user()))
    form = ImportForm()
    if form.validate_on_submit():
        data = _read_limited(form.file.data.stream)
        if data is None:
            limit_mb = current_app.config["IMPORT_MAX_BYTES"] // (1024 * 1024)
            form.file.errors.append(_("Berkas melebihi %(n)s MB.", n=limit_mb))
            return render_template("portal/imports/upload.html", form=form), 413
        # Checking the rows (the preview) runs in the background: 50,000 rows take seconds.
        job = import_jobs.start_check(acting_user(), data, form.file.data.filename or "", locale())
        return redirect(url_for("portal.job_detail", job_id=job.id))
    status = 400 if form.is_submitted() and form.errors else 200
    return render_template("portal/imports/upload.html", form=form), status


@bp.route("/pegawai/impor/<int:job_id>/simpan", methods=["POST"])
def employee_import_commit(job_id: int):
    require(access.manages_organisation(acting_user()))
    check = db.session.get(Job, job_id)
    if not ConfirmForm().validate_on_submit() or check is None:
        flash(_("Tidak ada berkas yang menunggu disimpan. Unggah lagi."), "error")
        return redirect(url_for("portal.employee_import_upload"))
    try:
        job = import_jobs.start_save(acting_user(), check, locale())
    except RuleViolation as problem:
        flash(str(problem.message), "error")
        return redirect(url_for("portal.employee_import_upload"))
    return redirect(url_for("portal.job_detail", job_id=job.id))


@bp.route("/pegawai/impor/templat.csv")
def employee_import_template():
    require(access.manages_organisation(acting_user()))
    return Response(employee_import.template_csv(), mimetype="text/csv",
                    headers={"Content-Disposition": "attachment; filename=templat-pegawai.csv"})

"""Importing employees: upload, preview every row, then commit the good ones."""
import secrets
from pathlib import Path

from flask import Response, current_app, flash, redirect, render_template, session, url_for
from flask_babel import gettext as _

from kinerja.core.errors import RuleViolation
from kinerja.organisation import access, employee_import
from portal import bp
from portal.forms import ConfirmForm, ImportForm
from portal.guards import acting_user, require
from web.forms import show_problem


def _upload_dir() -> Path:
    path = Path(current_app.instance_path) / "imports"
    path.mkdir(parents=True, exist_ok=True)
    return path


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
        try:
            rows = employee_import.read_rows(data, current_app.config["IMPORT_MAX_ROWS"])
        except RuleViolation as problem:
            show_problem(form, problem, fallback="file")
        else:
            token = secrets.token_hex(16)
            (_upload_dir() / token).write_bytes(data)
            session["import"] = {"token": token, "filename": form.file.data.filename or ""}
            plan = employee_import.plan_import(rows)
            return render_template("portal/imports/preview.html", plan=plan,
                                   filename=form.file.data.filename, confirm=ConfirmForm())
    status = 400 if form.is_submitted() and form.errors else 200
    return render_template("portal/imports/upload.html", form=form), status


@bp.route("/pegawai/impor/simpan", methods=["POST"])
def employee_import_commit():
    require(access.manages_organisation(acting_user()))
    pending = session.get("import") or {}
    token = pending.get("token", "")
    path = _upload_dir() / token if token.isalnum() else None
    if not ConfirmForm().validate_on_submit() or path is None or not path.exists():
        flash(_("Tidak ada berkas yang menunggu disimpan. Unggah lagi."), "error")
        return redirect(url_for("portal.employee_import_upload"))
    rows = employee_import.read_rows(path.read_bytes(), current_app.config["IMPORT_MAX_ROWS"])
    plan = employee_import.apply_import(acting_user(), rows, pending.get("filename", ""))
    path.unlink(missing_ok=True)
    session.pop("import", None)
    return render_template("portal/imports/done.html", plan=plan)


@bp.route("/pegawai/impor/templat.csv")
def employee_import_template():
    require(access.manages_organisation(acting_user()))
    return Response(employee_import.template_csv(), mimetype="text/csv",
                    headers={"Content-Disposition": "attachment; filename=templat-pegawai.csv"})

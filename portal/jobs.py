"""Background jobs' pages: a job's progress (polled by htmx until it is done), its file, and the
list of one's recent jobs. The work itself is in the areas (kinerja.core.jobs and the kinds)."""
from flask import abort, send_file
from flask_babel import get_locale

from kinerja.core import jobs
from kinerja.core.jobs import Job
from kinerja.organisation import access, import_jobs
from portal import bp
from portal.forms import ConfirmForm
from portal.guards import acting_user, get_or_404, require
from web.rendering import render

TEMPLATE = "portal/jobs/job.html"


def locale() -> str:
    """The starter's language, which the worker writes the job's words and documents in."""
    return str(get_locale() or "id")


def _own_job(job_id: int) -> Job:
    job = get_or_404(Job, job_id)
    require(access.can_view_job(acting_user(), job))
    return job


@bp.route("/tugas/<int:job_id>")
def job_detail(job_id: int):
    job = _own_job(job_id)
    return render(TEMPLATE, block="status", job=job, confirm=ConfirmForm(),
                  import_check=import_jobs.CHECK, import_save=import_jobs.SAVE)


@bp.route("/tugas/<int:job_id>/unduh")
def job_download(job_id: int):
    job = _own_job(job_id)
    path = jobs.result_file(job)
    if path is None:
        abort(404)
    response = send_file(path, mimetype=job.result_type or None, as_attachment=True,
                         download_name=job.result_name or path.name, max_age=0)
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.route("/tugas")
def job_list():
    return render("portal/jobs/list.html", jobs=jobs.recent_of(acting_user()))

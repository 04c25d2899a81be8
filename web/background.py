"""Rendering for background jobs: templates expect a request (url_for, the context processors),
and a worker thread or `flask worker` has none. The worker's app context (with the starter's
locale forced on it) is kept, so the document speaks the starter's language.

Also the presenters the shell itself offers to jobs (kinerja.core.jobs.present)."""
from flask import current_app, has_request_context, render_template

from kinerja.core import jobs
from web import workbooks


def render_outside_request(template: str, **context) -> str:
    if has_request_context():
        return render_template(template, **context)
    base_url = current_app.config.get("PORTAL_BASE_URL") or "http://localhost/"
    with current_app.test_request_context("/", base_url=base_url):
        return render_template(template, **context)


@jobs.presenter("xlsx")
def workbook(sheets) -> bytes:
    return workbooks.to_xlsx(sheets)

"""Sending an uploaded file back: never rendered as a page of ours (sandboxed, not sniffed)."""
from pathlib import Path

from flask import abort, send_file


def send_upload(path: Path | None, media_type: str, *, download_name: str | None = None,
                max_age: int = 0):
    """The stored file, or 404 when it is gone; an attachment when it has a download name."""
    if path is None or not path.is_file():
        abort(404)
    response = send_file(path, mimetype=media_type, as_attachment=download_name is not None,
                         download_name=download_name, max_age=max_age)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = "sandbox"
    if not max_age:  # a private file: kept by no cache, the browser's included
        response.headers["Cache-Control"] = "no-store"
    return response

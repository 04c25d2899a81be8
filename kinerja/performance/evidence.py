"""Evidence files (bukti dukung): type told by content, stored under instance/ with a random name.

The name a user gives a file is only shown back to people; it never decides the type or the
path, so an uploaded "laporan.pdf" that is really HTML or an executable is refused.
"""
import hashlib
import os
import secrets
import zipfile
from pathlib import Path

from flask import current_app
from flask_babel import format_decimal
from flask_babel import lazy_gettext as _l

from kinerja.core import archives, audit
from kinerja.core.errors import RuleViolation
from kinerja.extensions import db
from kinerja.organisation.models import Employee, User
from kinerja.performance.models import Activity, Evidence, Realisation

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # legacy .doc/.xls/.ppt
OOXML_TYPES = {
    "word/": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xl/": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "ppt/": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
}
ODF_TYPES = {
    "application/vnd.oasis.opendocument.text",
    "application/vnd.oasis.opendocument.spreadsheet",
    "application/vnd.oasis.opendocument.presentation",
}
ALLOWED_DESCRIPTION = "PDF, JPG, PNG, WEBP, Word, Excel, PowerPoint, OpenDocument"
# The extension a download gets, from the type its bytes showed (never the uploaded name's).
EXTENSIONS = {
    "application/pdf": ".pdf", "image/png": ".png", "image/jpeg": ".jpg", "image/webp": ".webp",
    **{media_type: "." + {"word/": "docx", "xl/": "xlsx", "ppt/": "pptx"}[prefix]
       for prefix, media_type in OOXML_TYPES.items()},
    **{media_type: "." + {"text": "odt", "spreadsheet": "ods", "presentation": "odp"}[
        media_type.rsplit(".", 1)[1]] for media_type in ODF_TYPES},
}
OLE_EXTENSIONS = (".doc", ".xls", ".ppt")  # legacy Office files look alike: keep the one given


def sniff_media_type(data: bytes) -> str | None:
    """The media type of an allowed document or image, from its bytes; None if not allowed."""
    if data.startswith(b"%PDF-"):
        return "application/pdf"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if data.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    if data.startswith(OLE_MAGIC):
        return "application/x-ole-storage"
    if data.startswith(b"PK\x03\x04"):
        return _zip_document_type(data)
    return None


def _zip_document_type(data: bytes) -> str | None:
    """ODF by its `mimetype` member, OOXML by its parts; None for any other ZIP, and for one
    that would inflate past the upload limits (archives.open_zip)."""
    try:
        with archives.open_zip(data) as archive:
            names = archive.namelist()
            if "mimetype" in names:
                declared = archives.read_member(archive, "mimetype", 100)
                declared = declared.decode("ascii", "replace").strip()
                return declared if declared in ODF_TYPES else None
            if "[Content_Types].xml" in names:
                for prefix, media_type in OOXML_TYPES.items():
                    if any(name.startswith(prefix) for name in names):
                        return media_type
    except (zipfile.BadZipFile, OSError, ValueError):  # ArchiveTooLarge is a ValueError
        return None
    return None


def download_name(evidence: Evidence) -> str:
    """The uploaded name's stem with the extension of the type its bytes showed: a PDF
    uploaded as "evil.html" is saved as "evil.pdf", never opened as a page."""
    stem, extension = os.path.splitext(evidence.original_name)
    if evidence.media_type == "application/x-ole-storage":
        return stem + (extension.lower() if extension.lower() in OLE_EXTENSIONS else ".doc")
    return stem + EXTENSIONS.get(evidence.media_type, ".bin")


def storage_dir() -> Path:
    path = Path(current_app.instance_path) / "evidence"
    path.mkdir(parents=True, exist_ok=True)
    return path


def path_of(evidence: Evidence) -> Path:
    return storage_dir() / evidence.stored_name


class FileTooLarge(RuleViolation):
    """A file over the size limit (views answer 413 rather than 400)."""


def size_label(size: int) -> str:
    """A byte count for people, in their locale: "10 MB", "1,5 MB", "500 KB"."""
    if size >= 1024 * 1024:
        return format_decimal(size / (1024 * 1024), "#,##0.#") + " MB"
    return f"{max(size // 1024, 1)} KB"


def read_upload(stream) -> bytes:
    """Read at most the configured size; refuse anything larger with a message."""
    limit = current_app.config["EVIDENCE_MAX_BYTES"]
    data = stream.read(limit + 1)
    if len(data) > limit:
        # The limit in KB when under 1 MB: "melebihi 0 MB" would say nothing.
        raise FileTooLarge(_l("Berkas melebihi %(size)s.", size=size_label(limit)), field="file")
    if not data:
        raise RuleViolation(_l("Berkas kosong."), field="file")
    return data


def store(actor: User, owner: Employee, data: bytes, filename: str, *,
          activity: Activity | None = None, realisation: Realisation | None = None) -> Evidence:
    """Check and keep one file; adds the Evidence row to the session (the caller commits)."""
    media_type = sniff_media_type(data)
    if media_type is None:
        raise RuleViolation(_l("Jenis berkas tidak diterima. Gunakan %(types)s.",
                               types=ALLOWED_DESCRIPTION), field="file")
    stored_name = secrets.token_hex(16)
    (storage_dir() / stored_name).write_bytes(data)
    evidence = Evidence(owner=owner, activity=activity, realisation=realisation,
                        original_name=_display_name(filename), stored_name=stored_name,
                        media_type=media_type, size=len(data),
                        sha256=hashlib.sha256(data).hexdigest(), uploaded_by=actor)
    db.session.add(evidence)
    db.session.flush()
    audit.record("evidence.uploaded", actor=actor, subject=evidence,
                 summary=evidence.original_name, media_type=media_type, size=len(data))
    return evidence


def remove(actor: User, evidence: Evidence) -> None:
    """Delete the row and the file (the caller has checked the owner may still edit)."""
    path = path_of(evidence)
    audit.record("evidence.removed", actor=actor, subject=evidence, summary=evidence.original_name)
    db.session.delete(evidence)
    db.session.commit()
    path.unlink(missing_ok=True)


def _display_name(filename: str | None) -> str:
    # Only for showing and for the download's suggested name; path parts and controls go.
    name = (filename or "berkas").replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if ch.isprintable() and ch not in '"<>|:*?')
    return name.strip()[:200] or "berkas"

"""Evidence of daily activities (bukti dukung): what is accepted, how big, who may download it
and how it is sent."""
import io
from datetime import UTC, date, datetime

import pytest

from kinerja.extensions import db
from kinerja.performance import evidence
from kinerja.performance.models import ActivityStatus, Evidence
from tests.builders import (
    EXE_BYTES,
    HTML_BYTES,
    PDF_BYTES,
    PNG_BYTES,
    docx_bytes,
    make_activity,
    make_evidence,
    make_realisation,
    make_reporter,
)

NOW = datetime(2026, 3, 4, 2, 0, tzinfo=UTC)

pytestmark = pytest.mark.usefixtures("frozen_clock")

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@pytest.fixture
def activity(org):
    period, skp = make_reporter(org.employee.employee)
    return make_activity(org.employee.employee, skp.rhks[0], date(2026, 3, 3))


def upload(client, activity, *files):
    return client.post(f"/harian/{activity.id}/bukti", content_type="multipart/form-data",
                       data={"files": [(io.BytesIO(data), name) for data, name in files]})


def stored_files(app) -> list:
    folder = evidence.storage_dir()
    return sorted(path.name for path in folder.iterdir())


def test_pdf_png_and_docx_are_accepted_at_once(app, login_as, activity):
    response = upload(login_as("employee"), activity, (PDF_BYTES, "laporan.pdf"),
                      (PNG_BYTES, "foto loket.png"), (docx_bytes(), "notulen.docx"))
    assert response.status_code == 302
    kept = db.session.scalars(db.select(Evidence).order_by(Evidence.id)).all()
    assert [(e.original_name, e.media_type) for e in kept] == [
        ("laporan.pdf", "application/pdf"), ("foto loket.png", "image/png"), ("notulen.docx", DOCX)]
    assert all(e.activity_id == activity.id and e.owner_id == activity.employee_id for e in kept)
    assert len(stored_files(app)) == 3


@pytest.mark.parametrize(("data", "name"), [(HTML_BYTES, "laporan.pdf"), (EXE_BYTES, "bukti.pdf"),
                                            (b"just text", "catatan.txt")])
def test_a_file_is_judged_by_its_content_not_its_name(app, login_as, activity, data, name):
    response = upload(login_as("employee"), activity, (PDF_BYTES, "asli.pdf"), (data, name))
    assert response.status_code == 400
    assert f"{name}: jenis berkas tidak diterima" in response.text
    # One bad file keeps the whole upload out.
    assert db.session.scalar(db.select(Evidence)) is None
    assert stored_files(app) == []


def test_a_file_over_the_limit_is_refused_with_413(app, login_as, activity):
    app.config["EVIDENCE_MAX_BYTES"] = 1024
    response = upload(login_as("employee"), activity, (PDF_BYTES + b"0" * 2000, "besar.pdf"))
    assert response.status_code == 413
    assert "besar.pdf: Berkas melebihi 1 KB." in response.text
    assert db.session.scalar(db.select(Evidence)) is None


def test_an_upload_without_files_is_explained(login_as, activity):
    response = upload(login_as("employee"), activity)
    assert response.status_code == 400
    assert "Pilih berkas" in response.text


def test_a_verified_activity_takes_no_more_evidence_and_keeps_its_own(login_as, activity):
    kept = make_evidence(activity)
    activity.status = ActivityStatus.VERIFIED
    db.session.commit()
    client = login_as("employee")
    assert upload(client, activity, (PDF_BYTES, "lagi.pdf")).status_code == 400
    client.post(f"/bukti/{kept.id}/hapus")
    assert db.session.scalar(db.select(Evidence.id)) == kept.id


def test_the_owner_removes_evidence_while_the_activity_is_open(app, login_as, activity):
    kept = make_evidence(activity)
    assert stored_files(app) == [kept.stored_name]
    response = login_as("employee").post(f"/bukti/{kept.id}/hapus")
    assert response.status_code == 302
    assert db.session.scalar(db.select(Evidence)) is None
    assert stored_files(app) == []


def test_deleting_an_activity_deletes_its_files(app, login_as, activity):
    make_evidence(activity)
    assert login_as("employee").post(f"/harian/{activity.id}/hapus").status_code == 302
    assert stored_files(app) == []


def test_the_download_is_an_attachment_in_a_sandbox(login_as, activity):
    file = make_evidence(activity, PNG_BYTES, "foto loket.png")
    response = login_as("supervisor").get(f"/bukti/{file.id}")
    assert response.status_code == 200
    assert response.data == PNG_BYTES
    assert response.mimetype == "image/png"
    assert response.headers["Content-Disposition"].startswith("attachment;")
    assert "foto loket.png" in response.headers["Content-Disposition"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Content-Security-Policy"] == "sandbox"


def test_the_download_is_never_cached_and_named_by_what_the_bytes_are(login_as, activity):
    file = make_evidence(activity, PDF_BYTES, "evil.html")
    response = login_as("supervisor").get(f"/bukti/{file.id}")
    assert response.headers["Cache-Control"] == "no-store"
    assert response.mimetype == "application/pdf"
    disposition = response.headers["Content-Disposition"]
    assert "evil.pdf" in disposition and ".html" not in disposition


@pytest.mark.parametrize(("role", "status"), [
    ("employee", 200), ("supervisor", 200), ("head", 200), ("hr", 200),
    ("admin", 403), ("outsider", 403), ("teammate", 403),
])
def test_who_may_download(login_as, activity, role, status):
    file = make_evidence(activity)
    assert login_as(role).get(f"/bukti/{file.id}").status_code == status


@pytest.mark.parametrize(("role", "status"), [("employee", 200), ("head", 200), ("teammate", 403)])
def test_a_realisations_evidence_follows_the_same_rule(login_as, activity, role, status):
    entry = make_realisation(activity.rhk.indicators[0], 3, "2")
    file = make_evidence(None, realisation=entry)
    assert login_as(role).get(f"/bukti/{file.id}").status_code == status


def test_a_lost_file_is_a_404(login_as, activity):
    file = make_evidence(activity)
    evidence.path_of(file).unlink()
    assert login_as("employee").get(f"/bukti/{file.id}").status_code == 404
    assert login_as("employee").get("/bukti/999999").status_code == 404


def test_evidence_of_a_realisation_is_not_removed_here(login_as, activity):
    entry = make_realisation(activity.rhk.indicators[0], 3, "2")
    file = make_evidence(None, realisation=entry)
    assert login_as("employee").post(f"/bukti/{file.id}/hapus").status_code == 404
    assert db.session.scalar(db.select(Evidence.id)) == file.id


def test_the_size_limit_reads_well_under_a_megabyte(app):
    assert evidence.size_label(10 * 1024 * 1024) == "10 MB"
    assert evidence.size_label(1536 * 1024) == "1,5 MB"
    assert evidence.size_label(500 * 1024) == "500 KB"


def odt_bomb(inflated: int) -> bytes:
    """An ODF "document" whose mimetype member inflates to `inflated` bytes (a ~1,000:1 bomb)."""
    import io
    import zipfile
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("mimetype", b"application/vnd.oasis.opendocument.text" + b" " * inflated)
    return buffer.getvalue()


def test_a_decompression_bomb_is_refused_without_inflating_it(app, login_as, activity):
    import tracemalloc
    bomb = odt_bomb(200 * 1024 * 1024)
    assert len(bomb) < 300 * 1024  # under the upload limit, as the attack was
    client = login_as("employee")
    tracemalloc.start()
    response = upload(client, activity, (bomb, "laporan.odt"))
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert response.status_code == 400
    assert "laporan.odt: jenis berkas tidak diterima" in response.text
    assert peak < 40 * 1024 * 1024  # the 200 MB member was never inflated
    assert stored_files(app) == []


# ---------------------------------------------------------------- evidence at entry


def _entry(rhk, files, **changes) -> dict:
    data = {"description": "Memverifikasi berkas KTP-el", "rhk_id": str(rhk.id),
            "indicator_id": "", "day": "2026-03-04", "start_time": "08:00",
            "end_time": "09:00", "minutes": "", "quantity": "",
            "files": [(io.BytesIO(content), name) for content, name in files]}
    data.update(changes)
    return data


@pytest.mark.parametrize("htmx", [True, False])
def test_an_activity_and_its_evidence_are_saved_in_one_step(app, login_as, org, htmx):
    from kinerja.performance.models import Activity
    _, skp = make_reporter(org.employee.employee)
    response = login_as("employee").post(
        "/harian", content_type="multipart/form-data",
        data=_entry(skp.rhks[0], [(PDF_BYTES, "surat.pdf"), (PNG_BYTES, "loket.png")]),
        headers={"HX-Request": "true"} if htmx else {})
    assert response.status_code == (200 if htmx else 302)
    saved = db.session.scalar(db.select(Activity))
    assert saved.description == "Memverifikasi berkas KTP-el"
    assert sorted((e.original_name, e.media_type, e.owner_id) for e in saved.evidence) == [
        ("loket.png", "image/png", saved.employee_id),
        ("surat.pdf", "application/pdf", saved.employee_id)]
    assert len(stored_files(app)) == 2
    if htmx:  # the redrawn day links the files; the note says they were kept
        assert "2 berkas bukti tersimpan." in response.text
        assert f'/bukti/{saved.evidence[0].id}"' in response.text


def test_without_a_file_the_entry_works_as_before(app, login_as, org):
    from kinerja.performance.models import Activity
    _, skp = make_reporter(org.employee.employee)
    response = login_as("employee").post("/harian", content_type="multipart/form-data",
                                         data=_entry(skp.rhks[0], []))
    assert response.status_code == 302
    assert db.session.scalar(db.select(Activity)).evidence == []


@pytest.mark.parametrize("htmx", [True, False])
def test_a_bad_file_at_entry_saves_nothing_and_keeps_what_was_typed(app, login_as, org, htmx):
    from kinerja.performance.models import Activity
    _, skp = make_reporter(org.employee.employee)
    client = login_as("employee")
    headers = {"HX-Request": "true"} if htmx else {}
    response = client.post("/harian", content_type="multipart/form-data", headers=headers,
                           data=_entry(skp.rhks[0], [(PDF_BYTES, "baik.pdf"),
                                                     (EXE_BYTES, "bukti.pdf")]))
    assert response.status_code == 400
    assert "bukti.pdf: jenis berkas tidak diterima" in response.text
    assert "Kegiatan belum disimpan" in response.text
    assert 'value="Memverifikasi berkas KTP-el"' in response.text
    assert 'id="files-error" class="field-error" role="alert">' in response.text
    assert db.session.scalar(db.select(Activity)) is None
    assert db.session.scalar(db.select(Evidence)) is None and stored_files(app) == []

    app.config["EVIDENCE_MAX_BYTES"] = 1024
    large = client.post("/harian", content_type="multipart/form-data", headers=headers,
                        data=_entry(skp.rhks[0], [(PDF_BYTES + b"0" * 2000, "besar.pdf")]))
    assert large.status_code == 413
    assert "besar.pdf: Berkas melebihi 1 KB." in large.text
    assert 'value="Memverifikasi berkas KTP-el"' in large.text
    assert db.session.scalar(db.select(Activity)) is None


def test_the_entry_form_offers_the_file_with_its_limit(app, login_as, org):
    make_reporter(org.employee.employee)
    page = login_as("employee").get("/harian").text
    assert 'enctype="multipart/form-data"' in page
    assert 'name="files" multiple data-max-bytes="10485760"' in page
    assert "paling besar 10 MB per berkas" in page

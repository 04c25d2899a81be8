"""HR records the approval the PPK signed on paper for the SKP of the top of the chart: only
with the signed scan, in the PPK's name, and the SKP document says who recorded it."""
import io
from datetime import date

import pytest

from kinerja.extensions import db
from kinerja.organisation.models import Employee, PpkTerm
from kinerja.performance.models import SkpStatus
from tests.appraisal.test_documents import flat, pdf_text
from tests.builders import PDF_BYTES, make_period, make_skp


@pytest.fixture
def ppk(org):
    bupati = Employee(name="H. Syarwani, S.Pd., M.Si.", is_ppk=True)
    db.session.add_all([bupati, PpkTerm(employee=bupati, title="Bupati Bulungan",
                                        starts_on=date(2025, 1, 1))])
    db.session.commit()
    return bupati


@pytest.fixture
def top_plan(org, ppk):
    """The head of the dinas has no supervisor: the PPK approves the plan."""
    return make_skp(org.head.employee, make_period(), status=SkpStatus.SUBMITTED, rhks=1)


def test_hr_records_the_ppks_approval_only_with_the_signed_scan(login_as, org, ppk, top_plan):
    hr = login_as("hr")
    page = hr.get(f"/skp/{top_plan.id}").text
    assert "Catat persetujuan PPK" in page and "disetujui PPK" in page
    refused = hr.post(f"/skp/{top_plan.id}/setujui-ppk", data={})
    assert refused.status_code == 400
    assert "Lampirkan pindaian persetujuan yang ditandatangani PPK" in refused.text
    db.session.refresh(top_plan)
    assert top_plan.status is SkpStatus.SUBMITTED
    done = hr.post(f"/skp/{top_plan.id}/setujui-ppk",
                   data={"scan": (io.BytesIO(PDF_BYTES), "persetujuan.pdf")},
                   content_type="multipart/form-data")
    assert done.status_code == 302
    db.session.refresh(top_plan)
    (version,) = top_plan.versions
    assert top_plan.status is SkpStatus.APPROVED and top_plan.approver_id == ppk.id
    assert (version.approved_by_id, version.recorded_by_id) == (ppk.id, org.hr.id)
    assert version.scan.original_name == "persetujuan.pdf"
    text = flat(pdf_text(hr.get(f"/skp/{top_plan.id}/pdf").data))
    recorded = f"Disetujui oleh PPK; dicatat oleh {org.hr.display_name} berdasarkan dokumen"
    assert f"{recorded} bertanda tangan." in text


def test_a_scan_that_is_no_document_is_refused(login_as, top_plan):
    response = login_as("hr").post(f"/skp/{top_plan.id}/setujui-ppk",
                                   data={"scan": (io.BytesIO(b"MZ\x90\x00binary"), "virus.exe")},
                                   content_type="multipart/form-data")
    assert response.status_code == 400
    db.session.refresh(top_plan)
    assert top_plan.status is SkpStatus.SUBMITTED


def test_only_hr_records_for_the_ppk_and_only_for_the_ppks_plans(login_as, org, top_plan):
    assert login_as("supervisor").post(f"/skp/{top_plan.id}/setujui-ppk").status_code == 403
    theirs = make_skp(org.employee.employee, top_plan.period, status=SkpStatus.SUBMITTED, rhks=1)
    assert login_as("hr").post(f"/skp/{theirs.id}/setujui-ppk").status_code == 403

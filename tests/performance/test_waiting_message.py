"""A sentence that ends with a name ends with one full stop, whatever title the name carries."""
from kinerja.extensions import db
from kinerja.performance.models import SkpStatus
from tests.builders import make_period, make_skp


def test_waiting_for_an_approver_whose_title_ends_in_a_stop(login_as, org):
    org.supervisor.employee.name = "Aisyah Setiawan, S.Sos."
    skp = make_skp(org.employee.employee, make_period(2026), status=SkpStatus.SUBMITTED, rhks=1)
    skp.approver = org.supervisor.employee
    db.session.commit()
    page = login_as("employee").get(f"/skp/{skp.id}").text
    assert "Menunggu persetujuan Aisyah Setiawan, S.Sos.<" in page
    assert "S.Sos.." not in page

"""GET /api/v1/evaluations carries the employee's status, rank, jenis jabatan and jenjang, and
each evaluation's angka kredit (a fungsional's only)."""
from datetime import date

import pytest

from kinerja.extensions import db
from kinerja.organisation.asn import AsnStatus, Jenjang, PositionKind, Rank

# NOW: the frozen time of test_api_v1, whose fixtures these tests use.
from tests.integration.test_api_v1 import NOW, data, get, token  # noqa: F401

pytestmark = pytest.mark.usefixtures("frozen_clock")


def test_evaluations_carry_the_master_data_and_the_angka_kredit(client, org, token):  # noqa: F811
    ani = org.employee.employee
    items = get(client, token, "/evaluations").json["items"]
    # Nothing recorded yet: the fields are there, null.
    assert {(i["rank"], i["jenjang"], i["angka_kredit"]) for i in items} == {(None, None, None)}
    ani.asn_status, ani.rank, ani.rank_tmt = AsnStatus.PNS, Rank.III_C, date(2022, 10, 1)
    ani.position_kind, ani.jenjang = PositionKind.FUNGSIONAL, Jenjang.AHLI_MUDA
    db.session.commit()
    items = get(client, token, "/evaluations").json["items"]
    first = items[0]
    assert (first["asn_status"], first["rank"], first["rank_tmt"], first["position_kind"],
            first["jenjang"]) == ("pns", "III/c", "2022-10-01", "fungsional", "ahli_muda")
    # February Baik: 100% x 25 x 1/12 = 2.083; March Butuh Perbaikan: 75% x 25 / 12 = 1.5625.
    assert [(i["point"], i["predikat"], i["angka_kredit"]) for i in items] == [
        (2, "baik", "2.083"), (3, "butuh_perbaikan", "1.563")]


def test_no_angka_kredit_for_a_structural_position(client, org, token):  # noqa: F811
    ani = org.employee.employee
    ani.position_kind, ani.jenjang = PositionKind.PENGAWAS, None
    db.session.commit()
    items = get(client, token, "/evaluations").json["items"]
    assert {i["angka_kredit"] for i in items} == {None}
    assert {i["position_kind"] for i in items} == {"pengawas"}

"""Whose plan is a JPT's, and the perspectives its RHK are grouped by on the annex's SKP for JPT
(Penerima Layanan, Proses Bisnis, Penguatan Internal, Anggaran).

The jenis jabatan recorded on the employee (organisation/asn.PositionKind) decides. Employees
recorded before it was kept have none: then the head of an OPD (the Sekretariat Daerah at the top of
the tree, or a dinas, badan or sekretariat right under it) is taken as a JPT Pratama, as a
kabupaten's organisation chart has it.
"""
from kinerja.organisation.models import Employee, UnitKind
from kinerja.performance.models import Perspective

JPT_UNIT_KINDS = frozenset({UnitKind.SEKRETARIAT, UnitKind.DINAS, UnitKind.BADAN})


def is_jpt(employee: Employee) -> bool:
    if employee.position_kind is not None:
        return employee.position_kind.value.startswith("jpt")
    unit = employee.unit
    if unit is None or unit.head_id != employee.id or unit.kind not in JPT_UNIT_KINDS:
        return False
    # An OPD stands at the top of the tree or right under the government's own sekretariat;
    # a bidang or sekretariat inside a dinas is led by an administrator.
    parent = unit.parent
    return parent is None or (parent.kind is UnitKind.SEKRETARIAT and parent.parent_id is None)


def parse_perspective(raw: str | None) -> Perspective | None:
    """A form's value as a Perspective; None when left empty or unknown (the form's own
    choices keep it to known values)."""
    try:
        return Perspective(raw) if raw else None
    except ValueError:
        return None


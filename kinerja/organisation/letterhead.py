"""The kop of an official document: the government's name, the unit, its address and who signs.

It is read from the unit tree: the government from the top unit's name ("Sekretariat Daerah
Kabupaten Bulungan" gives PEMERINTAH KABUPATEN BULUNGAN, and Bulungan as the place of signing),
the rest from the unit the document is about. IKM reports, award certificates, the appraisal
documents and any other printout use it, so every kop reads the same.
"""
import re
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from kinerja.extensions import db
from kinerja.organisation import tree
from kinerja.organisation.models import Employee, Unit

GOVERNMENT_NAME = re.compile(r"\b(Kabupaten|Kota|Provinsi)\s+(.+)$", re.IGNORECASE)


@dataclass(frozen=True)
class Letterhead:
    government: str       # PEMERINTAH KABUPATEN BULUNGAN
    unit_name: str        # DINAS KEPENDUDUKAN DAN PENCATATAN SIPIL
    address: str
    place: str            # where the document is signed: the kabupaten's name
    head: Employee | None
    head_title: str


def letterhead(unit: Unit | None) -> Letterhead:
    """The kop for a document about `unit` (None: the whole region, under its top unit)."""
    chain = tree.unit_and_ancestors(unit) if unit is not None else []
    top = chain[-1] if chain else db.session.scalar(
        db.select(Unit).where(Unit.parent_id.is_(None)).order_by(Unit.id).limit(1))
    government, place = "PEMERINTAH DAERAH", ""
    if top is not None:
        found = GOVERNMENT_NAME.search(top.name)
        if found:
            government = f"PEMERINTAH {found.group(1).upper()} {found.group(2).upper()}"
            place = found.group(2).strip()
    subject = unit or top
    head = subject.head if subject is not None else None
    title = str(_l("Kepala %(unit)s", unit=subject.name)) if subject is not None else ""
    return Letterhead(government, (subject.name if subject else "").upper(),
                      (subject.address or "") if subject else "", place, head, title)

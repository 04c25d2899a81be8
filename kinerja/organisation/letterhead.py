"""The kop of an official document: the government's name, the unit, its address and who signs.

The government's name, its logo and the place of signing are the kabupaten's identity, which an
admin keeps (organisation/identity.py); until one is saved the government's name is read from the
top unit's name ("Sekretariat Daerah Kabupaten Bulungan" gives PEMERINTAH KABUPATEN BULUNGAN)
and the place of signing is left blank for the signer to write: the place comes from the
identity only (the regency's name is seldom the town where its documents are signed, and no
setting of the server's environment stands in for it). The rest comes from the unit the
document is about. IKM reports, award certificates, the appraisal documents and any other
printout use it, so every kop reads the same.
"""
import re
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from kinerja.extensions import db
from kinerja.organisation import identity, tree
from kinerja.organisation.models import Employee, Unit

GOVERNMENT_NAME = re.compile(r"\b(Kabupaten|Kota|Provinsi)\s+(.+)$", re.IGNORECASE)


@dataclass(frozen=True)
class Letterhead:
    government: str       # PEMERINTAH KABUPATEN BULUNGAN
    unit_name: str        # DINAS KEPENDUDUKAN DAN PENCATATAN SIPIL
    address: str
    place: str            # where the document is signed: Tanjung Selor
    head: Employee | None
    head_title: str
    logo: bytes | None = None   # the kabupaten's logo as PNG, when one is set


def letterhead(unit: Unit | None) -> Letterhead:
    """The kop for a document about `unit` (None: the whole region, under its top unit)."""
    chain = tree.unit_and_ancestors(unit) if unit is not None else []
    top = chain[-1] if chain else db.session.scalar(
        db.select(Unit).where(Unit.parent_id.is_(None)).order_by(Unit.id).limit(1))
    government, place = "PEMERINTAH DAERAH", ""
    kabupaten = identity.current()
    if kabupaten.configured:
        government, place = kabupaten.government_name.upper(), kabupaten.place
    elif top is not None:
        found = GOVERNMENT_NAME.search(top.name)
        if found:
            government = f"PEMERINTAH {found.group(1).upper()} {found.group(2).upper()}"
    subject = unit or top
    head = subject.head if subject is not None else None
    title = str(_l("Kepala %(unit)s", unit=subject.name)) if subject is not None else ""
    return Letterhead(government, (subject.name if subject else "").upper(),
                      (subject.address or "") if subject else "", place, head, title,
                      identity.logo_png())

"""The kabupaten's identity: its government's name, short name, logo, place of signing and accent
colour, kept by admins and read by every page header and every document's letterhead.

Every page reads it, so each process keeps what it read for CACHE_SECONDS (without the logo):
a change shows at once in the process that saved it and within that time in the others. The
logo is read only by its own URL and by documents, and kept per process by version.
"""
import re
from dataclasses import dataclass
from time import monotonic

from flask import current_app
from flask_babel import lazy_gettext as _l

from kinerja.core import audit, images
from kinerja.core.errors import NotAllowed, RuleViolation
from kinerja.core.types import utcnow
from kinerja.extensions import db
from kinerja.organisation import access
from kinerja.organisation.models import GovernmentIdentity, Unit, User

CACHE_SECONDS = 30
MAX_LOGO_BYTES = 2 * 1024 * 1024
MAX_LOGO_PIXELS = 4000 * 4000   # more is a decompression bomb, not an emblem
LOGO_SIDE = 512                 # enough for a printed kop at 300 dpi; a few KB as PNG
MAX_GOVERNMENT = 200
MAX_SHORT = 60
MAX_PLACE = 100
MIN_CONTRAST = 4.5              # WCAG AA for text: white on the accent, the accent on white
HEX_COLOUR = re.compile(r"#?([0-9a-f]{3}|[0-9a-f]{6})")
GOVERNMENT_NAME = re.compile(r"\b(Kabupaten|Kota|Provinsi)\s+(.+)$", re.IGNORECASE)
_CACHE, _LOGO_CACHE = "kinerja.identity", "kinerja.identity.logo"


class LogoTooLarge(RuleViolation):
    """The uploaded logo is over MAX_LOGO_BYTES (a 413, not a 400)."""


@dataclass(frozen=True)
class Identity:
    """What pages and documents show; `configured` is False until an admin first saves."""
    government_name: str = ""
    short_name: str = ""
    place: str = ""
    accent: str | None = None
    has_logo: bool = False
    version: int = 0
    configured: bool = False


@dataclass(frozen=True)
class Suggestion:
    """What the form offers before the first save, read from the top unit's name."""
    government_name: str = ""
    short_name: str = ""


# ---------------------------------------------------------------- reading


def current() -> Identity:
    """The identity as saved (or an unconfigured one), from this process's cache when fresh."""
    cached = current_app.extensions.get(_CACHE)
    if cached is not None and monotonic() - cached[1] < CACHE_SECONDS:
        return cached[0]
    row = db.session.execute(
        db.select(GovernmentIdentity.government_name, GovernmentIdentity.short_name,
                  GovernmentIdentity.place, GovernmentIdentity.accent,
                  GovernmentIdentity.logo.is_not(None), GovernmentIdentity.version)
        .where(GovernmentIdentity.id == 1)).first()
    found = Identity(*row, configured=True) if row is not None else Identity()
    # Replaced, never changed in place: a request reading it meanwhile sees one or the other.
    current_app.extensions[_CACHE] = (found, monotonic())
    return found


def logo_png() -> bytes | None:
    """The logo as PNG bytes, or None when there is none."""
    identity = current()
    if not identity.has_logo:
        return None
    cached = current_app.extensions.get(_LOGO_CACHE)
    if cached is not None and cached[0] == identity.version:
        return cached[1]
    row = db.session.execute(db.select(GovernmentIdentity.version, GovernmentIdentity.logo)
                             .where(GovernmentIdentity.id == 1)).first()
    if row is None or row.logo is None:
        return None
    current_app.extensions[_LOGO_CACHE] = (row.version, row.logo)
    return row.logo


def saved() -> GovernmentIdentity | None:
    """The row itself, read now (the admin's page shows what is saved, not a cached copy)."""
    return db.session.scalar(db.select(GovernmentIdentity).where(GovernmentIdentity.id == 1)
                             .options(db.joinedload(GovernmentIdentity.updated_by)))


def forget() -> None:
    """Drop this process's copies (after a change, or a restore of the database)."""
    current_app.extensions.pop(_CACHE, None)
    current_app.extensions.pop(_LOGO_CACHE, None)


def suggestion() -> Suggestion:
    """The names read from a top unit ("Sekretariat Daerah Kabupaten Bulungan" gives
    Pemerintah Kabupaten Bulungan, Kabupaten Bulungan): what the documents printed before an
    admin saved an identity, offered in the form."""
    roots = db.session.scalars(db.select(Unit.name).where(Unit.parent_id.is_(None)).order_by(Unit.id))
    found = next((m for m in map(GOVERNMENT_NAME.search, roots) if m), None)
    if not found:
        return Suggestion()
    region = f"{found.group(1).capitalize()} {found.group(2).strip()}"
    return Suggestion(f"Pemerintah {region}", region)


# ---------------------------------------------------------------- the accent colour


def parse_accent(raw: str | None) -> str | None:
    """"#1A5C3B", "1a5c3b" or "#1a5" as "#1a5c3b"; None when left empty (Kinerja's own blue).
    Refused when it is not a hex colour, or too light to carry white text and to be read as
    text on white."""
    text = (raw or "").strip().lower()
    if not text:
        return None
    matched = HEX_COLOUR.fullmatch(text)
    if not matched:
        raise RuleViolation(_l("Warna aksen harus kode heksadesimal seperti #0b5394."), "accent")
    digits = matched.group(1)
    if len(digits) == 3:
        digits = "".join(d * 2 for d in digits)
    colour = f"#{digits}"
    ratio = contrast_with_white(colour)
    if ratio < MIN_CONTRAST:
        raise RuleViolation(_l("Warna %(colour)s terlalu terang: teks putih di atasnya sulit dibaca "
                               "(kontras %(ratio)s:1, paling sedikit 4,5:1). Pilih warna yang "
                               "lebih gelap.", colour=colour, ratio=f"{ratio:.1f}".replace(".", ",")),
                            "accent")
    return colour


def contrast_with_white(colour: str) -> float:
    """The WCAG contrast ratio of "#rrggbb" against white (1 to 21)."""
    def linear(channel: int) -> float:
        c = channel / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (int(colour[i:i + 2], 16) for i in (1, 3, 5))
    luminance = 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b)
    return 1.05 / (luminance + 0.05)


# ---------------------------------------------------------------- changing


def _text(raw: str | None, field: str, label, limit: int) -> str:
    text = " ".join((raw or "").split())
    if not text:
        raise RuleViolation(_l("%(label)s wajib diisi.", label=label), field)
    if len(text) > limit:
        raise RuleViolation(_l("%(label)s paling panjang %(n)s karakter.", label=label, n=limit), field)
    return text


def logo_from_upload(data: bytes) -> bytes:
    """The uploaded logo checked and re-encoded as a small PNG, or a RuleViolation saying why."""
    if not data:
        raise RuleViolation(_l("Berkas logo kosong."), "logo")
    if len(data) > MAX_LOGO_BYTES:
        raise LogoTooLarge(_l("Berkas logo melebihi 2 MB."), "logo")
    try:
        return images.as_png(data, LOGO_SIDE, MAX_LOGO_PIXELS)
    except images.TooManyPixels:
        raise RuleViolation(_l("Gambar logo terlalu besar: paling banyak 4000 × 4000 piksel."),
                            "logo") from None
    except images.NotAPicture:
        raise RuleViolation(_l("Logo harus berupa gambar PNG, JPG atau WEBP."), "logo") from None


def update(actor: User, *, government_name: str | None, short_name: str | None,
           place: str | None, accent: str | None, logo: bytes | None = None,
           remove_logo: bool = False) -> GovernmentIdentity:
    """Save the identity. Everything is checked before anything is written: a bad logo or
    colour leaves the saved identity as it was. The change is audited field by field."""
    if not access.manages_identity(actor):
        raise NotAllowed()
    values = {
        "government_name": _text(government_name, "government_name",
                                 _l("Nama pemerintah daerah"), MAX_GOVERNMENT),
        "short_name": _text(short_name, "short_name", _l("Nama singkat"), MAX_SHORT),
        "place": _text(place, "place", _l("Tempat penandatanganan"), MAX_PLACE),
        "accent": parse_accent(accent),
    }
    new_logo = logo_from_upload(logo) if logo is not None else None
    row = db.session.get(GovernmentIdentity, 1)
    if row is None:
        row = GovernmentIdentity(id=1, version=0)
        db.session.add(row)
    changed = {name: {"from": getattr(row, name), "to": value}
               for name, value in values.items() if getattr(row, name) != value}
    if new_logo is not None:
        row.logo = new_logo
        changed["logo"] = {"to": "baru", "size": len(new_logo)}
    elif remove_logo and row.logo is not None:
        row.logo = None
        changed["logo"] = {"to": "dihapus"}
    if not changed:
        return row
    for name, value in values.items():
        setattr(row, name, value)
    row.version = (row.version or 0) + 1
    row.updated_at, row.updated_by_id = utcnow(), actor.id
    audit.record("identity.changed", actor=actor, subject=row, summary=values["government_name"],
                 changed=changed)
    db.session.commit()
    forget()
    return row

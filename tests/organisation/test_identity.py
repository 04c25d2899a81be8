"""The kabupaten's identity: what an admin may save, how the logo is made safe, how a bad colour
or logo is refused with nothing lost, the audit of each change, the per-process cache and the
letterhead that reads it."""
import io
import struct
import zlib

import pytest
from PIL import Image

from kinerja.core import images
from kinerja.core.errors import NotAllowed, RuleViolation
from kinerja.core.models import AuditEvent
from kinerja.extensions import db
from kinerja.organisation import identity
from kinerja.organisation.letterhead import letterhead
from kinerja.organisation.models import GovernmentIdentity
from tests.builders import make_unit
from tests.queries import counted_statements

BULUNGAN = {"government_name": "Pemerintah Kabupaten Bulungan", "short_name": "Kabupaten Bulungan",
            "place": "Tanjung Selor", "accent": None}


def picture(fmt: str = "PNG", size=(800, 600), mode: str = "RGBA", **save) -> bytes:
    out = io.BytesIO()
    Image.new(mode, size, (20, 90, 60, 255) if mode == "RGBA" else (20, 90, 60)).save(out, fmt, **save)
    return out.getvalue()


def png_claiming(width: int, height: int) -> bytes:
    """A tiny file whose header says width x height pixels: a decompression bomb's disguise."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(b"\x00" * 1000)) + chunk(b"IEND", b""))


def save(actor, **changes):
    return identity.update(actor, **(BULUNGAN | changes))


# ---------------------------------------------------------------- saving


def test_until_an_admin_saves_nothing_is_configured_and_the_form_offers_the_top_units_names(app):
    make_unit("Sekretariat Daerah Kabupaten Bulungan")
    db.session.commit()
    assert identity.current() == identity.Identity()
    offered = identity.suggestion()
    assert offered.government_name == "Pemerintah Kabupaten Bulungan"
    assert offered.short_name == "Kabupaten Bulungan"


def test_an_admin_saves_the_identity_and_every_reader_sees_it_at_once(app, org):
    row = save(org.admin, accent="#1A5C3B")
    assert row.version == 1
    now = identity.current()
    assert now.configured and now.government_name == "Pemerintah Kabupaten Bulungan"
    assert (now.short_name, now.place, now.accent, now.has_logo) == (
        "Kabupaten Bulungan", "Tanjung Selor", "#1a5c3b", False)
    save(org.admin, place="Tanjung Palas")
    assert identity.current().place == "Tanjung Palas"
    assert identity.current().version == 2


@pytest.mark.parametrize("role", ["hr", "head", "employee"])
def test_only_admins_change_it(app, org, role):
    with pytest.raises(NotAllowed):
        save(getattr(org, role))
    assert db.session.get(GovernmentIdentity, 1) is None


def test_each_change_is_audited_with_what_changed(app, org):
    save(org.admin)
    save(org.admin, short_name="Kab. Bulungan", logo=picture())
    events = db.session.scalars(db.select(AuditEvent).where(AuditEvent.action == "identity.changed")
                                .order_by(AuditEvent.id)).all()
    assert len(events) == 2
    assert events[1].actor_id == org.admin.id
    assert events[1].details["changed"]["short_name"] == {"from": "Kabupaten Bulungan",
                                                          "to": "Kab. Bulungan"}
    assert events[1].details["changed"]["logo"]["to"] == "baru"
    assert "place" not in events[1].details["changed"]


def test_saving_the_same_values_again_changes_nothing(app, org):
    save(org.admin)
    save(org.admin)
    assert identity.current().version == 1
    assert db.session.scalar(db.select(db.func.count(AuditEvent.id))) == 1


@pytest.mark.parametrize("field, value, message", [
    ("government_name", "  ", "Nama pemerintah daerah wajib diisi."),
    ("short_name", "x" * 61, "Nama singkat paling panjang 60 karakter."),
    ("place", "", "Tempat penandatanganan wajib diisi."),
])
def test_names_are_required_and_bounded(app, org, field, value, message):
    with pytest.raises(RuleViolation) as refused:
        save(org.admin, **{field: value})
    assert (str(refused.value.message), refused.value.field) == (message, field)


def test_names_are_kept_with_single_spaces(app, org):
    save(org.admin, government_name="  Pemerintah   Kabupaten\tBulungan ")
    assert identity.current().government_name == "Pemerintah Kabupaten Bulungan"


# ---------------------------------------------------------------- the accent colour


@pytest.mark.parametrize("raw, colour", [("#1A5C3B", "#1a5c3b"), ("1a5c3b", "#1a5c3b"),
                                         ("#135", "#113355"), ("", None), (None, None)])
def test_an_accent_is_a_hex_colour_written_one_way(raw, colour):
    assert identity.parse_accent(raw) == colour


@pytest.mark.parametrize("raw", ["merah", "#12345", "#gggggg", "rgb(1,2,3)", "#1a5c3b;}body{"])
def test_an_accent_that_is_not_a_hex_colour_is_refused(raw):
    with pytest.raises(RuleViolation, match="heksadesimal") as refused:
        identity.parse_accent(raw)
    assert refused.value.field == "accent"


def test_an_accent_too_light_for_white_text_is_refused_with_its_contrast():
    with pytest.raises(RuleViolation) as refused:
        identity.parse_accent("#ffcc00")
    assert "terlalu terang" in str(refused.value.message)
    assert "kontras 1,5:1" in str(refused.value.message)
    assert identity.parse_accent("#0b5394") == "#0b5394"  # Kinerja's own blue passes


def test_contrast_with_white_follows_wcag():
    assert identity.contrast_with_white("#000000") == pytest.approx(21)
    assert identity.contrast_with_white("#ffffff") == pytest.approx(1)
    assert identity.contrast_with_white("#767676") == pytest.approx(4.54, abs=0.01)


# ---------------------------------------------------------------- the logo


def test_a_logo_is_re_encoded_as_a_small_png_without_metadata(app, org):
    exif = Image.Exif()
    exif[0x010F] = "Kamera Rahasia"  # Make
    upload = picture("JPEG", size=(2000, 1000), mode="RGB", exif=exif.tobytes())
    save(org.admin, logo=upload)
    png = identity.logo_png()
    assert png.startswith(b"\x89PNG")
    with Image.open(io.BytesIO(png)) as logo:
        assert logo.size == (512, 256)
        assert logo.mode == "RGBA"
        assert not logo.getexif() and "exif" not in logo.info and "icc_profile" not in logo.info
    assert b"Kamera Rahasia" not in png


def test_a_transparent_logo_stays_transparent(app, org):
    out = io.BytesIO()
    Image.new("RGBA", (64, 64), (0, 0, 0, 0)).save(out, "PNG")
    save(org.admin, logo=out.getvalue())
    with Image.open(io.BytesIO(identity.logo_png())) as logo:
        assert logo.getpixel((0, 0))[3] == 0


@pytest.mark.parametrize("data, message", [
    (b"%PDF-1.7 not a picture", "Logo harus berupa gambar PNG, JPG atau WEBP."),
    (b"<svg xmlns='http://www.w3.org/2000/svg'/>", "Logo harus berupa gambar PNG, JPG atau WEBP."),
    (b"\x89PNG\r\n\x1a\n" + b"broken" * 10, "Logo harus berupa gambar PNG, JPG atau WEBP."),
    (png_claiming(30000, 30000), "Gambar logo terlalu besar: paling banyak 4000 × 4000 piksel."),
    (png_claiming(5000, 4000), "Gambar logo terlalu besar: paling banyak 4000 × 4000 piksel."),
    (b"", "Berkas logo kosong."),
])
def test_a_bad_logo_is_refused_and_the_saved_identity_is_kept(app, org, data, message):
    save(org.admin, accent="#1a5c3b", logo=picture())
    before = identity.logo_png()
    with pytest.raises(RuleViolation) as refused:
        save(org.admin, accent="#222222", place="Tempat Lain", logo=data)
    assert (str(refused.value.message), refused.value.field) == (message, "logo")
    db.session.rollback()
    now = identity.current()
    assert (now.accent, now.place, now.version) == ("#1a5c3b", "Tanjung Selor", 1)
    assert identity.logo_png() == before


def test_a_logo_over_2_mb_is_refused_before_it_is_decoded(app, org):
    with pytest.raises(identity.LogoTooLarge, match="melebihi 2 MB"):
        save(org.admin, logo=b"\x89PNG\r\n\x1a\n" + b"\x00" * identity.MAX_LOGO_BYTES)


def test_the_logo_can_be_removed(app, org):
    save(org.admin, logo=picture())
    assert identity.current().has_logo
    save(org.admin, remove_logo=True)
    assert not identity.current().has_logo and identity.logo_png() is None


def test_as_png_refuses_what_is_not_a_picture():
    with pytest.raises(images.NotAPicture):
        images.as_png(b"GIF89a......", 64)
    assert images.picture_type(picture("WEBP", mode="RGB")) == "image/webp"


# ---------------------------------------------------------------- cached, read on every page


def test_every_page_reads_it_from_the_process_cache_and_a_save_refreshes_it(app, org):
    save(org.admin, logo=picture())
    identity.forget()
    with counted_statements() as first:
        identity.current()
    with counted_statements() as again:
        for _ in range(5):
            identity.current()
    assert len(first) == 1 and again == []
    with counted_statements() as logo_reads:
        identity.logo_png()
        identity.logo_png()
    assert len(logo_reads) == 1  # then kept by version
    save(org.admin, short_name="Kab. Bulungan")
    assert identity.current().short_name == "Kab. Bulungan"


def test_another_process_sees_a_change_once_its_copy_is_old(app, org, monkeypatch):
    save(org.admin)
    identity.current()
    db.session.execute(db.update(GovernmentIdentity).values(short_name="Diubah di proses lain",
                                                            version=2))
    db.session.commit()
    assert identity.current().short_name == "Kabupaten Bulungan"
    monkeypatch.setattr(identity, "CACHE_SECONDS", 0)
    assert identity.current().short_name == "Diubah di proses lain"


# ---------------------------------------------------------------- the letterhead


def test_the_letterhead_reads_the_identity_once_saved(app, org):
    top = make_unit("Sekretariat Daerah Kabupaten Bulungan")
    org.dinas.parent = top
    db.session.commit()
    before = letterhead(org.section)
    # The place of signing is the identity's only: blank until saved, never the regency's name.
    assert (before.government, before.place, before.logo) == (
        "PEMERINTAH KABUPATEN BULUNGAN", "", None)
    save(org.admin, government_name="Pemerintah Kabupaten Bulungan", place="Tanjung Selor",
         logo=picture())
    after = letterhead(org.section)
    assert (after.government, after.place) == ("PEMERINTAH KABUPATEN BULUNGAN", "Tanjung Selor")
    assert after.logo == identity.logo_png()
    assert after.unit_name == "BIDANG PELAYANAN"

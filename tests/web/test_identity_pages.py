"""The kabupaten's identity on the web: the admin's page (Kelola → Identitas daerah), the public
logo and accent stylesheet with their caching, and where the identity shows: the portal's
header, the public pages and the kiosk's idle screen (and the kiosk's offline cache)."""
import io
import json
import re

import pytest
from PIL import Image

from kinerja.extensions import db
from kinerja.organisation import identity
from kinerja.organisation.models import GovernmentIdentity
from tests.organisation.test_identity import BULUNGAN, picture, png_claiming

URL = "/kelola/identitas"
FORM = {"government_name": "Pemerintah Kabupaten Bulungan", "short_name": "Kabupaten Bulungan",
        "place": "Tanjung Selor", "accent": ""}


def post(client, logo: bytes | None = None, **changes):
    data = FORM | changes
    if logo is not None:
        data["logo"] = (io.BytesIO(logo), "logo.png")
    return client.post(URL, data=data, content_type="multipart/form-data")


def saved() -> GovernmentIdentity | None:
    db.session.expire_all()
    return db.session.get(GovernmentIdentity, 1)


# ---------------------------------------------------------------- the admin's page


def test_the_page_is_in_the_kelola_menu_of_admins_only(login_as):
    assert f'href="{URL}"' in login_as("admin").get("/").text
    assert f'href="{URL}"' not in login_as("hr").get("/").text
    assert login_as("hr").get(URL).status_code == 403


def test_before_the_first_save_the_form_offers_the_top_units_names(app, org, login_as):
    from tests.builders import make_unit
    org.dinas.parent = make_unit("Sekretariat Daerah Kabupaten Bulungan")
    db.session.commit()
    page = login_as("admin").get(URL)
    assert page.status_code == 200
    assert 'value="Pemerintah Kabupaten Bulungan"' in page.text
    assert "Belum disimpan" in page.text


def test_an_admin_saves_the_identity_with_a_logo(login_as):
    admin = login_as("admin")
    response = post(admin, logo=picture(), accent="#1A5C3B")
    assert response.status_code == 302 and response.headers["Location"] == URL
    row = saved()
    assert (row.government_name, row.short_name, row.place, row.accent) == (
        "Pemerintah Kabupaten Bulungan", "Kabupaten Bulungan", "Tanjung Selor", "#1a5c3b")
    assert row.logo.startswith(b"\x89PNG")
    page = admin.get(URL)
    assert "Identitas daerah tersimpan." in page.text
    assert f'/publik/identitas/logo.png?v={row.version}' in page.text
    assert "Agus Prasetyo" in page.text  # who changed it last


@pytest.mark.parametrize("changes, status, message", [
    ({"accent": "hijau"}, 400, "Warna aksen harus kode heksadesimal seperti #0b5394."),
    ({"accent": "#ffee00"}, 400, "terlalu terang"),
    ({"place": " "}, 400, "Tempat penandatanganan wajib diisi."),
    ({"logo": b"bukan gambar"}, 400, "Logo harus berupa gambar PNG, JPG atau WEBP."),
    ({"logo": png_claiming(30000, 30000)}, 400, "Gambar logo terlalu besar"),
    ({"logo": b"\x89PNG\r\n\x1a\n" + bytes(identity.MAX_LOGO_BYTES)}, 413, "melebihi 2 MB"),
])
def test_a_bad_colour_or_logo_is_shown_on_the_form_and_nothing_is_lost(login_as, changes, status,
                                                                          message):
    admin = login_as("admin")
    post(admin, logo=picture(), accent="#1a5c3b")
    before = saved()
    version, logo = before.version, before.logo
    changes = dict(changes)  # the parameters serve both backends: leave them whole
    logo_upload = changes.pop("logo", None)
    response = post(admin, logo=logo_upload, short_name="Kab. Baru", **changes)
    assert response.status_code == status
    assert message in response.text
    assert 'aria-invalid="true"' in response.text
    assert 'value="Kab. Baru"' in response.text  # what was typed is still in the form
    after = saved()
    assert (after.version, after.short_name, after.accent, after.logo) == (
        version, "Kabupaten Bulungan", "#1a5c3b", logo)


def test_the_logo_can_be_removed_from_the_page(login_as):
    admin = login_as("admin")
    post(admin, logo=picture())
    assert "Hapus logo" in admin.get(URL).text
    post(admin, remove_logo="y")
    assert saved().logo is None
    assert "Hapus logo" not in admin.get(URL).text


def test_a_form_without_its_csrf_token_is_refused(app, login_as):
    admin = login_as("admin")
    app.config["WTF_CSRF_ENABLED"] = True
    assert post(admin).status_code == 400
    assert saved() is None


# ---------------------------------------------------------------- the public logo and accent


def test_the_logo_is_public_and_cached_by_version(app, org, client):
    assert client.get("/publik/identitas/logo.png").status_code == 404
    identity.update(org.admin, **BULUNGAN, logo=picture(size=(64, 64)))
    version = identity.current().version
    response = client.get(f"/publik/identitas/logo.png?v={version}")
    assert response.status_code == 200 and response.mimetype == "image/png"
    assert Image.open(io.BytesIO(response.data)).size == (64, 64)
    assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Content-Security-Policy"] == "sandbox"
    stale = client.get(f"/publik/identitas/logo.png?v={version - 1}")
    assert stale.headers["Cache-Control"] == "no-cache"
    again = client.get("/publik/identitas/logo.png", headers={"If-None-Match": response.headers["ETag"]})
    assert again.status_code == 304


def test_the_accent_is_a_small_stylesheet_of_custom_properties(app, org, client):
    identity.update(org.admin, **BULUNGAN | {"accent": "#1a5c3b"})
    version = identity.current().version
    response = client.get(f"/publik/identitas/aksen.css?v={version}")
    assert response.status_code == 200 and response.mimetype == "text/css"
    css = response.text
    assert "html:root:not([data-theme=dark])" in css
    for line in ("--kinerja-brand: #1a5c3b;", "--pico-primary-background: #1a5c3b;",
                 "--pico-primary-hover-background: #154a2f;", "--brand: #1a5c3b;",
                 "--pico-primary-underline: rgba(26, 92, 59, 0.5);"):
        assert line in css, line
    assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable"


def test_pages_link_the_accent_stylesheet_only_when_an_accent_is_set(app, org, login_as, client):
    identity.update(org.admin, **BULUNGAN)
    assert "aksen.css" not in login_as("employee").get("/").text
    assert "aksen.css" not in client.get("/publik/").text
    identity.update(org.admin, **BULUNGAN | {"accent": "#1a5c3b"})
    link = f'<link rel="stylesheet" href="/publik/identitas/aksen.css?v={identity.current().version}">'
    for page in (login_as("employee").get("/"), client.get("/publik/"), client.get("/kiosk/")):
        assert link in page.text
        assert ' style="' not in page.text  # the colour is in the stylesheet, never inline


# ---------------------------------------------------------------- where the identity shows


def test_the_portal_header_shows_the_logo_and_short_name_beside_kinerja(org, login_as):
    header = login_as("employee").get("/").text.split("</header>")[0]
    assert "Kabupaten Bulungan" not in header and "brand-logo" not in header
    identity.update(org.admin, **BULUNGAN, logo=picture())
    header = login_as("employee").get("/").text.split("</header>")[0]
    assert re.search(r'class="brand"><img src="/publik/identitas/logo.png\?v=\d+" alt="" '
                     r'class="brand-logo"[^>]*><span class="brand-text"><strong>Kinerja</strong> '
                     r'<span class="brand-region">Kabupaten Bulungan</span>', header)


def test_the_public_pages_show_the_kabupaten(org, client):
    identity.update(org.admin, **BULUNGAN, logo=picture())
    page = client.get("/publik/")
    assert page.status_code == 200
    assert '<span class="brand-region">Kabupaten Bulungan</span>' in page.text
    assert "/publik/identitas/logo.png?v=" in page.text


def test_the_kiosk_idle_screen_shows_the_government_and_its_logo(org, client):
    assert 'class="government"' not in client.get("/kiosk/").text
    identity.update(org.admin, **BULUNGAN, logo=picture())
    idle = client.get("/kiosk/").text.split('id="screen-idle"')[1].split("</section>")[0]
    assert "Pemerintah Kabupaten Bulungan" in idle
    assert f'src="/publik/identitas/logo.png?v={identity.current().version}"' in idle


def _worker(client) -> tuple[str, list[str]]:
    source = client.get("/kiosk/sw.js").text
    return (re.search(r'const VERSION = "(\w+)"', source).group(1),
            json.loads(re.search(r"const SHELL = (\[.*?\]);", source).group(1)))


def test_the_kiosk_keeps_the_logo_offline_and_a_new_logo_makes_a_new_shell(org, client):
    """The tablet's service worker pre-caches the logo and the accent with the shell; a change
    of identity changes the worker, so tablets fetch the new page and logo by themselves."""
    identity.update(org.admin, **BULUNGAN | {"accent": "#1a5c3b"}, logo=picture())
    first_version, precached = _worker(client)
    v = identity.current().version
    assert f"/publik/identitas/logo.png?v={v}" in precached
    assert f"/publik/identitas/aksen.css?v={v}" in precached
    assert _worker(client)[0] == first_version
    identity.update(org.admin, **BULUNGAN | {"accent": "#1a5c3b"}, logo=picture(size=(90, 90)))
    second_version, precached = _worker(client)
    assert second_version != first_version
    assert f"/publik/identitas/logo.png?v={v + 1}" in precached

"""The HTTP shell: security headers, CSRF, error pages, language, vendored assets."""
import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from werkzeug.routing import IntegerConverter

from kinerja import create_app
from tests.conftest import base_config

ROOT = Path(__file__).resolve().parents[2]


def test_security_headers_on_every_page(client):
    headers = client.get("/masuk").headers
    csp = headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp.split("script-src")[1]
    assert "frame-ancestors 'none'" in csp
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "same-origin"
    assert "Strict-Transport-Security" not in headers


def test_hsts_over_https(client):
    assert "Strict-Transport-Security" in client.get("/masuk", base_url="https://x.go.id").headers


def test_templates_have_no_inline_scripts_or_handlers():
    for template in (ROOT / "templates").rglob("*.html"):
        text = template.read_text()
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", text), template
        assert not re.search(r"\son[a-z]+\s*=", text), template


def test_nothing_is_loaded_from_another_site():
    for template in (ROOT / "templates").rglob("*.html"):
        assert not re.search(r"(src|href)=\"(https?:)?//", template.read_text()), template


def test_vendored_assets_are_served(client):
    page = client.get("/masuk").text
    for asset in re.findall(r"(?:src|href)=\"(/static/[^\"?]+)", page):
        assert client.get(asset).status_code == 200, asset


def test_post_without_csrf_token_is_refused_with_a_message(app, database_uri, tmp_path, org):
    strict = create_app({**base_config(tmp_path, database_uri), "WTF_CSRF_ENABLED": True})
    client = strict.test_client()
    response = client.post("/masuk", data={"identifier": "pegawai", "password": "x" * 12})
    assert response.status_code == 400
    assert "Muat ulang halaman" in response.text


def test_post_with_csrf_token_from_the_page_works(app, database_uri, tmp_path, org):
    strict = create_app({**base_config(tmp_path, database_uri), "WTF_CSRF_ENABLED": True})
    client = strict.test_client()
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', client.get("/masuk").text).group(1)
    response = client.post("/masuk", data={"identifier": "pegawai", "password": "sandi-rahasia-2026",
                                           "csrf_token": token})
    assert response.status_code == 302


def test_not_found_page_is_friendly(client):
    response = client.get("/tidak-ada")
    assert response.status_code == 404
    assert "tidak ditemukan" in response.text.lower()


def test_an_absent_database_is_a_quick_503_page_not_a_500(login_as, monkeypatch):
    from sqlalchemy.exc import OperationalError
    from sqlalchemy.orm import Session
    client = login_as("employee")

    def database_away(*args, **kwargs):
        raise OperationalError("SELECT ...", {}, Exception("connection refused"))

    monkeypatch.setattr(Session, "execute", database_away)
    page = client.get("/")
    assert page.status_code == 503
    assert page.headers["Retry-After"] == "5"
    assert "Basis data sedang tidak dapat dihubungi" in page.text


def test_api_errors_are_problem_json(client):
    response = client.get("/api/v1/tidak-ada")
    assert response.status_code == 404
    assert response.mimetype == "application/problem+json"
    assert response.json["status"] == 404


def test_a_service_refusal_in_the_portal_is_the_403_page(login_as, org, monkeypatch):
    from kinerja.appraisal import unit_performance
    from kinerja.core.errors import NotAllowed

    def refuse(*args, **kwargs):
        raise NotAllowed()

    monkeypatch.setattr(unit_performance, "unit_page", refuse)
    client = login_as("hr")
    page = client.get(f"/kinerja-unit/{org.dinas.id}")
    assert page.status_code == 403
    assert "Anda tidak memiliki hak untuk membuka halaman ini." in page.text
    answer = client.get(f"/kinerja-unit/{org.dinas.id}", headers={"Accept": "application/json"})
    assert answer.status_code == 403
    assert answer.mimetype == "application/problem+json"


def test_show_problem_puts_the_message_on_its_field_or_else_on_the_form(app):
    from wtforms import StringField

    from kinerja.core.errors import RuleViolation
    from web.forms import Form, show_problem

    class NoteForm(Form):
        text = StringField()

    with app.test_request_context(method="POST", data={"text": "x"}):
        form = NoteForm(meta={"csrf": False})  # not validated: the field's errors are still ()
        show_problem(form, RuleViolation("a", field="text"))
        show_problem(form, RuleViolation("b", field="no_such_field"))
        show_problem(form, RuleViolation("c"))
        show_problem(form, RuleViolation("d", field="no_such_field"), fallback="text")
        assert form.text.errors == ["a", "d"]
        assert form.form_errors == ["b", "c"]


def test_a_rule_naming_a_field_the_form_lacks_shows_on_the_form_not_a_500(login_as, monkeypatch):
    from kinerja.core.errors import RuleViolation
    from kinerja.organisation import org as organisation

    def refuse(*args, **kwargs):
        raise RuleViolation("Layanan ini ditolak aturan.", field="no_such_field")

    monkeypatch.setattr(organisation, "save_service", refuse)
    page = login_as("hr").post("/layanan", data={"code": "KTP", "name": "Perekaman KTP-el"})
    assert page.status_code == 400
    assert re.search(r'class="form-errors"[^>]*>\s*<p>Layanan ini ditolak aturan.</p>', page.text)


def test_too_large_upload_is_a_413_not_a_500(app, login_as, org):
    app.config["MAX_CONTENT_LENGTH"] = 1000
    response = login_as("hr").post("/pegawai/impor", data={"file": (__import__("io").BytesIO(
        b"x" * 5000), "besar.csv")}, content_type="multipart/form-data")
    assert response.status_code == 413


def test_switching_to_english_and_back(client, auth, org):
    auth.login("pegawai")
    client.post("/bahasa", data={"lang": "en", "next": "/"})
    page = client.get("/")
    assert 'lang="en"' in page.text
    assert "Sign out" in page.text or "Log out" in page.text
    client.post("/bahasa", data={"lang": "id", "next": "/"})
    assert 'lang="id"' in client.get("/").text


def test_language_choice_survives_login(client, org):
    client.post("/bahasa", data={"lang": "en", "next": "/masuk"})
    client.post("/masuk", data={"identifier": "pegawai", "password": "sandi-rahasia-2026"})
    assert 'lang="en"' in client.get("/").text


def test_english_form_errors_are_english(client):
    client.post("/bahasa", data={"lang": "en"})
    assert "This field is required." in client.post("/masuk", data={}).text


@pytest.mark.parametrize("catalogue", ["kinerja/translations/en/LC_MESSAGES/messages.po"])
def test_every_message_has_an_english_translation(catalogue):
    with open(ROOT / catalogue, "rb") as handle:
        messages = [m for m in read_po(handle) if m.id]
    untranslated = [m.id for m in messages
                    if not (all(m.string) if isinstance(m.string, tuple) else m.string)]
    assert untranslated == []


def test_catalogue_covers_the_source(tmp_path):
    """Strings added to code or templates must reach the catalogue (make translations-update)."""
    from babel.messages.frontend import CommandLineInterface
    out = tmp_path / "fresh.pot"
    CommandLineInterface().run(["pybabel", "-q", "extract", "-F", str(ROOT / "babel.cfg"),
                                "-k", "_l", "-k", "lazy_gettext", "--no-location",
                                "-o", str(out), str(ROOT)])
    with open(out, "rb") as fresh, open(ROOT / "kinerja/translations/messages.pot", "rb") as kept:
        found = {m.id for m in read_po(fresh) if m.id}
        known = {m.id for m in read_po(kept) if m.id}
    assert len(found) > 200  # the extraction itself works
    assert found - known == set()


def test_every_post_route_needs_a_csrf_token(database_uri, tmp_path):
    """Only the kiosk's device-token JSON endpoints (and the phone channel's signed JSON) are
    exempt; every other POST is refused without the form's token, before any view runs."""
    strict = create_app({**base_config(tmp_path, database_uri), "WTF_CSRF_ENABLED": True})
    exempt = {"kiosk.api_pair", "kiosk.api_ratings", "kiosk.phone_ratings"}
    client = strict.test_client()
    checked = 0
    for rule in strict.url_map.iter_rules():
        if "POST" not in rule.methods or rule.endpoint in exempt:
            continue
        values = {name: 1 if isinstance(converter, IntegerConverter) else "x"
                  for name, converter in rule._converters.items()}
        url = rule.build(values, append_unknown=False)[1]
        response = client.post(url)
        assert response.status_code == 400, f"{rule.endpoint} {url}"
        checked += 1
    assert checked > 50

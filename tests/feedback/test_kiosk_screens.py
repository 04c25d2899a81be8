"""The kiosk shell: public, the same for everybody (a service worker caches it), strict-CSP
clean, and everything it loads is pre-cached by the worker served at /kiosk/sw.js."""
import json
import re
from html.parser import HTMLParser
from pathlib import Path
from xml.etree import ElementTree

import pytest

from kinerja.feedback import ratings
from kiosk import screens

ROOT = Path(__file__).resolve().parents[2]


class Shell(HTMLParser):
    """What the page is made of: scripts, inline code, attributes, static references."""

    def __init__(self, html: str):
        super().__init__()
        self.scripts, self.inline_scripts, self.styles, self.handlers = [], [], [], []
        self.references, self.values = [], []
        self._in_script = False
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "script":
            self._in_script = True
            self.scripts.append(attrs)
        if tag == "style" or "style" in attrs:
            self.styles.append((tag, attrs))
        self.handlers += [name for name in attrs if name.startswith("on")]
        for name in ("src", "href"):
            if attrs.get(name):
                self.references.append(attrs[name])
        if "data-value" in attrs:
            self.values.append(attrs["data-value"])

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = False

    def handle_data(self, data):
        if self._in_script and data.strip():
            self.inline_scripts.append(data)


@pytest.fixture
def shell(client):
    response = client.get("/kiosk/")
    assert response.status_code == 200
    return response


def test_the_shell_opens_without_logging_in(shell):
    assert shell.mimetype == "text/html"
    assert "Bagaimana pelayanan kami hari ini?" in shell.text
    assert "Kode pemasangan" in shell.text  # the pairing screen is in the same page


def test_the_shell_has_no_inline_script_style_or_handlers(shell):
    page = Shell(shell.text)
    assert page.scripts and all(script.get("src") for script in page.scripts)
    assert page.inline_scripts == []
    assert page.styles == []
    assert page.handlers == []
    assert "script-src 'self'" in shell.headers["Content-Security-Policy"]


def test_the_shell_uses_its_own_layout_not_the_portals(shell):
    page = Shell(shell.text)
    assert not any("htmx" in ref or "pico" in ref or "app.css" in ref for ref in page.references)
    assert "/static/css/kiosk.css" in page.references
    assert "/static/js/kiosk.js" in page.references


def test_every_static_file_the_shell_references_exists_and_is_served(client, shell):
    statics = [ref for ref in Shell(shell.text).references if ref.startswith("/static/")]
    assert len(statics) >= 6
    for ref in statics:
        assert (ROOT / ref.lstrip("/")).is_file(), ref
        assert client.get(ref).status_code == 200, ref


def test_the_shell_is_the_same_for_everybody(client, login_as, shell):
    """It is cached by the service worker, so it must not carry a session or a CSRF token."""
    assert login_as("hr").get("/kiosk/").text == shell.text
    assert "csrf" not in shell.text.lower()


def test_every_respondent_code_has_an_indonesian_label(shell):
    values = Shell(shell.text).values
    for field, codes in ratings.RESPONDENT_CHOICES.items():
        for code in codes:
            assert code in values, (field, code)
            assert code in screens.RESPONDENT_LABELS, code
    assert 'data-value="P">Perempuan<' in shell.text


def test_the_faces_have_text_labels_not_only_pictures(shell):
    for label in ("Tidak baik", "Kurang baik", "Baik", "Sangat baik"):
        assert f"<span>{label}</span>" in shell.text
    assert len(re.findall(r'<img [^>]*alt=""', shell.text)) >= 8  # decorative: the label names it


def test_inactivity_defaults_are_30_and_8_seconds(shell):
    assert 'data-idle-seconds="30"' in shell.text
    assert 'data-thanks-seconds="8"' in shell.text


@pytest.mark.parametrize("number", [1, 2, 3, 4])
def test_the_faces_are_svg_files(number):
    # Our own files in the repository, not untrusted input.
    svg = ElementTree.parse(ROOT / "static" / "img" / "kiosk" / f"face-{number}.svg").getroot()  # noqa: S314
    assert svg.tag == "{http://www.w3.org/2000/svg}svg"
    assert svg.get("viewBox") == "0 0 100 100"


def test_the_service_worker_is_javascript_served_under_the_kiosk_scope(client):
    response = client.get("/kiosk/sw.js")
    assert response.status_code == 200
    assert response.mimetype == "text/javascript"
    assert response.headers["Cache-Control"] == "no-cache"  # a new shell is found at once
    # Served from /kiosk/, its default scope is /kiosk/: no Service-Worker-Allowed needed.
    assert "Service-Worker-Allowed" not in response.headers
    assert "__SHELL" not in response.text


def test_the_page_registers_the_worker_for_the_kiosk_scope(shell):
    assert 'data-sw="/kiosk/sw.js"' in shell.text
    assert 'data-scope="/kiosk/"' in shell.text
    assert 'data-api="/kiosk/api/"' in shell.text


def _precached(client) -> list[str]:
    source = client.get("/kiosk/sw.js").text
    return json.loads(re.search(r"const SHELL = (\[.*?\]);", source).group(1))


def test_the_worker_precaches_everything_the_shell_loads(client, shell):
    precached = _precached(client)
    assert "/kiosk/" in precached
    for ref in Shell(shell.text).references:
        assert ref in precached, f"{ref} would be missing when the tablet reloads offline"


def test_the_worker_never_caches_the_api(client):
    assert not any("/api/" in url for url in _precached(client))
    assert 'startsWith(scope.pathname + "api/")' in client.get("/kiosk/sw.js").text


def test_the_cache_version_follows_the_shells_files(app, client, tmp_path, monkeypatch):
    first = re.search(r'const VERSION = "(\w+)"', client.get("/kiosk/sw.js").text).group(1)
    assert first == re.search(r'const VERSION = "(\w+)"', client.get("/kiosk/sw.js").text).group(1)
    changed = tmp_path / "static"
    for name in (*screens.SHELL_ASSETS, screens.SERVICE_WORKER):
        (changed / name).parent.mkdir(parents=True, exist_ok=True)
        (changed / name).write_bytes((ROOT / "static" / name).read_bytes())
    (changed / "css" / "kiosk.css").write_text("/* changed */")
    monkeypatch.setattr(app, "static_folder", str(changed))
    second = re.search(r'const VERSION = "(\w+)"', client.get("/kiosk/sw.js").text).group(1)
    assert second != first


def test_the_manifest_opens_the_kiosk_full_screen(client):
    response = client.get("/kiosk/manifest.webmanifest")
    assert response.status_code == 200
    assert response.mimetype == "application/manifest+json"
    assert (response.json["start_url"], response.json["scope"]) == ("/kiosk/", "/kiosk/")
    assert response.json["display"] == "fullscreen"

"""The shipped production set-up, end to end: gunicorn with deploy/gunicorn.conf.py behind
Debian's nginx with deploy/nginx/kinerja.conf (a self-signed certificate for localhost), and the
systemd units as systemd reads them. `make test` installs nginx like chromium."""
import http.client
import json
import os
import re
import shutil
import socket
import ssl
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

import pytest
from flask_migrate import upgrade

from kinerja import create_app
from kinerja.extensions import db
from kinerja.feedback import kiosks
from tests import builders

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
NGINX = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)
pytestmark = pytest.mark.skipif(NGINX is None, reason="Debian's nginx is missing (make test installs it)")
SECRET_KEY = "0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for(port: int, seconds: float = 20) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise AssertionError(f"nothing listens on {port}")


def site_for_test(https: int, http: int, app_port: int, certificate: Path, key: Path,
                  logs: Path) -> str:
    """The shipped site with this machine's ports, paths and certificate: nothing else changed."""
    site = (DEPLOY / "nginx" / "kinerja.conf").read_text()
    for shipped, here in (("listen 443", f"listen {https}"), ("listen [::]:443", f"listen [::]:{https}"),
                          ("listen 80;", f"listen {http};"), ("listen [::]:80;", f"listen [::]:{http};"),
                          ("kinerja.example.go.id", "localhost"),
                          ("/etc/letsencrypt/live/localhost/fullchain.pem", str(certificate)),
                          ("/etc/letsencrypt/live/localhost/privkey.pem", str(key)),
                          ("127.0.0.1:8000", f"127.0.0.1:{app_port}"),
                          ("/srv/kinerja/", f"{ROOT}/"),
                          ("/var/log/kinerja/", f"{logs}/"),
                          ("return 301 https://$host$request_uri",
                           f"return 301 https://$host:{https}$request_uri")):
        assert shipped in site, shipped
        site = site.replace(shipped, here)
    return site


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    work = tmp_path_factory.mktemp("deploy")
    instance = work / "instance"
    database = f"sqlite:///{work / 'kinerja.sqlite3'}"
    # The same SECRET_KEY as the server: pairing codes and tokens are keyed with it.
    setup = create_app({"ENV": "testing", "SQLALCHEMY_DATABASE_URI": database,
                        "INSTANCE_PATH": str(instance), "SECRET_KEY": SECRET_KEY})
    with setup.app_context():
        upgrade()
        unit = builders.make_unit("Dinas Kependudukan dan Pencatatan Sipil")
        builders.make_user(builders.make_employee("Agus Prasetyo", unit=unit),
                                   username="admin", admin=True)
        _, pairing_code = kiosks.register(None, builders.make_counter(unit), "Tablet 1")
        db.session.commit()
        db.engine.dispose()

    app_port, https, http_port = free_port(), free_port(), free_port()
    environment = {**os.environ, "KINERJA_ENV": "production", "SECRET_KEY": SECRET_KEY,
                   "DATABASE_URL": database, "KINERJA_INSTANCE_PATH": str(instance),
                   "TRUST_PROXY_HEADERS": "1", "SESSION_COOKIE_SECURE": "1",
                   "TWO_FACTOR_REQUIRED": "0", "JOBS_WORKER": "separate",
                   "LOGIN_LIMIT_PER_IP": "3 per minute", "LOGIN_LIMIT_PER_ACCOUNT": "100 per minute",
                   # One worker: without REDIS_URL each worker keeps its own rate limits.
                   "GUNICORN_BIND": f"127.0.0.1:{app_port}", "GUNICORN_WORKERS": "1",
                   "PROMETHEUS_MULTIPROC_DIR": str(work)}
    environment.pop("REDIS_URL", None)
    gunicorn = subprocess.Popen(
        [str(Path(sys.executable).with_name("gunicorn")), "--config", str(DEPLOY / "gunicorn.conf.py"),
         "wsgi:app"], cwd=ROOT, env=environment, stderr=(work / "gunicorn.log").open("w"))

    certificate, key = work / "localhost.crt", work / "localhost.key"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                    "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost",
                    "-keyout", str(key), "-out", str(certificate)], check=True, capture_output=True)
    (work / "site.conf").write_text(site_for_test(https, http_port, app_port, certificate, key, work))
    (work / "nginx.conf").write_text(f"""
        pid {work}/nginx.pid;
        error_log {work}/nginx-error.log;
        events {{}}
        http {{
            include /etc/nginx/mime.types;
            access_log {work}/other-access.log;
            client_body_temp_path {work}; proxy_temp_path {work};
            fastcgi_temp_path {work}; uwsgi_temp_path {work}; scgi_temp_path {work};
            include {work}/site.conf;
        }}""")
    checked = subprocess.run([NGINX, "-t", "-c", str(work / "nginx.conf")],
                             capture_output=True, text=True)
    assert checked.returncode == 0, checked.stderr
    nginx = subprocess.Popen([NGINX, "-c", str(work / "nginx.conf"), "-g", "daemon off;"])
    try:
        wait_for(https)
        wait_for(app_port)
        yield {"https": https, "http": http_port, "certificate": certificate,
               "pairing_code": pairing_code, "work": work}
    finally:
        nginx.terminate()
        gunicorn.terminate()
        nginx.wait(10)
        gunicorn.wait(10)


class Browser:
    """Requests over HTTPS to nginx on localhost, checking its certificate, from a chosen
    source address (127.0.0.1 or 127.0.0.2: two clients on one machine), keeping cookies."""

    def __init__(self, stack, source="127.0.0.1"):
        self.stack, self.source, self.cookies = stack, source, {}
        self.context = ssl.create_default_context(cafile=str(stack["certificate"]))

    def request(self, method, path, body=None, headers=None):
        connection = http.client.HTTPSConnection("localhost", self.stack["https"], timeout=20,
                                                 context=self.context,
                                                 source_address=(self.source, 0))
        headers = dict(headers or {})
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        response.text = response.read().decode("utf-8", "replace")
        for header in response.headers.get_all("Set-Cookie") or []:
            name, value = header.split(";", 1)[0].split("=", 1)
            self.cookies[name] = value
        connection.close()
        return response

    def form(self, path, fields, headers=None):
        # Over HTTPS the CSRF check also wants the Referer of this site, as a browser sends it.
        return self.request("POST", path, urlencode(fields),
                            {"Content-Type": "application/x-www-form-urlencoded",
                             "Referer": f"https://localhost:{self.stack['https']}{path}",
                             **(headers or {})})


def csrf_token(page: str) -> str:
    return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page)[1]


def test_plain_http_is_sent_to_https(stack):
    connection = http.client.HTTPConnection("127.0.0.1", stack["http"], timeout=10)
    connection.request("GET", "/masuk", headers={"Host": "localhost"})
    response = connection.getresponse()
    assert response.status == 301
    assert response.getheader("Location") == f"https://localhost:{stack['https']}/masuk"


def test_the_portal_login_works_with_a_secure_cookie_and_hsts(stack):
    browser = Browser(stack)
    page = browser.request("GET", "/masuk")
    assert page.status == 200
    assert "max-age=31536000" in page.getheader("Strict-Transport-Security")
    cookies = page.headers.get_all("Set-Cookie")
    assert cookies and all("Secure" in cookie for cookie in cookies)
    login = browser.form("/masuk", {"identifier": "admin", "password": builders.PASSWORD,
                                    "csrf_token": csrf_token(page.text)})
    assert login.status == 302, login.text
    assert all("Secure" in cookie and "HttpOnly" in cookie
               for cookie in login.headers.get_all("Set-Cookie"))
    home = browser.request("GET", "/", headers={"Accept-Encoding": "gzip, br, zstd"})
    assert home.status == 200
    assert "Agus Prasetyo" in home.text
    # BREACH: a portal page (a CSRF token beside what the user typed) goes out uncompressed.
    assert home.getheader("Content-Encoding") is None


def test_static_files_come_from_nginx_with_a_cache(stack):
    response = Browser(stack).request("GET", "/static/css/app.css")
    assert response.status == 200
    assert "max-age=604800" in response.getheader("Cache-Control")
    # The app adds its Content-Security-Policy to whatever it answers; nginx does not.
    assert response.getheader("Content-Security-Policy") is None
    assert Browser(stack).request("GET", "/static/kiosk-sw.js").status == 404
    worker = Browser(stack).request("GET", "/kiosk/sw.js")
    assert worker.status == 200 and worker.getheader("Cache-Control") == "no-cache"


def test_a_kiosk_pairs_and_submits_through_the_proxy(stack):
    browser = Browser(stack)
    paired = browser.request("POST", "/kiosk/api/pair", json.dumps({"code": stack["pairing_code"]}),
                             {"Content-Type": "application/json"})
    assert paired.status == 200, paired.text
    token = json.loads(paired.text)["token"]
    rating = {"client_id": "0b7f3a3e-0d4c-4d4a-9a57-0e1b2c3d4e5f",
              "taken_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), "score": 4}
    sent = browser.request("POST", "/kiosk/api/ratings", json.dumps({"ratings": [rating]}),
                           {"Content-Type": "application/json", "Authorization": f"Bearer {token}"})
    assert sent.status == 200, sent.text
    assert json.loads(sent.text)["results"][0]["status"] == "accepted"


def test_the_rate_limiter_sees_the_real_client_address(stack):
    """Three logins a minute per address (LOGIN_LIMIT_PER_IP here). A forged X-Forwarded-For
    does not give a client a fresh allowance; another client (127.0.0.2) still has its own."""
    guesser = Browser(stack)
    answers = []
    for n in range(5):
        page = guesser.request("GET", "/masuk")
        answers.append(guesser.form("/masuk", {"identifier": "admin", "password": f"salah-{n}",
                                               "csrf_token": csrf_token(page.text)}).status)
    assert 429 in answers
    page = guesser.request("GET", "/masuk")
    forged = guesser.form("/masuk", {"identifier": "admin", "password": "salah-lagi",
                                     "csrf_token": csrf_token(page.text)},
                          headers={"X-Forwarded-For": "198.51.100.9"})
    assert forged.status == 429
    neighbour = Browser(stack, source="127.0.0.2")
    page = neighbour.request("GET", "/masuk")
    answer = neighbour.form("/masuk", {"identifier": "admin", "password": builders.PASSWORD,
                                       "csrf_token": csrf_token(page.text)})
    assert answer.status == 302, answer.text


def test_metrics_are_not_served_through_the_proxy(stack):
    assert Browser(stack).request("GET", "/metrics").status == 404


def test_nginx_logs_each_request_as_json_with_the_apps_request_id_and_no_query(stack):
    browser = Browser(stack)
    response = browser.request("GET", "/masuk?nip=198503122010011003")
    time.sleep(0.2)  # nginx writes the line after the response
    lines = (stack["work"] / "nginx-access.log").read_text().splitlines()
    logged = [json.loads(line) for line in lines]
    (line,) = [entry for entry in logged if entry["request_id"] == response.headers["X-Request-ID"]]
    assert (line["method"], line["path"], line["status"]) == ("GET", "/masuk", 200)
    assert "198503122010011003" not in "\n".join(lines)


def test_the_logrotate_file_is_valid(tmp_path):
    logrotate = shutil.which("logrotate") or "/usr/sbin/logrotate"
    if not Path(logrotate).exists():
        pytest.skip("logrotate is missing")
    (tmp_path / "nginx-access.log").write_text("{}\n")
    config = tmp_path / "kinerja"
    config.write_text((DEPLOY / "logrotate" / "kinerja").read_text()
                      .replace("/var/log/kinerja/", f"{tmp_path}/")
                      .replace("create 0640 www-data adm", "create 0640"))
    # -d: check and say what would be done, touching nothing.
    result = subprocess.run([logrotate, "-d", "--state", str(tmp_path / "state"), str(config)],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert "error" not in result.stderr.lower(), result.stderr
    assert "nginx-access.log" in result.stderr


def test_the_systemd_units_are_valid(tmp_path):
    analyze = shutil.which("systemd-analyze")
    if analyze is None:
        pytest.skip("systemd-analyze is missing")
    for unit in sorted((DEPLOY / "systemd").iterdir()):
        # The units name /srv/kinerja: point them at this checkout so their commands exist.
        (tmp_path / unit.name).write_text(unit.read_text().replace("/srv/kinerja", str(ROOT)))
    result = subprocess.run([analyze, "verify", *sorted(str(p) for p in tmp_path.iterdir())],
                            capture_output=True, text=True)
    problems = [line for line in result.stderr.splitlines()
                if "kinerja" in line and "/etc/kinerja/kinerja.env" not in line]
    assert result.returncode == 0 or not problems, result.stderr
    assert not problems, problems



def test_the_environment_template_names_every_setting_the_app_reads():
    source = (ROOT / "kinerja" / "config.py").read_text()
    read = set(re.findall(r'(?:os\.environ\.get|switch)\(\s*"([A-Z0-9_]+)"', source))
    template = (DEPLOY / "kinerja.env.example").read_text()
    named = set(re.findall(r"^#?([A-Z][A-Z0-9_]+)=", template, re.MULTILINE))
    assert read - named == set()
    assert len(read) > 40  # the pattern still finds the settings


def test_the_upgrade_script_is_valid_bash():
    result = subprocess.run(["bash", "-n", str(DEPLOY / "upgrade")],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert os.access(DEPLOY / "upgrade", os.X_OK)

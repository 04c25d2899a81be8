"""A local stand-in for BKN's SIASN web service, for the tests: it speaks the documented
endpoints (the two token endpoints, data utama, reference lists, document upload, periodic and
yearly performance saves, the periodic history), checks the tokens, the payload's shape and its
reference ids, fails on demand (5xx, slow answers, answers lost after storing, tokens expired
early, validation refusals) and records what it received. Its data outlives a restart, as
BKN's database would."""
from __future__ import annotations

import itertools
import json
import threading
import time
from dataclasses import dataclass, field

from werkzeug.serving import make_server
from werkzeug.wrappers import Request, Response

API = "/apisiasn/1.0/"
CONSUMER = ("kunci-konsumen", "rahasia-konsumen")
SSO_USER = {"client_id": "kinerja-daerah", "username": "199001012015011001", "password": "sandi-sso"}

REFERENCES = {
    "perilakuDanKinerja": [{"id": 1, "nama": "Di Atas Ekspektasi"}, {"id": 2, "nama": "Sesuai Ekspektasi"},
                           {"id": 3, "nama": "Di Bawah Ekspektasi"}],
    "kuadranNilai": [{"id": 1, "nama": "Sangat Baik"}, {"id": 2, "nama": "Baik"},
                     {"id": 3, "nama": "Butuh Perbaikan"}, {"id": 4, "nama": "Kurang/Misconduct"},
                     {"id": 5, "nama": "Sangat Kurang"}],
    "periodik": [{"id": 1, "nama": "Bulanan"}, {"id": 2, "nama": "Triwulan"}, {"id": 3, "nama": "Tahunan"}],
    "koefisien": [{"id": "K01", "nama": "Ahli Pertama", "nilai": 12.5},
                  {"id": "K02", "nama": "Ahli Muda", "nilai": 25}],
    "golonganPns": [{"id": f"{number}{index}", "nama": f"{roman}/{letter}"}
                    for number, roman, letters in ((1, "I", "abcd"), (2, "II", "abcd"),
                                                   (3, "III", "abcd"), (4, "IV", "abcde"))
                    for index, letter in enumerate(letters, start=1)],
}

PERIODIC_REQUIRED = {
    "bulanMulaiPenilaian": int, "bulanSelesaiPenilaian": int, "hasilKinerjaNilai": int,
    "kuadranKinerjaNilai": int, "penilaiJabatanNama": str, "penilaiNama": str,
    "penilaiUnorNama": str, "perilakuKerjaNilai": int, "periodikId": int, "pnsDinilaiId": str,
    "statusPenilai": str, "tahun": int, "tahunMulaiPenilaian": int, "tahunSelesaiPenilaian": int,
}


ANNUAL_REQUIRED = {
    "hasilKinerjaNilai": int, "kuadranKinerjaNilai": int, "penilaiJabatanNama": str,
    "penilaiNama": str, "penilaiUnorNama": str, "perilakuKerjaNilai": int, "pnsDinilaiId": str,
    "statusPenilai": str, "tahun": int,
}


@dataclass
class Plan:
    """Failures to play, in order of the API calls that meet them."""
    fail_with: list[int] = field(default_factory=list)       # the next calls answer these statuses
    slow: int = 0                                             # the next calls answer too late
    slow_seconds: float = 1.5
    drop_every: int = 0   # every n-th API request's answer is lost (502); a save is stored first
    refuse_nips: dict[str, str] = field(default_factory=dict)  # pnsDinilaiId -> BKN's reason


class SiasnServer:
    def __init__(self, token_lifetime: int = 3600):
        self.token_lifetime = token_lifetime
        self.people: dict[str, dict] = {}          # NIP -> data utama
        self.periodic: dict[str, dict] = {}        # BKN id -> record
        self.annual: dict[str, dict] = {}
        self.documents: dict[str, dict] = {}
        self.received: list[tuple[str, str]] = []  # (method, path) of every request
        self.plan = Plan()
        self._tokens: dict[str, float] = {}        # token -> expiry (time.time())
        self._ids = itertools.count(1)
        self._requests = 0
        self._lock = threading.Lock()
        self._server = None
        self.port = 0

    # -- running --------------------------------------------------------------------------

    def start(self) -> SiasnServer:
        self._server = make_server("127.0.0.1", self.port, self._wsgi, threaded=True)
        self.port = self._server.server_port
        threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.02},
                         daemon=True).start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def restart(self) -> None:
        self.stop()
        self.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def settings(self) -> dict:
        """The app's SIASN_* settings pointing here."""
        return {"SIASN_API_URL": self.url + API.rstrip("/"), "SIASN_TOKEN_URL": self.url + "/oauth2/token",
                "SIASN_SSO_URL": self.url + "/sso/token", "SIASN_CONSUMER_KEY": CONSUMER[0],
                "SIASN_CONSUMER_SECRET": CONSUMER[1], "SIASN_CLIENT_ID": SSO_USER["client_id"],
                "SIASN_USERNAME": SSO_USER["username"], "SIASN_PASSWORD": SSO_USER["password"],
                "SIASN_TIMEOUT": 1.0, "SIASN_RETRIES": 3, "SIASN_BACKOFF": 0.01}

    def expire_tokens(self) -> None:
        """Every token issued so far stops working (BKN revoked them, or they ran out)."""
        with self._lock:
            self._tokens.clear()

    def calls(self, path_part: str) -> int:
        return sum(1 for _, path in self.received if path_part in path)

    # -- answering ------------------------------------------------------------------------

    def _wsgi(self, environ, start_response):
        request = Request(environ)
        with self._lock:
            self.received.append((request.method, request.path))
        response = self._answer(request)
        return response(environ, start_response)

    def _answer(self, request: Request) -> Response:
        if request.path == "/oauth2/token":
            return self._gateway_token(request)
        if request.path == "/sso/token":
            return self._sso_token(request)
        if not request.path.startswith(API):
            return reply({"message": "Not found"}, 404)
        if not self._authorised(request):
            return reply({"code": "900901", "message": "Invalid Credentials"}, 401)
        with self._lock:
            if self.plan.fail_with:
                return reply({"message": "Service Unavailable"}, self.plan.fail_with.pop(0))
            slow = self.plan.slow > 0
            self.plan.slow -= 1 if slow else 0
            self._requests += 1
            lose = bool(self.plan.drop_every) and self._requests % self.plan.drop_every == 0
        if slow:
            time.sleep(self.plan.slow_seconds)
        operation = request.path[len(API):]
        answer = self._operate(request, operation)
        if lose:  # done (a save is stored), but the gateway lost the answer on its way back
            return reply({"message": "Bad Gateway"}, 502)
        return answer

    def _operate(self, request: Request, operation: str) -> Response:
        if operation.startswith("pns/data-utama/"):
            nip = operation.rsplit("/", 1)[1]
            if nip not in self.people:
                return reply({"code": 0, "data": "Data tidak ditemukan"}, 404)
            return reply({"code": 1, "data": self.people[nip]})
        if operation.startswith("referensi/"):
            return reply({"code": 1, "data": REFERENCES.get(operation.split("/", 1)[1], [])})
        if operation.startswith("pns/rw-kinerjaperiodik/"):
            nip = operation.rsplit("/", 1)[1]
            person = self.people.get(nip, {}).get("id")
            records = [r for r in self.periodic.values() if r["pnsDinilaiId"] == person]
            return reply({"code": 1, "data": records})
        if operation.startswith("pns/rw-skp22/"):
            nip = operation.rsplit("/", 1)[1]
            person = self.people.get(nip, {}).get("id")
            records = [r for r in self.annual.values() if r["pnsDinilaiId"] == person]
            return reply({"code": 1, "data": records})
        if operation == "upload-dok" and request.method == "POST":
            return self._upload(request)
        if operation == "kinerjaperiodik/save" and request.method == "POST":
            return self._save(request, self.periodic, PERIODIC_REQUIRED)
        if operation == "skp22/save" and request.method == "POST":
            return self._save(request, self.annual, ANNUAL_REQUIRED)
        return reply({"message": "Not found"}, 404)

    def _issue(self, prefix: str) -> Response:
        token = f"{prefix}-{next(self._ids)}"
        with self._lock:
            self._tokens[token] = time.time() + self.token_lifetime
        return reply({"access_token": token, "expires_in": self.token_lifetime,
                      "token_type": "Bearer"})

    def _gateway_token(self, request: Request) -> Response:
        auth = request.authorization
        if (request.form.get("grant_type") != "client_credentials" or auth is None
                or (auth.username, auth.password) != CONSUMER):
            return reply({"error": "invalid_client",
                          "error_description": "Client Authentication failed."}, 401)
        return self._issue("gw")

    def _sso_token(self, request: Request) -> Response:
        form = {key: request.form.get(key) for key in SSO_USER}
        if request.form.get("grant_type") != "password" or form != SSO_USER:
            return reply({"error": "invalid_grant",
                          "error_description": "Invalid user credentials"}, 401)
        return self._issue("sso")

    def _authorised(self, request: Request) -> bool:
        now = time.time()
        gateway = request.headers.get("Authorization", "").removeprefix("Bearer ")
        sso = request.headers.get("Auth", "").removeprefix("bearer ")
        with self._lock:
            return (gateway.startswith("gw-") and self._tokens.get(gateway, 0) > now
                    and sso.startswith("sso-") and self._tokens.get(sso, 0) > now)

    def _upload(self, request: Request) -> Response:
        upload = request.files.get("file")
        reference = request.form.get("id_ref_dokumen")
        if upload is None or not reference:
            return reply({"success": False, "message": "file dan id_ref_dokumen wajib diisi"}, 400)
        content = upload.read()
        if not content.startswith(b"%PDF"):
            return reply({"success": False, "message": "Dokumen harus PDF"}, 400)
        document_id = f"dok-{next(self._ids)}"
        document = {"dok_id": document_id, "dok_nama": upload.filename, "object": document_id,
                    "slug": reference, "dok_uri": f"peremajaan/{document_id}.pdf"}
        with self._lock:
            self.documents[document_id] = {**document, "size": len(content)}
        return reply({"code": 1, "data": document})

    def _save(self, request: Request, records: dict, required: dict) -> Response:
        try:
            payload = json.loads(request.get_data())
        except ValueError:
            return reply({"success": False, "message": "Body bukan JSON"}, 400)
        problem = validate(payload, required)
        if problem:
            return reply({"success": False, "message": problem}, 400)
        if payload["pnsDinilaiId"] in self.plan.refuse_nips:
            return reply({"success": False, "message": self.plan.refuse_nips[payload["pnsDinilaiId"]]}, 400)
        with self._lock:
            record_id = payload.get("id")
            if record_id and record_id not in records:
                return reply({"success": False, "message": f"Riwayat {record_id} tidak ditemukan"}, 400)
            record_id = record_id or f"rw-{next(self._ids)}"
            records[record_id] = {**payload, "id": record_id}
        return reply({"success": True, "mapData": {"id": record_id}, "message": "success"})


def validate(payload, required: dict) -> str:
    """BKN's checks as far as the documentation shows them: every field present with its
    type, and every reference id one of the list's."""
    if not isinstance(payload, dict):
        return "Body harus objek JSON"
    for name, kind in required.items():
        if not isinstance(payload.get(name), kind) or isinstance(payload.get(name), bool):
            return f"{name} wajib diisi ({kind.__name__})"
    known = {name: {item["id"] for item in items} for name, items in REFERENCES.items()}
    for name, reference in (("hasilKinerjaNilai", "perilakuDanKinerja"),
                            ("perilakuKerjaNilai", "perilakuDanKinerja"),
                            ("kuadranKinerjaNilai", "kuadranNilai"), ("periodikId", "periodik"),
                            ("koefisienId", "koefisien"), ("penilaiGolongan", "golonganPns")):
        if name in payload and payload[name] not in (None, "") and payload[name] not in known[reference]:
            return f"{name} {payload[name]!r} tidak ada di referensi {reference}"
    if "statusPenilai" in payload and payload["statusPenilai"] not in ("ASN", "NON ASN"):
        return "statusPenilai harus ASN atau NON ASN"
    for name in ("bulanMulaiPenilaian", "bulanSelesaiPenilaian"):
        if name in payload and not 1 <= payload[name] <= 12:
            return f"{name} harus 1-12"
    return ""


def reply(body, status: int = 200) -> Response:
    return Response(json.dumps(body), status=status, mimetype="application/json")

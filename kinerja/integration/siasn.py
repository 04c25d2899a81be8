"""The client of BKN's SIASN web service: a small, typed surface over httpx (tokens, timeouts,
retries, BKN's own error messages) and a record of every call, without secrets.

What follows the public documentation of the service (the open-source client SDKs of
black-coffee04/ws-siasn-php and abedeha/siasn-client describe it) and what is our assumption
is listed in README, "SIASN". In short: two tokens, a gateway (APIM/WSO2) token from the
consumer key and secret (client credentials) and an SSO token for the instansi's SIASN user
(password grant), both sent on every call (`Authorization: Bearer <gateway>`,
`Auth: bearer <sso>`); answers are JSON, usually `{"code": 1, "data": ...}`, with
`{"code": 0, "data": "Data tidak ditemukan"}` and a 404 for an unknown NIP.

Off unless SIASN_* settings are present (`settings_from`). Tokens are cached until shortly
before they expire, in Redis when REDIS_URL is set (shared by every process and the worker)
and in the process otherwise.
"""
from __future__ import annotations

import hashlib
import json
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

import httpx

log = logging.getLogger(__name__)

# A token is renewed this long before BKN says it expires: a call never starts with a token
# that runs out on the way.
TOKEN_MARGIN_SECONDS = 60
REQUIRED = ("SIASN_API_URL", "SIASN_TOKEN_URL", "SIASN_SSO_URL", "SIASN_CONSUMER_KEY",
            "SIASN_CONSUMER_SECRET", "SIASN_CLIENT_ID", "SIASN_USERNAME", "SIASN_PASSWORD")


@dataclass(frozen=True)
class Settings:
    api_url: str            # https://apimws.bkn.go.id:8243/apisiasn/1.0
    token_url: str          # the gateway's token endpoint (client credentials)
    sso_url: str            # the SSO token endpoint (password grant)
    consumer_key: str
    consumer_secret: str
    client_id: str
    username: str
    password: str
    timeout: float = 20.0
    retries: int = 3        # further attempts after the first, on 5xx and timeouts
    backoff: float = 1.0    # seconds before the first retry; doubled each time

    def __repr__(self) -> str:  # never print the secrets, not even in a traceback
        return f"Settings(api_url={self.api_url!r}, username={self.username!r})"


def settings_from(config) -> Settings | None:
    """The client's settings from the app's configuration, or None when SIASN is not set up
    (every SIASN_* value in REQUIRED must be present)."""
    if not all(config.get(name) for name in REQUIRED):
        return None
    return Settings(api_url=config["SIASN_API_URL"].rstrip("/"),
                    token_url=config["SIASN_TOKEN_URL"], sso_url=config["SIASN_SSO_URL"],
                    consumer_key=config["SIASN_CONSUMER_KEY"],
                    consumer_secret=config["SIASN_CONSUMER_SECRET"],
                    client_id=config["SIASN_CLIENT_ID"], username=config["SIASN_USERNAME"],
                    password=config["SIASN_PASSWORD"],
                    timeout=float(config.get("SIASN_TIMEOUT") or 20),
                    retries=int(config.get("SIASN_RETRIES", 3)),
                    backoff=float(config.get("SIASN_BACKOFF", 1.0)))


def missing_settings(config) -> list[str]:
    """The SIASN_* settings still missing when some are set (a half configuration)."""
    if not any(config.get(name) for name in REQUIRED):
        return []
    return [name for name in REQUIRED if not config.get(name)]


# ---------------------------------------------------------------- errors


class SiasnError(Exception):
    """SIASN could not do what was asked; `message` is for people (BKN's own words when BKN
    gave them)."""

    def __init__(self, message: str, status: int | None = None):
        super().__init__(message)
        self.message = message
        self.status = status


class SiasnUnavailable(SiasnError):
    """BKN did not answer usefully (timeouts, connection errors, 5xx) after the retries.
    `maybe_done` is True when a write may have reached BKN before the answer was lost: the
    caller must look before sending it again."""

    def __init__(self, message: str, status: int | None = None, maybe_done: bool = False):
        super().__init__(message, status)
        self.maybe_done = maybe_done


class SiasnRefused(SiasnError):
    """BKN answered 4xx: the request is wrong as sent (a validation, an unknown reference id).
    Sending it again unchanged will not help."""


class SiasnNotFound(SiasnRefused):
    """BKN does not know the NIP (or the record) asked for."""


# ---------------------------------------------------------------- token cache


class TokenStore(Protocol):
    def get(self, key: str) -> str | None: ...
    def put(self, key: str, token: str, seconds: float) -> None: ...
    def drop(self, key: str) -> None: ...


class MemoryTokenStore:
    """Tokens of one process (without Redis): each process fetches its own, which BKN allows."""

    def __init__(self, clock: Callable[[], float] = time.monotonic):
        self._tokens: dict[str, tuple[str, float]] = {}
        self._clock = clock

    def get(self, key: str) -> str | None:
        token, until = self._tokens.get(key, ("", 0.0))
        return token if token and self._clock() < until else None

    def put(self, key: str, token: str, seconds: float) -> None:
        self._tokens[key] = (token, self._clock() + seconds)

    def drop(self, key: str) -> None:
        self._tokens.pop(key, None)


class RedisTokenStore:
    """Tokens shared by the app's processes and the worker; Redis expires them itself."""

    def __init__(self, redis_client):
        self._redis = redis_client

    def get(self, key: str) -> str | None:
        value = self._redis.get(key)
        return value.decode() if isinstance(value, bytes) else value

    def put(self, key: str, token: str, seconds: float) -> None:
        self._redis.set(key, token, ex=max(1, int(seconds)))

    def drop(self, key: str) -> None:
        self._redis.delete(key)


def token_store_for(config) -> TokenStore:
    if config.get("REDIS_URL"):
        import redis  # noqa: PLC0415 (only with Redis)
        return RedisTokenStore(redis.Redis.from_url(config["REDIS_URL"]))
    return _PROCESS_TOKENS


_PROCESS_TOKENS = MemoryTokenStore()


# ---------------------------------------------------------------- calls


@dataclass(frozen=True)
class Call:
    """What is kept of one call (integration.siasn_calls records it): never a token, password or
    payload; the NIP it concerned is kept, as the audit trail keeps whose data was read."""
    method: str
    endpoint: str           # the operation, e.g. "pns/data-utama"
    subject: str | None     # the NIP or record id it concerned
    status: int | None      # BKN's HTTP status; None when nothing came back
    ok: bool
    duration_ms: float
    message: str = ""       # BKN's message or what went wrong, for people


def _digest(*parts: str) -> str:
    return hashlib.sha256("\x00".join(parts).encode()).hexdigest()[:16]


class Client:
    """One client per unit of work (a pull, a push run); cheap to make."""

    def __init__(self, settings: Settings, tokens: TokenStore | None = None, *,
                 transport: httpx.BaseTransport | None = None,
                 on_call: Callable[[Call], None] | None = None,
                 sleep: Callable[[float], None] = time.sleep):
        self.settings = settings
        self._tokens = tokens or MemoryTokenStore()
        self._on_call = on_call or (lambda call: None)
        self._sleep = sleep
        self._http = httpx.Client(timeout=settings.timeout, transport=transport,
                                  headers={"Accept": "application/json",
                                           "User-Agent": "Kinerja SIASN client"})
        # Cache keys name the credentials without revealing them.
        self._gateway_key = f"siasn:gateway:{_digest(settings.token_url, settings.consumer_key)}"
        self._sso_key = f"siasn:sso:{_digest(settings.sso_url, settings.client_id, settings.username)}"

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> Client:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # -- the surface ----------------------------------------------------------------------

    def data_utama(self, nip: str) -> dict:
        """An ASN's master data (name, golongan, jabatan, unor, status...) by NIP."""
        return self._data(self._call("GET", f"pns/data-utama/{nip}", "pns/data-utama", nip))

    def reference(self, name: str) -> list[dict]:
        """A reference list (golongan, jabatan, unor, koefisien, perilakuDanKinerja,
        kuadranNilai, periodik...)."""
        data = self._data(self._call("GET", f"referensi/{name}", f"referensi/{name}", None))
        return data if isinstance(data, list) else []

    def periodic_history(self, nip: str) -> list[dict]:
        """The periodic performance records BKN holds for an ASN (to find one sent before)."""
        try:
            data = self._data(self._call("GET", f"pns/rw-kinerjaperiodik/{nip}",
                                         "pns/rw-kinerjaperiodik", nip))
        except SiasnNotFound:
            return []
        return data if isinstance(data, list) else []

    def annual_history(self, nip: str) -> list[dict]:
        """The yearly SKP records (skp22) BKN holds for an ASN."""
        try:
            data = self._data(self._call("GET", f"pns/rw-skp22/{nip}", "pns/rw-skp22", nip))
        except SiasnNotFound:
            return []
        return data if isinstance(data, list) else []

    def upload_document(self, reference_id: str, filename: str, content: bytes,
                        subject: str | None = None) -> dict:
        """Upload a document (the evaluation PDF) under a document reference id; the answer
        (dok_id, dok_nama, dok_uri...) is what a record's `path` lists."""
        answer = self._call("POST", "upload-dok", "upload-dok", subject,
                            files={"file": (filename, content, "application/pdf")},
                            data={"id_ref_dokumen": reference_id})
        data = self._data(answer)
        return data if isinstance(data, dict) else {}

    def save_periodic(self, payload: dict, subject: str | None = None) -> str:
        """Save (or, with `id`, update) a periodic performance record; BKN's id for it."""
        return self._saved_id(self._call("POST", "kinerjaperiodik/save", "kinerjaperiodik/save",
                                         subject, json=payload))

    def save_annual(self, payload: dict, subject: str | None = None) -> str:
        """Save (or, with `id`, update) the yearly SKP and its result (skp22); BKN's id."""
        return self._saved_id(self._call("POST", "skp22/save", "skp22/save", subject,
                                         json=payload))

    # -- tokens ---------------------------------------------------------------------------

    def _gateway_token(self) -> str:
        token = self._tokens.get(self._gateway_key)
        if token:
            return token
        answer = self._token_request(self.settings.token_url, "token/gateway",
                                     {"grant_type": "client_credentials"},
                                     auth=(self.settings.consumer_key, self.settings.consumer_secret))
        return self._keep(self._gateway_key, answer)

    def _sso_token(self) -> str:
        token = self._tokens.get(self._sso_key)
        if token:
            return token
        answer = self._token_request(self.settings.sso_url, "token/sso", {
            "grant_type": "password", "client_id": self.settings.client_id,
            "username": self.settings.username, "password": self.settings.password})
        return self._keep(self._sso_key, answer)

    def _keep(self, key: str, answer: dict) -> str:
        token, lifetime = answer.get("access_token"), answer.get("expires_in")
        if not token or not isinstance(lifetime, int | float):
            raise SiasnError("Jawaban token BKN tidak berisi access_token dan expires_in.")
        self._tokens.put(key, token, max(1.0, lifetime - TOKEN_MARGIN_SECONDS))
        return token

    def _token_request(self, url: str, endpoint: str, form: dict, auth=None) -> dict:
        response = self._send(lambda: self._http.post(url, data=form, auth=auth),
                              "POST", endpoint, None, idempotent=True)
        if response.status_code == 401:
            raise SiasnRefused(_bkn_message(response) or "BKN menolak kunci atau akun SIASN.", 401)
        return self._json(response)

    def forget_tokens(self) -> None:
        self._tokens.drop(self._gateway_key)
        self._tokens.drop(self._sso_key)

    # -- the plumbing ---------------------------------------------------------------------

    def _call(self, method: str, path: str, endpoint: str, subject: str | None, **kwargs) -> dict:
        url = f"{self.settings.api_url}/{path}"

        def attempt():
            headers = {"Authorization": f"Bearer {self._gateway_token()}",
                       "Auth": f"bearer {self._sso_token()}"}
            return self._http.request(method, url, headers=headers, **kwargs)

        idempotent = method == "GET"
        response = self._send(attempt, method, endpoint, subject, idempotent=idempotent)
        if response.status_code == 401:
            # A token BKN no longer takes (revoked, or expired early): fetch both again, once.
            self.forget_tokens()
            response = self._send(attempt, method, endpoint, subject, idempotent=idempotent)
        if response.status_code == 401:
            raise SiasnRefused(_bkn_message(response) or "BKN menolak token SIASN.", 401)
        return self._json(response)

    def _send(self, attempt: Callable[[], httpx.Response], method: str, endpoint: str,
              subject: str | None, idempotent: bool) -> httpx.Response:
        """One request with retries: every failure to get an answer and every 5xx is tried
        again after a growing pause; a 4xx is BKN's refusal and raised at once. A write is
        retried only when it surely did not leave (a refused connection): after a timeout or
        a 5xx it may have been stored, and the caller decides (SiasnUnavailable.maybe_done)."""
        delay = self.settings.backoff
        for number in range(self.settings.retries + 1):
            started = time.perf_counter()
            response, problem, maybe_done = None, "", False
            try:
                response = attempt()
            except httpx.ConnectError:
                problem = "BKN tidak dapat dihubungi."
            except httpx.TimeoutException as error:
                problem = "BKN tidak menjawab dalam batas waktu."
                maybe_done = not isinstance(error, httpx.ConnectTimeout)
            except httpx.TransportError:
                problem = "Sambungan ke BKN terputus."
                maybe_done = True
            status = response.status_code if response is not None else None
            ok = status is not None and status < 400
            if status is not None and status >= 400:
                problem = _bkn_message(response) or f"HTTP {status}"
                maybe_done = status >= 500
            self._record(Call(method, endpoint, subject, status, ok,
                              round((time.perf_counter() - started) * 1000, 1), problem))
            if response is not None and status < 500:
                if status == 404:
                    raise SiasnNotFound(problem or "Data tidak ditemukan di SIASN.", status)
                if 400 <= status < 500 and status != 401:
                    raise SiasnRefused(problem, status)
                return response
            if maybe_done and not idempotent:
                raise SiasnUnavailable(problem, status, maybe_done=True)
            if number < self.settings.retries:
                self._sleep(delay)
                delay *= 2
        raise SiasnUnavailable(problem, status)

    def _record(self, call: Call) -> None:
        log.info("siasn call", extra={"endpoint": call.endpoint, "method": call.method,
                                      "status": call.status, "ok": call.ok,
                                      "duration_ms": call.duration_ms})
        self._on_call(call)

    @staticmethod
    def _json(response: httpx.Response) -> dict:
        try:
            answer = response.json()
        except (json.JSONDecodeError, UnicodeDecodeError):
            raise SiasnError("Jawaban BKN bukan JSON.", response.status_code) from None
        return answer if isinstance(answer, dict) else {"data": answer}

    @staticmethod
    def _data(answer: dict) -> Any:
        if answer.get("code") == 0 and answer.get("data") == "Data tidak ditemukan":
            raise SiasnNotFound("Data tidak ditemukan di SIASN.", 404)
        return answer.get("data")

    @staticmethod
    def _saved_id(answer: dict) -> str:
        found = answer.get("mapData") or answer.get("data") or {}
        record_id = found.get("id") if isinstance(found, dict) else None
        if not record_id:
            raise SiasnError(answer.get("message") or "BKN tidak mengembalikan id catatan.")
        return str(record_id)


def _bkn_message(response: httpx.Response) -> str:
    """BKN's own words from an error answer (JSON `message`, `error_description`, `error`,
    `data`), or the start of the text."""
    try:
        answer = response.json()
    except (json.JSONDecodeError, UnicodeDecodeError):
        return response.text[:300].strip()
    if isinstance(answer, dict):
        for key in ("message", "error_description", "error", "data"):
            if isinstance(answer.get(key), str) and answer[key].strip():
                return answer[key].strip()[:300]
    return ""

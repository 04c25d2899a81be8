"""The SIASN client against the local contract server: tokens, BKN's answers and refusals,
retries on 5xx and timeouts only, writes never sent twice by the client itself, no secret in
what is recorded."""
import logging
import os

import pytest

from kinerja.integration import siasn
from kinerja.integration.siasn import (
    Client,
    MemoryTokenStore,
    RedisTokenStore,
    SiasnNotFound,
    SiasnRefused,
    SiasnUnavailable,
)
from tests.integration.siasn_server import SSO_USER, SiasnServer

NIP = "198503122010011003"
PERSON = {"id": "A8ACA7397AEB3912E040640A040269BB", "nipBaru": NIP, "nama": "Agus Prasetyo",
          "golRuangAkhir": "III/b", "jabatanNama": "Analis Kepegawaian"}


def periodic_payload(**changes) -> dict:
    return {"bulanMulaiPenilaian": 1, "bulanSelesaiPenilaian": 1, "hasilKinerjaNilai": 2,
            "kuadranKinerjaNilai": 2, "penilaiGolongan": "41", "penilaiJabatanNama": "Kepala Dinas",
            "penilaiNama": "Siti Rahmawati", "penilaiNipNrp": "197001011995032001",
            "penilaiUnorNama": "Dinas Kependudukan", "perilakuKerjaNilai": 2, "periodikId": 1,
            "pnsDinilaiId": PERSON["id"], "statusPenilai": "ASN", "tahun": 2026,
            "tahunMulaiPenilaian": 2026, "tahunSelesaiPenilaian": 2026, **changes}


@pytest.fixture
def bkn():
    server = SiasnServer().start()
    server.people[NIP] = PERSON
    yield server
    server.stop()


@pytest.fixture
def calls():
    return []


@pytest.fixture
def client(bkn, calls):
    settings = siasn.settings_from(bkn.settings())
    with Client(settings, MemoryTokenStore(), on_call=calls.append, sleep=lambda s: None) as made:
        yield made


def test_data_utama_is_read_with_both_tokens_fetched_once(client, bkn):
    assert client.data_utama(NIP)["nama"] == "Agus Prasetyo"
    assert client.reference("kuadranNilai")[0] == {"id": 1, "nama": "Sangat Baik"}
    assert bkn.calls("/oauth2/token") == 1 and bkn.calls("/sso/token") == 1


def test_an_unknown_nip_is_not_found(client):
    with pytest.raises(SiasnNotFound):
        client.data_utama("199901012020011001")


def test_5xx_answers_are_tried_again_with_a_growing_pause(bkn, calls):
    pauses = []
    bkn.plan.fail_with = [503, 500]
    with Client(siasn.settings_from(bkn.settings()), sleep=pauses.append, on_call=calls.append) as client:
        assert client.data_utama(NIP)["id"] == PERSON["id"]
    assert pauses == [0.01, 0.02]
    assert [(call.endpoint, call.status) for call in calls if call.endpoint == "pns/data-utama"] == [
        ("pns/data-utama", 503), ("pns/data-utama", 500), ("pns/data-utama", 200)]


def test_bkn_down_for_longer_than_the_retries_is_unavailable(client, bkn):
    bkn.plan.fail_with = [503] * 10
    with pytest.raises(SiasnUnavailable) as raised:
        client.data_utama(NIP)
    assert raised.value.status == 503
    assert bkn.calls("pns/data-utama") == 4  # the first try and three retries


def test_a_slow_answer_is_tried_again(client, bkn):
    bkn.plan.slow = 1
    assert client.data_utama(NIP)["nama"] == "Agus Prasetyo"
    assert bkn.calls("pns/data-utama") == 2


def test_a_refusal_keeps_bkns_words_and_is_not_tried_again(client, bkn):
    with pytest.raises(SiasnRefused) as raised:
        client.save_periodic(periodic_payload(kuadranKinerjaNilai=9))
    assert raised.value.status == 400
    assert "kuadranKinerjaNilai 9 tidak ada di referensi kuadranNilai" in raised.value.message
    assert bkn.calls("kinerjaperiodik/save") == 1


def test_a_save_whose_answer_is_lost_is_not_sent_again_by_the_client(client, bkn):
    bkn.plan.drop_every = 1
    with pytest.raises(SiasnUnavailable) as raised:
        client.save_periodic(periodic_payload())
    assert raised.value.maybe_done  # the caller must look before sending it again
    assert bkn.calls("kinerjaperiodik/save") == 1 and len(bkn.periodic) == 1
    (stored,) = bkn.periodic.values()
    bkn.plan.drop_every = 0
    assert client.periodic_history(NIP) == [stored]


def test_a_save_answers_bkns_id_and_an_update_keeps_it(client, bkn):
    record_id = client.save_periodic(periodic_payload())
    assert client.save_periodic(periodic_payload(id=record_id, kuadranKinerjaNilai=1)) == record_id
    assert bkn.periodic[record_id]["kuadranKinerjaNilai"] == 1 and len(bkn.periodic) == 1


def test_a_token_that_expires_mid_run_is_fetched_again(client, bkn):
    client.data_utama(NIP)
    bkn.expire_tokens()
    assert client.data_utama(NIP)["nama"] == "Agus Prasetyo"
    assert bkn.calls("/oauth2/token") == 2 and bkn.calls("/sso/token") == 2


def test_tokens_are_renewed_before_they_run_out():
    now = [1000.0]
    store = MemoryTokenStore(clock=lambda: now[0])
    store.put("k", "token", 3600 - siasn.TOKEN_MARGIN_SECONDS)
    now[0] += 3539
    assert store.get("k") == "token"
    now[0] += 2
    assert store.get("k") is None


@pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="REDIS_URL is not set")
def test_processes_share_the_tokens_through_redis(bkn):
    import redis
    connection = redis.Redis.from_url(os.environ["REDIS_URL"])
    settings = siasn.settings_from(bkn.settings())
    try:
        for _ in range(2):  # two processes, each with its own client
            with Client(settings, RedisTokenStore(connection)) as client:
                client.data_utama(NIP)
        assert bkn.calls("/oauth2/token") == 1
    finally:
        for key in connection.scan_iter("siasn:*"):
            connection.delete(key)


def test_wrong_credentials_are_refused_in_bkns_words(bkn):
    settings = siasn.settings_from({**bkn.settings(), "SIASN_CONSUMER_SECRET": "salah"})
    with Client(settings) as client, pytest.raises(SiasnRefused) as raised:
        client.data_utama(NIP)
    assert raised.value.message == "Client Authentication failed."


def test_what_is_recorded_and_logged_holds_no_secret(client, bkn, calls, caplog):
    with caplog.at_level(logging.DEBUG):
        client.data_utama(NIP)
        bkn.expire_tokens()
        client.data_utama(NIP)
    recorded = repr(calls) + caplog.text + repr(client.settings) + "".join(
        repr(record.__dict__) for record in caplog.records)
    for secret in ("rahasia-konsumen", SSO_USER["password"], "gw-", "sso-"):
        assert secret not in recorded
    assert {call.endpoint for call in calls} >= {"token/gateway", "token/sso", "pns/data-utama"}


def test_siasn_is_off_until_every_setting_is_present(bkn):
    assert siasn.settings_from({}) is None
    assert siasn.missing_settings({}) == []
    half = {"SIASN_API_URL": bkn.url, "SIASN_CONSUMER_KEY": "k"}
    assert siasn.settings_from(half) is None
    assert "SIASN_PASSWORD" in siasn.missing_settings(half)

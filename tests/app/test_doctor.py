"""`flask doctor` says in words what in a configuration must be fixed before a start."""
import pytest

from kinerja import doctor, health

STRONG_KEY = "5f0c8a2e9b7d4c1f6e3a8b0d2c4e6f8a1b3d5f7e9c2a4b6d8f0e1c3a5b7d9f2e"


def run_doctor(app):
    result = app.test_cli_runner().invoke(args=["doctor"])
    return result.exit_code, result.output


@pytest.fixture
def sound(app):
    app.config.update(SECRET_KEY=STRONG_KEY, MAIL_SERVER=None, REDIS_URL=None)
    return app


def test_a_sound_configuration_is_ready_to_start(sound):
    code, output = run_doctor(sound)
    assert code == 0, output
    assert "ok    database" in output and "ok    migrations" in output
    assert "ok    PDF fonts" in output
    assert "WARN  mail: MAIL_SERVER not set" in output
    assert output.rstrip().endswith("Ready to start.")


def test_a_weak_secret_key_must_be_fixed(sound):
    sound.config["SECRET_KEY"] = "testing"
    code, output = run_doctor(sound)
    assert code == 1
    assert "FAIL  secret key: SECRET_KEY is short" in output
    assert "Fix before starting: secret key." in output


def test_a_database_behind_the_code_must_be_migrated(sound, monkeypatch):
    monkeypatch.setattr(health, "migration_heads", lambda: {"9999_from_the_future"})
    sound.extensions.pop("kinerja_migration_heads", None)
    code, output = run_doctor(sound)
    assert code == 1
    assert "FAIL  migrations: database at 00" in output
    assert "code at 9999_from_the_future: run `flask --app wsgi init`" in output


def test_an_instance_path_that_cannot_be_written(sound, tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory")
    sound.instance_path = str(blocker / "instance")
    code, output = run_doctor(sound)
    assert code == 1
    assert "FAIL  instance path:" in output and "is not writable" in output


def test_mail_that_cannot_be_reached(sound):
    sound.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=1)  # nothing listens on port 1
    code, output = run_doctor(sound)
    assert code == 1
    assert "FAIL  mail: 127.0.0.1:1 refused or unreachable" in output


def test_redis_that_does_not_answer(sound):
    sound.config["REDIS_URL"] = "redis://127.0.0.1:1/0"
    code, output = run_doctor(sound)
    assert code == 1
    assert "FAIL  redis: ConnectionError" in output


def test_siasn_settings_are_all_or_nothing():
    from kinerja.integration.siasn import REQUIRED
    assert doctor.siasn({}) is None
    check = doctor.siasn({"SIASN_API_URL": "https://apimws.bkn.go.id:8243/apisiasn/1.0",
                          "SIASN_CONSUMER_KEY": "key"})
    assert not check.ok
    assert "SIASN_TOKEN_URL, SIASN_SSO_URL, SIASN_CONSUMER_SECRET" in check.detail
    assert doctor.siasn({name: "x" for name in REQUIRED}).ok

"""Configuration: safe defaults, and a refusal to run production with a default key."""
import pytest

from kinerja import create_app
from kinerja.config import ConfigError, database_url, load


def test_production_refuses_to_start_without_a_secret_key(monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    with pytest.raises(ConfigError, match="SECRET_KEY is not set"):
        create_app({"ENV": "production"})


@pytest.mark.parametrize("key", ["dev", "changeme", "short-key"])
def test_production_refuses_a_short_or_default_key(monkeypatch, key):
    monkeypatch.setenv("SECRET_KEY", key)
    with pytest.raises(ConfigError, match="SECRET_KEY"):
        load({"ENV": "production"})


def test_production_starts_with_a_long_random_key(monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "x7" * 20)
    assert load({"ENV": "production"})["SECRET_KEY"] == "x7" * 20


def test_unknown_environment_is_refused():
    with pytest.raises(ConfigError, match="KINERJA_ENV"):
        load({"ENV": "staging"})


def test_default_database_is_sqlite_in_instance():
    assert database_url(None).startswith("sqlite:///")
    assert database_url(None).endswith("instance/kinerja.sqlite3")


@pytest.mark.parametrize("raw", ["postgres://u:p@db/kinerja", "postgresql://u:p@db/kinerja"])
def test_postgres_urls_use_psycopg_3(raw):
    assert database_url(raw) == "postgresql+psycopg://u:p@db/kinerja"


def test_redis_url_backs_the_rate_limits(monkeypatch):
    monkeypatch.setenv("REDIS_URL", "redis://cache:6379/2")
    assert load({"ENV": "testing"})["RATELIMIT_STORAGE_URI"] == "redis://cache:6379/2"
    monkeypatch.delenv("REDIS_URL")
    assert load({"ENV": "testing"})["RATELIMIT_STORAGE_URI"] == "memory://"


def test_two_factor_is_required_by_default_in_production_only(monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "x7" * 20)
    monkeypatch.delenv("TWO_FACTOR_REQUIRED", raising=False)
    assert load({"ENV": "production"})["TWO_FACTOR_REQUIRED"] is True
    assert load({"ENV": "development"})["TWO_FACTOR_REQUIRED"] is False
    assert load({"ENV": "testing"})["TWO_FACTOR_REQUIRED"] is False


@pytest.mark.parametrize(("raw", "required"), [("0", False), ("off", False), ("1", True), ("True", True)])
def test_two_factor_requirement_from_the_environment(monkeypatch, raw, required):
    monkeypatch.setenv("SECRET_KEY", "x7" * 20)
    monkeypatch.setenv("TWO_FACTOR_REQUIRED", raw)
    assert load({"ENV": "production"})["TWO_FACTOR_REQUIRED"] is required


def test_a_garbled_two_factor_setting_is_refused(monkeypatch):
    monkeypatch.setenv("TWO_FACTOR_REQUIRED", "maybe")
    with pytest.raises(ConfigError, match="TWO_FACTOR_REQUIRED"):
        load({"ENV": "testing"})

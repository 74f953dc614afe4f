import json
import stat

import pytest

from organize import create_app
from organize.config import ConfigError, build_config, database_url, parse_delay


def test_production_refuses_missing_secrets_and_names_them(tmp_path):
    env = {"ORGANIZE_ENV": "production", "SECRET_KEY": "x"}
    with pytest.raises(ConfigError) as info:
        build_config(str(tmp_path), environ=env)
    assert "PHONE_HASH_KEY" in str(info.value)
    assert "ENCRYPTION_KEY" in str(info.value)
    assert "SECRET_KEY" not in str(info.value).split("production:")[1]


def test_flask_env_production_counts_too(tmp_path):
    with pytest.raises(ConfigError, match="SECRET_KEY"):
        build_config(str(tmp_path), environ={"FLASK_ENV": "production"})


def test_development_generates_secrets_once_into_instance(tmp_path):
    first = build_config(str(tmp_path), environ={})
    second = build_config(str(tmp_path), environ={})
    stored = json.loads((tmp_path / "secrets.json").read_text())
    assert first["SECRET_KEY"] == second["SECRET_KEY"] == stored["SECRET_KEY"]
    assert first["ENCRYPTION_KEY"] == stored["ENCRYPTION_KEY"]
    assert stat.S_IMODE((tmp_path / "secrets.json").stat().st_mode) == 0o600


def test_environment_wins_over_defaults_and_is_typed(tmp_path):
    env = {
        "REVIEW_K_THRESHOLD": "5",
        "SEND_RATE": "3",
        "ENABLE_SIMULATOR": "0",
        "LANGUAGES": "en, es",
    }
    config = build_config(str(tmp_path), environ=env)
    assert config["REVIEW_K_THRESHOLD"] == 5
    assert config["SEND_RATE"] == 3.0
    assert config["ENABLE_SIMULATOR"] is False
    assert config["LANGUAGES"] == ["en", "es"]


def test_bad_number_is_a_clear_error(tmp_path):
    with pytest.raises(ConfigError, match="REVIEW_K_THRESHOLD"):
        build_config(str(tmp_path), environ={"REVIEW_K_THRESHOLD": "three"})


def test_publish_delay_defaults_by_environment(tmp_path):
    dev = build_config(str(tmp_path), environ={})
    prod_env = {
        "ORGANIZE_ENV": "production",
        "SECRET_KEY": "a",
        "PHONE_HASH_KEY": "b",
        "ENCRYPTION_KEY": "c",
    }
    prod = build_config(str(tmp_path), environ=prod_env)
    assert dev["REVIEW_PUBLISH_DELAY_HOURS"] == (0, 0)
    assert prod["REVIEW_PUBLISH_DELAY_HOURS"] == (24, 168)
    assert prod["SESSION_COOKIE_SECURE"] is True


@pytest.mark.parametrize(
    ("raw", "expected"), [("24-168", (24, 168)), ("0", (0, 0)), ("1.5-2", (1.5, 2))]
)
def test_parse_delay(raw, expected):
    assert parse_delay(raw) == expected


@pytest.mark.parametrize("raw", ["168-24", "-5", "soon", "1-2-3"])
def test_parse_delay_refuses_nonsense(raw):
    with pytest.raises(ConfigError):
        parse_delay(raw)


def test_database_url_defaults_to_instance_sqlite_and_upgrades_postgres(tmp_path):
    assert database_url(None, str(tmp_path)) == f"sqlite:///{tmp_path}/organize.db"
    assert database_url("postgres://u@h/d", "x") == "postgresql+psycopg://u@h/d"
    assert database_url("postgresql://u@h/d", "x") == "postgresql+psycopg://u@h/d"


def test_startup_fails_loudly_for_a_locale_without_catalog(database_url):
    from tests.conftest import make_config

    with pytest.raises(RuntimeError, match="xx"):
        create_app(make_config(database_url, LANGUAGES=["en", "es", "xx"]))


def test_proxy_fix_is_configurable(app_factory):
    app = app_factory(TRUSTED_PROXIES=1)
    assert type(app.wsgi_app).__name__ == "ProxyFix"
    assert type(app_factory().wsgi_app).__name__ != "ProxyFix"

from pathlib import Path

import pytest

from kaari import config


def test_a_postgres_url_selects_postgresql_with_its_parts():
    db = config.parse_database_url("postgresql://postgres:pw@127.0.0.1:5432/kaari")
    assert db.is_postgres
    assert (db.name, db.user, db.password, db.host, db.port) == (
        "kaari",
        "postgres",
        "pw",
        "127.0.0.1",
        "5432",
    )


def test_an_absolute_sqlite_url_keeps_its_path():
    assert config.parse_database_url("sqlite:////tmp/x/kaari.db").name == "/tmp/x/kaari.db"


def test_a_relative_sqlite_url_resolves_against_the_working_directory(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert config.parse_database_url("sqlite:///db/k.sqlite3").name == str(tmp_path / "db" / "k.sqlite3")


def test_an_unknown_database_scheme_fails_loudly():
    with pytest.raises(config.ConfigError, match="not supported"):
        config.parse_database_url("mysql://root@localhost/kaari")


def test_a_boolean_flag_that_is_not_a_boolean_fails_loudly(monkeypatch):
    monkeypatch.setenv("KAARI_DEBUG", "maybe")
    with pytest.raises(config.ConfigError, match="not a boolean"):
        config.env_flag("KAARI_DEBUG")


def test_the_secret_key_is_generated_once_and_then_reused(tmp_path, monkeypatch):
    monkeypatch.delenv("KAARI_SECRET_KEY", raising=False)
    first = config.secret_key(tmp_path)
    assert len(first) >= 50
    assert config.secret_key(tmp_path) == first
    assert oct((tmp_path / "secret_key").stat().st_mode & 0o777) == "0o600"


def test_the_default_data_directory_is_in_the_project_not_the_working_directory(tmp_path, monkeypatch):
    monkeypatch.delenv("KAARI_DATA_DIR", raising=False)
    monkeypatch.chdir(tmp_path)
    assert config.data_dir() == Path(config.PROJECT_DIR) / "var"

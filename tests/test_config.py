import pytest

from app import create_app
from config import INSTANCE_DIR, ProductionConfig, get_config


def test_the_embedded_default_is_a_sqlite_file_under_instance(monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.delenv("APP_CONFIG", raising=False)
    uri = create_app().config["SQLALCHEMY_DATABASE_URI"]
    assert uri == f"sqlite:///{INSTANCE_DIR / 'petitions.sqlite3'}"


def test_database_url_selects_the_database(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgresql+psycopg://someone@db.example/petitions")
    app = create_app("development")
    assert (
        app.config["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://someone@db.example/petitions"
    )


def test_one_variable_chooses_the_config(monkeypatch):
    monkeypatch.setenv("APP_CONFIG", "test")
    assert get_config().TESTING is True


def test_an_unknown_config_name_is_refused():
    with pytest.raises(RuntimeError, match="Unknown APP_CONFIG"):
        get_config("staging")


def test_production_refuses_to_start_without_a_secret_key(monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.setenv("DATABASE_URL", "postgresql+psycopg://someone@db.example/petitions")
    with pytest.raises(RuntimeError, match="SECRET_KEY must be set"):
        create_app("production")


def test_production_starts_with_a_secret_key(monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "a-real-secret")
    monkeypatch.setenv("DATABASE_URL", "postgresql+psycopg://someone@db.example/petitions")
    ProductionConfig().check()
    assert create_app("production").config["SESSION_COOKIE_SECURE"] is True

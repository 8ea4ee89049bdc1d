import logging
import stat

import pytest
from click.testing import CliRunner
from flask.cli import FlaskGroup

import config
from app import create_app
from app.extensions import db
from config import ProductionConfig, get_config


def test_the_embedded_default_is_a_sqlite_file_under_instance(monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.delenv("APP_CONFIG", raising=False)
    uri = create_app().config["SQLALCHEMY_DATABASE_URI"]
    assert uri == f"sqlite:///{config.INSTANCE_DIR / 'petitions.sqlite3'}"


def test_database_url_selects_the_database(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgresql+psycopg://someone@db.example/petitions")
    app = create_app("development")
    assert (
        app.config["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://someone@db.example/petitions"
    )


def test_a_variable_set_before_the_app_is_created_is_the_one_it_uses(monkeypatch):
    monkeypatch.setenv("SIGNATURE_LINK_DAYS", "7")
    monkeypatch.setenv("MAIL_SENDER", "Campaign <campaign@example.org>")
    monkeypatch.setenv("HONEYPOT_ENABLED", "off")
    app = create_app("test")
    assert app.config["SIGNATURE_LINK_DAYS"] == 7
    assert app.config["MAIL_SENDER"] == "Campaign <campaign@example.org>"
    assert app.config["HONEYPOT_ENABLED"] is False
    monkeypatch.delenv("SIGNATURE_LINK_DAYS")
    assert create_app("test").config["SIGNATURE_LINK_DAYS"] == 30


def test_mail_goes_to_the_console_in_development_unless_a_backend_is_chosen(monkeypatch):
    monkeypatch.delenv("MAIL_BACKEND", raising=False)
    assert get_config("development").MAIL_BACKEND == "console"
    monkeypatch.setenv("MAIL_BACKEND", "smtp")
    assert get_config("development").MAIL_BACKEND == "smtp"


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
    monkeypatch.setenv("PUBLIC_BASE_URL", "https://petitions.example.org")
    monkeypatch.setenv("REDIS_URL", "redis://127.0.0.1:6379/0")
    monkeypatch.setenv("SECRET_KEY", "a-real-secret")
    monkeypatch.setenv("DATABASE_URL", "postgresql+psycopg://someone@db.example/petitions")
    ProductionConfig().check()
    assert create_app("production").config["SESSION_COOKIE_SECURE"] is True


PRODUCTION_ENV = {
    "SECRET_KEY": "a-real-secret",
    "DATABASE_URL": "postgresql+psycopg://someone@db.example/petitions",
    "PUBLIC_BASE_URL": "https://petitions.example.org",
    "REDIS_URL": "redis://127.0.0.1:6379/0",
}


@pytest.fixture
def production_env(monkeypatch):
    for name, value in PRODUCTION_ENV.items():
        monkeypatch.setenv(name, value)
    return monkeypatch


def test_production_starts_with_every_required_setting(production_env):
    app = create_app("production")
    assert app.config["PUBLIC_BASE_URL"] == "https://petitions.example.org"
    assert app.config["RATELIMIT_STORAGE_URI"] == "redis://127.0.0.1:6379/0"


@pytest.mark.parametrize("name", ["PUBLIC_BASE_URL", "REDIS_URL"])
def test_production_refuses_to_start_without(production_env, name):
    production_env.delenv(name)
    with pytest.raises(RuntimeError, match=f"{name} must be set"):
        create_app("production")


@pytest.mark.parametrize(
    "url", ["petitions.example.org", "ftp://petitions.example.org", "https://", "/petitions"]
)
def test_production_refuses_a_public_base_url_that_is_not_an_absolute_http_url(production_env, url):
    production_env.setenv("PUBLIC_BASE_URL", url)
    with pytest.raises(RuntimeError, match="PUBLIC_BASE_URL must be an absolute"):
        create_app("production")


def test_the_public_base_url_loses_a_trailing_slash(production_env):
    production_env.setenv("PUBLIC_BASE_URL", "https://example.org/petitions/")
    assert create_app("production").config["PUBLIC_BASE_URL"] == "https://example.org/petitions"


def test_development_links_point_at_the_development_server(monkeypatch):
    monkeypatch.delenv("PUBLIC_BASE_URL", raising=False)
    assert get_config("development").PUBLIC_BASE_URL == "http://127.0.0.1:5000"


@pytest.fixture(autouse=True)
def fresh_install(monkeypatch, tmp_path):
    """A development install with nothing under instance/ yet (never the repository's)."""
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.setattr(config, "INSTANCE_DIR", tmp_path / "instance")
    return tmp_path / "instance"


def test_development_signs_sessions_with_a_random_key_kept_under_instance(fresh_install):
    key = create_app("development").config["SECRET_KEY"]
    key_file = fresh_install / "secret_key"
    assert key_file.read_text().strip() == key
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert len(key) >= 64 and key != "development-only-not-secret"


def test_development_reuses_its_key_after_a_restart(fresh_install):
    assert create_app("development").config["SECRET_KEY"] == (
        create_app("development").config["SECRET_KEY"]
    )


def test_two_installs_have_different_keys(fresh_install, monkeypatch, tmp_path):
    first = create_app("development").config["SECRET_KEY"]
    monkeypatch.setattr(config, "INSTANCE_DIR", tmp_path / "another")
    assert create_app("development").config["SECRET_KEY"] != first


def test_a_secret_key_from_the_environment_wins_in_development(fresh_install, monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "chosen-by-the-developer")
    assert create_app("development").config["SECRET_KEY"] == "chosen-by-the-developer"
    assert not (fresh_install / "secret_key").exists()


def flask_run(monkeypatch, *args):
    """`flask run ARGS` as typed, with the server itself replaced by a no-op."""
    monkeypatch.setattr("flask.cli.run_simple", lambda *a, **k: None)
    cli = FlaskGroup(create_app=lambda: create_app("development"))
    return CliRunner().invoke(cli, ["run", *args])


@pytest.mark.parametrize("host", ["0.0.0.0", "::", "192.0.2.10"])  # noqa: S104
def test_the_development_server_warns_when_it_listens_beyond_localhost(
    fresh_install, monkeypatch, caplog, host
):
    with caplog.at_level(logging.WARNING):
        result = flask_run(monkeypatch, "--host", host)
    assert result.exit_code == 0, result.output
    assert f"listening on {host}" in caplog.text
    assert "reachable from other machines" in caplog.text


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost", "::1"])
def test_the_development_server_is_quiet_on_localhost(fresh_install, monkeypatch, caplog, host):
    with caplog.at_level(logging.WARNING):
        result = flask_run(monkeypatch, "--host", host)
    assert result.exit_code == 0, result.output
    assert "reachable from other machines" not in caplog.text


def test_a_postgresql_app_keeps_a_connection_for_every_server_thread(monkeypatch):
    # gunicorn.conf.py runs 8 threads per worker; a smaller pool would open
    # and close a PostgreSQL connection on every request beyond it.
    monkeypatch.setenv("DATABASE_URL", "postgresql+psycopg://someone@db.example/petitions")
    app = create_app("development")
    with app.app_context():
        assert db.engine.pool.size() == 10
    monkeypatch.setenv("DATABASE_POOL_SIZE", "24")
    app = create_app("development")
    with app.app_context():
        assert db.engine.pool.size() == 24


def test_the_pool_follows_the_database_the_app_ends_up_with(monkeypatch, tmp_path):
    monkeypatch.setenv("DATABASE_URL", "postgresql+psycopg://someone@db.example/petitions")
    # The test config's in-memory SQLite takes no pool size.
    with create_app("test").app_context():
        assert db.engine.dialect.name == "sqlite"
    monkeypatch.delenv("DATABASE_URL")
    app = create_app(
        "test", SQLALCHEMY_DATABASE_URI="postgresql+psycopg://someone@db.example/petitions"
    )
    with app.app_context():
        assert db.engine.pool.size() == 10

"""Fixtures: an app on SQLite and, where it can be reached, on PostgreSQL.

Every test that takes `app` (or anything built on it) runs once per database.
The schema is built by the migrations, never by create_all, so the tests use
the schema production uses.

- SQLite: one migrated template file per run, copied for each test.
- PostgreSQL: one migrated database per run (its name carries the process id,
  so runs don't collide), emptied after each test.
  TEST_POSTGRES_URL points at the server (default: the local `test` database);
  REQUIRE_POSTGRES=1 makes an unreachable server an error instead of a skip.
"""

import contextvars
import os
import shutil
import uuid

import pytest
from flask.testing import FlaskClient
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from app import create_app
from app.database import transaction
from app.extensions import db
from app.seeding.service import seed
from config import BASE_DIR

POSTGRES_URL = os.environ.get(
    "TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
REQUIRE_POSTGRES = os.environ.get("REQUIRE_POSTGRES") == "1"
SEEDS_DIR = BASE_DIR / "seeds"


def postgres_is_reachable() -> bool:
    try:
        engine = create_engine(POSTGRES_URL, connect_args={"connect_timeout": 3})
        with engine.connect():
            pass
        engine.dispose()
        return True
    except Exception:
        if REQUIRE_POSTGRES:
            raise
        return False


BACKENDS = ["sqlite"] + (["postgresql"] if postgres_is_reachable() else [])


class FreshContextClient(FlaskClient):
    """Runs each request in its own app context, as a server would.

    The `app` fixture keeps an app context open for the test body; without
    this, requests would share it (and its session and cached locale).
    """

    def open(self, *args, **kwargs):
        # Buffered, so a streamed body is produced inside that context too.
        kwargs.setdefault("buffered", True)
        return contextvars.Context().run(super().open, *args, **kwargs)


def make_app(database_url: str, **overrides):
    app = create_app("test", SQLALCHEMY_DATABASE_URI=database_url, SEEDS_DIR=SEEDS_DIR, **overrides)
    app.test_client_class = FreshContextClient
    return app


def migrate(database_url: str) -> None:
    from flask_migrate import upgrade

    app = make_app(database_url)
    with app.app_context():
        upgrade()
        db.engine.dispose()


def create_postgres_database(name: str) -> str:
    admin = create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return make_url(POSTGRES_URL).set(database=name).render_as_string(hide_password=False)


def drop_postgres_database(name: str) -> None:
    admin = create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory):
    path = tmp_path_factory.mktemp("db") / "template.sqlite3"
    migrate(f"sqlite:///{path}")
    return path


@pytest.fixture(scope="session")
def postgres_database():
    name = f"petitions_test_{os.getpid()}"
    url = create_postgres_database(name)
    migrate(url)
    yield url
    drop_postgres_database(name)


@pytest.fixture(params=BACKENDS)
def database_url(request, tmp_path):
    if request.param == "sqlite":
        path = tmp_path / f"{uuid.uuid4().hex}.sqlite3"
        shutil.copy(request.getfixturevalue("sqlite_template"), path)
        yield f"sqlite:///{path}"
    else:
        url = request.getfixturevalue("postgres_database")
        yield url
        empty_postgres_database(url)


def empty_postgres_database(url: str) -> None:
    engine = create_engine(url)
    with engine.begin() as connection:
        tables = (
            connection.execute(
                text(
                    "SELECT tablename FROM pg_tables WHERE schemaname = 'public' "
                    "AND tablename <> 'alembic_version'"
                )
            )
            .scalars()
            .all()
        )
        if tables:
            names = ", ".join(f'"{table}"' for table in tables)
            connection.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
    engine.dispose()


@pytest.fixture
def app_overrides():
    """Config a test module can override, e.g. to turn CSRF on."""
    return {}


@pytest.fixture
def app(database_url, app_overrides):
    app = make_app(database_url, **app_overrides)
    with app.app_context():
        yield app
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def seeded(app):
    """The app with the real seed data loaded."""
    with transaction(db.session):
        seed(db.session, SEEDS_DIR)
    return app


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture(autouse=True)
def no_recipients_cached_from_another_database():
    # Each process caches campaigns' recipients; tests switch databases.
    from app.signatures.service import forget_offered_recipients

    forget_offered_recipients()
    yield
    forget_offered_recipients()

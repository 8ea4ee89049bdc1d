"""Fixtures: an app on SQLite and, where it can be reached, on PostgreSQL.

Every test that takes `app` (or anything built on it) runs once per database.
The schema is built by the migrations, never by create_all, so the tests use
the schema production uses.

- SQLite: two template files per run, both migrated, one of them seeded;
  each test gets a copy of the one it needs.
- PostgreSQL: one migrated database per run (its name carries the process id,
  so runs don't collide), emptied after each test. The seed data is loaded
  once per run and kept aside in a schema of its own; a test that takes
  `seeded` gets a copy of those rows.
  TEST_POSTGRES_URL points at the server (default: the local `test` database);
  REQUIRE_POSTGRES=1 makes an unreachable server an error instead of a skip.

So the seed files are read, checked and written once per run, by the real
`seed`, instead of once per test (tests/seeding seeds empty databases itself).
"""

import contextvars
import os
import shutil
import tempfile
import uuid

import pytest
from flask.testing import FlaskClient
from jinja2 import FileSystemBytecodeCache
from sqlalchemy import Integer, create_engine, text
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


# Every test builds its own app, and each app its own Jinja environment, which
# would compile every page template again; compiled once, they are shared.
# (The cache is keyed by the template's source: an edited template compiles anew.)
_compiled_templates = tempfile.TemporaryDirectory(prefix="jinja-")
TEMPLATE_BYTECODE = FileSystemBytecodeCache(_compiled_templates.name)


def make_app(database_url: str, **overrides):
    app = create_app("test", SQLALCHEMY_DATABASE_URI=database_url, SEEDS_DIR=SEEDS_DIR, **overrides)
    app.test_client_class = FreshContextClient
    app.jinja_env.bytecode_cache = TEMPLATE_BYTECODE
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


def seed_database(database_url: str) -> None:
    app = make_app(database_url)
    with app.app_context():
        with transaction(db.session):
            seed(db.session, SEEDS_DIR)
        db.session.remove()
        db.engine.dispose()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory):
    path = tmp_path_factory.mktemp("db") / "template.sqlite3"
    migrate(f"sqlite:///{path}")
    return path


@pytest.fixture(scope="session")
def sqlite_seeded_template(sqlite_template, tmp_path_factory):
    path = tmp_path_factory.mktemp("db") / "seeded.sqlite3"
    shutil.copy(sqlite_template, path)
    seed_database(f"sqlite:///{path}")
    # The last connection closed wrote the WAL back into the file: one file to copy.
    assert not path.with_name(path.name + "-wal").exists()
    return path


# Where the seeded rows wait, in the test database, between PostgreSQL tests.
SEED_SCHEMA = "seed_rows"


@pytest.fixture(scope="session")
def postgres_database():
    name = f"petitions_test_{os.getpid()}"
    url = create_postgres_database(name)
    migrate(url)
    seed_database(url)
    set_seed_rows_aside(url)
    yield url
    drop_postgres_database(name)


def public_tables(connection) -> list[str]:
    return list(
        connection.execute(
            text(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' "
                "AND tablename <> 'alembic_version'"
            )
        ).scalars()
    )


def set_seed_rows_aside(url: str) -> None:
    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{SEED_SCHEMA}"'))
        for table in public_tables(connection):
            connection.execute(
                text(f'CREATE TABLE "{SEED_SCHEMA}"."{table}" AS TABLE public."{table}"')
            )
    engine.dispose()
    empty_postgres_database(url)


def copy_seed_rows_in(url: str) -> None:
    """The seeded rows back into the emptied tables, parents first, and each
    id sequence moved past them, as `seed` would have left them."""
    engine = create_engine(url)
    with engine.begin() as connection:
        for table in db.metadata.sorted_tables:
            name = table.name  # from the models, never from input
            connection.execute(
                text(
                    f'INSERT INTO public."{name}" OVERRIDING SYSTEM VALUE '  # noqa: S608
                    f'SELECT * FROM "{SEED_SCHEMA}"."{name}"'
                )
            )
            for column in table.primary_key.columns:
                if not isinstance(column.type, Integer):
                    continue
                # A key with no sequence (a link table's): setval(NULL) does nothing.
                connection.execute(
                    text(
                        "SELECT setval(pg_get_serial_sequence(:table, :column), "  # noqa: S608
                        f'COALESCE(MAX("{column.name}"), 0) + 1, false) FROM public."{name}"'
                    ),
                    {"table": f'public."{name}"', "column": column.name},
                )
    engine.dispose()


@pytest.fixture(params=BACKENDS)
def database_url(request, tmp_path):
    # Decided before the app exists: the tests that take `seeded` start from
    # the seeded rows, the others from empty tables.
    with_seed_data = "seeded" in request.fixturenames
    if request.param == "sqlite":
        path = tmp_path / f"{uuid.uuid4().hex}.sqlite3"
        template = "sqlite_seeded_template" if with_seed_data else "sqlite_template"
        shutil.copy(request.getfixturevalue(template), path)
        yield f"sqlite:///{path}"
    else:
        url = request.getfixturevalue("postgres_database")
        if with_seed_data:
            copy_seed_rows_in(url)
        yield url
        empty_postgres_database(url)


def empty_postgres_database(url: str) -> None:
    """Every row deleted, children first, and every sequence back at 1.

    DELETE rather than TRUNCATE: a test leaves a few rows, and TRUNCATE
    rewrites every table's files whether it holds rows or not.
    """
    engine = create_engine(url)
    with engine.begin() as connection:
        for table in reversed(db.metadata.sorted_tables):
            connection.execute(table.delete())
        connection.execute(
            text(
                "SELECT setval(sequence.oid, 1, false) FROM pg_class AS sequence "
                "JOIN pg_namespace ON pg_namespace.oid = sequence.relnamespace "
                "WHERE sequence.relkind = 'S' AND pg_namespace.nspname = 'public'"
            )
        )
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
    """The app with the real seed data loaded: `seed` ran once per test run,
    and `database_url` gives this test its own copy of the rows it wrote."""
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

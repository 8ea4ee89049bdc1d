"""The migrations build the schema the models describe, on both databases."""

import os

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect, select, text

from app.database import Base, transaction, utcnow
from app.extensions import db, migrate
from app.seeding.service import seed
from app.signatures.models import Signature
from app.signatures.service import issue_token
from tests.conftest import (
    BACKENDS,
    SEEDS_DIR,
    create_postgres_database,
    drop_postgres_database,
    make_app,
)
from tests.signing import add_signature


@pytest.fixture(params=BACKENDS)
def empty_database_url(request, tmp_path):
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'empty.sqlite3'}"
    else:
        name = f"petitions_migrations_{os.getpid()}"
        yield create_postgres_database(name)
        drop_postgres_database(name)


def test_the_migrations_have_a_single_head(tmp_path):
    app = make_app(f"sqlite:///{tmp_path / 'x.sqlite3'}")
    with app.app_context():
        config = migrate.get_config()
        assert len(ScriptDirectory.from_config(config).get_heads()) == 1


def test_migration_files_have_numbered_names():
    versions = os.path.join(os.path.dirname(__file__), "..", "migrations", "versions")
    names = sorted(n for n in os.listdir(versions) if n.endswith(".py"))
    assert names, "no migrations"
    for number, name in enumerate(names, start=1):
        assert name.startswith(f"{number:04d}_"), name


def test_upgrading_an_empty_database_gives_the_models_schema(empty_database_url):
    app = make_app(empty_database_url)
    with app.app_context():
        upgrade()
        with db.engine.connect() as connection:
            differences = compare_metadata(MigrationContext.configure(connection), Base.metadata)
            tables = set(inspect(connection).get_table_names())
        db.engine.dispose()
    assert differences == []
    assert set(Base.metadata.tables) <= tables


def test_migrating_down_and_up_keeps_every_row_of_a_populated_database(empty_database_url):
    # On SQLite a migration that drops a column rebuilds the table; the rows
    # that reference it ON DELETE CASCADE (a campaign's facts, a signature's
    # links) must survive that.
    app = make_app(empty_database_url)
    with app.app_context():
        upgrade()
        with transaction(db.session):
            seed(db.session, SEEDS_DIR)
        add_signature()
        with transaction(db.session):
            issue_token(
                db.session(), db.session.scalar(select(Signature.id)), days=30, now=utcnow()
            )
        before = row_counts()
        assert before["campaign_facts"] and before["signature_tokens"]

        downgrade(revision="0007")
        assert row_counts() == before
        upgrade()
        assert row_counts() == before
        db.engine.dispose()


def row_counts() -> dict[str, int]:
    db.session.remove()
    with db.engine.connect() as connection:
        return {
            table: connection.scalar(text(f"SELECT count(*) FROM {table}"))  # noqa: S608
            for table in ("facts", "campaign_facts", "signatures", "signature_tokens")
        }

"""The declarative base every model shares, the SQLite settings, and the
transaction every write runs in.

Plain SQLAlchemy, no Flask: the letter and signature rules import their models
from here and stay usable from the CLI, the tests and the benchmarks alike.
"""

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime

from sqlalchemy import DateTime, MetaData, Table, TypeDecorator, event
from sqlalchemy.engine import CursorResult, Engine, Result
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column, scoped_session

# Named constraints keep migrations identical on SQLite and PostgreSQL.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    return datetime.now(UTC)


class UtcDateTime(TypeDecorator):
    """A timestamp stored in UTC and always read back with its time zone.

    SQLite keeps no zone and would hand back naive datetimes that cannot be
    compared with aware ones; PostgreSQL's timestamptz needs nothing.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is not None and value.tzinfo is None:
            raise ValueError("timestamps must carry a time zone")
        return value.astimezone(UTC) if value is not None else None

    def process_result_value(self, value, dialect):
        if value is not None and value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def table_of(model: type[Base]) -> Table:
    """The model's Table, for Core statements: `__table__` is typed as any
    FromClause, since a mapped class may map a join or a subquery."""
    table = model.__table__
    if not isinstance(table, Table):
        raise TypeError(f"{model.__name__} is not mapped to one table")
    return table


class TimestampMixin:
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, onupdate=utcnow)


def engine_options(uri: str, options: dict, *, pool_size: int) -> dict:
    """The engine's options for the database the app ends up with (after any
    override of its URL).

    PostgreSQL keeps `pool_size` connections per process, at least one for
    every thread of a web worker (gunicorn's GUNICORN_THREADS, 8 by default)
    and the worker's jobs: beyond the pool, each request would open a
    connection and close it again, a new PostgreSQL process every time, the
    costliest part of a signature under load. SQLite's pools take no size.
    """
    if uri.startswith("postgresql"):
        return {**options, "pool_size": pool_size}
    return dict(options)


@event.listens_for(Engine, "connect")
def _configure_sqlite(dbapi_connection, connection_record):
    """SQLite for several processes and threads at once, set here and nowhere else.

    - WAL: readers go on reading while one transaction writes.
    - busy_timeout: a writer waits up to 10 s for the one before it, instead of
      failing at once with "database is locked".
    - Transactions are begun by `_begin_on_sqlite` below, not by pysqlite,
      which would begin them only at the first write and leave the reads
      before it outside (SQLAlchemy's documented recipe).
    """
    if not isinstance(dbapi_connection, sqlite3.Connection):
        return
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys = ON")
    cursor.execute("PRAGMA busy_timeout = 10000")
    cursor.execute("PRAGMA journal_mode = WAL")
    cursor.close()


@event.listens_for(Engine, "connect")
def _postgresql_in_utc(dbapi_connection, connection_record):
    """PostgreSQL: days are UTC days, whatever the server's own time zone.

    Counts by day take date(confirmed_at), which PostgreSQL computes in the
    session's time zone.
    """
    if type(dbapi_connection).__module__.startswith("psycopg"):
        with dbapi_connection.cursor() as cursor:
            cursor.execute("SET TIME ZONE 'UTC'")
        dbapi_connection.commit()


# The execution option `transaction` sets on the connection of a write transaction.
FOR_WRITING = "for_writing"


@event.listens_for(Engine, "begin")
def _begin_on_sqlite(connection):
    """SQLite: a write transaction takes the write lock when it begins.

    A transaction that began as a reader and writes later cannot wait for the
    lock: if another transaction committed in between, its snapshot is stale
    and SQLite refuses the write at once ("database is locked"), whatever the
    busy timeout. BEGIN IMMEDIATE waits for the lock (busy_timeout) before the
    first read instead. Read-only transactions stay deferred and never wait.
    """
    if connection.dialect.name == "sqlite":
        if connection.get_execution_options().get(FOR_WRITING):
            connection.exec_driver_sql("BEGIN IMMEDIATE")
        else:
            connection.exec_driver_sql("BEGIN")


@contextmanager
def transaction(session: Session | scoped_session) -> Iterator[Session]:
    """The unit of work of a view, a command or a job: commits when the block
    ends, rolls everything back when it raises.

    The transaction rule: service functions never commit or roll back; the
    edge that calls them (a view, a CLI command, a job) opens `transaction`
    around the writes of one request or task. Inside an open `transaction`,
    another one joins it, and the outermost commits.

    A read transaction the session already has open (the view looked a row
    up first) becomes the write transaction on PostgreSQL. On SQLite it is
    ended first and a new one begun with the write lock: its snapshot may
    already be stale (see `_begin_on_sqlite`).
    """
    # Flask-SQLAlchemy's db.session is a scoped_session: use this context's own.
    session = session() if isinstance(session, scoped_session) else session
    if session.info.get(FOR_WRITING):
        yield session
        return
    if session.in_transaction() and session.get_bind().dialect.name == "sqlite":
        session.commit()  # only read so far: ends the snapshot, writes nothing
    if not session.in_transaction():
        session.connection(execution_options={FOR_WRITING: True})
    session.info[FOR_WRITING] = True
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.info.pop(FOR_WRITING, None)


def rows_changed(result: Result) -> int:
    """How many rows an UPDATE or DELETE changed.

    Session.execute is typed as returning a Result; for DML it is a
    CursorResult, the one that knows its rowcount.
    """
    if not isinstance(result, CursorResult):
        raise TypeError(f"{type(result).__name__} of a statement that is not DML")
    return result.rowcount

"""The declarative base every model shares.

Plain SQLAlchemy, no Flask: the letter and signature rules import their models
from here and stay usable from the CLI, the tests and the benchmarks alike.
"""

import functools
import random
import sqlite3
import time
from datetime import UTC, datetime

from sqlalchemy import DateTime, MetaData, TypeDecorator, event
from sqlalchemy.engine import CursorResult, Engine, Result
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

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


class TimestampMixin:
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, onupdate=utcnow)


@event.listens_for(Engine, "connect")
def _configure_sqlite(dbapi_connection, connection_record):
    """SQLite: enforce foreign keys, wait for locks, and readers beside a writer.

    pysqlite's own transaction handling is turned off and BEGIN issued below,
    so SELECTs are inside the transaction too (SQLAlchemy's documented recipe).
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


@event.listens_for(Engine, "begin")
def _begin_on_sqlite(connection):
    if connection.dialect.name == "sqlite":
        connection.exec_driver_sql("BEGIN")


def is_sqlite_lock_error(error: Exception) -> bool:
    """SQLite refuses a write when another transaction committed first; retry it."""
    original = getattr(error, "orig", None)
    return isinstance(original, sqlite3.OperationalError) and "locked" in str(original)


def retry_on_sqlite_lock(function, attempts: int = 10):
    """Run a unit of work again when SQLite refused its write because another
    transaction committed first. The unit must own its transaction and take
    the session as its first argument. PostgreSQL never raises this.

    The pauses grow (10 ms doubling, at most 0.5 s, jittered so racing
    writers do not retry in step): on a busy machine a handful of writers
    racing for one row outlast a few short pauses.
    """

    @functools.wraps(function)
    def wrapper(session, *args, **kwargs):
        for attempt in range(1, attempts + 1):
            try:
                return function(session, *args, **kwargs)
            except OperationalError as error:
                session.rollback()
                if attempt == attempts or not is_sqlite_lock_error(error):
                    raise
                time.sleep(min(0.01 * 2**attempt, 0.5) * random.uniform(0.5, 1.5))  # noqa: S311

    return wrapper


def rows_changed(result: Result) -> int:
    """How many rows an UPDATE or DELETE changed.

    Session.execute is typed as returning a Result; for DML it is a
    CursorResult, the one that knows its rowcount.
    """
    if not isinstance(result, CursorResult):
        raise TypeError(f"{type(result).__name__} of a statement that is not DML")
    return result.rowcount

"""No log line, at any level, holds a signer's name, email, town, message or token.

A database error while signing is forced: on PostgreSQL the connection is
terminated by the server under the INSERT, on SQLite the driver's own
OperationalError is raised from the cursor. Everything logged is then read.
"""

import logging
import os
import shutil
import sqlite3
import subprocess
import sys

import psycopg
import pytest
from sqlalchemy import event, insert
from sqlalchemy.exc import IntegrityError

from app.extensions import db
from app.logs import redact
from app.signatures import service as signatures
from app.signatures.models import Signature
from config import BASE_DIR
from tests.signing import OPEN_SLUG, form_data

SIGNER = {
    "name": "Ri Sun-hee",
    "email": "sun-hee.ri@example.org",
    "city": "Hoeryong",
    "message": "My sister is held in Tumen.",
}
TOKEN = "Secret-Link-Token-3f9a1c0b7e24d6a8b5c1e0f9d2a4b6c8"


@pytest.fixture
def app_overrides():
    # Errors are logged and answered with the 500 page, as in production,
    # instead of being raised into the test.
    return {"PROPAGATE_EXCEPTIONS": False}


def fail_on_insert_into(engine, table: str) -> None:
    """Make the database fail under the next INSERT into `table`."""

    done = []  # once only; removing the listener while it runs upsets the dispatch

    @event.listens_for(engine, "before_cursor_execute")
    def fail(connection, cursor, statement, parameters, context, executemany):
        if done or not statement.startswith(f"INSERT INTO {table}"):
            return
        done.append(True)
        dbapi_connection = connection.connection.dbapi_connection
        if engine.dialect.name == "sqlite":
            raise sqlite3.OperationalError("disk I/O error")
        # The server ends this connection, as when PostgreSQL restarts mid-request.
        url = engine.url.set(drivername="postgresql").render_as_string(hide_password=False)
        with psycopg.connect(url, autocommit=True) as admin:
            admin.execute(
                "SELECT pg_terminate_backend(%s, 5000)", (dbapi_connection.info.backend_pid,)
            )


def everything_logged(caplog) -> str:
    return caplog.text + "\n".join(
        f"{record.getMessage()} {record.exc_text or ''} {record.stack_info or ''}"
        for record in caplog.records
    )


@pytest.mark.parametrize("table", ["signatures", "outbox_messages"])
def test_a_database_error_while_signing_logs_no_signer_details(
    seeded, client, caplog, monkeypatch, table
):
    monkeypatch.setattr(signatures, "new_token", lambda: TOKEN)
    fail_on_insert_into(db.engine, table)

    with caplog.at_level(logging.DEBUG):
        response = client.post(f"/c/{OPEN_SLUG}/sign", data=form_data(**SIGNER))

    assert response.status_code == 503  # "try again", not a crash
    logged = everything_logged(caplog)
    assert "OperationalError" in logged  # the error itself is logged...
    for value in [*SIGNER.values(), TOKEN]:
        assert value not in logged  # ...without what the signer typed


def test_a_token_in_a_logged_path_is_redacted():
    assert redact(f"GET /s/{TOKEN}/confirm HTTP/1.1") == "GET /s/[redacted]/confirm HTTP/1.1"


def test_a_database_error_naming_the_failing_row_is_logged_without_it(seeded, caplog):
    """PostgreSQL repeats a refused row's values in its DETAIL line."""
    with caplog.at_level(logging.DEBUG):
        try:
            db.session.execute(
                insert(Signature).values(
                    campaign_id=None, status="pending", language="en", locale="en", **SIGNER
                )
            )
        except IntegrityError:
            logging.getLogger("app").exception("A signature was not saved")
        db.session.rollback()

    logged = everything_logged(caplog)
    assert "A signature was not saved" in logged and "IntegrityError" in logged
    for value in SIGNER.values():
        assert value not in logged


def test_a_visitor_whose_signature_meets_a_database_outage_is_told_to_try_again(
    seeded, client, table="signatures"
):
    fail_on_insert_into(db.engine, table)
    response = client.post(
        f"/c/{OPEN_SLUG}/sign", data=form_data(**SIGNER), headers={"Accept-Language": "ko"}
    )
    assert response.status_code == 503
    assert "아무것도 저장되지 않았습니다" in response.get_data(as_text=True)


def run_retention_job(tmp_path, database_url: str, **environment) -> subprocess.CompletedProcess:
    """`flask jobs run ...` in a process of its own, as an operator (or cron) runs it:
    nothing has configured logging before the app is created."""
    env = {
        "PATH": os.environ["PATH"],
        "APP_CONFIG": "development",
        "SECRET_KEY": "not-secret",
        "DATABASE_URL": database_url,
        "JOBS_SQLITE_FILE": str(tmp_path / "jobs.sqlite3"),
        "DELIVERY_PACK_DIR": str(tmp_path / "packs"),
        "FLASK_APP": "app",
        **environment,
    }
    command = [sys.executable, "-m", "flask", "jobs", "run", "retention"]
    return subprocess.run(
        command, cwd=BASE_DIR, env=env, capture_output=True, text=True, check=True, timeout=120
    )


def test_a_job_logs_each_line_once_in_the_configured_format(sqlite_template, tmp_path):
    database = tmp_path / "petitions.sqlite3"
    shutil.copy(sqlite_template, database)
    result = run_retention_job(tmp_path, f"sqlite:///{database}")
    lines = [line for line in result.stderr.splitlines() if "Retention:" in line]
    assert len(lines) == 1, result.stderr
    assert " INFO app.jobs.tasks: Retention: 0 expired unconfirmed signatures deleted" in lines[0]


def test_log_level_quiets_the_job_lines_below_it(sqlite_template, tmp_path):
    database = tmp_path / "petitions.sqlite3"
    shutil.copy(sqlite_template, database)
    result = run_retention_job(tmp_path, f"sqlite:///{database}", LOG_LEVEL="warning")
    assert "Retention:" not in result.stderr

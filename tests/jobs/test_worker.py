"""A real worker sends the mail, and survives what it depends on going down.

The worker is Huey's consumer (threads, SQLite storage) started in this
process, or `flask jobs work` in its own; mail goes to a real aiosmtpd server.
"""

import logging
import os
import signal
import subprocess
import sys

import pytest
from sqlalchemy import create_engine, select, text
from sqlalchemy.engine import make_url

from app.extensions import db
from app.outbox.models import OutboxMessage
from app.outbox.service import enqueue
from config import BASE_DIR
from tests.jobs.conftest import Inbox, MailServer, wait_for
from tests.signing import OPEN_SLUG, form_data, fresh_session

PERSONAL = ("example.org", "Kim Min-ji", "Seoul")


def sign(client, number: int):
    response = client.post(
        f"/c/{OPEN_SLUG}/sign", data=form_data(email=f"signer{number}@example.org")
    )
    assert response.status_code == 303


def all_sent() -> bool:
    statuses = {m.status for m in fresh_session().scalars(select(OutboxMessage))}
    return statuses == {"sent"}


def worker_log(caplog) -> str:
    return "\n".join(
        record.getMessage() for record in caplog.records if record.name.startswith(("app", "huey"))
    )


def test_mail_written_by_signing_is_sent_by_the_worker(seeded, client, worker, mail_server):
    for number in range(3):
        sign(client, number)

    wait_for(lambda: len(mail_server.inbox.messages) == 3, what="three mails")

    assert sorted(mail_server.inbox.recipients) == [f"signer{n}@example.org" for n in range(3)]
    wait_for(all_sent, what="the outbox rows marked sent")


def terminate_connections(database_url: str, *, refuse: bool) -> None:
    """Kill every connection to the database; with `refuse`, turn new ones away too."""
    name = make_url(database_url).database
    admin = create_engine(
        make_url(database_url).set(database="postgres"), isolation_level="AUTOCOMMIT"
    )
    with admin.connect() as connection:
        if refuse:
            connection.execute(text(f'ALTER DATABASE "{name}" WITH ALLOW_CONNECTIONS false'))
        connection.execute(
            text(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = :name AND pid <> pg_backend_pid()"
            ),
            {"name": name},
        )
    admin.dispose()


def allow_connections(database_url: str) -> None:
    name = make_url(database_url).database
    admin = create_engine(
        make_url(database_url).set(database="postgres"), isolation_level="AUTOCOMMIT"
    )
    with admin.connect() as connection:
        connection.execute(text(f'ALTER DATABASE "{name}" WITH ALLOW_CONNECTIONS true'))
    admin.dispose()


def test_the_worker_survives_database_and_mail_server_outages_and_delivers_every_mail(
    seeded, client, worker, mail_server, database_url, caplog
):
    caplog.set_level(logging.INFO)
    on_postgres = database_url.startswith("postgresql")
    for number in range(3):
        sign(client, number)
    wait_for(lambda: len(mail_server.inbox.messages) == 3, what="the first mails")

    mail_server.stop()
    for number in range(3, 6):
        sign(client, number)
    wait_for(lambda: "Mail server unavailable" in worker_log(caplog), what="a failed send")

    if on_postgres:
        db.session.remove()
        # Connections cut under the worker, then the database refusing new ones.
        terminate_connections(database_url, refuse=True)
        wait_for(
            lambda: "database unavailable" in worker_log(caplog), what="a job meeting the outage"
        )
        allow_connections(database_url)
        terminate_connections(database_url, refuse=False)  # and once more, while it is up
        db.session.remove()

    mail_server.start()
    for number in range(6, 9):
        sign(client, number)

    wait_for(lambda: len(set(mail_server.inbox.recipients)) == 9, what="all nine mails")
    wait_for(all_sent, what="the outbox rows marked sent")
    assert sorted(set(mail_server.inbox.recipients)) == sorted(
        f"signer{n}@example.org" for n in range(9)
    )
    assert worker.scheduler.is_alive() and all(t.is_alive() for _, t in worker.worker_threads)
    log = worker_log(caplog)
    assert not any(detail in log for detail in PERSONAL), log


@pytest.fixture
def slow_mail_server():
    server = MailServer(Inbox(delay=0.3))
    server.start()
    yield server
    server.stop()


def start_worker_process(app, database_url, mail_port, tmp_path):
    environment = {
        **os.environ,
        "FLASK_APP": "app",
        "APP_CONFIG": "development",
        "SECRET_KEY": "worker-test-only",
        "DATABASE_URL": database_url,
        "JOBS_SQLITE_FILE": str(tmp_path / "jobs.sqlite3"),
        "JOBS_TICK_SECONDS": "1",
        "OUTBOX_SWEEP_SECONDS": "1",
        "OUTBOX_CLAIM_SECONDS": "2",
        "MAIL_BACKEND": "smtp",
        "MAIL_SERVER": "127.0.0.1",
        "MAIL_PORT": str(mail_port),
        "DELIVERY_PACK_DIR": str(tmp_path / "packs"),
    }
    environment.pop("REDIS_URL", None)
    flask = os.path.join(os.path.dirname(sys.executable), "flask")
    return subprocess.Popen(
        [flask, "jobs", "work", "--workers", "1"],
        cwd=BASE_DIR,
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def test_mail_left_by_a_killed_worker_is_delivered_by_the_next_one(
    app, database_url, slow_mail_server, tmp_path
):
    for number in range(10):
        enqueue(db.session, f"queued{number}@example.org", "Subject", "Body")
    db.session.commit()
    inbox = slow_mail_server.inbox

    first = start_worker_process(app, database_url, slow_mail_server.port, tmp_path)
    try:
        wait_for(lambda: len(inbox.messages) >= 2, what="the first worker sending")
    finally:
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=30)
    assert len(inbox.messages) < 10  # killed in the middle of the outbox

    second = start_worker_process(app, database_url, slow_mail_server.port, tmp_path)
    try:
        wait_for(lambda: len(set(inbox.recipients)) == 10, what="the rest of the outbox")
        wait_for(all_sent, what="the outbox rows marked sent")
    finally:
        second.send_signal(signal.SIGINT)
        second.wait(timeout=30)
    assert second.returncode == 0  # stopped cleanly on Ctrl+C
    assert sorted(set(inbox.recipients)) == sorted(f"queued{n}@example.org" for n in range(10))

"""A real worker (Huey's consumer, SQLite storage) and a real SMTP server."""

import asyncio
import socket
import time

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.handlers import Message as MessageHandler

from app.jobs.worker import consumer_for, start_in_background


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Inbox(MessageHandler):
    def __init__(self, delay: float = 0.0):
        super().__init__()
        self.messages = []
        self.delay = delay

    async def handle_DATA(self, server, session, envelope):  # noqa: N802
        if self.delay:
            await asyncio.sleep(self.delay)
        return await super().handle_DATA(server, session, envelope)

    def handle_message(self, message):
        self.messages.append(message)

    @property
    def recipients(self) -> list[str]:
        return [message["To"] for message in self.messages]


class MailServer:
    """An SMTP server on a fixed port that can be stopped and started again."""

    def __init__(self, inbox: Inbox):
        self.inbox = inbox
        self.port = free_port()
        self.controller = None

    def start(self):
        self.controller = Controller(self.inbox, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self):
        if self.controller is not None:
            self.controller.stop()
            self.controller = None


@pytest.fixture
def mail_server():
    server = MailServer(Inbox())
    server.start()
    yield server
    server.stop()


@pytest.fixture
def app_overrides(tmp_path, mail_server):
    """A worker that looks every second, and mail through the test's SMTP server."""
    return {
        "JOBS_IMMEDIATE": False,
        "JOBS_SQLITE_FILE": tmp_path / "jobs.sqlite3",
        "JOBS_TICK_SECONDS": 1,
        "OUTBOX_SWEEP_SECONDS": 1,
        "OUTBOX_BACKOFF_MAX_SECONDS": 1,
        "OUTBOX_CLAIM_SECONDS": 2,
        "OUTBOX_SEND_IN_BACKGROUND": True,
        "MAIL_BACKEND": "smtp",
        "MAIL_SERVER": "127.0.0.1",
        "MAIL_PORT": mail_server.port,
        "MAIL_TIMEOUT": 2,
        "DELIVERY_PACK_DIR": tmp_path / "packs",
    }


@pytest.fixture
def worker(app):
    consumer = consumer_for(app, workers=2)
    start_in_background(consumer)
    yield consumer
    consumer.stop(graceful=True)


def wait_for(condition, *, timeout: float = 60, what: str = "the condition"):
    """Poll until `condition()` is true; fail, saying what, after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    raise AssertionError(f"Timed out waiting for {what}.")

"""Mail goes out through a real SMTP server (aiosmtpd on localhost)."""

import socket
from datetime import date, timedelta
from email.header import decode_header, make_header

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.handlers import Message as MessageHandler
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.campaigns.models import Campaign
from app.database import utcnow
from app.extensions import db
from app.outbox.mailers import SMTPMailer
from app.outbox.models import OutboxMessage
from app.outbox.service import deliver_due, enqueue
from app.signatures.models import Signature
from tests.signing import OPEN_SLUG, form_data, fresh_session, links_in, queued_mail

# A second campaign, opened for signing where a test needs two.
OTHER_OPEN_SLUG = "shenyang-seven"


class Inbox(MessageHandler):
    def __init__(self):
        super().__init__()
        self.messages = []

    def handle_message(self, message):
        self.messages.append(message)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def smtp_server():
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield controller, inbox
    controller.stop()


@pytest.fixture
def mailer(app, smtp_server):
    controller, _ = smtp_server
    app.config.update(MAIL_BACKEND="smtp", MAIL_SERVER="127.0.0.1", MAIL_PORT=controller.port)
    return SMTPMailer(app.config)


def send_due(mailer, **kwargs):
    return deliver_due(fresh_session(), mailer, max_attempts=3, **kwargs)


def body_of(message) -> str:
    return message.get_payload(decode=True).decode("utf-8")


def test_a_new_signer_receives_the_mail_and_its_links_work_end_to_end(
    seeded, client, smtp_server, mailer
):
    _, inbox = smtp_server
    client.post(f"/c/{OPEN_SLUG}/sign", data=form_data(email="reader@example.org"))

    assert send_due(mailer).sent == 1

    [message] = inbox.messages
    assert message["To"] == "reader@example.org"
    assert "Confirm your signature" in message["Subject"]
    links = links_in(body_of(message))
    assert set(links) == {"confirm", "letter", "withdraw"}
    client.post(links["confirm"])
    assert client.get(f"/c/{OPEN_SLUG}/counts.json").get_json()["total"] == 1
    client.post(links["withdraw"])
    assert client.get(f"/c/{OPEN_SLUG}/counts.json").get_json()["total"] == 0


def test_a_korean_signer_receives_the_mail_in_korean(seeded, client, smtp_server, mailer):
    _, inbox = smtp_server
    client.post(
        f"/c/{OPEN_SLUG}/sign?lang=ko", data=form_data(name="김민지", email="ko@example.org")
    )
    send_due(mailer)
    [message] = inbox.messages
    subject = str(make_header(decode_header(message["Subject"])))
    assert subject.startswith("서명을 확인해 주세요: ")
    assert "김민지 님, 안녕하세요." in body_of(message)


def test_sent_mail_keeps_no_copy_of_the_address_or_links(seeded, client, smtp_server, mailer):
    client.post(f"/c/{OPEN_SLUG}/sign", data=form_data())
    send_due(mailer)
    stored = fresh_session().query(OutboxMessage).one()
    assert stored.status == "sent"
    assert stored.to_address is None and stored.body is None


def test_signing_does_not_wait_for_or_fail_with_the_mail_server(seeded, client):
    seeded.config.update(MAIL_BACKEND="smtp", MAIL_SERVER="127.0.0.1", MAIL_PORT=free_port())
    response = client.post(f"/c/{OPEN_SLUG}/sign", data=form_data())
    assert response.status_code == 303
    assert fresh_session().query(OutboxMessage).one().status == "queued"


class RefusingRecipients(MessageHandler):
    """A server that refuses every recipient with a temporary 450."""

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802
        return "450 mailbox busy, try later"

    def handle_message(self, message):
        raise AssertionError("no message gets this far")


@pytest.fixture
def refusing_mailer(app):
    controller = Controller(RefusingRecipients(), hostname="127.0.0.1", port=free_port())
    controller.start()
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=controller.port)
    yield SMTPMailer(app.config)
    controller.stop()


def test_a_refused_message_is_retried_later_and_then_delivered(app, smtp_server, refusing_mailer):
    controller, inbox = smtp_server
    enqueue(db.session, "someone@example.org", "Subject", "Body")
    db.session.commit()

    report = send_due(refusing_mailer)

    assert (report.sent, report.failed) == (0, 1)
    message = fresh_session().query(OutboxMessage).one()
    assert message.status == "queued" and message.attempts == 1
    assert message.next_attempt_at > utcnow()
    assert send_due(refusing_mailer).failed == 0  # not due yet

    app.config["MAIL_PORT"] = controller.port
    report = send_due(SMTPMailer(app.config), now=utcnow() + timedelta(minutes=2))
    assert report.sent == 1
    assert len(inbox.messages) == 1


def test_a_message_that_keeps_being_refused_is_given_up_after_the_last_attempt(
    app, refusing_mailer
):
    enqueue(db.session, "someone@example.org", "Subject", "Body")
    db.session.commit()
    later = utcnow()
    for _ in range(3):
        later += timedelta(hours=7)
        send_due(refusing_mailer, now=later)
    message = fresh_session().query(OutboxMessage).one()
    assert message.status == "failed"
    assert message.to_address is None and message.body is None


def test_an_unreachable_mail_server_never_uses_up_a_messages_attempts(app, smtp_server):
    controller, inbox = smtp_server
    for number in range(3):
        enqueue(db.session, f"someone{number}@example.org", "Subject", "Body")
    db.session.commit()
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=free_port())
    down = SMTPMailer(app.config)
    later = utcnow()
    for _ in range(10):  # far more rounds than the three attempts allowed
        later += timedelta(hours=7)
        report = send_due(down, now=later)
        assert report.server_unavailable and report.given_up == 0

    messages = fresh_session().query(OutboxMessage).all()
    assert {(m.status, m.attempts) for m in messages} == {("queued", 0)}
    app.config["MAIL_PORT"] = controller.port
    assert send_due(SMTPMailer(app.config), now=later).sent == 3
    assert len(inbox.messages) == 3


def test_mail_withdrawn_while_it_is_being_sent_does_not_stop_the_round(seeded, client):
    from app.database import transaction
    from app.signatures.service import withdraw

    client.post(f"/c/{OPEN_SLUG}/sign", data=form_data(email="first@example.org"))
    client.post(f"/c/{OPEN_SLUG}/sign", data=form_data(email="second@example.org"))
    first = fresh_session().query(OutboxMessage).order_by(OutboxMessage.id).first()
    signature = db.session.get(Signature, first.signature_id)
    signature_id = signature.id
    db.session.rollback()
    sent = []

    class WithdrawnMidSend:
        """The signer withdraws, in another session, while their mail is on the wire."""

        def send(self, to_address, subject, body):
            if to_address == "first@example.org":
                with Session(db.engine) as other, transaction(other):
                    withdraw(other, other.get(Signature, signature_id))
            sent.append(to_address)

    report = send_due(WithdrawnMidSend())

    assert sent == ["first@example.org", "second@example.org"]
    assert (report.sent, report.vanished) == (1, 1)
    assert [m.status for m in fresh_session().query(OutboxMessage)] == ["sent"]


def test_the_outbox_command_sends_what_is_due(app, runner, smtp_server):
    controller, inbox = smtp_server
    app.config.update(MAIL_BACKEND="smtp", MAIL_SERVER="127.0.0.1", MAIL_PORT=controller.port)
    enqueue(db.session, "someone@example.org", "Subject", "Body")
    db.session.commit()
    result = runner.invoke(args=["outbox", "send"])
    assert "1 sent" in result.output
    assert len(inbox.messages) == 1


def test_a_refused_recipient_leaves_no_address_in_the_error_kept(app):
    import smtplib

    class Refusing:
        def send(self, to_address, subject, body):
            raise smtplib.SMTPRecipientsRefused({to_address: (550, b"no such user")})

    enqueue(db.session, "someone@example.org", "Subject", "Body")
    db.session.commit()
    send_due(Refusing())
    message = fresh_session().query(OutboxMessage).one()
    assert message.last_error == "SMTPRecipientsRefused"
    assert "someone" not in message.last_error


def test_withdrawing_drops_the_mail_not_yet_sent_about_that_signature(seeded, client):
    client.post(f"/c/{OPEN_SLUG}/sign", data=form_data())
    client.post(f"/c/{OPEN_SLUG}/sign", data=form_data())  # an already-signed notice
    links = links_in(fresh_session().query(OutboxMessage).first().body)
    client.post(links["withdraw"])
    assert fresh_session().query(OutboxMessage).all() == []


def test_withdrawing_from_one_campaign_keeps_the_signers_mail_about_another(seeded, client):
    other = db.session.scalar(select(Campaign).where(Campaign.slug == OTHER_OPEN_SLUG))
    other.opens_on, other.closes_on = date(2026, 1, 1), date(2099, 12, 31)
    db.session.commit()
    client.post(f"/c/{OPEN_SLUG}/sign", data=form_data())
    client.post(f"/c/{OTHER_OPEN_SLUG}/sign", data=form_data())
    assert len(fresh_session().query(OutboxMessage).all()) == 2
    mail_x = queued_mail()[0]
    client.post(links_in(mail_x.body)["withdraw"])

    [kept] = queued_mail()
    assert kept.to_address == "min-ji@example.org"
    assert other.title in kept.subject

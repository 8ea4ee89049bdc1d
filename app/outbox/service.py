"""Queue mail with the change that causes it; send it afterwards, with retries."""

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, insert, select, update
from sqlalchemy.orm import Session

from app.database import utcnow
from app.outbox.models import FAILED, QUEUED, SENT, SKIPPED, OutboxMessage

log = logging.getLogger(__name__)
CLAIM_LEASE = timedelta(minutes=5)
# "Already signed" notices one signature may receive (DUPLICATE_NOTICE_LIMIT).
DUPLICATE_NOTICE_LIMIT = 3


def enqueue(
    session: Session,
    to_address: str,
    subject: str,
    body: str,
    *,
    duplicate_notice_for: int | None = None,
) -> None:
    """Add a message to the caller's transaction: it exists only if that commits.

    `duplicate_notice_for` marks an "already signed" notice about that
    signature: it goes out only while the signer is within the limit of such
    notices (see `_may_send`). One Core INSERT, built once: this runs for
    every signature.
    """
    session.execute(
        _ENQUEUE,
        {
            "to_address": to_address,
            "subject": subject,
            "body": body,
            "duplicate_notice_for": duplicate_notice_for,
        },
    )


_ENQUEUE = insert(OutboxMessage.__table__)


def discard_queued_mail_to(session: Session, address: str) -> int:
    """Drop mail not yet sent to `address`, e.g. when its signer withdraws."""
    return session.execute(
        delete(OutboxMessage).where(
            OutboxMessage.to_address == address, OutboxMessage.status == QUEUED
        )
    ).rowcount


def _may_send(session: Session, message: OutboxMessage, duplicate_notice_limit: int) -> bool:
    """An "already signed" notice is decided when it is sent, not when signing
    again (which costs the same as signing, whoever signs). Within the limit
    it becomes an ordinary message, so a retry does not count it again; over
    it, it is dropped with the links it holds."""
    if message.duplicate_notice_for is None:
        return True
    from app.signatures.service import duplicate_notice_allowed

    if duplicate_notice_allowed(
        session, message.duplicate_notice_for, limit=duplicate_notice_limit
    ):
        message.duplicate_notice_for = None
        session.commit()
        return True
    message.status = SKIPPED
    message.to_address = None
    message.body = None
    session.commit()
    return False


def describe_failure(error: Exception) -> str:
    """The kind of failure and the SMTP code, never the server's text: a
    refusal quotes the recipient's address back."""
    code = getattr(error, "smtp_code", None)
    return f"{type(error).__name__} {code}" if code else type(error).__name__


def retry_delay(attempts: int) -> timedelta:
    """1, 2, 4, 8 ... minutes, at most six hours."""
    return timedelta(minutes=min(2 ** (attempts - 1), 360))


@dataclass
class DeliveryReport:
    sent: int = 0
    failed: int = 0
    given_up: int = 0
    skipped: int = 0


def deliver_due(
    session: Session,
    mailer,
    *,
    max_attempts: int,
    now: datetime | None = None,
    limit: int = 100,
    duplicate_notice_limit: int = DUPLICATE_NOTICE_LIMIT,
) -> DeliveryReport:
    """Send the queued messages that are due; a failure is retried later.

    Each message is claimed by moving its next attempt forward in its own
    short transaction, so two workers never send the same message twice.
    """
    report = DeliveryReport()
    now = now or utcnow()
    due_ids = session.scalars(
        select(OutboxMessage.id)
        .where(OutboxMessage.status == QUEUED, OutboxMessage.next_attempt_at <= now)
        .order_by(OutboxMessage.id)
        .limit(limit)
    ).all()
    session.rollback()
    for message_id in due_ids:
        claimed = session.execute(
            update(OutboxMessage)
            .where(
                OutboxMessage.id == message_id,
                OutboxMessage.status == QUEUED,
                OutboxMessage.next_attempt_at <= now,
            )
            # The lease runs from the moment of claiming, not from the start of
            # the batch, so a slow batch cannot outlive its claims.
            .values(next_attempt_at=max(now, utcnow()) + CLAIM_LEASE)
        ).rowcount
        session.commit()
        if not claimed:
            continue
        message = session.get(OutboxMessage, message_id)
        if not _may_send(session, message, duplicate_notice_limit):
            report.skipped += 1
            continue
        try:
            mailer.send(message.to_address, message.subject, message.body)
        except Exception as error:  # any failure of the mail server is retried
            message.attempts += 1
            message.last_error = describe_failure(error)
            if message.attempts >= max_attempts:
                message.status = FAILED
                # Given up: the private links in it will never be delivered.
                message.to_address = None
                message.body = None
                report.given_up += 1
            else:
                message.next_attempt_at = now + retry_delay(message.attempts)
                report.failed += 1
            log.warning(
                "Mail %s not sent (attempt %s): %s",
                message.id,
                message.attempts,
                message.last_error,
            )
        else:
            message.status = SENT
            message.sent_at = utcnow()
            message.attempts += 1
            # Sent mail holds the signer's private links: keep no copy.
            message.to_address = None
            message.body = None
            report.sent += 1
        session.commit()
    return report

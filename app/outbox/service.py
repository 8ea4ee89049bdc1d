"""Queue mail with the change that causes it; send it afterwards, with retries.

`enqueue` and `discard_queued_mail_for` write in the caller's transaction.
`send_due` is a job's whole body: it must not hold a transaction while it
talks to the mail server, so it runs each claim and each outcome in its own
short `transaction`.
"""

import logging
import smtplib
import socket
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, insert, select, update
from sqlalchemy.orm import Session

from app.database import rows_changed, table_of, transaction, utcnow
from app.outbox.models import FAILED, QUEUED, SENT, SKIPPED, OutboxMessage

log = logging.getLogger(__name__)
CLAIM_LEASE = timedelta(minutes=5)
RETRY_BASE = timedelta(minutes=1)
# "Already signed" notices one signature may receive (DUPLICATE_NOTICE_LIMIT).
DUPLICATE_NOTICE_LIMIT = 3


def enqueue(
    session: Session,
    to_address: str,
    subject: str,
    body: str,
    *,
    signature_id: int | None = None,
    duplicate_notice_for: int | None = None,
) -> None:
    """Add a message to the caller's transaction: it exists only if that commits.

    `signature_id` ties the mail to the signature it is about, so withdrawing
    that signature drops exactly this mail and no other. `duplicate_notice_for`
    marks an "already signed" notice about that signature: it goes out only
    while the signer is within the limit of such notices (see `_may_send`).
    One Core INSERT, built once: this runs for every signature.
    """
    session.execute(
        _ENQUEUE,
        {
            "to_address": to_address,
            "subject": subject,
            "body": body,
            "signature_id": signature_id,
            "duplicate_notice_for": duplicate_notice_for,
        },
    )


_ENQUEUE = insert(table_of(OutboxMessage))


def discard_queued_mail_for(session: Session, signature_ids) -> int:
    """Drop mail not yet sent about these signatures (withdrawal, retention)."""
    if isinstance(signature_ids, int):
        signature_ids = [signature_ids]
    return rows_changed(session.execute(
        delete(OutboxMessage).where(
            OutboxMessage.signature_id.in_(signature_ids), OutboxMessage.status == QUEUED
        )
    ))


def _may_send(
    session: Session, message_id: int, duplicate_notice_for: int | None, limit: int
) -> bool:
    """An "already signed" notice is decided when it is sent, not when signing
    again (which costs the same as signing, whoever signs). Within the limit
    it becomes an ordinary message, so a retry does not count it again; over
    it, it is dropped with the links it holds."""
    if duplicate_notice_for is None:
        return True
    from app.signatures.service import duplicate_notice_allowed

    with transaction(session):
        if duplicate_notice_allowed(session, duplicate_notice_for, limit=limit):
            return _finish(session, message_id, duplicate_notice_for=None)
        _finish(session, message_id, status=SKIPPED, to_address=None, body=None)
    return False


def describe_failure(error: Exception) -> str:
    """The kind of failure and the SMTP code, never the server's text: a
    refusal quotes the recipient's address back."""
    code = getattr(error, "smtp_code", None)
    return f"{type(error).__name__} {code}" if code else type(error).__name__


def server_unavailable(error: Exception) -> bool:
    """The mail server could not be reached or hung up: no fault of the message.

    Such a failure does not count against the message's attempts, so an outage
    of any length never makes mail be given up; refusals of the message itself
    (a bad recipient, a 5xx on its data) do count.
    """
    if isinstance(error, smtplib.SMTPRecipientsRefused | smtplib.SMTPSenderRefused):
        return False
    if isinstance(error, smtplib.SMTPResponseException):
        return error.smtp_code in (421, 451) or isinstance(error, smtplib.SMTPConnectError)
    return isinstance(
        error, smtplib.SMTPServerDisconnected | ConnectionError | socket.timeout | OSError
    )


def retry_delay(attempts: int, base: timedelta = RETRY_BASE) -> timedelta:
    """base, 2 base, 4 base ... (1, 2, 4 minutes by default), at most six hours."""
    return min(base * 2 ** (attempts - 1), timedelta(hours=6))


@dataclass
class DeliveryReport:
    sent: int = 0
    failed: int = 0
    given_up: int = 0
    # Set when the mail server could not be reached; the round stopped there.
    server_unavailable: bool = False
    # Mail deleted (withdrawn) while it was being sent.
    vanished: int = 0
    skipped: int = 0


def deliver_due(
    session: Session,
    mailer,
    *,
    max_attempts: int,
    now: datetime | None = None,
    limit: int = 100,
    retry_base: timedelta = RETRY_BASE,
    claim_lease: timedelta = CLAIM_LEASE,
    duplicate_notice_limit: int = DUPLICATE_NOTICE_LIMIT,
) -> DeliveryReport:
    """Send the queued messages that are due; a failure is retried later.

    Each message is claimed by moving its next attempt forward in its own
    short transaction, so two workers never send the same message twice, and
    a worker that dies holding a claim delays that message by one lease only.
    Every write after the send is a conditional UPDATE: a message withdrawn
    (deleted) meanwhile matches no row, and the round goes on.
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
        with transaction(session):
            claimed = rows_changed(
                session.execute(
                    update(OutboxMessage)
                    .where(
                        OutboxMessage.id == message_id,
                        OutboxMessage.status == QUEUED,
                        OutboxMessage.next_attempt_at <= now,
                    )
                    # The lease runs from the moment of claiming, not from the
                    # start of the batch, so a slow batch cannot outlive its claims.
                    .values(next_attempt_at=max(now, utcnow()) + claim_lease)
                )
            )
        if not claimed:
            continue
        row = session.execute(
            select(
                OutboxMessage.to_address,
                OutboxMessage.subject,
                OutboxMessage.body,
                OutboxMessage.attempts,
                OutboxMessage.duplicate_notice_for,
            ).where(OutboxMessage.id == message_id)
        ).one_or_none()
        session.rollback()
        if row is None:  # withdrawn between the claim and now
            report.vanished += 1
            continue
        to_address, subject, body, attempts, duplicate_notice_for = row
        if not _may_send(session, message_id, duplicate_notice_for, duplicate_notice_limit):
            report.skipped += 1
            continue
        try:
            mailer.send(to_address, subject, body)
        except Exception as error:  # any failure of the mail server is retried
            if server_unavailable(error):
                # Release the claim: the message goes out as soon as the
                # server is back, whatever its attempts so far.
                _finish(session, message_id, next_attempt_at=now)
                report.server_unavailable = True
                log.warning("Mail server unavailable (%s); will retry.", describe_failure(error))
                break
            attempts += 1
            if attempts >= max_attempts:
                # Given up: the private links in it will never be delivered.
                found = _finish(
                    session,
                    message_id,
                    attempts=attempts,
                    last_error=describe_failure(error),
                    status=FAILED,
                    to_address=None,
                    body=None,
                )
                report.given_up += found
            else:
                found = _finish(
                    session,
                    message_id,
                    attempts=attempts,
                    last_error=describe_failure(error),
                    next_attempt_at=now + retry_delay(attempts, retry_base),
                )
                report.failed += found
            report.vanished += not found
            log.warning(
                "Mail %s not sent (attempt %s): %s", message_id, attempts, describe_failure(error)
            )
        else:
            # Sent mail holds the signer's private links: keep no copy.
            found = _finish(
                session,
                message_id,
                status=SENT,
                sent_at=utcnow(),
                attempts=attempts + 1,
                to_address=None,
                body=None,
            )
            report.sent += found
            report.vanished += not found
    return report


def _finish(session: Session, message_id: int, **values) -> bool:
    """Write the outcome of one send; False when the message is gone (withdrawn)."""
    with transaction(session):
        found = rows_changed(
            session.execute(
                update(OutboxMessage).where(OutboxMessage.id == message_id).values(**values)
            )
        )
    if not found:
        log.info("Mail %s was withdrawn while it was being sent.", message_id)
    return bool(found)

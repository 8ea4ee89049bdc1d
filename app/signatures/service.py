"""Signing rules: create, dedupe, confirm, withdraw.

Plain functions taking a session and values; the views, the CLI and the tests
call the same code. Each function owns its transaction and commits once.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import Enum

from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.campaigns.models import Campaign
from app.database import retry_on_sqlite_lock, utcnow
from app.letters.routing import choose_recipient
from app.outbox.service import discard_queued_mail_for, enqueue
from app.signatures.models import (
    CONFIRMED,
    ERASED_SIGNER_DETAILS,
    PENDING,
    WITHDRAWN,
    Signature,
    SignatureToken,
)
from app.signatures.rules import canonical_email
from app.signatures.tokens import hash_token, new_token


@dataclass(frozen=True)
class Submission:
    """What a signer sent, already checked by the form's rules."""

    name: str
    email: str
    city: str
    country: str
    language: str
    recipient_key: str | None
    message: str | None
    show_name: bool
    include_in_delivery: bool
    locale: str


class Outcome(Enum):
    # The signer is never told which of these happened: the page is the same.
    NEW = "new"
    DUPLICATE_NOTIFIED = "duplicate_notified"
    DUPLICATE_QUIET = "duplicate_quiet"


class CampaignClosed(Exception):
    pass


def issue_token(session: Session, signature: Signature, *, days: int, now: datetime) -> str:
    token = new_token()
    session.add(
        SignatureToken(
            signature=signature, token_hash=hash_token(token), expires_at=now + timedelta(days=days)
        )
    )
    return token


@retry_on_sqlite_lock
def sign(
    session: Session,
    campaign: Campaign,
    submission: Submission,
    notifier,
    *,
    link_days: int,
    duplicate_notice_limit: int,
    now: datetime | None = None,
) -> Outcome:
    """Record a pending signature and queue its confirmation mail.

    A second signature with the same canonical address changes nothing; the
    existing signer is told by mail instead (at most `duplicate_notice_limit`
    times). `notifier` writes the mails: .confirmation(signature, token) and
    .already_signed(signature, token), each returning (to, subject, body).
    """
    now = now or utcnow()
    if not campaign.is_open_on(now.date()):
        raise CampaignClosed(campaign.slug)
    canonical = canonical_email(submission.email)
    existing = _find_signature(session, campaign.id, canonical)
    if existing is not None:
        return _tell_existing_signer(
            session, existing, notifier, link_days=link_days, limit=duplicate_notice_limit, now=now
        )

    recipient = choose_recipient(campaign.recipients, submission.country, submission.recipient_key)
    signature = Signature(
        campaign_id=campaign.id,
        name=submission.name,
        email=submission.email,
        email_canonical=canonical,
        city=submission.city,
        country=submission.country,
        message=submission.message or None,
        language=submission.language,
        locale=submission.locale,
        recipient_id=recipient.id if recipient else None,
        show_name=submission.show_name,
        include_in_delivery=submission.include_in_delivery,
        status=PENDING,
        created_at=now,
    )
    session.add(signature)
    try:
        session.flush()
    except IntegrityError:
        # Another request with the same address won the race: it is a duplicate.
        session.rollback()
        existing = _find_signature(session, campaign.id, canonical)
        return _tell_existing_signer(
            session, existing, notifier, link_days=link_days, limit=duplicate_notice_limit, now=now
        )
    token = issue_token(session, signature, days=link_days, now=now)
    enqueue(session, *notifier.confirmation(signature, token), signature_id=signature.id)
    session.commit()
    return Outcome.NEW


def _find_signature(session: Session, campaign_id: int, canonical: str) -> Signature | None:
    return session.scalar(
        select(Signature).where(
            Signature.campaign_id == campaign_id, Signature.email_canonical == canonical
        )
    )


def _tell_existing_signer(
    session: Session, signature: Signature, notifier, *, link_days: int, limit: int, now: datetime
) -> Outcome:
    # The count moves in one conditional UPDATE, so racing duplicates cannot
    # send more notices than the limit.
    allowed = session.execute(
        update(Signature)
        .where(Signature.id == signature.id, Signature.duplicate_notices < limit)
        .values(duplicate_notices=Signature.duplicate_notices + 1)
    ).rowcount
    if not allowed:
        session.rollback()
        return Outcome.DUPLICATE_QUIET
    token = issue_token(session, signature, days=link_days, now=now)
    enqueue(session, *notifier.already_signed(signature, token), signature_id=signature.id)
    session.commit()
    return Outcome.DUPLICATE_NOTIFIED


def find_by_token(
    session: Session, token: str, *, now: datetime | None = None, for_confirming: bool = False
) -> Signature | None:
    """The signature a link belongs to.

    A link confirms only until it expires. It keeps working for the letter and
    for withdrawal as long as the signature exists: a signer must always be
    able to withdraw. Withdrawal and retention delete the links.
    """
    query = (
        select(Signature).join(SignatureToken).where(SignatureToken.token_hash == hash_token(token))
    )
    if for_confirming:
        query = query.where(SignatureToken.expires_at > (now or utcnow()))
    return session.scalar(query)


@retry_on_sqlite_lock
def confirm(session: Session, signature: Signature, *, now: datetime | None = None) -> bool:
    """Confirm a pending signature; True only for the request that confirmed it.

    The status moves in one conditional UPDATE: confirming twice, or twice at
    once, counts once.
    """
    confirmed = session.execute(
        update(Signature)
        .where(Signature.id == signature.id, Signature.status == PENDING)
        .values(status=CONFIRMED, confirmed_at=now or utcnow())
    ).rowcount
    session.commit()
    return bool(confirmed)


@retry_on_sqlite_lock
def withdraw(session: Session, signature: Signature, *, now: datetime | None = None) -> None:
    """Take the signature out of every count and erase what identifies the signer.

    The emailed links stop working too, and mail not yet sent about this
    signature is dropped (the signer's mail about other campaigns stays).
    The row stays, naming no one.
    """
    discard_queued_mail_for(session, signature.id)
    session.execute(
        update(Signature)
        .where(Signature.id == signature.id)
        .values(
            status=WITHDRAWN,
            withdrawn_at=now or utcnow(),
            # Nothing of the signer stays, not even the country.
            country=None,
            **ERASED_SIGNER_DETAILS,
        )
    )
    session.execute(delete(SignatureToken).where(SignatureToken.signature_id == signature.id))
    session.commit()

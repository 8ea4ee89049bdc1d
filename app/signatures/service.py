"""Signing rules: create, dedupe, confirm, withdraw.

Plain functions taking a session and values; the views, the CLI and the tests
call the same code. None of them commits: the caller (a view, a command, a
job) runs them in `app.database.transaction`, which commits once.
"""

import functools
import time
from dataclasses import dataclass, fields
from datetime import date, datetime, timedelta

from sqlalchemy import bindparam, delete, insert, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from app.campaigns.models import Campaign, campaign_recipients
from app.database import rows_changed, table_of, utcnow
from app.letters.models import Recipient
from app.letters.routing import choose_recipient
from app.letters.signer import Signer
from app.organizer.pack_jobs import withdraw_packs
from app.outbox.service import discard_queued_mail_for, enqueue
from app.signatures.models import (
    CONFIRMED,
    ERASED_SIGNER_DETAILS,
    INVALIDATED,
    PENDING,
    WITHDRAWN,
    Signature,
    SignatureToken,
)
from app.signatures.rollups import record_count_change
from app.signatures.rules import canonical_email
from app.signatures.tokens import hash_token, new_token


@dataclass(frozen=True)
class Submission:
    """What a signer sent, already checked by the form's rules.

    The sign form builds it by field name (`SignForm.submission`); the
    signature's row takes every field named like one of its columns, and the
    letter every field of a `Signer`. A new detail of a signer is a field here,
    on the form and on the model.
    """

    name: str
    email: str
    city: str
    country: str
    language: str
    recipient_key: str | None  # an offered recipient, or None for the default
    message: str | None
    show_name: bool
    include_in_delivery: bool
    locale: str  # the interface language, which their mail is written in

    def signature_values(self) -> dict:
        """The columns of the signature's row that hold what the signer sent."""
        return {name: getattr(self, name) for name in _SUBMITTED_COLUMNS}

    def letter_signer(self) -> Signer:
        return Signer.of(self)


_SUBMITTED_COLUMNS = tuple(
    field.name for field in fields(Submission) if field.name in Signature.__table__.columns
)


class CampaignClosed(Exception):
    pass


@dataclass(frozen=True)
class OfferedRecipient:
    """What signing needs of a recipient: enough to choose one and list it."""

    id: int
    key: str
    kind: str
    organization: str
    countries: tuple[str, ...]

    serves_everyone = Recipient.serves_everyone
    serves = Recipient.serves


@dataclass(frozen=True)
class SigningCampaign:
    """The few columns of a campaign that taking a signature needs: no facts,
    no article texts."""

    id: int
    slug: str
    title: str
    translations: dict
    opens_on: date
    closes_on: date | None
    recipients: tuple[OfferedRecipient, ...]

    is_open_on = Campaign.is_open_on
    title_in = Campaign.title_in


# A campaign's row and its recipients change only when the seeds are loaded
# again, so each process keeps them for a minute instead of reading them for
# every signature. Whether the campaign is open is still decided per request,
# from its dates.
SIGNING_CACHE_SECONDS = 60
_offered_cache: dict[int, tuple[float, tuple[OfferedRecipient, ...]]] = {}
_campaign_cache: dict[str, tuple[float, SigningCampaign]] = {}


def offered_recipients(session: Session, campaign_id: int) -> tuple[OfferedRecipient, ...]:
    cached = _offered_cache.get(campaign_id)
    if cached is not None and time.monotonic() - cached[0] < SIGNING_CACHE_SECONDS:
        return cached[1]
    rows = session.execute(
        select(
            Recipient.id,
            Recipient.key,
            Recipient.kind,
            Recipient.organization,
            Recipient.countries,
        )
        .join(campaign_recipients, campaign_recipients.c.recipient_id == Recipient.id)
        .where(campaign_recipients.c.campaign_id == campaign_id)
        .order_by(campaign_recipients.c.position)
    ).all()
    offered = tuple(
        OfferedRecipient(id, key, kind, organization, tuple(countries or ()))
        for id, key, kind, organization, countries in rows
    )
    _offered_cache[campaign_id] = (time.monotonic(), offered)
    return offered


def forget_offered_recipients() -> None:
    """Drop the cached campaigns and recipients, e.g. after loading the seeds."""
    _offered_cache.clear()
    _campaign_cache.clear()


# The sign POST's statements are built once per process: building and
# compiling them anew for each signature cost more than sending them.
# They are Core statements on the tables, which skip the ORM's bookkeeping.
_campaigns = Campaign.__table__
_CAMPAIGN_ROW = select(
    _campaigns.c.id,
    _campaigns.c.slug,
    _campaigns.c.title,
    _campaigns.c.translations,
    _campaigns.c.opens_on,
    _campaigns.c.closes_on,
).where(_campaigns.c.slug == bindparam("slug"))


def signing_campaign(session: Session, slug: str) -> SigningCampaign | None:
    """The campaign's row and recipients, from the cache or one indexed read
    each. An unknown slug is never cached: anyone can send one."""
    cached = _campaign_cache.get(slug)
    if cached is not None and time.monotonic() - cached[0] < SIGNING_CACHE_SECONDS:
        return cached[1]
    row = session.execute(_CAMPAIGN_ROW, {"slug": slug}).first()
    if row is None:
        return None
    campaign = SigningCampaign(*row, recipients=offered_recipients(session, row.id))
    _campaign_cache[slug] = (time.monotonic(), campaign)
    return campaign


@dataclass(frozen=True)
class SignerOnFile:
    """The stored signature a mail is written for: the new one, or the one a
    repeat signer already had (their name, address and language, not the
    ones just typed)."""

    id: int
    name: str
    email: str
    locale: str
    status: str


_ADD_TOKEN = insert(table_of(SignatureToken))


def issue_token(session: Session, signature_id: int, *, days: int, now: datetime) -> str:
    token = new_token()
    session.execute(
        _ADD_TOKEN,
        {
            "signature_id": signature_id,
            "token_hash": hash_token(token),
            "expires_at": now + timedelta(days=days),
            "created_at": now,
        },
    )
    return token


def sign(
    session: Session,
    campaign: SigningCampaign | Campaign,
    submission: Submission,
    notifier,
    *,
    link_days: int,
    now: datetime | None = None,
) -> None:
    """Record a pending signature and queue its confirmation mail.

    A second signature with the same canonical address changes nothing; the
    existing signer is mailed instead, and the outbox decides when sending
    whether they have had their share of such notices
    (`duplicate_notice_allowed`). Both paths run the same three statements
    (upsert the signature, add a link, queue a mail), so the answer's timing
    does not tell whether an address has signed. `notifier` writes the mails:
    .confirmation(signer, token) and .already_signed(signer, token), each
    returning (to, subject, body).
    """
    now = now or utcnow()
    if not campaign.is_open_on(now.date()):
        raise CampaignClosed(campaign.slug)
    recipient = choose_recipient(campaign.recipients, submission.country, submission.recipient_key)
    signer, is_new = _insert_or_find(
        session,
        dict(
            submission.signature_values(),
            campaign_id=campaign.id,
            email_canonical=canonical_email(submission.email),
            recipient_id=recipient.id if recipient else None,
            status=PENDING,
            duplicate_notices=0,
            created_at=now,
        ),
    )
    token = issue_token(session, signer.id, days=link_days, now=now)
    if is_new:
        enqueue(session, *notifier.confirmation(signer, token), signature_id=signer.id)
    else:
        enqueue(
            session,
            *notifier.already_signed(signer, token),
            signature_id=signer.id,
            duplicate_notice_for=signer.id,
        )


def _insert_or_find(session: Session, values: dict) -> tuple[SignerOnFile, bool]:
    """Insert the signature, or find the one this address already has, in one
    statement. The unique index decides races: a concurrent twin waits for
    the first to commit and then finds its row.

    The conflict branch rewrites a column with its own value only so that
    RETURNING gives the existing row. The row is new when it carries this
    request's creation time.
    """
    statement = _insert_or_find_statement(session.get_bind().dialect.name)
    id, name, email, locale, status, created_at = session.execute(statement, values).one()
    return SignerOnFile(id, name, email, locale, status), created_at == values["created_at"]


@functools.cache
def _insert_or_find_statement(dialect: str):
    dialect_insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    signatures = table_of(Signature)
    return (
        dialect_insert(signatures)
        .on_conflict_do_update(
            index_elements=[signatures.c.campaign_id, signatures.c.email_canonical],
            set_={"duplicate_notices": signatures.c.duplicate_notices},
        )
        .returning(
            signatures.c.id,
            signatures.c.name,
            signatures.c.email,
            signatures.c.locale,
            signatures.c.status,
            signatures.c.created_at,
        )
    )


def duplicate_notice_allowed(session: Session, signature_id: int, *, limit: int) -> bool:
    """Count one more "already signed" notice for the signature, if it has had
    fewer than `limit`. One conditional UPDATE, so racing senders cannot go
    over the limit. The outbox asks this just before sending such a notice."""
    return bool(
        rows_changed(session.execute(
            update(Signature)
            .where(Signature.id == signature_id, Signature.duplicate_notices < limit)
            .values(duplicate_notices=Signature.duplicate_notices + 1)
        ))
    )


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


def confirm(session: Session, signature: Signature, *, now: datetime | None = None) -> bool:
    """Confirm a pending signature; True only for the request that confirmed it.

    The status moves in one conditional UPDATE: confirming twice, or twice at
    once, counts once.
    """
    confirmed = session.execute(
        update(Signature)
        .where(Signature.id == signature.id, Signature.status == PENDING)
        .values(status=CONFIRMED, confirmed_at=now or utcnow())
        .returning(
            Signature.campaign_id,
            Signature.country,
            Signature.recipient_id,
            Signature.confirmed_at,
        )
    ).first()
    if confirmed is not None:
        record_count_change(session, **confirmed._asdict(), delta=+1)
    return confirmed is not None


def withdraw(session: Session, signature: Signature, *, now: datetime | None = None) -> None:
    """Take the signature out of every count and erase what identifies the signer.

    The emailed links stop working too, and mail not yet sent about this
    signature is dropped (the signer's mail about other campaigns stays).
    The row stays, naming no one.
    """
    take_out(session, signature.id, status=WITHDRAWN, now=now)


# When a signature left its campaign, by the way it left: the signer withdrew
# it, or organizers invalidated it (app.signatures.invalidation).
_LEFT_AT = {WITHDRAWN: "withdrawn_at", INVALIDATED: "invalidated_at"}


def take_out(
    session: Session, signature_id: int, *, status: str, now: datetime | None = None
) -> str | None:
    """Move a pending or confirmed signature to `status` (withdrawn or
    invalidated), as `withdraw` describes: out of the counts, nothing of the
    signer kept, its links and queued mail gone.

    Returns the status it had, or None when it had already left (or was
    deleted meanwhile), in which case nothing changes.
    """
    left_at = _LEFT_AT[status]
    # Locked while it changes (PostgreSQL; SQLite has one writer), so a
    # confirmation racing the change is either counted and taken out again
    # here, or never happens. Locked before its mail and links, in the order
    # signing and the outbox lock them.
    row = session.execute(
        select(
            Signature.status,
            Signature.campaign_id,
            Signature.country,
            Signature.recipient_id,
            Signature.confirmed_at,
            Signature.include_in_delivery,
        )
        .where(Signature.id == signature_id)
        .with_for_update()
    ).first()
    if row is None or row.status not in (PENDING, CONFIRMED):
        return None
    session.execute(
        update(Signature)
        .where(Signature.id == signature_id)
        .values(
            status=status,
            **{left_at: now or utcnow()},
            # Nothing of the signer stays, not even the country.
            country=None,
            **ERASED_SIGNER_DETAILS,
        )
    )
    if row.status == CONFIRMED:
        if row.confirmed_at is None:  # set by every confirmation; the count's day
            raise ValueError(f"confirmed signature {signature_id} has no confirmed_at")
        record_count_change(
            session,
            campaign_id=row.campaign_id,
            country=row.country,
            recipient_id=row.recipient_id,
            confirmed_at=row.confirmed_at,
            delta=-1,
        )
        if row.include_in_delivery and row.recipient_id is not None:
            # The signer chose to be named in the delivery and no longer
            # does: no pack that may name them is offered again.
            withdraw_packs(
                session,
                campaign_id=row.campaign_id,
                recipient_id=row.recipient_id,
                now=now or utcnow(),
            )
    discard_queued_mail_for(session, signature_id)
    session.execute(delete(SignatureToken).where(SignatureToken.signature_id == signature_id))
    return row.status

"""Keep signer data no longer than a campaign needs it.

- A pending signature whose links have all expired can never be confirmed:
  it is deleted.
- RETENTION_DAYS_AFTER_CLOSE days after a campaign closes (time to deliver),
  every signature's name, email, town and message are erased. Country, status
  and dates stay, so the archive keeps its counts.
- Either way, mail still queued about those signatures goes too (it holds
  the address and a body with the name), and so do the campaign's delivery
  pack files: nothing naming an erased signer is left behind.

Like every service, nothing here commits: the job or command that runs
retention owns the transactions (`app.database.transaction`), one for the
erasure and, once that has committed, one for the pack files.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from app.campaigns.models import Campaign
from app.database import rows_changed
from app.organizer.pack_jobs import delete_campaign_packs
from app.outbox.service import discard_queued_mail_for
from app.signatures.models import ERASED_SIGNER_DETAILS, PENDING, Signature, SignatureToken


@dataclass
class RetentionReport:
    expired_pending_deleted: int = 0
    campaigns_anonymized: int = 0
    signatures_anonymized: int = 0
    campaign_ids: list[int] = field(default_factory=list)


def delete_expired_pending(session: Session, *, now: datetime) -> int:
    """Pending signatures none of whose links can still confirm them."""
    live_link = select(SignatureToken.id).where(
        SignatureToken.signature_id == Signature.id, SignatureToken.expires_at > now
    )
    expired = select(Signature.id).where(Signature.status == PENDING, ~live_link.exists())
    expired_ids = session.scalars(expired).all()
    if not expired_ids:
        return 0
    discard_queued_mail_for(session, expired_ids)
    session.execute(delete(SignatureToken).where(SignatureToken.signature_id.in_(expired_ids)))
    return rows_changed(session.execute(delete(Signature).where(Signature.id.in_(expired_ids))))


def campaigns_due_for_anonymizing(session: Session, *, today: date, days_after_close: int):
    cutoff = today - timedelta(days=days_after_close)
    return session.scalars(
        select(Campaign).where(Campaign.closes_on.is_not(None), Campaign.closes_on < cutoff)
    ).all()


def anonymize_campaign(session: Session, campaign: Campaign) -> int:
    """Erase what names a signer, for every signature of the campaign."""
    of_campaign = select(Signature.id).where(Signature.campaign_id == campaign.id)
    session.execute(delete(SignatureToken).where(SignatureToken.signature_id.in_(of_campaign)))
    discard_queued_mail_for(session, of_campaign)
    return rows_changed(session.execute(
        update(Signature)
        .where(
            Signature.campaign_id == campaign.id,
            # Rows already erased have no email left; leave them as they are.
            Signature.email.is_not(None),
        )
        .values(**ERASED_SIGNER_DETAILS)
    ))


def run_retention(
    session: Session,
    *,
    now: datetime,
    days_after_close: int,
    progress=None,
) -> RetentionReport:
    """Erase everything due, in the caller's transaction: all of it, or nothing.

    The campaigns erased are in the report: once that transaction has
    committed, the caller deletes their pack files (`delete_packs_of`).
    """
    report = RetentionReport()
    report.expired_pending_deleted = delete_expired_pending(session, now=now)
    campaigns = campaigns_due_for_anonymizing(
        session, today=now.date(), days_after_close=days_after_close
    )
    for campaign in campaigns:
        erased = anonymize_campaign(session, campaign)
        if erased:
            report.campaigns_anonymized += 1
            report.signatures_anonymized += erased
        if progress:
            progress(campaign.slug, erased)
    report.campaign_ids = [campaign.id for campaign in campaigns]
    return report


def delete_packs_of(session: Session, pack_folder: Path, campaign_ids: list[int]) -> None:
    """The pack files of campaigns whose signers are erased. Only after the
    erasure committed: a failed erasure must leave the packs it would have
    made useless."""
    for campaign_id in campaign_ids:
        delete_campaign_packs(session, pack_folder, campaign_id)

"""Counts of confirmed signatures.

Counts are aggregated from the signatures themselves (indexed by campaign,
status and country or day), never kept as a counter bumped by each request:
no hot row to contend on, and nothing to drift out of step.
"""

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.letters.models import Recipient
from app.signatures.models import CONFIRMED, PENDING, Signature


@dataclass(frozen=True)
class CampaignCounts:
    goal: int
    confirmed: int
    by_country: list[tuple[str, int]]  # largest first
    by_day: list[tuple[date, int]]  # oldest first, days with signatures only


def count_confirmed(session: Session, campaign_id: int) -> int:
    return count_with_status(session, campaign_id, CONFIRMED)


def count_pending(session: Session, campaign_id: int) -> int:
    return count_with_status(session, campaign_id, PENDING)


def count_with_status(session: Session, campaign_id: int, status: str) -> int:
    return session.scalar(
        select(func.count())
        .select_from(Signature)
        .where(Signature.campaign_id == campaign_id, Signature.status == status)
    )


def confirmed_by_country(session: Session, campaign_id: int) -> list[tuple[str, int]]:
    rows = session.execute(
        select(Signature.country, func.count())
        .where(Signature.campaign_id == campaign_id, Signature.status == CONFIRMED)
        .group_by(Signature.country)
    ).all()
    return sorted(((country, count) for country, count in rows), key=lambda r: (-r[1], r[0]))


def confirmed_by_day(session: Session, campaign_id: int) -> list[tuple[date, int]]:
    confirmed_on = func.date(Signature.confirmed_at)
    rows = session.execute(
        select(confirmed_on, func.count())
        .where(Signature.campaign_id == campaign_id, Signature.status == CONFIRMED)
        .group_by(confirmed_on)
        .order_by(confirmed_on)
    ).all()
    return [(_as_date(day), count) for day, count in rows]


def confirmed_by_recipient(session: Session, campaign_id: int) -> list[tuple[str, int]]:
    """(recipient organization, count), largest first."""
    rows = session.execute(
        select(Recipient.organization, func.count())
        .select_from(Signature)
        .join(Recipient, Recipient.id == Signature.recipient_id)
        .where(Signature.campaign_id == campaign_id, Signature.status == CONFIRMED)
        .group_by(Recipient.organization)
    ).all()
    return sorted(((name, count) for name, count in rows), key=lambda r: (-r[1], r[0]))


def campaign_counts(session: Session, campaign) -> CampaignCounts:
    return CampaignCounts(
        goal=campaign.goal,
        confirmed=count_confirmed(session, campaign.id),
        by_country=confirmed_by_country(session, campaign.id),
        by_day=confirmed_by_day(session, campaign.id),
    )


def _as_date(value) -> date:
    # SQLite's date() gives text, PostgreSQL's a date.
    return value if isinstance(value, date) else date.fromisoformat(value)

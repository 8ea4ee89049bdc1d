"""Counts of confirmed signatures.

Confirmed counts come from the rollup (app.signatures.rollups): a few hundred
small rows per campaign instead of an aggregate over every signature, and
never a counter bumped by each request, so no hot row to contend on.
"""

from collections import Counter
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.letters.models import Recipient
from app.signatures.models import PENDING, Signature
from app.signatures.rollups import confirmed_total, totals_by


@dataclass(frozen=True)
class CampaignCounts:
    goal: int
    confirmed: int
    by_country: list[tuple[str, int]]  # largest first
    by_day: list[tuple[date, int]]  # oldest first, days with signatures only


def count_confirmed(session: Session, campaign_id: int) -> int:
    return confirmed_total(session, campaign_id)


def count_pending(session: Session, campaign_id: int) -> int:
    """Signatures waiting for confirmation: an index-only count, for organizers."""
    return count_with_status(session, campaign_id, PENDING)


def count_with_status(session: Session, campaign_id: int, status: str) -> int:
    return session.execute(
        select(func.count())
        .select_from(Signature)
        .where(Signature.campaign_id == campaign_id, Signature.status == status)
    ).scalar_one()


def confirmed_by_country(session: Session, campaign_id: int) -> list[tuple[str, int]]:
    rows = totals_by(session, campaign_id, "country")
    return sorted(((country, int(n)) for country, n in rows), key=lambda r: (-r[1], r[0]))


def confirmed_by_day(session: Session, campaign_id: int) -> list[tuple[date, int]]:
    return [(_as_date(day), int(n)) for day, n in totals_by(session, campaign_id, "day")]


def confirmed_by_recipient(session: Session, campaign_id: int) -> list[tuple[str, int]]:
    """(recipient organization, count), largest first."""
    by_id = dict(totals_by(session, campaign_id, "recipient_id"))
    names = dict(
        session.execute(
            select(Recipient.id, Recipient.organization).where(Recipient.id.in_(by_id))
        ).all()
    )
    totals: Counter[str] = Counter()
    for recipient_id, n in by_id.items():
        if recipient_id in names:
            totals[names[recipient_id]] += int(n)
    return sorted(totals.items(), key=lambda r: (-r[1], r[0]))


def campaign_counts(session: Session, campaign) -> CampaignCounts:
    by_country = confirmed_by_country(session, campaign.id)
    return CampaignCounts(
        goal=campaign.goal,
        confirmed=sum(n for _, n in by_country),
        by_country=by_country,
        by_day=confirmed_by_day(session, campaign.id),
    )


def _as_date(value) -> date:
    # SQLite's date() gives text, PostgreSQL's a date.
    return value if isinstance(value, date) else date.fromisoformat(value)

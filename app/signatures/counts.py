"""Counts of confirmed signatures.

Confirmed counts come from the rollup (app.signatures.rollups): a few hundred
small rows per campaign instead of an aggregate over every signature, and
never a counter bumped by each request, so no hot row to contend on.

Every breakdown is read in one statement (`campaign_tally`). The pages and
counts.json take it through `recent_tally`, which keeps it in the process for
a few seconds: a campaign polled by thousands costs one statement per process
per few seconds, and its counts are never older than that.
"""

from collections import Counter
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.letters.models import Recipient
from app.short_cache import ShortCache
from app.signatures.models import PENDING, Signature
from app.signatures.rollups import breakdowns, confirmed_total, totals_by


@dataclass(frozen=True)
class CampaignCounts:
    goal: int
    confirmed: int
    by_country: list[tuple[str, int]]  # largest first
    by_day: list[tuple[date, int]]  # oldest first, days with signatures only


@dataclass(frozen=True)
class Tally:
    """A campaign's confirmed counts with every breakdown, from one snapshot."""

    confirmed: int
    by_country: tuple[tuple[str, int], ...]  # largest first; "" for not given
    by_day: tuple[tuple[date, int], ...]  # oldest first, days with signatures only
    by_recipient_id: tuple[tuple[int, int], ...]  # 0 for none chosen


def campaign_tally(session: Session, campaign_id: int) -> Tally:
    by_day, by_country, by_recipient = [], [], []
    for day, country, recipient_id, n in breakdowns(session, campaign_id):
        if day is not None:
            by_day.append((_as_date(day), int(n)))
        elif country is not None:
            by_country.append((country, int(n)))
        else:
            by_recipient.append((recipient_id, int(n)))
    return Tally(
        confirmed=sum(n for _, n in by_country),
        by_country=tuple(sorted(by_country, key=lambda row: (-row[1], row[0]))),
        by_day=tuple(sorted(by_day)),
        by_recipient_id=tuple(sorted(by_recipient)),
    )


def recent_tally(session: Session, campaign_id: int, *, cache: ShortCache, seconds: float) -> Tally:
    """The campaign's tally as this process read it at most `seconds` ago
    (0: read now). `cache` holds tallies by campaign id."""
    return cache.get(campaign_id, lambda: campaign_tally(session, campaign_id), seconds=seconds)


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


def confirmed_by_recipient(
    session: Session, campaign_id: int, tally: Tally | None = None
) -> list[tuple[str, int]]:
    """(recipient organization, count), largest first."""
    if tally is None:
        by_id = dict(totals_by(session, campaign_id, "recipient_id"))
    else:
        by_id = dict(tally.by_recipient_id)
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


def campaign_counts(session: Session, campaign, tally: Tally | None = None) -> CampaignCounts:
    tally = tally or campaign_tally(session, campaign.id)
    return CampaignCounts(
        goal=campaign.goal,
        confirmed=tally.confirmed,
        by_country=list(tally.by_country),
        by_day=list(tally.by_day),
    )


def _as_date(value) -> date:
    # SQLite's date() gives text, PostgreSQL's a date.
    return value if isinstance(value, date) else date.fromisoformat(value)

"""Confirmed counts kept in a rollup, exact at once, with no hot row.

- Confirming, withdrawing or invalidating a signature appends a row (+1 or
  -1) to `count_changes` in the same transaction (`record_count_change`).
  Appending never waits on another request, unlike bumping a shared counter.
- `advance_rollups` folds those rows into `count_rollups` (per campaign, UTC
  day, country and recipient) and deletes them. It only keeps the change
  table small: reads add the rollup and the changes not yet folded in one
  statement, so a count is exact the moment a confirmation commits.
- `check_rollups` recounts from the signatures and repairs any difference,
  logging only campaign slugs and numbers; `refresh_rollups` rebuilds from
  the signatures (after a restore or a bulk import).

Run `advance_rollups` every few seconds and `check_rollups` nightly.

`record_count_change` writes in the caller's transaction. The folds, the
rebuilds and the check are jobs' whole bodies that work in batches, so each
batch is its own `transaction`.
"""

import logging
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from sqlalchemy import (
    Date,
    Integer,
    Row,
    String,
    cast,
    delete,
    func,
    insert,
    null,
    select,
    union_all,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from app.campaigns.models import Campaign
from app.database import transaction
from app.signatures.models import CONFIRMED, CountChange, CountRollup, Signature

log = logging.getLogger(__name__)

# Changes folded per statement: bounds the transaction of one fold.
FOLD_BATCH = 5000

Key = tuple[int, date, str, int]  # campaign_id, day, country, recipient_id


def record_count_change(
    session: Session,
    *,
    campaign_id: int,
    country: str | None,
    recipient_id: int | None,
    confirmed_at: datetime,
    delta: int,
) -> None:
    """Add +1 (a confirmation) or -1 (a confirmed signature leaving the count)
    to the caller's transaction."""
    session.execute(
        insert(CountChange).values(
            campaign_id=campaign_id,
            country=country or "",
            recipient_id=recipient_id or 0,
            day=utc_day(confirmed_at),
            delta=delta,
        )
    )


def utc_day(moment: datetime) -> date:
    return moment.astimezone(UTC).date()


# -- reading ------------------------------------------------------------------


def counted_rows(campaign_id: int):
    """The rollup's rows and the changes not yet folded, as one selectable.

    One statement reads both, so a fold committing meanwhile is seen either
    entirely in the rollup or entirely in the changes, never twice or not at all.
    """
    return _counted_union(campaign_id).subquery()


def _counted_union(campaign_id: int):
    return union_all(
        select(
            CountRollup.day,
            CountRollup.country,
            CountRollup.recipient_id,
            CountRollup.confirmed.label("n"),
        ).where(CountRollup.campaign_id == campaign_id),
        select(
            CountChange.day,
            CountChange.country,
            CountChange.recipient_id,
            CountChange.delta.label("n"),
        ).where(CountChange.campaign_id == campaign_id),
    )


def totals_by(session: Session, campaign_id: int, column: str) -> Sequence[Row]:
    """(value of `column`, confirmed) for each value with a count above zero."""
    rows = counted_rows(campaign_id)
    key = rows.c[column]
    total = func.sum(rows.c.n)
    return session.execute(select(key, total).group_by(key).having(total != 0).order_by(key)).all()


def breakdowns(session: Session, campaign_id: int) -> Sequence[Row]:
    """Every breakdown a page shows, in one statement and one snapshot.

    Rows of (day, country, recipient_id, confirmed), exactly one of the three
    keys set: the totals by day, then by country, then by recipient, each with
    a count above zero. One round trip instead of one per breakdown, and the
    breakdowns always add up to the same total.
    """
    rows = _counted_union(campaign_id).cte("counted")
    total = func.sum(rows.c.n)
    no_day, no_country = cast(null(), Date), cast(null(), String)
    no_recipient = cast(null(), Integer)
    by_day = select(rows.c.day, no_country, no_recipient, total).group_by(rows.c.day)
    by_country = select(no_day, rows.c.country, no_recipient, total).group_by(rows.c.country)
    by_recipient = select(no_day, no_country, rows.c.recipient_id, total).group_by(
        rows.c.recipient_id
    )
    return session.execute(
        union_all(*(part.having(total != 0) for part in (by_day, by_country, by_recipient)))
    ).all()


def confirmed_total(session: Session, campaign_id: int) -> int:
    rows = counted_rows(campaign_id)
    return int(session.scalar(select(func.coalesce(func.sum(rows.c.n), 0))))


# -- folding ------------------------------------------------------------------


@dataclass
class FoldReport:
    changes: int = 0
    rollup_rows: int = 0


def advance_rollups(session: Session, *, batch: int = FOLD_BATCH) -> FoldReport:
    """Fold the pending changes into the rollup; commits once per batch.

    Safe to run in several processes at once: each change is deleted (and its
    delta taken) by exactly one of them, in the transaction that adds it to
    the rollup. On PostgreSQL the rows a concurrent fold holds are skipped.
    """
    report = FoldReport()
    while True:
        with transaction(session):
            taken = _take_changes(session, batch)
            sums: Counter[tuple] = Counter()
            for campaign_id, day, country, recipient_id, delta in taken:
                sums[(campaign_id, day, country, recipient_id)] += delta
            # Sorted, so two folds lock the rollup's rows in the same order.
            for key in sorted(sums):
                _add_to_rollup(session, key, sums[key])
        if not taken:
            return report
        report.changes += len(taken)
        report.rollup_rows += len(sums)
        if len(taken) < batch:
            return report


def _take_changes(session: Session, batch: int) -> Sequence[Row]:
    oldest = select(CountChange.id).order_by(CountChange.id).limit(batch)
    if session.get_bind().dialect.name == "postgresql":
        oldest = oldest.with_for_update(skip_locked=True)
    return session.execute(
        delete(CountChange)
        .where(CountChange.id.in_(oldest.scalar_subquery()))
        .returning(
            CountChange.campaign_id,
            CountChange.day,
            CountChange.country,
            CountChange.recipient_id,
            CountChange.delta,
        )
    ).all()


def _add_to_rollup(session: Session, key: Key, delta: int) -> None:
    if delta == 0:
        return
    campaign_id, day, country, recipient_id = key
    insert_row = _insert_for(session)(CountRollup).values(
        campaign_id=campaign_id,
        day=day,
        country=country,
        recipient_id=recipient_id,
        confirmed=delta,
    )
    session.execute(
        insert_row.on_conflict_do_update(
            index_elements=["campaign_id", "day", "country", "recipient_id"],
            set_={"confirmed": CountRollup.confirmed + insert_row.excluded.confirmed},
        )
    )


def _insert_for(session: Session):
    if session.get_bind().dialect.name == "postgresql":
        return postgresql.insert
    return sqlite.insert


# -- rebuilding and checking -------------------------------------------------


def recount(session: Session, campaign_id: int) -> dict[Key, int]:
    """The true counts, from the signatures themselves (a full scan: for the
    self-check and refresh, never for a page)."""
    day = _utc_date(session, Signature.confirmed_at)
    country = func.coalesce(Signature.country, "")
    recipient = func.coalesce(Signature.recipient_id, 0)
    rows = session.execute(
        select(day, country, recipient, func.count())
        .where(Signature.campaign_id == campaign_id, Signature.status == CONFIRMED)
        .group_by(day, country, recipient)
    ).all()
    return {(campaign_id, _as_date(d), c, r): n for d, c, r, n in rows}


def counted(session: Session, campaign_id: int) -> dict[Key, int]:
    """What the rollup and the unfolded changes say, in the same keys."""
    rows = counted_rows(campaign_id)
    total = func.sum(rows.c.n)
    result = session.execute(
        select(rows.c.day, rows.c.country, rows.c.recipient_id, total)
        .group_by(rows.c.day, rows.c.country, rows.c.recipient_id)
        .having(total != 0)
    ).all()
    return {(campaign_id, _as_date(d), c, r): int(n) for d, c, r, n in result}


def refresh_rollups(session: Session, campaign_id: int) -> int:
    """Rebuild one campaign's rollup from its signatures; returns the total.

    On PostgreSQL the change table is locked against new changes for the
    rebuild (confirmations wait for it, reads do not), so no change is
    counted twice or lost; SQLite has a single writer anyway.
    """
    with transaction(session):
        if session.get_bind().dialect.name == "postgresql":
            session.connection().exec_driver_sql("LOCK TABLE count_changes IN EXCLUSIVE MODE")
        session.execute(delete(CountChange).where(CountChange.campaign_id == campaign_id))
        session.execute(delete(CountRollup).where(CountRollup.campaign_id == campaign_id))
        fresh = recount(session, campaign_id)
        if fresh:
            session.execute(
                insert(CountRollup),
                [
                    {"campaign_id": c, "day": d, "country": k, "recipient_id": r, "confirmed": n}
                    for (c, d, k, r), n in fresh.items()
                ],
            )
    return sum(fresh.values())


def refresh_all_rollups(session: Session, slug: str | None = None) -> dict[str, int]:
    """Rebuild the rollup of one campaign (by slug) or of all; {slug: total}."""
    query = select(Campaign.id, Campaign.slug).order_by(Campaign.slug)
    if slug is not None:
        query = query.where(Campaign.slug == slug)
    campaigns = session.execute(query).all()
    session.rollback()
    return {slug: refresh_rollups(session, campaign_id) for campaign_id, slug in campaigns}


@dataclass
class CheckReport:
    campaigns: int = 0
    repaired: list[str] = field(default_factory=list)


def check_rollups(session: Session) -> CheckReport:
    """Compare every campaign's counts with a full recount; repair and log any
    difference (campaign slug and numbers only, never a signer)."""
    report = CheckReport()
    campaigns = session.execute(select(Campaign.id, Campaign.slug).order_by(Campaign.slug)).all()
    session.rollback()
    for campaign_id, slug in campaigns:
        report.campaigns += 1
        if session.get_bind().dialect.name == "postgresql":
            # Both counts from one snapshot, so a confirmation committing
            # between them is not taken for a difference.
            session.connection(execution_options={"isolation_level": "REPEATABLE READ"})
        truth, seen = recount(session, campaign_id), counted(session, campaign_id)
        session.rollback()
        if truth == seen:
            continue
        cells = sum(1 for key in truth.keys() | seen.keys() if truth.get(key) != seen.get(key))
        log.warning(
            "Counts of campaign %s were off in %d cells (counted %d, true %d); rebuilt.",
            slug,
            cells,
            sum(seen.values()),
            sum(truth.values()),
        )
        refresh_rollups(session, campaign_id)
        report.repaired.append(slug)
    return report


def _utc_date(session: Session, column):
    if session.get_bind().dialect.name == "postgresql":
        return func.date(func.timezone("UTC", column))
    return func.date(column)


def _as_date(value) -> date:
    # SQLite gives dates back as text.
    return value if isinstance(value, date) else date.fromisoformat(value)

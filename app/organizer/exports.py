"""Counts and signatures as CSV or JSON.

Counts come from app.signatures.counts. The signatures export streams rows
from the database in batches (yield_per: a server-side cursor on PostgreSQL)
and sends them in pieces of thousands of lines, so its memory does not grow
with the campaign.
"""

import csv
import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from itertools import chain

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.campaigns.models import Campaign
from app.letters.models import Recipient
from app.signatures.counts import (
    Tally,
    campaign_counts,
    campaign_tally,
    confirmed_by_recipient,
    count_pending,
)
from app.signatures.models import CONFIRMED, Signature
from app.spreadsheets import starts_like_formula

BATCH_SIZE = 5000
CHUNK_ROWS = 5000

COUNTS_HEADER = ("breakdown", "key", "signatures")
# What a delivery needs, and no more: no email, no message, no language.
SIGNATURES_HEADER = (
    "name",
    "country",
    "recipient",
    "confirmed_on",
    "include_in_delivery",
    "show_name",
)


@dataclass(frozen=True)
class CountsReport:
    slug: str
    goal: int
    confirmed: int
    pending: int
    by_country: list[tuple[str, int]]
    by_day: list[tuple[date, int]]
    by_recipient: list[tuple[str, int]]


def counts_report(session: Session, campaign: Campaign, tally: Tally | None = None) -> CountsReport:
    """The public counts, with what only organizers see: pending and by recipient.

    From `tally` when given (the dashboard's, a few seconds old at most),
    else from one read of the rollup now."""
    tally = tally or campaign_tally(session, campaign.id)
    public = campaign_counts(session, campaign, tally)
    return CountsReport(
        slug=campaign.slug,
        goal=public.goal,
        confirmed=public.confirmed,
        pending=count_pending(session, campaign.id),
        by_country=public.by_country,
        by_day=public.by_day,
        by_recipient=confirmed_by_recipient(session, campaign.id, tally),
    )


def counts_rows(report: CountsReport) -> Iterator[tuple]:
    """(breakdown, key, signatures): the totals, then by country, day and recipient."""
    yield ("confirmed", "total", report.confirmed)
    yield ("pending", "total", report.pending)
    yield ("goal", "total", report.goal)
    for country, count in report.by_country:
        yield ("country", country or "", count)
    for day, count in report.by_day:
        yield ("day", day.isoformat(), count)
    for organization, count in report.by_recipient:
        yield ("recipient", organization, count)


def counts_csv(report: CountsReport) -> str:
    return "".join(csv_lines([COUNTS_HEADER, *counts_rows(report)]))


def counts_json(report: CountsReport) -> dict:
    return {
        "campaign": report.slug,
        "goal": report.goal,
        "confirmed": report.confirmed,
        "pending": report.pending,
        "by_country": [{"country": c, "confirmed": n} for c, n in report.by_country],
        "by_day": [{"day": d.isoformat(), "confirmed": n} for d, n in report.by_day],
        "by_recipient": [{"recipient": r, "confirmed": n} for r, n in report.by_recipient],
    }


def neutralize(value) -> str:
    """The cell as text a spreadsheet will not run as a formula."""
    text = "" if value is None else str(value)
    if starts_like_formula(text):
        return "'" + text  # a leading single quote makes it text
    return text


def csv_lines(rows: Iterable[Iterable]) -> Iterator[str]:
    """Each row as one CSV line: every cell neutralized and quoted."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
    for row in rows:
        writer.writerow([neutralize(cell) for cell in row])
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()


def confirmed_signature_rows(session: Session, campaign: Campaign) -> Iterator[tuple]:
    """Confirmed signatures only, oldest first; pending, withdrawn and invalidated never.

    The name only for signers who chose to be included in the delivery; never
    the town, which with a name can identify a family."""
    result = session.execute(
        select(
            Signature.name,
            Signature.country,
            Recipient.key,
            Signature.confirmed_at,
            Signature.include_in_delivery,
            Signature.show_name,
        )
        .outerjoin(Recipient, Recipient.id == Signature.recipient_id)
        .where(Signature.campaign_id == campaign.id, Signature.status == CONFIRMED)
        .order_by(Signature.confirmed_at, Signature.id)
        .execution_options(yield_per=BATCH_SIZE)
    )
    for name, country, recipient_key, confirmed_at, include, show in result:
        # A signer who did not choose to be named to the recipients is counted
        # here, by country, but not named: the export is what gets delivered.
        yield (
            name if include else "",
            country,
            recipient_key or "",
            confirmed_at.date().isoformat() if confirmed_at else "",
            "yes" if include else "no",
            "yes" if show else "no",
        )


def signatures_csv_lines(session: Session, campaign: Campaign) -> Iterator[str]:
    """The signatures export, header first, in pieces of CHUNK_ROWS lines.

    One socket write per line cost more than reading the rows; a piece of a
    few thousand lines is about 200 kB, so memory stays flat however large
    the campaign.
    """
    if session.get_bind().dialect.name == "postgresql":
        yield from copied_signature_rows(session, campaign)
        return
    rows = chain([SIGNATURES_HEADER], confirmed_signature_rows(session, campaign))
    yield from csv_chunks(rows, CHUNK_ROWS)


def _neutralized(expression: str) -> str:
    """SQL for `neutralize`: a cell starting with a formula trigger gets a quote."""
    text = f"coalesce(({expression})::text, '')"
    return (
        f"CASE WHEN left({text}, 1) IN ('=', '+', '-', '@', chr(9), chr(13)) "
        f"THEN chr(39) || {text} ELSE {text} END"
    )


# The same rows and cells as confirmed_signature_rows and csv_lines, produced
# by PostgreSQL's COPY: every cell neutralized and quoted, a million rows in
# seconds instead of tens of seconds of Python. Built from constants only;
# the campaign id is bound as a literal by psycopg.
_COPY_SIGNATURES = (
    "COPY (SELECT "  # noqa: S608
    + ", ".join(
        _neutralized(cell)
        for cell in (
            "CASE WHEN s.include_in_delivery THEN s.name ELSE '' END",
            "s.country",
            "r.key",
            "to_char(s.confirmed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD')",
            "CASE WHEN s.include_in_delivery THEN 'yes' ELSE 'no' END",
            "CASE WHEN s.show_name THEN 'yes' ELSE 'no' END",
        )
    )
    + " FROM signatures s LEFT JOIN recipients r ON r.id = s.recipient_id"
    " WHERE s.campaign_id = {campaign_id} AND s.status = 'confirmed'"
    " ORDER BY s.confirmed_at, s.id) TO STDOUT WITH (FORMAT csv, FORCE_QUOTE *)"
)


def copied_signature_rows(session: Session, campaign: Campaign) -> Iterator[str]:
    """PostgreSQL only: the export, header first, from COPY, CHUNK_ROWS lines a piece."""
    from psycopg import sql

    statement = sql.SQL(_COPY_SIGNATURES).format(campaign_id=sql.Literal(campaign.id))
    connection = session.connection().connection.driver_connection
    if connection is None:  # only a connection already closed has no driver connection
        raise RuntimeError("The database connection is closed.")
    piece, lines = bytearray("".join(csv_lines([SIGNATURES_HEADER])).encode()), 1
    with connection.cursor().copy(statement) as copy:
        for row in copy:  # one row per block from COPY TO STDOUT
            # COPY ends lines with LF; csv_lines with CRLF, as spreadsheets expect.
            piece += bytes(row)[:-1] + b"\r\n"
            lines += 1
            if lines == CHUNK_ROWS:
                yield piece.decode()
                piece, lines = bytearray(), 0
    if lines:
        yield piece.decode()


def csv_chunks(rows: Iterable[Iterable], size: int) -> Iterator[str]:
    """Like csv_lines, `size` lines at a time."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
    pending = 0
    for row in rows:
        writer.writerow([neutralize(cell) for cell in row])
        pending += 1
        if pending == size:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
            pending = 0
    if pending:
        yield buffer.getvalue()

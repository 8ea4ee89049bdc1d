"""Organizers take fraudulent signatures out of a campaign: bots, someone
signing with another person's address, a batch of fakes.

They name the signatures by email address. Each pending or confirmed one is
invalidated the way a signer withdraws (`service.take_out`): out of the
counts, nothing of the signer kept, its links and queued mail gone. The row
stays, marked invalidated, so the history shows that organizers took it out.

An address keeps no signature from being made again: the erased row no
longer holds it. The address's owner, who may never have signed, can still
sign, and a bot signing again has to confirm by mail again.

Like every service, nothing here commits: the command that invalidates owns
the transaction.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.campaigns.models import Campaign
from app.database import utcnow
from app.organizer.pack_jobs import withdraw_packs
from app.signatures.models import CONFIRMED, INVALIDATED, PENDING, Signature
from app.signatures.rules import canonical_email, validated_email
from app.signatures.service import take_out

# Addresses looked up per statement: well under any database's limit of
# bound parameters.
LOOKUP_BATCH = 500


class NotAnAddress(ValueError):
    """A line of an address list that is not an email address: only its number
    is kept, so an error message never repeats what the line held."""

    def __init__(self, line_number: int):
        super().__init__(f"line {line_number} is not an email address")
        self.line_number = line_number


def addresses_in(lines: Iterable[str]) -> list[str]:
    """The addresses of a list, one a line; blank lines and `#` comments skipped.

    Each is checked as the sign form checks a signer's, so it reaches the same
    canonical form signing stored. The first line that is not an address
    raises NotAnAddress, before anything is looked up.
    """
    addresses = []
    for line_number, line in enumerate(lines, start=1):
        text = line.strip()
        if not text or text.startswith("#"):
            continue
        try:
            addresses.append(validated_email(text))
        except ValueError:
            raise NotAnAddress(line_number) from None
    return addresses


@dataclass(frozen=True)
class InvalidationReport:
    """Counts only, never an address: it is printed and kept in the audit trail.

    Each address counts once, however many lines name it (name+x@ and name@
    are one address, as they are one signature).
    """

    invalidated: int = 0
    were_confirmed: int = 0  # of those invalidated: left the counts
    not_found: int = 0  # addresses of no signature of the campaign
    # Withdrawn or invalidated before. Both erase the address, so in practice
    # such a signature's address is among those not found.
    already_out: int = 0


def invalidate_signatures(
    session: Session,
    campaign: Campaign,
    emails: Iterable[str],
    *,
    now: datetime | None = None,
    dry_run: bool = False,
) -> InvalidationReport:
    """Invalidate the campaign's signatures of these addresses, in the caller's
    transaction. With `dry_run`, only look: the same report, nothing changed.
    """
    wanted = sorted({canonical_email(email) for email in emails})
    found = _statuses_of(session, campaign.id, wanted)
    live = {id: status for id, status in found if status in (PENDING, CONFIRMED)}
    not_found, already_out = len(wanted) - len(found), len(found) - len(live)
    statuses_before: list[str | None]
    if dry_run:
        statuses_before = list(live.values())
    else:
        now = now or utcnow()
        ids = sorted(live)
        # Every row locked first, in id order, before any is taken out: taking
        # one out also locks its campaign's delivery packs, and a signer
        # withdrawing one of these rows meanwhile would otherwise hold its row
        # while waiting for those packs, as this waited for the row: a
        # deadlock. Each status is then the one found under the lock: a
        # confirmation or a withdrawal may have come in since the look-up.
        _lock_rows(session, ids)
        statuses_before = [take_out(session, id, status=INVALIDATED, now=now) for id in ids]
        if CONFIRMED in statuses_before:
            # Every pack of the campaign counts them, named or not.
            withdraw_packs(session, campaign_id=campaign.id, now=now)
    return InvalidationReport(
        invalidated=len(statuses_before) - statuses_before.count(None),
        were_confirmed=statuses_before.count(CONFIRMED),
        not_found=not_found,
        already_out=already_out + statuses_before.count(None),
    )


def _lock_rows(session: Session, ids: list[int]) -> None:
    """Lock these signatures (PostgreSQL; SQLite has one writer), in id order."""
    for start in range(0, len(ids), LOOKUP_BATCH):
        session.execute(
            select(Signature.id)
            .where(Signature.id.in_(ids[start : start + LOOKUP_BATCH]))
            .order_by(Signature.id)
            .with_for_update()
        ).all()


def _statuses_of(
    session: Session, campaign_id: int, canonical: list[str]
) -> list[tuple[int, str]]:
    """(id, status) of the campaign's signature of each address that has one
    (at most one each: the unique index on campaign and canonical address)."""
    found: list[tuple[int, str]] = []
    for start in range(0, len(canonical), LOOKUP_BATCH):
        rows = session.execute(
            select(Signature.id, Signature.status).where(
                Signature.campaign_id == campaign_id,
                Signature.email_canonical.in_(canonical[start : start + LOOKUP_BATCH]),
            )
        )
        found.extend((id, status) for id, status in rows)
    return found

"""What the public may see of signers: only the names of those who chose it."""

from dataclasses import dataclass

from sqlalchemy import select, true
from sqlalchemy.orm import Session

from app.signatures.models import CONFIRMED, Signature


@dataclass(frozen=True)
class PublicSigner:
    name: str
    country: str


def recent_public_signers(
    session: Session, campaign_id: int, limit: int = 20
) -> list[PublicSigner]:
    """The latest confirmed signers who ticked "show my name publicly".

    Only name and country: never the town, which with a name can identify a
    family, and never the message.
    """
    rows = session.execute(public_signers_query(campaign_id, limit)).all()
    return [PublicSigner(name, country) for name, country in rows]


def public_signers_query(campaign_id: int, limit: int):
    # Read in order off ix_signatures_public_names, never a scan and a sort:
    # `= true`, not `IS TRUE`, which no index can answer.
    return (
        select(Signature.name, Signature.country)
        .where(
            Signature.campaign_id == campaign_id,
            Signature.status == CONFIRMED,
            Signature.show_name == true(),
        )
        .order_by(Signature.confirmed_at.desc(), Signature.id.desc())
        .limit(limit)
    )

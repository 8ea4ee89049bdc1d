"""What the public may see of signers: only the names of those who chose it."""

from dataclasses import dataclass

from sqlalchemy import select
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
    rows = session.execute(
        select(Signature.name, Signature.country)
        .where(
            Signature.campaign_id == campaign_id,
            Signature.status == CONFIRMED,
            Signature.show_name.is_(True),
        )
        .order_by(Signature.confirmed_at.desc(), Signature.id.desc())
        .limit(limit)
    ).all()
    return [PublicSigner(name, country) for name, country in rows]
